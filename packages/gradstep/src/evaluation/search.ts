/**
 * Hyperparameter search by cross-validation, after scikit-learn's `GridSearchCV` and
 * `RandomizedSearchCV` (`sklearn/model_selection/_search.py`, `_validation.py`), with user callbacks
 * in the shape of {@link crossValidate}, and nested cross-validation of the whole search.
 *
 * What matches scikit-learn: the candidates and their order (see `parameter-grid.ts`), candidates
 * evaluated in order and each over every fold in order; the results as `cv_results_` (mean, population
 * std as `np.std`, and the rank rule below); `bestIndex` as `rank.argmin()` (the first of the best);
 * `refit` (true, false or, with several scorers, the scorer's name, required there); `errorScore`
 * (a fit that throws scores that number on its fold, and a search where every fit throws fails);
 * warnings for failed fits, failed scorings and non-finite mean scores.
 *
 * The rank rule, exactly as `_format_results`: with every mean NaN, every rank is 1; otherwise NaN
 * means become (the smallest non-NaN mean) − 1, +∞ becomes the largest finite double and −∞ the most
 * negative one (`np.nan_to_num`), and the ranks are `rankdata(−means, method='min')`: tied means
 * share the best rank of the tie (1, 1, 3). So NaN means rank last, tied with each other (and with the
 * smallest mean only where subtracting 1 does not change it, |mean| ≥ 2^53); below a −∞ mean too,
 * since nanmin − 1 stays −∞ while the −∞ mean becomes the most negative double.
 *
 * Deliberate differences from scikit-learn:
 * - `errorScore` defaults to 'raise' (scikit-learn: NaN), as {@link crossValidate}, and a failure
 *   rejects with an Error naming the candidate's parameters and the fold, the callback's error as its
 *   `cause` (scikit-learn re-raises the estimator's exception as is).
 * - The refit fits on `rows` (by default the sorted union of every fold's train and test rows, which
 *   for `kFold(n)` is every row, as scikit-learn's refit on all of X).
 * - Times are milliseconds (`performance.now()`), not seconds.
 * - Split scores are arrays per candidate (`splitTestScores.score[c][f]`, as validationCurve), not
 *   `split{f}_test_score` columns; there are no `param_<name>` masked arrays (`results.params` holds
 *   every candidate), and `refit` is not a callable.
 * - With a single score function, `refit` is a boolean: a string is an error, where scikit-learn
 *   ignores it. The warnings are one per kind and call (not one per failure).
 * - Means and stds are summed left to right: bit-identical to NumPy for up to 7 folds, within
 *   rounding beyond (NumPy's pairwise summation groups 8 and more numbers differently).
 */
import type { Fold } from '../model-selection/folds.js';
import type { Seed } from '../model-selection/random.js';
import { warn } from '../model-selection/warnings.js';
import { checkBoolean, checkInteger, checkOptionNames, describe } from '../validate.js';
import { checkFunction } from '../ensembles/training-data.js';
import { checkFolds, checkScore } from './fold-checks.js';
import { hasTask, loadTaskOrRecipe, type TaskOrRecipe } from './task-jobs.js';
import { checkCallbacksStayHere, messageOf, resolveWorkers, runJobHere, runJobs, type JobOutcome, type LoadedTask, type ScoreEntry, type WorkerPool, type Workers } from '../parallel/pool.js';
import { mean, populationStd } from './score-summary.js';
import {
  expandGrid,
  MAX_GRID_CANDIDATES,
  sampleCandidates,
  type GridCandidate,
  type ParameterDistributionsSpec,
  type ParameterGridSpec,
  type SampledCandidate,
} from './parameter-grid.js';

/** Scores a model on the rows `rows` (higher is better, as scikit-learn's scorers); may return a Promise. */
export type ScoreFunction<M> = (model: M, rows: Uint32Array) => number | PromiseLike<number>;

/**
 * Fits a fresh model with the hyperparameters `params` on the rows `train`; may return a Promise.
 * `fold` is the fold's index, or `'refit'` for the final fit of the best candidate on all rows.
 * `params` is a fresh shallow copy of the candidate for every call.
 */
export type SearchFitFunction<P, M> = (params: P, train: Uint32Array, fold: number | 'refit') => M | PromiseLike<M>;

/** What a failing fit (or scoring) does: `'raise'` rejects the search, a number is recorded as the score. */
export type ErrorScore = 'raise' | number;

/** The options that gridSearch and randomSearch share. `K` names the scorers ('score' for one function). */
export interface SearchOptions<P, M, K extends string = 'score'> {
  /** The splits, e.g. from `kFold` or `stratifiedKFold`: `{ train, test }` row indices. */
  folds: Iterable<Fold>;
  /** Fits a model with one candidate's hyperparameters on the given rows. */
  fit: SearchFitFunction<P, M>;
  /**
   * One score function (its scores are named `'score'`, as scikit-learn's single metric), or an
   * object of named score functions (several metrics; then `refit` must name one or be false).
   */
  score: ScoreFunction<M> | { readonly [N in K]: ScoreFunction<M> };
  /**
   * Refit the best candidate on `rows` as `bestModel`. With one score function: true (default) or
   * false (`bestIndex`, `bestParams` and `bestScore` are given either way). With several: the name of
   * the scorer whose mean test score chooses the best candidate, or false (then no best is chosen).
   */
  refit?: boolean | NoInfer<K>;
  /**
   * The rows of the refit: all the training rows. Default: the sorted union of every fold's train
   * and test rows (for `kFold(n)` all n rows, as scikit-learn's refit on all of X). Not used without refit.
   */
  rows?: Uint32Array;
  /** Also score every model on its own training rows. Default false. */
  returnTrainScore?: boolean;
  /**
   * 'raise' (default) rejects at the first fit or scoring that throws; a number (NaN, 0, …) is
   * recorded as that fold's score(s) instead, counted in `fitFailures`/`scoreFailures` with a warning.
   * Either way a search in which every fit throws rejects.
   */
  errorScore?: ErrorScore;
}

