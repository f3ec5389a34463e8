// The trajectory panel: the contour plot, the controls (surface, play/pause/step/reset, speed,
// backend) and a row per optimizer with its learning rate, main option and current loss.
import type { BackendName } from 'gradstep';
import { ContourPlot } from './contour-plot.js';
import { formatNumber, h } from './dom.js';
import { OPTIMIZERS } from './optimizer-catalog.js';
import { Race, type Racer } from './race.js';
import { SURFACES, surfaceById, type Point } from './surfaces.js';

const SPEEDS = [1, 2, 5, 20];

export class RacePanel {
  readonly element: HTMLElement;
  readonly race: Race;
  readonly plot: ContourPlot;
  private playing = false;
  private speed = 2;
  private frame = 0;
  private readonly rows = new Map<Racer, { loss: HTMLElement; row: HTMLElement }>();
  private readonly readout = {
    steps: h('span', { class: 'value', 'data-test': 'steps' }, '0'),
    time: h('span', { class: 'value', 'data-test': 'time-per-step' }, '–'),
  };
  private readonly playButton: HTMLButtonElement;
  private readonly about: HTMLElement;
  private readonly surfaceSelect: HTMLSelectElement;
  private readonly backendInputs: HTMLInputElement[] = [];

  constructor(backends: readonly BackendName[]) {
    const surface = SURFACES[0];
    this.race = new Race(OPTIMIZERS, surface, backends[0]);
    const canvas = h('canvas', { width: 520, height: 520, class: 'plot', title: 'Click to start every optimizer from that point' });
    this.plot = new ContourPlot(canvas);
    canvas.addEventListener('click', (event) => {
      const box = canvas.getBoundingClientRect();
      const start = this.plot.toPlane(((event.clientX - box.left) / box.width) * canvas.width, ((event.clientY - box.top) / box.height) * canvas.height);
      this.reset(undefined, [Number(start[0].toPrecision(3)), Number(start[1].toPrecision(3))]);
    });

    this.surfaceSelect = h('select', { 'aria-label': 'Loss surface', onchange: () => this.setSurface(this.surfaceSelect.value) },
      ...SURFACES.map((s) => h('option', { value: s.id }, s.name)));
    this.playButton = h('button', { class: 'primary', onclick: () => (this.playing ? this.pause() : this.play()) }, 'Play');
    const speedSelect = h('select', { 'aria-label': 'Steps per frame', onchange: () => (this.speed = Number(speedSelect.value)) },
      ...SPEEDS.map((s) => h('option', { value: s, selected: s === this.speed }, `${s} step${s > 1 ? 's' : ''}/frame`)));
    const backendSwitch = h('fieldset', { class: 'backend' }, h('legend', {}, 'Backend'),
      ...(['wasm', 'js'] as const).map((name) => {
        const input = h('input', { type: 'radio', name: 'backend', value: name, checked: name === this.race.backend, disabled: !backends.includes(name),
          onchange: () => this.setBackend(name) });
        this.backendInputs.push(input);
        return h('label', {}, input, name === 'wasm' ? ' wasm (Rust, SIMD)' : ' js (TypeScript)');
      }));

    this.about = h('div', { class: 'about' });
    const table = h('table', { class: 'optimizers' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'optimizer'), h('th', {}, 'lr'), h('th', { colspan: 2 }, 'option'), h('th', { class: 'num' }, 'loss'))),
      h('tbody', {}, ...this.race.racers.map((r) => this.racerRow(r))));

    this.element = h('section', { class: 'panel race', id: 'race' },
      h('h2', {}, '1. Optimizers on a loss surface'),
      h('div', { class: 'race-layout' },
        h('div', { class: 'plot-column' },
          canvas,
          h('div', { class: 'controls' },
            this.surfaceSelect, this.playButton,
            h('button', { onclick: () => { this.pause(); this.step(1); } }, 'Step'),
            h('button', { onclick: () => this.reset() }, 'Reset'),
            speedSelect),
          h('div', { class: 'controls' }, backendSwitch,
            h('div', { class: 'readout' }, 'steps ', this.readout.steps, h('br'), 'time per optimizer step ', this.readout.time))),
        h('div', { class: 'side-column' }, this.about, table,
          h('p', { class: 'hint' }, 'Each optimizer owns a 2-element gradstep param (x, y). Every step the page writes the analytic gradient ' +
            'into p.grad and calls opt.step(). Click the plot to start from elsewhere; change a learning rate to restart that optimizer. ' +
            'The star marks the minimum.'))));
    this.showSurface();
  }

  play(): void {
    if (this.playing) return;
    this.playing = true;
    this.playButton.textContent = 'Pause';
    const tick = () => {
      if (!this.playing) return;
      this.step(this.speed);
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.frame);
    this.playButton.textContent = 'Play';
  }

  step(count: number): void {
    this.race.step(count);
    this.redraw();
  }

  reset(surfaceId?: string, start?: Point): void {
    const surface = surfaceId === undefined ? undefined : surfaceById(surfaceId);
    this.race.reset(surface, start);
    this.surfaceSelect.value = this.race.surface.id;
    this.showSurface();
  }

  setSurface(id: string): void {
    this.reset(id);
  }

  setBackend(name: BackendName): void {
    this.race.switchBackend(name);
    this.race.timing = { ms: 0, steps: 0 };
    for (const input of this.backendInputs) input.checked = input.value === name;
    this.redraw();
  }

  /** Enables or disables optimizers by id (the others keep their state). */
  enable(ids: readonly string[] | 'all'): void {
    for (const r of this.race.racers) {
      const on = ids === 'all' || ids.includes(r.spec.id);
      if (on !== r.enabled) this.toggle(r, on);
    }
  }

  private toggle(r: Racer, on: boolean): void {
    r.enabled = on;
    if (on) this.race.configure(r, {});
    const checkbox = this.rows.get(r)!.row.querySelector('input[type=checkbox]') as HTMLInputElement;
    checkbox.checked = on;
    this.rows.get(r)!.row.classList.toggle('off', !on);
    this.redraw();
  }

  private showSurface(): void {
    const s = this.race.surface;
    this.plot.setSurface(s);
    this.about.replaceChildren(h('p', { class: 'formula' }, s.formula), h('p', {}, s.lesson));
    for (const r of this.race.racers) {
      const lrInput = this.rows.get(r)!.row.querySelector('input.lr') as HTMLInputElement;
      lrInput.value = String(r.lr);
    }
    this.redraw();
  }

  private redraw(): void {
    this.plot.draw(this.race.racers, this.race.start);
    this.readout.steps.textContent = String(this.race.steps);
    const { ms, steps } = this.race.timing;
    this.readout.time.textContent = steps > 0 ? `${formatNumber((1000 * ms) / steps, 3)} µs (${this.race.backend})` : '–';
    for (const r of this.race.racers) {
      const cell = this.rows.get(r)!.loss;
      cell.textContent = r.diverged ? 'diverged' : formatNumber(this.race.loss(r), 3);
      cell.classList.toggle('bad', r.diverged);
    }
  }

  private racerRow(r: Racer): HTMLElement {
    const numberInput = (cls: string, value: number, attrs: Record<string, string | number>, apply: (v: number) => void) =>
      h('input', { type: 'number', class: cls, value, ...attrs, onchange: (event: Event) => {
        const input = event.target as HTMLInputElement;
        const v = Number(input.value);
        try {
          if (!Number.isFinite(v)) throw new RangeError('not a number');
          apply(v);
          input.classList.remove('bad');
          input.title = '';
        } catch (error) {
          input.classList.add('bad');
          input.title = String(error);
        }
        this.redraw();
      } });
    const option = r.spec.option;
    const loss = h('td', { class: 'num loss' });
    const row = h('tr', { class: r.enabled ? '' : 'off', title: r.spec.blurb },
      h('td', {}, h('input', { type: 'checkbox', checked: r.enabled, 'aria-label': r.spec.label, onchange: (event: Event) => this.toggle(r, (event.target as HTMLInputElement).checked) })),
      h('td', {}, h('span', { class: 'swatch', style: `background:${r.spec.color}` }), r.spec.label),
      h('td', {}, numberInput('lr', r.lr, { min: 0, step: 'any', 'aria-label': `${r.spec.label} learning rate` }, (v) => this.race.configure(r, { lr: v }))),
      h('td', { class: 'option-label' }, option ? option.label : ''),
      h('td', {}, option ? numberInput('option', option.value, { min: option.min, max: option.max, step: option.step, 'aria-label': `${r.spec.label} ${option.label}` },
        (v) => this.race.configure(r, { option: v })) : ''),
      loss);
    this.rows.set(r, { loss, row });
    return row;
  }
}
