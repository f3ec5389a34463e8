/**
 * Gradient boosting for regression with the squared loss (Friedman 2001, "Greedy Function
 * Approximation"; stochastic: Friedman 2002), as scikit-learn's `GradientBoostingRegressor(loss=
 * "squared_error")`: each stage fits a regression tree to the residuals and adds it, shrunk by the
 * learning rate.
 */
import { randomFrom, type Seed } from '../model-selection/random.js';
import { checkInteger, checkNumber, checkOptionNames } from '../validate.js';
import { DecisionTreeRegressor, resolveTreeOptions } from './decision-tree.js';
import { checkFeatureRows, checkRegressionTargets, checkSampleWeights, type FeatureRows } from './training-data.js';

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
  /** Seed of the row sampling (used only when subsample < 1); a Random is advanced. Default: a fresh random seed. */
  seed?: Seed;
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
  const given = checkOptionNames(owner, options, [
    'X', 'y', 'sampleWeight', 'nEstimators', 'learningRate', 'subsample', 'maxDepth', 'minSamplesSplit', 'minSamplesLeaf', 'seed',
  ]);
  const X = given.X as FeatureRows;
  const features = checkFeatureRows(owner, 'X', X);
  const n = X.length;
  const y = checkRegressionTargets(owner, 'y', given.y, n);
  const sampleWeight = checkSampleWeights(owner, given.sampleWeight, n);
  const nEstimators = checkInteger(owner, 'nEstimators', given.nEstimators ?? 100, 1);
  const learningRate = checkNumber(owner, 'learningRate', given.learningRate ?? 0.1, { min: 0 });
  const subsample = checkNumber(owner, 'subsample', given.subsample ?? 1, { min: 0, minExclusive: true, max: 1 });
  const treeOptions = resolveTreeOptions(owner, {
    maxDepth: given.maxDepth ?? 3,
    minSamplesSplit: given.minSamplesSplit ?? 2,
    minSamplesLeaf: given.minSamplesLeaf ?? 1,
  });
  const sampling = subsample < 1;
  // The seed is checked even when nothing is drawn (as the splitters do), so a typo does not pass silently.
  const seeded = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const rng = sampling ? seeded : undefined;
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
  const trainLoss = new Float64Array(nEstimators);
  const oobLoss = sampling ? new Float64Array(nEstimators) : undefined;

  for (let m = 0; m < nEstimators; m++) {
    if (rng) selectionSample(rng, n, inBagCount, inBag);
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
    trainLoss[m] = weightedMse(y, F, sampleWeight, inBag, 1);
    if (oobLoss) oobLoss[m] = weightedMse(y, F, sampleWeight, inBag, 0);
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
    trainLoss,
    oobLoss,
    predict: (rows) => staged(rows),
    stagedPredict: (rows) => {
      const stages: Float64Array[] = [];
      staged(rows, (F) => stages.push(F.slice()));
      return stages;
    },
  };
}

/** Knuth's Algorithm S, as scikit-learn's `_random_sample_mask`: exactly `count` of n rows, marked 1 in `mask`. */
function selectionSample(rng: { nextFloat(): number }, n: number, count: number, mask: Uint8Array): void {
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
