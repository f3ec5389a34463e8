/** Exhaustive cross-validation: scikit-learn's LeaveOneOut and LeavePOut, as lazy iterators. */
import { checkSampleCount } from '../validate.js';
import type { Fold } from './folds.js';

/**
 * The n leave-one-out splits of n samples, as scikit-learn's `LeaveOneOut`: split i tests sample i
 * and trains on all the others (ascending).
 *
 * Returned as an iterator (each fold freshly allocated, so folds may be kept) rather than an array,
 * because all n folds together hold n² indices; use `Array.from(leaveOneOut(n))` when n is small.
 * The arguments are checked at the call, not at the first `next()`.
 *
 * @throws RangeError if n < 2 (as scikit-learn: no train set would remain)
 */
export function leaveOneOut(n: number): IterableIterator<Fold> {
  const owner = 'leaveOneOut';
  checkSampleCount(owner, 'n', n);
  if (n < 2) throw new RangeError(`${owner}: cannot leave one out of n=${n} sample; n must be at least 2`);
  return combinationsLeftOut(n, 1);
}

/**
 * All C(n, p) splits that test p of the n samples and train on the others, as scikit-learn's
 * `LeavePOut(p)`: the test sets are the p-element subsets in lexicographic order
 * (`itertools.combinations(range(n), p)`), train and test ascending.
 *
 * Returned as an iterator (each fold freshly allocated) because C(n, p) explodes: 4,950 splits for
 * n = 100 and p = 2, 161,700 for p = 3.
 *
 * @throws RangeError if p < 1 or p >= n (as scikit-learn: "p must be strictly less than the number of samples")
 */
export function leavePOut(n: number, p: number): IterableIterator<Fold> {
  const owner = 'leavePOut';
  checkSampleCount(owner, 'n', n);
  checkSampleCount(owner, 'p', p);
  if (p >= n) throw new RangeError(`${owner}: p=${p} must be strictly less than the number of samples n=${n}`);
  return combinationsLeftOut(n, p);
}

function* combinationsLeftOut(n: number, p: number): Generator<Fold, void, undefined> {
  const chosen = Uint32Array.from({ length: p }, (_, j) => j);
  for (;;) {
    const test = chosen.slice();
    const train = new Uint32Array(n - p);
    for (let i = 0, j = 0, r = 0; i < n; i++) {
      if (j < p && chosen[j] === i) j++;
      else train[r++] = i;
    }
    yield { train, test };
    // Next combination: bump the rightmost element that can still move, reset the ones after it.
    let j = p - 1;
    while (j >= 0 && chosen[j] === n - p + j) j--;
    if (j < 0) return;
    chosen[j]++;
    for (let after = j + 1; after < p; after++) chosen[after] = chosen[after - 1] + 1;
  }
}
