// The trajectory race: one 2-element gradstep param per optimizer, all starting from the same point;
// each step writes the analytic gradient into p.grad and calls opt.step().
import { param, type BackendName, type OptimizerStateDict, type Param } from 'gradstep';
import type { AnyOptimizer, OptimizerSpec } from './optimizer-catalog.js';
import type { Point, Surface } from './surfaces.js';

/** Coordinates beyond this are off every plot: the run counts as diverged and stops. */
const DIVERGED = 1e6;
/** Points kept per path (about a minute of playing at full speed). */
const MAX_POINTS = 20_000;

export interface Racer {
  readonly spec: OptimizerSpec;
  enabled: boolean;
  lr: number;
  option: number | undefined;
  param: Param;
  optimizer: AnyOptimizer;
  /** x0, y0, x1, y1, …: the float32 values after each step, as read from p.value. */
  path: number[];
  diverged: boolean;
}

export class Race {
  readonly racers: Racer[];
  surface: Surface;
  start: Point;
  backend: BackendName;
  steps = 0;
  /** Wall time of the optimizer steps, for the readout: total milliseconds and step count. */
  timing = { ms: 0, steps: 0 };
  private readonly gradient = new Float64Array(2);

  constructor(specs: readonly OptimizerSpec[], surface: Surface, backend: BackendName) {
    this.surface = surface;
    this.start = surface.start;
    this.backend = backend;
    this.racers = specs.map((spec) => {
      const lr = surface.lr[spec.id] ?? spec.lr;
      const option = spec.option?.value;
      const p = param(new Float32Array(this.start), { backend });
      return { spec, enabled: spec.enabled, lr, option, param: p, optimizer: spec.create([p], lr, option), path: [...p.value], diverged: false };
    });
  }

  /** Back to the start point with fresh optimizer state (and the surface's learning rates if `surface` is given). */
  reset(surface?: Surface, start?: Point): void {
    if (surface) {
      this.surface = surface;
      for (const r of this.racers) r.lr = surface.lr[r.spec.id] ?? r.spec.lr;
    }
    this.start = start ?? (surface ? surface.start : this.start);
    for (const r of this.racers) this.rebuild(r, this.backend, null);
    this.steps = 0;
    this.timing = { ms: 0, steps: 0 };
  }

  /** Restarts one racer with new settings (its path restarts too, the others go on). */
  configure(r: Racer, settings: { lr?: number; option?: number }): void {
    const before = { lr: r.lr, option: r.option };
    if (settings.lr !== undefined) r.lr = settings.lr;
    if (settings.option !== undefined) r.option = settings.option;
    try {
      this.rebuild(r, this.backend, null);
    } catch (error) {
      Object.assign(r, before);
      throw error;
    }
    // Fast-forward so that it stays in step with the others.
    for (let t = 0; t < this.steps; t++) this.stepRacer(r);
  }

  /**
   * Moves every param and optimizer to `backend`, carrying over values and optimizer state
   * (stateDict/loadStateDict work across backends): the race goes on bit-identically.
   */
  switchBackend(backend: BackendName): void {
    if (backend === this.backend) return;
    for (const r of this.racers) this.rebuild(r, backend, { values: Float32Array.from(r.param.value), state: r.optimizer.stateDict() });
    this.backend = backend;
  }

  /** `count` steps of every enabled racer; returns the milliseconds spent in them. */
  step(count = 1): number {
    const racers = this.racers.filter((r) => r.enabled);
    const begin = performance.now();
    for (let t = 0; t < count; t++) for (const r of racers) this.stepRacer(r);
    const ms = performance.now() - begin;
    this.steps += count;
    this.timing.ms += ms;
    this.timing.steps += count * racers.length;
    return ms;
  }

  loss(r: Racer): number {
    const v = r.param.value;
    return this.surface.f(v[0], v[1]);
  }

  dispose(): void {
    for (const r of this.racers) {
      r.optimizer.dispose();
      r.param.dispose();
    }
  }

  private stepRacer(r: Racer): void {
    if (r.diverged) return;
    const p = r.param;
    const v = p.value;
    this.surface.gradient(v[0], v[1], this.gradient);
    const g = p.grad;
    g[0] = this.gradient[0];
    g[1] = this.gradient[1];
    r.optimizer.step();
    const x = v[0], y = v[1];
    if (r.path.length < 2 * MAX_POINTS) r.path.push(x, y);
    if (!(Math.abs(x) < DIVERGED && Math.abs(y) < DIVERGED)) r.diverged = true;
  }

  /** New param and optimizer for r (fresh, or carrying values and state); r is unchanged if that throws. */
  private rebuild(r: Racer, backend: BackendName, carry: { values: Float32Array; state: OptimizerStateDict } | null): void {
    const p = param(carry ? carry.values : new Float32Array(this.start), { backend });
    let optimizer: AnyOptimizer | undefined;
    try {
      optimizer = r.spec.create([p], r.lr, r.option);
      if (carry) optimizer.loadStateDict(carry.state);
    } catch (error) {
      optimizer?.dispose();
      p.dispose();
      throw error;
    }
    r.optimizer.dispose();
    r.param.dispose();
    r.param = p;
    r.optimizer = optimizer;
    if (!carry) {
      r.path = [...p.value];
      r.diverged = false;
    }
  }
}
