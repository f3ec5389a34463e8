// gridSearch and randomSearch with small pure-TypeScript models: a one-feature ridge regression in closed
// form and a nearest-centroid classifier. Results against crossValidate per candidate, the order of the
// calls, the refit and its rows, several scorers, errorScore, warnings, async callbacks, the rank rule
// and argument errors. scikit-learn's own numbers are checked in sklearn-search.test.ts.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { captureWarnings } from '../capture-warnings.js';
import { busyWait, expectTimesWithinCall } from '../timing.js';
import { crossValidate } from '../../src/evaluation/cross-validate.js';
import { integers, logUniform, parameterGrid, parameterSampler, uniform } from '../../src/evaluation/parameter-grid.js';
import { formatParams, gridSearch, randomSearch, rankMeans } from '../../src/evaluation/search.js';
import { kFold } from '../../src/model-selection/k-fold.js';
import { Random } from '../../src/model-selection/random.js';
import { setWarningHandler } from '../../src/model-selection/warnings.js';

const warnings = captureWarnings(setWarningHandler);

// y = 2x + 1 + noise on 30 rows.
const random = new Random(1);
const X = Array.from({ length: 30 }, (_, i) => i / 10);
const Y = X.map((x) => 2 * x + 1 + (random.nextFloat() - 0.5));

/** Ridge regression on one feature with an (unpenalized) intercept: w = Σ xc·yc / (Σ xc² + α). */
class Ridge {
  w = 0;
  b = 0;
  constructor(readonly alpha: number) {}
  fit(rows: Uint32Array): this {
    let mx = 0;
    let my = 0;
    for (const r of rows) {
      mx += X[r];
      my += Y[r];
    }
    mx /= rows.length;
    my /= rows.length;
    let sxy = 0;
    let sxx = 0;
    for (const r of rows) {
      sxy += (X[r] - mx) * (Y[r] - my);
      sxx += (X[r] - mx) ** 2;
    }
    this.w = sxy / (sxx + this.alpha);
    this.b = my - this.w * mx;
    return this;
  }
}
/** Negative mean squared error (higher is better, as scikit-learn's neg_mean_squared_error). */
const negMse = (model: Ridge, rows: Uint32Array) => {
  let sum = 0;
  for (const r of rows) sum += (Y[r] - (model.w * X[r] + model.b)) ** 2;
  return -sum / rows.length;
};
const maxError = (model: Ridge, rows: Uint32Array) => -Math.max(...Array.from(rows, (r) => Math.abs(Y[r] - (model.w * X[r] + model.b))));

