/**
 * The worker pool behind `workers: n` of gridSearch, randomSearch and crossValidate.
 *
 * Closures cannot cross threads, so the work is a **task module** (a URL or path): it exports
 * `fit(params, trainRows, data)`, `score(model, rows, data)` (a function, or an object of named score
 * functions for several scorers) and optionally `setup(data)`, called once per thread; fit and score
 * then get what setup resolved to (or `data` when it resolves to undefined or there is no setup); and
 * optionally `dispose(model, data)`, called after each job's scoring (free what a model holds).
 * `data` is posted to each worker once, with the folds; a job is then only `(params, fold index)`.
 *
 * Every (candidate, fold) job is independent and its outcome is placed by its index, so results are
 * the same bits whatever the worker count (only times differ). Workers: Node's `worker_threads`
 * (a module from a data: URL), or browsers' module Web Workers (from a Blob URL). With `workers: n`
 * a pool lives for one call and every worker is terminated when the call settles, error or not; a
 * kept pool (createWorkerPool) keeps its threads between calls until close(), and discards (and later
 * respawns) only the threads a failed call left busy.
 */
import type { Fold } from '../model-selection/folds.js';
import { checkInteger, checkOptionNames, describe } from '../validate.js';
import { BROWSER_WORKER_SOURCE } from './worker-source.js';

/** A task module: `new URL('./task.mjs', import.meta.url)`, a URL string, or (Node) a file path. */
export type TaskModule = URL | string;

/** How many workers: a count (1 = in the calling thread, no worker), 'auto' (one per core), or a pool of {@link createWorkerPool}. */
export type Workers = number | 'auto' | WorkerPool;

/** The most workers one call may start. */
export const MAX_WORKERS = 256;

/** One score: its value (anything a score function returned, made cloneable), or what it threw. */
export type ScoreEntry = { v: unknown } | { e: unknown };

/** What one job did: fit and score times (ms), fit's error, and each scorer's entry in order. */
export interface JobOutcome {
  fitTime: number;
  scoreTime: number;
  fitError?: unknown;
  /** One entry per scorer, fewer when one threw (with raise) or returned a non-number. */
  test: ScoreEntry[];
  /** With scoreTrain, when the test scoring did not stop early. */
  train?: ScoreEntry[];
}

// ---------------------------------------------------------------------------------------------------
// Bookkeeping: the workers alive in this module instance (tests check it drops back to 0).

let live = 0;

/** How many pool workers are alive now (started and not yet terminated). For tests and diagnostics. */
export function liveWorkerCount(): number {
  return live;
}

// ---------------------------------------------------------------------------------------------------
// The environment

/** One worker of either kind, as the pool sees it. */
export interface PoolWorker {
  post(message: unknown): void;
  terminate(): Promise<void>;
  /** Whether a call is using the worker: an idle one need not keep the process alive (Node's unref). */
  busy?(busy: boolean): void;
}

/** What a worker reports to the pool. */
export type Listener = { message(data: unknown): void; crash(error: unknown): void };

/**
 * How this environment makes threads, counts cores and resolves a task given as a path. Each entry
 * point installs its own (as it passes its own wasm locator): the Node entry worker_threads
 * (parallel/node-threads.ts), so that the browser and inline entries never refer to Node's modules;
 * the default is browsers' module Web Workers.
 */
export interface ThreadHost {
  cores(): number;
  /** The URL of a task given as a path (relative to the working directory, or to the page). */
  pathToHref(path: string): string;
  spawn(listener: Listener): PoolWorker;
}

/** Bookkeeping shared with the hosts: a worker counts as live from its start to its termination. */
export const workerCount = {
  started(): void {
    live++;
  },
  ended(): void {
    live--;
  },
};

