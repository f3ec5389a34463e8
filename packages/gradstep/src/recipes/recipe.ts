/**
 * Recipes: a gradstep model, its optimizer and how to train and score it, as plain data, so that
 * the worker pool can run searches over gradstep's own models without a task module of the user's
 * (functions cannot cross threads; a recipe can). A candidate's params override the recipe by dotted
 * path ('optimizer.lr', 'model.layers', 'batchSize'), as scikit-learn's `step__param` names reach
 * into a pipeline.
 *
 * The same functions train and score in the calling thread (workers: 1, the refit) and in each
 * worker (entries/recipe-task-*.ts load them there), so the results are the same bits whatever the
 * worker count.
 */
import type { BackendName } from '../backend.js';
import type { WeightInit } from '../models/weight-init.js';
import type { Optimizer } from '../optimizer.js';
import type { Param } from '../param.js';
import { Adadelta } from '../optimizers/adadelta.js';
import { Adagrad } from '../optimizers/adagrad.js';
import { Adam, AdamW } from '../optimizers/adam.js';
import { Adamax } from '../optimizers/adamax.js';
import { Lion } from '../optimizers/lion.js';
import { NAdam } from '../optimizers/nadam.js';
import { RAdam } from '../optimizers/radam.js';
import { RMSprop } from '../optimizers/rmsprop.js';
import { SGD } from '../optimizers/sgd.js';
import { DenseNetwork } from '../models/dense-network.js';
import { LinearRegression } from '../models/linear-regression.js';
import { LogisticRegression } from '../models/logistic-regression.js';
import { MLP } from '../models/mlp.js';
import { SoftmaxRegression } from '../models/softmax-regression.js';
import { fit as train } from '../training/fit.js';
import { getScorer, scorerNames, type ScorerName } from '../metrics/scorers.js';
import { checkOptionNames, describe } from '../validate.js';

/** A gradstep model as data: its class name and constructor options (the backend comes from the recipe). */
export type ModelRecipe =
  | {
      /** An MLP (MlpOptions). */
      type: 'MLP';
      /** [features, hidden …, outputs] (MlpOptions.layers). Required. */
      layers: readonly number[];
      /** The hidden layers' nonlinearity. Default 'relu'. */
      activation?: 'relu' | 'tanh';
      /** 'softmax' (a classifier, default) or 'linear' (a regressor). */
      output?: 'softmax' | 'linear';
      /** A WeightInit name ('he', 'glorot', 'zeros'). Default: 'he' with ReLU, 'glorot' with tanh. */
      init?: WeightInit;
      /** Seed of the initial weights. Default 0 (unlike MLP's random seed): every fit starts the same. */
      seed?: number;
    }
  | {
      /** A LogisticRegression (binary: y is 0 or 1). */
      type: 'LogisticRegression';
      /** Features per row of X. Required. */
      features: number;
    }
  | {
      /** A SoftmaxRegression (y: class indices). */
      type: 'SoftmaxRegression';
      /** Features per row of X. Required. */
      features: number;
      /** Number of classes K ≥ 2. Required. */
      classes: number;
    }
  | {
      /** A LinearRegression (least squares). */
      type: 'LinearRegression';
      /** Features per row of X. Required. */
      features: number;
      /** Targets per row. Default 1. */
      outputs?: number;
    };

/** An optimizer as data: its class name and options, e.g. `{ type: 'Adam', lr: 1e-3 }`. */
export interface OptimizerRecipe {
  /** The optimizer class; the other keys are its options (e.g. lr, betas, weightDecay). */
  type: 'SGD' | 'Adagrad' | 'Adadelta' | 'RMSprop' | 'Adam' | 'AdamW' | 'Adamax' | 'NAdam' | 'RAdam' | 'Lion';
  [option: string]: unknown;
}

/**
 * A model, its optimizer, and how to train and score it, all structured-cloneable:
 *
 * ```ts
 * const recipe = {
 *   model: { type: 'MLP', layers: [64, 32, 10] },
 *   optimizer: { type: 'Adam', lr: 1e-3 },
 *   epochs: 10, batchSize: 32, scoring: 'accuracy',
 * };
 * await gridSearch({ folds, recipe, data: { X, y }, params: { 'optimizer.lr': [1e-3, 1e-2], 'model.layers': [[64, 32, 10], [64, 64, 10]] }, workers: 'auto' });
 * ```
 */
