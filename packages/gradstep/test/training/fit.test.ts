// fit(): reaching 100% on separable problems, batch sizes from SGD to full batch, fold rows,
// early stopping (and restoring the best weights), callbacks, divergence, and option errors.
import { Adam, fit, LinearRegression, LogisticRegression, makeMoons, MLP, Random, SGD, sharpness, standardNormal } from 'gradstep';
import { describe, expect, it } from 'vitest';

/** Two Gaussian blobs 6σ apart along the first of 3 features: linearly separable in practice. */
function blobs(n: number, seed: number) {
  const rng = new Random(seed);
  const X = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    X[3 * i] = (y[i] ? 3 : -3) + 0.5 * standardNormal(rng);
    X[3 * i + 1] = standardNormal(rng);
    X[3 * i + 2] = standardNormal(rng);
  }
  return { X, y };
}

describe('fit', () => {
  it('logistic regression reaches 100% on separable blobs with batch size 1 (SGD)', () => {
    const { X, y } = blobs(200, 1);
    const model = new LogisticRegression({ features: 3, backend: 'js' });
    const result = fit(model, { X, y }, { optimizer: new SGD(model.params, { lr: 0.1 }), epochs: 3, batchSize: 1, seed: 0 });
    expect(result.steps).toBe(600);
    expect(result.history).toHaveLength(3);
    expect(result.history[2].trainAccuracy).toBe(1);
    expect(Array.from(model.predict(X))).toEqual(Array.from(y));
    expect(result.stopReason).toBe('completed');
    expect(result.seed).toBe(0);
  });

  it('an MLP reaches 100% on the (noise-free) moons, which no line separates', () => {
    const moons = makeMoons({ samples: 200, seed: 3 });
    const linear = new LogisticRegression({ features: 2, backend: 'js' });
    const lin = fit(linear, moons, { optimizer: new Adam(linear.params, { lr: 0.05 }), epochs: 100, batchSize: 'full', seed: 0 });
    expect(lin.history.at(-1)!.trainAccuracy).toBeLessThan(0.95);
    const mlp = new MLP({ layers: [2, 32, 32, 2], seed: 5, backend: 'js' });
    const result = fit(mlp, moons, { optimizer: new Adam(mlp.params, { lr: 0.01 }), epochs: 150, batchSize: 32, seed: 1 });
    expect(result.history.at(-1)!.trainAccuracy).toBe(1);
    expect(result.history.at(-1)!.trainLoss).toBeLessThan(result.history[0].trainLoss / 10);
  });

  it('steps once per batch: mini-batches, full batch, and only the given rows', () => {
    const { X, y } = blobs(100, 2);
    const rows = Uint32Array.from({ length: 37 }, (_, i) => 2 * i + 1);
    const counts = (batchSize: number | 'full', data: { X: Float32Array; y: Float32Array; rows?: Uint32Array }) => {
      const model = new LogisticRegression({ features: 3, backend: 'js' });
      return fit(model, data, { optimizer: new SGD(model.params, { lr: 0.1 }), epochs: 2, batchSize, seed: 0 }).steps;
    };
    expect(counts(32, { X, y })).toBe(2 * 4);
    expect(counts('full', { X, y })).toBe(2);
    expect(counts(1000, { X, y })).toBe(2);
    expect(counts(10, { X, y, rows })).toBe(2 * 4);
    // Training on odd rows only (all of class 1) must give a model that says 1 everywhere.
    const model = new LogisticRegression({ features: 3, backend: 'js' });
    fit(model, { X, y, rows }, { optimizer: new SGD(model.params, { lr: 0.5 }), epochs: 5, batchSize: 8, seed: 0 });
    expect(model.evaluate(X, y, rows).accuracy).toBe(1);
  });

  it('is reproducible from its seeds, and records loss, accuracy and the gap per epoch', () => {
    const moons = makeMoons({ samples: 120, noise: 0.2, seed: 4 });
    const train = Uint32Array.from({ length: 90 }, (_, i) => i);
    const validation = Uint32Array.from({ length: 30 }, (_, i) => 90 + i);
    const run = () => {
      const mlp = new MLP({ layers: [2, 16, 2], seed: 9, backend: 'js' });
      const result = fit(mlp, { ...moons, rows: train }, { optimizer: new Adam(mlp.params, { lr: 0.01 }), epochs: 5, batchSize: 16, seed: 7, validation: { ...moons, rows: validation } });
      return { result, weights: mlp.params.map((p) => Array.from(p.value)) };
    };
    const a = run();
    const b = run();
    expect(a.weights).toEqual(b.weights);
    for (const r of a.result.history) {
      expect(r.generalizationGap).toBeCloseTo(r.validationLoss - r.trainLoss, 12);
      expect(r.trainAccuracy).toBeGreaterThan(0.5);
      expect(r.validationAccuracy).toBeGreaterThan(0.5);
    }
    expect(a.result.timing.gradientMs).toBeGreaterThan(0);
    expect(a.result.timing.stepMs).toBeGreaterThan(0);
  });

  it('stops early when the validation loss rises, and puts back the best weights', () => {
    // The validation set is the training set with every label flipped: as training fits the
    // labels, the validation loss can only rise after the first epochs.
    const { X, y } = blobs(100, 3);
    const flipped = y.map((v) => 1 - v);
    const model = new LogisticRegression({ features: 3, backend: 'js' });
    const seen: number[] = [];
    const result = fit(model, { X, y }, {
      optimizer: new SGD(model.params, { lr: 0.05 }),
      epochs: 100,
      batchSize: 10,
      seed: 0,
      validation: { X, y: flipped },
      earlyStopping: { patience: 3 },
      onEpoch: (record) => void seen.push(record.epoch),
    });
    expect(result.stopReason).toBe('early-stopping');
    expect(result.history).toHaveLength(result.bestEpoch + 3);
    expect(seen).toEqual(result.history.map((r) => r.epoch));
    expect(result.bestEpoch).toBe(1);
    expect(result.restoredBestWeights).toBe(true);
    expect(model.evaluate(X, flipped).loss).toBe(result.history[result.bestEpoch - 1].validationLoss);

    const kept = new LogisticRegression({ features: 3, backend: 'js' });
    const noRestore = fit(kept, { X, y }, { optimizer: new SGD(kept.params, { lr: 0.05 }), epochs: 100, batchSize: 10, seed: 0, validation: { X, y: flipped }, earlyStopping: { patience: 3, restoreBestWeights: false } });
    expect(noRestore.restoredBestWeights).toBe(false);
    expect(kept.evaluate(X, flipped).loss).toBe(noRestore.history.at(-1)!.validationLoss);
  });

  it('stops when onEpoch returns false, and when the loss diverges', () => {
    const { X, y } = blobs(50, 5);
    const model = new LogisticRegression({ features: 3, backend: 'js' });
    const result = fit(model, { X, y }, { optimizer: new SGD(model.params, { lr: 0.1 }), epochs: 10, seed: 0, onEpoch: (r) => r.epoch < 4 });
    expect(result.stopReason).toBe('callback');
    expect(result.history).toHaveLength(4);
    const target = Float32Array.from({ length: 50 }, (_, i) => 1000 * X[3 * i]);
    const regression = new LinearRegression({ features: 3, backend: 'js' });
    const diverged = fit(regression, { X, y: target }, { optimizer: new SGD(regression.params, { lr: 10 }), epochs: 50, batchSize: 'full', seed: 0 });
    expect(diverged.stopReason).toBe('diverged');
    expect(diverged.history.length).toBeLessThan(50);
  });

  it('rejects bad options, naming them', () => {
    const { X, y } = blobs(20, 6);
    const model = new LogisticRegression({ features: 3, backend: 'js' });
    const optimizer = new SGD(model.params, { lr: 0.1 });
    const other = new LogisticRegression({ features: 3, backend: 'js' });
    expect(() => fit(model, { X, y }, { optimizer, epochs: 0 })).toThrow(/epochs must be an integer >= 1, got 0/);
    expect(() => fit(model, { X, y }, { optimizer, epochs: 1, batchSize: 2.5 })).toThrow(/batchSize/);
    expect(() => fit(model, { X, y }, { optimizer: new SGD(other.params), epochs: 1 })).toThrow(/updates none of the model's params/);
    expect(() => fit(model, { X, y }, { optimizer, epochs: 1, earlyStopping: { patience: 2 } })).toThrow(/pass validation data/);
    expect(() => fit(model, { X, y }, { optimizer, epochs: 1, lr: 1 } as never)).toThrow(/unknown option "lr"/);
    expect(() => fit(model, { X: Array.from(X), y } as never, { optimizer, epochs: 1 })).toThrow(/data.X must be a Float32Array/);
    // Row indices are checked before any step: a Uint32Array copy would train 2.5 as 2 and NaN as 0.
    const before = Float32Array.from(model.params[0].value);
    for (const [rows, bad] of [[[0, 1, Number.NaN, 3], 'NaN'], [[0, 2.5], '2.5'], [[0, 20], '20'], [[-1], '-1']] as const) {
      expect(() => fit(model, { X, y, rows }, { optimizer, epochs: 1, trainMetrics: 'running' })).toThrow(
        new RegExp(`^fit: data\\.rows\\[\\d\\] must be a row index, an integer in \\[0, 20\\), got ${bad.replace('.', '\\.')}$`),
      );
      expect(() => fit(model, { X, y }, { optimizer, epochs: 1, validation: { X, y, rows } })).toThrow(/^fit: validation\.rows\[\d\] must be a row index/);
    }
    expect(model.params[0].value).toEqual(before);
  });
});

describe('sharpness', () => {
  it('is larger at a sharp quadratic minimum than at a flat one, and restores the weights', () => {
    // Linear regression on one feature: loss(w) = mean((w·x − y)²) has curvature 2·mean(x²).
    const make = (scale: number) => {
      const X = Float32Array.from({ length: 50 }, (_, i) => scale * ((i % 10) - 4.5));
      const y = X.map((x) => 2 * x);
      const model = new LinearRegression({ features: 1, backend: 'js' });
      model.params[0].value[0] = 2;
      return { model, X, y };
    };
    const flat = make(0.1);
    const sharp = make(3);
    const a = sharpness(flat.model, { X: flat.X, y: flat.y }, { epsilon: 1e-2, seed: 1 });
    const b = sharpness(sharp.model, { X: sharp.X, y: sharp.y }, { epsilon: 1e-2, seed: 1 });
    expect(a.loss).toBe(0);
    expect(b.sharpness).toBeGreaterThan(100 * a.sharpness);
    expect(sharp.model.params[0].value[0]).toBe(2);
    // At w = 2, b = 0 the loss is 0 and the worst corner moves w by 0.03 and b by 0.01.
    expect(b.maxLoss).toBeGreaterThan(0);
    expect(b.gradientCornerLoss).toBeLessThanOrEqual(b.maxLoss);
  });
});
