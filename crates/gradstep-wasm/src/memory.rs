//! Every `unsafe` of the bindings crate: the allocator for blocks the TypeScript side hands out as
//! Float32Array views, and the conversion of a step table's pointers into slices.
//!
//! The TypeScript package is the only caller. It allocates every block here, never frees one twice,
//! never gives one tensor's block to another, and never passes the same param twice (it checks), but a
//! bug there must not become memory corruption here, so the table is validated before any slice is
//! made: pointers non-null and aligned, blocks inside linear memory, and no two mutable blocks of one
//! tensor overlapping.

use gradstep_kernels::dense::DenseShape;
use gradstep_kernels::{Kernel, TensorSlices, SCALARS};
use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::cell::RefCell;
use std::collections::BTreeMap;

pub const TABLE_WORDS: usize = 7;
const ALIGN: usize = 16;

/// Why a call refused its arguments: the nonzero codes the exports return. Their messages are
/// exported with the ABI description, so the package reports them without a copy of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum CallError {
    UnknownKernel = 1,
    LengthMismatch = 2,
    InvalidBlock = 3,
    OverlappingBlocks = 4,
    NotLive = 5,
}

impl CallError {
    pub const ALL: [CallError; 5] =
        [CallError::UnknownKernel, CallError::LengthMismatch, CallError::InvalidBlock, CallError::OverlappingBlocks, CallError::NotLive];

    pub fn message(self) -> &'static str {
        match self {
            CallError::UnknownKernel => "unknown kernel, norm or activation",
            CallError::LengthMismatch => "a state buffer has the wrong length",
            CallError::InvalidBlock => "a block is null, misaligned or outside wasm memory, or a group is out of range",
            CallError::OverlappingBlocks => "two blocks that must be distinct overlap",
            CallError::NotLive => "the block was not handed out by allocF32 with this length, or was freed already",
        }
    }
}

impl From<gradstep_kernels::StepError> for CallError {
    fn from(error: gradstep_kernels::StepError) -> Self {
        match error {
            gradstep_kernels::StepError::UnknownKernel => CallError::UnknownKernel,
            gradstep_kernels::StepError::LengthMismatch => CallError::LengthMismatch,
        }
    }
}

/// The 0-or-code result the exports return.
pub fn code(result: Result<(), CallError>) -> u32 {
    match result {
        Ok(()) => 0,
        Err(error) => error as u32,
    }
}

fn layout(len: usize) -> Option<Layout> {
    // A zero-length param still gets a real (16-byte) block, so every live pointer is unique.
    let bytes = len.max(4).checked_mul(4)?;
    Layout::from_size_align(bytes, ALIGN).ok()
}

thread_local! {
    /// Every block handed out and not yet freed, with its length: free_f32 frees only these, so a
    /// double free or a foreign pointer is refused instead of corrupting the allocator. (wasm32 here
    /// has one thread; the map is per instance.)
    static LIVE_BLOCKS: RefCell<BTreeMap<u32, usize>> = const { RefCell::new(BTreeMap::new()) };
}

pub fn alloc_f32(len: usize) -> u32 {
    let Some(layout) = layout(len) else { return 0 };
    // SAFETY: the layout has a nonzero size. A null result (out of memory) is returned as 0, which
    // the caller reports as an error.
    let ptr = unsafe { alloc_zeroed(layout) } as usize as u32;
    if ptr != 0 {
        LIVE_BLOCKS.with_borrow_mut(|live| live.insert(ptr, len));
    }
    ptr
}

pub fn free_f32(ptr: u32, len: usize) -> Result<(), CallError> {
    let live = LIVE_BLOCKS.with_borrow_mut(|live| match live.get(&ptr) {
        Some(&live_len) if live_len == len => live.remove(&ptr).is_some(),
        _ => false,
    });
    let layout = layout(len).filter(|_| live).ok_or(CallError::NotLive)?;
    // SAFETY: `ptr` was returned by `alloc_f32` with this same `len` (so this same layout) and has not
    // been freed since: it was in the live map, and is now removed from it, so it is freed once.
    unsafe { dealloc(ptr as usize as *mut u8, layout) };
    Ok(())
}

/// Bytes of linear memory, as u64: wasm32's usize cannot hold 4 GiB (65,536 pages), where a 32-bit
/// product wraps to 0 and every block would look out of range.
fn memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size(0) as u64 * 65536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        u64::MAX
    }
}

fn valid_block(ptr: u32, len: usize) -> bool {
    block_fits(ptr, len, memory_bytes())
}

