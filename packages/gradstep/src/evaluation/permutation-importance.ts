/**
 * Permutation feature importance (Breiman 2001; scikit-learn's `sklearn.inspection.permutation_importance`):
 * how much a fitted model's score drops when one feature's values are shuffled across rows, which breaks
 * its link with the target. Works for any model with `predict` (and `predictProba` or
 * `decisionFunction` when the scorer needs them): the trees, forests and boosting, and gradstep's
 * networks on flat Float32Array rows.
 */
import { getScorer, type ScorerName } from '../metrics/scorers.js';
import { Random, randomFrom, type Seed } from '../model-selection/random.js';
import { checkInteger, checkOptionNames, describe } from '../validate.js';
import { checkFeatureRows, type FeatureRows } from '../ensembles/training-data.js';

/** A fitted model: what permutationImportance calls. */
export interface PermutableModel<X> {
  /** Labels or values, one per row. */
  predict(X: X): ArrayLike<unknown>;
  /** Class probabilities: rows of k values, or flat rows × k (rows × 1 for a logistic model's P(y = 1)). */
  predictProba?(X: X): ArrayLike<number> | readonly ArrayLike<number>[];
  /** Decision values: rows (of 1 or k values), or flat. */
  decisionFunction?(X: X): ArrayLike<number> | readonly ArrayLike<number>[];
}

/** Options of {@link permutationImportance}. */
export interface PermutationImportanceOptions {
  /** The scorer's name (see `scorerNames()`): 'accuracy', 'r2', 'negLogLoss', … Required. */
  scoring: ScorerName;
  /** Shuffles per feature: an integer ≥ 1. Default 5. */
  nRepeats?: number;
  /** Seed of the shuffles; a Random is advanced. Default: a fresh random seed. */
  seed?: Seed;
  /** With X a flat Float32Array: the number of features per row. Default: the model's `features`. */
  features?: number;
  /** Sample weights passed to the scorer. */
  sampleWeight?: ArrayLike<number>;
}

/** The result of {@link permutationImportance}. */
export interface PermutationImportance {
  /** The score of the model on the unshuffled rows. */
  readonly baselineScore: number;
  /** Per feature, the mean over repeats of (baseline − score with the feature shuffled). */
  readonly importancesMean: Float64Array;
  /** Per feature, the population standard deviation of those drops. */
  readonly importancesStd: Float64Array;
  /** Per feature, the drop of each repeat. */
  readonly importances: Float64Array[];
}


/**
 * Scores `model` on X, then for each feature j and each repeat scores it on a copy of X whose column j
 * is shuffled, as scikit-learn: one seed is drawn from `seed`; each feature starts a new `Random` from
 * it and shuffles the row order `nRepeats` times in succession (so every feature sees the same
 * permutations), taking column j from the shuffled rows. The importance is the score's drop
 * (greater is better for every scorer, losses negated).
 *
 * X is an array of rows (the trees' FeatureRows) or a flat row-major Float32Array (gradstep's
 * networks). Nothing passed in is modified: the model gets fresh copies.
 *
 * @throws TypeError/RangeError for a missing or unknown scorer, bad nRepeats or seed, X and y of
 *   different lengths, a model without the method the scorer needs
 */
