//! The `f32x4` lane on wasm32 with `simd128`. The only `unsafe` of the kernel crate lives here: the
//! unaligned vector loads and stores. Lane arithmetic is safe.

use crate::lane::Lane;
use core::arch::wasm32::*;
use core::ops::{Add, Div, Mul, Neg, Sub};

#[derive(Clone, Copy)]
pub struct F32x4(v128);

impl Add for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn add(self, rhs: Self) -> Self {
        F32x4(f32x4_add(self.0, rhs.0))
    }
}
impl Sub for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn sub(self, rhs: Self) -> Self {
        F32x4(f32x4_sub(self.0, rhs.0))
    }
}
impl Mul for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn mul(self, rhs: Self) -> Self {
        F32x4(f32x4_mul(self.0, rhs.0))
    }
}
impl Div for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn div(self, rhs: Self) -> Self {
        F32x4(f32x4_div(self.0, rhs.0))
    }
}
impl Neg for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        F32x4(f32x4_neg(self.0))
    }
}

impl Lane for F32x4 {
    const WIDTH: usize = 4;
    #[inline(always)]
    fn splat(x: f32) -> Self {
        F32x4(f32x4_splat(x))
    }
    #[inline(always)]
    fn load(src: &[f32]) -> Self {
        assert!(src.len() >= 4);
        // SAFETY: `src` holds at least 4 f32 (16 bytes), checked above; v128_load has no alignment
        // requirement.
        F32x4(unsafe { v128_load(src.as_ptr() as *const v128) })
    }
    #[inline(always)]
    fn store(self, dst: &mut [f32]) {
        assert!(dst.len() >= 4);
        // SAFETY: `dst` holds at least 4 f32 (16 bytes), checked above, and is borrowed mutably, so no
        // other reference sees the write; v128_store has no alignment requirement.
        unsafe { v128_store(dst.as_mut_ptr() as *mut v128, self.0) }
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        F32x4(f32x4_sqrt(self.0))
    }
    #[inline(always)]
    fn maximum(self, other: Self) -> Self {
        // f32x4.max is IEEE 754-2019 maximum: NaN-propagating, -0 < +0 (same as Lane for f32).
        F32x4(f32x4_max(self.0, other.0))
    }
    #[inline(always)]
    fn zero_if_negative(self) -> Self {
        let negative = f32x4_lt(self.0, f32x4_splat(0.0));
        F32x4(v128_andnot(self.0, negative))
    }
    #[inline(always)]
    fn abs(self) -> Self {
        F32x4(f32x4_abs(self.0))
    }
    #[inline(always)]
    fn load_strided(src: &[f32], stride: usize) -> Self {
        F32x4(f32x4(src[0], src[stride], src[2 * stride], src[3 * stride]))
    }
    #[inline(always)]
    fn store_strided(self, dst: &mut [f32], stride: usize) {
        dst[0] = f32x4_extract_lane::<0>(self.0);
        dst[stride] = f32x4_extract_lane::<1>(self.0);
        dst[2 * stride] = f32x4_extract_lane::<2>(self.0);
        dst[3 * stride] = f32x4_extract_lane::<3>(self.0);
    }
    #[inline(always)]
    fn sign(self) -> Self {
        let zero = f32x4_splat(0.0);
        let positive = f32x4_gt(self.0, zero);
        let negative = f32x4_lt(self.0, zero);
        let with_negatives = v128_bitselect(f32x4_splat(-1.0), self.0, negative);
        F32x4(v128_bitselect(f32x4_splat(1.0), with_negatives, positive))
    }
    #[inline(always)]
    fn greater_select(self, other: Self, then: Self, otherwise: Self) -> Self {
        F32x4(v128_bitselect(then.0, otherwise.0, f32x4_gt(self.0, other.0)))
    }
    #[inline(always)]
    fn floor(self) -> Self {
        F32x4(f32x4_floor(self.0))
    }
    #[inline(always)]
    fn exp2_integral(self) -> Self {
        let biased = i32x4_add(i32x4_trunc_sat_f32x4(self.0), i32x4_splat(127));
        F32x4(i32x4_shl(biased, 23))
    }
}

/// The f32x4 body of [`crate::reductions::norm_partial`]: lanes 0..3 of the float64 accumulators over
/// the largest multiple of 4 elements, and where that body ends.
pub fn norm_lanes(grad: &[f32], norm: crate::reductions::Norm) -> ([f64; 4], usize) {
    use crate::reductions::Norm;
    let body = grad.len() - grad.len() % 4;
    let (mut low, mut high) = (f64x2_splat(0.0), f64x2_splat(0.0));
    let mut i = 0;
    while i < body {
        let chunk = &grad[i..i + 4];
        // SAFETY: `chunk` holds exactly 4 f32 (16 bytes); v128_load has no alignment requirement.
        let v = unsafe { v128_load(chunk.as_ptr() as *const v128) };
        let (a, b) = (f64x2_promote_low_f32x4(v), f64x2_promote_low_f32x4(i32x4_shuffle::<2, 3, 0, 1>(v, v)));
        match norm {
            Norm::L1 => {
                low = f64x2_add(low, f64x2_abs(a));
                high = f64x2_add(high, f64x2_abs(b));
            }
            Norm::L2 => {
                low = f64x2_add(low, f64x2_mul(a, a));
                high = f64x2_add(high, f64x2_mul(b, b));
            }
            Norm::Inf => {
                low = f64x2_max(low, f64x2_abs(a));
                high = f64x2_max(high, f64x2_abs(b));
            }
        }
        i += 4;
    }
    let lanes = [f64x2_extract_lane::<0>(low), f64x2_extract_lane::<1>(low), f64x2_extract_lane::<0>(high), f64x2_extract_lane::<1>(high)];
    (lanes, body)
}
