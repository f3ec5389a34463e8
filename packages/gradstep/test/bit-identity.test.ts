// Both backends, every optimizer and option path, at every length that ends the SIMD body with a
// different tail (0..33) and at large lengths: the values after several steps must be the same bits.
import { init, param, RMSprop, type Param } from 'gradstep';
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

// Centered RMSprop divides by sqrt(v − ḡ²) + ε. With a constant gradient g, v → g² and ḡ → g, and
// from about step 137 on (α = 0.9) the float32 rounding of v and ḡ² leaves v − ḡ² slightly negative
// for these gradients (found by a search over float32 arithmetic; 0.1 and 1 stay at >= 0, as a
// control). Both kernels clamp it at 0, so the denominator is ε and the step finite (PyTorch, which
// does not clamp, gives NaN there). The seeded gradients of the tests above never get there, so
// without this case either backend could drop its clamp unnoticed.
describe('centered RMSprop where rounding makes v − ḡ² negative', () => {
  const GRADS = [0.75, -1.5, 3, 0.9, -0.75, 1.5, -3, -0.9, 0.75, 0.1, 1];
  const STEPS = 150;
  const f = Math.fround;

  it.each([
    ['centered', { centered: true, alpha: 0.9 }],
    ['centered with momentum', { centered: true, alpha: 0.9, momentum: 0.5 }],
  ] as const)('%s: the same bits on both backends at every step, finite, clamped at 0', (_name, options) => {
    const run = (backend: 'wasm' | 'js') => {
      const p = param(Float32Array.from(GRADS, (_, i) => 0.5 + i / 8), { backend });
      const opt = new RMSprop([p], options);
      const values: Float32Array[] = [];
      let negative = 0;
      for (let t = 0; t < STEPS; t++) {
        p.grad.set(GRADS);
        opt.step();
        values.push(p.value.slice());
        // v and ḡ as this step stored them: was the v − ḡ² it took the root of (in float32) negative?
        const { squareAvg, gradAvg } = opt.stateDict({ encoding: 'float32' }).state[0].buffers as Record<string, Float32Array>;
        squareAvg.forEach((v, i) => {
          if (f(v - f(gradAvg[i] * gradAvg[i])) < 0) negative++;
        });
      }
      return { values, negative };
    };
    const wasm = run('wasm');
    const js = run('js');
    // The case reaches what it is for: many (element, step) pairs with a negative v − ḡ².
    expect(wasm.negative).toBeGreaterThan(50);
    expect(js.negative).toBe(wasm.negative);
    wasm.values.forEach((values, t) => {
      expect(firstBitDifference(js.values[t], values), `step ${t + 1}`).toBe(-1);
      expect(values.every(Number.isFinite), `step ${t + 1}: ${values}`).toBe(true);
      expect(js.values[t].every(Number.isFinite), `js step ${t + 1}: ${js.values[t]}`).toBe(true);
    });
  });
});
