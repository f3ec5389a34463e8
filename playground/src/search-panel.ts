// The search panel: the course's way of choosing hyperparameters. A grid of learning rate × hidden
// width × batch size for gradstep's MLP on two moons, scored by stratified k-fold cross-validation
// (gridSearch with a recipe) on a pool of Web Workers, so the page keeps drawing while it trains:
// the ticker below counts the page's timer ticks during the search (none would pass if the search ran
// on this thread). Then the best candidate is refitted on all the training rows, and the held-out
// test rows are scored once.
import { createWorkerPool, getScorer, gridSearch, makeMoons, stratifiedKFold, trainTestSplit, type MLP, type Recipe, type SearchResult, type WorkerPool } from 'gradstep';
import { formatNumber, h } from './dom.js';

export interface SearchSettings {
  workers: number;
  samples: number;
  epochs: number;
  folds: number;
}

export interface SearchSummary {
  /** Candidates in scikit-learn's ParameterGrid order. */
  params: Record<string, unknown>[];
  meanTestScore: number[];
  rank: number[];
  bestIndex: number;
  bestScore: number;
  testAccuracy: number;
  /** Bits of every split score, to compare runs exactly. */
  splitBits: string;
  /** Timer ticks on the page's thread while the search ran. */
  ticks: number;
  workers: number;
  seconds: number;
}

const GRID = { 'optimizer.lr': [0.003, 0.03], 'model.layers': [[2, 4, 2], [2, 32, 2]], batchSize: [8, 32] };
const DEFAULTS: SearchSettings = { workers: Math.min(4, Math.max(1, navigator.hardwareConcurrency || 1)), samples: 300, epochs: 40, folds: 5 };

export class SearchPanel {
  readonly element: HTMLElement;
  private readonly status = h('span', { class: 'readout', 'data-test': 'search-status' });
  private readonly ticker = h('span', { class: 'readout', 'data-test': 'search-ticker' });
  private readonly table = h('div', { class: 'results', 'data-test': 'search-results' });
  private readonly button: HTMLButtonElement;
  private readonly workersInput: HTMLSelectElement;
  private pool: WorkerPool | undefined;
  private running: Promise<SearchSummary> | null = null;

  constructor() {
    const counts = [...new Set([1, 2, DEFAULTS.workers])].sort((a, b) => a - b);
    this.workersInput = h('select', { 'aria-label': 'workers' }, ...counts.map((n) => h('option', { value: n, selected: n === DEFAULTS.workers }, String(n))));
    this.button = h('button', { class: 'primary', onclick: () => void this.run().catch(() => undefined) }, 'Search');
    this.element = h('section', { class: 'panel search', id: 'search' },
      h('h2', {}, '3. Choosing hyperparameters: grid search with cross-validation, on every core'),
      h('p', { class: 'hint' },
        `2 learning rates × 2 hidden widths × 2 batch sizes, each scored by ${DEFAULTS.folds}-fold cross-validation on the ` +
        'training rows only; the best is retrained on all of them and the test rows are looked at once. The work runs ' +
        'on a pool of Web Workers: the counter keeps moving while it trains.'),
      h('div', { class: 'controls' }, h('label', { class: 'field' }, 'workers', this.workersInput), this.button, this.status, this.ticker),
      this.table);
  }

  /** Runs the search on `workers` pool workers (0: on this page's thread, for comparison). */
  run(settings: Partial<SearchSettings> = {}): Promise<SearchSummary> {
    if (this.running) return this.running;
    const o = { ...DEFAULTS, workers: Number(this.workersInput.value), ...settings };
    this.button.disabled = true;
    this.running = this.search(o).finally(() => {
      this.running = null;
      this.button.disabled = false;
    });
    this.running.catch((error) => (this.status.textContent = `failed: ${String(error)}`));
    return this.running;
  }

