// Tree options, feature importances, random forests and gradient boosting for classes against
// scikit-learn itself (fixtures/sklearn-forests.json, written by fixtures/gen_sklearn_forests.py): on
// float32-exact features without ties, where nothing random enters, the results must be scikit-learn's;
// with the forests' randomness on (other random numbers than scikit-learn's), scores must fall in the
// range scikit-learn's give across seeds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecisionTreeClassifier, DecisionTreeRegressor, type DecisionTreeClassifierOptions } from '../packages/gradstep/src/ensembles/decision-tree.js';
import { RandomForestClassifier, RandomForestRegressor, type RandomForestOptions } from '../packages/gradstep/src/ensembles/random-forest.js';
import { gradientBoostingClassifier } from '../packages/gradstep/src/ensembles/gradient-boosting-classifier.js';
import { setWarningHandler } from '../packages/gradstep/src/model-selection/warnings.js';

interface TreeCase {
  kind: 'regressor' | 'classifier';
  options: DecisionTreeClassifierOptions;
  X: number[][];
  y: (number | string)[];
  XTest: number[][];
  // null where scikit-learn's result depends on its random feature order (features tying for a split).
  predictTrain: (number | string)[] | null;
  predictTest: (number | string)[] | null;
  probaTest?: number[][] | null;
  importances: number[] | null;
}
interface ForestCase {
  task: 'classification' | 'regression';
  options: RandomForestOptions;
  X: number[][];
  y: number[];
  XTest: number[][];
  probaTest?: number[][] | null;
  predictTest: number[] | null;
  importances: number[] | null;
}
interface ForestRange {
  task: 'classification' | 'regression';
  X: number[][];
  y: number[];
  XTest: number[][];
  yTest: number[];
  nEstimators: number;
  maxFeatures?: number;
  oobScores: number[];
  testScores: number[];
}
interface BoostingCase {
  name: string;
  options: { nEstimators: number; learningRate: number; maxDepth: number; minSamplesLeaf?: number; maxLeafNodes?: number };
  X: number[][];
  y: (number | string)[];
  XTest: number[][];
  init: number[] | null;
  trainLoss: number[] | null;
  stagedDecision: number[][][] | null;
  stagedProba: number[][][] | null;
  predictTest: (number | string)[] | null;
  importances: number[] | null;
}
interface EarlyStoppingRange {
  X: number[][];
  y: number[];
  XTest: number[][];
  yTest: number[];
  stages: number[];
  testScores: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/sklearn-forests.json', import.meta.url), 'utf8')) as {
  sklearn: string;
  trees: TreeCase[];
  forests: ForestCase[];
  forestRanges: ForestRange[];
  gradientBoostingClassifier: BoostingCase[];
  earlyStopping: EarlyStoppingRange;
};

/** Elementwise |actual − expected| ≤ tolerance·(1 + |expected|). */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-9, what = 'element'): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance * (1 + Math.abs(expected[i])))) {
      expect.fail(`${what} ${i}: ${actual[i]} differs from scikit-learn's ${expected[i]}`);
    }
  }
}

describe(`tree options = scikit-learn ${fixture.sklearn}`, () => {
  fixture.trees.forEach((c, index) => {
    it(`${c.kind} ${JSON.stringify(c.options)} (#${index})`, () => {
      if (c.kind === 'regressor') {
        const tree = new DecisionTreeRegressor(c.options).fit(c.X, c.y as number[]);
        if (c.predictTrain) expectClose(tree.predict(c.X), c.predictTrain as number[]);
        if (c.predictTest) expectClose(tree.predict(c.XTest), c.predictTest as number[]);
        if (c.importances) expectClose(tree.featureImportances, c.importances);
      } else {
        const options = c.options.classWeight && typeof c.options.classWeight === 'object' ? { ...c.options, classWeight: { ...c.options.classWeight } } : c.options;
        const tree = new DecisionTreeClassifier(options).fit(c.X, c.y as string[]);
        if (c.predictTrain) expect(tree.predict(c.X)).toEqual(c.predictTrain);
        if (c.predictTest) expect(tree.predict(c.XTest)).toEqual(c.predictTest);
        if (c.probaTest) tree.predictProba(c.XTest).forEach((row, i) => expectClose(row, c.probaTest![i], 1e-9, `row ${i} class`));
        if (c.importances) expectClose(tree.featureImportances, c.importances);
      }
    });
  });
});

