// The trees and ensembles against scikit-learn itself (fixtures/sklearn-ensembles.json, written by
// fixtures/gen_sklearn_ensembles.py): tree predictions, AdaBoost-SAMME's estimator weights, errors and
// staged training error, gradient boosting's staged training MSE and predictions, all on float32-exact
// features without ties, where nothing random enters. Bagging's out-of-bag scores draw other random
// numbers than scikit-learn, so they are compared loosely.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adaBoost } from '../packages/gradstep/src/ensembles/ada-boost.js';
import { bagging } from '../packages/gradstep/src/ensembles/bagging.js';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../packages/gradstep/src/ensembles/decision-tree.js';
import { gradientBoosting } from '../packages/gradstep/src/ensembles/gradient-boosting.js';
import { setWarningHandler, type WarningHandler } from '../packages/gradstep/src/model-selection/warnings.js';

interface TreeCase {
  kind: 'regressor' | 'classifier';
  options: { maxDepth?: number; minSamplesLeaf?: number; minSamplesSplit?: number };
  X: number[][];
  y: (number | string)[];
  sampleWeight: number[] | null;
  XTest: number[][];
  // null where scikit-learn's result depends on its random feature order (features tying for a split).
  predictTrain: (number | string)[] | null;
  predictTest: (number | string)[] | null;
  probaTest?: number[][] | null;
}
interface AdaBoostCase {
  name: string;
  X: number[][];
  y: number[];
  XTest: number[][];
  nEstimators: number;
  learningRate: number;
  estimatorWeights: number[];
  estimatorErrors: number[];
  trainErrors: number[];
  predictTest: number[];
  probaTest: number[][];
}
interface GradientBoostingCase {
  X: number[][];
  y: number[];
  XTest: number[][];
  maxDepth: number;
  learningRate: number;
  nEstimators: number;
  minSamplesLeaf: number;
  init: number;
  trainLoss: number[];
  stagedTrainLast: number[];
  predictTest: number[] | null;
  stagedTestFirst: number[] | null;
  stagedTestMiddle: number[] | null;
}
interface BaggingCase {
  task: 'classification' | 'regression';
  X: number[][];
  y: number[];
  estimators: number;
  oobScores: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/sklearn-ensembles.json', import.meta.url), 'utf8')) as {
  sklearn: string;
  trees: TreeCase[];
  adaBoost: AdaBoostCase[];
  gradientBoosting: GradientBoostingCase[];
  bagging: BaggingCase[];
};

/** Elementwise |actual − expected| ≤ tolerance·(1 + |expected|). */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance * (1 + Math.abs(expected[i])))) {
      expect.fail(`element ${i}: ${actual[i]} differs from scikit-learn's ${expected[i]}`);
    }
  }
}

describe(`decision trees = scikit-learn ${fixture.sklearn}`, () => {
  fixture.trees.forEach((c, index) => {
    it(`${c.kind} ${JSON.stringify(c.options)}${c.sampleWeight ? ' weighted' : ''} (#${index})`, () => {
      if (c.kind === 'regressor') {
        const tree = new DecisionTreeRegressor(c.options).fit(c.X, c.y as number[], c.sampleWeight ?? undefined);
        if (c.predictTrain) expectClose(tree.predict(c.X), c.predictTrain as number[]);
        if (c.predictTest) expectClose(tree.predict(c.XTest), c.predictTest as number[]);
      } else {
        const tree = new DecisionTreeClassifier(c.options).fit(c.X, c.y as string[], c.sampleWeight ?? undefined);
        if (c.predictTrain) expect(tree.predict(c.X)).toEqual(c.predictTrain);
        if (c.predictTest) expect(tree.predict(c.XTest)).toEqual(c.predictTest);
        if (c.probaTest) tree.predictProba(c.XTest).forEach((p, i) => expectClose(p, c.probaTest![i]));
      }
    });
  });
  it('the fixture compares most trees on both train and test rows', () => {
    const full = fixture.trees.filter((c) => c.predictTrain && c.predictTest);
    expect(full.length).toBeGreaterThanOrEqual(15);
    expect(full.some((c) => c.kind === 'regressor' && c.options.maxDepth === undefined)).toBe(true);
  });
});

