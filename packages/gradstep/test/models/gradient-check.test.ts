// Every model's hand-written gradient against central finite differences of an independent float64
// implementation of its loss (so the float32 forward pass is checked too), on batches with and
// without row selection (repeated rows included).
import { LinearRegression, LogisticRegression, MLP, Random, SoftmaxRegression, type DenseNetwork } from 'gradstep';
import { describe, expect, it } from 'vitest';

type Loss = 'softmax-cross-entropy' | 'sigmoid-cross-entropy' | 'squared-error';

/** The network's mean loss in float64, straight from the definitions. */
function referenceLoss(sizes: number[], activation: 'relu' | 'tanh', loss: Loss, weights: Float64Array[], biases: Float64Array[], X: Float32Array, y: ArrayLike<number>, rows: number[]): number {
  let total = 0;
  for (const r of rows) {
    let a = Array.from(X.subarray(r * sizes[0], (r + 1) * sizes[0]), Number);
    for (let l = 0; l + 1 < sizes.length; l++) {
      const z = new Array(sizes[l + 1]).fill(0).map((_, j) => {
        let s = biases[l][j];
        for (let p = 0; p < sizes[l]; p++) s += a[p] * weights[l][p * sizes[l + 1] + j];
        return s;
      });
      a = l + 2 < sizes.length ? z.map((v) => (activation === 'relu' ? Math.max(v, 0) : Math.tanh(v))) : z;
    }
    if (loss === 'softmax-cross-entropy') {
      const max = Math.max(...a);
      const logSum = Math.log(a.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
      total += logSum - a[y[r]];
    } else if (loss === 'sigmoid-cross-entropy') {
      const p = 1 / (1 + Math.exp(-a[0]));
      total += -(y[r] * Math.log(p) + (1 - y[r]) * Math.log(1 - p));
    } else {
      const k = a.length;
      for (let o = 0; o < k; o++) total += (a[o] - y[r * k + o]) ** 2 / k;
    }
  }
  return total / rows.length;
}

function randomMatrix(rng: Random, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * (2 * rng.nextFloat() - 1));
}

function checkGradient(model: DenseNetwork, X: Float32Array, y: ArrayLike<number>, rows: number[] | undefined, seed: number) {
  const rng = new Random(seed);
  // Zero-initialized models get random weights, so that every gradient entry is exercised.
  for (const p of model.params) p.value.set(randomMatrix(rng, p.length, 0.5));
  const sizes = [...model.layerSizes];
  const weights = model.weights.map((p) => Float64Array.from(p.value));
  const biases = model.biases.map((p) => Float64Array.from(p.value));
  const n = X.length / sizes[0];
  const selected = rows ?? Array.from({ length: n }, (_, i) => i);
  const lossOf = () => referenceLoss(sizes, model.activation, model.loss, weights, biases, X, y, selected);
  const loss = model.lossAndGradient(X, y, rows);
  expect(Math.abs(loss - lossOf())).toBeLessThan(1e-5 * (1 + Math.abs(loss)));
  const h = 1e-6;
  let checked = 0;
  for (const [list, params] of [[weights, model.weights], [biases, model.biases]] as const) {
    list.forEach((values, l) => {
      const grad = params[l].grad;
      for (let i = 0; i < values.length; i++) {
        const held = values[i];
        values[i] = held + h;
        const up = lossOf();
        values[i] = held - h;
        const down = lossOf();
        values[i] = held;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(grad[i] - numeric), `${l}:${i} analytic ${grad[i]} numeric ${numeric}`).toBeLessThan(2e-4 * Math.abs(numeric) + 2e-6);
        checked++;
      }
    });
  }
  expect(checked).toBe(model.parameterCount);
}

const rng = new Random(1);
const X = randomMatrix(rng, 7 * 5, 2); // 7 rows × 5 features
const rows = [6, 0, 3, 3, 5];

describe('gradients against float64 finite differences', () => {
  it('LinearRegression, one and two outputs', () => {
    const yOne = randomMatrix(rng, 7, 3);
    checkGradient(new LinearRegression({ features: 5, backend: 'js' }), X, yOne, undefined, 2);
    checkGradient(new LinearRegression({ features: 5, backend: 'js' }), X, yOne, rows, 3);
    const yTwo = randomMatrix(rng, 14, 3);
    checkGradient(new LinearRegression({ features: 5, outputs: 2, backend: 'js' }), X, yTwo, rows, 4);
  });

  it('LogisticRegression', () => {
    const y = [0, 1, 1, 0, 1, 0, 0];
    checkGradient(new LogisticRegression({ features: 5, backend: 'js' }), X, y, undefined, 5);
    checkGradient(new LogisticRegression({ features: 5, backend: 'js' }), X, Float32Array.from(y), rows, 6);
  });

  it('SoftmaxRegression', () => {
    const y = [0, 2, 1, 3, 3, 0, 2];
    checkGradient(new SoftmaxRegression({ features: 5, classes: 4, backend: 'js' }), X, y, undefined, 7);
    checkGradient(new SoftmaxRegression({ features: 5, classes: 4, backend: 'js' }), X, y, rows, 8);
  });

  it('MLP with ReLU and tanh, softmax output, two hidden layers', () => {
    const y = [0, 2, 1, 2, 1, 0, 2];
    checkGradient(new MLP({ layers: [5, 8, 6, 3], seed: 1, backend: 'js' }), X, y, undefined, 9);
    checkGradient(new MLP({ layers: [5, 8, 6, 3], activation: 'tanh', seed: 2, backend: 'js' }), X, y, rows, 10);
  });

  it('MLP with a linear output (regression)', () => {
    const y = randomMatrix(rng, 14, 1);
    checkGradient(new MLP({ layers: [5, 7, 2], output: 'linear', activation: 'tanh', seed: 3, backend: 'js' }), X, y, rows, 11);
  });
});

