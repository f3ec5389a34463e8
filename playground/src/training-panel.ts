// The training panel: a small network on two moons or two spirals, k-fold cross-validated
// (stratifiedKFold + crossValidate), with its train and validation loss per epoch (the
// generalization gap), a batch-size switch (SGD / mini-batch / full batch through `batches`), and a
// bagging ensemble (`bagging`) whose members' disagreement shades the decision surface.
import { bagging, crossValidate, stratifiedKFold, type BackendName } from 'gradstep';
import { lineChart } from './charts.js';
import { DATASETS, evaluate, probability, train, trainAsync, type Dataset, type Network, type TrainSettings } from './classifier.js';
import { formatNumber, h } from './dom.js';
import { OPTIMIZERS } from './optimizer-catalog.js';

/** Learning rates that train the network well with mini-batches of 16. */
const TRAINING_LR: Record<string, number> = {
  sgd: 0.3, momentum: 0.05, nesterov: 0.05, adagrad: 0.1, adadelta: 1, rmsprop: 0.01, adam: 0.02, adamw: 0.02, adamax: 0.03, nadam: 0.02, radam: 0.02, lion: 0.003,
};
const REGION = 2.2;
const GRID = 66;
const CLASS_COLORS = ['#2563eb', '#ea580c'];
const TRAIN_COLOR = '#2563eb', VALIDATION_COLOR = '#dc2626';

export interface TrainingOptions {
  dataset: string;
  samples: number;
  noise: number;
  seed: number;
  optimizer: string;
  lr: number;
  hidden: number;
  /** 1 (SGD), a mini-batch size, or 0 for full batch. */
  batchSize: number;
  epochs: number;
  folds: number;
  members: number;
}

export interface TrainingSummary {
  folds: number;
  trainAccuracy: number[];
  validationAccuracy: number[];
  meanGeneralizationGap: number;
  /** Mean over folds, per epoch. */
  trainLoss: number[];
  validationLoss: number[];
  oobScore: number;
  /** Over the grid: the largest spread of P(class 1) across the bagging members. */
  maxSpread: number;
}

const DEFAULTS: TrainingOptions = {
  dataset: 'moons', samples: 200, noise: 0.2, seed: 0, optimizer: 'adam', lr: TRAINING_LR.adam, hidden: 16, batchSize: 16, epochs: 60, folds: 5, members: 10,
};

export class TrainingPanel {
  readonly element: HTMLElement;
  readonly surface: HTMLCanvasElement;
  private readonly curves: HTMLCanvasElement;
  private readonly results: HTMLElement;
  private readonly notes = h('div', { class: 'notes', 'data-test': 'training-notes' });
  private readonly status: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly inputs: Record<keyof TrainingOptions, HTMLInputElement | HTMLSelectElement>;
  private running: Promise<TrainingSummary> | null = null;

