// The metrics' argument checks and conventions beyond what scikit-learn's fixtures show: exact messages,
// the option rules of validate.ts (undefined = default, null = TypeError), typed arrays, the deliberate
// differences from scikit-learn, the warning hook, the scorers' API, and ROC AUC against an
// independent definition (the Mann–Whitney probability, ties counting one half).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  accuracyScore,
  balancedAccuracyScore,
  brierScoreLoss,
  confusionMatrix,
  explainedVarianceScore,
  f1Score,
  fbetaScore,
  getScorer,
  logLoss,
  meanAbsoluteError,
  meanSquaredError,
  precisionRecallFscoreSupport,
  precisionScore,
  r2Score,
  recallScore,
  rocAucScore,
  rootMeanSquaredError,
  scorerNames,
  type ScorerName,
} from '../../src/metrics/index.js';
import { setWarningHandler } from '../../src/model-selection/warnings.js';
import { expectError } from '../expect-error.js';

afterEach(() => {
  setWarningHandler(undefined);
  vi.restoreAllMocks();
});

/** Collects the warnings of `call`. */
function warningsOf(call: () => unknown): string[] {
  const received: string[] = [];
  const previous = setWarningHandler((message) => received.push(message));
  try {
    call();
  } finally {
    setWarningHandler(previous);
  }
  return received;
}