/**
 * The options of a search whose work is a task module, to run on `workers` threads: as
 * {@link SearchOptions} without the fit and score callbacks, which the module exports instead.
 */
export type SearchTaskOptions = SearchTaskFields & TaskOrRecipe;

/** The fields of {@link SearchTaskOptions} beside the task or recipe. */
export interface SearchTaskFields {
  /** The splits, e.g. from `kFold` or `stratifiedKFold`: `{ train, test }` row indices. */
  folds: Iterable<Fold>;
  /** Structured-cloneable data given to the task (posted to each worker once; typed arrays over a SharedArrayBuffer are shared). */
  data?: unknown;
  /**
   * How many worker threads run the (candidate, fold) jobs: 1 (default: one after another in the
   * calling thread), n, or 'auto' (os.availableParallelism() in Node, navigator.hardwareConcurrency
   * in browsers). Results are the same bits whatever the count; only times differ.
   */
  workers?: Workers;
  /** As {@link SearchOptions.refit}; with several scorers, the name of the one that chooses. */
  refit?: boolean | string;
  /** The rows of the refit; default the union of every fold's rows (see {@link SearchOptions.rows}). */
  rows?: Uint32Array;
  /** Also score every model on its own training rows. Default false. */
  returnTrainScore?: boolean;
  /** 'raise' (default) or the score recorded for a fit or scoring that throws (see {@link SearchOptions.errorScore}). */
  errorScore?: ErrorScore;
}

/** The options of {@link gridSearch} with a task module. */
export type GridSearchTaskOptions<G> = SearchTaskOptions & {
  /** The grid: an object of arrays of values, or an array of such objects (see {@link parameterGrid}). */
  params: G;
};

/** The options of {@link randomSearch} with a task module. */
export type RandomSearchTaskOptions<G> = SearchTaskOptions & RandomSearchTaskFields<G>;

/** The fields of {@link RandomSearchTaskOptions} beside the search's. */
export interface RandomSearchTaskFields<G> {
  /** Lists and distributions to draw candidates from (see {@link parameterSampler}). */
  distributions: G;
  /** How many candidates to draw: an integer from 1 to 2^24, default 10 (clipped to the grid's size when every value is a list). */
  nIter?: number;
  /** A 32-bit integer, or a `Random` whose state advances; default a fresh seed. Candidates are drawn in the calling thread. */
  seed?: Seed;
}

/** The options of {@link gridSearch}. */
export interface GridSearchOptions<G, M, K extends string = 'score'> extends SearchOptions<GridCandidate<G>, M, K> {
  /** The grid: an object of arrays of values, or an array of such objects (see {@link parameterGrid}). */
  params: G;
}

/** The options of {@link randomSearch}. */
export interface RandomSearchOptions<G, M, K extends string = 'score'> extends SearchOptions<SampledCandidate<G>, M, K> {
  /** Lists and distributions to draw candidates from (see {@link parameterSampler}). */
  distributions: G;
  /** How many candidates to draw: an integer from 1 to 2^24, default 10 (clipped to the grid's size when every value is a list). */
  nIter?: number;
  /** A 32-bit integer, or a `Random` whose state advances; default a fresh seed. */
  seed?: Seed;
}

/**
 * The cross-validation results of every candidate: scikit-learn's `cv_results_`. Arrays are indexed
 * by candidate, in the order of `params`; score arrays are keyed by scorer name (`'score'` for a
 * single score function, as scikit-learn's `mean_test_score`; the scorer's name with several, as
 * `mean_test_<name>`).
 */
export interface SearchResults<P, K extends string = 'score'> {
  /** The candidates, in evaluation order. */
  readonly params: P[];
  /** Mean over folds of the fit time (ms; of a failed fit, until it threw). */
  readonly meanFitTime: Float64Array;
  /** Population std over folds of the fit time (ms). */
  readonly stdFitTime: Float64Array;
  /** Mean over folds of the test scoring time (ms; all scorers; 0 for a failed fit). */
  readonly meanScoreTime: Float64Array;
  /** Population std over folds of the test scoring time (ms). */
  readonly stdScoreTime: Float64Array;
  /** splitTestScores[name][c][f]: the test score of candidate c on fold f. */
  readonly splitTestScores: Readonly<Record<K, Float64Array[]>>;
  /** The mean over folds (NaN when a fold's score is). */
  readonly meanTestScore: Readonly<Record<K, Float64Array>>;
  /** The population standard deviation over folds (`np.std`, ddof 0). */
  readonly stdTestScore: Readonly<Record<K, Float64Array>>;
  /** 1 for the best mean, tied means sharing the best rank of the tie, NaN last (see the module comment). */
  readonly rankTestScore: Readonly<Record<K, Int32Array>>;
  /** With returnTrainScore: the same for the scores on the training rows. */
  readonly splitTrainScores?: Readonly<Record<K, Float64Array[]>>;
  /** With returnTrainScore: the mean over folds of the training-rows scores. */
  readonly meanTrainScore?: Readonly<Record<K, Float64Array>>;
  /** With returnTrainScore: their population std over folds (ddof 0). */
  readonly stdTrainScore?: Readonly<Record<K, Float64Array>>;
}

