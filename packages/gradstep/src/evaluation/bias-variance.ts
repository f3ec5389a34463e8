/**
 * Bias–variance decomposition by bootstrap, with the semantics of mlxtend's
 * `bias_variance_decomp` (`mlxtend/evaluate/bias_variance_decomp.py`, 0.25).
 */
import { compareCodePoints, encodeLabels, type Label } from '../model-selection/label-encoding.js';
import { randomFrom, type Seed } from '../model-selection/random.js';
import { checkInteger, checkOptionNames, describe } from '../validate.js';
import { checkFunction, checkPredictions, checkRegressionTargets, checkSameLength } from '../ensembles/training-data.js';
import { resolveWorkers, type Workers } from '../parallel/pool.js';
import { runOutputJobs } from './task-jobs.js';
import type { Recipe, RecipeData } from '../recipes/recipe.js';
import { loadRecipeTask } from '../recipes/recipe-task.js';

/** The loss decomposed: 'mse' (squared error, numeric targets) or '0-1' (misclassification, labels). */
export type BiasVarianceLoss = 'mse' | '0-1';

interface BiasVarianceCommonOptions<R> {
  /** Training rows (any type), at least one. */
  XTrain: readonly R[];
  /** Test rows, at least one. */
  XTest: readonly R[];
  /** Bootstrap rounds: an integer ≥ 1. Default 200. */
  rounds?: number;
  /** Seed of the bootstrap draws; a Random is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

/** Squared-error decomposition: numeric targets and predictions. */
export interface BiasVarianceMseOptions<R, M> extends BiasVarianceCommonOptions<R> {
  /** 'mse': decompose the squared error (required for this form; the default is '0-1'). */
  loss: 'mse';
  /** Fits a fresh model on a bootstrap sample of the training rows (`round` from 0). Synchronous. */
  fit: (X: R[], y: Float64Array, round: number) => M;
  /** The model's numeric predictions for the test rows. */
  predict: (model: M, X: R[]) => ArrayLike<number>;
  /** One finite target per training row. */
  yTrain: ArrayLike<number>;
  /** One finite target per test row. */
  yTest: ArrayLike<number>;
}

/** 0-1 loss decomposition: class labels (numbers or strings, one kind). */
export interface BiasVarianceZeroOneOptions<R, M> extends BiasVarianceCommonOptions<R> {
  /** Default '0-1', as mlxtend. */
  loss?: '0-1';
  /** Fits a fresh model on a bootstrap sample of the training rows (`round` from 0). Synchronous. */
  fit: (X: R[], y: Label[], round: number) => M;
  /** The model's predicted labels for the test rows. */
  predict: (model: M, X: R[]) => ArrayLike<Label>;
  /** One label per training row. */
  yTrain: ArrayLike<Label>;
  /** One label per test row. */
  yTest: ArrayLike<Label>;
}

/** The options of {@link biasVariance}: the squared-error form or the 0-1 form, chosen by `loss`. */
export type BiasVarianceOptions<R, M> = BiasVarianceMseOptions<R, M> | BiasVarianceZeroOneOptions<R, M>;

/** What {@link biasVariance} gives: the expected loss, its bias and variance, and every round's predictions (mlxtend's names). */
export interface BiasVarianceResult {
  /** Mean over rounds and test rows of the loss of each round's prediction (mlxtend's `avg_expected_loss`). */
  readonly expectedLoss: number;
  /**
   * mlxtend's `avg_bias`. 'mse': the mean squared bias, mean_j (main_j − y_j)², where main is the
   * mean prediction over rounds. '0-1': the fraction of test rows whose main prediction (the most
   * frequent, ties to the smallest label) is wrong.
   */
  readonly bias: number;
  /**
   * mlxtend's `avg_var`. 'mse': mean over rounds and rows of (prediction − main)² (ddof 0), so
   * expectedLoss = bias + variance up to rounding. '0-1': mean over rows of the fraction of rounds
   * that disagree with the main prediction (expectedLoss ≠ bias + variance in general).
   */
  readonly variance: number;
  /** The main prediction of each test row: mean ('mse') or mode ('0-1'). */
  readonly mainPredictions: Float64Array | Label[];
  /** predictions[r][j]: round r's prediction for test row j. */
  readonly predictions: Float64Array[] | Label[][];
}

/**
 * Decomposes a learning algorithm's test loss into bias and variance: `rounds` times, draw n
 * training rows with replacement (n draws of `Random.integer(n)`, as mlxtend's
 * `rng.choice(n, n, replace=True)`, with other random numbers), fit, and predict the test rows;
 * then compare the predictions with the targets and with their main prediction (see the result).
 *
 * Differences from mlxtend: '0-1' labels may be any numbers or strings (mlxtend needs integers ≥ 0
 * for `bincount`); the mode's tie rule is the same (smallest label). Callbacks are synchronous, as
 * an estimator's fit; the model is fitted anew each round. Nothing passed in is modified.
 *
 * @throws TypeError/RangeError for mismatched lengths, an unknown loss, non-numeric targets for
 *   'mse', mixed label types, or predictions that are NaN or of the wrong length or type (a recipe:
 *   also test-row targets or labels that are not finite)
 */
export function biasVariance(options: BiasVarianceRecipeOptions): Promise<BiasVarianceResult>;
export function biasVariance<R, M>(options: BiasVarianceOptions<R, M>): BiasVarianceResult;
export function biasVariance<R, M>(options: BiasVarianceOptions<R, M> | BiasVarianceRecipeOptions): BiasVarianceResult | Promise<BiasVarianceResult> {
  const owner = 'biasVariance';
  if (options !== null && typeof options === 'object' && (options as { recipe?: unknown }).recipe !== undefined) return biasVarianceOfRecipe(owner, options);
  const given = checkOptionNames(owner, options, ['fit', 'predict', 'XTrain', 'yTrain', 'XTest', 'yTest', 'rounds', 'seed', 'loss']);
  const fit = checkFunction<(X: R[], y: unknown, round: number) => M>(owner, 'fit', given.fit);
  const predict = checkFunction<(model: M, X: R[]) => unknown>(owner, 'predict', given.predict);
  const loss = given.loss ?? '0-1';
  if (loss !== 'mse' && loss !== '0-1') throw new RangeError(`${owner}: loss must be 'mse' or '0-1', got ${describe(loss)}`);
  const XTrain = checkRowArray(owner, 'XTrain', given.XTrain) as readonly R[];
  const XTest = checkRowArray(owner, 'XTest', given.XTest) as readonly R[];
  const nTrain = XTrain.length;
  const nTest = XTest.length;
  const rounds = checkInteger(owner, 'rounds', given.rounds ?? 200, 1);
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);

