// ESLint as the Temporal TypeScript samples do it (type-aware typescript-eslint, no floating
// promises, deprecations flagged), plus the workflow sandbox's rules as lint errors: workflow
// code imports no Node built-ins, no Temporal worker/client/activity packages, no I/O libraries
// and activities only as types. `npm run lint`; run by `npm test` right after the typecheck.
const { builtinModules } = require('node:module');
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

// The workflow bundler refuses Node built-ins; the samples allow `assert` only.
const ALLOWED_NODE_BUILTINS = new Set(['assert']);
const nodeBuiltins = builtinModules.filter((m) => !ALLOWED_NODE_BUILTINS.has(m) && !m.startsWith('_')).flatMap((m) => [m, `node:${m}`]);

/** Workflow code (any depth, so workflows/<type>/… is covered). test/support/bad-workflow.ts is
 *  left out on purpose: it imports node:fs so the bundle-guard test can see the bundle fail. */
const WORKFLOW_FILES = ['workflows/**/*.ts', 'test/support/workflows.ts'];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'data/**', 'coverage/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname },
    },
    // Older `eslint-disable no-console` comments in tests predate this config: not reported.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      // Forgetting to await an activity, a workflow API or a Mongo write is a bug.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-deprecated': 'warn',
      // Relaxed, as in the samples.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Production code logs through src/platform/log (JSON lines); the embedded stack's human status
    // lines (npm start) and the simulators may print.
    files: ['src/**/*.ts', 'activities/**/*.ts', 'workflows/**/*.ts'],
    ignores: ['src/main.ts', 'src/dev/**', 'src/systems/*/simulator/**', 'src/systems/simulator-support/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // Deterministic workflow code only: what the sandbox would reject at bundle or run time.
    files: WORKFLOW_FILES,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not available in workflow code (the bundle fails).' })),
            ...['activity', 'client', 'worker', 'testing', 'core-bridge'].map((p) => ({
              name: `@temporalio/${p}`,
              message: 'Workflow code may only use @temporalio/workflow (and @temporalio/common).',
            })),
            ...['mongodb', 'express', 'soap', 'pino', 'fast-xml-parser'].map((name) => ({ name, message: 'I/O belongs in activities, not in workflow code.' })),
          ],
          patterns: [
            {
              group: ['**/activities', '**/activities/**'],
              allowTypeImports: true,
              message: 'Import activities as types only (import type …) and call them through proxyActivities.',
            },
            {
              group: ['**/src/store/**', '**/src/systems/*/client/**', '**/src/systems/*/simulator/**', '**/src/systems/*/system', '**/src/systems/index', '**/src/systems/system', '**/src/systems/simulator-support/**', '**/src/oauth/**', '**/src/api/**', '**/src/platform/**', '**/src/services/**', '**/src/dev/**'],
              allowTypeImports: true,
              message: 'Workflow code cannot do I/O: import types only from here.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['process', 'require', 'Buffer', '__dirname', '__filename', 'fetch', 'performance', 'crypto', 'setImmediate', 'setInterval', 'WeakRef', 'FinalizationRegistry'].map(
          (name) => ({ name, message: `${name} is not deterministic or not available in the workflow sandbox; use an activity or @temporalio/workflow.` }),
        ),
      ],
    },
  },
);
