/**
 * The TypeScript twin of `crates/gradstep-kernels/src/rules.rs`: the update rules, operation for
 * operation the same as the Rust kernels. Every arithmetic result is rounded to float32 with
 * Math.fround: +, −, ×, ÷ and √ of float32 operands computed in float64 and rounded once give the
 * correctly rounded float32 result, so this file produces the same bits as wasm's f32 and f32x4
 * instructions. Math.max has IEEE 754-2019 `maximum` semantics, as wasm's f32x4.max.
 *
 * No array destructuring here: it runs the iterator protocol, which allocates on every step.
 */
import {
  AdadeltaScalar,
  AdagradScalar,
  AdamaxScalar,
  AdamScalar,
  Flags,
  Kernel,
  LionScalar,
  NadamScalar,
  RadamScalar,
  RmspropScalar,
  SgdScalar,
  type KernelId,
} from '../kernels.js';

const f = Math.fround;

export interface TensorArrays {
  value: Float32Array;
  grad: Float32Array;
  /** The kernel's state slots; unused slots are empty arrays. */
  state: [Float32Array, Float32Array, Float32Array];
}

/** Runs `kernel` over one tensor with `flags` and the scalars `s[o … o + SCALARS)`. */
export function runJsKernel(kernel: KernelId, flags: number, s: Float32Array, o: number, t: TensorArrays): void {
  switch (kernel) {
    case Kernel.Sgd:
      return sgd(flags, s, o, t);
    case Kernel.Adagrad:
      return adagrad(flags, s, o, t);
    case Kernel.Adadelta:
      return adadelta(flags, s, o, t);
    case Kernel.Rmsprop:
      return rmsprop(flags, s, o, t);
    case Kernel.Adam:
      return adam(flags, s, o, t);
    case Kernel.Adamax:
      return adamax(flags, s, o, t);
    case Kernel.Nadam:
      return nadam(flags, s, o, t);
    case Kernel.Radam:
      return radam(flags, s, o, t);
    case Kernel.Lion:
      return lion(flags, s, o, t);
  }
}

function sgd(flags: number, s: Float32Array, o: number, t: TensorArrays): void {
  const { value, grad } = t;
  const buf = t.state[0];
  const lr = s[o + SgdScalar.Lr];
  const wd = s[o + SgdScalar.WeightDecay];
  const momentum = s[o + SgdScalar.Momentum];
  const oneMinusDampening = s[o + SgdScalar.OneMinusDampening];

  const maximize = (flags & Flags.Maximize) !== 0;
  const l2 = (flags & Flags.L2WeightDecay) !== 0;
  const hasMomentum = (flags & Flags.Momentum) !== 0;
  const nesterov = (flags & Flags.Nesterov) !== 0;
  const first = (flags & Flags.FirstStep) !== 0;
  for (let i = 0; i < value.length; i++) {
    const p = value[i];
    let g = maximize ? -grad[i] : grad[i];
    if (l2) g = f(g + f(wd * p));
    if (hasMomentum) {
      const b = first ? g : f(f(buf[i] * momentum) + f(oneMinusDampening * g));
      buf[i] = b;
      g = nesterov ? f(g + f(momentum * b)) : b;
    }
    value[i] = f(p - f(lr * g));
  }
}

function adagrad(flags: number, s: Float32Array, o: number, t: TensorArrays): void {
  const { value, grad } = t;
  const sum = t.state[0];
  const clr = s[o + AdagradScalar.ClippedLr];
  const wd = s[o + AdagradScalar.WeightDecay];
  const eps = s[o + AdagradScalar.Eps];

  const maximize = (flags & Flags.Maximize) !== 0;
  const l2 = (flags & Flags.L2WeightDecay) !== 0;
  for (let i = 0; i < value.length; i++) {
    const p = value[i];
    let g = maximize ? -grad[i] : grad[i];
    if (l2) g = f(g + f(wd * p));
    const acc = f(sum[i] + f(g * g));
    sum[i] = acc;
    value[i] = f(p - f(f(clr * g) / f(f(Math.sqrt(acc)) + eps)));
  }
}

function adadelta(flags: number, s: Float32Array, o: number, t: TensorArrays): void {
  const { value, grad } = t;
  const squareAvg = t.state[0];
  const accDelta = t.state[1];
  const lr = s[o + AdadeltaScalar.Lr];
  const wd = s[o + AdadeltaScalar.WeightDecay];
  const rho = s[o + AdadeltaScalar.Rho];
  const oneMinusRho = s[o + AdadeltaScalar.OneMinusRho];
  const eps = s[o + AdadeltaScalar.Eps];

  const maximize = (flags & Flags.Maximize) !== 0;
  const l2 = (flags & Flags.L2WeightDecay) !== 0;
  for (let i = 0; i < value.length; i++) {
    const p = value[i];
    let g = maximize ? -grad[i] : grad[i];
    if (l2) g = f(g + f(wd * p));
    const v = f(f(squareAvg[i] * rho) + f(f(oneMinusRho * g) * g));
    const u = accDelta[i];
    const delta = f(f(f(Math.sqrt(f(u + eps))) / f(Math.sqrt(f(v + eps)))) * g);
    squareAvg[i] = v;
    accDelta[i] = f(f(u * rho) + f(f(oneMinusRho * delta) * delta));
    value[i] = f(p - f(lr * delta));
  }
}