const webWorkers: ThreadHost = {
  cores() {
    const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
    return typeof cores === 'number' && cores > 0 ? Math.floor(cores) : 1;
  },
  pathToHref(path) {
    const base = (globalThis as { location?: { href: string } }).location?.href;
    if (base === undefined) throw new TypeError(`task ${JSON.stringify(path)} is relative and there is no page to resolve it against: pass a URL`);
    return new URL(path, base).href;
  },
  spawn(listener) {
    const WebWorker = (globalThis as { Worker?: typeof Worker }).Worker;
    if (typeof WebWorker !== 'function') throw new Error('no worker implementation here (neither Node worker_threads nor Web Workers)');
    const source = URL.createObjectURL(new Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
    let worker: Worker;
    try {
      worker = new WebWorker(source, { type: 'module', name: 'gradstep-pool' });
    } finally {
      URL.revokeObjectURL(source);
    }
    return wrapWebWorker(worker, listener);
  },
};

/** A Web Worker (or anything with its members) as a pool worker reporting to `listener`. */
function wrapWebWorker(worker: Worker, listener: Listener): PoolWorker {
  const candidate = worker as unknown as { postMessage?: unknown; addEventListener?: unknown; terminate?: unknown };
  if (candidate === null || typeof candidate !== 'object' || typeof candidate.postMessage !== 'function' || typeof candidate.addEventListener !== 'function' || typeof candidate.terminate !== 'function') {
    // Node's worker_threads Worker has postMessage and terminate but reports through events, not onmessage.
    throw new TypeError(
      `createWorkerPool: worker() must return a Web Worker (new Worker(url, { type: 'module' })), got ${describe(worker)}; in Node, omit the worker option: the pool makes worker_threads itself`,
    );
  }
  workerCount.started();
  let ended = false;
  worker.onmessage = (event) => listener.message(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    listener.crash(new Error(event.message || 'the worker failed (an uncaught error, or its script could not load)'));
  };
  worker.onmessageerror = () => listener.crash(new Error('a message from the worker could not be deserialized'));
  return {
    post: (message) => worker.postMessage(message),
    async terminate() {
      worker.terminate();
      if (!ended) {
        ended = true;
        workerCount.ended();
      }
    },
  };
}

let host: ThreadHost = webWorkers;

/** Installs the entry's way of making threads (the Node entry: worker_threads). */
export function setThreadHost(threads: ThreadHost): void {
  host = threads;
}

/**
 * `workers` as a count ≥ 1 ('auto' is the host's core count: os.availableParallelism(),
 * navigator.hardwareConcurrency), or a pool of {@link createWorkerPool}.
 */
export async function resolveWorkers(owner: string, workers: unknown): Promise<number | WorkerPool> {
  if (workers === undefined) return 1;
  if (workers instanceof WorkerPoolImpl) {
    if (workers.closed) throw new Error(`${owner}: the worker pool is closed`);
    return workers;
  }
  if (workers === 'auto') return Math.max(1, Math.min(MAX_WORKERS, host.cores()));
  if (typeof workers === 'string' || (workers !== null && typeof workers === 'object')) {
    throw new TypeError(`${owner}: workers must be a positive integer, 'auto' or a pool of createWorkerPool(), got ${describe(workers)}`);
  }
  return checkInteger(owner, 'workers', workers, 1, MAX_WORKERS);
}

/** Throws unless the work can go to `workers`: functions cannot cross threads, so more than one worker, or a pool, needs a task module. */
export function checkCallbacksStayHere(owner: string, workers: number | WorkerPool): void {
  if (typeof workers !== 'number' || workers > 1) {
    throw new TypeError(
      `${owner}: workers > 1 (or a pool) needs a task module (functions cannot be sent to other threads): pass task: new URL('./my-task.mjs', import.meta.url), a module that exports fit(params, trainRows, data) and score(model, rows, data), with data instead of fit and score`,
    );
  }
}

// A scheme of two letters or more, so that a Windows path (C:\...) is read as a path.
const HAS_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

/** The task's absolute URL: a URL as is; a string with a scheme as is; else a path (the host resolves it). */
async function taskHref(owner: string, task: unknown): Promise<string> {
  if (task instanceof URL) return task.href;
  if (typeof task !== 'string' || task.length === 0) {
    throw new TypeError(`${owner}: task must be the URL of a task module (new URL('./task.mjs', import.meta.url)) or a path, got ${describe(task)}`);
  }
  if (HAS_SCHEME.test(task)) return new URL(task).href;
  try {
    return host.pathToHref(task);
  } catch (error) {
    throw new TypeError(`${owner}: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// The task module in the calling thread (workers: 1, and the refit)

type TaskFunction = (...args: unknown[]) => unknown;

/** A task module imported in the calling thread. */
export interface LoadedTask {
  /** The module's URL, which each worker imports. */
  readonly href: string;
  /** What each worker's setup gets (posted to it once per call). */
  readonly data: unknown;
  /** A recipe's task: a bundled worker (servePoolWorker) runs it from its bundle instead of importing href. */
  readonly recipe?: boolean;
  readonly fit: TaskFunction;
  /** Scorer names in export order: ['score'] for a single function. */
  readonly scorerNames: string[];
  readonly scorers: TaskFunction[];
  /** True when `score` is an object of named functions. */
  readonly multimetric: boolean;
  /** The module's optional dispose(model, data): called once a job has scored its model (never on a refit). */
  readonly dispose?: TaskFunction;
  /** What fit and score get as their third argument here: setup(data) (once, lazily) or data. */
  context(): Promise<unknown>;
}

/** Imports the task module here and checks its exports (fit; score as a function or an object of functions; setup). */
export async function loadTask(owner: string, task: unknown, data: unknown): Promise<LoadedTask> {
  const href = await taskHref(owner, task);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(/* @vite-ignore */ /* webpackIgnore: true */ href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${owner}: could not import the task module ${href}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (typeof mod.fit !== 'function') throw new TypeError(`${owner}: the task module ${href} must export a function fit(params, trainRows, data), got ${describe(mod.fit)}`);
  const score = mod.score;
  let scorerNames: string[];
  let scorers: TaskFunction[];
  let multimetric = false;
  if (typeof score === 'function') {
    scorerNames = ['score'];
    scorers = [score as TaskFunction];
  } else if (score !== null && typeof score === 'object' && !Array.isArray(score)) {
    multimetric = true;
    scorerNames = Object.keys(score);
    if (scorerNames.length === 0) throw new RangeError(`${owner}: the task module ${href} exports score as an empty object`);
    scorers = scorerNames.map((name) => {
      const s = (score as Record<string, unknown>)[name];
      if (typeof s !== 'function') throw new TypeError(`${owner}: score.${name} of the task module ${href} must be a function, got ${describe(s)}`);
      return s as TaskFunction;
    });
  } else {
    throw new TypeError(`${owner}: the task module ${href} must export score(model, rows, data), or an object of named score functions, got ${describe(score)}`);
  }
  if (mod.setup !== undefined && typeof mod.setup !== 'function') throw new TypeError(`${owner}: setup of the task module ${href} must be a function, got ${describe(mod.setup)}`);
  if (mod.dispose !== undefined && typeof mod.dispose !== 'function') throw new TypeError(`${owner}: dispose of the task module ${href} must be a function, got ${describe(mod.dispose)}`);
  const setup = mod.setup as TaskFunction | undefined;
  let context: Promise<unknown> | undefined;
  return {
    href,
    data,
    fit: mod.fit as TaskFunction,
    scorerNames,
    scorers,
    multimetric,
    dispose: mod.dispose as TaskFunction | undefined,
    context: () => (context ??= (async () => (setup === undefined ? data : ((await setup(data)) ?? data)))()),
  };
}

// ---------------------------------------------------------------------------------------------------
// One job in the calling thread: the twin of runJob in worker-source.ts.

/**
 * Fits with `fit()`, then scores on `test` (and `train` when given) with each scorer in order. Stops a
 * side at a scorer that returns a non-number, or that throws when `raise`; skips the train side when
 * the test side stopped.
 */
export async function runJobHere(
  fit: () => unknown,
  scorers: readonly ((model: unknown, rows: Uint32Array) => unknown)[],
  test: Uint32Array,
  train: Uint32Array | undefined,
  raise: boolean,
  dispose?: (model: unknown) => unknown,
): Promise<JobOutcome> {
  const started = performance.now();
  let model: unknown;
  try {
    model = await fit();
  } catch (error) {
    return { fitTime: performance.now() - started, scoreTime: 0, fitError: error, test: [] };
  }
  const fitted = performance.now();
  const scoreSide = async (rows: Uint32Array, into: ScoreEntry[]): Promise<boolean> => {
    for (const scorer of scorers) {
      let value: unknown;
      try {
        value = await scorer(model, rows);
      } catch (error) {
        into.push({ e: error });
        if (raise) return false;
        continue;
      }
      into.push({ v: value });
      if (typeof value !== 'number') return false;
    }
    return true;
  };
  const testEntries: ScoreEntry[] = [];
  try {
    const go = await scoreSide(test, testEntries);
    const outcome: JobOutcome = { fitTime: fitted - started, scoreTime: performance.now() - fitted, test: testEntries };
    if (train !== undefined && go) {
      outcome.train = [];
      await scoreSide(train, outcome.train);
    }
    return outcome;
  } finally {
    // The task's dispose frees what the model holds (a recipe's wasm params), which no GC would.
    await dispose?.(model);
  }
}

// ---------------------------------------------------------------------------------------------------
// Running jobs

export interface PoolJob {
  /** Structured-cloneable parameters, passed to fit as a fresh shallow copy. */
  params: Record<string, unknown>;
  fold: number;
  scoreTrain: boolean;
}

export interface TaskRun {
  owner: string;
  task: LoadedTask;
  folds: readonly Fold[];
  /** errorScore 'raise': a scorer that throws ends its side of the job. */
  raise: boolean;
  /** ≥ 1 (1 runs the jobs one after another in the calling thread), or a pool whose threads run them. */
  workers: number | WorkerPool;
  jobs: readonly PoolJob[];
  /** "candidate 3 { alpha: 1 } on fold 2", for error messages. */
  describeJob(index: number): string;
  /** Called once per job as it completes (in index order with one worker, any order with several); may throw to reject the call. */
  onOutcome(index: number, outcome: JobOutcome): void;
}

/** Runs every job of `run`: in the calling thread (workers 1), or on the threads of a pool. */
export async function runJobs(run: TaskRun): Promise<void> {
  const { workers } = run;
  if (typeof workers !== 'number') {
    // resolveWorkers let only this module's pools through.
    await (workers as WorkerPoolImpl).use(run.owner, (threads) => runOnThreads(run, threads.slice(0, Math.min(threads.length, run.jobs.length))));
    return;
  }
  if (workers <= 1 || run.jobs.length <= 1) {
    const { task, folds, jobs } = run;
    const context = await task.context();
    const scorers = task.scorers.map((scorer) => (model: unknown, rows: Uint32Array) => scorer(model, rows, context));
    for (let j = 0; j < jobs.length; j++) {
      const { params, fold, scoreTrain } = jobs[j];
      const { train, test } = folds[fold];
      const dispose = task.dispose && ((model: unknown) => task.dispose!(model, context));
      run.onOutcome(j, await runJobHere(() => task.fit({ ...params }, train, context), scorers, test, scoreTrain ? train : undefined, run.raise, dispose));
    }
    return;
  }
  // A pool for this call only: every worker ends with it, on success or error.
  const pool = new WorkerPoolImpl(Math.min(workers, run.jobs.length));
  try {
    await runJobs({ ...run, workers: pool });
  } finally {
    await pool.close();
  }
}

/** An Error (or a thrown value) posted by a worker, as an Error here (its stack is the worker's). */
function unpack(packed: unknown): unknown {
  const value = packed as { name?: string; message?: string; stack?: string; thrown?: string };
  if (typeof value?.message !== 'string') return value?.thrown;
  const error = new Error(value.message);
  if (typeof value.name === 'string' && value.name !== 'Error') error.name = value.name;
  if (typeof value.stack === 'string') error.stack = value.stack;
  return error;
}

function unpackOutcome(outcome: JobOutcome): JobOutcome {
  const entries = (list: ScoreEntry[]) => list.map((entry) => ('e' in entry ? { e: unpack(entry.e) } : entry));
  const unpacked: JobOutcome = { fitTime: outcome.fitTime, scoreTime: outcome.scoreTime, test: entries(outcome.test) };
  if ('fitError' in outcome) unpacked.fitError = unpack(outcome.fitError);
  if (outcome.train !== undefined) unpacked.train = entries(outcome.train);
  return unpacked;
}

/**
 * Runs the jobs on `threads` (spawning those without a worker): each is given the task, data and
 * folds once, then a job at a time. When the call fails, the threads still busy with it are
 * discarded (their workers terminated), so that a reused pool never receives a stale message.
 */
async function runOnThreads(run: TaskRun, threads: readonly PoolThread[]): Promise<void> {
  const { owner, jobs } = run;
  const running: (number | undefined)[] = new Array(threads.length).fill(undefined);
  let next = 0;
  let done = 0;
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  let failed = false;
  const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // It may reject while workers are still being started, before it is awaited.
  finished.catch(() => undefined);
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    settle.reject(error);
  };
  const dispatch = (w: number) => {
    if (failed) return;
    if (next >= jobs.length) {
      running[w] = undefined;
      return;
    }
    const j = next++;
    running[w] = j;
    const { params, fold, scoreTrain } = jobs[j];
    try {
      threads[w].post({ type: 'job', id: j, params, fold, scoreTrain });
    } catch (error) {
      fail(new TypeError(`${owner}: the parameters of ${run.describeJob(j)} cannot be sent to a worker (they must be structured-cloneable): ${messageOf(error)}`, { cause: error }));
    }
  };
  // A thread counts as busy from its init message to its last result: LOADING until it is ready.
  const LOADING = -1;
  // After the last result, threads still loading the task are awaited (not discarded, which would
  // lose a kept pool's warm thread): each wakes the call when it is ready, fails or crashes.
  let wakeWhenLoaded: (() => void) | undefined;
  const wake = () => {
    if (wakeWhenLoaded !== undefined && (failed || !running.includes(LOADING))) wakeWhenLoaded();
  };
  try {
    for (let w = 0; w < threads.length && !failed; w++) {
      threads[w].listen({
        message(data) {
          if (failed) return;
          const message = data as { type: string; id: number; outcome?: JobOutcome; error?: unknown; postError?: unknown };
          if (message.type === 'init-error') {
            const error = unpack(message.error);
            fail(new Error(`${owner}: worker ${w} could not load the task module ${run.task.href}: ${messageOf(error)}`, { cause: error }));
          } else if (message.type === 'ready') {
            dispatch(w);
          } else if (message.type === 'result') {
            running[w] = undefined;
            if (message.postError !== undefined) {
              const error = unpack(message.postError);
              fail(new TypeError(`${owner}: the outcome of ${run.describeJob(message.id)} could not be sent back from worker ${w}: ${messageOf(error)}`, { cause: error }));
              return;
            }
            try {
              run.onOutcome(message.id, unpackOutcome(message.outcome!));
            } catch (error) {
              fail(error);
              return;
            }
            if (++done === jobs.length) settle.resolve();
            else dispatch(w);
          }
          wake();
        },
        crash(error) {
          if (failed) return;
          const j = running[w];
          const doing = j === undefined || j === LOADING ? 'while loading the task module' : `while running ${run.describeJob(j)}`;
          fail(new Error(`${owner}: worker ${w} crashed ${doing}: ${messageOf(error)}`, { cause: error }));
          wake();
        },
      });
      running[w] = LOADING;
      threads[w].start();
      try {
        threads[w].post({ type: 'init', task: run.task.href, recipe: run.task.recipe === true, scorers: run.task.scorerNames, data: run.task.data, folds: run.folds, raise: run.raise });
      } catch (error) {
        throw new TypeError(`${owner}: data cannot be sent to a worker (it must be structured-cloneable): ${messageOf(error)}`, { cause: error });
      }
    }
    await finished;
    if (running.includes(LOADING)) await new Promise<void>((resolve) => (wakeWhenLoaded = resolve));
  } finally {
    failed = true;
    // Threads still busy with this call (after an error) are discarded: a kept pool then never
    // receives one of this call's messages in a later call.
    await Promise.all(threads.map((thread, w) => (running[w] !== undefined ? thread.discard() : thread.listen(undefined))));
  }
}

// ---------------------------------------------------------------------------------------------------
// Pools

/** One thread of a pool: its worker (spawned on first use, kept between calls) and the call listening to it. */
class PoolThread {
  constructor(private readonly spawn: (listener: Listener) => PoolWorker) {}

  private worker: PoolWorker | undefined;
  private listener: Listener | undefined;
  // The termination of a discarded worker, awaited by the next discard(): a crash discards at once.
  private ending: Promise<void> = Promise.resolve();

  /** Routes the worker's messages to `listener` (undefined: the thread is idle). */
  listen(listener: Listener | undefined): void {
    this.listener = listener;
    this.worker?.busy?.(listener !== undefined);
  }

  /** Starts the worker if there is none (spawning errors are thrown as they are). */
  start(): void {
    if (this.worker !== undefined) return;
    // Each worker reports through its own closure, so a discarded worker's last words (its exit) reach no one.
    const worker: PoolWorker = this.spawn({
      message: (data) => {
        if (this.worker === worker) this.listener?.message(data);
      },
      crash: (error) => {
        if (this.worker !== worker) return;
        const listener = this.listener;
        this.listener = undefined;
        void this.discard();
        listener?.crash(error);
      },
    });
    this.worker = worker;
    worker.busy?.(this.listener !== undefined);
  }

  post(message: unknown): void {
    this.start();
    this.worker!.post(message);
  }

  /**
   * Terminates the worker (a later post spawns a new one). A call still listening is told why
   * (`reason`, e.g. the pool was closed under it), so that it rejects instead of waiting forever.
   */
  async discard(reason?: Error): Promise<void> {
    const worker = this.worker;
    const listener = this.listener;
    this.worker = undefined;
    this.listener = undefined;
    if (reason !== undefined) listener?.crash(reason);
    if (worker !== undefined) {
      const ending = this.ending;
      this.ending = Promise.all([ending, worker.terminate().catch(() => undefined)]).then(() => undefined);
    }
    await this.ending;
  }
}

/**
 * Worker threads kept between calls: pass it as `workers` to gridSearch, randomSearch,
 * crossValidate, learningCurve and validationCurve (and so to the searches of nestedCrossValidate),
 * and the threads, their imported task modules and their compiled code serve every call; a call with
 * `workers: n` starts and ends its own threads. Calls on one pool run one after another. Close it
 * when done (`await pool.close()`, or `await using pool = ...` where supported); in Node an idle
 * pool does not keep the process alive.
 */
export interface WorkerPool {
  /** How many threads the pool runs at most (each started on first use). */
  readonly size: number;
  /** True after close(). */
  readonly closed: boolean;
  /** Terminates every thread; later calls given this pool reject. Safe to call again. */
  close(): Promise<void>;
}

/** The implementation behind {@link WorkerPool} (the interface keeps its members out of the public types). */
class WorkerPoolImpl implements WorkerPool {
  readonly size: number;
  /** True when the workers come from the caller's bundle (servePoolWorker): they run recipes without a module file. */
  readonly bundled: boolean;
  private readonly threads: PoolThread[];
  private isClosed = false;
  // Calls take the pool in turn: each waits for the one before it to settle.
  private turn: Promise<unknown> = Promise.resolve();

  constructor(size: number, worker?: () => Worker) {
    this.size = size;
    this.bundled = worker !== undefined;
    const spawn = worker === undefined ? (listener: Listener) => host.spawn(listener) : (listener: Listener) => wrapWebWorker(worker(), listener);
    this.threads = Array.from({ length: size }, () => new PoolThread(spawn));
  }

  get closed(): boolean {
    return this.isClosed;
  }

  use<T>(owner: string, work: (threads: readonly PoolThread[]) => Promise<T>): Promise<T> {
    const mine = this.turn.then(() => {
      if (this.isClosed) throw new Error(`${owner}: the worker pool is closed`);
      return work(this.threads);
    });
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  async close(): Promise<void> {
    this.isClosed = true;
    await Promise.all(this.threads.map((thread) => thread.discard(new Error('the worker pool was closed during the call'))));
  }
}

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * Makes one worker from your bundle, for apps whose bundler cannot ship gradstep's own worker
   * files: `() => new Worker(new URL('./gradstep-worker.js', import.meta.url), { type: 'module' })`,
   * a module that imports gradstep and calls {@link servePoolWorker}. Such workers run recipes from
   * the bundle and import task modules by URL. Default: gradstep's own workers (Node's
   * worker_threads, or module Web Workers from a Blob URL).
   */
  worker?: () => Worker;
}

/**
 * A pool of `workers` threads (a count, or 'auto': one per core) to pass as the `workers` option of
 * several calls: see {@link WorkerPool}. Threads start when a call first needs them.
 *
 * ```ts
 * const pool = createWorkerPool('auto');
 * try {
 *   const search = await gridSearch({ folds, params, task, data, workers: pool });
 *   const scores = await crossValidate({ folds, params: search.bestParams, task, data, workers: pool });
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export function createWorkerPool(workers: number | 'auto' = 'auto', options?: WorkerPoolOptions): WorkerPool {
  const owner = 'createWorkerPool';
  let size: number;
  if (workers === 'auto') size = Math.max(1, Math.min(MAX_WORKERS, host.cores()));
  else if (typeof workers === 'string') throw new TypeError(`${owner}: workers must be a positive integer or 'auto', got ${describe(workers)}`);
  else size = checkInteger(owner, 'workers', workers, 1, MAX_WORKERS);
  const given = checkOptionNames(owner, options ?? {}, ['worker']);
  if (given.worker !== undefined && typeof given.worker !== 'function') {
    throw new TypeError(`${owner}: worker must be a function that makes a Worker (() => new Worker(url, { type: 'module' })), got ${describe(given.worker)}`);
  }
  const pool = new WorkerPoolImpl(size, given.worker as (() => Worker) | undefined);
  const dispose = (Symbol as { asyncDispose?: symbol }).asyncDispose;
  if (dispose !== undefined) Object.defineProperty(pool, dispose, { value: () => pool.close() });
  return pool;
}

/** Whether `workers` is a pool whose workers come from the caller's bundle (recipes need no module file there). @internal */
export function isBundledPool(workers: number | WorkerPool): boolean {
  return typeof workers !== 'number' && (workers as WorkerPoolImpl).bundled;
}

/** An error's message for a message of ours (a thrown non-Error described). @internal */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return describe(error);
}
