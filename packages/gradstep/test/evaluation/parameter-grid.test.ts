// parameterGrid and parameterSampler: order, key order, validation, sizes, the sampler's without-replacement
// rule and reproducibility, and the distributions (ranges, uniformity, exclusive high). scikit-learn's own
// orders are checked in sklearn-search.test.ts.
import { describe, expect, it } from 'vitest';
import { captureWarnings } from '../capture-warnings.js';
import {
  boundedInteger,
  integers,
  logUniform,
  MAX_GRID_CANDIDATES,
  parameterGrid,
  parameterGridSize,
  parameterSampler,
  uniform,
  type Distribution,
} from '../../src/evaluation/parameter-grid.js';
import { Random } from '../../src/model-selection/random.js';
import { setWarningHandler } from '../../src/model-selection/warnings.js';
import { expectError } from '../expect-error.js';

const warnings = captureWarnings(setWarningHandler);

describe('parameterGrid', () => {
  it('sorts the keys and varies the last one fastest (itertools.product)', () => {
    const grid = parameterGrid({ b: [true, false], a: [1, 2] });
    expect(grid).toEqual([
      { a: 1, b: true },
      { a: 1, b: false },
      { a: 2, b: true },
      { a: 2, b: false },
    ]);
    expect(grid.map((p) => Object.keys(p))).toEqual([['a', 'b'], ['a', 'b'], ['a', 'b'], ['a', 'b']]);
  });

  it('expands a list of dicts one after another, {} as one empty candidate and [] as none', () => {
    expect(parameterGrid([{ kernel: ['linear'] }, { kernel: ['rbf'], gamma: [1, 10] }])).toEqual([
      { kernel: 'linear' },
      { gamma: 1, kernel: 'rbf' },
      { gamma: 10, kernel: 'rbf' },
    ]);
    expect(parameterGrid({})).toEqual([{}]);
    expect(parameterGrid([])).toEqual([]);
    expect(parameterGrid([{}, { a: [1] }, {}])).toEqual([{}, { a: 1 }, {}]);
  });

  it("sorts by code point as Python's sorted (not by UTF-16 unit)", () => {
    // U+FF21 (fullwidth A) < U+1F600 (an emoji, surrogates D83D DE00 in UTF-16, which sort before FF21).
    const keys = Object.keys(parameterGrid({ '\u{1F600}': [1], '\uFF21': [2], b: [3], B: [4], _: [5] })[0]);
    expect(keys).toEqual(['B', '_', 'b', '\uFF21', '\u{1F600}']);
  });

  it('keeps values as given (objects by reference), reads typed arrays as numbers', () => {
    const layers = [16, 8];
    const [first] = parameterGrid({ layers: [layers], lr: new Float64Array([0.5, 0.25]) });
    expect(first.layers).toBe(layers);
    expect(parameterGrid({ lr: new Float64Array([0.5, 0.25]) })).toEqual([{ lr: 0.5 }, { lr: 0.25 }]);
  });

  it('keeps a parameter named __proto__ as a key', () => {
    const grid = JSON.parse('{"__proto__": [1, 2]}') as Record<string, number[]>;
    const candidates = parameterGrid(grid);
    expect(candidates.map((p) => Object.keys(p))).toEqual([['__proto__'], ['__proto__']]);
    expect(Object.getPrototypeOf(candidates[0])).toBe(Object.prototype);
  });

  it('counts candidates without expanding, and refuses to expand more than 2^24', () => {
    const big = { a: Array.from({ length: 4096 }, (_, i) => i), b: Array.from({ length: 4097 }, (_, i) => i) };
    expect(parameterGridSize(big)).toBe(4096 * 4097);
    expect(parameterGridSize([{}, { a: [1, 2, 3] }])).toBe(4);
    expect(MAX_GRID_CANDIDATES).toBe(2 ** 24);
    expectError(() => parameterGrid(big), RangeError, /parameterGrid: grid has 16781312 candidates, more than 16777216 \(2\^24\); sample from it with parameterSampler/);
  });

  it('rejects what scikit-learn rejects, naming the key', () => {
    expectError(() => parameterGrid({ a: [] }), RangeError, 'parameterGrid: grid.a must be a non-empty array of values, got an empty array');
    expectError(() => parameterGrid({ a: 1 } as never), TypeError, 'parameterGrid: grid.a must be an array of values, got 1 (a single value must be wrapped in an array: [value])');
    expectError(() => parameterGrid({ a: 'abc' } as never), TypeError, /grid\.a must be an array of values, got "abc"/);
    expectError(() => parameterGrid([{ a: [1] }, 5] as never), TypeError, 'parameterGrid: grid[1] must be a plain object of arrays of values, got 5');
    expectError(() => parameterGrid([{ a: [1] }, { b: [] }]), RangeError, /grid\[1\]\.b must be a non-empty array/);
    expectError(() => parameterGrid(5 as never), TypeError, /parameterGrid: grid must be a parameter grid \(an object of arrays of values\) or an array of them, got 5/);
    expectError(() => parameterGrid(new Map() as never), TypeError, /got an object \(Map\)/);
    expectError(() => parameterGrid(null as never), TypeError, /got null/);
  });
});

