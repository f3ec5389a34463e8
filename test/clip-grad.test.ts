// Gradient clipping against torch.nn.utils (float32), on both backends, which must agree bit for bit.
import { readFileSync } from 'node:fs';
import { clipGradNorm, clipGradValue, init, param, type Param } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';

interface NormCase { kind: 'norm'; normType: number | 'inf'; maxNorm: number; grads: number[][]; total: number; clipped: number[][] }
interface ValueCase { kind: 'value'; clip: number; grads: number[][]; clipped: number[][] }
const cases: (NormCase | ValueCase)[] = JSON.parse(readFileSync(new URL('./fixtures/torch-clip.json', import.meta.url), 'utf8')).cases;

beforeAll(() => init());

const BACKENDS = ['wasm', 'js'] as const;
const paramsWithGrads = (grads: number[][], backend: 'wasm' | 'js'): Param[] =>
  grads.map((g) => {
    const p = param(g.length, { backend });
    p.grad.set(g);
    return p;
  });
const bits = (params: Param[]) => params.map((p) => Array.from(new Uint32Array(p.grad.slice().buffer)));

describe('clipGradNorm against torch.nn.utils.clip_grad_norm_', () => {
  it.each(cases.filter((c): c is NormCase => c.kind === 'norm').map((c) => [`norm ${c.normType}, maxNorm ${c.maxNorm}`, c] as const))('%s', (_name, c) => {
    const normType = c.normType === 'inf' ? Infinity : c.normType;
    const [wasm, js] = BACKENDS.map((backend) => {
      const params = paramsWithGrads(c.grads, backend);
      return { total: clipGradNorm(params, c.maxNorm, { normType }), params };
    });
    expect(wasm.total).toBe(js.total);
    expect(bits(wasm.params)).toEqual(bits(js.params));
    expect(Math.abs(wasm.total - c.total)).toBeLessThanOrEqual(2e-6 * c.total);
    wasm.params.forEach((p, k) => p.grad.forEach((g, i) => expect(Math.abs(g - c.clipped[k][i])).toBeLessThanOrEqual(4e-6 * Math.abs(c.clipped[k][i]) + 1e-12)));
  });
});

describe('clipGradValue against torch.nn.utils.clip_grad_value_', () => {
  it.each(cases.filter((c): c is ValueCase => c.kind === 'value').map((c) => [`clip ${c.clip}`, c] as const))('%s', (_name, c) => {
    for (const backend of BACKENDS) {
      const params = paramsWithGrads(c.grads, backend);
      clipGradValue(params, c.clip);
      params.forEach((p, k) => expect(Array.from(p.grad)).toEqual(c.clipped[k].map(Math.fround)));
    }
  });
});

