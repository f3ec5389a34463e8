//! Fused float32 optimizer updates with PyTorch's semantics (torch.optim 2.13, single-tensor path).
//!
//! Every kernel makes one pass over memory: each element of the value, the gradient and the state
//! buffers is read once and written once. Each update rule is written once, generically over
//! [`Lane`], and runs as `f32x4` SIMD on wasm32 with `simd128` and as plain `f32` for the tail and
//! everywhere else. The operation order is fixed and there is no fused multiply-add, so the SIMD body,
//! the scalar tail and gradstep's TypeScript backend (which rounds every operation with
//! `Math.fround`) produce the same bits.
//!
//! Per-step scalars (bias corrections, decayed learning rates) are computed once per step by the
//! caller in float64 and passed here rounded to float32, as PyTorch casts its Python-float coefficients.
//!
//! `unsafe` is denied everywhere but in the `simd128` module (the vector loads and stores), where
//! every block carries a SAFETY comment.

#![deny(unsafe_code, unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

pub mod abi;
pub mod dense;
pub mod lane;
pub mod reductions;
pub mod rules;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[allow(unsafe_code)]
mod simd128;
pub mod softmax;

use rules::with_const_flags;
pub use rules::{AdadeltaRule, AdagradRule, AdamRule, AdamaxRule, LionRule, NadamRule, RadamRule, RmspropRule, SgdRule, UpdateRule};

/// Which optimizer a [`step_tensor`] call runs. The discriminants are part of the wasm ABI ([`abi`]),
/// which `packages/gradstep/src/kernels.ts` mirrors and checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Kernel {
    Sgd = 0,
    Adagrad = 1,
    Adadelta = 2,
    Rmsprop = 3,
    Adam = 4,
    Adamax = 5,
    Nadam = 6,
    Radam = 7,
    Lion = 8,
}

impl Kernel {
    pub fn from_id(id: u32) -> Option<Kernel> {
        Some(match id {
            0 => Kernel::Sgd,
            1 => Kernel::Adagrad,
            2 => Kernel::Adadelta,
            3 => Kernel::Rmsprop,
            4 => Kernel::Adam,
            5 => Kernel::Adamax,
            6 => Kernel::Nadam,
            7 => Kernel::Radam,
            8 => Kernel::Lion,
            _ => return None,
        })
    }

    /// Which of the three state slots (each as long as the value) this kernel uses with `flags`.
    pub fn used_state(self, flags: u32) -> [bool; 3] {
        match self {
            Kernel::Sgd => rules::sgd_used_state(flags),
            Kernel::Adagrad => rules::adagrad_used_state(flags),
            Kernel::Adadelta => rules::adadelta_used_state(flags),
            Kernel::Rmsprop => rules::rmsprop_used_state(flags),
            Kernel::Adam => rules::adam_used_state(flags),
            Kernel::Adamax | Kernel::Nadam | Kernel::Radam => [true, true, false],
            Kernel::Lion => [true, false, false],
        }
    }
}

/// Option bits shared by every kernel (each kernel reads the ones that apply to it). Named in
/// [`abi::FLAGS`], which `packages/gradstep/src/kernels.ts` mirrors and checks.
pub mod flags {
    /// Ascend instead of descend: the gradient is negated first.
    pub const MAXIMIZE: u32 = 1 << 0;
    /// L2 weight decay: `g += weight_decay * p` before anything else.
    pub const L2_WEIGHT_DECAY: u32 = 1 << 1;
    /// Decoupled weight decay (AdamW): `p *= 1 - lr * weight_decay` before the update.
    pub const DECOUPLED_WEIGHT_DECAY: u32 = 1 << 2;
    /// SGD and RMSprop keep a momentum buffer.
    pub const MOMENTUM: u32 = 1 << 3;
    /// SGD: Nesterov momentum.
    pub const NESTEROV: u32 = 1 << 4;
    /// RMSprop: centered (divides by an estimate of the variance).
    pub const CENTERED: u32 = 1 << 5;
    /// Adam: AMSGrad (maximum of the raw second moments).
    pub const AMSGRAD: u32 = 1 << 6;
    /// SGD: the momentum buffer does not exist yet and is set to the gradient (PyTorch's first step).
    pub const FIRST_STEP: u32 = 1 << 7;
    /// RAdam: the variance of the adaptive rate is tractable (ρ_t > 5): apply the rectified step.
    pub const RECTIFY: u32 = 1 << 8;
}

/// Number of float32 scalars a step receives; unused trailing entries are ignored.
pub const SCALARS: usize = 8;

/// One tensor's memory for one step: the value updated in place, its gradient, and the kernel's state
/// buffers (those [`Kernel::used_state`] names must have the value's length; the others may be empty).
pub struct TensorSlices<'a> {
    pub value: &'a mut [f32],
    pub grad: &'a [f32],
    pub state: [&'a mut [f32]; 3],
}

