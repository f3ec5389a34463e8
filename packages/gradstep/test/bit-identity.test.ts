// Both backends, every optimizer and option path, at every length that ends the SIMD body with a
// different tail (0..33) and at large lengths: the values after several steps must be the same bits.
import { init, param, type Param } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIGS, firstBitDifference, seeded } from './helpers.js';

beforeAll(() => init());

function train(backend: 'wasm' | 'js', make: (typeof CONFIGS)[number][1], lengths: number[], steps: number, gradScale = 1): Float32Array[] {
  const params: Param[] = lengths.map((n, i) => param(seeded(1000 + i, n), { backend }));
  const opt = make(params);
  for (let t = 0; t < steps; t++) {
    params.forEach((p, i) => {
      const g = seeded(t * 97 + i, p.length);
      for (let k = 0; k < g.length; k++) g[k] *= gradScale;
      p.grad.set(g);
    });
    opt.step();
  }
  const out = params.map((p) => p.value.slice());
  opt.dispose();
  params.forEach((p) => p.dispose());
  return out;
}

const TAIL_LENGTHS = Array.from({ length: 34 }, (_, n) => n);

describe.each(CONFIGS)('%s', (_name, make) => {
  it('gives the same bits on wasm and js at every length 0..33', () => {
    const wasm = train('wasm', make, TAIL_LENGTHS, 6);
    const js = train('js', make, TAIL_LENGTHS, 6);
    TAIL_LENGTHS.forEach((n) => expect(firstBitDifference(wasm[n], js[n]), `length ${n}`).toBe(-1));
  });

  it('gives the same bits on wasm and js on large tensors', () => {
    const lengths = [65_537, 4099];
    const wasm = train('wasm', make, lengths, 20);
    const js = train('js', make, lengths, 20);
    lengths.forEach((_, i) => expect(firstBitDifference(wasm[i], js[i])).toBe(-1));
    // Training moved the values (the comparison is not between two untouched copies).
    expect(firstBitDifference(wasm[0], seeded(1000, 65_537))).not.toBe(-1);
  });

  it('propagates non-finite gradients the same way on both backends (as PyTorch: no masking)', () => {
    const run = (backend: 'wasm' | 'js') => {
      const p = param(seeded(7, 9), { backend });
      const opt = make([p]);
      p.grad.set([NaN, Infinity, -Infinity, 1, 0, -0, 1e-30, 3e38, -3e38]);
      opt.step();
      p.grad.set(seeded(8, 9));
      opt.step();
      return p.value.slice();
    };
    const wasm = run('wasm');
    expect(firstBitDifference(wasm, run('js'))).toBe(-1);
    expect(Number.isNaN(wasm[0])).toBe(true);
  });
});
