/**
 * The engine of every tree (decision trees, forests, boosting): options resolved against the data,
 * scikit-learn's split search with its per-node feature draws, depth-first and best-first growth,
 * and the impurity-based feature importances. The tree classes (decision-tree.ts) and the
 * ensembles are thin specs over it.
 *
 * See decision-tree.ts for what matches scikit-learn and where it differs.
 */
import { Random } from '../model-selection/random.js';
import { describe } from '../validate.js';
import type { FeatureRows } from './training-data.js';

/** scikit-learn's `EPSILON = np.finfo('double').eps`: a node this pure is a leaf. */
const IMPURITY_EPSILON = 2.220446049250313e-16;

/** How many features each node may try: scikit-learn's `max_features`. */
export type MaxFeatures = 'sqrt' | 'log2' | 'all' | number;

/** How a classification tree scores splits; 'log_loss' is scikit-learn's synonym of 'entropy'. */
export type ClassificationCriterion = 'gini' | 'entropy' | 'log_loss';

/** How a regression tree scores splits; 'friedman_mse' is what scikit-learn's gradient boosting used to use. */
export type RegressionCriterion = 'squared_error' | 'friedman_mse';

/** What the tree predicts: class codes (gini, entropy) or numbers (squared error). */
export type TreeTarget =
  | { kind: 'classification'; criterion: 'gini' | 'entropy'; codes: Uint32Array; classCount: number }
  | { kind: 'regression'; targets: Float64Array; criterion: RegressionCriterion };

/** The options as the engine uses them, every count resolved against the training data. */
export interface GrowthOptions {
  /** Largest depth (Infinity: none). */
  maxDepth: number;
  /** A node with fewer samples is a leaf (≥ 2). */
  minSamplesSplit: number;
  /** Each child keeps at least this many samples (≥ 1). */
  minSamplesLeaf: number;
  /** Features tried per node, 1 … featureCount. */
  maxFeatures: number;
  /** A split must lower the weighted impurity by at least this much (scikit-learn's formula). */
  minImpurityDecrease: number;
  /** Best-first growth up to this many leaves; Infinity: depth-first, no limit. */
  maxLeafNodes: number;
}

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
  /** Per node: its impurity (gini, entropy in bits, or mean squared error). */
  readonly impurity: Float64Array;
  /** Per node: its samples of positive weight. */
  readonly samples: Uint32Array;
  /** Per node: the sum of its samples' weights (scikit-learn's `weighted_n_node_samples`). */
  readonly weightedSamples: Float64Array;
  /** The depth of the deepest leaf (0 for a single leaf). */
  readonly depth: number;
}

/**
 * The number of features `maxFeatures` stands for with `featureCount` features, as scikit-learn:
 * 'sqrt' max(1, ⌊√d⌋), 'log2' max(1, ⌊log2 d⌋), 'all' d, a fraction in (0, 1] max(1, ⌊f·d⌋), an
 * integer > 1 itself (RangeError above d). A count of 1 is asked for with a fraction ≤ 1/d.
 */
export function resolveMaxFeatures(owner: string, value: unknown, featureCount: number): number {
  if (value === 'all') return featureCount;
  if (value === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(featureCount)));
  if (value === 'log2') return Math.max(1, Math.floor(Math.log2(featureCount)));
  checkMaxFeatures(owner, value);
  const number = value as number;
  if (number <= 1) return Math.max(1, Math.floor(number * featureCount));
  if (number > featureCount) {
    throw new RangeError(`${owner}: maxFeatures must be at most the number of features ${featureCount}, got ${number}`);
  }
  return number;
}

/** Checks a maxFeatures option before the data is known. */
export function checkMaxFeatures(owner: string, value: unknown): MaxFeatures {
  if (value === 'all' || value === 'sqrt' || value === 'log2') return value;
  const what = `maxFeatures must be 'sqrt', 'log2', 'all', a fraction in (0, 1] or an integer count > 1`;
  if (typeof value !== 'number') throw new TypeError(`${owner}: ${what}, got ${describe(value)}`);
  if (!(value > 0) || !Number.isFinite(value) || (value > 1 && !Number.isInteger(value))) {
    throw new RangeError(`${owner}: ${what}, got ${describe(value)}`);
  }
  return value;
}

/** What the split search found for a node. */
interface NodeSplit {
  feature: number;
  threshold: number;
  /** scikit-learn's `impurity_improvement`: (W_node/W_total)·(I − W_R/W_node·I_R − W_L/W_node·I_L). */
  improvement: number;
  left: number[];
  right: number[];
}

