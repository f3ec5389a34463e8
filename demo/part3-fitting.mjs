// Part 3: underfitting and overfitting. A learning curve of the digits MLP (learningCurve), and a
// capacity sweep — polynomial degree on a noisy sine — with the bias–variance decomposition of each
// degree (biasVariance), every model trained by gradient descent with gradstep.
import {
  Adam, biasVariance, fit, fitStandardizer, fromRowArrays, kFold, learningCurve, LinearRegression, makeNoisyRegression, MLP,
  polynomialFeatures, takeRows, toRowArrays,
} from 'gradstep';
import { printTable } from './text-table.mjs';
import { trainOnRows } from './training.mjs';

export async function runLearningCurve(digits, settings, log) {
  const { folds: k, trainSizes, epochs, hidden, seed } = settings;
  const layers = [digits.features, hidden, 10];
  const folds = kFold(digits.samples, { k, shuffle: true, seed });
  log(`\n== Part 3a: learning curve — MLP ${layers.join('-')} with Adam lr 1e-3, ${epochs} epochs, batch 32, ${k}-fold CV (seed ${seed})`);
  const runs = [];
  const curve = await learningCurve({
    folds,
    trainSizes,
    fit: (train, f) => {
      const run = trainOnRows(digits, {
        train,
        makeModel: () => new MLP({ layers, seed: seed + f, backend: 'wasm' }),
        makeOptimizer: (p) => new Adam(p, { lr: 1e-3 }),
        epochs,
        batchSize: 32,
        seed: seed + 10 + f,
      });
      runs.push(run);
      return run;
    },
    score: (run, rows) => run.model.evaluate(run.X, digits.y, rows).accuracy,
  });
  for (const run of runs) run.model.dispose();
  const result = {
    layers,
    folds: k,
    epochs,
    seed,
    trainSizes: Array.from(curve.trainSizes),
    meanTrainAccuracy: Array.from(curve.meanTrainScores),
    meanTestAccuracy: Array.from(curve.meanTestScores),
    stdTestAccuracy: Array.from(curve.stdTestScores),
  };
  printTable(
    log,
    ['train rows', 'train acc', 'val acc', 'val std', 'gap'],
    result.trainSizes.map((n, s) => [n, result.meanTrainAccuracy[s].toFixed(4), result.meanTestAccuracy[s].toFixed(4), result.stdTestAccuracy[s].toFixed(4), (result.meanTrainAccuracy[s] - result.meanTestAccuracy[s]).toFixed(4)]),
  );
  return result;
}

/**
 * Degree-d polynomial least squares on `samples` noisy points of sin(2πx) (noise σ), trained by
 * full-batch Adam on standardized powers of x; bias² and variance from `rounds` bootstrap refits
 * (biasVariance, loss 'mse') against the noise-free curve at `testPoints` fresh x values, so
 * expected loss = bias² + variance and the noise σ² comes on top for noisy targets.
 */
export function runCapacitySweep(settings, log) {
  const { degrees, samples, noise, rounds, steps, seed, testPoints } = settings;
  const train = makeNoisyRegression({ samples, noise, seed });
  // Test points inside [0.1, 0.9]: beyond the training points a polynomial's predictions grow
  // without bound, and a bootstrap sample often lacks the outermost points; that extrapolation
  // would swamp the decomposition with a few huge errors at the ends.
  const drawn = makeNoisyRegression({ samples: testPoints, noise, seed: seed + 1 });
  const inside = Array.from(drawn.X.keys()).filter((i) => drawn.X[i] >= 0.1 && drawn.X[i] <= 0.9);
  const test = { X: takeRows(drawn.X, inside), y: takeRows(drawn.y, inside), truth: takeRows(drawn.truth, inside) };
  log(`\n== Part 3b: capacity sweep — polynomial degree on y = sin(2πx) + N(0, ${noise}²), ${samples} training points (seed ${seed}), ${test.X.length} test points in [0.1, 0.9] (of ${testPoints} drawn, seed ${seed + 1})`);
  log(`   LinearRegression on standardized powers of x, full-batch Adam lr 0.05 for ${steps} steps; bias–variance over ${rounds} bootstrap rounds (seed ${seed + 2})`);
  const results = [];
  for (const degree of degrees) {
    const makeFeatures = (X) => polynomialFeatures(X, 1, degree);
    const fitDegree = (rows, y) => {
      const features = makeFeatures(fromRowArrays(rows));
      const scaler = fitStandardizer(features, degree);
      const model = new LinearRegression({ features: degree, backend: 'wasm' });
      const optimizer = new Adam(model.params, { lr: 0.05 });
      fit(model, { X: scaler.transform(features), y: Float32Array.from(y) }, { optimizer, epochs: steps, batchSize: 'full', seed: 0, trainMetrics: 'running' });
      optimizer.dispose();
      return { model, scaler };
    };
    const predict = ({ model, scaler }, rows) => {
      const out = model.predict(scaler.transform(makeFeatures(fromRowArrays(rows))));
      model.dispose();
      return out;
    };
    const decomposition = biasVariance({
      loss: 'mse',
      XTrain: toRowArrays(train.X, 1),
      yTrain: train.y,
      XTest: toRowArrays(test.X, 1),
      yTest: test.truth,
      rounds,
      seed: seed + 2,
      fit: fitDegree,
      predict,
    });
    // One fit on the whole training set: its train and test error (against noisy test targets).
    const whole = fitDegree(toRowArrays(train.X, 1), train.y);
    const trainMse = whole.model.evaluate(whole.scaler.transform(makeFeatures(train.X)), train.y).loss;
    const testMse = whole.model.evaluate(whole.scaler.transform(makeFeatures(test.X)), test.y).loss;
    whole.model.dispose();
    results.push({ degree, bias: decomposition.bias, variance: decomposition.variance, expectedLoss: decomposition.expectedLoss, trainMse, testMse });
  }
  printTable(
    log,
    ['degree', 'bias²', 'variance', 'bias²+var', 'train MSE', 'test MSE'],
    results.map((r) => [r.degree, r.bias.toFixed(4), r.variance.toFixed(4), r.expectedLoss.toFixed(4), r.trainMse.toFixed(4), r.testMse.toFixed(4)]),
  );
  return { samples, noise, rounds, steps, seed, testPoints: test.X.length, degrees: results };
}
