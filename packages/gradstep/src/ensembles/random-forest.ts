/**
 * Random forests (Breiman 2001, "Random Forests"), as scikit-learn's `RandomForestClassifier` and
 * `RandomForestRegressor`: trees grown on bootstrap samples, each node choosing among maxFeatures
 * features drawn at random, averaged (class probabilities, or predictions).
 *
 * **Draws.** From `seed` one 32-bit seed per tree is drawn first, then tree i uses `new Random(seeds[i])`
 * for its bootstrap (maxSamples draws of `integer(n)`, as bagging's `drawMembers`, or with sample or
 * class weights draws in proportion to them, as scikit-learn 1.9) and a seed drawn after it for its
 * feature draws. A tree depends only on the data, the options, the seed and its number. As
 * scikit-learn, a bootstrap sample is given to the tree as weights (how many times each row was drawn),
 * not as repeated rows: minSamplesLeaf counts distinct rows. Without bootstrap a tree gets the weights.
 *
 * `fit` grows the trees in the calling thread; `fitAsync(X, y, sampleWeight, { workers })` grows them
 * as jobs of the worker pool (the built-in task), the same trees whatever the worker count.
 */
import { randomFrom, type Seed } from '../model-selection/random.js';
import { warn } from '../model-selection/warnings.js';
import { checkBoolean, checkInteger, checkOptionNames, describe } from '../validate.js';
import { encodeClassLabels, type Label } from './class-labels.js';
import {
  checkClassificationCriterion,
  checkClassWeight,
  classWeights,
  growthOptions,
  leafProbabilities,
  optionsInUse,
  resolveTreeOptions,
  type ClassWeight,
  type DecisionTreeOptions,
  type DecisionTreeOptionsInUse,
} from './decision-tree.js';
import { drawMembers } from './bagging.js';
import { resolveSampleCount } from './ensemble-options.js';
import { featureImportances, leafOf, type ClassificationCriterion, type TreeStructure, type TreeTarget } from './tree-growth.js';
import { growForestTree, type ForestTreeData } from './forest-tree-job.js';
import { resolveWorkers, type Workers } from '../parallel/pool.js';
import { loadBuiltinTask } from '../recipes/recipe-task.js';
import { runOutputJobs } from '../evaluation/task-jobs.js';
import { checkFeatureRows, checkRegressionTargets, checkSampleWeights, type FeatureRows } from './training-data.js';

