// The build for runtimes without wasm SIMD, forced: it must report itself and give the same bits.
import { init, param, wasmSimd, runtimeHasWasmSimd } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIGS, firstBitDifference, seeded } from './helpers.js';

beforeAll(() => init({ simd: false }));

describe('scalar wasm fallback (init({ simd: false }))', () => {
  it('is the build without SIMD, on a runtime that has SIMD', () => {
    expect(runtimeHasWasmSimd()).toBe(true);
    expect(wasmSimd()).toBe(false);
  });

  it.each(CONFIGS)('%s gives the same bits as the js backend', (_name, make) => {
    const run = (backend: 'wasm' | 'js') => {
      const params = [param(seeded(1, 37), { backend }), param(seeded(2, 1000), { backend })];
      const opt = make(params);
      for (let t = 0; t < 5; t++) {
        params.forEach((p, i) => p.grad.set(seeded(10 + t * 2 + i, p.length)));
        opt.step();
      }
      return params.map((p) => p.value.slice());
    };
    const wasm = run('wasm'), js = run('js');
    expect(firstBitDifference(wasm[0], js[0])).toBe(-1);
    expect(firstBitDifference(wasm[1], js[1])).toBe(-1);
  });
});
