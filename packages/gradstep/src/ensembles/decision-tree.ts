/**
 * CART decision trees (Breiman et al. 1984) as scikit-learn's `DecisionTreeClassifier` (gini or
 * entropy) and `DecisionTreeRegressor` (squared error) with the best-split splitter: the weak
 * learners of the ensembles and the members of the forests, usable on their own. The growth itself
 * is in tree-growth.ts.
 *
 * What matches scikit-learn:
 * - candidate thresholds are the midpoints between consecutive distinct sorted values of a feature
 *   among the node's samples (`a/2 + b/2`, or `a` when that rounds to `b`); a row goes left when
 *   `x[feature] <= threshold`;
 * - a split is chosen by the largest proxy improvement of the criterion, computed with the same
 *   formulas (gini, entropy: `−w_R·I_R − w_L·I_L` with entropy in bits; squared error:
 *   `S_L²/w_L + S_R²/w_R`; Friedman MSE: `(w_R·S_L − w_L·S_R)²/(w_L·w_R)`); a later candidate must
 *   be strictly better, so the first best one wins;
 * - a node is a leaf when depth = maxDepth, it has fewer than minSamplesSplit or fewer than
 *   2·minSamplesLeaf samples, its impurity is ≤ 2^−52, no threshold leaves minSamplesLeaf samples
 *   on both sides, or the best split's weighted impurity decrease
 *   `W_node/W·(I − W_R/W_node·I_R − W_L/W_node·I_L)` plus 2^−52 is below minImpurityDecrease; a
 *   split is taken even when it does not lower the impurity (XOR-like data) when
 *   minImpurityDecrease is 0, as scikit-learn does;
 * - fractional minSamplesSplit and minSamplesLeaf are `ceil(f·n)` of the n rows given to fit
 *   (minSamplesSplit at least 2);
 * - maxLeafNodes grows best first (the leaf of largest impurity decrease is split next, its
 *   children searched at once), as scikit-learn's BestFirstTreeBuilder; otherwise depth first;
 * - maxFeatures < d: each node draws its features as scikit-learn's BestSplitter (a partial
 *   Fisher–Yates shuffle over the features not known to be constant in the node; a constant feature
 *   drawn does not count, and the search goes on past maxFeatures while only constants were found),
 *   from gradstep's seeded PCG32 stream (`integer(n)` where scikit-learn calls `rand_int`), so the
 *   trees are scikit-learn's in distribution, not draw for draw;
 * - classWeight multiplies each sample's weight by its class's weight ('balanced':
 *   n / (classes · count of the class), counted over y);
 * - sample weights weight every count and sum; samples of weight 0 are left out of the tree
 *   entirely (they count neither for minSamplesLeaf nor minSamplesSplit), as scikit-learn's splitter;
 * - leaves predict the weighted mean (regression) or the class with the largest weight, the
 *   smallest label on a tie (`classes_[argmax(proba)]`);
 * - featureImportances: scikit-learn's impurity-based `feature_importances_`.
 *
 * Where it differs, deliberately:
 * - with all features (maxFeatures 'all', the default) features are tried in index order 0, 1, …,
 *   d − 1 and the first best split kept. scikit-learn visits them in a random order (drawn from
 *   `random_state` even with `max_features=None`), so when two features give equally good splits
 *   its choice depends on the seed, and ours is always the lower feature index. Without such ties
 *   the trees are the same.
 * - values are compared exactly in float64. scikit-learn rounds X to float32 and treats values
 *   within 1e-7 of each other as equal (`FEATURE_THRESHOLD`): features on a scale of 1e-7 cannot be
 *   split there and can here.
 * - a node's impurity is computed from its own samples. scikit-learn carries the parent's running
 *   sums into the children, so a pure child can keep a rounding residue above 2^−52 and be split
 *   again into leaves of the same class or value: the predictions are the same, the node count can
 *   be larger there.
 * - a fraction and a count are told apart by value (scikit-learn tells them by type): minSamplesLeaf
 *   in (0, 1) and minSamplesSplit in (0, 1) are fractions; maxFeatures in (0, 1] is a fraction, so
 *   one feature per node is asked for with a fraction ≤ 1/d.
 *
 * Cost: O(d · m log m) per node of m samples (one sort per feature tried), O(depth) per prediction.
 */
