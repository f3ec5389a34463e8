// The README's "Models and training" example: an MLP on digits with Adam, a stratified train/validation
// split, standardization fitted on the training rows only, mini-batches and early stopping.
import { readFileSync } from 'node:fs';
import { init, parseCsv, trainTestSplit, fitStandardizer, MLP, Adam, fit } from 'gradstep';

await init();
const data = parseCsv(readFileSync(new URL('../datasets/digits.csv', import.meta.url), 'utf8'));   // { X, y, features }
const { train, test } = trainTestSplit(data.y.length, { testSize: 0.2, seed: 1, stratify: Array.from(data.y) });
const X = fitStandardizer(data.X, data.features, train).transform(data.X);

const model = new MLP({ layers: [data.features, 64, 10], seed: 1 });
const optimizer = new Adam(model.params, { lr: 3e-3 });
const result = fit(model, { X, y: data.y, rows: train }, {
  optimizer, epochs: 30, batchSize: 32, seed: 2,
  validation: { X, y: data.y, rows: test }, earlyStopping: { patience: 3 },
});
const last = result.history[result.bestEpoch - 1];
console.log(`stopped: ${result.stopReason} after ${result.history.length} epochs; best epoch ${result.bestEpoch}`);
console.log(`validation accuracy ${last.validationAccuracy.toFixed(4)}, generalization gap (loss) ${last.generalizationGap.toFixed(4)}`);
console.log(`time: forward+backward ${result.timing.gradientMs.toFixed(0)} ms, optimizer steps ${result.timing.stepMs.toFixed(0)} ms`);
