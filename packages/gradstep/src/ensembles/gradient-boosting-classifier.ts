/**
 * Gradient boosting for classes with the log loss (Friedman 2001, "Greedy Function Approximation",
 * §4.5–4.6), as scikit-learn's `GradientBoostingClassifier(loss="log_loss")`: binomial deviance with one
 * tree per stage for two classes, multinomial with one tree per class per stage for more.
 */
import { checkOptionNames, describe } from '../validate.js';
import { argmax, encodeClassLabels, type Label } from './class-labels.js';
import { growthOptions } from './decision-tree.js';
import { BOOSTING_OPTION_NAMES, EarlyStopping, meanImportances, selectionSample, setUpBoosting, type GradientBoostingOptions } from './gradient-boosting.js';
import { growTree, leafOf, type TreeStructure } from './tree-growth.js';
import { checkFeatureRows, checkSampleWeights, rowsAt, type FeatureRows } from './training-data.js';

/** Options of {@link gradientBoostingClassifier}: gradientBoosting's, with labels as y. */
export interface GradientBoostingClassifierOptions extends Omit<GradientBoostingOptions, 'y'> {
  /** One label per row: numbers or strings, not mixed; at least two classes. */
  y: ArrayLike<Label>;
}

/**
 * A fitted gradient boosting classifier. Raw scores ("decision values") F are per class for more
 * than two classes and a single log-odds for two (of the second class, as scikit-learn).
 */
export interface GradientBoostingClassifier {
  /** The classes, ascending; the column order of predictProba. */
  readonly classes: readonly Label[];
  /** F0, scikit-learn's prior init: the log-odds of the (weighted) class-1 fraction (2 classes) or log p_k − mean log p (more). */
  readonly init: Float64Array;
  /** The shrinkage ν of every tree. */
  readonly learningRate: number;
  /** The trees, per stage one per raw score (1 for two classes, else one per class), leaf values after the Newton step. */
  readonly trees: readonly (readonly TreeStructure[])[];
  /** The number of stages kept (fewer than nEstimators when early stopping stopped). */
  readonly nEstimators: number;
  /**
   * scikit-learn's `train_score_`: after each stage, the weighted log loss over the in-bag rows
   * (all rows when subsample = 1), times 2 for two classes (the binomial deviance).
   */
  readonly trainLoss: Float64Array;
  /** With subsample < 1: the same loss over the out-of-bag rows after each stage; otherwise undefined. */
  readonly oobLoss?: Float64Array;
  /** With early stopping: the same loss over the validation rows after each stage kept; otherwise undefined. */
  readonly validationLoss?: Float64Array;
  /** The rows held out for early stopping; undefined without it. */
  readonly validationRows?: Uint32Array;
  /** The mean of the trees' unnormalised impurity importances, normalised to sum 1, as scikit-learn. */
  readonly featureImportances: Float64Array;
  /** Per row, the raw scores F: one value for two classes, else one per class. */
  decisionFunction(X: FeatureRows): Float64Array[];
  /** The raw scores after each stage: element m is decisionFunction with the first m + 1 stages. */
  stagedDecisionFunction(X: FeatureRows): Float64Array[][];
  /** Per row, the class probabilities (σ(F) for two classes, softmax(F) for more), in the order of classes. */
  predictProba(X: FeatureRows): Float64Array[];
  /** The probabilities after each stage. */
  stagedPredictProba(X: FeatureRows): Float64Array[][];
  /** The class of largest probability for each row (the smallest label on a tie). */
  predict(X: FeatureRows): Label[];
}

/** float32's epsilon: scikit-learn clips the prior probabilities to [ε, 1 − ε]. */
const FLOAT32_EPSILON = 1.1920928955078125e-7;

const expit = (x: number) => 1 / (1 + Math.exp(-x));

