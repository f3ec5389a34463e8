// The K-fold family as properties over random sizes, labels, groups and seeds: folds partition the
// samples, every sample is tested once, sizes are scikit-learn's, seeds reproduce and differ.
// (Exact folds against scikit-learn itself: test/sklearn-splits.test.ts.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureWarnings } from '../capture-warnings.js';
import { groupKFold } from '../../src/model-selection/group-k-fold.js';
import { newFoldAssignment } from '../../src/model-selection/folds.js';
import { kFold, repeatedKFold } from '../../src/model-selection/k-fold.js';
import { Random } from '../../src/model-selection/random.js';
import { repeatedStratifiedKFold, stratifiedKFold } from '../../src/model-selection/stratified-k-fold.js';
import { setWarningHandler } from '../../src/model-selection/warnings.js';
import { asLists, blockSizes, expectAscending, expectEachIndexTestedOnce, expectPartition } from './fold-checks.js';

const warnings = captureWarnings(setWarningHandler);

const seedArbitrary = fc.integer({ min: 0, max: 2 ** 32 - 1 });
/** n samples and a fold count k from 2 to min(n, 12). */
const nAndK = fc.integer({ min: 2, max: 150 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 2, max: Math.min(n, 12) })));

/** Labels over a few classes (numbers or strings) and a k that the largest class allows. */
const labelsAndK = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 120 }), fc.boolean(), fc.integer({ min: 2, max: 10 }))
  .filter(([codes, , k]) => {
    const counts = new Map<number, number>();
    for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
    return k <= codes.length && Math.max(...counts.values()) >= k;
  })
  .map(([codes, asStrings, k]) => ({ labels: asStrings ? codes.map((c) => `class ${c}`) : codes, k }));

function classCounts(labels: (number | string)[], indices: Uint32Array): Map<number | string, number> {
  const counts = new Map<number | string, number>();
  for (const i of indices) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return counts;
}

describe('kFold', () => {
  it("partitions the samples into k folds of scikit-learn's sizes, sorted, each sample tested once", () => {
    fc.assert(
      fc.property(nAndK, fc.boolean(), seedArbitrary, ([n, k], shuffle, seed) => {
        const folds = kFold(n, shuffle ? { k, shuffle, seed } : { k });
        expect(folds.length).toBe(k);
        expect(folds.map((f) => f.test.length)).toEqual(blockSizes(n, k));
        for (const fold of folds) {
          expectPartition(fold, n);
          expectAscending(fold.train);
          expectAscending(fold.test);
        }
        expectEachIndexTestedOnce(folds, n);
        if (!shuffle) {
          // Consecutive blocks, in order.
          expect(Array.from(folds.flatMap((f) => Array.from(f.test)))).toEqual(Array.from({ length: n }, (_, i) => i));
        }
      }),
    );
  });

  it('a seed reproduces the folds; other seeds give other folds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 200 }), seedArbitrary, (n, seed) => {
        const a = asLists(kFold(n, { k: 3, shuffle: true, seed }));
        expect(asLists(kFold(n, { k: 3, shuffle: true, seed }))).toEqual(a);
        expect(asLists(kFold(n, { k: 3, shuffle: true, seed: (seed + 1) % 2 ** 32 }))).not.toEqual(a);
      }),
    );
  });

  it('a shared Random advances: two calls differ, and replaying the seed replays both', () => {
    const rng = new Random(11);
    const first = asLists(kFold(30, { shuffle: true, seed: rng }));
    const second = asLists(kFold(30, { shuffle: true, seed: rng }));
    expect(second).not.toEqual(first);
    const replay = new Random(11);
    expect(asLists(kFold(30, { shuffle: true, seed: replay }))).toEqual(first);
    expect(asLists(kFold(30, { shuffle: true, seed: replay }))).toEqual(second);
  });

  it('defaults to k = 5 without shuffling', () => {
    expect(kFold(10).map((f) => Array.from(f.test))).toEqual([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]);
  });

  it('works with more than 255 folds (wider fold numbers)', () => {
    const folds = kFold(1000, { k: 300, shuffle: true, seed: 2 });
    expect(folds.length).toBe(300);
    expectEachIndexTestedOnce(folds, 1000);
    expect(folds.map((f) => f.test.length)).toEqual(blockSizes(1000, 300));
  });
});

