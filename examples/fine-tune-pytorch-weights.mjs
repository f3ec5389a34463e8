// README "Fine-tune PyTorch weights in the browser": load weights a PyTorch user saved with
// `safetensors.torch.save_file(model.state_dict(), path)` (examples/pytorch/moons-mlp.safetensors,
// from make_moons_weights.py) into gradstep's equivalent MLP, and fine-tune them on new data. In a
// browser, `bytes` comes from `new Uint8Array(await (await fetch(url)).arrayBuffer())`.
import { readFileSync } from 'node:fs';
import { Adam, exportModelState, fit, importModelState, init, makeMoons, MLP } from 'gradstep';

await init();
const bytes = readFileSync(new URL('./pytorch/moons-mlp.safetensors', import.meta.url));
// nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2)): names '0.weight', '0.bias', '2.weight', '2.bias'.
const model = new MLP({ layers: [2, 16, 2], activation: 'relu' });
importModelState(model, bytes);

// New data: moons with more noise than torch trained on.
const data = makeMoons({ samples: 400, noise: 0.3, seed: 5 });
console.log(`PyTorch's weights on the new data: accuracy ${model.evaluate(data.X, data.y).accuracy.toFixed(4)}`);
const optimizer = new Adam(model.params, { lr: 3e-3 });
const { history } = fit(model, data, { optimizer, epochs: 20, batchSize: 32, seed: 1 });
console.log(`fine-tuned ${history.length} epochs in gradstep: accuracy ${model.evaluate(data.X, data.y).accuracy.toFixed(4)}`);
// And back: the same file layout PyTorch loads with model.load_state_dict(safetensors.torch.load_file(path)).
console.log(`exported ${exportModelState(model).length} bytes of state_dict for PyTorch`);