describe('argument checks', () => {
  it('name the function, the argument and the value', () => {
    expectError(() => accuracyScore([0, 1, 1], [0, 1]), RangeError, 'accuracyScore: yPred must have one label per sample (length 3, as yTrue), got length 2');
    expectError(() => accuracyScore([], []), RangeError, 'accuracyScore: yTrue must not be empty, got an empty array');
    expectError(() => accuracyScore('abc' as never, [0]), TypeError, 'accuracyScore: yTrue must be an array or a typed array, got "abc"');
    expectError(() => accuracyScore([0, 1], [true, false] as never), TypeError, 'accuracyScore: yPred must hold numbers or strings, got true at index 0');
    expectError(() => accuracyScore([0, 'a'] as never, [0, 1]), TypeError, 'accuracyScore: yTrue mixes numbers and strings (0 at index 0, "a" at index 1)');
    expectError(() => accuracyScore([0, 1], ['a', 'b']), TypeError, /^accuracyScore: yPred must hold numbers like yTrue/);
    expectError(() => accuracyScore([0, 1.5], [0, 1]), RangeError, /^accuracyScore: yTrue must hold class labels \(integers or strings\), got 1.5 at index 1/);
    expectError(() => accuracyScore([0, NaN], [0, 1]), RangeError, 'accuracyScore: yTrue must hold finite labels, got NaN at index 1');
    expectError(() => accuracyScore([0, 1], [0, 1], { sampleWeight: [1, -1] }), RangeError, 'accuracyScore: sampleWeight must hold weights >= 0, got -1 at index 1');
    expectError(() => accuracyScore([0, 1], [0, 1], { sampleWeight: [0, 0] }), RangeError, 'accuracyScore: sampleWeight must contain at least one nonzero weight, got only zeros');
    expectError(() => rocAucScore([0, 1], [0.5, Infinity]), RangeError, 'rocAucScore: yScore must hold finite scores, got Infinity at index 1');
    expectError(() => rocAucScore([0, 1], new BigInt64Array(2) as never), TypeError, /^rocAucScore: yScore must hold numbers/);
    expectError(() => logLoss([0, 1], [0.5, 1.5]), RangeError, 'logLoss: yProba must hold probabilities from 0 to 1, got 1.5 at index 1');
    expectError(() => meanSquaredError([1, 2], [1, NaN]), RangeError, 'meanSquaredError: yPred must hold finite numbers, got NaN at index 1');
  });

  it('options: undefined is the default, null and unknown names are TypeErrors, non-objects too', () => {
    expect(accuracyScore([0, 1], [0, 0], { normalize: undefined })).toBe(0.5);
    expectError(() => accuracyScore([0, 1], [0, 0], { normalize: null } as never), TypeError, 'accuracyScore: normalize must not be null (leave it undefined for the default), got null');
    expectError(() => accuracyScore([0, 1], [0, 0], { normalise: true } as never), TypeError, 'accuracyScore: unknown option "normalise" (known: normalize, sampleWeight)');
    expectError(() => accuracyScore([0, 1], [0, 0], 'x' as never), TypeError, 'accuracyScore: options must be an object, got "x"');
    expectError(() => accuracyScore([0, 1], [0, 0], { normalize: 1 } as never), TypeError, 'accuracyScore: normalize must be true or false, got 1');
    expectError(() => f1Score([0, 1], [0, 0], { average: null } as never), TypeError, /average must not be null/);
    expectError(() => f1Score([0, 1], [0, 0], { average: 3 } as never), TypeError, "f1Score: average must be one of 'binary', 'micro', 'macro', 'weighted', 'none', got 3");
    expectError(() => f1Score([0, 1], [0, 0], { zeroDivision: 'nan' } as never), TypeError, "f1Score: zeroDivision must be 'warn', 0, 1 or NaN, got \"nan\"");
    expectError(() => fbetaScore([0, 1], [0, 0], {} as never), TypeError, 'fbetaScore: beta is required (a number >= 0), got undefined');
    expectError(() => fbetaScore([0, 1], [0, 0], { beta: NaN }), RangeError, 'fbetaScore: beta must be a finite number >= 0, got NaN');
    expectError(() => confusionMatrix([0, 1], [0, 0], { normalize: 'rows' } as never), RangeError, "confusionMatrix: normalize must be one of 'true', 'pred', 'all', got \"rows\"");
    expectError(() => rocAucScore([0, 1, 2], [1, 0, 0, 0, 1, 0, 0, 0, 1], { multiClass: 'raise' } as never), RangeError, /multiClass must be one of 'ovr', 'ovo'/);
    expectError(() => brierScoreLoss([0, 1], [0.1, 0.9], { scaleByHalf: 'yes' } as never), TypeError, 'brierScoreLoss: scaleByHalf must be true or false, got "yes"');
    expectError(() => meanSquaredError([1, 2], [1, 2], { forceFinite: true } as never), TypeError, /unknown option "forceFinite"/);
  });

  it('labels and posLabel must match the kind of yTrue; labels must be distinct (a deliberate difference)', () => {
    expectError(() => confusionMatrix([0, 1], [0, 1], { labels: ['0', '1'] }), TypeError, /^confusionMatrix: labels must hold numbers like yTrue/);
    expectError(() => confusionMatrix([0, 1], [0, 1], { labels: 1 as never }), TypeError, 'confusionMatrix: labels must be an array of class labels, got 1');
    expectError(() => confusionMatrix([0, 1], [0, 1], { labels: [1, 0, 1] }), RangeError, 'confusionMatrix: labels must not contain duplicates, got 1 twice (again at index 2)');
    expectError(() => precisionScore(['a', 'b'], ['a', 'a'], { posLabel: 1 }), TypeError, 'precisionScore: posLabel must be a string like the labels of yTrue, got 1');
    expectError(() => precisionScore([0, 1], [0, 0], { posLabel: {} as never }), TypeError, /posLabel must be a class label/);
    expectError(() => logLoss([0, 1, 1], [0.2, 0.7, 0.6], { labels: [0, 1, 0] }), RangeError, /labels must not contain duplicates/);
  });

  it('regression layout: outputs, lengths and output weights', () => {
    expectError(() => meanSquaredError([1, 2, 3], [1, 2, 3], { outputs: 2 }), RangeError, 'meanSquaredError: yTrue must hold n × outputs values (outputs = 2), got length 3');
    expectError(() => meanSquaredError([1, 2], [1, 2], { outputs: 0 }), RangeError, 'meanSquaredError: outputs must be an integer >= 1, got 0');
    expectError(() => meanSquaredError([1, 2], [1, 2], { outputs: 1.5 }), RangeError, /outputs must be an integer >= 1, got 1.5/);
    expectError(() => r2Score([1, 2, 3, 4], [1, 2, 3, 4], { outputs: 2, multioutput: [1, -1] }), RangeError, 'r2Score: multioutput weights must be >= 0, got -1 at index 1');
    expectError(() => r2Score([1, 2, 3, 4], [1, 2, 3, 4], { outputs: 2, multioutput: [0, 0] }), RangeError, 'r2Score: multioutput weights must not all be zero');
    expectError(() => r2Score([1, 2, 3], [1, 2, 3], { multioutput: 'uniform_average' as never }), RangeError, /multioutput must be one of 'uniformAverage', 'rawValues', 'varianceWeighted' or an array of weights per output/);
  });

  it('accepts typed arrays: Int32Array and Float32Array labels, Float32Array scores and targets', () => {
    expect(accuracyScore(new Int32Array([0, 1, 2, 2]), new Float32Array([0, 1, 1, 2]))).toBe(0.75);
    expect(rocAucScore(new Uint8Array([0, 0, 1, 1]), new Float32Array([0.1, 0.4, 0.35, 0.8]))).toBe(0.75);
    expect(meanAbsoluteError(new Float32Array([1, 2]), [1.5, 2])).toBe(0.25);
    const cm = confusionMatrix(new Float64Array([1, 0, 1]), [1, 1, 1], { labels: new Int32Array([1, 0]) as never });
    expect(cm.labels).toEqual([1, 0]);
    expect(cm.matrix.map((row) => Array.from(row))).toEqual([[2, 0], [1, 0]]);
  });

  it('does not modify its inputs', () => {
    const y = [2, 0, 1, 1, 0];
    const proba = new Float64Array([0.2, 0.5, 0.3, 0.6, 0.2, 0.2, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4, 0.7, 0.2, 0.1]);
    const weights = [1, 0, 2, 1, 1];
    const copies = [y.slice(), proba.slice(), weights.slice()];
    rocAucScore(y, proba, { multiClass: 'ovr', sampleWeight: weights });
    logLoss(y, proba, { sampleWeight: weights });
    expect([y, proba, weights]).toEqual(copies);
  });
});