describe('repeatedKFold', () => {
  it('gives k·repeats folds; each repetition is a shuffled k-fold, the first one kFold with the same seed', () => {
    fc.assert(
      fc.property(nAndK, fc.integer({ min: 1, max: 4 }), seedArbitrary, ([n, k], repeats, seed) => {
        const folds = repeatedKFold(n, { k, repeats, seed });
        expect(folds.length).toBe(k * repeats);
        for (let r = 0; r < repeats; r++) {
          const repetition = folds.slice(r * k, (r + 1) * k);
          expectEachIndexTestedOnce(repetition, n);
          repetition.forEach((fold) => expectPartition(fold, n));
          expect(repetition.map((f) => f.test.length)).toEqual(blockSizes(n, k));
        }
        expect(asLists(folds.slice(0, k))).toEqual(asLists(kFold(n, { k, shuffle: true, seed })));
        expect(asLists(repeatedKFold(n, { k, repeats, seed }))).toEqual(asLists(folds));
      }),
    );
  });

  it('repetitions differ from one another', () => {
    const folds = repeatedKFold(40, { k: 4, repeats: 3, seed: 1 });
    const repetitions = [0, 1, 2].map((r) => JSON.stringify(asLists(folds.slice(4 * r, 4 * r + 4))));
    expect(new Set(repetitions).size).toBe(3);
  });

  it('defaults to 5 folds and 10 repeats', () => {
    expect(repeatedKFold(10, { seed: 0 }).length).toBe(50);
  });
});

