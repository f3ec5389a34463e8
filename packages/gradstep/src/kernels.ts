/**
 * The kernel ABI shared by both backends: kernel ids, option flags, each kernel's scalar layout by
 * name, which state slots a kernel uses, and the step table's width. The source is
 * `crates/gradstep-kernels/src/abi.rs`; this is its copy for the TypeScript side (the js backend needs
 * it without wasm). The wasm module exports the original, and `checkAbi` compares the two when the
 * module is loaded (and, over every kernel × flag combination, in the tests): a change made on one
 * side only fails at once, naming the difference.
 */

export const Kernel = {
  Sgd: 0,
  Adagrad: 1,
  Adadelta: 2,
  Rmsprop: 3,
  Adam: 4,
  Adamax: 5,
  Nadam: 6,
  Radam: 7,
  Lion: 8,
} as const;
export type KernelName = keyof typeof Kernel;
export type KernelId = (typeof Kernel)[KernelName];

export const Flags = {
  Maximize: 1 << 0,
  L2WeightDecay: 1 << 1,
  DecoupledWeightDecay: 1 << 2,
  Momentum: 1 << 3,
  Nesterov: 1 << 4,
  Centered: 1 << 5,
  Amsgrad: 1 << 6,
  FirstStep: 1 << 7,
  Rectify: 1 << 8,
} as const;

/** Number of float32 scalars every step receives per parameter group. */
export const SCALARS = 8;

/** u32 words per tensor in a wasm step table: `[value, grad, state0, state1, state2, length, group]`. */
export const TABLE_WORDS = 7;

/** Each kernel's per-group scalars, in order: the names of the Rust layout enums' variants. */
export const SCALAR_LAYOUTS = {
  Sgd: ['Lr', 'WeightDecay', 'Momentum', 'OneMinusDampening'],
  Adagrad: ['ClippedLr', 'WeightDecay', 'Eps'],
  Adadelta: ['Lr', 'WeightDecay', 'Rho', 'OneMinusRho', 'Eps'],
  Rmsprop: ['Lr', 'WeightDecay', 'Alpha', 'OneMinusAlpha', 'Eps', 'Momentum'],
  Adam: ['StepSize', 'InverseBiasCorrection2Sqrt', 'OneMinusBeta1', 'Beta2', 'OneMinusBeta2', 'Eps', 'WeightDecay', 'DecoupledDecayFactor'],
  Adamax: ['ClippedLr', 'OneMinusBeta1', 'Beta2', 'Eps', 'WeightDecay'],
  Nadam: ['GradCoefficient', 'MomentumCoefficient', 'BiasCorrection2', 'Eps', 'OneMinusBeta1', 'Beta2', 'OneMinusBeta2', 'WeightDecayOrFactor'],
  Radam: ['BiasCorrection1', 'StepLr', 'BiasCorrection2Sqrt', 'Eps', 'OneMinusBeta1', 'Beta2', 'OneMinusBeta2', 'WeightDecayOrFactor'],
  Lion: ['Lr', 'Beta1', 'OneMinusBeta1', 'Beta2', 'OneMinusBeta2', 'DecayFactor'],
} as const satisfies Record<KernelName, readonly string[]>;

/** `{ Name: index }` for a layout, so that prepare() and the js kernels name every scalar. */
function indices<const Names extends readonly string[]>(names: Names): { readonly [K in Names[number]]: number } {
  return Object.freeze(Object.fromEntries(names.map((name, i) => [name, i]))) as { readonly [K in Names[number]]: number };
}

export const SgdScalar = indices(SCALAR_LAYOUTS.Sgd);
export const AdagradScalar = indices(SCALAR_LAYOUTS.Adagrad);
export const AdadeltaScalar = indices(SCALAR_LAYOUTS.Adadelta);
export const RmspropScalar = indices(SCALAR_LAYOUTS.Rmsprop);
export const AdamScalar = indices(SCALAR_LAYOUTS.Adam);
export const AdamaxScalar = indices(SCALAR_LAYOUTS.Adamax);
export const NadamScalar = indices(SCALAR_LAYOUTS.Nadam);
export const RadamScalar = indices(SCALAR_LAYOUTS.Radam);
export const LionScalar = indices(SCALAR_LAYOUTS.Lion);

