/**
 * CART decision trees (Breiman et al. 1984) as scikit-learn's `DecisionTreeClassifier` (gini) and
 * `DecisionTreeRegressor` (squared error) with the best-split splitter: the weak learners of the
 * ensembles, usable on their own.
 *
 * What matches scikit-learn:
 * - candidate thresholds are the midpoints between consecutive distinct sorted values of a feature
 *   among the node's samples (`a/2 + b/2`, or `a` when that rounds to `b`); a row goes left when
 *   `x[feature] <= threshold`;
 * - a split is chosen by the largest proxy improvement of the criterion, computed with the same
 *   formulas (gini: `−w_R·gini_R − w_L·gini_L`; squared error: `S_L²/w_L + S_R²/w_R`; Friedman MSE
 *   for gradient boosting: `(w_R·S_L − w_L·S_R)²/(w_L·w_R)`); a later candidate must be strictly
 *   better, so the first best one wins;
 * - a node is a leaf when depth = maxDepth, it has fewer than minSamplesSplit or fewer than
 *   2·minSamplesLeaf samples, its impurity is ≤ 2^−52, or no threshold leaves minSamplesLeaf
 *   samples on both sides; a split is taken even when it does not lower the impurity (XOR-like
 *   data), as scikit-learn does with min_impurity_decrease = 0;
 * - sample weights weight every count and sum; samples of weight 0 are left out of the tree
 *   entirely (they count neither for minSamplesLeaf nor minSamplesSplit), as scikit-learn's splitter;
 * - leaves predict the weighted mean (regression) or the class with the largest weight, the
 *   smallest label on a tie (`classes_[argmax(proba)]`).
 *
 * Where it differs, deliberately:
 * - features are tried in index order 0, 1, …, d − 1 and the first best split kept. scikit-learn
 *   visits them in a random order (a Fisher–Yates shuffle drawn from `random_state`, even with
 *   `max_features=None`), so when two features give equally good splits its choice depends on the
 *   seed, and ours is always the lower feature index. Without such ties the trees are the same.
 * - values are compared exactly in float64. scikit-learn rounds X to float32 and treats values
 *   within 1e-7 of each other as equal (`FEATURE_THRESHOLD`): features on a scale of 1e-7 cannot be
 *   split there and can here.
 * - a node's impurity is computed from its own samples. scikit-learn carries the parent's running
 *   sums into the children, so a pure child can keep a rounding residue above 2^−52 and be split
 *   again into leaves of the same class or value: the predictions are the same, the node count can
 *   be larger there.
 * - minSamplesSplit and minSamplesLeaf are counts only (no fractions), maxFeatures and
 *   min_impurity_decrease are not offered.
 *
 * Cost: O(d · m log m) per node of m samples (one sort per feature), O(depth) per prediction.
 */
import { checkInteger, checkOptionNames, describe } from '../validate.js';
import { checkClassesOption, ClassLookup, encodeClassLabels, encodeWithClasses, type Label } from './class-labels.js';
import {
  checkFeatureRows,
  checkRegressionTargets,
  checkSampleWeights,
  checkSameLength,
  type FeatureRows,
} from './training-data.js';

/** scikit-learn's `EPSILON = np.finfo('double').eps`: a node this pure is a leaf. */
const IMPURITY_EPSILON = 2.220446049250313e-16;

/** Options of the decision trees: when to stop splitting (scikit-learn's names, in camelCase). */
export interface DecisionTreeOptions {
  /** Largest depth (the root is depth 0; a stump has maxDepth 1): an integer ≥ 1 or Infinity. Default Infinity (sklearn None). */
  maxDepth?: number;
  /** A node with fewer samples is not split: an integer ≥ 2. Default 2. */
  minSamplesSplit?: number;
  /** Each child must keep at least this many samples: an integer ≥ 1. Default 1. */
  minSamplesLeaf?: number;
}

