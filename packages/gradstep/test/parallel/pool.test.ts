// The worker pool (workers: n) of gridSearch, randomSearch and crossValidate, from the source modules:
// the same bits with 1, 2 and 'auto' workers (and with the callback path), data on a SharedArrayBuffer,
// a throwing candidate (raise and errorScore), crashing workers (process.exit, an uncaught error, a
// top-level throw, one crashing while another hangs), no worker left after any call, and argument errors.
// The task modules are in fixtures/. No timing assertions: times are excluded from every comparison.
import { afterEach, describe, expect, it } from 'vitest';
import { captureWarnings } from '../capture-warnings.js';
// The built package's Node entry: it installs the worker_threads host.
import { createWorkerPool, crossValidate, gridSearch, kFold, liveWorkerCount, Random, randomSearch, setWarningHandler, uniform, type SearchResult } from 'gradstep';
// @ts-expect-error: a plain .mjs task module without types
import * as ridge from './fixtures/ridge-task.mjs';

const RIDGE = new URL('./fixtures/ridge-task.mjs', import.meta.url);
const RIDGE_MULTI = new URL('./fixtures/ridge-multi-task.mjs', import.meta.url);
const CRASH = new URL('./fixtures/crash-task.mjs', import.meta.url);
const TOP_LEVEL_THROW = new URL('./fixtures/top-level-throw-task.mjs', import.meta.url);
const COUNTING = new URL('./fixtures/counting-task.mjs', import.meta.url);

const warnings = captureWarnings(setWarningHandler);
afterEach(() => {
  // No worker outlives a call, whatever happened in it.
  expect(liveWorkerCount()).toBe(0);
});

// y = X·[1, −2, 0.5] + 3 + noise, 80 rows, 3 features.
const n = 80;
const p = 3;
const random = new Random(7);
const X = Float64Array.from({ length: n * p }, () => random.nextFloat() * 4 - 2);
const y = Float64Array.from({ length: n }, (_, r) => X[r * p] - 2 * X[r * p + 1] + 0.5 * X[r * p + 2] + 3 + (random.nextFloat() - 0.5));
const data = { X, y, p };
const folds = kFold(n, { k: 5, shuffle: true, seed: 3 });
const grid = { alpha: [0, 0.1, 1, 10, 100] };

/** Every float of a result as its bit pattern (times left out), to compare with toEqual. */
function bitsOf(values: ArrayLike<number>): string[] {
  const bits = new BigUint64Array(Float64Array.from(values).buffer);
  return Array.from(bits, (b) => b.toString(16));
}
function searchBits(result: SearchResult<unknown, unknown, string>) {
  const { results } = result;
  const table = (record: Readonly<Record<string, Float64Array[]>> | undefined) =>
    record && Object.fromEntries(Object.entries(record).map(([name, rows]) => [name, rows.map(bitsOf)]));
  const column = (record: Readonly<Record<string, Float64Array | Int32Array>> | undefined) =>
    record && Object.fromEntries(Object.entries(record).map(([name, values]) => [name, bitsOf(values)]));
  const model = result.bestModel as { w: Float64Array; b: number } | undefined;
  return {
    params: results.params,
    split: table(results.splitTestScores),
    mean: column(results.meanTestScore),
    std: column(results.stdTestScore),
    rank: column(results.rankTestScore),
    splitTrain: table(results.splitTrainScores),
    meanTrain: column(results.meanTrainScore),
    bestIndex: result.bestIndex,
    bestScore: result.bestScore === undefined ? undefined : bitsOf([result.bestScore]),
    bestModel: model && { w: bitsOf(model.w), b: bitsOf([model.b]) },
    refitRows: result.refitRows && Array.from(result.refitRows),
    fitFailures: result.fitFailures,
    scoreFailures: result.scoreFailures,
  };
}

function activeWorkerHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'MessagePort' || name === 'Worker').length;
}

