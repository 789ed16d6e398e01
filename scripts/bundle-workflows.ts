/**
 * Part of `npm run build`: bundles the compiled workflow code once into dist/workflow-bundle.js,
 * so a worker process starts without running webpack (src/worker.ts loads it; WORKER_WORKFLOW_BUNDLE
 * points elsewhere). Built from the same dist/ as the activities in the same build, so the bundle
 * and the code it was made from cannot drift apart; replay sees the same workflow code either way.
 */
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { DEFAULT_WORKFLOW_BUNDLE, WORKFLOW_BUNDLE_OPTIONS } from '../src/temporal/bundle';

async function main(): Promise<void> {
  const started = Date.now();
  const bundle = await bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS(), logger: new DefaultLogger('ERROR') });
  writeFileSync(DEFAULT_WORKFLOW_BUNDLE, bundle.code);
  console.log(`workflow bundle: ${DEFAULT_WORKFLOW_BUNDLE} (${Math.round(bundle.code.length / 1024)} KiB, ${Date.now() - started} ms)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
