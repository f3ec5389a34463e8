//! Dense-layer arithmetic for gradstep's models (`packages/gradstep/src/js-kernels/dense.ts` is its
//! TypeScript twin): `output = act(input·W + b)` and its gradients, on row-major float32 matrices.
//!
//! Every result is the same float32 operation sequence as the TypeScript code (each product and
//! sum rounded to float32, no FMA), whatever the lane type and the blocking, so both backends train
//! the same bits:
//! - rows go in blocks of four; an input column whose four values are all zero is skipped (after a
//!   ReLU many are), a single remaining row skips its zeros;
//! - each output element starts from its bias and adds its terms in order of the input feature p;
//!   with [`Activation::Relu`] the finished sum is stored as `x < 0 ? 0 : x` (exact);
//! - `grad_weights[p, j]` adds, block after block of four rows, `((t0 + t1) + t2) + t3` (`t_r` the
//!   product of row r), skipping blocks whose four inputs at p are zero, then the remaining rows'
//!   nonzero products one by one;
//! - `d_input[r, p]` starts from +0 and adds its terms in order of the output feature j; when the
//!   layer's input is a ReLU's output, the finished sum is stored where `input[r, p] > 0` and +0
//!   elsewhere (ReLU's derivative, exact).
//!
//! The products are register-blocked GEMMs: a micro-kernel keeps a tile of outputs (four rows ×
//! eight columns, say) in lanes while it walks the reduction, so each element still sees its terms in
//! the order above. Blocking splits rows and columns, and the reduction only into consecutive chunks
//! whose partial results go through memory (exact), never into partial sums; the activation is
//! applied as the last chunk's tile is stored. Columns that do not fill a lane go through one
//! zero-padded lane (the padding lanes are computed and dropped), so narrow layers (10 classes) stay
//! vectorised. Operands are packed into buffers made once per thread (see [`Scratch`]): the nonzero
//! columns of each block of input rows (forward), the transpose of a chunk of the weights
//! (`d_input`), blocks of input columns (`grad_weights`), the last columns of a right operand.

use crate::lane::Lane;
use std::cell::RefCell;

/// Lengths of a dense layer's operands, checked by the caller.
#[derive(Clone, Copy, Debug)]
pub struct DenseShape {
    pub rows: usize,
    pub inputs: usize,
    pub outputs: usize,
}

/// A hidden layer's nonlinearity, fused into the dense kernels (its id is part of the wasm ABI:
/// `packages/gradstep/src/backend.ts` passes it by number). tanh is not here: see HACKING.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Activation {
    /// No activation: the products as they are.
    Identity = 0,
    /// `max(x, 0)`, as `x < 0 ? 0 : x` (NaN and −0 pass through); its derivative is `[a > 0]`.
    Relu = 1,
}

impl Activation {
    pub fn from_id(id: u32) -> Option<Activation> {
        match id {
            0 => Some(Activation::Identity),
            1 => Some(Activation::Relu),
            _ => None,
        }
    }
}

/// Reduction indices per packed chunk.
const KC: usize = 128;
/// Rows per packed chunk of the left operand (a multiple of 4).
const MC: usize = 64;
/// Columns per packed chunk of a transposed right operand.
const NC: usize = 128;
/// Row groups of a chunk: MC / 4 blocks, and up to three single rows after the last block.
const GROUPS: usize = MC / 4 + 3;
/// The widest lane (f32x4): the padded column tail holds this many columns.
const MAX_WIDTH: usize = 4;

/// The packing buffers of the dense kernels (about 110 KiB), made once per thread on first use and
/// reused by every call after it: a call neither allocates nor zeroes them (each call writes what it
/// reads; one-row predictions would otherwise spend their time clearing stack arrays). Reached only
/// through [`with_scratch`], never re-entered.
struct Scratch {
    packed: PackedRows,
    transposed: [f32; KC * NC],
    columns: PackedColumns,
    /// The last (< lane width) columns of a right operand chunk, zero-padded to a lane: kc × 4.
    right_tail: [f32; KC * MAX_WIDTH],
    /// [`weight_gradient`]'s last columns: d_output rows (4·BC × 4) and grad_weights rows (PC × 4).
    d_tail: [f32; 4 * BC * MAX_WIDTH],
    gw_tail: [f32; PC * MAX_WIDTH],
}

