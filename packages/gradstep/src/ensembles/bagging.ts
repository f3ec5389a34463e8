/**
 * Bootstrap aggregating (Breiman 1996, "Bagging Predictors") for any model, through fit and predict
 * callbacks, with out-of-bag estimates and per-sample spread across members, after scikit-learn's
 * `BaggingRegressor`/`BaggingClassifier` (all features, no feature sampling).
 */
import { Random, randomFrom, type Seed } from '../model-selection/random.js';
import { warn } from '../model-selection/warnings.js';
import { checkBoolean, checkInteger, checkOptionNames, describe } from '../validate.js';
import { argmax, ClassLookup, encodeClassLabels, type Label } from './class-labels.js';
import { resolveSampleCount } from './ensemble-options.js';
import { checkFunction, checkPredictions, checkRegressionTargets, numericPredictions } from './training-data.js';
import type { DenseNetwork } from '../models/dense-network.js';
import { baggingOfRecipe, type BaggingRecipeOptions } from './bagging-recipe.js';

/** What each member's `fit` is told besides its rows. */
export interface BaggingMemberInfo {
  /** The member's number, from 0. */
  readonly member: number;
  /** The indices of the rows it is fitted on, in draw order (with repetitions under bootstrap). */
  readonly indices: Uint32Array;
  /** A seed for the member's own randomness (say a tree's feature order): an integer in [0, 2^32). */
  readonly seed: number;
  /** Classification only: all classes of y, ascending, the column order `predictProba` must use. */
  readonly classes?: readonly Label[];
}