/** What {@link gridSearch} and {@link randomSearch} resolve to. */
export interface SearchResult<P, M, K extends string = 'score'> {
  /** Every candidate's cross-validation results (scikit-learn's `cv_results_`). */
  readonly results: SearchResults<P, K>;
  /** The scorer names, in the order given (`['score']` for a single function). */
  readonly scorers: readonly K[];
  /** The scorer that chose the best candidate; undefined with several scorers and refit false. */
  readonly refitMetric: K | undefined;
  /** The index of the best candidate: the first with rank 1 for `refitMetric` (undefined when none is chosen). */
  readonly bestIndex: number | undefined;
  /** The best candidate's parameters (`results.params[bestIndex]`); undefined when none is chosen. */
  readonly bestParams: P | undefined;
  /** Its mean test score. Optimistic as an estimate of performance: see {@link nestedCrossValidate}. */
  readonly bestScore: number | undefined;
  /** With refit: the best candidate fitted on `refitRows`. */
  readonly bestModel: M | undefined;
  /** With refit: the rows it was fitted on. */
  readonly refitRows: Uint32Array | undefined;
  /** With refit: the wall time of the refit in ms. */
  readonly refitTime: number | undefined;
  /** The number of folds. */
  readonly nSplits: number;
  /** How many (candidate, fold) fits threw and were given `errorScore` (0 with 'raise'). */
  readonly fitFailures: number;
  /** How many scorings threw and were given `errorScore` (0 with 'raise'). */
  readonly scoreFailures: number;
}

/**
 * Exhaustive search over a parameter grid, as scikit-learn's `GridSearchCV`: for each candidate of
 * `parameterGrid(params)` in order and each fold in order, `model = fit(params, fold.train, f)` and
 * its test score(s) `score(model, fold.test)` (and train scores with `returnTrainScore`); then the
 * ranks, the best candidate and, with refit, `bestModel = fit(bestParams, rows, 'refit')`.
 *
 * Callbacks run one at a time (never concurrently, so they may share state); the result is always a
 * Promise. The callbacks get the folds' own index arrays: they must not modify them. Every argument
 * is checked before the first fit.
 *
 * On several threads: `{ task, data, workers }` in place of fit and score (see
 * {@link SearchTaskOptions}): the jobs (candidate, fold) run on a pool of `workers` threads, each
 * placed by its index, so that every score is the same bits with any worker count. Then the first
 * failure is the first in (candidate, fold) order, and with errorScore 'raise' the call rejects at
 * the first failing job to complete. A worker that crashes rejects the call naming the job it ran;
 * every worker is terminated before the call settles. `bestModel` is refitted in the calling thread.
 *
 * ```ts
 * const search = await gridSearch({
 *   folds: kFold(y.length, { k: 5, shuffle: true, seed: 0 }),
 *   params: { alpha: [0.01, 0.1, 1, 10] },
 *   fit: ({ alpha }, rows) => new Ridge(alpha).fit(takeRows(X, rows), takeRows(y, rows)),
 *   score: (model, rows) => r2(model, takeRows(X, rows), takeRows(y, rows)),
 * });
 * search.bestParams; search.bestScore; search.bestModel; search.results.rankTestScore.score;
 * ```
 *
 * @throws (rejects with) TypeError/RangeError for malformed options (folds, grid, a refit that does not
 *   name a scorer, …), a score that is not a number; an Error naming the candidate and fold when a
 *   callback throws with errorScore 'raise', when every fit throws, or when the refit throws
 */
export function gridSearch<G extends ParameterGridSpec | readonly ParameterGridSpec[], M>(
  options: GridSearchOptions<G, M> & { score: ScoreFunction<M>; refit?: boolean },
): Promise<SearchResult<GridCandidate<G>, M, 'score'>>;
export function gridSearch<G extends ParameterGridSpec | readonly ParameterGridSpec[], M, K extends string>(
  options: GridSearchOptions<G, M, K> & { score: { readonly [N in K]: ScoreFunction<M> }; refit?: false | NoInfer<K> },
): Promise<SearchResult<GridCandidate<G>, M, K>>;
export function gridSearch<G extends ParameterGridSpec | readonly ParameterGridSpec[]>(
  options: GridSearchTaskOptions<G>,
): Promise<SearchResult<GridCandidate<G>, unknown, string>>;
export function gridSearch<G extends ParameterGridSpec | readonly ParameterGridSpec[], M, K extends string>(
  options: GridSearchOptions<G, M, K> | GridSearchTaskOptions<G>,
): Promise<SearchResult<GridCandidate<G>, M, K>> {
  return runSearchFromOptions('gridSearch', options, (owner, given) => {
    if (given.params === undefined) throw new TypeError(`${owner}: params (the parameter grid) is required`);
    return expandGrid(owner, given.params, 'params');
  }) as Promise<SearchResult<GridCandidate<G>, M, K>>;
}

/**
 * Randomized search, as scikit-learn's `RandomizedSearchCV`: as {@link gridSearch}, over `nIter`
 * candidates drawn by `parameterSampler(distributions, { nIter, seed })` (without replacement from the
 * grid when every value is a list, else independently), drawn once before the first fit.
 *
 * ```ts
 * const search = await randomSearch({
 *   folds, distributions: { lr: logUniform(1e-4, 1e-1), depth: integers(1, 6), act: ['relu', 'tanh'] },
 *   nIter: 20, seed: 0, fit, score,
 * });
 * ```
 *
 * @throws (rejects with) as {@link gridSearch}; RangeError for an nIter out of 1 … 2^24
 */
