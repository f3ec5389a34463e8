//! The update rules, one per optimizer, each written once over [`Lane`], and the driver that runs a
//! rule over a tensor in one pass.
//!
//! Operation order follows `torch/optim/*.py` (`_single_tensor_*`) with every FMA that PyTorch's CPU
//! kernels use replaced by a separately rounded multiply and add: wasm simd128 has no deterministic
//! FMA, and the TypeScript backend (`packages/gradstep/src/js-kernels/rules.ts`, the twin of this file)
//! must be able to reproduce every bit.

use crate::abi::{AdadeltaScalar, AdagradScalar, AdamScalar, AdamaxScalar, LionScalar, NadamScalar, RadamScalar, RmspropScalar, SgdScalar};
use crate::lane::Lane;
use crate::{flags, TensorSlices, SCALARS};

/// A per-element update. `FLAGS` (the option bits, a const generic of each rule) are resolved at
/// compile time, so the loop over a tensor carries no per-element branches on options: the wasm
/// holds one specialised loop per option combination.
pub trait UpdateRule {
    /// Which of the three state slots this rule reads and writes.
    const USED_STATE: [bool; 3];
    /// Returns the new value; updates the used slots of `state` in place.
    fn update<L: Lane>(&self, value: L, grad: L, state: &mut [L; 3]) -> L;
}

/// Runs `rule` with lane type `L` over the largest multiple of `L::WIDTH` elements and with `f32` over
/// the remaining tail.
#[inline]
pub fn apply_lanes<L: Lane, R: UpdateRule>(rule: &R, tensor: TensorSlices<'_>) {
    let n = tensor.value.len();
    // Re-slicing to exactly n lets the compiler drop the bounds checks inside the loop.
    let value = &mut tensor.value[..n];
    let grad = &tensor.grad[..n];
    let [s0, s1, s2] = tensor.state;
    let mut state: [&mut [f32]; 3] = [
        if R::USED_STATE[0] { &mut s0[..n] } else { s0 },
        if R::USED_STATE[1] { &mut s1[..n] } else { s1 },
        if R::USED_STATE[2] { &mut s2[..n] } else { s2 },
    ];
    let mut i = 0;
    while i + L::WIDTH <= n {
        update_at::<L, R>(rule, value, grad, &mut state, i);
        i += L::WIDTH;
    }
    while i < n {
        update_at::<f32, R>(rule, value, grad, &mut state, i);
        i += 1;
    }
}

#[inline(always)]
fn update_at<L: Lane, R: UpdateRule>(rule: &R, value: &mut [f32], grad: &[f32], state: &mut [&mut [f32]; 3], i: usize) {
    let mut lanes = [L::splat(0.0); 3];
    for k in 0..3 {
        if R::USED_STATE[k] {
            lanes[k] = L::load(&state[k][i..]);
        }
    }
    let new_value = rule.update(L::load(&value[i..]), L::load(&grad[i..]), &mut lanes);
    new_value.store(&mut value[i..]);
    for k in 0..3 {
        if R::USED_STATE[k] {
            lanes[k].store(&mut state[k][i..]);
        }
    }
}

/// Runs `$body` with the const `$F` bound to `$flags` restricted to the listed bits: one
/// monomorphised copy of `$body` per combination of those bits.
macro_rules! with_const_flags {
    ($flags:expr, [$($bit:expr),*], $F:ident => $body:expr) => {
        with_const_flags!(@bits $flags, 0u32, [$($bit),*], $F => $body)
    };
    (@bits $flags:expr, $acc:expr, [], $F:ident => $body:expr) => {{
        const $F: u32 = $acc;
        $body
    }};
    (@bits $flags:expr, $acc:expr, [$bit:expr $(, $rest:expr)*], $F:ident => $body:expr) => {
        if $flags & $bit != 0 {
            with_const_flags!(@bits $flags, $acc | $bit, [$($rest),*], $F => $body)
        } else {
            with_const_flags!(@bits $flags, $acc, [$($rest),*], $F => $body)
        }
    };
}
pub(crate) use with_const_flags;

/// Whether `bit` is set in the flags `f` (a const in every rule, so each test folds away).
const fn has(f: u32, bit: u32) -> bool {
    f & bit != 0
}