describe('model behaviour', () => {
  it('seeds: the same seed gives the same initial weights, He std √(2/fanIn) and Glorot bounds', () => {
    const a = new MLP({ layers: [64, 200, 10], seed: 42, backend: 'js' });
    const b = new MLP({ layers: [64, 200, 10], seed: 42, backend: 'js' });
    expect(a.seed).toBe(42);
    expect(Array.from(a.weights[0].value)).toEqual(Array.from(b.weights[0].value));
    const w = a.weights[0].value;
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(Math.sqrt(2 / 64) * 0.95);
    expect(std).toBeLessThan(Math.sqrt(2 / 64) * 1.05);
    expect(Array.from(a.biases[0].value).every((v) => v === 0)).toBe(true);
    const t = new MLP({ layers: [64, 200, 10], activation: 'tanh', seed: 1, backend: 'js' });
    const limit = Math.sqrt(6 / 264);
    expect(Math.max(...t.weights[0].value.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...t.weights[0].value.map(Math.abs))).toBeGreaterThan(limit * 0.98);
    for (const m of [a, b, t]) m.dispose();
  });

  it('predict, predictProba and evaluate agree; evaluate leaves the gradients alone', () => {
    const model = new MLP({ layers: [5, 6, 3], seed: 4, backend: 'js' });
    const y = [0, 2, 1, 2, 1, 0, 2];
    model.lossAndGradient(X, y);
    const grad = model.weights[0].grad.slice();
    const proba = model.predictProba(X);
    const labels = model.predict(X);
    for (let i = 0; i < 7; i++) {
      const row = Array.from(proba.subarray(3 * i, 3 * i + 3));
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
      expect(labels[i]).toBe(row.indexOf(Math.max(...row)));
    }
    const { loss, accuracy } = model.evaluate(X, y);
    expect(accuracy).toBe(labels.filter((l, i) => l === y[i]).length / 7);
    expect(loss).toBeCloseTo(model.lossAndGradient(X, y), 6);
    model.evaluate(X, y, [1, 2]);
    expect(model.weights[0].grad).toEqual(grad);
    expect(model.predict(X, [4, 1])).toEqual(Float32Array.from([labels[4], labels[1]]));
    model.dispose();
    expect(() => model.predict(X)).toThrow(/disposed/);
  });

  it('evaluates more rows than one chunk (1024) the same as row by row', () => {
    const big = randomMatrix(new Random(5), 2500 * 3);
    const y = Float32Array.from({ length: 2500 }, (_, i) => i % 2);
    const model = new LogisticRegression({ features: 3, backend: 'js' });
    model.params[0].value.set([0.5, -1, 2]);
    const whole = model.evaluate(big, y);
    let sum = 0;
    for (let i = 0; i < 2500; i += 500) sum += model.evaluate(big, y, Array.from({ length: 500 }, (_, k) => i + k)).loss * 500;
    expect(whole.loss).toBeCloseTo(sum / 2500, 9);
    expect(model.predict(big)).toHaveLength(2500);
  });

  it('rejects bad X, rows, y and labels with errors that name them', () => {
    const model = new SoftmaxRegression({ features: 5, classes: 3, backend: 'js' });
    expect(() => model.lossAndGradient(Array.from(X) as never, [0])).toThrow(TypeError);
    expect(() => model.lossAndGradient(X.subarray(0, 12), [0, 1])).toThrow(/12 values, not a whole number of rows of 5/);
    expect(() => model.lossAndGradient(X, [0, 1])).toThrow(/y has 2 values but X has 7 rows/);
    expect(() => model.lossAndGradient(X, [0, 1, 2, 0, 1, 2, 3])).toThrow(/y\[6\] must be a class index, an integer from 0 to 2, got 3/);
    expect(() => model.lossAndGradient(X, [0, 1, 2, 0, 1, 2, 0.5], [6])).toThrow(/y\[6\]/);
    expect(() => model.lossAndGradient(X, [0, 1, 2, 0, 1, 2, 0], [0, 7])).toThrow(/rows\[1\] must be a row index from 0 to 6, got 7/);
    expect(() => model.evaluate(X, [0, 1, 2, 0, 1, '2', 0] as never)).toThrow(/y\[5\] must be a number, got "2"/);
    expect(() => new MLP({ layers: [5, 1] })).toThrow(/layers\[1\] must be an integer from 2/);
    expect(() => new MLP({ layers: [5, 3], activation: 'sigmoid' as never })).toThrow(/activation must be 'relu' or 'tanh'/);
    expect(() => new SoftmaxRegression({ features: 5, classes: 3, lr: 1 } as never)).toThrow(/unknown option "lr"/);
  });
});
