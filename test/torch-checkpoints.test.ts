// Training checkpoints both ways with real PyTorch (fixtures made by gen_gradstep_checkpoints.mjs and
// gen_torch_checkpoints.py with torch 2.15 and the package's python/gradstep_torch.py):
// 1. torch trained an MLP and saved it with its optimizer (and lr scheduler); gradstep loads the file,
//    continues on the same gradients, and ends where torch's own continuation ended;
// 2. gradstep trained and saved; torch loaded that file and continued; gradstep rebuilds the same
//    bytes and its own continuation ends where torch's did.
import { readFileSync } from 'node:fs';
import * as gradstep from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES, gradstepCheckpoint, LAYERS, setGradients, STEPS_BEFORE, stepScheduler, torchValues } from './fixtures/checkpoint-cases.mjs';

const dir = new URL('./fixtures/torch-checkpoints/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8'));
const continuationGrads = JSON.parse(readFileSync(new URL('gradstep-continuation-grads.json', dir), 'utf8'));

beforeAll(() => gradstep.init());

type Named = gradstep.NamedParam[];
const toFloat32 = (byName: Record<string, number[]>) => Object.fromEntries(Object.entries(byName).map(([k, v]) => [k, Float32Array.from(v)]));

/** Float32 runs of the same arithmetic in two libraries (torch's CPU kernels use FMA): a few ulps apart. */
function expectClose(named: Named, want: Record<string, number[]>, where: string) {
  for (const n of named) {
    const got = torchValues(n);
    want[n.name].forEach((w, i) => {
      const error = Math.abs(got[i] - w);
      if (!(error <= 1e-6 * Math.abs(w) + 1e-7)) expect.fail(`${where}: ${n.name}[${i}] is ${got[i]}, torch ${w}`);
    });
  }
}

describe.each(CASES)('$name', (c) => {
  it.each(['wasm', 'js'] as const)('torch -> gradstep (%s): loads torch\'s checkpoint and continues as torch did', (backend) => {
    const bytes = readFileSync(new URL(`torch-${c.name}.safetensors`, dir));
    const model = new gradstep.MLP({ layers: LAYERS, seed: 99, backend });
    const optimizer = c.make(gradstep, model);
    const scheduler = c.schedule?.(gradstep, optimizer);
    gradstep.loadTorchCheckpoint(bytes, { model, optimizer, scheduler });
    const named = model.namedParams();
    // The weights arrive bit for bit (transposed back to gradstep's layout).
    const { tensors } = gradstep.decodeSafetensors(bytes);
    for (const n of named) expect(Float32Array.from(torchValues(n))).toEqual(tensors[`model.${n.name}`].data);
    expected.fromTorch[c.name].grads.forEach((grads: Record<string, number[]>, k: number) => {
      setGradients(named, toFloat32(grads));
      optimizer.step();
      stepScheduler(c, scheduler, STEPS_BEFORE + k);
    });
    expectClose(named, expected.fromTorch[c.name].weights, 'after the continuation');
  });

  it('gradstep -> torch: writes the same checkpoint as the fixture, and continues as torch did from it', () => {
    const { model, optimizer, scheduler, named, bytes } = gradstepCheckpoint(gradstep, c);
    expect(Buffer.from(bytes).equals(readFileSync(new URL(`gradstep-${c.name}.safetensors`, dir)))).toBe(true);
    continuationGrads[c.name].forEach((grads: Record<string, number[]>, k: number) => {
      setGradients(named, toFloat32(grads));
      optimizer.step();
      stepScheduler(c, scheduler, STEPS_BEFORE + k);
    });
    expectClose(named, expected.fromGradstep[c.name].weights, 'after the continuation');
    expect(model.params.length).toBe(4);
  });
});
