/**
 * Gradient clipping with PyTorch's semantics (`torch.nn.utils.clip_grad_norm_`, `clip_grad_value_`).
 * On the wasm backend the norm reduction, the scaling and the clamping run in wasm; both backends
 * give the same bits (the reduction order is fixed: see crates/gradstep-kernels/src/reductions.rs).
 */
import { backendNamed } from './backends.js';
import { checkParamList, Param } from './param.js';
import { checkBoolean, checkNumber, checkOptionNames, describe } from './validate.js';

/** Options of {@link clipGradNorm} (torch.nn.utils.clip_grad_norm_'s norm_type and error_if_nonfinite). */
export interface ClipGradNormOptions {
  /** The p of the p-norm: any p > 0, or Infinity for the max norm. Default 2. */
  normType?: number;
  /** Throw instead of scaling when the total norm is NaN or infinite. Default false. */
  errorIfNonfinite?: boolean;
}

const f = Math.fround;

function checkParamArgument(owner: string, params: unknown): Param[] {
  const list = params instanceof Param ? [params] : params;
  if (!Array.isArray(list)) throw new TypeError(`${owner}: params must be a Param or an array of params, got ${describe(params)}`);
  return checkParamList(owner, list);
}

/** Σ|g|^p of each gradient for a p the kernels do not reduce, in the same lane order, on any backend. */
function generalPartials(params: Param[], p: number): Float64Array {
  return Float64Array.from(params, (param) => {
    const g = param.grad;
    const lanes = [0, 0, 0, 0];
    for (let i = 0; i < g.length; i++) lanes[i & 3] += Math.abs(g[i]) ** p;
    return lanes[0] + lanes[1] + (lanes[2] + lanes[3]);
  });
}

/**
 * clipGradNorm's checks of maxNorm and its options, shared with fit's clipGradNorm option (which
 * checks them before training starts); `prefix` goes before the names in messages
 * ('clipGradNorm.' in fit's). Returns the options with their defaults.
 */
export function checkClipGradNormArguments(owner: string, prefix: string, maxNorm: unknown, options: unknown): Required<ClipGradNormOptions> {
  // PyTorch accepts an infinite maxNorm (no clipping, the norm is still returned).
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0)) {
    throw new RangeError(`${owner}: ${prefix}maxNorm must be a number >= 0 (Infinity allowed), got ${describe(maxNorm)}`);
  }
  const given = checkOptionNames(prefix === '' ? owner : `${owner}: ${prefix.slice(0, -1)}`, options, ['normType', 'errorIfNonfinite']) as ClipGradNormOptions;
  const normType = given.normType ?? 2;
  if (typeof normType !== 'number' || !(normType > 0)) {
    throw new RangeError(`${owner}: ${prefix}normType must be a number > 0 or Infinity, got ${describe(normType)}`);
  }
  const errorIfNonfinite = checkBoolean(owner, `${prefix}errorIfNonfinite`, given.errorIfNonfinite ?? false);
  return { normType, errorIfNonfinite };
}

/**
 * Scales the gradients of `params` in place so that their total norm is at most `maxNorm`, and
 * returns the total norm before clipping (PyTorch's `clip_grad_norm_`).
 *
 * The total norm is the p-norm of the per-tensor p-norms (each rounded to float32, as PyTorch's
 * tensors are); the scale is `min(maxNorm / (total + 1e-6), 1)` in float32 and is always applied,
 * as in PyTorch, so the clipped norm ends just below maxNorm. A NaN total makes every gradient NaN;
 * an infinite one zeroes the finite entries (and makes the infinite ones NaN). With
 * `errorIfNonfinite: true` a non-finite total throws instead, leaving the gradients untouched.
 */
export function clipGradNorm(params: Param | Param[], maxNorm: number, options?: ClipGradNormOptions): number {
  const owner = 'clipGradNorm';
  const list = checkParamArgument(owner, params);
  const { normType, errorIfNonfinite } = checkClipGradNormArguments(owner, '', maxNorm, options);
  if (list.length === 0) return 0;
  if (normType === Infinity) {
    const empty = list.findIndex((p) => p.length === 0);
    if (empty >= 0) throw new RangeError(`${owner}: the inf norm of the empty gradient of params[${empty}] is undefined (max has no identity), as in PyTorch`);
  }
  const backend = backendNamed(list[0].backend, `${owner}: params[0].backend`);
  const grads = list.map((p) => p.memory().grad);

  let partials: Float64Array;
  if (normType === 2 || normType === 1 || normType === Infinity) {
    partials = new Float64Array(list.length);
    backend.gradNorms(normType === Infinity ? 0 : (normType as 1 | 2), grads, partials);
  } else {
    partials = generalPartials(list, normType);
  }
  let total: number;
  if (normType === Infinity) {
    total = partials.reduce((a, b) => Math.max(a, b), 0);
  } else {
    // Per-tensor norms in float32, then the norm of those norms, as torch.linalg.vector_norm of the stack.
    let sum = 0;
    for (const partial of partials) {
      const tensorNorm = f(normType === 2 ? Math.sqrt(partial) : normType === 1 ? partial : partial ** (1 / normType));
      sum += normType === 1 ? tensorNorm : normType === 2 ? tensorNorm * tensorNorm : tensorNorm ** normType;
    }
    total = f(normType === 2 ? Math.sqrt(sum) : normType === 1 ? sum : sum ** (1 / normType));
  }
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new RangeError(`${owner}: the total norm of order ${normType} of the gradients is ${total}, so it cannot be clipped; set errorIfNonfinite: false to scale them by it anyway`);
  }
  // PyTorch: clip_coef = max_norm / (total + 1e-6), a float divided by a float32 tensor (computed as
  // reciprocal × float), then clamp(max = 1).
  const coefficient = f(f(1 / f(total + f(1e-6))) * f(maxNorm));
  backend.scaleGrads(grads, Math.min(coefficient, 1));
  return total;
}

/** Clamps every gradient of `params` to [−clipValue, clipValue] in place (PyTorch's `clip_grad_value_`); NaN stays NaN. */
export function clipGradValue(params: Param | Param[], clipValue: number): void {
  const owner = 'clipGradValue';
  const list = checkParamArgument(owner, params);
  checkNumber(owner, 'clipValue', clipValue, { min: 0 });
  if (list.length === 0) return;
  backendNamed(list[0].backend, `${owner}: params[0].backend`).clampGrads(list.map((p) => p.memory().grad), clipValue);
}
