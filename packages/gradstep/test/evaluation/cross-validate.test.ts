// crossValidate: per-fold scores, population std, the generalization gap, async callbacks, call
// order, folds from any iterable, and argument errors; with scores a model computes exactly from its
// indices.
import { describe, expect, it } from 'vitest';
import { crossValidate } from '../../src/evaluation/cross-validate.js';
import { mean, populationStd } from '../../src/evaluation/score-summary.js';
import { kFold } from '../../src/model-selection/k-fold.js';
import { leaveOneOut } from '../../src/model-selection/leave-out.js';

/** A "model" that remembers the mean of its training indices; its score on rows is minus the distance of their mean. */
const fitMean = (train: Uint32Array) => train.reduce((s, i) => s + i, 0) / train.length;
const scoreMean = (model: number, idx: Uint32Array) => 0 - Math.abs(idx.reduce((s, i) => s + i, 0) / idx.length - model);

describe('crossValidate', () => {
  it('scores every fold, with mean, np.std (ddof 0) and train − test gaps', async () => {
    const folds = kFold(10, { k: 5 });
    const cv = await crossValidate({ folds, fit: fitMean, score: scoreMean, returnTrainScore: true });
    // Fold f tests {2f, 2f+1} (mean 2f + 0.5) and trains on the other 8 (mean (45 − 4f − 1)/8).
    const expectedTest = [0, 1, 2, 3, 4].map((f) => 0 - Math.abs(2 * f + 0.5 - (44 - 4 * f) / 8));
    expect(Array.from(cv.testScores)).toEqual(expectedTest);
    expect(Array.from(cv.trainScores!)).toEqual([0, 0, 0, 0, 0]);
    expect(cv.meanTestScore).toBeCloseTo(expectedTest.reduce((s, v) => s + v) / 5, 14);
    // np.std([-5, -2.5, 0, -2.5, -5]) = sqrt(mean of squared deviations from -3) = sqrt(3.5)
    expect(expectedTest).toEqual([-5, -2.5, 0, -2.5, -5]);
    expect(cv.stdTestScore).toBeCloseTo(Math.sqrt(3.5), 14);
    expect(Array.from(cv.generalizationGaps!)).toEqual([5, 2.5, 0, 2.5, 5]);
    expect(cv.meanGeneralizationGap).toBe(3);
    expect(cv.models).toHaveLength(5);
    expect(cv.fitTimes).toHaveLength(5);
    expect(cv.scoreTimes).toHaveLength(5);
    for (const t of [...cv.fitTimes, ...cv.scoreTimes]) expect(t).toBeGreaterThanOrEqual(0);
  });

  it('leaves train scores and gaps out unless asked, and returns a Promise for sync callbacks', async () => {
    const promise = crossValidate({ folds: kFold(6, { k: 3 }), fit: fitMean, score: scoreMean });
    expect(promise).toBeInstanceOf(Promise);
    const cv = await promise;
    expect(cv.trainScores).toBeUndefined();
    expect(cv.generalizationGaps).toBeUndefined();
  });

  it('awaits async callbacks one fold at a time, in order, and gives the same numbers', async () => {
    const folds = kFold(12, { k: 4, shuffle: true, seed: 3 });
    const events: string[] = [];
    let running = 0;
    const cv = await crossValidate({
      folds,
      fit: async (train, f) => {
        expect(running++).toBe(0);
        events.push(`fit ${f}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
        expect(train).toBe(folds[f].train);
        return fitMean(train);
      },
      score: async (model, idx) => scoreMean(model, idx),
      returnTrainScore: true,
    });
    expect(events).toEqual(['fit 0', 'fit 1', 'fit 2', 'fit 3']);
    const sync = await crossValidate({ folds, fit: fitMean, score: scoreMean, returnTrainScore: true });
    expect(cv.testScores).toEqual(sync.testScores);
    expect(cv.trainScores).toEqual(sync.trainScores);
  });

  it('does not modify the folds', async () => {
    const folds = kFold(9, { k: 3 });
    const copy = folds.map(({ train, test }) => ({ train: train.slice(), test: test.slice() }));
    await crossValidate({ folds, fit: fitMean, score: scoreMean, returnTrainScore: true });
    expect(folds).toEqual(copy);
  });

  it('accepts folds over rows far past their size (no shared row)', async () => {
    const result = await crossValidate({ folds: [{ train: Uint32Array.of(3, 300000), test: Uint32Array.of(7, 400000) }], fit: (train) => train.length, score: (model) => model });
    expect(Array.from(result.testScores)).toEqual([2]);
  });

  it('accepts any iterable of folds, such as leaveOneOut(n)', async () => {
    const result = await crossValidate({ folds: leaveOneOut(4), fit: (train) => train.length, score: (model) => model });
    expect(Array.from(result.testScores)).toEqual([3, 3, 3, 3]);
  });

  it('rejects bad arguments naming them', async () => {
    const folds = kFold(6, { k: 3 });
    await expect(crossValidate({ folds: [], fit: fitMean, score: scoreMean })).rejects.toThrow(RangeError);
    await expect(crossValidate({ folds: 'x' as never, fit: fitMean, score: scoreMean })).rejects.toThrow(/folds must be an array/);
    await expect(crossValidate({ folds: new Uint32Array(3) as never, fit: fitMean, score: scoreMean })).rejects.toThrow(/folds must be an array/);
    await expect(crossValidate({ folds: [{ train: [0, 1] as never, test: new Uint32Array([2]) }], fit: fitMean, score: scoreMean })).rejects.toThrow(
      /folds\[0\]\.train must be a Uint32Array/,
    );
    await expect(crossValidate({ folds: [{ train: new Uint32Array(1), test: new Uint32Array(0) }], fit: fitMean, score: scoreMean })).rejects.toThrow(
      /folds\[0\]\.test must not be empty/,
    );
    await expect(crossValidate({ folds, fit: 3 as never, score: scoreMean })).rejects.toThrow(/fit must be a function, got 3/);
    await expect(crossValidate({ folds, fit: fitMean, score: () => '0.5' as never })).rejects.toThrow(/score must return a number, got "0.5"/);
    await expect(crossValidate({ folds, fit: fitMean, score: scoreMean, returnTrainScores: true } as never)).rejects.toThrow(/unknown option "returnTrainScores"/);
    await expect(crossValidate({ folds, fit: fitMean, score: scoreMean, returnTrainScore: 1 as never })).rejects.toThrow(TypeError);
    await expect(crossValidate({ folds, fit: () => { throw new Error('boom'); }, score: scoreMean })).rejects.toThrow('boom');
  });

  it('names the fold and the rows of a refusal', async () => {
    const folds = kFold(6, { k: 3 });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ score: () => '0.5' }, /^crossValidate: score must return a number, got "0.5" for the test rows of fold 0$/],
      [{ score: (_: unknown, rows: Uint32Array) => (rows === folds[1].train ? null : 1), returnTrainScore: true }, /^crossValidate: score must return a number, got null for the train rows of fold 1$/],
      [{ folds: [folds[0], null] }, /^crossValidate: folds\[1\] must be an object \{ train, test \}, got null$/],
      [{ folds: [folds[0], 3] }, /^crossValidate: folds\[1\] must be an object \{ train, test \}, got 3$/],
      [{ folds: null }, /^crossValidate: folds must not be null/],
      [{ folds: 'ab' }, /^crossValidate: folds must be an array of \{ train, test \} index arrays \(as kFold returns\), got "ab"$/],
      [{ folds: 5 }, /^crossValidate: folds must be an array of \{ train, test \} index arrays \(as kFold returns\), got 5$/],
      [{ folds: { train: folds[0].train, test: folds[0].test } }, /^crossValidate: folds must be an array of \{ train, test \} index arrays \(as kFold returns\), got an object \(Object\)$/],
      [{ folds: [{ train: Uint32Array.of(0, 1), test: Uint32Array.of(2, 0) }] }, /^crossValidate: folds\[0\] uses row 0 in both train and test$/],
      // Indices far past the fold's size: shared rows found by a Set instead of a marker per row.
      [{ folds: [folds[0], { train: Uint32Array.of(3, 300000), test: Uint32Array.of(7, 300000) }] }, /^crossValidate: folds\[1\] uses row 300000 in both train and test$/],
    ];
    for (const [options, message] of cases) await expect(crossValidate({ folds, fit: fitMean, score: scoreMean, ...options } as never)).rejects.toThrow(message);
  });
});

describe('score summary', () => {
  it('population std as np.std, NaN for no values', () => {
    expect(populationStd([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(populationStd([1e9 + 1, 1e9 + 2, 1e9 + 3])).toBeCloseTo(Math.sqrt(2 / 3), 6);
    expect(mean([])).toBeNaN();
  });
});