export interface Recipe {
  /** The model: its class and constructor options; a fresh one for every fit. */
  model: ModelRecipe;
  /** The optimizer that trains it: its class and options. */
  optimizer: OptimizerRecipe;
  /** Passes over the training rows (fit's `epochs`). Required. */
  epochs: number;
  /** fit's `batchSize`. Default 32. */
  batchSize?: number | 'full';
  /** Seed of the batch order (fit's `seed`). Default 0: a recipe trains the same bits every time. */
  seed?: number;
  /** 'running' (default: no extra pass over the rows per epoch; only the final model matters here) or 'evaluate'. */
  trainMetrics?: 'running' | 'evaluate';
  /** The backend of the model's params. Default: getBackend() of the thread ('wasm' once init() ran). */
  backend?: BackendName;
  /**
   * A scorer name ({@link scorerNames}), or several (a search then reports each, and `refit` names the
   * one that chooses). Default 'accuracy' for classifiers, 'r2' for regressors (scikit-learn's `score`).
   */
  scoring?: ScorerName | readonly ScorerName[];
}

/** The data of a recipe: X row-major (rows × features), y one target per row (class indices for classifiers). */
export interface RecipeData {
  /** The features, row-major: rows × the model's features. */
  X: Float32Array;
  /** One target per row (class indices for classifiers; rows × outputs values for multi-output regression). */
  y: ArrayLike<number>;
}

/** What a recipe's task gets as data, in every thread: the recipe and the rows. */
export interface RecipeTaskData extends RecipeData {
  recipe: Recipe;
}

const RECIPE_KEYS = ['model', 'optimizer', 'epochs', 'batchSize', 'seed', 'trainMetrics', 'backend', 'scoring'] as const;

type OptimizerClass = new (params: readonly Param[], options: Record<string, unknown>) => Optimizer<object>;
const OPTIMIZERS: Record<OptimizerRecipe['type'], OptimizerClass> = {
  SGD: SGD as unknown as OptimizerClass,
  Adagrad: Adagrad as unknown as OptimizerClass,
  Adadelta: Adadelta as unknown as OptimizerClass,
  RMSprop: RMSprop as unknown as OptimizerClass,
  Adam: Adam as unknown as OptimizerClass,
  AdamW: AdamW as unknown as OptimizerClass,
  Adamax: Adamax as unknown as OptimizerClass,
  NAdam: NAdam as unknown as OptimizerClass,
  RAdam: RAdam as unknown as OptimizerClass,
  Lion: Lion as unknown as OptimizerClass,
};

/** The recipe's scorer names as given ('accuracy' or ['accuracy', 'f1Macro']), without the default. */
function scoringList(owner: string, scoring: unknown): ScorerName[] | undefined {
  if (scoring === undefined) return undefined;
  const list = typeof scoring === 'string' ? [scoring] : scoring;
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError(`${owner}: recipe.scoring must be a scorer name or a non-empty array of them (scorerNames()), got ${describe(scoring)}`);
  }
  const known = new Set<string>(scorerNames());
  for (const name of list) {
    if (typeof name !== 'string' || !known.has(name)) throw new RangeError(`${owner}: recipe.scoring names no scorer: ${describe(name)} (scorerNames() lists them)`);
  }
  if (new Set(list).size !== list.length) throw new RangeError(`${owner}: recipe.scoring names a scorer twice: ${describe(scoring)}`);
  return list as ScorerName[];
}

/**
 * Checks the shape of a recipe (its keys, model and optimizer types, scoring) and returns a deep
 * copy (the caller's object is never changed). The options themselves are checked by the
 * constructors and fit() at the first fit, which names them.
 */
