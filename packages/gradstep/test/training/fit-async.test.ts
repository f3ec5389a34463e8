// fitAsync trains the same bits as fit (one loop, two drivers), on both backends; an AbortSignal
// stops either between batches, leaving a model and optimizer that resume from the last checkpoint
// to the bits of a run never interrupted (scheduler included); checkpoint { save, every }; and the
// new options' errors, which name the option and the value and change nothing.
import {
  Adam, fit, fitAsync, init, makeMoons, MLP, OneCycleLR, ReduceLROnPlateau, SGD, StepLR,
  type EpochRecord, type FitAsyncOptions, type FitOptions, type FitResult,
} from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers.js';

beforeAll(() => init());

const data = makeMoons({ samples: 90, noise: 0.25, seed: 2 });
const train = { X: data.X, y: data.y, rows: Uint32Array.from({ length: 70 }, (_, i) => i) };
const validation = { X: data.X, y: data.y, rows: Uint32Array.from({ length: 20 }, (_, i) => 70 + i) };
const EPOCHS = 6;
const PER_EPOCH = 5; // 70 rows in batches of 16

const withoutTimes = (history: readonly EpochRecord[]) => history.map(({ milliseconds: _, ...rest }) => rest);
/** Everything a run leaves behind, as one comparable string: weights (as bits), optimizer state, scheduler state. */
function finalState(model: MLP, optimizer: Adam, scheduler?: OneCycleLR) {
  const bits = model.params.map((p) => Array.from(new Uint32Array(p.value.slice().buffer)));
  return JSON.stringify({ bits, optimizer: optimizer.stateDict(), scheduler: scheduler?.stateDict() });
}

describe.each(BACKENDS)('fitAsync on %s', (backend) => {
  const make = () => {
    const model = new MLP({ layers: [2, 8, 2], seed: 3, backend });
    const optimizer = new Adam(model.params, { lr: 0.02 });
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.05, totalSteps: EPOCHS * PER_EPOCH });
    return { model, optimizer, scheduler };
  };
  const options = (run: ReturnType<typeof make>): FitOptions => ({
    optimizer: run.optimizer, epochs: EPOCHS, batchSize: 16, seed: 5, validation, earlyStopping: { patience: 10 },
    scheduler: run.scheduler, schedulerStep: 'batch', clipGradNorm: 0.5,
  });

  it('trains the same bits as fit: weights, optimizer and scheduler state, history (yielding before every batch, or every 16 ms)', async () => {
    const sync = make();
    const syncResult = fit(sync.model, train, options(sync));
    for (const yieldEveryMs of [0, undefined]) {
      const viaAsync = make();
      const asyncResult = await fitAsync(viaAsync.model, train, { ...options(viaAsync), yieldEveryMs });
      expect(finalState(viaAsync.model, viaAsync.optimizer, viaAsync.scheduler)).toBe(finalState(sync.model, sync.optimizer, sync.scheduler));
      expect(withoutTimes(asyncResult.history)).toEqual(withoutTimes(syncResult.history));
      expect([asyncResult.steps, asyncResult.stopReason, asyncResult.bestEpoch]).toEqual([EPOCHS * PER_EPOCH, 'completed', syncResult.bestEpoch]);
    }
  });

  /** An uninterrupted run, and a run aborted after `abortAfter` batches of epoch 3 whose last checkpoint (epoch 2) is then resumed. */
  const abortAndResume = async (driver: typeof fit | typeof fitAsync, abort: (controller: AbortController) => unknown) => {
    const straight = make();
    const straightResult = fit(straight.model, train, options(straight));

    const run = make();
    const controller = new AbortController();
    const checkpoints: Uint8Array[] = [];
    let error: unknown = null;
    try {
      await driver(run.model, train, {
        ...options(run), signal: controller.signal,
        checkpoint: (bytes) => void checkpoints.push(bytes),
        callbacks: { onBatchEnd: (batch, logs) => (logs.epoch === 3 && batch === 1 ? abort(controller) : undefined) },
      });
    } catch (caught) {
      error = caught;
    }
    // Stopped between batches 1 and 2 of epoch 3: two epochs and two batches of steps, two checkpoints.
    expect(run.optimizer.stateDict().step).toBe(2 * PER_EPOCH + 2);
    expect(run.scheduler.lastEpoch).toBe(2 * PER_EPOCH + 2);
    expect(checkpoints).toHaveLength(2);
    // The same model, optimizer and scheduler continue from the epoch-2 checkpoint.
    const resumed = await driver(run.model, train, { ...options(run), resumeFrom: checkpoints[1] });
    expect(finalState(run.model, run.optimizer, run.scheduler)).toBe(finalState(straight.model, straight.optimizer, straight.scheduler));
    expect(withoutTimes(resumed.history)).toEqual(withoutTimes(straightResult.history));
    return error;
  };

  it('fit: abort() in a callback mid-epoch throws an AbortError; resuming from the last checkpoint ends with the bits of an uninterrupted run', async () => {
    const error = await abortAndResume(fit, (controller) => controller.abort());
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
  });

  it('fitAsync: abort() during an awaited callback rejects with the signal\'s reason; resuming ends with the same bits', async () => {
    const reason = new Error('stopped by the user');
    const error = await abortAndResume(fitAsync, async (controller) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      controller.abort(reason);
    });
    expect(error).toBe(reason);
  });

  it('an aborted signal refuses to start, changing nothing (not even a resumeFrom checkpoint is loaded)', async () => {
    let checkpoint: Uint8Array | null = null;
    const first = make();
    fit(first.model, train, { ...options(first), epochs: 1, checkpoint: (bytes) => void (checkpoint = bytes) });
    const run = make();
    const before = finalState(run.model, run.optimizer, run.scheduler);
    const began: string[] = [];
    const aborted = AbortSignal.abort();
    const call = { ...options(run), signal: aborted, resumeFrom: checkpoint!, callbacks: { onTrainBegin: () => void began.push('began') } };
    expect(() => fit(run.model, train, call)).toThrow(expect.objectContaining({ name: 'AbortError' }));
    await expect(fitAsync(run.model, train, call)).rejects.toMatchObject({ name: 'AbortError' });
    expect(finalState(run.model, run.optimizer, run.scheduler)).toBe(before);
    expect(began).toEqual([]);
  });
});