describe('gridSearch and randomSearch on workers', () => {
  it('gives the same bits with 1, 2 and auto workers, and as the callback path', async () => {
    const run = (workers: number | 'auto') => gridSearch({ folds, params: grid, task: RIDGE, data, workers, returnTrainScore: true });
    const one = await run(1);
    const two = await run(2);
    const auto = await run('auto');
    const callbacks = await gridSearch({
      folds,
      params: grid,
      fit: (params, rows) => ridge.fit(params, rows, data),
      score: (model, rows) => ridge.score(model, rows, data),
      returnTrainScore: true,
    });
    expect(searchBits(two)).toEqual(searchBits(one));
    expect(searchBits(auto)).toEqual(searchBits(one));
    expect(searchBits(callbacks)).toEqual(searchBits(one));
    expect(one.results.splitTestScores.score).toHaveLength(5);
    expect(one.bestIndex).toBeDefined();
    expect(two.results.meanFitTime).toHaveLength(5);
    expect(warnings).toEqual([]);
  });

  it('randomSearch with several scorers (an object of score functions) and refit naming one', async () => {
    const run = (workers: number) =>
      randomSearch({ folds, distributions: { alpha: uniform(0, 50) }, nIter: 6, seed: 11, task: RIDGE_MULTI, data, workers, refit: 'negMae' });
    const one = await run(1);
    const three = await run(3);
    expect(one.scorers).toEqual(['negMse', 'negMae']);
    expect(one.refitMetric).toBe('negMae');
    expect(searchBits(three)).toEqual(searchBits(one));
  });

  it('shares typed arrays over a SharedArrayBuffer, with the same results', async () => {
    const shared = new Float64Array(new SharedArrayBuffer(X.byteLength));
    shared.set(X);
    const sharedData = { X: shared, y, p };
    const plain = await gridSearch({ folds, params: grid, task: RIDGE, data, workers: 2 });
    const onShared = await gridSearch({ folds, params: grid, task: RIDGE, data: sharedData, workers: 2 });
    expect(searchBits(onShared)).toEqual(searchBits(plain));
  });

  it('takes a file path or a URL string as the task', async () => {
    const byUrl = await gridSearch({ folds, params: grid, task: RIDGE, data, workers: 2 });
    const byHref = await gridSearch({ folds, params: grid, task: RIDGE.href, data, workers: 2 });
    const { fileURLToPath } = await import('node:url');
    const byPath = await gridSearch({ folds, params: grid, task: fileURLToPath(RIDGE), data, workers: 2 });
    expect(searchBits(byHref)).toEqual(searchBits(byUrl));
    expect(searchBits(byPath)).toEqual(searchBits(byUrl));
  });

  const failingGrid = [{ alpha: [0.1, 1] }, { alpha: [2], fail: [true] }, { alpha: [5] }];

  it('a candidate whose fit throws rejects naming it (errorScore raise), with any worker count', async () => {
    for (const workers of [1, 2]) {
      const error = await gridSearch({ folds, params: failingGrid, task: RIDGE, data, workers }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error!.message).toMatch(/^gridSearch: fit threw for candidate 2 \{ alpha: 2, fail: true \} on fold \d: alpha 2 is not allowed$/);
      expect((error!.cause as Error).message).toBe('alpha 2 is not allowed');
      expect((error!.cause as Error).name).toBe('RangeError');
    }
  });

  it('with errorScore, the failed fits score it and the search goes on, the same on 1 and 2 workers', async () => {
    const run = (workers: number) => gridSearch({ folds, params: failingGrid, task: RIDGE, data, workers, errorScore: Number.NaN, returnTrainScore: true });
    const one = await run(1);
    const oneWarnings = [...warnings];
    warnings.length = 0;
    const two = await run(2);
    expect(one.fitFailures).toBe(5);
    expect(Array.from(one.results.splitTestScores.score[2]).every(Number.isNaN)).toBe(true);
    expect(one.results.rankTestScore.score[2]).toBe(4);
    expect(searchBits(two)).toEqual(searchBits(one));
    // The warnings name the first failure in (candidate, fold) order, whatever completed first.
    expect(warnings).toEqual(oneWarnings);
    expect(warnings[0]).toMatch(/5 fits failed out of a total of 20.*candidate 2 \{ alpha: 2, fail: true \} on fold 0: alpha 2 is not allowed/);
  });

  it('a score that throws follows errorScore too', async () => {
    const params = [{ alpha: [1] }, { alpha: [3], failScore: [true] }];
    await expect(gridSearch({ folds, params, task: RIDGE, data, workers: 2 })).rejects.toThrow(
      /^gridSearch: score threw for candidate 1 \{ alpha: 3, failScore: true \} on the test rows of fold \d: score refused$/,
    );
    const one = await gridSearch({ folds, params, task: RIDGE, data, workers: 1, errorScore: -1 });
    const two = await gridSearch({ folds, params, task: RIDGE, data, workers: 2, errorScore: -1 });
    expect(one.scoreFailures).toBe(5);
    expect(searchBits(two)).toEqual(searchBits(one));
  });
});

