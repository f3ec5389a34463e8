/**
 * Between the models' flat row-major matrices and the arrays of rows that bagging, the trees and
 * biasVariance take (`FeatureRows`).
 */
import { describe } from '../validate.js';

/** The rows of X (rows × features) as `subarray` views: no copy; writing a view writes X. */
export function toRowArrays(X: Float32Array, features: number): Float32Array[] {
  if (!(X instanceof Float32Array)) throw new TypeError(`toRowArrays: X must be a Float32Array, got ${describe(X)}`);
  if (!Number.isInteger(features) || features < 1 || X.length % features !== 0) {
    throw new RangeError(`toRowArrays: X has ${X.length} values, not a whole number of rows of ${describe(features)} features`);
  }
  const rows: Float32Array[] = [];
  for (let i = 0; i < X.length; i += features) rows.push(X.subarray(i, i + features));
  return rows;
}

/**
 * Stacks rows (arrays or typed arrays of numbers, all of one length) into one row-major
 * Float32Array.
 *
 * @throws RangeError for an empty array or a row of another length (naming the row); TypeError for a value that is not a number
 */
export function fromRowArrays(rows: readonly ArrayLike<number>[]): Float32Array {
  const owner = 'fromRowArrays';
  if (!Array.isArray(rows) || rows.length === 0) throw new RangeError(`fromRowArrays: rows must be a non-empty array of rows, got ${describe(rows)}`);
  const features = rows[0].length;
  const X = new Float32Array(rows.length * features);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row === null || typeof row !== 'object' || row.length !== features) {
      throw new RangeError(`${owner}: rows[${i}] has ${describe(row?.length)} values, expected ${features} as rows[0]`);
    }
    if (row instanceof Float32Array || row instanceof Float64Array) X.set(row, i * features);
    else {
      for (let j = 0; j < features; j++) {
        if (typeof row[j] !== 'number') throw new TypeError(`${owner}: rows[${i}][${j}] must be a number, got ${describe(row[j])}`);
        X[i * features + j] = row[j];
      }
    }
  }
  return X;
}