describe.each(BACKENDS)('clipping on %s', (backend) => {
  it('propagates non-finite norms as PyTorch, or throws with errorIfNonfinite', () => {
    const nan = paramsWithGrads([[1, 2], [NaN, 3]], backend);
    expect(clipGradNorm(nan, 1)).toBeNaN();
    expect(nan.flatMap((p) => Array.from(p.grad)).every(Number.isNaN)).toBe(true);
    const inf = paramsWithGrads([[1, -2], [Infinity, 3]], backend);
    expect(clipGradNorm(inf, 1)).toBe(Infinity);
    expect(Array.from(inf[0].grad)).toEqual([0, -0]);
    expect(Number.isNaN(inf[1].grad[0])).toBe(true);
    const guarded = paramsWithGrads([[NaN, 1]], backend);
    expect(() => clipGradNorm(guarded, 1, { errorIfNonfinite: true })).toThrow(/the total norm of order 2 of the gradients is NaN/);
    expect(guarded[0].grad[1]).toBe(1);
    const clampNaN = paramsWithGrads([[NaN, 5, -5, 0.1]], backend);
    clipGradValue(clampNaN, 1);
    expect(Array.from(clampNaN[0].grad)).toEqual([NaN, 1, -1, Math.fround(0.1)]);
  });

  it('leaves gradients under the limit unscaled, returns 0 for no params, and validates', () => {
    const small = paramsWithGrads([[0.3, 0.4]], backend);
    expect(clipGradNorm(small, 10)).toBeCloseTo(0.5, 7);
    expect(Array.from(small[0].grad)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
    expect(clipGradNorm([], 1)).toBe(0);
    expect(() => clipGradNorm([param(0, { backend })], 1, { normType: Infinity })).toThrow(/the inf norm of the empty gradient of params\[0\] is undefined/);
    expect(() => clipGradNorm(small, -1)).toThrow(/clipGradNorm: maxNorm must be a number >= 0 \(Infinity allowed\), got -1/);
    expect(clipGradNorm(small, Infinity)).toBeCloseTo(0.5, 7);
    expect(Array.from(small[0].grad)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
    expect(() => clipGradNorm(small, 1, { normType: 0 })).toThrow(/normType must be a number > 0 or Infinity, got 0/);
    expect(() => clipGradNorm(small, 1, { norm: 2 } as never)).toThrow(/unknown option "norm"/);
    expect(() => clipGradNorm([small[0], small[0]], 1)).toThrow(/is given twice/);
    expect(() => clipGradValue(small, NaN)).toThrow(/clipValue must be a finite number >= 0, got NaN/);
  });

  it('finds the inf norm in every lane of the reduction (element i goes to accumulator i mod 4)', () => {
    for (let lane = 0; lane < 4; lane++) {
      const grad = [0.1, -0.2, 0.3, -0.05, 0.15, 0.25, -0.1, 0.2];
      grad[lane + 4] = -0.75;
      const [p] = paramsWithGrads([grad], backend);
      expect(clipGradNorm(p, Infinity, { normType: Infinity }), `max in lane ${lane}`).toBe(Math.fround(0.75));
    }
  });

  it('takes one Param as well as an array, clips to zero at maxNorm 0, and checks the arguments’ types', () => {
    const [one, inArray] = paramsWithGrads([[3, 4], [3, 4]], backend);
    expect(clipGradNorm(one, 1)).toBe(5);
    expect(clipGradNorm([inArray], 1)).toBe(5);
    expect(bits([one])).toEqual(bits([inArray]));
    expect(Array.from(one.grad)).toEqual([3, 4].map((g) => Math.fround(g * Math.fround(Math.fround(1 / Math.fround(5 + Math.fround(1e-6)))))));
    // maxNorm 0 is allowed (PyTorch zeroes the gradients) and the norm is still returned.
    const [zeroed] = paramsWithGrads([[3, -4]], backend);
    expect(clipGradNorm(zeroed, 0)).toBe(5);
    expect(Array.from(zeroed.grad)).toEqual([0, -0]);
    const [clamped] = paramsWithGrads([[3, -4, 0.5]], backend);
    clipGradValue(clamped, 1);
    expect(Array.from(clamped.grad)).toEqual([1, -1, 0.5]);
    expect(clipGradValue([], 1)).toBeUndefined();
    // Numbers in strings pass the comparisons (>= 0, > 0): the type is checked first.
    expect(() => clipGradNorm(one, '1' as never)).toThrow(/^clipGradNorm: maxNorm must be a number >= 0/);
    expect(() => clipGradNorm(one, 1, { normType: '2' as never })).toThrow(/^clipGradNorm: normType must be a number > 0 or Infinity/);
    expect(() => clipGradNorm({ length: 1 } as never, 1)).toThrow(/^clipGradNorm: params must be a Param or an array of params/);
    expect(() => clipGradValue('p' as never, 1)).toThrow(/^clipGradValue: params must be a Param or an array of params/);
    expect(() => clipGradValue(one, -1)).toThrow(/^clipGradValue: clipValue must be a finite number >= 0, got -1/);
  });

  it('gives the same bits on both backends at every tail length and large sizes', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 1001, 65_539]) {
      const grads = [Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + n) * 10 ** ((i % 7) - 3)), [0.5, -0.25, 3]];
      const [w, j] = BACKENDS.map((b) => paramsWithGrads(grads, b));
      expect(clipGradNorm(w, 0.1, { normType: 2 })).toBe(clipGradNorm(j, 0.1, { normType: 2 }));
      expect(bits(w)).toEqual(bits(j));
      expect(clipGradNorm(w, 0.05, { normType: 1 })).toBe(clipGradNorm(j, 0.05, { normType: 1 }));
      expect(clipGradNorm(w, 0.01, { normType: Infinity })).toBe(clipGradNorm(j, 0.01, { normType: Infinity }));
      expect(clipGradNorm(w, 0.01, { normType: 3 })).toBe(clipGradNorm(j, 0.01, { normType: 3 }));
      expect(bits(w)).toEqual(bits(j));
    }
  });
});

