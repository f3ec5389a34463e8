// trainTestSplit, shuffleSplit and stratifiedShuffleSplit as properties over random sizes, labels and
// seeds, and splitting the data itself with splitArrays / takeRows.
// (Sizes and per-class counts against scikit-learn itself: test/sklearn-splits.test.ts.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/model-selection/random.js';
import { shuffleSplit, stratifiedShuffleSplit } from '../../src/model-selection/shuffle-split.js';
import { expectError } from '../expect-error.js';
import { splitArrays, takeRows } from '../../src/model-selection/take-rows.js';
import { trainTestSplit } from '../../src/model-selection/train-test-split.js';
import { asLists, expectDisjoint, expectPartition } from './fold-checks.js';

const seedArbitrary = fc.integer({ min: 0, max: 2 ** 32 - 1 });
/** A test size for n samples: a fraction in (0, 1) or a count below n. */
const testSizeFor = (n: number) =>
  fc.oneof(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.integer({ min: 1, max: n - 1 }));
const isSorted = (a: Uint32Array) => a.every((v, j) => j === 0 || v > a[j - 1]);

describe('trainTestSplit', () => {
  it('test = ceil(fraction·n) or the count, train = the rest, disjoint and covering', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }).chain((n) => fc.tuple(fc.constant(n), testSizeFor(n))),
        fc.boolean(),
        seedArbitrary,
        ([n, testSize], shuffle, seed) => {
          const expectedTest = testSize < 1 ? Math.ceil(testSize * n) : testSize;
          if (expectedTest >= n) {
            expect(() => trainTestSplit(n, { testSize, shuffle, seed })).toThrow(/train set would be empty/);
            return;
          }
          const fold = trainTestSplit(n, { testSize, shuffle, seed });
          expect(fold.test.length).toBe(expectedTest);
          expectPartition(fold, n);
          if (!shuffle) {
            expect(Array.from(fold.train)).toEqual(Array.from({ length: n - expectedTest }, (_, i) => i));
            expect(fold.test[0]).toBe(n - expectedTest);
            expect(isSorted(fold.test)).toBe(true);
          }
        },
      ),
    );
  });

  it('train = floor(fraction·n) with both sizes given, leaving the rest unused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.double({ min: 0.01, max: 0.45, noNaN: true }), seedArbitrary, (n, trainSize, seed) => {
        if (Math.floor(trainSize * n) === 0) {
          expect(() => trainTestSplit(n, { testSize: 0.5, trainSize, seed })).toThrow(/the train set would be empty/);
          return;
        }
        const fold = trainTestSplit(n, { testSize: 0.5, trainSize, seed });
        expect(fold.train.length).toBe(Math.floor(trainSize * n));
        expect(fold.test.length).toBe(Math.ceil(0.5 * n));
        expectDisjoint(fold, n);
      }),
    );
  });

  it('defaults to a shuffled 25% test set', () => {
    const fold = trainTestSplit(40, { seed: 1 });
    expect(fold.test.length).toBe(10);
    expect(fold.train.length).toBe(30);
    expect(isSorted(fold.train) && isSorted(fold.test)).toBe(false);
  });

  it('a seed reproduces the split; other seeds give others', () => {
    const a = asLists([trainTestSplit(50, { seed: 3 })]);
    expect(asLists([trainTestSplit(50, { seed: 3 })])).toEqual(a);
    expect(asLists([trainTestSplit(50, { seed: 4 })])).not.toEqual(a);
    // No seed: a fresh one every call.
    expect(asLists([trainTestSplit(50)])).not.toEqual(asLists([trainTestSplit(50)]));
  });

  it('stratify keeps each class within one sample of its proportional share in both sets', () => {
    const labelsArbitrary = fc
      .array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 200 })
      .filter((labels) => [...new Set(labels)].every((c) => labels.filter((l) => l === c).length >= 2));
    fc.assert(
      fc.property(labelsArbitrary, fc.double({ min: 0.2, max: 0.6, noNaN: true }), seedArbitrary, (labels, testSize, seed) => {
        const n = labels.length;
        const classes = [...new Set(labels)];
        const nTest = Math.ceil(testSize * n);
        if (nTest < classes.length || n - nTest < classes.length) {
          expect(() => trainTestSplit(n, { testSize, stratify: labels, seed })).toThrow(RangeError);
          return;
        }
        const fold = trainTestSplit(n, { testSize, stratify: labels, seed });
        expectPartition(fold, n);
        expect(fold.test.length).toBe(nTest);
        for (const c of classes) {
          const total = labels.filter((l) => l === c).length;
          const inTest = Array.from(fold.test).filter((i) => labels[i] === c).length;
          const inTrain = Array.from(fold.train).filter((i) => labels[i] === c).length;
          expect(Math.abs(inTest - (total * nTest) / n)).toBeLessThan(1 + 1e-9);
          expect(Math.abs(inTrain - (total * (n - nTest)) / n)).toBeLessThan(1 + 1e-9);
        }
        expect(asLists([trainTestSplit(n, { testSize, stratify: labels, seed })])).toEqual(asLists([fold]));
      }),
    );
  });

  it('fractions adding up to 1 never fail from rounding (scikit-learn raises for 0.07 + 0.93 of 100)', () => {
    const fold = trainTestSplit(100, { testSize: 0.07, trainSize: 0.93, seed: 0 });
    expect([fold.train.length, fold.test.length]).toEqual([92, 8]);
    for (let n = 2; n <= 200; n++) {
      for (const [testSize, trainSize] of [[0.1, 0.9], [0.3, 0.7], [0.07, 0.93], [0.35, 0.65], [0.2, 0.8]]) {
        const nTest = Math.ceil(testSize * n);
        if (nTest >= n) continue;
        const { train, test } = trainTestSplit(n, { testSize, trainSize, shuffle: false });
        expect(train.length + test.length).toBe(n);
      }
    }
  });

  it('fractions count as adding up to 1 within 4 ulps above 1, not 5', () => {
    // 0.5 + (0.5 + 2^-50) is exactly 1 + 4·2^-52: the train set takes the rest. One ulp more is a sum above 1.
    const fold = trainTestSplit(10, { testSize: 0.5, trainSize: 0.5 + 2 ** -50, shuffle: false });
    expect([fold.train.length, fold.test.length]).toEqual([5, 5]);
    expectError(
      () => trainTestSplit(10, { testSize: 0.5, trainSize: 0.5 + 5 * 2 ** -52 }),
      RangeError,
      'trainTestSplit: testSize + trainSize = 1.000000000000001 must not exceed 1; reduce testSize and/or trainSize',
    );
  });

  it('a count and a tiny fraction are not fractions adding up to 1, though 1 + 1e-16 rounds to 1', () => {
    // As scikit-learn: the fraction is floored (train) or ceiled (test) on its own.
    expectError(() => trainTestSplit(10, { testSize: 1, trainSize: 1e-16 }), RangeError, 'trainTestSplit: with n=10, testSize=1 and trainSize=1e-16 the train set would be empty');
    expect(asLists([trainTestSplit(10, { testSize: 1e-16, trainSize: 1, shuffle: false })])).toEqual([[[0], [1]]]);
  });

  it('without shuffling ignores a Random seed and does not advance it', () => {
    const rng = new Random(5);
    const before = rng.getState();
    expect(asLists([trainTestSplit(4, { testSize: 1, shuffle: false, seed: rng })])).toEqual([[[0, 1, 2], [3]]]);
    expect(rng.getState()).toBe(before);
  });

  it('stratify takes the classes in sorted order, as stratifiedShuffleSplit', () => {
    // Labels first seen in another order than sorted: the split is the first one stratifiedShuffleSplit
    // draws from the same seed (classes sorted, as np.unique), and an error lists the classes sorted.
    const labels = ['c', 'a', 'b', 'c', 'b', 'a', 'c', 'a', 'b', 'c'];
    const [expected] = stratifiedShuffleSplit(labels, { nSplits: 1, testSize: 4, seed: 9 });
    expect(asLists([trainTestSplit(10, { testSize: 4, stratify: labels, seed: 9 })])).toEqual(asLists([expected]));
    expectError(
      () => trainTestSplit(5, { stratify: ['c', 'b', 'c', 'a', 'c'] }),
      RangeError,
      'trainTestSplit: the least populated classes in stratify have only 1 member, which is too few: every class needs at least 2. Classes with 1 member: ["a", "b"]',
    );
  });

  it('rejects stratify with shuffle: false, and stratify labels of the wrong length', () => {
    expect(() => trainTestSplit(4, { shuffle: false, stratify: [0, 0, 1, 1] })).toThrow(/stratify needs shuffle: true/);
    expect(() => trainTestSplit(5, { stratify: [0, 0, 1, 1] })).toThrow(/stratify must have one label per sample \(n=5\), got 4/);
  });
});

