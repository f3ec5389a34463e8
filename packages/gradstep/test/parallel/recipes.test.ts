// Recipes: gradstep's own models as plain data for the pool. A recipe search gives the same bits on 1
// and 2 workers, on a kept pool and as the callback search written by hand (model seed 0, batch seed 0);
// its refitted model is that hand-written refit, bit for bit; scorers that need probabilities get the
// positive class's; both backends; bad recipes are refused naming the field; nothing passed in changes.
import { afterEach, describe, expect, it } from 'vitest';
import {
  Adam,
  bagging,
  biasVariance,
  createWorkerPool,
  crossValidate,
  fit,
  fromRowArrays,
  getScorer,
  gridSearch,
  init,
  kFold,
  learningCurve,
  LinearRegression,
  liveWorkerCount,
  LogisticRegression,
  memoryStats,
  MLP,
  nestedCrossValidate,
  Random,
  rocAucScore,
  SGD,
  stratifiedKFold,
  toRowArrays,
  trainRecipe,
  validationCurve,
  type Recipe,
  type SearchResult,
} from 'gradstep';

await init();
afterEach(() => expect(liveWorkerCount()).toBe(0));

// Three classes around three centres, 4 features, 90 rows.
const random = new Random(3);
const n = 90;
const features = 4;
const y = Float64Array.from({ length: n }, (_, i) => i % 3);
const X = Float32Array.from({ length: n * features }, (_, k) => y[Math.floor(k / features)] * ((k % features) - 1.5) + random.nextFloat() * 2 - 1);
const data = { X, y };
const folds = stratifiedKFold(Array.from(y), { k: 3, shuffle: true, seed: 4 });
const recipe: Recipe = { model: { type: 'MLP', layers: [features, 8, 3] }, optimizer: { type: 'Adam', lr: 0.01 }, epochs: 3, batchSize: 16 };
const params = { 'optimizer.lr': [0.003, 0.03], 'model.layers': [[features, 8, 3], [features, 12, 3]] };

const bits = (values: ArrayLike<number>) => Array.from(new BigUint64Array(Float64Array.from(values).buffer), (b) => b.toString(16));
const weightBits = (model: { params: readonly { value: Float32Array }[] }) => model.params.map((p) => Array.from(new Uint32Array(Float32Array.from(p.value).buffer)));
const searchBits = (result: SearchResult<unknown, unknown, string>) => ({
  split: Object.fromEntries(Object.entries(result.results.splitTestScores).map(([k, v]) => [k, v.map(bits)])),
  rank: Object.fromEntries(Object.entries(result.results.rankTestScore).map(([k, v]) => [k, Array.from(v)])),
  bestIndex: result.bestIndex,
  bestModel: result.bestModel === undefined ? undefined : weightBits(result.bestModel as MLP),
});

/** The recipe's search written by hand: what a recipe means. */
function byHand(candidate: { 'optimizer.lr': number; 'model.layers': number[] }, rows: Uint32Array) {
  const model = new MLP({ layers: candidate['model.layers'], seed: 0 });
  fit(model, { X, y, rows }, { optimizer: new Adam(model.params, { lr: candidate['optimizer.lr'] }), epochs: 3, batchSize: 16, seed: 0 });
  return model;
}