export function permutationImportance<X extends FeatureRows | Float32Array>(
  model: PermutableModel<X>,
  X: X,
  y: ArrayLike<number> | ArrayLike<string>,
  options: PermutationImportanceOptions,
): PermutationImportance {
  const owner = 'permutationImportance';
  const given = checkOptionNames(owner, options, ['scoring', 'nRepeats', 'seed', 'features', 'sampleWeight']);
  if (given.scoring === undefined) throw new TypeError(`${owner}: scoring must name a scorer ('accuracy', 'r2', …), got undefined`);
  const scorer = getScorer(given.scoring as ScorerName);
  const nRepeats = checkInteger(owner, 'nRepeats', given.nRepeats ?? 5, 1);
  if (model === null || typeof model !== 'object' || typeof (model as { predict?: unknown }).predict !== 'function') {
    throw new TypeError(`${owner}: model must be a fitted model with a predict method, got ${describe(model)}`);
  }
  const flat = X instanceof Float32Array;
  let n: number;
  let features: number;
  if (flat) {
    features = checkInteger(owner, 'features', given.features ?? (model as { features?: unknown }).features, 1);
    n = X.length / features;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${owner}: X holds ${X.length} values, not a whole number of rows of ${features} features`);
  } else {
    if (!Array.isArray(X) || X.length === 0) throw new TypeError(`${owner}: X must be a non-empty array of rows or a Float32Array, got ${describe(X)}`);
    n = X.length;
    // Every row checked (numbers, one length): a ragged row would reach the model unchecked.
    features = checkFeatureRows(owner, 'X', X);
  }
  if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<unknown>).length !== 'number' || y.length !== n) {
    throw new RangeError(`${owner}: y must have one value per row of X (${n}), got ${describe(y)}`);
  }
  const needs = scorer.needs;
  if (needs === 'proba' && typeof model.predictProba !== 'function') {
    throw new TypeError(`${owner}: scoring ${JSON.stringify(scorer.name)} needs probabilities, and the model has no predictProba`);
  }
  const scoreOptions = given.sampleWeight === undefined ? undefined : { sampleWeight: given.sampleWeight };
  const score = (rows: X): number => {
    let predictions: ArrayLike<unknown>;
    if (needs === 'predict') predictions = model.predict(rows);
    else if (needs === 'decision' && typeof model.decisionFunction === 'function') predictions = scores(model.decisionFunction(rows), n);
    else if (typeof model.predictProba === 'function') predictions = scores(model.predictProba(rows), n);
    else throw new TypeError(`${owner}: scoring ${JSON.stringify(scorer.name)} needs decision values or probabilities, and the model has neither`);
    return scorer.score(y as never, predictions as never, scoreOptions);
  };

  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const columnSeed = rng.nextUint32();
  const baselineScore = score(flat ? (X.slice() as X) : (Array.from(X as FeatureRows, (row) => Array.from(row)) as unknown as X));
  const importances: Float64Array[] = [];
  for (let j = 0; j < features; j++) {
    const columnRng = new Random(columnSeed);
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    const drops = new Float64Array(nRepeats);
    for (let r = 0; r < nRepeats; r++) {
      columnRng.shuffle(order);
      let permuted: X;
      if (flat) {
        const copy = (X as Float32Array).slice();
        for (let i = 0; i < n; i++) copy[i * features + j] = (X as Float32Array)[order[i] * features + j];
        permuted = copy as X;
      } else {
        const rows = X as FeatureRows;
        permuted = rows.map((row, i) => {
          const copy = Array.from(row);
          copy[j] = rows[order[i]][j];
          return copy;
        }) as unknown as X;
      }
      drops[r] = baselineScore - score(permuted);
    }
    importances.push(drops);
  }
  const importancesMean = Float64Array.from(importances, (d) => d.reduce((s, v) => s + v, 0) / nRepeats);
  const importancesStd = Float64Array.from(importances, (d, j) => Math.sqrt(d.reduce((s, v) => s + (v - importancesMean[j]) ** 2, 0) / nRepeats));
  return { baselineScore, importancesMean, importancesStd, importances };
}

/**
 * Probabilities or decision values in the scorer's layout: the positive class's column for two
 * classes (or the single column), else rows × k flattened.
 */
function scores(values: ArrayLike<number> | readonly ArrayLike<number>[], n: number): Float64Array {
  const rows = values as ArrayLike<ArrayLike<number> | number>;
  if (rows.length === n && typeof rows[0] === 'object') {
    const k = (rows[0] as ArrayLike<number>).length;
    if (k === 1) return Float64Array.from(rows as ArrayLike<ArrayLike<number>>, (row) => row[0]);
    if (k === 2) return Float64Array.from(rows as ArrayLike<ArrayLike<number>>, (row) => row[1]);
    const result = new Float64Array(n * k);
    for (let i = 0; i < n; i++) result.set(Array.from((rows as ArrayLike<ArrayLike<number>>)[i]), i * k);
    return result;
  }
  const flat = values as ArrayLike<number>;
  const k = flat.length / n;
  if (k === 2) return Float64Array.from({ length: n }, (_, i) => flat[i * 2 + 1]);
  return Float64Array.from(flat);
}
