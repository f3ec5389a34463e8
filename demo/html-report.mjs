// Writes the demo's results as one self-contained HTML page: tables, inline SVG charts, and the
// raw numbers as JSON (in <script type="application/json" id="results">) for tools and tests.
import { barChart, boxPlot, lineChart, PALETTE } from './svg-charts.mjs';

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const n4 = (v) => (Number.isFinite(v) ? v.toFixed(4) : 'n/a');

function table(header, rows) {
  return `<table><thead><tr>${header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((c, j) => `<td${j > 0 ? ' class="num"' : ''}>${escape(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function renderReport(results) {
  const sections = [];
  const { optimizers, batchSize, learningCurve, capacity, logistic, ensembles, selection, meta } = results;
  if (optimizers) {
    const o = optimizers;
    sections.push(`<section id="optimizers"><h2>1. Optimizers on digits (${o.folds}-fold CV)</h2>
<p>MLP ${o.layers.join('-')} (ReLU, He init), ${o.epochs} epochs, batch ${o.batchSize}, stratified folds (seed ${o.seed}), wasm backend.
Generalization gap = validation loss − train loss (both measured after the last epoch, same weights).
Step times: wasm over the whole CV run; js from a ${o.timingEpochs}-epoch run on fold 0, whose final weights are compared bit for bit with the same run on wasm.</p>
${table(
  ['optimizer', 'settings', 'val acc mean', 'val acc std', 'train loss', 'val loss', 'gap (loss)', 'gap (acc)', 'fwd+bwd µs/step', 'step µs wasm', 'step µs js', 'same bits'],
  o.optimizers.map((r) => [r.name, r.settings, n4(r.meanAccuracy), n4(r.stdAccuracy), n4(r.finalTrainLoss), n4(r.finalValidationLoss), n4(r.lossGap), n4(r.accuracyGap), r.gradientMicrosPerStep.toFixed(0), r.wasmStepMicros.toFixed(2), r.jsStepMicros.toFixed(2), r.sameBits ? 'yes' : 'NO']),
)}
<div class="charts">
${lineChart({
  title: 'Train loss per epoch (mean over folds)',
  xLabel: 'epoch',
  yLabel: 'train loss (log scale)',
  logY: true,
  series: o.optimizers.map((r, i) => ({ label: r.name, color: PALETTE[i], points: r.trainLossCurve.map((v, e) => [e + 1, v]) })),
})}
${lineChart({
  title: 'Validation loss per epoch (mean over folds)',
  xLabel: 'epoch',
  yLabel: 'validation loss (log scale)',
  logY: true,
  series: o.optimizers.map((r, i) => ({ label: r.name, color: PALETTE[i], points: r.validationLossCurve.map((v, e) => [e + 1, v]) })),
})}
${boxPlot({ title: 'Validation accuracy per fold', yLabel: 'validation accuracy', groups: o.optimizers.map((r) => ({ label: r.name, values: r.testAccuracies })) })}
</div></section>`);
  }
  if (batchSize) {
    const b = batchSize;
    sections.push(`<section id="batch-size"><h2>2. Batch size: sharp and flat minima</h2>
<p>Plain SGD, MLP ${b.layers.join('-')}, ${b.epochs} epochs on a 75/25 stratified split (seed ${b.seed}). Sharpness: 100·(max loss in the box |δᵢ| ≤ ε(|wᵢ|+1) − loss)/(1 + loss) on the training rows, ε = ${b.epsilon}, over the gradient-sign corner and ${b.corners} random corners (a lower bound of Keskar et al. 2017's metric).</p>
${table(['batch', 'lr', 'steps', 'train acc', 'test acc', 'train loss', 'test loss', 'gap (loss)', 'gap (acc)', 'sharpness'], b.runs.map((r) => [r.batchSize, r.lr, r.steps, n4(r.trainAccuracy), n4(r.testAccuracy), n4(r.trainLoss), n4(r.testLoss), n4(r.lossGap), n4(r.accuracyGap), r.sharpness.toFixed(3)]))}
<div class="charts">${lineChart({
  title: 'Train (solid) and test (dashed) loss per epoch',
  xLabel: 'epoch',
  yLabel: 'loss (log scale)',
  logY: true,
  series: b.runs.flatMap((r, i) => [
    { label: `batch ${r.batchSize}, lr ${r.lr} train`, color: PALETTE[i], points: r.trainLossCurve.map((v, e) => [e + 1, v]) },
    { label: `batch ${r.batchSize}, lr ${r.lr} test`, color: PALETTE[i], dashed: true, points: r.testLossCurve.map((v, e) => [e + 1, v]) },
  ]),
})}</div></section>`);
  }
  if (learningCurve) {
    const l = learningCurve;
    sections.push(`<section id="learning-curve"><h2>3a. Learning curve (digits)</h2>
<p>MLP ${l.layers.join('-')}, Adam lr 1e-3, ${l.epochs} epochs, ${l.folds}-fold CV (seed ${l.seed}). A gap that closes as rows are added is variance; two curves meeting low would be bias.</p>
${table(['train rows', 'train acc', 'val acc', 'val std', 'gap'], l.trainSizes.map((n, s) => [n, n4(l.meanTrainAccuracy[s]), n4(l.meanTestAccuracy[s]), n4(l.stdTestAccuracy[s]), n4(l.meanTrainAccuracy[s] - l.meanTestAccuracy[s])]))}
<div class="charts">${lineChart({
  title: 'Learning curve',
  xLabel: 'training rows',
  yLabel: 'accuracy',
  series: [
    { label: 'train', color: PALETTE[0], points: l.trainSizes.map((n, s) => [n, l.meanTrainAccuracy[s]]) },
    { label: 'validation', color: PALETTE[1], points: l.trainSizes.map((n, s) => [n, l.meanTestAccuracy[s]]) },
  ],
})}</div></section>`);
  }
  if (capacity) {
    const c = capacity;
    sections.push(`<section id="capacity"><h2>3b. Capacity sweep and bias–variance</h2>
<p>Polynomial degree on y = sin(2πx) + N(0, ${c.noise}²), ${c.samples} training points (seed ${c.seed}); LinearRegression on standardized powers of x, full-batch Adam lr 0.05 for ${c.steps} steps. Bias² and variance over ${c.rounds} bootstrap refits against the noise-free curve at ${c.testPoints} test points in [0.1, 0.9] (inside the training points' range: beyond it polynomials extrapolate without bound); train/test MSE of one fit on all training points (test targets noisy, so they include σ² = ${(c.noise ** 2).toFixed(2)}).</p>
${table(['degree', 'bias²', 'variance', 'bias² + variance', 'train MSE', 'test MSE'], c.degrees.map((r) => [r.degree, n4(r.bias), n4(r.variance), n4(r.expectedLoss), n4(r.trainMse), n4(r.testMse)]))}
<div class="charts">${lineChart({
  title: 'Bias–variance against polynomial degree',
  xLabel: 'degree',
  yLabel: 'squared error (log scale)',
  logY: true,
  series: [
    { label: 'bias²', color: PALETTE[0], points: c.degrees.map((r) => [r.degree, r.bias]) },
    { label: 'variance', color: PALETTE[1], points: c.degrees.map((r) => [r.degree, r.variance]) },
    { label: 'bias² + variance', color: PALETTE[2], points: c.degrees.map((r) => [r.degree, r.expectedLoss]) },
    { label: 'train MSE', color: PALETTE[3], dashed: true, points: c.degrees.map((r) => [r.degree, r.trainMse]) },
    { label: 'test MSE', color: PALETTE[4], dashed: true, points: c.degrees.map((r) => [r.degree, r.testMse]) },
  ],
})}</div></section>`);
  }
  if (logistic || ensembles) {
    const parts = [];
    if (logistic) parts.push(`<p>Logistic regression (Adam lr 0.01, ${logistic.epochs} epochs), ${logistic.folds}-fold stratified CV (seed ${logistic.seed}): accuracy <b>${n4(logistic.meanAccuracy)}</b> ± ${n4(logistic.stdAccuracy)} (train ${n4(logistic.meanTrainAccuracy)}).</p>`);
    if (ensembles) {
      const e = ensembles;
      const b = e.bagging;
      parts.push(`<p>75/25 split (seed ${e.seed}, ${e.testRows} test rows). Single MLP vs bagging of ${b.members} MLPs, over seeds ${b.seeds.join(', ')}:</p>
${table(['model', 'test acc mean', 'test acc std over seeds', 'per seed'], [
  ['single MLP', n4(b.single.mean), n4(b.single.std), b.single.accuracies.map(n4).join(' ')],
  [`bagging ×${b.members}`, n4(b.bagged.mean), n4(b.bagged.std), b.bagged.accuracies.map(n4).join(' ')],
])}
<p>Uncertainty (seed ${b.uncertainty.seed}): the members' standard deviation of P(benign) averages <b>${n4(b.uncertainty.meanStdMisclassified)}</b> on the ${b.uncertainty.misclassified} misclassified test rows and <b>${n4(b.uncertainty.meanStdCorrect)}</b> on the correctly classified ones; out-of-bag accuracy ${n4(b.uncertainty.oobScore)}.</p>
${table(['boosting (' + e.boostingRounds + ' rounds)', 'trees', 'train acc', 'test acc'], e.boosting.map((r) => [r.name, String(r.estimators ?? 1), n4(r.trainAccuracy), n4(r.accuracy)]))}
<p>Random forest of ${e.forest.trees} trees (bootstrap, √d features per node): test accuracy <b>${n4(e.forest.accuracy)}</b>, out-of-bag accuracy <b>${n4(e.forest.oobScore)}</b> (train ${n4(e.forest.trainAccuracy)}); the out-of-bag estimate needs no held-out rows.</p>
<div class="chart">${barChart({
  title: 'Feature importances (top 10 for the forest)',
  xLabel: 'importance (impurity decrease, normalised; permutation: test accuracy drop)',
  bars: e.importances.map((r) => ({ label: r.feature, values: [r.forest, r.boosting, Math.max(0, r.permutation)] })),
  series: [{ label: 'forest MDI', color: PALETTE[0] }, { label: 'boosting MDI', color: PALETTE[1] }, { label: 'forest permutation', color: PALETTE[2] }],
})}</div>`);
    }
    sections.push(`<section id="ensembles"><h2>4. Breast cancer: logistic regression, bagging, random forest and boosting</h2>${parts.join('\n')}</section>`);
  }
  if (selection) {
    const s = selection;
    sections.push(`<section id="selection"><h2>5. Choosing hyperparameters: search, refit, one look at the test set</h2>
<p>Digits MLP (Adam, ${s.epochs} epochs): learning rate × hidden width × batch size chosen by ${s.folds}-fold stratified CV on the ${s.trainRows} training rows only (gridSearch with a recipe, seed ${s.seed}); the best refitted on all of them; the ${s.testRows} test rows scored once. The last column is shown to make a point, not used: choosing by it would be choosing on the test set.</p>
${table(['lr', 'hidden', 'batch', 'CV acc', 'CV std', 'rank', 'test acc (not used)'], s.candidates.map((r) => [String(r.lr), r.hidden, r.batchSize, n4(r.meanCv), n4(r.stdCv), r.rank, n4(r.testAccuracy)]))}
${table(['estimate', 'accuracy'], [
  [`search's bestScore (CV of lr ${s.best.lr}, hidden ${s.best.hidden}, batch ${s.best.batchSize})`, n4(s.best.cvScore)],
  ['refitted best on the test split (one look)', n4(s.best.testAccuracy)],
  [`nested CV (${s.folds} outer × ${s.innerFolds} inner folds): the honest estimate of search-then-refit`, n4(s.nested.mean)],
  ['the inner searches\' bestScore, averaged (optimistic)', n4(s.nested.innerBestMean)],
  [`chosen on the test split (lr ${s.testChosen.lr}, hidden ${s.testChosen.hidden}, batch ${s.testChosen.batchSize}): the best of ${s.candidates.length} test scores`, n4(s.testChosen.testAccuracy)],
])}
<p>Wall time of the search: ${s.wallTime.oneWorker.toFixed(2)} s on 1 worker, ${s.wallTime.pool.toFixed(2)} s on a pool of ${s.wallTime.workers} (same result bits: ${s.sameBits ? 'yes' : 'NO'}).</p></section>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gradstep demo report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f3f3f3; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
</style></head><body>
<h1>gradstep demo report</h1>
<p id="meta">Generated ${escape(meta.generated)} by <code>${escape(meta.command)}</code>${meta.quick ? ' (quick mode)' : ''}; Node ${escape(meta.node)}, wasm SIMD ${meta.simd}; master seed ${meta.seed}; total ${meta.seconds.toFixed(1)} s. Every number below was computed in this run.</p>
${sections.join('\n')}
<script type="application/json" id="results">${JSON.stringify(results).replace(/</g, '\\u003c')}</script>
</body></html>
`;
}