/** Probabilities from raw scores (width 1: binomial; else softmax over the width). */
function probabilities(raw: Float64Array, width: number, out: Float64Array): void {
  if (width === 1) {
    out[0] = expit(raw[0]);
    return;
  }
  let max = -Infinity;
  for (let c = 0; c < width; c++) max = Math.max(max, raw[c]);
  let sum = 0;
  for (let c = 0; c < width; c++) {
    out[c] = Math.exp(raw[c] - max);
    sum += out[c];
  }
  for (let c = 0; c < width; c++) out[c] /= sum;
}

/** The log loss of one row with raw scores `raw` and class `code` (binomial: log(1 + e^F) − y·F). */
function rowLoss(raw: Float64Array, width: number, code: number): number {
  if (width === 1) {
    const f = raw[0];
    const softplus = f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f));
    return softplus - (code === 1 ? f : 0);
  }
  let max = -Infinity;
  for (let c = 0; c < width; c++) max = Math.max(max, raw[c]);
  let sum = 0;
  for (let c = 0; c < width; c++) sum += Math.exp(raw[c] - max);
  return max + Math.log(sum) - raw[code];
}

/**
 * Fits log-loss gradient boosting as scikit-learn's GradientBoostingClassifier:
 *
 * 1. F0 from the prior: with p the weighted class fractions of the training rows clipped to
 *    [ε, 1 − ε] (ε = float32's), F0 = log(p1/(1 − p1)) for two classes, log p_k − mean_j log p_j for more.
 * 2. Each stage: probabilities p from F (σ, or softmax); per raw score k the negative gradient
 *    r = y_k − p_k; a regression tree (squared error, the tree options) is fitted to r with the
 *    sample weights (0 out of the stage's subsample); each leaf's value is replaced by one Newton
 *    step Σw·r / Σw·p(1 − p) over its in-bag rows (times (K − 1)/K for K > 2 classes; 0 when the
 *    denominator is below 1e−150); then F_k ← F_k + ν·tree(x). All K trees of a stage use the
 *    gradient at the stage's start.
 * 3. Early stopping (nIterNoChange): a stratified `validationFraction` of the rows is held out first;
 *    after each stage the validation loss is compared as scikit-learn does (see EarlyStopping).
 *
 * The subsample draws and the feature draws are gradstep's (PCG32), not NumPy's: with subsample 1
 * and all features nothing is random and the stages equal scikit-learn's wherever no two features
 * tie for a split.
 *
 * @throws TypeError/RangeError for bad input, naming the argument and the value: one class, a bad
 *   option, nIterNoChange without validation rows, a validation split that leaves a class out of training
 */