describe('fit checkpoints with { save, every } and a scheduler', () => {
  const make = () => {
    const model = new MLP({ layers: [2, 8, 2], seed: 3, backend: 'js' });
    const optimizer = new Adam(model.params, { lr: 0.02 });
    return { model, optimizer, scheduler: new StepLR(optimizer, { stepSize: 2, gamma: 0.5 }) };
  };
  const base = (run: ReturnType<typeof make>) => ({ optimizer: run.optimizer, epochs: 5, batchSize: 16, seed: 5, scheduler: run.scheduler });

  it('saves after every `every`-th epoch and after the last, awaited by fitAsync; each resumes to the same bits', async () => {
    const straight = make();
    fit(straight.model, train, base(straight));
    const saved: [number, Uint8Array][] = [];
    const run = make();
    let writing = false;
    await fitAsync(run.model, train, {
      ...base(run),
      checkpoint: {
        every: 2,
        save: async (bytes, record) => {
          writing = true;
          await new Promise((resolve) => setTimeout(resolve, 1));
          saved.push([record.epoch, bytes]);
          writing = false;
        },
      },
      callbacks: { onEpochEnd: () => expect(writing).toBe(false) },
    });
    expect(saved.map(([epoch]) => epoch)).toEqual([2, 4, 5]);
    for (const [, bytes] of saved.slice(0, 2)) {
      const resumed = make();
      fit(resumed.model, train, { ...base(resumed), resumeFrom: bytes });
      expect(finalState(resumed.model, resumed.optimizer)).toBe(finalState(straight.model, straight.optimizer));
      expect(resumed.scheduler.stateDict()).toEqual(straight.scheduler.stateDict());
    }
  });

  it('refuses to resume with a different scheduler setting, naming it, and a refused checkpoint leaves the scheduler as it was', () => {
    let bytes: Uint8Array | null = null;
    const first = make();
    fit(first.model, train, { ...base(first), epochs: 2, checkpoint: (b) => void (bytes = b) });
    let plain: Uint8Array | null = null;
    const unscheduled = make();
    fit(unscheduled.model, train, { optimizer: unscheduled.optimizer, epochs: 2, batchSize: 16, seed: 5, checkpoint: (b) => void (plain = b) });

    const target = make();
    const before = finalState(target.model, target.optimizer) + JSON.stringify(target.scheduler.stateDict());
    const resume = (extra: Partial<FitOptions>) => () => fit(target.model, train, { ...base(target), resumeFrom: bytes!, ...extra });
    expect(resume({ scheduler: undefined })).toThrow(new RangeError("fit: the checkpoint's run stepped a scheduler; pass it as scheduler (with schedulerStep 'epoch') to continue its schedule"));
    expect(resume({ schedulerStep: 'batch' })).toThrow(new RangeError("fit: schedulerStep 'batch' differs from the checkpoint's 'epoch': the schedule would differ"));
    expect(resume({ resumeFrom: plain! })).toThrow(new RangeError("fit: the checkpoint's run had no scheduler: resume it without one (a scheduler would change its learning rates)"));
    const otherClass = new ReduceLROnPlateau(target.optimizer);
    expect(resume({ scheduler: otherClass })).toThrow(new TypeError('ReduceLROnPlateau.loadStateDict(dict): the dict holds the state of "StepLR", not of ReduceLROnPlateau'));
    // The scheduler's dict loads, then the optimizer's is refused: the scheduler's state is put back.
    const sgd = new SGD(target.model.params, { lr: 0.02 });
    const sgdScheduler = new StepLR(sgd, { stepSize: 3 });
    const sgdBefore = JSON.stringify(sgdScheduler.stateDict());
    expect(resume({ optimizer: sgd, scheduler: sgdScheduler })).toThrow(/the dict holds the state of "Adam", not of SGD/);
    expect(JSON.stringify(sgdScheduler.stateDict())).toBe(sgdBefore);
    expect(finalState(target.model, target.optimizer) + JSON.stringify(target.scheduler.stateDict())).toBe(before);
  });
});

