// The optimizers of the trajectory race: the course's eight (SGD, Momentum, Nesterov, Adagrad,
// Adadelta, RMSprop, Adam, AdamW) and four newer ones, each with its learning rate and one main option.
import { Adadelta, Adagrad, Adam, Adamax, AdamW, Lion, NAdam, RAdam, RMSprop, SGD, type Optimizer, type Param } from 'gradstep';

/** Any of the optimizers (their option types differ; the page only steps, saves and restores them). */
export type AnyOptimizer = Optimizer<object>;

export interface MainOption {
  /** As shown on the page. */
  readonly label: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  /** The optimizer options that this value stands for. */
  options(value: number): Record<string, unknown>;
}

export interface OptimizerSpec {
  readonly id: string;
  readonly label: string;
  readonly color: string;
  /** Shown on the page (newer optimizers are off at first to keep the plot readable). */
  readonly enabled: boolean;
  readonly lr: number;
  readonly option?: MainOption;
  readonly blurb: string;
  create(params: Param[], lr: number, option: number | undefined): AnyOptimizer;
}

const momentum = (value = 0.9): MainOption => ({
  label: 'momentum', value, min: 0.01, max: 0.999, step: 0.01, options: (m) => ({ momentum: m }),
});
const beta1 = (value = 0.9, second = 0.999): MainOption => ({
  label: 'β₁', value, min: 0, max: 0.999, step: 0.01, options: (b) => ({ betas: [b, second] }),
});

function spec(s: Omit<OptimizerSpec, 'create'>, make: (params: Param[], options: Record<string, unknown>) => AnyOptimizer): OptimizerSpec {
  return {
    ...s,
    create: (params, lr, option) => make(params, { lr, ...(s.option && option !== undefined ? s.option.options(option) : {}) }),
  };
}

export const OPTIMIZERS: readonly OptimizerSpec[] = [
  spec({ id: 'sgd', label: 'SGD', color: '#d62728', enabled: true, lr: 1e-3, blurb: 'θ −= η·g' }, (p, o) => new SGD(p, o)),
  spec({ id: 'momentum', label: 'Momentum', color: '#ff7f0e', enabled: true, lr: 1e-3, option: momentum(), blurb: 'v = μv + g; θ −= η·v' }, (p, o) => new SGD(p, o)),
  spec({ id: 'nesterov', label: 'Nesterov', color: '#8c564b', enabled: true, lr: 1e-3, option: momentum(), blurb: 'gradient taken after the momentum step' }, (p, o) => new SGD(p, { ...o, nesterov: true })),
  spec({ id: 'adagrad', label: 'Adagrad', color: '#2ca02c', enabled: true, lr: 1e-2, blurb: 'divides by √(Σg²): steps only shrink' }, (p, o) => new Adagrad(p, o)),
  spec({ id: 'adadelta', label: 'Adadelta', color: '#17becf', enabled: true, lr: 1, option: { label: 'ρ', value: 0.9, min: 0, max: 0.999, step: 0.01, options: (rho) => ({ rho }) }, blurb: 'no learning rate: ratio of running RMS' }, (p, o) => new Adadelta(p, o)),
  spec({ id: 'rmsprop', label: 'RMSprop', color: '#1f77b4', enabled: true, lr: 1e-2, option: { label: 'α', value: 0.99, min: 0, max: 0.999, step: 0.01, options: (alpha) => ({ alpha }) }, blurb: 'divides by a running RMS of g' }, (p, o) => new RMSprop(p, o)),
  spec({ id: 'adam', label: 'Adam', color: '#9467bd', enabled: true, lr: 1e-3, option: beta1(), blurb: 'momentum + RMSprop, bias-corrected' }, (p, o) => new Adam(p, o)),
  spec({ id: 'adamw', label: 'AdamW', color: '#e377c2', enabled: true, lr: 1e-3, option: { label: 'weight decay', value: 0.1, min: 0, max: 1, step: 0.01, options: (weightDecay) => ({ weightDecay }) }, blurb: 'Adam with decoupled weight decay (pulls θ to 0)' }, (p, o) => new AdamW(p, o)),
  spec({ id: 'adamax', label: 'Adamax', color: '#bcbd22', enabled: false, lr: 2e-3, option: beta1(), blurb: 'Adam with the ∞-norm' }, (p, o) => new Adamax(p, o)),
  spec({ id: 'nadam', label: 'NAdam', color: '#7f7f7f', enabled: false, lr: 2e-3, option: beta1(), blurb: 'Adam with Nesterov momentum' }, (p, o) => new NAdam(p, o)),
  spec({ id: 'radam', label: 'RAdam', color: '#393b79', enabled: false, lr: 1e-3, option: beta1(), blurb: 'Adam with a rectified warm-up' }, (p, o) => new RAdam(p, o)),
  spec({ id: 'lion', label: 'Lion', color: '#637939', enabled: false, lr: 1e-4, option: beta1(0.9, 0.99), blurb: 'sign of the momentum: every step has size η' }, (p, o) => new Lion(p, o)),
];
