// The 2D loss surfaces of the trajectory panel: each with its analytic gradient, the region drawn,
// a start point and a learning rate per optimizer that makes the race worth watching (a grid search over
// 300 steps gave the largest stable rates; these are a little below them, so that paths stay smooth).

export type Point = readonly [number, number];

export interface Surface {
  readonly id: string;
  readonly name: string;
  /** The formula, as shown on the page. */
  readonly formula: string;
  /** What the surface teaches, in one or two sentences. */
  readonly lesson: string;
  /** The region drawn: [min, max] of x and y (square, so that contours keep their shape). */
  readonly xRange: Point;
  readonly yRange: Point;
  readonly start: Point;
  /** The global minima, marked on the plot. */
  readonly minima: readonly Point[];
  /** The smallest value of f, so that f − fMin ≥ 0 can be shown on a log scale. */
  readonly fMin: number;
  f(x: number, y: number): number;
  /** Writes ∂f/∂x, ∂f/∂y into out. */
  gradient(x: number, y: number, out: Float64Array): void;
  /** Learning rates per optimizer id; optimizers absent here use their catalog default. */
  readonly lr: Readonly<Record<string, number>>;
}

const rosenbrock: Surface = {
  id: 'rosenbrock',
  name: 'Rosenbrock',
  formula: 'f(x, y) = (1 − x)² + 100 (y − x²)²',
  lesson:
    'A long curved valley: the gradient points across the valley, not along it. Plain gradient descent ' +
    'crawls; momentum builds speed along the floor; adaptive methods rescale each coordinate.',
  xRange: [-2, 2],
  yRange: [-1, 3],
  start: [-1.5, 2.5],
  minima: [[1, 1]],
  fMin: 0,
  f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  gradient(x, y, out) {
    const r = y - x * x;
    out[0] = -2 * (1 - x) - 400 * x * r;
    out[1] = 200 * r;
  },
  lr: { sgd: 6e-4, momentum: 5e-4, nesterov: 5e-4, adagrad: 0.1, adadelta: 1, rmsprop: 1e-2, adam: 0.1, adamw: 0.1, adamax: 0.2, nadam: 0.1, radam: 1e-3, lion: 1e-2 },
};

const beale: Surface = {
  id: 'beale',
  name: 'Beale',
  formula: 'f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
  lesson:
    'Flat plateaus next to steep walls: gradients differ by orders of magnitude between regions, so a ' +
    'single learning rate is too small on the plateau and too large at the walls.',
  xRange: [-4.5, 4.5],
  yRange: [-4.5, 4.5],
  start: [1, 1.5],
  minima: [[3, 0.5]],
  fMin: 0,
  f(x, y) {
    const a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
    return a * a + b * b + c * c;
  },
  gradient(x, y, out) {
    const a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
    out[0] = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1);
    out[1] = 2 * a * x + 4 * b * x * y + 6 * c * x * y * y;
  },
  lr: { sgd: 1e-2, momentum: 2e-3, nesterov: 2e-3, adagrad: 0.5, adadelta: 1, rmsprop: 2e-2, adam: 5e-2, adamw: 5e-2, adamax: 0.1, nadam: 5e-2, radam: 5e-3, lion: 2e-2 },
};

const saddle: Surface = {
  id: 'saddle',
  name: 'Saddle',
  formula: 'f(x, y) = x² + y⁴/4 − y²/2',
  lesson:
    'A saddle point at the origin between two minima at y = ±1. Starting almost on the ridge, the ' +
    'gradient along y is tiny: gradient descent lingers near the saddle, methods that normalize the ' +
    'step (RMSprop, Adam) escape at once.',
  xRange: [-2, 2],
  yRange: [-2, 2],
  start: [-1.8, 1e-3],
  minima: [[0, 1], [0, -1]],
  fMin: -0.25,
  f: (x, y) => x * x + (y * y * y * y) / 4 - (y * y) / 2,
  gradient(x, y, out) {
    out[0] = 2 * x;
    out[1] = y * y * y - y;
  },
  lr: { sgd: 2e-2, momentum: 5e-3, nesterov: 5e-3, adagrad: 0.1, adadelta: 1, rmsprop: 1e-2, adam: 2e-2, adamw: 2e-2, adamax: 2e-2, nadam: 2e-2, radam: 5e-2, lion: 1e-2 },
};

const CONDITION = 40;

const quadratic: Surface = {
  id: 'quadratic',
  name: 'Ill-conditioned quadratic',
  formula: `f(x, y) = ½ (x² + ${CONDITION} y²)`,
  lesson:
    `Curvature ${CONDITION} times larger along y than along x: a learning rate small enough not to ` +
    'diverge along y makes progress along x slow, and gradient descent zig-zags. Momentum damps the ' +
    'zig-zag; Adagrad, RMSprop and Adam divide each coordinate by its own gradient scale.',
  xRange: [-3, 3],
  yRange: [-3, 3],
  start: [-2.8, 1.5],
  minima: [[0, 0]],
  fMin: 0,
  f: (x, y) => 0.5 * (x * x + CONDITION * y * y),
  gradient(x, y, out) {
    out[0] = x;
    out[1] = CONDITION * y;
  },
  lr: { sgd: 4.5e-2, momentum: 1e-2, nesterov: 1e-2, adagrad: 0.5, adadelta: 1, rmsprop: 2e-2, adam: 5e-2, adamw: 5e-2, adamax: 5e-2, nadam: 5e-2, radam: 2e-2, lion: 2e-2 },
};

export const SURFACES: readonly Surface[] = [rosenbrock, beale, saddle, quadratic];

export function surfaceById(id: string): Surface {
  const surface = SURFACES.find((s) => s.id === id);
  if (!surface) throw new RangeError(`unknown surface ${JSON.stringify(id)}; one of ${SURFACES.map((s) => s.id).join(', ')}`);
  return surface;
}
