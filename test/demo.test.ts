// Runs the demo in quick mode as `pnpm demo` runs it (a child process on the built package), then
// checks the report: every section, charts, table cells that are numbers, and the sanity bars that
// scikit-learn reaches on the same data (MLP on digits with Adam ≥ 0.95 mean CV accuracy, logistic
// regression on breast_cancer ≥ 0.95).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'gradstep-demo-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('pnpm demo --quick', () => {
  it('trains every part, writes a complete report, and clears the sanity bars', async () => {
    const main = new URL('../demo/main.mjs', import.meta.url);
    const { stdout } = await run(process.execPath, [main.pathname, '--quick', '--out', out], { maxBuffer: 16 << 20 });
    expect(stdout).toMatch(/master seed 2024/);
    const path = /report: (\S+)/.exec(stdout)![1];
    expect(path).toBe(join(out, 'report.html'));
    const html = readFileSync(path, 'utf8');

    for (const id of ['optimizers', 'batch-size', 'learning-curve', 'capacity', 'ensembles', 'selection']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('<title>Feature importances (top 10 for the forest)</title>');
    expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(6);
    const cells = [...html.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells.length).toBeGreaterThan(100);
    for (const cell of cells) {
      if (cell === 'yes' || cell.includes(' ') || /lr|SGD|Ada|RMS|momentum/.test(cell)) continue; // settings text and per-seed lists
      expect(Number.isFinite(Number(cell)), `table cell ${JSON.stringify(cell)}`).toBe(true);
    }

    const results = JSON.parse(/<script type="application\/json" id="results">([\s\S]*?)<\/script>/.exec(html)![1]);
    const names = results.optimizers.optimizers.map((o: { name: string }) => o.name);
    expect(names).toEqual(['SGD', 'Momentum', 'NAG', 'Adagrad', 'Adadelta', 'RMSprop', 'Adam', 'AdamW']);
    for (const o of results.optimizers.optimizers) {
      expect(o.sameBits).toBe(true);
      expect(o.meanAccuracy).toBeGreaterThan(0.85);
      for (const key of ['stdAccuracy', 'finalTrainLoss', 'finalValidationLoss', 'lossGap', 'wasmStepMicros', 'jsStepMicros', 'gradientMicrosPerStep']) expect(Number.isFinite(o[key]), key).toBe(true);
      expect(o.trainLossCurve).toHaveLength(results.optimizers.epochs);
    }
    const adam = results.optimizers.optimizers.find((o: { name: string }) => o.name === 'Adam');
    expect(adam.meanAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(results.logistic.meanAccuracy).toBeGreaterThanOrEqual(0.95);
    // Small batches train more steps and end flatter than large ones at the same lr and epochs.
    const [small, large] = results.batchSize.runs;
    expect(small.testAccuracy).toBeGreaterThan(large.testAccuracy);
    expect(small.sharpness).toBeLessThan(large.sharpness);
    // Bias falls from degree 1 to the best degree; the most flexible model has the largest variance.
    const degrees = results.capacity.degrees;
    expect(Math.min(...degrees.map((d: { bias: number }) => d.bias))).toBeLessThan(degrees[0].bias);
    expect(degrees.at(-1).variance).toBe(Math.max(...degrees.map((d: { variance: number }) => d.variance)));
    expect(results.ensembles.boosting.every((b: { accuracy: number }) => b.accuracy > 0.85)).toBe(true);
    // The random forest beside them, with its out-of-bag estimate; importances for the chart.
    expect(results.ensembles.forest.accuracy).toBeGreaterThan(0.9);
    expect(results.ensembles.forest.oobScore).toBeGreaterThan(0.9);
    expect(results.ensembles.importances).toHaveLength(10);
    // Part 5: the search gave the same bits on 1 worker and on the pool; the estimates are accuracies.
    const selection = results.selection;
    expect(selection.sameBits).toBe(true);
    expect(selection.candidates).toHaveLength(4);
    for (const value of [selection.best.cvScore, selection.best.testAccuracy, selection.nested.mean, selection.nested.innerBestMean, selection.testChosen.testAccuracy]) {
      expect(value).toBeGreaterThan(0.5);
      expect(value).toBeLessThanOrEqual(1);
    }
    // The test-chosen number is the largest test score of the candidates, by construction.
    expect(selection.testChosen.testAccuracy).toBe(Math.max(...selection.candidates.map((c: { testAccuracy: number }) => c.testAccuracy)));
    expect(selection.nested.chosen).toHaveLength(3);
    expect(results.meta.quick).toBe(true);
  }, 240_000);
});
