import { AdagradScalar, Flags, Kernel } from '../kernels.js';
import { Optimizer, type OptimizerSpec, type ParamGroupInput } from '../optimizer.js';
import type { Param } from '../param.js';
import { bool, NON_NEGATIVE, num, parseOptions } from './options.js';

/** Adagrad's options (torch.optim.Adagrad's, in camelCase), for the constructor and each parameter group. */
export interface AdagradOptions {
  /** Learning rate. Default 1e-2. */
  lr: number;
  /** The step t uses lr / (1 + (t−1)·lrDecay). Default 0. */
  lrDecay: number;
  /** L2 penalty. Default 0. */
  weightDecay: number;
  /** Starting value of the sum of squared gradients. Default 0 (Keras and tfjs use 0.1). */
  initialAccumulatorValue: number;
  /** Added to sqrt(sum), outside the root as in Duchi et al. Default 1e-10. */
  eps: number;
  /** Maximize instead of minimize. Default false. */
  maximize: boolean;
}

const SCHEMA = {
  lr: num(1e-2, NON_NEGATIVE),
  lrDecay: num(0, NON_NEGATIVE),
  weightDecay: num(0, NON_NEGATIVE),
  initialAccumulatorValue: num(0, NON_NEGATIVE),
  eps: num(1e-10, NON_NEGATIVE),
  maximize: bool(),
};

const spec: OptimizerSpec<AdagradOptions> = {
  name: 'Adagrad',
  kernel: Kernel.Adagrad,
  stateNames: ['sum', '', ''],
  resolve: (options) => parseOptions<AdagradOptions>('Adagrad', SCHEMA, options),
  flags: (o) => (o.maximize ? Flags.Maximize : 0) | (o.weightDecay !== 0 ? Flags.L2WeightDecay : 0),
  // Scalars: [lr / (1 + (t-1)·lrDecay), weightDecay, eps].
  prepare(o, t, s, i) {
    s[i + AdagradScalar.ClippedLr] = o.lr / (1 + (t - 1) * o.lrDecay);
    s[i + AdagradScalar.WeightDecay] = o.weightDecay;
    s[i + AdagradScalar.Eps] = o.eps;
    return spec.flags(o);
  },
  initialState: (o) => o.initialAccumulatorValue,
};

/** Adagrad (`torch.optim.Adagrad`): sum += g²; p −= lr_t·g / (sqrt(sum) + eps). */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: readonly Param[] | readonly ParamGroupInput<AdagradOptions>[], options?: Partial<AdagradOptions>) {
    super(spec, params, options);
  }
}
