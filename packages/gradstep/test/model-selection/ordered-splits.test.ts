// timeSeriesSplit, leaveOneOut and leavePOut as properties over random arguments.
// (Exact splits against scikit-learn itself: test/sklearn-splits.test.ts.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leaveOneOut, leavePOut } from '../../src/model-selection/leave-out.js';
import { timeSeriesSplit } from '../../src/model-selection/time-series-split.js';
import { expectError } from '../expect-error.js';
import { expectDisjoint, expectPartition } from './fold-checks.js';

const range = (start: number, stop: number) => Array.from({ length: stop - start }, (_, i) => start + i);

describe('timeSeriesSplit', () => {
  it('test blocks end at the last sample; each train set precedes its test set by gap samples', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 0, max: 5 }),
        fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
        (n, k, gap, testSizeOption, maxTrainSize) => {
          const options = { k, gap, testSize: testSizeOption, maxTrainSize };
          const testSize = testSizeOption ?? Math.floor(n / (k + 1));
          if (k + 1 > n || n - gap - testSize * k <= 0) {
            expect(() => timeSeriesSplit(n, options)).toThrow(RangeError);
            return;
          }
          const folds = timeSeriesSplit(n, options);
          expect(folds.length).toBe(k);
          folds.forEach((fold, i) => {
            const testStart = n - (k - i) * testSize;
            expect(Array.from(fold.test)).toEqual(range(testStart, testStart + testSize));
            const trainEnd = testStart - gap;
            const trainStart = maxTrainSize !== undefined && maxTrainSize < trainEnd ? trainEnd - maxTrainSize : 0;
            expect(Array.from(fold.train)).toEqual(range(trainStart, trainEnd));
            expect(fold.train.length).toBeGreaterThan(0);
            expectDisjoint(fold, n);
          });
        },
      ),
    );
  });

  it('with default sizes the leftover samples go to the first train set', () => {
    // n = 23, k = 5: test blocks of 3, and 23 mod 6 = 5 leftover samples.
    const folds = timeSeriesSplit(23);
    expect(folds.map((f) => f.train.length)).toEqual([8, 11, 14, 17, 20]);
    expect(folds.map((f) => f.test[0])).toEqual([8, 11, 14, 17, 20]);
  });
});

describe('leaveOneOut', () => {
  it('tests each sample alone, in order, and trains on all others', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), (n) => {
        const folds = Array.from(leaveOneOut(n));
        expect(folds.length).toBe(n);
        folds.forEach((fold, i) => {
          expect(Array.from(fold.test)).toEqual([i]);
          expectPartition(fold, n);
        });
      }),
    );
  });

  it('is lazy, checks its argument at the call, and gives fresh arrays per fold', () => {
    expect(() => leaveOneOut(1)).toThrow(new RangeError('leaveOneOut: cannot leave one out of n=1 sample; n must be at least 2'));
    const iterator = leaveOneOut(1_000_000);
    const first = iterator.next().value!;
    const second = iterator.next().value!;
    expect(first.test[0]).toBe(0);
    expect(second.test[0]).toBe(1);
    expect(first.train).not.toBe(second.train);
    expect(first.train[0]).toBe(1);
  });
});

describe('leavePOut', () => {
  const binomial = (n: number, p: number) => {
    let c = 1;
    for (let j = 0; j < p; j++) c = (c * (n - j)) / (j + 1);
    return Math.round(c);
  };

  it('gives all C(n, p) test sets in lexicographic order, each a partition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: Math.min(n - 1, 4) }))), ([n, p]) => {
        const folds = Array.from(leavePOut(n, p));
        expect(folds.length).toBe(binomial(n, p));
        const keys = folds.map((f) => Array.from(f.test).map((i) => String(i).padStart(3, '0')).join());
        expect([...keys].sort()).toEqual(keys);
        expect(new Set(keys).size).toBe(keys.length);
        for (const fold of folds) {
          expect(fold.test.length).toBe(p);
          expectPartition(fold, n);
        }
      }),
    );
  });

  it('is lazy: the first splits of C(60, 5) = 5,461,512 come at once', () => {
    const iterator = leavePOut(60, 5);
    expect(Array.from(iterator.next().value!.test)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(iterator.next().value!.test)).toEqual([0, 1, 2, 3, 5]);
  });

  it('rejects p >= n and non-integer p', () => {
    expect(() => leavePOut(2, 2)).toThrow(new RangeError('leavePOut: p=2 must be strictly less than the number of samples n=2'));
    expectError(() => leavePOut(5, 0), RangeError, 'leavePOut: p must be an integer >= 1, got 0');
    expectError(() => leavePOut(5, 1.5), RangeError, 'leavePOut: p must be an integer >= 1, got 1.5');
  });
});
