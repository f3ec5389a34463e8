// The model-selection splitters against scikit-learn itself (fixtures/sklearn-splits.json, written by
// fixtures/gen_sklearn_splits.py): exact folds without shuffling, the same errors, the same split sizes,
// scikit-learn's per-class counts in stratified shuffled splits, NumPy's quantiles, and the known
// answers of PCG32 from the generator's independent Python implementation.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureWarnings } from '../packages/gradstep/test/capture-warnings.js';
import { sortedQuantile } from '../packages/gradstep/src/model-selection/bootstrap.js';
import {
  groupKFold,
  kFold,
  leaveOneOut,
  leavePOut,
  Random,
  repeatedKFold,
  setWarningHandler,
  shuffleSplit,
  stratifiedKFold,
  stratifiedShuffleSplit,
  timeSeriesSplit,
  trainTestSplit,
  type Fold,
  type Labels,
} from '../packages/gradstep/src/model-selection/index.js';

type Label = number | string;
interface SplitCase {
  fn: string;
  n?: number;
  p?: number;
  labels?: Label[];
  groups?: Label[];
  options?: Record<string, unknown>;
  folds?: [number[], number[]][];
  error?: string;
  warnings?: string[];
  mentions?: string;
}
interface SizeCase {
  n: number;
  testSize: number | null;
  trainSize: number | null;
  default?: 'shuffleSplit';
  sizes?: [number, number];
  error?: string;
}
interface CountsCase {
  name: string;
  labels: Label[];
  options: { testSize?: number; trainSize?: number };
  classes?: Label[];
  outcomes?: [number[], number[]][];
  error?: string;
}
interface Pcg32Case {
  seed: number;
  uint32: number[];
  float: number[];
  integer: { bounds: number[]; values: number[] };
  permutation10: number[];
  permutation17: number[];
}

const fixture: {
  generator: string;
  pcg32: Pcg32Case[];
  folds: SplitCase[];
  errors: SplitCase[];
  sizes: SizeCase[];
  stratifiedCounts: CountsCase[];
  quantiles: { data: number[]; q: number[]; expected: number[] }[];
} = JSON.parse(readFileSync(new URL('./fixtures/sklearn-splits.json', import.meta.url), 'utf8'));

/** Our function for a case written in our terms. */
function runOurs(c: SplitCase): Fold[] {
  const o = c.options ?? {};
  switch (c.fn) {
    case 'kFold': return kFold(c.n!, o);
    case 'stratifiedKFold': return stratifiedKFold(c.labels as Labels, o);
    case 'groupKFold': return groupKFold(c.groups as Labels, o);
    case 'timeSeriesSplit': return timeSeriesSplit(c.n!, o);
    case 'leaveOneOut': return Array.from(leaveOneOut(c.n!));
    case 'leavePOut': return Array.from(leavePOut(c.n!, c.p!));
    case 'repeatedKFold': return repeatedKFold(c.n!, { seed: 0, ...o });
    case 'stratifiedShuffleSplit': return stratifiedShuffleSplit(c.labels as Labels, { seed: 0, ...o });
    case 'shuffleSplit': return shuffleSplit(c.n!, { seed: 0, ...o });
    case 'trainTestSplit': return [trainTestSplit(c.n!, { seed: 0, ...o })];
    default: throw new Error(`unknown fn ${c.fn}`);
  }
}

const asLists = (folds: Fold[]) => folds.map((f) => [Array.from(f.train), Array.from(f.test)]);
const describeCase = (c: SplitCase) =>
  `${c.fn}(${JSON.stringify(c.n ?? c.labels ?? c.groups).slice(0, 60)}${c.p !== undefined ? `, ${c.p}` : ''}, ${JSON.stringify(c.options ?? {}).slice(0, 80)})`;

const warnings = captureWarnings(setWarningHandler);

it('the fixture comes from scikit-learn', () => {
  expect(fixture.generator).toMatch(/^scikit-learn \d/);
});