thread_local! {
    static SCRATCH: RefCell<Option<Box<Scratch>>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's [`Scratch`] (made on the first call).
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| {
        let mut slot = cell.borrow_mut();
        let scratch = slot.get_or_insert_with(|| {
            Box::new(Scratch {
                packed: PackedRows { values: [0.0; MC * KC], indices: [0; GROUPS * KC], groups: [(0, 0, 0); GROUPS], len: 0 },
                transposed: [0.0; KC * NC],
                columns: PackedColumns { values: [0.0; BC * PC * 4], nonzero: [false; BC * PC] },
                right_tail: [0.0; KC * MAX_WIDTH],
                d_tail: [0.0; 4 * BC * MAX_WIDTH],
                gw_tail: [0.0; PC * MAX_WIDTH],
            })
        });
        f(scratch)
    })
}

/// `output[i, j] = act(bias[j] + Σ_p input[i, p]·weights[p, j])`.
pub fn dense_forward<L: Lane>(shape: DenseShape, input: &[f32], weights: &[f32], bias: &[f32], output: &mut [f32], activation: Activation) {
    let DenseShape { rows, inputs: n_in, outputs: n_out } = shape;
    let product = Product { m: rows, k: n_in, n: n_out };
    let finish = match activation {
        Activation::Identity => Finish::Store,
        Activation::Relu => Finish::Relu,
    };
    with_scratch(|scratch| {
        gemm::<L, true>(
            scratch,
            product,
            &input[..rows * n_in],
            Right::RowMajor(&weights[..n_in * n_out]),
            Some(&bias[..n_out]),
            finish,
            &mut output[..rows * n_out],
        )
    });
}

/// Sizes of `c (m × n) = a (m × k) · b (k × n)`.
#[derive(Clone, Copy)]
struct Product {
    m: usize,
    k: usize,
    n: usize,
}

/// The right operand `b` (k × n) of a product.
#[derive(Clone, Copy)]
enum Right<'a> {
    /// `b[kk, j] = s[kk·n + j]`.
    RowMajor(&'a [f32]),
    /// `b[kk, j] = s[j·k + kk]` (a row-major n × k matrix, transposed).
    Transposed(&'a [f32]),
}

/// What happens to an element of `c` when its sum is complete (the last chunk of the reduction).
#[derive(Clone, Copy)]
enum Finish<'a> {
    /// Stored as it is.
    Store,
    /// Stored as `x < 0 ? 0 : x`.
    Relu,
    /// Stored where the same element of this matrix (laid out as `c`, from the same element) is
    /// > 0, +0 elsewhere.
    PositiveMask(&'a [f32]),
}

impl<'a> Finish<'a> {
    /// The same finish for the part of `c` that starts `offset` elements further.
    #[inline(always)]
    fn from(self, offset: usize) -> Finish<'a> {
        match self {
            Finish::PositiveMask(mask) => Finish::PositiveMask(&mask[offset..]),
            other => other,
        }
    }

    /// `x` finished, `x` being the lane that starts `at` elements from this finish's first element
    /// (`cols` of its lanes are real: fewer than the width only in a column tail).
    #[inline(always)]
    fn apply<L: Lane>(self, x: L, at: usize, cols: usize) -> L {
        match self {
            Finish::Store => x,
            Finish::Relu => x.zero_if_negative(),
            Finish::PositiveMask(mask) => {
                let m = if cols == L::WIDTH { L::load(&mask[at..]) } else { load_part(&mask[at..], cols) };
                m.greater_select(L::splat(0.0), x, L::splat(0.0))
            }
        }
    }
}

// The column tail moves a few values at a time: element loops over fixed-size lanes, never
// `copy_from_slice` or `fill` with a run-time length (in wasm, each is a call to memcpy or memset).

/// The first `cols` (< the lane width ≤ 4) values of `src` in a lane, zero-padded.
#[inline(always)]
fn load_part<L: Lane>(src: &[f32], cols: usize) -> L {
    let mut lane = [0.0f32; MAX_WIDTH];
    pad_into(&mut lane, src, cols);
    L::load(&lane)
}

/// Writes the first `cols` lanes of `x` to `dst`.
#[inline(always)]
#[allow(clippy::manual_memcpy)] // on purpose: see above
fn store_part<L: Lane>(x: L, dst: &mut [f32], cols: usize) {
    let mut lane = [0.0f32; MAX_WIDTH];
    x.store(&mut lane);
    for c in 0..cols {
        dst[c] = lane[c];
    }
}