/** Options of DecisionTreeClassifier: the tree's stopping rules and, optionally, its classes. */
export interface DecisionTreeClassifierOptions extends DecisionTreeOptions {
  /**
   * The classes, when they must not be inferred from `y`: a tree fitted on a subsample that lacks
   * a class still gives `predictProba` columns for all of them (bagging members). Every label of `y`
   * must be among them. Default: the distinct labels of `y`.
   */
  classes?: readonly Label[];
}

/** How the splits are scored; 'friedman_mse' is what scikit-learn's gradient boosting uses. */
export type RegressionCriterion = 'squared_error' | 'friedman_mse';

interface ResolvedTreeOptions {
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
}

const TREE_OPTION_NAMES = ['maxDepth', 'minSamplesSplit', 'minSamplesLeaf'] as const;

export function resolveTreeOptions(owner: string, options: unknown, extraNames: readonly string[] = []): ResolvedTreeOptions & Record<string, unknown> {
  const given = checkOptionNames(owner, options, [...TREE_OPTION_NAMES, ...extraNames]);
  const maxDepth = given.maxDepth ?? Infinity;
  if (typeof maxDepth !== 'number') throw new TypeError(`${owner}: maxDepth must be an integer >= 1 or Infinity, got ${describe(maxDepth)}`);
  if (!(maxDepth === Infinity || (Number.isInteger(maxDepth) && maxDepth >= 1))) {
    throw new RangeError(`${owner}: maxDepth must be an integer >= 1 or Infinity, got ${describe(maxDepth)}`);
  }
  return {
    ...given,
    maxDepth,
    minSamplesSplit: checkInteger(owner, 'minSamplesSplit', given.minSamplesSplit ?? 2, 2),
    minSamplesLeaf: checkInteger(owner, 'minSamplesLeaf', given.minSamplesLeaf ?? 1, 1),
  };
}

/** What the tree predicts: class codes (gini) or numbers (squared error). */
type TreeTarget =
  | { kind: 'gini'; codes: Uint32Array; classCount: number }
  | { kind: 'regression'; targets: Float64Array; criterion: RegressionCriterion };

/**
 * A fitted tree as flat node arrays (scikit-learn's `tree_` layout): node 0 is the root; an
 * internal node sends `x[feature[i]] <= threshold[i]` to `left[i]`, others to `right[i]`; a leaf
 * has `left[i] = right[i] = -1` and `feature[i] = -1`.
 */
export interface TreeStructure {
  /** Per node: the feature its split tests, or -1 for a leaf. */
  readonly feature: Int32Array;
  /** Per node: the split's threshold (a row goes left when `x[feature] <= threshold`); NaN for a leaf. */
  readonly threshold: Float64Array;
  /** Per node: the index of its left child, or -1 for a leaf. */
  readonly left: Int32Array;
  /** Per node: the index of its right child, or -1 for a leaf. */
  readonly right: Int32Array;
  /** Per node: the weighted class totals (classification, `classCount` per node) or the weighted mean (regression, 1 per node). */
  readonly value: Float64Array;
  /** Per node: its impurity (gini or mean squared error). */
  readonly impurity: Float64Array;
  /** Per node: its samples of positive weight. */
  readonly samples: Uint32Array;
  /** The depth of the deepest leaf (0 for a single leaf). */
  readonly depth: number;
}

