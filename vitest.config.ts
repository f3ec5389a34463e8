import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Each file gets fresh modules, so a file may force the scalar wasm build without affecting others.
    isolate: true,
    pool: 'forks',
    // memory tests call gc() to see whether memory stays flat.
    execArgv: ['--expose-gc'],
    testTimeout: 60_000,
  },
});
