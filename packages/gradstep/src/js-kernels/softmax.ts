/**
 * The TypeScript twin of `crates/gradstep-kernels/src/softmax.rs`: softmax cross-entropy's float32
 * part and the exp it needs, every operation rounded to float32 (Math.fround) in the order of the
 * Rust, so that both backends give the same bits. Per row of `classes` logits z with target t: the
 * maximum m and the first index holding it, s = Σ_c exp(z_c − m) added in order of c from +0, and,
 * when asked, ∂(mean loss)/∂z_c = (exp(z_c − m) / s − [c = t])·scale. The caller turns
 * ln s − (z_t − m) into the loss in float64 (models/output-losses.ts, shared by both backends).
 */

import { SOFTMAX_STATS } from '../kernels.js';

const f = Math.fround;

// softmax.rs's float32 constants, written as their exact values.
const LOG2E = 1.4426950216293335;
const LN2_HI = 0.693359375;
const LN2_LO = -0.00021219444170128554;
const P0 = 0.00019875691214110702;
const P1 = 0.001398199936375022;
const P2 = 0.008333452045917511;
const P3 = 0.04166579619050026;
const P4 = 0.1666666567325592;
const P5 = 0.5;
const EXP_FLOOR = -104;
const TWO_TO_MINUS_64 = 2 ** -64;

/** 2^(i − 126) for i = 0 … 253: the normal float32 powers of two, each exact (halvings and doublings of 1). */
const POW2 = (() => {
  const table = new Float64Array(254);
  table[126] = 1;
  for (let i = 125; i >= 0; i--) table[i] = table[i + 1] / 2;
  for (let i = 127; i < 254; i++) table[i] = table[i - 1] * 2;
  return table;
})();

/**
 * e^x for a float32 x ≤ 0 (or NaN), to within 2 ulps of float32, subnormal results included (0 below
 * about −103.97): softmax.rs's `exp_nonpositive`, operation for operation. Math.exp is V8's float64
 * fdlibm, which the Rust side cannot reproduce bit for bit, hence this one.
 */
export function expNonPositive(x: number): number {
  const y = Math.max(x, EXP_FLOOR);
  const n = Math.floor(f(f(y * LOG2E) + 0.5));
  const r = f(f(y - f(n * LN2_HI)) - f(n * LN2_LO));
  const rr = f(r * r);
  let p = P0;
  p = f(f(p * r) + P1);
  p = f(f(p * r) + P2);
  p = f(f(p * r) + P3);
  p = f(f(p * r) + P4);
  p = f(f(p * r) + P5);
  p = f(f(f(p * rr) + r) + 1);
  const low = -100 > n;
  const a = low ? n + 64 : n;
  return f(f(p * POW2[a + 126]) * (low ? TWO_TO_MINUS_64 : 1));
}

/**
 * The float32 part of softmax cross-entropy over `rows` rows of `classes` (≥ 1) logits: `stats` gets
 * SOFTMAX_STATS values per row (maximum, Σ exp(z − max), index of the maximum) and, unless null,
 * `dLogits` (rows × classes) the gradient of the mean loss; `scale` is 1/rows (rounded to float32
 * here), `targets` one class index per row, checked by the caller and read only for the gradient.
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  rows: number,
  classes: number,
  targets: Float32Array,
  scale: number,
  dLogits: Float32Array | null,
  stats: Float32Array,
): void {
  if (classes === 0) return;
  const s = f(scale);
  for (let i = 0; i < rows; i++) {
    const row = i * classes;
    let max = logits[row];
    let best = 0;
    for (let c = 1; c < classes; c++) {
      const z = logits[row + c];
      if (z > max) {
        max = z;
        best = c;
      }
    }
    let sum = 0;
    if (dLogits !== null) {
      for (let c = 0; c < classes; c++) {
        const e = expNonPositive(f(logits[row + c] - max));
        sum = f(sum + e);
        dLogits[row + c] = e;
      }
      const target = targets[i];
      for (let c = 0; c < classes; c++) dLogits[row + c] = f(f(f(dLogits[row + c] / sum) - (c === target ? 1 : 0)) * s);
    } else {
      for (let c = 0; c < classes; c++) sum = f(sum + expNonPositive(f(logits[row + c] - max)));
    }
    stats[i * SOFTMAX_STATS] = max;
    stats[i * SOFTMAX_STATS + 1] = sum;
    stats[i * SOFTMAX_STATS + 2] = best;
  }
}
