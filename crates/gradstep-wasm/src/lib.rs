//! wasm-bindgen bindings of `gradstep-kernels`. This crate owns wasm linear memory on behalf of the
//! TypeScript package and turns pointers into slices (all in [`memory`]); it does no maths.
//!
//! Only numbers cross the boundary in the calls that steps and models make, so the generated glue does
//! no conversions there and a step allocates nothing on either side. (`abiDescription`, read once when
//! the package loads the module, returns a string.)
//!
//! `unsafe` is denied outside [`memory`], where every block carries a SAFETY comment.

#![deny(unsafe_code, unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

#[allow(unsafe_code)]
mod memory;

use gradstep_kernels::step_tensor;
use memory::{code, CallError};
use wasm_bindgen::prelude::*;

/// Allocates `len` zeroed f32 (16-byte aligned) and returns the byte address, or 0 when memory cannot
/// grow that far. Free with [`free_f32`] and the same `len`.
#[wasm_bindgen(js_name = allocF32)]
pub fn alloc_f32(len: u32) -> u32 {
    memory::alloc_f32(len as usize)
}

/// Frees a block returned by [`alloc_f32`]. Returns 0, or `NotLive` (5) for a block that is not live
/// with this length (freed already, or never handed out): refused, not passed to the allocator.
#[wasm_bindgen(js_name = freeF32)]
pub fn free_f32(ptr: u32, len: u32) -> u32 {
    code(memory::free_f32(ptr, len as usize))
}

/// The kernel ABI as JSON ([`gradstep_kernels::abi::description`]) with the bindings' part: the
/// words of a step table row and the messages of the error codes. The package compares it with its
/// own constants when it loads the module.
#[wasm_bindgen(js_name = abiDescription)]
pub fn abi_description() -> String {
    let errors = CallError::ALL.iter().map(|&e| format!("\"{}\":\"{}\"", e as u32, e.message())).collect::<Vec<_>>().join(",");
    gradstep_kernels::abi::description(&[("tableWords", memory::TABLE_WORDS.to_string()), ("errors", format!("{{{errors}}}"))])
}

/// Which state slots `kernel` uses with `flags`, as bits (bit k: slot k); `u32::MAX` for an unknown
/// kernel. The package checks its own table against this for every kernel and flag combination.
#[wasm_bindgen(js_name = usedStateMask)]
pub fn used_state_mask(kernel: u32, flags: u32) -> u32 {
    gradstep_kernels::abi::used_state_mask(kernel, flags)
}

/// Runs one optimizer step over `count` tensors described by the table at `table_ptr`: one call into
/// wasm per step, however many tensors and parameter groups. Each table row is
/// `[value_ptr, grad_ptr, state0_ptr, state1_ptr, state2_ptr, len, group]` (unused state pointers are
/// 0). Group `g` reads its scalars at `scalars_ptr + 4·SCALARS·g` and its flags at `flags_ptr + 4·g`.
/// Returns 0, or a [`CallError`] code, in which case nothing was written for the offending tensor and
/// those after it.
#[wasm_bindgen(js_name = optimizerStep)]
pub fn optimizer_step(kernel: u32, scalars_ptr: u32, flags_ptr: u32, groups: u32, table_ptr: u32, count: u32) -> u32 {
    for index in 0..count as usize {
        let result = memory::with_tensor(table_ptr, index, kernel, scalars_ptr, flags_ptr, groups, |tensor, flags, scalars| {
            step_tensor(kernel, flags, scalars, tensor).map_err(CallError::from)
        });
        if result.is_err() {
            return code(result);
        }
    }
    0
}

/// The benchmarks' bandwidth probe `a = a + scalar·b` over `len` f32 at two blocks from
/// [`alloc_f32`]. Returns 0, or a [`CallError`] code for an invalid or overlapping block.
#[wasm_bindgen(js_name = bandwidthProbe)]
pub fn bandwidth_probe(a_ptr: u32, b_ptr: u32, len: u32, scalar: f32) -> u32 {
    code(memory::with_probe_slices(a_ptr, b_ptr, len as usize, |a, b| {
        gradstep_kernels::bandwidth_probe(a, b, scalar);
    }))
}

/// The benchmarks' arithmetic probe ([`gradstep_kernels::flop_probe`]): `flopProbeOperations(1)`
/// float operations per iteration, from registers; returns the lanes' sum.
#[wasm_bindgen(js_name = flopProbe)]
pub fn flop_probe(iterations: u32, x: f32) -> f32 {
    gradstep_kernels::flop_probe(iterations, x)
}

/// Float operations per iteration of [`flop_probe`] in this build (96 with simd128, 24 without).
#[wasm_bindgen(js_name = flopProbeOperations)]
pub fn flop_probe_operations() -> u32 {
    (2 * gradstep_kernels::FLOP_PROBE_CHAINS * gradstep_kernels::flop_probe_width()) as u32
}

/// Writes each listed gradient's contribution to a norm (`norm`: 1 Σ|g|, 2 Σg², 0 max|g|; see
/// `gradstep_kernels::reductions`) as an f64 at `out_ptr + 8·i`. The list at `list_ptr` holds
/// `count` pairs `[grad_ptr, len]`. Returns 0, or a [`CallError`] code (an unknown norm is `UnknownKernel`).
#[wasm_bindgen(js_name = gradNorms)]
pub fn grad_norms(norm: u32, list_ptr: u32, count: u32, out_ptr: u32) -> u32 {
    let Some(norm) = gradstep_kernels::reductions::Norm::from_id(norm) else { return CallError::UnknownKernel as u32 };
    code(memory::with_grad_list(list_ptr, count as usize, out_ptr, |grad, out| {
        *out = gradstep_kernels::reductions::norm_partial(grad, norm)
    }))
}