describe("without shuffling, every splitter gives exactly scikit-learn's folds, in scikit-learn's order", () => {
  it.each(fixture.folds.map((c) => [describeCase(c), c] as const))('%s', (_, c) => {
    expect(c.error).toBeUndefined();
    expect(asLists(runOurs(c))).toEqual(c.folds);
    // scikit-learn's UserWarning (a class smaller than k) becomes exactly one warning, with the numbers.
    expect(warnings.length).toBe(c.warnings?.length ?? 0);
    if (c.warnings) {
      const [, members, k] = /only (\d+) members, which is less than n_splits=(\d+)/.exec(c.warnings[0])!;
      expect(warnings[0]).toContain(`only ${members} members, which is less than k=${k}`);
    }
  });
});

describe('shuffled K-fold splitters keep the unshuffled fold sizes and per-class counts', () => {
  const cases = fixture.folds.filter((c) => c.fn === 'kFold' || c.fn === 'stratifiedKFold');
  it.each(cases.map((c) => [describeCase(c), c] as const))('%s', (_, c) => {
    const perFoldCounts = (folds: [number[], number[]][] | Fold[]) =>
      folds.map((fold) => {
        const test = Array.isArray(fold) ? fold[1] : Array.from(fold.test);
        if (!c.labels) return [test.length];
        const classes = [...new Set(c.labels)];
        return classes.map((label) => test.filter((i) => c.labels![i] === label).length);
      });
    const expected = perFoldCounts(c.folds!);
    for (const seed of [0, 1, 2, 12345]) {
      const folds = runOurs({ ...c, options: { ...c.options, shuffle: true, seed } });
      expect(perFoldCounts(folds)).toEqual(expected);
    }
    // Shuffling changes the members (for any case with more than one possible arrangement).
    const shuffled = [0, 1, 2, 3].map((seed) => asLists(runOurs({ ...c, options: { ...c.options, shuffle: true, seed } })));
    if (c.fn === 'kFold' && c.n! > 4) expect(shuffled.some((folds) => JSON.stringify(folds) !== JSON.stringify(c.folds))).toBe(true);
  });
});

