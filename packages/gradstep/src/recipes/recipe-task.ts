/**
 * A recipe as the pool's task: in the calling thread its functions run directly; each worker imports
 * the entry's recipe task module (dist/recipe-task-node.js or recipe-task-browser.js, which export the
 * same functions with that entry's init()), whose URL the entry registers here.
 */
import { isBundledPool, type LoadedTask, type WorkerPool } from '../parallel/pool.js';
import { describe } from '../validate.js';
import { builtinTaskFunctions } from './builtin-task.js';
import { checkRecipe, recipeScorerNames, type RecipeTaskData } from './recipe.js';

interface RecipeHost {
  /** The URL of the recipe task module the workers import; undefined where there is no file to load (the inline entry). */
  taskHref(): string | undefined;
  /** The entry's init(): loads this thread's wasm. */
  init(): Promise<void>;
}

let recipeHost: RecipeHost = { taskHref: () => undefined, init: async () => undefined };

/** The entry's init(), for the recipes a bundled worker runs (servePoolWorker). @internal */
export function recipeInit(): Promise<void> {
  return recipeHost.init();
}

/**
 * Installs the entry's recipe task module URL and init(). The ESM entries share this module, so a
 * process that imports two of them (the Node entry and the inline one) keeps the host that has a
 * module file for workers: the inline entry's (none) never replaces it.
 */
export function setRecipeHost(host: RecipeHost): void {
  if (host.taskHref() === undefined && recipeHost.taskHref() !== undefined) return;
  recipeHost = host;
}

/**
 * Checks the recipe and its data ({ X: Float32Array, y }) and makes the task that trains and scores it
 * (its scorers, or the named `outputs` instead: ['predict'] returns each model's predictions).
 */
export function loadRecipeTask(owner: string, recipe: unknown, data: unknown, workers: number | WorkerPool, outputs?: string[]): LoadedTask {
  const checked = checkRecipe(owner, recipe);
  const rows = data as { X?: unknown; y?: unknown } | null;
  if (rows === null || typeof rows !== 'object' || !(rows.X instanceof Float32Array)) {
    throw new TypeError(`${owner}: with a recipe, data must be { X, y } with X a row-major Float32Array (rows × features), got ${describe(data)}`);
  }
  const y = rows.y as ArrayLike<number> | undefined;
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') throw new TypeError(`${owner}: with a recipe, data.y must be an array of targets, got ${describe(rows.y)}`);
  const scorerNames = outputs ?? recipeScorerNames(owner, checked);
  const taskData: RecipeTaskData = { recipe: checked, X: rows.X, y };
  return loadBuiltinTask(owner, taskData, scorerNames, outputs === undefined && scorerNames[0] !== 'score', workers, 'recipes');
}

/**
 * The built-in task (recipes/builtin-task.ts) over `taskData`, reporting `scorerNames`: in the
 * calling thread its functions run directly; workers import the entry's module (or run it from their
 * bundle). `what` names the work in the error when there is no module for workers ('recipes').
 */
export function loadBuiltinTask(owner: string, taskData: unknown, scorerNames: string[], multimetric: boolean, workers: number | WorkerPool, what: string): LoadedTask {
  const onThreads = typeof workers !== 'number' || workers > 1;
  const href = recipeHost.taskHref();
  if (onThreads && href === undefined && !isBundledPool(workers)) {
    throw new TypeError(
      `${owner}: ${what} on worker threads need the Node or browser entry of gradstep (the inline entry has no module file for a worker to load), or a pool of workers from your bundle (createWorkerPool(n, { worker }))`,
    );
  }
  const functions = builtinTaskFunctions(() => recipeHost.init());
  let context: Promise<unknown> | undefined;
  return {
    href: href ?? 'gradstep:builtin',
    data: taskData,
    recipe: true,
    fit: functions.fit as LoadedTask['fit'],
    scorerNames,
    scorers: scorerNames.map((name) => functions.score[name] as LoadedTask['fit']),
    multimetric,
    dispose: functions.dispose as LoadedTask['fit'],
    context: () => (context ??= Promise.resolve(functions.setup(taskData as Parameters<typeof functions.setup>[0]))),
  };
}