/// Error of a [`step_tensor`] call whose arguments do not describe a valid step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepError {
    UnknownKernel = 1,
    LengthMismatch = 2,
}

/// Applies one update of `kernel` (with `flags` and `scalars`, laid out as documented on each rule) to
/// one tensor: the `f32x4` body on wasm32 with simd128, scalar elsewhere.
pub fn step_tensor(kernel: u32, flags: u32, scalars: &[f32; SCALARS], tensor: TensorSlices<'_>) -> Result<(), StepError> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    return step_tensor_lanes::<simd128::F32x4>(kernel, flags, scalars, tensor);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    return step_tensor_lanes::<f32>(kernel, flags, scalars, tensor);
}

/// [`step_tensor`] with lane type `L` for the body (and `f32` for the tail): lets native tests run
/// the chunked path with [`lane::EmulatedF32x4`].
pub fn step_tensor_lanes<L: lane::Lane>(
    kernel: u32,
    flags: u32,
    scalars: &[f32; SCALARS],
    tensor: TensorSlices<'_>,
) -> Result<(), StepError> {
    let kernel = Kernel::from_id(kernel).ok_or(StepError::UnknownKernel)?;
    let n = tensor.value.len();
    let used = kernel.used_state(flags);
    if tensor.grad.len() != n || (0..3).any(|k| used[k] && tensor.state[k].len() != n) {
        return Err(StepError::LengthMismatch);
    }
    use flags::*;
    let f = flags;
    match kernel {
        Kernel::Sgd => {
            with_const_flags!(f, [MAXIMIZE, L2_WEIGHT_DECAY, MOMENTUM, NESTEROV, FIRST_STEP], F => rules::apply_lanes::<L, _>(&SgdRule::<F>::new(scalars), tensor))
        }
        Kernel::Adagrad => {
            with_const_flags!(f, [MAXIMIZE, L2_WEIGHT_DECAY], F => rules::apply_lanes::<L, _>(&AdagradRule::<F>::new(scalars), tensor))
        }
        Kernel::Adadelta => {
            with_const_flags!(f, [MAXIMIZE, L2_WEIGHT_DECAY], F => rules::apply_lanes::<L, _>(&AdadeltaRule::<F>::new(scalars), tensor))
        }
        Kernel::Rmsprop => {
            with_const_flags!(f, [MAXIMIZE, L2_WEIGHT_DECAY, CENTERED, MOMENTUM], F => rules::apply_lanes::<L, _>(&RmspropRule::<F>::new(scalars), tensor))
        }
        Kernel::Adam => {
            with_const_flags!(f, [MAXIMIZE, L2_WEIGHT_DECAY, DECOUPLED_WEIGHT_DECAY, AMSGRAD], F => rules::apply_lanes::<L, _>(&AdamRule::<F>::new(scalars), tensor))
        }
        Kernel::Adamax => {
            with_const_flags!(f, [MAXIMIZE, L2_WEIGHT_DECAY], F => rules::apply_lanes::<L, _>(&AdamaxRule::<F>::new(scalars), tensor))
        }
        Kernel::Nadam => {
            with_const_flags!(f, [MAXIMIZE, L2_WEIGHT_DECAY, DECOUPLED_WEIGHT_DECAY], F => rules::apply_lanes::<L, _>(&NadamRule::<F>::new(scalars), tensor))
        }
        Kernel::Radam => {
            with_const_flags!(f, [MAXIMIZE, L2_WEIGHT_DECAY, DECOUPLED_WEIGHT_DECAY, RECTIFY], F => rules::apply_lanes::<L, _>(&RadamRule::<F>::new(scalars), tensor))
        }
        Kernel::Lion => {
            with_const_flags!(f, [MAXIMIZE, DECOUPLED_WEIGHT_DECAY], F => rules::apply_lanes::<L, _>(&LionRule::<F>::new(scalars), tensor))
        }
    }
    Ok(())
}

/// True when this build runs the `f32x4` body (wasm32 compiled with `simd128`).
pub const fn simd_enabled() -> bool {
    cfg!(all(target_arch = "wasm32", target_feature = "simd128"))
}