describe('parameterSampler', () => {
  const grid = { a: [1, 2, 3, 4], b: ['x', 'y', 'z'], c: [true, false] }; // 24 candidates

  it('draws distinct candidates of the grid, keys in reverse sorted order, the same for the same seed', () => {
    const sampled = parameterSampler(grid, { nIter: 10, seed: 3 });
    expect(sampled).toHaveLength(10);
    expect(new Set(sampled.map((p) => JSON.stringify(p))).size).toBe(10);
    const all = parameterGrid(grid).map((p) => JSON.stringify([p.a, p.b, p.c]));
    for (const p of sampled) {
      expect(Object.keys(p)).toEqual(['c', 'b', 'a']);
      expect(all).toContain(JSON.stringify([p.a, p.b, p.c]));
    }
    expect(parameterSampler(grid, { nIter: 10, seed: 3 })).toEqual(sampled);
    expect(parameterSampler(grid, { nIter: 10, seed: 4 })).not.toEqual(sampled);
    expect(warnings).toEqual([]);
  });

  it('advances a Random passed as the seed, and draws a fresh seed without one', () => {
    const random = new Random(5);
    const first = parameterSampler(grid, { nIter: 5, seed: random });
    const second = parameterSampler(grid, { nIter: 5, seed: random });
    expect(second).not.toEqual(first);
    const again = new Random(5);
    expect(parameterSampler(grid, { nIter: 5, seed: again })).toEqual(first);
    expect(parameterSampler(grid, { nIter: 3 })).toHaveLength(3);
  });

  it('clips nIter to the grid size with a warning, giving the grid in grid order', () => {
    const sampled = parameterSampler({ b: [1, 2], a: ['x'] }, { nIter: 5, seed: 0 });
    expect(sampled).toEqual([
      { b: 1, a: 'x' },
      { b: 2, a: 'x' },
    ]);
    expect(warnings).toEqual([
      'parameterSampler: the total space of parameters 2 is smaller than nIter=5. Running 2 iterations. For exhaustive searches, use gridSearch.',
    ]);
    expect(parameterSampler(grid, { nIter: 0, seed: 0 })).toEqual([]);
  });

  it('picks each candidate equally often (nIter 1 over many seeds)', () => {
    const counts = new Map<string, number>();
    const seeds = 4800;
    for (let seed = 0; seed < seeds; seed++) {
      const [p] = parameterSampler(grid, { nIter: 1, seed });
      const key = JSON.stringify(p);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    // 200 expected per candidate; a binomial sd of about 14: 5 sd either way.
    for (const count of counts.values()) expect(Math.abs(count - 200)).toBeLessThan(70);
  });

  it('samples a large grid without expanding it (more candidates than parameterGrid would)', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const huge = Object.fromEntries(Array.from({ length: 7 }, (_, k) => [`p${k}`, values])); // 10^14 candidates
    const sampled = parameterSampler(huge, { nIter: 50, seed: 1 });
    expect(sampled).toHaveLength(50);
    expect(new Set(sampled.map((p) => JSON.stringify(p))).size).toBe(50);
    // Indices past 2^32 are drawn too: some candidate varies its slowest keys.
    expect(sampled.some((p) => p.p0 > 0 && p.p1 > 0)).toBe(true);
    const tooMany = Object.fromEntries(Array.from({ length: 8 }, (_, k) => [`p${k}`, values])); // 10^16 > 2^53
    expectError(() => parameterSampler(tooMany, { nIter: 5 }), RangeError, 'parameterSampler: distributions has more than 2^53 candidates');
  });

  it('uses reservoir sampling for nIter ≥ 0.99 × size: index j stays j unless a later index replaces it', () => {
    const line = { e: Array.from({ length: 200 }, (_, i) => i) };
    const sampled = parameterSampler(line, { nIter: 199, seed: 2 }).map((p) => p.e);
    expect(new Set(sampled).size).toBe(199);
    sampled.forEach((value, j) => expect(value === j || value === 199).toBe(true));
  });

  it('draws with replacement once a distribution is present, keys sorted, dicts picked uniformly', () => {
    const sampled = parameterSampler([{ kind: ['a'], x: uniform(0, 1) }, { kind: ['b'] }], { nIter: 400, seed: 9 });
    expect(sampled).toHaveLength(400);
    const kindA = sampled.filter((p) => p.kind === 'a');
    expect(Math.abs(kindA.length - 200)).toBeLessThan(60);
    for (const p of kindA) expect(Object.keys(p)).toEqual(['kind', 'x']);
    const lists = parameterSampler({ z: [1, 2], y: uniform(0, 1) }, { nIter: 30, seed: 1 });
    expect(lists.map((p) => Object.keys(p))).toEqual(lists.map(() => ['y', 'z']));
    // With replacement: 30 draws from a two-value list repeat.
    expect(new Set(lists.map((p) => p.z)).size).toBe(2);
  });

  it('accepts any object with sample(random), called with the seeded generator', () => {
    const seen: Random[] = [];
    const custom: Distribution<string> = {
      sample(random) {
        seen.push(random);
        return random.integer(2) === 0 ? 'heads' : 'tails';
      },
    };
    const random = new Random(11);
    const sampled = parameterSampler({ coin: custom }, { nIter: 4, seed: random });
    expect(sampled.every((p) => p.coin === 'heads' || p.coin === 'tails')).toBe(true);
    expect(seen).toEqual([random, random, random, random]);
  });

  it('rejects malformed distributions and options', () => {
    expectError(() => parameterSampler({ a: 1 } as never, { nIter: 2 }), TypeError, /distributions\.a must be an array of values or a distribution/);
    expectError(() => parameterSampler({ a: [] }, { nIter: 2 }), RangeError, /distributions\.a must be a non-empty array/);
    expectError(() => parameterSampler({ a: [1] }, { nIter: -1 }), RangeError, /parameterSampler: nIter must be an integer from 0 to 2\^24, got -1/);
    expectError(() => parameterSampler({ a: uniform(0, 1) }, { nIter: 2 ** 24 + 1 }), RangeError, /nIter must be an integer from 0 to 2\^24/);
    expectError(() => parameterSampler({ a: [1] }, { nIter: 1.5 }), RangeError, /nIter/);
    expectError(() => parameterSampler({ a: [1] }, {} as never), TypeError, /nIter must be an integer from 0 to 2\^24, got undefined/);
    expectError(() => parameterSampler({ a: [1] }, { nIter: 1, seed: -1 }), RangeError, /parameterSampler: seed must be an integer from 0/);
    expectError(() => parameterSampler({ a: [1] }, { nIter: 1, seed: {} as never }), TypeError, /seed/);
    expectError(() => parameterSampler({ a: [1] }, { nIter: 1, n: 2 } as never), TypeError, /unknown option "n"/);
  });
});

