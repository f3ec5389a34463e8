// Bounds by design: fit's batchSize is bounded by the rows it trains on. Any batchSize >= n is one
// full batch (as documented), including sizes above what batches() accepts (2^32 − 1), which used to
// be refused with an error naming batches() rather than fit().
import { describe, expect, it } from 'vitest';
import { fit, LogisticRegression, SGD } from 'gradstep';

function run(batchSize: number | 'full') {
  const X = Float32Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? -1 : 1) * (1 + (i % 7) / 7));
  const y = Float32Array.from({ length: 20 }, (_, i) => (X[2 * i] > 0 ? 1 : 0));
  const model = new LogisticRegression({ features: 2, backend: 'js' });
  const result = fit(model, { X, y }, { optimizer: new SGD(model.params, { lr: 0.1 }), epochs: 3, batchSize, seed: 0 });
  const weights = Array.from(model.params[0].value);
  model.dispose();
  return { steps: result.steps, weights };
}

describe('fit: batchSize above the number of rows', () => {
  it('2^32, 2^40 and Number.MAX_SAFE_INTEGER train exactly as batchSize "full"', () => {
    const full = run('full');
    expect(full.steps).toBe(3);
    for (const batchSize of [2 ** 32, 2 ** 40, Number.MAX_SAFE_INTEGER]) expect(run(batchSize)).toEqual(full);
  });

  it('invalid sizes are still refused, naming fit', () => {
    expect(() => run(0)).toThrow(/fit: batchSize must be an integer >= 1/);
    expect(() => run(Infinity)).toThrow(/fit: batchSize must be an integer >= 1/);
  });
});