/** A node waiting to be added: its samples, depth, parent and the constant features it inherits. */
interface PendingNode {
  indices: number[];
  depth: number;
  parent: number;
  isLeft: boolean;
  knownConstants: number;
}

/**
 * Grows a tree on the samples of positive weight: depth first, left before right (scikit-learn's
 * `DepthFirstTreeBuilder`), or best first when `maxLeafNodes` is finite (`BestFirstTreeBuilder`).
 * With maxFeatures < featureCount each node draws its features from `rng` as scikit-learn's
 * `BestSplitter` draws them (a partial Fisher–Yates over the features not known to be constant);
 * with all features it tries them in index order and draws nothing.
 */
export function growTree(
  X: FeatureRows,
  featureCount: number,
  weights: Float64Array,
  target: TreeTarget,
  options: GrowthOptions,
  rng?: Random,
): TreeStructure {
  const n = X.length;
  const k = target.kind === 'classification' ? target.classCount : 1;
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const impurity: number[] = [];
  const samples: number[] = [];
  const weightedSamples: number[] = [];
  const constantsAfter: number[] = [];
  let depthReached = 0;

  const active: number[] = [];
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    if (weights[i] > 0) {
      active.push(i);
      totalWeight += weights[i];
    }
  }
  const drawFeatures = options.maxFeatures < featureCount;
  if (drawFeatures && !rng) throw new Error('growTree: maxFeatures < featureCount needs a generator');
  // The splitter's state across nodes, as scikit-learn's: the feature order and the constants found.
  const features = Int32Array.from({ length: featureCount }, (_, f) => f);
  const constantFeatures = new Int32Array(featureCount);
  const leftTotals = new Float64Array(k);
  const nodeTotals = new Float64Array(k);
  const rightTotals = new Float64Array(k);

  const classImpurity = (totals: Float64Array, w: number): number => {
    if (target.kind !== 'classification') return 0;
    if (target.criterion === 'gini') {
      let squares = 0;
      for (let c = 0; c < k; c++) squares += totals[c] * totals[c];
      return 1 - squares / (w * w);
    }
    let entropy = 0;
    for (let c = 0; c < k; c++) {
      if (totals[c] > 0) {
        const p = totals[c] / w;
        entropy -= p * (Math.log(p) / Math.LN2);
      }
    }
    return entropy;
  };

  /**
   * Adds the node for `pending` and searches its split (unless a stopping rule makes it a leaf).
   * Returns the node's index and the split, if any; the node stays a leaf until `applySplit`.
   */
  const addNode = (pending: PendingNode): { node: number; split?: NodeSplit } => {
    const { indices, depth } = pending;
    const node = feature.length;
    depthReached = Math.max(depthReached, depth);
    let weightSum = 0;
    nodeTotals.fill(0);
    let sum = 0;
    let squareSum = 0;
    for (const i of indices) {
      const w = weights[i];
      weightSum += w;
      if (target.kind === 'classification') nodeTotals[target.codes[i]] += w;
      else {
        const y = target.targets[i];
        sum += w * y;
        squareSum += w * y * y;
      }
    }
    let nodeImpurity: number;
    if (target.kind === 'classification') {
      nodeImpurity = classImpurity(nodeTotals, weightSum);
      for (let c = 0; c < k; c++) value.push(nodeTotals[c]);
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
    weightedSamples.push(weightSum);
    constantsAfter.push(pending.knownConstants);
    if (pending.parent >= 0) (pending.isLeft ? left : right)[pending.parent] = node;

    const m = indices.length;
    const minLeaf = options.minSamplesLeaf;
    if (depth >= options.maxDepth || m < options.minSamplesSplit || m < 2 * minLeaf || nodeImpurity <= IMPURITY_EPSILON) {
      return { node };
    }

    let bestProxy = -Infinity;
    let bestFeature = -1;
    let bestThreshold = NaN;
    let bestPosition = -1;
    let bestLeftWeight = 0;
    let bestLeftSum = 0;
    const bestLeftTotals = new Float64Array(k);
    const sorted = indices.slice();

    /** Sorts the node's samples by feature f; false when f is constant in the node. */
    const sortBy = (f: number): boolean => {
      sorted.sort((a, b) => X[a][f] - X[b][f]);
      return X[sorted[m - 1]][f] !== X[sorted[0]][f];
    };
    /** Scans every threshold of feature f (samples sorted by it) and keeps a strictly better one. */
    const scan = (f: number): void => {
      let leftWeight = 0;
      let leftSum = 0;
      leftTotals.fill(0);
      for (let p = 1; p < m; p++) {
        const moved = sorted[p - 1];
        const w = weights[moved];
        leftWeight += w;
        if (target.kind === 'classification') leftTotals[target.codes[moved]] += w;
        else leftSum += w * target.targets[moved];
        const below = X[moved][f];
        const above = X[sorted[p]][f];
        if (above === below) continue;
        if (p < minLeaf || m - p < minLeaf) continue;
        const rightWeight = weightSum - leftWeight;
        let proxy: number;
        if (target.kind === 'classification') {
          for (let c = 0; c < k; c++) rightTotals[c] = nodeTotals[c] - leftTotals[c];
          proxy = -rightWeight * classImpurity(rightTotals, rightWeight) - leftWeight * classImpurity(leftTotals, leftWeight);
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
          bestPosition = p;
          bestLeftWeight = leftWeight;
          bestLeftSum = leftSum;
          bestLeftTotals.set(leftTotals);
          // Halves first so that the sum cannot overflow; scikit-learn falls back to the lower value
          // when the midpoint rounds up to the upper one.
          let midpoint = below / 2 + above / 2;
          if (midpoint === above || !Number.isFinite(midpoint)) midpoint = below;
          bestThreshold = midpoint;
        }
      }
    };

    let knownConstantsOut = pending.knownConstants;
    if (!drawFeatures) {
      for (let f = 0; f < featureCount; f++) if (sortBy(f)) scan(f);
    } else {
      // scikit-learn's BestSplitter.node_split, feature by feature: draw among the features not yet
      // drawn nor known constant; a constant one is set aside and does not count as tried, and the
      // search goes on until maxFeatures features were visited (and more while only constants came).
      const knownConstants = pending.knownConstants;
      let remaining = featureCount;
      let visited = 0;
      let foundConstants = 0;
      let drawnConstants = 0;
      let totalConstants = knownConstants;
      while (remaining > totalConstants && (visited < options.maxFeatures || visited <= foundConstants + drawnConstants)) {
        visited++;
        let j = drawnConstants + rng!.integer(remaining - foundConstants - drawnConstants);
        if (j < knownConstants) {
          const held = features[drawnConstants];
          features[drawnConstants] = features[j];
          features[j] = held;
          drawnConstants++;
          continue;
        }
        j += foundConstants;
        const f = features[j];
        if (!sortBy(f)) {
          features[j] = features[totalConstants];
          features[totalConstants] = f;
          foundConstants++;
          totalConstants++;
          continue;
        }
        remaining--;
        features[j] = features[remaining];
        features[remaining] = f;
        scan(f);
      }
      // Keep the known constants first, in their original order, for the children and siblings.
      for (let c = 0; c < knownConstants; c++) features[c] = constantFeatures[c];
      for (let c = knownConstants; c < knownConstants + foundConstants; c++) constantFeatures[c] = features[c];
      knownConstantsOut = totalConstants;
    }
    constantsAfter[node] = knownConstantsOut;
    if (bestFeature < 0) return { node };

    // Children impurities from the best split's sums, as scikit-learn's children_impurity.
    const rightWeight = weightSum - bestLeftWeight;
    let leftImpurity: number;
    let rightImpurity: number;
    if (target.kind === 'classification') {
      for (let c = 0; c < k; c++) rightTotals[c] = nodeTotals[c] - bestLeftTotals[c];
      leftImpurity = classImpurity(bestLeftTotals, bestLeftWeight);
      rightImpurity = classImpurity(rightTotals, rightWeight);
    } else {
      let leftSquares = 0;
      sorted.sort((a, b) => X[a][bestFeature] - X[b][bestFeature]);
      for (let p = 0; p < bestPosition; p++) {
        const i = sorted[p];
        leftSquares += weights[i] * target.targets[i] * target.targets[i];
      }
      const rightSum = sum - bestLeftSum;
      leftImpurity = leftSquares / bestLeftWeight - (bestLeftSum / bestLeftWeight) ** 2;
      rightImpurity = (squareSum - leftSquares) / rightWeight - (rightSum / rightWeight) ** 2;
    }
    const improvement =
      (weightSum / totalWeight) * (nodeImpurity - (rightWeight / weightSum) * rightImpurity - (bestLeftWeight / weightSum) * leftImpurity);
    if (improvement + IMPURITY_EPSILON < options.minImpurityDecrease) return { node };

    const leftIndices: number[] = [];
    const rightIndices: number[] = [];
    for (const i of indices) (X[i][bestFeature] <= bestThreshold ? leftIndices : rightIndices).push(i);
    return { node, split: { feature: bestFeature, threshold: bestThreshold, improvement, left: leftIndices, right: rightIndices } };
  };

  const child = (indices: number[], parentDepth: number, parent: number, isLeft: boolean): PendingNode => ({
    indices,
    depth: parentDepth + 1,
    parent,
    isLeft,
    knownConstants: constantsAfter[parent],
  });

  if (options.maxLeafNodes === Infinity) {
    // Depth first on an explicit stack: a recursive builder overflows the JS stack past a few
    // thousand levels.
    const stack: PendingNode[] = [{ indices: active, depth: 0, parent: -1, isLeft: false, knownConstants: 0 }];
    while (stack.length > 0) {
      const pending = stack.pop()!;
      const { node, split } = addNode(pending);
      if (!split) continue;
      feature[node] = split.feature;
      threshold[node] = split.threshold;
      stack.push(child(split.right, pending.depth, node, false));
      stack.push(child(split.left, pending.depth, node, true));
    }
  } else {
    // Best first: the frontier node of largest improvement is expanded next (its children are added
    // and searched at once), until maxLeafNodes − 1 splits were made; the rest stay leaves.
    interface FrontierEntry {
      node: number;
      depth: number;
      split?: NodeSplit;
      order: number;
    }
    // A binary heap: the entry of largest improvement on top, the earliest on a tie. Nodes without a
    // split never expand, so they stay out of it; growth ends when no split is left or allowed.
    const heap: FrontierEntry[] = [];
    const before = (a: FrontierEntry, b: FrontierEntry) => a.split!.improvement > b.split!.improvement || (a.split!.improvement === b.split!.improvement && a.order < b.order);
    const push = (entry: FrontierEntry) => {
      let i = heap.push(entry) - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(heap[i], heap[parent])) break;
        [heap[i], heap[parent]] = [heap[parent], heap[i]];
        i = parent;
      }
    };
    const pop = (): FrontierEntry => {
      const top = heap[0];
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let first = i;
          if (l < heap.length && before(heap[l], heap[first])) first = l;
          if (r < heap.length && before(heap[r], heap[first])) first = r;
          if (first === i) break;
          [heap[i], heap[first]] = [heap[first], heap[i]];
          i = first;
        }
      }
      return top;
    };
    let order = 0;
    const enqueue = (pending: PendingNode) => {
      const { node, split } = addNode(pending);
      const entry = { node, depth: pending.depth, split, order: order++ };
      if (split) push(entry);
    };
    enqueue({ indices: active, depth: 0, parent: -1, isLeft: false, knownConstants: 0 });
    let splitsLeft = options.maxLeafNodes - 1;
    while (heap.length > 0 && splitsLeft > 0) {
      const entry = pop();
      splitsLeft--;
      feature[entry.node] = entry.split!.feature;
      threshold[entry.node] = entry.split!.threshold;
      enqueue(child(entry.split!.left, entry.depth, entry.node, true));
      enqueue(child(entry.split!.right, entry.depth, entry.node, false));
    }
  }
  // The depth of the deepest leaf actually kept.
  const depths = new Int32Array(feature.length);
  depthReached = 0;
  for (let node = 0; node < feature.length; node++) {
    if (left[node] >= 0) {
      depths[left[node]] = depths[node] + 1;
      depths[right[node]] = depths[node] + 1;
    } else depthReached = Math.max(depthReached, depths[node]);
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
    impurity: Float64Array.from(impurity),
    samples: Uint32Array.from(samples),
    weightedSamples: Float64Array.from(weightedSamples),
    depth: depthReached,
  };
}

