// Softmax cross-entropy's kernel and its exp (crates/gradstep-kernels/src/softmax.rs, twin
// src/js-kernels/softmax.ts): the wasm build (its glue loaded directly, as the benchmarks do) and the
// TypeScript twin give the same bits at odd shapes and on extreme logits, and the exp, ours on both
// sides, stays within one float32 ulp of Math.exp.
import { beforeAll, describe, expect, it } from 'vitest';
import { SOFTMAX_STATS } from '../../src/kernels.js';
import { expNonPositive, softmaxCrossEntropy } from '../../src/js-kernels/softmax.js';
import { firstBitDifference, seeded } from '../helpers.js';
import { loadGlue, withBlocks } from './wasm-glue.js';

let glue: ReturnType<typeof loadGlue>;
beforeAll(() => {
  glue = loadGlue();
});

/** |got − e^x| in ulps of the float32 result (2^−149 below the normal range), e^x from Math.exp. */
function ulpError(x: number, got: number): number {
  const exact = Math.exp(x);
  const ulp = exact >= 2 ** -126 ? 2 ** (Math.floor(Math.log2(exact)) - 23) : 2 ** -149;
  return Math.abs(got - exact) / ulp;
}

describe("the softmax's exp", () => {
  it('gives the same bits on wasm and js over [−90, 0] and past the underflow, within 1 ulp of Math.exp', () => {
    const specials = [0, -0, -1e-30, -1e-7, -87.33, -103.9, -103.97, -104, -110, -1e30, -3.4e38, -Infinity];
    const x = Float32Array.from([...Array.from({ length: 900_001 }, (_, i) => -i * 1e-4), ...specials]);
    const js = x.map(expNonPositive);
    const wasm = withBlocks([new Float32Array(x.length), x], ([out, input], view) => {
      expect(glue.expNonPositive(out, input, x.length)).toBe(0);
      return view(0);
    });
    expect(firstBitDifference(wasm, js)).toBe(-1);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, ulpError(x[i], js[i]));
    // Measured 0.98 ulp (Cephes' polynomial in float32 steps, no FMA).
    expect(worst).toBeLessThanOrEqual(1);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(Math.fround(-103.9))).toBe(2 ** -149);
    expect(Object.is(expNonPositive(-104), 0)).toBe(true);
    expect(expNonPositive(NaN)).toBeNaN();
  });
});

function logitsFor(rows: number, classes: number): Float32Array {
  const z = seeded(rows * 31 + classes, rows * classes).map((v) => v * 16);
  for (let i = 0; i < rows; i++) {
    const row = i * classes;
    if (i % 5 === 1 && classes > 2) z[row + 1] = z[row + classes - 1] = 20; // the maximum twice
    if (i % 5 === 2) [z[row], z[row + classes - 1]] = [3e30, -3e38]; // huge: the rest underflow
    if (i % 5 === 3) z[row + (classes >> 1)] = -1e30; // tiny
    if (i % 5 === 4) z.fill(-7.5, row, row + classes); // all equal
  }
  return z;
}

describe('softmax cross-entropy kernel', () => {
  const ROWS = [1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 131];
  const CLASSES = [1, 2, 3, 4, 5, 9, 10, 11, 17];
  it(`same bits on wasm and js: ${ROWS.length * CLASSES.length} shapes, with and without the gradient`, () => {
    for (const rows of ROWS) {
      for (const classes of CLASSES) {
        const z = logitsFor(rows, classes);
        const targets = Float32Array.from({ length: rows }, (_, i) => (i * 7) % classes);
        const scale = 1 / rows;
        const jsD = new Float32Array(rows * classes);
        const jsStats = new Float32Array(rows * SOFTMAX_STATS);
        softmaxCrossEntropy(z, rows, classes, targets, scale, jsD, jsStats);
        const jsStatsOnly = new Float32Array(rows * SOFTMAX_STATS);
        softmaxCrossEntropy(z, rows, classes, targets, scale, null, jsStatsOnly);
        const blocks = [z, targets, new Float32Array(rows * classes).fill(7), new Float32Array(rows * SOFTMAX_STATS), new Float32Array(rows * SOFTMAX_STATS)];
        const [wasmD, wasmStats, wasmStatsOnly] = withBlocks(blocks, ([zp, tp, dp, sp, sp2], view) => {
          expect(glue.softmaxCrossEntropy(zp, rows, classes, tp, scale, dp, sp)).toBe(0);
          expect(glue.softmaxCrossEntropy(zp, rows, classes, tp, scale, 0, sp2)).toBe(0);
          return [view(2), view(3), view(4)];
        });
        const where = `${rows} rows × ${classes} classes`;
        expect(firstBitDifference(wasmD, jsD), `${where}: dLogits`).toBe(-1);
        expect(firstBitDifference(wasmStats, jsStats), `${where}: stats`).toBe(-1);
        expect(firstBitDifference(wasmStatsOnly, jsStats), `${where}: stats without the gradient`).toBe(-1);
        expect(firstBitDifference(jsStatsOnly, jsStats), `${where}: js stats without the gradient`).toBe(-1);
        for (let i = 0; i < rows; i++) {
          // The first of equal maxima is the predicted class; each gradient row sums to about 0.
          const row = Array.from(z.subarray(i * classes, (i + 1) * classes));
          expect(jsStats[i * SOFTMAX_STATS + 2]).toBe(row.indexOf(Math.max(...row)));
          const sum = jsD.subarray(i * classes, (i + 1) * classes).reduce((s, v) => s + v, 0);
          expect(Math.abs(sum)).toBeLessThan(1e-6 * scale * classes);
        }
      }
    }
  });

  it('refuses overlapping blocks (the gradient written over the logits)', () => {
    withBlocks([new Float32Array(6), new Float32Array(2), new Float32Array(6)], ([zp, tp, sp]) => {
      expect(glue.softmaxCrossEntropy(zp, 2, 3, tp, 0.5, zp, sp)).not.toBe(0);
    });
  });
});
