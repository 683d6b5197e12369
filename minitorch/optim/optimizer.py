"""`Optimizer`: the base class of every optimizer (SGD, Adam ...).

An optimizer holds

* ``param_groups``: a list of dicts; each has ``"params"`` (the tensors it
  updates) and the options of that group (``"lr"``, ``"momentum"`` ...).
  Options not given for a group come from ``defaults``;
* ``state``: a dict keyed by parameter tensor (tensors hash by identity)
  holding what the algorithm remembers between steps (momentum buffers,
  running averages, step counts).

``step()`` walks every parameter that has a gradient and calls the
subclass's ``_update(param, grad, group)``, the one function that holds the
algorithm, written with in-place tensor ops next to its formula; parameters
whose ``.grad`` is None are skipped, as in PyTorch.

Fast path: an optimizer may also define ``_update_fast``, the same
computation on the raw backend arrays (``param._data``, through
``param._device.xp``), with the same floating-point operations in the same
order and in-place buffers instead of temporaries. It skips the per-op
Tensor machinery (about 3 us per op) and several full-size temporaries per
parameter, which makes Adam's step about twice as fast on an MLP. ``step``
uses it when ``use_fast_path`` is True (the default); the tests check that
both give bit-identical results.

``state_dict()`` uses PyTorch's format: parameters are replaced by their
position (0, 1, 2 ... over all groups in order), so the dict can be saved
and later loaded into a new optimizer built over the same parameters.

PyTorch's implementation flags are accepted and kept in the groups:
``foreach`` (a loop over all parameters at once: the same numbers here),
``fused`` (one kernel: floating-point parameters only), ``capturable``
(CUDA graphs: the parameters must be on the GPU) and ``differentiable``
(the step itself is recorded by autograd, so it runs with grad mode on).
Hyperparameters given as one-element tensors (``lr=tensor(0.01)``) are
read with ``.item()`` at every step, so changing the tensor in place
changes the next step.
"""

from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from itertools import chain
from typing import Any, Callable, Iterable

import numpy as np

from .. import _dtype
from .._tensor import Tensor, typename
from ..autograd.grad_mode import enable_grad, set_grad_enabled
from ..ops.creation import tensor, zeros


