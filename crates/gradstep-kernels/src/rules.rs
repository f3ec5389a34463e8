//! The update rules, one per optimizer, each written once over [`Lane`], and the driver that runs a
//! rule over a tensor in one pass.
//!
//! Operation order follows `torch/optim/*.py` (`_single_tensor_*`) with every FMA that PyTorch's CPU
//! kernels use replaced by a separately rounded multiply and add: wasm simd128 has no deterministic
//! FMA, and the TypeScript backend must be able to reproduce every bit.

use crate::lane::Lane;
use crate::{flags, TensorSlices, SCALARS};

/// A per-element update. `state[k]` is only meaningful where `used_state()[k]` is true.
pub trait UpdateRule {
    /// Number of state slots this kernel may use (its slots are `state[0..STATE_BUFFERS]`).
    const STATE_BUFFERS: usize;
    /// Which of the three state slots this configuration reads and writes.
    fn used_state(&self) -> [bool; 3];
    /// Returns the new value; updates `state` in place.
    fn update<L: Lane>(&self, value: L, grad: L, state: &mut [L; 3]) -> L;
}

/// Runs `rule` over every element of `tensor`: the `f32x4` body on wasm32 with simd128, scalar
/// elsewhere. Lengths must have been checked by the caller.
#[inline]
pub fn apply<R: UpdateRule>(rule: &R, tensor: TensorSlices<'_>) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    apply_lanes::<crate::simd128::F32x4, R>(rule, tensor);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    apply_lanes::<f32, R>(rule, tensor);
}

/// Runs `rule` with lane type `L` over the largest multiple of `L::WIDTH` elements and with `f32` over
/// the remaining tail.
#[inline]
pub fn apply_lanes<L: Lane, R: UpdateRule>(rule: &R, mut tensor: TensorSlices<'_>) {
    let n = tensor.value.len();
    let body = n - n % L::WIDTH;
    let used = rule.used_state();
    let mut i = 0;
    while i < body {
        update_at::<L, R>(rule, &used, &mut tensor, i);
        i += L::WIDTH;
    }
    while i < n {
        update_at::<f32, R>(rule, &used, &mut tensor, i);
        i += 1;
    }
}

#[inline(always)]
fn update_at<L: Lane, R: UpdateRule>(rule: &R, used: &[bool; 3], tensor: &mut TensorSlices<'_>, i: usize) {
    let mut state = [L::splat(0.0); 3];
    for k in 0..R::STATE_BUFFERS {
        if used[k] {
            state[k] = L::load(&tensor.state[k][i..]);
        }
    }
    let value = rule.update(L::load(&tensor.value[i..]), L::load(&tensor.grad[i..]), &mut state);
    value.store(&mut tensor.value[i..]);
    for k in 0..R::STATE_BUFFERS {
        if used[k] {
            state[k].store(&mut tensor.state[k][i..]);
        }
    }
}

#[inline(always)]
fn has(flags: u32, flag: u32) -> bool {
    flags & flag != 0
}

/// The gradient after `maximize` and L2 weight decay, the prologue every PyTorch optimizer shares.
#[inline(always)]
fn effective_grad<L: Lane>(grad: L, value: L, maximize: bool, l2_weight_decay: Option<f32>) -> L {
    let g = if maximize { -grad } else { grad };
    match l2_weight_decay {
        Some(wd) => g + L::splat(wd) * value,
        None => g,
    }
}

/// SGD with optional momentum, dampening and Nesterov momentum (`torch.optim.SGD`).
///
/// Scalars: `[lr, weight_decay, momentum, 1 - dampening]`. State: `[momentum_buffer]`.
/// ```text
/// g = -grad if maximize;  g = g + wd*p if L2
/// buf = g on the first step, else momentum*buf + (1-dampening)*g
/// g = g + momentum*buf if nesterov else buf
/// p = p - lr*g
/// ```
pub struct SgdRule {
    lr: f32,
    l2_weight_decay: Option<f32>,
    momentum: Option<f32>,
    one_minus_dampening: f32,
    maximize: bool,
    nesterov: bool,
    first_step: bool,
}

impl SgdRule {
    pub fn new(f: u32, s: &[f32; SCALARS]) -> Self {
        SgdRule {
            lr: s[0],
            l2_weight_decay: has(f, flags::L2_WEIGHT_DECAY).then_some(s[1]),
            momentum: has(f, flags::MOMENTUM).then_some(s[2]),
            one_minus_dampening: s[3],
            maximize: has(f, flags::MAXIMIZE),
            nesterov: has(f, flags::NESTEROV),
            first_step: has(f, flags::FIRST_STEP),
        }
    }
}

