import { RmspropScalar, Flags, Kernel } from '../kernels.js';
import { Optimizer, type OptimizerSpec, type ParamGroupInput } from '../optimizer.js';
import type { Param } from '../param.js';
import { bool, NON_NEGATIVE, num, parseOptions } from './options.js';

/** RMSprop's options (torch.optim.RMSprop's, in camelCase), for the constructor and each parameter group. */
export interface RmspropOptions {
  /** Learning rate. Default 1e-2. */
  lr: number;
  /** Smoothing constant of the squared-gradient average (Keras' rho, 0.9 there). Default 0.99. */
  alpha: number;
  /** Added to the square root (outside it, unlike Keras and tfjs). Default 1e-8. */
  eps: number;
  /** L2 penalty. Default 0. */
  weightDecay: number;
  /** Momentum factor (the learning rate stays outside the buffer). Default 0. */
  momentum: number;
  /** Divide by an estimate of the gradient's variance instead of its second moment. Default false. */
  centered: boolean;
  /** Maximize instead of minimize. Default false. */
  maximize: boolean;
}

const SCHEMA = {
  lr: num(1e-2, NON_NEGATIVE),
  alpha: num(0.99, NON_NEGATIVE),
  eps: num(1e-8, NON_NEGATIVE),
  weightDecay: num(0, NON_NEGATIVE),
  momentum: num(0, NON_NEGATIVE),
  centered: bool(),
  maximize: bool(),
};

const spec: OptimizerSpec<RmspropOptions> = {
  name: 'RMSprop',
  kernel: Kernel.Rmsprop,
  stateNames: ['squareAvg', 'gradAvg', 'momentumBuffer'],
  resolve: (options) => parseOptions<RmspropOptions>('RMSprop', SCHEMA, options),
  flags: (o) =>
    (o.maximize ? Flags.Maximize : 0) |
    (o.weightDecay !== 0 ? Flags.L2WeightDecay : 0) |
    (o.momentum > 0 ? Flags.Momentum : 0) |
    (o.centered ? Flags.Centered : 0),
  // Scalars: [lr, weightDecay, alpha, 1 - alpha, eps, momentum].
  prepare(o, _t, s, i) {
    s[i + RmspropScalar.Lr] = o.lr;
    s[i + RmspropScalar.WeightDecay] = o.weightDecay;
    s[i + RmspropScalar.Alpha] = o.alpha;
    s[i + RmspropScalar.OneMinusAlpha] = 1 - o.alpha;
    s[i + RmspropScalar.Eps] = o.eps;
    s[i + RmspropScalar.Momentum] = o.momentum;
    return spec.flags(o);
  },
};

/**
 * RMSprop (`torch.optim.RMSprop`): v = αv + (1−α)g²; p −= lr·g/(sqrt(v) + ε), optionally centered
 * (sqrt(v − ḡ²), clamped at 0 so rounding never yields NaN) and with momentum.
 */
export class RMSprop extends Optimizer<RmspropOptions> {
  constructor(params: readonly Param[] | readonly ParamGroupInput<RmspropOptions>[], options?: Partial<RmspropOptions>) {
    super(spec, params, options);
  }
}
