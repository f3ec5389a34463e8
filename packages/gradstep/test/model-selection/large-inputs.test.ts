// 10 million samples: kFold and bootstrap run in linear time and memory (typed arrays, no objects per
// sample). Only completion and correctness are asserted; speed is measured by the benchmarks.
import { describe, expect, it } from 'vitest';
import { bootstrap } from '../../src/model-selection/bootstrap.js';
import { kFold } from '../../src/model-selection/k-fold.js';
import { MUTATION_TESTING } from '../helpers.js';

const N = 10_000_000;

describe.skipIf(MUTATION_TESTING)('10 million samples', () => {
  it('kFold without shuffling: consecutive blocks of 2 million', () => {
    const folds = kFold(N);
    expect(folds.map((f) => [f.test.length, f.train.length])).toEqual(Array(5).fill([2_000_000, 8_000_000]));
    const third = folds[2];
    expect([third.test[0], third.test[1_999_999]]).toEqual([4_000_000, 5_999_999]);
    expect([third.train[0], third.train[3_999_999], third.train[4_000_000], third.train[7_999_999]]).toEqual([0, 3_999_999, 6_000_000, 9_999_999]);
  });

  it('kFold shuffled: every sample tested exactly once, trains are complements, both ascending', () => {
    const folds = kFold(N, { k: 3, shuffle: true, seed: 1 });
    expect(folds.map((f) => f.test.length)).toEqual([3_333_334, 3_333_333, 3_333_333]);
    const tested = new Uint8Array(N);
    for (const fold of folds) {
      expect(fold.train.length + fold.test.length).toBe(N);
      for (let j = 0; j < fold.test.length; j++) tested[fold.test[j]]++;
    }
    expect(tested.every((count) => count === 1)).toBe(true);
    const first = folds[0];
    let ascending = true;
    for (let j = 1; j < first.train.length; j++) if (first.train[j] <= first.train[j - 1]) ascending = false;
    expect(ascending).toBe(true);
    // Train of fold 0 is the union of the tests of folds 1 and 2.
    const inTrain = new Uint8Array(N);
    for (let j = 0; j < first.train.length; j++) inTrain[first.train[j]] = 1;
    expect(folds[1].test.every((i) => inTrain[i] === 1) && folds[0].test.every((i) => inTrain[i] === 0)).toBe(true);
  });

  it('bootstrap: 10 million draws, about 1/e of the samples out of bag, none of them drawn', () => {
    const { sample, outOfBag } = bootstrap(N, { seed: 3 });
    expect(sample.length).toBe(N);
    expect(Math.abs(outOfBag.length / N - Math.exp(-1))).toBeLessThan(0.001);
    const drawn = new Uint8Array(N);
    for (let j = 0; j < N; j++) drawn[sample[j]] = 1;
    let distinct = 0;
    for (let i = 0; i < N; i++) distinct += drawn[i];
    expect(distinct + outOfBag.length).toBe(N);
    expect(outOfBag.every((i, j) => drawn[i] === 0 && (j === 0 || i > outOfBag[j - 1]))).toBe(true);
  });
});
