// adaBoost (SAMME) and adaBoostRegressor (R2): the reference's worked examples (§7) through weak
// learners with scripted mistakes, stopping rules, a single class, the weighted median, seeds, and
// argument errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adaBoost } from '../../src/ensembles/ada-boost.js';
import { adaBoostRegressor, weightedMedians } from '../../src/ensembles/ada-boost-regressor.js';
import { setWarningHandler, type WarningHandler } from '../../src/model-selection/warnings.js';

let previous: WarningHandler;
beforeEach(() => (previous = setWarningHandler(() => {})));
afterEach(() => setWarningHandler(previous));

/** Row i is [i]; the learner predicts y except on the rows in `wrong` (given the next class instead). */
function scripted(classes: number[], wrongPerRound: number[][], seen: Float64Array[] = []) {
  return (X: readonly ArrayLike<number>[], y: readonly (number | string)[], w: Float64Array, round: number) => {
    seen.push(w);
    const wrong = new Set(wrongPerRound[Math.min(round, wrongPerRound.length - 1)]);
    const predictions = y.map((label, i) => (wrong.has(i) ? classes[(classes.indexOf(label as number) + 1) % classes.length] : label));
    return { predict: (rows: readonly ArrayLike<number>[]) => rows.map((row) => predictions[row[0]]) };
  };
}
const X10 = Array.from({ length: 10 }, (_, i) => [i]);

