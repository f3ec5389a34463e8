/** Feature standardization (z-scores), fitted on the training rows only. */
import { checkInteger, describe } from '../validate.js';

/**
 * Per-feature mean and scale, as scikit-learn's `StandardScaler`: the population standard deviation
 * (ddof 0), and a scale of 1 for a constant feature (so it maps to 0 instead of NaN).
 *
 * Fit it on the training rows only and apply it to the validation and test rows: statistics taken
 * over all rows leak information about the held-out rows into training, and the validation score
 * comes out optimistic.
 *
 * ```ts
 * const scaler = fitStandardizer(X, features, fold.train); // mean and std of the training rows
 * const Xs = scaler.transform(X);                           // every row, with the training statistics
 * ```
 */
export class Standardizer {
  /** Not for direct use: call fitStandardizer. */
  constructor(
    /** Features per row of the X it transforms. */
    readonly features: number,
    /** Mean of each feature over the fitted rows. */
    readonly mean: Float64Array,
    /** Standard deviation (ddof 0) of each feature, or 1 where it is 0. */
    readonly scale: Float64Array,
  ) {}

  /** (x − mean) / scale for every value of X (rows × features), in a new Float32Array. */
  transform(X: Float32Array): Float32Array {
    checkMatrix('Standardizer.transform', X, this.features);
    const out = new Float32Array(X.length);
    const d = this.features;
    for (let i = 0; i < X.length; i += d) {
      for (let j = 0; j < d; j++) out[i + j] = (X[i + j] - this.mean[j]) / this.scale[j];
    }
    return out;
  }

  /** x · scale + mean: undoes transform. */
  inverseTransform(X: Float32Array): Float32Array {
    checkMatrix('Standardizer.inverseTransform', X, this.features);
    const out = new Float32Array(X.length);
    const d = this.features;
    for (let i = 0; i < X.length; i += d) {
      for (let j = 0; j < d; j++) out[i + j] = X[i + j] * this.scale[j] + this.mean[j];
    }
    return out;
  }
}

/**
 * Fits a Standardizer on the rows `rows` of X (rows × features, row-major): all rows when omitted.
 * Means and variances are accumulated in float64 (two passes, so no cancellation).
 *
 * @throws TypeError/RangeError for X that is not a Float32Array of whole rows (at least one), or bad row indices
 */
export function fitStandardizer(X: Float32Array, features: number, rows?: ArrayLike<number>): Standardizer {
  const owner = 'fitStandardizer';
  checkInteger(owner, 'features', features, 1);
  const n = checkMatrix(owner, X, features);
  // Before anything is sized by `features`: with no rows, X (length 0) puts no bound on it.
  if (n === 0) throw new RangeError(`${owner}: X has no rows (length 0), so there is nothing to fit on`);
  const selected = rows ?? { length: n };
  const count = selected.length;
  if (count === 0) throw new RangeError(`${owner}: no rows to fit on`);
  const rowAt = (i: number): number => {
    if (rows === undefined) return i;
    const r = rows[i];
    if (!Number.isInteger(r) || r < 0 || r >= n) throw new RangeError(`${owner}: rows[${i}] must be a row index from 0 to ${n - 1}, got ${describe(r)}`);
    return r;
  };
  const mean = new Float64Array(features);
  for (let i = 0; i < count; i++) {
    const base = rowAt(i) * features;
    for (let j = 0; j < features; j++) mean[j] += X[base + j];
  }
  for (let j = 0; j < features; j++) mean[j] /= count;
  const scale = new Float64Array(features);
  for (let i = 0; i < count; i++) {
    const base = rowAt(i) * features;
    for (let j = 0; j < features; j++) scale[j] += (X[base + j] - mean[j]) ** 2;
  }
  for (let j = 0; j < features; j++) {
    const std = Math.sqrt(scale[j] / count);
    scale[j] = std > 0 ? std : 1;
  }
  return new Standardizer(features, mean, scale);
}

function checkMatrix(owner: string, X: unknown, features: number): number {
  if (!(X instanceof Float32Array)) throw new TypeError(`${owner}: X must be a Float32Array (rows × features, row-major), got ${describe(X)}`);
  if (X.length % features !== 0) throw new RangeError(`${owner}: X has ${X.length} values, not a whole number of rows of ${features} features`);
  return X.length / features;
}
