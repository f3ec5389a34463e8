import { AdamScalar, Flags, Kernel } from '../kernels.js';
import { Optimizer, type OptimizerSpec, type ParamGroupInput } from '../optimizer.js';
import type { Param } from '../param.js';
import { betas, bool, NON_NEGATIVE, num, parseOptions } from './options.js';

/** Adam's and AdamW's options (torch.optim.Adam's, in camelCase), for the constructor and each parameter group. */
export interface AdamOptions {
  /** Learning rate. Default 1e-3. */
  lr: number;
  /** Decay rates [β1, β2] of the first and second moments, each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /**
   * Added to the denominator. PyTorch form (default): ε on sqrt(v̂), default 1e-8. With `epsHat`:
   * Keras' ε̂ on sqrt(v), default 1e-7.
   */
  eps: number;
  /** Adam: L2 penalty added to the gradient. AdamW: decoupled decay p *= 1 − lr·weightDecay. */
  weightDecay: number;
  /** AMSGrad: divide by the running maximum of the raw second moment. Default false. */
  amsgrad: boolean;
  /** Maximize instead of minimize. Default false. */
  maximize: boolean;
  /**
   * The ε̂ form of Kingma & Ba (§2) used by Keras and TensorFlow and by the course:
   * lr_t = lr·sqrt(1−β2^t)/(1−β1^t); p −= lr_t·m/(sqrt(v) + ε̂). Default false (PyTorch's form).
   * Its default ε of 1e-7 applies when the optimizer or group is created with it; switching
   * `paramGroups[i].epsHat` later keeps the group's ε.
   */
  epsHat: boolean;
}

const SCHEMA = {
  lr: num(1e-3, NON_NEGATIVE),
  betas: betas([0.9, 0.999]),
  eps: num(1e-8, NON_NEGATIVE),
  weightDecay: num(0, NON_NEGATIVE),
  amsgrad: bool(),
  maximize: bool(),
  epsHat: bool(),
};

function adamSpec(name: 'Adam' | 'AdamW', decoupled: boolean, defaultWeightDecay: number): OptimizerSpec<AdamOptions> {
  const spec: OptimizerSpec<AdamOptions> = {
    name,
    kernel: Kernel.Adam,
    stateNames: ['expAvg', 'expAvgSq', 'maxExpAvgSq'],
    resolve(options) {
      const epsHat = (options as Partial<AdamOptions> | undefined)?.epsHat === true;
      return parseOptions<AdamOptions>(name, SCHEMA, options, { weightDecay: defaultWeightDecay, eps: epsHat ? 1e-7 : 1e-8 });
    },
    flags: (o) =>
      (o.maximize ? Flags.Maximize : 0) |
      (o.amsgrad ? Flags.Amsgrad : 0) |
      (o.weightDecay !== 0 ? (decoupled ? Flags.DecoupledWeightDecay : Flags.L2WeightDecay) : 0),
    // Scalars: [step size, 1/sqrt(1-β2^t), 1-β1, β2, 1-β2, eps, weightDecay, 1 - lr·weightDecay],
    // computed in float64 and rounded to float32 once, as PyTorch casts its Python floats.
    prepare(o, t, s, i) {
      const beta1 = o.betas[0];
      const beta2 = o.betas[1];
      const biasCorrection1 = 1 - beta1 ** t;
      const biasCorrection2 = 1 - beta2 ** t;
      if (o.epsHat) {
        s[i + AdamScalar.StepSize] = (o.lr * Math.sqrt(biasCorrection2)) / biasCorrection1;
        s[i + AdamScalar.InverseBiasCorrection2Sqrt] = 1;
      } else {
        s[i + AdamScalar.StepSize] = o.lr / biasCorrection1;
        s[i + AdamScalar.InverseBiasCorrection2Sqrt] = 1 / Math.sqrt(biasCorrection2);
      }
      s[i + AdamScalar.OneMinusBeta1] = 1 - beta1;
      s[i + AdamScalar.Beta2] = beta2;
      s[i + AdamScalar.OneMinusBeta2] = 1 - beta2;
      s[i + AdamScalar.Eps] = o.eps;
      s[i + AdamScalar.WeightDecay] = o.weightDecay;
      s[i + AdamScalar.DecoupledDecayFactor] = 1 - o.lr * o.weightDecay;
      return spec.flags(o);
    },
  };
  return spec;
}

const adam = adamSpec('Adam', false, 0);
const adamW = adamSpec('AdamW', true, 1e-2);

/**
 * Adam (`torch.optim.Adam`): m = β1-average of g, v = β2-average of g²;
 * p −= (lr/(1−β1^t))·m / (sqrt(v)/sqrt(1−β2^t) + ε). weightDecay is an L2 penalty.
 * `epsHat: true` gives Keras' numbers instead (see AdamOptions.epsHat).
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: readonly Param[] | readonly ParamGroupInput<AdamOptions>[], options?: Partial<AdamOptions>) {
    super(adam, params, options);
  }
}

/** AdamW (`torch.optim.AdamW`): Adam with decoupled weight decay p *= 1 − lr·weightDecay (default 1e-2) before the step. */
export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: readonly Param[] | readonly ParamGroupInput<AdamOptions>[], options?: Partial<AdamOptions>) {
    super(adamW, params, options);
  }
}