/// The gradient after `maximize` and L2 weight decay, the prologue every PyTorch optimizer shares.
#[inline(always)]
fn effective_grad<L: Lane, const F: u32>(grad: L, value: L, weight_decay: f32) -> L {
    let g = if has(F, flags::MAXIMIZE) { -grad } else { grad };
    if has(F, flags::L2_WEIGHT_DECAY) {
        g + L::splat(weight_decay) * value
    } else {
        g
    }
}

/// SGD with optional momentum, dampening and Nesterov momentum (`torch.optim.SGD`).
///
/// Flags: MAXIMIZE, L2_WEIGHT_DECAY, MOMENTUM, NESTEROV, FIRST_STEP.
/// Scalars ([`SgdScalar`](crate::abi::SgdScalar)): `[lr, weight_decay, momentum, 1 - dampening]`. State: `[momentum_buffer]`.
/// ```text
/// g = -grad if maximize;  g = g + wd*p if L2
/// buf = g on the first step, else momentum*buf + (1-dampening)*g
/// g = g + momentum*buf if nesterov else buf
/// p = p - lr*g
/// ```
pub struct SgdRule<const F: u32> {
    lr: f32,
    weight_decay: f32,
    momentum: f32,
    one_minus_dampening: f32,
}

impl<const F: u32> SgdRule<F> {
    pub fn new(s: &[f32; SCALARS]) -> Self {
        use SgdScalar::*;
        SgdRule { lr: Lr.of(s), weight_decay: WeightDecay.of(s), momentum: Momentum.of(s), one_minus_dampening: OneMinusDampening.of(s) }
    }
}

pub const fn sgd_used_state(f: u32) -> [bool; 3] {
    [has(f, flags::MOMENTUM), false, false]
}

impl<const F: u32> UpdateRule for SgdRule<F> {
    const USED_STATE: [bool; 3] = sgd_used_state(F);
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let mut g = effective_grad::<L, F>(grad, p, self.weight_decay);
        if has(F, flags::MOMENTUM) {
            let momentum = L::splat(self.momentum);
            let buf = if has(F, flags::FIRST_STEP) { g } else { state[0] * momentum + L::splat(self.one_minus_dampening) * g };
            state[0] = buf;
            g = if has(F, flags::NESTEROV) { g + momentum * buf } else { buf };
        }
        p - L::splat(self.lr) * g
    }
}

/// Adagrad with Duchi's δ outside the square root (`torch.optim.Adagrad`).
///
/// Flags: MAXIMIZE, L2_WEIGHT_DECAY.
/// Scalars ([`AdagradScalar`](crate::abi::AdagradScalar)): `[lr / (1 + (t-1)*lr_decay), weight_decay, eps]`. State: `[sum]` (starts at
/// `initial_accumulator_value`).
/// ```text
/// sum = sum + g*g;  p = p - (clr*g) / (sqrt(sum) + eps)
/// ```
pub struct AdagradRule<const F: u32> {
    clr: f32,
    weight_decay: f32,
    eps: f32,
}

impl<const F: u32> AdagradRule<F> {
    pub fn new(s: &[f32; SCALARS]) -> Self {
        use AdagradScalar::*;
        AdagradRule { clr: ClippedLr.of(s), weight_decay: WeightDecay.of(s), eps: Eps.of(s) }
    }
}

pub const fn adagrad_used_state(_f: u32) -> [bool; 3] {
    [true, false, false]
}

impl<const F: u32> UpdateRule for AdagradRule<F> {
    const USED_STATE: [bool; 3] = adagrad_used_state(F);
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let g = effective_grad::<L, F>(grad, p, self.weight_decay);
        let sum = state[0] + g * g;
        state[0] = sum;
        p - (L::splat(self.clr) * g) / (sum.sqrt() + L::splat(self.eps))
    }
}

/// Adadelta, Zeiler's Algorithm 1 with PyTorch's extra learning rate (`torch.optim.Adadelta`).
///
/// Flags: MAXIMIZE, L2_WEIGHT_DECAY.
/// Scalars ([`AdadeltaScalar`](crate::abi::AdadeltaScalar)): `[lr, weight_decay, rho, 1 - rho, eps]`. State: `[square_avg, acc_delta]`.
/// ```text
/// v = rho*v + ((1-rho)*g)*g
/// delta = sqrt(u + eps) / sqrt(v + eps) * g          (new v, old u)
/// u = rho*u + ((1-rho)*delta)*delta
/// p = p - lr*delta
/// ```
pub struct AdadeltaRule<const F: u32> {
    lr: f32,
    weight_decay: f32,
    rho: f32,
    one_minus_rho: f32,
    eps: f32,
}

