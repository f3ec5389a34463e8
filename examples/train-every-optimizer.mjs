// Trains the same logistic-regression model (2 Gaussian blobs in 8 dimensions, full-batch gradients
// written by hand) with every gradstep optimizer, on the wasm backend and on the js backend, and
// prints the loss curve of each. Both backends print the same digits: they compute the same bits.
import { init, param, getBackend, wasmSimd, SGD, Adagrad, Adadelta, RMSprop, Adam, AdamW } from 'gradstep';

const FEATURES = 8, SAMPLES = 512, STEPS = 200;

// A seeded dataset (xorshift32 + Box-Muller), so every run prints the same numbers.
let seed = 42;
const uniform = () => {
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return (seed + 0.5) / 2 ** 32;
};
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
const X = new Float32Array(SAMPLES * FEATURES), y = new Float32Array(SAMPLES);
for (let i = 0; i < SAMPLES; i++) {
  y[i] = i % 2;
  for (let j = 0; j < FEATURES; j++) X[i * FEATURES + j] = normal() + (y[i] ? 0.6 : -0.6) * (j < 3 ? 1 : 0);
}

/** Mean cross-entropy of sigmoid(Xw + b); writes its gradient into w.grad and b.grad. */
function lossAndGradient(w, b) {
  const wv = w.value, gw = w.grad, gb = b.grad;
  gw.fill(0); gb.fill(0);
  let loss = 0;
  for (let i = 0; i < SAMPLES; i++) {
    let z = b.value[0];
    for (let j = 0; j < FEATURES; j++) z += wv[j] * X[i * FEATURES + j];
    const p = 1 / (1 + Math.exp(-z));
    loss -= y[i] ? Math.log(p + 1e-12) : Math.log(1 - p + 1e-12);
    const d = (p - y[i]) / SAMPLES;
    for (let j = 0; j < FEATURES; j++) gw[j] += d * X[i * FEATURES + j];
    gb[0] += d;
  }
  return loss / SAMPLES;
}

const OPTIMIZERS = [
  ['GD (SGD)', (p) => new SGD(p, { lr: 0.5 })],
  ['Momentum', (p) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
  ['Nesterov (NAG)', (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true })],
  ['Adagrad', (p) => new Adagrad(p, { lr: 0.1 })],
  ['Adadelta', (p) => new Adadelta(p, { lr: 1.0 })],
  ['RMSprop', (p) => new RMSprop(p, { lr: 0.01 })],
  ['Adam', (p) => new Adam(p, { lr: 0.05 })],
  ['Adam (Keras ε̂)', (p) => new Adam(p, { lr: 0.05, epsHat: true })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.05, weightDecay: 0.01 })],
];

function train(make, backend) {
  const w = param(FEATURES, { backend }), b = param(1, { backend });
  const opt = make([w, b]);
  const losses = [];
  for (let t = 0; t <= STEPS; t++) {
    const loss = lossAndGradient(w, b);
    if (t % 50 === 0) losses.push(loss);
    if (t < STEPS) opt.step();
  }
  const weights = w.value.slice();
  opt.dispose(); w.dispose(); b.dispose();
  return { losses, weights };
}

await init();
console.log(`gradstep: default backend ${getBackend()} (wasm SIMD: ${wasmSimd()}); ${STEPS} full-batch steps of logistic regression on ${SAMPLES}×${FEATURES}`);
console.log(`${'optimizer'.padEnd(16)} ${'backend'.padEnd(7)} ${[0, 50, 100, 150, 200].map((t) => `loss@${t}`.padStart(9)).join(' ')}  same bits`);
let allSame = true;
for (const [name, make] of OPTIMIZERS) {
  const wasm = train(make, 'wasm'), js = train(make, 'js');
  const same = wasm.weights.every((v, i) => Object.is(v, js.weights[i]));
  allSame &&= same;
  for (const [backend, run] of [['wasm', wasm], ['js', js]]) {
    console.log(`${(backend === 'wasm' ? name : '').padEnd(16)} ${backend.padEnd(7)} ${run.losses.map((l) => l.toFixed(5).padStart(9)).join(' ')}  ${backend === 'js' ? (same ? 'yes' : 'NO') : ''}`);
  }
}
if (!allSame) {
  console.error('the backends disagree: this is a bug');
  process.exit(1);
}
