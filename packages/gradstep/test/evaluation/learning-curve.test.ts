// learningCurve and validationCurve: scikit-learn's size translation (worked numbers of the
// reference §4), prefixes of the train indices (copies: fit may sort them), the (ticks × folds)
// shape, loop order, errors.
import { describe, expect, it } from 'vitest';
import { captureWarnings } from '../capture-warnings.js';
import { learningCurve, translateTrainSizes } from '../../src/evaluation/learning-curve.js';
import { validationCurve } from '../../src/evaluation/validation-curve.js';
import { kFold } from '../../src/model-selection/k-fold.js';
import { setWarningHandler } from '../../src/model-selection/warnings.js';

const warnings = captureWarnings(setWarningHandler);

/** A score that returns a string on its `n`th call (1-based) and 1 otherwise. */
function failingCall(n: number) {
  let calls = 0;
  return () => (++calls === n ? 'x' : 1) as never;
}

describe('translateTrainSizes (scikit-learn _translate_train_sizes)', () => {
  it('truncates fractions of the first fold and clips to [1, n_max]', () => {
    expect(Array.from(translateTrainSizes('t', [0.3, 0.6, 0.9], 80))).toEqual([24, 48, 72]);
    expect(Array.from(translateTrainSizes('t', [0.1, 0.325, 0.55, 0.775, 1], 80))).toEqual([8, 26, 44, 62, 80]);
    expect(Array.from(translateTrainSizes('t', [0.1, 0.325, 0.55, 0.775, 1], 8))).toEqual([1, 2, 4, 6, 8]);
    expect(Array.from(translateTrainSizes('t', [1], 8))).toEqual([8]);
  });

  it('takes counts when any size is above 1, sorted and deduplicated with a warning', () => {
    expect(Array.from(translateTrainSizes('t', [10, 1, 5], 10))).toEqual([1, 5, 10]);
    expect(warnings).toEqual([]);
    expect(Array.from(translateTrainSizes('t', [0.1, 0.11, 0.5], 10))).toEqual([1, 5]);
    expect(warnings).toEqual(['t: removed duplicate entries from trainSizes; number of ticks will be less than the size of trainSizes: 2 instead of 3']);
  });

  it('rejects sizes out of range, non-integer counts, NaN and non-arrays, naming the value', () => {
    expect(() => translateTrainSizes('t', [0, 0.5], 10)).toThrow(/must be within \(0, 1\], got 0 at index 0/);
    expect(() => translateTrainSizes('t', [-0.5, 0.5], 10)).toThrow(RangeError);
    expect(() => translateTrainSizes('t', [2, 11], 10)).toThrow(/within \[1, 10\], got 11 at index 1/);
    expect(() => translateTrainSizes('t', [2.5, 5], 10)).toThrow(/integers within \[1, 10\], got 2.5/);
    expect(() => translateTrainSizes('t', [-1, 5], 10)).toThrow(/^t: trainSizes are absolute numbers of training samples and must be integers within \[1, 10\], got -1 at index 0$/);
    expect(() => translateTrainSizes('t', [NaN], 10)).toThrow(/trainSizes\[0\] must be a finite number, got NaN/);
    expect(() => translateTrainSizes('t', ['1'], 10)).toThrow(TypeError);
    expect(() => translateTrainSizes('t', [], 10)).toThrow(/must not be empty/);
    expect(() => translateTrainSizes('t', 0.5, 10)).toThrow(TypeError);
  });
});

