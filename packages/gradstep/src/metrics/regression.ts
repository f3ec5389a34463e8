/**
 * Regression metrics, after scikit-learn 1.9's `sklearn/metrics/_regression.py`: meanSquaredError,
 * rootMeanSquaredError, meanAbsoluteError, r2Score and explainedVarianceScore.
 *
 * Layout, as gradstep's regressors predict: yTrue and yPred are flat row-major arrays of n rows ×
 * `outputs` values (outputs = 1 by default: one number per sample). Each output is scored on its own,
 * then the outputs are combined by `multioutput`. Arithmetic is float64 in NumPy's order of summation.
 */
import { warn } from '../model-selection/warnings.js';
import { checkBoolean, checkInteger, checkOptionNames, describe } from '../validate.js';
import { checkChoice, checkFiniteNumbers, checkSampleWeight, columnSums, numpySum } from './inputs.js';

/**
 * How the scores of several outputs combine: 'uniformAverage' (default) their mean, 'rawValues' one
 * per output (a Float64Array, also for one output), 'varianceWeighted' (r2Score and
 * explainedVarianceScore only) their mean weighted by the variance of each output of yTrue, or an
 * array of one weight >= 0 per output (not all zero; only with more than one output).
 */
export type Multioutput = 'uniformAverage' | 'rawValues' | 'varianceWeighted' | ArrayLike<number>;

/** Options of meanSquaredError, rootMeanSquaredError and meanAbsoluteError. */
export interface RegressionOptions {
  /** One weight >= 0 per sample (row), not all zero. */
  sampleWeight?: ArrayLike<number>;
  /** Values per sample: yTrue and yPred hold n × outputs values, row-major. Default 1. */
  outputs?: number;
  /** See {@link Multioutput}; 'varianceWeighted' is for r2Score and explainedVarianceScore. */
  multioutput?: Multioutput;
}

/** Options of r2Score and explainedVarianceScore. */
export interface ExplainedDevianceOptions extends RegressionOptions {
  /**
   * true (default): an output whose yTrue is constant scores 1 when predicted exactly and 0
   * otherwise (rather than NaN or −Infinity); false: the plain formula `1 − a/b`.
   */
  forceFinite?: boolean;
}

type Single<O> = O & { multioutput?: Exclude<Multioutput, 'rawValues'> };
type Raw<O> = O & { multioutput: 'rawValues' };

/** The mean squared error, `mean((yTrue − yPred)²)` (`mean_squared_error`). */
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: Raw<RegressionOptions>): Float64Array;
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: Single<RegressionOptions>): number;
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: RegressionOptions): number | Float64Array;
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: RegressionOptions): number | Float64Array {
  const owner = 'meanSquaredError';
  const c = checkRegression(owner, yTrue, yPred, options, false);
  return combine(perOutputAverage(c, (d) => d * d), c.multioutput);
}

/** The root mean squared error, the square root of each output's mean squared error (`root_mean_squared_error`). */
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: Raw<RegressionOptions>): Float64Array;
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: Single<RegressionOptions>): number;
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: RegressionOptions): number | Float64Array;
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: RegressionOptions): number | Float64Array {
  const owner = 'rootMeanSquaredError';
  const c = checkRegression(owner, yTrue, yPred, options, false);
  return combine(perOutputAverage(c, (d) => d * d).map(Math.sqrt), c.multioutput);
}

/** The mean absolute error, `mean(|yTrue − yPred|)` (`mean_absolute_error`). */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: Raw<RegressionOptions>): Float64Array;
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: Single<RegressionOptions>): number;
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: RegressionOptions): number | Float64Array;
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: RegressionOptions): number | Float64Array {
  const owner = 'meanAbsoluteError';
  const c = checkRegression(owner, yTrue, yPred, options, false);
  return combine(perOutputAverage(c, Math.abs), c.multioutput);
}

