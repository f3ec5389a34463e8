// The vitest configuration of mutation testing (stryker.config.mjs; `pnpm mutate`, HACKING.md).
//
// Stryker mutates packages/gradstep/src, but most tests import the built package ('gradstep', dist/),
// where no mutant would ever run. Here 'gradstep' is the Node entry's source, and its default .wasm
// locations (next to the bundle in dist/) point at the wasm-pack output instead, so the same tests
// exercise the mutated sources on both backends. Tests that only make sense against dist/ (child
// processes, workers importing the bundle, packaging, browsers, tfjs's built entry) are left out.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

const wasmBesideSources: Plugin = {
  name: 'gradstep-wasm-beside-sources',
  enforce: 'pre',
  transform(code, id) {
    if (!id.endsWith('/packages/gradstep/src/entries/node.ts')) return null;
    const simd = "'./gradstep_wasm_bg.wasm'";
    const scalar = "'./gradstep_wasm_scalar.wasm'";
    if (!code.includes(simd) || !code.includes(scalar)) {
      throw new Error('vitest.mutate.config.ts: src/entries/node.ts no longer names its .wasm files as expected');
    }
    return code.replace(simd, "'../../wasm/simd/gradstep_wasm_bg.wasm'").replace(scalar, "'../../wasm/scalar/gradstep_wasm_bg.wasm'");
  },
};

export default defineConfig({
  plugins: [wasmBesideSources],
  resolve: {
    alias: [{ find: /^gradstep$/, replacement: `${root}packages/gradstep/src/entries/node.ts` }],
  },
  test: {
    // scripts/mutate.mjs narrows the tests of a module whose code every training test reaches
    // (GRADSTEP_MUTATE_TESTS, comma-separated globs): the score is then a lower bound.
    include: process.env.GRADSTEP_MUTATE_TESTS?.split(',') ?? ['packages/gradstep/test/**/*.test.ts', 'test/*.test.ts'],
    exclude: [
      // dist/ itself, child processes, workers importing the bundle, Chromium, tfjs's built entry.
      'packages/gradstep/test/api-dist.test.ts',
      'packages/gradstep/test/memory.test.ts',
      'packages/gradstep/test/wasm-memory-limit.test.ts',
      'packages/gradstep/test/parallel/**',
      'packages/gradstep/test/tfjs/**',
      'test/bench-smoke.test.ts',
      'test/demo.test.ts',
      'test/examples.test.ts',
      'test/optimizer-coverage.test.ts',
      'test/python-safetensors.test.ts',
      'test/browser/**',
      'test/packaging/**',
      '**/node_modules/**',
    ],
    // Stryker's vitest runner runs each of its workers' tests in one thread (pool: 'threads'); the
    // memory tests, which need --expose-gc, are left out above.
    isolate: true,
    // packages/gradstep/test/helpers.ts MUTATION_TESTING: the tests of sizes are skipped.
    env: { GRADSTEP_MUTATION_TESTING: '1' },
    // Instrumented code is slower; Stryker times mutants out on its own (timeoutMS in stryker.config.mjs).
    testTimeout: 180_000,
  },
});
