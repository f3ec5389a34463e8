// Tree options, feature importances, random forests and gradient boosting for classes against
// scikit-learn itself (fixtures/sklearn-forests.json, written by fixtures/gen_sklearn_forests.py): on
// float32-exact features without ties, where nothing random enters, the results must be scikit-learn's;
// with the forests' randomness on (other random numbers than scikit-learn's), scores must fall in the
// range scikit-learn's give across seeds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecisionTreeClassifier, DecisionTreeRegressor, type DecisionTreeClassifierOptions } from '../packages/gradstep/src/ensembles/decision-tree.js';

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
export const fixture = JSON.parse(readFileSync(new URL('./fixtures/sklearn-forests.json', import.meta.url), 'utf8')) as {
  sklearn: string;
  trees: TreeCase[];
};

/** Elementwise |actual − expected| ≤ tolerance·(1 + |expected|). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-9, what = 'element'): void {
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
