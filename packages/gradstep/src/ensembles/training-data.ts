/**
 * The training data of the ensembles, trees and the bias–variance decomposition, and its checks.
 *
 * Features are an array of rows, `X[i]` the features of sample i: `number[][]`, or an array of
 * `Float64Array`/`Float32Array` rows (anything array-like with numbers). Every row has the same
 * length, at least 1. Rows are read, never modified; subsets share the user's row objects.
 */
import { describe } from '../validate.js';

/** Feature matrix: one array-like of numbers per sample (row), all of the same length. */
export type FeatureRows = readonly ArrayLike<number>[];

/**
 * Checks `X` (at least one row, each row an array-like of finite numbers, all of one length ≥ 1)
 * and returns its number of features. Reads every value once: NaN and ±Infinity are rejected
 * because a split on them would be meaningless (scikit-learn's trees route NaN specially since 1.3;
 * we do not).
 *
 * @param expectedFeatures when given, rows must have exactly this many features (prediction)
 */
export function checkFeatureRows(owner: string, name: string, X: unknown, expectedFeatures?: number): number {
  if (!Array.isArray(X)) {
    throw new TypeError(`${owner}: ${name} must be an array of rows (arrays or typed arrays of numbers), got ${describe(X)}`);
  }
  if (X.length === 0) throw new RangeError(`${owner}: ${name} must not be empty, got an empty array`);
  let features = expectedFeatures ?? -1;
  for (let i = 0; i < X.length; i++) {
    const row: unknown = X[i];
    const isArrayLike = Array.isArray(row) || (ArrayBuffer.isView(row) && !(row instanceof DataView));
    if (!isArrayLike) {
      throw new TypeError(`${owner}: ${name}[${i}] must be an array or a typed array of numbers, got ${describe(row)}`);
    }
    const values = row as ArrayLike<unknown>;
    if (features === -1) {
      if (values.length === 0) throw new RangeError(`${owner}: ${name}[0] must have at least one feature, got an empty row`);
      features = values.length;
    } else if (values.length !== features) {
      throw new RangeError(`${owner}: ${name}[${i}] has ${values.length} features, expected ${features} (as ${expectedFeatures === undefined ? `${name}[0]` : 'in training'})`);
    }
    for (let j = 0; j < values.length; j++) {
      const value = values[j];
      if (typeof value !== 'number') {
        throw new TypeError(`${owner}: ${name}[${i}][${j}] must be a number, got ${describe(value)}`);
      }
      if (!Number.isFinite(value)) {
        throw new RangeError(`${owner}: ${name}[${i}][${j}] must be a finite number, got ${describe(value)}`);
      }
    }
  }
  return features;
}

/** Checks that `values` is an array or typed array of exactly `n` elements (one per row of X). */
export function checkSameLength(owner: string, name: string, values: unknown, n: number, xName = 'X'): ArrayLike<unknown> {
  const isArrayLike = Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView));
  if (!isArrayLike) throw new TypeError(`${owner}: ${name} must be an array or a typed array, got ${describe(values)}`);
  const length = (values as ArrayLike<unknown>).length;
  if (length !== n) {
    throw new RangeError(`${owner}: ${name} has length ${length} but ${xName} has ${n} rows; they must match`);
  }
  return values as ArrayLike<unknown>;
}

/** Regression targets: `n` finite numbers, copied into a Float64Array. */
export function checkRegressionTargets(owner: string, name: string, y: unknown, n: number, xName = 'X'): Float64Array {
  const values = checkSameLength(owner, name, y, n, xName);
  const targets = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (typeof value !== 'number') throw new TypeError(`${owner}: ${name}[${i}] must be a number, got ${describe(value)}`);
    if (!Number.isFinite(value)) throw new RangeError(`${owner}: ${name}[${i}] must be a finite number, got ${describe(value)}`);
    targets[i] = value;
  }
  return targets;
}

/**
 * Sample weights: `undefined` gives ones; otherwise `n` finite numbers ≥ 0 with a positive sum,
 * copied into a Float64Array (the caller's array is never modified).
 */
export function checkSampleWeights(owner: string, sampleWeight: unknown, n: number, xName = 'X'): Float64Array {
  if (sampleWeight === undefined) return new Float64Array(n).fill(1);
  const values = checkSameLength(owner, 'sampleWeight', sampleWeight, n, xName);
  const weights = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (typeof value !== 'number') throw new TypeError(`${owner}: sampleWeight[${i}] must be a number, got ${describe(value)}`);
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`${owner}: sampleWeight[${i}] must be a finite number >= 0, got ${describe(value)}`);
    }
    weights[i] = value;
    sum += value;
  }
  if (!(sum > 0)) throw new RangeError(`${owner}: sampleWeight must have a positive sum, got ${sum}`);
  return weights;
}

/** The rows of X at `indices`, in that order; the row objects are shared, not copied. */
export function rowsAt(X: FeatureRows, indices: ArrayLike<number>): ArrayLike<number>[] {
  const rows = new Array<ArrayLike<number>>(indices.length);
  for (let j = 0; j < indices.length; j++) rows[j] = X[indices[j]];
  return rows;
}

/** A function argument: TypeError naming it when it is not a function. */
export function checkFunction<F>(owner: string, name: string, value: unknown): F {
  if (typeof value !== 'function') throw new TypeError(`${owner}: ${name} must be a function, got ${describe(value)}`);
  return value as F;
}

/**
 * What a model's `predict` returned for `rows` rows: an array-like of that length (TypeError or
 * RangeError otherwise), so that a wrong callback fails here rather than as NaN downstream.
 */
export function checkPredictions(owner: string, name: string, predictions: unknown, rows: number): ArrayLike<unknown> {
  const isArrayLike = Array.isArray(predictions) || (ArrayBuffer.isView(predictions) && !(predictions instanceof DataView));
  if (!isArrayLike) throw new TypeError(`${owner}: ${name} must return an array or a typed array, got ${describe(predictions)}`);
  const length = (predictions as ArrayLike<unknown>).length;
  if (length !== rows) throw new RangeError(`${owner}: ${name} returned ${length} predictions for ${rows} rows`);
  return predictions as ArrayLike<unknown>;
}

/** Numeric predictions of a regressor, as a Float64Array (NaN is passed through: the user's model). */
export function numericPredictions(owner: string, name: string, predictions: unknown, rows: number): Float64Array {
  const values = checkPredictions(owner, name, predictions, rows);
  const result = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const value = values[i];
    if (typeof value !== 'number') throw new TypeError(`${owner}: ${name} must return numbers, got ${describe(value)} at index ${i}`);
    result[i] = value;
  }
  return result;
}