export function randomSearch<G extends ParameterDistributionsSpec | readonly ParameterDistributionsSpec[], M>(
  options: RandomSearchOptions<G, M> & { score: ScoreFunction<M>; refit?: boolean },
): Promise<SearchResult<SampledCandidate<G>, M, 'score'>>;
export function randomSearch<G extends ParameterDistributionsSpec | readonly ParameterDistributionsSpec[], M, K extends string>(
  options: RandomSearchOptions<G, M, K> & { score: { readonly [N in K]: ScoreFunction<M> }; refit?: false | NoInfer<K> },
): Promise<SearchResult<SampledCandidate<G>, M, K>>;
export function randomSearch<G extends ParameterDistributionsSpec | readonly ParameterDistributionsSpec[]>(
  options: RandomSearchTaskOptions<G>,
): Promise<SearchResult<SampledCandidate<G>, unknown, string>>;
export function randomSearch<G extends ParameterDistributionsSpec | readonly ParameterDistributionsSpec[], M, K extends string>(
  options: RandomSearchOptions<G, M, K> | RandomSearchTaskOptions<G>,
): Promise<SearchResult<SampledCandidate<G>, M, K>> {
  return runSearchFromOptions('randomSearch', options, (owner, given) => {
    if (given.distributions === undefined) throw new TypeError(`${owner}: distributions is required`);
    const nIter = given.nIter === undefined ? 10 : checkInteger(owner, 'nIter', given.nIter, 1, MAX_GRID_CANDIDATES);
    return sampleCandidates(owner, given.distributions, 'distributions', nIter, given.seed);
  }) as Promise<SearchResult<SampledCandidate<G>, M, K>>;
}

const COMMON_OPTIONS = ['folds', 'fit', 'score', 'refit', 'rows', 'returnTrainScore', 'errorScore', 'task', 'recipe', 'data', 'workers'] as const;
const OWN_OPTIONS: Record<string, readonly string[]> = {
  gridSearch: ['params'],
  randomSearch: ['distributions', 'nIter', 'seed'],
};

type Model = unknown;
type Candidate = Record<string, unknown>;
type Scorer = (model: Model, rows: Uint32Array) => unknown;

interface ResolvedSearch {
  folds: readonly Fold[];
  candidates: Candidate[];
  fit: (params: Candidate, train: Uint32Array, fold: number | 'refit') => unknown;
  scorers: [string, Scorer][];
  multimetric: boolean;
  refit: boolean;
  refitMetric: string | undefined;
  rows: Uint32Array | undefined;
  returnTrainScore: boolean;
  errorScore: ErrorScore;
  /** With a task module or a recipe: the task (with its data); else undefined. */
  task: LoadedTask | undefined;
  workers: number | WorkerPool;
}

async function runSearchFromOptions(
  owner: string,
  options: unknown,
  candidatesOf: (owner: string, given: Record<string, unknown>) => Candidate[],
): Promise<SearchResult<Candidate, Model, string>> {
  const given = checkOptionNames(owner, options, [...COMMON_OPTIONS, ...OWN_OPTIONS[owner]]);
  const folds = checkFolds(owner, given.folds);
  const candidates = candidatesOf(owner, given);
  if (candidates.length === 0) throw new RangeError(`${owner}: there are no candidates to evaluate (the grid is an empty array)`);
  const workers = await resolveWorkers(owner, given.workers);
  let task: LoadedTask | undefined;
  let fit: ResolvedSearch['fit'];
  let scorers: [string, Scorer][];
  let multimetric: boolean;
  if (hasTask(given)) {
    const loaded = await loadTaskOrRecipe(owner, given, workers);
    task = loaded;
    fit = async (params, train) => loaded.fit(params, train, await loaded.context());
    // Only their names are used here: the jobs call the module's functions (runJobs).
    scorers = loaded.scorerNames.map((name, s): [string, Scorer] => [name, loaded.scorers[s] as Scorer]);
    multimetric = loaded.multimetric;
  } else {
    checkCallbacksStayHere(owner, workers);
    if (given.data !== undefined) throw new TypeError(`${owner}: data is the task module's data: it needs task`);
    fit = checkFunction<ResolvedSearch['fit']>(owner, 'fit', given.fit);
    ({ scorers, multimetric } = checkScorers(owner, given.score));
  }
  const { refit, refitMetric } = checkRefit(owner, given.refit, scorers, multimetric);
  const rows = given.rows === undefined ? undefined : checkRows(owner, given.rows);
  const returnTrainScore = given.returnTrainScore === undefined ? false : checkBoolean(owner, 'returnTrainScore', given.returnTrainScore);
  const errorScore = checkErrorScore(owner, given.errorScore);
  return runSearch(owner, { folds, candidates, fit, scorers, multimetric, refit, refitMetric, rows, returnTrainScore, errorScore, task, workers });
}

function checkScorers(owner: string, score: unknown): { scorers: [string, Scorer][]; multimetric: boolean } {
  if (typeof score === 'function') return { scorers: [['score', score as Scorer]], multimetric: false };
  const prototype = score !== null && typeof score === 'object' ? Object.getPrototypeOf(score) : undefined;
  if (Array.isArray(score) || (prototype !== Object.prototype && prototype !== null)) {
    throw new TypeError(`${owner}: score must be a function or an object of named score functions, got ${describe(score)}`);
  }
  const scorers = Object.entries(score as Record<string, unknown>).map(([name, scorer]): [string, Scorer] => [
    name,
    checkFunction<Scorer>(owner, `score.${name}`, scorer),
  ]);
  if (scorers.length === 0) throw new RangeError(`${owner}: score must name at least one score function, got an empty object`);
  return { scorers, multimetric: true };
}

