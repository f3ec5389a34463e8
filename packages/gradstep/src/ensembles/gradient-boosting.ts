/**
 * Gradient boosting for regression with the squared loss (Friedman 2001, "Greedy Function
 * Approximation"; stochastic: Friedman 2002), as scikit-learn's `GradientBoostingRegressor(loss=
 * "squared_error")`: each stage fits a regression tree to the residuals and adds it, shrunk by the
 * learning rate.
 */
import { randomFrom, type Random, type Seed } from '../model-selection/random.js';
import { trainTestSplit } from '../model-selection/train-test-split.js';
import { checkInteger, checkNumber, checkOptionNames, describe } from '../validate.js';
import type { Label } from './class-labels.js';
import { DecisionTreeRegressor, resolveTreeOptions } from './decision-tree.js';
import { featureImportances, type MaxFeatures, type TreeStructure } from './tree-growth.js';
import { checkFeatureRows, checkRegressionTargets, checkSampleWeights, rowsAt, type FeatureRows } from './training-data.js';

/** Options of {@link gradientBoosting}: the data, the stages, and each tree's options. */
export interface GradientBoostingOptions {
  /** Rows of features, at least one. */
  X: FeatureRows;
  /** One finite target per row. */
  y: ArrayLike<number>;
  /** Weight per row (finite, ≥ 0, positive sum); default all 1. */
  sampleWeight?: ArrayLike<number>;
  /** Number of boosting stages (trees): an integer ≥ 1. Default 100. */
  nEstimators?: number;
  /** Shrinkage ν of every tree: a finite number ≥ 0 (0 is allowed, as in scikit-learn). Default 0.1. */
  learningRate?: number;
  /** Fraction of the rows each tree is fitted on, drawn without replacement: in (0, 1]. Default 1 (no sampling). */
  subsample?: number;
  /** Depth of the trees: an integer ≥ 1 or Infinity. Default 3. */
  maxDepth?: number;
  /** Default 2. */
  minSamplesSplit?: number;
  /** Default 1. */
  minSamplesLeaf?: number;
  /** Features tried per node (see DecisionTreeOptions.maxFeatures). Default 'all'. */
  maxFeatures?: MaxFeatures;
  /** Best-first trees of at most this many leaves (then maxDepth still applies, as scikit-learn). Default Infinity. */
  maxLeafNodes?: number;
  /** A split must lower the weighted impurity by at least this much. Default 0. */
  minImpurityDecrease?: number;
  /**
   * Early stopping: stop when the loss on the validation rows has not improved by more than `tol`
   * on any of the last nIterNoChange stages (an integer ≥ 1). Default undefined (no early stopping).
   */
  nIterNoChange?: number;
  /** With nIterNoChange: the fraction of the rows held out for validation, in (0, 1). Default 0.1. */
  validationFraction?: number;
  /** With nIterNoChange: the improvement that counts, a number ≥ 0. Default 1e-4. */
  tol?: number;
  /** Seed of the validation split, the row sampling and the feature draws; a Random is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

/** The option names both gradient boosting estimators share. */
export const BOOSTING_OPTION_NAMES = [
  'X', 'y', 'sampleWeight', 'nEstimators', 'learningRate', 'subsample', 'maxDepth', 'minSamplesSplit', 'minSamplesLeaf',
  'maxFeatures', 'maxLeafNodes', 'minImpurityDecrease', 'nIterNoChange', 'validationFraction', 'tol', 'seed',
];

/** The boosting options both estimators share, checked, and the split into training and validation rows. */
export interface BoostingSetup {
  nEstimators: number;
  learningRate: number;
  subsample: number;
  treeOptions: ReturnType<typeof resolveTreeOptions>;
  rng: Random;
  /** The rows the trees are fitted on (all rows without early stopping). */
  train: Uint32Array;
  /** Validation rows (early stopping only). */
  validation?: Uint32Array;
  nIterNoChange?: number;
  tol: number;
}

/**
 * Checks the shared options; with nIterNoChange, splits off `validationFraction` of the rows as
 * scikit-learn's `train_test_split(test_size=validation_fraction)` (stratified by `stratify` for
 * classification), drawn first from the seed's generator.
 */
export function setUpBoosting(owner: string, given: Record<string, unknown>, n: number, stratify?: readonly Label[]): BoostingSetup {
  const nEstimators = checkInteger(owner, 'nEstimators', given.nEstimators ?? 100, 1);
  const learningRate = checkNumber(owner, 'learningRate', given.learningRate ?? 0.1, { min: 0 });
  const subsample = checkNumber(owner, 'subsample', given.subsample ?? 1, { min: 0, minExclusive: true, max: 1 });
  const treeOptions = resolveTreeOptions(owner, {
    maxDepth: given.maxDepth ?? 3,
    minSamplesSplit: given.minSamplesSplit ?? 2,
    minSamplesLeaf: given.minSamplesLeaf ?? 1,
    maxFeatures: given.maxFeatures ?? 'all',
    maxLeafNodes: given.maxLeafNodes ?? Infinity,
    minImpurityDecrease: given.minImpurityDecrease ?? 0,
  });
  // The seed is checked even when nothing is drawn (as the splitters do), so a typo does not pass silently.
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const tol = checkNumber(owner, 'tol', given.tol ?? 1e-4, { min: 0 });
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  if (given.nIterNoChange === undefined) {
    if (given.validationFraction !== undefined) {
      throw new TypeError(`${owner}: validationFraction is used only with nIterNoChange (early stopping); got validationFraction ${describe(given.validationFraction)} without it`);
    }
    return { nEstimators, learningRate, subsample, treeOptions, rng, train: all, tol };
  }
  const nIterNoChange = checkInteger(owner, 'nIterNoChange', given.nIterNoChange, 1);
  const fraction = given.validationFraction ?? 0.1;
  if (typeof fraction !== 'number') throw new TypeError(`${owner}: validationFraction must be a number in (0, 1), got ${describe(fraction)}`);
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(`${owner}: nIterNoChange needs validation rows: validationFraction must be in (0, 1), got ${describe(fraction)}`);
  }
  if (n < 2) throw new RangeError(`${owner}: nIterNoChange needs validation rows, and ${n} row cannot be split into training and validation rows`);
  const split = trainTestSplit(n, { testSize: fraction, seed: rng, ...(stratify ? { stratify: stratify as never } : {}) });
  if (split.test.length === 0 || split.train.length === 0) {
    throw new RangeError(`${owner}: nIterNoChange needs validation rows: validationFraction ${fraction} of ${n} rows leaves ${split.test.length} for validation and ${split.train.length} for training`);
  }
  return { nEstimators, learningRate, subsample, treeOptions, rng, train: split.train, validation: split.test, nIterNoChange, tol };
}

