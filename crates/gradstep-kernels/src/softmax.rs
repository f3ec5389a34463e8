//! Softmax cross-entropy's float32 part for gradstep's classifiers
//! (`packages/gradstep/src/js-kernels/softmax.ts` is its TypeScript twin), and the exp it needs.
//!
//! Per row of `classes` logits z with target class t: the maximum m and the first index holding it
//! (a scan with strict `>`, from z₀), `s = Σ_c e_c` with `e_c = exp(z_c − m)` added in order of c from
//! +0, and, when asked, `∂(mean loss)/∂z_c = (e_c / s − [c = t])·scale`. The caller (TypeScript, in
//! float64, the same code for both backends) turns `ln s − (z_t − m)` into the loss. Rows go in lanes
//! of four (one row per lane, its classes walked in order), the remaining rows one by one: each row's
//! operations are the same sequence whatever the lane, so both backends give the same bits.
//!
//! The exp is ours ([`exp_nonpositive`]), not a libm's: JavaScript's `Math.exp` is V8's float64
//! fdlibm, which neither Rust nor wasm reproduces bit for bit, so both twins compute it from float32
//! +, −, ×, floor, a select and an exact power of two, in the same order.

use crate::lane::Lane;

/// Values per row of `stats`: the row's maximum, Σ exp(z − max), the index of the maximum.
pub const STATS: usize = 3;

/// log2(e) and ln 2 as a high part with 9 significant bits (so `n·LN2_HI` is exact for |n| < 2^15)
/// and the rest (Cody and Waite), float32.
const LOG2E: f32 = core::f32::consts::LOG2_E;
const LN2_HI: f32 = 0.693_359_4; // 0.693359375 = 355/512 exactly
const LN2_LO: f32 = -0.000_212_194_44;
/// exp(r) ≈ 1 + r + r²·P(r) on |r| ≤ ln 2 / 2 (Cephes' expf: S. L. Moshier's minimax polynomial).
const P: [f32; 6] = [0.000_198_756_91, 0.001_398_199_9, 0.008_333_452, 0.041_665_796, 0.166_666_66, 0.5];
/// Inputs below this underflow to 0 (e^−104 < 2^−150, half the smallest subnormal); clamping to it
/// keeps n ≥ −150.
const EXP_FLOOR: f32 = -104.0;

/// e^x for x ≤ 0 (or NaN), to within 2 ulps of float32, subnormal results included (0 below about
/// −103.97). x = n·ln 2 + r with n = floor(x·log2 e + 0.5) (float32 operations; n·LN2_HI exact and
/// x − n·LN2_HI exact by Sterbenz), e^r by Cephes' polynomial, then times 2^n built exactly: when
/// n < −100, as (p·2^(n+64))·2^−64, so that the one rounding into the subnormal range happens last.
#[inline(always)]
pub fn exp_nonpositive<L: Lane>(x: L) -> L {
    let x = x.maximum(L::splat(EXP_FLOOR));
    let n = (x * L::splat(LOG2E) + L::splat(0.5)).floor();
    let r = (x - n * L::splat(LN2_HI)) - n * L::splat(LN2_LO);
    let rr = r * r;
    let mut p = L::splat(P[0]);
    for &coefficient in &P[1..] {
        p = p * r + L::splat(coefficient);
    }
    let p = (p * rr + r) + L::splat(1.0);
    let low = L::splat(-100.0);
    let a = low.greater_select(n, n + L::splat(64.0), n);
    let last = low.greater_select(n, L::splat(1.0 / 18_446_744_073_709_551_616.0), L::splat(1.0));
    (p * a.exp2_integral()) * last
}

/// The float32 part of softmax cross-entropy over `rows` rows of `classes` (≥ 1) logits: `stats` gets
/// [`STATS`] values per row (see the module doc) and, when given, `d_logits` (rows × classes) the
/// gradient of the mean loss, `scale` being 1/rows rounded to float32. `targets` (one class index per
/// row, as a float32 integer, checked by the caller) is read only for the gradient.
pub fn softmax_cross_entropy<L: Lane>(
    rows: usize,
    classes: usize,
    logits: &[f32],
    targets: &[f32],
    scale: f32,
    mut d_logits: Option<&mut [f32]>,
    stats: &mut [f32],
) {
    if classes == 0 {
        return;
    }
    let (logits, stats) = (&logits[..rows * classes], &mut stats[..rows * STATS]);
    let mut i = 0;
    while i + L::WIDTH <= rows {
        row_lanes::<L>(i, classes, logits, targets, scale, d_logits.as_deref_mut(), stats);
        i += L::WIDTH;
    }
    while i < rows {
        row_lanes::<f32>(i, classes, logits, targets, scale, d_logits.as_deref_mut(), stats);
        i += 1;
    }
}

/// Rows `i … i + width − 1`, one per lane.
#[inline(always)]
fn row_lanes<L: Lane>(i: usize, k: usize, logits: &[f32], targets: &[f32], scale: f32, d_logits: Option<&mut [f32]>, stats: &mut [f32]) {
    let z = |c: usize| L::load_strided(&logits[i * k + c..], k);
    let mut max = z(0);
    let mut best = L::splat(0.0);
    for c in 1..k {
        let zc = z(c);
        best = zc.greater_select(max, L::splat(c as f32), best);
        max = zc.greater_select(max, zc, max);
    }
    let mut sum = L::splat(0.0);
    match d_logits {
        Some(d) => {
            for c in 0..k {
                let e = exp_nonpositive(z(c) - max);
                sum = sum + e;
                e.store_strided(&mut d[i * k + c..], k);
            }
            let (target, zero, one, scale) = (L::load(&targets[i..]), L::splat(0.0), L::splat(1.0), L::splat(scale));
            for c in 0..k {
                let class = L::splat(c as f32);
                let one_hot = target.greater_select(class, zero, class.greater_select(target, zero, one));
                let at = &mut d[i * k + c..];
                ((L::load_strided(at, k) / sum - one_hot) * scale).store_strided(at, k);
            }
        }
        None => {
            for c in 0..k {
                sum = sum + exp_nonpositive(z(c) - max);
            }
        }
    }
    max.store_strided(&mut stats[i * STATS..], STATS);
    sum.store_strided(&mut stats[i * STATS + 1..], STATS);
    best.store_strided(&mut stats[i * STATS + 2..], STATS);
}