describe('results', () => {
  it('per-class results come in the order of labels (or sorted), with the labels', () => {
    const yTrue = ['b', 'a', 'c', 'a', 'b'];
    const yPred = ['b', 'a', 'a', 'a', 'c'];
    const all = precisionRecallFscoreSupport(yTrue, yPred);
    expect(all.labels).toEqual(['a', 'b', 'c']);
    expect(Array.from(all.support)).toEqual([2, 2, 1]);
    expect(Array.from(precisionScore(yTrue, yPred, { average: 'none', labels: ['c', 'a'], zeroDivision: 0 }))).toEqual([0, 2 / 3]);
    const averaged = precisionRecallFscoreSupport(yTrue, yPred, { average: 'micro' });
    expect(averaged).toEqual({ precision: 0.6, recall: 0.6, fScore: 0.6 });
    expect(Array.from(recallScore(yTrue, yPred, { average: 'none' }))).toEqual([1, 0.5, 0]);
  });

  it('sorts labels as np.unique: numbers numerically, strings by code point', () => {
    expect(confusionMatrix([10, 9, 100], [9, 9, 10]).labels).toEqual([9, 10, 100]);
    expect(confusionMatrix(['b', 'B', '\u{1F600}', '\uFF5E'], ['b', 'b', 'b', 'b']).labels).toEqual(['B', 'b', '\uFF5E', '\u{1F600}']);
  });

  it('the docs examples', () => {
    expect(rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(accuracyScore([0, 1, 2, 3], [0, 2, 1, 3])).toBe(0.5);
    expect(accuracyScore([0, 1, 2, 3], [0, 2, 1, 3], { normalize: false })).toBe(2);
    expect(balancedAccuracyScore([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])).toBe(0.625);
    expect(r2Score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(0.9486081370449679, 15);
    expect(explainedVarianceScore([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(0.9571734475374732, 15);
    expect(rootMeanSquaredError([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(0.6123724356957945, 15);
  });

  it('ROC AUC is the probability that a positive outscores a negative, ties counting one half', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 40; trial++) {
      const n = 5 + Math.floor(next() * 60);
      const y = Array.from({ length: n }, () => (next() < 0.4 ? 1 : 0));
      y[0] = 0;
      y[1] = 1;
      const levels = 1 + Math.floor(next() * 8);
      const scores = y.map((label) => Math.floor((next() + 0.3 * label) * levels) / levels);
      let wins = 0;
      let pairs = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (y[i] !== 1 || y[j] !== 0) continue;
          pairs++;
          wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
        }
      }
      expect(rocAucScore(y, scores)).toBeCloseTo(wins / pairs, 12);
    }
  });

  it('deliberate differences: one class in yTrue is a RangeError for rocAucScore (scikit-learn 1.9: NaN and a warning)', () => {
    expectError(() => rocAucScore([1, 1, 1], [0.2, 0.5, 0.9]), RangeError, 'rocAucScore: yTrue must contain two classes, got only 1; ROC AUC is not defined for one class');
    expectError(
      () => rocAucScore([0, 1, 0, 1], [0.2, 0.5, 0.9, 0.4], { sampleWeight: [0, 1, 0, 2] }),
      RangeError,
      'rocAucScore: every negative sample of yTrue has sampleWeight 0; ROC AUC needs both classes with weight',
    );
    // Inside a multiclass average a class absent from yTrue is NaN with a warning, as scikit-learn.
    const warnings = warningsOf(() =>
      expect(rocAucScore([0, 1, 1, 0], [0.5, 0.3, 0.2, 0.2, 0.5, 0.3, 0.1, 0.8, 0.1, 0.6, 0.2, 0.2], { multiClass: 'ovr', labels: [0, 1, 2] })).toBeNaN(),
    );
    expect(warnings).toEqual(['rocAucScore: only one class is present in yTrue for a one-vs-rest class; its ROC AUC is not defined and is NaN']);
  });

  it('log loss clips at the epsilon of the dtype: 2^-52 for float64 arrays, 2^-23 for Float32Array', () => {
    // p = 0 becomes eps, p = 1 becomes 1 − eps.
    const clipped = (eps: number) => (-Math.log(eps) - Math.log(1 - eps)) / 2;
    expect(logLoss([1, 1], [0, 1], { labels: [0, 1] })).toBe(clipped(2 ** -52));
    expect(logLoss([1, 1], new Float32Array([0, 1]), { labels: [0, 1] })).toBe(clipped(2 ** -23));
    expect(logLoss([0, 1], [1, 0])).toBe(-Math.log(2 ** -52));
  });

  it('r2 with one sample: NaN (one per output for rawValues) and a warning', () => {
    const warnings = warningsOf(() => {
      expect(r2Score([1], [2])).toBeNaN();
      expect(Array.from(r2Score([1, 2], [2, 2], { outputs: 2, multioutput: 'rawValues' }))).toEqual([NaN, NaN]);
    });
    expect(warnings).toEqual(['r2Score: R^2 score is not well-defined with less than two samples', 'r2Score: R^2 score is not well-defined with less than two samples']);
  });
});

describe('warnings', () => {
  it('by default, console.warn once per distinct message', () => {
    const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (let i = 0; i < 3; i++) precisionScore([0, 0, 1], [0, 0, 0], { posLabel: 1 });
    expect(consoleWarn).toHaveBeenCalledTimes(1);
    expect(consoleWarn).toHaveBeenCalledWith(
      'gradstep: precisionScore: Precision is ill-defined and being set to 0.0 due to no predicted samples; use the zeroDivision option to control this behavior',
    );
  });

  it('zeroDivision other than warn is silent; a throwing handler makes warnings errors', () => {
    expect(warningsOf(() => expect(precisionScore([0, 0, 1], [0, 0, 0], { zeroDivision: 1 })).toBe(1))).toEqual([]);
    expect(warningsOf(() => expect(precisionScore([0, 0, 1], [0, 0, 0], { zeroDivision: NaN })).toBeNaN())).toEqual([]);
    setWarningHandler((message) => {
      throw new Error(message);
    });
    expect(() => recallScore([0, 0, 0], [0, 1, 0])).toThrow(/Recall is ill-defined/);
  });

  it('f1 warns only for an ill-defined F-score, not for its precision or recall', () => {
    expect(warningsOf(() => expect(f1Score([0, 1, 0], [0, 0, 0])).toBe(0))).toEqual([]);
    expect(warningsOf(() => f1Score([0, 0, 0], [0, 0, 0]))).toEqual([
      'f1Score: F-score is ill-defined and being set to 0.0 due to no true nor predicted samples; use the zeroDivision option to control this behavior',
    ]);
  });

  it('probabilities that do not sum to one warn (logLoss, brierScoreLoss); rocAucScore refuses them', () => {
    const proba = [0.5, 0.3, 0.3, 0.2, 0.5, 0.3, 0.1, 0.8, 0.1];
    expect(warningsOf(() => logLoss([0, 1, 2], proba))).toEqual(['logLoss: the rows of yProba do not sum to one (row 0 sums to 1.1); make sure to pass probabilities']);
    expect(warningsOf(() => brierScoreLoss([0, 1, 2], proba))).toHaveLength(1);
    expectError(() => rocAucScore([0, 1, 2], proba, { multiClass: 'ovr' }), RangeError, /row 0 sums to 1.1/);
  });
});

describe('scorers', () => {
  it('getScorer: names, greater is better, and errors', () => {
    expect(scorerNames()).toContain('negLogLoss');
    const names = scorerNames();
    names.pop();
    expect(scorerNames()).not.toEqual(names);
    expectError(() => getScorer('neg_log_loss' as ScorerName), RangeError, /^getScorer: name must be one of accuracy, balancedAccuracy, .*, got "neg_log_loss"$/);
    expectError(() => getScorer(undefined as never), TypeError, 'getScorer: name must be a scorer name (a string), got undefined');
    expectError(() => getScorer('toString' as ScorerName), RangeError, /got "toString"/);
    expect(Object.isFrozen(getScorer('r2'))).toBe(true);
  });

  it("losses come negated; options pass through, fixed ones are refused", () => {
    const y = [0, 1, 1, 0];
    const p = [0.2, 0.7, 0.6, 0.1];
    const negLogLoss = getScorer('negLogLoss');
    expect(negLogLoss.greaterIsBetter).toBe(false);
    expect(negLogLoss.score(y, p)).toBe(-logLoss(y, p));
    expect(negLogLoss.score(y, p, { sampleWeight: [1, 2, 3, 4] })).toBe(-logLoss(y, p, { sampleWeight: [1, 2, 3, 4] }));
    expect(getScorer('negMeanSquaredError').score([1, 2, 3, 4], [1, 2, 3, 5], { outputs: 2 })).toBe(-meanSquaredError([1, 2, 3, 4], [1, 2, 3, 5], { outputs: 2 }));
    expect(getScorer('f1').score(['a', 'b', 'b'], ['a', 'b', 'a'], { posLabel: 'b' })).toBe(f1Score(['a', 'b', 'b'], ['a', 'b', 'a'], { posLabel: 'b' }));
    expectError(() => getScorer('f1Macro').score([0, 1], [0, 1], { average: 'micro' }), TypeError, 'scorer "f1Macro": unknown option "average" (known: labels, sampleWeight, zeroDivision)');
    expectError(() => getScorer('f1Macro').score([0, 1], [0, 1], { posLabel: 1 }), TypeError, /unknown option "posLabel"/);
    expectError(() => getScorer('rocAucOvr').score([0, 1], [0.5, 0.5], { multiClass: 'ovo' }), TypeError, /unknown option "multiClass"/);
    // 'rocAuc' fixes no multiClass, so multiclass scores fail as scikit-learn's 'roc_auc' scorer.
    expectError(() => getScorer('rocAuc').score([0, 1, 2], [1, 0, 0, 0, 1, 0, 0, 0, 1]), RangeError, /multiClass must be 'ovr' or 'ovo'/);
    expect(getScorer('rocAucOvr').score([0, 1, 2], [1, 0, 0, 0, 1, 0, 0, 0, 1])).toBe(1);
  });
});
