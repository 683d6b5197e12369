"""Moving tensors between dtypes and devices: ``to``, ``cpu``, ``cuda``, ``float`` ...

A change of dtype or device is differentiable: the gradient is converted
back to the input's dtype and device.
"""

from __future__ import annotations

from .. import _dtype
from .._backend import as_device
from .._backend import device as _device_cls
from ..autograd.function import Function
from ._util import Tensor, _wrap


class ToCopy(Function):
    """Copy to another dtype and/or device.  Gradient: converted back."""

    @staticmethod
    def forward(ctx, a, dtype, device, non_blocking=False):
        ctx.in_dtype, ctx.in_device = a.dtype, a._device
        data = a._data
        if device != a._device:
            host = a._device.backend.to_host(data)
            # non_blocking: from pinned host memory the GPU copy runs asynchronously on the current stream
            data = device.backend.from_host(host, copy=True, non_blocking=non_blocking)
        if dtype is not a.dtype:
            data = data.astype(dtype.np)
        elif data is a._data:
            data = data.copy()
        return _wrap(data, device)

    @staticmethod
    def backward(ctx, grad):
        return _convert(grad, ctx.in_dtype, ctx.in_device, copy=False), None, None, None


def _convert(t, dtype, device, copy, non_blocking=False):
    dtype = t.dtype if dtype is None else _dtype.as_dtype(dtype)
    device = t._device if device is None else as_device(device)
    if dtype is t.dtype and device == t._device and not copy:
        return t
    if t._rg and not dtype.is_floating_point:
        return ToCopy.apply(t.detach(), dtype, device, non_blocking)
    return ToCopy.apply(t, dtype, device, non_blocking)


def parse_to_args(*args, **kwargs):
    """``(device, dtype, copy)`` from the arguments of ``Tensor.to`` / ``Module.to``:
    ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other_tensor)`` and keywords."""
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
    for a in args:
        if isinstance(a, Tensor):
            dtype, device = a.dtype, a.device
        elif isinstance(a, _dtype.dtype):
            dtype = a
        elif isinstance(a, (str, _device_cls, int)) and not isinstance(a, bool):
            device = a
        elif isinstance(a, bool) or a is None:
            continue  # non_blocking / copy given positionally
        else:
            raise TypeError(f"to() received an invalid combination of arguments: {a!r}")
    return device, dtype, copy


def to(self, *args, **kwargs):
    """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other_tensor)``; no copy when nothing changes."""
    device, dtype, copy = parse_to_args(*args, **kwargs)
    return _convert(self, dtype, device, copy, bool(kwargs.get("non_blocking", False)))


def cpu(self):
    """This tensor on the CPU (itself when it is already there)."""
    return _convert(self, None, "cpu", False)


def cuda(self, device=None, non_blocking: bool = False):
    """This tensor on a CUDA device (raises clearly when CUDA is not available)."""
    d = as_device("cuda" if device is None else (f"cuda:{device}" if isinstance(device, int) else device))
    return _convert(self, None, d, False, non_blocking)


def type_as(self, other):
    return _convert(self, other.dtype, None, False)


def _cast_method(name, dt):
    def method(self, memory_format=None):
        return _convert(self, dt, None, False)

    method.__name__ = name
    method.__doc__ = f"``self.to({dt!r})``."
    return method
