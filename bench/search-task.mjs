// The task module of the search benchmark (bench/run.mjs): the digits MLP trained by Adam for
// `data.epochs` epochs per (candidate, fold), run by gridSearch on 1, 2 and all workers. Each thread loads the
// wasm once (setup) and trains on it.
import { Adam, fit as train, getScorer, init, MLP } from 'gradstep';

const accuracy = getScorer('accuracy');

export async function setup(data) {
  await init();
  return data;
}

export function fit({ lr, hidden }, rows, { X, y, features, epochs }) {
  const model = new MLP({ layers: [features, hidden, 10], seed: 1 });
  train(model, { X, y, rows }, { optimizer: new Adam(model.params, { lr }), epochs, batchSize: 32, seed: 2 });
  return model;
}

export function score(model, rows, { X, y }) {
  return accuracy.score(Array.from(rows, (i) => y[i]), model.predict(X, rows));
}
