// The CSV and array loaders store X and y as Float32Arrays: numbers past float32's range must be
// refused (not stored as ±Infinity), and misspelt or null options must not fall back to defaults.
import { datasetFromRows, makeMoons, makeNoisyRegression, makeSpirals, parseCsv } from 'gradstep';
import { describe, expect, it } from 'vitest';

/** The error `run` throws (failing the test if it throws nothing). */
function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, but none was thrown');
}

const CSV_KNOWN = 'known: delimiter, header, target, classes';
const ROWS_KNOWN = 'known: target, featureNames, classes';

describe('parseCsv: numbers beyond float32', () => {
  it('refuses a feature or a numeric target outside float32 range, naming line, column and value', () => {
    const feature = thrown(() => parseCsv('a,b,y\n1,2,0\n3,1e39,1\n'));
    expect(feature).toBeInstanceOf(RangeError);
    expect(feature.message).toBe('parseCsv: line 3, column 2 ("b"): "1e39" is outside float32\'s range (±3.4028234663852886e38)');
    const target = thrown(() => parseCsv('1,2,0\n3,4,-3.5e38\n'));
    expect(target).toBeInstanceOf(RangeError);
    expect(target.message).toBe('parseCsv: line 2, column 3: "-3.5e38" is outside float32\'s range (±3.4028234663852886e38)');
    // Halfway between the largest float32 and 2^128 rounds (to even) up to Infinity.
    expect(() => parseCsv('x,y\n3.4028235677973366e38,0')).toThrow(/line 2, column 1 \("x"\): "3\.4028235677973366e38" is outside float32's range/);
  });

  it('accepts values that round to the largest finite float32', () => {
    const data = parseCsv('x,y\n3.4028235e38,-3.4028235677973362e38\n-3.4028235e38,0');
    expect(Array.from(data.X)).toEqual([3.4028234663852886e38, -3.4028234663852886e38]);
    expect(Array.from(data.y)).toEqual([-3.4028234663852886e38, 0]);
  });

  it('leaves class labels alone: they are encoded as indices, not stored as numbers', () => {
    const data = parseCsv('1,1e39\n2,5\n', { classes: true });
    expect(data.classes).toEqual([5, 1e39]);
    expect(Array.from(data.y)).toEqual([1, 0]);
  });
});

describe('parseCsv: options', () => {
  it('throws a TypeError naming an unknown option and listing the known ones', () => {
    const error = thrown(() => parseCsv('1;2;3\n4;5;6', { delimeter: ';' } as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(`parseCsv: unknown option "delimeter" (${CSV_KNOWN})`);
  });

  it('throws the options TypeError for null, not a property-access error', () => {
    const error = thrown(() => parseCsv('1,2\n3,4', null as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('parseCsv: options must be an object, got null');
    expect(parseCsv('1,2\n3,4', undefined).samples).toBe(2);
  });
});

describe('datasetFromRows: numbers beyond float32', () => {
  it('refuses a feature or a numeric target outside float32 range, naming the row, column and value', () => {
    const feature = thrown(() => datasetFromRows([[1, 2, 0], [1e39, 4, 1]]));
    expect(feature).toBeInstanceOf(RangeError);
    expect(feature.message).toBe("datasetFromRows: rows[1][0] must fit in a float32, got 1e+39 (outside float32's range, ±3.4028234663852886e38)");
    const target = thrown(() => datasetFromRows([Float64Array.of(1, 2, -3.5e38)]));
    expect(target).toBeInstanceOf(RangeError);
    expect(target.message).toBe("datasetFromRows: rows[0][2] must fit in a float32, got -3.5e+38 (outside float32's range, ±3.4028234663852886e38)");
    expect(() => datasetFromRows([[5, 0]], { target: 'none' as const, featureNames: ['a', 'b'] })).not.toThrow();
    expect(() => datasetFromRows([[1e39, 0]], { target: 0 })).toThrow(/rows\[0\]\[0\] must fit in a float32, got 1e\+39/);
  });

  it('accepts values that round to the largest finite float32', () => {
    const data = datasetFromRows([[3.4028235e38, -3.4028235677973362e38]]);
    expect(Array.from(data.X)).toEqual([3.4028234663852886e38]);
    expect(Array.from(data.y)).toEqual([-3.4028234663852886e38]);
  });
});

describe('datasetFromRows: options', () => {
  it('throws a TypeError naming an unknown option and listing the known ones', () => {
    const error = thrown(() => datasetFromRows([[1, 2]], { featureName: ['a'] } as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(`datasetFromRows: unknown option "featureName" (${ROWS_KNOWN})`);
  });

  it('throws the options TypeError for null, not a property-access error', () => {
    const error = thrown(() => datasetFromRows([[1, 2]], null as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('datasetFromRows: options must be an object, got null');
  });
});

describe('the dataset generators (already checked; kept so)', () => {
  it('refuse unknown option names and null options', () => {
    const cases: [string, (options: unknown) => unknown, string][] = [
      ['makeMoons', (o) => makeMoons(o as never), 'samples, noise, shuffle, seed'],
      ['makeSpirals', (o) => makeSpirals(o as never), 'samples, classes, turns, noise, shuffle, seed'],
      ['makeNoisyRegression', (o) => makeNoisyRegression(o as never), 'samples, noise, seed'],
    ];
    for (const [owner, make, known] of cases) {
      const typo = thrown(() => make({ sample: 10 }));
      expect(typo).toBeInstanceOf(TypeError);
      expect(typo.message).toBe(`${owner}: unknown option "sample" (known: ${known})`);
      const none = thrown(() => make(null));
      expect(none).toBeInstanceOf(TypeError);
      expect(none.message).toBe(`${owner}: options must be an object, got null`);
    }
  });
});
