/**
 * One tree of a random forest as a job of its own: what the calling thread runs for each tree, and
 * what a pool worker runs (recipes/builtin-task.ts) when the forest is fitted on workers. A tree
 * depends only on this data, its drawn rows and its seed, so it is the same bits in any thread.
 */
import { Random } from '../model-selection/random.js';
import type { FeatureRows } from './training-data.js';
import { growTree, type GrowthOptions, type TreeStructure, type TreeTarget } from './tree-growth.js';

/** Everything a tree of the forest needs besides its rows and seed (structured-cloneable). */
export interface ForestTreeData {
  kind: 'forest-tree';
  /** For error messages: 'RandomForestClassifier.fit', … */
  owner: string;
  X: FeatureRows;
  features: number;
  /** Sample (and class) weight of each row: what a tree gets without bootstrap (with it, its draw counts). */
  weights: Float64Array;
  bootstrap: boolean;
  target: TreeTarget;
  growth: GrowthOptions;
}

/**
 * Grows tree `tree` on the rows it drew (with repetitions: a row drawn twice weighs twice, as
 * scikit-learn's forests give the bootstrap as counts), or without bootstrap on every row with its
 * weight, drawing its features from `seed` when it tries fewer than all.
 */
export function growForestTree(data: ForestTreeData, rows: ArrayLike<number>, seed: number, tree: number): TreeStructure {
  const { X, features, weights, target, growth } = data;
  const n = X.length;
  let treeWeights: Float64Array;
  if (data.bootstrap) {
    // The draws were in proportion to the weights already: the tree gets the counts alone.
    treeWeights = new Float64Array(n);
    for (let j = 0; j < rows.length; j++) treeWeights[rows[j]] += 1;
  } else {
    treeWeights = weights;
  }
  if (!treeWeights.some((w) => w > 0)) {
    throw new RangeError(`${data.owner}: every row of tree ${tree} has weight 0: the sample and class weights leave it nothing to learn from`);
  }
  const draws = growth.maxFeatures < features ? new Random(seed) : undefined;
  return growTree(X, features, treeWeights, target, growth, draws);
}
