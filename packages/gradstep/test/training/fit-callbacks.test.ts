// fit()'s tfjs-style callbacks: the exact order of every call, `this` for class instances, lists of
// callback objects, async callbacks awaited by fitAsync and refused (naming them) by fit, and
// fitAsync giving the event loop turns between batches where fit gives none.
import { Adam, fit, fitAsync, LogisticRegression, makeMoons, type BatchEndLogs, type EpochRecord, type FitCallbacks, type FitOptions, type FitResult } from 'gradstep';
import { describe, expect, it } from 'vitest';

// 10 rows in batches of 4: three batches per epoch, of 4, 4 and 2 rows.
const data = makeMoons({ samples: 10, noise: 0.1, seed: 1 });
const setup = () => {
  const model = new LogisticRegression({ features: 2, backend: 'js' });
  return { model, optimizer: new Adam(model.params, { lr: 0.05 }) };
};

/** Callbacks that log every call as a line; `wait` makes each one async (resolving in a later macrotask). */
function recorder(calls: string[], wait: boolean) {
  const after = <T>(line: string, value?: T) => {
    if (!wait) {
      calls.push(line);
      return value;
    }
    return new Promise<T | undefined>((resolve) => setTimeout(() => (calls.push(line), resolve(value)), 0));
  };
  const callbacks: FitCallbacks = {
    onTrainBegin: (logs) => after(`trainBegin epochs ${logs.epochs} first ${logs.firstEpoch} batches ${logs.batchesPerEpoch} rows ${logs.rows}`),
    onEpochBegin: (epoch) => after(`epochBegin ${epoch}`),
    onBatchBegin: (batch, logs) => after(`batchBegin ${batch} size ${logs.size} epoch ${logs.epoch}`),
    onBatchEnd: (batch, logs) => after(`batchEnd ${batch} steps ${logs.steps} loss ${Number.isFinite(logs.loss)}`),
    onEpochEnd: (epoch, logs) => after(`epochEnd ${epoch} steps ${logs.steps}`),
    onTrainEnd: (result) => after(`trainEnd ${result.stopReason} ${result.history.length}`),
  };
  const options: Partial<FitOptions> = {
    callbacks,
    onEpoch: (record) => after(`onEpoch ${record.epoch}`),
    checkpoint: (_bytes, record) => after(`checkpoint ${record.epoch}`),
  };
  return options;
}

const EXPECTED = [
  'trainBegin epochs 2 first 1 batches 3 rows 10',
  ...[1, 2].flatMap((epoch) => [
    `epochBegin ${epoch}`,
    `batchBegin 0 size 4 epoch ${epoch}`,
    `batchEnd 0 steps ${3 * epoch - 2} loss true`,
    `batchBegin 1 size 4 epoch ${epoch}`,
    `batchEnd 1 steps ${3 * epoch - 1} loss true`,
    `batchBegin 2 size 2 epoch ${epoch}`,
    `batchEnd 2 steps ${3 * epoch} loss true`,
    `checkpoint ${epoch}`,
    `epochEnd ${epoch} steps ${3 * epoch}`,
    `onEpoch ${epoch}`,
  ]),
  'trainEnd completed 2',
];