  let trainTargets: ArrayLike<number> | ArrayLike<Label>;
  let kind: 'number' | 'string' = 'number';
  if (loss === 'mse') {
    trainTargets = checkRegressionTargets(owner, 'yTrain', given.yTrain, nTrain, 'XTrain');
    checkRegressionTargets(owner, 'yTest', given.yTest, nTest, 'XTest');
  } else {
    checkSameLength(owner, 'yTrain', given.yTrain, nTrain, 'XTrain');
    checkSameLength(owner, 'yTest', given.yTest, nTest, 'XTest');
    // encodeLabels rejects mixed types, NaN and non-labels; both sets must be of one kind.
    const trainKind = typeof encodeLabels(owner, 'yTrain', given.yTrain, { order: 'sorted' }).classes[0];
    const testKind = typeof encodeLabels(owner, 'yTest', given.yTest, { order: 'sorted' }).classes[0];
    if (trainKind !== testKind) throw new TypeError(`${owner}: yTrain holds ${trainKind}s but yTest holds ${testKind}s`);
    kind = trainKind as 'number' | 'string';
    trainTargets = Array.from(given.yTrain as ArrayLike<Label>);
  }
  const yTest = Array.from(given.yTest as ArrayLike<Label>);
  const testRows = XTest.slice();