describe('a recipe search', () => {
  it('gives the bits of the hand-written search on 1 and 2 workers and on a pool', async () => {
    const accuracy = getScorer('accuracy');
    const hand = await gridSearch({ folds, params, fit: byHand, score: (model, rows) => accuracy.score(Array.from(rows, (r) => y[r]), model.predict(X, rows)) });
    const pool = createWorkerPool(2);
    try {
      for (const workers of [1, 2, pool]) {
        const result = await gridSearch({ folds, params, recipe, data, workers });
        expect(searchBits(result)).toEqual(searchBits(hand));
        expect(result.bestModel).toBeInstanceOf(MLP);
      }
    } finally {
      await pool.close();
    }
    // The grid is not flat: candidates score differently.
    expect(new Set(hand.results.meanTestScore.score).size).toBeGreaterThan(1);
  });

  it('reports several scorers, probability scorers on predictProba', async () => {
    const multi = await gridSearch({ folds, params, recipe: { ...recipe, scoring: ['accuracy', 'negLogLoss', 'rocAucOvr'] }, data, workers: 2, refit: 'negLogLoss' });
    expect(multi.scorers).toEqual(['accuracy', 'negLogLoss', 'rocAucOvr']);
    const c = multi.bestIndex!;
    const f = 1;
    const model = byHand(multi.results.params[c] as never, folds[f].train);
    const test = folds[f].test;
    const yTest = Array.from(test, (r) => y[r]);
    expect(multi.results.splitTestScores.negLogLoss[c][f]).toBe(getScorer('negLogLoss').score(yTest, model.predictProba(X, test)));
    expect(multi.results.splitTestScores.rocAucOvr[c][f]).toBe(rocAucScore(yTest, model.predictProba(X, test), { multiClass: 'ovr' }));
  });

  it('scores a binary LogisticRegression on P(y = 1) and a regressor with r2 by default, on the js backend too', async () => {
    const yBinary = Float64Array.from(y, (v) => (v === 2 ? 1 : 0));
    const binaryRecipe: Recipe = { model: { type: 'LogisticRegression', features }, optimizer: { type: 'SGD', lr: 0.1 }, epochs: 2, scoring: 'rocAuc', backend: 'js' };
    const [one, two] = await Promise.all([1, 2].map((workers) => crossValidate({ folds, recipe: binaryRecipe, data: { X, y: yBinary }, workers })));
    expect(bits(two.testScores)).toEqual(bits(one.testScores));
    const model = new LogisticRegression({ features, backend: 'js' });
    fit(model, { X, y: yBinary, rows: folds[0].train }, { optimizer: new SGD(model.params, { lr: 0.1 }), epochs: 2, batchSize: 32, seed: 0 });
    expect(one.testScores[0]).toBe(rocAucScore(Array.from(folds[0].test, (r) => yBinary[r]), model.predictProba(X, folds[0].test)));

    const yValue = Float32Array.from({ length: n }, (_, i) => X[i * features] - 2 * X[i * features + 1]);
    const regression: Recipe = { model: { type: 'LinearRegression', features }, optimizer: { type: 'SGD', lr: 0.05 }, epochs: 4 };
    const curve = await learningCurve({ folds: kFold(n, { k: 3 }), trainSizes: [0.5, 1], recipe: regression, data: { X, y: yValue }, workers: 2 });
    const linear = trainRecipe(regression, { X, y: yValue }, kFold(n, { k: 3 })[0].train);
    expect(linear).toBeInstanceOf(LinearRegression);
    const test = kFold(n, { k: 3 })[0].test;
    expect(curve.testScores[1][0]).toBe(getScorer('r2').score(Array.from(test, (r) => yValue[r]), linear.predict(X, test)));
  });

  it('validationCurve varies one recipe field', async () => {
    const one = await validationCurve({ folds, recipe, data, paramName: 'epochs', paramRange: [1, 4] });
    const two = await validationCurve({ folds, recipe, data, paramName: 'epochs', paramRange: [1, 4], workers: 2 });
    expect(two.testScores.map(bits)).toEqual(one.testScores.map(bits));
    expect(one.meanTrainScores[1]).toBeGreaterThan(one.meanTrainScores[0]);
  });

  it('leaves the recipe, the params and the data as they were', async () => {
    const given = structuredClone(recipe);
    const givenParams = structuredClone(params);
    const xBefore = X.slice();
    await gridSearch({ folds, params, recipe: given, data, workers: 2 });
    expect(given).toEqual(recipe);
    expect(givenParams).toEqual(params);
    expect(X).toEqual(xBefore);
  });
});

