// The gradstep demo: the course "Optimization in Deep Learning" run end to end on real data.
//
//   node demo/main.mjs [--quick] [--seed N] [--out DIR] [--parts 1,2,3,4,5]
//
// --quick (or GRADSTEP_DEMO_QUICK=1) runs a reduced version (fewer folds, epochs and rounds) in
// about a quarter of the time; test/demo.test.ts runs it. Prints the summary tables and writes
// DIR/report.html (default demo/out/), whose numbers all come from this run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBackend, init, setWarningHandler, wasmSimd } from 'gradstep';
import { loadBreastCancer, loadDigits } from './datasets.mjs';
import { renderReport } from './html-report.mjs';
import { runOptimizerComparison } from './part1-optimizers.mjs';
import { runBatchSizeComparison } from './part2-batch-size.mjs';
import { runCapacitySweep, runLearningCurve } from './part3-fitting.mjs';
import { runEnsembles, runLogisticRegressionCv } from './part4-ensembles.mjs';
import { runModelSelection } from './part5-selection.mjs';
import { trainingProgress } from './progress.mjs';
import { setTrainingProgress } from './training.mjs';

/** Every knob of the run, derived from the master seed; quick mode shrinks the work, not the models. */
export function demoSettings({ quick, seed }) {
  return {
    optimizers: { folds: quick ? 3 : 5, epochs: quick ? 10 : 15, batchSize: 32, hidden: 64, seed, timingEpochs: quick ? 1 : 2 },
    batchSize: { epochs: quick ? 8 : 20, hidden: 64, seed: seed + 1, epsilon: 1e-3, corners: quick ? 3 : 10 },
    learningCurve: { folds: 3, trainSizes: quick ? [0.2, 1] : [0.1, 0.25, 0.5, 0.75, 1], epochs: quick ? 8 : 15, hidden: 64, seed: seed + 2 },
    capacity: { degrees: quick ? [1, 3, 9] : [1, 3, 5, 7, 9, 12, 15], samples: 40, noise: 0.3, rounds: quick ? 10 : 40, steps: quick ? 1000 : 2000, seed: seed + 3, testPoints: 200 },
    logistic: { folds: 5, epochs: quick ? 20 : 50, seed: seed + 4 },
    ensembles: { seeds: quick ? [seed + 5] : [seed + 5, seed + 6, seed + 7], members: quick ? 3 : 10, epochs: quick ? 20 : 40, hidden: 32, seed: seed + 5, boostingRounds: quick ? 20 : 50, forestTrees: quick ? 50 : 200 },
    selection: {
      folds: quick ? 3 : 5,
      innerFolds: quick ? 2 : 3,
      epochs: quick ? 4 : 10,
      grid: { lr: quick ? [1e-3, 1e-2] : [1e-3, 3e-3, 1e-2], hidden: quick ? [32] : [32, 64], batchSize: [16, 64] },
      seed: seed + 8,
    },
  };
}

