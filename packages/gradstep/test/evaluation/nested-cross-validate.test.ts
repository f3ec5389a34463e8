// nestedCrossValidate: inner folds as positions mapped to rows, the search's refit rows, outer scores
// against a hand-run search per outer fold, the optimism of bestScore on pure noise, and the checks
// (positions out of range, a search without refit or refitted on outer test rows).
import { describe, expect, it } from 'vitest';
import { gridSearch, nestedCrossValidate, randomSearch, type InnerSearchData } from '../../src/evaluation/search.js';
import { integers } from '../../src/evaluation/parameter-grid.js';
import { kFold } from '../../src/model-selection/k-fold.js';
import { Random } from '../../src/model-selection/random.js';
import type { Fold } from '../../src/model-selection/folds.js';
import { busyWait, expectTimesWithinCall } from '../timing.js';

// y = 3x − 1 + noise on 40 rows; a one-feature ridge in closed form.
const random = new Random(7);
const X = Array.from({ length: 40 }, (_, i) => (i % 13) / 4);
const Y = X.map((x) => 3 * x - 1 + 2 * (random.nextFloat() - 0.5));
interface Line {
  alpha: number;
  w: number;
  b: number;
}
const fitRidge = ({ alpha }: { alpha: number }, rows: Uint32Array): Line => {
  const mx = rows.reduce((s, r) => s + X[r], 0) / rows.length;
  const my = rows.reduce((s, r) => s + Y[r], 0) / rows.length;
  let sxy = 0;
  let sxx = 0;
  for (const r of rows) {
    sxy += (X[r] - mx) * (Y[r] - my);
    sxx += (X[r] - mx) ** 2;
  }
  const w = sxy / (sxx + alpha);
  return { alpha, w, b: my - w * mx };
};
const negMse = (m: Line, rows: Uint32Array) => -rows.reduce((s, r) => s + (Y[r] - (m.w * X[r] + m.b)) ** 2, 0) / rows.length;
const params = { alpha: [0, 1, 10, 100] };