describe('fit callbacks', () => {
  it('calls every callback in order: 2 epochs × 3 batches, with the logs of each call', () => {
    const calls: string[] = [];
    const { model, optimizer } = setup();
    fit(model, data, { optimizer, epochs: 2, batchSize: 4, seed: 0, ...recorder(calls, false) });
    expect(calls).toEqual(EXPECTED);
  });

  it('fitAsync awaits async callbacks: the same order, each call finished before the next starts', async () => {
    const calls: string[] = [];
    const { model, optimizer } = setup();
    await fitAsync(model, data, { optimizer, epochs: 2, batchSize: 4, seed: 0, ...recorder(calls, true) });
    expect(calls).toEqual(EXPECTED);
  });

  it('onBatchEnd reports the loss lossAndGradient returned for the batch, and the running train loss is their mean', () => {
    const { model, optimizer } = setup();
    const losses: BatchEndLogs[] = [];
    const result = fit(model, data, { optimizer, epochs: 1, batchSize: 4, seed: 0, trainMetrics: 'running', callbacks: { onBatchEnd: (_, logs) => void losses.push(logs) } });
    expect(losses.map((l) => l.size)).toEqual([4, 4, 2]);
    expect(losses.every((l) => Number.isNaN(l.gradNorm))).toBe(true); // no clipGradNorm: no norm computed
    expect(result.history[0].trainLoss).toBe((losses[0].loss * 4 + losses[1].loss * 4 + losses[2].loss * 2) / 10);
  });

  it('calls a list of callback objects in order, methods of class instances with their this', () => {
    class Counter implements FitCallbacks {
      batches = 0;
      epochs: number[] = [];
      onBatchEnd() {
        this.batches++;
      }
      onEpochEnd(epoch: number, logs: EpochRecord) {
        this.epochs.push(epoch, logs.epoch);
      }
    }
    const counter = new Counter();
    const order: string[] = [];
    const { model, optimizer } = setup();
    fit(model, data, {
      optimizer, epochs: 2, batchSize: 4, seed: 0,
      callbacks: [{ onEpochEnd: () => void order.push('first') }, counter, { onEpochEnd: () => void order.push('third') }],
    });
    expect([counter.batches, counter.epochs]).toEqual([6, [1, 1, 2, 2]]);
    expect(order).toEqual(['first', 'third', 'first', 'third']);
  });

  it('onEpochEnd returning false stops training (stopReason "callback"), and onEpoch still sees that epoch', async () => {
    for (const run of [fit, fitAsync]) {
      const { model, optimizer } = setup();
      const seen: number[] = [];
      const result: FitResult = await run(model, data, {
        optimizer, epochs: 5, batchSize: 4, seed: 0,
        callbacks: { onEpochEnd: (epoch) => epoch < 3 },
        onEpoch: (record) => void seen.push(record.epoch),
      });
      expect([result.stopReason, result.history.length, seen]).toEqual(['callback', 3, [1, 2, 3]]);
    }
  });

  it('fit refuses a callback that returns a Promise with a TypeError naming it, after the steps before it', () => {
    const { model, optimizer } = setup();
    const before = Array.from(model.params[0].value);
    const run = (options: Partial<FitOptions>) => () => fit(model, data, { optimizer, epochs: 2, batchSize: 4, seed: 0, ...options });
    expect(run({ callbacks: { onTrainBegin: async () => undefined } })).toThrow(
      new TypeError('fit: callbacks.onTrainBegin returned a Promise, which fit() cannot wait for; use fitAsync() with async callbacks'),
    );
    // Nothing ran before onTrainBegin.
    expect(Array.from(model.params[0].value)).toEqual(before);
    expect(optimizer.stateDict().step).toBe(0);
    expect(run({ callbacks: [{}, { onBatchEnd: (batch) => (batch === 1 ? Promise.reject(new Error('not seen')) : undefined) }] })).toThrow(
      /^fit: callbacks\[1\]\.onBatchEnd returned a Promise/,
    );
    expect(optimizer.stateDict().step).toBe(2);
    expect(run({ onEpoch: async () => true })).toThrow(/^fit: onEpoch returned a Promise/);
    expect(run({ checkpoint: { save: async () => undefined } })).toThrow(/^fit: checkpoint\.save returned a Promise/);
  });

  it('fitAsync gives the event loop a turn before every batch with yieldEveryMs 0; fit never does', async () => {
    // A ticker that re-arms itself with setImmediate: it advances only when the event loop gets a turn.
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await new Promise((resolve) => setImmediate(resolve));
    try {
      const seenBySync: number[] = [];
      const a = setup();
      const startSync = ticks;
      fit(a.model, data, { optimizer: a.optimizer, epochs: 2, batchSize: 4, seed: 0, callbacks: { onBatchEnd: () => void seenBySync.push(ticks - startSync) } });
      expect(seenBySync).toEqual([0, 0, 0, 0, 0, 0]);

      const seenByAsync: number[] = [];
      const b = setup();
      const startAsync = ticks;
      await fitAsync(b.model, data, { optimizer: b.optimizer, epochs: 2, batchSize: 4, seed: 0, yieldEveryMs: 0, callbacks: { onBatchEnd: () => void seenByAsync.push(ticks - startAsync) } });
      // A turn before each of the 6 batches: by the end of batch i the turns before batches 1…i have
      // each let the ticker run (the current turn's tick may come before or after the batch).
      expect(seenByAsync).toHaveLength(6);
      for (let i = 0; i < 6; i++) expect(seenByAsync[i], `batch ${i}`).toBeGreaterThanOrEqual(i);
    } finally {
      running = false;
    }
  });
});
