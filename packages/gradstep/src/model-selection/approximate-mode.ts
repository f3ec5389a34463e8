/** Per-class sample counts of a stratified draw: scikit-learn's `_approximate_mode`. */
import type { Random } from './random.js';

/**
 * How many of `draws` samples to take from each class so that the classes keep their proportions:
 * an approximation of the mode of the multivariate hypergeometric distribution, computed as
 * scikit-learn's `sklearn.utils.extmath._approximate_mode`. Each class gets
 * ⌊counts[c] / total · draws⌋ (the same float64 operations as NumPy, so the same values), and the
 * samples still missing go one each to the classes with the largest remainders; among equal
 * remainders the classes are chosen at random (the only use of `rng`, which scikit-learn also uses
 * for this, but with other draws).
 */
export function approximateMode(counts: Uint32Array, draws: number, rng: Random): Uint32Array {
  let total = 0;
  for (const count of counts) total += count;
  const taken = new Uint32Array(counts.length);
  const remainders = new Float64Array(counts.length);
  let missing = draws;
  for (let c = 0; c < counts.length; c++) {
    const continuous = (counts[c] / total) * draws;
    taken[c] = Math.floor(continuous);
    remainders[c] = continuous - taken[c];
    missing -= taken[c];
  }
  if (missing <= 0) return taken;
  // Classes by decreasing remainder; each run of equal remainders is one tie to break.
  const byRemainder = Uint32Array.from(counts.keys()).sort((a, b) => remainders[b] - remainders[a] || a - b);
  for (let start = 0; start < byRemainder.length && missing > 0; ) {
    let end = start + 1;
    while (end < byRemainder.length && remainders[byRemainder[end]] === remainders[byRemainder[start]]) end++;
    const tied = byRemainder.subarray(start, end);
    if (tied.length > missing) rng.shuffle(tied);
    const add = Math.min(tied.length, missing);
    for (let j = 0; j < add; j++) taken[tied[j]]++;
    missing -= add;
    start = end;
  }
  return taken;
}