describe(`adaBoost (SAMME, stumps) = scikit-learn ${fixture.sklearn} AdaBoostClassifier`, () => {
  for (const c of fixture.adaBoost) {
    it(c.name, () => {
      const model = adaBoost({ X: c.X, y: c.y, nEstimators: c.nEstimators, learningRate: c.learningRate });
      expect(model.estimators.length).toBe(c.estimatorWeights.length);
      expectClose(model.estimatorErrors, c.estimatorErrors);
      expectClose(model.estimatorWeights, c.estimatorWeights);
      expectClose(model.trainErrors, c.trainErrors, 1e-12);
      expect(model.predict(c.XTest)).toEqual(c.predictTest);
      model.predictProba(c.XTest).forEach((p, i) => expectClose(p, c.probaTest[i]));
    });
  }
  it('the fixtures exercise boosting: many rounds, falling training error, and one early stop', () => {
    const [binary] = fixture.adaBoost;
    expect(binary.estimatorWeights.length).toBe(binary.nEstimators);
    expect(binary.trainErrors.at(-1)!).toBeLessThan(binary.trainErrors[0]);
    const perfect = fixture.adaBoost.find((c) => c.name === 'perfect first stump')!;
    expect(perfect.estimatorWeights).toEqual([1]);
    expect(perfect.estimatorErrors).toEqual([0]);
  });
});

describe(`gradientBoosting = scikit-learn ${fixture.sklearn} GradientBoostingRegressor (subsample 1)`, () => {
  for (const c of fixture.gradientBoosting) {
    it(`maxDepth ${c.maxDepth}, learningRate ${c.learningRate}, minSamplesLeaf ${c.minSamplesLeaf}, ${c.nEstimators} stages`, () => {
      const model = gradientBoosting({
        X: c.X,
        y: c.y,
        maxDepth: c.maxDepth,
        learningRate: c.learningRate,
        nEstimators: c.nEstimators,
        minSamplesLeaf: c.minSamplesLeaf,
      });
      expect(model.init).toBeCloseTo(c.init, 12);
      expectClose(model.trainLoss, c.trainLoss);
      expectClose(model.predict(c.X), c.stagedTrainLast);
      const staged = model.stagedPredict(c.XTest);
      expect(staged.length).toBe(c.nEstimators);
      expectClose(staged.at(-1)!, model.predict(c.XTest), 0);
      if (c.predictTest) expectClose(model.predict(c.XTest), c.predictTest);
      if (c.stagedTestFirst) expectClose(staged[0], c.stagedTestFirst);
      if (c.stagedTestMiddle) expectClose(staged[c.nEstimators >> 1], c.stagedTestMiddle);
    });
  }
});

describe('bagging out-of-bag scores are close to scikit-learn\'s (other random numbers)', () => {
  let previous: WarningHandler;
  beforeEach(() => (previous = setWarningHandler(() => {})));
  afterEach(() => setWarningHandler(previous));

  for (const c of fixture.bagging) {
    it(`${c.task}, ${c.estimators} full trees`, () => {
      const sklearnMean = c.oobScores.reduce((s, v) => s + v, 0) / c.oobScores.length;
      const ours = [0, 1, 2, 3, 4].map((seed) =>
        c.task === 'classification'
          ? bagging({
              task: 'classification',
              X: c.X,
              y: c.y,
              estimators: c.estimators,
              seed,
              fit: (X, y, { classes }) => new DecisionTreeClassifier({ classes }).fit(X, y),
              predict: (tree, X) => tree.predict(X),
              predictProba: (tree, X) => tree.predictProba(X),
            }).oobScore!
          : bagging({
              task: 'regression',
              X: c.X,
              y: c.y,
              estimators: c.estimators,
              seed,
              fit: (X, y) => new DecisionTreeRegressor().fit(X, y),
              predict: (tree, X) => tree.predict(X),
            }).oobScore!,
      );
      const oursMean = ours.reduce((s, v) => s + v, 0) / ours.length;
      expect(Math.abs(oursMean - sklearnMean)).toBeLessThan(0.03);
    });
  }
});
