/**
 * The argument checks only the model-selection functions need, built on the shared ones
 * (../validate.ts: option objects, integers, sample counts). As everywhere in gradstep, an error names
 * the function, the argument and the value: a TypeError for a value of the wrong type, a RangeError
 * for a value out of range or a combination scikit-learn rejects.
 */
import { checkBoolean, checkInteger, describe } from '../validate.js';
import type { Seed } from './random.js';

/** An optional boolean option with its default. */
export function checkFlag(owner: string, name: string, value: unknown, defaultValue: boolean): boolean {
  return value === undefined ? defaultValue : checkBoolean(owner, name, value);
}

/**
 * The number of folds of the K-fold family: an integer >= 2 (scikit-learn's `_BaseKFold`) and at
 * most the number of samples (`_BaseKFold.split`).
 */
export function checkFoldCount(owner: string, k: unknown, n: number): number {
  const folds = checkInteger(owner, 'k', k, 2, undefined, 'k-fold cross-validation needs at least one train/test split');
  if (folds > n) {
    throw new RangeError(`${owner}: cannot have k=${folds} folds, greater than the number of samples n=${n}`);
  }
  return folds;
}

/**
 * scikit-learn's K-fold splitters raise when a random_state is given without shuffling ("Setting a
 * random_state has no effect since shuffle is False"): the seed would silently do nothing.
 */
export function rejectSeedWithoutShuffle(owner: string, shuffle: boolean, seed: Seed | undefined): void {
  if (!shuffle && seed !== undefined) {
    throw new RangeError(
      `${owner}: seed has no effect since shuffle is false; leave seed undefined or set shuffle: true (got seed ${describe(seed)})`,
    );
  }
}