impl<const F: u32> AdadeltaRule<F> {
    pub fn new(s: &[f32; SCALARS]) -> Self {
        use AdadeltaScalar::*;
        AdadeltaRule { lr: Lr.of(s), weight_decay: WeightDecay.of(s), rho: Rho.of(s), one_minus_rho: OneMinusRho.of(s), eps: Eps.of(s) }
    }
}

pub const fn adadelta_used_state(_f: u32) -> [bool; 3] {
    [true, true, false]
}

impl<const F: u32> UpdateRule for AdadeltaRule<F> {
    const USED_STATE: [bool; 3] = adadelta_used_state(F);
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let g = effective_grad::<L, F>(grad, p, self.weight_decay);
        let (rho, one_minus_rho, eps) = (L::splat(self.rho), L::splat(self.one_minus_rho), L::splat(self.eps));
        let square_avg = state[0] * rho + (one_minus_rho * g) * g;
        let delta = (state[1] + eps).sqrt() / (square_avg + eps).sqrt() * g;
        state[0] = square_avg;
        state[1] = state[1] * rho + (one_minus_rho * delta) * delta;
        p - L::splat(self.lr) * delta
    }
}

/// RMSprop with ε outside the square root, optional centering and momentum (`torch.optim.RMSprop`).
///
/// Flags: MAXIMIZE, L2_WEIGHT_DECAY, CENTERED, MOMENTUM.
/// Scalars ([`RmspropScalar`](crate::abi::RmspropScalar)): `[lr, weight_decay, alpha, 1 - alpha, eps, momentum]`.
/// State: `[square_avg, grad_avg (centered), momentum_buffer (momentum > 0)]`.
/// ```text
/// v = alpha*v + ((1-alpha)*g)*g
/// centered: ga = ga + (1-alpha)*(g - ga);  avg = sqrt(max(v - ga*ga, 0)) + eps
/// else:     avg = sqrt(v) + eps
/// momentum: buf = momentum*buf + g/avg;  p = p - lr*buf
/// else:     p = p - (lr*g)/avg
/// ```
/// The clamp at 0 is gradstep's: PyTorch takes `sqrt(v - ga²)` as is, which rounding can make the
/// square root of a tiny negative number (NaN). Where PyTorch's value is not NaN, both agree.
pub struct RmspropRule<const F: u32> {
    lr: f32,
    weight_decay: f32,
    alpha: f32,
    one_minus_alpha: f32,
    eps: f32,
    momentum: f32,
}

impl<const F: u32> RmspropRule<F> {
    pub fn new(s: &[f32; SCALARS]) -> Self {
        use RmspropScalar::*;
        RmspropRule {
            lr: Lr.of(s),
            weight_decay: WeightDecay.of(s),
            alpha: Alpha.of(s),
            one_minus_alpha: OneMinusAlpha.of(s),
            eps: Eps.of(s),
            momentum: Momentum.of(s),
        }
    }
}

pub const fn rmsprop_used_state(f: u32) -> [bool; 3] {
    [true, has(f, flags::CENTERED), has(f, flags::MOMENTUM)]
}

impl<const F: u32> UpdateRule for RmspropRule<F> {
    const USED_STATE: [bool; 3] = rmsprop_used_state(F);
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let g = effective_grad::<L, F>(grad, p, self.weight_decay);
        let one_minus_alpha = L::splat(self.one_minus_alpha);
        let square_avg = state[0] * L::splat(self.alpha) + (one_minus_alpha * g) * g;
        state[0] = square_avg;
        let avg = if has(F, flags::CENTERED) {
            let grad_avg = state[1] + one_minus_alpha * (g - state[1]);
            state[1] = grad_avg;
            (square_avg - grad_avg * grad_avg).zero_if_negative().sqrt() + L::splat(self.eps)
        } else {
            square_avg.sqrt() + L::splat(self.eps)
        };
        if has(F, flags::MOMENTUM) {
            let buf = state[2] * L::splat(self.momentum) + g / avg;
            state[2] = buf;
            p - L::splat(self.lr) * buf
        } else {
            p - (L::splat(self.lr) * g) / avg
        }
    }
}