describe('nested cross-validation of a recipe search', () => {
  it('gives the same bits with its searches on 1 worker and on a kept pool, on both backends', async () => {
    const outerFolds = stratifiedKFold(Array.from(y), { k: 3, shuffle: true, seed: 8 });
    const accuracy = getScorer('accuracy');
    const nested = (backend: 'wasm' | 'js', workers: number | ReturnType<typeof createWorkerPool>) =>
      nestedCrossValidate({
        outerFolds,
        innerFolds: (outerTrain) => stratifiedKFold(Array.from(outerTrain, (r) => y[r]), { k: 2, shuffle: true, seed: 9 }),
        search: (inner) => gridSearch({ ...inner, params, recipe: { ...recipe, backend }, data, workers }),
        score: (model, rows) => accuracy.score(Array.from(rows, (r) => y[r]), (model as MLP).predict(X, rows)),
      });
    const pool = createWorkerPool(2);
    try {
      for (const backend of ['wasm', 'js'] as const) {
        const one = await nested(backend, 1);
        const pooled = await nested(backend, pool);
        expect(bits(pooled.testScores)).toEqual(bits(one.testScores));
        expect(bits(pooled.innerBestScores)).toEqual(bits(one.innerBestScores));
        expect(pooled.bestParams).toEqual(one.bestParams);
        expect((one.models[0] as MLP).params[0].backend).toBe(backend);
      }
    } finally {
      await pool.close();
    }
  });
});