/// `lane[c] = src[c]` for c < cols, 0 after.
#[inline(always)]
fn pad_into(lane: &mut [f32], src: &[f32], cols: usize) {
    for (c, x) in lane.iter_mut().enumerate() {
        *x = if c < cols { src[c] } else { 0.0 };
    }
}

/// The rows of `a` packed for one chunk of the reduction: for each row group (a block of four rows,
/// or a single row), the reduction indices it keeps and their values, `width` per index.
struct PackedRows {
    values: [f32; MC * KC],
    indices: [u16; GROUPS * KC],
    /// Per group: first row, rows (4 or 1), count of kept indices.
    groups: [(usize, usize, usize); GROUPS],
    len: usize,
}

impl PackedRows {
    /// Packs rows `i0 .. i0 + mc` of `a` (row length `k`) over reduction indices `k0 .. k0 + kc`.
    /// With `SKIP`, an index whose values in a group are all zero is left out.
    fn pack<const SKIP: bool>(&mut self, a: &[f32], k: usize, i0: usize, mc: usize, k0: usize, kc: usize) {
        self.len = 0;
        let mut offset = 0;
        let mut i = i0;
        while i < i0 + mc {
            let rows = if i + 4 <= i0 + mc { 4 } else { 1 };
            let base = offset;
            let first = self.len * KC;
            let mut count = 0;
            for kk in 0..kc {
                let at = |r: usize| a[(i + r) * k + k0 + kk];
                if rows == 4 {
                    let v = [at(0), at(1), at(2), at(3)];
                    if SKIP && v.iter().all(|&x| x == 0.0) {
                        continue;
                    }
                    self.values[base + 4 * count..base + 4 * count + 4].copy_from_slice(&v);
                } else {
                    let v = at(0);
                    if SKIP && v == 0.0 {
                        continue;
                    }
                    self.values[base + count] = v;
                }
                self.indices[first + count] = kk as u16;
                count += 1;
            }
            self.groups[self.len] = (i, rows, count);
            self.len += 1;
            offset += rows * count;
            i += rows;
        }
    }
}

/// `c = finish(init + a·b)` (`init` a row broadcast to every row, or +0), each element adding its
/// terms in order of the reduction index; with `SKIP`, terms are left out where the row group's `a`
/// values are all zero (see the module doc).
fn gemm<L: Lane, const SKIP: bool>(
    scratch: &mut Scratch,
    p: Product,
    a: &[f32],
    b: Right,
    init: Option<&[f32]>,
    finish: Finish,
    c: &mut [f32],
) {
    let Product { m, k, n } = p;
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        for (i, row) in c.chunks_exact_mut(n).enumerate() {
            match init {
                Some(init) => row.copy_from_slice(init),
                None => row.fill(0.0),
            }
            let finish = finish.from(i * n);
            for (j, x) in row.iter_mut().enumerate() {
                *x = finish.apply::<f32>(*x, j, 1);
            }
        }
        return;
    }
    let Scratch { packed, transposed, right_tail, .. } = scratch;
    let w = L::WIDTH;
    let nc_max = match b {
        Right::Transposed(_) => NC,
        Right::RowMajor(_) => n,
    };
    let mut k0 = 0;
    while k0 < k {
        let kc = KC.min(k - k0);
        let mut j0 = 0;
        while j0 < n {
            let nc = nc_max.min(n - j0);
            // The right operand's rows kk = 0 … kc − 1 over columns j0 … j0 + nc − 1, each `ldb` apart.
            let (right, ldb): (&[f32], usize) = match b {
                Right::RowMajor(s) => (&s[k0 * n + j0..], n),
                Right::Transposed(s) => {
                    for jj in 0..nc {
                        let src = &s[(j0 + jj) * k + k0..(j0 + jj) * k + k0 + kc];
                        for (kk, &x) in src.iter().enumerate() {
                            transposed[kk * nc + jj] = x;
                        }
                    }
                    (&transposed[..kc * nc], nc)
                }
            };
            // The columns after the last whole lane, zero-padded to one lane (once for every row chunk).
            let full = nc - nc % w;
            if full < nc {
                for kk in 0..kc {
                    pad_into(&mut right_tail[kk * w..(kk + 1) * w], &right[kk * ldb + full..], nc - full);
                }
            }
            let mut i0 = 0;
            while i0 < m {
                let mc = MC.min(m - i0);
                packed.pack::<SKIP>(a, k, i0, mc, k0, kc);
                let from = if k0 == 0 { Start::Init(init.map(|s| &s[j0..j0 + nc])) } else { Start::Output };
                let finish = if k0 + kc == k { finish.from(i0 * n) } else { Finish::Store };
                let operands = Operands { packed, right, ldb, right_tail: &right_tail[..kc * w] };
                tiles::<L>(operands, from, finish, &mut c[i0 * n..(i0 + mc) * n], n, j0, nc);
                i0 += mc;
            }
            j0 += nc;
        }
        k0 += kc;
    }
}

