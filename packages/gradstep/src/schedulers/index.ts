/**
 * Learning-rate schedulers with PyTorch's semantics (`torch.optim.lr_scheduler`): each sets the lr of
 * every param group of a SchedulableOptimizer, per epoch or per batch, and saves its state as plain data.
 */
export type { SchedulableOptimizer, SchedulableGroup } from './schedulable-optimizer.js';
export type { SchedulerStateDict } from './scheduler-state-dict.js';
export { LRScheduler } from './lr-scheduler.js';
export { StepLR, type StepLROptions } from './step-lr.js';
export { MultiStepLR, type MultiStepLROptions } from './multi-step-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './exponential-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export { LinearLR, type LinearLROptions } from './linear-lr.js';
export { OneCycleLR, type OneCycleLRInput, type OneCycleLROptions } from './one-cycle-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { SequentialLR, type SequentialLROptions } from './sequential-lr.js';