describe('distributions', () => {
  const draw = (d: Distribution<number>, n: number, seed = 0) => {
    const random = new Random(seed);
    return Array.from({ length: n }, () => d.sample(random));
  };

  it('uniform(low, high) covers [low, high) evenly', () => {
    const d = uniform(-2, 3);
    expect(d).toMatchObject({ kind: 'uniform', low: -2, high: 3 });
    expect(Object.isFrozen(d)).toBe(true);
    const values = draw(d, 5000);
    for (const v of values) expect(v >= -2 && v < 3).toBe(true);
    const meanValue = values.reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(meanValue - 0.5)).toBeLessThan(0.1);
    // uniform draws nextFloat: low + (high − low)·u, u from the same generator.
    const random = new Random(4);
    const reference = new Random(4);
    expect(d.sample(random)).toBe(-2 + 5 * reference.nextFloat());
  });

  it('logUniform(low, high) is uniform in the logarithm', () => {
    const values = draw(logUniform(1e-4, 1), 5000, 1);
    for (const v of values) expect(v >= 1e-4 && v < 1).toBe(true);
    const logs = values.map(Math.log10);
    expect(Math.abs(logs.reduce((s, v) => s + v, 0) / logs.length + 2)).toBeLessThan(0.1);
    expect(logs.filter((v) => v < -3).length / logs.length).toBeCloseTo(0.25, 1);
  });

  it('integers(low, high) excludes high (scipy randint), each value equally often', () => {
    const values = draw(integers(-1, 3), 4000, 2);
    const counts = [-1, 0, 1, 2].map((k) => values.filter((v) => v === k).length);
    expect(counts.reduce((s, v) => s + v, 0)).toBe(4000);
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(150);
    expect(draw(integers(7, 8), 5)).toEqual([7, 7, 7, 7, 7]);
  });

  it('integers over more than 2^32 values stays in range (53-bit rejection)', () => {
    const low = -(2 ** 40);
    const values = draw(integers(low, 2 ** 40), 2000, 3);
    for (const v of values) expect(Number.isSafeInteger(v) && v >= low && v < 2 ** 40).toBe(true);
    expect(values.some((v) => v < 0) && values.some((v) => v > 0)).toBe(true);
    const random = new Random(0);
    for (let i = 0; i < 1000; i++) {
      const v = boundedInteger(random, 3 * 2 ** 50);
      expect(v >= 0 && v < 3 * 2 ** 50 && Number.isInteger(v)).toBe(true);
    }
  });

  it('rejects empty or unordered ranges', () => {
    expectError(() => uniform(1, 1), RangeError, 'uniform: high must be a finite number > 1, got 1');
    expectError(() => uniform(0, Infinity), RangeError, /uniform: high must be a finite number/);
    expectError(() => uniform(-Number.MAX_VALUE, Number.MAX_VALUE), RangeError, /uniform: high - low must be finite/);
    expectError(() => uniform('0' as never, 1), TypeError, /uniform: low must be a number/);
    expectError(() => logUniform(0, 1), RangeError, /logUniform: low must be a finite number > 0, got 0/);
    expectError(() => logUniform(2, 1), RangeError, /logUniform: high must be a finite number > 2/);
    expectError(() => integers(3, 3), RangeError, /integers: high must be an integer from 4/);
    expectError(() => integers(0.5, 3), RangeError, /integers: low must be an integer/);
    expectError(() => integers(-(2 ** 53) + 1, 2 ** 53 - 1), RangeError, /integers: high - low must be at most 2\^53/);
  });
});