import { randomFrom, type Random, type Seed } from '../model-selection/random.js';
import { checkNumber, checkOptionNames, describe } from '../validate.js';
import { checkClassesOption, ClassLookup, encodeClassLabels, encodeWithClasses, type Label } from './class-labels.js';
import {
  checkMaxFeatures,
  featureImportances,
  growTree,
  leafOf,
  resolveMaxFeatures,
  type ClassificationCriterion,
  type GrowthOptions,
  type MaxFeatures,
  type RegressionCriterion,
  type TreeStructure,
} from './tree-growth.js';
import {
  checkFeatureRows,
  checkRegressionTargets,
  checkSampleWeights,
  checkSameLength,
  type FeatureRows,
} from './training-data.js';

export type { ClassificationCriterion, MaxFeatures, RegressionCriterion, TreeStructure };

/** Options of the decision trees: when to stop splitting and which features to try (scikit-learn's names, in camelCase). */
export interface DecisionTreeOptions {
  /** Largest depth (the root is depth 0; a stump has maxDepth 1): an integer ≥ 1 or Infinity. Default Infinity (sklearn None). */
  maxDepth?: number;
  /** A node with fewer samples is not split: an integer ≥ 2, or a fraction in (0, 1) of the rows (`ceil(f·n)`). Default 2. */
  minSamplesSplit?: number;
  /** Each child must keep at least this many samples: an integer ≥ 1, or a fraction in (0, 1) of the rows (`ceil(f·n)`). Default 1. */
  minSamplesLeaf?: number;
  /**
   * Features tried per node: 'sqrt', 'log2', 'all', a fraction in (0, 1] of them (at least 1) or
   * an integer count > 1 (at most the number of features). Default 'all' (sklearn None).
   */
  maxFeatures?: MaxFeatures;
  /** A node is split only if that lowers the weighted impurity by at least this much: a number ≥ 0. Default 0. */
  minImpurityDecrease?: number;
  /** Grow best first up to this many leaves: an integer ≥ 2, or Infinity (default: depth first, unlimited). */
  maxLeafNodes?: number;
  /**
   * Seed of the per-node feature draws (used only when maxFeatures is below the number of
   * features); a Random is advanced. Default: a fresh random seed at each fit.
   */
  seed?: Seed;
}

/**
 * Class weights: 'balanced' (n / (classes · count of the class)) or a weight per label, as a Map or
 * an object keyed by the label (numbers written as their strings); unlisted classes weigh 1.
 */
export type ClassWeight = 'balanced' | ReadonlyMap<Label, number> | Readonly<Record<string, number>>;

/** Options of DecisionTreeClassifier: the tree's options, its criterion, class weights and, optionally, its classes. */
export interface DecisionTreeClassifierOptions extends DecisionTreeOptions {
  /**
   * The classes, when they must not be inferred from `y`: a tree fitted on a subsample that lacks
   * a class still gives `predictProba` columns for all of them (bagging members). Every label of `y`
   * must be among them. Default: the distinct labels of `y`.
   */
  classes?: readonly Label[];
  /** 'gini' (default), or 'entropy' / 'log_loss' (the same: Shannon entropy in bits). */
  criterion?: ClassificationCriterion;
  /** Class weights, multiplied into the sample weights; default none. */
  classWeight?: ClassWeight;
}

/** The options of a tree in use, defaults filled in (fractions and names kept as given). */
export interface DecisionTreeOptionsInUse {
  /** Largest depth, Infinity for none. */
  readonly maxDepth: number;
  /** A count ≥ 2 or a fraction in (0, 1). */
  readonly minSamplesSplit: number;
  /** A count ≥ 1 or a fraction in (0, 1). */
  readonly minSamplesLeaf: number;
  /** As given, 'all' by default. */
  readonly maxFeatures: MaxFeatures;
  /** ≥ 0. */
  readonly minImpurityDecrease: number;
  /** An integer ≥ 2 or Infinity. */
  readonly maxLeafNodes: number;
}

