/** What the synthetic-data generators share: argument checks and the final shuffle. */
import type { Random } from '../model-selection/random.js';
import { describe } from '../validate.js';

export function checkSampleCount(owner: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 2 ** 24) {
    throw new RangeError(`${owner}: samples must be an integer from ${min} to 2^24, got ${describe(value)}`);
  }
  return value;
}

/** Shuffles the rows of X (rows × features) and y together, in place, with one `permutation`. */
export function shuffleRows(X: Float32Array, y: Float32Array, features: number, rng: Random): void {
  const n = y.length;
  const order = rng.permutation(n);
  const X0 = X.slice();
  const y0 = y.slice();
  for (let i = 0; i < n; i++) {
    const from = order[i];
    y[i] = y0[from];
    X.set(X0.subarray(from * features, (from + 1) * features), i * features);
  }
}