export function gradientBoostingClassifier(options: GradientBoostingClassifierOptions): GradientBoostingClassifier {
  const owner = 'gradientBoostingClassifier';
  const given = checkOptionNames(owner, options, BOOSTING_OPTION_NAMES);
  const XAll = given.X as FeatureRows;
  const features = checkFeatureRows(owner, 'X', XAll);
  const { classes, codes: codesAll } = encodeClassLabels(owner, 'y', given.y, XAll.length);
  if (classes.length < 2) throw new RangeError(`${owner}: y must hold at least two classes, got only ${describe(classes[0])}`);
  const weightAll = checkSampleWeights(owner, given.sampleWeight, XAll.length);
  const setup = setUpBoosting(owner, given, XAll.length, Array.from(codesAll, (c) => classes[c]));
  const { nEstimators, learningRate, subsample, rng } = setup;
  const K = classes.length;
  const width = K === 2 ? 1 : K;

  const train = setup.train;
  const X = setup.validation ? rowsAt(XAll, train) : XAll;
  const codes = setup.validation ? Uint32Array.from(train, (i) => codesAll[i]) : codesAll;
  const sampleWeight = setup.validation ? Float64Array.from(train, (i) => weightAll[i]) : weightAll;
  const n = X.length;
  const growth = growthOptions(owner, setup.treeOptions, n, features);
  const draws = growth.maxFeatures < features ? rng : undefined;

  // The prior, from the training rows.
  const prior = new Float64Array(K);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    prior[codes[i]] += sampleWeight[i];
    totalWeight += sampleWeight[i];
  }
  for (let c = 0; c < K; c++) {
    if (prior[c] === 0) {
      throw new RangeError(`${owner}: class ${describe(classes[c])} has no training row of positive weight${setup.validation ? ' after the validation split (change seed or validationFraction)' : ''}`);
    }
    prior[c] = Math.min(Math.max(prior[c] / totalWeight, FLOAT32_EPSILON), 1 - FLOAT32_EPSILON);
  }
  const init = new Float64Array(width);
  if (width === 1) init[0] = Math.log(prior[1] / (1 - prior[1]));
  else {
    let meanLog = 0;
    for (let c = 0; c < K; c++) meanLog += Math.log(prior[c]);
    meanLog /= K;
    for (let c = 0; c < K; c++) init[c] = Math.log(prior[c]) - meanLog;
  }

  const raw = new Float64Array(n * width);
  for (let i = 0; i < n; i++) raw.set(init, i * width);
  const proba = new Float64Array(n * width);
  const negativeGradient = new Float64Array(n * width);
  const target = new Float64Array(n);
  const treeWeights = new Float64Array(n);
  const inBag = new Uint8Array(n).fill(1);
  const inBagCount = Math.max(1, Math.floor(subsample * n));
  const sampling = subsample < 1;
  const factor = width === 1 ? 2 : 1;
  const stages: TreeStructure[][] = [];
  const trainLoss: number[] = [];
  const oobLoss: number[] = [];
  const validationLoss: number[] = [];
  const validation = setup.validation && {
    X: rowsAt(XAll, setup.validation),
    codes: Uint32Array.from(setup.validation, (i) => codesAll[i]),
    w: Float64Array.from(setup.validation, (i) => weightAll[i]),
    raw: new Float64Array(setup.validation.length * width),
    stopping: new EarlyStopping(setup.nIterNoChange!, setup.tol),
  };
  if (validation) for (let i = 0; i < validation.codes.length; i++) validation.raw.set(init, i * width);

  const meanLoss = (scores: Float64Array, labels: Uint32Array, w: Float64Array, mask?: Uint8Array, which = 1): number => {
    let loss = 0;
    let total = 0;
    for (let i = 0; i < labels.length; i++) {
      if (mask && mask[i] !== which) continue;
      loss += w[i] * rowLoss(scores.subarray(i * width, (i + 1) * width), width, labels[i]);
      total += w[i];
    }
    return (factor * loss) / total;
  };

  for (let m = 0; m < nEstimators; m++) {
    if (sampling) selectionSample(rng, n, inBagCount, inBag);
    for (let i = 0; i < n; i++) {
      const p = proba.subarray(i * width, (i + 1) * width);
      probabilities(raw.subarray(i * width, (i + 1) * width), width, p);
      for (let k = 0; k < width; k++) {
        const yk = width === 1 ? (codes[i] === 1 ? 1 : 0) : codes[i] === k ? 1 : 0;
        negativeGradient[i * width + k] = yk - p[k];
      }
      treeWeights[i] = inBag[i] ? sampleWeight[i] : 0;
    }
    if (!treeWeights.some((w) => w > 0)) {
      throw new RangeError(`${owner}: the rows sampled at stage ${m} all have sampleWeight 0; raise subsample or the weights`);
    }
    const stage: TreeStructure[] = [];
    for (let k = 0; k < width; k++) {
      for (let i = 0; i < n; i++) target[i] = negativeGradient[i * width + k];
      const tree = growTree(X, features, treeWeights, { kind: 'regression', targets: target, criterion: 'squared_error' }, growth, draws);
      // The Newton step per leaf, over its in-bag rows.
      const leaves = new Int32Array(n);
      const numerator = new Float64Array(tree.feature.length);
      const denominator = new Float64Array(tree.feature.length);
      const weightSum = new Float64Array(tree.feature.length);
      for (let i = 0; i < n; i++) {
        const leaf = leafOf(tree, X[i]);
        leaves[i] = leaf;
        if (!inBag[i]) continue;
        const g = negativeGradient[i * width + k];
        const yk = width === 1 ? (codes[i] === 1 ? 1 : 0) : codes[i] === k ? 1 : 0;
        const p = yk - g;
        numerator[leaf] += sampleWeight[i] * g;
        denominator[leaf] += sampleWeight[i] * p * (1 - p);
        weightSum[leaf] += sampleWeight[i];
      }
      const value = tree.value as Float64Array;
      for (let node = 0; node < tree.feature.length; node++) {
        if (tree.left[node] >= 0 || weightSum[node] === 0) continue;
        let top = numerator[node] / weightSum[node];
        if (width > 1) top *= (K - 1) / K;
        const bottom = denominator[node] / weightSum[node];
        value[node] = Math.abs(bottom) < 1e-150 ? 0 : top / bottom;
      }
      for (let i = 0; i < n; i++) raw[i * width + k] += learningRate * value[leaves[i]];
      stage.push(tree);
    }
    stages.push(stage);
    trainLoss.push(meanLoss(raw, codes, sampleWeight, inBag, 1));
    if (sampling) oobLoss.push(meanLoss(raw, codes, sampleWeight, inBag, 0));
    if (validation) {
      for (let i = 0; i < validation.codes.length; i++) {
        for (let k = 0; k < width; k++) {
          const tree = stage[k];
          validation.raw[i * width + k] += learningRate * tree.value[leafOf(tree, validation.X[i])];
        }
      }
      const loss = meanLoss(validation.raw, validation.codes, validation.w);
      validationLoss.push(loss);
      if (!validation.stopping.progress(loss)) break;
    }
  }

  const staged = (rows: FeatureRows, onStage?: (scores: Float64Array) => void): Float64Array => {
    checkFeatureRows(`${owner}: predict`, 'X', rows, features);
    const scores = new Float64Array(rows.length * width);
    for (let i = 0; i < rows.length; i++) scores.set(init, i * width);
    for (const stage of stages) {
      for (let i = 0; i < rows.length; i++) {
        for (let k = 0; k < width; k++) scores[i * width + k] += learningRate * stage[k].value[leafOf(stage[k], rows[i])];
      }
      onStage?.(scores);
    }
    return scores;
  };
  const toRows = (scores: Float64Array): Float64Array[] => Array.from({ length: scores.length / width }, (_, i) => scores.slice(i * width, (i + 1) * width));
  const toProba = (scores: Float64Array): Float64Array[] =>
    toRows(scores).map((row) => {
      const out = new Float64Array(width);
      probabilities(row, width, out);
      return width === 1 ? Float64Array.of(1 - out[0], out[0]) : out;
    });
  return {
    classes,
    init,
    learningRate,
    trees: stages,
    nEstimators: stages.length,
    trainLoss: Float64Array.from(trainLoss),
    oobLoss: sampling ? Float64Array.from(oobLoss) : undefined,
    validationLoss: validation ? Float64Array.from(validationLoss) : undefined,
    validationRows: setup.validation,
    featureImportances: meanImportances(stages.flat(), features),
    decisionFunction: (rows) => toRows(staged(rows)),
    stagedDecisionFunction: (rows) => {
      const result: Float64Array[][] = [];
      staged(rows, (scores) => result.push(toRows(scores)));
      return result;
    },
    predictProba: (rows) => toProba(staged(rows)),
    stagedPredictProba: (rows) => {
      const result: Float64Array[][] = [];
      staged(rows, (scores) => result.push(toProba(scores)));
      return result;
    },
    predict: (rows) => toProba(staged(rows)).map((p) => classes[argmax(p, 0, K)]),
  };
}
