/** Mini-batches of sample indices for one epoch of training. */
import { checkOptionNames, checkSampleCount } from '../validate.js';
import { checkFlag } from './argument-checks.js';
import { indexRange } from './folds.js';
import { Random, randomFrom, resolveSeed, type Seed } from './random.js';

/** Options of {@link batches}: the batch size and the order. */
export interface BatchOptions {
  /** Samples per batch, at least 1: 1 is plain SGD, n is full-batch gradient descent. Required. */
  batchSize: number;
  /** Visit the samples in a random order. Default true. */
  shuffle?: boolean;
  /**
   * Seed of the order. Pass one `Random` for a whole training run: it advances, so every epoch gets
   * a new order and the run stays reproducible; a number gives the same order on every call.
   * Default: a fresh random seed. Ignored without shuffling.
   */
  seed?: Seed;
  /** Skip the last batch when it is smaller than batchSize. Default false. */
  dropLast?: boolean;
}

/**
 * One epoch of mini-batches over n samples, like PyTorch's `DataLoader(shuffle, drop_last)` on
 * indices: the samples in a random order (or 0 … n − 1 without shuffling), cut into consecutive
 * batches of batchSize, the last one smaller unless `dropLast`. A batchSize above n gives a single
 * batch of all n samples (none with `dropLast`).
 *
 * The order is drawn when `batches` is called, not when iteration starts. Each yielded batch is a
 * `subarray` view of that epoch's order, which is never written after it is drawn: batches stay
 * valid after the loop moves on, and no copying is done. Writing into a batch changes only that
 * epoch's order array.
 *
 * ```ts
 * const rng = new Random(0);
 * for (let epoch = 0; epoch < 10; epoch++)
 *   for (const batch of batches(n, { batchSize: 32, seed: rng })) train(takeRows(x, batch, { rowLength: d }), takeRows(y, batch));
 * ```
 *
 * @throws RangeError if n < 1 or batchSize < 1; TypeError for arguments of the wrong type
 */
export function batches(n: number, options: BatchOptions): IterableIterator<Uint32Array> {
  const owner = 'batches';
  const given = checkOptionNames(owner, options, ['batchSize', 'shuffle', 'seed', 'dropLast']);
  checkSampleCount(owner, 'n', n);
  if (given.batchSize === undefined) throw new TypeError(`${owner}: the batchSize option is required`);
  const batchSize = checkSampleCount(owner, 'batchSize', given.batchSize);
  const shuffle = checkFlag(owner, 'shuffle', given.shuffle, true);
  const dropLast = checkFlag(owner, 'dropLast', given.dropLast, false);
  const seed = given.seed as Seed | undefined;
  let order: Uint32Array;
  if (shuffle) {
    order = randomFrom(seed, `${owner}: seed`).permutation(n);
  } else {
    if (seed !== undefined && !(seed instanceof Random)) resolveSeed(seed, `${owner}: seed`);
    order = indexRange(0, n);
  }
  return cutIntoBatches(order, batchSize, dropLast);
}

function* cutIntoBatches(order: Uint32Array, batchSize: number, dropLast: boolean): Generator<Uint32Array, void, undefined> {
  const end = dropLast ? order.length - (order.length % batchSize) : order.length;
  for (let start = 0; start < end; start += batchSize) yield order.subarray(start, Math.min(start + batchSize, end));
}
