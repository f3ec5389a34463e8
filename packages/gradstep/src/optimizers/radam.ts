import { RadamScalar, Flags, Kernel } from '../kernels.js';
import { Optimizer, type OptimizerSpec, type ParamGroupInput } from '../optimizer.js';
import type { Param } from '../param.js';
import { betas, bool, NON_NEGATIVE, num, parseOptions } from './options.js';

/** RAdam's options (torch.optim.RAdam's, in camelCase), for the constructor and each parameter group. */
export interface RadamOptions {
  /** Learning rate. Default 1e-3. */
  lr: number;
  /** [β1, β2], each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to sqrt(v) (not to sqrt(v̂), as PyTorch). Default 1e-8. */
  eps: number;
  /** L2 penalty, or decoupled decay with decoupledWeightDecay. Default 0. */
  weightDecay: number;
  /** Decay p *= 1 − lr·weightDecay before the step instead of an L2 penalty. Default false. */
  decoupledWeightDecay: boolean;
  /** Maximize instead of minimize. Default false. */
  maximize: boolean;
}

const SCHEMA = {
  lr: num(1e-3, NON_NEGATIVE),
  betas: betas([0.9, 0.999]),
  eps: num(1e-8, NON_NEGATIVE),
  weightDecay: num(0, NON_NEGATIVE),
  decoupledWeightDecay: bool(),
  maximize: bool(),
};

const spec: OptimizerSpec<RadamOptions> = {
  name: 'RAdam',
  kernel: Kernel.Radam,
  stateNames: ['expAvg', 'expAvgSq', ''],
  resolve: (options) => parseOptions<RadamOptions>('RAdam', SCHEMA, options),
  flags: (o) =>
    (o.maximize ? Flags.Maximize : 0) |
    (o.weightDecay !== 0 ? (o.decoupledWeightDecay ? Flags.DecoupledWeightDecay : Flags.L2WeightDecay) : 0),
  // Scalars: [1-β1^t, lr (× r_t when rectified), sqrt(1-β2^t), eps, 1-β1, β2, 1-β2, wd or 1-lr·wd].
  prepare(o, t, s, i) {
    const beta1 = o.betas[0];
    const beta2 = o.betas[1];
    const biasCorrection2 = 1 - beta2 ** t;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * t * beta2 ** t) / biasCorrection2;
    const rectify = rhoT > 5;
    const rect = rectify ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 1;
    s[i + RadamScalar.BiasCorrection1] = 1 - beta1 ** t;
    s[i + RadamScalar.StepLr] = o.lr * rect;
    s[i + RadamScalar.BiasCorrection2Sqrt] = Math.sqrt(biasCorrection2);
    s[i + RadamScalar.Eps] = o.eps;
    s[i + RadamScalar.OneMinusBeta1] = 1 - beta1;
    s[i + RadamScalar.Beta2] = beta2;
    s[i + RadamScalar.OneMinusBeta2] = 1 - beta2;
    s[i + RadamScalar.WeightDecayOrFactor] = o.decoupledWeightDecay ? 1 - o.lr * o.weightDecay : o.weightDecay;
    return spec.flags(o) | (rectify ? Flags.Rectify : 0);
  },
};

/**
 * RAdam (`torch.optim.RAdam`, Liu et al. 2019): while the variance of the adaptive rate is
 * intractable (ρ_t ≤ 5, the first 5 steps with β2 = 0.999) it steps with m̂·lr (SGD with momentum);
 * afterwards with m̂·lr·r_t·sqrt(1−β2^t)/(sqrt(v) + ε).
 */
export class RAdam extends Optimizer<RadamOptions> {
  constructor(params: readonly Param[] | readonly ParamGroupInput<RadamOptions>[], options?: Partial<RadamOptions>) {
    super(spec, params, options);
  }
}
