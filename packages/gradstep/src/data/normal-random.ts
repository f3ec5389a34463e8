/** Normally distributed draws from the project's seeded PCG32 generator. */
import type { Random } from '../model-selection/random.js';

/**
 * One standard normal draw by the Box–Muller transform (the cosine half; the sine half is not kept,
 * so every draw costs exactly two `nextFloat()`s and sequences are easy to reproduce):
 * `√(−2 ln(1 − u₁)) · cos(2π u₂)`; 1 − u₁ is in (0, 1], so the logarithm is finite.
 */
export function standardNormal(rng: Random): number {
  const u1 = rng.nextFloat();
  const u2 = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}
