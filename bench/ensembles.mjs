// Fit time of the random forest and of gradient boosting (log loss) against the number of rows and
// of trees, on a synthetic 10-feature, 2-class problem (float features, no ties). Milliseconds per fit
// (the median of a few fits), in the calling thread.
//
//   node bench/ensembles.mjs [--quick]      (also part of bench/run.mjs)
import * as gradstep from 'gradstep';

function problem(rows, features = 10) {
  const rng = new gradstep.Random(7);
  const X = Array.from({ length: rows }, () => Float64Array.from({ length: features }, () => rng.nextFloat() * 2 - 1));
  const y = X.map((row) => (row[0] + 0.5 * row[1] * row[2] - 0.3 * row[3] + 0.2 * (rng.nextFloat() - 0.5) > 0 ? 1 : 0));
  return { X, y };
}

function medianMs(fn, repeats) {
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function runEnsemblesBench({ quick = false, progress = () => undefined } = {}) {
  const rowCounts = quick ? [200, 400] : [500, 1000, 2000, 4000];
  const treeCounts = quick ? [5, 10] : [25, 50, 100, 200];
  const repeats = quick ? 1 : 3;
  const result = { forest: [], boosting: [] };
  for (const rows of rowCounts) {
    const { X, y } = problem(rows);
    for (const trees of treeCounts) {
      progress(`ensembles: ${rows} rows, ${trees} trees…`);
      result.forest.push({ rows, trees, ms: medianMs(() => new gradstep.RandomForestClassifier({ nEstimators: trees, seed: 1 }).fit(X, y), repeats) });
      result.boosting.push({ rows, trees, ms: medianMs(() => gradstep.gradientBoostingClassifier({ X, y, nEstimators: trees, maxDepth: 3, seed: 1 }), repeats) });
    }
  }
  return result;
}

export function printEnsemblesBench(result) {
  console.log('\nensembles: fit time (ms) of RandomForestClassifier (√d features, full depth) and gradientBoostingClassifier (depth 3), 10 features:');
  for (const name of ['forest', 'boosting']) {
    for (const { rows, trees, ms } of result[name]) console.log(`  ${name.padEnd(8)} ${String(rows).padStart(5)} rows × ${String(trees).padStart(4)} trees  ${ms.toFixed(1).padStart(9)} ms`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await gradstep.init();
  printEnsemblesBench(runEnsemblesBench({ quick: process.argv.includes('--quick') }));
}