describe(`random forests = scikit-learn ${fixture.sklearn} without randomness (bootstrap off, every feature)`, () => {
  fixture.forests.forEach((c) => {
    it(`${c.task} ${JSON.stringify(c.options)}`, () => {
      if (c.task === 'classification') {
        const forest = new RandomForestClassifier({ ...c.options, seed: 1 }).fit(c.X, c.y);
        if (c.probaTest) forest.predictProba(c.XTest).forEach((row, i) => expectClose(row, c.probaTest![i], 1e-9, `row ${i} class`));
        if (c.predictTest) expect(forest.predict(c.XTest)).toEqual(c.predictTest);
        if (c.importances) expectClose(forest.featureImportances, c.importances);
      } else {
        const forest = new RandomForestRegressor({ ...c.options, seed: 1 }).fit(c.X, c.y);
        if (c.predictTest) expectClose(forest.predict(c.XTest), c.predictTest);
        if (c.importances) expectClose(forest.featureImportances, c.importances);
      }
    });
  });
});

describe(`random forests with their randomness: scores in scikit-learn ${fixture.sklearn}'s range across seeds`, () => {
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  fixture.forestRanges.forEach((c) => {
    it(`${c.task}, ${c.nEstimators} trees: out-of-bag and test scores`, () => {
      setWarningHandler(() => {});
      const oob: number[] = [];
      const test: number[] = [];
      for (let seed = 0; seed < 4; seed++) {
        if (c.task === 'classification') {
          const forest = new RandomForestClassifier({ nEstimators: c.nEstimators, oobScore: true, seed }).fit(c.X, c.y);
          oob.push(forest.oobScore!);
          const predicted = forest.predict(c.XTest);
          test.push(predicted.filter((label, i) => label === c.yTest[i]).length / c.yTest.length);
        } else {
          const forest = new RandomForestRegressor({ nEstimators: c.nEstimators, oobScore: true, maxFeatures: c.maxFeatures, seed }).fit(c.X, c.y);
          oob.push(forest.oobScore!);
          const predicted = forest.predict(c.XTest);
          const yMean = mean(c.yTest);
          const residual = c.yTest.reduce((s, v, i) => s + (v - predicted[i]) ** 2, 0);
          const total = c.yTest.reduce((s, v) => s + (v - yMean) ** 2, 0);
          test.push(1 - residual / total);
        }
      }
      setWarningHandler(undefined);
      // Our mean over 4 seeds within scikit-learn's range over 8 seeds, widened by its spread.
      for (const [ours, theirs] of [[oob, c.oobScores], [test, c.testScores]] as const) {
        const spread = Math.max(...theirs) - Math.min(...theirs);
        expect(mean(ours)).toBeGreaterThanOrEqual(Math.min(...theirs) - spread);
        expect(mean(ours)).toBeLessThanOrEqual(Math.max(...theirs) + spread);
      }
    });
  });
});

describe(`gradientBoostingClassifier = scikit-learn ${fixture.sklearn}'s GradientBoostingClassifier (subsample 1)`, () => {
  fixture.gradientBoostingClassifier.forEach((c) => {
    it(c.name, () => {
      const model = gradientBoostingClassifier({ X: c.X, y: c.y, ...c.options, seed: 0 });
      if (c.init) expectClose(model.init, c.init, 1e-12, 'init');
      if (c.trainLoss) expectClose(model.trainLoss, c.trainLoss, 1e-9, 'stage');
      if (c.stagedDecision) {
        const staged = model.stagedDecisionFunction(c.XTest);
        expect(staged).toHaveLength(c.stagedDecision.length);
        staged.forEach((stage, m) => stage.forEach((row, i) => expectClose(row, c.stagedDecision![m][i], 1e-9, `stage ${m} row ${i} score`)));
      }
      if (c.stagedProba) {
        const staged = model.stagedPredictProba(c.XTest);
        staged.forEach((stage, m) => stage.forEach((row, i) => expectClose(row, c.stagedProba![m][i], 1e-9, `stage ${m} row ${i} class`)));
      }
      if (c.predictTest) expect(model.predict(c.XTest)).toEqual(c.predictTest);
      if (c.importances) expectClose(model.featureImportances, c.importances);
    });
  });

  it(`early stopping keeps as many stages as scikit-learn's, within its range across seeds (${fixture.earlyStopping.stages.join(', ')})`, () => {
    const c = fixture.earlyStopping;
    const stages: number[] = [];
    const scores: number[] = [];
    for (let seed = 0; seed < 6; seed++) {
      const model = gradientBoostingClassifier({ X: c.X, y: c.y, nEstimators: 300, learningRate: 0.3, nIterNoChange: 5, validationFraction: 0.2, tol: 1e-4, seed });
      stages.push(model.nEstimators);
      const predicted = model.predict(c.XTest);
      scores.push(predicted.filter((label, i) => label === c.yTest[i]).length / c.yTest.length);
      expect(model.validationLoss).toHaveLength(model.nEstimators);
      expect(model.validationRows).toHaveLength(80);
    }
    const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
    expect(mean(stages)).toBeGreaterThanOrEqual(Math.min(...c.stages) / 2);
    expect(mean(stages)).toBeLessThanOrEqual(Math.max(...c.stages) * 2);
    expect(mean(scores)).toBeGreaterThanOrEqual(Math.min(...c.testScores) - 0.03);
  });
});
