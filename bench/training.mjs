// The dense layers at the wasm SIMD limit, and end-to-end training against TensorFlow.js.
//
// - FLOP roofline: the wasm module's flopProbe (f32x4 multiply + add on 12 independent chains from
//   registers, no FMA: what the dense kernels may use) gives the peak GFLOP/s of one core; each GEMM
//   of a dense layer (forward X·W + b, weight gradient Xᵀ·dY with the bias gradient, input gradient
//   dY·Wᵀ, timed with the weight gradient as one backward call) is timed at the models' shapes and reported in GFLOP/s and % of that peak. Both run in one
//   instance of the module gradstep ships (its glue imported directly, as a probe needs no API).
// - Training: one step = forward + backward + Adam step on a fixed batch, for three MLPs, gradstep
//   (wasm and js backends: MLP.lossAndGradient + Adam.step) against tfjs-layers' trainOnBatch (same
//   architecture, ReLU, softmax cross-entropy, Adam) on tfjs-backend-wasm and tfjs-backend-cpu, all in
//   this process. Every figure is measured twice (rounds interleaved) and the median of each round is
//   kept, so a loaded machine shows as two different figures rather than as one wrong one.
import { readFileSync } from 'node:fs';
import { Adam, MLP } from 'gradstep';

const WASM_DIR = new URL('../packages/gradstep/wasm/simd/', import.meta.url);

export const TRAINING_MODELS = [
  { name: 'MLP 64-64-10', layers: [64, 64, 10], batch: 32 },
  { name: 'MLP 784-256-128-10', layers: [784, 256, 128, 10], batch: 64 },
  { name: 'MLP 784-512-512-10', layers: [784, 512, 512, 10], batch: 128 },
];

/** Median ms per call of fn (sync or async) over `samples` timed windows of `reps` calls, after warm-up. */
async function msPerCall(fn, { warmup, reps, samples }) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let s = 0; s < samples; s++) {
    const started = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    times.push((performance.now() - started) / reps);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** msPerCall for a synchronous fn (no await per call, so the timing overhead stays out). */
function msPerSyncCall(fn, { warmup, reps, samples }) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let s = 0; s < samples; s++) {
    const started = performance.now();
    for (let i = 0; i < reps; i++) fn();
    times.push((performance.now() - started) / reps);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const seeded = (n, seed) => {
  let x = (seed * 2654435761 + 1) >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32 - 0.5;
  });
};

/** The FLOP roofline and the three GEMMs of every layer of TRAINING_MODELS, twice each. */
export async function benchKernels({ quick, progress }) {
  const glue = await import(new URL('gradstep_wasm.js', WASM_DIR).href);
  const wasm = glue.initSync({ module: readFileSync(new URL('gradstep_wasm_bg.wasm', WASM_DIR)) });
  const simd = glue.simdEnabled();
  const timing = quick ? { warmup: 3, reps: 5, samples: 3 } : { warmup: 20, reps: 20, samples: 9 };
  const block = (n, seed) => {
    const ptr = glue.allocF32(n);
    if (seed !== undefined) new Float32Array(wasm.memory.buffer, ptr, n).set(seeded(n, seed));
    return ptr;
  };
  const iterations = 100_000;
  const peakOnce = () => (glue.flopProbeOperations() * iterations) / msPerSyncCall(() => glue.flopProbe(iterations, 0.25), timing) / 1e6;
  const shapes = [];
  for (const model of TRAINING_MODELS) {
    for (let l = 0; l + 1 < model.layers.length; l++) {
      const shape = { rows: model.batch, inputs: model.layers[l], outputs: model.layers[l + 1] };
      if (!shapes.some((s) => s.rows === shape.rows && s.inputs === shape.inputs && s.outputs === shape.outputs)) shapes.push(shape);
    }
  }
  const runs = [];
  for (let round = 0; round < 2; round++) {
    progress(`FLOP roofline (flopProbe), round ${round + 1}…`);
    const run = { peakGFs: peakOnce(), gemm: [] };
    for (const { rows, inputs, outputs } of shapes) {
      progress(`GEMM ${rows}×${inputs}×${outputs}, round ${round + 1}…`);
      // The peak again right before each shape: on a shared machine the core's share drifts.
      const peakGFs = peakOnce();
      const x = block(rows * inputs, 1), w = block(inputs * outputs, 2), b = block(outputs, 3), y = block(rows * outputs);
      const d = block(rows * outputs, 4), gw = block(inputs * outputs), gb = block(outputs), di = block(rows * inputs);
      const flops = 2 * rows * inputs * outputs;
      const forward = msPerSyncCall(() => glue.denseForward(x, rows, inputs, w, b, outputs, y, 0), timing);
      const weights = msPerSyncCall(() => glue.denseBackward(x, rows, inputs, w, outputs, d, gw, gb, 0, 0), timing);
      const both = msPerSyncCall(() => glue.denseBackward(x, rows, inputs, w, outputs, d, gw, gb, di, 0), timing);
      const gf = (ms) => flops / ms / 1e6;
      run.gemm.push({ rows, inputs, outputs, peakGFs, GFs: { 'X·W': gf(forward), 'Xᵀ·dY': gf(weights), backward: (2 * flops) / both / 1e6 } });
      for (const [p, n] of [[x, rows * inputs], [w, inputs * outputs], [b, outputs], [y, rows * outputs], [d, rows * outputs], [gw, inputs * outputs], [gb, outputs], [di, rows * inputs]]) glue.freeF32(p, n);
    }
    runs.push(run);
  }
  progress('');
  console.log(`\nFLOP roofline (flopProbe: f32x4 mul + add, 12 chains, ${simd ? 'simd128' : 'scalar build'}): ${runs.map((r) => r.peakGFs.toFixed(1)).join(' / ')} GFLOP/s (two rounds)`);
  console.log(`dense-layer GEMMs, GFLOP/s and % of the peak measured just before (round 1 / round 2):`);
  console.log(['rows×in×out'.padEnd(14), ...['X·W', 'Xᵀ·dY (+bias)', 'Xᵀ·dY + dY·Wᵀ'].map((h) => h.padStart(24))].join(' '));
  for (let s = 0; s < shapes.length; s++) {
    const cells = ['X·W', 'Xᵀ·dY', 'backward'].map((k) =>
      runs.map((r) => `${r.gemm[s].GFs[k].toFixed(1)} (${((100 * r.gemm[s].GFs[k]) / r.gemm[s].peakGFs).toFixed(0)}%)`).join(' / ').padStart(24),
    );
    const { rows, inputs, outputs } = shapes[s];
    console.log([`${rows}×${inputs}×${outputs}`.padEnd(14), ...cells].join(' '));
  }
  return { simd, runs };
}

