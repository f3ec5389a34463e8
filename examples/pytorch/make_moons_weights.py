"""Writes examples/pytorch/moons-mlp.safetensors: an MLP trained in PyTorch on two moons, saved the way
PyTorch users save weights (safetensors.torch.save_file(model.state_dict())). The README's
"Fine-tune PyTorch weights in the browser" example (examples/fine-tune-pytorch-weights.mjs) loads it.

    python examples/pytorch/make_moons_weights.py   (needs torch and safetensors)
"""

import math
import pathlib

import torch
from safetensors.torch import save_file

torch.manual_seed(0)
n = 200
t = torch.rand(n) * math.pi
outer = torch.stack([torch.cos(t), torch.sin(t)], 1)
inner = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)
X = torch.cat([outer, inner]) + 0.2 * torch.randn(2 * n, 2)
y = torch.cat([torch.zeros(n), torch.ones(n)]).long()

model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for _ in range(150):
    optimizer.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
print(f"torch: loss {loss.item():.4f}, accuracy {(model(X).argmax(1) == y).float().mean().item():.4f}")
save_file(model.state_dict(), str(pathlib.Path(__file__).parent / "moons-mlp.safetensors"))