/**
 * The coefficient of determination (`r2_score`): `1 − Σw(y − ŷ)² / Σw(y − ȳ)²` per output, 1 for
 * perfect predictions, 0 for predicting the mean, negative for worse. A constant yTrue follows
 * `forceFinite`. With fewer than two samples R² is not defined: NaN (one per output for 'rawValues'),
 * with a warning, as scikit-learn.
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: Raw<ExplainedDevianceOptions>): Float64Array;
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: Single<ExplainedDevianceOptions>): number;
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: ExplainedDevianceOptions): number | Float64Array;
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: ExplainedDevianceOptions): number | Float64Array {
  const owner = 'r2Score';
  const c = checkRegression(owner, yTrue, yPred, options, true);
  if (c.n < 2) {
    warn(`${owner}: R^2 score is not well-defined with less than two samples`);
    return c.multioutput === 'rawValues' ? new Float64Array(c.outputs).fill(NaN) : NaN;
  }
  const { n, outputs: k, t, p, weights } = c;
  const squaredErrors = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) {
    const d = t[i] - p[i];
    squaredErrors[i] = weights ? weights[Math.floor(i / k)] * (d * d) : d * d;
  }
  const numerator = columnSums(squaredErrors, n, k);
  const mean = weightedColumnMeans(c, t);
  const deviations = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) {
    const d = t[i] - mean[i % k];
    deviations[i] = weights ? weights[Math.floor(i / k)] * (d * d) : d * d;
  }
  const denominator = columnSums(deviations, n, k);
  return assemble(numerator, denominator, c.multioutput, c.forceFinite);
}

/**
 * The explained variance (`explained_variance_score`): `1 − Var(y − ŷ) / Var(y)` per output (weighted
 * variances), which unlike R² ignores a constant bias of the predictions. A constant yTrue follows
 * `forceFinite`.
 */
export function explainedVarianceScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: Raw<ExplainedDevianceOptions>): Float64Array;
export function explainedVarianceScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: Single<ExplainedDevianceOptions>): number;
export function explainedVarianceScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: ExplainedDevianceOptions): number | Float64Array;
export function explainedVarianceScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options?: ExplainedDevianceOptions): number | Float64Array {
  const owner = 'explainedVarianceScore';
  const c = checkRegression(owner, yTrue, yPred, options, true);
  const { n, outputs: k, t, p } = c;
  const residuals = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) residuals[i] = t[i] - p[i];
  const residualMean = weightedColumnMeans(c, residuals);
  const residualDeviations = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) {
    const d = residuals[i] - residualMean[i % k];
    residualDeviations[i] = d * d;
  }
  const numerator = weightedColumnMeans(c, residualDeviations);
  const trueMean = weightedColumnMeans(c, t);
  const trueDeviations = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) {
    const d = t[i] - trueMean[i % k];
    trueDeviations[i] = d * d;
  }
  const denominator = weightedColumnMeans(c, trueDeviations);
  return assemble(numerator, denominator, c.multioutput, c.forceFinite);
}

interface CheckedRegression {
  n: number;
  outputs: number;
  t: Float64Array;
  p: Float64Array;
  weights: Float64Array | undefined;
  multioutput: 'uniformAverage' | 'rawValues' | 'varianceWeighted' | Float64Array;
  forceFinite: boolean;
}

function checkRegression(owner: string, yTrue: unknown, yPred: unknown, options: unknown, explained: boolean): CheckedRegression {
  const names = ['sampleWeight', 'outputs', 'multioutput'];
  const given = checkOptionNames(owner, options, explained ? [...names, 'forceFinite'] : names);
  const outputs = given.outputs === undefined ? 1 : checkInteger(owner, 'outputs', given.outputs, 1);
  const trueLength = checkFiniteNumbers(owner, 'yTrue', yTrue, 'numbers');
  const predLength = checkFiniteNumbers(owner, 'yPred', yPred, 'numbers');
  if (trueLength === 0) throw new RangeError(`${owner}: yTrue must not be empty, got an empty array`);
  if (trueLength % outputs !== 0) {
    throw new RangeError(`${owner}: yTrue must hold n × outputs values (outputs = ${outputs}), got length ${trueLength}`);
  }
  if (predLength !== trueLength) {
    throw new RangeError(`${owner}: yPred must have the length of yTrue (${trueLength}, n × outputs), got length ${predLength}`);
  }
  const n = trueLength / outputs;
  const weights = checkSampleWeight(owner, given.sampleWeight, n);
  const forceFinite = given.forceFinite === undefined ? true : checkBoolean(owner, 'forceFinite', given.forceFinite);
  let multioutput: CheckedRegression['multioutput'] = 'uniformAverage';
  if (given.multioutput !== undefined) {
    if (typeof given.multioutput === 'string') {
      const allowed = explained ? (['uniformAverage', 'rawValues', 'varianceWeighted'] as const) : (['uniformAverage', 'rawValues'] as const);
      multioutput = checkChoice(owner, 'multioutput', given.multioutput, allowed, ' or an array of weights per output');
    } else {
      multioutput = checkOutputWeights(owner, given.multioutput, outputs);
    }
  }
  return {
    n,
    outputs,
    t: Float64Array.from(yTrue as ArrayLike<number>),
    p: Float64Array.from(yPred as ArrayLike<number>),
    weights,
    multioutput,
    forceFinite,
  };
}

