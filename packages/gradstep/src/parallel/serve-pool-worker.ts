/**
 * The worker side of the pool for workers that come from the caller's bundle (createWorkerPool's
 * `worker` option): the protocol of worker-source.ts, in TypeScript, running gradstep's recipes from
 * the bundle and importing task modules by URL. Keep it the twin of the worker source's `handle`:
 * the jobs themselves run through runJobHere, the twin of its runJob, and `pack`/`plain` here are the
 * twins of its own.
 */
import { builtinTaskFunctions } from '../recipes/builtin-task.js';
import { recipeInit } from '../recipes/recipe-task.js';
import { describe } from '../validate.js';
import { runJobHere, type JobOutcome, type ScoreEntry } from './pool.js';

type TaskFunction = (...args: unknown[]) => unknown;

/** An Error as plain data (a thrown non-Error as text), to post to the pool. */
function pack(error: unknown): unknown {
  if (error !== null && typeof error === 'object' && typeof (error as Error).message === 'string') {
    const { name, message, stack } = error as Error;
    return { name: typeof name === 'string' ? name : 'Error', message, stack: typeof stack === 'string' ? stack : undefined };
  }
  return { thrown: typeof error === 'string' ? error : String(error) };
}

/** An output as the pool can receive it: functions and symbols described, anything else as it is (a value that cannot be cloned fails the post, which is reported). */
function plain(value: unknown): unknown {
  if (typeof value !== 'function' && typeof value !== 'symbol') return value;
  return `[${typeof value === 'function' ? 'a function' : 'a symbol'}]`;
}

function packOutcome(outcome: JobOutcome): JobOutcome {
  const entries = (list: ScoreEntry[]) => list.map((entry) => ('e' in entry ? { e: pack(entry.e) } : { v: plain(entry.v) }));
  const packed: JobOutcome = { fitTime: outcome.fitTime, scoreTime: outcome.scoreTime, test: entries(outcome.test) };
  if ('fitError' in outcome) packed.fitError = pack(outcome.fitError);
  if (outcome.train !== undefined) packed.train = entries(outcome.train);
  return packed;
}

interface Served {
  fit: TaskFunction;
  scorers: TaskFunction[];
  dispose: TaskFunction | undefined;
  context: unknown;
  folds: { train: Uint32Array; test: Uint32Array }[];
  raise: boolean;
}

/**
 * Serves the worker pool from a module Web Worker of your bundle: the whole worker file is
 *
 * ```ts
 * import { servePoolWorker } from 'gradstep';
 * servePoolWorker();
 * ```
 *
 * and the page makes its pool with `createWorkerPool(n, { worker: () => new Worker(new URL('./that-file.js', import.meta.url), { type: 'module' }) })`,
 * which bundlers (Vite, webpack 5, Parcel) build with gradstep inside. Such workers run recipes from
 * the bundle (no file to locate) and import task modules by their URL.
 *
 * @throws Error outside a Web Worker
 */
export function servePoolWorker(): void {
  const scope = globalThis as unknown as {
    postMessage?: (message: unknown) => void;
    addEventListener?: (type: 'message', listener: (event: MessageEvent) => void) => void;
    WorkerGlobalScope?: unknown;
  };
  if (scope.WorkerGlobalScope === undefined || typeof scope.postMessage !== 'function' || typeof scope.addEventListener !== 'function') {
    throw new Error('servePoolWorker: call it in a module Web Worker (the file given to createWorkerPool(n, { worker }))');
  }
  const post = scope.postMessage.bind(globalThis);
  let served: Served | undefined;

  async function init(m: { task: string; recipe: boolean; scorers: string[]; data: unknown; folds: Served['folds']; raise: boolean }): Promise<void> {
    const mod = (m.recipe ? builtinTaskFunctions(recipeInit) : await import(/* @vite-ignore */ /* webpackIgnore: true */ m.task)) as Record<string, unknown>;
    if (typeof mod.fit !== 'function') throw new TypeError(`the task module ${m.task} exports no fit function`);
    const score = mod.score;
    const scorers =
      typeof score === 'function'
        ? [score as TaskFunction]
        : m.scorers.map((name) => {
            const s = score !== null && typeof score === 'object' ? (score as Record<string, unknown>)[name] : undefined;
            if (typeof s !== 'function') throw new TypeError(`the task module ${m.task} exports no score function ${name} in this worker, got ${describe(s)}`);
            return s as TaskFunction;
          });
    const setup = mod.setup as TaskFunction | undefined;
    const context = typeof setup === 'function' ? ((await setup(m.data)) ?? m.data) : m.data;
    const dispose = typeof mod.dispose === 'function' ? (mod.dispose as TaskFunction) : undefined;
    served = { fit: mod.fit as TaskFunction, scorers, dispose, context, folds: m.folds, raise: m.raise };
  }

  async function handle(m: { type: string } & Record<string, unknown>): Promise<void> {
    if (m.type === 'init') {
      try {
        await init(m as unknown as Parameters<typeof init>[0]);
        post({ type: 'ready' });
      } catch (error) {
        post({ type: 'init-error', error: pack(error) });
      }
      return;
    }
    if (m.type === 'job' && served !== undefined) {
      const { fit, scorers, dispose, context, folds, raise } = served;
      const fold = folds[m.fold as number];
      const params = m.params as Record<string, unknown>;
      const outcome = await runJobHere(
        () => fit({ ...params }, fold.train, context),
        scorers.map((scorer) => (model: unknown, rows: Uint32Array) => scorer(model, rows, context)),
        fold.test,
        m.scoreTrain === true ? fold.train : undefined,
        raise,
        dispose && ((model: unknown) => dispose(model, context)),
      );
      try {
        post({ type: 'result', id: m.id, outcome: packOutcome(outcome) });
      } catch (error) {
        post({ type: 'result', id: m.id, postError: pack(error) });
      }
    }
  }

  scope.addEventListener('message', (event) => void handle(event.data));
}
