"""Saving and loading a `Module`'s state: ``state_dict`` and ``load_state_dict``.

``Module`` inherits these methods from ``_StateDictMixin`` (kept in their own
file because they are long); ``nn.Module`` stays the one public class.

A state dict is an ordered dict from dotted names (``"0.weight"``,
``"bn.running_mean"``) to tensors: every parameter and every *persistent*
buffer, in the order ``named_parameters``/``named_buffers`` visit them.
Loading walks the module tree with the same prefixes and copies each entry
into the existing tensor in place (``assign=True`` replaces it instead).
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from .parameter import Parameter

if TYPE_CHECKING:
    from .module import Module


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it did not find and those it did not use."""

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


class _StateDictMixin:
    """``state_dict`` / ``load_state_dict`` and their per-module helpers, mixed into ``Module``."""

    def _save_to_state_dict(self, destination: dict, prefix: str, keep_vars: bool) -> None:
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if keep_vars else buf.detach()

    def state_dict(self, *args, destination=None, prefix: str = "", keep_vars: bool = False) -> OrderedDict:
        """An ordered dict of every parameter and persistent buffer, keyed by dotted name.

        >>> list(nn.Linear(2, 3).state_dict())
        ['weight', 'bias']
        """
        if args:  # the deprecated positional form state_dict(destination, prefix, keep_vars)
            destination, prefix, keep_vars = (list(args) + [destination, prefix, keep_vars][len(args):])[:3]
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        if hasattr(destination, "_metadata"):
            destination._metadata[prefix[:-1]] = {"version": self._version}
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars)
        return destination

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs) -> None:
        """Copy this module's own entries of ``state_dict`` into its parameters and buffers."""
        persistent = {k: v for k, v in self._buffers.items() if k not in self._non_persistent_buffers_set}
        local_state = {k: v for k, v in list(self._parameters.items()) + list(persistent.items()) if v is not None}
        assign = local_metadata.get("assign_to_params_buffers", False)
        for name, param in local_state.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            value = _as_tensor(state_dict[key])
            if value is None:
                error_msgs.append(f'While copying the parameter named "{key}", expected torch.Tensor or '
                                  f"Tensor-like object from checkpoint but received {type(state_dict[key])}")
                continue
            if param.ndim == 0 and value.ndim == 1 and value.numel() == 1:
                value = value.reshape(())  # old checkpoints stored scalars as shape [1]
            if value.shape != param.shape:
                error_msgs.append(f"size mismatch for {key}: copying a param with shape {value.shape} from "
                                  f"checkpoint, the shape in current model is {param.shape}.")
                continue
            try:
                self._copy_in(name, param, value, assign)
            except Exception as ex:  # noqa: BLE001 - reported like PyTorch, with the cause
                error_msgs.append(f'While copying the parameter named "{key}", whose dimensions in the model are '
                                  f"{param.shape} and whose dimensions in the checkpoint are {value.shape}, "
                                  f"an exception occurred : {ex.args}.")
        if strict:
            for key in state_dict.keys():
                if not key.startswith(prefix):
                    continue
                input_name = key[len(prefix):].split(".", 1)
                if len(input_name) > 1:
                    if input_name[0] not in self._modules:
                        unexpected_keys.append(key)
                elif input_name[0] not in local_state:
                    unexpected_keys.append(key)

    def _copy_in(self, name: str, param: Tensor, value: Tensor, assign: bool) -> None:
        """Copy ``value`` into ``param`` in place (dtype and device of ``param`` kept)."""
        if assign:
            if name in self._parameters:
                self._parameters[name] = Parameter(value.to(param.device), param.requires_grad)
            else:
                self._buffers[name] = value.to(param.device)
            return
        with no_grad():
            param.copy_(value)

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False):
        """Copy parameters and buffers from ``state_dict`` (minitorch tensors or NumPy arrays).

        With ``strict=True`` missing or unexpected keys raise; every size
        mismatch raises. Returns ``(missing_keys, unexpected_keys)``.

        >>> model.load_state_dict({k: v.numpy() for k, v in torch_model.state_dict().items()})
        <All keys matched successfully>
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing_keys: list[str] = []
        unexpected_keys: list[str] = []
        error_msgs: list[str] = []
        metadata = getattr(state_dict, "_metadata", None)
        state_dict = OrderedDict(state_dict)

        def load(module: Module, local_state_dict: dict, prefix: str = "") -> None:
            local_metadata = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
            if assign:
                local_metadata["assign_to_params_buffers"] = True
            module._load_from_state_dict(local_state_dict, prefix, local_metadata, True,
                                         missing_keys, unexpected_keys, error_msgs)
            for name, child in module._modules.items():
                if child is not None:
                    child_prefix = prefix + name + "."
                    child_state = {k: v for k, v in local_state_dict.items() if k.startswith(child_prefix)}
                    load(child, child_state, child_prefix)

        load(self, state_dict)
        if strict:
            if unexpected_keys:
                error_msgs.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in unexpected_keys)))
            if missing_keys:
                error_msgs.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in missing_keys)))
        if error_msgs:
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                type(self).__name__, "\n\t".join(error_msgs)))
        return _IncompatibleKeys(missing_keys, unexpected_keys)


def _as_tensor(value) -> Tensor | None:
    """A checkpoint entry as a Tensor: minitorch tensors as they are, NumPy arrays and numbers converted."""
    if isinstance(value, Tensor):
        return value.detach()
    if isinstance(value, (np.ndarray, np.generic, int, float, bool)):
        from ..ops.creation import tensor

        return tensor(np.asarray(value))
    if hasattr(value, "__array__"):
        from ..ops.creation import tensor

        return tensor(np.asarray(value))
    return None