function checkRefit(owner: string, refit: unknown, scorers: [string, Scorer][], multimetric: boolean): { refit: boolean; refitMetric: string | undefined } {
  const names = scorers.map(([name]) => name);
  const list = names.map((name) => JSON.stringify(name)).join(', ');
  if (refit === undefined) refit = true;
  if (typeof refit !== 'boolean' && typeof refit !== 'string') {
    throw new TypeError(`${owner}: refit must be true, false or the name of a scorer, got ${describe(refit)}`);
  }
  if (!multimetric) {
    if (typeof refit === 'string') {
      throw new RangeError(`${owner}: refit names a scorer only when score is an object of scorers; with one score function it is true or false, got ${describe(refit)}`);
    }
    return { refit, refitMetric: 'score' };
  }
  if (refit === false) return { refit: false, refitMetric: undefined };
  if (refit === true || !names.includes(refit)) {
    throw new RangeError(
      `${owner}: with several scorers, refit must be the name of the one that chooses the best candidate (${list}) or false, got ${describe(refit)}`,
    );
  }
  return { refit: true, refitMetric: refit };
}

function checkRows(owner: string, rows: unknown): Uint32Array {
  if (!(rows instanceof Uint32Array)) throw new TypeError(`${owner}: rows must be a Uint32Array of row indices, got ${describe(rows)}`);
  if (rows.length === 0) throw new RangeError(`${owner}: rows must not be empty`);
  return rows;
}

function checkErrorScore(owner: string, errorScore: unknown): ErrorScore {
  if (errorScore === undefined) return 'raise';
  if (errorScore === 'raise' || typeof errorScore === 'number') return errorScore;
  throw new TypeError(`${owner}: errorScore must be 'raise' or a number (such as NaN), got ${describe(errorScore)}`);
}

/** A failure kept for the warning and the error message. */
interface Failure {
  candidate: number;
  fold: number;
  error: unknown;
}