export async function runDemo({ quick = false, seed = 2024, out = fileURLToPath(new URL('./out/', import.meta.url)), parts = [1, 2, 3, 4, 5], log: print = console.log } = {}) {
  const started = performance.now();
  // Training progress on stdout, when the log goes there too; each log line first clears a status line.
  const progress = print === console.log ? trainingProgress(process.stdout) : null;
  setTrainingProgress(progress);
  const log = (line) => {
    progress?.clear();
    print(line);
  };
  await init();
  if (getBackend() !== 'wasm') throw new Error('gradstep demo: the wasm backend did not load');
  const settings = demoSettings({ quick, seed });
  // gradstep's warnings (say, rows that no bagging member left out of bag) go into the log, indented.
  setWarningHandler((message) => log(`  note: ${message}`));
  const digits = loadDigits();
  const cancer = loadBreastCancer();
  log(`gradstep demo${quick ? ' (quick)' : ''}: master seed ${seed}, wasm SIMD ${wasmSimd()}, digits ${digits.samples}×${digits.features}, breast_cancer ${cancer.samples}×${cancer.features}`);
  const results = {};
  if (parts.includes(1)) results.optimizers = await runOptimizerComparison(digits, settings.optimizers, log);
  if (parts.includes(2)) results.batchSize = runBatchSizeComparison(digits, settings.batchSize, log);
  if (parts.includes(3)) {
    results.learningCurve = await runLearningCurve(digits, settings.learningCurve, log);
    results.capacity = runCapacitySweep(settings.capacity, log);
  }
  if (parts.includes(4)) {
    results.logistic = await runLogisticRegressionCv(cancer, settings.logistic, log);
    results.ensembles = runEnsembles(cancer, settings.ensembles, log);
  }
  if (parts.includes(5)) results.selection = await runModelSelection(digits, settings.selection, log);
  const seconds = (performance.now() - started) / 1000;
  results.meta = { generated: new Date().toISOString(), command: `node demo/main.mjs${quick ? ' --quick' : ''} --seed ${seed}`, quick, seed, node: process.version, simd: wasmSimd(), seconds, settings };
  summarize(results, log);
  mkdirSync(out, { recursive: true });
  const path = resolve(out, 'report.html');
  writeFileSync(path, renderReport(results));
  log(`\nreport: ${path}  (${seconds.toFixed(1)} s)`);
  return { results, path };
}

/** The headline numbers, and the sanity bars scikit-learn reaches on the same data. */
function summarize(results, log) {
  log('\n== Summary');
  const adam = results.optimizers?.optimizers.find((o) => o.name === 'Adam');
  if (adam) log(`  digits MLP, Adam: ${adam.meanAccuracy.toFixed(4)} mean CV accuracy (bar ≥ 0.95)${adam.meanAccuracy >= 0.95 ? '' : '  BELOW THE BAR'}`);
  if (results.optimizers) {
    const best = [...results.optimizers.optimizers].sort((a, b) => b.meanAccuracy - a.meanAccuracy)[0];
    log(`  best optimizer on digits: ${best.name} (${best.meanAccuracy.toFixed(4)}); every backend pair trained the same bits: ${results.optimizers.optimizers.every((o) => o.sameBits) ? 'yes' : 'NO'}`);
  }
  if (results.logistic) log(`  breast_cancer logistic regression: ${results.logistic.meanAccuracy.toFixed(4)} mean CV accuracy (bar ≥ 0.95)${results.logistic.meanAccuracy >= 0.95 ? '' : '  BELOW THE BAR'}`);
  if (results.batchSize) {
    const [small, large] = results.batchSize.runs;
    log(`  batch ${small.batchSize} vs ${large.batchSize} (lr ${small.lr}): test accuracy ${small.testAccuracy.toFixed(4)} vs ${large.testAccuracy.toFixed(4)}, sharpness ${small.sharpness.toFixed(3)} vs ${large.sharpness.toFixed(3)}`);
  }
  if (results.selection) {
    const s = results.selection;
    log(`  hyperparameters chosen by CV: test accuracy ${s.best.testAccuracy.toFixed(4)}, nested CV estimate ${s.nested.mean.toFixed(4)}, search bestScore ${s.best.cvScore.toFixed(4)}; search wall time ${s.wallTime.oneWorker.toFixed(2)} s on 1 worker, ${s.wallTime.pool.toFixed(2)} s on ${s.wallTime.workers}`);
  }
}

function parseArguments(argv) {
  const options = { quick: process.env.GRADSTEP_DEMO_QUICK === '1' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--seed') options.seed = Number(argv[++i]);
    else if (arg === '--out') options.out = resolve(argv[++i]);
    else if (arg === '--parts') options.parts = argv[++i].split(',').map(Number);
    else throw new Error(`unknown argument ${arg}; usage: node demo/main.mjs [--quick] [--seed N] [--out DIR] [--parts 1,2,3,4,5]`);
  }
  if (options.seed !== undefined && !(Number.isInteger(options.seed) && options.seed >= 0)) throw new Error('--seed must be an integer >= 0');
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runDemo(parseArguments(process.argv.slice(2)));
}