impl UpdateRule for SgdRule {
    const STATE_BUFFERS: usize = 1;
    fn used_state(&self) -> [bool; 3] {
        [self.momentum.is_some(), false, false]
    }
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let mut g = effective_grad(grad, p, self.maximize, self.l2_weight_decay);
        if let Some(momentum) = self.momentum {
            let momentum = L::splat(momentum);
            let buf = if self.first_step {
                g
            } else {
                state[0] * momentum + L::splat(self.one_minus_dampening) * g
            };
            state[0] = buf;
            g = if self.nesterov { g + momentum * buf } else { buf };
        }
        p - L::splat(self.lr) * g
    }
}

/// Adagrad with Duchi's δ outside the square root (`torch.optim.Adagrad`).
///
/// Scalars: `[lr / (1 + (t-1)*lr_decay), weight_decay, eps]`. State: `[sum]` (starts at
/// `initial_accumulator_value`).
/// ```text
/// sum = sum + g*g;  p = p - (clr*g) / (sqrt(sum) + eps)
/// ```
pub struct AdagradRule {
    clr: f32,
    l2_weight_decay: Option<f32>,
    eps: f32,
    maximize: bool,
}

impl AdagradRule {
    pub fn new(f: u32, s: &[f32; SCALARS]) -> Self {
        AdagradRule {
            clr: s[0],
            l2_weight_decay: has(f, flags::L2_WEIGHT_DECAY).then_some(s[1]),
            eps: s[2],
            maximize: has(f, flags::MAXIMIZE),
        }
    }
}

impl UpdateRule for AdagradRule {
    const STATE_BUFFERS: usize = 1;
    fn used_state(&self) -> [bool; 3] {
        [true, false, false]
    }
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let g = effective_grad(grad, p, self.maximize, self.l2_weight_decay);
        let sum = state[0] + g * g;
        state[0] = sum;
        p - (L::splat(self.clr) * g) / (sum.sqrt() + L::splat(self.eps))
    }
}

/// Adadelta, Zeiler's Algorithm 1 with PyTorch's extra learning rate (`torch.optim.Adadelta`).
///
/// Scalars: `[lr, weight_decay, rho, 1 - rho, eps]`. State: `[square_avg, acc_delta]`.
/// ```text
/// v = rho*v + ((1-rho)*g)*g
/// delta = sqrt(u + eps) / sqrt(v + eps) * g          (new v, old u)
/// u = rho*u + ((1-rho)*delta)*delta
/// p = p - lr*delta
/// ```
pub struct AdadeltaRule {
    lr: f32,
    l2_weight_decay: Option<f32>,
    rho: f32,
    one_minus_rho: f32,
    eps: f32,
    maximize: bool,
}

impl AdadeltaRule {
    pub fn new(f: u32, s: &[f32; SCALARS]) -> Self {
        AdadeltaRule {
            lr: s[0],
            l2_weight_decay: has(f, flags::L2_WEIGHT_DECAY).then_some(s[1]),
            rho: s[2],
            one_minus_rho: s[3],
            eps: s[4],
            maximize: has(f, flags::MAXIMIZE),
        }
    }
}

