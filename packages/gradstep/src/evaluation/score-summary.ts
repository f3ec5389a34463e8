/** Mean and spread of scores across folds, as scikit-learn users compute them with NumPy. */

/** The arithmetic mean (NaN for no values; NaN if any value is NaN, as `np.mean`). */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length === 0 ? NaN : sum / values.length;
}

/**
 * The population standard deviation √(Σ(x − mean)²/n), `np.std`'s default (ddof = 0), computed in
 * two passes as NumPy does (not from Σx², which cancels catastrophically).
 */
export function populationStd(values: ArrayLike<number>): number {
  const center = mean(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - center) ** 2;
  return Math.sqrt(sum / values.length);
}

/** Mean and population std of each row of a matrix given as rows. */
export function rowMeansAndStds(rows: readonly Float64Array[]): { mean: Float64Array; std: Float64Array } {
  return { mean: Float64Array.from(rows, mean), std: Float64Array.from(rows, populationStd) };
}
