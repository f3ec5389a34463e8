/**
 * Named scorers, after scikit-learn's `get_scorer` (`sklearn/metrics/_scorer.py`): a metric with its
 * fixed options, what it scores (labels, probabilities or decision values) and a sign, so that a
 * greater score is always better: losses come negated, as in scikit-learn's 'neg_…' scorers. Names
 * are scikit-learn's in camelCase ('f1_macro' is 'f1Macro', 'neg_log_loss' is 'negLogLoss').
 *
 * ```ts
 * const scorer = getScorer('f1Macro');
 * const cv = await crossValidate({ folds, fit, score: (model, rows) => scorer.score(takeRows(y, rows), predict(model, rows)) });
 * ```
 */
import { checkOptionNames, describe } from '../validate.js';
import {
  accuracyScore,
  balancedAccuracyScore,
  f1Score,
  precisionScore,
  recallScore,
  type Average,
} from './classification.js';
import { brierScoreLoss, logLoss } from './probabilistic.js';
import { rocAucScore } from './ranking.js';
import {
  explainedVarianceScore,
  meanAbsoluteError,
  meanSquaredError,
  r2Score,
  rootMeanSquaredError,
} from './regression.js';
import type { Labels } from './inputs.js';

/**
 * What a scorer scores, the second argument of `score`: 'predict' predicted labels (or values, for
 * regression); 'proba' probabilities (one per sample for the positive class in binary problems, else
 * n × classes row-major); 'decision' decision values or, for a model without them, positive-class
 * probabilities (scikit-learn tries `decision_function`, then `predict_proba`).
 */
export type ScorerNeeds = 'predict' | 'proba' | 'decision';

/** The names {@link getScorer} knows. */
export type ScorerName = (typeof SCORER_NAMES)[number];

/** A named metric: see {@link getScorer}. */
export interface Scorer {
  /** The name it was got by (e.g. 'f1Macro', 'negLogLoss'). */
  readonly name: ScorerName;
  /**
   * Whether the underlying metric grows with quality. `score` is always "greater is better": for a
   * loss (greaterIsBetter false) it returns the negated loss.
   */
  readonly greaterIsBetter: boolean;
  /** What `score` takes as predictions: labels ('predict'), probabilities ('proba') or decision values ('decision'). */
  readonly needs: ScorerNeeds;
  /**
   * The score of `yPredOrScores` (see `needs`) against `yTrue`, greater is better. `options` are the
   * metric's options other than the ones the scorer fixes (sampleWeight, labels, posLabel, …): a
   * fixed one (average, multiClass, …) is a TypeError.
   */
  score(yTrue: Labels, yPredOrScores: ArrayLike<number> | Labels, options?: Record<string, unknown>): number;
}

const SCORER_NAMES = [
  'accuracy',
  'balancedAccuracy',
  'f1',
  'f1Macro',
  'f1Micro',
  'f1Weighted',
  'precision',
  'precisionMacro',
  'precisionMicro',
  'precisionWeighted',
  'recall',
  'recallMacro',
  'recallMicro',
  'recallWeighted',
  'rocAuc',
  'rocAucOvr',
  'rocAucOvo',
  'rocAucOvrWeighted',
  'rocAucOvoWeighted',
  'negLogLoss',
  'negBrierScore',
  'negMeanSquaredError',
  'negRootMeanSquaredError',
  'negMeanAbsoluteError',
  'r2',
  'explainedVariance',
] as const;

/** A metric called with checked options; every scorer's options make it return a number. */
type Metric = (yTrue: unknown, y: unknown, options: Record<string, unknown>) => number;

/** The metrics' overloads reduced to the one signature the scorers use. */
const asMetric = (metric: unknown): Metric => metric as Metric;

interface Definition {
  metric: Metric;
  needs: ScorerNeeds;
  greaterIsBetter: boolean;
  /** The options the scorer sets. */
  fixed: Record<string, unknown>;
  /** The options a caller may pass. */
  open: readonly string[];
}

/** scikit-learn's 'f1' etc. leave pos_label open; 'f1_macro' etc. fix it to None. */
const BINARY_OPEN = ['labels', 'posLabel', 'sampleWeight', 'zeroDivision'] as const;
const AVERAGED_OPEN = ['labels', 'sampleWeight', 'zeroDivision'] as const;
const REGRESSION_OPEN = ['sampleWeight', 'outputs'] as const;

function prf(metric: Metric, average: Average): Definition {
  return { metric, needs: 'predict', greaterIsBetter: true, fixed: { average }, open: average === 'binary' ? BINARY_OPEN : AVERAGED_OPEN };
}

