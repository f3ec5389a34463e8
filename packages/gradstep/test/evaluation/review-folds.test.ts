// crossValidate takes any iterable of folds, such as leaveOneOut(n).
import { describe, expect, it } from 'vitest';
import { crossValidate } from '../../src/evaluation/cross-validate.js';
import { leaveOneOut } from '../../src/model-selection/leave-out.js';

describe('crossValidate folds', () => {
  it('accepts an iterator of folds', async () => {
    const result = await crossValidate({ folds: leaveOneOut(4), fit: (train) => train.length, score: (model) => model });
    expect(Array.from(result.testScores)).toEqual([3, 3, 3, 3]);
  });
  it('still rejects what is not a list of folds', async () => {
    await expect(crossValidate({ folds: new Uint32Array(3) as never, fit: () => 0, score: () => 0 })).rejects.toThrow(/folds must be an array/);
  });
});

describe('learningCurve', () => {
  it('gives fit a copy of the train indices, so sorting them in place leaves the folds alone', async () => {
    const { learningCurve } = await import('../../src/evaluation/learning-curve.js');
    const folds = [{ train: Uint32Array.from([5, 3, 1, 0]), test: Uint32Array.from([2, 4]) }];
    await learningCurve({ folds, trainSizes: [2, 4], fit: (train) => train.sort().length, score: () => 1 });
    expect(Array.from(folds[0].train)).toEqual([5, 3, 1, 0]);
  });
});
