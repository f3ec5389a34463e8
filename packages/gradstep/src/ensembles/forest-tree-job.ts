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
  /** Sample (and class) weight of each row. */
  weights: Float64Array;
  target: TreeTarget;
  growth: GrowthOptions;
}

/**
 * Grows tree `tree` on the rows it drew (with repetitions: a row drawn twice weighs twice, as
 * scikit-learn's forests give the bootstrap as weights), drawing its features from `seed` when it
 * tries fewer than all.
 */
export function growForestTree(data: ForestTreeData, rows: ArrayLike<number>, seed: number, tree: number): TreeStructure {
  const { X, features, weights, target, growth } = data;
  const n = X.length;
  const treeWeights = new Float64Array(n);
  for (let j = 0; j < rows.length; j++) treeWeights[rows[j]] += 1;
  for (let i = 0; i < n; i++) treeWeights[i] *= weights[i];
  if (!treeWeights.some((w) => w > 0)) {
    throw new RangeError(`${data.owner}: the rows drawn for tree ${tree} all have weight 0; raise maxSamples or the weights`);
  }
  const draws = growth.maxFeatures < features ? new Random(seed) : undefined;
  return growTree(X, features, treeWeights, target, growth, draws);
}
