// Part 4: ensembles on breast_cancer. Logistic regression under CV (the sanity bar); a single MLP
// against bagged MLPs (bagging with fit/predictProba callbacks) over several seeds; the members'
// disagreement on the samples the ensemble gets wrong; a random forest (with its out-of-bag score);
// AdaBoost and gradient boosting (log loss) with stumps and with depth-3 trees; the features that
// matter to the forest and to boosting (impurity importances) and to the forest's test accuracy
// (permutation importance).
import {
  Adam, adaBoost, bagging, crossValidate, DecisionTreeClassifier, fromRowArrays, gradientBoostingClassifier, LogisticRegression, MLP,
  permutationImportance, RandomForestClassifier, stratifiedKFold, toRowArrays, trainTestSplit,
} from 'gradstep';
import { printTable } from './text-table.mjs';
import { mean, std, trainOnRows } from './training.mjs';

export async function runLogisticRegressionCv(cancer, settings, log) {
  const { folds: k, epochs, seed } = settings;
  const folds = stratifiedKFold(Array.from(cancer.y), { k, shuffle: true, seed });
  const cv = await crossValidate({
    folds,
    returnTrainScore: true,
    fit: (train, f) =>
      trainOnRows(cancer, {
        train,
        makeModel: () => new LogisticRegression({ features: cancer.features, backend: 'wasm' }),
        makeOptimizer: (p) => new Adam(p, { lr: 0.01 }),
        epochs,
        batchSize: 32,
        seed: seed + f,
      }),
    score: (run, rows) => run.model.evaluate(run.X, cancer.y, rows).accuracy,
  });
  for (const run of cv.models) run.model.dispose();
  log(`\n== Part 4: breast_cancer (${cancer.samples} rows × ${cancer.features} features)`);
  log(`  logistic regression, Adam lr 0.01, ${epochs} epochs, ${k}-fold stratified CV (seed ${seed}): accuracy ${cv.meanTestScore.toFixed(4)} ± ${cv.stdTestScore.toFixed(4)}, train ${cv.meanTrainScore.toFixed(4)}`);
  return { folds: k, epochs, seed, meanAccuracy: cv.meanTestScore, stdAccuracy: cv.stdTestScore, meanTrainAccuracy: cv.meanTrainScore, testAccuracies: Array.from(cv.testScores) };
}