function rmsprop(flags: number, s: Float32Array, o: number, t: TensorArrays): void {
  const { value, grad } = t;
  const squareAvg = t.state[0];
  const gradAvg = t.state[1];
  const buf = t.state[2];
  const lr = s[o + RmspropScalar.Lr];
  const wd = s[o + RmspropScalar.WeightDecay];
  const alpha = s[o + RmspropScalar.Alpha];
  const oneMinusAlpha = s[o + RmspropScalar.OneMinusAlpha];
  const eps = s[o + RmspropScalar.Eps];
  const momentum = s[o + RmspropScalar.Momentum];

  const maximize = (flags & Flags.Maximize) !== 0;
  const l2 = (flags & Flags.L2WeightDecay) !== 0;
  const centered = (flags & Flags.Centered) !== 0;
  const hasMomentum = (flags & Flags.Momentum) !== 0;
  for (let i = 0; i < value.length; i++) {
    const p = value[i];
    let g = maximize ? -grad[i] : grad[i];
    if (l2) g = f(g + f(wd * p));
    const v = f(f(squareAvg[i] * alpha) + f(f(oneMinusAlpha * g) * g));
    squareAvg[i] = v;
    let avg: number;
    if (centered) {
      const ga = f(gradAvg[i] + f(oneMinusAlpha * f(g - gradAvg[i])));
      gradAvg[i] = ga;
      const variance = f(v - f(ga * ga));
      avg = f(f(Math.sqrt(variance < 0 ? 0 : variance)) + eps);
    } else {
      avg = f(f(Math.sqrt(v)) + eps);
    }
    if (hasMomentum) {
      const b = f(f(buf[i] * momentum) + f(g / avg));
      buf[i] = b;
      value[i] = f(p - f(lr * b));
    } else {
      value[i] = f(p - f(f(lr * g) / avg));
    }
  }
}

function adam(flags: number, s: Float32Array, o: number, t: TensorArrays): void {
  const { value, grad } = t;
  const expAvg = t.state[0];
  const expAvgSq = t.state[1];
  const maxExpAvgSq = t.state[2];
  const stepSize = s[o + AdamScalar.StepSize];
  const inverseBc2Sqrt = s[o + AdamScalar.InverseBiasCorrection2Sqrt];
  const oneMinusBeta1 = s[o + AdamScalar.OneMinusBeta1];
  const beta2 = s[o + AdamScalar.Beta2];
  const oneMinusBeta2 = s[o + AdamScalar.OneMinusBeta2];
  const eps = s[o + AdamScalar.Eps];
  const wd = s[o + AdamScalar.WeightDecay];
  const decayFactor = s[o + AdamScalar.DecoupledDecayFactor];

  const maximize = (flags & Flags.Maximize) !== 0;
  const l2 = (flags & Flags.L2WeightDecay) !== 0;
  const decoupled = (flags & Flags.DecoupledWeightDecay) !== 0;
  const amsgrad = (flags & Flags.Amsgrad) !== 0;
  for (let i = 0; i < value.length; i++) {
    let p = value[i];
    if (decoupled) p = f(p * decayFactor);
    let g = maximize ? -grad[i] : grad[i];
    if (l2) g = f(g + f(wd * p));
    const m = f(expAvg[i] + f(oneMinusBeta1 * f(g - expAvg[i])));
    const v = f(f(expAvgSq[i] * beta2) + f(f(oneMinusBeta2 * g) * g));
    expAvg[i] = m;
    expAvgSq[i] = v;
    let secondMoment = v;
    if (amsgrad) {
      secondMoment = Math.max(maxExpAvgSq[i], v);
      maxExpAvgSq[i] = secondMoment;
    }
    const denom = f(f(f(Math.sqrt(secondMoment)) * inverseBc2Sqrt) + eps);
    value[i] = f(p - f(f(stepSize * m) / denom));
  }
}

function adamax(flags: number, s: Float32Array, o: number, t: TensorArrays): void {
  const { value, grad } = t;
  const expAvg = t.state[0];
  const expInf = t.state[1];
  const clr = s[o + AdamaxScalar.ClippedLr];
  const oneMinusBeta1 = s[o + AdamaxScalar.OneMinusBeta1];
  const beta2 = s[o + AdamaxScalar.Beta2];
  const eps = s[o + AdamaxScalar.Eps];
  const wd = s[o + AdamaxScalar.WeightDecay];
  const maximize = (flags & Flags.Maximize) !== 0;
  const l2 = (flags & Flags.L2WeightDecay) !== 0;
  for (let i = 0; i < value.length; i++) {
    const p = value[i];
    let g = maximize ? -grad[i] : grad[i];
    if (l2) g = f(g + f(wd * p));
    const m = f(expAvg[i] + f(oneMinusBeta1 * f(g - expAvg[i])));
    const u = Math.max(f(expInf[i] * beta2), f(Math.abs(g) + eps));
    expAvg[i] = m;
    expInf[i] = u;
    value[i] = f(p - f(f(clr * m) / u));
  }
}