  constructor(private readonly backend: () => BackendName) {
    const select = (name: keyof TrainingOptions, options: [string | number, string][]) =>
      h('select', { 'aria-label': name }, ...options.map(([value, label]) => h('option', { value, selected: value === DEFAULTS[name] }, label)));
    const number = (name: keyof TrainingOptions, attrs: Record<string, number | string>) =>
      h('input', { type: 'number', 'aria-label': name, value: DEFAULTS[name] as number, ...attrs });
    this.inputs = {
      dataset: select('dataset', [['moons', 'two moons'], ['spirals', 'two spirals']]),
      samples: select('samples', [[60, '60'], [200, '200'], [400, '400']]),
      noise: select('noise', [[0.1, '0.1'], [0.2, '0.2'], [0.3, '0.3']]),
      seed: number('seed', { min: 0, step: 1, style: 'width:56px' }),
      optimizer: select('optimizer', OPTIMIZERS.map((o) => [o.id, o.label])),
      lr: number('lr', { min: 0, step: 'any', style: 'width:72px' }),
      hidden: select('hidden', [[2, '2 (underfits)'], [16, '16'], [64, '64']]),
      batchSize: select('batchSize', [[1, '1 (SGD)'], [16, '16 (mini-batch)'], [0, 'all (full batch)']]),
      epochs: number('epochs', { min: 1, max: 2000, step: 1, style: 'width:64px' }),
      folds: select('folds', [[3, '3'], [5, '5'], [10, '10']]),
      members: number('members', { min: 1, max: 50, step: 1, style: 'width:52px' }),
    };
    this.inputs.optimizer.addEventListener('change', () => {
      (this.inputs.lr as HTMLInputElement).value = String(TRAINING_LR[this.inputs.optimizer.value]);
    });
    const field = (label: string, name: keyof TrainingOptions) => h('label', { class: 'field' }, label, this.inputs[name]);
    this.button = h('button', { class: 'primary', onclick: () => void this.run().catch(() => undefined) }, 'Train');
    this.status = h('span', { class: 'readout', 'data-test': 'training-status' });
    this.curves = h('canvas', { width: 460, height: 250, class: 'chart', 'aria-label': 'train and validation loss per epoch' });
    this.surface = h('canvas', { width: 330, height: 330, class: 'chart', 'aria-label': 'decision surface of the bagging ensemble' });
    this.results = h('div', { class: 'results' });

    this.element = h('section', { class: 'panel training', id: 'training' },
      h('h2', {}, '2. Training a classifier: cross-validation, generalization gap, bagging'),
      h('div', { class: 'controls' }, field('data', 'dataset'), field('samples', 'samples'), field('noise', 'noise'), field('seed', 'seed'),
        field('hidden units', 'hidden'), field('optimizer', 'optimizer'), field('lr', 'lr')),
      h('div', { class: 'controls' }, field('batch size', 'batchSize'), field('epochs', 'epochs'), field('folds', 'folds'),
        field('bagging members', 'members'), this.button, this.status),
      h('div', { class: 'training-layout' },
        h('div', { class: 'curves-column' },
          h('h3', {}, 'Loss per epoch, mean over the folds (thin: each fold)'),
          this.curves,
          h('div', { class: 'legend' }, h('span', {}, h('i', { style: `background:${TRAIN_COLOR}` }), 'training loss'),
            h('span', {}, h('i', { style: `background:${VALIDATION_COLOR}` }), 'validation loss (held-out fold)')),
          this.results,
          this.notes),
        h('div', { class: 'surface-column' },
          h('h3', {}, 'Bagging ensemble on all the data'),
          this.surface,
          h('p', { class: 'hint', style: 'max-width:330px' },
            'Colour: the members\' mean P(class). Grey shading: their disagreement (standard deviation across the ' +
            'bootstrap members), largest where the data do not decide the boundary.'))),
      h('p', { class: 'hint' },
        'A 2-input, one-hidden-layer tanh network with a sigmoid output, its gradients written by hand in this page; its ' +
        'four tensors are gradstep params stepped by the chosen optimizer on the backend selected above. Few samples and many ' +
        'hidden units open the gap between training and validation loss; 2 hidden units underfit the spirals.'));
  }

  /** A remark about the current run (gradstep's warnings), shown under the results. */
  note(message: string): void {
    this.notes.append(h('p', { class: 'hint' }, message.replace(/^gradstep: /, '')));
  }

  options(): TrainingOptions {
    const value = (name: keyof TrainingOptions) => this.inputs[name].value;
    return {
      dataset: value('dataset'), samples: Number(value('samples')), noise: Number(value('noise')), seed: Number(value('seed')),
      optimizer: value('optimizer'), lr: Number(value('lr')), hidden: Number(value('hidden')), batchSize: Number(value('batchSize')),
      epochs: Number(value('epochs')), folds: Number(value('folds')), members: Number(value('members')),
    };
  }

  /** Sets the controls (for the test and for links), leaving the others as they are. */
  set(options: Partial<TrainingOptions>): void {
    for (const [name, v] of Object.entries(options)) this.inputs[name as keyof TrainingOptions].value = String(v);
  }

