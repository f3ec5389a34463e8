// Part 2: small vs large batches (Keskar et al. 2017): plain SGD with batch 8 and batch 512 for the
// same number of epochs, then test accuracy, the generalization gap, and how sharp the minimum is.
import { MLP, SGD, sharpness, trainTestSplit } from 'gradstep';
import { printTable } from './text-table.mjs';
import { trainOnRows } from './training.mjs';

/**
 * Learning rates: the same lr 0.05 for both batch sizes (so an equal number of epochs gives the
 * large batch 64× fewer steps of the same size: the setting where Keskar et al. see the gap), plus
 * batch 512 at lr 0.4 = 0.05·√64 (Krizhevsky 2014's square-root scaling), so that "large batches
 * are worse" is not only "large batches took fewer, equally small steps".
 */
export const BATCH_RUNS = [
  { batchSize: 8, lr: 0.05 },
  { batchSize: 512, lr: 0.05 },
  { batchSize: 512, lr: 0.4 },
];

export function runBatchSizeComparison(digits, settings, log) {
  const { epochs, hidden, seed, epsilon, corners } = settings;
  const layers = [digits.features, hidden, 10];
  const { train, test } = trainTestSplit(digits.samples, { testSize: 0.25, seed, stratify: Array.from(digits.y) });
  log(`\n== Part 2: batch size — plain SGD, MLP ${layers.join('-')}, ${epochs} epochs, train ${train.length} / test ${test.length} (split seed ${seed})`);
  const results = [];
  for (const { batchSize, lr } of BATCH_RUNS) {
    const run = trainOnRows(digits, {
      train,
      validation: test,
      makeModel: () => new MLP({ layers, seed, backend: 'wasm' }),
      makeOptimizer: (p) => new SGD(p, { lr }),
      epochs,
      batchSize,
      seed: seed + 1,
    });
    const last = run.result.history.at(-1);
    const sharp = sharpness(run.model, { X: run.X, y: digits.y, rows: train }, { epsilon, samples: corners, seed: seed + 2 });
    results.push({
      batchSize,
      lr,
      steps: run.result.steps,
      trainAccuracy: last.trainAccuracy,
      testAccuracy: last.validationAccuracy,
      trainLoss: last.trainLoss,
      testLoss: last.validationLoss,
      lossGap: last.generalizationGap,
      accuracyGap: last.trainAccuracy - last.validationAccuracy,
      sharpness: sharp.sharpness,
      trainLossCurve: run.result.history.map((r) => r.trainLoss),
      testLossCurve: run.result.history.map((r) => r.validationLoss),
    });
    run.model.dispose();
  }
  printTable(
    log,
    ['batch', 'lr', 'steps', 'train acc', 'test acc', 'train loss', 'test loss', 'gap (loss)', 'gap (acc)', `sharpness ε=${epsilon}`],
    results.map((r) => [r.batchSize, r.lr, r.steps, r.trainAccuracy.toFixed(4), r.testAccuracy.toFixed(4), r.trainLoss.toFixed(4), r.testLoss.toFixed(4), r.lossGap.toFixed(4), r.accuracyGap.toFixed(4), r.sharpness.toFixed(3)]),
  );
  log(`  sharpness: 100·(max loss in the box |δ| ≤ ε(|w|+1) − loss)/(1 + loss) on the training rows, over the gradient-sign corner and ${corners} random corners (seed ${seed + 2}): a lower bound of Keskar et al.'s metric.`);
  return { layers, epochs, seed, epsilon, corners, runs: results };
}
