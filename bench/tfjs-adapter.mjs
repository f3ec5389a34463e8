// gradstep/tfjs in tfjs's own training loop: the wall time of one model.fit epoch with tfjs's Adam
// against the GradstepOptimizer's Adam (gradstep on wasm, and on its js backend), on tfjs's cpu and
// wasm backends, for two models. The optimizer is one part of an epoch: forward and backward passes
// run in tfjs either way; the adapter adds a readback of each gradient and weight and one assign per
// variable per step.
import * as tfl from '@tensorflow/tfjs-layers';
import { Adam } from 'gradstep';
import { GradstepOptimizer } from 'gradstep/tfjs';

const MODELS = [
  { name: 'MLP 784-256-128-10', layers: [784, 256, 128, 10], rows: 2048 },
  { name: 'MLP 64-32-10', layers: [64, 32, 10], rows: 2048 },
];
const BATCH_SIZE = 64;

function buildModel(layers) {
  const model = tfl.sequential();
  for (let i = 1; i < layers.length; i++) {
    const last = i === layers.length - 1;
    model.add(tfl.layers.dense({ units: layers[i], activation: last ? 'softmax' : 'relu', ...(i === 1 ? { inputShape: [layers[0]] } : {}) }));
  }
  return model;
}

const OPTIMIZERS = {
  'tfjs Adam': (tf) => tf.train.adam(1e-3, 0.9, 0.999, 1e-8),
  'gradstep Adam (wasm)': () => new GradstepOptimizer((params) => new Adam(params, { lr: 1e-3 }), { backend: 'wasm' }),
  'gradstep Adam (js)': () => new GradstepOptimizer((params) => new Adam(params, { lr: 1e-3 }), { backend: 'js' }),
};

/** Median ms per epoch of model.fit, after one warm-up epoch, for every model × tfjs backend × optimizer. */
export async function benchTfjsAdapter({ tf, quick, progress }) {
  const epochs = quick ? 1 : 3;
  const rows = [];
  for (const spec of MODELS) {
    const rowCount = quick ? 256 : spec.rows;
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      await tf.ready();
      const x = tf.randomUniform([rowCount, spec.layers[0]], 0, 1, 'float32', 1);
      const y = tf.oneHot(tf.randomUniform([rowCount], 0, spec.layers.at(-1), 'int32', 2), spec.layers.at(-1));
      const row = { model: spec.name, backend, msPerEpoch: {} };
      for (const [label, make] of Object.entries(OPTIMIZERS)) {
        progress(`tfjs adapter: ${spec.name} on tfjs-${backend}, ${label}…`);
        const model = buildModel(spec.layers);
        const optimizer = make(tf);
        model.compile({ optimizer, loss: 'categoricalCrossentropy' });
        const fitEpoch = () => model.fit(x, y, { epochs: 1, batchSize: BATCH_SIZE, shuffle: false, verbose: 0 });
        await fitEpoch();
        const times = [];
        for (let e = 0; e < epochs; e++) {
          const started = performance.now();
          await fitEpoch();
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        row.msPerEpoch[label] = times[Math.floor(times.length / 2)];
        optimizer.dispose();
        model.dispose();
      }
      tf.dispose([x, y]);
      rows.push(row);
    }
  }
  progress('');
  const labels = Object.keys(OPTIMIZERS);
  console.log(`\nmodel.fit, one epoch (${quick ? 256 : 2048} rows, batches of ${BATCH_SIZE}), ms (median of ${epochs}):`);
  console.log(['model'.padEnd(20), 'tfjs'.padEnd(6), ...labels.map((l) => l.padStart(22)), 'adapter (wasm) / tfjs'.padStart(22)].join(' '));
  for (const row of rows) {
    const ratio = row.msPerEpoch['gradstep Adam (wasm)'] / row.msPerEpoch['tfjs Adam'];
    console.log([row.model.padEnd(20), row.backend.padEnd(6), ...labels.map((l) => row.msPerEpoch[l].toFixed(0).padStart(22)), `${ratio.toFixed(2)}x`.padStart(22)].join(' '));
  }
  return rows;
}
