// Bad input everywhere gives a TypeError or RangeError naming the function, the argument and the
// value; nothing the user passes in is modified.
import { describe, expect, it } from 'vitest';
import { batches } from '../../src/model-selection/batches.js';
import { bootstrap, bootstrapInterval } from '../../src/model-selection/bootstrap.js';
import { groupKFold } from '../../src/model-selection/group-k-fold.js';
import { kFold, repeatedKFold } from '../../src/model-selection/k-fold.js';
import { leaveOneOut, leavePOut } from '../../src/model-selection/leave-out.js';
import { Random } from '../../src/model-selection/random.js';
import { shuffleSplit, stratifiedShuffleSplit } from '../../src/model-selection/shuffle-split.js';
import { repeatedStratifiedKFold, stratifiedKFold } from '../../src/model-selection/stratified-k-fold.js';
import { splitArrays, takeRows } from '../../src/model-selection/take-rows.js';
import { timeSeriesSplit } from '../../src/model-selection/time-series-split.js';
import { trainTestSplit } from '../../src/model-selection/train-test-split.js';
import { setWarningHandler } from '../../src/model-selection/warnings.js';
import { expectError } from '../expect-error.js';

describe('sample counts', () => {
  const byN: [string, (n: number) => unknown][] = [
    ['kFold', (n) => kFold(n)],
    ['repeatedKFold', (n) => repeatedKFold(n)],
    ['shuffleSplit', (n) => shuffleSplit(n)],
    ['timeSeriesSplit', (n) => timeSeriesSplit(n)],
    ['trainTestSplit', (n) => trainTestSplit(n)],
    ['leaveOneOut', (n) => leaveOneOut(n)],
    ['leavePOut', (n) => leavePOut(n, 1)],
    ['batches', (n) => batches(n, { batchSize: 1 })],
    ['bootstrap', (n) => bootstrap(n)],
  ];
  it.each(byN)('%s rejects an empty dataset, fractional, negative, NaN and non-number n', (name, call) => {
    expectError(() => call(0), RangeError, `${name}: n must be an integer >= 1, got 0`);
    expectError(() => call(-3), RangeError, `${name}: n must be an integer >= 1, got -3`);
    expectError(() => call(2.5), RangeError, `${name}: n must be an integer >= 1, got 2.5`);
    expectError(() => call(NaN), RangeError, `${name}: n must be an integer >= 1, got NaN`);
    expectError(() => call(Infinity), RangeError, `${name}: n must be an integer >= 1, got Infinity`);
    expectError(() => call('10' as never), TypeError, `${name}: n must be an integer >= 1, got "10"`);
  });
});