describe('shuffleSplit', () => {
  it('gives nSplits disjoint splits of the resolved sizes, in permuted order, reproducibly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 200 }).chain((n) => fc.tuple(fc.constant(n), testSizeFor(n))),
        fc.integer({ min: 1, max: 6 }),
        seedArbitrary,
        ([n, testSize], nSplits, seed) => {
          const nTest = testSize < 1 ? Math.ceil(testSize * n) : testSize;
          fc.pre(nTest < n);
          const folds = shuffleSplit(n, { nSplits, testSize, seed });
          expect(folds.length).toBe(nSplits);
          for (const fold of folds) {
            expect(fold.test.length).toBe(nTest);
            expectPartition(fold, n);
          }
          expect(asLists(shuffleSplit(n, { nSplits, testSize, seed }))).toEqual(asLists(folds));
        },
      ),
    );
  });

  it('defaults to 10 splits with 10% test sets, each split a new permutation', () => {
    const folds = shuffleSplit(95, { seed: 0 });
    expect(folds.length).toBe(10);
    expect(folds.every((f) => f.test.length === 10 && f.train.length === 85)).toBe(true);
    expect(new Set(folds.map((f) => Array.from(f.test).join())).size).toBe(10);
  });

  it('each split is the first testSize + trainSize entries of a Random permutation', () => {
    const [fold] = shuffleSplit(10, { nSplits: 1, testSize: 3, trainSize: 5, seed: 6 });
    const perm = Array.from(new Random(6).permutation(10));
    expect(Array.from(fold.test)).toEqual(perm.slice(0, 3));
    expect(Array.from(fold.train)).toEqual(perm.slice(3, 8));
  });
});

