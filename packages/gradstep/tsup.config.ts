import { copyFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  // import.meta.url in the CommonJS build (it locates the .wasm files next to the bundle).
  shims: true,
  external: ['node:fs/promises'],
  async onSuccess() {
    copyFileSync('wasm/simd/gradstep_wasm_bg.wasm', 'dist/gradstep_wasm_bg.wasm');
    copyFileSync('wasm/scalar/gradstep_wasm_bg.wasm', 'dist/gradstep_wasm_scalar.wasm');
  },
});
