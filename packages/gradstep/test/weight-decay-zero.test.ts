// weightDecay 0 is no decay at all, as in torch.optim (which skips the term): the gradient is left
// alone, so an infinite param under finite gradients stays infinite instead of turning NaN through
// 0·∞ in g + 0·p, and the finite entries step exactly as they would without the option.
import { Adadelta, Adagrad, Adam, Adamax, AdamW, init, Lion, NAdam, param, RAdam, RMSprop, SGD, type Optimizer, type Param } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './helpers.js';

beforeAll(() => init());

const OPTIMIZERS: [string, (params: Param[]) => Optimizer<object>][] = [
  ['SGD momentum', (p) => new SGD(p, { lr: 0.1, momentum: 0.9, weightDecay: 0 })],
  ['Adagrad', (p) => new Adagrad(p, { weightDecay: 0 })],
  ['Adadelta', (p) => new Adadelta(p, { weightDecay: 0 })],
  ['RMSprop', (p) => new RMSprop(p, { weightDecay: 0 })],
  ['Adam', (p) => new Adam(p, { weightDecay: 0 })],
  ['AdamW', (p) => new AdamW(p, { weightDecay: 0 })],
  ['Adamax', (p) => new Adamax(p, { weightDecay: 0 })],
  ['NAdam', (p) => new NAdam(p, { weightDecay: 0 })],
  ['NAdam decoupled', (p) => new NAdam(p, { weightDecay: 0, decoupledWeightDecay: true })],
  ['RAdam', (p) => new RAdam(p, { weightDecay: 0 })],
  ['Lion', (p) => new Lion(p, { weightDecay: 0 })],
];

describe.each(BACKENDS)('%s backend', (backend) => {
  it.each(OPTIMIZERS)('%s with weightDecay 0 keeps ±∞ params infinite and steps the others as without it', (_name, make) => {
    const p = param([Infinity, -Infinity, 1.5], { backend });
    const alone = param([1.5], { backend });
    const opt = make([p]);
    const reference = make([alone]);
    for (const [g, gAlone] of [[[0.5, -0.25, 0.75], [0.75]], [[-1, 2, 0.25], [0.25]]]) {
      p.grad.set(g);
      alone.grad.set(gAlone);
      opt.step();
      reference.step();
    }
    expect([p.value[0], p.value[1]]).toEqual([Infinity, -Infinity]);
    expect(Object.is(p.value[2], alone.value[0])).toBe(true);
    expect(p.value[2]).not.toBe(1.5);
  });
});