describe('where scikit-learn raises we throw a RangeError naming the argument; where it does not, neither do we', () => {
  it.each(fixture.errors.map((c) => [`${describeCase(c)}: ${c.error ?? 'accepted'}`, c] as const))('%s', (_, c) => {
    if (c.error) {
      let thrown: unknown;
      try {
        runOurs(c);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(RangeError);
      expect((thrown as Error).message).toMatch(new RegExp(`^${c.fn}: `));
      expect((thrown as Error).message).toContain(c.mentions);
    } else {
      expect(() => runOurs(c)).not.toThrow();
    }
  });
});

describe("train and test sizes are scikit-learn's _validate_shuffle_split", () => {
  const sizeOptions = (s: SizeCase) => ({ testSize: s.testSize ?? undefined, trainSize: s.trainSize ?? undefined });
  /** Our one deliberate difference: two fractions adding up to 1 give the train set the rest. */
  const fractionsAddUpToOne = (s: SizeCase) =>
    s.testSize !== null && s.trainSize !== null && s.testSize < 1 && s.trainSize < 1 && Math.abs(s.testSize + s.trainSize - 1) <= 4 * Number.EPSILON;

  it.each(fixture.sizes.map((s) => [JSON.stringify(s), s] as const))('%s', (_, s) => {
    let expected: [number, number] | 'error' = s.sizes ?? 'error';
    if (fractionsAddUpToOne(s)) {
      const nTest = Math.ceil(s.testSize! * s.n);
      expected = s.n - nTest > 0 ? [s.n - nTest, nTest] : 'error';
    }
    const attempts = s.default === 'shuffleSplit'
      ? [() => shuffleSplit(s.n, { nSplits: 1, seed: 0 })[0]]
      : [
          () => trainTestSplit(s.n, { ...sizeOptions(s), shuffle: false }),
          () => trainTestSplit(s.n, { ...sizeOptions(s), seed: 3 }),
          // ShuffleSplit's default test size differs (0.1), so only when a size is given.
          ...(s.testSize !== null || s.trainSize !== null ? [() => shuffleSplit(s.n, { ...sizeOptions(s), nSplits: 2, seed: 3 })[1]] : []),
        ];
    for (const attempt of attempts) {
      if (expected === 'error') {
        expect(attempt).toThrow(RangeError);
      } else {
        const { train, test } = attempt();
        expect([train.length, test.length]).toEqual(expected);
        expect(new Set([...train, ...test]).size).toBe(train.length + test.length);
      }
    }
  });

  it('includes the cases where rounding makes scikit-learn fail and we do not', () => {
    const rescued = fixture.sizes.filter((s) => s.error && fractionsAddUpToOne(s));
    expect(rescued.map((s) => [s.n, s.testSize, s.trainSize])).toContainEqual([100, 0.07, 0.93]);
    expect(Array.from(trainTestSplit(100, { testSize: 0.07, trainSize: 0.93, shuffle: false }).test)).toEqual([92, 93, 94, 95, 96, 97, 98, 99]);
  });
});

describe("stratified shuffled splits keep scikit-learn's per-class counts (_approximate_mode)", () => {
  const countsOf = (c: CountsCase, fold: Fold) =>
    [fold.train, fold.test].map((indices) => c.classes!.map((label) => Array.from(indices).filter((i) => c.labels[i] === label).length));

  it.each(fixture.stratifiedCounts.map((c) => [`${c.name} ${JSON.stringify(c.options)}`, c] as const))('%s', (_, c) => {
    if (c.error) {
      expect(() => stratifiedShuffleSplit(c.labels as Labels, { ...c.options, seed: 0 })).toThrow(RangeError);
      expect(() => trainTestSplit(c.labels.length, { ...c.options, stratify: c.labels as Labels, seed: 0 })).toThrow(RangeError);
      return;
    }
    const allowed = new Set(c.outcomes!.map((o) => JSON.stringify(o)));
    const seen = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const folds = [
        ...stratifiedShuffleSplit(c.labels as Labels, { ...c.options, nSplits: 3, seed }),
        trainTestSplit(c.labels.length, { ...c.options, stratify: c.labels as Labels, seed }),
      ];
      for (const fold of folds) {
        const outcome = JSON.stringify(countsOf(c, fold));
        expect(allowed, `outcome ${outcome}`).toContain(outcome);
        seen.add(outcome);
      }
    }
    // Where scikit-learn breaks ties at random, we do too: several of its outcomes show up.
    if (allowed.size >= 4) expect(seen.size).toBeGreaterThan(1);
  });
});

describe("bootstrap intervals use NumPy's default quantile, operation for operation", () => {
  it.each(fixture.quantiles.map((c) => [c.data.length, c] as const))('%i values', (_, c) => {
    const sorted = Float64Array.from(c.data).sort();
    c.q.forEach((q, j) => expect(sortedQuantile(sorted, q)).toBe(c.expected[j]));
  });
});

describe('PCG32 reproduces the independent Python implementation of the fixture generator', () => {
  it.each(fixture.pcg32.map((c) => [c.seed, c] as const))('seed %i', (seed, c) => {
    const rng = new Random(seed);
    expect(Array.from({ length: 10 }, () => rng.nextUint32())).toEqual(c.uint32);
    expect(Array.from({ length: 4 }, () => rng.nextFloat())).toEqual(c.float);
    expect(c.integer.bounds.map((bound) => rng.integer(bound))).toEqual(c.integer.values);
    expect(Array.from(rng.permutation(10))).toEqual(c.permutation10);
    expect(Array.from(rng.permutation(17))).toEqual(c.permutation17);
  });
});
