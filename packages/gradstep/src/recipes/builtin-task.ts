/**
 * The pool's built-in task: what the workers of recipe-task-node.js / recipe-task-browser.js (and a
 * bundled worker's servePoolWorker) run for work gradstep describes itself, as data: a recipe
 * (recipe.ts) or one tree of a random forest (ensembles/forest-tree-job.ts), told apart by the data.
 */
import { growForestTree, type ForestTreeData } from '../ensembles/forest-tree-job.js';
import { recipeTaskFunctions, type RecipeTaskData } from './recipe.js';

type BuiltinData = RecipeTaskData | ForestTreeData;

const isForest = (data: BuiltinData): data is ForestTreeData => (data as ForestTreeData).kind === 'forest-tree';

/** The task module's functions (setup, fit, score, dispose) for both kinds of work. */
export function builtinTaskFunctions(init: () => Promise<void>) {
  const recipes = recipeTaskFunctions(init);
  const score: Record<string, (model: never, rows: Uint32Array, data: never) => unknown> = { ...recipes.score };
  // Not a score: the grown tree itself (plain typed arrays), posted back to the forest.
  score.tree = (model) => model;
  return {
    setup: (data: BuiltinData) => (isForest(data) ? data : recipes.setup(data)),
    fit: (params: Record<string, unknown>, rows: Uint32Array, data: BuiltinData) =>
      isForest(data) ? growForestTree(data, rows, params.seed as number, params.tree as number) : recipes.fit(params, rows, data),
    score,
    dispose: (model: unknown, data: BuiltinData) => {
      if (!isForest(data)) recipes.dispose(model as Parameters<typeof recipes.dispose>[0]);
    },
  };
}