/** The leaf that `row` falls into. */
export function leafOf(tree: TreeStructure, row: ArrayLike<number>): number {
  let node = 0;
  while (tree.left[node] >= 0) node = row[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return node;
}

/**
 * Impurity-based feature importances (mean decrease in impurity, Breiman 2001), as scikit-learn's
 * `feature_importances_`: per split node W·I − W_L·I_L − W_R·I_R added to its feature, divided by
 * the root's weight, then normalised to sum 1 (all zeros for a tree that is a single leaf) unless
 * `normalize` is false (gradient boosting averages the unnormalised ones).
 */
export function featureImportances(tree: TreeStructure, featureCount: number, normalize = true): Float64Array {
  const importances = new Float64Array(featureCount);
  for (let node = 0; node < tree.feature.length; node++) {
    const l = tree.left[node];
    if (l < 0) continue;
    const r = tree.right[node];
    importances[tree.feature[node]] +=
      tree.weightedSamples[node] * tree.impurity[node] - tree.weightedSamples[l] * tree.impurity[l] - tree.weightedSamples[r] * tree.impurity[r];
  }
  let total = 0;
  for (let f = 0; f < featureCount; f++) {
    importances[f] /= tree.weightedSamples[0];
    total += importances[f];
  }
  if (normalize && total > 0) for (let f = 0; f < featureCount; f++) importances[f] /= total;
  return importances;
}