/**
 * scikit-learn's early stopping rule: a stage's validation loss counts as progress when it is below
 * one of the last nIterNoChange losses by more than tol; the first stage that makes no progress is
 * the last one kept.
 */
export class EarlyStopping {
  private readonly history: Float64Array;
  private stage = 0;

  constructor(nIterNoChange: number, private readonly tol: number) {
    this.history = new Float64Array(nIterNoChange).fill(Infinity);
  }

  /** Records the validation loss of the next stage; false when boosting must stop (after it). */
  progress(loss: number): boolean {
    const improved = this.history.some((previous) => loss + this.tol < previous);
    if (improved) this.history[this.stage % this.history.length] = loss;
    this.stage++;
    return improved;
  }
}

/** A fitted gradient boosting regressor: F(x) = init + learningRate · Σ trees' predictions. */
export interface GradientBoostingRegressor {
  /** F0, the (weighted) mean of y. */
  readonly init: number;
  /** The shrinkage ν applied to every tree's prediction. */
  readonly learningRate: number;
  /** The fitted trees, one per stage, each predicting the residuals of the previous stages. */
  readonly trees: readonly DecisionTreeRegressor[];
  /**
   * Training loss after each stage: the weighted mean squared error over the in-bag rows of that
   * stage (all rows when subsample = 1), scikit-learn's `train_score_`.
   */
  readonly trainLoss: Float64Array;
  /** With subsample < 1: the weighted MSE of the out-of-bag rows after each stage (`oob_scores_`); otherwise undefined. */
  readonly oobLoss?: Float64Array;
  /** With early stopping: the weighted MSE of the validation rows after each stage kept; otherwise undefined. */
  readonly validationLoss?: Float64Array;
  /** The rows held out for early stopping (ascending order not guaranteed); undefined without it. */
  readonly validationRows?: Uint32Array;
  /** Impurity-based feature importances: the mean of the trees' (normalised) importances, normalised again, as scikit-learn. */
  readonly featureImportances: Float64Array;
  /** F0 + ν·Σ tree(x) for each row. */
  predict(X: FeatureRows): Float64Array;
  /** Predictions after each stage: element m = F0 + ν·Σ of the first m + 1 trees. */
  stagedPredict(X: FeatureRows): Float64Array[];
}