export function checkRecipe(owner: string, recipe: unknown): Recipe {
  const given = checkOptionNames(`${owner}: recipe`, recipe, RECIPE_KEYS);
  let copy: Recipe;
  try {
    copy = structuredClone(given) as unknown as Recipe;
  } catch (error) {
    throw new TypeError(`${owner}: recipe must be plain data (structured-cloneable): ${(error as Error).message}`);
  }
  const model = copy.model as unknown;
  if (model === null || typeof model !== 'object' || typeof (model as { type?: unknown }).type !== 'string') {
    throw new TypeError(`${owner}: recipe.model must be { type: 'MLP' | 'LogisticRegression' | 'SoftmaxRegression' | 'LinearRegression', ...options }, got ${describe(model)}`);
  }
  const modelType = (model as { type: string }).type;
  if (!['MLP', 'LogisticRegression', 'SoftmaxRegression', 'LinearRegression'].includes(modelType)) {
    throw new RangeError(`${owner}: recipe.model.type must be 'MLP', 'LogisticRegression', 'SoftmaxRegression' or 'LinearRegression', got ${describe(modelType)}`);
  }
  const optimizer = copy.optimizer as unknown;
  if (optimizer === null || typeof optimizer !== 'object' || typeof (optimizer as { type?: unknown }).type !== 'string') {
    throw new TypeError(`${owner}: recipe.optimizer must be { type: 'Adam' | 'SGD' | …, ...options }, got ${describe(optimizer)}`);
  }
  const optimizerType = (optimizer as { type: string }).type;
  if (!Object.hasOwn(OPTIMIZERS, optimizerType)) {
    throw new RangeError(`${owner}: recipe.optimizer.type must be one of ${Object.keys(OPTIMIZERS).join(', ')}, got ${describe(optimizerType)}`);
  }
  if (copy.epochs === undefined) throw new TypeError(`${owner}: recipe.epochs is required`);
  scoringList(owner, copy.scoring);
  return copy;
}

/**
 * The recipe with a candidate's params applied: each key is a top-level field ('epochs') or a dotted
 * path into model or optimizer ('optimizer.lr', 'model.layers'). A new object; `recipe` is unchanged.
 */
export function applyParams(owner: string, recipe: Recipe, params: Record<string, unknown>): Recipe {
  const result: Recipe = { ...recipe, model: { ...recipe.model }, optimizer: { ...recipe.optimizer } };
  for (const [path, value] of Object.entries(params)) {
    const parts = path.split('.');
    // scoring chooses what the search reports, the same for every candidate: not a parameter.
    if (parts.length === 1 && (RECIPE_KEYS as readonly string[]).includes(path) && path !== 'model' && path !== 'optimizer' && path !== 'scoring') {
      (result as unknown as Record<string, unknown>)[path] = value;
    } else if (parts.length === 2 && (parts[0] === 'model' || parts[0] === 'optimizer') && parts[1] !== 'type' && parts[1].length > 0) {
      (result[parts[0]] as Record<string, unknown>)[parts[1]] = value;
    } else {
      throw new RangeError(
        `${owner}: the parameter ${JSON.stringify(path)} names no part of the recipe: use a field (epochs, batchSize, seed, trainMetrics, backend) or 'model.<option>' / 'optimizer.<option>'`,
      );
    }
  }
  return result;
}

/** A fresh model of the recipe (weights from its seed, default 0), on the recipe's backend. */
export function buildModel(recipe: Recipe): DenseNetwork {
  const { type, ...options } = recipe.model as ModelRecipe & Record<string, unknown>;
  const backend = recipe.backend === undefined ? {} : { backend: recipe.backend };
  switch (type) {
    case 'MLP':
      return new MLP({ seed: 0, ...(options as object), ...backend } as ConstructorParameters<typeof MLP>[0]);
    case 'LogisticRegression':
      return new LogisticRegression({ ...(options as object), ...backend } as ConstructorParameters<typeof LogisticRegression>[0]);
    case 'SoftmaxRegression':
      return new SoftmaxRegression({ ...(options as object), ...backend } as ConstructorParameters<typeof SoftmaxRegression>[0]);
    case 'LinearRegression':
      return new LinearRegression({ ...(options as object), ...backend } as ConstructorParameters<typeof LinearRegression>[0]);
  }
}

/** Builds the recipe's model and trains it on `rows` of the data; frees what it made if training throws. */
export function trainRecipe(recipe: Recipe, data: RecipeData, rows: ArrayLike<number>): DenseNetwork {
  return trainCheckedRecipe(checkRecipe('trainRecipe', recipe), data, rows);
}

