// gradstep benchmarks: every optimizer × sizes × modes (wasm resident, wasm with a copy in and out
// per step, js backend) against TensorFlow.js (cpu, wasm), realistic many-tensor models, a STREAM
// bandwidth roofline, allocation per step, the model-selection splitters, checkpoint encoding and the
// speedup of a grid search on the worker pool, a FLOP roofline with the dense layers' GEMMs and
// end-to-end MLP training steps against tfjs-layers (bench/training.mjs), and model.fit epochs through gradstep/tfjs
// (bench/tfjs-adapter.mjs; skipped with --no-peers).
//
//   pnpm bench [--quick] [--optimizers Adam,SGD] [--sizes 1e3,1e6] [--no-peers] [--time ms] [--out dir]
//
// Prints a table, writes bench/results/<date>.json (machine, Node, SIMD) and bench/results/latest.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import { Bench } from 'tinybench';
import * as gradstep from 'gradstep';
import { BENCH_OPTIMIZERS } from './optimizers.mjs';
import { loadTfjs, tfjsModel, tfjsOptimizer } from './peers.mjs';
import { printWorkersBench, runWorkersBench } from './workers.mjs';
import { benchTfjsAdapter } from './tfjs-adapter.mjs';
import { benchKernels, benchPredict, benchTraining } from './training.mjs';
import { printEnsemblesBench, runEnsemblesBench } from './ensembles.mjs';

const { init, param, wasmSimd, bandwidthProbe, Adam } = gradstep;

// ---------------------------------------------------------------- arguments
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const quick = flag('quick');
const chosen = option('optimizers', quick ? 'SGD momentum,Adam' : Object.keys(BENCH_OPTIMIZERS).join(','))
  .split(',')
  .map((s) => s.trim());
for (const name of chosen) if (!BENCH_OPTIMIZERS[name]) throw new Error(`unknown optimizer ${name}; known: ${Object.keys(BENCH_OPTIMIZERS).join(', ')}`);
const sizes = option('sizes', quick ? '1e3,1e5' : '1e3,1e4,1e5,1e6,1e7').split(',').map(Number);
const timeMs = Number(option('time', quick ? 60 : 400));
const withPeers = !flag('no-peers');

// ---------------------------------------------------------------- measuring
/** ns per call of fn, the median of tinybench samples. */
async function measure(fn, { time = timeMs } = {}) {
  const bench = new Bench({ time, warmupTime: Math.min(100, time / 2), iterations: 5, warmupIterations: 3 });
  bench.add('x', fn);
  await bench.run();
  const result = bench.tasks[0].result;
  const median = result.latency?.p50 ?? result.latency?.mean;
  return median * 1e6; // ms -> ns
}

const progress = (text) => process.stderr.write(`\r\x1b[K${text}`);

// ---------------------------------------------------------------- machine
await init();
const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  v8: process.versions.v8,
  platform: `${os.platform()} ${os.arch()}`,
  wasmSimd: wasmSimd(),
};

// ---------------------------------------------------------------- roofline
// The probe a += s·b moves memory as the optimizers do (read-modify-write, no write-allocate):
// 12 bytes per element. (A STREAM triad a = b + s·c writes a third array and pays write-allocate
// traffic the optimizers never pay, which made it a bound they could beat.)
async function probeGBs(n) {
  const [a, b] = [0, 1].map(() => param(n, { backend: 'wasm' }));
  a.value.fill(1); // touch every page before timing
  b.value.fill(1e-9);
  const ns = await measure(() => bandwidthProbe(a, b, 1e-9));
  [a, b].forEach((p) => p.dispose());
  return (12 * n) / ns; // bytes per ns = GB/s
}
progress('roofline (bandwidth probe in the gradstep wasm module)…');
// The bound is main-memory bandwidth: the probe over 2 × 80 MB, far beyond any cache. Smaller sizes
// run from cache and can beat it; their figures are printed for comparison.
const BOUND_SIZE = 2e7;
const roofline = {};
for (const n of [...new Set([...sizes, BOUND_SIZE])].sort((a, b) => a - b)) roofline[n] = await probeGBs(n);
const boundGBs = roofline[BOUND_SIZE];

