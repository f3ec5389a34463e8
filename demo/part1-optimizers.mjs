// Part 1: every optimizer trains the same MLP on digits under stratified k-fold cross-validation
// (crossValidate with fit/score callbacks), on the wasm backend; then a short run of each on both
// backends times optimizer.step() and checks that the two backends trained the same bits.
import { crossValidate, MLP, stratifiedKFold } from 'gradstep';
import { describeOptimizer, OPTIMIZERS } from './optimizer-catalog.mjs';
import { printTable } from './text-table.mjs';
import { mean, trainOnRows } from './training.mjs';

export async function runOptimizerComparison(digits, settings, log) {
  const { folds: k, epochs, batchSize, hidden, seed, timingEpochs } = settings;
  const folds = stratifiedKFold(Array.from(digits.y), { k, shuffle: true, seed });
  const layers = [digits.features, hidden, 10];
  log(`\n== Part 1: optimizers on digits — MLP ${layers.join('-')} (ReLU, He init), ${k}-fold stratified CV (seed ${seed}), ${epochs} epochs, batch ${batchSize}, wasm backend`);
  const results = [];
  for (const optimizer of OPTIMIZERS) {
    const histories = [];
    let steps = 0;
    let stepMs = 0;
    let gradientMs = 0;
    const cv = await crossValidate({
      folds,
      returnTrainScore: true,
      fit: (train, f) => {
        const run = trainOnRows(digits, {
          train,
          validation: folds[f].test,
          makeModel: () => new MLP({ layers, seed: seed + f, backend: 'wasm' }),
          makeOptimizer: optimizer.make,
          epochs,
          batchSize,
          seed: seed + 100 + f,
        });
        histories.push(run.result.history);
        steps += run.result.steps;
        stepMs += run.result.timing.stepMs;
        gradientMs += run.result.timing.gradientMs;
        return run;
      },
      score: (run, rows) => run.model.evaluate(run.X, digits.y, rows).accuracy,
    });
    for (const run of cv.models) run.model.dispose();
    const timing = timeBothBackends(digits, folds[0], layers, optimizer, { epochs: timingEpochs, batchSize, seed });
    const perEpoch = (key) => Array.from({ length: epochs }, (_, e) => mean(histories.map((h) => h[Math.min(e, h.length - 1)][key])));
    const result = {
      name: optimizer.name,
      settings: describeOptimizer(optimizer),
      testAccuracies: Array.from(cv.testScores),
      meanAccuracy: cv.meanTestScore,
      stdAccuracy: cv.stdTestScore,
      meanTrainAccuracy: cv.meanTrainScore,
      accuracyGap: cv.meanGeneralizationGap,
      finalTrainLoss: mean(histories.map((h) => h.at(-1).trainLoss)),
      finalValidationLoss: mean(histories.map((h) => h.at(-1).validationLoss)),
      lossGap: mean(histories.map((h) => h.at(-1).generalizationGap)),
      trainLossCurve: perEpoch('trainLoss'),
      validationLossCurve: perEpoch('validationLoss'),
      gradientMicrosPerStep: (1000 * gradientMs) / steps,
      wasmStepMicros: (1000 * stepMs) / steps,
      ...timing,
    };
    results.push(result);
    log(`  ${optimizer.name.padEnd(9)} accuracy ${result.meanAccuracy.toFixed(4)} ± ${result.stdAccuracy.toFixed(4)}  (${(cv.fitTimes.reduce((s, t) => s + t, 0) / 1000).toFixed(1)} s)`);
  }
  printTable(
    log,
    ['optimizer', 'val acc (mean ± std)', 'train loss', 'val loss', 'gap (loss)', 'gap (acc)', 'fwd+bwd µs/step', 'step µs wasm', 'step µs js', 'same bits'],
    results.map((r) => [
      r.name,
      `${r.meanAccuracy.toFixed(4)} ± ${r.stdAccuracy.toFixed(4)}`,
      r.finalTrainLoss.toFixed(4),
      r.finalValidationLoss.toFixed(4),
      r.lossGap.toFixed(4),
      r.accuracyGap.toFixed(4),
      r.gradientMicrosPerStep.toFixed(0),
      r.wasmStepMicros.toFixed(1),
      r.jsStepMicros.toFixed(1),
      r.sameBits ? 'yes' : 'NO',
    ]),
  );
  log(`  step µs wasm: mean optimizer.step() time over the whole CV run; step µs js: a ${timingEpochs}-epoch run on fold 0 with the js backend`);
  log(`  (same seeds as a ${timingEpochs}-epoch wasm run, whose final weights it is compared with bit for bit).`);
  return { layers, folds: k, epochs, batchSize, seed, timingEpochs, optimizers: results };
}

/** The same short training run on both backends: µs per optimizer step on js, and whether the final weights are identical. */
function timeBothBackends(digits, fold, layers, optimizer, { epochs, batchSize, seed }) {
  const weights = {};
  const micros = {};
  for (const backend of ['wasm', 'js']) {
    const run = trainOnRows(digits, {
      train: fold.train,
      makeModel: () => new MLP({ layers, seed, backend }),
      makeOptimizer: optimizer.make,
      epochs,
      batchSize,
      seed,
    });
    micros[backend] = (1000 * run.result.timing.stepMs) / run.result.steps;
    weights[backend] = run.model.params.map((p) => p.value.slice());
    run.model.dispose();
  }
  const sameBits = weights.wasm.every((w, i) => w.every((v, j) => Object.is(v, weights.js[i][j])));
  return { jsStepMicros: micros.js, shortRunWasmStepMicros: micros.wasm, sameBits };
}
