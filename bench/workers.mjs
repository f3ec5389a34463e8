// The worker pool's speedup: gridSearch of the digits MLP (8 candidates × 5 folds, 10 epochs each; 2
// with quick) and crossValidate of one candidate (5 folds), each with 1 worker (the calling thread),
// 2 and all workers, a fresh pool per call (workers: n) and a kept pool (createWorkerPool) that is
// already warm. Wall time and speedup over 1 worker; the results are the same bits whatever the count
// (checked here). The work is bench/search-task.mjs, a task module.
//
//   node bench/workers.mjs [--quick]      (also part of bench/run.mjs)
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as gradstep from 'gradstep';

const bits = (values) => Array.from(new BigUint64Array(Float64Array.from(values).buffer), (b) => b.toString(16)).join(',');

export async function runWorkersBench({ quick = false, progress = () => undefined } = {}) {
  await gradstep.init();
  const digits = gradstep.parseCsv(readFileSync(new URL('../datasets/digits.csv', import.meta.url), 'utf8'));
  const X = gradstep.fitStandardizer(digits.X, digits.features).transform(digits.X);
  const folds = gradstep.stratifiedKFold(Array.from(digits.y), { k: 5, shuffle: true, seed: 1 });
  const params = { lr: [1e-3, 3e-3, 1e-2, 3e-2], hidden: [32, 64] };
  const task = new URL('./search-task.mjs', import.meta.url);
  const data = { X, y: digits.y, features: digits.features, epochs: quick ? 2 : 10 };
  const counts = quick ? [1, 2] : [...new Set([1, 2, os.availableParallelism()])];
  const jobs = {
    search: (workers) => gradstep.gridSearch({ folds, params, task, data, workers, refit: false }).then((r) => bits(r.results.splitTestScores.score.flatMap((row) => Array.from(row)))),
    crossValidate: (workers) => gradstep.crossValidate({ folds, task, data, params: { lr: 3e-3, hidden: 64 }, workers }).then((r) => bits(r.testScores)),
  };
  const time = async (name, workers, label) => {
    progress(`workers: ${name} on ${label}…`);
    const started = performance.now();
    const result = await jobs[name](workers);
    return { ms: performance.now() - started, bits: result };
  };
  const out = {};
  for (const name of Object.keys(jobs)) {
    const rows = {};
    // The calling thread first, twice: the first run warms its JIT (as each pool's threads warm theirs).
    await time(name, 1, '1 worker (warm-up)');
    rows['1 worker'] = await time(name, 1, '1 worker');
    for (const n of counts.filter((c) => c > 1)) {
      rows[`${n} workers, a pool per call`] = await time(name, n, `${n} workers`);
      const pool = gradstep.createWorkerPool(n);
      try {
        await time(name, pool, `a kept pool of ${n} (warm-up)`);
        rows[`${n} workers, kept pool`] = await time(name, pool, `a kept pool of ${n}`);
      } finally {
        await pool.close();
      }
    }
    const one = rows['1 worker'];
    out[name] = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, { seconds: v.ms / 1000, speedup: one.ms / v.ms, sameBits: v.bits === one.bits }]));
  }
  progress('');
  return out;
}

export function printWorkersBench(out, log = console.log) {
  const titles = {
    search: 'gridSearch, digits MLP, 8 candidates × 5 folds',
    crossValidate: 'crossValidate, digits MLP, 5 folds',
  };
  for (const [name, rows] of Object.entries(out)) {
    log(`\n${titles[name]} (wall time, speedup over 1 worker, same result bits):`);
    for (const [k, v] of Object.entries(rows)) log(`  ${k.padEnd(28)} ${v.seconds.toFixed(2)} s  ${v.speedup.toFixed(2)}x  ${v.sameBits ? 'same bits' : 'DIFFERENT BITS'}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await runWorkersBench({ quick: process.argv.includes('--quick'), progress: (text) => process.stderr.write(`\r\x1b[K${text}`) });
  printWorkersBench(out);
}