  private async search(o: SearchSettings): Promise<SearchSummary> {
    const moons = makeMoons({ samples: o.samples, noise: 0.25, seed: 7 });
    const labels = Array.from(moons.y);
    const { train, test } = trainTestSplit(labels.length, { testSize: 0.25, seed: 1, stratify: labels });
    const inner = stratifiedKFold(Array.from(train, (r) => labels[r]), { k: o.folds, shuffle: true, seed: 2 });
    const folds = inner.map((f) => ({ train: f.train.map((i) => train[i]), test: f.test.map((i) => train[i]) }));
    const recipe: Recipe = { model: { type: 'MLP', layers: [2, 16, 2], activation: 'tanh' }, optimizer: { type: 'Adam', lr: 0.01 }, epochs: o.epochs };
    let workers: number | WorkerPool = 1;
    if (o.workers > 0) {
      if (this.pool === undefined || this.pool.size !== o.workers) {
        await this.pool?.close();
        this.pool = createWorkerPool(o.workers, { worker: () => new Worker(new URL('./pool-worker.ts', import.meta.url), { type: 'module' }) });
      }
      workers = this.pool;
    }
    // Timer ticks on this thread while the search runs: the page is responsive when they keep coming.
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      if (!ticking) return;
      ticks++;
      this.ticker.textContent = `page ticks while training: ${ticks}`;
      setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    this.status.textContent = `searching on ${o.workers > 0 ? `${o.workers} worker${o.workers > 1 ? 's' : ''}` : 'this thread'}…`;
    const began = performance.now();
    let result: SearchResult<Record<string, unknown>, unknown, string>;
    try {
      result = await gridSearch({ folds, params: GRID, recipe, data: { X: moons.X, y: moons.y }, rows: train, workers });
    } finally {
      ticking = false;
    }
    const seconds = (performance.now() - began) / 1000;
    const accuracy = getScorer('accuracy');
    const best = result.bestModel as MLP;
    const testAccuracy = accuracy.score(Array.from(test, (r) => labels[r]), best.predict(moons.X, test));
    best.dispose();
    const splits = result.results.splitTestScores.score;
    const summary: SearchSummary = {
      params: result.results.params,
      meanTestScore: Array.from(result.results.meanTestScore.score),
      rank: Array.from(result.results.rankTestScore.score),
      bestIndex: result.bestIndex!,
      bestScore: result.bestScore!,
      testAccuracy,
      splitBits: splits.map((row) => Array.from(new Uint32Array(Float32Array.from(row).buffer), (w) => w.toString(16)).join(',')).join(';'),
      ticks,
      workers: o.workers,
      seconds,
    };
    this.show(summary, o);
    return summary;
  }

  private show(s: SearchSummary, o: SearchSettings): void {
    const rows = s.params.map((p, c) =>
      h('tr', { class: c === s.bestIndex ? 'best' : '' },
        h('td', {}, formatNumber(p['optimizer.lr'] as number)),
        h('td', {}, String((p['model.layers'] as number[])[1])),
        h('td', {}, String(p.batchSize)),
        h('td', {}, s.meanTestScore[c].toFixed(3)),
        h('td', {}, String(s.rank[c]))));
    this.table.replaceChildren(
      h('table', {}, h('tr', {}, h('th', {}, 'lr'), h('th', {}, 'hidden'), h('th', {}, 'batch'), h('th', {}, `CV accuracy (${o.folds} folds)`), h('th', {}, 'rank')), ...rows),
      h('p', {}, `Best CV accuracy ${s.bestScore.toFixed(3)}; refitted on all training rows, test accuracy (one look) ${s.testAccuracy.toFixed(3)}. ` +
        'The CV score chose; the test score only reports.'));
    this.status.textContent = `done in ${s.seconds.toFixed(1)} s on ${s.workers > 0 ? `${s.workers} worker${s.workers > 1 ? 's' : ''}` : 'this thread'}`;
  }
}
