// fit's scheduler and clipping options against the loop a PyTorch user writes by hand: the same
// batches (batches() with the same seed), lossAndGradient, clipGradValue / clipGradNorm, step, then
// scheduler.step() per batch or per epoch (ReduceLROnPlateau with the epoch's validation loss).
// Equal weights bit for bit and equal learning rates after every epoch, on both backends.
import {
  Adam, batches, clipGradNorm, init, clipGradValue, fit, fitAsync, makeMoons, MLP, OneCycleLR, Random, ReduceLROnPlateau, SGD, StepLR,
  type FitOptions, type Optimizer, type Param,
} from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, firstBitDifference } from '../helpers.js';

beforeAll(() => init());

const data = makeMoons({ samples: 90, noise: 0.25, seed: 2 });
const train = { X: data.X, y: data.y, rows: Uint32Array.from({ length: 70 }, (_, i) => i) };
const validation = { X: data.X, y: data.y, rows: Uint32Array.from({ length: 20 }, (_, i) => 70 + i) };
const EPOCHS = 6;
const BATCH = 16; // 70 rows: batches of 16, 16, 16, 16 and 6

interface HandLoopSteps {
  /** After lossAndGradient, before the step. */
  clip?: (params: Param[]) => void;
  /** After each optimizer step. */
  afterBatch?: () => void;
  /** After each epoch. */
  afterEpoch?: (model: MLP) => void;
}

/** The loop by hand: what fit documents that it does, with nothing of fit's. */
function handLoop(model: MLP, optimizer: Optimizer<object>, seed: number, steps: HandLoopSteps): number[] {
  const clipped = [...optimizer.params];
  const rng = new Random(seed);
  const lrs: number[] = [];
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const batch of batches(train.rows.length, { batchSize: BATCH, seed: rng })) {
      const rows = batch.map((i) => train.rows[i]);
      model.lossAndGradient(train.X, train.y, rows);
      steps.clip?.(clipped);
      optimizer.step();
      steps.afterBatch?.();
    }
    steps.afterEpoch?.(model);
    lrs.push(optimizer.paramGroups[0].lr);
  }
  return lrs;
}

const weights = (model: MLP) => model.params.map((p) => p.value.slice());
function expectSameBits(a: Float32Array[], b: Float32Array[]) {
  expect(a.length).toBe(b.length);
  a.forEach((values, i) => expect(firstBitDifference(values, b[i]), `param ${i}`).toBe(-1));
}
function expectDifferentBits(a: Float32Array[], b: Float32Array[]) {
  expect(a.some((values, i) => firstBitDifference(values, b[i]) !== -1)).toBe(true);
}