describe('adaBoost (SAMME)', () => {
  it('K = 2, err 0.3: alpha = ln(7/3); wrong rows then weigh 1/6, right ones 1/14; err 0.5 stops, dropped', () => {
    const y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const seen: Float64Array[] = [];
    const model = adaBoost({ X: X10, y, nEstimators: 5, learner: scripted([0, 1], [[0, 1, 2]], seen) });
    expect(model.estimatorErrors[0]).toBeCloseTo(0.3, 15);
    expect(model.estimatorWeights[0]).toBeCloseTo(Math.log(7 / 3), 14);
    expect(model.estimatorWeights[0]).toBeCloseTo(0.847298, 6);
    expect(Array.from(seen[0])).toEqual(new Array(10).fill(0.1));
    for (let i = 0; i < 10; i++) expect(seen[1][i]).toBeCloseTo(i < 3 ? 1 / 6 : 1 / 14, 15);
    expect(model.estimators).toHaveLength(1);
    expect(model.stopReason).toBe('worse-than-chance');
    expect(Array.from(model.trainErrors)).toEqual([0.3]);
  });

  it('K = 3: alpha = ln(7/3) + ln 2, weights 2/9 and 1/21; learningRate 0.5 halves alpha', () => {
    const y = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0];
    const seen: Float64Array[] = [];
    const model = adaBoost({ X: X10, y, nEstimators: 3, learner: scripted([0, 1, 2], [[0, 1, 2]], seen) });
    expect(model.estimatorWeights[0]).toBeCloseTo(1.540445, 6);
    for (let i = 0; i < 10; i++) expect(seen[1][i]).toBeCloseTo(i < 3 ? 2 / 9 : 1 / 21, 15);
    // The same mistakes again weigh 2/3 = 1 − 1/K, the stopping boundary (where rounding decides).
    expect(seen[1].slice(0, 3).reduce((s, w) => s + w, 0)).toBeCloseTo(2 / 3, 15);
    const half = adaBoost({ X: X10, y: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], nEstimators: 1, learningRate: 0.5, learner: scripted([0, 1], [[0, 1, 2]]) });
    expect(half.estimatorWeights[0]).toBeCloseTo(0.423649, 6);
    expect(half.stopReason).toBe('completed');
  });

  it('a perfect learner is kept with weight 1 and stops; a bad first one throws', () => {
    const y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const perfect = adaBoost({ X: X10, y, learner: scripted([0, 1], [[]]) });
    expect(Array.from(perfect.estimatorWeights)).toEqual([1]);
    expect(Array.from(perfect.estimatorErrors)).toEqual([0]);
    expect(perfect.stopReason).toBe('perfect-estimator');
    expect(() => adaBoost({ X: X10, y, learner: scripted([0, 1], [[0, 1, 2, 3, 4]]) })).toThrow(/first weak learner is worse than random/);
  });

  it('combines weighted votes: decision function, predictions, probabilities, staged predictions', () => {
    // Round 0 misses rows 0-2 (alpha ln(7/3) ≈ 0.847), round 1 misses rows 7-9 (err = 3/14·… < 0.5).
    const y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const model = adaBoost({ X: X10, y, nEstimators: 2, learner: scripted([0, 1], [[0, 1, 2], [7, 8, 9]]) });
    const [a0, a1] = model.estimatorWeights;
    expect(model.estimatorErrors[1]).toBeCloseTo(3 / 14, 15); // the three right rows of round 0, each 1/14
    expect(a1).toBeCloseTo(Math.log(11 / 3), 14);
    // Row 0: h0 says 1, h1 says 0; f_0 = (−a0 + a1)/(a0 + a1).
    const f = model.decisionFunction([[0]])[0];
    expect(f[0]).toBeCloseTo((a1 - a0) / (a0 + a1), 14);
    expect(f[1]).toBeCloseTo(-f[0], 14);
    expect(model.predict([[0], [5], [9]])).toEqual([0, 1, 0]);
    const p = model.predictProba([[0]])[0];
    expect(p[0]).toBeCloseTo(Math.exp(f[0]) / (Math.exp(f[0]) + Math.exp(f[1])), 14);
    expect(model.stagedPredict([[0], [9]])).toEqual([[1, 1], [0, 0]]);
    expect(Array.from(model.trainErrors)).toEqual([0.3, 0.3]);
  });

  it('works with string labels and the default stump, and leaves its inputs alone', () => {
    const X = Array.from({ length: 12 }, (_, i) => [i, (i * 7) % 12]);
    const y = X.map(([a, b]) => (a < 6 !== b < 6 ? 'yes' : 'no'));
    const yCopy = y.slice();
    const weights = new Array(12).fill(2);
    const model = adaBoost({ X, y, sampleWeight: weights, nEstimators: 10 });
    expect(model.classes).toEqual(['no', 'yes']);
    expect(model.trainErrors.at(-1)!).toBeLessThanOrEqual(model.trainErrors[0]);
    expect(y).toEqual(yCopy);
    expect(weights).toEqual(new Array(12).fill(2));
  });

  it('gives decision values of 0 for a single class, as scikit-learn', () => {
    const model = adaBoost({ X: [[0], [1], [2]], y: [7, 7, 7] });
    expect(Array.from(model.decisionFunction([[0]])[0])).toEqual([0]);
  });

  it('rejects bad arguments and bad learners, naming them', () => {
    expect(() => adaBoost({ X: X10, y: [0, 1] })).toThrow(/y has length 2 but X has 10 rows/);
    expect(() => adaBoost({ X: X10, y: new Array(10).fill(0), nEstimators: 0 })).toThrow(/nEstimators must be an integer >= 1, got 0/);
    expect(() => adaBoost({ X: X10, y: new Array(10).fill(0), learningRate: 0 })).toThrow(/learningRate must be a finite number > 0, got 0/);
    expect(() => adaBoost({ X: X10, y: new Array(10).fill(0), sampleWeight: new Array(10).fill(NaN) })).toThrow(/sampleWeight\[0\]/);
    expect(() => adaBoost({ X: X10, y: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1], learner: () => ({ predict: () => [7] }) as never })).toThrow(
      /predict returned 1 predictions for 10 rows/,
    );
    expect(() => adaBoost({ X: X10, y: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1], learner: () => ({ predict: (X) => X.map(() => 7) }) })).toThrow(
      /prediction\[0\] is 7, which is not one of the classes \(0, 1\)/,
    );
    expect(() => adaBoost({ X: X10, y: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1], learner: () => 3 as never })).toThrow(/predict\(X\) method/);
  });
});

