/**
 * Metrics with scikit-learn's semantics (checked against scikit-learn 1.9.1 by
 * test/fixtures/gen_sklearn_metrics.py): classification on labels, ROC AUC on scores, losses of
 * probabilities, regression errors and scores, and named scorers. Pure TypeScript, float64.
 *
 * Conventions, everywhere:
 * - Labels are numbers (integer-valued) or strings, never mixed; classes are ordered as `np.unique`
 *   orders them (numbers ascending, strings by code point) unless a `labels` option gives them.
 * - Scores and probabilities are flat row-major arrays (number[], Float32Array, Float64Array) of n rows
 *   × k values, n the length of yTrue and k = length / n: one per sample for binary problems (the
 *   positive class), one per class otherwise. Regression targets use the same layout with `outputs`.
 * - Bad input is a TypeError (wrong type) or RangeError (bad value) naming the function, the argument
 *   and the value: different lengths, empty arrays, NaN or Infinity, mixed label types, non-integer
 *   labels, negative or all-zero sampleWeight.
 * - scikit-learn's warnings (UndefinedMetricWarning, UserWarning) go to the handler of
 *   `setWarningHandler` (default: `console.warn`, once per distinct message), and the function returns
 *   scikit-learn's value, e.g. 0 for an ill-defined precision under `zeroDivision: 'warn'`.
 */
export {
  accuracyScore,
  balancedAccuracyScore,
  confusionMatrix,
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
  f1Score,
  fbetaScore,
  type AccuracyOptions,
  type BalancedAccuracyOptions,
  type ConfusionMatrixOptions,
  type ConfusionMatrix,
  type Average,
  type ZeroDivision,
  type PrecisionRecallOptions,
  type FbetaOptions,
  type PerClassScores,
  type AveragedScores,
} from './classification.js';
export { rocAucScore, type RocAucOptions } from './ranking.js';
export { logLoss, brierScoreLoss, type LogLossOptions, type BrierScoreOptions } from './probabilistic.js';
export {
  meanSquaredError,
  rootMeanSquaredError,
  meanAbsoluteError,
  r2Score,
  explainedVarianceScore,
  type Multioutput,
  type RegressionOptions,
  type ExplainedDevianceOptions,
} from './regression.js';
export { getScorer, scorerNames, type Scorer, type ScorerName, type ScorerNeeds } from './scorers.js';