/// What a tile's accumulators start from: the bias row (or +0) in the first chunk of the reduction,
/// else the partial results in the output.
#[derive(Clone, Copy)]
enum Start<'a> {
    Init(Option<&'a [f32]>),
    Output,
}

/// The packed operands of one chunk: the left rows, the right operand's chunk (rows `ldb` apart), and
/// its padded last columns (one lane per reduction index).
#[derive(Clone, Copy)]
struct Operands<'a> {
    packed: &'a PackedRows,
    right: &'a [f32],
    ldb: usize,
    right_tail: &'a [f32],
}

/// Runs the micro-kernels over the packed row groups × columns `j0 … j0 + nc − 1` of `c` (rows of `c`
/// from the packed chunk's first row; row length `n`).
#[inline(always)]
fn tiles<L: Lane>(ops: Operands, from: Start, finish: Finish, c: &mut [f32], n: usize, j0: usize, nc: usize) {
    let w = L::WIDTH;
    let mut jj = 0;
    while jj + 2 * w <= nc {
        groups::<L, 2>(ops.packed, &ops.right[jj..], ops.ldb, from, finish, c, n, j0, jj, 2 * w);
        jj += 2 * w;
    }
    while jj + w <= nc {
        groups::<L, 1>(ops.packed, &ops.right[jj..], ops.ldb, from, finish, c, n, j0, jj, w);
        jj += w;
    }
    if jj < nc {
        groups::<L, 1>(ops.packed, ops.right_tail, w, from, finish, c, n, j0, jj, nc - jj);
    }
}

/// One column tile (`NV` lanes from chunk column `jj`, of which `cols` columns are real) over every
/// row group of the chunk.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn groups<L: Lane, const NV: usize>(
    packed: &PackedRows,
    right: &[f32],
    ldb: usize,
    from: Start,
    finish: Finish,
    c: &mut [f32],
    n: usize,
    j0: usize,
    jj: usize,
    cols: usize,
) {
    let i0 = packed.groups[0].0;
    let from = match from {
        Start::Init(Some(init)) => Start::Init(Some(&init[jj..])),
        other => other,
    };
    let mut offset = 0;
    for g in 0..packed.len {
        let (i, rows, count) = packed.groups[g];
        let values = &packed.values[offset..offset + rows * count];
        let indices = &packed.indices[g * KC..g * KC + count];
        let at = (i - i0) * n + j0 + jj;
        let (out, finish) = (&mut c[at..], finish.from(at));
        if rows == 4 {
            micro_kernel::<L, 4, NV>(values, indices, right, ldb, from, finish, out, n, cols);
        } else {
            micro_kernel::<L, 1, NV>(values, indices, right, ldb, from, finish, out, n, cols);
        }
        offset += rows * count;
    }
}