  const predictions: (Float64Array | Label[])[] = [];
  const indices = new Uint32Array(nTrain);
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < nTrain; j++) indices[j] = rng.integer(nTrain);
    const rows = Array.from(indices, (i) => XTrain[i]);
    const targets = loss === 'mse' ? Float64Array.from(indices, (i) => (trainTargets as Float64Array)[i]) : Array.from(indices, (i) => trainTargets[i] as Label);
    const model = fit(rows, targets, r);
    const predicted = checkPredictions(owner, 'predict', predict(model, testRows), nTest);
    predictions.push(loss === 'mse' ? numbersOf(owner, predicted) : labelsOf(owner, predicted, kind));
  }
  return decompose(loss, predictions, yTest, kind);
}

/** mlxtend's decomposition of the rounds' predictions (see {@link BiasVarianceResult}). */
function decompose(loss: BiasVarianceLoss, predictions: (Float64Array | Label[])[], yTest: Label[], kind: 'number' | 'string'): BiasVarianceResult {
  const rounds = predictions.length;
  const nTest = yTest.length;
  if (loss === 'mse') {
    const y = yTest as number[];
    const all = predictions as Float64Array[];
    const main = new Float64Array(nTest);
    for (const p of all) for (let j = 0; j < nTest; j++) main[j] += p[j];
    for (let j = 0; j < nTest; j++) main[j] /= rounds;
    let expectedLoss = 0;
    let variance = 0;
    for (const p of all) {
      let roundLoss = 0;
      for (let j = 0; j < nTest; j++) {
        roundLoss += (p[j] - y[j]) ** 2;
        variance += (main[j] - p[j]) ** 2;
      }
      expectedLoss += roundLoss / nTest;
    }
    let bias = 0;
    for (let j = 0; j < nTest; j++) bias += (main[j] - y[j]) ** 2;
    return { expectedLoss: expectedLoss / rounds, bias: bias / nTest, variance: variance / (rounds * nTest), mainPredictions: main, predictions: all };
  }

  const all = predictions as Label[][];
  const main = new Array<Label>(nTest);
  const smaller = kind === 'number' ? (a: Label, b: Label) => (a as number) < (b as number) : (a: Label, b: Label) => compareCodePoints(a as string, b as string) < 0;
  for (let j = 0; j < nTest; j++) {
    const counts = new Map<Label, number>();
    for (const p of all) counts.set(p[j], (counts.get(p[j]) ?? 0) + 1);
    let best: Label = all[0][j];
    let bestCount = 0;
    for (const [label, count] of counts) {
      if (count > bestCount || (count === bestCount && smaller(label, best))) {
        best = label;
        bestCount = count;
      }
    }
    main[j] = best;
  }
  let expectedLoss = 0;
  let variance = 0;
  for (const p of all) {
    let wrong = 0;
    for (let j = 0; j < nTest; j++) {
      if (p[j] !== yTest[j]) wrong++;
      if (p[j] !== main[j]) variance++;
    }
    expectedLoss += wrong / nTest;
  }
  let bias = 0;
  for (let j = 0; j < nTest; j++) if (main[j] !== yTest[j]) bias++;
  return { expectedLoss: expectedLoss / rounds, bias: bias / nTest, variance: variance / rounds / nTest, mainPredictions: main, predictions: all };
}

function checkRowArray(owner: string, name: string, X: unknown): readonly unknown[] {
  if (!Array.isArray(X)) throw new TypeError(`${owner}: ${name} must be an array of rows, got ${describe(X)}`);
  if (X.length === 0) throw new RangeError(`${owner}: ${name} must not be empty, got an empty array`);
  return X;
}

function numbersOf(owner: string, values: ArrayLike<unknown>): Float64Array {
  return Float64Array.from({ length: values.length }, (_, j) => {
    const v = values[j];
    if (typeof v !== 'number') throw new TypeError(`${owner}: predict must return numbers for loss 'mse', got ${describe(v)} at index ${j}`);
    // A NaN would make every figure NaN; scikit-learn's mean_squared_error refuses it too.
    if (Number.isNaN(v)) throw new RangeError(`${owner}: predict returned NaN at index ${j}`);
    return v;
  });
}

