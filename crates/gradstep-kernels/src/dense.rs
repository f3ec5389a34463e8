//! Dense-layer arithmetic for gradstep's models (`packages/gradstep/src/js-kernels/dense.ts` is its
//! TypeScript twin): `output = input·W + b` and its gradients, on row-major float32 matrices.
//!
//! Every result is the same float32 operation sequence as the TypeScript code (each product and
//! sum rounded to float32, no FMA), whatever the lane type, so both backends train the same bits:
//! - rows go in blocks of four; an input column whose four values are all zero is skipped (after a
//!   ReLU many are), a single remaining row skips its zeros;
//! - each output element adds its terms in order of the input feature p;
//! - `dInput[r, p]` sums its terms in order of the output feature j.
//!
//! Lanes run across output features (forward, weight and bias gradients) or across the four rows
//! of a block (`dInput`).

use crate::lane::Lane;

/// Lengths of a dense layer's operands, checked by the caller.
#[derive(Clone, Copy, Debug)]
pub struct DenseShape {
    pub rows: usize,
    pub inputs: usize,
    pub outputs: usize,
}

/// `output[i, j] = bias[j] + Σ_p input[i, p]·weights[p, j]`.
pub fn dense_forward<L: Lane>(shape: DenseShape, input: &[f32], weights: &[f32], bias: &[f32], output: &mut [f32]) {
    let DenseShape { rows, inputs: n_in, outputs: n_out } = shape;
    let (input, weights, bias, output) = (&input[..rows * n_in], &weights[..n_in * n_out], &bias[..n_out], &mut output[..rows * n_out]);
    let mut i = 0;
    while i + 4 <= rows {
        for r in 0..4 {
            output[(i + r) * n_out..(i + r + 1) * n_out].copy_from_slice(bias);
        }
        for p in 0..n_in {
            let a = [input[i * n_in + p], input[(i + 1) * n_in + p], input[(i + 2) * n_in + p], input[(i + 3) * n_in + p]];
            if a.iter().all(|&x| x == 0.0) {
                continue;
            }
            let w = &weights[p * n_out..(p + 1) * n_out];
            for r in 0..4 {
                axpy::<L>(&mut output[(i + r) * n_out..(i + r + 1) * n_out], a[r], w);
            }
        }
        i += 4;
    }
    while i < rows {
        output[i * n_out..(i + 1) * n_out].copy_from_slice(bias);
        for p in 0..n_in {
            let a = input[i * n_in + p];
            if a != 0.0 {
                axpy::<L>(&mut output[i * n_out..(i + 1) * n_out], a, &weights[p * n_out..(p + 1) * n_out]);
            }
        }
        i += 1;
    }
}

/// `y = y + a·x` element-wise (two roundings per element), over `y.len()` elements: lanes of `L`,
/// then an f32 tail. Also the benchmarks' bandwidth probe.
#[inline(always)]
pub fn axpy<L: Lane>(y: &mut [f32], a: f32, x: &[f32]) {
    let n = y.len();
    let x = &x[..n];
    let mut j = 0;
    while j + L::WIDTH <= n {
        (L::load(&y[j..]) + L::splat(a) * L::load(&x[j..])).store(&mut y[j..]);
        j += L::WIDTH;
    }
    for k in j..n {
        y[k] += a * x[k];
    }
}