// ---------------------------------------------------------------- optimizers
function gradstepStep(config, backend, shapes, copy) {
  const params = shapes.map((n) => param(n, { backend }));
  params.forEach((p) => p.grad.fill(0.01));
  const opt = BENCH_OPTIMIZERS[config].make(params);
  const host = shapes.map((n) => ({ value: new Float32Array(n), grad: new Float32Array(n).fill(0.01) }));
  const step = copy
    ? () => {
        for (let i = 0; i < params.length; i++) {
          params[i].value.set(host[i].value);
          params[i].grad.set(host[i].grad);
        }
        opt.step();
        for (let i = 0; i < params.length; i++) host[i].value.set(params[i].value);
      }
    : () => opt.step();
  return { step, opt, dispose: () => (opt.dispose(), params.forEach((p) => p.dispose())) };
}

let tfjs = null;
if (withPeers) {
  progress('loading TensorFlow.js…');
  tfjs = await loadTfjs();
}

async function tfjsNs(backend, config, shapes) {
  const { tf } = tfjs;
  await tf.setBackend(backend);
  await tf.ready();
  const optimizer = tfjsOptimizer(tf, config);
  if (!optimizer) return null;
  const model = tfjsModel(tf, optimizer, shapes);
  const ns = await measure(() => model.step(), { time: Math.min(timeMs, 300) });
  model.dispose();
  return ns;
}

const rows = [];
const total = (shapes) => shapes.reduce((a, b) => a + b, 0);

async function benchShapes(config, label, shapes) {
  const n = total(shapes);
  const row = { optimizer: config, shape: label, params: n, nsPerParam: {} };
  const modes = [
    ['wasm', () => gradstepStep(config, 'wasm', shapes, false)],
    ['wasm+copy', () => gradstepStep(config, 'wasm', shapes, true)],
    ['js', () => gradstepStep(config, 'js', shapes, false)],
  ];
  for (const [mode, make] of modes) {
    if (mode === 'js' && n > 1e6 && quick) continue;
    progress(`${config} ${label}: gradstep ${mode}…`);
    const run = make();
    row.nsPerParam[mode] = (await measure(run.step)) / n;
    run.dispose();
  }
  if (tfjs) {
    for (const backend of ['wasm', 'cpu']) {
      if (backend === 'cpu' && n > (quick ? 1e5 : 1e6)) continue; // ~200 ns/param: seconds per step
      progress(`${config} ${label}: tfjs-${backend}…`);
      const ns = await tfjsNs(backend, config, shapes);
      if (ns !== null) row.nsPerParam[`tfjs-${backend}`] = ns / n;
    }
  }
  const bytes = BENCH_OPTIMIZERS[config].bytesPerParam;
  row.GBs = bytes / row.nsPerParam.wasm;
  row.ofBound = row.GBs / boundGBs;
  row.vsJs = row.nsPerParam.js ? row.nsPerParam.js / row.nsPerParam.wasm : null;
  row.vsTfjsWasm = row.nsPerParam['tfjs-wasm'] ? row.nsPerParam['tfjs-wasm'] / row.nsPerParam.wasm : null;
  rows.push(row);
  printRow(row);
}

const fmt = (x, digits = 2) => (x === undefined || x === null ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(digits));
const HEADER = ['optimizer', 'shape', 'wasm', 'wasm+copy', 'js', 'tfjs-wasm', 'tfjs-cpu', 'GB/s', '% bound', 'vs js', 'vs tfjs-wasm'];
function cells(row) {
  const ns = row.nsPerParam;
  return [row.optimizer, row.shape, fmt(ns.wasm, 3), fmt(ns['wasm+copy'], 3), fmt(ns.js), fmt(ns['tfjs-wasm']), fmt(ns['tfjs-cpu']), fmt(row.GBs, 1), `${(100 * row.ofBound).toFixed(0)}%`, row.vsJs ? `${fmt(row.vsJs, 1)}x` : '-', row.vsTfjsWasm ? `${fmt(row.vsTfjsWasm, 1)}x` : '-'];
}
const WIDTHS = [16, 13, 8, 9, 7, 9, 8, 6, 7, 6, 12];
function printRow(row) {
  progress('');
  console.log(cells(row).map((c, i) => String(c).padStart(i < 2 ? 0 : WIDTHS[i]).padEnd(i < 2 ? WIDTHS[i] : 0)).join(' '));
}

console.error('');
console.log(`gradstep benchmarks: ns per parameter per step (median); ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, wasm SIMD ${machine.wasmSimd}`);
console.log(`roofline (a += s·b in wasm, GB/s by size): ${Object.entries(roofline).map(([n, g]) => `${Number(n).toExponential(0)}: ${g.toFixed(1)}`).join(', ')}; bound (main memory, 2e7) ${boundGBs.toFixed(1)} GB/s`);
console.log(HEADER.map((h, i) => (i < 2 ? h.padEnd(WIDTHS[i]) : h.padStart(WIDTHS[i]))).join(' '));
for (const config of chosen) for (const n of sizes) await benchShapes(config, Number(n).toExponential(0), [n]);

