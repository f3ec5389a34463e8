// fit() writes a checkpoint after every epoch and resumes from one with the same bits as a run that
// was never interrupted: weights, optimizer state, batch order, early stopping and history. A
// checkpoint is untrusted input: checked whole before anything is written, and resuming costs time
// in proportion to its size (the batch order's generator state is saved, not replayed).
import { Adam, decodeSafetensors, encodeSafetensors, fit, init, makeMoons, MLP, Random, SGD, type EpochRecord, type FitOptions } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, MUTATION_TESTING } from '../helpers.js';

beforeAll(() => init());

const data = makeMoons({ samples: 120, noise: 0.2, seed: 4 });
const validation = { X: data.X, y: data.y, rows: Uint32Array.from({ length: 30 }, (_, i) => 90 + i) };
const train = { X: data.X, y: data.y, rows: Uint32Array.from({ length: 90 }, (_, i) => i) };
const withoutTimes = (history: readonly EpochRecord[]) => history.map(({ milliseconds: _, ...rest }) => rest);
/** A checkpoint with its fit progress (and metadata) edited, as a crafted file would be. */
type Progress = Record<string, unknown> & { history: Record<string, unknown>[] };
const tamper = (bytes: Uint8Array, edit: (progress: Progress, metadata: Record<string, string>) => void) => {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const progress = JSON.parse(metadata.fit) as Progress;
  edit(progress, metadata);
  return encodeSafetensors(tensors, { ...metadata, fit: JSON.stringify(progress) });
};
/** A well-formed history record as fit writes it (NaN as a string). */
const record = (epoch: number, steps: number) => ({ epoch, trainLoss: 0.5, trainAccuracy: 0.75, validationLoss: 'NaN', validationAccuracy: 'NaN', generalizationGap: 'NaN', steps, milliseconds: 1 });
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
      fit(target.model, train, { optimizer: target.optimizer, epochs: 4, batchSize: 16, seed: 3, resumeFrom: bytes!, ...options });
    expect(again({ seed: 4 })).toThrow(new RangeError('fit: seed 4 differs from the checkpoint\'s seed 3'));
    expect(again({ seed: new Random(3) })).toThrow(/need a seed that is a number/);
    expect(again({ resumeFrom: new Uint8Array(12) })).toThrow(/^decodeSafetensors: /);
    expect(again({ optimizer: new SGD(target.model.params) })).toThrow(/the dict holds the state of "Adam", not of SGD/);
    const other = new MLP({ layers: [2, 4, 2], seed: 1, backend });
    expect(() => fit(other, train, { optimizer: new Adam(other.params), epochs: 4, resumeFrom: bytes! })).toThrow(/tensor "param.0" holds 16 values, the model's param has 8/);
    expect(state(target.model, target.optimizer)).toBe(before);
  });

  /** A target run (other weights, a step taken) and a 2-epoch checkpoint of batchSize 16 over `train` to resume it from. */
  const setup = () => {
    let bytes: Uint8Array | null = null;
    run(1, { epochs: 2, checkpoint: (b) => void (bytes = b) });
    const target = run(5, { epochs: 1 });
    const before = state(target.model, target.optimizer);
    const resume = (resumeFrom: Uint8Array, options: Partial<FitOptions> = {}) => () =>
      fit(target.model, train, { optimizer: target.optimizer, epochs: 4, batchSize: 16, seed: 3, validation, resumeFrom, ...options });
    const unchanged = () => expect(state(target.model, target.optimizer)).toBe(before);
    return { bytes: bytes!, target, resume, unchanged };
  };

  it('refuses a different number of training rows or batch size, naming both values, changing nothing', () => {
    const { bytes, target, resume, unchanged } = setup();
    expect(resume(bytes, { batchSize: 32 })).toThrow(new RangeError("fit: batchSize 32 differs from the checkpoint's batchSize 16: the batch order would differ"));
    expect(resume(bytes, { batchSize: 'full' })).toThrow(new RangeError("fit: batchSize 90 differs from the checkpoint's batchSize 16: the batch order would differ"));
    const fewer = { X: train.X, y: train.y, rows: train.rows.subarray(0, 80) };
    expect(() => fit(target.model, fewer, { optimizer: target.optimizer, epochs: 4, batchSize: 16, resumeFrom: bytes })).toThrow(
      new RangeError("fit: the data has 80 training rows, the checkpoint's run had 90: its batch order cannot be continued"),
    );
    // The progress itself must agree: batchSize within n, and the steps they give.
    expect(resume(tamper(bytes, (p) => (p.batchSize = 91)))).toThrow(/fit progress is malformed: batchSize must be an integer from 1 to 90, got 91/);
    expect(resume(tamper(bytes, (p) => (p.batchSize = 8)))).toThrow(/fit progress is malformed: steps 12 is not 2 epochs × 12 batches/);
    expect(resume(tamper(bytes, (p) => (p.n = 'ninety')))).toThrow(/fit progress is malformed: n must be an integer from 1 to 4294967295, got "ninety"/);
    unchanged();
    // Any batchSize >= n is the same full batch, so 'full' resumes a run of batchSize 1000.
    let full: Uint8Array | null = null;
    run(1, { epochs: 1, batchSize: 1000, checkpoint: (b) => void (full = b) });
    expect(resume(full!, { batchSize: 'full' })().history).toHaveLength(4);
  });

  it('refuses history records that are not epoch records (null, wrong epoch, non-numeric fields), changing nothing', () => {
    const { bytes, resume, unchanged } = setup();
    const refusals: [(p: Progress) => void, RegExp][] = [
      [(p) => (p.history[1] = null as unknown as Record<string, unknown>), /history\[1\] must be an epoch record, got null/],
      [(p) => (p.history[1] = [] as unknown as Record<string, unknown>), /history\[1\] must be an epoch record, got an array of length 0/],
      [(p) => (p.history[1].epoch = 1), /history\[1\]\.epoch must be 2, got 1/],
      [(p) => (p.history[0].epoch = '1'), /history\[0\]\.epoch must be 1, got "1"/],
      [(p) => (p.history[1].trainLoss = 'low'), /history\[1\]\.trainLoss must be a number, got "low"/],
      [(p) => (p.history[0].validationAccuracy = null), /history\[0\]\.validationAccuracy must be a number, got null/],
      [(p) => delete p.history[1].milliseconds, /history\[1\]\.milliseconds must be a number, got undefined/],
      [(p) => (p.history[0].steps = 7), /history\[0\]\.steps must be 6, got 7/],
      [(p) => (p.history = { length: 2 } as unknown as Record<string, unknown>[]), /history must be an array of 2 epoch records, got an object/],
      [(p) => (p.history[0].trainLoss = 'x'.repeat(100_000)), /history\[0\]\.trainLoss must be a number, got "x{40}"…$/],
    ];
    for (const [edit, message] of refusals) {
      expect(resume(tamper(bytes, edit))).toThrow(message);
      expect(resume(tamper(bytes, edit))).toThrow(TypeError);
    }
    unchanged();
  });

  it("refuses progress that disagrees with itself: epoch vs history length, counts, the generator's state", () => {
    const { bytes, resume, unchanged } = setup();
    const refusals: [(p: Progress, m: Record<string, string>) => void, RegExp][] = [
      [(p) => ((p.epoch = 3), (p.steps = 18)), /history must be an array of 3 epoch records, got 2 records/],
      [(p) => p.history.push(record(3, 18)), /history must be an array of 2 epoch records, got 3 records/],
      [(p) => ((p.epoch = 0), (p.history = [])), /epoch must be an integer from 1 to 9007199254740991, got 0/],
      [(p) => (p.epoch = 2.5), /epoch must be an integer from 1/],
      [(p) => (p.steps = 13), /steps 13 is not 2 epochs × 6 batches of 16 of 90 rows/],
      [(p) => (p.bestEpoch = 3), /bestEpoch must be an integer from 1 to 2, got 3/],
      [(p) => (p.stale = 2), /stale must be an integer from 0 to/],
      [(p) => (p.bestLoss = 'NaN'), /bestLoss must be a number, got NaN/],
      [(p) => (p.seed = 2 ** 32), /seed must be an integer from 0 to 4294967295/],
      [(p) => (p.seed = 4), /the batch order's generator has seed 3, the progress seed 4/],
      [(p) => delete p.random, /random: Random\.fromState: state must be a string from getState\(\), got undefined/],
      [(p) => (p.random = (p.random as string).replace(':000000000000006d:', ':000000000000006f:')), /random: Random\.fromState: increment 0x000000000000006f/],
      [(p) => (p.random = 'seed 3'), /random: Random\.fromState: state must be 'state:increment:seed'/],
      [(_, m) => (m.version = '1'), /the checkpoint is version "1" of fit\(\)'s format; this gradstep reads version 2/],
    ];
    for (const [edit, message] of refusals) expect(resume(tamper(bytes, edit))).toThrow(message);
    unchanged();
    // The same file, decoded and encoded again untouched, still resumes.
    expect(resume(tamper(bytes, () => undefined))().history).toHaveLength(4);
  });

  it.skipIf(MUTATION_TESTING)('a huge history (200,000 records, more than push(...) takes) is checked in a loop and resumed, or refused whole with nothing written', () => {
    const { bytes, resume, unchanged } = setup();
    const huge = (last: unknown) =>
      tamper(bytes, (p) => {
        const epochs = 200_000;
        p.history = Array.from({ length: epochs }, (_, i) => record(i + 1, 6 * (i + 1)));
        p.history[epochs - 1] = last as Record<string, unknown>;
        Object.assign(p, { epoch: epochs, steps: 6 * epochs, bestEpoch: epochs, stale: 0 });
      });
    // A null last record (which crashed on `last.epoch`) and a wrong one are refused before anything is written.
    expect(resume(huge(null))).toThrow(/history\[199999\] must be an epoch record, got null/);
    expect(resume(huge({ ...record(200_000, 1_200_000), trainAccuracy: true }))).toThrow(/history\[199999\]\.trainAccuracy must be a number, got true/);
    unchanged();
    // A well-formed one is more epochs than asked for: nothing runs, and its history is the result (as before).
    const result = resume(huge(record(200_000, 1_200_000)))();
    expect(result.history).toHaveLength(200_000);
    expect(result.history[199_999]).toEqual({ ...record(200_000, 1_200_000), validationLoss: NaN, validationAccuracy: NaN, generalizationGap: NaN });
    expect([result.stopReason, result.steps, result.bestEpoch, result.seed]).toEqual(['completed', 1_200_000, 200_000, 3]);
  });

  it('resuming a checkpoint that claims 100,000 epochs of 20,000 rows restores the batch order at once (no replay of past epochs)', () => {
    // Replaying the past epochs' orders would shuffle 20,000 rows 100,000 times (minutes): the test would time out.
    const big = makeMoons({ samples: 20_000, noise: 0.2, seed: 5 });
    const fitBig = (epochs: number, options: Partial<FitOptions>) => {
      const model = new MLP({ layers: [2, 4, 2], seed: 1, backend });
      const optimizer = new SGD(model.params, { lr: 0.1 });
      return { model, optimizer, result: fit(model, big, { optimizer, epochs, batchSize: 'full', seed: 9, ...options }) };
    };
    const checkpoints: Uint8Array[] = [];
    const straight = fitBig(2, { checkpoint: (b) => void checkpoints.push(b) });
    // The claim: the first checkpoint with its epoch count (and history) raised; its generator state is that of epoch 1.
    const claimed = 100_000;
    const forged = tamper(checkpoints[0], (p) => {
      p.history = Array.from({ length: claimed }, (_, i) => ({ ...p.history[0], epoch: i + 1, steps: i + 1 }));
      Object.assign(p, { epoch: claimed, steps: claimed, bestEpoch: claimed });
    });
    const resumed = fitBig(claimed + 1, { resumeFrom: forged });
    expect(resumed.result.history).toHaveLength(claimed + 1);
    expect(resumed.result.steps).toBe(claimed + 1);
    // The epoch after it trains exactly as epoch 2 of the uninterrupted run (same weights, optimizer and batch order).
    expect(Array.from(resumed.model.params[0].value)).toEqual(Array.from(straight.model.params[0].value));
    const { epoch: _, steps: __, milliseconds: ___, ...last } = resumed.result.history[claimed];
    const { epoch: _e, steps: _s, milliseconds: _m, ...second } = straight.result.history[1];
    expect(last).toEqual(second);
  });

  it('a checkpoint of more epochs than asked for returns its history without training or refusing', () => {
    const { bytes, target, resume } = setup();
    const result = resume(bytes, { epochs: 1 })();
    expect(result.history.map((r) => r.epoch)).toEqual([1, 2]);
    expect([result.stopReason, result.steps]).toEqual(['completed', 12]);
    // The checkpoint is loaded (its weights, the optimizer of the run that wrote it), and nothing more.
    const { tensors } = decodeSafetensors(bytes);
    expect(target.model.params.map((p) => Array.from(p.value))).toEqual(target.model.params.map((_, i) => Array.from(tensors[`param.${i}`].data as Float32Array)));
    const straight = run(1, { epochs: 2 });
    expect(JSON.stringify(target.optimizer.stateDict())).toBe(JSON.stringify(straight.optimizer.stateDict()));
  });
});