/**
 * Fits least-squares gradient boosting: F0 = weighted mean of y; for each stage m, the negative
 * gradient of ½(y − F)² is the residual r = y − F; a regression tree (criterion Friedman MSE, as
 * scikit-learn's default) is fitted to r; then F ← F + ν·tree(x) on every row. No leaf re-estimation
 * is needed for the squared loss, as in scikit-learn.
 *
 * With subsample < 1 (stochastic gradient boosting), each stage picks max(1, ⌊subsample·n⌋) rows
 * without replacement by selection sampling (Knuth's Algorithm S, scikit-learn's
 * `_random_sample_mask`): n draws u_i = `rng.nextFloat()`, and row i is picked when
 * u_i·(n − i) < (rows still to pick). The others get weight 0 for that tree (not removed: they are
 * still updated and scored out of bag).
 *
 * With subsample = 1 nothing is random and the stages equal scikit-learn's (same trees, hence the
 * same staged training MSE) wherever no two features tie for the best split (see DecisionTreeRegressor).
 *
 * @throws TypeError/RangeError for bad input, naming the argument and the value
 */
export function gradientBoosting(options: GradientBoostingOptions): GradientBoostingRegressor {
  const owner = 'gradientBoosting';
  const given = checkOptionNames(owner, options, BOOSTING_OPTION_NAMES);
  const XAll = given.X as FeatureRows;
  const features = checkFeatureRows(owner, 'X', XAll);
  const yAll = checkRegressionTargets(owner, 'y', given.y, XAll.length);
  const weightAll = checkSampleWeights(owner, given.sampleWeight, XAll.length);
  const setup = setUpBoosting(owner, given, XAll.length);
  const { nEstimators, learningRate, subsample, rng } = setup;
  const treeOptions = { ...setup.treeOptions, seed: rng };
  const X = setup.validation ? rowsAt(XAll, setup.train) : XAll;
  const y = setup.validation ? Float64Array.from(setup.train, (i) => yAll[i]) : yAll;
  const sampleWeight = setup.validation ? Float64Array.from(setup.train, (i) => weightAll[i]) : weightAll;
  const n = X.length;
  const sampling = subsample < 1;
  const inBagCount = Math.max(1, Math.floor(subsample * n));

  let weightedSum = 0;
  let weightTotal = 0;
  for (let i = 0; i < n; i++) {
    weightedSum += sampleWeight[i] * y[i];
    weightTotal += sampleWeight[i];
  }
  const init = weightedSum / weightTotal;
  const F = new Float64Array(n).fill(init);
  const residuals = new Float64Array(n);
  const treeWeights = new Float64Array(n);
  const inBag = new Uint8Array(n).fill(1);
  const trees: DecisionTreeRegressor[] = [];
  const trainLoss: number[] = [];
  const oobLoss: number[] = [];
  const validationLoss: number[] = [];
  const validation = setup.validation && {
    X: rowsAt(XAll, setup.validation),
    y: Float64Array.from(setup.validation, (i) => yAll[i]),
    w: Float64Array.from(setup.validation, (i) => weightAll[i]),
    F: new Float64Array(setup.validation.length).fill(init),
    stopping: new EarlyStopping(setup.nIterNoChange!, setup.tol),
  };

  for (let m = 0; m < nEstimators; m++) {
    if (sampling) selectionSample(rng, n, inBagCount, inBag);
    for (let i = 0; i < n; i++) {
      residuals[i] = y[i] - F[i];
      treeWeights[i] = inBag[i] ? sampleWeight[i] : 0;
    }
    // A fit with only zero weights is impossible; every in-bag row could have weight 0.
    if (!treeWeights.some((w) => w > 0)) {
      throw new RangeError(`${owner}: the rows sampled at stage ${m} all have sampleWeight 0; raise subsample or the weights`);
    }
    const tree = new DecisionTreeRegressor(treeOptions, 'friedman_mse').fit(X, residuals, treeWeights);
    trees.push(tree);
    const update = tree.predict(X);
    for (let i = 0; i < n; i++) F[i] += learningRate * update[i];
    trainLoss.push(weightedMse(y, F, sampleWeight, inBag, 1));
    if (sampling) oobLoss.push(weightedMse(y, F, sampleWeight, inBag, 0));
    if (validation) {
      const change = tree.predict(validation.X);
      for (let i = 0; i < change.length; i++) validation.F[i] += learningRate * change[i];
      const loss = weightedMse(validation.y, validation.F, validation.w, new Uint8Array(change.length).fill(1), 1);
      validationLoss.push(loss);
      if (!validation.stopping.progress(loss)) break;
    }
  }

  const staged = (rows: FeatureRows, onStage?: (F: Float64Array) => void): Float64Array => {
    checkFeatureRows(`${owner}: predict`, 'X', rows, features);
    const result = new Float64Array(rows.length).fill(init);
    for (const tree of trees) {
      const update = tree.predict(rows);
      for (let i = 0; i < rows.length; i++) result[i] += learningRate * update[i];
      onStage?.(result);
    }
    return result;
  };
  return {
    init,
    learningRate,
    trees,
    trainLoss: Float64Array.from(trainLoss),
    oobLoss: sampling ? Float64Array.from(oobLoss) : undefined,
    validationLoss: validation ? Float64Array.from(validationLoss) : undefined,
    validationRows: setup.validation,
    featureImportances: meanImportances(trees.map((tree) => tree.tree), features),
    predict: (rows) => staged(rows),
    stagedPredict: (rows) => {
      const stages: Float64Array[] = [];
      staged(rows, (F) => stages.push(F.slice()));
      return stages;
    },
  };
}