interface BaggingCommonOptions<R, M> {
  /** The rows (any type: feature arrays, images, strings, …), at least one; read, never modified. */
  X: readonly R[];
  /** Fits one member on the drawn rows `X` with their targets `y`. */
  fit: (X: R[], y: never, info: BaggingMemberInfo) => M;
  /** Number of members: an integer ≥ 1. Default 10. */
  estimators?: number;
  /** Rows per member: a fraction in (0, 1] of n, truncated as int(fraction·n), or an integer count > 1. Default 1 (n rows). */
  maxSamples?: number;
  /** Draw rows with replacement (true, default) or without. */
  bootstrap?: boolean;
  /** Compute out-of-bag predictions and score; default true with bootstrap, and only allowed with it. */
  outOfBag?: boolean;
  /** Seed of all draws; a Random is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

/** Options of {@link bagging} for regression: numeric targets, members averaged. */
export interface BaggingRegressionOptions<R, M> extends Omit<BaggingCommonOptions<R, M>, 'fit'> {
  /** 'regression': members predict numbers, the ensemble averages them. */
  task: 'regression';
  /** One finite target per row. */
  y: ArrayLike<number>;
  /** Fits one member on the drawn rows `X` with their targets `y`. */
  fit: (X: R[], y: Float64Array, info: BaggingMemberInfo) => M;
  /** The member's numeric predictions, one per row. */
  predict: (model: M, X: R[]) => ArrayLike<number>;
}

/** Options of {@link bagging} for classification: labels, members voting (soft with predictProba). */
export interface BaggingClassificationOptions<R, M> extends Omit<BaggingCommonOptions<R, M>, 'fit'> {
  /** 'classification': members predict labels, the ensemble votes. */
  task: 'classification';
  /** One label per row: numbers or strings, not mixed. */
  y: ArrayLike<Label>;
  /** Fits one member on the drawn rows `X` with their labels `y` (every class is in `info.classes`). */
  fit: (X: R[], y: Label[], info: BaggingMemberInfo) => M;
  /** The member's predicted labels, one per row (used for hard voting when predictProba is absent). */
  predict: (model: M, X: R[]) => ArrayLike<Label>;
  /** When given: per row, the probability of each class in the order of `info.classes` (soft voting). */
  predictProba?: (model: M, X: R[]) => ArrayLike<ArrayLike<number>>;
}

interface BaggingCommon<M> {
  /** The fitted members, in order. */
  readonly members: readonly M[];
  /** The rows of each member, in draw order. */
  readonly samples: readonly Uint32Array[];
  /** The rows each member never saw, ascending (empty without bootstrap when maxSamples = n). */
  readonly outOfBag: readonly Uint32Array[];
  /** The seed given to each member's fit (`info.seed`). */
  readonly memberSeeds: Uint32Array;
  /** How many members had each row out of bag (undefined without out-of-bag estimates). */
  readonly outOfBagCounts?: Uint32Array;
}

/** A fitted bagging regressor ({@link bagging} with task 'regression'): its members and out-of-bag estimates. */
export interface BaggingRegressor<R, M> extends BaggingCommon<M> {
  /** 'regression'. */
  readonly task: 'regression';
  /**
   * Per training row, the mean prediction of the members that did not see it; NaN for a row in
   * every member's sample (scikit-learn's regressor reports 0 there).
   */
  readonly oobPrediction?: Float64Array;
  /** R² of `oobPrediction` over the rows that have one (NaN if none). */
  readonly oobScore?: number;
  /** The mean of the members' predictions. */
  predict(X: readonly R[]): Float64Array;
  /** The mean and the spread (population standard deviation) of the members' predictions, per row. */
  predictWithUncertainty(X: readonly R[]): {
    /** Per row, the mean of the members' predictions (as predict). */
    mean: Float64Array;
    /** Per row, the population standard deviation of the members' predictions. */
    std: Float64Array;
  };
}

/** A fitted bagging classifier ({@link bagging} with task 'classification'): its members, votes and out-of-bag estimates. */
export interface BaggingClassifier<R, M> extends BaggingCommon<M> {
  /** 'classification'. */
  readonly task: 'classification';
  /** The classes of y, ascending. */
  readonly classes: readonly Label[];
  /** 'soft' (mean of predictProba) when predictProba was given, else 'hard' (majority vote). */
  readonly voting: 'soft' | 'hard';
  /**
   * Per training row, the class fractions (mean probability or vote share) over the members that
   * did not see it; a row of NaN for a row in every member's sample (scikit-learn's
   * `oob_decision_function_`).
   */
  readonly oobDecision?: Float64Array[];
  /**
   * Accuracy of the out-of-bag majority over the rows that have one (NaN if none). scikit-learn
   * counts the rows without one as predicted class 0; we leave them out.
   */
  readonly oobScore?: number;
  /** The class with the largest mean probability (soft) or most votes (hard); ties go to the smallest label. */
  predict(X: readonly R[]): Label[];
  /** Per row, the mean class probabilities (soft) or the vote shares (hard), in the order of `classes`. */
  predictProba(X: readonly R[]): Float64Array[];
  /**
   * Per row, the mean class probabilities and their spread across members (population standard
   * deviation of each class's probability, or of the one-hot vote under hard voting).
   */
  predictWithUncertainty(X: readonly R[]): {
    /** Per row, the mean class probabilities (as predictProba), in the order of `classes`. */
    proba: Float64Array[];
    /** Per row, each class's population standard deviation across members. */
    std: Float64Array[];
  };
}

/**
 * Fits `estimators` members, each on rows drawn from X, and aggregates them: the mean for
 * regression; for classification the mean of `predictProba` (soft voting) when given, else a
 * majority vote (hard voting), ties to the smallest label as NumPy's argmax.
 *
 * **Draws.** A generator is made from `seed` (`new Random(seed)`, or the given Random). First it
 * draws one 32-bit seed per member, all at once (`nextUint32()`, as scikit-learn draws
 * `randint(MAX_INT, size=n_estimators)` first). Member i then uses its own `new Random(seeds[i])`:
 * with bootstrap, `maxSamples` draws of `integer(n)`; without, the first `maxSamples` of
 * `permutation(n)`; then one more `nextUint32()` is the `info.seed` given to its fit (a derived seed,
 * as scikit-learn's `_set_random_states`, so the member's randomness is not its sample's). Every
 * member's rows thus depend only on the seed and its number, not on the other members.
 *
 * **Out of bag.** A row is out of bag for a member that never drew it. Its out-of-bag prediction
 * averages those members (probabilities or votes for classification, as scikit-learn); a row no
 * member left out gets NaN and is not scored, with a warning. Scores: accuracy (classification), R²
 * (regression).
 *
 * Callbacks must be synchronous. Nothing passed in is modified: members get fresh arrays.
 *
 * @throws TypeError/RangeError for bad input: X and y of different lengths, mixed label types, a
 *   bad count or fraction, outOfBag without bootstrap, callbacks returning the wrong shapes
 */
export function bagging(options: BaggingRecipeOptions & { task: 'regression' }): Promise<BaggingRegressor<Float32Array, DenseNetwork>>;
export function bagging(options: BaggingRecipeOptions & { task: 'classification' }): Promise<BaggingClassifier<Float32Array, DenseNetwork>>;
export function bagging<R, M>(options: BaggingRegressionOptions<R, M>): BaggingRegressor<R, M>;
export function bagging<R, M>(options: BaggingClassificationOptions<R, M>): BaggingClassifier<R, M>;
export function bagging<R, M>(
  options: BaggingRegressionOptions<R, M> | BaggingClassificationOptions<R, M> | BaggingRecipeOptions,
): BaggingRegressor<R, M> | BaggingClassifier<R, M> | Promise<BaggingRegressor<Float32Array, DenseNetwork> | BaggingClassifier<Float32Array, DenseNetwork>> {
  const owner = 'bagging';
  if (options !== null && typeof options === 'object' && (options as { recipe?: unknown }).recipe !== undefined) return baggingOfRecipe(owner, options);
  const given = checkOptionNames(owner, options, [
    'task', 'X', 'y', 'fit', 'predict', 'predictProba', 'estimators', 'maxSamples', 'bootstrap', 'outOfBag', 'seed',
  ]);
  const task = given.task;
  if (task !== 'regression' && task !== 'classification') {
    throw new TypeError(`${owner}: task must be 'regression' or 'classification', got ${describe(task)}`);
  }
  const X = given.X as readonly R[];
  if (!Array.isArray(X)) throw new TypeError(`${owner}: X must be an array of rows, got ${describe(X)}`);
  if (X.length === 0) throw new RangeError(`${owner}: X must not be empty, got an empty array`);
  const n = X.length;
  const estimators = checkInteger(owner, 'estimators', given.estimators ?? 10, 1);
  const maxSamples = resolveSampleCount(owner, 'maxSamples', given.maxSamples ?? 1, n);
  const useBootstrap = given.bootstrap === undefined ? true : checkBoolean(owner, 'bootstrap', given.bootstrap);
  const outOfBag = given.outOfBag === undefined ? useBootstrap : checkBoolean(owner, 'outOfBag', given.outOfBag);
  if (outOfBag && !useBootstrap) {
    throw new RangeError(`${owner}: out-of-bag estimation is only available with bootstrap: true (got outOfBag: true, bootstrap: false)`);
  }
  checkFunction(owner, 'fit', given.fit);
  checkFunction(owner, 'predict', given.predict);
  if (task === 'regression' && given.predictProba !== undefined) {
    throw new TypeError(`${owner}: predictProba is for task 'classification' only`);
  }
  if (given.predictProba !== undefined) checkFunction(owner, 'predictProba', given.predictProba);

  const { samples, outOfBag: outOfBagRows, memberSeeds } = drawMembers(randomFrom(given.seed as Seed | undefined, `${owner}: seed`), n, estimators, maxSamples, useBootstrap);
  const rowsAt = (indices: ArrayLike<number>): R[] => Array.from({ length: indices.length }, (_, j) => X[indices[j]]);
  const common = { samples, outOfBag: outOfBagRows, memberSeeds };

  if (task === 'regression') {
    const o = options as BaggingRegressionOptions<R, M>;
    const y = checkRegressionTargets(owner, 'y', o.y, n);
    const members = samples.map((indices, member) =>
      o.fit(rowsAt(indices), Float64Array.from(indices, (i) => y[i]), { member, indices: indices.slice(), seed: memberSeeds[member] }),
    );
    const predictMember = (member: number, rows: R[]) => numericPredictions(owner, 'predict', o.predict(members[member], rows), rows.length);
    const memberPredictions = (rows: readonly R[]): Float64Array[] => {
      checkRows(owner, rows);
      const copy = rows.slice();
      return members.map((_, m) => predictMember(m, copy));
    };
    const meanAndStd = (rows: readonly R[]) => columnMeanAndStd(memberPredictions(rows), rows.length);

    let oob: Partial<BaggingRegressor<R, M>> = {};
    if (outOfBag) {
      const sums = new Float64Array(n);
      const counts = new Uint32Array(n);
      outOfBagRows.forEach((rows, member) => {
        if (rows.length === 0) return;
        const predictions = predictMember(member, rowsAt(rows));
        rows.forEach((i, j) => {
          sums[i] += predictions[j];
          counts[i]++;
        });
      });
      const oobPrediction = sums.map((s, i) => (counts[i] > 0 ? s / counts[i] : NaN));
      warnUncovered(owner, counts);
      oob = { outOfBagCounts: counts, oobPrediction, oobScore: rSquared(y, oobPrediction, counts) };
    }
    return {
      task,
      members,
      ...common,
      ...oob,
      predict: (rows) => meanAndStd(rows).mean,
      predictWithUncertainty: meanAndStd,
    };
  }

  const o = options as BaggingClassificationOptions<R, M>;
  const { classes, codes } = encodeClassLabels(owner, 'y', o.y, n);
  const k = classes.length;
  const lookup = new ClassLookup(classes);
  const soft = o.predictProba !== undefined;
  const members = samples.map((indices, member) =>
    o.fit(rowsAt(indices), Array.from(indices, (i) => classes[codes[i]]), {
      member,
      indices: indices.slice(),
      seed: memberSeeds[member],
      classes: classes.slice(),
    }),
  );
  /** A member's class scores for `rows` as n×K: its probabilities, or a one-hot vote. */
  const memberScores = (member: number, rows: R[]): Float64Array => {
    const scores = new Float64Array(rows.length * k);
    if (soft) {
      const proba = checkPredictions(owner, 'predictProba', o.predictProba!(members[member], rows), rows.length);
      for (let i = 0; i < rows.length; i++) {
        const row = proba[i] as ArrayLike<unknown>;
        if (row === null || typeof row !== 'object' || (row as ArrayLike<unknown>).length !== k) {
          throw new RangeError(`${owner}: predictProba must return ${k} probabilities per row (one per class of y), got ${describe(row)} for row ${i}`);
        }
        for (let c = 0; c < k; c++) {
          const p = row[c];
          if (typeof p !== 'number') throw new TypeError(`${owner}: predictProba must return numbers, got ${describe(p)} in row ${i}`);
          scores[i * k + c] = p;
        }
      }
    } else {
      const labels = checkPredictions(owner, 'predict', o.predict(members[member], rows), rows.length);
      for (let i = 0; i < rows.length; i++) scores[i * k + lookup.codeOf(owner, 'the prediction', labels[i], i)] = 1;
    }
    return scores;
  };
  const probaAndStd = (rows: readonly R[]) => {
    checkRows(owner, rows);
    const copy = rows.slice();
    const stats = columnMeanAndStd(members.map((_, m) => memberScores(m, copy)), rows.length * k);
    return {
      proba: copy.map((_, i) => stats.mean.slice(i * k, i * k + k)),
      std: copy.map((_, i) => stats.std.slice(i * k, i * k + k)),
    };
  };

  let oob: Partial<BaggingClassifier<R, M>> = {};
  if (outOfBag) {
    const sums = new Float64Array(n * k);
    const counts = new Uint32Array(n);
    outOfBagRows.forEach((rows, member) => {
      if (rows.length === 0) return;
      const scores = memberScores(member, rowsAt(rows));
      rows.forEach((i, j) => {
        for (let c = 0; c < k; c++) sums[i * k + c] += scores[j * k + c];
        counts[i]++;
      });
    });
    let covered = 0;
    let correct = 0;
    const oobDecision = Array.from({ length: n }, (_, i) => {
      const row = sums.slice(i * k, i * k + k);
      if (counts[i] === 0) return row.fill(NaN);
      covered++;
      if (argmax(row, 0, k) === codes[i]) correct++;
      // Divide by the row's total, as scikit-learn, which is its OOB-member count for probabilities summing to 1.
      const total = row.reduce((s, v) => s + v, 0);
      return row.map((v) => v / total);
    });
    warnUncovered(owner, counts);
    oob = { outOfBagCounts: counts, oobDecision, oobScore: covered > 0 ? correct / covered : NaN };
  }
  return {
    task,
    classes,
    voting: soft ? 'soft' : 'hard',
    members,
    ...common,
    ...oob,
    predict: (rows) => probaAndStd(rows).proba.map((p) => classes[argmax(p, 0, k)]),
    predictProba: (rows) => probaAndStd(rows).proba,
    predictWithUncertainty: probaAndStd,
  };
}

function checkRows(owner: string, rows: unknown): void {
  if (!Array.isArray(rows)) throw new TypeError(`${owner}: X must be an array of rows, got ${describe(rows)}`);
}

/** Elementwise mean and population standard deviation over members (two passes, for accuracy). */
function columnMeanAndStd(values: readonly Float64Array[], length: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(length);
  for (const v of values) for (let j = 0; j < length; j++) mean[j] += v[j];
  for (let j = 0; j < length; j++) mean[j] /= values.length;
  const std = new Float64Array(length);
  for (const v of values) {
    for (let j = 0; j < length; j++) {
      const d = v[j] - mean[j];
      std[j] += d * d;
    }
  }
  for (let j = 0; j < length; j++) std[j] = Math.sqrt(std[j] / values.length);
  return { mean, std };
}

function warnUncovered(owner: string, counts: Uint32Array): void {
  const uncovered = counts.reduce((s, c) => s + (c === 0 ? 1 : 0), 0);
  if (uncovered > 0) {
    warn(
      `${owner}: ${uncovered} of ${counts.length} samples have no out-of-bag prediction (NaN, not scored); too few estimators were used to compute reliable out-of-bag estimates`,
    );
  }
}

/** R² (scikit-learn's `r2_score` with force_finite) over the rows with a positive count. */
function rSquared(y: Float64Array, predicted: Float64Array, counts: Uint32Array): number {
  let count = 0;
  let mean = 0;
  for (let i = 0; i < y.length; i++) if (counts[i] > 0) {
    mean += y[i];
    count++;
  }
  if (count === 0) return NaN;
  mean /= count;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) if (counts[i] > 0) {
    residual += (y[i] - predicted[i]) ** 2;
    total += (y[i] - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

/** The first index whose cumulative weight exceeds `u` (binary search; rows of weight 0 are never chosen). */
function weightedIndex(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Each member's rows, the rows it never drew, and its own seed: the draws described on {@link bagging};
 * with `drawWeights`, bootstrap draws in proportion to them. @internal
 */
export function drawMembers(
  rng: Random,
  n: number,
  estimators: number,
  maxSamples: number,
  useBootstrap: boolean,
  drawWeights?: Float64Array,
): { samples: Uint32Array[]; outOfBag: Uint32Array[]; memberSeeds: Uint32Array } {
  // A weighted bootstrap (the forests' with sample weights, as scikit-learn's choice(p ∝ weight)):
  // each draw is the first row whose cumulative weight exceeds a uniform number times the total.
  const cumulative = drawWeights === undefined ? undefined : new Float64Array(n);
  if (cumulative !== undefined) {
    let sum = 0;
    for (let i = 0; i < n; i++) cumulative[i] = sum += drawWeights![i];
  }
  const drawnSeeds = new Uint32Array(estimators);
  for (let i = 0; i < estimators; i++) drawnSeeds[i] = rng.nextUint32();
  const samples: Uint32Array[] = [];
  const outOfBag: Uint32Array[] = [];
  const memberSeeds = new Uint32Array(estimators);
  for (let member = 0; member < estimators; member++) {
    const memberRng = new Random(drawnSeeds[member]);
    let indices: Uint32Array;
    if (useBootstrap) {
      indices = new Uint32Array(maxSamples);
      if (cumulative === undefined) for (let j = 0; j < maxSamples; j++) indices[j] = memberRng.integer(n);
      else for (let j = 0; j < maxSamples; j++) indices[j] = weightedIndex(cumulative, memberRng.nextFloat() * cumulative[n - 1]);
    } else {
      indices = memberRng.permutation(n).slice(0, maxSamples);
    }
    memberSeeds[member] = memberRng.nextUint32();
    samples.push(indices);
    const drawn = new Uint8Array(n);
    for (const i of indices) drawn[i] = 1;
    const left: number[] = [];
    for (let i = 0; i < n; i++) if (!drawn[i]) left.push(i);
    outOfBag.push(Uint32Array.from(left));
  }
  return { samples, outOfBag, memberSeeds };
}
