/** What the synthetic-data generators share: their size limit and the final shuffle. */
import type { Random } from '../model-selection/random.js';

/** The most rows a generator makes: a bound on what one option can allocate. */
export const MAX_GENERATED_SAMPLES = 2 ** 24;

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
