/** Selecting the rows of datasets by the indices a splitter returned. */
import { checkInteger, checkOptionNames, describe } from '../validate.js';
import type { Fold } from './folds.js';

type TypedArray =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/** A dataset: a plain array (of values, or of rows for a matrix) or a typed array. */
export type Rows = readonly unknown[] | TypedArray;

/** The type `takeRows` returns for `A`: a typed array of the same kind, or a plain array. */
export type TakenRows<A> = A extends Float64Array ? Float64Array
  : A extends Float32Array ? Float32Array
  : A extends Int32Array ? Int32Array
  : A extends Uint32Array ? Uint32Array
  : A extends Int16Array ? Int16Array
  : A extends Uint16Array ? Uint16Array
  : A extends Int8Array ? Int8Array
  : A extends Uint8ClampedArray ? Uint8ClampedArray
  : A extends Uint8Array ? Uint8Array
  : A extends BigInt64Array ? BigInt64Array
  : A extends BigUint64Array ? BigUint64Array
  : A extends readonly (infer T)[] ? T[]
  : never;

// Base constructors, so that a subclass (Node's Buffer) gives its plain typed array.
const TYPED_ARRAY_CONSTRUCTORS = [
  Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array,
  Uint8ClampedArray, Uint8Array, BigInt64Array, BigUint64Array,
] as const;

/** Options of {@link takeRows}: how many elements make a row. */
export interface TakeRowsOptions {
  /**
   * Elements per row, for a flat row-major matrix (a `Float32Array` of n·d values has rowLength d):
   * row i is elements i·d … i·d + d − 1. Default 1.
   */
  rowLength?: number;
}

/**
 * The rows of `rows` at `indices`, in that order, in a new array: a typed array of the same kind
 * for a typed array, a plain array for a plain array. Rows of an array of rows (objects, arrays) are
 * shared, not copied. `rows` is not modified.
 *
 * @param indices row indices (a splitter's Uint32Array, or integers), each below the number of rows
 * @throws RangeError for an index out of range or a length that is not a multiple of rowLength;
 *   TypeError for arguments of the wrong type
 */
export function takeRows<A extends Rows>(rows: A, indices: ArrayLike<number>, options?: TakeRowsOptions): TakenRows<A> {
  const owner = 'takeRows';
  const given = checkOptionNames(owner, options, ['rowLength']);
  const rowLength = checkInteger(owner, 'rowLength', given.rowLength ?? 1, 1);
  const rowCount = countRows(owner, 'rows', rows, rowLength);
  checkIndices(owner, indices, rowCount);
  return gather(rows, indices, rowLength) as TakenRows<A>;
}

/** The result of `splitArrays`: for each array, its train rows then its test rows. */
export type SplitArrays<T extends readonly Rows[]> = T extends readonly [infer Head, ...infer Rest extends readonly Rows[]]
  ? [TakenRows<Head>, TakenRows<Head>, ...SplitArrays<Rest>]
  : TakenRows<T[number]>[];

/**
 * Splits each of `arrays` (one row per sample, all of the same length) by a fold, in scikit-learn's
 * `train_test_split` order: `[aTrain, aTest, bTrain, bTest, …]`, e.g.
 * `const [xTrain, xTest, yTrain, yTest] = splitArrays(trainTestSplit(n), x, y)`. Rows are taken as
 * by {@link takeRows} (rowLength 1: for a flat matrix, call `takeRows` with its rowLength).
 *
 * @throws RangeError if the arrays have different lengths (as scikit-learn's "inconsistent numbers
 *   of samples") or an index is out of range
 */
export function splitArrays<T extends Rows[]>(split: Fold, ...arrays: T): SplitArrays<T> {
  const owner = 'splitArrays';
  if (split === null || typeof split !== 'object' || !(split.train instanceof Uint32Array) || !(split.test instanceof Uint32Array)) {
    throw new TypeError(`${owner}: split must be a { train, test } pair of Uint32Arrays, got ${describe(split)}`);
  }
  if (arrays.length === 0) throw new TypeError(`${owner}: at least one array is required`);
  const lengths = arrays.map((array, a) => countRows(owner, `arrays[${a}]`, array, 1));
  if (lengths.some((length) => length !== lengths[0])) {
    throw new RangeError(`${owner}: the arrays have inconsistent numbers of rows: [${lengths.join(', ')}]`);
  }
  checkIndices(`${owner} (train)`, split.train, lengths[0]);
  checkIndices(`${owner} (test)`, split.test, lengths[0]);
  return arrays.flatMap((array) => [gather(array, split.train, 1), gather(array, split.test, 1)]) as SplitArrays<T>;
}

function countRows(owner: string, name: string, rows: unknown, rowLength: number): number {
  const isTyped = ArrayBuffer.isView(rows) && !(rows instanceof DataView);
  if (!Array.isArray(rows) && !isTyped) {
    throw new TypeError(`${owner}: ${name} must be an array or a typed array, got ${describe(rows)}`);
  }
  const length = (rows as ArrayLike<unknown>).length;
  if (length % rowLength !== 0) {
    throw new RangeError(`${owner}: ${name} has ${length} elements, not a multiple of rowLength ${rowLength}`);
  }
  return length / rowLength;
}

function checkIndices(owner: string, indices: unknown, rowCount: number): void {
  const isTyped = ArrayBuffer.isView(indices) && !(indices instanceof DataView);
  if (!Array.isArray(indices) && !isTyped) {
    throw new TypeError(`${owner}: indices must be an array or a Uint32Array, got ${describe(indices)}`);
  }
  const list = indices as ArrayLike<unknown>;
  for (let j = 0; j < list.length; j++) {
    const index = list[j];
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= rowCount) {
      throw new RangeError(`${owner}: index ${describe(index)} at position ${j} is out of range for ${rowCount} rows`);
    }
  }
}

function gather(rows: Rows, indices: ArrayLike<number>, rowLength: number): Rows {
  const count = indices.length;
  if (Array.isArray(rows)) {
    const out = new Array<unknown>(count * rowLength);
    for (let j = 0; j < count; j++) {
      for (let e = 0; e < rowLength; e++) out[j * rowLength + e] = rows[indices[j] * rowLength + e];
    }
    return out;
  }
  const typed = rows as TypedArray;
  const Constructor = TYPED_ARRAY_CONSTRUCTORS.find((C) => typed instanceof C)!;
  const out = new Constructor(count * rowLength);
  if (rowLength === 1) {
    // Element by element works for every kind, bigint ones included.
    const source = typed as unknown as { [i: number]: number };
    const target = out as unknown as { [i: number]: number };
    for (let j = 0; j < count; j++) target[j] = source[indices[j]];
  } else {
    for (let j = 0; j < count; j++) {
      const start = indices[j] * rowLength;
      (out as Float64Array).set((typed as Float64Array).subarray(start, start + rowLength), j * rowLength);
    }
  }
  return out;
}