describe('stratifiedKFold', () => {
  it('partitions, tests each sample once, and spreads every class evenly (per-fold counts differ by at most 1)', () => {
    fc.assert(
      fc.property(labelsAndK, fc.boolean(), seedArbitrary, ({ labels, k }, shuffle, seed) => {
        const n = labels.length;
        const folds = stratifiedKFold(labels, shuffle ? { k, shuffle, seed } : { k });
        expect(folds.length).toBe(k);
        folds.forEach((fold) => {
          expectPartition(fold, n);
          expectAscending(fold.test);
          expectAscending(fold.train);
        });
        expectEachIndexTestedOnce(folds, n);
        const sizes = folds.map((f) => f.test.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        for (const label of new Set<number | string>(labels)) {
          const perFold = folds.map((f) => classCounts(labels, f.test).get(label) ?? 0);
          expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
        }
        // Shuffling moves members, never the per-class counts of a fold.
        const unshuffled = stratifiedKFold(labels, { k });
        const countsOf = (fs: typeof folds) => fs.map((f) => [...classCounts(labels, f.test)].sort());
        expect(countsOf(folds)).toEqual(countsOf(unshuffled));
      }),
    );
  });

  it('without shuffling each class is cut into contiguous blocks in data order', () => {
    // Class 0 at 0..5 and class 1 at 6..9, k = 3: allocation [[2,2],[2,1],[2,1]].
    const folds = stratifiedKFold([0, 0, 0, 0, 0, 0, 1, 1, 1, 1], { k: 3 });
    expect(folds.map((f) => Array.from(f.test))).toEqual([[0, 1, 6, 7], [2, 3, 8], [4, 5, 9]]);
  });

  it('a seed reproduces the folds and other seeds give other folds', () => {
    const labels = Array.from({ length: 60 }, (_, i) => (i * 7) % 3);
    const a = asLists(stratifiedKFold(labels, { k: 4, shuffle: true, seed: 5 }));
    expect(asLists(stratifiedKFold(labels, { k: 4, shuffle: true, seed: 5 }))).toEqual(a);
    expect(asLists(stratifiedKFold(labels, { k: 4, shuffle: true, seed: 6 }))).not.toEqual(a);
  });

  it('warns once per call when some class is smaller than k, and not otherwise', () => {
    stratifiedKFold(['b', 'b', 'a', 'a', 'a', 'c', 'c', 'c', 'c', 'c'], { k: 3 });
    expect(warnings).toEqual(['stratifiedKFold: the least populated class in labels has only 2 members, which is less than k=3']);
    stratifiedKFold([0, 0, 0, 1, 1, 1], { k: 3 });
    expect(warnings.length).toBe(1);
    repeatedStratifiedKFold([0, 0, 1, 1, 1, 1], { k: 3, repeats: 5, seed: 0 });
    expect(warnings.length).toBe(2);
    expect(warnings[1]).toMatch(/^repeatedStratifiedKFold: .* only 2 members, which is less than k=3$/);
  });

  it('accepts typed arrays of labels and treats -0 and 0 as one class', () => {
    const fromTyped = asLists(stratifiedKFold(Int32Array.from([1, 1, 0, 0, 1, 0]), { k: 3 }));
    expect(asLists(stratifiedKFold([1, 1, 0, 0, 1, 0], { k: 3 }))).toEqual(fromTyped);
    expect(asLists(stratifiedKFold([1, 1, -0, 0, 1, 0], { k: 3 }))).toEqual(fromTyped);
  });
});

describe('repeatedStratifiedKFold', () => {
  it('gives k·repeats stratified folds; the first repetition is stratifiedKFold with the same seed', () => {
    fc.assert(
      fc.property(labelsAndK, fc.integer({ min: 1, max: 3 }), seedArbitrary, ({ labels, k }, repeats, seed) => {
        const folds = repeatedStratifiedKFold(labels, { k, repeats, seed });
        expect(folds.length).toBe(k * repeats);
        for (let r = 0; r < repeats; r++) expectEachIndexTestedOnce(folds.slice(r * k, (r + 1) * k), labels.length);
        expect(asLists(folds.slice(0, k))).toEqual(asLists(stratifiedKFold(labels, { k, shuffle: true, seed })));
      }),
    );
  });
});

describe('groupKFold', () => {
  const groupsAndK = fc
    .tuple(fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 2, maxLength: 100 }), fc.integer({ min: 2, max: 6 }), fc.boolean())
    .filter(([groups, k]) => new Set(groups).size >= k)
    .map(([groups, k, asStrings]) => ({ groups: asStrings ? groups.map((g) => `g${g}`) : groups, k }));

  it('never puts a group on both sides, tests each sample once, and balances sample counts greedily', () => {
    fc.assert(
      fc.property(groupsAndK, ({ groups, k }) => {
        const n = groups.length;
        const folds = groupKFold(groups, { k });
        expect(folds.length).toBe(k);
        expectEachIndexTestedOnce(folds, n);
        for (const fold of folds) {
          expectPartition(fold, n);
          expectAscending(fold.test);
          const testGroups = new Set(Array.from(fold.test, (i) => groups[i]));
          for (const i of fold.train) expect(testGroups.has(groups[i])).toBe(false);
        }
        // Greedy largest-first into the lightest fold: the heaviest fold exceeds the lightest by at
        // most the largest group.
        const sizes = folds.map((f) => f.test.length);
        const largestGroup = Math.max(...classCounts(groups, Uint32Array.from(groups.keys())).values());
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(largestGroup);
      }),
    );
  });

  it("assigns groups exactly as scikit-learn's loop: largest first (ties: the later group first), each to the first lightest fold", () => {
    // The O(groups · k) loop of GroupKFold._iter_test_indices, against the heap that finds its argmin.
    const reference = (groups: number[], k: number): number[][] => {
      const classes = [...new Set(groups)].sort((a, b) => a - b);
      const counts = classes.map((g) => groups.filter((x) => x === g).length);
      const order = classes.map((_, c) => c).sort((a, b) => counts[b] - counts[a] || b - a);
      const totals = new Array<number>(k).fill(0);
      const foldOfClass = new Array<number>(classes.length);
      for (const c of order) {
        const lightest = totals.indexOf(Math.min(...totals));
        foldOfClass[c] = lightest;
        totals[lightest] += counts[c];
      }
      return Array.from({ length: k }, (_, f) => groups.flatMap((g, i) => (foldOfClass[classes.indexOf(g)] === f ? [i] : [])));
    };
    const manyGroups = fc
      .tuple(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 2, maxLength: 300 }), fc.integer({ min: 2, max: 12 }))
      .filter(([groups, k]) => new Set(groups).size >= k);
    fc.assert(
      fc.property(manyGroups, ([groups, k]) => {
        expect(groupKFold(groups, { k }).map((fold) => Array.from(fold.test))).toEqual(reference(groups, k));
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('with shuffle, balances the number of groups per fold, reproducibly', () => {
    fc.assert(
      fc.property(groupsAndK, seedArbitrary, ({ groups, k }, seed) => {
        const folds = groupKFold(groups, { k, shuffle: true, seed });
        expectEachIndexTestedOnce(folds, groups.length);
        const groupsPerFold = folds.map((f) => new Set(Array.from(f.test, (i) => groups[i])).size);
        expect(groupsPerFold).toEqual(blockSizes(new Set<number | string>(groups).size, k));
        expect(asLists(groupKFold(groups, { k, shuffle: true, seed }))).toEqual(asLists(folds));
      }),
    );
  });
});

describe('fold numbers per sample', () => {
  it('are kept in the smallest unsigned type that holds k folds, and every fold number fits', () => {
    for (const [k, bytes] of [[2, 1], [256, 1], [257, 2], [65536, 2], [65537, 4], [2 ** 32 - 1, 4]]) {
      const foldOf = newFoldAssignment(2, k);
      expect([k, foldOf.BYTES_PER_ELEMENT]).toEqual([k, bytes]);
      foldOf[1] = k - 1;
      expect(foldOf[1]).toBe(k - 1);
    }
  });
});
