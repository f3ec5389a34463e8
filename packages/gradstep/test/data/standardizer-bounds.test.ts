// Bounds by design: fitStandardizer sizes its mean and scale arrays by `features`. With rows in X that
// is bounded by X.length (whole rows); with an empty X nothing bounds it, so an empty X is refused
// before anything is allocated, instead of allocating `features` doubles and then failing on rows[0].
import { describe, expect, it } from 'vitest';
import { fitStandardizer } from 'gradstep';

describe('fitStandardizer: allocations bounded by the data', () => {
  it('refuses an empty X with a RangeError naming X, whatever features says', () => {
    for (const features of [1, 2 ** 28, 2 ** 33, Number.MAX_SAFE_INTEGER]) {
      expect(() => fitStandardizer(new Float32Array(0), features, [0])).toThrow(RangeError);
      expect(() => fitStandardizer(new Float32Array(0), features, [0])).toThrow(/fitStandardizer: X has no rows/);
      expect(() => fitStandardizer(new Float32Array(0), features)).toThrow(/fitStandardizer: X has no rows/);
    }
  });

  it('features larger than X (not a whole number of rows) is still refused by the shape check', () => {
    expect(() => fitStandardizer(new Float32Array(3), 2 ** 33)).toThrow(/not a whole number of rows/);
  });

  it('a legitimate X still fits', () => {
    const scaler = fitStandardizer(Float32Array.from([1, 2, 3, 4]), 2, [0, 1]);
    expect(Array.from(scaler.mean)).toEqual([2, 3]);
    expect(Array.from(scaler.scale)).toEqual([1, 1]);
  });
});