describe('crossValidate on workers', () => {
  it('gives the same bits with 1, 2 and auto workers, and as the callback path', async () => {
    const run = (workers: number | 'auto') => crossValidate({ folds, task: RIDGE, data, params: { alpha: 0.5 }, workers, returnTrainScore: true });
    const one = await run(1);
    const two = await run(2);
    const auto = await run('auto');
    const callbacks = await crossValidate({
      folds,
      fit: (rows) => ridge.fit({ alpha: 0.5 }, rows, data),
      score: (model, rows) => ridge.score(model, rows, data),
      returnTrainScore: true,
    });
    const bits = (cv: typeof one | typeof callbacks) => [cv.testScores, cv.trainScores!, [cv.meanTestScore, cv.stdTestScore, cv.meanGeneralizationGap!]].map(bitsOf);
    expect(bits(two)).toEqual(bits(one));
    expect(bits(auto)).toEqual(bits(one));
    expect(bits(callbacks)).toEqual(bits(one));
    expect(two.models).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('a fit that throws rejects naming the fold', async () => {
    await expect(crossValidate({ folds, task: RIDGE, data, params: { alpha: 1, fail: true }, workers: 2 })).rejects.toThrow(
      /^crossValidate: fit threw on fold \d: alpha 1 is not allowed$/,
    );
  });

  it('a crashing worker rejects naming the fold', async () => {
    await expect(crossValidate({ folds, task: CRASH, data, params: { alpha: 1, crash: 'exit' }, workers: 2 })).rejects.toThrow(
      /^crossValidate: worker \d crashed while running fold \d: the worker exited with code 7$/,
    );
  });
});

describe('crashing workers', () => {
  const oneFold = [folds[0]];

  it('process.exit in a worker rejects the call naming the job, and ends every worker', async () => {
    const before = activeWorkerHandles();
    const params = [{ alpha: [1] }, { alpha: [2], crash: ['exit'] }, { alpha: [3] }];
    const error = await gridSearch({ folds, params, task: CRASH, data, workers: 2 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error!.message).toMatch(/^gridSearch: worker \d crashed while running candidate 1 \{ alpha: 2, crash: "exit" \} on fold \d: the worker exited with code 7$/);
    expect(liveWorkerCount()).toBe(0);
    expect(activeWorkerHandles()).toBe(before);
  });

  it('an uncaught error in a worker rejects the call with it as the cause', async () => {
    const params = [{ alpha: [1], crash: ['uncaught'] }];
    const error = await gridSearch({ folds, params, task: CRASH, data, workers: 2 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error!.message).toMatch(/^gridSearch: worker \d crashed while running candidate 0 \{ alpha: 1, crash: "uncaught" \} on fold \d: uncaught in the worker$/);
    expect((error!.cause as Error).message).toBe('uncaught in the worker');
  });

  it('a crash terminates the other workers, even one whose job never ends', async () => {
    const before = activeWorkerHandles();
    // One fold, two workers: one worker hangs in job 0 while the other exits in job 1 (which worker gets which depends on which is ready first).
    const params = [{ alpha: [1], crash: ['hang'] }, { alpha: [2], crash: ['exit'] }];
    await expect(gridSearch({ folds: oneFold, params, task: CRASH, data, workers: 2 })).rejects.toThrow(/worker \d crashed while running candidate 1 /);
    expect(liveWorkerCount()).toBe(0);
    expect(activeWorkerHandles()).toBe(before);
  });

  it('a task module that throws at its top level in a worker rejects the call', async () => {
    await expect(gridSearch({ folds, params: grid, task: TOP_LEVEL_THROW, workers: 2 })).rejects.toThrow(
      /^gridSearch: worker \d could not load the task module file:.*top-level-throw-task\.mjs: the task module failed to load in a worker$/,
    );
  });

  it('no worker is left after a successful call either', async () => {
    const before = activeWorkerHandles();
    await gridSearch({ folds, params: grid, task: RIDGE, data, workers: 4 });
    expect(liveWorkerCount()).toBe(0);
    expect(activeWorkerHandles()).toBe(before);
  });
});

describe('a kept pool (createWorkerPool)', () => {
  it('serves several calls with the same bits as one worker, keeping its threads until close()', async () => {
    const pool = createWorkerPool(2);
    try {
      expect(pool.size).toBe(2);
      expect(liveWorkerCount()).toBe(0);
      const one = await gridSearch({ folds, params: grid, task: RIDGE, data, workers: 1, returnTrainScore: true });
      const first = await gridSearch({ folds, params: grid, task: RIDGE, data, workers: pool, returnTrainScore: true });
      expect(liveWorkerCount()).toBe(2);
      const second = await gridSearch({ folds, params: grid, task: RIDGE, data, workers: pool, returnTrainScore: true });
      const cv = await crossValidate({ folds, task: RIDGE, data, params: { alpha: 0.5 }, workers: pool });
      const cvOne = await crossValidate({ folds, task: RIDGE, data, params: { alpha: 0.5 } });
      expect(searchBits(first)).toEqual(searchBits(one));
      expect(searchBits(second)).toEqual(searchBits(one));
      expect(bitsOf(cv.testScores)).toEqual(bitsOf(cvOne.testScores));
      expect(liveWorkerCount()).toBe(2);
    } finally {
      await pool.close();
    }
    expect(pool.closed).toBe(true);
    expect(liveWorkerCount()).toBe(0);
    await expect(gridSearch({ folds, params: grid, task: RIDGE, data, workers: pool })).rejects.toThrow(/^gridSearch: the worker pool is closed$/);
    await pool.close();
  });

  it('runs calls made at once one after another, each with its own task and data', async () => {
    const pool = createWorkerPool(2);
    try {
      const otherData = { X, y: y.map((v) => -v), p };
      const [a, b] = await Promise.all([
        gridSearch({ folds, params: grid, task: RIDGE, data, workers: pool }),
        gridSearch({ folds, params: grid, task: RIDGE_MULTI, data: otherData, workers: pool, refit: 'negMse' }),
      ]);
      expect(searchBits(a)).toEqual(searchBits(await gridSearch({ folds, params: grid, task: RIDGE, data })));
      expect(searchBits(b)).toEqual(searchBits(await gridSearch({ folds, params: grid, task: RIDGE_MULTI, data: otherData, refit: 'negMse' })));
    } finally {
      await pool.close();
    }
  });

  it('stays usable after a call that rejects and after a crashed worker', async () => {
    const pool = createWorkerPool(2);
    try {
      const failing = [{ alpha: [0.1, 1] }, { alpha: [2], fail: [true] }];
      await expect(gridSearch({ folds, params: failing, task: RIDGE, data, workers: pool })).rejects.toThrow(/fit threw for candidate 2 \{ alpha: 2, fail: true \}/);
      await expect(gridSearch({ folds, params: [{ alpha: [1], crash: ['exit'] }], task: CRASH, data, workers: pool })).rejects.toThrow(
        /^gridSearch: worker \d crashed while running candidate 0 \{ alpha: 1, crash: "exit" \} on fold \d: the worker exited with code 7$/,
      );
      const after = await gridSearch({ folds, params: grid, task: RIDGE, data, workers: pool });
      expect(searchBits(after)).toEqual(searchBits(await gridSearch({ folds, params: grid, task: RIDGE, data })));
      expect(liveWorkerCount()).toBeLessThanOrEqual(2);
    } finally {
      await pool.close();
    }
  });

  it('runs on its threads even with one worker (the calling thread stays free)', async () => {
    const pool = createWorkerPool(1);
    try {
      // The crash task exits only in a worker: the job ran off the calling thread.
      await expect(crossValidate({ folds, task: CRASH, data, params: { alpha: 1, crash: 'exit' }, workers: pool })).rejects.toThrow(/worker 0 crashed/);
    } finally {
      await pool.close();
    }
  });

  it('an idle pool does not keep Node running, a busy one does', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const script = `
      const { createWorkerPool, gridSearch, kFold } = await import('gradstep');
      const pool = createWorkerPool(2);
      const folds = kFold(20, { k: 2 });
      const X = Float64Array.from({ length: 60 }, (_, i) => Math.sin(i));
      const y = Float64Array.from({ length: 20 }, (_, i) => i % 3);
      const result = await gridSearch({ folds, params: { alpha: [1, 2] }, task: ${JSON.stringify(RIDGE.href)}, data: { X, y, p: 3 }, workers: pool });
      console.log(result.bestIndex);
      // No close(): the process must still exit.
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000, cwd: new URL('.', import.meta.url) });
    expect(stdout.trim()).toMatch(/^[01]$/);
  });

  it('a call running when the pool closes rejects, and so does one queued behind it', async () => {
    const pool = createWorkerPool(2);
    const running = crossValidate({ folds, task: COUNTING, params: { sleepMs: 300 }, workers: pool });
    const queued = crossValidate({ folds, task: COUNTING, workers: pool });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await pool.close();
    await expect(running).rejects.toThrow(/^crossValidate: worker \d crashed while (running fold \d|loading the task module): the worker pool was closed during the call$/);
    await expect(queued).rejects.toThrow(/^crossValidate: the worker pool is closed$/);
  });

  it('calls the task\'s dispose after each job, in workers and in the calling thread', async () => {
    // Each job scores 1 when the model before it (in its thread) was disposed by then.
    for (const workers of [1, 2]) {
      const cv = await crossValidate({ folds, task: COUNTING, workers });
      expect(Array.from(cv.testScores)).toEqual([1, 1, 1, 1, 1]);
    }
  });

  it('refuses a worker() that makes a Node worker_threads Worker (the pool makes those itself)', async () => {
    const { Worker } = await import('node:worker_threads');
    let made: InstanceType<typeof Worker> | undefined;
    const pool = createWorkerPool(1, { worker: () => (made = new Worker('setTimeout(() => {}, 10)', { eval: true })) as never });
    try {
      await expect(crossValidate({ folds, task: RIDGE, data, workers: pool })).rejects.toThrow(/worker\(\) must return a Web Worker .*in Node, omit the worker option/);
    } finally {
      await made?.terminate();
      await pool.close();
    }
  });

  it('refuses a bad size and a pool-like object', async () => {
    expect(() => createWorkerPool(0)).toThrow(RangeError);
    expect(() => createWorkerPool(1.5)).toThrow(/workers must be an integer/);
    expect(() => createWorkerPool('many' as never)).toThrow(TypeError);
    await expect(gridSearch({ folds, params: grid, task: RIDGE, data, workers: { size: 2, closed: false, close: async () => {} } as never })).rejects.toThrow(
      /workers must be a positive integer, 'auto' or a pool of createWorkerPool\(\)/,
    );
    expect(createWorkerPool('auto').size).toBeGreaterThanOrEqual(1);
  });
});

describe('argument errors', () => {
  const fit = () => 0;
  const score = () => 0;
  it('workers > 1 needs a task; task excludes fit and score; workers is a count or auto', async () => {
    await expect(gridSearch({ folds, params: grid, fit, score, workers: 2 } as never)).rejects.toThrow(/workers > 1 \(or a pool\) needs a task module/);
    await expect(crossValidate({ folds, fit, score, workers: 2 } as never)).rejects.toThrow(/workers > 1 \(or a pool\) needs a task module/);
    await expect(gridSearch({ folds, params: grid, fit, score, task: RIDGE } as never)).rejects.toThrow(/either task .* or the fit and score callbacks/);
    await expect(gridSearch({ folds, params: grid, task: RIDGE, workers: 0 })).rejects.toThrow(RangeError);
    await expect(gridSearch({ folds, params: grid, task: RIDGE, workers: 'many' as never })).rejects.toThrow(/workers must be a positive integer, 'auto' or a pool of createWorkerPool\(\)/);
    await expect(gridSearch({ folds, params: grid, fit, score, data } as never)).rejects.toThrow(/data is the task module's data/);
    await expect(gridSearch({ folds, params: grid, task: 42 as never })).rejects.toThrow(/task must be the URL of a task module/);
    await expect(gridSearch({ folds, params: grid, task: new URL('./fixtures/missing.mjs', import.meta.url) })).rejects.toThrow(/could not import the task module/);
    await expect(crossValidate({ folds, task: RIDGE_MULTI, data })).rejects.toThrow(/must export score as one function/);
    await expect(gridSearch({ folds, params: grid, task: RIDGE, data: { f: () => 1 }, workers: 2 })).rejects.toThrow(/data cannot be sent to a worker/);
    await expect(gridSearch({ folds, params: { alpha: [1], g: [() => 1] }, task: RIDGE, data, workers: 2 })).rejects.toThrow(/cannot be sent to a worker/);
  });
});
