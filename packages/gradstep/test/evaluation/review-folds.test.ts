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