export function runEnsembles(cancer, settings, log) {
  const { seeds, members, epochs, hidden, seed, boostingRounds, forestTrees } = settings;
  const { train, test } = trainTestSplit(cancer.samples, { testSize: 0.25, seed, stratify: Array.from(cancer.y) });
  const d = cancer.features;
  const rowsOf = (indices) => Array.from(indices, (i) => cancer.X.subarray(i * d, (i + 1) * d));
  const XTrain = rowsOf(train);
  const XTest = rowsOf(test);
  const yTrain = Array.from(train, (i) => cancer.y[i]);
  const yTest = Array.from(test, (i) => cancer.y[i]);
  const layers = [d, hidden, 2];
  const accuracy = (predicted) => predicted.reduce((s, p, i) => s + (p === yTest[i] ? 1 : 0), 0) / yTest.length;

  /** Trains one MLP on rows (arrays of features) and labels; returns it with the scaler it standardizes with. */
  const fitMlp = (rows, labels, modelSeed) => {
    const data = { X: fromRowArrays(rows), y: Float32Array.from(labels), features: d };
    const run = trainOnRows(data, {
      train: undefined,
      makeModel: () => new MLP({ layers, seed: modelSeed, backend: 'wasm' }),
      makeOptimizer: (p) => new Adam(p, { lr: 1e-3 }),
      epochs,
      batchSize: 32,
      seed: modelSeed,
    });
    return { model: run.model, scaler: run.scaler };
  };
  const probabilities = ({ model, scaler }, rows) => {
    const proba = model.predictProba(scaler.transform(fromRowArrays(rows)));
    return Array.from({ length: rows.length }, (_, i) => proba.subarray(2 * i, 2 * i + 2));
  };

  log(`  single MLP ${layers.join('-')} vs bagging of ${members} (Adam lr 1e-3, ${epochs} epochs; split seed ${seed}, test ${test.length} rows; seeds ${seeds.join(', ')})`);
  const single = [];
  const bagged = [];
  let uncertainty = null;
  for (const s of seeds) {
    const one = fitMlp(XTrain, yTrain, s);
    single.push(accuracy(probabilities(one, XTest).map((p) => (p[1] > p[0] ? 1 : 0))));
    one.model.dispose();
    const ensemble = bagging({
      task: 'classification',
      X: XTrain,
      y: yTrain,
      estimators: members,
      seed: s,
      fit: (rows, labels, info) => fitMlp(rows, labels, info.seed),
      predict: (member, rows) => probabilities(member, rows).map((p) => (p[1] > p[0] ? 1 : 0)),
      predictProba: probabilities,
    });
    const predicted = ensemble.predict(XTest);
    bagged.push(accuracy(predicted));
    if (uncertainty === null) {
      // Disagreement of the members: the std across members of P(benign), on wrong vs right test rows.
      const { std: spread } = ensemble.predictWithUncertainty(XTest);
      const wrong = [];
      const right = [];
      predicted.forEach((p, i) => (p === yTest[i] ? right : wrong).push(spread[i][1]));
      uncertainty = { seed: s, misclassified: wrong.length, meanStdMisclassified: wrong.length ? mean(wrong) : NaN, meanStdCorrect: mean(right), oobScore: ensemble.oobScore };
    }
    for (const member of ensemble.members) member.model.dispose();
  }
  const baggingResult = {
    members,
    seeds,
    single: { accuracies: single, mean: mean(single), std: std(single) },
    bagged: { accuracies: bagged, mean: mean(bagged), std: std(bagged) },
    uncertainty,
  };
  printTable(
    log,
    ['model', 'test acc (mean ± std over seeds)'],
    [
      ['single MLP', `${baggingResult.single.mean.toFixed(4)} ± ${baggingResult.single.std.toFixed(4)}`],
      [`bagging ×${members}`, `${baggingResult.bagged.mean.toFixed(4)} ± ${baggingResult.bagged.std.toFixed(4)}`],
    ],
  );
  log(`  members' std of P(benign): ${uncertainty.meanStdMisclassified.toFixed(4)} on the ${uncertainty.misclassified} misclassified test rows vs ${uncertainty.meanStdCorrect.toFixed(4)} on the correct ones (seed ${uncertainty.seed}; out-of-bag accuracy ${uncertainty.oobScore.toFixed(4)})`);

  // Boosting: sequential learners that focus on what the previous ones got wrong.
  const treeLearner = (depth) => (X, y, weights) => new DecisionTreeClassifier({ maxDepth: depth }).fit(X, y, weights);
  const boosted = [];
  const single3 = new DecisionTreeClassifier({ maxDepth: 3 }).fit(XTrain, yTrain);
  boosted.push({ name: 'decision tree, depth 3', accuracy: accuracy(single3.predict(XTest)), trainAccuracy: trainAcc(single3.predict(XTrain), yTrain) });
  for (const [name, depth] of [['AdaBoost, stumps', 1], ['AdaBoost, depth-3 trees', 3]]) {
    const model = adaBoost({ X: XTrain, y: yTrain, nEstimators: boostingRounds, learner: depth === 1 ? undefined : treeLearner(depth) });
    boosted.push({ name, accuracy: accuracy(model.predict(XTest)), trainAccuracy: trainAcc(model.predict(XTrain), yTrain), estimators: model.estimators.length });
  }
  let boostingModel = null;
  for (const [name, depth] of [['gradient boosting, stumps', 1], ['gradient boosting, depth-3 trees', 3]]) {
    const model = gradientBoostingClassifier({ X: XTrain, y: yTrain, nEstimators: boostingRounds, maxDepth: depth, learningRate: 0.1, seed });
    boosted.push({ name, accuracy: accuracy(model.predict(XTest)), trainAccuracy: trainAcc(model.predict(XTrain), yTrain), estimators: model.nEstimators });
    boostingModel = model;
  }
  const stopped = gradientBoostingClassifier({ X: XTrain, y: yTrain, nEstimators: 500, maxDepth: 3, learningRate: 0.1, nIterNoChange: 10, validationFraction: 0.2, seed });
  boosted.push({ name: 'gradient boosting, depth 3, early stopping', accuracy: accuracy(stopped.predict(XTest)), trainAccuracy: trainAcc(stopped.predict(XTrain), yTrain), estimators: stopped.nEstimators });
  printTable(log, ['boosting', 'trees', 'train acc', 'test acc'], boosted.map((b) => [b.name, String(b.estimators ?? 1), b.trainAccuracy.toFixed(4), b.accuracy.toFixed(4)]));
  log(`  (${boostingRounds} rounds each; gradient boosting with the log loss; early stopping: 20% held out, 10 stages without progress, kept ${stopped.nEstimators} of 500)`);

  // A random forest beside bagging and boosting: bootstrap samples and √d features per node.
  const forest = new RandomForestClassifier({ nEstimators: forestTrees, oobScore: true, seed }).fit(XTrain, yTrain);
  const forestResult = {
    trees: forestTrees,
    accuracy: accuracy(forest.predict(XTest)),
    trainAccuracy: trainAcc(forest.predict(XTrain), yTrain),
    oobScore: forest.oobScore,
  };
  log(`  random forest, ${forestTrees} trees (maxFeatures √${d}): test acc ${forestResult.accuracy.toFixed(4)}, out-of-bag acc ${forestResult.oobScore.toFixed(4)}, train acc ${forestResult.trainAccuracy.toFixed(4)}`);
  const permutation = permutationImportance(forest, XTest, yTest, { scoring: 'accuracy', nRepeats: 3, seed });
  const names = cancer.featureNames;
  const top = Array.from(forest.featureImportances, (v, f) => f).sort((a, b) => forest.featureImportances[b] - forest.featureImportances[a]).slice(0, 10);
  const importances = top.map((f) => ({
    feature: names[f],
    forest: forest.featureImportances[f],
    boosting: boostingModel.featureImportances[f],
    permutation: permutation.importancesMean[f],
  }));
  printTable(log, ['feature (top 10 for the forest)', 'forest MDI', 'boosting MDI', 'forest permutation'], importances.map((r) => [r.feature, r.forest.toFixed(4), r.boosting.toFixed(4), r.permutation.toFixed(4)]));
  return { seed, testRows: test.length, bagging: baggingResult, boosting: boosted, boostingRounds, forest: forestResult, importances };
}

function trainAcc(predicted, y) {
  return predicted.reduce((s, p, i) => s + (p === y[i] ? 1 : 0), 0) / y.length;
}
