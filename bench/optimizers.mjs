// The optimizer configurations `pnpm bench` measures, with the bytes each moves per parameter and step
// (value read and written, gradient read, each state buffer read and written): the figure its GB/s is
// computed from. Every optimizer class of gradstep appears (test/optimizer-coverage.test.ts checks).
import { Adadelta, Adagrad, Adam, Adamax, AdamW, Lion, NAdam, RAdam, RMSprop, SGD } from 'gradstep';

/** Bytes per parameter: value (8) + gradient (4) + 8 per state buffer. */
const bytes = (stateBuffers) => 12 + 8 * stateBuffers;

export const BENCH_OPTIMIZERS = {
  SGD: { make: (p) => new SGD(p, { lr: 1e-3 }), bytesPerParam: bytes(0) },
  'SGD momentum': { make: (p) => new SGD(p, { lr: 1e-3, momentum: 0.9 }), bytesPerParam: bytes(1) },
  'SGD nesterov': { make: (p) => new SGD(p, { lr: 1e-3, momentum: 0.9, nesterov: true }), bytesPerParam: bytes(1) },
  Adagrad: { make: (p) => new Adagrad(p), bytesPerParam: bytes(1) },
  Adadelta: { make: (p) => new Adadelta(p), bytesPerParam: bytes(2) },
  RMSprop: { make: (p) => new RMSprop(p), bytesPerParam: bytes(1) },
  'RMSprop centered': { make: (p) => new RMSprop(p, { centered: true }), bytesPerParam: bytes(2) },
  'RMSprop momentum': { make: (p) => new RMSprop(p, { momentum: 0.9 }), bytesPerParam: bytes(2) },
  Adam: { make: (p) => new Adam(p), bytesPerParam: bytes(2) },
  'Adam amsgrad': { make: (p) => new Adam(p, { amsgrad: true }), bytesPerParam: bytes(3) },
  AdamW: { make: (p) => new AdamW(p), bytesPerParam: bytes(2) },
  Adamax: { make: (p) => new Adamax(p), bytesPerParam: bytes(2) },
  NAdam: { make: (p) => new NAdam(p), bytesPerParam: bytes(2) },
  RAdam: { make: (p) => new RAdam(p), bytesPerParam: bytes(2) },
  Lion: { make: (p) => new Lion(p), bytesPerParam: bytes(1) },
};
