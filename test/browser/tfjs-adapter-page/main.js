// Built by Vite in test/browser/tfjs-adapter.test.ts and run in Chromium: a tfjs LayersModel trained by
// model.fit on tfjs's cpu backend with gradstep's AdamW (wasm), then the recorded gradients replayed
// into a plain gradstep AdamW: the same bits are expected, and no tensor left behind.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { AdamW, clipGradNorm, init, param, wasmSimd } from 'gradstep';
import { GradstepOptimizer } from 'gradstep/tfjs';

class RecordingOptimizer extends GradstepOptimizer {
  recorded = [];
  applyGradients(gradients) {
    this.recorded.push(gradients.map(({ name, tensor }) => [name, Float32Array.from(tensor.dataSync())]));
    super.applyGradients(gradients);
  }
}

const bitsOf = (values) => new Uint32Array(values.buffer, values.byteOffset, values.length); // a param's value views wasm memory
const sameBits = (a, b) => a.length === b.length && bitsOf(a).every((bits, i) => bits === bitsOf(b)[i]);

async function run() {
  await init();
  await tf.setBackend('cpu');
  const rows = 64;
  const features = Float32Array.from({ length: rows * 2 }, (_, i) => Math.sin(i * 1.7) * 2);
  const labels = Int32Array.from({ length: rows }, (_, r) => (features[2 * r] * features[2 * r + 1] > 0 ? 1 : 0));
  const x = tf.tensor(features, [rows, 2]);
  const y = tf.oneHot(tf.tensor(labels, [rows], 'int32'), 2);
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 16, inputShape: [2], activation: 'relu' }), tfl.layers.dense({ units: 2, activation: 'softmax' })] });
  const optimizer = new RecordingOptimizer((params) => new AdamW(params, { lr: 0.02 }), { groups: [{ match: /bias/, weightDecay: 0 }], clipGradNorm: 1 });
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const names = model.trainableWeights.map((w) => w.read().name);
  const initial = names.map((name) => Float32Array.from(tf.engine().registeredVariables[name].dataSync()));
  const tensorsBefore = tf.memory().numTensors;
  const history = await model.fit(x, y, { epochs: 10, batchSize: 16, shuffle: false, verbose: 0 });
  const tensorsAfter = tf.memory().numTensors;
  const trained = names.map((name) => Float32Array.from(tf.engine().registeredVariables[name].dataSync()));

  const params = names.map((name, i) => param(initial[i], { name }));
  const byName = new Map(names.map((name, i) => [name, params[i]]));
  const plain = new AdamW([{ params: params.filter((p) => !/bias/.test(p.name)) }, { params: params.filter((p) => /bias/.test(p.name)), weightDecay: 0 }], { lr: 0.02 });
  for (const step of optimizer.recorded) {
    const stepping = step.map(([name, grad]) => (byName.get(name).grad.set(grad), byName.get(name)));
    clipGradNorm(stepping, 1);
    plain.step();
  }
  const result = {
    wasmSimd: wasmSimd(),
    paramBackend: params[0].backend,
    steps: optimizer.recorded.length,
    sameBits: params.every((p, i) => sameBits(p.value, trained[i])),
    firstLoss: history.history.loss[0],
    lastLoss: history.history.loss.at(-1),
    tensorsLeaked: tensorsAfter - tensorsBefore,
  };
  optimizer.dispose();
  plain.dispose();
  params.forEach((p) => p.dispose());
  model.dispose();
  tf.dispose([x, y]);
  return result;
}

run().then(
  (result) => (globalThis.__done = { ok: true, result }),
  (error) => (globalThis.__done = { ok: false, error: String((error && error.stack) || error) }),
);