describe('stratifiedShuffleSplit', () => {
  it('keeps every class within one sample of its share, in every split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('cat', 'dog', 'emu'), { minLength: 12, maxLength: 150 }),
        fc.integer({ min: 1, max: 4 }),
        seedArbitrary,
        (labels, nSplits, seed) => {
          const classes = [...new Set(labels)];
          fc.pre(classes.every((c) => labels.filter((l) => l === c).length >= 2));
          const n = labels.length;
          const nTest = Math.ceil(0.3 * n);
          const folds = stratifiedShuffleSplit(labels, { nSplits, testSize: 0.3, seed });
          expect(folds.length).toBe(nSplits);
          for (const fold of folds) {
            expectPartition(fold, n);
            expect(fold.test.length).toBe(nTest);
            for (const c of classes) {
              const total = labels.filter((l) => l === c).length;
              const inTest = Array.from(fold.test).filter((i) => labels[i] === c).length;
              expect(Math.abs(inTest - (total * nTest) / n)).toBeLessThan(1 + 1e-9);
            }
          }
        },
      ),
    );
  });

  it('defaults to 10 splits with 10% test sets; sets come shuffled, not grouped by class', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : 1));
    const folds = stratifiedShuffleSplit(labels, { seed: 2 });
    expect(folds.length).toBe(10);
    expect(folds.every((f) => f.test.length === 10 && f.train.length === 90)).toBe(true);
    const grouped = folds.filter((f) => {
      const classesInOrder = Array.from(f.train, (i) => labels[i]);
      return classesInOrder.every((c, j) => j === 0 || c >= classesInOrder[j - 1]);
    });
    expect(grouped.length).toBe(0);
  });
});