async function runSearch(owner: string, search: ResolvedSearch): Promise<SearchResult<Candidate, Model, string>> {
  const { folds, candidates, fit, scorers, multimetric, refit, refitMetric, returnTrainScore, errorScore } = search;
  const nCandidates = candidates.length;
  const k = folds.length;
  const newTable = () => candidates.map(() => new Float64Array(k));
  const testScores = scorers.map(newTable);
  const trainScores = scorers.map(newTable);
  const fitTimes = newTable();
  const scoreTimes = newTable();
  let fitFailures = 0;
  let firstFitFailure: Failure | undefined;
  let scoreFailures = 0;
  let firstScoreFailure: Failure | undefined;

  const first = (failure: Failure | undefined, c: number, f: number) =>
    failure === undefined || c < failure.candidate || (c === failure.candidate && f < failure.fold);

  /** Records the scores of one side of a job into column `f` of row `c` of `into`; throws as errorScore says. */
  const recordSide = (entries: readonly ScoreEntry[], into: Float64Array[][], c: number, f: number, side: string): void => {
    for (let s = 0; s < entries.length; s++) {
      const entry = entries[s];
      const name = scorers[s][0];
      const where = `the ${side} rows of fold ${f}, candidate ${c}${multimetric ? `, scorer ${JSON.stringify(name)}` : ''}`;
      let value: unknown;
      if ('e' in entry) {
        if (errorScore === 'raise') {
          const scorerName = multimetric ? ` ${JSON.stringify(name)}` : '';
          throw new Error(
            `${owner}: score${scorerName} threw for candidate ${c} ${formatParams(candidates[c])} on the ${side} rows of fold ${f}: ${messageOf(entry.e)}`,
            { cause: entry.e },
          );
        }
        scoreFailures++;
        if (first(firstScoreFailure, c, f)) firstScoreFailure = { candidate: c, fold: f, error: entry.e };
        value = errorScore;
      } else {
        value = entry.v;
      }
      into[s][c][f] = checkScore(owner, value, where);
    }
  };

  /** Records the outcome of the job (candidate c, fold f): where it goes depends on c and f only, not on when it completes. */
  const record = (c: number, f: number, outcome: JobOutcome): void => {
    fitTimes[c][f] = outcome.fitTime;
    if ('fitError' in outcome) {
      const error = outcome.fitError;
      if (errorScore === 'raise') {
        throw new Error(`${owner}: fit threw for candidate ${c} ${formatParams(candidates[c])} on fold ${f}: ${messageOf(error)}`, { cause: error });
      }
      fitFailures++;
      if (first(firstFitFailure, c, f)) firstFitFailure = { candidate: c, fold: f, error };
      for (let s = 0; s < scorers.length; s++) {
        testScores[s][c][f] = errorScore;
        trainScores[s][c][f] = errorScore;
      }
      return;
    }
    recordSide(outcome.test, testScores, c, f, 'test');
    scoreTimes[c][f] = outcome.scoreTime;
    if (returnTrainScore) recordSide(outcome.train ?? [], trainScores, c, f, 'train');
  };

  if (search.task === undefined) {
    const scorerFunctions = scorers.map(([, scorer]) => scorer);
    for (let c = 0; c < nCandidates; c++) {
      for (let f = 0; f < k; f++) {
        const { train, test } = folds[f];
        const outcome = await runJobHere(() => fit({ ...candidates[c] }, train, f), scorerFunctions, test, returnTrainScore ? train : undefined, errorScore === 'raise');
        record(c, f, outcome);
      }
    }
  } else {
    await runJobs({
      owner,
      task: search.task,
      folds,
      raise: errorScore === 'raise',
      workers: search.workers,
      jobs: Array.from({ length: nCandidates * k }, (_, j) => ({ params: candidates[Math.floor(j / k)], fold: j % k, scoreTrain: returnTrainScore })),
      describeJob: (j) => `candidate ${Math.floor(j / k)} ${formatParams(candidates[Math.floor(j / k)])} on fold ${j % k}`,
      onOutcome: (j, outcome) => record(Math.floor(j / k), j % k, outcome),
    });
  }

  const total = nCandidates * k;
  const describeFailure = (failure: Failure) =>
    `candidate ${failure.candidate} ${formatParams(candidates[failure.candidate])} on fold ${failure.fold}: ${messageOf(failure.error)}`;
  if (fitFailures === total) {
    throw new Error(
      `${owner}: all the ${total} fits failed; it is very likely that fit is misconfigured (errorScore: 'raise' stops at the first failure). The first: ${describeFailure(firstFitFailure!)}`,
      { cause: firstFitFailure!.error },
    );
  }
  if (fitFailures > 0) {
    warn(
      `${owner}: ${fitFailures} fits failed out of a total of ${total}; their scores are set to ${errorScore}. The first: ${describeFailure(firstFitFailure!)}`,
    );
  }
  if (scoreFailures > 0) {
    warn(`${owner}: scoring failed ${scoreFailures} times; those scores are set to ${errorScore}. The first: ${describeFailure(firstScoreFailure!)}`);
  }

  const names = scorers.map(([name]) => name);
  const byName = <T>(values: T[]): Record<string, T> => Object.fromEntries(names.map((name, s) => [name, values[s]]));
  const means = (table: Float64Array[]) => Float64Array.from(table, mean);
  const stds = (table: Float64Array[]) => Float64Array.from(table, populationStd);
  const meanTest = testScores.map(means);
  const ranks = meanTest.map(rankMeans);
  const warnNonFinite = (side: string, meanTable: Float64Array[]) =>
    meanTable.forEach((m, s) => {
      const bad = [...m.keys()].filter((c) => !Number.isFinite(m[c]));
      if (bad.length > 0) {
        warn(`${owner}: one or more of the mean ${side} scores${multimetric ? ` of ${JSON.stringify(names[s])}` : ''} are non-finite (candidates ${bad.join(', ')})`);
      }
    });
  warnNonFinite('test', meanTest);
  let results: SearchResults<Candidate, string> = {
    params: candidates,
    meanFitTime: means(fitTimes),
    stdFitTime: stds(fitTimes),
    meanScoreTime: means(scoreTimes),
    stdScoreTime: stds(scoreTimes),
    splitTestScores: byName(testScores),
    meanTestScore: byName(meanTest),
    stdTestScore: byName(testScores.map(stds)),
    rankTestScore: byName(ranks),
  };
  if (returnTrainScore) {
    const meanTrain = trainScores.map(means);
    warnNonFinite('train', meanTrain);
    results = { ...results, splitTrainScores: byName(trainScores), meanTrainScore: byName(meanTrain), stdTrainScore: byName(trainScores.map(stds)) };
  }

  let bestIndex: number | undefined;
  let bestModel: Model | undefined;
  let refitRows: Uint32Array | undefined;
  let refitTime: number | undefined;
  if (refitMetric !== undefined) {
    const s = names.indexOf(refitMetric);
    // rank.argmin(): the first candidate of rank 1 (the smallest rank is always 1).
    bestIndex = ranks[s].indexOf(1);
    if (refit) {
      refitRows = search.rows ?? unionOfRows(folds);
      const started = performance.now();
      try {
        bestModel = await fit({ ...candidates[bestIndex] }, refitRows, 'refit');
      } catch (error) {
        throw new Error(
          `${owner}: the refit of the best candidate ${bestIndex} ${formatParams(candidates[bestIndex])} on ${refitRows.length} rows threw: ${messageOf(error)}`,
          { cause: error },
        );
      }
      refitTime = performance.now() - started;
    }
  }
  return {
    results,
    scorers: names,
    refitMetric,
    bestIndex,
    bestParams: bestIndex === undefined ? undefined : candidates[bestIndex],
    bestScore: bestIndex === undefined ? undefined : meanTest[names.indexOf(refitMetric!)][bestIndex],
    bestModel,
    refitRows,
    refitTime,
    nSplits: k,
    fitFailures,
    scoreFailures,
  };
}

/**
 * scikit-learn's ranks of mean test scores (`_format_results`): all NaN → all 1; else NaN →
 * nanmin − 1, ±∞ → ±(largest finite double) (`np.nan_to_num(means, nan=nanmin − 1)`), then
 * `rankdata(−means, method='min')`: 1 + the number of strictly larger values. O(n log n).
 */
