import { SgdScalar, Flags, Kernel } from '../kernels.js';
import { Optimizer, type OptimizerSpec, type ParamGroupInput } from '../optimizer.js';
import type { Param } from '../param.js';
import { bool, NON_NEGATIVE, num, parseOptions } from './options.js';

/** SGD's options (torch.optim.SGD's, in camelCase), for the constructor and each parameter group. */
export interface SgdOptions {
  /** Learning rate. Default 1e-3. */
  lr: number;
  /** Momentum factor μ; 0 is plain gradient descent. Default 0. */
  momentum: number;
  /** Dampening τ of the momentum: buf = μ·buf + (1−τ)·g (not applied on the first step). Default 0. */
  dampening: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov: boolean;
  /** L2 penalty: g += weightDecay·p. Default 0. */
  weightDecay: number;
  /** Maximize the objective instead of minimizing. Default false. */
  maximize: boolean;
}

const SCHEMA = {
  lr: num(1e-3, NON_NEGATIVE),
  momentum: num(0, NON_NEGATIVE),
  dampening: num(0),
  nesterov: bool(),
  weightDecay: num(0, NON_NEGATIVE),
  maximize: bool(),
};

const spec: OptimizerSpec<SgdOptions> = {
  name: 'SGD',
  kernel: Kernel.Sgd,
  stateNames: ['momentumBuffer', '', ''],
  resolve(options) {
    const o = parseOptions<SgdOptions>('SGD', SCHEMA, options);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError(`SGD: nesterov requires momentum > 0 and dampening 0, got momentum ${o.momentum} and dampening ${o.dampening}`);
    }
    return o;
  },
  flags: (o) =>
    (o.maximize ? Flags.Maximize : 0) |
    (o.weightDecay !== 0 ? Flags.L2WeightDecay : 0) |
    (o.momentum !== 0 ? Flags.Momentum : 0) |
    (o.nesterov ? Flags.Nesterov : 0),
  // Scalars: [lr, weightDecay, momentum, 1 - dampening].
  prepare(o, t, s, i) {
    s[i + SgdScalar.Lr] = o.lr;
    s[i + SgdScalar.WeightDecay] = o.weightDecay;
    s[i + SgdScalar.Momentum] = o.momentum;
    s[i + SgdScalar.OneMinusDampening] = 1 - o.dampening;
    return spec.flags(o) | (t === 1 ? Flags.FirstStep : 0);
  },
};

/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum: the course's GD,
 * Momentum and NAG, with `torch.optim.SGD`'s semantics (the momentum buffer starts at the first
 * gradient and the learning rate stays outside it: buf = μ·buf + (1−τ)·g; p −= lr·buf, or with
 * Nesterov p −= lr·(g + μ·buf)).
 */
export class SGD extends Optimizer<SgdOptions> {
  constructor(params: readonly Param[] | readonly ParamGroupInput<SgdOptions>[], options?: Partial<SgdOptions>) {
    super(spec, params, options);
  }
}
