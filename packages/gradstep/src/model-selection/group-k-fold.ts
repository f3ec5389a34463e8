/** K-fold cross-validation that keeps groups together: scikit-learn's GroupKFold. */
import { checkOptionNames } from '../validate.js';
import { checkFlag, checkFoldCount, rejectSeedWithoutShuffle } from './argument-checks.js';
import { foldsFromAssignment, newFoldAssignment, type Fold, type FoldAssignment } from './folds.js';
import { kFoldAssignment, type KFoldOptions } from './k-fold.js';
import { encodeLabels, type EncodedLabels, type Labels } from './label-encoding.js';
import { randomFrom, type Seed } from './random.js';

/**
 * K-fold folds in which all samples of a group fall in the same test fold (so no group is both
 * trained and tested on), as scikit-learn's `GroupKFold(n_splits=k, shuffle, random_state)` (1.6+):
 *
 * - without shuffling, groups are taken from the largest to the smallest (equal sizes: the later
 *   one in sorted group order first) and each goes to the fold with the fewest samples so far
 *   (equal: the lowest fold number), which balances the sample counts of the folds;
 * - with `shuffle: true`, the sorted distinct groups are shuffled and cut into k consecutive blocks
 *   of near-equal numbers of groups (not of samples), as scikit-learn does.
 *
 * Train and test indices come in ascending order. Without shuffling the folds are exactly
 * scikit-learn's. O(n + g·log g) for g groups.
 *
 * @param groups the group of each sample: numbers or strings (not both)
 * @throws RangeError if k < 2, k > the number of samples, k > the number of distinct groups, or a
 *   seed is given with `shuffle: false`; TypeError for groups of mixed or other types
 */
export function groupKFold(groups: Labels, options?: KFoldOptions): Fold[] {
  const owner = 'groupKFold';
  const given = checkOptionNames(owner, options, ['k', 'shuffle', 'seed']);
  const encoded = encodeLabels(owner, 'groups', groups, { order: 'sorted' });
  const n = encoded.codes.length;
  const k = checkFoldCount(owner, given.k ?? 5, n);
  const shuffle = checkFlag(owner, 'shuffle', given.shuffle, false);
  const seed = given.seed as Seed | undefined;
  rejectSeedWithoutShuffle(owner, shuffle, seed);
  const groupCount = encoded.counts.length;
  if (k > groupCount) {
    throw new RangeError(`${owner}: cannot have k=${k} folds, greater than the number of distinct groups (${groupCount})`);
  }
  const foldOfGroup = shuffle
    ? kFoldAssignment(groupCount, k, randomFrom(seed, `${owner}: seed`))
    : balancedGroupAssignment(encoded, k);
  const foldOf = newFoldAssignment(n, k);
  for (let i = 0; i < n; i++) foldOf[i] = foldOfGroup[encoded.codes[i]];
  return foldsFromAssignment(foldOf, k);
}

/**
 * scikit-learn's greedy assignment: `argsort(sizes, kind="stable")[::-1]` (largest first, ties
 * reversed), each group to `argmin` of the fold totals (the first minimum). A binary heap of folds
 * ordered by (total, fold number) finds that fold in O(log k).
 */
function balancedGroupAssignment({ counts }: EncodedLabels, k: number): FoldAssignment {
  const groupCount = counts.length;
  const order = Array.from(counts.keys()).sort((a, b) => counts[b] - counts[a] || b - a);
  const totals = new Float64Array(k);
  const lighter = (a: number, b: number) => totals[a] < totals[b] || (totals[a] === totals[b] && a < b);
  // All totals start at 0, so folds in ascending order already form a valid heap.
  const heap = Array.from({ length: k }, (_, f) => f);
  const foldOfGroup = newFoldAssignment(groupCount, k);
  for (const group of order) {
    const lightest = heap[0];
    foldOfGroup[group] = lightest;
    totals[lightest] += counts[group];
    // The root grew heavier: sift it down.
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < k && lighter(heap[left], heap[smallest])) smallest = left;
      if (right < k && lighter(heap[right], heap[smallest])) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
  }
  return foldOfGroup;
}