/**
 * The mean of the trees' unnormalised importances over the trees that split, normalised to sum 1, as
 * scikit-learn's boosting (all 0 when no tree splits).
 */
export function meanImportances(trees: readonly TreeStructure[], features: number): Float64Array {
  const total = new Float64Array(features);
  let count = 0;
  for (const tree of trees) {
    if (tree.feature.length <= 1) continue;
    const importances = featureImportances(tree, features, false);
    for (let f = 0; f < features; f++) total[f] += importances[f];
    count++;
  }
  if (count === 0) return total;
  let sum = 0;
  for (let f = 0; f < features; f++) sum += total[f] / count;
  for (let f = 0; f < features; f++) total[f] = total[f] / count / sum;
  return total;
}

/** Knuth's Algorithm S, as scikit-learn's `_random_sample_mask`: exactly `count` of n rows, marked 1 in `mask`. */
export function selectionSample(rng: { nextFloat(): number }, n: number, count: number, mask: Uint8Array): void {
  let picked = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.nextFloat();
    if (u * (n - i) < count - picked) {
      mask[i] = 1;
      picked++;
    } else {
      mask[i] = 0;
    }
  }
}

/** Σ w·(y − F)² / Σ w over the rows where mask = `which` (NaN when there are none). */
function weightedMse(y: Float64Array, F: Float64Array, w: Float64Array, mask: Uint8Array, which: number): number {
  let loss = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    if (mask[i] !== which) continue;
    const r = y[i] - F[i];
    loss += w[i] * r * r;
    total += w[i];
  }
  return loss / total;
}
