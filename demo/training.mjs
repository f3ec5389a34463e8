// One training run as every part of the demo does it: standardize with the training rows'
// statistics, build a fresh model, train it with fit(), and score it.
import { fit, fitStandardizer } from 'gradstep';

/** Reports each run's progress when set (main.mjs sets it: see progress.mjs). */
let progress = null;
export function setTrainingProgress(reporter) {
  progress = reporter;
}

/**
 * @param data { X, y, features }
 * @param run { train, validation?, makeModel(), makeOptimizer(params), epochs, batchSize, seed, earlyStopping?, onEpoch? }
 * @returns { model, result, X } — X is the standardized matrix (all rows, training statistics); the caller disposes the model
 */
export function trainOnRows(data, run) {
  const scaler = fitStandardizer(data.X, data.features, run.train);
  const X = scaler.transform(data.X);
  const model = run.makeModel();
  const optimizer = run.makeOptimizer(model.params);
  const result = fit(model, { X, y: data.y, rows: run.train }, {
    optimizer,
    epochs: run.epochs,
    batchSize: run.batchSize,
    seed: run.seed,
    validation: run.validation === undefined ? undefined : { X, y: data.y, rows: run.validation },
    earlyStopping: run.earlyStopping,
    onEpoch: run.onEpoch,
    callbacks: progress === null ? undefined : progress.callbacks(),
  });
  optimizer.dispose();
  return { model, result, X, scaler };
}

export const mean = (values) => values.reduce((s, v) => s + v, 0) / values.length;
export const std = (values) => {
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
};
