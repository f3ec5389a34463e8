// The README's model-selection examples, runnable: a seeded 2-class dataset, a logistic regression
// trained with gradstep's Adam under stratified 5-fold cross-validation, then trees, bagging,
// boosting, bias–variance and a bootstrap confidence interval.
import {
  init, param, Adam, OneCycleLR, clipGradNorm, Random, trainTestSplit, splitArrays, stratifiedKFold, batches,
  crossValidate, bagging, adaBoost, gradientBoosting, DecisionTreeClassifier, biasVariance, bootstrapInterval,
} from 'gradstep';

await init();
const rng = new Random(42);
const normal = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
const n = 400;
const X = Array.from({ length: n }, (_, i) => [normal() + (i % 2 ? 1 : -1), normal() + (i % 2 ? 0.5 : -0.5), normal()]);
const y = Array.from({ length: n }, (_, i) => i % 2);

/** Logistic regression on the given rows: mini-batch Adam with a one-cycle schedule and clipping. */
function trainModel(rows, epochs = 30) {
  const w = param(3, { backend: 'wasm' }), b = param(1, { backend: 'wasm' });
  const opt = new Adam([{ params: [w] }, { params: [b], weightDecay: 0 }], { lr: 0.05, weightDecay: 1e-3 });
  const scheduler = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: epochs * Math.ceil(rows.length / 32) });
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const batch of batches(rows.length, { batchSize: 32, seed: epoch })) {
      const gw = new Float32Array(3), gb = new Float32Array(1);
      for (const r of batch) {
        const row = X[rows[r]];
        const z = b.value[0] + row[0] * w.value[0] + row[1] * w.value[1] + row[2] * w.value[2];
        const d = (1 / (1 + Math.exp(-z)) - y[rows[r]]) / batch.length;
        for (let j = 0; j < 3; j++) gw[j] += d * row[j];
        gb[0] += d;
      }
      w.grad.set(gw);
      b.grad.set(gb);
      clipGradNorm([w, b], 5);
      opt.step();
      scheduler.step();
    }
  }
  return { w: Array.from(w.value), b: b.value[0] };
}
const accuracy = (model, rows) =>
  rows.reduce((hits, r) => hits + (((model.b + X[r].reduce((s, x, j) => s + x * model.w[j], 0)) > 0 ? 1 : 0) === y[r] ? 1 : 0), 0) / rows.length;

const { train, test } = trainTestSplit(n, { testSize: 0.25, seed: 42, stratify: y });
const [XTrain, XTest, yTrain, yTest] = splitArrays({ train, test }, X, y);
console.log(`trainTestSplit: ${train.length} train / ${test.length} test`);

const cv = await crossValidate({
  folds: stratifiedKFold(y, { k: 5, shuffle: true, seed: 0 }),
  fit: (rows) => trainModel(rows),
  score: (model, rows) => accuracy(model, rows),
  returnTrainScore: true,
});
console.log(`logistic regression, 5-fold CV accuracy: ${cv.meanTestScore.toFixed(3)} ± ${cv.stdTestScore.toFixed(3)}, generalization gap ${cv.meanGeneralizationGap.toFixed(3)}`);

const tree = new DecisionTreeClassifier({ maxDepth: 4 }).fit(XTrain, yTrain);
const treeAccuracy = (predicted) => predicted.reduce((h, p, i) => h + (p === yTest[i] ? 1 : 0), 0) / yTest.length;
console.log(`decision tree (depth 4) test accuracy: ${treeAccuracy(Array.from(tree.predict(XTest))).toFixed(3)}`);

const bagged = bagging({
  task: 'classification', X: XTrain, y: yTrain, estimators: 25, seed: 1,
  fit: (Xb, yb) => new DecisionTreeClassifier({ maxDepth: 4 }).fit(Xb, yb),
  predict: (m, Xs) => m.predict(Xs),
});
console.log(`bagging 25 trees: test accuracy ${treeAccuracy(Array.from(bagged.predict(XTest))).toFixed(3)}, out-of-bag accuracy ${bagged.oobScore.toFixed(3)}`);

const boosted = adaBoost({ X: XTrain, y: yTrain, nEstimators: 50 });
console.log(`AdaBoost (SAMME, 50 stumps): test accuracy ${treeAccuracy(Array.from(boosted.predict(XTest))).toFixed(3)}`);

const target = X.map((row) => row[0] * 2 - row[1] + 0.1 * normal());
const gb = gradientBoosting({ X: XTrain, y: Array.from(train, (r) => target[r]), nEstimators: 50, maxDepth: 2 });
console.log(`gradient boosting (50 depth-2 trees): train MSE ${gb.trainLoss.at(-1).toFixed(4)}`);

const bv = biasVariance({
  fit: (Xb, yb) => new DecisionTreeClassifier({ maxDepth: 2 }).fit(Xb, yb),
  predict: (m, Xs) => m.predict(Xs),
  XTrain, yTrain, XTest, yTest, rounds: 50, seed: 3, loss: '0-1',
});
console.log(`bias–variance (0-1 loss, depth-2 tree): loss ${bv.expectedLoss.toFixed(3)}, bias ${bv.bias.toFixed(3)}, variance ${bv.variance.toFixed(3)}`);

const ci = bootstrapInterval(Float64Array.from(cv.testScores), (s) => s.reduce((a, v) => a + v, 0) / s.length, { seed: 3 });
console.log(`bootstrap 95% interval of the mean CV accuracy: [${ci.lower.toFixed(3)}, ${ci.upper.toFixed(3)}]`);
