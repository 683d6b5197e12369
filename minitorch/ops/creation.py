"""Creating tensors: ``tensor``, ``zeros``, ``arange``, ``eye``, ``*_like`` ...

Every factory takes ``dtype``, ``device`` and ``requires_grad`` keywords as in
PyTorch. Data is built on the host with NumPy and moved to the device by the
device's backend.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .. import _dtype
from .._backend import CPU, as_device
from .._tensor import Tensor, _wrap


def _finish(arr: np.ndarray, device, requires_grad: bool) -> Tensor:
    device = as_device(device)
    if device.type != "cpu":
        arr = device.backend.from_host(arr)
    t = _wrap(arr, device)
    if requires_grad:
        _require_grad(t)
    return t


def _require_grad(t: Tensor) -> None:
    """``requires_grad=True`` given to a factory (PyTorch's message differs from requires_grad_())."""
    if not t.dtype.is_floating_point:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    t.requires_grad = True


def _sizes(size) -> tuple:
    """Accept ``zeros(2, 3)``, ``zeros((2, 3))`` and ``zeros([2, 3])``."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    elif len(size) == 1 and isinstance(size[0], Tensor):
        size = tuple(size[0].tolist())
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = int(s.item())
        if not isinstance(s, numbers.Integral) or isinstance(s, bool):
            raise TypeError(f"size must be a tuple of ints, but got an element of type {type(s).__name__}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
        out.append(int(s))
    return tuple(out)


def _dt(dtype) -> _dtype.dtype:
    return _dtype.get_default_dtype() if dtype is None else _dtype.as_dtype(dtype)


def _nested_tensors_to_lists(data):
    if isinstance(data, Tensor):
        return data.detach()._host().tolist()
    if isinstance(data, (list, tuple)):
        return [_nested_tensors_to_lists(d) for d in data]
    return data


def _contains_tensor(data) -> bool:
    if isinstance(data, Tensor):
        return True
    if isinstance(data, (list, tuple)) and data:
        return _contains_tensor(data[0]) or any(isinstance(d, Tensor) for d in data)
    return False


def _tensor_data(data, dtype=None) -> np.ndarray:
    """Host array for ``tensor(data)`` with PyTorch's dtype inference."""
    if isinstance(data, Tensor):
        arr = data._host()
    elif isinstance(data, np.ndarray):
        arr = data
    elif np.isscalar(data) and isinstance(data, np.generic):
        arr = np.asarray(data)
    else:
        if isinstance(data, (list, tuple)) and _contains_tensor(data):
            data = _nested_tensors_to_lists(data)
        try:
            arr = np.array(data)
        except ValueError as e:
            raise ValueError(f"expected sequence of equal lengths: {e}") from None
        if arr.dtype == object or arr.dtype.kind in "USV":
            raise TypeError(f"Could not infer dtype of {type(data).__name__}: {data!r:.80}")
        if dtype is None:
            if arr.dtype.kind == "f":
                arr = arr.astype(_dtype.get_default_dtype().np)
            elif arr.dtype.kind in "iu":
                arr = arr.astype(np.int64)
            elif arr.dtype.kind == "c":
                raise TypeError("minitorch does not support complex numbers")
    if dtype is not None:
        return np.array(arr, dtype=_dtype.as_dtype(dtype).np, copy=True)
    _dtype.from_numpy_dtype(arr.dtype)  # raises for unsupported NumPy dtypes
    return np.array(arr, copy=True)


def tensor(data, dtype=None, device=None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data`` (nested lists, numbers, arrays).

    >>> tensor([[1, 2], [3, 4]])          # int64
    >>> tensor([0.5, 1.0], requires_grad=True)   # float32
    """
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() "
            "or sourceTensor.clone().detach().requires_grad_(True), rather than minitorch.tensor(sourceTensor).",
            UserWarning, stacklevel=2,
        )
    return _finish(_tensor_data(data, dtype), device, requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Like ``tensor`` but shares memory with a NumPy array or tensor when it can."""
    if isinstance(data, Tensor):
        out = data
        if dtype is not None or device is not None:
            out = out.to(device=device or data.device, dtype=dtype or data.dtype)
        return out
    if isinstance(data, np.ndarray) and (dtype is None or _dtype.as_dtype(dtype).np == data.dtype):
        return _finish(np.asarray(data), device, False) if as_device(device).type != "cpu" else from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with a NumPy array (changes show in both)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    return _wrap(ndarray, CPU)


def _factory(fill, size, dtype, device, requires_grad, fill_value=None):
    d = _dt(dtype)
    shape = _sizes(size)
    device = as_device(device)
    xp = device.xp if device.type != "cpu" else np
    if fill == "zeros":
        arr = xp.zeros(shape, dtype=d.np)
    elif fill == "ones":
        arr = xp.ones(shape, dtype=d.np)
    elif fill == "empty":
        arr = xp.empty(shape, dtype=d.np)
    else:
        arr = xp.full(shape, fill_value, dtype=d.np)
    t = _wrap(arr, device)
    if requires_grad:
        _require_grad(t)
    return t


def zeros(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return _factory("zeros", size, dtype, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of ones."""
    return _factory("ones", size, dtype, device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """An uninitialised tensor (NumPy's ``empty``)."""
    return _factory("empty", size, dtype, device, requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor filled with ``fill_value``; its dtype is inferred from the value as PyTorch does."""
    if dtype is None:
        dtype = _dtype.scalar_dtype(fill_value.item() if isinstance(fill_value, Tensor) else fill_value)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    return _factory("full", (size,) if not isinstance(size, (tuple, list)) else (tuple(size),),
                    dtype, device, requires_grad, fill_value)


def _like(fill, input, dtype, device, requires_grad, fill_value=None):
    return _factory(fill, (tuple(input.shape),), dtype or input.dtype, device or input.device, requires_grad, fill_value)


def zeros_like(input, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _like("zeros", input, dtype, device, requires_grad)


def ones_like(input, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _like("ones", input, dtype, device, requires_grad)


def empty_like(input, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _like("empty", input, dtype, device, requires_grad)


def full_like(input, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _like("full", input, dtype, device, requires_grad, fill_value)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive) by ``step``; int64 for integer arguments."""
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(
            "upper bound and larger bound inconsistent with step sign"
        )
    if dtype is None:
        is_int = all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in vals)
        dtype = _dtype.int64 if is_int else _dtype.get_default_dtype()
    d = _dtype.as_dtype(dtype)
    n = int(np.ceil((end - start) / step))
    arr = (start + np.arange(max(n, 0), dtype=np.float64) * step) if d.is_floating_point else np.arange(start, end, step)
    return _finish(arr.astype(d.np), device, requires_grad)


def linspace(start, end, steps: int, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return _finish(np.linspace(start, end, steps).astype(_dt(dtype).np), device, requires_grad)


def logspace(start, end, steps: int, base: float = 10.0, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _finish((base ** np.linspace(start, end, steps)).astype(_dt(dtype).np), device, requires_grad)


def eye(n: int, m: int | None = None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """The identity matrix (n x m)."""
    return _finish(np.eye(n, m, dtype=_dt(dtype).np), device, requires_grad)


def tril_indices(row, col, offset=0, dtype=None, device=None):
    return _finish(np.stack(np.tril_indices(row, offset, col)).astype(np.int64), device, False)


def triu_indices(row, col, offset=0, dtype=None, device=None):
    return _finish(np.stack(np.triu_indices(row, offset, col)).astype(np.int64), device, False)