export function rankMeans(means: Float64Array): Int32Array {
  const n = means.length;
  const ranks = new Int32Array(n);
  let nanMin = Infinity;
  let anyNumber = false;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(means[i])) {
      anyNumber = true;
      if (means[i] < nanMin) nanMin = means[i];
    }
  }
  if (!anyNumber) return ranks.fill(1);
  const fill = nanMin - 1;
  const values = Float64Array.from(means, (m) => (Number.isNaN(m) ? fill : m === Infinity ? Number.MAX_VALUE : m === -Infinity ? -Number.MAX_VALUE : m));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[b] - values[a] || 0);
  for (let p = 0; p < n; p++) {
    const i = order[p];
    // Equal values share the rank of the first of them in descending order.
    ranks[i] = p > 0 && values[order[p - 1]] === values[i] ? ranks[order[p - 1]] : p + 1;
  }
  return ranks;
}

/** The sorted distinct rows of all folds (train and test): the rows the refit uses by default. */
function unionOfRows(folds: readonly Fold[]): Uint32Array {
  const seen = new Set<number>();
  for (const { train, test } of folds) {
    for (let j = 0; j < train.length; j++) seen.add(train[j]);
    for (let j = 0; j < test.length; j++) seen.add(test[j]);
  }
  return Uint32Array.from(seen).sort();
}

/** A candidate as `{ alpha: 0.1, kernel: "rbf" }` for error messages (at most 200 characters). @internal */
export function formatParams(params: Candidate): string {
  const parts = Object.keys(params).map((key) => `${key}: ${formatValue(params[key])}`);
  const text = parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** As {@link describe}, but short arrays element by element and bigints as literals. */
function formatValue(value: unknown): string {
  if (Array.isArray(value) && value.length <= 8) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'bigint') return `${value}n`;
  return describe(value);
}


// ---------------------------------------------------------------------------------------------------
// Nested cross-validation

/** What the `search` callback of {@link nestedCrossValidate} gets: spread it into gridSearch's options. */
export interface InnerSearchData {
  /** The inner folds, as row indices (each a subset of the outer fold's train rows). */
  readonly folds: Fold[];
  /** The outer fold's train rows: the rows of the refit. */
  readonly rows: Uint32Array;
}

/** The options of {@link nestedCrossValidate}: outer folds, inner folds, the search, and the outer scoring. */
export interface NestedCrossValidateOptions<P, M, K extends string = 'score'> {
  /** The outer splits: each test part scores the whole search-then-refit procedure. */
  outerFolds: Iterable<Fold>;
  /**
   * The inner splits of one outer fold's train rows, as **positions** 0 … m − 1 in `outerTrain`
   * (m = outerTrain.length), which is what a splitter called with m returns:
   * `(outerTrain) => kFold(outerTrain.length, { k: 3 })`, or
   * `(outerTrain) => stratifiedKFold(takeRows(y, outerTrain), { k: 3 })`. They are mapped to row
   * indices (`outerTrain[position]`) before the search sees them.
   */
  innerFolds: (outerTrain: Uint32Array, outerFoldIndex: number) => Iterable<Fold>;
  /**
   * Runs the search on one outer fold's train rows with refit, typically
   * `(inner) => gridSearch({ ...inner, params, fit, score })` (inner is `{ folds, rows }`).
   */
  search: (inner: InnerSearchData, outerFoldIndex: number) => SearchResult<P, M, K> | PromiseLike<SearchResult<P, M, K>>;
  /** Scores a refitted best model on the outer test rows (higher is better). */
  score: ScoreFunction<M>;
}

/** What {@link nestedCrossValidate} gives: the outer test scores (the estimate), the inner best scores (optimistic) and each fold's choice. */
export interface NestedCrossValidateResult<P, M, K extends string = 'score'> {
  /** The outer test score of each outer fold's refitted best model: the estimate of the procedure. */
  readonly testScores: Float64Array;
  /** Mean of testScores: the estimate of how well the whole procedure generalizes. */
  readonly meanTestScore: number;
  /** Population std (ddof 0) of testScores. */
  readonly stdTestScore: number;
  /**
   * Each inner search's `bestScore`: the best of many noisy estimates, on the rows that also chose
   * it, hence optimistic. Compare its mean with meanTestScore to see how much.
   */
  readonly innerBestScores: Float64Array;
  /** Mean of innerBestScores (optimistic; compare with meanTestScore). */
  readonly meanInnerBestScore: number;
  /** The parameters each outer fold chose: if they vary a lot, the choice itself is unstable. */
  readonly bestParams: P[];
  /** The refitted best model of each outer fold. */
  readonly models: M[];
  /** Each outer fold's full search result. */
  readonly searches: SearchResult<P, M, K>[];
  /** Wall time (ms) of each outer fold's search, refit included, and of its outer test scoring. */
  readonly searchTimes: Float64Array;
  /** Wall time (ms) of each outer fold's outer test scoring. */
  readonly scoreTimes: Float64Array;
}