/// The register tile: `MR` rows × `NV` lanes of `c`, from `from`, plus the packed terms in order,
/// finished and stored. With `cols` < the tile's width (one lane only), the padding lanes are
/// computed and dropped.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn micro_kernel<L: Lane, const MR: usize, const NV: usize>(
    values: &[f32],
    indices: &[u16],
    right: &[f32],
    ldb: usize,
    from: Start,
    finish: Finish,
    out: &mut [f32],
    n: usize,
    cols: usize,
) {
    let w = L::WIDTH;
    let whole = cols == NV * w;
    let load = |src: &[f32]| if whole { L::load(src) } else { load_part::<L>(src, cols) };
    let mut acc = [[L::splat(0.0); NV]; MR];
    for (r, row) in acc.iter_mut().enumerate() {
        for (v, lane) in row.iter_mut().enumerate() {
            *lane = match from {
                Start::Init(Some(init)) => load(&init[v * w..]),
                Start::Init(None) => L::splat(0.0),
                Start::Output => load(&out[r * n + v * w..]),
            };
        }
    }
    for (a, &kk) in values.chunks_exact(MR).zip(indices) {
        let b = &right[kk as usize * ldb..kk as usize * ldb + NV * w];
        let bv: [L; NV] = core::array::from_fn(|v| L::load(&b[v * w..]));
        for r in 0..MR {
            let s = L::splat(a[r]);
            for v in 0..NV {
                acc[r][v] = acc[r][v] + s * bv[v];
            }
        }
    }
    for (r, row) in acc.iter().enumerate() {
        for (v, lane) in row.iter().enumerate() {
            let at = r * n + v * w;
            let x = finish.apply(*lane, at, if whole { w } else { cols });
            if whole {
                x.store(&mut out[at..]);
            } else {
                store_part(x, &mut out[at..], cols);
            }
        }
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
/// `d_input = d_output·weightsᵀ` (overwritten), which is ∂loss/∂(the previous layer's pre-activations)
/// when `input_activation` says the input is a ReLU's output (`[input > 0]`, the derivative, applied).
#[allow(clippy::too_many_arguments)]
pub fn dense_backward<L: Lane>(
    shape: DenseShape,
    input: &[f32],
    weights: &[f32],
    d_output: &[f32],
    grad_weights: &mut [f32],
    grad_bias: &mut [f32],
    d_input: Option<&mut [f32]>,
    input_activation: Activation,
) {
    let DenseShape { rows, inputs: n_in, outputs: n_out } = shape;
    let (input, weights, d_output) = (&input[..rows * n_in], &weights[..n_in * n_out], &d_output[..rows * n_out]);
    let (grad_weights, grad_bias) = (&mut grad_weights[..n_in * n_out], &mut grad_bias[..n_out]);
    bias_gradient::<L>(rows, n_out, d_output, grad_bias);
    with_scratch(|scratch| {
        weight_gradient::<L>(scratch, shape, input, d_output, grad_weights);
        if let Some(d_input) = d_input {
            let product = Product { m: rows, k: n_out, n: n_in };
            let finish = match input_activation {
                Activation::Identity => Finish::Store,
                Activation::Relu => Finish::PositiveMask(input),
            };
            gemm::<L, false>(scratch, product, d_output, Right::Transposed(weights), None, finish, &mut d_input[..rows * n_in]);
        }
    });
}

/// `grad_bias[j]` = +0, then `((d0 + d1) + d2) + d3` per block of four rows, then the remaining rows.
fn bias_gradient<L: Lane>(rows: usize, n_out: usize, d_output: &[f32], grad_bias: &mut [f32]) {
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
        i += 4;
    }
    while i < rows {
        let d = &d_output[i * n_out..(i + 1) * n_out];
        for k in 0..n_out {
            grad_bias[k] += d[k];
        }
        i += 1;
    }
}

/// Input features per packed chunk of [`weight_gradient`].
/// Input features per packed chunk of [`weight_gradient`].
const PC: usize = 64;
/// Blocks of four rows per packed chunk of [`weight_gradient`].
const BC: usize = 32;

/// Blocks of four rows × input features, transposed: `values[(b·PC + q)·4 + r] = input[4b + r, p0 + q]`,
/// and whether any of the four is nonzero.
struct PackedColumns {
    values: [f32; BC * PC * 4],
    nonzero: [bool; BC * PC],
}

/// `grad_weights = inputᵀ·d_output` in the order of the module doc, register-blocked over
/// (input features × output columns) tiles that walk the row blocks.
fn weight_gradient<L: Lane>(scratch: &mut Scratch, shape: DenseShape, input: &[f32], d_output: &[f32], grad_weights: &mut [f32]) {
    let DenseShape { rows, inputs: n_in, outputs: n_out } = shape;
    let Scratch { columns: packed, d_tail, gw_tail, .. } = scratch;
    let w = L::WIDTH;
    grad_weights.fill(0.0);
    let blocks = rows / 4;
    if blocks > 0 && n_out > 0 {
        // The last columns (after the last whole lane) go through one zero-padded lane: d_output's
        // columns j_tail … n_out − 1 of each chunk of rows, packed once per chunk of rows.
        let (j_tail, cols) = (n_out - n_out % w, n_out % w);
        let mut b0 = 0;
        while b0 < blocks {
            let bc = BC.min(blocks - b0);
            let d = &d_output[4 * b0 * n_out..4 * (b0 + bc) * n_out];
            if cols > 0 {
                for row in 0..4 * bc {
                    pad_into(&mut d_tail[row * w..(row + 1) * w], &d[row * n_out + j_tail..], cols);
                }
            }
            let mut p0 = 0;
            while p0 < n_in {
                let pc = PC.min(n_in - p0);
                for b in 0..bc {
                    for q in 0..pc {
                        let v: [f32; 4] = core::array::from_fn(|r| input[(4 * (b0 + b) + r) * n_in + p0 + q]);
                        packed.values[(b * PC + q) * 4..(b * PC + q) * 4 + 4].copy_from_slice(&v);
                        packed.nonzero[b * PC + q] = v.iter().any(|&x| x != 0.0);
                    }
                }
                // Column tiles outer: a tile's rows of d_output stay in L1 while every feature of the
                // chunk passes over them.
                let gw = &mut grad_weights[p0 * n_out..(p0 + pc) * n_out];
                let mut j = 0;
                while j + w <= n_out {
                    weight_tiles::<L>(packed, bc, pc, &d[j..], n_out, &mut gw[j..]);
                    j += w;
                }
                if cols > 0 {
                    // grad_weights' last columns into rows of one lane, and back.
                    for q in 0..pc {
                        pad_into(&mut gw_tail[q * w..(q + 1) * w], &gw[q * n_out + j..], cols);
                    }
                    weight_tiles::<L>(packed, bc, pc, &d_tail[..4 * bc * w], w, &mut gw_tail[..pc * w]);
                    for q in 0..pc {
                        for c in 0..cols {
                            gw[q * n_out + j + c] = gw_tail[q * w + c];
                        }
                    }
                }
                p0 += pc;
            }
            b0 += bc;
        }
    }
    for i in 4 * blocks..rows {
        let d = &d_output[i * n_out..(i + 1) * n_out];
        for p in 0..n_in {
            let a = input[i * n_in + p];
            if a != 0.0 {
                axpy::<L>(&mut grad_weights[p * n_out..(p + 1) * n_out], a, d);
            }
        }
    }
}

/// One column tile (a lane from `d[0]`, `gw[0]`) × every feature of the packed chunk.
#[inline(always)]
fn weight_tiles<L: Lane>(packed: &PackedColumns, bc: usize, pc: usize, d: &[f32], n_out: usize, gw: &mut [f32]) {
    let mut q = 0;
    while q + 4 <= pc {
        weight_kernel::<L, 4>(packed, bc, q, d, n_out, &mut gw[q * n_out..]);
        q += 4;
    }
    while q < pc {
        weight_kernel::<L, 1>(packed, bc, q, d, n_out, &mut gw[q * n_out..]);
        q += 1;
    }
}

/// The register tile of `grad_weights`: `MP` features × one lane, over `bc` blocks of four rows.
#[inline(always)]
fn weight_kernel<L: Lane, const MP: usize>(packed: &PackedColumns, bc: usize, q: usize, d: &[f32], n_out: usize, gw: &mut [f32]) {
    let mut acc: [L; MP] = core::array::from_fn(|t| L::load(&gw[t * n_out..]));
    for b in 0..bc {
        let rows = &d[4 * b * n_out..];
        let dv: [L; 4] = core::array::from_fn(|r| L::load(&rows[r * n_out..]));
        for (t, acc_t) in acc.iter_mut().enumerate() {
            if !packed.nonzero[b * PC + q + t] {
                continue;
            }
            let a = &packed.values[(b * PC + q + t) * 4..(b * PC + q + t) * 4 + 4];
            let terms = ((L::splat(a[0]) * dv[0] + L::splat(a[1]) * dv[1]) + L::splat(a[2]) * dv[2]) + L::splat(a[3]) * dv[3];
            *acc_t = *acc_t + terms;
        }
    }
    for (t, lane) in acc.iter().enumerate() {
        lane.store(&mut gw[t * n_out..]);
    }
}