/** Options of the random forests: the trees' options, their number and the sampling. */
export interface RandomForestOptions extends DecisionTreeOptions {
  /** Number of trees: an integer ≥ 1. Default 100. */
  nEstimators?: number;
  /** Grow each tree on a bootstrap sample (true, default) or on all rows. */
  bootstrap?: boolean;
  /** With bootstrap: rows drawn per tree, a fraction in (0, 1] of n (max(1, round(f·n)), as scikit-learn's forests) or an integer count > 1. Default n. */
  maxSamples?: number;
  /** Compute out-of-bag predictions and their score (accuracy, R²); needs bootstrap. Default false. */
  oobScore?: boolean;
  /** Seed of every draw (bootstraps and feature draws); a Random is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

/** Options of RandomForestClassifier: a forest's options, the trees' criterion and class weights. */
export interface RandomForestClassifierOptions extends RandomForestOptions {
  /** 'gini' (default), 'entropy' or 'log_loss'. */
  criterion?: ClassificationCriterion;
  /** Class weights (computed on the whole y, as scikit-learn's 'balanced'); default none. */
  classWeight?: ClassWeight;
}

interface ForestSettings {
  tree: DecisionTreeOptionsInUse;
  nEstimators: number;
  bootstrap: boolean;
  maxSamples?: number;
  oobScore: boolean;
  seed?: Seed;
}

const FOREST_NAMES = ['nEstimators', 'bootstrap', 'maxSamples', 'oobScore'];

function resolveForest(owner: string, options: unknown, extra: string[], defaultMaxFeatures: 'sqrt' | 'all'): ForestSettings & Record<string, unknown> {
  const resolved = resolveTreeOptions(owner, options, [...FOREST_NAMES, ...extra], { maxFeatures: defaultMaxFeatures });
  const bootstrap = resolved.bootstrap === undefined ? true : checkBoolean(owner, 'bootstrap', resolved.bootstrap);
  const oobScore = resolved.oobScore === undefined ? false : checkBoolean(owner, 'oobScore', resolved.oobScore);
  if (oobScore && !bootstrap) throw new RangeError(`${owner}: oobScore needs bootstrap: true (got oobScore: true, bootstrap: false)`);
  if (resolved.maxSamples !== undefined && !bootstrap) {
    throw new RangeError(`${owner}: maxSamples needs bootstrap: true (got maxSamples: ${describe(resolved.maxSamples)}, bootstrap: false)`);
  }
  if (resolved.maxSamples !== undefined) bootstrapCount(owner, resolved.maxSamples, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  return {
    ...resolved,
    tree: optionsInUse(resolved),
    nEstimators: checkInteger(owner, 'nEstimators', resolved.nEstimators ?? 100, 1),
    bootstrap,
    maxSamples: resolved.maxSamples as number | undefined,
    oobScore,
    seed: resolved.seed,
  };
}

/**
 * Rows per bootstrap sample, as scikit-learn 1.9's forests: none gives n; a fraction f in (0, 1] gives
 * max(1, ⌊f·total⌋), `total` being n or, with weights, their sum; an integer > 1 is a count ≤ n.
 */
function bootstrapCount(owner: string, value: unknown, n: number, total: number): number {
  if (value === undefined) return n;
  if (typeof value === 'number' && value > 0 && value <= 1) return Math.max(1, Math.floor(value * total));
  return resolveSampleCount(owner, 'maxSamples', value, n);
}

/** What a fitted forest keeps. */
interface FittedForest {
  trees: TreeStructure[];
  features: number;
  /** Per tree, the rows it never drew (bootstrap only). */
  outOfBag: Uint32Array[];
}

/** The draws of a forest and what every tree needs, before any tree grows. */
interface ForestPlan {
  data: ForestTreeData;
  samples: Uint32Array[];
  memberSeeds: Uint32Array;
  outOfBag: Uint32Array[];
}

/** The draws (bootstraps and seeds, as bagging's drawMembers) and the resolved growth options. */
function planForest(owner: string, settings: ForestSettings, X: FeatureRows, features: number, weights: Float64Array, target: TreeTarget): ForestPlan {
  const n = X.length;
  const growth = growthOptions(owner, settings.tree, n, features);
  // As scikit-learn 1.9: with sample (or class) weights the bootstrap draws rows in proportion to them,
  // and a fractional maxSamples is of their sum; each tree then gets only its draw counts.
  const weighted = weights.some((w) => w !== 1);
  let total = n;
  if (weighted) {
    total = 0;
    for (let i = 0; i < n; i++) total += weights[i];
  }
  const maxSamples = settings.bootstrap ? bootstrapCount(owner, settings.maxSamples, n, total) : n;
  const rng = randomFrom(settings.seed, `${owner}: seed`);
  const { samples, outOfBag, memberSeeds } = drawMembers(rng, n, settings.nEstimators, maxSamples, settings.bootstrap, settings.bootstrap && weighted ? weights : undefined);
  const data: ForestTreeData = { kind: 'forest-tree', owner, X, features, weights, bootstrap: settings.bootstrap, target, growth };
  return { data, samples, memberSeeds, outOfBag: settings.bootstrap ? outOfBag : [] };
}

/** Grows the forest's trees here, one per draw. */
function growForest(owner: string, settings: ForestSettings, X: FeatureRows, features: number, weights: Float64Array, target: TreeTarget): FittedForest {
  const plan = planForest(owner, settings, X, features, weights, target);
  const trees = plan.samples.map((rows, t) => growForestTree(plan.data, rows, plan.memberSeeds[t], t));
  return { trees, features, outOfBag: plan.outOfBag };
}

/** Grows the forest's trees as jobs of the pool (the built-in task), each tree placed by its number. */
async function growForestOnWorkers(
  owner: string,
  settings: ForestSettings,
  X: FeatureRows,
  features: number,
  weights: Float64Array,
  target: TreeTarget,
  workersOption: unknown,
): Promise<FittedForest> {
  const workers = await resolveWorkers(owner, workersOption);
  const plan = planForest(owner, settings, X, features, weights, target);
  if (typeof workers === 'number' && workers <= 1) {
    const trees = plan.samples.map((rows, t) => growForestTree(plan.data, rows, plan.memberSeeds[t], t));
    return { trees, features, outOfBag: plan.outOfBag };
  }
  const task = loadBuiltinTask(owner, plan.data, ['tree'], false, workers, 'forests');
  const noRows = new Uint32Array(0);
  const folds = plan.samples.map((train) => ({ train, test: noRows }));
  const params = Array.from(plan.memberSeeds, (seed, tree) => ({ seed, tree }));
  const trees = (await runOutputJobs(owner, task, workers, folds, params, (t) => `tree ${t}`)) as TreeStructure[];
  return { trees, features, outOfBag: plan.outOfBag };
}

/** The fit options of the forests' fitAsync. */
export interface ForestFitAsyncOptions {
  /** 1 (default: in the calling thread), n threads, 'auto' or a pool of createWorkerPool(). The same trees whatever the count. */
  workers?: Workers;
}

/** The mean of the trees' importances (over trees with a split), normalised, as scikit-learn. */
function forestImportances(forest: FittedForest): Float64Array {
  const total = new Float64Array(forest.features);
  let count = 0;
  for (const tree of forest.trees) {
    if (tree.feature.length <= 1) continue;
    const importances = featureImportances(tree, forest.features);
    for (let f = 0; f < forest.features; f++) total[f] += importances[f];
    count++;
  }
  if (count === 0) return total;
  let sum = 0;
  for (let f = 0; f < forest.features; f++) {
    total[f] /= count;
    sum += total[f];
  }
  if (sum > 0) for (let f = 0; f < forest.features; f++) total[f] /= sum;
  return total;
}

function notFitted(owner: string): never {
  throw new Error(`${owner}: the forest is not fitted; call fit(X, y) first`);
}

function warnUnscored(owner: string, missing: number): void {
  if (missing > 0) {
    warn(`${owner}: ${missing} rows were in every tree's bootstrap sample and have no out-of-bag prediction; they are left out of oobScore (raise nEstimators)`);
  }
}

/**
 * A random forest of classification trees, as scikit-learn's `RandomForestClassifier`: defaults
 * nEstimators 100, maxFeatures 'sqrt', bootstrap on; `predictProba` is the mean of the trees'
 * leaf class fractions, `predict` its argmax (the smallest label on a tie).
 *
 * ```ts
 * const forest = new RandomForestClassifier({ nEstimators: 200, oobScore: true, seed: 0 }).fit(X, y);
 * forest.oobScore; forest.predict(XTest); forest.featureImportances;
 * ```
 */
export class RandomForestClassifier {
  /** The trees' options in use (maxFeatures 'sqrt' by default). */
  readonly options: DecisionTreeOptionsInUse;
  /** 'gini', 'entropy' or 'log_loss'. */
  readonly criterion: ClassificationCriterion;
  private readonly settings: ForestSettings;
  private readonly classWeight?: ClassWeight;
  private fitted?: FittedForest & { classes: Label[]; oobDecision?: Float64Array[]; oobScore?: number };

  /**
   * @param options the trees' options (as DecisionTreeClassifier's, maxFeatures default 'sqrt'),
   *   nEstimators, bootstrap, maxSamples, oobScore, seed; TypeError for unknown names or wrong
   *   types, RangeError for values out of range
   */
  constructor(options?: RandomForestClassifierOptions) {
    const owner = 'RandomForestClassifier';
    const settings = resolveForest(owner, options, ['criterion', 'classWeight'], 'sqrt');
    this.settings = settings;
    this.options = settings.tree;
    this.criterion = checkClassificationCriterion(owner, settings.criterion);
    this.classWeight = checkClassWeight(owner, settings.classWeight);
  }

  /**
   * Fits the forest (replacing any previous fit) and returns `this`. Nothing passed in is modified.
   *
   * @param X rows of features, at least one
   * @param y one label per row: numbers or strings, not mixed; at least two classes
   * @param sampleWeight one finite weight ≥ 0 per row, positive sum; default all 1
   */
  fit(X: FeatureRows, y: ArrayLike<Label>, sampleWeight?: ArrayLike<number>): this {
    const owner = 'RandomForestClassifier.fit';
    const prepared = this.prepare(owner, X, y, sampleWeight);
    return this.finish(owner, X, prepared, growForest(owner, this.settings, X, prepared.features, prepared.weights, prepared.target));
  }

  /**
   * As `fit`, with the trees grown as jobs of the worker pool (`workers`: a count, 'auto' or a pool):
   * the same trees, bit for bit, whatever the count. Resolves to `this`.
   */
  async fitAsync(X: FeatureRows, y: ArrayLike<Label>, sampleWeight?: ArrayLike<number>, options?: ForestFitAsyncOptions): Promise<this> {
    const owner = 'RandomForestClassifier.fitAsync';
    const prepared = this.prepare(owner, X, y, sampleWeight);
    const given = checkOptionNames(owner, options ?? {}, ['workers']);
    const forest = await growForestOnWorkers(owner, this.settings, X, prepared.features, prepared.weights, prepared.target, given.workers);
    return this.finish(owner, X, prepared, forest);
  }

  private prepare(owner: string, X: FeatureRows, y: ArrayLike<Label>, sampleWeight: ArrayLike<number> | undefined) {
    const features = checkFeatureRows(owner, 'X', X);
    const { classes, codes } = encodeClassLabels(owner, 'y', y, X.length);
    if (classes.length < 2) throw new RangeError(`${owner}: y must hold at least two classes, got only ${describe(classes[0])}`);
    const weights = checkSampleWeights(owner, sampleWeight, X.length);
    if (this.classWeight !== undefined) {
      const perClass = classWeights(owner, this.classWeight, classes, codes);
      for (let i = 0; i < weights.length; i++) weights[i] *= perClass[codes[i]];
    }
    const criterion = this.criterion === 'gini' ? 'gini' : 'entropy';
    const target: TreeTarget = { kind: 'classification', criterion, codes, classCount: classes.length };
    return { features, classes, codes, weights, target };
  }

  private finish(owner: string, X: FeatureRows, prepared: ReturnType<RandomForestClassifier['prepare']>, forest: FittedForest): this {
    const { classes, codes } = prepared;
    const k = classes.length;
    let oobDecision: Float64Array[] | undefined;
    let oobScore: number | undefined;
    if (this.settings.oobScore) {
      const n = X.length;
      const sums = Array.from({ length: n }, () => new Float64Array(k));
      const counts = new Uint32Array(n);
      forest.trees.forEach((tree, t) => {
        for (const i of forest.outOfBag[t]) {
          const proba = leafProbabilities(tree, leafOf(tree, X[i]), k);
          for (let c = 0; c < k; c++) sums[i][c] += proba[c];
          counts[i]++;
        }
      });
      let right = 0;
      let scored = 0;
      oobDecision = sums.map((row, i) => {
        if (counts[i] === 0) return row.fill(NaN);
        for (let c = 0; c < k; c++) row[c] /= counts[i];
        scored++;
        let best = 0;
        for (let c = 1; c < k; c++) if (row[c] > row[best]) best = c;
        if (best === codes[i]) right++;
        return row;
      });
      warnUnscored(owner, n - scored);
      oobScore = scored === 0 ? NaN : right / scored;
    }
    this.fitted = { ...forest, classes, oobDecision, oobScore };
    return this;
  }

  /** The classes in ascending order (throws before `fit`). */
  get classes(): readonly Label[] {
    return (this.fitted ?? notFitted('RandomForestClassifier.classes')).classes;
  }

  /** The fitted trees as plain node arrays (value: weighted class totals per node). */
  get trees(): readonly TreeStructure[] {
    return (this.fitted ?? notFitted('RandomForestClassifier.trees')).trees;
  }

  /** The mean of the trees' impurity-based importances (trees with a split), normalised to sum 1, as scikit-learn. */
  get featureImportances(): Float64Array {
    return forestImportances(this.fitted ?? notFitted('RandomForestClassifier.featureImportances'));
  }

  /**
   * With oobScore: accuracy of the out-of-bag predictions over the rows that have one (NaN if none).
   * scikit-learn counts a row without one as predicted class 0; we leave it out, with a warning.
   */
  get oobScore(): number | undefined {
    return (this.fitted ?? notFitted('RandomForestClassifier.oobScore')).oobScore;
  }

  /** With oobScore: per training row, the mean class probabilities of the trees that did not draw it (NaN if none), scikit-learn's `oob_decision_function_`. */
  get oobDecision(): readonly Float64Array[] | undefined {
    return (this.fitted ?? notFitted('RandomForestClassifier.oobDecision')).oobDecision;
  }

  /** Per row, the mean of the trees' class probabilities, in the order of `classes`. */
  predictProba(X: FeatureRows): Float64Array[] {
    const owner = 'RandomForestClassifier.predictProba';
    const { trees, features, classes } = this.fitted ?? notFitted(owner);
    checkFeatureRows(owner, 'X', X, features);
    const k = classes.length;
    return X.map((row) => {
      const sum = new Float64Array(k);
      for (const tree of trees) {
        const proba = leafProbabilities(tree, leafOf(tree, row), k);
        for (let c = 0; c < k; c++) sum[c] += proba[c];
      }
      for (let c = 0; c < k; c++) sum[c] /= trees.length;
      return sum;
    });
  }

  /** The class of largest mean probability for each row (the smallest label on a tie). */
  predict(X: FeatureRows): Label[] {
    const classes = (this.fitted ?? notFitted('RandomForestClassifier.predict')).classes;
    return this.predictProba(X).map((row) => {
      let best = 0;
      for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
      return classes[best];
    });
  }
}

/**
 * A random forest of regression trees (squared error), as scikit-learn's `RandomForestRegressor`:
 * defaults nEstimators 100, maxFeatures all (scikit-learn's 1.0), bootstrap on; `predict` is the
 * mean of the trees' predictions.
 */
export class RandomForestRegressor {
  /** The trees' options in use (maxFeatures 'all' by default). */
  readonly options: DecisionTreeOptionsInUse;
  private readonly settings: ForestSettings;
  private fitted?: FittedForest & { oobPrediction?: Float64Array; oobScore?: number };

  /**
   * @param options the trees' options (as DecisionTreeRegressor's), nEstimators, bootstrap,
   *   maxSamples, oobScore, seed; TypeError for unknown names or wrong types, RangeError for values
   *   out of range
   */
  constructor(options?: RandomForestOptions) {
    this.settings = resolveForest('RandomForestRegressor', options, [], 'all');
    this.options = this.settings.tree;
  }

  /**
   * Fits the forest (replacing any previous fit) and returns `this`. Nothing passed in is modified.
   *
   * @param X rows of features, at least one
   * @param y one finite target per row
   * @param sampleWeight one finite weight ≥ 0 per row, positive sum; default all 1
   */
  fit(X: FeatureRows, y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): this {
    const owner = 'RandomForestRegressor.fit';
    const { features, targets, weights, target } = this.prepare(owner, X, y, sampleWeight);
    return this.finish(owner, X, targets, growForest(owner, this.settings, X, features, weights, target));
  }

  /**
   * As `fit`, with the trees grown as jobs of the worker pool (`workers`: a count, 'auto' or a pool):
   * the same trees, bit for bit, whatever the count. Resolves to `this`.
   */
  async fitAsync(X: FeatureRows, y: ArrayLike<number>, sampleWeight?: ArrayLike<number>, options?: ForestFitAsyncOptions): Promise<this> {
    const owner = 'RandomForestRegressor.fitAsync';
    const { features, targets, weights, target } = this.prepare(owner, X, y, sampleWeight);
    const given = checkOptionNames(owner, options ?? {}, ['workers']);
    return this.finish(owner, X, targets, await growForestOnWorkers(owner, this.settings, X, features, weights, target, given.workers));
  }

  private prepare(owner: string, X: FeatureRows, y: ArrayLike<number>, sampleWeight: ArrayLike<number> | undefined) {
    const features = checkFeatureRows(owner, 'X', X);
    const targets = checkRegressionTargets(owner, 'y', y, X.length);
    const weights = checkSampleWeights(owner, sampleWeight, X.length);
    const target: TreeTarget = { kind: 'regression', targets, criterion: 'squared_error' };
    return { features, targets, weights, target };
  }

  private finish(owner: string, X: FeatureRows, targets: Float64Array, forest: FittedForest): this {
    let oobPrediction: Float64Array | undefined;
    let oobScore: number | undefined;
    if (this.settings.oobScore) {
      const n = X.length;
      oobPrediction = new Float64Array(n);
      const counts = new Uint32Array(n);
      forest.trees.forEach((tree, t) => {
        for (const i of forest.outOfBag[t]) {
          oobPrediction![i] += tree.value[leafOf(tree, X[i])];
          counts[i]++;
        }
      });
      let mean = 0;
      let scored = 0;
      for (let i = 0; i < n; i++) {
        if (counts[i] === 0) oobPrediction[i] = NaN;
        else {
          oobPrediction[i] /= counts[i];
          mean += targets[i];
          scored++;
        }
      }
      warnUnscored(owner, n - scored);
      mean /= scored;
      let residual = 0;
      let total = 0;
      for (let i = 0; i < n; i++) {
        if (counts[i] === 0) continue;
        residual += (targets[i] - oobPrediction[i]) ** 2;
        total += (targets[i] - mean) ** 2;
      }
      oobScore = scored === 0 ? NaN : 1 - residual / total;
    }
    this.fitted = { ...forest, oobPrediction, oobScore };
    return this;
  }

  /** The fitted trees as plain node arrays (value: the weighted mean per node). */
  get trees(): readonly TreeStructure[] {
    return (this.fitted ?? notFitted('RandomForestRegressor.trees')).trees;
  }

  /** The mean of the trees' impurity-based importances (trees with a split), normalised to sum 1, as scikit-learn. */
  get featureImportances(): Float64Array {
    return forestImportances(this.fitted ?? notFitted('RandomForestRegressor.featureImportances'));
  }

  /** With oobScore: R² of the out-of-bag predictions over the rows that have one (NaN if none). */
  get oobScore(): number | undefined {
    return (this.fitted ?? notFitted('RandomForestRegressor.oobScore')).oobScore;
  }

  /** With oobScore: per training row, the mean prediction of the trees that did not draw it (NaN if none). */
  get oobPrediction(): Float64Array | undefined {
    return (this.fitted ?? notFitted('RandomForestRegressor.oobPrediction')).oobPrediction;
  }

  /** The mean of the trees' predictions for each row. */
  predict(X: FeatureRows): Float64Array {
    const owner = 'RandomForestRegressor.predict';
    const { trees, features } = this.fitted ?? notFitted(owner);
    checkFeatureRows(owner, 'X', X, features);
    const result = new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) {
      let sum = 0;
      for (const tree of trees) sum += tree.value[leafOf(tree, X[i])];
      result[i] = sum / trees.length;
    }
    return result;
  }
}
