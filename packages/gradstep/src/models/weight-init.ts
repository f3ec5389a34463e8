/** Seeded initial weights for dense layers. */
import type { Random } from '../model-selection/random.js';
import { standardNormal } from '../data/normal-random.js';

/**
 * 'he': normal with std √(2 / fanIn) (He et al. 2015), for ReLU layers (PyTorch's
 *   `kaiming_normal_`); 'glorot': uniform on ±√(6 / (fanIn + fanOut)) (Glorot & Bengio 2010), for
 *   tanh and linear layers (Keras' default `glorot_uniform`); 'zeros': all zeros (convex models).
 */
export type WeightInit = 'he' | 'glorot' | 'zeros';

/**
 * Fills `weights` (fanIn × fanOut, row-major) in order, one draw per weight (two `nextFloat()`s for
 * 'he', one for 'glorot', none for 'zeros').
 */
export function initializeWeights(kind: WeightInit, weights: Float32Array, fanIn: number, fanOut: number, rng: Random): void {
  if (kind === 'zeros') {
    weights.fill(0);
  } else if (kind === 'he') {
    const std = Math.sqrt(2 / fanIn);
    for (let i = 0; i < weights.length; i++) weights[i] = std * standardNormal(rng);
  } else {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < weights.length; i++) weights[i] = limit * (2 * rng.nextFloat() - 1);
  }
}