/// Multiplies every listed gradient by `coefficient` (float32). Returns 0, or a [`CallError`] code.
#[wasm_bindgen(js_name = scaleGrads)]
pub fn scale_grads(list_ptr: u32, count: u32, coefficient: f32) -> u32 {
    code(memory::with_grad_list(list_ptr, count as usize, 0, |grad, _| gradstep_kernels::reductions::scale_in_place(grad, coefficient)))
}

/// Clamps every listed gradient to [−clip, clip] (NaN passes through). Returns 0, or a [`CallError`] code.
#[wasm_bindgen(js_name = clampGrads)]
pub fn clamp_grads(list_ptr: u32, count: u32, clip: f32) -> u32 {
    code(memory::with_grad_list(list_ptr, count as usize, 0, |grad, _| gradstep_kernels::reductions::clamp_in_place(grad, clip)))
}

/// A dense layer's forward pass (`gradstep_kernels::dense`) on blocks from [`alloc_f32`]:
/// `output = act(input·weights + bias)` with `rows × inputs` input and `inputs × outputs` weights, `act`
/// the [`Activation`](gradstep_kernels::dense::Activation) of id `activation`. Returns 0, or a
/// [`CallError`] code for an invalid or overlapping block or an unknown activation.
#[wasm_bindgen(js_name = denseForward)]
#[allow(clippy::too_many_arguments)]
pub fn dense_forward(input: u32, rows: u32, inputs: u32, weights: u32, bias: u32, outputs: u32, output: u32, activation: u32) -> u32 {
    let shape = gradstep_kernels::dense::DenseShape { rows: rows as usize, inputs: inputs as usize, outputs: outputs as usize };
    let Some(activation) = gradstep_kernels::dense::Activation::from_id(activation) else {
        return CallError::UnknownKernel as u32;
    };
    code(memory::with_dense_forward(shape, [input, weights, bias], output, |[input, weights, bias], output| {
        gradstep_kernels::dense_forward(shape, input, weights, bias, output, activation)
    }))
}

/// A dense layer's backward pass: weight and bias gradients from `d_output` (overwritten), and the
/// input gradient when `d_input` is not 0, through the derivative of `input_activation` (the
/// activation whose output `input` is: id 1, ReLU, keeps the elements where `input > 0`). Returns 0,
/// or a [`CallError`] code for an invalid or overlapping block or an unknown activation.
#[wasm_bindgen(js_name = denseBackward)]
#[allow(clippy::too_many_arguments)]
pub fn dense_backward(
    input: u32,
    rows: u32,
    inputs: u32,
    weights: u32,
    outputs: u32,
    d_output: u32,
    grad_weights: u32,
    grad_bias: u32,
    d_input: u32,
    input_activation: u32,
) -> u32 {
    let shape = gradstep_kernels::dense::DenseShape { rows: rows as usize, inputs: inputs as usize, outputs: outputs as usize };
    let Some(activation) = gradstep_kernels::dense::Activation::from_id(input_activation) else {
        return CallError::UnknownKernel as u32;
    };
    code(memory::with_dense_backward(
        shape,
        [input, weights, d_output],
        [grad_weights, grad_bias, d_input],
        |[input, weights, d_output], (gw, gb, di)| {
            gradstep_kernels::dense_backward(shape, input, weights, d_output, gw, gb, di, activation)
        },
    ))
}

/// Softmax cross-entropy's float32 part (`gradstep_kernels::softmax`) over `rows` rows of `classes`
/// logits: per row, the maximum, Σ exp(z − max) and the index of the maximum into `stats` (3 per
/// row), and, when `d_logits` is not 0, `(softmax − one_hot(target))·scale` into it (`targets`: one
/// class index per row, checked by the caller). Returns 0, or a [`CallError`] code for an invalid or
/// overlapping block.
#[wasm_bindgen(js_name = softmaxCrossEntropy)]
pub fn softmax_cross_entropy(logits: u32, rows: u32, classes: u32, targets: u32, scale: f32, d_logits: u32, stats: u32) -> u32 {
    let (rows, classes) = (rows as usize, classes as usize);
    code(memory::with_softmax(rows, classes, [logits, targets], d_logits, stats, |[logits, targets], d_logits, stats| {
        gradstep_kernels::softmax_cross_entropy(rows, classes, logits, targets, scale, d_logits, stats)
    }))
}

/// `out[i] = e^x[i]` by the softmax's own exp (`gradstep_kernels::softmax::exp_nonpositive`, for
/// x ≤ 0), over `len` f32 at two blocks from [`alloc_f32`]: what the tests compare with the TypeScript
/// twin and with Math.exp. Returns 0, or a [`CallError`] code for an invalid or overlapping block.
#[wasm_bindgen(js_name = expNonPositive)]
pub fn exp_non_positive(out: u32, x: u32, len: u32) -> u32 {
    code(memory::with_probe_slices(out, x, len as usize, gradstep_kernels::exp_nonpositive_slice))
}

/// True when this module was compiled with simd128 (the f32x4 body runs).
#[wasm_bindgen(js_name = simdEnabled)]
pub fn simd_enabled() -> bool {
    gradstep_kernels::simd_enabled()
}