/// Whether `len` f32 at `ptr` are non-null, aligned and inside `memory_bytes` of memory (all in u64,
/// so that a block ending exactly at 4 GiB is not mistaken for one ending at 0).
fn block_fits(ptr: u32, len: usize, memory_bytes: u64) -> bool {
    let start = u64::from(ptr);
    start != 0 && start % 4 == 0 && (len as u64).checked_mul(4).and_then(|b| start.checked_add(b)).is_some_and(|end| end <= memory_bytes)
}

/// Byte range of a block that [`valid_block`] accepted, in u64 (its end may be 2^32).
fn byte_range((ptr, len): (u32, usize)) -> (u64, u64) {
    (u64::from(ptr), u64::from(ptr) + 4 * len as u64)
}

fn overlaps(a: (u32, usize), b: (u32, usize)) -> bool {
    let ((a0, a1), (b0, b1)) = (byte_range(a), byte_range(b));
    a.1 > 0 && b.1 > 0 && a0 < b1 && b0 < a1
}

/// The scalars and flags of parameter group `group` (of `groups`), copied out of wasm memory.
fn group_parameters(scalars_ptr: u32, flags_ptr: u32, groups: u32, group: u32) -> Option<([f32; SCALARS], u32)> {
    let groups = groups as usize;
    let scalar_words = SCALARS.checked_mul(groups)?;
    if group as usize >= groups || !valid_block(scalars_ptr, scalar_words) || !valid_block(flags_ptr, groups) {
        return None;
    }
    // In range: group < groups and both blocks were checked to fit in memory.
    let scalars_at = scalars_ptr as usize + 4 * SCALARS * group as usize;
    let flags_at = flags_ptr as usize + 4 * group as usize;
    // SAFETY: both lie inside linear memory and are 4-byte aligned (checked above: the blocks hold
    // `groups` entries and `group < groups`); f32 and u32 have no invalid bit patterns; copied out.
    Some(unsafe { (*(scalars_at as *const [f32; SCALARS]), *(flags_at as *const u32)) })
}