/** trainRecipe of a recipe already checked (the pool's jobs check it once per call). */
function trainCheckedRecipe(recipe: Recipe, data: RecipeData, rows: ArrayLike<number>): DenseNetwork {
  const model = buildModel(recipe);
  let optimizer: Optimizer<object> | undefined;
  try {
    const { type, ...options } = recipe.optimizer;
    optimizer = new OPTIMIZERS[type](model.params, options);
    train(model, { X: data.X, y: data.y, rows }, {
      optimizer,
      epochs: recipe.epochs,
      batchSize: recipe.batchSize ?? 32,
      seed: recipe.seed ?? 0,
      trainMetrics: recipe.trainMetrics ?? 'running',
    });
    // The model is what the search keeps; the optimizer's state is not needed after training.
    optimizer.dispose();
    return model;
  } catch (error) {
    optimizer?.dispose();
    model.dispose();
    throw error;
  }
}

/** The names a recipe's scores are reported under: ['score'] for one scorer (as scikit-learn's single metric), else the scorers' names. */
export function recipeScorerNames(owner: string, recipe: Recipe): string[] {
  const list = scoringList(owner, recipe.scoring);
  return list === undefined || typeof recipe.scoring === 'string' ? ['score'] : list;
}

/** The scorer behind a reported name ('score': the recipe's one scorer, or the default for the model's kind). */
function scorerFor(recipe: Recipe, name: string, model: DenseNetwork): ScorerName {
  if (name !== 'score') return name as ScorerName;
  if (typeof recipe.scoring === 'string') return recipe.scoring;
  return model.kind === 'classifier' ? 'accuracy' : 'r2';
}

/**
 * A fitted model's score on `rows` by the named scorer, as scikit-learn's scorers call the model:
 * predicted labels, or probabilities (the positive class's for two classes) for 'proba' and
 * 'decision' scorers.
 */
export function scoreRecipe(recipe: Recipe, name: string, model: DenseNetwork, data: RecipeData, rows: Uint32Array): number {
  const scorer = getScorer(scorerFor(recipe, name, model));
  const yTrue = Array.from(rows, (row) => data.y[row]);
  if (scorer.needs === 'predict') return scorer.score(yTrue, model.predict(data.X, rows));
  const proba = model.predictProba(data.X, rows);
  if (model.outputs !== 2) return scorer.score(yTrue, proba);
  // Binary problems score the probability of class 1 (scikit-learn's predict_proba[:, 1]).
  return scorer.score(yTrue, Float32Array.from({ length: rows.length }, (_, i) => proba[2 * i + 1]));
}

/**
 * The task-module functions of recipes (setup, fit, score): what entries/recipe-task-*.ts export in
 * each worker, and what the calling thread runs for workers: 1 and the refit. `init` loads the
 * thread's wasm (the entry's init()), awaited once per call in setup.
 */
export function recipeTaskFunctions(init: () => Promise<void>) {
  const score: Record<string, (model: DenseNetwork, rows: Uint32Array, data: RecipeTaskData) => number | Float32Array> = {};
  for (const name of ['score', ...scorerNames()]) score[name] = (model, rows, data) => scoreRecipe(data.recipe, name, model, data, rows);
  // Not scores: the predictions on the rows (biasVariance's rounds), and the trained weights, all
  // params one after another (bagging's members, rebuilt in the calling thread), as Float32Arrays.
  score.predict = (model, rows, data) => model.predict(data.X, rows);
  score.weights = (model) => concatenatedWeights(model);
  return {
    async setup(data: RecipeTaskData): Promise<RecipeTaskData> {
      // Without a backend in the recipe, the thread's default must not depend on whether its wasm has loaded yet.
      if (data.recipe.backend !== 'js') await init();
      return data;
    },
    fit(params: Record<string, unknown>, rows: Uint32Array, data: RecipeTaskData): DenseNetwork {
      return trainCheckedRecipe(applyParams('recipe', data.recipe, params), data, rows);
    },
    score,
    /** Frees a job's model (its params live in wasm memory, which no GC sees). */
    dispose(model: DenseNetwork): void {
      model.dispose();
    },
  };
}

/** A model's params' values, one after another in `params` order. */
export function concatenatedWeights(model: DenseNetwork): Float32Array {
  const out = new Float32Array(model.params.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of model.params) {
    out.set(p.value, at);
    at += p.length;
  }
  return out;
}