/// Adam's moment updates, shared by Adam, NAdam and RAdam: `m = m + (1-β1)*(g - m)` (PyTorch's lerp)
/// and `v = β2*v + ((1-β2)*g)*g`, written to state slots 0 and 1 and returned.
#[inline(always)]
fn update_moments<L: Lane>(state: &mut [L; 3], g: L, one_minus_beta1: f32, beta2: f32, one_minus_beta2: f32) -> (L, L) {
    let exp_avg = state[0] + L::splat(one_minus_beta1) * (g - state[0]);
    let exp_avg_sq = state[1] * L::splat(beta2) + (L::splat(one_minus_beta2) * g) * g;
    state[0] = exp_avg;
    state[1] = exp_avg_sq;
    (exp_avg, exp_avg_sq)
}

/// Adam and AdamW, optionally AMSGrad (`torch.optim.Adam`, `torch.optim.AdamW`), and Keras's ε̂ form.
///
/// Flags: MAXIMIZE, L2_WEIGHT_DECAY, DECOUPLED_WEIGHT_DECAY, AMSGRAD.
/// Scalars ([`AdamScalar`](crate::abi::AdamScalar)): `[lr/(1-β1^t), 1/sqrt(1-β2^t), 1-β1, β2, 1-β2, eps, weight_decay, 1 - lr*weight_decay]`.
/// State: `[exp_avg, exp_avg_sq, max_exp_avg_sq (amsgrad)]`.
/// ```text
/// p = p*(1 - lr*wd) if decoupled
/// m = m + (1-β1)*(g - m)
/// v = β2*v + ((1-β2)*g)*g
/// vmax = maximum(vmax, v) if amsgrad (of the raw v, as PyTorch and Keras)
/// p = p - (step_size*m) / (sqrt(v or vmax)*(1/sqrt(1-β2^t)) + eps)
/// ```
/// PyTorch divides by sqrt(1-β2^t); multiplying by its reciprocal (within 1 ulp of that) spares
/// one of the two vector divisions, which bound the kernel's speed.
/// The ε̂ form (Kingma & Ba §2, Keras) is this kernel with the reciprocal passed as 1 and
/// `step_size = lr*sqrt(1-β2^t)/(1-β1^t)`: multiplying by 1 is exact.
pub struct AdamRule<const F: u32> {
    step_size: f32,
    inverse_bias_correction2_sqrt: f32,
    one_minus_beta1: f32,
    beta2: f32,
    one_minus_beta2: f32,
    eps: f32,
    weight_decay: f32,
    decoupled_decay_factor: f32,
}

impl<const F: u32> AdamRule<F> {
    pub fn new(s: &[f32; SCALARS]) -> Self {
        use AdamScalar::*;
        AdamRule {
            step_size: StepSize.of(s),
            inverse_bias_correction2_sqrt: InverseBiasCorrection2Sqrt.of(s),
            one_minus_beta1: OneMinusBeta1.of(s),
            beta2: Beta2.of(s),
            one_minus_beta2: OneMinusBeta2.of(s),
            eps: Eps.of(s),
            weight_decay: WeightDecay.of(s),
            decoupled_decay_factor: DecoupledDecayFactor.of(s),
        }
    }
}

pub const fn adam_used_state(f: u32) -> [bool; 3] {
    [true, true, has(f, flags::AMSGRAD)]
}

impl<const F: u32> UpdateRule for AdamRule<F> {
    const USED_STATE: [bool; 3] = adam_used_state(F);
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let p = if has(F, flags::DECOUPLED_WEIGHT_DECAY) { p * L::splat(self.decoupled_decay_factor) } else { p };
        let g = effective_grad::<L, F>(grad, p, self.weight_decay);
        let (exp_avg, exp_avg_sq) = update_moments(state, g, self.one_minus_beta1, self.beta2, self.one_minus_beta2);
        let second_moment = if has(F, flags::AMSGRAD) {
            state[2] = state[2].maximum(exp_avg_sq);
            state[2]
        } else {
            exp_avg_sq
        };
        let denom = second_moment.sqrt() * L::splat(self.inverse_bias_correction2_sqrt) + L::splat(self.eps);
        p - (L::splat(self.step_size) * exp_avg) / denom
    }
}

/// The decoupled decay `p·(1 − lr·wd)` when the flag is set (AdamW, NAdam/RAdam with
/// decoupled_weight_decay, Lion).
#[inline(always)]
fn decoupled_decay<L: Lane, const F: u32>(p: L, factor: f32) -> L {
    if has(F, flags::DECOUPLED_WEIGHT_DECAY) {
        p * L::splat(factor)
    } else {
        p
    }
}