describe('fold counts and options', () => {
  it('k must be an integer from 2 to n', () => {
    expectError(() => kFold(10, { k: 1 }), RangeError, 'kFold: k must be an integer >= 2 (k-fold cross-validation needs at least one train/test split), got 1');
    expectError(() => kFold(10, { k: 2.5 }), RangeError, /got 2\.5$/);
    expectError(() => kFold(10, { k: NaN }), RangeError, /got NaN$/);
    expectError(() => kFold(10, { k: '3' as never }), TypeError, 'kFold: k must be an integer >= 2, got "3"');
    expectError(() => kFold(3, { k: 4 }), RangeError, 'kFold: cannot have k=4 folds, greater than the number of samples n=3');
    expectError(() => stratifiedKFold([0, 1, 0], { k: 4 }), RangeError, /k=4 folds, greater than the number of samples n=3/);
    expectError(() => groupKFold([0, 1, 2], { k: 0 }), RangeError, /got 0$/);
    expectError(() => timeSeriesSplit(10, { k: 1 }), RangeError, 'timeSeriesSplit: k must be an integer >= 2 (at least one train/test split), got 1');
    // The default k = 5 needs k + 1 = 6 samples, as scikit-learn's TimeSeriesSplit.
    expectError(() => timeSeriesSplit(5), RangeError, 'timeSeriesSplit: cannot have k + 1 = 6 folds, greater than the number of samples n=5');
    expectError(() => timeSeriesSplit(10, { k: null as never }), TypeError, 'timeSeriesSplit: k must not be null (leave it undefined for the default), got null');
    expectError(() => trainTestSplit(10, { stratify: null as never }), TypeError, /stratify must not be null/);
    expectError(() => trainTestSplit(4, { stratify: 'abab' as never }), TypeError, 'trainTestSplit: stratify must be an array or a typed array, got "abab"');
  });

  it('unknown options and non-object options are TypeErrors', () => {
    expectError(() => kFold(10, { folds: 3 } as never), TypeError, /^kFold: unknown option "folds"/);
    expectError(() => trainTestSplit(10, { test_size: 0.2 } as never), TypeError, /unknown option "test_size"/);
    expectError(() => stratifiedShuffleSplit([0, 0, 1, 1], { n_splits: 2 } as never), TypeError, /unknown option "n_splits"/);
    expectError(() => bootstrap(10, 5 as never), TypeError, 'bootstrap: options must be an object, got 5');
  });

  it('shuffle must be a boolean; a seed without shuffle is refused as scikit-learn does', () => {
    expectError(() => kFold(10, { shuffle: 1 as never }), TypeError, 'kFold: shuffle must be true or false, got 1');
    expectError(() => groupKFold([1, 2, 3], { k: 2, shuffle: 'yes' as never }), TypeError, 'groupKFold: shuffle must be true or false, got "yes"');
    expectError(() => stratifiedKFold([0, 1, 0, 1], { k: 2, shuffle: 0 as never }), TypeError, 'stratifiedKFold: shuffle must be true or false, got 0');
    expectError(() => kFold(10, { seed: 3 }), RangeError, /^kFold: seed has no effect since shuffle is false/);
    expectError(() => groupKFold([1, 2, 3], { k: 2, seed: new Random(0) }), RangeError, /seed has no effect/);
    expectError(() => kFold(10, { shuffle: true, seed: 2 ** 32 }), RangeError, 'kFold: seed must be an integer from 0 to 4294967295 (2^32 - 1), got 4294967296');
    expectError(() => trainTestSplit(10, { shuffle: false, seed: -1 }), RangeError, /^trainTestSplit: seed must be/);
    expectError(() => trainTestSplit(10, { shuffle: 'yes' as never }), TypeError, 'trainTestSplit: shuffle must be true or false, got "yes"');
    // The shuffled paths name the seed as well, with and without stratify.
    expectError(() => trainTestSplit(10, { seed: 0.5 }), RangeError, 'trainTestSplit: seed must be an integer from 0 to 4294967295 (2^32 - 1), got 0.5');
    expectError(() => trainTestSplit(4, { testSize: 2, stratify: [0, 0, 1, 1], seed: -1 }), RangeError, 'trainTestSplit: seed must be an integer from 0 to 4294967295 (2^32 - 1), got -1');
  });

  it('every seeded function names its seed in the message', () => {
    const labels = [0, 1, 0, 1, 0, 1, 0, 1];
    const bySeed: [string, (seed: number) => unknown][] = [
      ['kFold', (seed) => kFold(8, { shuffle: true, seed })],
      ['repeatedKFold', (seed) => repeatedKFold(8, { seed })],
      ['stratifiedKFold', (seed) => stratifiedKFold(labels, { k: 2, shuffle: true, seed })],
      ['repeatedStratifiedKFold', (seed) => repeatedStratifiedKFold(labels, { k: 2, seed })],
      ['groupKFold', (seed) => groupKFold(labels.map((_, i) => i), { k: 2, shuffle: true, seed })],
      ['shuffleSplit', (seed) => shuffleSplit(8, { seed })],
      ['stratifiedShuffleSplit', (seed) => stratifiedShuffleSplit(labels, { testSize: 2, seed })],
      ['trainTestSplit', (seed) => trainTestSplit(8, { seed })],
      ['trainTestSplit', (seed) => trainTestSplit(8, { stratify: labels, testSize: 2, seed })],
      ['batches', (seed) => batches(8, { batchSize: 2, seed })],
      ['bootstrap', (seed) => bootstrap(8, { seed })],
      ['bootstrapInterval', (seed) => bootstrapInterval([1, 2, 3], (sample) => sample[0], { seed })],
    ];
    for (const [name, call] of bySeed) {
      expectError(() => call(-1), RangeError, `${name}: seed must be an integer from 0 to 4294967295 (2^32 - 1), got -1`);
      expectError(() => call('1' as never), TypeError, `${name}: seed must be an integer from 0 to 4294967295 (2^32 - 1), got "1"`);
    }
  });

  it('counts of splits and repetitions', () => {
    expectError(() => repeatedKFold(10, { repeats: 0 }), RangeError, 'repeatedKFold: repeats must be an integer >= 1, got 0');
    expectError(() => repeatedStratifiedKFold([0, 1, 0, 1], { k: 2, repeats: 1.5 }), RangeError, /repeats must be an integer >= 1, got 1\.5/);
    expectError(() => shuffleSplit(10, { nSplits: 0 }), RangeError, 'shuffleSplit: nSplits must be an integer >= 1, got 0');
    expectError(() => stratifiedShuffleSplit([0, 0, 1, 1], { nSplits: 0 }), RangeError, 'stratifiedShuffleSplit: nSplits must be an integer >= 1, got 0');
    expectError(() => timeSeriesSplit(10, { gap: -1 }), RangeError, 'timeSeriesSplit: gap must be an integer >= 0, got -1');
    expectError(() => timeSeriesSplit(10, { testSize: 0 }), RangeError, /testSize must be an integer >= 1, got 0/);
    expectError(() => timeSeriesSplit(10, { maxTrainSize: 2.5 }), RangeError, /maxTrainSize must be an integer >= 1, got 2\.5/);
    expectError(() => bootstrap(10, { size: 0 }), RangeError, 'bootstrap: size must be an integer >= 1, got 0');
  });
});

