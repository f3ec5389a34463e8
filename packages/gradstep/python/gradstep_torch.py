"""Training checkpoints shared by gradstep and PyTorch.

gradstep's ``saveTorchCheckpoint`` writes, and ``loadTorchCheckpoint`` reads, one safetensors file:

- ``model.<key>``: the model's ``state_dict()`` tensors (torch's names and layouts);
- ``optimizer.state.<i>.<key>``: torch.optim's per-param state (``step``, ``exp_avg``, ...), ``i``
  numbering the optimizer's params in the order of its param groups, as torch.optim does;
- metadata ``format`` = ``gradstep.torch-checkpoint``, ``version``, ``optimizer.class`` and
  ``optimizer.param_groups`` (JSON of torch's param_groups, ``params`` holding those indices), and for
  an lr scheduler ``scheduler.class`` and ``scheduler.state_dict`` (JSON of its state_dict; StepLR,
  MultiStepLR, ExponentialLR, CosineAnnealingLR and LinearLR, the ones gradstep has too).

This module turns such a file into torch's own state_dicts and back, so that continuing a gradstep
run in PyTorch (or fine-tuning PyTorch weights in gradstep) takes two lines::

    import gradstep_torch
    gradstep_torch.load("checkpoint.safetensors", model, optimizer, scheduler)   # resume what gradstep trained
    gradstep_torch.save("checkpoint.safetensors", model, optimizer, scheduler)   # hand it back to gradstep

It needs ``torch`` and ``safetensors``; it is one file with no other dependency.
"""

import json
from collections import Counter

import torch
from safetensors import safe_open
from safetensors.torch import save_file

FORMAT = "gradstep.torch-checkpoint"
VERSION = "1"


def save(path, model, optimizer=None, scheduler=None):
    """Writes ``model`` (and ``optimizer``, ``scheduler``) to ``path`` in the layout gradstep loads."""
    tensors = {f"model.{key}": value.detach().contiguous() for key, value in model.state_dict().items()}
    metadata = {"format": FORMAT, "version": VERSION}
    if optimizer is not None:
        state_dict = optimizer.state_dict()
        for index, state in state_dict["state"].items():
            for key, value in state.items():
                if value is None:  # SGD without momentum keeps momentum_buffer = None
                    continue
                tensor = value if torch.is_tensor(value) else torch.tensor(value, dtype=torch.float32)
                tensors[f"optimizer.state.{index}.{key}"] = tensor.detach().to(torch.float32).contiguous()
        groups = [{key: _plain(value) for key, value in group.items()} for group in state_dict["param_groups"]]
        metadata["optimizer.class"] = type(optimizer).__name__
        metadata["optimizer.param_groups"] = json.dumps(groups)
    if scheduler is not None:
        fields = ("last_epoch", "_step_count", "_last_lr", "base_lrs") + SCHEDULER_OPTIONS[type(scheduler).__name__]
        state = scheduler.state_dict()
        metadata["scheduler.class"] = type(scheduler).__name__
        metadata["scheduler.state_dict"] = json.dumps({key: _plain(state[key]) for key in fields})
    save_file(tensors, path, metadata=metadata)


# The schedulers gradstep has too, and their options (torch's attribute names).
SCHEDULER_OPTIONS = {
    "StepLR": ("step_size", "gamma"),
    "MultiStepLR": ("milestones", "gamma"),
    "ExponentialLR": ("gamma",),
    "CosineAnnealingLR": ("T_max", "eta_min"),
    "LinearLR": ("start_factor", "end_factor", "total_iters"),
}


def load(path, model, optimizer=None, scheduler=None):
    """Loads a checkpoint written by gradstep (or by ``save``) into ``model`` and ``optimizer``.

    The optimizer must be of the checkpoint's class over the model's params in the same order; the
    file's options (lr, betas, ...) replace its own, as ``Optimizer.load_state_dict`` does.
    """
    with safe_open(path, framework="pt") as file:
        metadata = file.metadata() or {}
        if metadata.get("format") != FORMAT:
            raise ValueError(f"{path}: not a gradstep training checkpoint (format {metadata.get('format')!r})")
        tensors = {key: file.get_tensor(key) for key in file.keys()}
    model.load_state_dict({key[len("model."):]: value for key, value in tensors.items() if key.startswith("model.")})
    if scheduler is not None:
        if metadata.get("scheduler.class") != type(scheduler).__name__:
            raise ValueError(f"{path}: holds the state of {metadata.get('scheduler.class')}, not of {type(scheduler).__name__}")
        state = scheduler.state_dict()
        for key, value in json.loads(metadata["scheduler.state_dict"]).items():
            state[key] = Counter({int(m): c for m, c in value.items()}) if key == "milestones" else value
        scheduler.load_state_dict(state)
    if optimizer is None:
        return
    if metadata.get("optimizer.class") != type(optimizer).__name__:
        raise ValueError(f"{path}: holds the state of {metadata.get('optimizer.class')}, not of {type(optimizer).__name__}")
    state_dict = optimizer.state_dict()
    saved_groups = json.loads(metadata["optimizer.param_groups"])
    if len(saved_groups) != len(state_dict["param_groups"]):
        raise ValueError(f"{path}: {len(saved_groups)} param groups, the optimizer has {len(state_dict['param_groups'])}")
    for group, saved in zip(state_dict["param_groups"], saved_groups):
        if saved["params"] != group["params"]:
            raise ValueError(f"{path}: a param group holds params {saved['params']}, the optimizer's {group['params']}")
        for key, value in saved.items():
            if key != "params":
                group[key] = tuple(value) if key == "betas" else value
    state = {}
    for key, value in tensors.items():
        if key.startswith("optimizer.state."):
            index, name = key[len("optimizer.state."):].split(".", 1)
            state.setdefault(int(index), {})[name] = value
    state_dict["state"] = state
    optimizer.load_state_dict(state_dict)


def _plain(value):
    """A state_dict value as JSON: tuples as lists, tensors as numbers, Counters as objects."""
    if torch.is_tensor(value):
        return value.item()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, Counter):
        return {str(k): c for k, c in value.items()}
    return value