// PyTorch's coefficient is max_norm / (total_norm + 1e-6), clamped at 1, then one float32 multiply.
// The fixtures above cannot tell whether the 1e-6 is there: their tolerance (2e-6 to 4e-6 relative)
// is wider than its effect at norms near 1, and both backends share the TypeScript that computes it.
// These cases make it decide the result: a total norm equal to maxNorm (without the 1e-6 nothing
// would change; with it every gradient shrinks by 1e-6, about 8 float32 ulps) and tiny norms (5e-7,
// where the 1e-6 divides the coefficient by 3). Expected bits: torch's float32 sequence (total + 1e-6
// in float32, its reciprocal times maxNorm: `float / tensor` is `tensor.reciprocal() * float`), then
// the multiply; and that coefficient checked against the same formula in float64 (within 2 ulps).
describe("clipGradNorm's coefficient max_norm / (total + 1e-6), where the 1e-6 decides the result", () => {
  const f = Math.fround;
  const float64Norm = (g: number[], p: number) =>
    p === Infinity ? Math.max(...g.map(Math.abs)) : g.reduce((sum, x) => sum + Math.abs(f(x)) ** p, 0) ** (1 / p);
  const CASES: [string, number[], number, number | 'total'][] = [
    // [what, one gradient, normType, maxNorm ('total': exactly the norm clipGradNorm returns)]
    ['a norm of 1 clipped at exactly itself', [0.6, 0.8], 2, 'total'],
    ['a norm of about 3.7 clipped at exactly itself (every SIMD tail)', [1, -2, 0.5, 3, -0.25, 0.125, 1.5, -0.75, 0.3], 2, 'total'],
    ['a norm just above maxNorm', [0.6, 0.8], 2, 0.5],
    ['tiny gradients (norm 5e-7) at maxNorm 5e-7', [3e-7, 4e-7], 2, 5e-7],
    ['tiny gradients (norm 5e-7) under maxNorm 1e-6 (clipped only because of the 1e-6)', [3e-7, -4e-7], 2, 1e-6],
    ['tiny gradients, 1-norm', [3e-7, -4e-7, 1e-7], 1, 4e-7],
    ['tiny gradients, inf-norm', [3e-7, -4e-7, 1e-7], Infinity, 4e-7],
    ['tiny gradients, 3-norm', [3e-7, -4e-7, 1e-7], 3, 2e-7],
  ];
  it.each(CASES)('%s', (_what, grad, normType, maxNormGiven) => {
    for (const backend of BACKENDS) {
      const [p] = paramsWithGrads([grad], backend);
      const before = p.grad.slice();
      const reference = float64Norm(Array.from(before), normType);
      // The first call only measures (maxNorm Infinity never scales), so that 'total' can be exact.
      const measured = clipGradNorm([p], Infinity, { normType });
      expect(Array.from(p.grad)).toEqual(Array.from(before));
      expect(Math.abs(measured - reference), `${backend}: total norm`).toBeLessThanOrEqual(2 ** -23 * reference);
      const maxNorm = maxNormGiven === 'total' ? measured : maxNormGiven;
      expect(clipGradNorm([p], maxNorm, { normType })).toBe(measured);
      const coefficient = Math.min(f(f(1 / f(measured + f(1e-6))) * f(maxNorm)), 1);
      const float64Coefficient = Math.min(maxNorm / (measured + 1e-6), 1);
      expect(Math.abs(coefficient - float64Coefficient), `${backend}: float32 coefficient vs float64`).toBeLessThanOrEqual(2 ** -22 * float64Coefficient);
      expect(coefficient, 'the case must clip').toBeLessThan(1);
      expect(Array.from(p.grad), `${backend}: clipped gradient`).toEqual(Array.from(before, (g) => f(g * coefficient)));
      // And in float64 terms: each gradient scaled by max_norm / (total + 1e-6), to float32 precision.
      p.grad.forEach((g, i) => expect(Math.abs(g - before[i] * float64Coefficient)).toBeLessThanOrEqual(2 ** -22 * Math.abs(before[i] * float64Coefficient)));
    }
  });
});