describe('split sizes', () => {
  it.each([0, 1.5, -0.2, -1, NaN, Infinity])('testSize %s is a RangeError naming it', (testSize) => {
    expectError(() => trainTestSplit(10, { testSize }), RangeError, `trainTestSplit: testSize must be a fraction in (0, 1) or an integer count >= 1, got ${testSize}`);
    expectError(() => shuffleSplit(10, { trainSize: testSize }), RangeError, /^shuffleSplit: trainSize must be a fraction/);
  });

  it('non-numbers, counts >= n, sums above 1 or n, empty train sets', () => {
    expectError(() => trainTestSplit(10, { testSize: '0.2' as never }), TypeError, /testSize must be a fraction .* got "0\.2"/);
    expectError(() => trainTestSplit(10, { testSize: 10 }), RangeError, 'trainTestSplit: testSize=10 must be smaller than the number of samples n=10 (or a fraction in (0, 1))');
    expectError(() => trainTestSplit(10, { trainSize: 11, testSize: 1 }), RangeError, /trainSize=11 must be smaller than the number of samples n=10/);
    expectError(() => trainTestSplit(3, { testSize: 0.6, trainSize: 0.6 }), RangeError, /testSize \+ trainSize = 1\.2 must not exceed 1/);
    expectError(() => trainTestSplit(10, { testSize: 5, trainSize: 6 }), RangeError, 'trainTestSplit: trainSize + testSize = 11 samples, more than the number of samples n=10; reduce testSize and/or trainSize');
    expectError(() => trainTestSplit(3, { testSize: 0.67 }), RangeError, 'trainTestSplit: with n=3, testSize=0.67 and trainSize=undefined the train set would be empty');
    expectError(() => trainTestSplit(1), RangeError, /the train set would be empty/);
  });
});