  run(): Promise<TrainingSummary> {
    if (this.running) return this.running;
    this.button.disabled = true;
    this.running = this.train(this.options()).finally(() => {
      this.running = null;
      this.button.disabled = false;
    });
    this.running.catch((error) => (this.status.textContent = `failed: ${String(error)}`));
    return this.running;
  }

  private async train(o: TrainingOptions): Promise<TrainingSummary> {
    const spec = OPTIMIZERS.find((s) => s.id === o.optimizer)!;
    this.notes.replaceChildren();
    const data = DATASETS[o.dataset](o.samples, o.noise, o.seed);
    const settings = (rows: number, seed: number): TrainSettings => ({
      spec, lr: o.lr, hidden: o.hidden, epochs: o.epochs, batchSize: o.batchSize === 0 ? rows : o.batchSize, seed, backend: this.backend(),
    });
    const folds = stratifiedKFold(data.y, { k: o.folds, shuffle: true, seed: o.seed });
    const trainCurves: number[][] = [], validationCurves: number[][] = [];
    const began = performance.now();
    const cv = await crossValidate({
      folds,
      fit: async (rows, f) => {
        this.status.textContent = `fold ${f + 1} of ${folds.length}…`;
        await nextFrame();
        const trainLoss: number[] = [], validationLoss: number[] = [];
        trainCurves.push(trainLoss);
        validationCurves.push(validationLoss);
        // fitAsync: the page keeps drawing and answering input while a fold trains.
        const net = await trainAsync(data, rows, settings(rows.length, o.seed + 1000 * f), (current) => {
          trainLoss.push(evaluate(current, data, rows).loss);
          validationLoss.push(evaluate(current, data, folds[f].test).loss);
        });
        this.drawCurves(trainCurves, validationCurves, o.epochs);
        return net;
      },
      score: (net, rows) => evaluate(net, data, rows).accuracy,
      returnTrainScore: true,
    });
    this.status.textContent = `bagging ${o.members} members…`;
    await nextFrame();
    const ensemble = bagging({
      task: 'classification', X: data.X, y: data.y, estimators: o.members, seed: o.seed,
      fit: (X, y, info) => train({ X, y: y as number[] }, X.map((_, i) => i), settings(X.length, info.seed)),
      predict: (net: Network, X) => X.map(([a, b]) => (probability(net, a, b) > 0.5 ? 1 : 0)),
      predictProba: (net: Network, X) => X.map(([a, b]) => {
        const p = probability(net, a, b);
        return [1 - p, p];
      }),
    });
    const maxSpread = this.drawSurface(data, ensemble.predictWithUncertainty(gridRows()));
    const seconds = (performance.now() - began) / 1000;
    const trainLoss = meanCurve(trainCurves), validationLoss = meanCurve(validationCurves);
    const summary: TrainingSummary = {
      folds: folds.length,
      trainAccuracy: Array.from(cv.trainScores!),
      validationAccuracy: Array.from(cv.testScores),
      meanGeneralizationGap: cv.meanGeneralizationGap!,
      trainLoss,
      validationLoss,
      oobScore: ensemble.oobScore ?? NaN,
      maxSpread,
    };
    this.showResults(summary);
    this.status.textContent = `done in ${seconds.toFixed(1)} s on ${this.backend()}`;
    return summary;
  }

  private drawCurves(trainCurves: number[][], validationCurves: number[][], epochs: number): void {
    lineChart(this.curves, [
      ...trainCurves.map((values) => ({ values, color: TRAIN_COLOR, width: 1, alpha: 0.25 })),
      ...validationCurves.map((values) => ({ values, color: VALIDATION_COLOR, width: 1, alpha: 0.25 })),
      { values: meanCurve(trainCurves), color: TRAIN_COLOR, width: 2.5 },
      { values: meanCurve(validationCurves), color: VALIDATION_COLOR, width: 2.5 },
    ], { xLabel: 'epoch', yLabel: 'cross-entropy', xMax: epochs });
  }

