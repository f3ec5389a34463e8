/** Checks of the folds and callbacks that the cross-validation functions take. */
import type { Fold } from '../model-selection/folds.js';
import { describe } from '../validate.js';

/**
 * `folds`: a non-empty array (or iterable, such as `leaveOneOut(n)`) of `{ train, test }` with
 * non-empty Uint32Array index arrays (what every splitter of gradstep returns) that share no row.
 * TypeError/RangeError naming the fold otherwise. Every fold is checked here, before the caller fits
 * anything.
 *
 * Repeated indices within one side are allowed: a bootstrap sample as the train rows (and its
 * out-of-bag rows as the test rows) is a valid fold. Uint32Array elements are integers >= 0 by
 * construction; the sample count is not known here, so indices past the data are left to the
 * callbacks (`takeRows` rejects them).
 */
export function checkFolds(owner: string, given: unknown): readonly Fold[] {
  const iterable = given !== null && typeof given === 'object' && typeof (given as Iterable<unknown>)[Symbol.iterator] === 'function';
  if (!iterable || ArrayBuffer.isView(given)) {
    throw new TypeError(`${owner}: folds must be an array of { train, test } index arrays (as kFold returns), got ${describe(given)}`);
  }
  const folds = Array.isArray(given) ? given : Array.from(given as Iterable<unknown>);
  if (folds.length === 0) throw new RangeError(`${owner}: folds must not be empty, got an empty array`);
  folds.forEach((fold: unknown, f) => {
    if (fold === null || typeof fold !== 'object') throw new TypeError(`${owner}: folds[${f}] must be an object { train, test }, got ${describe(fold)}`);
    for (const part of ['train', 'test'] as const) {
      const indices = (fold as Record<string, unknown>)[part];
      if (!(indices instanceof Uint32Array)) {
        throw new TypeError(`${owner}: folds[${f}].${part} must be a Uint32Array of sample indices, got ${describe(indices)}`);
      }
      if (indices.length === 0) throw new RangeError(`${owner}: folds[${f}].${part} must not be empty`);
    }
    const shared = sharedRow(fold as Fold);
    // The first rule of evaluation: a test row must take no part in training, or the test score is optimistic.
    if (shared >= 0) throw new RangeError(`${owner}: folds[${f}] uses row ${shared} in both train and test`);
  });
  return folds as readonly Fold[];
}

/** Below this many rows a marker is always small enough. */
const MARKER_MIN = 1 << 16;

/**
 * The first test index (in test order) that is also a train index, or −1: O(train + test). A byte
 * per row up to the largest index marks the train rows; where that range is much larger than the
 * fold (a stray huge index, or a fold over a few rows of a big dataset), a Set, so that the check
 * never allocates more than a small multiple of the fold's size.
 */
function sharedRow({ train, test }: Fold): number {
  let largest = 0;
  for (let j = 0; j < train.length; j++) if (train[j] > largest) largest = train[j];
  for (let j = 0; j < test.length; j++) if (test[j] > largest) largest = test[j];
  if (largest < Math.max(MARKER_MIN, 4 * (train.length + test.length))) {
    const inTrain = new Uint8Array(largest + 1);
    for (let j = 0; j < train.length; j++) inTrain[train[j]] = 1;
    for (let j = 0; j < test.length; j++) if (inTrain[test[j]] === 1) return test[j];
    return -1;
  }
  const inTrain = new Set(train);
  for (let j = 0; j < test.length; j++) if (inTrain.has(test[j])) return test[j];
  return -1;
}

/** A score callback's result: a number (NaN allowed: the user's metric may give it), else TypeError. */
export function checkScore(owner: string, value: unknown, where: string): number {
  if (typeof value !== 'number') throw new TypeError(`${owner}: score must return a number, got ${describe(value)} for ${where}`);
  return value;
}
