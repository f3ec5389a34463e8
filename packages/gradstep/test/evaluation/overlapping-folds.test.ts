// The first rule of evaluation: test rows never take part in training. A user-provided fold whose
// train and test share a row is refused before anything is fitted.
import { bootstrap, crossValidate, kFold, learningCurve, validationCurve, type Fold } from 'gradstep';
import { describe, expect, it } from 'vitest';

/** kFold(20, k = 4), with fold 2 testing rows 10, 17 and 11: row 17 is also one of its train rows. */
function leakyFolds(): Fold[] {
  const folds = kFold(20, { k: 4 });
  folds[2] = { train: folds[2].train, test: Uint32Array.of(10, 17, 11) };
  return folds;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

describe('folds whose train and test share a row', () => {
  it('crossValidate rejects with a RangeError naming the fold and the row, before fitting any fold', async () => {
    let fits = 0;
    const error = await rejection(crossValidate({ folds: leakyFolds(), fit: () => ++fits, score: () => 0 }));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('crossValidate: folds[2] uses row 17 in both train and test');
    expect(fits).toBe(0);
  });

  it('learningCurve and validationCurve reject the same way, before fitting anything', async () => {
    let fits = 0;
    const fit = () => ++fits;
    const curve = await rejection(learningCurve({ folds: leakyFolds(), trainSizes: [5, 10], fit, score: () => 0 }));
    expect(curve).toBeInstanceOf(RangeError);
    expect(curve.message).toBe('learningCurve: folds[2] uses row 17 in both train and test');
    const validation = await rejection(validationCurve({ folds: leakyFolds(), paramRange: [1, 2], fit, score: () => 0 }));
    expect(validation).toBeInstanceOf(RangeError);
    expect(validation.message).toBe('validationCurve: folds[2] uses row 17 in both train and test');
    expect(fits).toBe(0);
  });

  it('checks folds given as an iterator, and indices far beyond the others (no marker of that size)', async () => {
    function* folds(): Generator<Fold> {
      yield { train: Uint32Array.of(0, 1), test: Uint32Array.of(2) };
      yield { train: Uint32Array.of(3, 4_000_000_000, 5), test: Uint32Array.of(6, 4_000_000_000) };
    }
    let fits = 0;
    const error = await rejection(crossValidate({ folds: folds(), fit: () => ++fits, score: () => 0 }));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('crossValidate: folds[1] uses row 4000000000 in both train and test');
    expect(fits).toBe(0);
  });

  it('still accepts disjoint folds, including a bootstrap sample (repeated train rows) with its out-of-bag rows', async () => {
    const { sample, outOfBag } = bootstrap(30, { seed: 4 });
    expect(new Set(sample).size).toBeLessThan(sample.length);
    const folds = [...kFold(30, { k: 3 }), { train: sample, test: outOfBag }];
    const cv = await crossValidate({ folds, fit: (train) => train.length, score: (model) => model });
    expect(Array.from(cv.testScores)).toEqual([20, 20, 20, 30]);
  });
});