/// Calls `f` with the slices of tensor `index` of the table at `table_ptr` and its group's flags and
/// scalars, or returns an error code.
pub fn with_tensor(
    table_ptr: u32,
    index: usize,
    kernel: u32,
    scalars_ptr: u32,
    flags_ptr: u32,
    groups: u32,
    f: impl FnOnce(TensorSlices<'_>, u32, &[f32; SCALARS]) -> Result<(), CallError>,
) -> Result<(), CallError> {
    let Some(kernel) = Kernel::from_id(kernel) else { return Err(CallError::UnknownKernel) };
    let Some(offset) = index.checked_mul(TABLE_WORDS * 4).and_then(|o| (table_ptr as usize).checked_add(o)) else {
        return Err(CallError::InvalidBlock);
    };
    if !valid_block(offset as u32, TABLE_WORDS) || offset > u32::MAX as usize {
        return Err(CallError::InvalidBlock);
    }
    // SAFETY: the six words are inside linear memory and aligned (checked above); copied out.
    let words = unsafe { *(offset as *const [u32; TABLE_WORDS]) };
    let Some((scalars, flags)) = group_parameters(scalars_ptr, flags_ptr, groups, words[6]) else { return Err(CallError::InvalidBlock) };
    let len = words[5] as usize;
    let used = kernel.used_state(flags);
    // The value and the used state slots are written: they must be distinct from each other and from
    // the gradient. (A fixed array, not a Vec: a step must not allocate.)
    let mut mutable_blocks = [(words[0], len); 4];
    let mut count = 1;
    for k in 0..3 {
        if used[k] {
            mutable_blocks[count] = (words[2 + k], len);
            count += 1;
        }
    }
    let mutable_blocks = &mutable_blocks[..count];
    if !valid_block(words[1], len) || mutable_blocks.iter().any(|&(p, l)| !valid_block(p, l)) {
        return Err(CallError::InvalidBlock);
    }
    for (i, &a) in mutable_blocks.iter().enumerate() {
        if overlaps(a, (words[1], len)) || mutable_blocks[i + 1..].iter().any(|&b| overlaps(a, b)) {
            return Err(CallError::OverlappingBlocks);
        }
    }
    let state_slot = |k: usize| -> &mut [f32] {
        if used[k] {
            // SAFETY: inside linear memory, aligned, and overlapping no other block of this tensor
            // (checked above), so this `&mut` is unique; nothing else runs while the kernel holds it
            // (a wasm call is not re-entered by JS here).
            unsafe { core::slice::from_raw_parts_mut(words[2 + k] as usize as *mut f32, len) }
        } else {
            &mut []
        }
    };
    let tensor = TensorSlices {
        // SAFETY: as for the state slots above.
        value: unsafe { core::slice::from_raw_parts_mut(words[0] as usize as *mut f32, len) },
        // SAFETY: inside linear memory and aligned (checked above); only read, and no mutable block
        // of this tensor overlaps it.
        grad: unsafe { core::slice::from_raw_parts(words[1] as usize as *const f32, len) },
        state: [state_slot(0), state_slot(1), state_slot(2)],
    };
    f(tensor, flags, &scalars)
}

/// Calls `f` with the two blocks of the bandwidth probe (`a` written, `b` read), or returns
/// [`CallError::InvalidBlock`] when a block is invalid or they overlap.
pub fn with_probe_slices(a: u32, b: u32, len: usize, f: impl FnOnce(&mut [f32], &[f32])) -> Result<(), CallError> {
    if !valid_block(a, len) || !valid_block(b, len) || overlaps((a, len), (b, len)) {
        return Err(CallError::InvalidBlock);
    }
    // SAFETY: both blocks lie inside linear memory and are aligned (checked above); `a`, the one
    // written, does not overlap `b`, so the `&mut` is unique for this call.
    let (a, b) = unsafe {
        (core::slice::from_raw_parts_mut(a as usize as *mut f32, len), core::slice::from_raw_parts(b as usize as *const f32, len))
    };
    f(a, b);
    Ok(())
}

/// Calls `f` with each gradient of the list at `list_ptr` (`count` pairs `[grad_ptr, len]`), one at a
/// time, and the f64 output slot `out_ptr + 8·i` (a scratch value when `out_ptr` is 0), or returns
/// [`CallError::InvalidBlock`] when the list, a block or the output is invalid (nothing after the
/// invalid entry is touched).
pub fn with_grad_list(list_ptr: u32, count: usize, out_ptr: u32, mut f: impl FnMut(&mut [f32], &mut f64)) -> Result<(), CallError> {
    let Some(words) = count.checked_mul(2) else { return Err(CallError::InvalidBlock) };
    if !valid_block(list_ptr, words) || (out_ptr != 0 && (!out_ptr.is_multiple_of(8) || !valid_block(out_ptr, 2 * count))) {
        return Err(CallError::InvalidBlock);
    }
    for i in 0..count {
        // SAFETY: the list lies inside linear memory and is aligned (checked above); copied out.
        let [ptr, len] = unsafe { *((list_ptr as usize + 8 * i) as *const [u32; 2]) };
        if !valid_block(ptr, len as usize) || (out_ptr != 0 && overlaps((ptr, len as usize), (out_ptr, 2 * count))) {
            return Err(CallError::InvalidBlock);
        }
        // SAFETY: inside linear memory and aligned (checked above); the only live reference to this
        // block during the call (entries are handed out one at a time, and the output is elsewhere).
        let grad = unsafe { core::slice::from_raw_parts_mut(ptr as usize as *mut f32, len as usize) };
        let mut scratch = 0.0;
        // SAFETY: inside linear memory and 8-byte aligned (checked above), not overlapping `grad`.
        let out = if out_ptr == 0 { &mut scratch } else { unsafe { &mut *((out_ptr as usize + 8 * i) as *mut f64) } };
        f(grad, out);
    }
    Ok(())
}

/// Checks blocks `(ptr, len)`: `read` ones inside memory, `written` ones inside memory and
/// overlapping neither each other nor any read block.
fn valid_operands(read: &[(u32, usize)], written: &[(u32, usize)]) -> bool {
    read.iter().chain(written).all(|&(p, l)| valid_block(p, l))
        && written.iter().enumerate().all(|(i, &w)| read.iter().chain(&written[i + 1..]).all(|&other| !overlaps(w, other)))
}

/// Calls `f` with a dense forward pass's operands, or returns [`CallError::InvalidBlock`] when a block
/// is invalid or the output overlaps an input.
pub fn with_dense_forward(
    shape: DenseShape,
    [input, weights, bias]: [u32; 3],
    output: u32,
    f: impl FnOnce([&[f32]; 3], &mut [f32]),
) -> Result<(), CallError> {
    let DenseShape { rows, inputs, outputs } = shape;
    let (Some(n_input), Some(n_weights), Some(n_output)) =
        (rows.checked_mul(inputs), inputs.checked_mul(outputs), rows.checked_mul(outputs))
    else {
        return Err(CallError::InvalidBlock);
    };
    let read = [(input, n_input), (weights, n_weights), (bias, outputs)];
    if !valid_operands(&read, &[(output, n_output)]) {
        return Err(CallError::InvalidBlock);
    }
    // SAFETY: every block lies inside linear memory and is aligned; the one written overlaps none of
    // the others (checked above), so the `&mut` is unique for this call.
    let (reads, out) = unsafe {
        (
            read.map(|(p, l)| core::slice::from_raw_parts(p as usize as *const f32, l)),
            core::slice::from_raw_parts_mut(output as usize as *mut f32, n_output),
        )
    };
    f(reads, out);
    Ok(())
}

/// Calls `f` with a dense backward pass's operands (`d_input` may be 0: not computed), or returns
/// [`CallError::InvalidBlock`] when a block is invalid or a written one overlaps another.
pub fn with_dense_backward(
    shape: DenseShape,
    [input, weights, d_output]: [u32; 3],
    [grad_weights, grad_bias, d_input]: [u32; 3],
    f: impl FnOnce([&[f32]; 3], (&mut [f32], &mut [f32], Option<&mut [f32]>)),
) -> Result<(), CallError> {
    let DenseShape { rows, inputs, outputs } = shape;
    let (Some(n_input), Some(n_weights), Some(n_output)) =
        (rows.checked_mul(inputs), inputs.checked_mul(outputs), rows.checked_mul(outputs))
    else {
        return Err(CallError::InvalidBlock);
    };
    let read = [(input, n_input), (weights, n_weights), (d_output, n_output)];
    let written = [(grad_weights, n_weights), (grad_bias, outputs), (d_input, n_input)];
    if !valid_operands(&read, &written[..if d_input != 0 { 3 } else { 2 }]) {
        return Err(CallError::InvalidBlock);
    }
    // SAFETY: every block lies inside linear memory and is aligned; the written ones overlap
    // neither each other nor the read ones (checked above), so each `&mut` is unique for this call.
    unsafe {
        let reads = read.map(|(p, l)| core::slice::from_raw_parts(p as usize as *const f32, l));
        let gw = core::slice::from_raw_parts_mut(grad_weights as usize as *mut f32, n_weights);
        let gb = core::slice::from_raw_parts_mut(grad_bias as usize as *mut f32, outputs);
        let di = (d_input != 0).then(|| core::slice::from_raw_parts_mut(d_input as usize as *mut f32, n_input));
        f(reads, (gw, gb, di));
    }
    Ok(())
}

/// Calls `f` with a softmax cross-entropy's operands: `rows × classes` logits and `rows` targets read,
/// `rows × classes` gradients (when `d_logits` is not 0) and `3·rows` stats written; or returns
/// [`CallError::InvalidBlock`] when a block is invalid or a written one overlaps another.
pub fn with_softmax(
    rows: usize,
    classes: usize,
    [logits, targets]: [u32; 2],
    d_logits: u32,
    stats: u32,
    f: impl FnOnce([&[f32]; 2], Option<&mut [f32]>, &mut [f32]),
) -> Result<(), CallError> {
    let (Some(n_logits), Some(n_stats)) = (rows.checked_mul(classes), rows.checked_mul(gradstep_kernels::softmax::STATS)) else {
        return Err(CallError::InvalidBlock);
    };
    let read = [(logits, n_logits), (targets, rows)];
    let written = [(stats, n_stats), (d_logits, n_logits)];
    if !valid_operands(&read, &written[..if d_logits != 0 { 2 } else { 1 }]) {
        return Err(CallError::InvalidBlock);
    }
    // SAFETY: every block lies inside linear memory and is aligned; the written ones overlap neither
    // each other nor the read ones (checked above), so each `&mut` is unique for this call.
    unsafe {
        let reads = read.map(|(p, l)| core::slice::from_raw_parts(p as usize as *const f32, l));
        let st = core::slice::from_raw_parts_mut(stats as usize as *mut f32, n_stats);
        let d = (d_logits != 0).then(|| core::slice::from_raw_parts_mut(d_logits as usize as *mut f32, n_logits));
        f(reads, d, st);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOUR_GIB: u64 = 1 << 32;

    #[test]
    fn blocks_fit_in_a_full_4_gib_memory() {
        // The regression: at 65,536 pages the 32-bit byte count wrapped to 0 and nothing fit.
        assert!(block_fits(16, 4, FOUR_GIB));
        assert!(block_fits(u32::MAX - 3, 1, FOUR_GIB), "a block ending exactly at 4 GiB");
        assert!(!block_fits(u32::MAX - 3, 2, FOUR_GIB));
        assert!(!block_fits(0, 1, FOUR_GIB));
        assert!(!block_fits(18, 1, FOUR_GIB));
        assert!(!block_fits(16, 5, 32));
    }

    #[test]
    fn a_block_ending_at_4_gib_still_overlaps_its_neighbour() {
        let last = (u32::MAX - 7, 2);
        assert!(overlaps(last, (u32::MAX - 3, 1)));
        assert!(!overlaps(last, (u32::MAX - 11, 1)));
    }
}