class _RequiredParameter:
    """Marks an option that has no default and must be given (``required``)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    """Base class of the optimizers.

    ``params`` is an iterable of tensors, or of dicts that each hold
    ``"params"`` and the options of that group; ``defaults`` holds the
    options used where a group does not give them.

    >>> w = minitorch.randn(3, requires_grad=True)
    >>> opt = minitorch.optim.SGD([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()          # w <- w - 0.1 * dL/dw
    >>> opt.zero_grad()     # w.grad is None again
    """

    #: Use ``_update_fast`` (raw arrays) instead of ``_update`` (tensor ops) when the optimizer has one.
    use_fast_path: bool = True
    _update_fast = None

    def __init__(self, params: Iterable, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, but got "
                + typename(params)
            )
        self.state: defaultdict[Tensor, dict] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ---- groups ----------------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters (with its own options) to ``param_groups``.

        >>> opt.add_param_group({"params": [head.weight], "lr": 1e-3})
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the ordering of tensors "
                "in sets will change between runs. Please use a list instead."
            )
        params = list(params)
        # Parameters may come as (name, tensor) pairs, e.g. from model.named_parameters().
        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        param_group["params"] = params
        if names:
            if len(names) != len(params):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = names

        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + typename(p))
            if not self.defaults.get("differentiable") and not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)

        if len(params) != len(set(params)):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this will cause an "
                "error; see github.com/pytorch/pytorch/issues/40967 for more information",
                stacklevel=3,
            )
        seen: set[Tensor] = set()
        for group in self.param_groups:
            seen.update(group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError(
                    "all optimizer param groups should be with/without names. "
                    f"cannot add param group {which} to the optimizer"
                )
        if not seen.isdisjoint(params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # ---- the training-loop methods ---------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: ``p.grad = None`` (or zeros with ``set_to_none=False``)."""
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                    continue
                g = p._grad
                if g.grad_fn is not None:
                    g.detach_()
                else:
                    g.requires_grad_(False)
                g.zero_()

    def step(self, closure: Callable[[], Any] | None = None):
        """Update every parameter that has a gradient; return ``closure()``'s loss if given.

        ``closure`` (optional) re-evaluates the model and returns the loss; it
        runs with autograd on, before the update.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        differentiable = bool(self.defaults.get("differentiable", False))
        fast = self.use_fast_path and self._update_fast is not None and not differentiable
        update = self._update_fast if fast else self._update
        # The update itself is not recorded in the graph, unless the user asked for a differentiable step.
        with set_grad_enabled(differentiable):
            for group in self.param_groups:
                _check_devices_for_flags(group)
                numbers = _read_tensor_hyperparameters(group)
                for p in group["params"]:
                    if p._grad is not None:
                        update(p, p._grad, numbers)
        return loss

    def _update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """One step of the algorithm for one parameter (each optimizer defines it)."""
        raise NotImplementedError(f"{type(self).__name__} does not define _update()")

    # ---- saving and resuming -----------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state in PyTorch's format (tensors are shared, not copied).

        >>> opt.state_dict()
        {'state': {0: {'momentum_buffer': tensor([...])}}, 'param_groups': [{'lr': 0.1, ..., 'params': [0]}]}
        """
        index: dict[int, int] = {}  # id(param) -> its position over all groups
        start = 0  # positions count every entry of a group, duplicates included (as PyTorch)

        def pack_group(group):
            nonlocal start
            packed = {k: v for k, v in group.items() if k != "params"}
            index.update({id(p): i for i, p in enumerate(group["params"], start) if id(p) not in index})
            packed["params"] = [index[id(p)] for p in group["params"]]
            start += len(packed["params"])
            return packed

        param_groups = [pack_group(g) for g in self.param_groups]
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": param_groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a state from ``state_dict()`` (deep-copied; tensors moved to each parameter's device).

        State tensors are cast to the parameter's dtype, except ``step``,
        which stays as saved. Resuming gives exactly the steps the saved
        optimizer would have taken.
        """
        groups = self.param_groups
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        saved_id_to_param = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                                     chain.from_iterable(g["params"] for g in groups)))
        # A fused or capturable group keeps its step count as float32 on the parameter's device.
        step_on_device = {i for g in saved_groups if g.get("fused") or g.get("capturable") for i in g["params"]}
        state: defaultdict[Tensor, dict] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in saved_id_to_param:
                param = saved_id_to_param[key]
                state[param] = _cast(param, value, step_on_device=key in step_on_device)
            else:
                state[key] = copy.deepcopy(value)
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.__setstate__({"state": state, "param_groups": saved_groups})

    def __getstate__(self) -> dict[str, Any]:
        """What pickling keeps (not the step wrapper a scheduler may have added)."""
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    #: Options that states saved by older versions may lack, with their defaults (filled in on load).
    _setstate_defaults: dict[str, Any] = {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore pickled or loaded state, filling in the options that older states lack."""
        self.__dict__.update(state)
        for group in self.param_groups:
            for name, default in self._setstate_defaults.items():
                group.setdefault(name, default)

    def __repr__(self) -> str:
        lines = [type(self).__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"


def _bump_versions(*tensors: Tensor) -> None:
    """Record an in-place change made on raw arrays (what every in-place tensor op does)."""
    for t in tensors:
        t._version[0] += 1


def _cast(param: Tensor, value, key=None, step_on_device: bool = False):
    """A deep copy of ``value`` with its tensors on ``param``'s device (and dtype, except ``step``)."""
    if isinstance(value, np.ndarray):  # a state saved as NumPy arrays (e.g. converted from PyTorch)
        value = tensor(value)
    if key == "step" and isinstance(value, (int, float)):  # old-style state: a Python number of steps
        value = tensor(float(value), dtype=_scalar_dtype())
    if isinstance(value, Tensor):
        if key == "step":
            if step_on_device:
                return value.detach().to(dtype=_dtype.float32, device=param.device, copy=True)
            return value.detach().clone()
        dtype = param.dtype if param.is_floating_point() else value.dtype
        return value.detach().to(dtype=dtype, device=param.device, copy=True)
    if isinstance(value, dict):
        return {k: _cast(param, v, key=k, step_on_device=step_on_device) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(param, v) for v in value)
    return copy.deepcopy(value)


# ---- helpers shared by the optimizers ---------------------------------------------------------
def _scalar_dtype(fused: bool = False):
    """The dtype of a step count: float32, or float64 when that is the default dtype (not when fused)."""
    if not fused and _dtype.get_default_dtype() is _dtype.float64:
        return _dtype.float64
    return _dtype.float32


def _new_step_count(param: Tensor, group: dict[str, Any]) -> Tensor:
    """The step count ``t = 0`` of a new state: a CPU scalar, or on the parameter's device when fused or capturable."""
    fused = bool(group.get("fused"))
    if fused or group.get("capturable"):
        return zeros((), dtype=_scalar_dtype(fused), device=param.device)
    return tensor(0.0, dtype=_scalar_dtype())


def _to_number(value):
    """A hyperparameter given as a one-element tensor, as a Python number (anything else unchanged)."""
    return value.item() if isinstance(value, Tensor) else value


def _read_tensor_hyperparameters(group: dict[str, Any]) -> dict[str, Any]:
    """``group`` with tensor options (``lr=tensor(0.1)``, tensor betas) read as numbers for this step."""
    def holds_tensor(value) -> bool:
        return isinstance(value, Tensor) or (isinstance(value, tuple) and any(isinstance(v, Tensor) for v in value))

    if not any(holds_tensor(v) for k, v in group.items() if k != "params"):
        return group  # the usual case: nothing to read
    numbers = {}
    for key, value in group.items():
        if isinstance(value, tuple):  # betas
            value = tuple(_to_number(v) for v in value)
        elif key != "params":
            value = _to_number(value)
        numbers[key] = value
    return numbers


def _lerp_arrays(m, g, w) -> None:
    """m <- lerp(m, g, w) in place on arrays, from the nearer end as ``Tensor.lerp_`` computes it (so the
    fast paths stay bit-identical to the readable ``_update``)."""
    if abs(w) < 0.5:
        m += w * (g - m)
    else:
        m[...] = g - (g - m) * (1 - w)


def _weight_decay_arrays(p, g, lr, weight_decay, decoupled: bool):
    """Weight decay on arrays: decoupled (AdamW-style) shrinks ``p`` in place, else returns g + λp."""
    if weight_decay == 0:
        return g
    if decoupled:
        p *= 1 - lr * weight_decay
        return g
    return g + weight_decay * p


_INVALID = {"lr": "Invalid learning rate: {}", "eps": "Invalid epsilon value: {}"}


def check_hyperparameters(**values) -> None:
    """PyTorch's argument checks, in the order given, with its messages: each value must be >= 0
    ("Invalid learning rate: -1", "Invalid momentum value: -0.5"), and ``betas`` lie in [0, 1)."""
    for name, value in values.items():
        if name == "betas":
            for i in (0, 1):
                if not 0.0 <= value[i] < 1.0:
                    raise ValueError(f"Invalid beta parameter at index {i}: {value[i]}")
        elif not 0.0 <= value:
            raise ValueError(_INVALID.get(name, f"Invalid {name} value: {{}}").format(value))


def _check_tensor_lr(lr) -> None:
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")


def _check_fused(fused, foreach, differentiable) -> None:
    """The flag combinations PyTorch refuses (checked after the groups are built, as there)."""
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def _check_devices_for_flags(group: dict[str, Any]) -> None:
    """``fused`` needs floating-point parameters; ``capturable`` (CUDA graphs) needs them on the GPU."""
    if not (group.get("fused") or group.get("capturable")):
        return
    with_grad = [p for p in group["params"] if p._grad is not None]
    if group.get("fused"):
        for p in with_grad:
            if not p.is_floating_point():
                raise RuntimeError("`fused=True` requires all the params to be floating point Tensors of supported "
                                   f"devices: ['cuda', 'cpu'] but {p.dtype} and {p.device.type}")
    if group.get("capturable") and any(p.device.type != "cuda" for p in with_grad):
        raise AssertionError("If capturable=True, params and state_steps must be on supported devices: ['cuda'].")
