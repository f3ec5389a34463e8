/** Polynomial features: the capacity knob of linear models. */
import { checkInteger, describe } from '../validate.js';

/**
 * Each feature's powers 1 … degree, per row: [x₀, x₀², …, x₀^d, x₁, …, x₁^d, …] (rows × features·degree).
 * No constant column (the models have a bias) and no cross terms x₀·x₁, unlike scikit-learn's
 * `PolynomialFeatures`; for one feature the two agree. Standardize the result before gradient
 * descent: the powers' scales differ by orders of magnitude.
 */
export function polynomialFeatures(X: Float32Array, features: number, degree: number): Float32Array {
  const owner = 'polynomialFeatures';
  if (!(X instanceof Float32Array)) throw new TypeError(`${owner}: X must be a Float32Array, got ${describe(X)}`);
  if (!Number.isInteger(features) || features < 1 || X.length % features !== 0) {
    throw new RangeError(`${owner}: X has ${X.length} values, not a whole number of rows of ${describe(features)} features`);
  }
  checkInteger(owner, 'degree', degree, 1, 64);
  const rows = X.length / features;
  const out = new Float32Array(rows * features * degree);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < features; j++) {
      const x = X[i * features + j];
      let power = 1;
      const base = (i * features + j) * degree;
      for (let p = 0; p < degree; p++) {
        power *= x;
        out[base + p] = power;
      }
    }
  }
  return out;
}
