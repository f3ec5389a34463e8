"""Training checkpoints shared by gradstep and PyTorch.

gradstep's ``saveTorchCheckpoint`` writes, and ``loadTorchCheckpoint`` reads, one safetensors file:

- ``model.<key>``: the model's ``state_dict()`` tensors (torch's names and layouts);
- ``optimizer.state.<i>.<key>``: torch.optim's per-param state (``step``, ``exp_avg``, ...), ``i``
  numbering the optimizer's params in the order of its param groups, as torch.optim does;
- metadata ``format`` = ``gradstep.torch-checkpoint``, ``version``, ``optimizer.class`` and
  ``optimizer.param_groups`` (JSON of torch's param_groups, ``params`` holding those indices), and for
  an lr scheduler ``scheduler.class`` and ``scheduler.state_dict`` (JSON of the state_dict attributes
  its ``load_state_dict`` needs, ``SCHEDULER_FIELDS``; ±inf as the strings ``"Infinity"`` and
  ``"-Infinity"``): StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, OneCycleLR
  (whose max_lr, initial_lr, min_lr and momenta are in the param_groups), ReduceLROnPlateau, and
  SequentialLR over the LRSchedulers among them (``scheduler.schedulers``: their classes, in order),
  the ones gradstep has too.

This module turns such a file into torch's own state_dicts and back, so that continuing a gradstep
run in PyTorch (or fine-tuning PyTorch weights in gradstep) takes two lines::

    import gradstep_torch
    gradstep_torch.load("checkpoint.safetensors", model, optimizer, scheduler)   # resume what gradstep trained
    gradstep_torch.save("checkpoint.safetensors", model, optimizer, scheduler)   # hand it back to gradstep

It needs ``torch`` and ``safetensors``; it is one file with no other dependency.
"""

import copy
import json
import math
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
        name = _scheduler_class(path, scheduler)
        if optimizer is None and "OneCycleLR" in [name] + [type(s).__name__ for s in getattr(scheduler, "_schedulers", [])]:
            raise ValueError(f"{path}: OneCycleLR keeps max_lr, initial_lr, min_lr and the momenta in the optimizer's param_groups; save its optimizer with it")
        metadata["scheduler.class"] = name
        metadata["scheduler.state_dict"] = json.dumps(_scheduler_fields(path, scheduler, scheduler.state_dict()), allow_nan=False)
        if name == "SequentialLR":
            metadata["scheduler.schedulers"] = json.dumps([type(s).__name__ for s in scheduler._schedulers])
    save_file(tensors, path, metadata=metadata)