/** Grows a tree on the samples of positive weight (depth first, left before right, as scikit-learn). */
export function growTree(
  X: FeatureRows,
  featureCount: number,
  weights: Float64Array,
  target: TreeTarget,
  options: ResolvedTreeOptions,
): TreeStructure {
  const n = X.length;
  const valueWidth = target.kind === 'gini' ? target.classCount : 1;
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const impurity: number[] = [];
  const samples: number[] = [];
  let depthReached = 0;

  const active: number[] = [];
  for (let i = 0; i < n; i++) if (weights[i] > 0) active.push(i);
  // Scratch arrays reused by every node: per-class totals of the left side.
  const leftTotals = new Float64Array(valueWidth);
  const nodeTotals = new Float64Array(valueWidth);

  // Nodes still to grow, depth first and left first (the numbering scikit-learn's builder gives),
  // on an explicit stack: a recursive builder overflows the JS stack past a few thousand levels.
  const pending: { indices: number[]; depth: number; parent: number; side: 'left' | 'right' | null }[] = [];

  /** Adds the node for `indices`; queues its children if it splits. Returns the node's index. */
  const grow = (indices: number[], depth: number): number => {
    const node = feature.length;
    depthReached = Math.max(depthReached, depth);
    // Node statistics.
    let weightSum = 0;
    nodeTotals.fill(0);
    let sum = 0;
    let squareSum = 0;
    for (const i of indices) {
      const w = weights[i];
      weightSum += w;
      if (target.kind === 'gini') nodeTotals[target.codes[i]] += w;
      else {
        const y = target.targets[i];
        sum += w * y;
        squareSum += w * y * y;
      }
    }
    let nodeImpurity: number;
    if (target.kind === 'gini') {
      let squares = 0;
      for (let c = 0; c < valueWidth; c++) squares += nodeTotals[c] * nodeTotals[c];
      nodeImpurity = 1 - squares / (weightSum * weightSum);
      for (let c = 0; c < valueWidth; c++) value.push(nodeTotals[c]);
    } else {
      const mean = sum / weightSum;
      nodeImpurity = squareSum / weightSum - mean * mean;
      value.push(mean);
    }
    feature.push(-1);
    threshold.push(NaN);
    left.push(-1);
    right.push(-1);
    impurity.push(nodeImpurity);
    samples.push(indices.length);

    const m = indices.length;
    const minLeaf = options.minSamplesLeaf;
    if (depth >= options.maxDepth || m < options.minSamplesSplit || m < 2 * minLeaf || nodeImpurity <= IMPURITY_EPSILON) {
      return node;
    }

    let bestProxy = -Infinity;
    let bestFeature = -1;
    let bestThreshold = NaN;
    const sorted = indices.slice();
    for (let f = 0; f < featureCount; f++) {
      sorted.sort((a, b) => X[a][f] - X[b][f]);
      if (X[sorted[m - 1]][f] === X[sorted[0]][f]) continue; // constant feature in this node
      let leftWeight = 0;
      let leftSum = 0;
      leftTotals.fill(0);
      for (let p = 1; p < m; p++) {
        const moved = sorted[p - 1];
        const w = weights[moved];
        leftWeight += w;
        if (target.kind === 'gini') leftTotals[target.codes[moved]] += w;
        else leftSum += w * target.targets[moved];
        const below = X[moved][f];
        const above = X[sorted[p]][f];
        if (above === below) continue;
        if (p < minLeaf || m - p < minLeaf) continue;
        const rightWeight = weightSum - leftWeight;
        let proxy: number;
        if (target.kind === 'gini') {
          let leftSquares = 0;
          let rightSquares = 0;
          for (let c = 0; c < valueWidth; c++) {
            const l = leftTotals[c];
            const r = nodeTotals[c] - l;
            leftSquares += l * l;
            rightSquares += r * r;
          }
          const giniLeft = 1 - leftSquares / (leftWeight * leftWeight);
          const giniRight = 1 - rightSquares / (rightWeight * rightWeight);
          proxy = -rightWeight * giniRight - leftWeight * giniLeft;
        } else {
          const rightSum = sum - leftSum;
          if (target.criterion === 'friedman_mse') {
            const difference = rightWeight * leftSum - leftWeight * rightSum;
            proxy = (difference * difference) / (leftWeight * rightWeight);
          } else {
            proxy = (leftSum * leftSum) / leftWeight + (rightSum * rightSum) / rightWeight;
          }
        }
        if (proxy > bestProxy) {
          bestProxy = proxy;
          bestFeature = f;
          // Halves first so that the sum cannot overflow; scikit-learn falls back to the lower value
          // when the midpoint rounds up to the upper one.
          let midpoint = below / 2 + above / 2;
          if (midpoint === above || !Number.isFinite(midpoint)) midpoint = below;
          bestThreshold = midpoint;
        }
      }
    }
    if (bestFeature < 0) return node;

    const leftIndices: number[] = [];
    const rightIndices: number[] = [];
    for (const i of indices) (X[i][bestFeature] <= bestThreshold ? leftIndices : rightIndices).push(i);
    feature[node] = bestFeature;
    threshold[node] = bestThreshold;
    pending.push({ indices: rightIndices, depth: depth + 1, parent: node, side: 'right' });
    pending.push({ indices: leftIndices, depth: depth + 1, parent: node, side: 'left' });
    return node;
  };

  pending.push({ indices: active, depth: 0, parent: -1, side: null });
  while (pending.length > 0) {
    const { indices, depth, parent, side } = pending.pop()!;
    const node = grow(indices, depth);
    if (side === 'left') left[parent] = node;
    else if (side === 'right') right[parent] = node;
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
    impurity: Float64Array.from(impurity),
    samples: Uint32Array.from(samples),
    depth: depthReached,
  };
}

