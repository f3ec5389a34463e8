// fit() writes a checkpoint after every epoch and resumes from one with the same bits as a run that
// was never interrupted: weights, optimizer state, batch order, early stopping and history.
import { Adam, fit, init, makeMoons, MLP, Random, SGD, type EpochRecord, type FitOptions } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers.js';

beforeAll(() => init());

const data = makeMoons({ samples: 120, noise: 0.2, seed: 4 });
const validation = { X: data.X, y: data.y, rows: Uint32Array.from({ length: 30 }, (_, i) => 90 + i) };
const train = { X: data.X, y: data.y, rows: Uint32Array.from({ length: 90 }, (_, i) => i) };
const withoutTimes = (history: readonly EpochRecord[]) => history.map(({ milliseconds: _, ...rest }) => rest);
const state = (model: MLP, optimizer: Adam) => JSON.stringify({ values: model.params.map((p) => Array.from(p.value)), optimizer: optimizer.stateDict() });

describe.each(BACKENDS)('fit checkpoints on %s', (backend) => {
  const run = (modelSeed: number, options: Partial<FitOptions>) => {
    const model = new MLP({ layers: [2, 8, 2], seed: modelSeed, backend });
    const optimizer = new Adam(model.params, { lr: 0.01 });
    const result = fit(model, train, { optimizer, epochs: 6, batchSize: 16, seed: 3, validation, earlyStopping: { patience: 10 }, ...options });
    return { model, optimizer, result };
  };

  it('resumes from the checkpoint of any epoch with the bits of an uninterrupted run', () => {
    const checkpoints: Uint8Array[] = [];
    const straight = run(1, { checkpoint: (bytes, record) => checkpoints.push(bytes) && void record });
    expect(checkpoints).toHaveLength(6);
    for (const at of [1, 3, 5]) {
      const resumed = run(2, { resumeFrom: checkpoints[at - 1] }); // another initialization: the checkpoint overrides it
      expect(state(resumed.model, resumed.optimizer)).toBe(state(straight.model, straight.optimizer));
      expect(withoutTimes(resumed.result.history)).toEqual(withoutTimes(straight.result.history));
      expect([resumed.result.steps, resumed.result.bestEpoch, resumed.result.seed]).toEqual([straight.result.steps, straight.result.bestEpoch, 3]);
    }
  });

  it('a run that early stopping ended stays ended when resumed', () => {
    const checkpoints: Uint8Array[] = [];
    const stopped = run(1, { epochs: 40, earlyStopping: { patience: 1, minDelta: 10 }, checkpoint: (bytes) => void checkpoints.push(bytes) });
    expect(stopped.result.stopReason).toBe('early-stopping');
    const resumed = run(2, { epochs: 40, earlyStopping: { patience: 1, minDelta: 10 }, resumeFrom: checkpoints.at(-1) });
    expect(resumed.result.stopReason).toBe('early-stopping');
    expect(resumed.result.history).toHaveLength(stopped.result.history.length);
    expect(resumed.result.restoredBestWeights).toBe(stopped.result.restoredBestWeights);
    expect(state(resumed.model, resumed.optimizer)).toBe(state(stopped.model, stopped.optimizer));
  });

  it('refuses what it cannot resume exactly, changing nothing', () => {
    let bytes: Uint8Array | null = null;
    run(1, { epochs: 2, checkpoint: (b) => void (bytes = b) });
    const target = run(5, { epochs: 1 });
    const before = state(target.model, target.optimizer);
    const again = (options: Partial<FitOptions>) => () =>
      fit(target.model, train, { optimizer: target.optimizer, epochs: 4, seed: 3, resumeFrom: bytes!, ...options });
    expect(again({ seed: 4 })).toThrow(new RangeError('fit: seed 4 differs from the checkpoint\'s seed 3'));
    expect(again({ seed: new Random(3) })).toThrow(/need a seed that is a number/);
    expect(again({ resumeFrom: new Uint8Array(12) })).toThrow(/^decodeSafetensors: /);
    expect(again({ optimizer: new SGD(target.model.params) })).toThrow(/the dict holds the state of "Adam", not of SGD/);
    const other = new MLP({ layers: [2, 4, 2], seed: 1, backend });
    expect(() => fit(other, train, { optimizer: new Adam(other.params), epochs: 4, resumeFrom: bytes! })).toThrow(/tensor "param.0" holds 16 values, the model's param has 8/);
    expect(state(target.model, target.optimizer)).toBe(before);
  });
});
