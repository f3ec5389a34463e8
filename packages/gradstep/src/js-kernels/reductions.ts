/**
 * The TypeScript twin of `crates/gradstep-kernels/src/reductions.rs`: gradient norms for clipping,
 * reduced in float64 in the same fixed order (element i to accumulator i mod 4, combined as
 * (a0 + a1) + (a2 + a3)), and the in-place scaling and clamping of gradients in float32.
 */

/** Which norm: 1 Σ|g|, 2 Σg², 0 max|g| (the ids of reductions.rs's `Norm`). */
export type NormId = 0 | 1 | 2;

/** One tensor's contribution to a norm (`norm_partial`); doubles need no rounding help. */
export function normPartial(g: Float32Array, norm: NormId): number {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let i = 0; i < g.length; i++) {
    const x = g[i];
    const term = norm === 2 ? x * x : Math.abs(x);
    switch (i & 3) {
      case 0: a0 = norm === 0 ? Math.max(a0, term) : a0 + term; break;
      case 1: a1 = norm === 0 ? Math.max(a1, term) : a1 + term; break;
      case 2: a2 = norm === 0 ? Math.max(a2, term) : a2 + term; break;
      default: a3 = norm === 0 ? Math.max(a3, term) : a3 + term;
    }
  }
  return norm === 0 ? Math.max(Math.max(a0, a1), Math.max(a2, a3)) : a0 + a1 + (a2 + a3);
}

/** g = g·coefficient in float32 (`scale_in_place`). */
export function scaleInPlace(g: Float32Array, coefficient: number): void {
  const c = Math.fround(coefficient);
  for (let i = 0; i < g.length; i++) g[i] *= c;
}

/** g = min(max(g, −clip), clip) in float32, NaN passing through (`clamp_in_place`). */
export function clampInPlace(g: Float32Array, clip: number): void {
  const c = Math.fround(clip);
  for (let i = 0; i < g.length; i++) g[i] = Math.min(Math.max(g[i], -c), c);
}
