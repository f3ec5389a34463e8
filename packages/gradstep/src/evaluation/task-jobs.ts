/**
 * The task-module form shared by crossValidate, learningCurve and validationCurve: one score
 * function, fixed hyperparameters (`params`) and jobs of (params, fold) run by the pool (or here),
 * each job's train and test score placed by its index. gridSearch has its own (several scorers,
 * errorScore).
 */
import type { Fold } from '../model-selection/folds.js';
import { checkBoolean, describe } from '../validate.js';
import { loadRecipeTask } from '../recipes/recipe-task.js';
import type { Recipe } from '../recipes/recipe.js';
import { loadTask, messageOf, runJobs, type LoadedTask, type TaskModule, type PoolJob, type WorkerPool } from '../parallel/pool.js';
import { checkScore } from './fold-checks.js';

/**
 * The work of a task form, on the calling thread or on workers: a task module, or a recipe of one of
 * gradstep's models (not both).
 */
export type TaskOrRecipe =
  | {
      /**
       * The task module: `new URL('./my-task.mjs', import.meta.url)`, a URL string or (Node) a file path.
       * It exports `fit(params, trainRows, data)`, `score(model, rows, data)` (or, where several scorers
       * are allowed, an object of named score functions) and optionally `setup(data)`, called once per
       * thread; fit and score get what setup resolves to (data when undefined, or without setup). Each
       * worker imports it; the calling thread too (workers: 1, a refit).
       */
      task: TaskModule;
      /** Not with a task module. */
      recipe?: undefined;
    }
  | {
      /** Not with a recipe. */
      task?: undefined;
      /**
       * A recipe of one of gradstep's models (model, optimizer, epochs, scoring, …, as data; see
       * {@link Recipe}), with `data: { X, y }`; params override it by path ('optimizer.lr').
       */
      recipe: Recipe;
    };

/** A single-score task form's work: the task (module or recipe, with its data) and the base hyperparameters. */
export interface SingleScoreTask {
  task: LoadedTask;
  params: Record<string, unknown>;
}

/** Whether the options describe the work as a task module or a recipe (else: fit and score callbacks). */
export function hasTask(given: Record<string, unknown>): boolean {
  return given.task !== undefined || given.recipe !== undefined;
}

/**
 * The work of a task form: the module `task` imported here, or the recipe's task (recipes/), with
 * `data`; neither fit nor score callbacks beside them.
 */
export async function loadTaskOrRecipe(owner: string, given: Record<string, unknown>, workers: number | WorkerPool): Promise<LoadedTask> {
  if (given.fit !== undefined || given.score !== undefined) {
    throw new TypeError(`${owner}: give either task (a module that exports fit and score) or recipe, or the fit and score callbacks, not both`);
  }
  if (given.recipe === undefined) return loadTask(owner, given.task, given.data);
  if (given.task !== undefined) throw new TypeError(`${owner}: give either task (a module) or recipe, not both`);
  return loadRecipeTask(owner, given.recipe, given.data, workers);
}

/** Checks `params` (an object, default {}) and loads the task or recipe (one score function). */
export async function loadSingleScoreTask(owner: string, given: Record<string, unknown>, workers: number | WorkerPool): Promise<SingleScoreTask> {
  const params = given.params ?? {};
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new TypeError(`${owner}: params must be an object of hyperparameters for the task's fit, got ${describe(params)}`);
  }
  const task = await loadTaskOrRecipe(owner, given, workers);
  if (task.recipe === true && task.multimetric && task.scorerNames.length > 1) {
    throw new TypeError(`${owner}: recipe.scoring must name one scorer (${owner} has one score), got ${task.scorerNames.length}: ${task.scorerNames.join(', ')}`);
  }
  if (task.multimetric && task.recipe !== true) throw new TypeError(`${owner}: the task module ${task.href} must export score as one function (${owner} has one score)`);
  return { task, params: params as Record<string, unknown> };
}

