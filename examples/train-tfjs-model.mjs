// The README's "TensorFlow.js" example: a tfjs LayersModel trained by model.fit with gradstep's AdamW
// (biases without weight decay), a one-cycle schedule stepped per batch, and global gradient clipping.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';          // or '@tensorflow/tfjs-backend-wasm', or all of '@tensorflow/tfjs'
import * as tfl from '@tensorflow/tfjs-layers';
import { init, AdamW, OneCycleLR, makeMoons } from 'gradstep';
import { GradstepOptimizer, schedulerCallback } from 'gradstep/tfjs';

await init();
await tf.setBackend('cpu');
const moons = makeMoons({ samples: 512, noise: 0.1, seed: 1 });   // X: 512 × 2, y: 0 or 1
const x = tf.tensor(moons.X, [512, 2]);
const y = tf.oneHot(tf.tensor(moons.y, [512], 'int32'), 2);

const model = tfl.sequential({ layers: [
  tfl.layers.dense({ units: 32, inputShape: [2], activation: 'relu' }),
  tfl.layers.dense({ units: 2, activation: 'softmax' }),
] });
const optimizer = new GradstepOptimizer((params) => new AdamW(params, { lr: 1e-2, weightDecay: 0.01 }), {
  groups: [{ match: /bias/, weightDecay: 0 }],  // paramGroups[0]: the biases; paramGroups[1]: the rest
  clipGradNorm: 1.0,
});
const epochs = 30, batchSize = 32;
const scheduler = new OneCycleLR(optimizer, { maxLr: 0.05, totalSteps: epochs * (512 / batchSize) });
model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const history = await model.fit(x, y, { epochs, batchSize, verbose: 0, callbacks: [schedulerCallback(scheduler, { every: 'batch' })] });

const accuracy = history.history.acc.at(-1);
console.log(`trained ${epochs} epochs with gradstep's AdamW in model.fit: accuracy ${accuracy.toFixed(4)}, loss ${history.history.loss.at(-1).toFixed(4)}`);
console.log(`${optimizer.iterations} steps; last gradient norm ${optimizer.lastGradNorm.toFixed(4)}; lr now ${optimizer.paramGroups[1].lr.toExponential(2)}`);
const state = optimizer.stateDict();                   // plain data, keyed by variable name
console.log(`state for ${Object.keys(state.variables).join(', ')}`);

optimizer.dispose();                                   // frees gradstep's memory (model.dispose() does not)
model.dispose();
tf.dispose([x, y]);