function nadam(flags: number, s: Float32Array, o: number, t: TensorArrays): void {
  const { value, grad } = t;
  const expAvg = t.state[0];
  const expAvgSq = t.state[1];
  const gradCoefficient = s[o + NadamScalar.GradCoefficient];
  const momentumCoefficient = s[o + NadamScalar.MomentumCoefficient];
  const biasCorrection2 = s[o + NadamScalar.BiasCorrection2];
  const eps = s[o + NadamScalar.Eps];
  const oneMinusBeta1 = s[o + NadamScalar.OneMinusBeta1];
  const beta2 = s[o + NadamScalar.Beta2];
  const oneMinusBeta2 = s[o + NadamScalar.OneMinusBeta2];
  const wdOrFactor = s[o + NadamScalar.WeightDecayOrFactor];
  const maximize = (flags & Flags.Maximize) !== 0;
  const l2 = (flags & Flags.L2WeightDecay) !== 0;
  const decoupled = (flags & Flags.DecoupledWeightDecay) !== 0;
  for (let i = 0; i < value.length; i++) {
    let p = value[i];
    if (decoupled) p = f(p * wdOrFactor);
    let g = maximize ? -grad[i] : grad[i];
    if (l2) g = f(g + f(wdOrFactor * p));
    const m = f(expAvg[i] + f(oneMinusBeta1 * f(g - expAvg[i])));
    const v = f(f(expAvgSq[i] * beta2) + f(f(oneMinusBeta2 * g) * g));
    expAvg[i] = m;
    expAvgSq[i] = v;
    const denom = f(f(Math.sqrt(f(v / biasCorrection2))) + eps);
    p = f(p - f(f(gradCoefficient * g) / denom));
    value[i] = f(p - f(f(momentumCoefficient * m) / denom));
  }
}

function radam(flags: number, s: Float32Array, o: number, t: TensorArrays): void {
  const { value, grad } = t;
  const expAvg = t.state[0];
  const expAvgSq = t.state[1];
  const biasCorrection1 = s[o + RadamScalar.BiasCorrection1];
  const stepLr = s[o + RadamScalar.StepLr];
  const biasCorrection2Sqrt = s[o + RadamScalar.BiasCorrection2Sqrt];
  const eps = s[o + RadamScalar.Eps];
  const oneMinusBeta1 = s[o + RadamScalar.OneMinusBeta1];
  const beta2 = s[o + RadamScalar.Beta2];
  const oneMinusBeta2 = s[o + RadamScalar.OneMinusBeta2];
  const wdOrFactor = s[o + RadamScalar.WeightDecayOrFactor];
  const maximize = (flags & Flags.Maximize) !== 0;
  const l2 = (flags & Flags.L2WeightDecay) !== 0;
  const decoupled = (flags & Flags.DecoupledWeightDecay) !== 0;
  const rectify = (flags & Flags.Rectify) !== 0;
  for (let i = 0; i < value.length; i++) {
    let p = value[i];
    if (decoupled) p = f(p * wdOrFactor);
    let g = maximize ? -grad[i] : grad[i];
    if (l2) g = f(g + f(wdOrFactor * p));
    const m = f(expAvg[i] + f(oneMinusBeta1 * f(g - expAvg[i])));
    const v = f(f(expAvgSq[i] * beta2) + f(f(oneMinusBeta2 * g) * g));
    expAvg[i] = m;
    expAvgSq[i] = v;
    const corrected = f(m / biasCorrection1);
    if (rectify) {
      const adaptive = f(biasCorrection2Sqrt / f(f(Math.sqrt(v)) + eps));
      value[i] = f(p - f(f(corrected * stepLr) * adaptive));
    } else {
      value[i] = f(p - f(corrected * stepLr));
    }
  }
}

function lion(flags: number, s: Float32Array, o: number, t: TensorArrays): void {
  const { value, grad } = t;
  const expAvg = t.state[0];
  const lr = s[o + LionScalar.Lr];
  const beta1 = s[o + LionScalar.Beta1];
  const oneMinusBeta1 = s[o + LionScalar.OneMinusBeta1];
  const beta2 = s[o + LionScalar.Beta2];
  const oneMinusBeta2 = s[o + LionScalar.OneMinusBeta2];
  const decayFactor = s[o + LionScalar.DecayFactor];
  const maximize = (flags & Flags.Maximize) !== 0;
  const decoupled = (flags & Flags.DecoupledWeightDecay) !== 0;
  for (let i = 0; i < value.length; i++) {
    let p = value[i];
    if (decoupled) p = f(p * decayFactor);
    const g = maximize ? -grad[i] : grad[i];
    const m = expAvg[i];
    const c = f(f(m * beta1) + f(oneMinusBeta1 * g));
    expAvg[i] = f(f(m * beta2) + f(oneMinusBeta2 * g));
    // torch.sign: ±1, with ±0 and NaN passing through.
    const sign = c > 0 ? 1 : c < 0 ? -1 : c;
    value[i] = f(p - f(lr * sign));
  }
}
