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

describe('the sampler and integers by their definitions', () => {
  /** boundedInteger as documented: one draw up to 2^32, else 53 bits per try (27 + 26), the top remainder of 2^53 rejected. */
  function boundedByHand(random: Random, n: number): number {
    if (n <= 2 ** 32) return random.integer(n);
    const limit = 2 ** 53 - (2 ** 53 % n);
    for (;;) {
      const x = (random.nextUint32() >>> 5) * 2 ** 26 + (random.nextUint32() >>> 6);
      if (x < limit) return x % n;
    }
  }
  const drawsOf = (n: number, count: number, seed: number, draw: (random: Random, n: number) => number) => {
    const random = new Random(seed);
    return Array.from({ length: count }, () => draw(random, n)).concat(random.nextUint32());
  };

  it('integers: one draw for up to 2^32 values, two per try beyond, rejecting as documented', () => {
    // n = 2^52 + 1 rejects almost half of the tries; 2^32 is the last count of one draw.
    for (const n of [2 ** 32, 2 ** 32 + 1, 2 ** 40 + 12345, 2 ** 52 + 1, 2 ** 53]) {
      // (low −1: high is at most 2^53 − 1.)
      expect(drawsOf(n, 50, 17, (random, m) => integers(-1, m - 1).sample(random) + 1), String(n)).toEqual(drawsOf(n, 50, 17, boundedByHand));
    }
    expect(drawsOf(2 ** 32, 3, 4, boundedInteger)).toEqual(drawsOf(2 ** 32, 3, 4, (random, n) => random.integer(n)));
    // high − low up to 2^53 (a safe-integer range), one more refused.
    expect(integers(-1, 2 ** 53 - 1).high - integers(-1, 2 ** 53 - 1).low).toBe(2 ** 53);
    expect(() => integers(-2, 2 ** 53 - 1)).toThrow(/^integers: high - low must be at most 2\^53, got 9007199254740993$/);
    expect(() => integers(0, 2 ** 53)).toThrow(/^integers: high must be an integer from 1 to 2\^53 - 1, got 9007199254740992$/);
  });

  /** scikit-learn's two sampling methods as the sampler documents them, over grid indices. */
  function reservoirByHand(n: number, count: number, random: Random): number[] {
    const out = Array.from({ length: count }, (_, i) => i);
    for (let i = count; i < n; i++) {
      const j = boundedByHand(random, i + 1);
      if (j < count) out[j] = i;
    }
    return out;
  }
  function fisherYatesByHand(n: number, count: number, random: Random): number[] {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + boundedByHand(random, n - i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order.slice(0, count);
  }

  it('draws grid indices by reservoir from a ratio of 0.99 up, by a partial Fisher–Yates shuffle below', () => {
    const grid = { a: Array.from({ length: 10 }, (_, i) => i), b: Array.from({ length: 10 }, (_, i) => i) };
    const indices = (nIter: number, seed: number) => parameterSampler(grid, { nIter, seed }).map(({ a, b }) => a * 10 + b);
    // A seed whose one reservoir draw is 99 = nIter: it must not be kept (out[99] would add a 100th candidate).
    let edge = 0;
    while (new Random(edge).integer(100) !== 99) edge++;
    for (const seed of [1, 2, 3, edge]) {
      expect(indices(99, seed)).toEqual(reservoirByHand(100, 99, new Random(seed)));
      expect(indices(98, seed)).toEqual(fisherYatesByHand(100, 98, new Random(seed)));
      expect(indices(7, seed)).toEqual(fisherYatesByHand(100, 7, new Random(seed)));
    }
  });

  it('with a distribution and one dict, draws no dict; each key in sorted order takes its draw', () => {
    const random = new Random(5);
    const expected = Array.from({ length: 4 }, () => {
      const a = uniform(0, 1).sample(random);
      const b = ['x', 'y', 'z'][random.integer(3)];
      return { a, b };
    });
    expect(parameterSampler({ b: ['x', 'y', 'z'], a: uniform(0, 1) }, { nIter: 4, seed: 5 })).toEqual(expected);
  });

  it('tells a distribution from a list: arrays and typed arrays are lists even with a sample method', () => {
    const list = Object.assign([1, 2], { sample: () => 9 });
    const typed = Object.assign(Float64Array.of(3, 4), { sample: () => 9 });
    const drawn = parameterSampler({ a: list, b: typed, c: uniform(0, 1) }, { nIter: 20, seed: 1 });
    expect(new Set(drawn.map(({ a }) => a))).toEqual(new Set([1, 2]));
    expect(new Set(drawn.map(({ b }) => b))).toEqual(new Set([3, 4]));
    expect(() => parameterSampler({ a: { sample: 1 } } as never, { nIter: 1, seed: 1 })).toThrow(
      /^parameterSampler: distributions\.a must be an array of values or a distribution \(uniform, logUniform, integers, or an object with a sample\(random\) method\), got an object \(Object\)$/,
    );
    expect(() => parameterSampler({ a: null } as never, { nIter: 1, seed: 1 })).toThrow(/^parameterSampler: distributions\.a must be an array of values or a distribution/);
    const callable = Object.assign(() => 1, { sample: () => 2 });
    expect(() => parameterSampler({ a: callable } as never, { nIter: 1, seed: 1 })).toThrow(/^parameterSampler: distributions\.a must be an array of values or a distribution .*got function$/);
    expect(() => parameterGrid(null as never)).toThrow(/^parameterGrid: grid must be a parameter grid \(an object of arrays of values\) or an array of them, got null$/);
  });

  it('gives candidates as plain, writable objects; takes grids as plain or null-prototype objects only', () => {
    const [candidate] = parameterGrid({ a: [1], b: [2] });
    expect(Object.keys(candidate)).toEqual(['a', 'b']);
    candidate.a = 5;
    delete (candidate as { b?: number }).b;
    expect(candidate).toEqual({ a: 5 });
    const [sampled] = parameterSampler({ a: [1] }, { nIter: 1, seed: 0 });
    sampled.a = 7;
    expect(sampled).toEqual({ a: 7 });
    const bare = Object.assign(Object.create(null) as Record<string, number[]>, { a: [1, 2] });
    expect(parameterGrid(bare)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parameterGridSize([bare, bare])).toBe(4);
    expect(() => parameterGridSize(new Map() as never)).toThrow(
      /^parameterGridSize: grid must be a parameter grid \(an object of arrays of values\) or an array of them, got an object \(Map\)$/,
    );
    expect(() => parameterSampler('x' as never, { nIter: 1 })).toThrow(
      /^parameterSampler: distributions must be parameter distributions \(an object of arrays of values\) or an array of them, got "x"$/,
    );
  });

  it('refuses lists spanning more than 2^53 candidates in all, though each dict spans fewer', () => {
    const values = Float64Array.from({ length: 400 }, (_, i) => i);
    const dict = { a: values, b: values, c: values, d: values, e: values, f: values }; // 400^6 ≈ 4.1e15 each
    expect(() => parameterSampler([dict, dict, dict], { nIter: 1, seed: 1 })).toThrow(/^parameterSampler: distributions spans more than 2\^53 candidates$/);
  });
});