describe('bad recipes', () => {
  const run = (r: unknown, extra: Record<string, unknown> = {}) => gridSearch({ folds, params: { epochs: [1] }, recipe: r as Recipe, data, ...extra });
  it('are refused naming the field', async () => {
    await expect(run({ ...recipe, model: { type: 'Transformer' } })).rejects.toThrow(/recipe\.model\.type must be 'MLP'.*got "Transformer"/);
    await expect(run({ ...recipe, optimizer: { type: 'Adamm' } })).rejects.toThrow(/recipe\.optimizer\.type must be one of SGD, .*got "Adamm"/);
    await expect(run({ ...recipe, optimiser: {} })).rejects.toThrow(/unknown option "optimiser"/);
    await expect(run({ ...recipe, scoring: 'acuracy' })).rejects.toThrow(/recipe\.scoring names no scorer: "acuracy"/);
    await expect(run({ ...recipe, epochs: undefined })).rejects.toThrow(/recipe\.epochs is required/);
    await expect(run({ ...recipe, model: { type: 'MLP', layers: [features, 0, 3] } })).rejects.toThrow(/fit threw for candidate 0/);
    await expect(gridSearch({ folds, params: { 'optimizer.nope.x': [1] }, recipe, data })).rejects.toThrow(/"optimizer\.nope\.x" names no part of the recipe/);
    await expect(gridSearch({ folds, params: { scoring: [['r2']] }, recipe, data })).rejects.toThrow(/"scoring" names no part of the recipe/);
    await expect(crossValidate({ folds, recipe: { ...recipe, scoring: ['accuracy', 'f1Macro'] }, data })).rejects.toThrow(/recipe\.scoring must name one scorer \(crossValidate has one score\), got 2/);
    const one = await crossValidate({ folds, recipe: { ...recipe, scoring: ['f1Macro'] }, data });
    expect(bits(one.testScores)).toEqual(bits((await crossValidate({ folds, recipe: { ...recipe, scoring: 'f1Macro' }, data })).testScores));
    expect(() => trainRecipe({ ...recipe, model: { type: 'Foo' } } as never, data, folds[0].train)).toThrow(/^trainRecipe: recipe\.model\.type must be/);
    expect(() => trainRecipe(null as never, data, folds[0].train)).toThrow(TypeError);
    await expect(gridSearch({ folds, params: { epochs: [1] }, recipe, data: { X: Array.from(X), y } })).rejects.toThrow(/data must be \{ X, y \} with X a row-major Float32Array/);
    await expect(gridSearch({ folds, params: { epochs: [1] }, recipe, task: 'x.mjs', data } as never)).rejects.toThrow(/either task \(a module\) or recipe/);
  });

  it('the inline entry alone runs recipes in the calling thread only (beside the Node entry, it uses its workers)', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const script = `
      const g = await import('gradstep/inline');
      await g.init();
      const y = Float64Array.from({ length: 30 }, (_, i) => i % 2);
      const X = Float32Array.from({ length: 60 }, (_, k) => y[k >> 1] + Math.sin(k));
      const options = { folds: g.kFold(30, { k: 3 }), params: { epochs: [1] }, recipe: { model: { type: 'LogisticRegression', features: 2 }, optimizer: { type: 'SGD', lr: 0.1 }, epochs: 1 }, data: { X, y } };
      const here = await g.gridSearch(options);
      console.log(here.bestModel instanceof g.LogisticRegression);
      await g.gridSearch({ ...options, workers: 2 }).catch((e) => console.log(e.message));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000, cwd: new URL('.', import.meta.url) });
    const [fitted, refused] = stdout.trim().split('\n');
    expect(fitted).toBe('true');
    expect(refused).toMatch(/^gridSearch: recipes on worker threads need the Node or browser entry/);
    const inline = await import('gradstep/inline');
    const beside = await inline.gridSearch({ folds, params: { epochs: [1] }, recipe, data, workers: 2 });
    expect(beside.bestModel).toBeInstanceOf(inline.MLP);
  });
});

describe('biasVariance of a recipe', () => {
  const trainRows = Uint32Array.from({ length: 60 }, (_, i) => i);
  const testRows = Uint32Array.from({ length: 30 }, (_, i) => 60 + i);
  const small: Recipe = { model: { type: 'SoftmaxRegression', features, classes: 3 }, optimizer: { type: 'SGD', lr: 0.2 }, epochs: 2, batchSize: 8 };

  it('has the callback form\'s draws and decomposition, with the same bits on 1 and 2 workers and a pool', async () => {
    // The callback form over row indices, training the same recipe on the drawn rows.
    const byHand = biasVariance({
      XTrain: Array.from(trainRows),
      yTrain: Array.from(trainRows, (r) => y[r]),
      XTest: Array.from(testRows),
      yTest: Array.from(testRows, (r) => y[r]),
      rounds: 6,
      seed: 12,
      fit: (rows) => trainRecipe(small, data, Uint32Array.from(rows)),
      predict: (model, rows) => Array.from(model.predict(X, Uint32Array.from(rows))),
    });
    const pool = createWorkerPool(2);
    try {
      for (const workers of [1, 2, pool]) {
        const result = await biasVariance({ recipe: small, data, trainRows, testRows, rounds: 6, seed: 12, workers });
        expect([result.expectedLoss, result.bias, result.variance]).toEqual([byHand.expectedLoss, byHand.bias, byHand.variance]);
        expect(result.predictions).toEqual(byHand.predictions);
      }
    } finally {
      await pool.close();
    }
    expect(byHand.variance).toBeGreaterThan(0);
  });

  it('decomposes the squared error of a regressor recipe', async () => {
    const yValue = Float32Array.from({ length: n }, (_, i) => X[i * features] - X[i * features + 3]);
    const regression: Recipe = { model: { type: 'LinearRegression', features }, optimizer: { type: 'SGD', lr: 0.05 }, epochs: 3 };
    const [one, two] = await Promise.all([1, 2].map((workers) => biasVariance({ recipe: regression, data: { X, y: yValue }, trainRows, testRows, loss: 'mse', rounds: 5, seed: 3, workers })));
    expect(bits([two.expectedLoss, two.bias, two.variance])).toEqual(bits([one.expectedLoss, one.bias, one.variance]));
    expect(one.expectedLoss).toBeCloseTo(one.bias + one.variance, 10);
  });

  it('refuses bad rows and options', async () => {
    await expect(biasVariance({ recipe: small, data, trainRows: [0, 1] as never, testRows })).rejects.toThrow(/trainRows must be a Uint32Array/);
    await expect(biasVariance({ recipe: small, data, trainRows, testRows: Uint32Array.of(5, 90) })).rejects.toThrow(/testRows\[1\] is row 90, but data has 90 rows/);
    await expect(biasVariance({ recipe: small, data, trainRows, testRows, loss: 'l1' as never })).rejects.toThrow(/loss must be 'mse' or '0-1'/);
    await expect(biasVariance({ recipe: small, data, trainRows, testRows, rounds: 0 })).rejects.toThrow(RangeError);
    const broken: Recipe = { ...small, model: { type: 'SoftmaxRegression', features, classes: 1 } };
    await expect(biasVariance({ recipe: broken, data, trainRows, testRows, rounds: 2 })).rejects.toThrow(/^biasVariance: the fit of round 0 threw: SoftmaxRegression: classes/);
    await expect(bagging({ task: 'classification', recipe: broken, data, estimators: 2, seed: 1 })).rejects.toThrow(/^bagging: the fit of member 0 threw: SoftmaxRegression: classes/);
  });
});

describe('wasm memory of the models a search trains', () => {
  it('frees each job\'s model once scored: a search leaves only its refitted model', async () => {
    const count = () => memoryStats().wasmBlocks;
    const before = count();
    const result = await gridSearch({ folds, params, recipe, data });
    const after = count();
    (result.bestModel as MLP).dispose();
    expect(count()).toBe(before);
    // The refitted MLP's blocks only, not the 12 fitted models' (each holds the same number).
    const perModel = after - before;
    expect(perModel).toBeGreaterThan(0);
    const single = trainRecipe(recipe, data, folds[0].train);
    expect(count() - before).toBe(perModel);
    single.dispose();
  });
});

describe('bagging of a recipe', () => {
  const mlp: Recipe = { model: { type: 'MLP', layers: [features, 6, 3] }, optimizer: { type: 'Adam', lr: 0.02 }, epochs: 3, batchSize: 16 };

  it('is the ensemble the callback form builds (members seeded by their draws), on 1 and 2 workers and a pool', async () => {
    const rows = toRowArrays(X, features);
    // The callback form: each member an MLP seeded, and its batches ordered, by info.seed.
    const byHand = bagging({
      task: 'classification',
      X: rows,
      y: Array.from(y),
      estimators: 4,
      seed: 21,
      fit: (_rows, _y, info) => trainRecipe({ ...mlp, model: { ...mlp.model, seed: info.seed } as Recipe['model'], seed: info.seed }, data, info.indices),
      predict: (model, part) => Array.from(model.predict(fromRowArrays(part))),
      predictProba: (model, part) => {
        const proba = model.predictProba(fromRowArrays(part));
        return part.map((_, i) => Array.from(proba.subarray(3 * i, 3 * i + 3)));
      },
    });
    const pool = createWorkerPool(2);
    try {
      for (const workers of [1, 2, pool]) {
        const ensemble = await bagging({ task: 'classification', recipe: mlp, data, estimators: 4, seed: 21, workers });
        expect(ensemble.members.map(weightBits)).toEqual(byHand.members.map(weightBits));
        expect(ensemble.oobScore).toBe(byHand.oobScore);
        expect(ensemble.predictProba(rows.slice(0, 10))).toEqual(byHand.predictProba(rows.slice(0, 10)));
        for (const member of ensemble.members) member.dispose();
      }
    } finally {
      await pool.close();
    }
    expect(byHand.oobScore).toBeGreaterThan(0.5);
  });

  it('bags a regressor recipe and refuses a bad task', async () => {
    const yValue = Float32Array.from({ length: n }, (_, i) => X[i * features] + X[i * features + 1]);
    const recipeLinear: Recipe = { model: { type: 'LinearRegression', features }, optimizer: { type: 'SGD', lr: 0.05 }, epochs: 3 };
    const [one, two] = await Promise.all([1, 2].map((workers) => bagging({ task: 'regression', recipe: recipeLinear, data: { X, y: yValue }, estimators: 3, seed: 5, workers })));
    expect(bits(two.predict(toRowArrays(X, features)))).toEqual(bits(one.predict(toRowArrays(X, features))));
    expect(one.oobScore).toBeGreaterThan(0.5);
    await expect(bagging({ task: 'ranking' as never, recipe: recipeLinear, data })).rejects.toThrow(/task must be 'regression' or 'classification'/);
    // Refused before any member trains.
    const before = memoryStats().wasmBlocks;
    await expect(bagging({ task: 'regression', recipe: recipeLinear, data: { X, y: yValue }, bootstrap: false, outOfBag: true })).rejects.toThrow(/only available with bootstrap: true/);
    expect(memoryStats().wasmBlocks).toBe(before);
  });
});