describe('gridSearch', () => {
  const folds = kFold(30, { k: 5, shuffle: true, seed: 2 });
  const alphas = [1000, 0.1, 10, 0, 1];

  it('gives each candidate the numbers of crossValidate, ranks them and refits the best on all rows', async () => {
    const search = await gridSearch({ folds, params: { alpha: alphas }, fit: (p, rows) => new Ridge(p.alpha).fit(rows), score: negMse, returnTrainScore: true });
    const r = search.results;
    expect(r.params).toEqual(alphas.map((alpha) => ({ alpha })));
    for (let c = 0; c < alphas.length; c++) {
      const cv = await crossValidate({ folds, fit: (rows) => new Ridge(alphas[c]).fit(rows), score: negMse, returnTrainScore: true });
      expect(r.splitTestScores.score[c]).toEqual(cv.testScores);
      expect(r.meanTestScore.score[c]).toBe(cv.meanTestScore);
      expect(r.stdTestScore.score[c]).toBe(cv.stdTestScore);
      expect(r.splitTrainScores!.score[c]).toEqual(cv.trainScores);
      expect(r.meanTrainScore!.score[c]).toBe(cv.meanTrainScore);
      expect(r.stdTrainScore!.score[c]).toBe(cv.stdTrainScore);
    }
    // Ranks: 1 for the largest mean, in order of the means.
    const means = Array.from(r.meanTestScore.score);
    const sorted = [...means].sort((a, b) => b - a);
    expect(Array.from(r.rankTestScore.score)).toEqual(means.map((m) => sorted.indexOf(m) + 1));
    expect(r.params[search.bestIndex!]).toEqual({ alpha: alphas[means.indexOf(sorted[0])] });
    expect(search.bestScore).toBe(sorted[0]);
    expect(search.bestParams).toBe(r.params[search.bestIndex!]);
    expect(search.bestModel).toEqual(new Ridge(search.bestParams!.alpha).fit(Uint32Array.from(X, (_, i) => i)));
    expect(Array.from(search.refitRows!)).toEqual(X.map((_, i) => i));
    expect(search.refitTime).toBeGreaterThanOrEqual(0);
    expect(search.scorers).toEqual(['score']);
    expect(search.refitMetric).toBe('score');
    expect(search.nSplits).toBe(5);
    expect([search.fitFailures, search.scoreFailures]).toEqual([0, 0]);
    for (const times of [r.meanFitTime, r.stdFitTime, r.meanScoreTime, r.stdScoreTime]) {
      expect(times).toHaveLength(5);
      for (const t of times) expect(t).toBeGreaterThanOrEqual(0);
    }
    expect(warnings).toEqual([]);
  });

  it('runs candidates in order, each over the folds in order, one call at a time, with copies of the params', async () => {
    const calls: string[] = [];
    let running = 0;
    const grid = { b: ['x', 'y'], a: [1, 2] };
    const candidates = parameterGrid(grid);
    const search = await gridSearch({
      folds: kFold(6, { k: 3 }),
      params: grid,
      fit: async (params, train, fold) => {
        expect(running++).toBe(0);
        calls.push(`fit ${params.a}${params.b} ${fold}`);
        await new Promise((resolve) => setTimeout(resolve, 0));
        running--;
        expect(params).not.toBe(candidates.find((p) => p.a === params.a && p.b === params.b));
        (params as { a: number }).a = -1; // a callback modifying its copy changes nothing
        return { train, fold };
      },
      score: async (model, rows) => {
        calls.push(`score ${rows === model.train ? 'train' : 'test'}`);
        return model.train.length;
      },
      rows: Uint32Array.of(5, 3, 1),
    });
    const expected: string[] = [];
    for (const p of candidates) for (let f = 0; f < 3; f++) expected.push(`fit ${p.a}${p.b} ${f}`, 'score test');
    expected.push('fit 1x refit');
    expect(calls).toEqual(expected);
    expect(search.results.params).toEqual(candidates);
    expect(Array.from(search.bestModel!.train)).toEqual([5, 3, 1]);
    expect(search.refitRows).toEqual(Uint32Array.of(5, 3, 1));
    // Every mean ties at 4: all rank 1, the first is best.
    expect(Array.from(search.results.rankTestScore.score)).toEqual([1, 1, 1, 1]);
    expect(search.bestIndex).toBe(0);
  });

  it('refits on the sorted union of the folds by default, and not at all with refit false', async () => {
    const folds = [
      { train: Uint32Array.of(7, 2), test: Uint32Array.of(9) },
      { train: Uint32Array.of(9, 2), test: Uint32Array.of(4) },
    ];
    const fit = (p: { a: number }, rows: Uint32Array) => ({ rows: Array.from(rows), a: p.a });
    const score = (m: { a: number }) => m.a;
    const search = await gridSearch({ folds, params: { a: [1, 3, 2] }, fit, score });
    expect(search.bestModel).toEqual({ rows: [2, 4, 7, 9], a: 3 });
    const noRefit = await gridSearch({ folds, params: { a: [1, 3, 2] }, fit, score, refit: false });
    expect([noRefit.bestIndex, noRefit.bestScore, noRefit.bestParams]).toEqual([1, 3, { a: 3 }]);
    expect([noRefit.bestModel, noRefit.refitRows, noRefit.refitTime]).toEqual([undefined, undefined, undefined]);
  });

  it('with several scorers, ranks each and lets refit name the one that chooses', async () => {
    const score = { mse: negMse, worst: maxError };
    const search = await gridSearch({ folds, params: { alpha: alphas }, fit: (p, rows) => new Ridge(p.alpha).fit(rows), score, refit: 'worst' });
    expect(search.scorers).toEqual(['mse', 'worst']);
    expect(search.refitMetric).toBe('worst');
    const r = search.results;
    expect(Object.keys(r.meanTestScore)).toEqual(['mse', 'worst']);
    const single = await gridSearch({ folds, params: { alpha: alphas }, fit: (p, rows) => new Ridge(p.alpha).fit(rows), score: maxError });
    expect(r.splitTestScores.worst).toEqual(single.results.splitTestScores.score);
    expect(r.rankTestScore.worst).toEqual(single.results.rankTestScore.score);
    expect(search.bestIndex).toBe(single.bestIndex);
    expect(search.bestScore).toBe(r.meanTestScore.worst[search.bestIndex!]);
    const none = await gridSearch({ folds, params: { alpha: alphas }, fit: (p, rows) => new Ridge(p.alpha).fit(rows), score, refit: false });
    expect([none.refitMetric, none.bestIndex, none.bestParams, none.bestScore, none.bestModel]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(none.results.rankTestScore.mse).toEqual(r.rankTestScore.mse);
  });

  it("errorScore 'raise' (default) rejects naming the candidate and fold, with the error as cause", async () => {
    const cause = new Error('singular matrix');
    const failing = gridSearch({
      folds: kFold(6, { k: 3 }),
      params: { alpha: [1, 2], solver: ['svd'] },
      fit: (p, _rows, fold) => {
        if (p.alpha === 2 && fold === 1) throw cause;
        return p.alpha;
      },
      score: (m) => m,
    });
    await expect(failing).rejects.toThrow('gridSearch: fit threw for candidate 1 { alpha: 2, solver: "svd" } on fold 1: singular matrix');
    await failing.catch((error: Error) => expect(error.cause).toBe(cause));
    const scoreThrows = gridSearch({
      folds: kFold(6, { k: 3 }),
      params: { a: [1] },
      fit: () => 0,
      score: { acc: () => 1, f1: () => Promise.reject(new TypeError('no positives')) },
      refit: 'acc',
    });
    await expect(scoreThrows).rejects.toThrow('gridSearch: score "f1" threw for candidate 0 { a: 1 } on the test rows of fold 0: no positives');
  });

  it('a numeric errorScore records the failures, counts and warns once, ranks NaN last', async () => {
    const search = await gridSearch({
      folds: kFold(6, { k: 3 }),
      params: { a: [1, 2, 3] },
      fit: (p, _rows, fold) => {
        if (p.a === 1 && fold === 2) throw new Error('diverged');
        return p.a;
      },
      score: (m, rows) => {
        if (m === 3 && rows[0] === 0) throw new Error('empty class');
        return m;
      },
      errorScore: NaN,
      returnTrainScore: true,
    });
    const r = search.results;
    expect(r.splitTestScores.score.map((row) => Array.from(row))).toEqual([[1, 1, NaN], [2, 2, 2], [NaN, 3, 3]]);
    expect(r.splitTrainScores!.score.map((row) => Array.from(row))).toEqual([[1, 1, NaN], [2, 2, 2], [3, NaN, NaN]]);
    expect(Array.from(r.rankTestScore.score)).toEqual([2, 1, 2]); // both NaN → nanmin − 1 = 1: tied, last
    expect([search.fitFailures, search.scoreFailures, search.bestIndex]).toEqual([1, 3, 1]);
    expect(warnings).toEqual([
      'gridSearch: 1 fits failed out of a total of 9; their scores are set to NaN. The first: candidate 0 { a: 1 } on fold 2: diverged',
      'gridSearch: scoring failed 3 times; those scores are set to NaN. The first: candidate 2 { a: 3 } on fold 0: empty class',
      'gridSearch: one or more of the mean test scores are non-finite (candidates 0, 2)',
      'gridSearch: one or more of the mean train scores are non-finite (candidates 0, 2)',
    ]);
  });

  it('rejects when every fit fails, even with a numeric errorScore', async () => {
    const cause = new RangeError('bad');
    const search = gridSearch({ folds: kFold(4, { k: 2 }), params: { a: [1, 2] }, fit: () => { throw cause; }, score: () => 0, errorScore: 0 });
    await expect(search).rejects.toThrow(/^gridSearch: all the 4 fits failed; it is very likely that fit is misconfigured .* The first: candidate 0 \{ a: 1 \} on fold 0: bad$/);
    await search.catch((error: Error) => expect(error.cause).toBe(cause));
  });

  it('rejects a refit that throws, whatever errorScore', async () => {
    const search = gridSearch({
      folds: kFold(4, { k: 2 }),
      params: { a: [1] },
      fit: (_p, _rows, fold) => {
        if (fold === 'refit') throw new Error('out of memory');
        return 0;
      },
      score: () => 0,
      errorScore: NaN,
    });
    await expect(search).rejects.toThrow('gridSearch: the refit of the best candidate 0 { a: 1 } on 4 rows threw: out of memory');
  });

  it('rejects a score that is not a number (never replaced by errorScore)', async () => {
    const search = gridSearch({ folds: kFold(4, { k: 2 }), params: { a: [1] }, fit: () => 0, score: () => '0.5' as unknown as number, errorScore: NaN });
    await expect(search).rejects.toThrow(new TypeError('gridSearch: score must return a number, got "0.5" for the test rows of fold 0, candidate 0'));
  });

  it('checks every argument before the first fit', async () => {
    let fits = 0;
    const fit = () => ++fits;
    const score = () => 0;
    const folds = kFold(4, { k: 2 });
    const cases: [unknown, typeof TypeError | typeof RangeError, string | RegExp][] = [
      [{ folds, params: { a: [1] }, fit, score, cv: 3 }, TypeError, /gridSearch: unknown option "cv"/],
      [{ folds, fit, score }, TypeError, 'gridSearch: params (the parameter grid) is required'],
      [{ folds, params: [], fit, score }, RangeError, 'gridSearch: there are no candidates to evaluate (the grid is an empty array)'],
      [{ folds, params: { a: [] }, fit, score }, RangeError, 'gridSearch: params.a must be a non-empty array of values, got an empty array'],
      [{ folds, params: { a: 0.1 }, fit, score }, TypeError, /gridSearch: params\.a must be an array of values, got 0\.1/],
      [{ folds: [], params: { a: [1] }, fit, score }, RangeError, 'gridSearch: folds must not be empty, got an empty array'],
      [{ folds: [{ train: Uint32Array.of(0, 1), test: Uint32Array.of(1) }], params: { a: [1] }, fit, score }, RangeError, 'gridSearch: folds[0] uses row 1 in both train and test'],
      [{ folds, params: { a: [1] }, fit: 'fit', score }, TypeError, 'gridSearch: fit must be a function, got "fit"'],
      [{ folds, params: { a: [1] }, fit, score: [score] }, TypeError, /gridSearch: score must be a function or an object of named score functions, got an array/],
      [{ folds, params: { a: [1] }, fit, score: {} }, RangeError, 'gridSearch: score must name at least one score function, got an empty object'],
      [{ folds, params: { a: [1] }, fit, score: { acc: 1 } }, TypeError, 'gridSearch: score.acc must be a function, got 1'],
      [{ folds, params: { a: [1] }, fit, score: { acc: score, f1: score } }, RangeError, 'gridSearch: with several scorers, refit must be the name of the one that chooses the best candidate ("acc", "f1") or false, got true'],
      [{ folds, params: { a: [1] }, fit, score: { acc: score }, refit: 'f1' }, RangeError, /refit must be the name of the one .* \("acc"\) or false, got "f1"/],
      [{ folds, params: { a: [1] }, fit, score, refit: 'score' }, RangeError, /gridSearch: refit names a scorer only when score is an object of scorers; .* got "score"/],
      [{ folds, params: { a: [1] }, fit, score, refit: 1 }, TypeError, 'gridSearch: refit must be true, false or the name of a scorer, got 1'],
      [{ folds, params: { a: [1] }, fit, score, refit: null }, TypeError, /gridSearch: refit must not be null/],
      [{ folds, params: { a: [1] }, fit, score, rows: [0, 1] }, TypeError, 'gridSearch: rows must be a Uint32Array of row indices, got an array of length 2'],
      [{ folds, params: { a: [1] }, fit, score, rows: new Uint32Array(0) }, RangeError, 'gridSearch: rows must not be empty'],
      [{ folds, params: { a: [1] }, fit, score, returnTrainScore: 1 }, TypeError, 'gridSearch: returnTrainScore must be true or false, got 1'],
      [{ folds, params: { a: [1] }, fit, score, errorScore: 'nan' }, TypeError, `gridSearch: errorScore must be 'raise' or a number (such as NaN), got "nan"`],
      [{ folds, distributions: { a: [1] }, fit, score }, TypeError, /gridSearch: unknown option "distributions"/],
    ];
    for (const [options, type, message] of cases) {
      const error = await gridSearch(options as never).then(() => undefined, (e: unknown) => e);
      expect(error, JSON.stringify(message)).toBeInstanceOf(type);
      if (typeof message === 'string') expect((error as Error).message).toBe(message);
      else expect((error as Error).message).toMatch(message);
    }
    expect(fits).toBe(0);
  });
});

describe('randomSearch', () => {
  const folds = kFold(30, { k: 3 });
  const fit = (p: { alpha: number }, rows: Uint32Array) => new Ridge(p.alpha).fit(rows);

  it('evaluates the candidates of parameterSampler with the same seed', async () => {
    const distributions = { alpha: logUniform(1e-3, 1e3), unused: integers(0, 5) };
    const search = await randomSearch({ folds, distributions, nIter: 6, seed: 42, fit, score: negMse });
    expect(search.results.params).toEqual(parameterSampler(distributions, { nIter: 6, seed: 42 }));
    expect(search.results.meanTestScore.score).toHaveLength(6);
    const grid = await gridSearch({ folds, params: [search.results.params[0]].map((p) => ({ alpha: [p.alpha], unused: [p.unused] })), fit, score: negMse });
    expect(grid.results.splitTestScores.score[0]).toEqual(search.results.splitTestScores.score[0]);
    const again = await randomSearch({ folds, distributions, nIter: 6, seed: 42, fit, score: negMse });
    expect(again.results.params).toEqual(search.results.params);
    expect(again.bestIndex).toBe(search.bestIndex);
  });

  it('draws 10 candidates by default, without replacement from lists, clipping with a warning', async () => {
    const fromLists = await randomSearch({ folds, distributions: { alpha: [0, 1, 10] }, seed: 1, fit, score: negMse });
    expect(fromLists.results.params).toEqual([{ alpha: 0 }, { alpha: 1 }, { alpha: 10 }]);
    expect(warnings).toEqual([
      'randomSearch: the total space of parameters 3 is smaller than nIter=10. Running 3 iterations. For exhaustive searches, use gridSearch.',
    ]);
    const many = await randomSearch({ folds, distributions: { alpha: logUniform(0.1, 10) }, seed: 1, fit, score: negMse });
    expect(many.results.params).toHaveLength(10);
  });

  it('rejects a bad nIter, seed or distribution before fitting', async () => {
    const bad: [unknown, RegExp][] = [
      [{ folds, distributions: { alpha: [1] }, nIter: 0, fit, score: negMse }, /randomSearch: nIter must be an integer from 1 to 2\^24, got 0/],
      [{ folds, distributions: { alpha: [1] }, seed: 1.5, fit, score: negMse }, /randomSearch: seed must be an integer from 0/],
      [{ folds, distributions: { alpha: 3 }, fit, score: negMse }, /randomSearch: distributions\.alpha must be an array of values or a distribution/],
      [{ folds, fit, score: negMse }, /randomSearch: distributions is required/],
      [{ folds, params: { alpha: [1] }, fit, score: negMse }, /randomSearch: unknown option "params"/],
    ];
    for (const [options, message] of bad) await expect(randomSearch(options as never)).rejects.toThrow(message);
  });
});

describe('rankMeans (scikit-learn rank rule)', () => {
  const rank = (values: number[]) => Array.from(rankMeans(Float64Array.from(values)));
  it("ranks by method='min', NaN as nanmin − 1, ±∞ as ±largest double", () => {
    expect(rank([0.5, 0.9, 0.5, 0.1])).toEqual([2, 1, 2, 4]);
    expect(rank([0.5, NaN, 0.2])).toEqual([1, 3, 2]);
    expect(rank([0.5, NaN, -0.5])).toEqual([1, 3, 2]); // −1.5 for NaN: below −0.5
    expect(rank([-0.5, NaN, 0.5])).toEqual([2, 3, 1]);
    expect(rank([1e300, NaN, 2e300])).toEqual([2, 2, 1]); // 1e300 − 1 = 1e300: NaN ties with the smallest
    expect(rank([-Infinity, NaN, 0])).toEqual([2, 3, 1]); // NaN → −∞ − 1 = −∞, below −∞ → −MAX
    expect(rank([Infinity, Number.MAX_VALUE, 0])).toEqual([1, 1, 3]);
    expect(rank([NaN, NaN])).toEqual([1, 1]);
    expect(rank([0, -0])).toEqual([1, 1]);
    expect(rank([])).toEqual([]);
  });
});

describe('formatParams', () => {
  it('writes candidates for messages, strings quoted, long ones cut', () => {
    expect(formatParams({ a: 1, b: 'rbf', c: null, d: [1, 'x'], e: new Map() })).toBe('{ a: 1, b: "rbf", c: null, d: [1, "x"], e: an object (Map) }');
    expect(formatParams({})).toBe('{}');
    expect(formatParams({ long: 'x'.repeat(300) })).toHaveLength(200);
  });

  it('writes every kind of value, and cuts after 200 characters only', () => {
    expect(formatParams({ n: 1.5, t: true, big: 2n, u: undefined, eight: [1, 2, 3, 4, 5, 6, 7, [8]], nine: [1, 2, 3, 4, 5, 6, 7, 8, 9], o: { a: 1 } })).toBe(
      '{ n: 1.5, t: true, big: 2n, u: undefined, eight: [1, 2, 3, 4, 5, 6, 7, [8]], nine: an array of length 9, o: an object (Object) }',
    );
    // `{ s: "…" }` is 9 characters around the string.
    expect(formatParams({ s: 'x'.repeat(191) })).toBe(`{ s: "${'x'.repeat(191)}" }`);
    expect(formatParams({ s: 'x'.repeat(192) })).toBe(`{ s: "${'x'.repeat(191)}...`);
  });
});

describe('gridSearch: what its messages name, refit and its time', () => {
  const folds = kFold(6, { k: 3 });
  const rejection = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('resolved'), (error: Error) => error);

  it('names the scorer, candidate, rows and fold, and keeps the cause', async () => {
    const cause = new Error('nope');
    const threw = await rejection(gridSearch({ folds, params: { a: [1] }, fit: () => 0, score: { good: () => 1, bad: () => { throw cause; } }, refit: 'good' }));
    expect(threw.message).toBe('gridSearch: score "bad" threw for candidate 0 { a: 1 } on the test rows of fold 0: nope');
    expect(threw.cause).toBe(cause);
    await expect(gridSearch({ folds, params: { a: [1] }, fit: () => 0, score: { good: () => 1, bad: () => 'x' as never }, refit: 'good' })).rejects.toThrow(
      /^gridSearch: score must return a number, got "x" for the test rows of fold 0, candidate 0, scorer "bad"$/,
    );
    const failing = () => {
      throw new Error('boom');
    };
    await expect(gridSearch({ folds, params: { a: [1] }, fit: failing, score: () => 1, errorScore: 'raise' })).rejects.toThrow(
      /^gridSearch: fit threw for candidate 0 \{ a: 1 \} on fold 0: boom$/,
    );
    const late = new Error('late');
    const refitError = await rejection(gridSearch({ folds, params: { a: [1] }, fit: (_c: unknown, _rows: unknown, f: unknown) => { if (f === 'refit') throw late; return 0; }, score: () => 1 }));
    expect(refitError.message).toBe('gridSearch: the refit of the best candidate 0 { a: 1 } on 6 rows threw: late');
    expect(refitError.cause).toBe(late);
  });

  it('names the train rows of a train score that is not a number, and the scorer of a non-finite mean', async () => {
    // kFold(6, 3): 4 train rows, 2 test rows.
    await expect(gridSearch({ folds, params: { a: [1] }, fit: () => 0, score: (_m: unknown, rows: Uint32Array) => (rows.length === 4 ? 'x' : 1) as never, returnTrainScore: true })).rejects.toThrow(
      /^gridSearch: score must return a number, got "x" for the train rows of fold 0, candidate 0$/,
    );
    const failing = (candidate: { a: number }) => {
      if (candidate.a === 2) throw new Error('diverged');
      return 0;
    };
    await gridSearch({ folds, params: { a: [1, 2] }, fit: failing, score: { good: () => 1, other: () => 2 }, refit: 'good', errorScore: Number.NaN });
    expect(warnings.filter((w) => w.includes('non-finite'))).toEqual([
      'gridSearch: one or more of the mean test scores of "good" are non-finite (candidates 1)',
      'gridSearch: one or more of the mean test scores of "other" are non-finite (candidates 1)',
    ]);
  });

  it('several scorers: refit names one of them or is false; score is a plain object', async () => {
    const score = Object.assign(Object.create(null) as Record<string, () => number>, { good: () => 1, other: () => 2 });
    const noRefit = await gridSearch({ folds, params: { a: [1, 2] }, fit: () => 0, score, refit: false });
    expect([noRefit.refitMetric, noRefit.bestIndex, noRefit.bestParams, noRefit.bestScore, noRefit.bestModel, noRefit.refitRows, noRefit.refitTime]).toEqual(
      [undefined, undefined, undefined, undefined, undefined, undefined, undefined],
    );
    const refitted = await gridSearch({ folds, params: { a: [1, 2] }, fit: (c: { a: number }) => c.a, score, refit: 'other' });
    expect([refitted.refitMetric, refitted.bestIndex, refitted.bestParams, refitted.bestModel]).toEqual(['other', 0, { a: 1 }, 1]);
    await expect(gridSearch({ folds, params: { a: [1] }, fit: () => 0, score, refit: true } as never)).rejects.toThrow(
      /^gridSearch: with several scorers, refit must be the name of the one that chooses the best candidate \("good", "other"\) or false, got true$/,
    );
    await expect(gridSearch({ folds, params: { a: [1] }, fit: () => 0, score: new Map() as never })).rejects.toThrow(
      /^gridSearch: score must be a function or an object of named score functions, got an object \(Map\)$/,
    );
    await expect(gridSearch({ folds, params: { a: [1] }, fit: () => 0, score: [() => 1] as never })).rejects.toThrow(
      /^gridSearch: score must be a function or an object of named score functions, got an array of length 1$/,
    );
  });

  it('times the refit: between the fit\'s own duration and the call\'s', async () => {
    await expectTimesWithinCall(
      () => gridSearch({ folds, params: { a: [1] }, fit: (_c: unknown, _rows: unknown, f: unknown) => (f === 'refit' ? busyWait(3) : 0), score: () => 1 }),
      (result) => [{ values: [result.refitTime!], least: 3 }],
    );
  });
});

