/**
 * The kernel ABI shared by both backends, mirrored from `crates/gradstep-kernels/src/lib.rs`:
 * kernel ids, option flags and the number of per-step scalars. Each optimizer documents its scalar
 * layout next to the code that fills it.
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
export type KernelId = (typeof Kernel)[keyof typeof Kernel];

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

/** Number of float32 scalars every step receives. */
export const SCALARS = 8;

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
