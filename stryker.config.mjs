// Mutation testing of the TypeScript core (HACKING.md, "Mutation testing"): `pnpm mutate [module…]`
// runs this through scripts/mutate.mjs, which picks the files to mutate and one incremental file per
// module. Not part of `pnpm test` or CI: a full run takes hours on a 2-core machine.
// scripts/mutate.mjs names the module it runs, so each module keeps its own incremental file and report.
const module = process.env.GRADSTEP_MUTATE_MODULE ?? 'core';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'pnpm',
  testRunner: 'vitest',
  // pnpm's layout hides the runner from core's default '@stryker-mutator/*' lookup: name it.
  plugins: ['@stryker-mutator/vitest-runner'],
  // vitest.mutate.config.ts points 'gradstep' at src/ (the tests import the built package otherwise).
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  coverageAnalysis: 'perTest',
  // The whole core; scripts/mutate.mjs narrows it with --mutate.
  mutate: [
    'packages/gradstep/src/optimizer.ts',
    'packages/gradstep/src/optimizers/**/*.ts',
    'packages/gradstep/src/js-kernels/**/*.ts',
    'packages/gradstep/src/kernels.ts',
    'packages/gradstep/src/clip-grad.ts',
    'packages/gradstep/src/state-dict.ts',
    'packages/gradstep/src/schedulers/**/*.ts',
    'packages/gradstep/src/model-selection/**/*.ts',
    'packages/gradstep/src/evaluation/**/*.ts',
    'packages/gradstep/src/metrics/**/*.ts',
  ],
  // Mutants in module-level code (tables, constants) would need every test file rerun each.
  ignoreStatic: true,
  checkers: [],
  // Two cores, shared: at most two test runners.
  concurrency: 2,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: `reports/mutation/${module}.incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${module}.html` },
  jsonReporter: { fileName: `reports/mutation/${module}.json` },
  // The sandbox copy needs the package's sources, its wasm-pack output and the tests' fixtures only.
  ignorePatterns: [
    'target',
    'crates',
    'docs',
    'demo',
    'bench',
    'playground',
    'examples',
    'packages/gradstep/dist',
    'reports',
  ],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