describe('labels and groups', () => {
  const byLabels: [string, (labels: unknown) => unknown][] = [
    ['stratifiedKFold', (labels) => stratifiedKFold(labels as never, { k: 2 })],
    ['repeatedStratifiedKFold', (labels) => repeatedStratifiedKFold(labels as never, { k: 2 })],
    ['groupKFold', (labels) => groupKFold(labels as never, { k: 2 })],
    ['stratifiedShuffleSplit', (labels) => stratifiedShuffleSplit(labels as never, { testSize: 2 })],
  ];
  it.each(byLabels)('%s: mixed types, other types, NaN, empty and non-arrays', (name, call) => {
    const arg = name === 'groupKFold' ? 'groups' : 'labels';
    expectError(() => call([0, 1, 'a', 1]), TypeError, `${name}: ${arg} mixes numbers and strings (0 at index 0, "a" at index 2)`);
    expectError(() => call(['a', 'b', 3, 'a']), TypeError, /mixes numbers and strings/);
    expectError(() => call([true, false, true, false]), TypeError, `${name}: ${arg} must hold numbers or strings, got true at index 0`);
    expectError(() => call([0, 1, null, 1]), TypeError, /must hold numbers or strings, got null at index 2/);
    expectError(() => call([0, 1, NaN, 1]), RangeError, `${name}: ${arg} must be finite, got NaN at index 2`);
    expectError(() => call([]), RangeError, `${name}: ${arg} must not be empty, got an empty array`);
    expectError(() => call('abab'), TypeError, `${name}: ${arg} must be an array or a typed array, got "abab"`);
    expectError(() => call(undefined), TypeError, /must be an array or a typed array, got undefined/);
  });

  it('stratifiedKFold rejects continuous targets as scikit-learn does; groups may be any numbers', () => {
    expectError(() => stratifiedKFold([0, 1.5, 0, 1.5], { k: 2 }), RangeError, 'stratifiedKFold: labels must be class labels (integers or strings), got 1.5 at index 1; continuous targets cannot be stratified');
    expectError(() => repeatedStratifiedKFold([0, 1, 0.5, 1, 0], { k: 2 }), RangeError, 'repeatedStratifiedKFold: labels must be class labels (integers or strings), got 0.5 at index 2; continuous targets cannot be stratified');
    expect(groupKFold([0.5, 1.5, 0.5, 2.5], { k: 2 }).length).toBe(2);
  });

  it('stratified class-size rules', () => {
    expectError(() => stratifiedKFold([3, 3, -1, -1, 2], { k: 3 }), RangeError, 'stratifiedKFold: k=3 cannot be greater than the number of members in each class (the largest class has 2)');
    expectError(
      () => stratifiedShuffleSplit(['a', 'a', 'b', 'c', 'c'], { testSize: 0.4 }),
      RangeError,
      'stratifiedShuffleSplit: the least populated classes in labels have only 1 member, which is too few: every class needs at least 2. Classes with 1 member: ["b"]',
    );
    // The classes with one member in sorted order (as np.unique gives them), the first ten shown.
    expectError(() => stratifiedShuffleSplit([3, 3, 2, 1, 3], { testSize: 2 }), RangeError, /Classes with 1 member: \[1, 2\]$/);
    const singles = (count: number) => [...Array.from({ length: count }, (_, i) => count - i), 0, 0];
    expectError(() => stratifiedShuffleSplit(singles(10), { testSize: 2 }), RangeError, /Classes with 1 member: \[1, 2, 3, 4, 5, 6, 7, 8, 9, 10\]$/);
    expectError(() => stratifiedShuffleSplit(singles(12), { testSize: 2 }), RangeError, /Classes with 1 member: \[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …\]$/);
    expectError(() => stratifiedShuffleSplit([0, 0, 1, 1, 2, 2, 3, 3], { testSize: 3 }), RangeError, 'stratifiedShuffleSplit: testSize = 3 samples must be at least the number of classes (4)');
    expectError(() => groupKFold([0, 0, 0], { k: 2 }), RangeError, 'groupKFold: cannot have k=2 folds, greater than the number of distinct groups (1)');
  });
});

describe('nothing passed in is modified', () => {
  it('frozen inputs go through every function (a write would throw in strict mode) and stay equal', () => {
    const previous = setWarningHandler(() => {});
    try {
      const labels = Object.freeze([1, 0, 1, 0, 1, 0, 1, 2, 2, 2]);
      const stringLabels = Object.freeze(['b', 'a', 'b', 'a', 'b', 'a', 'b', 'c', 'c', 'c']);
      const typedLabels = Int32Array.from(labels);
      const x = Object.freeze(labels.map((v, i) => Object.freeze([v, i])));
      const y = Float64Array.from(labels);
      const options = Object.freeze({ k: 3, shuffle: true, seed: 1 });
      stratifiedKFold(labels as number[], options);
      stratifiedKFold(stringLabels as string[], options);
      stratifiedKFold(typedLabels, options);
      groupKFold(stringLabels as string[], options);
      repeatedStratifiedKFold(labels as number[], Object.freeze({ k: 3, repeats: 2, seed: 1 }));
      stratifiedShuffleSplit(stringLabels as string[], Object.freeze({ testSize: 3, seed: 2 }));
      const split = trainTestSplit(10, Object.freeze({ testSize: 3, stratify: labels as number[], seed: 4 }));
      splitArrays(split, x, y);
      takeRows(x, split.test);
      bootstrapInterval(y, (s) => s.sort()[0], { rounds: 5, seed: 1 });
      expect(Array.from(typedLabels)).toEqual([...labels]);
      expect(Array.from(y)).toEqual([...labels]);
      expect(options).toEqual({ k: 3, shuffle: true, seed: 1 });
    } finally {
      setWarningHandler(previous);
    }
  });
});