describe('learningCurve', () => {
  it('fits on train[:size] of every fold, scores the prefix and the test rows, (sizes × folds) matrices', async () => {
    const folds = kFold(10, { k: 5 }); // each train set has 8 rows
    const calls: string[] = [];
    const curve = await learningCurve({
      folds,
      trainSizes: [0.5, 0.25, 1],
      fit: (train, f) => {
        calls.push(`${f}:${train.length}`);
        expect(Array.from(train)).toEqual(Array.from(folds[f].train.subarray(0, train.length)));
        return { size: train.length, fold: f };
      },
      // Train score: the size scored on; test score: size + fold / 10, to check the matrix layout.
      score: (model, idx) => (idx === folds[model.fold].test ? model.size + model.fold / 10 : idx.length),
    });
    expect(Array.from(curve.trainSizes)).toEqual([2, 4, 8]);
    expect(calls).toEqual(['0:2', '0:4', '0:8', '1:2', '1:4', '1:8', '2:2', '2:4', '2:8', '3:2', '3:4', '3:8', '4:2', '4:4', '4:8']);
    expect(curve.trainScores.map((row) => Array.from(row))).toEqual([[2, 2, 2, 2, 2], [4, 4, 4, 4, 4], [8, 8, 8, 8, 8]]);
    expect(Array.from(curve.testScores[1])).toEqual([4, 4.1, 4.2, 4.3, 4.4]);
    expect(curve.meanTestScores[2]).toBeCloseTo(8.2, 14);
    expect(curve.stdTestScores[0]).toBeCloseTo(Math.sqrt(0.02), 14);
    expect(Array.from(curve.stdTrainScores)).toEqual([0, 0, 0]);
    expect(curve.fitTimes.map((row) => row.length)).toEqual([5, 5, 5]);
  });

  it('uses the default sizes np.linspace(0.1, 1, 5) and accepts async callbacks', async () => {
    const folds = kFold(100, { k: 5 });
    const curve = await learningCurve({ folds, fit: async (train) => train.length, score: async (size) => size });
    expect(Array.from(curve.trainSizes)).toEqual([8, 26, 44, 62, 80]);
    expect(Array.from(curve.meanTestScores)).toEqual([8, 26, 44, 62, 80]);
  });

  it('gives fit a copy of the train indices, so sorting them in place leaves the folds alone', async () => {
    const folds = [{ train: Uint32Array.from([5, 3, 1, 0]), test: Uint32Array.from([2, 4]) }];
    await learningCurve({ folds, trainSizes: [2, 4], fit: (train) => train.sort().length, score: () => 1 });
    expect(Array.from(folds[0].train)).toEqual([5, 3, 1, 0]);
  });

  it('rejects bad options', async () => {
    const folds = kFold(10, { k: 5 });
    await expect(learningCurve({ folds, trainSizes: [9], fit: () => 0, score: () => 0 })).rejects.toThrow(/within \[1, 8\], got 9/);
    await expect(learningCurve({ folds, fit: () => 0, score: () => NaN as never, trainSize: [1] } as never)).rejects.toThrow(/unknown option "trainSize"/);
    await expect(learningCurve({ folds, trainSizes: 'x', fit: () => 0, score: () => 0 } as never)).rejects.toThrow(/^learningCurve: trainSizes must be an array of numbers, got "x"$/);
    await expect(learningCurve({ folds, trainSizes: [2, '4'], fit: () => 0, score: () => 0 } as never)).rejects.toThrow(/^learningCurve: trainSizes\[1\] must be a number, got "4"$/);
  });

  it('names the fold, size and rows of a score that is not a number', async () => {
    const folds = kFold(10, { k: 5 });
    // Each (fold, size) scores its test rows, then its train rows.
    await expect(learningCurve({ folds, trainSizes: [2, 4], fit: () => 0, score: failingCall(3) })).rejects.toThrow(
      /^learningCurve: score must return a number, got "x" for the test rows of fold 0, size 4$/,
    );
    await expect(learningCurve({ folds, trainSizes: [2, 4], fit: () => 0, score: failingCall(6) })).rejects.toThrow(
      /^learningCurve: score must return a number, got "x" for the train rows of fold 1, size 2$/,
    );
  });
});

describe('validationCurve', () => {
  it('loops folds outside and values inside, returns (values × folds) matrices', async () => {
    const folds = kFold(6, { k: 3 });
    const calls: string[] = [];
    const curve = await validationCurve({
      folds,
      paramRange: ['a', 'bb', 'ccc'],
      fit: (train, value, f) => {
        calls.push(`${f}${value}`);
        expect(train).toBe(folds[f].train);
        return value.length * 10 + f;
      },
      score: (model, idx) => model + idx.length / 100,
    });
    expect(calls).toEqual(['0a', '0bb', '0ccc', '1a', '1bb', '1ccc', '2a', '2bb', '2ccc']);
    expect(Array.from(curve.testScores[1])).toEqual([20.02, 21.02, 22.02]);
    expect(Array.from(curve.trainScores[2])).toEqual([30.04, 31.04, 32.04]);
    expect(curve.meanTestScores[0]).toBeCloseTo(11.02, 12);
    expect(curve.stdTrainScores[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });

  it('rejects an empty or missing paramRange', async () => {
    const folds = kFold(6, { k: 3 });
    await expect(validationCurve({ folds, paramRange: [], fit: () => 0, score: () => 0 })).rejects.toThrow(/paramRange must not be empty/);
    await expect(validationCurve({ folds, paramRange: undefined as never, fit: () => 0, score: () => 0 })).rejects.toThrow(TypeError);
    for (const [extra, message] of [
      [{ data: {} }, /^validationCurve: data is for a task module: it needs task$/],
      [{ params: {} }, /^validationCurve: params is for a task module: it needs task$/],
      [{ paramName: 'alpha' }, /^validationCurve: paramName is for a task module: it needs task$/],
      [{ fit: 1 }, /^validationCurve: fit must be a function, got 1$/],
      [{ score: 'r2' }, /^validationCurve: score must be a function, got "r2"$/],
    ] as const) {
      await expect(validationCurve({ folds, paramRange: [1], fit: () => 0, score: () => 0, ...extra } as never)).rejects.toThrow(message);
    }
    await expect(validationCurve({ folds, paramRange: 'ab' as never, fit: () => 0, score: () => 0 })).rejects.toThrow(
      /^validationCurve: paramRange must be an array of values, got "ab"$/,
    );
  });

  it('names the fold, value and rows of a score that is not a number', async () => {
    const folds = kFold(6, { k: 3 });
    await expect(validationCurve({ folds, paramRange: [1, 2], fit: () => 0, score: failingCall(3) })).rejects.toThrow(
      /^validationCurve: score must return a number, got "x" for the test rows of fold 0, paramRange\[1\]$/,
    );
    await expect(validationCurve({ folds, paramRange: [1, 2], fit: () => 0, score: failingCall(6) })).rejects.toThrow(
      /^validationCurve: score must return a number, got "x" for the train rows of fold 1, paramRange\[0\]$/,
    );
  });
});