/// The benchmarks' memory-bandwidth probe, `a = a + scalar·b`: the simplest loop that moves memory
/// the way the optimizer kernels do (read-modify-write of one array, read of another: 12 bytes per
/// element, no write-allocate traffic), over the same lanes. It is the roofline each optimizer is
/// compared with. Returns false (and writes nothing) when the lengths differ.
pub fn bandwidth_probe(a: &mut [f32], b: &[f32], scalar: f32) -> bool {
    if a.len() != b.len() {
        return false;
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    bandwidth_probe_lanes::<simd128::F32x4>(a, b, scalar);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    bandwidth_probe_lanes::<f32>(a, b, scalar);
    true
}

/// [`bandwidth_probe`] with lane type `L` for the body and `f32` for the tail.
pub fn bandwidth_probe_lanes<L: lane::Lane>(a: &mut [f32], b: &[f32], scalar: f32) {
    dense::axpy::<L>(a, scalar, b);
}

/// Independent chains of [`flop_probe`]: enough to keep both of a core's vector multiply and add
/// units busy (a chain's multiply waits for its previous add).
pub const FLOP_PROBE_CHAINS: usize = 12;

/// The benchmarks' arithmetic probe: `iterations` rounds of `acc = acc·0.5 + x` (a multiply and an
/// add, no FMA, as in the dense kernels) on [`FLOP_PROBE_CHAINS`] independent lanes of the platform's
/// width, from registers only: `2 × FLOP_PROBE_CHAINS × width × iterations` float operations (see
/// [`flop_probe_width`]), whose rate is the FLOP roofline the dense layers are compared with. Returns
/// the sum of the lanes (so the work cannot be optimised away).
pub fn flop_probe(iterations: u32, x: f32) -> f32 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    return flop_probe_lanes::<simd128::F32x4>(iterations, x);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    flop_probe_lanes::<f32>(iterations, x)
}

/// Lanes per chain of [`flop_probe`] on this platform (4 with simd128, else 1).
pub const fn flop_probe_width() -> usize {
    if simd_enabled() {
        4
    } else {
        1
    }
}

/// [`flop_probe`] with lane type `L`.
pub fn flop_probe_lanes<L: lane::Lane>(iterations: u32, x: f32) -> f32 {
    let (half, x) = (L::splat(0.5), L::splat(x));
    let mut acc: [L; FLOP_PROBE_CHAINS] = core::array::from_fn(|i| L::splat(i as f32));
    for _ in 0..iterations {
        for a in acc.iter_mut() {
            *a = *a * half + x;
        }
    }
    let mut lanes = [0.0f32; 4];
    let mut sum = 0.0f32;
    for a in acc {
        a.store(&mut lanes);
        sum += lanes[..L::WIDTH].iter().sum::<f32>();
    }
    sum
}

/// [`dense::dense_forward`] with the platform's lanes (f32x4 on wasm32 with simd128).
pub fn dense_forward(
    shape: dense::DenseShape,
    input: &[f32],
    weights: &[f32],
    bias: &[f32],
    output: &mut [f32],
    activation: dense::Activation,
) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    dense::dense_forward::<simd128::F32x4>(shape, input, weights, bias, output, activation);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    dense::dense_forward::<f32>(shape, input, weights, bias, output, activation);
}

/// [`dense::dense_backward`] with the platform's lanes.
#[allow(clippy::too_many_arguments)]
pub fn dense_backward(
    shape: dense::DenseShape,
    input: &[f32],
    weights: &[f32],
    d_output: &[f32],
    grad_weights: &mut [f32],
    grad_bias: &mut [f32],
    d_input: Option<&mut [f32]>,
    input_activation: dense::Activation,
) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    dense::dense_backward::<simd128::F32x4>(shape, input, weights, d_output, grad_weights, grad_bias, d_input, input_activation);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    dense::dense_backward::<f32>(shape, input, weights, d_output, grad_weights, grad_bias, d_input, input_activation);
}

/// [`softmax::softmax_cross_entropy`] with the platform's lanes.
pub fn softmax_cross_entropy(
    rows: usize,
    classes: usize,
    logits: &[f32],
    targets: &[f32],
    scale: f32,
    d_logits: Option<&mut [f32]>,
    stats: &mut [f32],
) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    softmax::softmax_cross_entropy::<simd128::F32x4>(rows, classes, logits, targets, scale, d_logits, stats);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    softmax::softmax_cross_entropy::<f32>(rows, classes, logits, targets, scale, d_logits, stats);
}

/// `out[i] = e^x[i]` by [`softmax::exp_nonpositive`] (x ≤ 0) with the platform's lanes, an f32 tail:
/// the tests' and benchmarks' handle on the softmax's exp.
pub fn exp_nonpositive_slice(out: &mut [f32], x: &[f32]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    exp_nonpositive_lanes::<simd128::F32x4>(out, x);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    exp_nonpositive_lanes::<f32>(out, x);
}

/// [`exp_nonpositive_slice`] with lane type `L` for the body and `f32` for the tail.
pub fn exp_nonpositive_lanes<L: lane::Lane>(out: &mut [f32], x: &[f32]) {
    let n = out.len();
    let x = &x[..n];
    let mut i = 0;
    while i + L::WIDTH <= n {
        softmax::exp_nonpositive(L::load(&x[i..])).store(&mut out[i..]);
        i += L::WIDTH;
    }
    for k in i..n {
        out[k] = softmax::exp_nonpositive(x[k]);
    }
}
