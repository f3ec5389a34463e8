// README "Continue in PyTorch": train the digits MLP in gradstep for a few epochs, then save a training
// checkpoint (weights and Adam's state, in torch.optim's layout) that PyTorch resumes from:
//
//   import torch, gradstep_torch   # gradstep_torch.py ships in node_modules/gradstep/python/
//   model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
//   optimizer = torch.optim.Adam(model.parameters())
//   gradstep_torch.load("digits-checkpoint.safetensors", model, optimizer)   # then train on
//
//   node examples/continue-in-pytorch.mjs [path]   (default: digits-checkpoint.safetensors in the OS temp dir)
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, decodeSafetensors, fit, fitStandardizer, init, MLP, parseCsv, saveTorchCheckpoint } from 'gradstep';

await init();
const data = parseCsv(readFileSync(new URL('../datasets/digits.csv', import.meta.url), 'utf8'));
const X = fitStandardizer(data.X, data.features).transform(data.X);
const model = new MLP({ layers: [data.features, 32, 10], seed: 1 }); // = nn.Sequential(Linear(64, 32), ReLU(), Linear(32, 10))
const optimizer = new Adam(model.params, { lr: 3e-3 });
const { history } = fit(model, { X, y: data.y }, { optimizer, epochs: 3, batchSize: 32, seed: 2 });
console.log(`trained ${history.length} epochs in gradstep: accuracy ${history.at(-1).trainAccuracy.toFixed(4)}, ${optimizer.stepCount} Adam steps`);

const path = process.argv[2] ?? join(tmpdir(), 'digits-checkpoint.safetensors');
const bytes = saveTorchCheckpoint({ model, optimizer });
writeFileSync(path, bytes);
const { tensors, metadata } = decodeSafetensors(bytes);
console.log(`wrote ${path} (${bytes.length} bytes): ${Object.keys(tensors).filter((k) => k.startsWith('model.')).join(', ')}; torch.optim.${metadata['optimizer.class']} state for ${model.params.length} params`);
console.log('in Python: gradstep_torch.load(path, model, optimizer), with model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))');
