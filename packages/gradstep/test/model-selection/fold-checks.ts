// Assertions shared by the splitter tests.
import { expect } from 'vitest';
import type { Fold } from '../../src/model-selection/folds.js';

/** Train and test are Uint32Arrays of distinct indices below n that do not meet. */
export function expectDisjoint(fold: Fold, n: number): void {
  expect(fold.train).toBeInstanceOf(Uint32Array);
  expect(fold.test).toBeInstanceOf(Uint32Array);
  // One expect per fold, not per index: these run inside property tests over many folds.
  const seen = new Uint8Array(n);
  const problems: string[] = [];
  for (const indices of [fold.train, fold.test]) {
    for (const i of indices) {
      if (i >= n) problems.push(`index ${i} >= n=${n}`);
      else if (seen[i]) problems.push(`index ${i} twice`);
      seen[i] = 1;
    }
  }
  expect(problems).toEqual([]);
}

/** Disjoint, and together every index of 0..n-1. */
export function expectPartition(fold: Fold, n: number): void {
  expectDisjoint(fold, n);
  expect(fold.train.length + fold.test.length).toBe(n);
}

export function expectAscending(indices: Uint32Array): void {
  let ascending = true;
  for (let j = 1; j < indices.length; j++) if (!(indices[j] > indices[j - 1])) ascending = false;
  expect(ascending, `ascending: ${Array.from(indices).join(',')}`).toBe(true);
}

/** Each index 0..n-1 is tested by exactly one fold. */
export function expectEachIndexTestedOnce(folds: Fold[], n: number): void {
  const tested = new Uint32Array(n);
  for (const fold of folds) for (const i of fold.test) tested[i]++;
  expect(tested.every((count) => count === 1)).toBe(true);
}

/** The sizes of k near-equal blocks of n: the first n mod k get one more. */
export function blockSizes(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, f) => Math.floor(n / k) + (f < n % k ? 1 : 0));
}

export const asLists = (folds: Fold[]) => folds.map((f) => [Array.from(f.train), Array.from(f.test)]);
