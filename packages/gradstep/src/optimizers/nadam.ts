import { NadamScalar, Flags, Kernel } from '../kernels.js';
import { Optimizer, type OptimizerSpec, type ParamGroupInput } from '../optimizer.js';
import type { Param } from '../param.js';
import { betas, bool, NON_NEGATIVE, num, parseOptions } from './options.js';

/** NAdam's options (torch.optim.NAdam's, in camelCase), for the constructor and each parameter group. */
export interface NadamOptions {
  /** Learning rate. Default 2e-3. */
  lr: number;
  /** [β1, β2], each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to sqrt(v̂). Default 1e-8. */
  eps: number;
  /** L2 penalty, or decoupled decay with decoupledWeightDecay. Default 0. */
  weightDecay: number;
  /** ψ of the momentum schedule μ_t = β1·(1 − ½·0.96^(t·ψ)). Default 4e-3. */
  momentumDecay: number;
  /** Decay p *= 1 − lr·weightDecay before the step (NAdamW) instead of an L2 penalty. Default false. */
  decoupledWeightDecay: boolean;
  /** Maximize instead of minimize. Default false. */
  maximize: boolean;
}

const SCHEMA = {
  lr: num(2e-3, NON_NEGATIVE),
  betas: betas([0.9, 0.999]),
  eps: num(1e-8, NON_NEGATIVE),
  weightDecay: num(0, NON_NEGATIVE),
  momentumDecay: num(4e-3, NON_NEGATIVE),
  decoupledWeightDecay: bool(),
  maximize: bool(),
};

const f = Math.fround;

function momentum(o: NadamOptions, t: number): number {
  return o.betas[0] * (1 - 0.5 * 0.96 ** (t * o.momentumDecay));
}

/**
 * Most steps over which a missing μ product is recomputed: a few milliseconds. Our own state dicts
 * always hold the product; a dict without it and with more steps than this (and a product that has
 * not settled, see below) is refused rather than looped over for as many steps as the file says.
 */
const MAX_MU_PRODUCT_STEPS = 2 ** 22;

/**
 * Πμ_k for k = 1 … t under constant options, multiplied in float32 as the steps do. The loop stops
 * as soon as the product cannot change any more: at 0, or once μ_k has reached its limit in float32
 * (μ_k rises monotonically to β1, or is β1/2 throughout with ψ = 0) and multiplying by it leaves
 * the product unchanged. For β1 = 0.9 that takes about a thousand steps, whatever t is.
 */
function muProductAfter(o: NadamOptions, t: number): number[] {
  const limit = f(o.momentumDecay > 0 ? o.betas[0] : o.betas[0] * 0.5);
  let product = 1;
  for (let k = 1; k <= t; k++) {
    const mu = f(momentum(o, k));
    const next = f(product * mu);
    if (next === 0 || (next === product && mu === limit)) return [next];
    if (k > MAX_MU_PRODUCT_STEPS) {
      throw new RangeError(
        `NAdam.loadStateDict(dict): the dict has no μ product (groups[].state) and step ${t} is too many to recompute it (at most ${MAX_MU_PRODUCT_STEPS} with betas[0] = ${o.betas[0]}); save the dict with stateDict(), which records it`,
      );
    }
    product = next;
  }
  return [product];
}

const spec: OptimizerSpec<NadamOptions> = {
  name: 'NAdam',
  kernel: Kernel.Nadam,
  stateNames: ['expAvg', 'expAvgSq', ''],
  resolve: (options) => parseOptions<NadamOptions>('NAdam', SCHEMA, options),
  flags: (o) =>
    (o.maximize ? Flags.Maximize : 0) |
    (o.weightDecay !== 0 ? (o.decoupledWeightDecay ? Flags.DecoupledWeightDecay : Flags.L2WeightDecay) : 0),
  // Πμ, PyTorch's `mu_product`: a float32 product advanced by each step's μ_t (computed with that
  // step's options, as PyTorch does when a scheduler changes β1), saved in state dicts.
  groupState: {
    size: 1,
    // A product of momenta in [0, 1): anything else is not a state NAdam can reach.
    range: [0, 1],
    after: muProductAfter,
  },
  // Scalars: [lr(1-μ_t)/(1-Πμ), lr·μ_{t+1}/(1-Πμ·μ_{t+1}), 1-β2^t, eps, 1-β1, β2, 1-β2, wd or 1-lr·wd].
  prepare(o, t, s, i, state) {
    const mu = momentum(o, t);
    const muNext = momentum(o, t + 1);
    const product = f(state[0] * f(mu));
    state[0] = product;
    s[i + NadamScalar.GradCoefficient] = (o.lr * (1 - mu)) / (1 - product);
    s[i + NadamScalar.MomentumCoefficient] = (o.lr * muNext) / (1 - product * muNext);
    s[i + NadamScalar.BiasCorrection2] = 1 - o.betas[1] ** t;
    s[i + NadamScalar.Eps] = o.eps;
    s[i + NadamScalar.OneMinusBeta1] = 1 - o.betas[0];
    s[i + NadamScalar.Beta2] = o.betas[1];
    s[i + NadamScalar.OneMinusBeta2] = 1 - o.betas[1];
    s[i + NadamScalar.WeightDecayOrFactor] = o.decoupledWeightDecay ? 1 - o.lr * o.weightDecay : o.weightDecay;
    return spec.flags(o);
  },
};

/**
 * NAdam (`torch.optim.NAdam`, Dozat 2016): Adam with Nesterov momentum and the momentum schedule
 * μ_t = β1(1 − ½·0.96^(tψ)); p −= lr(1−μ_t)/(1−Πμ)·g/d + lr·μ_{t+1}/(1−Πμ·μ_{t+1})·m/d with
 * d = sqrt(v/(1−β2^t)) + ε. (Keras' Nadam uses 0.96^t without ψ; Optax's nadam has no schedule.)
 */
export class NAdam extends Optimizer<NadamOptions> {
  constructor(params: readonly Param[] | readonly ParamGroupInput<NadamOptions>[], options?: Partial<NadamOptions>) {
    super(spec, params, options);
  }
}