/** Which of the three state slots a tensor uses for this kernel and these flags. */
export function usedState(kernel: KernelId, flags: number): readonly [boolean, boolean, boolean] {
  switch (kernel) {
    case Kernel.Sgd:
      return [(flags & Flags.Momentum) !== 0, false, false];
    case Kernel.Adagrad:
      return [true, false, false];
    case Kernel.Adadelta:
      return [true, true, false];
    case Kernel.Rmsprop:
      return [true, (flags & Flags.Centered) !== 0, (flags & Flags.Momentum) !== 0];
    case Kernel.Adam:
      return [true, true, (flags & Flags.Amsgrad) !== 0];
    case Kernel.Adamax:
    case Kernel.Nadam:
    case Kernel.Radam:
      return [true, true, false];
    case Kernel.Lion:
      return [true, false, false];
  }
}

/**
 * The wasm ABI's number of each activation the dense kernels fuse into their passes (`ACTIVATIONS` in
 * crates/gradstep-kernels/src/abi.rs): `'relu'` clamps the forward output as it is stored, and in the
 * backward pass masks dInput with ReLU's derivative [input > 0] (the input being the previous layer's
 * ReLU output); `'none'` leaves both alone. tanh is not fused: HACKING.md says why.
 */
export const FUSED_ACTIVATION_IDS = Object.freeze({ none: 0, relu: 1 } as const);

/** An activation the dense kernels fuse (see FUSED_ACTIVATION_IDS). */
export type FusedActivation = keyof typeof FUSED_ACTIVATION_IDS;

/**
 * Values per row of softmax cross-entropy's `stats` (`softmax::STATS` in the kernel crate): the row's
 * maximum, Σ exp(z − max), the index of the maximum.
 */
export const SOFTMAX_STATS = 3;

/** What the wasm module says about itself (`abiDescription()` of crates/gradstep-wasm). */
export interface AbiDescription {
  scalars: number;
  tableWords: number;
  flags: Record<string, number>;
  kernels: { name: string; id: number; scalars: string[] }[];
  activations: Record<string, number>;
  softmaxStats: number;
  /** Messages of the nonzero codes the module's calls return. */
  errors: Record<string, string>;
}

/** Every combination of the flag bits: used-state tables are compared over all of them. */
const ALL_FLAG_COMBINATIONS = 1 << Object.keys(Flags).length;

/**
 * The differences between the module's ABI and this file's, as sentences (empty when they agree).
 * `usedStateMask(kernel, flags)` is the module's used-state table (bit k: slot k).
 */
export function abiDifferences(module: AbiDescription, usedStateMask: (kernel: number, flags: number) => number): string[] {
  const differences: string[] = [];
  const compare = (what: string, theirs: unknown, ours: unknown) => {
    if (JSON.stringify(theirs) !== JSON.stringify(ours)) differences.push(`${what}: the module has ${JSON.stringify(theirs)}, the package ${JSON.stringify(ours)}`);
  };
  compare('scalars per group', module.scalars, SCALARS);
  compare('step table words', module.tableWords, TABLE_WORDS);
  compare('flags', module.flags, Flags);
  compare('fused activations', module.activations, FUSED_ACTIVATION_IDS);
  compare('softmax stats per row', module.softmaxStats, SOFTMAX_STATS);
  compare('kernels', module.kernels.map((k) => `${k.name}=${k.id}`), Object.entries(Kernel).map(([name, id]) => `${name}=${id}`));
  for (const [name, id] of Object.entries(Kernel) as [KernelName, KernelId][]) {
    const theirs = module.kernels.find((k) => k.name === name);
    if (theirs !== undefined) compare(`${name} scalars`, theirs.scalars, SCALAR_LAYOUTS[name]);
    for (let flags = 0; flags < ALL_FLAG_COMBINATIONS; flags++) {
      const ours = usedState(id, flags).reduce((mask, used, slot) => mask | (Number(used) << slot), 0);
      const mask = usedStateMask(id, flags);
      if (mask !== ours) {
        differences.push(`${name} state slots with flags ${flags}: the module uses mask ${mask}, the package ${ours}`);
        break;
      }
    }
  }
  return differences;
}
