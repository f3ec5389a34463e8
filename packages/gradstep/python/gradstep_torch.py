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

import copy
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
                # A step count in float64: float32 rounds counts past 2^24 (torch keeps a CPU step's dtype).
                dtype = torch.float64 if key == "step" else torch.float32
                tensors[f"optimizer.state.{index}.{key}"] = tensor.detach().to(dtype).contiguous()
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
    """Loads a checkpoint written by gradstep (or by ``save``) into ``model``, ``optimizer`` and
    ``scheduler``.

    The optimizer must be of the checkpoint's class over the model's params in the same order; the
    file's options (lr, betas, ...) replace its own, as ``Optimizer.load_state_dict`` does. Everything
    is checked first, and a load that fails anyway puts every object back as it was: a refused file
    changes nothing.
    """
    with safe_open(path, framework="pt") as file:
        metadata = file.metadata() or {}
        tensors = {key: file.get_tensor(key) for key in file.keys()}
    if metadata.get("format") != FORMAT or metadata.get("version") != VERSION:
        raise ValueError(f"{path}: not a gradstep training checkpoint of version {VERSION} (format {metadata.get('format')!r}, version {metadata.get('version')!r})")
    model_state = {key[len("model."):]: value for key, value in tensors.items() if key.startswith("model.")}
    expected = model.state_dict()
    if set(model_state) != set(expected):
        raise ValueError(f"{path}: model tensors {sorted(model_state)} are not the model's {sorted(expected)}")
    for key, value in model_state.items():
        if value.shape != expected[key].shape:
            raise ValueError(f"{path}: model.{key} has shape {tuple(value.shape)}, the model's is {tuple(expected[key].shape)}")
    if scheduler is not None and metadata.get("scheduler.class") != type(scheduler).__name__:
        raise ValueError(f"{path}: holds the state of scheduler {metadata.get('scheduler.class')}, not of {type(scheduler).__name__}")
    if optimizer is not None and metadata.get("optimizer.class") != type(optimizer).__name__:
        raise ValueError(f"{path}: holds the state of {metadata.get('optimizer.class')}, not of {type(optimizer).__name__}")

    # Copies to put back if a load below still fails (torch's own load_state_dict may copy part).
    saved_model = {key: value.detach().clone() for key, value in expected.items()}
    saved_optimizer = copy.deepcopy(optimizer.state_dict()) if optimizer is not None else None
    saved_scheduler = copy.deepcopy(scheduler.state_dict()) if scheduler is not None else None
    try:
        if optimizer is not None:
            optimizer.load_state_dict(_optimizer_state(path, tensors, metadata, optimizer))
        if scheduler is not None:
            state = scheduler.state_dict()
            for key, value in json.loads(metadata["scheduler.state_dict"]).items():
                state[key] = Counter({int(m): c for m, c in value.items()}) if key == "milestones" else value
            scheduler.load_state_dict(state)
        model.load_state_dict(model_state)
    except Exception:
        model.load_state_dict(saved_model)
        if optimizer is not None:
            optimizer.load_state_dict(saved_optimizer)
        if scheduler is not None:
            scheduler.load_state_dict(saved_scheduler)
        raise


def _optimizer_state(path, tensors, metadata, optimizer):
    """torch's state_dict of ``optimizer`` as the checkpoint describes it."""
    state_dict = optimizer.state_dict()
    saved_groups = json.loads(metadata["optimizer.param_groups"])
    if len(saved_groups) != len(state_dict["param_groups"]):
        raise ValueError(f"{path}: {len(saved_groups)} param groups, the optimizer has {len(state_dict['param_groups'])}")
    groups = []
    for group, saved in zip(state_dict["param_groups"], saved_groups):
        if saved["params"] != group["params"]:
            raise ValueError(f"{path}: a param group holds params {saved['params']}, the optimizer's {group['params']}")
        group = dict(group)
        for key, value in saved.items():
            if key != "params":
                group[key] = tuple(value) if key == "betas" else value
        groups.append(group)
    state = {}
    for key, value in tensors.items():
        if key.startswith("optimizer.state."):
            index, name = key[len("optimizer.state."):].split(".", 1)
            state.setdefault(int(index), {})[name] = value
    return {"state": state, "param_groups": groups}


def _plain(value):
    """A state_dict value as JSON: tuples as lists, tensors as numbers, Counters as objects."""
    if torch.is_tensor(value):
        return value.item()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, Counter):
        return {str(k): c for k, c in value.items()}
    return value
