import { AdamaxScalar, Flags, Kernel } from '../kernels.js';
import { Optimizer, type OptimizerSpec, type ParamGroupInput } from '../optimizer.js';
import type { Param } from '../param.js';
import { betas, bool, NON_NEGATIVE, num, parseOptions } from './options.js';

/** Adamax's options (torch.optim.Adamax's, in camelCase), for the constructor and each parameter group. */
export interface AdamaxOptions {
  /** Learning rate. Default 2e-3. */
  lr: number;
  /** [β1, β2], each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** Inside the maximum: u = max(β2·u, |g| + ε) (Keras and tfjs add it to u instead). Default 1e-8. */
  eps: number;
  /** L2 penalty. Default 0. */
  weightDecay: number;
  /** Maximize instead of minimize. Default false. */
  maximize: boolean;
}

const SCHEMA = {
  lr: num(2e-3, NON_NEGATIVE),
  betas: betas([0.9, 0.999]),
  eps: num(1e-8, NON_NEGATIVE),
  weightDecay: num(0, NON_NEGATIVE),
  maximize: bool(),
};

const spec: OptimizerSpec<AdamaxOptions> = {
  name: 'Adamax',
  kernel: Kernel.Adamax,
  stateNames: ['expAvg', 'expInf', ''],
  resolve: (options) => parseOptions<AdamaxOptions>('Adamax', SCHEMA, options),
  flags: (o) => (o.maximize ? Flags.Maximize : 0) | (o.weightDecay !== 0 ? Flags.L2WeightDecay : 0),
  // Scalars: [lr/(1-β1^t), 1-β1, β2, eps, weightDecay].
  prepare(o, t, s, i) {
    s[i + AdamaxScalar.ClippedLr] = o.lr / (1 - o.betas[0] ** t);
    s[i + AdamaxScalar.OneMinusBeta1] = 1 - o.betas[0];
    s[i + AdamaxScalar.Beta2] = o.betas[1];
    s[i + AdamaxScalar.Eps] = o.eps;
    s[i + AdamaxScalar.WeightDecay] = o.weightDecay;
    return spec.flags(o);
  },
};

/** Adamax (`torch.optim.Adamax`, Kingma & Ba Alg. 2): m = lerp(m, g, 1−β1); u = max(β2·u, |g| + ε); p −= lr/(1−β1^t)·m/u. */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: readonly Param[] | readonly ParamGroupInput<AdamaxOptions>[], options?: Partial<AdamaxOptions>) {
    super(spec, params, options);
  }
}