function checkOutputWeights(owner: string, weights: unknown, outputs: number): Float64Array {
  const length = checkFiniteNumbers(owner, 'multioutput', weights, 'weights');
  if (outputs === 1) {
    throw new RangeError(`${owner}: multioutput weights are only useful with more than one output (outputs = 1), got ${describe(weights)}`);
  }
  if (length !== outputs) throw new RangeError(`${owner}: multioutput must hold one weight per output (${outputs}), got length ${length}`);
  const w = Float64Array.from(weights as ArrayLike<number>);
  w.forEach((v, j) => {
    if (v < 0) throw new RangeError(`${owner}: multioutput weights must be >= 0, got ${describe(v)} at index ${j}`);
  });
  if (numpySum(w) === 0) throw new RangeError(`${owner}: multioutput weights must not all be zero`);
  return w;
}

/** `_average(f(yTrue − yPred), weights=sampleWeight, axis=0)`: one value per output. */
function perOutputAverage(c: CheckedRegression, f: (difference: number) => number): Float64Array {
  const values = new Float64Array(c.n * c.outputs);
  for (let i = 0; i < values.length; i++) values[i] = f(c.t[i] - c.p[i]);
  return weightedColumnMeans(c, values);
}

/**
 * `_average(values, weights=sampleWeight, axis=0)` of an n × outputs matrix: column sums over n (or
 * of values × weight over the sum of the weights).
 */
function weightedColumnMeans(c: CheckedRegression, values: Float64Array): Float64Array {
  const { n, outputs: k, weights } = c;
  if (weights === undefined) return columnSums(values, n, k).map((sum) => sum / n);
  const products = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) products[i] = values[i] * weights[Math.floor(i / k)];
  const scale = numpySum(weights);
  return columnSums(products, n, k).map((sum) => sum / scale);
}

/** Combines per-output values (losses or scores) as `multioutput` says. */
function combine(values: Float64Array, multioutput: CheckedRegression['multioutput'], varianceWeights?: Float64Array): number | Float64Array {
  if (multioutput === 'rawValues') return values;
  let weights: Float64Array | undefined;
  if (multioutput === 'varianceWeighted') weights = varianceWeights;
  else if (multioutput !== 'uniformAverage') weights = multioutput;
  if (weights === undefined) return numpySum(values) / values.length;
  return numpySum(values.map((v, j) => v * weights[j])) / numpySum(weights);
}

/** `_assemble_fraction_of_explained_deviance`: 1 − numerator/denominator per output, with forceFinite. */
function assemble(
  numerator: Float64Array,
  denominator: Float64Array,
  multioutput: CheckedRegression['multioutput'],
  forceFinite: boolean,
): number | Float64Array {
  const k = numerator.length;
  const scores = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    if (!forceFinite) scores[j] = 1 - numerator[j] / denominator[j];
    else if (numerator[j] === 0) scores[j] = 1;
    else scores[j] = denominator[j] !== 0 ? 1 - numerator[j] / denominator[j] : 0;
  }
  // variance_weighted with every output constant: all weights zero, so the uniform mean.
  const varianceWeights = denominator.some((d) => d !== 0) ? denominator : undefined;
  return combine(scores, multioutput, varianceWeights);
}