function labelsOf(owner: string, values: ArrayLike<unknown>, kind: 'number' | 'string'): Label[] {
  return Array.from({ length: values.length }, (_, j) => {
    const v = values[j];
    if (typeof v !== kind) throw new TypeError(`${owner}: predict must return ${kind} labels like yTrain, got ${describe(v)} at index ${j}`);
    if (kind === 'number' && Number.isNaN(v)) throw new RangeError(`${owner}: predict returned NaN at index ${j}`);
    return v as Label;
  });
}

/**
 * biasVariance of a recipe (one of gradstep's models as data, see {@link Recipe}): each round trains
 * the recipe on a bootstrap sample of `trainRows` and predicts `testRows`, on `workers` threads.
 */
export interface BiasVarianceRecipeOptions {
  /** The model, optimizer and training as data (see {@link Recipe}): trained afresh on each round's sample, then predicting testRows. */
  recipe: Recipe;
  /** X row-major (rows × features), y one target per row (class indices for classifiers). */
  data: RecipeData;
  /** The rows the bootstrap samples are drawn from. */
  trainRows: Uint32Array;
  /** The rows predicted every round, scored against their targets. */
  testRows: Uint32Array;
  /** 'mse' (numeric predictions) or '0-1' (class labels). Default '0-1', as mlxtend. */
  loss?: BiasVarianceLoss;
  /** Bootstrap rounds: an integer ≥ 1. Default 200. */
  rounds?: number;
  /** Seed of the bootstrap draws (the draws of the callback form). Default: a fresh random seed. */
  seed?: Seed;
  /** 1 (default: in the calling thread), n threads, 'auto' or a pool. The same bits whatever the count. */
  workers?: Workers;
}

/**
 * The recipe form: the same bootstrap draws as the callback form (n draws of `Random.integer(n)` per
 * round, in round order), each round a job of the pool (fit on the drawn rows, predict the test rows),
 * the predictions placed by round, then the same decomposition.
 */
async function biasVarianceOfRecipe(owner: string, options: unknown): Promise<BiasVarianceResult> {
  const given = checkOptionNames(owner, options, ['recipe', 'data', 'trainRows', 'testRows', 'loss', 'rounds', 'seed', 'workers']);
  const loss = given.loss ?? '0-1';
  if (loss !== 'mse' && loss !== '0-1') throw new RangeError(`${owner}: loss must be 'mse' or '0-1', got ${describe(loss)}`);
  const workers = await resolveWorkers(owner, given.workers);
  const task = loadRecipeTask(owner, given.recipe, given.data, workers, ['predict']);
  const { y } = task.data as RecipeData;
  const trainRows = checkRowIndices(owner, 'trainRows', given.trainRows, y.length);
  const testRows = checkRowIndices(owner, 'testRows', given.testRows, y.length);
  const rounds = checkInteger(owner, 'rounds', given.rounds ?? 200, 1);
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const nTrain = trainRows.length;
  const folds = Array.from({ length: rounds }, () => ({ train: trainRows.map(() => trainRows[rng.integer(nTrain)]), test: testRows }));
  const yTest = Array.from(testRows, (row) => y[row]);
  // Targets or class labels, the test rows' must be finite: a NaN label would count as an error in
  // every round (the callback form's labels are refused the same way).
  checkRegressionTargets(owner, 'data.y (test rows)', yTest, testRows.length, 'testRows');
  const outputs = await runOutputJobs(owner, task, workers, folds, folds.map(() => ({})), (r) => `round ${r}`);
  const predictions = outputs.map((output) => {
    const predicted = checkPredictions(owner, 'predict', output as ArrayLike<unknown>, testRows.length);
    return loss === 'mse' ? numbersOf(owner, predicted) : labelsOf(owner, predicted, 'number');
  });
  return decompose(loss, predictions, yTest, 'number');
}

function checkRowIndices(owner: string, name: string, rows: unknown, n: number): Uint32Array {
  if (!(rows instanceof Uint32Array)) throw new TypeError(`${owner}: ${name} must be a Uint32Array of row indices, got ${describe(rows)}`);
  if (rows.length === 0) throw new RangeError(`${owner}: ${name} must not be empty`);
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] >= n) throw new RangeError(`${owner}: ${name}[${i}] is row ${rows[i]}, but data has ${n} rows`);
  }
  return rows;
}