/// The gradients of a dense layer from `d_output` = ∂loss/∂output: `grad_weights = inputᵀ·d_output`,
/// `grad_bias` = column sums of `d_output` (both overwritten), and, when given,
/// `d_input = d_output·weightsᵀ` (overwritten).
#[allow(clippy::too_many_arguments)]
pub fn dense_backward<L: Lane>(
    shape: DenseShape,
    input: &[f32],
    weights: &[f32],
    d_output: &[f32],
    grad_weights: &mut [f32],
    grad_bias: &mut [f32],
    d_input: Option<&mut [f32]>,
) {
    let DenseShape { rows, inputs: n_in, outputs: n_out } = shape;
    let (input, weights, d_output) = (&input[..rows * n_in], &weights[..n_in * n_out], &d_output[..rows * n_out]);
    let (grad_weights, grad_bias) = (&mut grad_weights[..n_in * n_out], &mut grad_bias[..n_out]);
    grad_weights.fill(0.0);
    grad_bias.fill(0.0);
    let mut i = 0;
    while i + 4 <= rows {
        let d = |r: usize| &d_output[(i + r) * n_out..(i + r + 1) * n_out];
        let (d0, d1, d2, d3) = (d(0), d(1), d(2), d(3));
        let mut j = 0;
        while j + L::WIDTH <= n_out {
            let sum = ((L::load(&d0[j..]) + L::load(&d1[j..])) + L::load(&d2[j..])) + L::load(&d3[j..]);
            (L::load(&grad_bias[j..]) + sum).store(&mut grad_bias[j..]);
            j += L::WIDTH;
        }
        for k in j..n_out {
            grad_bias[k] += ((d0[k] + d1[k]) + d2[k]) + d3[k];
        }
        for p in 0..n_in {
            let a = [input[i * n_in + p], input[(i + 1) * n_in + p], input[(i + 2) * n_in + p], input[(i + 3) * n_in + p]];
            if a.iter().all(|&x| x == 0.0) {
                continue;
            }
            let gw = &mut grad_weights[p * n_out..(p + 1) * n_out];
            let mut j = 0;
            while j + L::WIDTH <= n_out {
                let terms = ((L::splat(a[0]) * L::load(&d0[j..]) + L::splat(a[1]) * L::load(&d1[j..]))
                    + L::splat(a[2]) * L::load(&d2[j..]))
                    + L::splat(a[3]) * L::load(&d3[j..]);
                (L::load(&gw[j..]) + terms).store(&mut gw[j..]);
                j += L::WIDTH;
            }
            for k in j..n_out {
                gw[k] += ((a[0] * d0[k] + a[1] * d1[k]) + a[2] * d2[k]) + a[3] * d3[k];
            }
        }
        i += 4;
    }
    while i < rows {
        let d = &d_output[i * n_out..(i + 1) * n_out];
        for k in 0..n_out {
            grad_bias[k] += d[k];
        }
        for p in 0..n_in {
            let a = input[i * n_in + p];
            if a != 0.0 {
                axpy::<L>(&mut grad_weights[p * n_out..(p + 1) * n_out], a, d);
            }
        }
        i += 1;
    }
    if let Some(d_input) = d_input {
        input_gradient::<L>(shape, weights, d_output, &mut d_input[..rows * n_in]);
    }
}

/// `d_input[r, p] = Σ_j d_output[r, j]·weights[p, j]`, summed in order of j. With four lanes, the
/// lanes are the four rows of a block; otherwise (and for the remaining rows) one row at a time.
fn input_gradient<L: Lane>(shape: DenseShape, weights: &[f32], d_output: &[f32], d_input: &mut [f32]) {
    let DenseShape { rows, inputs: n_in, outputs: n_out } = shape;
    let mut i = 0;
    if L::WIDTH == 4 {
        while i + 4 <= rows {
            for p in 0..n_in {
                let w = &weights[p * n_out..(p + 1) * n_out];
                let mut sum = L::splat(0.0);
                for (j, &wj) in w.iter().enumerate() {
                    sum = sum + L::load_strided(&d_output[i * n_out + j..], n_out) * L::splat(wj);
                }
                sum.store_strided(&mut d_input[i * n_in + p..], n_in);
            }
            i += 4;
        }
    }
    while i < rows {
        for p in 0..n_in {
            let w = &weights[p * n_out..(p + 1) * n_out];
            let d = &d_output[i * n_out..(i + 1) * n_out];
            let mut sum = 0.0f32;
            for j in 0..n_out {
                sum += d[j] * w[j];
            }
            d_input[i * n_in + p] = sum;
        }
        i += 1;
    }
}