const TREE_OPTION_NAMES = ['maxDepth', 'minSamplesSplit', 'minSamplesLeaf', 'maxFeatures', 'minImpurityDecrease', 'maxLeafNodes', 'seed'] as const;

/** A count ≥ min or a fraction in (0, 1). */
function checkCountOrFraction(owner: string, name: string, value: unknown, min: number): number {
  const what = `${name} must be an integer >= ${min} or a fraction in (0, 1)`;
  if (typeof value !== 'number') throw new TypeError(`${owner}: ${what}, got ${describe(value)}`);
  if (!(value > 0 && value < 1) && !(Number.isInteger(value) && value >= min)) throw new RangeError(`${owner}: ${what}, got ${describe(value)}`);
  return value;
}

function checkMaxLeafNodes(owner: string, value: unknown): number {
  const what = 'maxLeafNodes must be an integer >= 2 or Infinity';
  if (typeof value !== 'number') throw new TypeError(`${owner}: ${what}, got ${describe(value)}`);
  if (!(value === Infinity || (Number.isInteger(value) && value >= 2))) throw new RangeError(`${owner}: ${what}, got ${describe(value)}`);
  return value;
}

/**
 * Checks the tree options of `options` (and lets `extraNames` through) and fills in the defaults;
 * `defaults` changes them (the boosting's maxDepth 3, the classification forest's 'sqrt').
 */
export function resolveTreeOptions(
  owner: string,
  options: unknown,
  extraNames: readonly string[] = [],
  defaults: Partial<DecisionTreeOptionsInUse> = {},
): DecisionTreeOptionsInUse & { seed?: Seed } & Record<string, unknown> {
  const given = checkOptionNames(owner, options, [...TREE_OPTION_NAMES, ...extraNames]);
  const maxDepth = given.maxDepth ?? defaults.maxDepth ?? Infinity;
  if (typeof maxDepth !== 'number') throw new TypeError(`${owner}: maxDepth must be an integer >= 1 or Infinity, got ${describe(maxDepth)}`);
  if (!(maxDepth === Infinity || (Number.isInteger(maxDepth) && maxDepth >= 1))) {
    throw new RangeError(`${owner}: maxDepth must be an integer >= 1 or Infinity, got ${describe(maxDepth)}`);
  }
  if (given.seed !== undefined) randomFrom(given.seed as Seed, `${owner}: seed`);
  return {
    ...given,
    maxDepth,
    minSamplesSplit: checkCountOrFraction(owner, 'minSamplesSplit', given.minSamplesSplit ?? defaults.minSamplesSplit ?? 2, 2),
    minSamplesLeaf: checkCountOrFraction(owner, 'minSamplesLeaf', given.minSamplesLeaf ?? defaults.minSamplesLeaf ?? 1, 1),
    maxFeatures: checkMaxFeatures(owner, given.maxFeatures ?? defaults.maxFeatures ?? 'all'),
    minImpurityDecrease: checkNumber(owner, 'minImpurityDecrease', given.minImpurityDecrease ?? defaults.minImpurityDecrease ?? 0, { min: 0 }),
    maxLeafNodes: checkMaxLeafNodes(owner, given.maxLeafNodes ?? defaults.maxLeafNodes ?? Infinity),
    seed: given.seed as Seed | undefined,
  };
}

/** The options in use, without the seed and the extra names. */
export function optionsInUse(resolved: DecisionTreeOptionsInUse): DecisionTreeOptionsInUse {
  const { maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures, minImpurityDecrease, maxLeafNodes } = resolved;
  return Object.freeze({ maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures, minImpurityDecrease, maxLeafNodes });
}

/** The options resolved against n rows of d features: counts for the fractions and maxFeatures. */
export function growthOptions(owner: string, options: DecisionTreeOptionsInUse, n: number, featureCount: number): GrowthOptions {
  const split = options.minSamplesSplit < 1 ? Math.max(2, Math.ceil(options.minSamplesSplit * n)) : options.minSamplesSplit;
  const leaf = options.minSamplesLeaf < 1 ? Math.ceil(options.minSamplesLeaf * n) : options.minSamplesLeaf;
  return {
    maxDepth: options.maxDepth,
    minSamplesSplit: split,
    minSamplesLeaf: leaf,
    maxFeatures: resolveMaxFeatures(owner, options.maxFeatures, featureCount),
    minImpurityDecrease: options.minImpurityDecrease,
    maxLeafNodes: options.maxLeafNodes,
  };
}

