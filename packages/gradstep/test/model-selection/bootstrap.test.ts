// bootstrap samples and percentile intervals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrap, bootstrapInterval, sortedQuantile } from '../../src/model-selection/bootstrap.js';
import { Random } from '../../src/model-selection/random.js';
import { expectError } from '../expect-error.js';

const mean = (x: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
};

describe('bootstrap', () => {
  it('draws size indices with replacement; outOfBag is exactly the sorted never-drawn indices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n, size, seed) => {
        const { sample, outOfBag } = bootstrap(n, { size, seed });
        expect(sample.length).toBe(size ?? n);
        expect(sample.every((i) => i < n)).toBe(true);
        const drawn = new Set(sample);
        expect(Array.from(outOfBag)).toEqual(Array.from({ length: n }, (_, i) => i).filter((i) => !drawn.has(i)));
        const again = bootstrap(n, { size, seed });
        expect(Array.from(again.sample)).toEqual(Array.from(sample));
      }),
    );
  });

  it('draws Random(seed).integer(n) in turn', () => {
    const rng = new Random(21);
    expect(Array.from(bootstrap(7, { seed: 21 }).sample)).toEqual(Array.from({ length: 7 }, () => rng.integer(7)));
  });

  it('leaves about 1/e of the samples out of bag', () => {
    const { outOfBag } = bootstrap(100_000, { seed: 4 });
    expect(Math.abs(outOfBag.length / 100_000 - Math.exp(-1))).toBeLessThan(0.005);
  });

  it('different seeds give different samples', () => {
    expect(Array.from(bootstrap(50, { seed: 1 }).sample)).not.toEqual(Array.from(bootstrap(50, { seed: 2 }).sample));
  });
});

describe('bootstrapInterval', () => {
  it('is the percentile interval of the replicates, which are the statistic of Random(seed) resamples', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const result = bootstrapInterval(values, mean, { rounds: 200, seed: 7 });
    expect(result.estimate).toBe(3.9);
    // Replay the documented draws: rounds × n integer(n) draws, in order.
    const rng = new Random(7);
    const expected = Array.from({ length: 200 }, () => mean(values.map(() => values[rng.integer(values.length)])));
    expect(Array.from(result.replicates)).toEqual(expected);
    const sorted = Float64Array.from(expected).sort();
    expect(result.lower).toBe(sortedQuantile(sorted, 0.025000000000000022));
    expect(result.upper).toBe(sortedQuantile(sorted, 0.975));
    expect(result.lower).toBeLessThan(result.estimate);
    expect(result.upper).toBeGreaterThan(result.estimate);
  });

  it('covers the true mean of a normal sample at about the nominal rate', () => {
    // 200 datasets of 40 standard normal values (Box–Muller from our generator): the 90% interval of
    // the mean should contain 0 in roughly 90% of them (percentile intervals run a little narrow).
    const rng = new Random(99);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
    let covered = 0;
    for (let d = 0; d < 200; d++) {
      const data = Float64Array.from({ length: 40 }, normal);
      const { lower, upper } = bootstrapInterval(data, mean, { rounds: 300, confidence: 0.9, seed: rng });
      if (lower <= 0 && 0 <= upper) covered++;
    }
    expect(covered / 200).toBeGreaterThan(0.8);
    expect(covered / 200).toBeLessThan(0.97);
  });

  it('the index form resamples indices for statistics of several arrays', () => {
    const predictions = [1, 0, 1, 1, 0, 1, 0, 0];
    const labels = [1, 0, 0, 1, 0, 1, 1, 0];
    const accuracy = (idx: Uint32Array) => mean(Array.from(idx, (i) => (predictions[i] === labels[i] ? 1 : 0)));
    const result = bootstrapInterval(predictions.length, accuracy, { rounds: 100, seed: 3 });
    expect(result.estimate).toBe(0.75);
    expect(result.replicates.length).toBe(100);
    expect(result.lower).toBeLessThanOrEqual(0.75);
    expect(result.upper).toBeGreaterThanOrEqual(0.75);
    const rng = new Random(3);
    const firstIndices = Uint32Array.from({ length: 8 }, () => rng.integer(8));
    expect(result.replicates[0]).toBe(accuracy(firstIndices));
  });

  it('may sort the sample it is given; the data and the estimate are unaffected', () => {
    const values = Float64Array.from([5, 3, 8, 1, 9, 2]);
    const median = (x: Float64Array) => {
      x.sort();
      return (x[2] + x[3]) / 2;
    };
    const result = bootstrapInterval(values, median, { rounds: 50, seed: 0 });
    expect(Array.from(values)).toEqual([5, 3, 8, 1, 9, 2]);
    expect(result.estimate).toBe(4);
  });

  it('draws exactly rounds × n integers from a shared Random, a fresh resample of indices every round', () => {
    // The statistic reads the whole resample (the 4 indices as the digits of a number), so each
    // replicate shows which indices were drawn; and the shared generator must stop right after the
    // 3 × 4 documented draws, so that whatever uses it next continues the sequence.
    const digits = (idx: Uint32Array) => idx.reduce((s, i) => s * 10 + i, 0);
    const rng = new Random(11);
    const result = bootstrapInterval(4, digits, { rounds: 3, seed: rng });
    expect(result.estimate).toBe(123);
    const replay = new Random(11);
    const expected = Array.from({ length: 3 }, () => digits(Uint32Array.from({ length: 4 }, () => replay.integer(4))));
    expect(Array.from(result.replicates)).toEqual(expected);
    expect(rng.getState()).toBe(replay.getState());
  });

  it('resamples the data as given even when the statistic sorts what it gets for the estimate', () => {
    // The statistic returns the first value it is given, then sorts: had the estimate's call sorted
    // the data itself, every resample would read sorted values (no value here is at its sorted place).
    const values = [5, 3, 8, 1, 9, 2];
    const firstThenSort = (x: Float64Array) => {
      const first = x[0];
      x.sort();
      return first;
    };
    const result = bootstrapInterval(values, firstThenSort, { rounds: 20, seed: 2 });
    expect(result.estimate).toBe(5);
    const rng = new Random(2);
    const expected = Array.from({ length: 20 }, () => values.map(() => values[rng.integer(6)])[0]);
    expect(Array.from(result.replicates)).toEqual(expected);
  });

  it('a NaN replicate makes the bounds NaN, as in NumPy', () => {
    let calls = 0;
    const result = bootstrapInterval([1, 2, 3], () => (++calls === 5 ? NaN : 1), { rounds: 10, seed: 0 });
    expect(result.lower).toBeNaN();
    expect(result.upper).toBeNaN();
  });

  it('checks its arguments', () => {
    expect(() => bootstrapInterval([], mean)).toThrow(new RangeError('bootstrapInterval: values must not be empty, got an empty array'));
    expect(() => bootstrapInterval([1, NaN], mean)).toThrow(/values must be finite numbers, got NaN at index 1/);
    expect(() => bootstrapInterval([1, 2], mean, { confidence: 1 })).toThrow(/confidence must be a number in \(0, 1\), got 1/);
    expect(() => bootstrapInterval([1, 2], mean, { rounds: 0 })).toThrow(/rounds must be an integer >= 1, got 0/);
    expect(() => bootstrapInterval([1, 2], 'mean' as never)).toThrow(TypeError);
    expect(() => bootstrapInterval([1, 2], (() => '1') as never)).toThrow(/statistic must return a number, got "1"/);
    expect(() => bootstrapInterval(0, () => 1)).toThrow(/n must be an integer >= 1, got 0/);
  });

  it('names the argument and the value: a TypeError for a wrong type, a RangeError for a number out of range', () => {
    expectError(() => bootstrapInterval([1, 2], 'mean' as never), TypeError, 'bootstrapInterval: statistic must be a function, got "mean"');
    expectError(() => bootstrapInterval([1, 2], mean, { confidence: 1 }), RangeError, 'bootstrapInterval: confidence must be a number in (0, 1), got 1');
    expectError(() => bootstrapInterval([1, 2], mean, { confidence: 0 }), RangeError, 'bootstrapInterval: confidence must be a number in (0, 1), got 0');
    // A string that compares as if it were in (0, 1) is still a TypeError.
    expectError(() => bootstrapInterval([1, 2], mean, { confidence: '0.9' as never }), TypeError, 'bootstrapInterval: confidence must be a number in (0, 1), got "0.9"');
    expectError(() => bootstrapInterval([1, 2], mean, { seed: 1.5 }), RangeError, 'bootstrapInterval: seed must be an integer from 0 to 4294967295 (2^32 - 1), got 1.5');
  });
});