/** The leaf that `row` falls into. */
function leafOf(tree: TreeStructure, row: ArrayLike<number>): number {
  let node = 0;
  while (tree.left[node] >= 0) node = row[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return node;
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
 * ```
 */
export class DecisionTreeRegressor {
  /** The options in use, defaults filled in. */
  readonly options: Readonly<Required<DecisionTreeOptions>>;
  private readonly criterion: RegressionCriterion;
  private fitted?: { tree: TreeStructure; features: number };

  /**
   * @param options maxDepth (default Infinity), minSamplesSplit (2), minSamplesLeaf (1); TypeError
   *   for unknown names or wrong types, RangeError for values out of range
   * @param criterion 'squared_error' (default) or 'friedman_mse' (gradient boosting's; it ranks
   *   splits identically up to rounding)
   */
  constructor(options?: DecisionTreeOptions, criterion: RegressionCriterion = 'squared_error') {
    const resolved = resolveTreeOptions('DecisionTreeRegressor', options);
    this.options = { maxDepth: resolved.maxDepth, minSamplesSplit: resolved.minSamplesSplit, minSamplesLeaf: resolved.minSamplesLeaf };
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
    const tree = growTree(X, features, weights, { kind: 'regression', targets, criterion: this.criterion }, this.options);
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
}

/**
 * A classification tree minimizing the (weighted) gini impurity, as scikit-learn's
 * `DecisionTreeClassifier(criterion="gini", splitter="best")`; see the module comment for the
 * exact split rule and the differences. Labels are numbers or strings (not mixed); `classes` is
 * their ascending order, the column order of `predictProba`.
 */
export class DecisionTreeClassifier {
  /** The stopping rules in use, defaults filled in (the fixed classes are not among them). */
  readonly options: Readonly<Required<DecisionTreeOptions>>;
  private readonly fixedClasses?: Label[];
  private fitted?: { tree: TreeStructure; features: number; classes: Label[] };

  /**
   * @param options maxDepth (default Infinity), minSamplesSplit (2), minSamplesLeaf (1), classes
   *   (default: inferred from y); TypeError for unknown names or wrong types, RangeError for values
   *   out of range
   */
  constructor(options?: DecisionTreeClassifierOptions) {
    const owner = 'DecisionTreeClassifier';
    const resolved = resolveTreeOptions(owner, options, ['classes']);
    this.options = { maxDepth: resolved.maxDepth, minSamplesSplit: resolved.minSamplesSplit, minSamplesLeaf: resolved.minSamplesLeaf };
    if (resolved.classes !== undefined) this.fixedClasses = checkClassesOption(owner, resolved.classes);
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
    const tree = growTree(X, features, weights, { kind: 'gini', codes, classCount: classes.length }, this.options);
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
    const k = classes.length;
    return X.map((row) => {
      const base = leafOf(tree, row) * k;
      const totals = tree.value.subarray(base, base + k);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += totals[c];
      return Float64Array.from(totals, (v) => v / sum);
    });
  }
}