describe('adaBoostRegressor (R2)', () => {
  const X4 = [[0], [1], [2], [3]];
  const y4 = [0, 1, 2, 3];
  const fixed = (predictions: number[]) => () => ({ predict: (rows: readonly ArrayLike<number>[]) => rows.map((row) => predictions[row[0]]) });

  it.each([
    ['linear', 0.4375, 0.777778, 0.251314, [0.222993, 0.237452, 0.25285, 0.286705], [0, 0.25, 0.5, 1]],
    ['square', 0.328125, 0.488372, 0.716678, [0.189048, 0.197709, 0.226144, 0.387099], [0, 0.0625, 0.25, 1]],
    ['exponential', 0.311697, 0.452849, 0.792196, [0.19204, 0.22882, 0.262279, 0.316862], [0, 1 - Math.exp(-0.25), 1 - Math.exp(-0.5), 1 - Math.exp(-1)]],
  ] as const)('the worked step with %s loss: err, alpha, and the next round\'s error from the new weights', (loss, err, beta, alpha, weights, losses) => {
    const model = adaBoostRegressor({ X: X4, y: y4, loss, nEstimators: 2, seed: 0, learner: fixed([0, 2, 0, 7]) });
    expect(model.estimatorErrors[0]).toBeCloseTo(err, 6);
    expect(model.estimatorErrors[0] / (1 - model.estimatorErrors[0])).toBeCloseTo(beta, 6);
    expect(model.estimatorWeights[0]).toBeCloseTo(alpha, 6);
    // The same learner again: its error is now Σ new_w · L.
    const second = weights.reduce((s, w, i) => s + w * losses[i], 0);
    expect(model.estimatorErrors[1]).toBeCloseTo(second, 5);
  });

  it('predicts the weighted median: [1, 3, 2] with weights [.5, .2, .4] gives 2', () => {
    const medians = weightedMedians([Float64Array.of(1), Float64Array.of(3), Float64Array.of(2)], Float64Array.of(0.5, 0.2, 0.4), 3, 1);
    expect(Array.from(medians)).toEqual([2]);
    const lower = weightedMedians([Float64Array.of(1), Float64Array.of(3)], Float64Array.of(0.5, 0.5), 2, 1);
    expect(Array.from(lower)).toEqual([1]); // cdf .5 reaches half of 1 at the first
  });

  it('keeps a first estimator with err ≥ 0.5 at weight 0 and error 1; stops on a perfect one', () => {
    const bad = adaBoostRegressor({ X: X4, y: y4, seed: 0, learner: fixed([3, 3, 0, 0]) });
    expect(bad.estimators).toHaveLength(1);
    expect(Array.from(bad.estimatorWeights)).toEqual([0]);
    expect(Array.from(bad.estimatorErrors)).toEqual([1]);
    const perfect = adaBoostRegressor({ X: X4, y: y4, seed: 0, learner: fixed([0, 1, 2, 3]) });
    expect(Array.from(perfect.estimatorWeights)).toEqual([1]);
    expect(perfect.stopReason).toBe('perfect-estimator');
  });

  it('is reproducible from a seed, draws only rows of positive weight, and fits the data', () => {
    const X = Array.from({ length: 40 }, (_, i) => [i / 4, Math.sin(i)]);
    const y = X.map(([a, b]) => a * a + 3 * b);
    const w = X.map((_, i) => (i === 5 ? 0 : 1));
    const one = adaBoostRegressor({ X, y, sampleWeight: w, nEstimators: 15, seed: 11 });
    const two = adaBoostRegressor({ X, y, sampleWeight: w, nEstimators: 15, seed: 11 });
    expect(Array.from(one.estimatorWeights)).toEqual(Array.from(two.estimatorWeights));
    expect(Array.from(one.predict(X))).toEqual(Array.from(two.predict(X)));
    for (const sample of one.samples) expect(sample.includes(5)).toBe(false);
    const mean = y.reduce((s, v) => s + v) / y.length;
    const r2 = 1 - one.predict(X).reduce((s, p, i) => s + (p - y[i]) ** 2, 0) / y.reduce((s, v) => s + (v - mean) ** 2, 0);
    expect(r2).toBeGreaterThan(0.95);
    expect(one.stagedPredict(X).at(-1)).toEqual(one.predict(X));
    const other = adaBoostRegressor({ X, y, nEstimators: 15, seed: 12 });
    expect(Array.from(other.samples[0])).not.toEqual(Array.from(one.samples[0]));
  });

  it('rejects bad arguments', () => {
    expect(() => adaBoostRegressor({ X: X4, y: y4, loss: 'huber' as never })).toThrow(/loss must be 'linear', 'square' or 'exponential', got "huber"/);
    expect(() => adaBoostRegressor({ X: X4, y: [1, 2, 3] })).toThrow(/y has length 3 but X has 4 rows/);
    expect(() => adaBoostRegressor({ X: X4, y: y4, seed: 1.5 })).toThrow(RangeError);
    expect(() => adaBoostRegressor({ X: X4, y: y4, nEstimators: 2.5 })).toThrow(/nEstimators must be an integer >= 1, got 2.5/);
  });
});
