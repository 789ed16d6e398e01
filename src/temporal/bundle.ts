/**
 * The prebuilt workflow bundle: made once by `npm run build` (scripts/bundle-workflows.ts), loaded
 * by every worker start instead of bundling the workflow code with webpack each time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';

/** dist/workflow-bundle.js (this file compiles to dist/src/temporal/bundle.js). */
export const DEFAULT_WORKFLOW_BUNDLE = join(__dirname, '..', '..', 'workflow-bundle.js');

/** What goes into the bundle: the workflows and the failure converter the data converter names by path. */
export const WORKFLOW_BUNDLE_OPTIONS = () => ({
  workflowsPath: require.resolve('../../workflows'),
  failureConverterPath: require.resolve('./failure-converter'),
});

/**
 * The worker's workflow code: the configured bundle file, else the build's bundle when running from
 * dist/, else the sources (ts-jest, or a build without the bundle step), bundled at start.
 */
export function workflowCode(configured: string | undefined): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const fromDist = __filename.endsWith('.js') && existsSync(DEFAULT_WORKFLOW_BUNDLE) ? DEFAULT_WORKFLOW_BUNDLE : undefined;
  const file = configured ?? fromDist;
  return file ? { workflowBundle: { code: readFileSync(file, 'utf8') } } : { workflowsPath: WORKFLOW_BUNDLE_OPTIONS().workflowsPath };
}
