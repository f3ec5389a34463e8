/** The ensembles' sample-count option (maxSamples): a fraction of the rows or a count. */
import { describe } from '../validate.js';

/**
 * A number of samples given as a fraction or a count, as scikit-learn's `max_samples`: a number in
 * (0, 1] is a fraction of `n` (1 means all, so a count of 1 cannot be asked for), truncated as
 * `int(fraction·n)`; a larger number must be an integer count ≤ n. The result must be ≥ 1.
 *
 * scikit-learn tells the two apart by type (float or int), which JavaScript numbers cannot: hence
 * "≤ 1 is a fraction".
 */
export function resolveSampleCount(owner: string, name: string, value: unknown, n: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${owner}: ${name} must be a fraction in (0, 1] or an integer count, got ${describe(value)}`);
  }
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${owner}: ${name} must be a fraction in (0, 1] or an integer count, got ${describe(value)}`);
  }
  let count: number;
  if (value <= 1) {
    count = Math.floor(value * n);
    if (count < 1) {
      throw new RangeError(`${owner}: ${name} = ${value} gives int(${value} * ${n}) = 0 samples; it must give at least 1`);
    }
  } else {
    if (!Number.isInteger(value)) {
      throw new RangeError(`${owner}: ${name} above 1 is a count and must be an integer, got ${describe(value)}`);
    }
    if (value > n) throw new RangeError(`${owner}: ${name} must be <= the number of samples ${n}, got ${value}`);
    count = value;
  }
  return count;
}
