/** Checks of the folds and callbacks that the cross-validation functions take. */
import type { Fold } from '../model-selection/folds.js';
import { describe } from '../validate.js';

/**
 * `folds`: a non-empty array (or iterable, such as `leaveOneOut(n)`) of `{ train, test }` with
 * non-empty Uint32Array index arrays (what every splitter of gradstep returns). TypeError/RangeError
 * naming the fold otherwise.
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
  });
  return folds as readonly Fold[];
}

/** A score callback's result: a number (NaN allowed: the user's metric may give it), else TypeError. */
export function checkScore(owner: string, value: unknown, where: string): number {
  if (typeof value !== 'number') throw new TypeError(`${owner}: score must return a number, got ${describe(value)} for ${where}`);
  return value;
}
