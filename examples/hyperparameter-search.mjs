// README "Choosing hyperparameters": the course's loop. Hold out a test split; choose the learning
// rate and the hidden width of the digits MLP by 3-fold cross-validation on the training split only
// (gridSearch); retrain the best on all the training rows (refit); score the test split once. Nested
// cross-validation estimates how well the whole procedure does, since the search's bestScore (the
// best of several noisy CV means) is optimistic.
import { readFileSync } from 'node:fs';
import { Adam, createWorkerPool, crossValidate, fit, fitStandardizer, getScorer, gridSearch, init, MLP, nestedCrossValidate, parseCsv, stratifiedKFold, trainTestSplit } from 'gradstep';

await init();
const data = parseCsv(readFileSync(new URL('../datasets/digits.csv', import.meta.url), 'utf8'));
const { train, test } = trainTestSplit(data.y.length, { testSize: 0.25, seed: 1, stratify: Array.from(data.y) });
// Standardization is fitted on the training rows only: the test rows choose nothing.
const X = fitStandardizer(data.X, data.features, train).transform(data.X);
const labelsOf = (rows) => Array.from(rows, (i) => data.y[i]);
/** Folds over `rows` (stratified), as row indices. */
const foldsOver = (rows, seed) =>
  stratifiedKFold(labelsOf(rows), { k: 3, shuffle: true, seed }).map((f) => ({ train: f.train.map((i) => rows[i]), test: f.test.map((i) => rows[i]) }));

const accuracy = getScorer('accuracy');
const search = {
  params: { lr: [3e-3, 3e-2], hidden: [16, 32] },
  fit: ({ lr, hidden }, rows) => {
    const model = new MLP({ layers: [data.features, hidden, 10], seed: 1 });
    fit(model, { X, y: data.y, rows }, { optimizer: new Adam(model.params, { lr }), epochs: 5, batchSize: 32, seed: 3 });
    return model;
  },
  score: (model, rows) => accuracy.score(labelsOf(rows), model.predict(X, rows)),
};

const result = await gridSearch({ ...search, folds: foldsOver(train, 2), rows: train });
result.results.params.forEach((params, c) => {
  console.log(`lr ${params.lr}, hidden ${params.hidden}: CV accuracy ${result.results.meanTestScore.score[c].toFixed(4)} ± ${result.results.stdTestScore.score[c].toFixed(4)} (rank ${result.results.rankTestScore.score[c]})`);
});
console.log(`best: lr ${result.bestParams.lr}, hidden ${result.bestParams.hidden}; CV accuracy ${result.bestScore.toFixed(4)}`);
console.log(`refitted on all ${train.length} training rows; test accuracy (one look) ${search.score(result.bestModel, test).toFixed(4)}`);

const nested = await nestedCrossValidate({
  outerFolds: foldsOver(train, 4),
  innerFolds: (outerTrain) => stratifiedKFold(labelsOf(outerTrain), { k: 3, shuffle: true, seed: 5 }),
  search: (inner) => gridSearch({ ...search, ...inner }),
  score: search.score,
});
console.log(`nested CV estimate of the whole procedure: ${nested.meanTestScore.toFixed(4)} (the searches' best CV scores averaged ${nested.meanInnerBestScore.toFixed(4)})`);

// The same search on every core: the model as a recipe (plain data, so it can go to worker threads),
// the candidates' params as paths into it, on a pool kept for the search and a cross-validation of
// the winner. The same bits as the search above, whatever the number of workers.
const pool = createWorkerPool('auto');
try {
  const recipe = { model: { type: 'MLP', layers: [data.features, 16, 10], seed: 1 }, optimizer: { type: 'Adam', lr: 3e-3 }, epochs: 5, batchSize: 32, seed: 3 };
  const onPool = await gridSearch({
    folds: foldsOver(train, 2),
    rows: train,
    recipe,
    data: { X, y: data.y },
    params: { 'optimizer.lr': [3e-3, 3e-2], 'model.layers': [16, 32].map((hidden) => [data.features, hidden, 10]) },
    workers: pool,
  });
  const same = onPool.results.meanTestScore.score.every((score, c) => {
    const { 'optimizer.lr': lr, 'model.layers': layers } = onPool.results.params[c];
    const twin = result.results.params.findIndex((p) => p.lr === lr && p.hidden === layers[1]);
    return score === result.results.meanTestScore.score[twin];
  });
  console.log(`on a pool of ${pool.size} worker(s): best CV accuracy ${onPool.bestScore.toFixed(4)}; the same scores as the callback search: ${same ? 'yes' : 'NO'}`);
  const cv = await crossValidate({ folds: foldsOver(train, 2), recipe: { ...recipe, optimizer: { type: 'Adam', lr: onPool.bestParams['optimizer.lr'] }, model: { ...recipe.model, layers: onPool.bestParams['model.layers'] } }, data: { X, y: data.y }, workers: pool });
  console.log(`crossValidate of the winner on the pool: ${cv.meanTestScore.toFixed(4)} ± ${cv.stdTestScore.toFixed(4)}`);
} finally {
  await pool.close();
}