/// Adamax, Adam with the infinity norm (`torch.optim.Adamax`).
///
/// Flags: MAXIMIZE, L2_WEIGHT_DECAY.
/// Scalars ([`AdamaxScalar`](crate::abi::AdamaxScalar)): `[lr/(1-β1^t), 1-β1, β2, eps, weight_decay]`. State: `[exp_avg, exp_inf]`.
/// ```text
/// m = m + (1-β1)*(g - m);  u = maximum(β2*u, |g| + eps);  p = p - (clr*m)/u
/// ```
pub struct AdamaxRule<const F: u32> {
    clr: f32,
    one_minus_beta1: f32,
    beta2: f32,
    eps: f32,
    weight_decay: f32,
}

impl<const F: u32> AdamaxRule<F> {
    pub fn new(s: &[f32; SCALARS]) -> Self {
        use AdamaxScalar::*;
        AdamaxRule {
            clr: ClippedLr.of(s),
            one_minus_beta1: OneMinusBeta1.of(s),
            beta2: Beta2.of(s),
            eps: Eps.of(s),
            weight_decay: WeightDecay.of(s),
        }
    }
}

impl<const F: u32> UpdateRule for AdamaxRule<F> {
    const USED_STATE: [bool; 3] = [true, true, false];
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let g = effective_grad::<L, F>(grad, p, self.weight_decay);
        let exp_avg = state[0] + L::splat(self.one_minus_beta1) * (g - state[0]);
        let exp_inf = (state[1] * L::splat(self.beta2)).maximum(g.abs() + L::splat(self.eps));
        state[0] = exp_avg;
        state[1] = exp_inf;
        p - (L::splat(self.clr) * exp_avg) / exp_inf
    }
}

/// NAdam, Adam with Nesterov momentum and Dozat's momentum schedule (`torch.optim.NAdam`).
///
/// Flags: MAXIMIZE, L2_WEIGHT_DECAY, DECOUPLED_WEIGHT_DECAY.
/// Scalars ([`NadamScalar`](crate::abi::NadamScalar)): `[lr(1-μ_t)/(1-Πμ), lr·μ_{t+1}/(1-Πμ·μ_{t+1}), 1-β2^t, eps, 1-β1, β2, 1-β2, wd or 1-lr·wd]`.
/// State: `[exp_avg, exp_avg_sq]`.
/// ```text
/// m = m + (1-β1)*(g - m);  v = β2*v + ((1-β2)*g)*g;  denom = sqrt(v / (1-β2^t)) + eps
/// p = p - (c1*g)/denom;  p = p - (c2*m)/denom
/// ```
pub struct NadamRule<const F: u32> {
    grad_coefficient: f32,
    momentum_coefficient: f32,
    bias_correction2: f32,
    eps: f32,
    one_minus_beta1: f32,
    beta2: f32,
    one_minus_beta2: f32,
    weight_decay_or_factor: f32,
}

impl<const F: u32> NadamRule<F> {
    pub fn new(s: &[f32; SCALARS]) -> Self {
        use NadamScalar::*;
        NadamRule {
            grad_coefficient: GradCoefficient.of(s),
            momentum_coefficient: MomentumCoefficient.of(s),
            bias_correction2: BiasCorrection2.of(s),
            eps: Eps.of(s),
            one_minus_beta1: OneMinusBeta1.of(s),
            beta2: Beta2.of(s),
            one_minus_beta2: OneMinusBeta2.of(s),
            weight_decay_or_factor: WeightDecayOrFactor.of(s),
        }
    }
}

impl<const F: u32> UpdateRule for NadamRule<F> {
    const USED_STATE: [bool; 3] = [true, true, false];
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let p = decoupled_decay::<L, F>(p, self.weight_decay_or_factor);
        let g = effective_grad::<L, F>(grad, p, self.weight_decay_or_factor);
        let (exp_avg, exp_avg_sq) = update_moments(state, g, self.one_minus_beta1, self.beta2, self.one_minus_beta2);
        let denom = (exp_avg_sq / L::splat(self.bias_correction2)).sqrt() + L::splat(self.eps);
        let p = p - (L::splat(self.grad_coefficient) * g) / denom;
        p - (L::splat(self.momentum_coefficient) * exp_avg) / denom
    }
}

