// Part 5: choosing hyperparameters as the course teaches. Hold out a test split; choose the learning
// rate × hidden width × batch size of the digits MLP by k-fold cross-validation on the training rows
// only (gridSearch with a recipe, on every core); retrain the best on all the training rows (refit);
// score the test split once. Nested cross-validation estimates the whole procedure; choosing on the
// test split instead (the best of many test scores) would have overstated it.
import { availableParallelism } from 'node:os';
import { createWorkerPool, fitStandardizer, getScorer, gridSearch, nestedCrossValidate, stratifiedKFold, trainTestSplit } from 'gradstep';
import { printTable } from './text-table.mjs';

/** Folds over `rows` (stratified on their labels), as row indices. */
function foldsOver(labels, rows, k, seed) {
  return stratifiedKFold(Array.from(rows, (r) => labels[r]), { k, shuffle: true, seed }).map((f) => ({
    train: f.train.map((i) => rows[i]),
    test: f.test.map((i) => rows[i]),
  }));
}

const bitsOf = (values) => Array.from(new BigUint64Array(Float64Array.from(values).buffer), (b) => b.toString(16)).join(',');

export async function runModelSelection(digits, settings, log) {
  const { folds: k, innerFolds, grid, epochs, seed } = settings;
  const labels = Array.from(digits.y);
  const { train, test } = trainTestSplit(labels.length, { testSize: 0.25, seed, stratify: labels });
  // Standardization is fitted on the training rows only: the test rows choose nothing, not even a scale.
  const X = fitStandardizer(digits.X, digits.features, train).transform(digits.X);
  const data = { X, y: digits.y };
  const recipe = { model: { type: 'MLP', layers: [digits.features, 64, 10] }, optimizer: { type: 'Adam', lr: 1e-3 }, epochs, batchSize: 32, seed };
  const params = { 'optimizer.lr': grid.lr, 'model.layers': grid.hidden.map((h) => [digits.features, h, 10]), batchSize: grid.batchSize };
  const folds = foldsOver(labels, train, k, seed + 1);
  const cores = availableParallelism();
  const candidates = grid.lr.length * grid.hidden.length * grid.batchSize.length;
  log(`\n== Part 5: choosing hyperparameters — ${candidates} candidates (lr × hidden × batch) × ${k}-fold CV on ${train.length} training rows, ${epochs} epochs each; ${test.length} test rows held out`);

  // The same search on the calling thread and on a pool of every core: the same bits, less wall time.
  const search = (workers) => gridSearch({ folds, params, recipe, data, rows: train, workers });
  let started = performance.now();
  const one = await search(1);
  const oneSeconds = (performance.now() - started) / 1000;
  const pool = createWorkerPool(cores);
  let result, poolSeconds, nested, testChosen;
  try {
    started = performance.now();
    result = await search(pool);
    poolSeconds = (performance.now() - started) / 1000;

    // Nested CV: each outer fold runs the whole search on its training part and scores the refitted
    // best on rows that took no part in choosing: an honest estimate of "search, then refit".
    nested = await nestedCrossValidate({
      outerFolds: foldsOver(labels, train, k, seed + 2),
      innerFolds: (outerTrain) => stratifiedKFold(Array.from(outerTrain, (r) => labels[r]), { k: innerFolds, shuffle: true, seed: seed + 3 }),
      search: (inner) => gridSearch({ ...inner, params, recipe, data, workers: pool }),
      score: (model, rows) => getScorer('accuracy').score(Array.from(rows, (r) => labels[r]), model.predict(X, rows)),
    });
    // What choosing on the test split would report: every candidate trained on all training rows and
    // scored on the test rows (a "search" whose one fold is the test split), and the best of those.
    testChosen = await gridSearch({ folds: [{ train, test }], params, recipe, data, refit: false, workers: pool });
  } finally {
    await pool.close();
  }
  const sameBits = ['splitTestScores', 'meanTestScore'].every((key) => {
    const a = result.results[key].score;
    const b = one.results[key].score;
    return Array.isArray(a) ? a.every((row, c) => bitsOf(row) === bitsOf(b[c])) : bitsOf(a) === bitsOf(b);
  });
  const accuracy = getScorer('accuracy');
  const testAccuracy = accuracy.score(Array.from(test, (r) => labels[r]), result.bestModel.predict(X, test));
  result.bestModel.dispose();
  one.bestModel.dispose();
  for (const model of nested.models) model.dispose();

  const describe = (p) => ({ lr: p['optimizer.lr'], hidden: p['model.layers'][1], batchSize: p.batchSize });
  const rows = result.results.params.map((p, c) => ({
    ...describe(p),
    meanCv: result.results.meanTestScore.score[c],
    stdCv: result.results.stdTestScore.score[c],
    rank: result.results.rankTestScore.score[c],
    testAccuracy: testChosen.results.meanTestScore.score[c],
  }));
  printTable(
    log,
    ['lr', 'hidden', 'batch', 'CV acc', 'CV std', 'rank', 'test acc (not used)'],
    rows.map((r) => [r.lr, r.hidden, r.batchSize, r.meanCv.toFixed(4), r.stdCv.toFixed(4), r.rank, r.testAccuracy.toFixed(4)]),
  );
  const best = describe(result.bestParams);
  const selection = {
    folds: k,
    innerFolds,
    epochs,
    seed,
    trainRows: train.length,
    testRows: test.length,
    candidates: rows,
    best: { ...best, cvScore: result.bestScore, testAccuracy },
    testChosen: { ...describe(testChosen.bestParams), testAccuracy: testChosen.bestScore },
    nested: {
      mean: nested.meanTestScore,
      std: nested.stdTestScore,
      innerBestMean: nested.meanInnerBestScore,
      chosen: nested.bestParams.map(describe),
    },
    wallTime: { oneWorker: oneSeconds, pool: poolSeconds, workers: cores },
    sameBits,
  };
  log(`  chosen by CV: lr ${best.lr}, hidden ${best.hidden}, batch ${best.batchSize}; CV accuracy (bestScore) ${result.bestScore.toFixed(4)}`);
  log(`  refitted on all ${train.length} training rows; test accuracy, one look: ${testAccuracy.toFixed(4)}`);
  log(`  nested CV (${k} outer × ${innerFolds} inner folds) estimate of search-then-refit: ${nested.meanTestScore.toFixed(4)} ± ${nested.stdTestScore.toFixed(4)} (the inner searches' best CV scores averaged ${nested.meanInnerBestScore.toFixed(4)})`);
  const overstated = (testChosen.bestScore - nested.meanTestScore) * 100;
  log(`  choosing on the test split would report ${testChosen.bestScore.toFixed(4)} (${overstated >= 0 ? '+' : ''}${overstated.toFixed(2)} points against the nested estimate): the best of ${candidates} test scores, chosen and reported on the same rows`);
  log(`  wall time of the search: ${oneSeconds.toFixed(2)} s on 1 worker, ${poolSeconds.toFixed(2)} s on ${cores} (${(oneSeconds / poolSeconds).toFixed(2)}x); same bits: ${sameBits ? 'yes' : 'NO'}`);
  return selection;
}