describe.each(BACKENDS)('fit with a scheduler or clipping, against a hand-written loop, on %s', (backend) => {
  const make = () => {
    const model = new MLP({ layers: [2, 8, 2], seed: 3, backend });
    return { model, optimizer: new Adam(model.params, { lr: 0.02 }) };
  };
  /** fit (or fitAsync) with `extra`, recording the lr after every epoch. */
  const byFit = async (run: typeof fit | typeof fitAsync, configure: (optimizer: Adam) => Partial<FitOptions>) => {
    const { model, optimizer } = make();
    const lrs: number[] = [];
    const result = await run(model, train, {
      optimizer, epochs: EPOCHS, batchSize: BATCH, seed: 5, validation,
      callbacks: { onEpochEnd: () => void lrs.push(optimizer.paramGroups[0].lr) },
      ...configure(optimizer),
    });
    expect(result.steps).toBe(EPOCHS * 5);
    return { weights: weights(model), lrs };
  };
  const unscheduled = () => {
    const { model, optimizer } = make();
    handLoop(model, optimizer, 5, {});
    return weights(model);
  };

  it.each([fit, fitAsync])('per batch (OneCycleLR) changes the lr as stepping it by hand does (%o)', async (run) => {
    const schedule = (optimizer: Adam) => new OneCycleLR(optimizer, { maxLr: 0.05, totalSteps: EPOCHS * 5 });
    const { model, optimizer } = make();
    const scheduler = schedule(optimizer);
    const handLrs = handLoop(model, optimizer, 5, { afterBatch: () => scheduler.step() });
    const viaFit = await byFit(run, (o) => ({ scheduler: schedule(o), schedulerStep: 'batch' }));
    expect(viaFit.lrs).toEqual(handLrs);
    expectSameBits(viaFit.weights, weights(model));
    // The schedule did something: lrs vary, and the weights differ from a run at the constant lr.
    expect(new Set(handLrs).size).toBe(EPOCHS);
    expectDifferentBits(viaFit.weights, unscheduled());
  });

  it.each([fit, fitAsync])('per epoch (StepLR) changes the lr as stepping it by hand does (%o)', async (run) => {
    const schedule = (optimizer: Adam) => new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
    const { model, optimizer } = make();
    const scheduler = schedule(optimizer);
    const handLrs = handLoop(model, optimizer, 5, { afterEpoch: () => scheduler.step() });
    const viaFit = await byFit(run, (o) => ({ scheduler: schedule(o), schedulerStep: 'epoch' }));
    expect(handLrs).toEqual([0.02, 0.01, 0.01, 0.005, 0.005, 0.0025]);
    expect(viaFit.lrs).toEqual(handLrs);
    expectSameBits(viaFit.weights, weights(model));
  });

  it('ReduceLROnPlateau gets the validation loss each epoch, or the train loss without validation (schedulerStep defaults to epoch)', () => {
    // patience 0 and a large threshold: every epoch that does not improve by 20% halves the lr.
    const schedule = (optimizer: Adam) => new ReduceLROnPlateau(optimizer, { patience: 0, threshold: 0.2, factor: 0.5 });
    for (const metricRows of [validation, train]) {
      const { model, optimizer } = make();
      const scheduler = schedule(optimizer);
      const handLrs = handLoop(model, optimizer, 5, { afterEpoch: (m) => scheduler.step(m.evaluate(metricRows.X, metricRows.y, metricRows.rows).loss) });
      const viaFit = (() => {
        const m = make();
        const lrs: number[] = [];
        fit(m.model, train, {
          optimizer: m.optimizer, epochs: EPOCHS, batchSize: BATCH, seed: 5, validation: metricRows === validation ? validation : undefined, scheduler: schedule(m.optimizer),
          callbacks: { onEpochEnd: () => void lrs.push(m.optimizer.paramGroups[0].lr) },
        });
        return { weights: weights(m.model), lrs };
      })();
      expect(viaFit.lrs).toEqual(handLrs);
      expectSameBits(viaFit.weights, weights(model));
      // The plateau was reached: the lr was reduced at least once.
      expect(handLrs.at(-1)).toBeLessThan(0.02);
    }
  });

  it.each([fit, fitAsync])('clipGradNorm and clipGradValue clip as clipGradNorm/clipGradValue in a hand-written loop do (%o)', async (run) => {
    // A max norm below the gradients' norms, so that every step is clipped.
    const norms: number[] = [];
    const { model, optimizer } = make();
    handLoop(model, optimizer, 5, { clip: (params) => void norms.push(clipGradNorm(params, 0.05)) });
    expect(Math.min(...norms)).toBeGreaterThan(0.05);
    const reported: number[] = [];
    const viaFit = await byFit(run, () => ({ clipGradNorm: 0.05, callbacks: { onBatchEnd: (_, logs) => void reported.push(logs.gradNorm) } }));
    expectSameBits(viaFit.weights, weights(model));
    expect(reported).toEqual(norms);
    expectDifferentBits(viaFit.weights, unscheduled());

    const byHand = make();
    handLoop(byHand.model, byHand.optimizer, 5, {
      clip: (params) => {
        clipGradValue(params, 0.01);
        clipGradNorm(params, 0.015, { normType: 1 });
      },
    });
    const both = await byFit(run, () => ({ clipGradValue: 0.01, clipGradNorm: { maxNorm: 0.015, normType: 1 } }));
    expectSameBits(both.weights, weights(byHand.model));
  });

  it('clips only the gradients of the optimizer\'s params (a frozen param neither counts nor changes)', () => {
    const frozenModel = () => {
      const { model } = make();
      return { model, optimizer: new SGD(model.params.slice(2), { lr: 0.5 }) }; // the output layer only
    };
    const byHand = frozenModel();
    const frozen = byHand.model.params.slice(0, 2).map((p) => p.value.slice());
    handLoop(byHand.model, byHand.optimizer, 5, { clip: (params) => void clipGradNorm(params, 1e-3) });
    const viaFit = frozenModel();
    fit(viaFit.model, train, { optimizer: viaFit.optimizer, epochs: EPOCHS, batchSize: BATCH, seed: 5, clipGradNorm: 1e-3 });
    expectSameBits(weights(viaFit.model), weights(byHand.model));
    expectSameBits(viaFit.model.params.slice(0, 2).map((p) => p.value), frozen);
  });
});
