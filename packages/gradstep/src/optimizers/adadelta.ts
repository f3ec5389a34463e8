import { AdadeltaScalar, Flags, Kernel } from '../kernels.js';
import { Optimizer, type OptimizerSpec, type ParamGroupInput } from '../optimizer.js';
import type { Param } from '../param.js';
import { bool, NON_NEGATIVE, num, parseOptions } from './options.js';

/** Adadelta's options (torch.optim.Adadelta's, in camelCase), for the constructor and each parameter group. */
export interface AdadeltaOptions {
  /** Scales the update; 1.0 is Zeiler's algorithm (Keras and tfjs default to 0.001). Default 1.0. */
  lr: number;
  /** Decay of the running averages. Default 0.9. */
  rho: number;
  /** Inside both square roots. Default 1e-6. */
  eps: number;
  /** L2 penalty. Default 0. */
  weightDecay: number;
  /** Maximize instead of minimize. Default false. */
  maximize: boolean;
}

const SCHEMA = {
  lr: num(1.0, NON_NEGATIVE),
  rho: num(0.9, { min: 0, max: 1 }),
  eps: num(1e-6, NON_NEGATIVE),
  weightDecay: num(0, NON_NEGATIVE),
  maximize: bool(),
};

const spec: OptimizerSpec<AdadeltaOptions> = {
  name: 'Adadelta',
  kernel: Kernel.Adadelta,
  stateNames: ['squareAvg', 'accDelta', ''],
  resolve: (options) => parseOptions<AdadeltaOptions>('Adadelta', SCHEMA, options),
  flags: (o) => (o.maximize ? Flags.Maximize : 0) | (o.weightDecay !== 0 ? Flags.L2WeightDecay : 0),
  // Scalars: [lr, weightDecay, rho, 1 - rho, eps].
  prepare(o, _t, s, i) {
    s[i + AdadeltaScalar.Lr] = o.lr;
    s[i + AdadeltaScalar.WeightDecay] = o.weightDecay;
    s[i + AdadeltaScalar.Rho] = o.rho;
    s[i + AdadeltaScalar.OneMinusRho] = 1 - o.rho;
    s[i + AdadeltaScalar.Eps] = o.eps;
    return spec.flags(o);
  },
};

/**
 * Adadelta (`torch.optim.Adadelta`, Zeiler 2012 Alg. 1 times lr): v = ρv + (1−ρ)g²;
 * Δ = sqrt(u + ε)/sqrt(v + ε)·g; u = ρu + (1−ρ)Δ²; p −= lr·Δ.
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: readonly Param[] | readonly ParamGroupInput<AdadeltaOptions>[], options?: Partial<AdadeltaOptions>) {
    super(spec, params, options);
  }
}