describe('splitArrays and takeRows', () => {
  const x = [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]];
  const y = Float32Array.from([0.5, 1.5, 2.5, 3.5, 4.5]);
  const names = ['a', 'b', 'c', 'd', 'e'];

  it("returns each array's train and test rows in scikit-learn's order, keeping typed array kinds", () => {
    const split = { train: Uint32Array.from([4, 0, 2]), test: Uint32Array.from([3, 1]) };
    const [xTrain, xTest, yTrain, yTest, namesTrain, namesTest] = splitArrays(split, x, y, names);
    expect(xTrain).toEqual([[9, 10], [1, 2], [5, 6]]);
    expect(xTest).toEqual([[7, 8], [3, 4]]);
    expect(yTrain).toBeInstanceOf(Float32Array);
    expect(Array.from(yTrain)).toEqual([4.5, 0.5, 2.5]);
    expect(Array.from(yTest)).toEqual([3.5, 1.5]);
    expect(namesTrain).toEqual(['e', 'a', 'c']);
    expect(namesTest).toEqual(['d', 'b']);
    // Rows are shared, inputs untouched.
    expect(xTrain[1]).toBe(x[0]);
    expect(Array.from(y)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5]);
  });

  it('works with every typed array kind, bigint ones and Node Buffers included', () => {
    const indices = Uint32Array.from([2, 0]);
    expect(takeRows(BigInt64Array.from([5n, -6n, 7n]), indices)).toEqual(BigInt64Array.from([7n, 5n]));
    const fromBuffer = takeRows(Buffer.from([10, 20, 30]), indices);
    expect(fromBuffer.constructor).toBe(Uint8Array);
    expect(Array.from(fromBuffer)).toEqual([30, 10]);
    expect(takeRows(Uint8ClampedArray.from([1, 2, 3]), [1])).toBeInstanceOf(Uint8ClampedArray);
    expect(takeRows(Int16Array.from([1, -2, 3]), [1])).toEqual(Int16Array.from([-2]));
  });

  it('takeRows with rowLength takes whole rows of a flat row-major matrix', () => {
    const flat = Float32Array.from([0, 1, 2, 10, 11, 12, 20, 21, 22]);
    expect(Array.from(takeRows(flat, Uint32Array.from([2, 0]), { rowLength: 3 }))).toEqual([20, 21, 22, 0, 1, 2]);
    expect(takeRows([0, 1, 2, 3], [1], { rowLength: 2 })).toEqual([2, 3]);
    expect(() => takeRows(flat, [0], { rowLength: 2 })).toThrow(/9 elements, not a multiple of rowLength 2/);
    expect(() => takeRows(flat, [3], { rowLength: 3 })).toThrow(/index 3 at position 0 is out of range for 3 rows/);
  });

  it('checks lengths, indices and types', () => {
    const split = trainTestSplit(5, { seed: 0 });
    expect(() => splitArrays(split, x, [1, 2, 3])).toThrow(new RangeError('splitArrays: the arrays have inconsistent numbers of rows: [5, 3]'));
    expect(() => splitArrays(trainTestSplit(6, { seed: 0 }), x)).toThrow(/out of range for 5 rows/);
    expect(() => splitArrays(split)).toThrow(TypeError);
    expect(() => splitArrays({ train: [0], test: [1] } as never, x)).toThrow(TypeError);
    expect(() => takeRows('abc' as never, [0])).toThrow(TypeError);
    expect(() => takeRows([1, 2], [0.5])).toThrow(RangeError);
    expect(() => takeRows([1, 2], [-1])).toThrow(RangeError);
  });

  it('names each bad argument, its position and its value', () => {
    const split = { train: Uint32Array.from([0, 4]), test: Uint32Array.from([1]) };
    const pair = 'splitArrays: split must be a { train, test } pair of Uint32Arrays, got';
    expectError(() => splitArrays(null as never, x), TypeError, `${pair} null`);
    expectError(() => splitArrays(42 as never, x), TypeError, `${pair} 42`);
    expectError(() => splitArrays({ train: [0], test: Uint32Array.from([1]) } as never, x), TypeError, `${pair} an object (Object)`);
    expectError(() => splitArrays({ train: Uint32Array.from([0]), test: [1] } as never, x), TypeError, `${pair} an object (Object)`);
    expectError(() => splitArrays(Object.assign(() => 0, split) as never, x), TypeError, `${pair} function`);
    expectError(() => splitArrays(split), TypeError, 'splitArrays: at least one array is required');
    expectError(() => splitArrays(split, x, 'abcde' as never), TypeError, 'splitArrays: arrays[1] must be an array or a typed array, got "abcde"');
    expectError(() => splitArrays(split, new DataView(new ArrayBuffer(5)) as never), TypeError, 'splitArrays: arrays[0] must be an array or a typed array, got a DataView');
    expectError(() => splitArrays({ train: Uint32Array.from([0, 5]), test: Uint32Array.from([1]) }, x), RangeError, 'splitArrays (train): index 5 at position 1 is out of range for 5 rows');
    expectError(() => splitArrays({ train: Uint32Array.from([0]), test: Uint32Array.from([1, 7]) }, x), RangeError, 'splitArrays (test): index 7 at position 1 is out of range for 5 rows');
    expectError(() => takeRows('abc' as never, [0]), TypeError, 'takeRows: rows must be an array or a typed array, got "abc"');
    expectError(() => takeRows(new DataView(new ArrayBuffer(4)) as never, [0]), TypeError, 'takeRows: rows must be an array or a typed array, got a DataView');
    expectError(() => takeRows([1, 2], 'ab' as never), TypeError, 'takeRows: indices must be an array or a Uint32Array, got "ab"');
    expectError(() => takeRows([1, 2], new DataView(new ArrayBuffer(4)) as never), TypeError, 'takeRows: indices must be an array or a Uint32Array, got a DataView');
    expectError(() => takeRows([1, 2], [0, 2]), RangeError, 'takeRows: index 2 at position 1 is out of range for 2 rows');
    expectError(() => takeRows([1, 2], ['0'] as never), RangeError, 'takeRows: index "0" at position 0 is out of range for 2 rows');
    expectError(() => takeRows([1, 2], [0.5]), RangeError, 'takeRows: index 0.5 at position 0 is out of range for 2 rows');
    expectError(() => takeRows([1, 2, 3], [0], { rowLength: 2 }), RangeError, 'takeRows: rows has 3 elements, not a multiple of rowLength 2');
    expectError(() => takeRows([1, 2], [0], { rowLength: 0 }), RangeError, /^takeRows: rowLength must be an integer >= 1, got 0/);
    // Typed indices are read too.
    expect(Array.from(takeRows(Float64Array.from([1, 2, 3]), Int8Array.from([2, 0])))).toEqual([3, 1]);
  });

  it('takes several whole rows of a plain array with rowLength', () => {
    expect(takeRows([0, 1, 2, 3, 4, 5], [2, 0, 1], { rowLength: 2 })).toEqual([4, 5, 0, 1, 2, 3]);
    expect(takeRows([0, 1, 2, 3], [], { rowLength: 2 })).toEqual([]);
  });

  it('splits the data consistently with the indices for random folds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), seedArbitrary, (n, seed) => {
        const data = Float64Array.from({ length: n }, (_, i) => i * 10);
        const rows = Array.from({ length: n }, (_, i) => ({ id: i }));
        const split = trainTestSplit(n, { testSize: 1, seed });
        const [dataTrain, dataTest, rowsTrain, rowsTest] = splitArrays(split, data, rows);
        expect(Array.from(dataTrain)).toEqual(Array.from(split.train, (i) => i * 10));
        expect(Array.from(dataTest)).toEqual(Array.from(split.test, (i) => i * 10));
        expect(rowsTrain.map((r) => r.id)).toEqual(Array.from(split.train));
        expect(rowsTest.map((r) => r.id)).toEqual(Array.from(split.test));
      }),
    );
  });
});