describe('sortedQuantile', () => {
  it('interpolates as np.quantile: from the lower neighbour below weight 0.5, from the upper one from 0.5 on', () => {
    // Expected values from NumPy 2.4, np.quantile(np.array([0.1, 0.7]), q). The two formulas round
    // differently, so each weight shows which one was used: a + (b − a)·0.3 = 0.28 where
    // b − (b − a)·0.7 = 0.27999999999999997; at 0.5 and 0.7 the upper one gives ...97 and ...99 where
    // the lower one gives 0.4 and 0.52.
    const pair = Float64Array.of(0.1, 0.7);
    expect(sortedQuantile(pair, 0.3)).toBe(0.28);
    expect(sortedQuantile(pair, 0.5)).toBe(0.39999999999999997);
    expect(sortedQuantile(pair, 0.7)).toBe(0.5199999999999999);
    // Next to an infinity the wrong formula gives ∞ − ∞ = NaN where NumPy gives ±∞; at weight 0,
    // NumPy (q = 0.0, a float) computes a + ∞·0 = NaN all the same.
    expect(sortedQuantile(Float64Array.of(1, Infinity), 0.25)).toBe(Infinity);
    expect(sortedQuantile(Float64Array.of(-Infinity, 1), 0.5)).toBe(-Infinity);
    expect(sortedQuantile(Float64Array.of(-Infinity, 1), 0.75)).toBe(-Infinity);
    expect(sortedQuantile(Float64Array.of(1, Infinity), 0)).toBeNaN();
  });

  it('is NaN for no values and when the largest is NaN', () => {
    expect(sortedQuantile(new Float64Array(0), 0.5)).toBeNaN();
    expect(sortedQuantile(Float64Array.of(1, 2, NaN), 0)).toBeNaN();
  });
});