// Realistic shapes, where per-call overhead shows: an MLP's 8 tensors (784-1000-200-100-10) and 10×100.
const MLP = [784 * 1000, 1000, 1000 * 200, 200, 200 * 100, 100, 100 * 10, 10];
const TEN_SMALL = Array(10).fill(100);
for (const config of chosen) {
  await benchShapes(config, 'mlp 8 tensors', MLP);
  await benchShapes(config, '10x100', TEN_SMALL);
}

// ---------------------------------------------------------------- dense layers and training
// The FLOP roofline (flopProbe) with the dense layers' GEMMs at the models' shapes, end-to-end
// training steps against tfjs-layers, and one-row predictions (bench/training.mjs).
const kernels = await benchKernels({ quick, progress });
const training = await benchTraining({ tf: tfjs?.tf ?? null, quick, progress });
const predict = await benchPredict({ tf: tfjs?.tf ?? null, quick, progress });

// ---------------------------------------------------------------- allocation per step
const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_used_size;
const allocation = {};
if (typeof globalThis.gc === 'function') {
  for (const config of chosen) {
    for (const backend of ['wasm', 'js']) {
      progress(`allocation: ${config} ${backend}…`);
      const run = gradstepStep(config, backend, [1000, 10], false);
      for (let i = 0; i < 10_000; i++) run.step();
      const wasmBefore = gradstep.memoryStats().wasmBytes;
      // Young-generation growth over 1,000 steps right after gc(), minus the same measurement around
      // an empty loop (the measuring itself allocates); best of 10 trials spaced out in time, since
      // code not yet optimised by V8 (on a background thread) boxes floats.
      const grown = async (fn) => {
        let best = Infinity;
        for (let trial = 0; trial < 10; trial++) {
          await new Promise((r) => setTimeout(r, 5));
          globalThis.gc();
          const before = newSpace();
          for (let i = 0; i < 1000; i++) fn();
          best = Math.min(best, newSpace() - before);
        }
        return best;
      };
      const bytes = (await grown(run.step)) - (await grown(() => {}));
      allocation[`${config} ${backend}`] = { jsBytesPerStep: Math.max(0, bytes) / 1000, wasmBytesGrown: gradstep.memoryStats().wasmBytes - wasmBefore };
      run.dispose();
    }
  }
  progress('');
  console.log(`\nbytes allocated per step (JS young generation, best of 10 × 1,000 steps; wasm memory growth):`);
  for (const [k, v] of Object.entries(allocation)) console.log(`  ${k.padEnd(24)} js ${v.jsBytesPerStep.toFixed(1)} B/step, wasm +${v.wasmBytesGrown} B`);
} else {
  console.log('\n(allocation not measured: run node with --expose-gc)');
}

// ---------------------------------------------------------------- splitters
const splitters = {};
const ms = gradstep.kFold ? gradstep : null;
if (ms) {
  for (const n of quick ? [1e6] : [1e6, 1e7]) {
    const labels = Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) % 7);
    const cases = {
      'kFold k=5': () => ms.kFold(n, { k: 5 }),
      'kFold k=5 shuffled': () => ms.kFold(n, { k: 5, shuffle: true, seed: 1 }),
      'stratifiedKFold k=5': () => ms.stratifiedKFold(labels, { k: 5 }),
      bootstrap: () => ms.bootstrap(n, { seed: 1 }),
    };
    for (const [name, fn] of Object.entries(cases)) {
      progress(`splitters: ${name} at ${n}…`);
      const ns = await measure(fn, { time: quick ? 200 : 1000 });
      splitters[`${name} n=${n.toExponential(0)}`] = (n / ns) * 1e9;
    }
  }
  progress('');
  console.log('\nsplitters (samples per second):');
  for (const [k, v] of Object.entries(splitters)) console.log(`  ${k.padEnd(32)} ${(v / 1e6).toFixed(1)} M/s`);
}

