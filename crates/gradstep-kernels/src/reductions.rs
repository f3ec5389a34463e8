//! Gradient norms and in-place gradient transforms for clipping (`torch.nn.utils.clip_grad_norm_`,
//! `clip_grad_value_`).
//!
//! The norm of a tensor is reduced in float64 with a fixed order, so that the wasm SIMD path, the
//! scalar path and the TypeScript backend give the same bits: element `i` goes to accumulator
//! `i mod 4` (in order), and the four accumulators combine as `(a0 + a1) + (a2 + a3)`. Each term is
//! computed in float64 from the float32 gradient (exact promotion, one rounding per operation), which
//! JavaScript's doubles reproduce without any Math.fround (`packages/gradstep/src/js-kernels/reductions.ts`
//! is the TypeScript twin).

/// Which norm [`norm_partial`] reduces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Norm {
    /// Σ|g| (the caller adds the tensors' sums).
    L1 = 1,
    /// Σg² (the caller adds the tensors' sums and takes the square root).
    L2 = 2,
    /// max|g| (NaN if any element is NaN).
    Inf = 0,
}

impl Norm {
    pub fn from_id(id: u32) -> Option<Norm> {
        Some(match id {
            1 => Norm::L1,
            2 => Norm::L2,
            0 => Norm::Inf,
            _ => return None,
        })
    }
}

/// IEEE 754-2019 maximum on f64: NaN if either is NaN (JavaScript's Math.max).
#[inline(always)]
pub fn maximum_f64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a >= b {
        a
    } else {
        b
    }
}

/// One tensor's contribution to a gradient norm: Σ|g|, Σg² or max|g|, in the fixed order above.
pub fn norm_partial(grad: &[f32], norm: Norm) -> f64 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let (mut lanes, body) = crate::simd128::norm_lanes(grad, norm);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    let (mut lanes, body) = ([0.0f64; 4], 0usize);
    accumulate_scalar(&mut lanes, grad, body, norm);
    combine(lanes, norm)
}

/// Adds elements `start..` of `grad` to the lane accumulators, element `i` to lane `i mod 4`.
/// `start` must be a multiple of 4. Also the whole reduction when SIMD is off.
pub fn accumulate_scalar(lanes: &mut [f64; 4], grad: &[f32], start: usize, norm: Norm) {
    for (i, &g) in grad.iter().enumerate().skip(start) {
        let g = g as f64;
        let lane = &mut lanes[i % 4];
        *lane = match norm {
            Norm::L1 => *lane + g.abs(),
            Norm::L2 => *lane + g * g,
            Norm::Inf => maximum_f64(*lane, g.abs()),
        };
    }
}

/// `(a0 + a1) + (a2 + a3)`, or the maximum of the four.
pub fn combine(lanes: [f64; 4], norm: Norm) -> f64 {
    match norm {
        Norm::L1 | Norm::L2 => (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]),
        Norm::Inf => maximum_f64(maximum_f64(lanes[0], lanes[1]), maximum_f64(lanes[2], lanes[3])),
    }
}

/// `g = g·coefficient` in float32 (clip_grad_norm_'s scaling).
pub fn scale_in_place(grad: &mut [f32], coefficient: f32) {
    for g in grad.iter_mut() {
        *g *= coefficient;
    }
}

/// `g = min(max(g, −clip), clip)` with NaN passing through (clip_grad_value_'s clamp_min_ then clamp_max_).
pub fn clamp_in_place(grad: &mut [f32], clip: f32) {
    use crate::lane::Lane;
    for g in grad.iter_mut() {
        let low = Lane::maximum(*g, -clip);
        // minimum(low, clip) = −maximum(−low, −clip), NaN-propagating like torch.clamp_max_.
        *g = -Lane::maximum(-low, -clip);
    }
}
