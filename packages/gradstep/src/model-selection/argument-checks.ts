/**
 * Argument checks of the model-selection functions. As everywhere in gradstep, an error names the
 * function, the argument and the value: a TypeError for a value of the wrong type, a RangeError for
 * a value out of range or a combination scikit-learn rejects.
 */
import { checkBoolean, checkOptionNames, describe } from '../validate.js';
import type { Seed } from './random.js';

/** Indices are Uint32Array elements, so at most 2^32 − 1 samples. */
export const MAX_SAMPLES = 4294967295;

/**
 * The options object (or `undefined`), with no names outside `known` and no `null` values (TypeError
 * otherwise): only `undefined` selects a default, so that `?? default` is safe on every value.
 */
export function readOptions(owner: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  const given = checkOptionNames(owner, options, known);
  for (const [name, value] of Object.entries(given)) {
    if (value === null) throw new TypeError(`${owner}: ${name} must not be null (leave it undefined for the default), got null`);
  }
  return given;
}

/** An integer from `min` to `max`: TypeError for a non-number, RangeError otherwise. */
export function checkInteger(owner: string, name: string, value: unknown, min: number, max = MAX_SAMPLES): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${owner}: ${name} must be an integer, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === MAX_SAMPLES ? `>= ${min}` : `from ${min} to ${max}`;
    throw new RangeError(`${owner}: ${name} must be an integer ${range}, got ${describe(value)}`);
  }
  return value;
}

/** A number of samples: an integer >= 1 (an empty dataset cannot be split). */
export function checkSampleCount(owner: string, value: unknown, name = 'n'): number {
  return checkInteger(owner, name, value, 1);
}

/** An optional boolean option with its default. */
export function checkFlag(owner: string, name: string, value: unknown, defaultValue: boolean): boolean {
  return value === undefined ? defaultValue : checkBoolean(owner, name, value);
}

/**
 * The number of folds of the K-fold family: an integer >= 2 (scikit-learn's `_BaseKFold`) and at
 * most the number of samples (`_BaseKFold.split`).
 */
export function checkFoldCount(owner: string, k: unknown, n: number): number {
  if (typeof k !== 'number') throw new TypeError(`${owner}: k must be an integer >= 2, got ${describe(k)}`);
  if (!Number.isInteger(k) || k < 2) {
    throw new RangeError(
      `${owner}: k must be an integer >= 2 (k-fold cross-validation needs at least one train/test split), got ${describe(k)}`,
    );
  }
  if (k > n) {
    throw new RangeError(`${owner}: cannot have k=${k} folds, greater than the number of samples n=${n}`);
  }
  return k;
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
