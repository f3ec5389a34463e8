// The wasm dense kernels are register-blocked GEMMs (crates/gradstep-kernels/src/dense.rs): 4-row
// groups in 64-row chunks, 8- and 4-column tiles, 128-long chunks of the reduction and of the
// transposed weights, 64-feature × 32-block chunks of the weight gradient. The TypeScript twin walks
// plainly in the same order, so every tail of that blocking (rows, columns and inner dimension from 1
// to beyond a block, batch 1, one feature, one output) must give the same bits on both backends.
import { init, MLP } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstBitDifference, seeded } from '../helpers.js';

beforeAll(() => init());

interface Case {
  rows: number;
  layers: number[];
  activation: 'relu' | 'tanh';
}

function run(backend: 'wasm' | 'js', { rows, layers, activation }: Case) {
  const features = layers[0];
  const outputs = layers[layers.length - 1];
  const X = seeded(rows * 13 + features, rows * features);
  // Whole zero features (every third) and scattered zeros: skipped blocks and single-row zeros.
  for (let i = 0; i < X.length; i++) if ((i % features) % 3 === 1 || i % 7 === 0) X[i] = 0;
  const y = outputs === 1 ? seeded(rows, rows) : Float32Array.from({ length: rows }, (_, i) => (i * 5) % outputs);
  const model = new MLP({ layers, activation, output: outputs === 1 ? 'linear' : 'softmax', seed: 7, backend });
  model.biases.forEach((b, l) => b.value.set(seeded(l + 100, b.length).map((v) => v * 0.1)));
  const loss = model.lossAndGradient(X, y);
  const result = { loss, grads: model.params.map((p) => p.grad.slice()), out: model.forward(X) };
  model.dispose();
  return result;
}

const ROWS = [1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 67, 131];
const WIDTHS = [1, 3, 4, 5, 7, 8, 9, 12, 13, 63, 64, 65, 127, 128, 129, 257];
const cases: Case[] = [];
let k = 0;
for (const rows of ROWS) {
  for (const features of WIDTHS) {
    k++;
    // Every shape at small batches; a rotating sample of hidden and output widths at large ones.
    const hidden = rows < 10 ? WIDTHS.filter((_, i) => (i + k) % 3 === 0) : [WIDTHS[k % WIDTHS.length], WIDTHS[(k * 7) % WIDTHS.length]];
    for (const h of hidden) {
      const outputs = [1, 2, 3, 4, 5, 9, 10][(k + h) % 7];
      cases.push({ rows, layers: [features, h, outputs], activation: (k + h) % 2 === 0 ? 'relu' : 'tanh' });
    }
  }
}
cases.push({ rows: 64, layers: [129, 257, 65, 10], activation: 'relu' }, { rows: 3, layers: [1, 1, 1], activation: 'tanh' });

describe('blocked dense kernels: same bits on wasm and js at every tail of the blocking', () => {
  it(`${cases.length} shapes: losses, every gradient and the outputs`, () => {
    for (const c of cases) {
      const [wasm, js] = (['wasm', 'js'] as const).map((backend) => run(backend, c));
      const where = `${c.rows} rows, layers ${c.layers.join('-')}, ${c.activation}`;
      expect(Object.is(wasm.loss, js.loss), where).toBe(true);
      wasm.grads.forEach((g, i) => expect(firstBitDifference(g, js.grads[i]), `${where}: grad of param ${i}`).toBe(-1));
      expect(firstBitDifference(wasm.out, js.out), `${where}: outputs`).toBe(-1);
    }
  });
});
