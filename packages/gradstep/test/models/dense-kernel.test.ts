// The dense kernels themselves (crates/gradstep-kernels/src/dense.rs, twin src/js-kernels/dense.ts),
// the wasm build's glue loaded directly: the same bits where the documented order shows beyond finite
// values, which the models never feed them. A zero input skips its terms (for four rows only when all
// four are zero), so 0·∞ never becomes NaN there; ReLU stores x < 0 ? 0 : x, so −0 stays −0; dInput
// is masked where input ≤ 0 (as the crate's tests
// `dense_kernels_follow_the_documented_order_with_signed_zeros_and_non_finite_values` check natively).
import { beforeAll, describe, expect, it } from 'vitest';
import { FUSED_ACTIVATION_IDS } from '../../src/kernels.js';
import { axpy, denseBackward, denseForward } from '../../src/js-kernels/dense.js';
import { firstBitDifference, seeded } from '../helpers.js';
import { loadGlue, withBlocks } from './wasm-glue.js';

let glue: ReturnType<typeof loadGlue>;
beforeAll(() => {
  glue = loadGlue();
});

/** rows × inputs with whole zero columns, zero columns in some rows only, −0s, and a row all zero. */
function inputs(rows: number, features: number): Float32Array {
  const x = seeded(rows * 31 + features, rows * features);
  for (let i = 0; i < x.length; i++) {
    const [row, p] = [Math.floor(i / features), i % features];
    if (p % 4 === 0 || (p % 4 === 1 && row % 3 === 1) || row === 2) x[i] = 0;
    if ((p % 4 === 1 && row % 3 === 2) || (p % 4 === 2 && row % 2 === 0)) x[i] = -0;
  }
  return x;
}

/** Weights or output gradients with ±∞ and NaN in some places (also in the rows of zero inputs). */
function withSpecials(seed: number, length: number): Float32Array {
  const v = seeded(seed, length);
  for (let i = 0; i < length; i++) {
    if (i % 5 === 0) v[i] = Infinity;
    else if (i % 7 === 3) v[i] = -Infinity;
    else if (i % 11 === 6) v[i] = NaN;
  }
  return v;
}

const SHAPES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 13].flatMap((rows) =>
  [
    [5, 3],
    [8, 9],
    [13, 10],
  ].map(([features, outputs]) => ({ rows, features, outputs })),
);

describe('dense kernels with zeros, −0 and non-finite values: wasm and the TypeScript twin', () => {
  it('forward: the same outputs, with and without ReLU', () => {
    for (const { rows, features, outputs } of SHAPES) {
      const x = inputs(rows, features);
      const w = withSpecials(features + outputs, features * outputs);
      const bias = Float32Array.from({ length: outputs }, (_, j) => (j % 2 === 0 ? -0 : 0.5 - j));
      for (const activation of ['none', 'relu'] as const) {
        const js = new Float32Array(rows * outputs);
        denseForward(x, rows, features, w, bias, outputs, js, activation === 'relu');
        const wasm = withBlocks([x, w, bias, new Float32Array(rows * outputs)], ([xp, wp, bp, op], view) => {
          expect(glue.denseForward(xp, rows, features, wp, bp, outputs, op, FUSED_ACTIVATION_IDS[activation])).toBe(0);
          return view(3);
        });
        const where = `${rows}×${features}→${outputs} ${activation}`;
        expect(firstBitDifference(wasm, js), where).toBe(-1);
        // With 3 rows, all single: the all-zero row skips every term and keeps the bias, −0 included,
        // through ReLU too (in a group of four, its zeros are multiplied like any other value).
        if (rows === 3) expect(Object.is(js[2 * outputs], -0), where).toBe(true);
      }
    }
  });

  it('backward: the same weight, bias and input gradients, with and without the ReLU mask', () => {
    for (const { rows, features, outputs } of SHAPES) {
      const x = inputs(rows, features);
      const w = withSpecials(features * 3 + outputs, features * outputs);
      const dOut = withSpecials(rows * 5 + outputs, rows * outputs);
      for (const activation of ['none', 'relu'] as const) {
        const js = [new Float32Array(features * outputs), new Float32Array(outputs), new Float32Array(rows * features)];
        denseBackward(x, rows, features, w, outputs, dOut, js[0], js[1], js[2], activation === 'relu');
        const [gw, gb, dIn] = withBlocks([x, w, dOut, ...js.map((a) => new Float32Array(a.length))], ([xp, wp, dp, gwp, gbp, dip], view) => {
          expect(glue.denseBackward(xp, rows, features, wp, outputs, dp, gwp, gbp, dip, FUSED_ACTIVATION_IDS[activation])).toBe(0);
          return [view(3), view(4), view(5)];
        });
        const where = `${rows}×${features}→${outputs} ${activation}`;
        expect(firstBitDifference(gw, js[0]), `${where}: weights`).toBe(-1);
        expect(firstBitDifference(gb, js[1]), `${where}: bias`).toBe(-1);
        expect(firstBitDifference(dIn, js[2]), `${where}: input`).toBe(-1);
        // Zero-input terms skipped: a weight gradient of a feature zero in every row is ±0, not NaN.
        expect(Number.isNaN(js[0][0])).toBe(false);
      }
    }
  });
});

describe('axpy (the bandwidth probe of the benchmarks)', () => {
  it('y + a·x rounded per product and per sum, the same bits as the wasm probe, at every tail of the lanes', () => {
    for (const length of [0, 1, 3, 4, 5, 8, 17]) {
      const y = withSpecials(length + 1, length);
      const x = seeded(length + 2, length);
      const a = 0.1; // not a float32: the scalar is rounded once, as the kernel's f32 argument
      const js = y.slice();
      axpy(js, a, x);
      expect(Array.from(js)).toEqual(Array.from(y, (v, i) => Math.fround(v + Math.fround(Math.fround(a) * x[i]))));
      // An empty block has no wasm pointer to pass: the twin alone covers length 0.
      const wasm =
        length === 0
          ? js
          : withBlocks([y, x], ([yp, xp], view) => {
              expect(glue.bandwidthProbe(yp, xp, length, a)).toBe(0);
              return view(0);
            });
      expect(firstBitDifference(wasm, js), `length ${length}`).toBe(-1);
    }
  });
});
