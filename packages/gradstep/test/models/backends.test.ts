// The dense layers run in wasm (f32x4) on the wasm backend and in TypeScript on the js backend:
// losses, gradients and trained weights must be the same bits, for every row and width remainder.
import { Adam, fit, init, MLP, SoftmaxRegression, type Model } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstBitDifference, seeded } from '../helpers.js';

beforeAll(() => init());

function data(rows: number, features: number, classes: number) {
  const X = seeded(rows * 7 + features, rows * features);
  for (let i = 0; i < X.length; i += 3) X[i] = 0; // zeros, so whole zero columns in a block occur
  const y = Float32Array.from({ length: rows }, (_, i) => (i * 7) % classes);
  return { X, y };
}

describe('dense layers on wasm and js', () => {
  it.each([
    [1, 3, 2, [5]],
    [4, 4, 3, [4]],
    [5, 7, 3, [9, 6]],
    [13, 6, 10, [64]],
    [32, 64, 10, [64]],
  ] as const)('%i rows × %i features, %i classes, hidden %j: same loss, gradients and outputs', (rows, features, classes, hidden) => {
    const { X, y } = data(rows, features, classes);
    const [wasm, js] = (['wasm', 'js'] as const).map((backend) => {
      const model = new MLP({ layers: [features, ...hidden, classes], seed: 3, backend });
      const loss = model.lossAndGradient(X, y);
      return { model, loss, grads: model.params.map((p) => p.grad.slice()), out: model.forward(X) };
    });
    expect(Object.is(wasm.loss, js.loss)).toBe(true);
    wasm.grads.forEach((g, i) => expect(firstBitDifference(g, js.grads[i])).toBe(-1));
    expect(firstBitDifference(wasm.out, js.out)).toBe(-1);
    expect(wasm.grads.some((g) => g.some((v) => v !== 0))).toBe(true);
  });

  it('trains the same weights with fit() on both backends (softmax regression and a tanh MLP)', () => {
    const { X, y } = data(103, 9, 4);
    const train = (make: (backend: 'wasm' | 'js') => Model) =>
      (['wasm', 'js'] as const).map((backend) => {
        const model = make(backend);
        fit(model, { X, y }, { optimizer: new Adam(model.params, { lr: 0.01 }), epochs: 3, batchSize: 10, seed: 1 });
        return model.params.map((p) => p.value.slice());
      });
    for (const make of [
      (backend: 'wasm' | 'js') => new SoftmaxRegression({ features: 9, classes: 4, backend }) as Model,
      (backend: 'wasm' | 'js') => new MLP({ layers: [9, 8, 4], activation: 'tanh', seed: 2, backend }) as Model,
    ]) {
      const [wasm, js] = train(make);
      wasm.forEach((w, i) => expect(firstBitDifference(w, js[i])).toBe(-1));
    }
  });
});
