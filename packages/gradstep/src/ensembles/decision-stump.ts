/**
 * Decision stumps: trees of depth 1 (one split, two leaves), the classic weak learner of AdaBoost
 * (scikit-learn's default `DecisionTreeClassifier(max_depth=1)`). Same split rule as the trees.
 */
import { describe } from '../validate.js';
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  type DecisionTreeClassifierOptions,
  type DecisionTreeOptions,
} from './decision-tree.js';

/** Options of DecisionStumpRegressor: a tree's options without maxDepth, which is 1. */
export type DecisionStumpOptions = Omit<DecisionTreeOptions, 'maxDepth'>;
/** Options of DecisionStumpClassifier: a classification tree's options without maxDepth, which is 1. */
export type DecisionStumpClassifierOptions = Omit<DecisionTreeClassifierOptions, 'maxDepth'>;

function withDepthOne<T extends object>(owner: string, options: T | undefined): T & { maxDepth: 1 } {
  if (options !== undefined && options !== null && typeof options === 'object' && 'maxDepth' in options) {
    throw new TypeError(`${owner}: a stump has maxDepth 1; use a decision tree for another depth (got maxDepth ${describe((options as { maxDepth: unknown }).maxDepth)})`);
  }
  return { ...(options ?? ({} as T)), maxDepth: 1 };
}

/** A classification stump: `DecisionTreeClassifier` with maxDepth 1. */
export class DecisionStumpClassifier extends DecisionTreeClassifier {
  constructor(options?: DecisionStumpClassifierOptions) {
    super(withDepthOne('DecisionStumpClassifier', options));
  }
}

/** A regression stump: `DecisionTreeRegressor` with maxDepth 1. */
export class DecisionStumpRegressor extends DecisionTreeRegressor {
  constructor(options?: DecisionStumpOptions) {
    super(withDepthOne('DecisionStumpRegressor', options));
  }
}