describe('fit and fitAsync refuse bad options, naming them', () => {
  const make = () => {
    const model = new MLP({ layers: [2, 4, 2], seed: 1, backend: 'js' });
    return { model, optimizer: new SGD(model.params, { lr: 0.1 }) };
  };

  it('throws (fit) or rejects (fitAsync) with a TypeError or RangeError naming the option and the value, before any step', async () => {
    const { model, optimizer } = make();
    const other = make();
    const before = JSON.stringify(model.params.map((p) => Array.from(p.value)));
    const cases: [Record<string, unknown>, ErrorConstructor, string][] = [
      [{ callbacks: 5 }, TypeError, 'callbacks must be an object of callbacks (onTrainBegin, onEpochBegin, onBatchBegin, onBatchEnd, onEpochEnd, onTrainEnd), got 5'],
      [{ callbacks: [{}, null] }, TypeError, 'callbacks[1] must be an object of callbacks'],
      [{ callbacks: { onEpochEnds: () => undefined } }, TypeError, 'callbacks has an unknown callback "onEpochEnds" (known: onTrainBegin'],
      [{ callbacks: { onBatchEnd: 'log' } }, TypeError, 'callbacks.onBatchEnd must be a function, got "log"'],
      [{ scheduler: {} }, TypeError, 'scheduler must be a learning-rate scheduler (e.g. new StepLR(optimizer, …)), got an object (Object)'],
      [{ scheduler: new StepLR(other.optimizer, { stepSize: 1 }) }, RangeError, 'the scheduler sets the learning rate of another optimizer than options.optimizer'],
      [{ scheduler: new ReduceLROnPlateau(optimizer), schedulerStep: 'batch' }, RangeError, "schedulerStep must be 'epoch' for ReduceLROnPlateau (it is stepped with each epoch's loss), got 'batch'"],
      [{ scheduler: new StepLR(optimizer, { stepSize: 1 }), schedulerStep: 'step' }, RangeError, `schedulerStep must be 'epoch' or 'batch', got "step"`],
      [{ schedulerStep: 'batch' }, TypeError, 'schedulerStep "batch" needs a scheduler'],
      [{ clipGradNorm: -1 }, RangeError, 'clipGradNorm must be a number >= 0 (Infinity allowed) or { maxNorm, normType?, errorIfNonfinite? }, got -1'],
      [{ clipGradNorm: NaN }, RangeError, 'clipGradNorm must be a number >= 0 (Infinity allowed) or { maxNorm, normType?, errorIfNonfinite? }, got NaN'],
      [{ clipGradNorm: '1' }, TypeError, 'clipGradNorm must be a number (maxNorm) or { maxNorm, normType?, errorIfNonfinite? }, got "1"'],
      [{ clipGradNorm: { maxNorm: 1, normType: 0 } }, RangeError, 'clipGradNorm.normType must be a number > 0 or Infinity, got 0'],
      [{ clipGradNorm: { normType: 2 } }, RangeError, 'clipGradNorm.maxNorm must be a number >= 0 (Infinity allowed), got undefined'],
      [{ clipGradNorm: { maxNorm: 1, errorIfNonfinite: 'yes' } }, TypeError, 'clipGradNorm.errorIfNonfinite must be true or false, got "yes"'],
      [{ clipGradNorm: { maxNorm: 1, norm: 2 } }, TypeError, 'clipGradNorm: unknown option "norm" (known: maxNorm, normType, errorIfNonfinite)'],
      [{ clipGradValue: -0.5 }, RangeError, 'clipGradValue must be a finite number >= 0, got -0.5'],
      [{ clipGradValue: Infinity }, RangeError, 'clipGradValue must be a finite number >= 0, got Infinity'],
      [{ signal: { aborted: 'no' } }, TypeError, 'signal must be an AbortSignal (new AbortController().signal), got an object (Object)'],
      [{ checkpoint: { every: 2 } }, TypeError, 'checkpoint.save must be a function, got undefined'],
      [{ checkpoint: { save: () => undefined, every: 0 } }, RangeError, 'checkpoint.every must be an integer >= 1, got 0'],
      [{ checkpoint: { save: () => undefined, each: 2 } }, TypeError, 'checkpoint: unknown option "each" (known: save, every)'],
      [{ checkpoint: 'run.safetensors' }, TypeError, 'checkpoint must be a function or { save, every? }, got "run.safetensors"'],
    ];
    for (const [extra, type, message] of cases) {
      const call = { optimizer, epochs: 2, batchSize: 16, seed: 0, ...extra } as FitOptions;
      expect(() => fit(model, train, call), message).toThrow(type);
      expect(() => fit(model, train, call)).toThrow(`fit: ${message}`);
      await expect(fitAsync(model, train, call), message).rejects.toThrow(`fitAsync: ${message}`);
      await expect(fitAsync(model, train, call)).rejects.toBeInstanceOf(type);
    }
    // yieldEveryMs belongs to fitAsync.
    expect(() => fit(model, train, { optimizer, epochs: 1, yieldEveryMs: 0 } as FitOptions)).toThrow(/^fit: unknown option "yieldEveryMs"/);
    await expect(fitAsync(model, train, { optimizer, epochs: 1, yieldEveryMs: -1 } as FitAsyncOptions)).rejects.toThrow(
      new RangeError('fitAsync: yieldEveryMs must be a finite number >= 0, got -1'),
    );
    expect(JSON.stringify(model.params.map((p) => Array.from(p.value)))).toBe(before);
    expect(optimizer.stateDict().step).toBe(0);
  });

  it('a scheduler without stateDict is refused with checkpoints; errorIfNonfinite throws from the step that meets a non-finite norm', async () => {
    const { model, optimizer } = make();
    const bare = { optimizer, step() {} };
    expect(() => fit(model, train, { optimizer, epochs: 1, seed: 0, scheduler: bare, checkpoint: () => undefined })).toThrow(
      new TypeError('fit: checkpoint and resumeFrom need a scheduler with stateDict and loadStateDict (a gradstep scheduler)'),
    );
    // Without checkpoints a bare scheduler is stepped: once per epoch, with the epoch's loss.
    const seen: (number | undefined)[] = [];
    const result: FitResult = fit(model, train, { optimizer, epochs: 2, seed: 0, scheduler: { optimizer, step: (metric?: number) => void seen.push(metric) } });
    expect(seen).toEqual(result.history.map((r) => r.trainLoss));
    const poisoned = { X: Float32Array.from(train.X, (v, i) => (i === 3 ? NaN : v)), y: train.y };
    await expect(fitAsync(model, poisoned, { optimizer, epochs: 1, seed: 0, batchSize: 'full', clipGradNorm: { maxNorm: 1, errorIfNonfinite: true } })).rejects.toThrow(
      /^clipGradNorm: the total norm of order 2 of the gradients is NaN/,
    );
  });
});