# The schedulers gradstep has too, and the attributes of their state_dict that load_state_dict needs
# to continue (OneCycleLR's max_lr, initial_lr, min_lr, max_momentum and base_momentum are in the
# optimizer's param_groups; use_beta1 exists only with cycle_momentum).
_LR_SCHEDULER = ("last_epoch", "_step_count", "_last_lr", "base_lrs")
SCHEDULER_FIELDS = {
    "StepLR": _LR_SCHEDULER + ("step_size", "gamma"),
    "MultiStepLR": _LR_SCHEDULER + ("milestones", "gamma"),
    "ExponentialLR": _LR_SCHEDULER + ("gamma",),
    "CosineAnnealingLR": _LR_SCHEDULER + ("T_max", "eta_min"),
    "LinearLR": _LR_SCHEDULER + ("start_factor", "end_factor", "total_iters"),
    "OneCycleLR": _LR_SCHEDULER + ("total_steps", "_schedule_phases", "_anneal_func_type", "cycle_momentum", "use_beta1"),
    "ReduceLROnPlateau": (
        "last_epoch", "_last_lr", "mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "eps",
        "default_min_lr", "min_lrs", "mode_worse", "best", "num_bad_epochs", "cooldown_counter",
    ),
    "SequentialLR": ("last_epoch", "_last_lr", "_milestones", "_schedulers"),
}
# The ones a SequentialLR may run (gradstep's SequentialLR runs none of the other two).
SEQUENCED = ("StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "OneCycleLR")


def _scheduler_class(path, scheduler, allowed=tuple(SCHEDULER_FIELDS)):
    name = type(scheduler).__name__
    if name not in allowed:
        raise ValueError(f"{path}: gradstep has no {name}; checkpoints hold the schedulers {', '.join(allowed)}")
    return name


def _scheduler_fields(path, scheduler, state):
    """The fields of ``state`` (``scheduler.state_dict()``) that the file keeps, as JSON."""
    fields = {key: _plain(state[key]) for key in SCHEDULER_FIELDS[type(scheduler).__name__] if key in state and key != "_schedulers"}
    if "_schedulers" in state:  # SequentialLR: each scheduler's own fields
        children = scheduler._schedulers
        for child in children:
            _scheduler_class(path, child, SEQUENCED)
        fields["_schedulers"] = [_scheduler_fields(path, child, child_state) for child, child_state in zip(children, state["_schedulers"])]
    return fields


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
    scheduler_state = None
    if scheduler is not None:
        _scheduler_class(path, scheduler)
        sequence = json.loads(metadata.get("scheduler.schedulers", "null"))
        scheduler_state = _scheduler_state(path, scheduler, json.loads(metadata["scheduler.state_dict"]), sequence)

    # Copies to put back if a load below still fails (torch's own load_state_dict may copy part).
    saved_model = {key: value.detach().clone() for key, value in expected.items()}
    saved_optimizer = copy.deepcopy(optimizer.state_dict()) if optimizer is not None else None
    saved_scheduler = copy.deepcopy(scheduler.state_dict()) if scheduler is not None else None
    try:
        if optimizer is not None:
            optimizer.load_state_dict(_optimizer_state(path, tensors, metadata, optimizer))
        if scheduler is not None:
            scheduler.load_state_dict(scheduler_state)
        model.load_state_dict(model_state)
    except Exception:
        model.load_state_dict(saved_model)
        if optimizer is not None:
            optimizer.load_state_dict(saved_optimizer)
        if scheduler is not None:
            scheduler.load_state_dict(saved_scheduler)
        raise


def _scheduler_state(path, scheduler, saved, sequence=None):
    """torch's state_dict of ``scheduler`` as the checkpoint's ``saved`` fields describe it (only the
    attributes of ``SCHEDULER_FIELDS``: load_state_dict sets whatever it is given)."""
    name = type(scheduler).__name__
    fields = SCHEDULER_FIELDS[name]
    if not isinstance(saved, dict):
        raise ValueError(f"{path}: the {name} state must be an object, got {type(saved).__name__}")
    if not set(saved) <= set(fields):
        raise ValueError(f"{path}: the {name} state has {sorted(set(saved) - set(fields))}, which are not among the fields gradstep carries ({', '.join(fields)})")
    state = scheduler.state_dict()
    for key, value in saved.items():
        if key == "milestones":
            value = Counter({int(m): c for m, c in value.items()})
        elif key in ("best", "mode_worse"):
            value = _number(path, f"{name}.{key}", value)
        elif key == "_schedulers":
            children = scheduler._schedulers
            classes = [_scheduler_class(path, s, SEQUENCED) for s in children]
            if sequence != classes or not isinstance(value, list) or len(value) != len(children):
                raise ValueError(f"{path}: the SequentialLR runs {sequence}, this one {classes}")
            value = [_scheduler_state(path, s, v) for s, v in zip(children, value)]
        state[key] = value
    return state


def _number(path, where, value):
    """A float the file keeps as a JSON number, or as "Infinity", "-Infinity" or "NaN"."""
    if value in ("Infinity", "-Infinity", "NaN"):
        return float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise ValueError(f"{path}: {where} must be a number, \"Infinity\" or \"-Infinity\", got {value!r}")


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
    """A state_dict value as JSON: tuples as lists, tensors as numbers, Counters as objects, ±inf and
    nan as strings (JSON has none)."""
    if torch.is_tensor(value):
        return _plain(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, Counter):
        return {str(k): c for k, c in value.items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