impl UpdateRule for AdadeltaRule {
    const STATE_BUFFERS: usize = 2;
    fn used_state(&self) -> [bool; 3] {
        [true, true, false]
    }
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let g = effective_grad(grad, p, self.maximize, self.l2_weight_decay);
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
/// Scalars: `[lr, weight_decay, alpha, 1 - alpha, eps, momentum]`.
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
pub struct RmspropRule {
    lr: f32,
    l2_weight_decay: Option<f32>,
    alpha: f32,
    one_minus_alpha: f32,
    eps: f32,
    momentum: Option<f32>,
    centered: bool,
    maximize: bool,
}

impl RmspropRule {
    pub fn new(f: u32, s: &[f32; SCALARS]) -> Self {
        RmspropRule {
            lr: s[0],
            l2_weight_decay: has(f, flags::L2_WEIGHT_DECAY).then_some(s[1]),
            alpha: s[2],
            one_minus_alpha: s[3],
            eps: s[4],
            momentum: has(f, flags::MOMENTUM).then_some(s[5]),
            centered: has(f, flags::CENTERED),
            maximize: has(f, flags::MAXIMIZE),
        }
    }
}

impl UpdateRule for RmspropRule {
    const STATE_BUFFERS: usize = 3;
    fn used_state(&self) -> [bool; 3] {
        [true, self.centered, self.momentum.is_some()]
    }
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let g = effective_grad(grad, p, self.maximize, self.l2_weight_decay);
        let one_minus_alpha = L::splat(self.one_minus_alpha);
        let square_avg = state[0] * L::splat(self.alpha) + (one_minus_alpha * g) * g;
        state[0] = square_avg;
        let avg = if self.centered {
            let grad_avg = state[1] + one_minus_alpha * (g - state[1]);
            state[1] = grad_avg;
            (square_avg - grad_avg * grad_avg).zero_if_negative().sqrt() + L::splat(self.eps)
        } else {
            square_avg.sqrt() + L::splat(self.eps)
        };
        match self.momentum {
            Some(momentum) => {
                let buf = state[2] * L::splat(momentum) + g / avg;
                state[2] = buf;
                p - L::splat(self.lr) * buf
            }
            None => p - (L::splat(self.lr) * g) / avg,
        }
    }
}

/// Adam and AdamW, optionally AMSGrad (`torch.optim.Adam`, `torch.optim.AdamW`), and Keras's ε̂ form.
///
/// Scalars: `[lr/(1-β1^t), sqrt(1-β2^t), 1-β1, β2, 1-β2, eps, weight_decay, 1 - lr*weight_decay]`.
/// State: `[exp_avg, exp_avg_sq, max_exp_avg_sq (amsgrad)]`.
/// ```text
/// p = p*(1 - lr*wd) if decoupled
/// m = m + (1-β1)*(g - m)
/// v = β2*v + ((1-β2)*g)*g
/// vmax = maximum(vmax, v) if amsgrad (of the raw v, as PyTorch and Keras)
/// p = p - (step_size*m) / (sqrt(v or vmax)/sqrt(1-β2^t) + eps)
/// ```
/// The ε̂ form (Kingma & Ba §2, Keras) is this kernel with `sqrt(1-β2^t)` passed as 1 and
/// `step_size = lr*sqrt(1-β2^t)/(1-β1^t)`: dividing by 1 is exact.
pub struct AdamRule {
    step_size: f32,
    bias_correction2_sqrt: f32,
    one_minus_beta1: f32,
    beta2: f32,
    one_minus_beta2: f32,
    eps: f32,
    l2_weight_decay: Option<f32>,
    decoupled_decay_factor: Option<f32>,
    amsgrad: bool,
    maximize: bool,
}

impl AdamRule {
    pub fn new(f: u32, s: &[f32; SCALARS]) -> Self {
        AdamRule {
            step_size: s[0],
            bias_correction2_sqrt: s[1],
            one_minus_beta1: s[2],
            beta2: s[3],
            one_minus_beta2: s[4],
            eps: s[5],
            l2_weight_decay: has(f, flags::L2_WEIGHT_DECAY).then_some(s[6]),
            decoupled_decay_factor: has(f, flags::DECOUPLED_WEIGHT_DECAY).then_some(s[7]),
            amsgrad: has(f, flags::AMSGRAD),
            maximize: has(f, flags::MAXIMIZE),
        }
    }
}

impl UpdateRule for AdamRule {
    const STATE_BUFFERS: usize = 3;
    fn used_state(&self) -> [bool; 3] {
        [true, true, self.amsgrad]
    }
    #[inline(always)]
    fn update<L: Lane>(&self, p: L, grad: L, state: &mut [L; 3]) -> L {
        let p = match self.decoupled_decay_factor {
            Some(factor) => p * L::splat(factor),
            None => p,
        };
        let g = effective_grad(grad, p, self.maximize, self.l2_weight_decay);
        let exp_avg = state[0] + L::splat(self.one_minus_beta1) * (g - state[0]);
        let exp_avg_sq = state[1] * L::splat(self.beta2) + (L::splat(self.one_minus_beta2) * g) * g;
        state[0] = exp_avg;
        state[1] = exp_avg_sq;
        let second_moment = if self.amsgrad {
            state[2] = state[2].maximum(exp_avg_sq);
            state[2]
        } else {
            exp_avg_sq
        };
        let denom = second_moment.sqrt() / L::splat(self.bias_correction2_sqrt) + L::splat(self.eps);
        p - (L::splat(self.step_size) * exp_avg) / denom
    }
}
