// The real safetensors package (Python, installed by scripts/setup.sh) reads the files gradstep
// writes: a model state and a training checkpoint, every tensor bit for bit, and the metadata.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, decodeSafetensors, encodeSafetensors, exportModelState, init, MLP, saveTorchCheckpoint } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(() => init());

// Prints each tensor's dtype, shape and bytes (hex), and the metadata, as JSON.
const READER = `
import json, sys
from safetensors import safe_open
with safe_open(sys.argv[1], framework="numpy") as f:
    out = {"metadata": f.metadata(), "tensors": {k: {"dtype": str(f.get_tensor(k).dtype), "shape": list(f.get_tensor(k).shape), "hex": f.get_tensor(k).tobytes().hex()} for k in f.keys()}}
print(json.dumps(out))
`;

function readWithPython(bytes: Uint8Array) {
  const path = join(mkdtempSync(join(tmpdir(), 'gradstep-safetensors-')), 'file.safetensors');
  writeFileSync(path, bytes);
  return JSON.parse(execFileSync('python3', ['-c', READER, path], { encoding: 'utf8' }));
}

function expectSameAsPython(bytes: Uint8Array) {
  const ours = decodeSafetensors(bytes);
  const theirs = readWithPython(bytes);
  expect(theirs.metadata ?? {}).toEqual(ours.metadata);
  const numpyDtype: Record<string, string> = { F32: 'float32', F64: 'float64', I64: 'int64', I32: 'int32', U8: 'uint8', BOOL: 'bool' };
  expect(Object.keys(theirs.tensors).sort()).toEqual(Object.keys(ours.tensors).sort());
  for (const [name, tensor] of Object.entries(ours.tensors)) {
    const data = tensor.data;
    expect(theirs.tensors[name], name).toEqual({
      dtype: numpyDtype[tensor.dtype],
      shape: tensor.shape,
      hex: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex'),
    });
  }
}

describe('Python safetensors reads what gradstep writes', () => {
  it('a model state, a training checkpoint and every dtype gradstep writes, bit for bit', () => {
    const mlp = new MLP({ layers: [5, 4, 3], seed: 2 });
    const optimizer = new Adam(mlp.params, { amsgrad: true });
    mlp.params.forEach((p, i) => p.grad.fill(0.25 * (i + 1)));
    optimizer.step();
    expectSameAsPython(exportModelState(mlp));
    expectSameAsPython(saveTorchCheckpoint({ model: mlp, optimizer }));
    expectSameAsPython(
      encodeSafetensors(
        {
          f32: { dtype: 'F32', shape: [2, 2], data: Float32Array.of(NaN, -0, 1e-45, -Infinity) },
          f64: { dtype: 'F64', shape: [3], data: Float64Array.of(Math.PI, -1e300, 5e-324) },
          i64: { dtype: 'I64', shape: [], data: BigInt64Array.of(-(2n ** 62n)) },
          empty: { dtype: 'F32', shape: [0, 3], data: new Float32Array(0) },
        },
        { note: 'written by gradstep' },
      ),
    );
  });
});