/** Rejects the options of the task form in the callback form. */
export function checkNoTaskOptions(owner: string, given: Record<string, unknown>, names: readonly string[]): void {
  for (const name of names) {
    if (given[name] !== undefined) throw new TypeError(`${owner}: ${name} is for a task module: it needs task`);
  }
}

export function checkReturnTrainScore(owner: string, value: unknown): boolean {
  return value === undefined ? false : checkBoolean(owner, 'returnTrainScore', value);
}

/** Each job's scores and times, by job index (train scores NaN where not asked for). */
export interface JobScores {
  test: Float64Array;
  train: Float64Array;
  fitTimes: Float64Array;
  scoreTimes: Float64Array;
}

/**
 * Runs `jobs` (each a fit with its params on its fold's train rows, scored on its test rows and, when
 * asked, its train rows) and checks each outcome: a fit or a scoring that throws, or a score that is
 * not a number, rejects naming the job (`describeJob(j)`, e.g. "fold 2").
 */
export async function runScoredJobs(
  owner: string,
  { task }: SingleScoreTask,
  workers: number | WorkerPool,
  folds: readonly Fold[],
  jobs: readonly PoolJob[],
  describeJob: (j: number) => string,
): Promise<JobScores> {
  const scores: JobScores = {
    test: new Float64Array(jobs.length),
    train: new Float64Array(jobs.length).fill(Number.NaN),
    fitTimes: new Float64Array(jobs.length),
    scoreTimes: new Float64Array(jobs.length),
  };
  await runJobs({
    owner,
    task,
    folds,
    raise: true,
    workers,
    jobs,
    describeJob,
    onOutcome(j, outcome) {
      if ('fitError' in outcome) throw new Error(`${owner}: fit threw on ${describeJob(j)}: ${messageOf(outcome.fitError)}`, { cause: outcome.fitError });
      const scoreOf = (side: 'test' | 'train') => {
        const entry = (side === 'test' ? outcome.test : outcome.train ?? [])[0];
        if ('e' in entry) throw new Error(`${owner}: score threw on the ${side} rows of ${describeJob(j)}: ${messageOf(entry.e)}`, { cause: entry.e });
        return checkScore(owner, entry.v, `the ${side} rows of ${describeJob(j)}`);
      };
      scores.fitTimes[j] = outcome.fitTime;
      scores.scoreTimes[j] = outcome.scoreTime;
      scores.test[j] = scoreOf('test');
      if (jobs[j].scoreTrain) scores.train[j] = scoreOf('train');
    },
  });
  return scores;
}

/**
 * Runs one fit per fold, fold j with `params[j]`, and returns each job's first output by job index:
 * not a score but what the task's single output gives (a recipe's 'predict' or 'weights'). A fit or
 * an output that throws rejects naming the job (`describeJob(j)`, e.g. "round 3").
 */
export async function runOutputJobs(
  owner: string,
  task: LoadedTask,
  workers: number | WorkerPool,
  folds: readonly Fold[],
  params: readonly Record<string, unknown>[],
  describeJob: (j: number) => string,
): Promise<unknown[]> {
  const outputs: unknown[] = new Array(folds.length);
  await runJobs({
    owner,
    task,
    folds,
    raise: true,
    workers,
    jobs: folds.map((_, j) => ({ params: params[j], fold: j, scoreTrain: false })),
    describeJob,
    onOutcome(j, outcome) {
      if ('fitError' in outcome) throw new Error(`${owner}: the fit of ${describeJob(j)} threw: ${messageOf(outcome.fitError)}`, { cause: outcome.fitError });
      const entry = outcome.test[0];
      if ('e' in entry) throw new Error(`${owner}: ${task.scorerNames[0]} of ${describeJob(j)} threw: ${messageOf(entry.e)}`, { cause: entry.e });
      outputs[j] = entry.v;
    },
  });
  return outputs;
}