  private showResults(s: TrainingSummary): void {
    const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const last = s.trainLoss.length - 1;
    this.results.replaceChildren(
      h('table', { class: 'folds' },
        h('tr', {}, h('th', {}, 'fold'), ...s.trainAccuracy.map((_, f) => h('th', {}, String(f + 1))), h('th', {}, 'mean')),
        h('tr', {}, h('td', {}, 'train accuracy'), ...s.trainAccuracy.map((v) => h('td', {}, pct(v))), h('td', {}, pct(mean(s.trainAccuracy)))),
        h('tr', {}, h('td', {}, 'validation accuracy'), ...s.validationAccuracy.map((v) => h('td', {}, pct(v))), h('td', {}, pct(mean(s.validationAccuracy))))),
      h('p', { class: 'readout' },
        'generalization gap (train − validation accuracy): ', h('span', { class: 'value', 'data-test': 'gap' }, pct(s.meanGeneralizationGap)),
        '; final losses: train ', h('span', { class: 'value' }, formatNumber(s.trainLoss[last], 3)),
        ', validation ', h('span', { class: 'value' }, formatNumber(s.validationLoss[last], 3)),
        '; bagging out-of-bag accuracy ', h('span', { class: 'value' }, pct(s.oobScore))));
  }

  /** Paints the ensemble's mean probability, shaded by the members' spread; returns the largest spread. */
  private drawSurface(data: Dataset, prediction: { proba: Float64Array[]; std: Float64Array[] }): number {
    const context = this.surface.getContext('2d')!;
    const { width, height } = this.surface;
    const cell = width / GRID;
    const colors = CLASS_COLORS.map(rgb);
    let maxSpread = 0;
    for (let gy = 0; gy < GRID; gy++) {
      for (let gx = 0; gx < GRID; gx++) {
        const i = gy * GRID + gx;
        const p = prediction.proba[i][1], spread = prediction.std[i][1];
        maxSpread = Math.max(maxSpread, spread);
        // Pale class colour by confidence, then towards grey by disagreement; both in bands (a
        // readable legend, and small screenshots).
        const confidence = Math.round(Math.abs(2 * p - 1) * 5) / 5;
        const base = colors[p > 0.5 ? 1 : 0];
        const shade = (Math.round(Math.min(1, spread / 0.3) * 5) / 5) * 0.85;
        const channel = (c: number, k: number) => {
          const pale = 255 + (c - 255) * (0.15 + 0.45 * confidence);
          return Math.round(pale + ([120, 124, 132][k] - pale) * shade);
        };
        context.fillStyle = `rgb(${channel(base[0], 0)},${channel(base[1], 1)},${channel(base[2], 2)})`;
        context.fillRect(Math.floor(gx * cell), Math.floor(gy * cell), Math.ceil(cell), Math.ceil(cell));
      }
    }
    for (let i = 0; i < data.X.length; i++) {
      const [x, y] = data.X[i];
      context.beginPath();
      context.arc(((x + REGION) / (2 * REGION)) * width, ((REGION - y) / (2 * REGION)) * height, 3, 0, 2 * Math.PI);
      context.fillStyle = CLASS_COLORS[data.y[i]];
      context.fill();
      context.strokeStyle = '#fff';
      context.lineWidth = 0.8;
      context.stroke();
    }
    return maxSpread;
  }
}

/** Centres of the grid cells, row by row from the top. */
function gridRows(): [number, number][] {
  const rows: [number, number][] = [];
  for (let gy = 0; gy < GRID; gy++) {
    for (let gx = 0; gx < GRID; gx++) rows.push([-REGION + ((gx + 0.5) / GRID) * 2 * REGION, REGION - ((gy + 0.5) / GRID) * 2 * REGION]);
  }
  return rows;
}

function meanCurve(curves: number[][]): number[] {
  const length = Math.min(...curves.map((c) => c.length));
  return Array.from({ length: Number.isFinite(length) ? length : 0 }, (_, i) => curves.reduce((sum, c) => sum + c[i], 0) / curves.length);
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