function buildTfjsModel(tfl, layers) {
  const model = tfl.sequential();
  for (let i = 1; i < layers.length; i++) {
    const last = i === layers.length - 1;
    model.add(tfl.layers.dense({ units: layers[i], activation: last ? 'softmax' : 'relu', ...(i === 1 ? { inputShape: [layers[0]] } : {}) }));
  }
  return model;
}

/** ms per training step for every model × {gradstep wasm, gradstep js, tfjs-wasm, tfjs-cpu}, twice. */
export async function benchTraining({ tf, quick, progress }) {
  const tfl = tf ? await import('@tensorflow/tfjs-layers') : null;
  const rows = [];
  for (const spec of TRAINING_MODELS) {
    const { layers, batch } = spec;
    const classes = layers.at(-1);
    const X = seeded(batch * layers[0], 11).map((v) => v + 0.5);
    const y = Float32Array.from({ length: batch }, (_, i) => (i * 7) % classes);
    const big = layers[1] >= 512;
    const timing = (slow) => (quick ? { warmup: 1, reps: slow ? 1 : 3, samples: 2 } : { warmup: slow ? 3 : 20, reps: slow ? 2 : 10, samples: slow ? 3 : 7 });
    const makers = {
      'gradstep wasm': () => gradstepStep('wasm', spec, X, y),
      'gradstep js': () => gradstepStep('js', spec, X, y),
    };
    if (tf) {
      for (const backend of ['wasm', 'cpu']) {
        makers[`tfjs-${backend}`] = async () => {
          await tf.setBackend(backend);
          await tf.ready();
          const model = buildTfjsModel(tfl, layers);
          const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
          model.compile({ optimizer, loss: 'categoricalCrossentropy' });
          const xs = tf.tensor2d(X, [batch, layers[0]]);
          const ys = tf.oneHot(tf.tensor1d(Array.from(y), 'int32'), classes);
          return { step: () => model.trainOnBatch(xs, ys), async: true, dispose: () => (tf.dispose([xs, ys]), optimizer.dispose(), model.dispose()) };
        };
      }
    }
    const row = { model: spec.name, batch, msPerStep: {} };
    for (let round = 0; round < 2; round++) {
      for (const [label, make] of Object.entries(makers)) {
        if (quick && big && label !== 'gradstep wasm' && label !== 'tfjs-wasm') continue;
        progress(`training ${spec.name} batch ${batch}: ${label}, round ${round + 1}…`);
        const run = await make();
        const slow = label === 'tfjs-cpu' || label === 'gradstep js' || big;
        const ms = run.async ? await msPerCall(run.step, timing(slow)) : msPerSyncCall(run.step, timing(slow));
        run.dispose();
        (row.msPerStep[label] ??= []).push(ms);
      }
    }
    rows.push(row);
  }
  progress('');
  const labels = ['gradstep wasm', 'gradstep js', 'tfjs-wasm', 'tfjs-cpu'];
  const best = (xs) => (xs ? Math.min(...xs) : undefined);
  console.log(`\nend-to-end training step (forward + backward + Adam), ms per step (round 1 / round 2; ratios from the better round):`);
  console.log(['model'.padEnd(20), 'batch'.padStart(5), ...labels.map((l) => l.padStart(17)), 'vs tfjs-wasm'.padStart(13), 'vs tfjs-cpu'.padStart(12)].join(' '));
  for (const row of rows) {
    const ms = row.msPerStep;
    const cell = (l) => (ms[l] ? ms[l].map((v) => v.toFixed(v < 10 ? 2 : 0)).join(' / ') : '-').padStart(17);
    const ratio = (l) => (ms[l] ? `${(best(ms[l]) / best(ms['gradstep wasm'])).toFixed(1)}x` : '-');
    row.vsTfjsWasm = ms['tfjs-wasm'] ? best(ms['tfjs-wasm']) / best(ms['gradstep wasm']) : null;
    row.vsTfjsCpu = ms['tfjs-cpu'] ? best(ms['tfjs-cpu']) / best(ms['gradstep wasm']) : null;
    console.log([row.model.padEnd(20), String(row.batch).padStart(5), ...labels.map(cell), ratio('tfjs-wasm').padStart(13), ratio('tfjs-cpu').padStart(12)].join(' '));
  }
  return rows;
}