// ---------------------------------------------------------------- checkpoints
// Saving and loading an Adam over one tensor of n params: gradstep's state dict (base64 through JSON
// text, as to a file; Float32Array copies through structuredClone, as to a worker), a safetensors file
// of the tensor, and the PyTorch training checkpoint (weights and both moments, safetensors). MB/s of
// the data written or read (4 bytes per float: 8n for the state dicts, 4n for the tensor alone, 12n
// for the checkpoint), the median of a few runs of each direction.
const checkpoints = {};
for (const n of quick ? [1e6] : [1e6, 1e7]) {
  const p = param(n, { name: 'weight' });
  p.grad.fill(0.01);
  const opt = new Adam([p]);
  opt.step();
  const rate = (floats) => (ns) => (4 * floats) / 1e6 / (ns / 1e9);
  const stateText = JSON.stringify(opt.stateDict());
  const stateCopies = opt.stateDict({ encoding: 'float32' });
  const tensorFile = gradstep.encodeSafetensors({ weight: p });
  const checkpointFile = gradstep.saveTorchCheckpoint({ model: [p], optimizer: opt });
  const cases = {
    'state dict, base64: stateDict + JSON.stringify': [2 * n, () => JSON.stringify(opt.stateDict())],
    'state dict, base64: JSON.parse + loadStateDict': [2 * n, () => opt.loadStateDict(JSON.parse(stateText))],
    "state dict, float32: stateDict({ encoding: 'float32' }) + structuredClone": [2 * n, () => structuredClone(opt.stateDict({ encoding: 'float32' }))],
    'state dict, float32: loadStateDict': [2 * n, () => opt.loadStateDict(stateCopies)],
    'safetensors: encodeSafetensors (one F32 tensor)': [n, () => gradstep.encodeSafetensors({ weight: p })],
    'safetensors: decodeSafetensors': [n, () => gradstep.decodeSafetensors(tensorFile)],
    'PyTorch checkpoint: saveTorchCheckpoint (weights, exp_avg, exp_avg_sq)': [3 * n, () => gradstep.saveTorchCheckpoint({ model: [p], optimizer: opt })],
    'PyTorch checkpoint: loadTorchCheckpoint': [3 * n, () => gradstep.loadTorchCheckpoint(checkpointFile, { model: [p], optimizer: opt })],
  };
  for (const [name, [floats, fn]] of Object.entries(cases)) {
    progress(`checkpoints: ${name} at ${n}…`);
    checkpoints[`${name} n=${n.toExponential(0)}`] = rate(floats)(await measure(fn, { time: quick ? 200 : 1500 }));
  }
  opt.dispose();
  p.dispose();
}
progress('');
console.log('\ncheckpoints: Adam over one tensor of n params, MB of data per second:');
for (const [k, v] of Object.entries(checkpoints)) console.log(`  ${k.padEnd(84)} ${v.toFixed(0)} MB/s`);

// ---------------------------------------------------------------- workers
// The worker pool's speedup on gridSearch and crossValidate of the digits MLP (bench/workers.mjs).
const search = await runWorkersBench({ quick, progress });
printWorkersBench(search);

// ---------------------------------------------------------------- forests and boosting
// Fit time against rows and trees (bench/ensembles.mjs).
const ensembles = runEnsemblesBench({ quick, progress });
progress('');
printEnsemblesBench(ensembles);

// ---------------------------------------------------------------- gradstep/tfjs in model.fit
const tfjsAdapter = tfjs ? await benchTfjsAdapter({ tf: tfjs.tf, quick, progress }) : null;

// ---------------------------------------------------------------- outputs
const outArg = option('out', null);
const outDir = outArg ? pathToFileURL(resolve(outArg) + '/') : new URL('./results/', import.meta.url);
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const result = { date: new Date().toISOString(), machine, quick, timeMs, tfjs: tfjs?.versions ?? null, roofline: { probeGBs: roofline, boundGBs }, rows, kernels, training, predict, allocation, splitters, checkpoints, search, ensembles, tfjsAdapter };
const jsonPath = new URL(`${quick ? 'quick-' : ''}${stamp}.json`, outDir);
writeFileSync(jsonPath, JSON.stringify(result, null, 2));
const md = [
  `Measured ${result.date.slice(0, 10)} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), ${machine.platform}, Node ${machine.node}, wasm SIMD ${machine.wasmSimd}${quick ? ' (quick mode)' : ''}. ns per parameter per step (median of tinybench samples); GB/s and % of the bandwidth bound (a += s·b over 2 × 80 MB: ${boundGBs.toFixed(1)} GB/s) are for the wasm mode.`,
  '',
  `| ${HEADER.join(' | ')} |`,
  `|${HEADER.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${cells(r).join(' | ')} |`),
].join('\n');
const mdPath = new URL(`${quick ? 'quick' : 'latest'}.md`, outDir);
writeFileSync(mdPath, md + '\n');
console.log(`\nwrote ${jsonPath.pathname} and ${mdPath.pathname}`);