/**
 * Nested cross-validation: an estimate of how well the whole procedure "search the hyperparameters
 * by cross-validation, then refit the best" does on new data (scikit-learn's recipe of a
 * `GridSearchCV` inside `cross_validate`).
 *
 * Why: a search's `bestScore` is optimistic. It is the largest of many mean scores, each a noisy
 * estimate, and the maximum of noisy estimates is biased upward (the winner's curse: the winner is
 * partly the candidate that was luckiest on these folds), and the rows that chose it are the rows
 * that score it. The more candidates, and the smaller the data, the larger the bias (Cawley & Talbot
 * 2010, "On over-fitting in model selection and subsequent selection bias in performance
 * evaluation"). Here each outer fold runs the search on its train rows only (inner folds over them,
 * refit on all of them) and scores the refitted best model on its test rows, which took no part in
 * choosing or fitting: `meanTestScore` estimates the procedure without that bias, and
 * `meanInnerBestScore − meanTestScore` shows the optimism.
 *
 * For each outer fold f in order: the inner folds (positions in the outer train rows, mapped to
 * rows and checked), then `search({ folds, rows: outerTrain }, f)`, which must refit (`bestModel`)
 * on rows none of which is an outer test row, then `score(bestModel, outerTest)`.
 *
 * ```ts
 * const nested = await nestedCrossValidate({
 *   outerFolds: kFold(n, { k: 5, shuffle: true, seed: 0 }),
 *   innerFolds: (train) => kFold(train.length, { k: 3 }),
 *   search: (inner) => gridSearch({ ...inner, params: { alpha: [0.1, 1, 10] }, fit, score }),
 *   score,
 * });
 * nested.meanTestScore; nested.meanInnerBestScore; nested.bestParams;
 * ```
 *
 * @throws (rejects with) TypeError/RangeError for malformed outer or inner folds (a position past the
 *   outer train rows), a search result without bestModel (refit false) or refitted on an outer test
 *   row, a score that is not a number; errors of the callbacks and searches as they are
 */
export async function nestedCrossValidate<P, M, K extends string = 'score'>(
  options: NestedCrossValidateOptions<P, M, K>,
): Promise<NestedCrossValidateResult<P, M, K>> {
  const owner = 'nestedCrossValidate';
  const given = checkOptionNames(owner, options, ['outerFolds', 'innerFolds', 'search', 'score']);
  const outerFolds = checkFolds(owner, given.outerFolds);
  const innerFoldsOf = checkFunction<NestedCrossValidateOptions<P, M, K>['innerFolds']>(owner, 'innerFolds', given.innerFolds);
  const search = checkFunction<NestedCrossValidateOptions<P, M, K>['search']>(owner, 'search', given.search);
  const score = checkFunction<ScoreFunction<M>>(owner, 'score', given.score);

  const k = outerFolds.length;
  const testScores = new Float64Array(k);
  const innerBestScores = new Float64Array(k);
  const searchTimes = new Float64Array(k);
  const scoreTimes = new Float64Array(k);
  const bestParams: P[] = [];
  const models: M[] = [];
  const searches: SearchResult<P, M, K>[] = [];
  for (let f = 0; f < k; f++) {
    const { train, test } = outerFolds[f];
    const inner = innerFoldsAsRows(owner, innerFoldsOf(train, f), train, f);
    const started = performance.now();
    const result: unknown = await search({ folds: inner, rows: train }, f);
    searchTimes[f] = performance.now() - started;
    const { bestModel, bestParams: chosen, bestScore } = checkSearchResult(owner, result, test, f) as SearchResult<P, M, K>;
    const scoring = performance.now();
    testScores[f] = checkScore(owner, await score(bestModel as M, test), `the test rows of outer fold ${f}`);
    scoreTimes[f] = performance.now() - scoring;
    innerBestScores[f] = bestScore!;
    bestParams.push(chosen!);
    models.push(bestModel as M);
    searches.push(result as SearchResult<P, M, K>);
  }
  return {
    testScores,
    meanTestScore: mean(testScores),
    stdTestScore: populationStd(testScores),
    innerBestScores,
    meanInnerBestScore: mean(innerBestScores),
    bestParams,
    models,
    searches,
    searchTimes,
    scoreTimes,
  };
}

/** Checks the inner folds (positions in `outerTrain`) and maps them to rows. */
function innerFoldsAsRows(owner: string, given: unknown, outerTrain: Uint32Array, f: number): Fold[] {
  const where = `${owner}: innerFolds of outer fold ${f}`;
  const positions = checkFolds(where, given);
  const m = outerTrain.length;
  const mapped = positions.map((fold, i) => {
    const map = (part: 'train' | 'test') => {
      const indices = fold[part];
      const rows = new Uint32Array(indices.length);
      for (let j = 0; j < indices.length; j++) {
        if (indices[j] >= m) {
          throw new RangeError(
            `${where}: folds[${i}].${part} holds position ${indices[j]}, but the outer train part has ${m} rows (inner folds index positions 0 to ${m - 1} in it, as kFold(outerTrain.length) gives)`,
          );
        }
        rows[j] = outerTrain[indices[j]];
      }
      return rows;
    };
    return { train: map('train'), test: map('test') };
  });
  // Distinct positions can be the same row when the outer train part repeats rows (a bootstrap).
  return checkFolds(`${where} (as rows)`, mapped) as Fold[];
}

function checkSearchResult(owner: string, result: unknown, outerTest: Uint32Array, f: number): SearchResult<unknown, unknown, string> {
  const value = result as Partial<SearchResult<unknown, unknown, string>> | null;
  if (value === null || typeof value !== 'object' || !('results' in value) || !('refitRows' in value)) {
    throw new TypeError(`${owner}: search must resolve to the result of gridSearch or randomSearch, got ${describe(result)} for outer fold ${f}`);
  }
  if (!(value.refitRows instanceof Uint32Array) || value.bestIndex === undefined) {
    throw new TypeError(`${owner}: the search of outer fold ${f} did not refit (refit false): the outer test rows need the refitted best model`);
  }
  const testRows = new Set(outerTest);
  for (const row of value.refitRows) {
    if (testRows.has(row)) {
      throw new RangeError(`${owner}: the search of outer fold ${f} refitted on row ${row}, an outer test row: pass the inner rows as the search's rows`);
    }
  }
  return value as SearchResult<unknown, unknown, string>;
}
