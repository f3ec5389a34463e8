//! The arithmetic an update rule may use, implemented for one `f32` and (in `simd128`) for `f32x4`.
//!
//! Only IEEE-754 correctly rounded operations appear here (+, −, ×, ÷, √, negation, maximum, floor,
//! selects, powers of two built from their exponent bits), so every lane of the vector computes
//! exactly what the scalar path computes.

use core::ops::{Add, Div, Mul, Neg, Sub};

pub trait Lane: Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Div<Output = Self> + Neg<Output = Self> {
    /// Number of f32 values in one lane.
    const WIDTH: usize;
    fn splat(x: f32) -> Self;
    /// `WIDTH` values from the start of `src` (which must hold at least `WIDTH`).
    fn load(src: &[f32]) -> Self;
    /// Writes `WIDTH` values to the start of `dst` (which must hold at least `WIDTH`).
    fn store(self, dst: &mut [f32]);
    fn sqrt(self) -> Self;
    /// IEEE 754-2019 `maximum`: NaN if either is NaN, and −0 < +0 (wasm's `f32.max`, JS `Math.max`,
    /// torch.maximum), unlike Rust's `f32::max`, which drops NaN.
    fn maximum(self, other: Self) -> Self;
    /// `x < 0 ? 0 : x` per element (NaN and −0 pass through).
    fn zero_if_negative(self) -> Self;
    /// |x| (clears the sign bit).
    fn abs(self) -> Self;
    /// `WIDTH` values `src[0], src[stride], src[2·stride], …` (a column of a row-major matrix).
    fn load_strided(src: &[f32], stride: usize) -> Self;
    /// Writes the lanes to `dst[0], dst[stride], …`.
    fn store_strided(self, dst: &mut [f32], stride: usize);
    /// `x > 0 ? 1 : x < 0 ? −1 : x`: ±1, with ±0 and NaN passing through (torch.sign).
    fn sign(self) -> Self;
    /// `self > other ? then : otherwise` per element (false when either is NaN).
    fn greater_select(self, other: Self, then: Self, otherwise: Self) -> Self;
    /// The largest integer ≤ x (IEEE roundToIntegralTowardNegative: exact; NaN and ±∞ pass through).
    fn floor(self) -> Self;
    /// 2^x exactly, for x an integer from −126 to 127 (a normal float32 built from its exponent
    /// bits); other inputs give an unspecified power of two (NaN gives 1).
    fn exp2_integral(self) -> Self;
}

impl Lane for f32 {
    const WIDTH: usize = 1;
    #[inline(always)]
    fn splat(x: f32) -> f32 {
        x
    }
    #[inline(always)]
    fn load(src: &[f32]) -> f32 {
        src[0]
    }
    #[inline(always)]
    fn store(self, dst: &mut [f32]) {
        dst[0] = self;
    }
    #[inline(always)]
    fn sqrt(self) -> f32 {
        f32::sqrt(self)
    }
    #[inline(always)]
    fn maximum(self, other: f32) -> f32 {
        if self.is_nan() || other.is_nan() {
            f32::NAN
        } else if self > other || (self == other && !self.is_sign_negative()) {
            // Equal values differ only for ±0: IEEE `maximum` takes +0.
            self
        } else {
            other
        }
    }
    #[inline(always)]
    fn zero_if_negative(self) -> f32 {
        if self < 0.0 {
            0.0
        } else {
            self
        }
    }
    #[inline(always)]
    fn abs(self) -> f32 {
        f32::abs(self)
    }
    #[inline(always)]
    fn load_strided(src: &[f32], _stride: usize) -> f32 {
        src[0]
    }
    #[inline(always)]
    fn store_strided(self, dst: &mut [f32], _stride: usize) {
        dst[0] = self;
    }
    #[inline(always)]
    fn sign(self) -> f32 {
        if self > 0.0 {
            1.0
        } else if self < 0.0 {
            -1.0
        } else {
            self
        }
    }
    #[inline(always)]
    fn greater_select(self, other: f32, then: f32, otherwise: f32) -> f32 {
        if self > other {
            then
        } else {
            otherwise
        }
    }
    #[inline(always)]
    fn floor(self) -> f32 {
        f32::floor(self)
    }
    #[inline(always)]
    fn exp2_integral(self) -> f32 {
        // `as` saturates (NaN → 0), as wasm's i32x4.trunc_sat_f32x4 does in the f32x4 lane.
        f32::from_bits(((self as i32).wrapping_add(127) as u32) << 23)
    }
}

/// Four scalar lanes side by side: the SIMD lane's semantics, runnable natively, so that `cargo test`
/// exercises the chunked body and the tail split of [`crate::rules::apply`] on any host.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EmulatedF32x4(pub [f32; 4]);

macro_rules! emulated_binary_op {
    ($trait:ident, $method:ident, $op:tt) => {
        impl $trait for EmulatedF32x4 {
            type Output = Self;
            #[inline(always)]
            fn $method(self, rhs: Self) -> Self {
                EmulatedF32x4(core::array::from_fn(|i| self.0[i] $op rhs.0[i]))
            }
        }
    };
}
emulated_binary_op!(Add, add, +);
emulated_binary_op!(Sub, sub, -);
emulated_binary_op!(Mul, mul, *);
emulated_binary_op!(Div, div, /);

impl Neg for EmulatedF32x4 {
    type Output = Self;
    fn neg(self) -> Self {
        EmulatedF32x4(self.0.map(|x| -x))
    }
}

impl Lane for EmulatedF32x4 {
    const WIDTH: usize = 4;
    fn splat(x: f32) -> Self {
        EmulatedF32x4([x; 4])
    }
    fn load(src: &[f32]) -> Self {
        EmulatedF32x4([src[0], src[1], src[2], src[3]])
    }
    fn store(self, dst: &mut [f32]) {
        dst[..4].copy_from_slice(&self.0);
    }
    fn sqrt(self) -> Self {
        EmulatedF32x4(self.0.map(f32::sqrt))
    }
    fn maximum(self, other: Self) -> Self {
        EmulatedF32x4(core::array::from_fn(|i| Lane::maximum(self.0[i], other.0[i])))
    }
    fn zero_if_negative(self) -> Self {
        EmulatedF32x4(self.0.map(Lane::zero_if_negative))
    }
    fn abs(self) -> Self {
        EmulatedF32x4(self.0.map(f32::abs))
    }
    fn load_strided(src: &[f32], stride: usize) -> Self {
        EmulatedF32x4(core::array::from_fn(|k| src[k * stride]))
    }
    fn store_strided(self, dst: &mut [f32], stride: usize) {
        for k in 0..4 {
            dst[k * stride] = self.0[k];
        }
    }
    fn sign(self) -> Self {
        EmulatedF32x4(self.0.map(Lane::sign))
    }
    fn greater_select(self, other: Self, then: Self, otherwise: Self) -> Self {
        EmulatedF32x4(core::array::from_fn(|i| self.0[i].greater_select(other.0[i], then.0[i], otherwise.0[i])))
    }
    fn floor(self) -> Self {
        EmulatedF32x4(self.0.map(f32::floor))
    }
    fn exp2_integral(self) -> Self {
        EmulatedF32x4(self.0.map(Lane::exp2_integral))
    }
}
