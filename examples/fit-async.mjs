// The README's fitAsync example: an MLP on digits trained without blocking the event loop, with
// tfjs-style callbacks, a one-cycle schedule stepped per batch, gradient clipping and a checkpoint
// per epoch; an AbortSignal stops it in the middle of an epoch, and the last checkpoint resumes it
// to the same weights, bit for bit, as a run that was never stopped.
import { readFileSync } from 'node:fs';
import { init, parseCsv, fitStandardizer, MLP, Adam, OneCycleLR, fit, fitAsync } from 'gradstep';

await init();
const data = parseCsv(readFileSync(new URL('../datasets/digits.csv', import.meta.url), 'utf8'));
const X = fitStandardizer(data.X, data.features).transform(data.X);
const epochs = 6, batchSize = 64, batchesPerEpoch = Math.ceil(data.y.length / batchSize);

const setup = () => {
  const model = new MLP({ layers: [data.features, 64, 10], seed: 1 });
  const optimizer = new Adam(model.params, { lr: 1e-3 });
  const scheduler = new OneCycleLR(optimizer, { maxLr: 1e-2, totalSteps: epochs * batchesPerEpoch });
  const options = { optimizer, epochs, batchSize, seed: 2, scheduler, schedulerStep: 'batch', clipGradNorm: 1 };
  return { model, optimizer, options };
};

// Stop during epoch 4 (a user pressing Stop), keeping the checkpoint of every epoch.
const { model, options } = setup();
const controller = new AbortController();
const checkpoints = [];
try {
  await fitAsync(model, { X, y: data.y }, {
    ...options,
    signal: controller.signal,
    checkpoint: (bytes) => void checkpoints.push(bytes),
    callbacks: {
      onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch}: train loss ${logs.trainLoss.toFixed(4)}, accuracy ${logs.trainAccuracy.toFixed(4)}`),
      onBatchEnd: (batch, logs) => {
        if (logs.epoch === 4 && batch === 10) controller.abort();
      },
    },
  });
} catch (error) {
  if (error.name !== 'AbortError') throw error;
  console.log(`aborted in epoch 4 after ${checkpoints.length} checkpoints`);
}
// Continue from the last checkpoint, with the same model, optimizer and scheduler.
const resumed = await fitAsync(model, { X, y: data.y }, { ...options, resumeFrom: checkpoints.at(-1) });
console.log(`resumed: ${resumed.history.length} epochs, ${resumed.steps} steps, final train accuracy ${resumed.history.at(-1).trainAccuracy.toFixed(4)}`);

// The same run, never stopped, with the synchronous fit: the same bits.
const straight = setup();
fit(straight.model, { X, y: data.y }, straight.options);
const same = model.params.every((p, i) => p.value.every((v, j) => Object.is(v, straight.model.params[i].value[j])));
console.log(`same weights as an uninterrupted fit(): ${same ? 'yes' : 'NO'}`);
