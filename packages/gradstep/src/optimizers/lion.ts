import { LionScalar, Flags, Kernel } from '../kernels.js';
import { Optimizer, type OptimizerSpec, type ParamGroupInput } from '../optimizer.js';
import type { Param } from '../param.js';
import { betas, bool, NON_NEGATIVE, num, parseOptions } from './options.js';

/** Lion's options (its reference implementation's names, in camelCase), for the constructor and each parameter group. */
export interface LionOptions {
  /** Learning rate; Lion wants 3–10× less than AdamW. Default 1e-4. */
  lr: number;
  /** [β1 (interpolation for the update), β2 (momentum decay)]. Default [0.9, 0.99]. */
  betas: [number, number];
  /** Decoupled decay p *= 1 − lr·weightDecay (use 3–10× more than with AdamW). Default 0. */
  weightDecay: number;
  /** Maximize instead of minimize. Default false. */
  maximize: boolean;
}

const SCHEMA = {
  lr: num(1e-4, NON_NEGATIVE),
  betas: betas([0.9, 0.99]),
  weightDecay: num(0, NON_NEGATIVE),
  maximize: bool(),
};

const spec: OptimizerSpec<LionOptions> = {
  name: 'Lion',
  kernel: Kernel.Lion,
  stateNames: ['expAvg', '', ''],
  resolve: (options) => parseOptions<LionOptions>('Lion', SCHEMA, options),
  flags: (o) => (o.maximize ? Flags.Maximize : 0) | (o.weightDecay !== 0 ? Flags.DecoupledWeightDecay : 0),
  // Scalars: [lr, β1, 1-β1, β2, 1-β2, 1-lr·wd].
  prepare(o, _t, s, i) {
    s[i + LionScalar.Lr] = o.lr;
    s[i + LionScalar.Beta1] = o.betas[0];
    s[i + LionScalar.OneMinusBeta1] = 1 - o.betas[0];
    s[i + LionScalar.Beta2] = o.betas[1];
    s[i + LionScalar.OneMinusBeta2] = 1 - o.betas[1];
    s[i + LionScalar.DecayFactor] = 1 - o.lr * o.weightDecay;
    return spec.flags(o);
  },
};

/**
 * Lion (Chen et al. 2023, arXiv:2302.06675), as its reference implementation (google/automl
 * `lion_pytorch.py`; defaults lr 1e-4, betas (0.9, 0.99), weight decay 0):
 * p *= 1 − lr·wd; p −= lr·sign(β1·m + (1−β1)·g); m = β2·m + (1−β2)·g.
 */
export class Lion extends Optimizer<LionOptions> {
  constructor(params: readonly Param[] | readonly ParamGroupInput<LionOptions>[], options?: Partial<LionOptions>) {
    super(spec, params, options);
  }
}