function gradstepStep(backend, { layers }, X, y) {
  const model = new MLP({ layers, seed: 1, backend });
  const optimizer = new Adam(model.params, { lr: 1e-3 });
  return {
    step: () => {
      model.lossAndGradient(X, y);
      optimizer.step();
    },
    dispose: () => (optimizer.dispose(), model.dispose()),
  };
}

/**
 * µs per one-row prediction (`predict` of one row: the forward pass through every layer and the
 * class) for every model, gradstep wasm and js against tfjs-layers' `predict` + `dataSync` on
 * tfjs-backend-wasm, twice: the per-call cost of the kernels when there is no batch to amortise it.
 */
export async function benchPredict({ tf, quick, progress }) {
  const tfl = tf ? await import('@tensorflow/tfjs-layers') : null;
  const rows = [];
  const timing = quick ? { warmup: 2, reps: 5, samples: 2 } : { warmup: 100, reps: 50, samples: 9 };
  for (const spec of TRAINING_MODELS) {
    const { layers } = spec;
    const x = seeded(layers[0], 12).map((v) => v + 0.5);
    const makers = {
      'gradstep wasm': () => gradstepPredict('wasm', layers, x),
      'gradstep js': () => gradstepPredict('js', layers, x),
    };
    if (tf) {
      makers['tfjs-wasm'] = async () => {
        await tf.setBackend('wasm');
        await tf.ready();
        const model = buildTfjsModel(tfl, layers);
        const xs = tf.tensor2d(x, [1, layers[0]]);
        return {
          step: () => {
            const y = model.predict(xs);
            y.dataSync();
            y.dispose();
          },
          dispose: () => (xs.dispose(), model.dispose()),
        };
      };
    }
    const row = { model: spec.name, usPerPredict: {} };
    for (let round = 0; round < 2; round++) {
      for (const [label, make] of Object.entries(makers)) {
        progress(`one-row predict ${spec.name}: ${label}, round ${round + 1}…`);
        const run = await make();
        (row.usPerPredict[label] ??= []).push(1000 * msPerSyncCall(run.step, timing));
        run.dispose();
      }
    }
    rows.push(row);
  }
  progress('');
  const labels = ['gradstep wasm', 'gradstep js', 'tfjs-wasm'];
  console.log(`\none-row predict (forward of one row, the class), µs per call (round 1 / round 2):`);
  console.log(['model'.padEnd(20), ...labels.map((l) => l.padStart(17)), 'vs tfjs-wasm'.padStart(13)].join(' '));
  for (const row of rows) {
    const us = row.usPerPredict;
    const cell = (l) => (us[l] ? us[l].map((v) => v.toFixed(v < 100 ? 1 : 0)).join(' / ') : '-').padStart(17);
    row.vsTfjsWasm = us['tfjs-wasm'] ? Math.min(...us['tfjs-wasm']) / Math.min(...us['gradstep wasm']) : null;
    console.log([row.model.padEnd(20), ...labels.map(cell), (row.vsTfjsWasm ? `${row.vsTfjsWasm.toFixed(1)}x` : '-').padStart(13)].join(' '));
  }
  return rows;
}

function gradstepPredict(backend, layers, x) {
  const model = new MLP({ layers, seed: 1, backend });
  return { step: () => model.predict(x), dispose: () => model.dispose() };
}
