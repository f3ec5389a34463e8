/**
 * bagging of a recipe: the members, each one of gradstep's models trained on its drawn rows, are
 * trained on the worker pool; their weights come back and the members are rebuilt here, then
 * aggregated by {@link bagging} itself (the same draws from the same seed), so the ensemble is the one
 * the callback form would build, whatever the worker count.
 */
import type { DenseNetwork } from '../models/dense-network.js';
import { Random, randomFrom, type Seed } from '../model-selection/random.js';
import { fromRowArrays, toRowArrays } from '../data/feature-rows.js';
import { resolveWorkers, type Workers } from '../parallel/pool.js';
import { runOutputJobs } from '../evaluation/task-jobs.js';
import { applyParams, buildModel, type Recipe, type RecipeData, type RecipeTaskData } from '../recipes/recipe.js';
import { loadRecipeTask } from '../recipes/recipe-task.js';
import { checkBoolean, checkInteger, checkOptionNames, describe } from '../validate.js';
import { bagging, drawMembers, type BaggingClassifier, type BaggingRegressor } from './bagging.js';
import { resolveSampleCount } from './ensemble-options.js';

/**
 * The options of bagging with a recipe: rows are X's rows (Float32Arrays of `features` values) and the
 * ensemble's predict takes such rows. MLP members get their draw's seed (`info.seed`) as the model's
 * and the batch order's seed unless the recipe fixes them, as scikit-learn gives each member its own
 * random_state.
 */
export interface BaggingRecipeOptions {
  /** 'regression': the members' predictions are averaged; 'classification': their predictProba are (soft voting). */
  task: 'regression' | 'classification';
  /** The members' model, optimizer and training as data (see {@link Recipe}); each member is trained on its drawn rows. */
  recipe: Recipe;
  /** X row-major (rows × features), y one target per row (class indices 0 … k − 1 for classifiers). */
  data: RecipeData;
  /** Number of members: an integer ≥ 1. Default 10. */
  estimators?: number;
  /** Rows per member: a fraction in (0, 1] of n, truncated as int(fraction·n), or an integer count > 1. Default 1 (n rows). */
  maxSamples?: number;
  /** Draw rows with replacement (true, default) or without. */
  bootstrap?: boolean;
  /** Compute out-of-bag predictions and score; default true with bootstrap, and only allowed with it. */
  outOfBag?: boolean;
  /** Seed of all draws, and so of the members' seeds; a Random is advanced. Default: a fresh random seed. */
  seed?: Seed;
  /** 1 (default: in the calling thread), n threads, 'auto' or a pool. The same ensemble whatever the count. */
  workers?: Workers;
}

export async function baggingOfRecipe(owner: string, options: unknown): Promise<BaggingRegressor<Float32Array, DenseNetwork> | BaggingClassifier<Float32Array, DenseNetwork>> {
  const given = checkOptionNames(owner, options, ['task', 'recipe', 'data', 'estimators', 'maxSamples', 'bootstrap', 'outOfBag', 'seed', 'workers']);
  const task = given.task;
  if (task !== 'regression' && task !== 'classification') throw new TypeError(`${owner}: task must be 'regression' or 'classification', got ${describe(task)}`);
  const workers = await resolveWorkers(owner, given.workers);
  const loaded = loadRecipeTask(owner, given.recipe, given.data, workers, ['weights']);
  const { recipe, X, y } = loaded.data as RecipeTaskData;
  const n = y.length;
  if (n === 0) throw new RangeError(`${owner}: data must hold at least one row`);
  const features = X.length / n;
  if (!Number.isInteger(features) || features < 1) throw new RangeError(`${owner}: data.X holds ${X.length} values, not a whole number of features per row for ${n} rows`);
  const estimators = checkInteger(owner, 'estimators', given.estimators ?? 10, 1);
  const maxSamples = resolveSampleCount(owner, 'maxSamples', given.maxSamples ?? 1, n);
  const useBootstrap = given.bootstrap === undefined ? true : checkBoolean(owner, 'bootstrap', given.bootstrap);
  // Checked before any member trains (bagging checks it again, after).
  if (given.outOfBag !== undefined && checkBoolean(owner, 'outOfBag', given.outOfBag) && !useBootstrap) {
    throw new RangeError(`${owner}: out-of-bag estimation is only available with bootstrap: true (got outOfBag: true, bootstrap: false)`);
  }
  // Draw here (to train the members), and let bagging draw the same again from a copy of the generator.
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const before = rng.getState();
  const { samples, memberSeeds } = drawMembers(rng, n, estimators, maxSamples, useBootstrap);
  const memberParams = Array.from(memberSeeds, (seed) => {
    const params: Record<string, unknown> = {};
    if (recipe.model.type === 'MLP' && recipe.model.seed === undefined) params['model.seed'] = seed;
    if (recipe.seed === undefined) params.seed = seed;
    return params;
  });
  const noRows = new Uint32Array(0);
  const folds = samples.map((train) => ({ train, test: noRows }));
  const weights = (await runOutputJobs(owner, loaded, workers, folds, memberParams, (member) => `member ${member}`)) as Float32Array[];
  const members: DenseNetwork[] = [];
  try {
    memberParams.forEach((params, member) => {
      const model = buildModel(applyParams(owner, recipe, params));
      members.push(model);
      // A worker's message drives the copy: it must hold exactly the model's values.
      const expected = model.params.reduce((sum, p) => sum + p.length, 0);
      if (!(weights[member] instanceof Float32Array) || weights[member].length !== expected) {
        throw new Error(`${owner}: the weights of member ${member} came back as ${describe(weights[member])}, not ${expected} float32 values`);
      }
      let at = 0;
      for (const p of model.params) {
        p.value.set(weights[member].subarray(at, at + p.length));
        at += p.length;
      }
    });
  } catch (error) {
    for (const model of members) model.dispose();
    throw error;
  }
  const rows = toRowArrays(X, features);
  const common = {
    X: rows,
    estimators,
    maxSamples: given.maxSamples as number | undefined,
    bootstrap: useBootstrap,
    outOfBag: given.outOfBag as boolean | undefined,
    seed: Random.fromState(before),
    fit: (_X: unknown, _y: unknown, info: { member: number }) => members[info.member],
    predict: (model: DenseNetwork, part: Float32Array[]) => model.predict(fromRowArrays(part)),
  };
  try {
    if (task === 'regression') return bagging({ ...common, task, y: Float64Array.from(y) });
    return bagging({
    ...common,
    task,
    y: Array.from(y),
    predict: (model: DenseNetwork, part: Float32Array[]) => Array.from(model.predict(fromRowArrays(part))),
    predictProba: (model: DenseNetwork, part: Float32Array[]) => {
      const proba = model.predictProba(fromRowArrays(part));
      const k = model.outputs;
      // A logistic model gives P(y = 1) alone; the ensemble wants a column per class.
      return part.map((_, i) => (k === 1 ? [1 - proba[i], proba[i]] : Array.from(proba.subarray(i * k, (i + 1) * k))));
      },
    });
  } catch (error) {
    // The members hold wasm memory: a refused ensemble must not keep it.
    for (const member of members) member.dispose();
    throw error;
  }
}
