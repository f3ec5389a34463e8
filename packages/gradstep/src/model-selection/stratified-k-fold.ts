/** Stratified K-fold cross-validation: scikit-learn's StratifiedKFold and RepeatedStratifiedKFold. */
import { checkOptionNames, checkSampleCount } from '../validate.js';
import { checkFlag, checkFoldCount, rejectSeedWithoutShuffle } from './argument-checks.js';
import { foldsFromAssignment, newFoldAssignment, type Fold, type FoldAssignment } from './folds.js';
import type { KFoldOptions, RepeatedKFoldOptions } from './k-fold.js';
import { encodeLabels, membersByClass, type EncodedLabels, type Labels } from './label-encoding.js';
import { randomFrom, type Random, type Seed } from './random.js';
import { warn } from './warnings.js';

/**
 * Stratified K-fold folds, as scikit-learn's `StratifiedKFold(n_splits=k, shuffle, random_state)`
 * (its algorithm since 0.22): each test fold holds each class in about the proportion of the whole
 * set, and fold sizes differ by at most one.
 *
 * Classes are numbered by first appearance. Dealing the class-sorted labels round robin into the
 * k folds fixes how many samples of each class every fold gets; then each class's samples, in data
 * order, are given to folds 0, 1, … in contiguous blocks of those sizes (the block order shuffled
 * with `shuffle: true`). Train and test indices come in ascending order. Without shuffling the folds
 * are exactly scikit-learn's; shuffled, the per-class counts of each fold are still scikit-learn's
 * but the members differ (PCG32 instead of MT19937).
 *
 * @param labels the class of each sample: integers or strings (not both). As in scikit-learn,
 *   non-integer numbers are a continuous target and are rejected.
 * @throws RangeError if k < 2, k > the number of samples, every class has fewer than k members, or a
 *   seed is given with `shuffle: false`; TypeError for labels of mixed or other types
 *
 * Warns (see `setWarningHandler`) once when some class has fewer than k members, as scikit-learn does.
 */
export function stratifiedKFold(labels: Labels, options?: KFoldOptions): Fold[] {
  const owner = 'stratifiedKFold';
  const given = checkOptionNames(owner, options, ['k', 'shuffle', 'seed']);
  const encoded = encodeLabels(owner, 'labels', labels, { order: 'first-appearance', integersOnly: true });
  const k = checkFoldCount(owner, given.k ?? 5, encoded.codes.length);
  const shuffle = checkFlag(owner, 'shuffle', given.shuffle, false);
  const seed = given.seed as Seed | undefined;
  rejectSeedWithoutShuffle(owner, shuffle, seed);
  checkClassSizes(owner, encoded, k);
  const rng = shuffle ? randomFrom(seed, `${owner}: seed`) : null;
  return foldsFromAssignment(stratifiedAssignment(encoded, k, rng), k);
}

/**
 * {@link stratifiedKFold} repeated with a new shuffle each time, as scikit-learn's
 * `RepeatedStratifiedKFold`: k·repeats folds, repetition by repetition, all shuffles drawn from one
 * generator. Warns at most once per call.
 *
 * @throws as {@link stratifiedKFold}, and RangeError if repeats < 1
 */
export function repeatedStratifiedKFold(labels: Labels, options?: RepeatedKFoldOptions): Fold[] {
  const owner = 'repeatedStratifiedKFold';
  const given = checkOptionNames(owner, options, ['k', 'repeats', 'seed']);
  const encoded = encodeLabels(owner, 'labels', labels, { order: 'first-appearance', integersOnly: true });
  const k = checkFoldCount(owner, given.k ?? 5, encoded.codes.length);
  const repeats = checkSampleCount(owner, 'repeats', given.repeats ?? 10);
  checkClassSizes(owner, encoded, k);
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const folds: Fold[] = [];
  for (let r = 0; r < repeats; r++) folds.push(...foldsFromAssignment(stratifiedAssignment(encoded, k, rng), k));
  return folds;
}

/** scikit-learn raises only if every class is smaller than k, and warns if some class is. */
function checkClassSizes(owner: string, { counts }: EncodedLabels, k: number): void {
  // A loop, not Math.min(...counts): spreading a million classes would overflow the stack.
  let smallest = counts[0];
  let largest = counts[0];
  for (const count of counts) {
    if (count < smallest) smallest = count;
    if (count > largest) largest = count;
  }
  if (largest < k) {
    throw new RangeError(
      `${owner}: k=${k} cannot be greater than the number of members in each class (the largest class has ${largest})`,
    );
  }
  if (smallest < k) {
    warn(`${owner}: the least populated class in labels has only ${smallest} members, which is less than k=${k}`);
  }
}

function stratifiedAssignment(encoded: EncodedLabels, k: number, rng: Random | null): FoldAssignment {
  const n = encoded.codes.length;
  const { members, starts } = membersByClass(encoded);
  const foldOf = newFoldAssignment(n, k);
  // foldsOfClass[j] is the fold of members[j]: one block per class, aligned with `members`.
  const foldsOfClass = new Uint32Array(n);
  for (let c = 0; c < encoded.counts.length; c++) {
    // In the labels sorted by class, class c occupies the positions starts[c] .. starts[c + 1]; the
    // round robin deals position p to fold p mod k, so fold f gets the positions ≡ f (mod k) in there.
    const begin = starts[c];
    const end = starts[c + 1];
    let filled = begin;
    for (let f = 0; f < k; f++) {
      const count = positionsCongruent(end, f, k) - positionsCongruent(begin, f, k);
      foldsOfClass.fill(f, filled, filled + count);
      filled += count;
    }
    if (rng) rng.shuffle(foldsOfClass.subarray(begin, end));
    for (let j = begin; j < end; j++) foldOf[members[j]] = foldsOfClass[j];
  }
  return foldOf;
}

/** How many p in [0, x) have p mod k = f. */
function positionsCongruent(x: number, f: number, k: number): number {
  return x > f ? Math.floor((x - 1 - f) / k) + 1 : 0;
}