/// RAdam, Adam with the variance of the adaptive rate rectified (`torch.optim.RAdam`).
///
/// Flags: MAXIMIZE, L2_WEIGHT_DECAY, DECOUPLED_WEIGHT_DECAY, RECTIFY (ρ_t > 5 this step).
/// Scalars ([`RadamScalar`](crate::abi::RadamScalar)): `[1-β1^t, lr (× r_t when rectified), sqrt(1-β2^t), eps, 1-β1, β2, 1-β2, wd or 1-lr·wd]`.
/// State: `[exp_avg, exp_avg_sq]`.
/// ```text
/// m = m + (1-β1)*(g - m);  v = β2*v + ((1-β2)*g)*g;  m̂ = m / (1-β1^t)
/// rectified: p = p - (m̂*(lr·r_t)) * (sqrt(1-β2^t) / (sqrt(v) + eps))
/// else:      p = p - m̂*lr
/// ```
/// PyTorch multiplies `m̂·lr·adaptive·r_t` left to right; folding r_t into lr differs by an ulp.
pub struct RadamRule<const F: u32> {
    bias_correction1: f32,
    step_lr: f32,
    bias_correction2_sqrt: f32,
    eps: f32,
    one_minus_beta1: f32,
    beta2: f32,
    one_minus_beta2: f32,
    weight_decay_or_factor: f32,
}

impl<const F: u32> RadamRule<F> {
    pub fn new(s: &[f32; SCALARS]) -> Self {
        use RadamScalar::*;
        RadamRule {
            bias_correction1: BiasCorrection1.of(s),
            step_lr: StepLr.of(s),
            bias_correction2_sqrt: BiasCorrection2Sqrt.of(s),
            eps: Eps.of(s),
            one_minus_beta1: OneMinusBeta1.of(s),
            beta2: Beta2.of(s),
            one_minus_beta2: OneMinusBeta2.of(s),
            weight_decay_or_factor: WeightDecayOrFactor.of(s),
        }
    }
}

impl<const F: u32> UpdateRule for RadamRule<F> {
    const USED_STATE: [bool; 3] = [true, true, false];
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let p = decoupled_decay::<L, F>(p, self.weight_decay_or_factor);
        let g = effective_grad::<L, F>(grad, p, self.weight_decay_or_factor);
        let (exp_avg, exp_avg_sq) = update_moments(state, g, self.one_minus_beta1, self.beta2, self.one_minus_beta2);
        let corrected = exp_avg / L::splat(self.bias_correction1);
        if has(F, flags::RECTIFY) {
            let adaptive = L::splat(self.bias_correction2_sqrt) / (exp_avg_sq.sqrt() + L::splat(self.eps));
            p - (corrected * L::splat(self.step_lr)) * adaptive
        } else {
            p - corrected * L::splat(self.step_lr)
        }
    }
}

/// Lion (Chen et al. 2023, arXiv:2302.06675), as its reference implementation (google/automl
/// `lion_pytorch.py`): the sign of an interpolated momentum.
///
/// Flags: MAXIMIZE, DECOUPLED_WEIGHT_DECAY.
/// Scalars ([`LionScalar`](crate::abi::LionScalar)): `[lr, β1, 1-β1, β2, 1-β2, 1-lr·wd]`. State: `[exp_avg]`.
/// ```text
/// p = p*(1 - lr*wd);  c = β1*m + (1-β1)*g;  p = p - lr*sign(c);  m = β2*m + (1-β2)*g
/// ```
pub struct LionRule<const F: u32> {
    lr: f32,
    beta1: f32,
    one_minus_beta1: f32,
    beta2: f32,
    one_minus_beta2: f32,
    decay_factor: f32,
}

impl<const F: u32> LionRule<F> {
    pub fn new(s: &[f32; SCALARS]) -> Self {
        use LionScalar::*;
        LionRule {
            lr: Lr.of(s),
            beta1: Beta1.of(s),
            one_minus_beta1: OneMinusBeta1.of(s),
            beta2: Beta2.of(s),
            one_minus_beta2: OneMinusBeta2.of(s),
            decay_factor: DecayFactor.of(s),
        }
    }
}

impl<const F: u32> UpdateRule for LionRule<F> {
    const USED_STATE: [bool; 3] = [true, false, false];
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let p = decoupled_decay::<L, F>(p, self.decay_factor);
        let g = if has(F, flags::MAXIMIZE) { -grad } else { grad };
        let interpolated = state[0] * L::splat(self.beta1) + L::splat(self.one_minus_beta1) * g;
        state[0] = state[0] * L::splat(self.beta2) + L::splat(self.one_minus_beta2) * g;
        p - L::splat(self.lr) * interpolated.sign()
    }
}