describe('types (checked by tsc, not at run time)', () => {
  it('infers candidates, models and scorer names from the options', async () => {
    const folds = kFold(30, { k: 3 });
    const one = await gridSearch({ folds, params: { alpha: [0.1, 1] }, fit: (p, rows) => new Ridge(p.alpha).fit(rows), score: negMse });
    expectTypeOf(one.bestParams).toEqualTypeOf<{ alpha: number } | undefined>();
    expectTypeOf(one.bestModel).toEqualTypeOf<Ridge | undefined>();
    expectTypeOf(one.results.meanTestScore).toEqualTypeOf<Readonly<Record<'score', Float64Array>>>();
    const two = await gridSearch({
      folds,
      params: [{ alpha: [0] }, { alpha: [1, 10], tag: ['x'] }],
      fit: (p, rows) => new Ridge(p.alpha).fit(rows),
      score: { mse: negMse, worst: maxError },
      refit: 'mse',
    });
    expectTypeOf(two.bestParams).toEqualTypeOf<{ alpha: number } | { alpha: number; tag: string } | undefined>();
    expectTypeOf(two.results.rankTestScore).toEqualTypeOf<Readonly<Record<'mse' | 'worst', Int32Array>>>();
    // Inline scorers get the model type from fit.
    const inline = await gridSearch({ folds, params: { alpha: [1] }, fit: (p, rows) => new Ridge(p.alpha).fit(rows), score: { w: (m) => m.w, b: (m) => m.b }, refit: false });
    expectTypeOf(inline.results.meanTestScore).toEqualTypeOf<Readonly<Record<'w' | 'b', Float64Array>>>();
    expect(inline.results.meanTestScore.w[0]).toBeGreaterThan(1.5);
    const sampled = await randomSearch({ folds, distributions: { alpha: uniform(0, 1), act: ['relu', 'tanh'] as const }, nIter: 2, seed: 0, fit: (p, rows) => new Ridge(p.alpha).fit(rows), score: negMse });
    expectTypeOf(sampled.bestParams).toEqualTypeOf<{ alpha: number; act: 'relu' | 'tanh' } | undefined>();
  });
});