/** The generator of a fit's feature draws (undefined when nothing is drawn). */
export function drawsFor(owner: string, seed: Seed | undefined, growth: GrowthOptions, featureCount: number): Random | undefined {
  return growth.maxFeatures < featureCount ? randomFrom(seed, `${owner}: seed`) : undefined;
}

/** A classification tree's criterion: 'gini' (default), 'entropy' or 'log_loss' (the same as 'entropy'). @internal */
export function checkClassificationCriterion(owner: string, value: unknown): ClassificationCriterion {
  const criterion = value ?? 'gini';
  if (criterion !== 'gini' && criterion !== 'entropy' && criterion !== 'log_loss') {
    throw new RangeError(`${owner}: criterion must be 'gini', 'entropy' or 'log_loss', got ${describe(criterion)}`);
  }
  return criterion;
}

/** Checks a classWeight option (names checked against the classes at fit). */
export function checkClassWeight(owner: string, value: unknown): ClassWeight | undefined {
  if (value === undefined || value === 'balanced') return value;
  if (value instanceof Map) {
    for (const [label, weight] of value) checkNumber(owner, `classWeight[${describe(label)}]`, weight, { min: 0 });
    return value as ReadonlyMap<Label, number>;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${owner}: classWeight must be 'balanced', a Map or an object of weights per label, got ${describe(value)}`);
  }
  for (const [label, weight] of Object.entries(value)) checkNumber(owner, `classWeight[${JSON.stringify(label)}]`, weight, { min: 0 });
  return value as Readonly<Record<string, number>>;
}

/**
 * The weight of each class (in the order of `classes`) for `classWeight` and labels `codes`:
 * 'balanced' is n / (classes · count) as scikit-learn's `compute_class_weight`; a map's labels must
 * be classes (RangeError otherwise), unlisted ones weigh 1.
 */
export function classWeights(owner: string, classWeight: ClassWeight, classes: readonly Label[], codes: Uint32Array): Float64Array {
  const k = classes.length;
  const result = new Float64Array(k).fill(1);
  if (classWeight === 'balanced') {
    const counts = new Float64Array(k);
    for (const code of codes) counts[code]++;
    for (let c = 0; c < k; c++) result[c] = codes.length / (k * counts[c]);
    return result;
  }
  const lookup = new ClassLookup(classes);
  const entries: [unknown, number][] = classWeight instanceof Map ? [...classWeight] : Object.entries(classWeight);
  for (const [label, weight] of entries) {
    let code = -1;
    for (let c = 0; c < k; c++) if (classes[c] === label || String(classes[c]) === label) code = c;
    if (code < 0) lookup.codeOf(owner, 'classWeight', label, 0);
    result[code] = weight;
  }
  return result;
}

function notFitted(owner: string): never {
  throw new Error(`${owner}: the tree is not fitted; call fit(X, y) first`);
}

/**
 * A regression tree minimizing the (weighted) squared error, as scikit-learn's
 * `DecisionTreeRegressor(criterion="squared_error", splitter="best")`; see the module comment for
 * the exact split rule and the differences.
 *
 * ```ts
 * const tree = new DecisionTreeRegressor({ maxDepth: 3 }).fit(X, y);
 * tree.predict(XTest); // Float64Array
 * tree.featureImportances; // Float64Array, sums to 1
 * ```
 */
export class DecisionTreeRegressor {
  /** The options in use, defaults filled in. */
  readonly options: DecisionTreeOptionsInUse;
  private readonly criterion: RegressionCriterion;
  private readonly seed?: Seed;
  private fitted?: { tree: TreeStructure; features: number };

  /**
   * @param options maxDepth (default Infinity), minSamplesSplit (2), minSamplesLeaf (1), maxFeatures
   *   ('all'), minImpurityDecrease (0), maxLeafNodes (Infinity), seed; TypeError for unknown names
   *   or wrong types, RangeError for values out of range
   * @param criterion 'squared_error' (default) or 'friedman_mse' (it ranks splits identically up to rounding)
   */
  constructor(options?: DecisionTreeOptions, criterion: RegressionCriterion = 'squared_error') {
    const resolved = resolveTreeOptions('DecisionTreeRegressor', options);
    this.options = optionsInUse(resolved);
    this.seed = resolved.seed;
    if (criterion !== 'squared_error' && criterion !== 'friedman_mse') {
      throw new RangeError(`DecisionTreeRegressor: criterion must be 'squared_error' or 'friedman_mse', got ${describe(criterion)}`);
    }
    this.criterion = criterion;
  }

  /**
   * Fits the tree (replacing any previous fit) and returns `this`. Nothing passed in is modified.
   *
   * @param X rows of features (see {@link FeatureRows}), at least one
   * @param y one finite target per row
   * @param sampleWeight one finite weight ≥ 0 per row, positive sum; default all 1
   */
  fit(X: FeatureRows, y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): this {
    const owner = 'DecisionTreeRegressor.fit';
    const features = checkFeatureRows(owner, 'X', X);
    const targets = checkRegressionTargets(owner, 'y', y, X.length);
    const weights = checkSampleWeights(owner, sampleWeight, X.length);
    const growth = growthOptions(owner, this.options, X.length, features);
    const rng = drawsFor(owner, this.seed, growth, features);
    const tree = growTree(X, features, weights, { kind: 'regression', targets, criterion: this.criterion }, growth, rng);
    this.fitted = { tree, features };
    return this;
  }

  /** The prediction (the weighted mean of the leaf's training targets) for each row of X. */
  predict(X: FeatureRows): Float64Array {
    const owner = 'DecisionTreeRegressor.predict';
    const { tree, features } = this.fitted ?? notFitted(owner);
    checkFeatureRows(owner, 'X', X, features);
    const result = new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) result[i] = tree.value[leafOf(tree, X[i])];
    return result;
  }

  /** The fitted nodes (for inspection); throws before `fit`. */
  get tree(): TreeStructure {
    return (this.fitted ?? notFitted('DecisionTreeRegressor.tree')).tree;
  }

  /** Impurity-based importance of each feature, normalised to sum 1 (all 0 for a single leaf), as scikit-learn's `feature_importances_`. */
  get featureImportances(): Float64Array {
    const { tree, features } = this.fitted ?? notFitted('DecisionTreeRegressor.featureImportances');
    return featureImportances(tree, features);
  }
}

/**
 * A classification tree minimizing the (weighted) gini impurity or entropy, as scikit-learn's
 * `DecisionTreeClassifier(splitter="best")`; see the module comment for the exact split rule and
 * the differences. Labels are numbers or strings (not mixed); `classes` is their ascending order,
 * the column order of `predictProba`.
 */
export class DecisionTreeClassifier {
  /** The options in use, defaults filled in (the fixed classes, criterion and class weights are not among them). */
  readonly options: DecisionTreeOptionsInUse;
  /** 'gini', 'entropy' or 'log_loss', as given. */
  readonly criterion: ClassificationCriterion;
  private readonly fixedClasses?: Label[];
  private readonly classWeight?: ClassWeight;
  private readonly seed?: Seed;
  private fitted?: { tree: TreeStructure; features: number; classes: Label[] };

  /**
   * @param options maxDepth (default Infinity), minSamplesSplit (2), minSamplesLeaf (1), maxFeatures
   *   ('all'), minImpurityDecrease (0), maxLeafNodes (Infinity), seed, criterion ('gini'),
   *   classWeight (none), classes (default: inferred from y); TypeError for unknown names or wrong
   *   types, RangeError for values out of range
   */
  constructor(options?: DecisionTreeClassifierOptions) {
    const owner = 'DecisionTreeClassifier';
    const resolved = resolveTreeOptions(owner, options, ['classes', 'criterion', 'classWeight']);
    this.options = optionsInUse(resolved);
    this.seed = resolved.seed;
    if (resolved.classes !== undefined) this.fixedClasses = checkClassesOption(owner, resolved.classes);
    this.criterion = checkClassificationCriterion(owner, resolved.criterion);
    this.classWeight = checkClassWeight(owner, resolved.classWeight);
  }

  /**
   * Fits the tree (replacing any previous fit) and returns `this`. Nothing passed in is modified.
   *
   * @param X rows of features, at least one
   * @param y one label per row: numbers or strings, not mixed, no NaN
   * @param sampleWeight one finite weight ≥ 0 per row, positive sum; default all 1
   */
  fit(X: FeatureRows, y: ArrayLike<Label>, sampleWeight?: ArrayLike<number>): this {
    const owner = 'DecisionTreeClassifier.fit';
    const features = checkFeatureRows(owner, 'X', X);
    let classes: Label[];
    let codes: Uint32Array;
    if (this.fixedClasses) {
      classes = this.fixedClasses;
      codes = encodeWithClasses(owner, 'y', checkSameLength(owner, 'y', y, X.length), new ClassLookup(classes));
    } else {
      ({ classes, codes } = encodeClassLabels(owner, 'y', y, X.length));
    }
    const weights = checkSampleWeights(owner, sampleWeight, X.length);
    if (this.classWeight !== undefined) {
      const perClass = classWeights(owner, this.classWeight, classes, codes);
      for (let i = 0; i < weights.length; i++) weights[i] *= perClass[codes[i]];
      if (!weights.some((w) => w > 0)) throw new RangeError(`${owner}: classWeight leaves every sample with weight 0`);
    }
    const growth = growthOptions(owner, this.options, X.length, features);
    const rng = drawsFor(owner, this.seed, growth, features);
    const criterion = this.criterion === 'gini' ? 'gini' : 'entropy';
    const tree = growTree(X, features, weights, { kind: 'classification', criterion, codes, classCount: classes.length }, growth, rng);
    this.fitted = { tree, features, classes };
    return this;
  }

  /** The classes in ascending order (throws before `fit`). */
  get classes(): readonly Label[] {
    return (this.fitted ?? notFitted('DecisionTreeClassifier.classes')).classes;
  }

  /** The fitted nodes (for inspection); throws before `fit`. */
  get tree(): TreeStructure {
    return (this.fitted ?? notFitted('DecisionTreeClassifier.tree')).tree;
  }

  /** Impurity-based importance of each feature, normalised to sum 1 (all 0 for a single leaf), as scikit-learn's `feature_importances_`. */
  get featureImportances(): Float64Array {
    const { tree, features } = this.fitted ?? notFitted('DecisionTreeClassifier.featureImportances');
    return featureImportances(tree, features);
  }

  /** The position in `classes` of each row's predicted class: the leaf's heaviest class, the first on a tie. */
  predictCodes(X: FeatureRows): Uint32Array {
    const owner = 'DecisionTreeClassifier.predict';
    const { tree, features, classes } = this.fitted ?? notFitted(owner);
    checkFeatureRows(owner, 'X', X, features);
    const k = classes.length;
    const result = new Uint32Array(X.length);
    for (let i = 0; i < X.length; i++) {
      const base = leafOf(tree, X[i]) * k;
      let best = 0;
      for (let c = 1; c < k; c++) if (tree.value[base + c] > tree.value[base + best]) best = c;
      result[i] = best;
    }
    return result;
  }

  /** The predicted label of each row. */
  predict(X: FeatureRows): Label[] {
    const codes = this.predictCodes(X);
    const classes = this.classes;
    return Array.from(codes, (code) => classes[code]);
  }

  /** Per row, the weighted class fractions of its leaf, in the order of `classes`. */
  predictProba(X: FeatureRows): Float64Array[] {
    const owner = 'DecisionTreeClassifier.predictProba';
    const { tree, features, classes } = this.fitted ?? notFitted(owner);
    checkFeatureRows(owner, 'X', X, features);
    return X.map((row) => leafProbabilities(tree, leafOf(tree, row), classes.length));
  }
}

/** The weighted class fractions of `leaf`. */
export function leafProbabilities(tree: TreeStructure, leaf: number, k: number): Float64Array {
  const base = leaf * k;
  let sum = 0;
  for (let c = 0; c < k; c++) sum += tree.value[base + c];
  const result = new Float64Array(k);
  for (let c = 0; c < k; c++) result[c] = tree.value[base + c] / sum;
  return result;
}