describe('nestedCrossValidate', () => {
  it('runs the search on each outer train part (inner positions mapped to rows) and scores its refit on the outer test rows', async () => {
    const outerFolds = kFold(40, { k: 4, shuffle: true, seed: 1 });
    const seen: { inner: InnerSearchData; f: number }[] = [];
    const nested = await nestedCrossValidate({
      outerFolds,
      innerFolds: (outerTrain) => kFold(outerTrain.length, { k: 3 }),
      search: (inner, f) => {
        seen.push({ inner, f });
        return gridSearch({ ...inner, params, fit: fitRidge, score: negMse });
      },
      score: negMse,
    });
    expect(seen.map((s) => s.f)).toEqual([0, 1, 2, 3]);
    for (let f = 0; f < 4; f++) {
      const { train, test } = outerFolds[f];
      const { inner } = seen[f];
      expect(inner.rows).toBe(train);
      const positions = kFold(train.length, { k: 3 });
      expect(inner.folds.map((fold) => [Array.from(fold.train), Array.from(fold.test)])).toEqual(
        positions.map((fold) => [Array.from(fold.train, (p) => train[p]), Array.from(fold.test, (p) => train[p])]),
      );
      const byHand = await gridSearch({ folds: inner.folds, rows: train, params, fit: fitRidge, score: negMse });
      const { results } = nested.searches[f];
      expect(results.params).toEqual(byHand.results.params);
      expect(results.splitTestScores).toEqual(byHand.results.splitTestScores);
      expect(results.rankTestScore).toEqual(byHand.results.rankTestScore);
      expect(nested.bestParams[f]).toEqual(byHand.bestParams);
      expect(nested.models[f]).toEqual(fitRidge(byHand.bestParams!, train));
      expect(nested.testScores[f]).toBe(negMse(nested.models[f], test));
      expect(nested.innerBestScores[f]).toBe(byHand.bestScore);
    }
    expect(nested.meanTestScore).toBe(nested.testScores.reduce((s, v) => s + v, 0) / 4);
    expect(nested.meanInnerBestScore).toBe(nested.innerBestScores.reduce((s, v) => s + v, 0) / 4);
    expect(nested.stdTestScore).toBeGreaterThan(0);
    expect(nested.searchTimes).toHaveLength(4);
    expect(nested.scoreTimes).toHaveLength(4);
  });

  it('shows that bestScore is optimistic: the best of 100 coin-flip classifiers looks better than chance, until scored outside', async () => {
    // Labels and predictions are independent coin flips: every candidate's true accuracy is 0.5.
    const n = 120;
    const labels = Array.from({ length: n }, (_, i) => new Random(1000 + i).integer(2));
    const guess = (seed: number, row: number) => new Random((seed * 1009 + row) % 4294967296).integer(2);
    const accuracy = (seed: number, rows: Uint32Array) => rows.reduce((s, r) => s + (guess(seed, r) === labels[r] ? 1 : 0), 0) / rows.length;
    const nested = await nestedCrossValidate({
      outerFolds: kFold(n, { k: 5, shuffle: true, seed: 3 }),
      innerFolds: (train) => kFold(train.length, { k: 4, shuffle: true, seed: 4 }),
      search: (inner, f) => randomSearch({ ...inner, distributions: { seed: integers(0, 1_000_000) }, nIter: 100, seed: f, fit: (p) => p.seed, score: accuracy }),
      score: accuracy,
    });
    expect(nested.meanInnerBestScore).toBeGreaterThan(0.6); // 0.615 here: 100 draws of noise, the luckiest kept
    expect(Math.abs(nested.meanTestScore - 0.5)).toBeLessThan(0.06);
    expect(nested.meanInnerBestScore - nested.meanTestScore).toBeGreaterThan(0.05);
  });

  it('accepts async searches and scores', async () => {
    const nested = await nestedCrossValidate({
      outerFolds: kFold(40, { k: 2 }),
      innerFolds: (train) => kFold(train.length, { k: 2 }),
      search: async (inner) => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        return gridSearch({ ...inner, params, fit: async (p, rows) => fitRidge(p, rows), score: negMse });
      },
      score: async (model, rows) => negMse(model, rows),
    });
    expect(nested.testScores).toHaveLength(2);
  });

  it('rejects inner positions past the outer train part, and inner folds that share a row once mapped', async () => {
    const outerFolds = kFold(10, { k: 2 });
    const search = (inner: InnerSearchData) => gridSearch({ ...inner, params, fit: fitRidge, score: negMse });
    await expect(nestedCrossValidate({ outerFolds, innerFolds: () => kFold(10, { k: 2 }), search, score: negMse })).rejects.toThrow(
      new RangeError(
        'nestedCrossValidate: innerFolds of outer fold 0: folds[0].train holds position 5, but the outer train part has 5 rows (inner folds index positions 0 to 4 in it, as kFold(outerTrain.length) gives)',
      ),
    );
    // An outer train part with a repeated row (a bootstrap): positions 0 and 1 are both row 7.
    const bootstrap: Fold[] = [{ train: Uint32Array.of(7, 7, 8, 9), test: Uint32Array.of(0, 1) }];
    await expect(
      nestedCrossValidate({
        outerFolds: bootstrap,
        innerFolds: () => [{ train: Uint32Array.of(0, 2), test: Uint32Array.of(1, 3) }],
        search,
        score: negMse,
      }),
    ).rejects.toThrow(new RangeError('nestedCrossValidate: innerFolds of outer fold 0 (as rows): folds[0] uses row 7 in both train and test'));
    await expect(nestedCrossValidate({ outerFolds, innerFolds: () => [], search, score: negMse })).rejects.toThrow(
      'nestedCrossValidate: innerFolds of outer fold 0: folds must not be empty, got an empty array',
    );
  });

  it('rejects a search without refit, one refitted on outer test rows, and results that are not a search', async () => {
    const outerFolds = kFold(12, { k: 3 });
    const innerFolds = (train: Uint32Array) => kFold(train.length, { k: 2 });
    await expect(
      nestedCrossValidate({ outerFolds, innerFolds, search: (inner) => gridSearch({ ...inner, params, fit: fitRidge, score: negMse, refit: false }), score: negMse }),
    ).rejects.toThrow(new TypeError('nestedCrossValidate: the search of outer fold 0 did not refit (refit false): the outer test rows need the refitted best model'));
    const allRows = Uint32Array.from({ length: 12 }, (_, i) => i);
    await expect(
      nestedCrossValidate({ outerFolds, innerFolds, search: (inner) => gridSearch({ ...inner, rows: allRows, params, fit: fitRidge, score: negMse }), score: negMse }),
    ).rejects.toThrow(new RangeError('nestedCrossValidate: the search of outer fold 0 refitted on row 0, an outer test row: pass the inner rows as the search\'s rows'));
    await expect(nestedCrossValidate({ outerFolds, innerFolds, search: () => ({ bestModel: 1 }) as never, score: negMse })).rejects.toThrow(
      new TypeError('nestedCrossValidate: search must resolve to the result of gridSearch or randomSearch, got an object (Object) for outer fold 0'),
    );
    await expect(nestedCrossValidate({ outerFolds, innerFolds, search: 'grid' as never, score: negMse })).rejects.toThrow(
      new TypeError('nestedCrossValidate: search must be a function, got "grid"'),
    );
    await expect(nestedCrossValidate({ outerFolds, innerFolds, search: (inner: InnerSearchData) => gridSearch({ ...inner, params, fit: fitRidge, score: negMse }), score: negMse, k: 3 } as never)).rejects.toThrow(
      /nestedCrossValidate: unknown option "k"/,
    );
    const notASearch = (value: unknown) => nestedCrossValidate({ outerFolds, innerFolds, search: () => value as never, score: negMse });
    for (const [value, shown] of [[null, 'null'], [3, '3'], [{ results: {} }, 'an object \\(Object\\)']] as const) {
      await expect(notASearch(value)).rejects.toThrow(
        new RegExp(`^nestedCrossValidate: search must resolve to the result of gridSearch or randomSearch, got ${shown} for outer fold 0$`),
      );
    }
    await expect(notASearch({ results: {}, refitRows: Uint32Array.of(20), bestIndex: undefined })).rejects.toThrow(/^nestedCrossValidate: the search of outer fold 0 did not refit/);
    await expect(notASearch({ results: {}, refitRows: [20], bestIndex: 0 })).rejects.toThrow(/^nestedCrossValidate: the search of outer fold 0 did not refit/);
  });

  it('names the outer fold of a score that is not a number, and the callbacks that are not functions', async () => {
    const outerFolds = kFold(12, { k: 3 });
    const innerFolds = (train: Uint32Array) => kFold(train.length, { k: 2 });
    const search = (inner: InnerSearchData) => gridSearch({ ...inner, params, fit: fitRidge, score: negMse });
    let calls = 0;
    await expect(nestedCrossValidate({ outerFolds, innerFolds, search, score: () => (++calls === 2 ? 'q' : 1) as never })).rejects.toThrow(
      /^nestedCrossValidate: score must return a number, got "q" for the test rows of outer fold 1$/,
    );
    await expect(nestedCrossValidate({ outerFolds, innerFolds, search, score: 3 as never })).rejects.toThrow(/^nestedCrossValidate: score must be a function, got 3$/);
    await expect(nestedCrossValidate({ outerFolds, innerFolds: 3 as never, search, score: negMse })).rejects.toThrow(
      /^nestedCrossValidate: innerFolds must be a function, got 3$/,
    );
  });

  it('times each search and each outer scoring: between their own duration and the call\'s', async () => {
    const nested = await expectTimesWithinCall(
      () =>
        nestedCrossValidate({
          outerFolds: kFold(12, { k: 3 }),
          innerFolds: (train) => kFold(train.length, { k: 2 }),
          search: async (inner) => {
            busyWait(3);
            return gridSearch({ ...inner, params, fit: fitRidge, score: negMse });
          },
          score: (model, rows) => {
            busyWait(2);
            return negMse(model, rows);
          },
        }),
      (result) => [
        { values: result.searchTimes, least: 3 },
        { values: result.scoreTimes, least: 2 },
      ],
    );
    expect([nested.searchTimes.length, nested.scoreTimes.length]).toEqual([3, 3]);
  });
});