function rocAuc(needs: ScorerNeeds, fixed: Record<string, unknown>): Definition {
  return { metric: asMetric(rocAucScore), needs, greaterIsBetter: true, fixed, open: ['labels', 'sampleWeight'] };
}

const DEFINITIONS: Record<ScorerName, Definition> = {
  accuracy: { metric: asMetric(accuracyScore), needs: 'predict', greaterIsBetter: true, fixed: {}, open: ['sampleWeight'] },
  balancedAccuracy: { metric: asMetric(balancedAccuracyScore), needs: 'predict', greaterIsBetter: true, fixed: {}, open: ['sampleWeight', 'adjusted'] },
  f1: prf(asMetric(f1Score), 'binary'),
  f1Macro: prf(asMetric(f1Score), 'macro'),
  f1Micro: prf(asMetric(f1Score), 'micro'),
  f1Weighted: prf(asMetric(f1Score), 'weighted'),
  precision: prf(asMetric(precisionScore), 'binary'),
  precisionMacro: prf(asMetric(precisionScore), 'macro'),
  precisionMicro: prf(asMetric(precisionScore), 'micro'),
  precisionWeighted: prf(asMetric(precisionScore), 'weighted'),
  recall: prf(asMetric(recallScore), 'binary'),
  recallMacro: prf(asMetric(recallScore), 'macro'),
  recallMicro: prf(asMetric(recallScore), 'micro'),
  recallWeighted: prf(asMetric(recallScore), 'weighted'),
  rocAuc: rocAuc('decision', {}),
  rocAucOvr: rocAuc('proba', { multiClass: 'ovr' }),
  rocAucOvo: rocAuc('proba', { multiClass: 'ovo' }),
  rocAucOvrWeighted: rocAuc('proba', { multiClass: 'ovr', average: 'weighted' }),
  rocAucOvoWeighted: rocAuc('proba', { multiClass: 'ovo', average: 'weighted' }),
  negLogLoss: { metric: asMetric(logLoss), needs: 'proba', greaterIsBetter: false, fixed: {}, open: ['labels', 'sampleWeight'] },
  negBrierScore: { metric: asMetric(brierScoreLoss), needs: 'proba', greaterIsBetter: false, fixed: {}, open: ['labels', 'posLabel', 'sampleWeight'] },
  negMeanSquaredError: { metric: asMetric(meanSquaredError), needs: 'predict', greaterIsBetter: false, fixed: {}, open: REGRESSION_OPEN },
  negRootMeanSquaredError: { metric: asMetric(rootMeanSquaredError), needs: 'predict', greaterIsBetter: false, fixed: {}, open: REGRESSION_OPEN },
  negMeanAbsoluteError: { metric: asMetric(meanAbsoluteError), needs: 'predict', greaterIsBetter: false, fixed: {}, open: REGRESSION_OPEN },
  r2: { metric: asMetric(r2Score), needs: 'predict', greaterIsBetter: true, fixed: {}, open: [...REGRESSION_OPEN, 'forceFinite'] },
  explainedVariance: { metric: asMetric(explainedVarianceScore), needs: 'predict', greaterIsBetter: true, fixed: {}, open: [...REGRESSION_OPEN, 'forceFinite'] },
};

/** The names of all scorers, in a fixed order (classification, probabilistic, regression). */
export function scorerNames(): ScorerName[] {
  return [...SCORER_NAMES];
}

/**
 * The scorer called `name` (see {@link scorerNames}).
 *
 * @throws TypeError for a name that is not a string, RangeError for an unknown name
 */
export function getScorer(name: ScorerName): Scorer {
  const owner = 'getScorer';
  if (typeof name !== 'string') throw new TypeError(`${owner}: name must be a scorer name (a string), got ${describe(name)}`);
  if (!Object.prototype.hasOwnProperty.call(DEFINITIONS, name)) {
    throw new RangeError(`${owner}: name must be one of ${SCORER_NAMES.join(', ')}, got ${describe(name)}`);
  }
  const definition = DEFINITIONS[name];
  const scoreOwner = `scorer ${JSON.stringify(name)}`;
  const sign = definition.greaterIsBetter ? 1 : -1;
  return Object.freeze({
    name,
    greaterIsBetter: definition.greaterIsBetter,
    needs: definition.needs,
    score(yTrue: Labels, yPredOrScores: ArrayLike<number> | Labels, options?: Record<string, unknown>): number {
      const given = checkOptionNames(scoreOwner, options, definition.open);
      return sign * definition.metric(yTrue, yPredOrScores, { ...given, ...definition.fixed });
    },
  });
}
