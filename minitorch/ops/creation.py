"""Creating tensors: ``tensor``, ``zeros``, ``arange``, ``eye``, ``*_like`` ...

Every factory takes ``dtype``, ``device`` and ``requires_grad`` keywords as in
PyTorch. Data is built on the host with NumPy and moved to the device by the
device's backend.
"""

from __future__ import annotations

import math
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


def _sizes(size, op: str = "zeros") -> tuple:
    """Accept ``zeros(2, 3)``, ``zeros((2, 3))`` and ``zeros([2, 3])``."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    elif len(size) == 1 and isinstance(size[0], Tensor) and size[0].ndim == 1:
        size = tuple(size[0].tolist())
    out = []
    for i, s in enumerate(size):
        if isinstance(s, Tensor) and s.numel() == 1 and not s.dtype.is_floating_point:
            s = int(s.item())
        if not isinstance(s, numbers.Integral) or isinstance(s, bool):
            raise TypeError(
                f"{op}(): argument 'size' (position 1) must be tuple of ints, but found element of type "
                f"{type(s).__name__} at pos {i}"
            )
        out.append(int(s))
    if any(s < 0 for s in out):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(out)}: {out}")
    return tuple(out)


def _size_args(op, size, kwargs):
    """``zeros(2, 3)``, ``zeros((2, 3))`` or ``zeros(size=(2, 3))``; PyTorch's TypeError without a size."""
    kw_size = kwargs.pop("size", None)
    if kwargs:
        raise TypeError(f"{op}() got an unexpected keyword argument '{next(iter(kwargs))}'")
    if kw_size is not None:
        if size:
            raise TypeError(f"{op}() got multiple values for argument 'size'")
        size = (kw_size,)
    if not size:
        raise TypeError(f'{op}() missing 1 required positional arguments: "size"')
    return size


def _dt(dtype) -> _dtype.dtype:
    return _dtype.get_default_dtype() if dtype is None else _dtype.as_dtype(dtype)


def _nested_tensors_to_lists(data):
    """Tensors inside a list become numbers (one element) or nested lists."""
    if isinstance(data, Tensor):
        host = data.detach()._host()
        return host.reshape(()).item() if host.size == 1 else host.tolist()
    if isinstance(data, (list, tuple)):
        return [_nested_tensors_to_lists(d) for d in data]
    return data


def _contains_tensor(data) -> bool:
    if isinstance(data, Tensor):
        return True
    if isinstance(data, (list, tuple)) and data:
        return _contains_tensor(data[0]) or any(isinstance(d, Tensor) for d in data)
    return False


def _infer_dtype(data):
    """PyTorch's dtype for nested data: Python bools -> bool, ints -> int64, floats -> the default
    dtype; NumPy scalars, arrays and tensors keep their own dtype; the items' dtypes are promoted."""
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, (np.ndarray, np.generic)):
        return _dtype.from_numpy_dtype(data.dtype)
    if isinstance(data, (list, tuple)):
        out = None
        for d in data:
            t = _infer_dtype(d)
            out = t if out is None else _dtype.promote_types(out, t)
        return out
    return _dtype.scalar_dtype(data)


def _typed_items(data) -> bool:
    """Whether nested ``data`` holds NumPy scalars/arrays or tensors (whose dtypes must be kept)."""
    if isinstance(data, (list, tuple)):
        return any(_typed_items(d) for d in data)
    return isinstance(data, (np.ndarray, np.generic, Tensor))


def _ragged_error(data, dim=0):
    """The error PyTorch raises for nested lists of unequal lengths, naming the first bad dimension."""
    seqs = [d for d in data if isinstance(d, (list, tuple))]
    if seqs and len(seqs) != len(data):
        return TypeError("not a sequence")
    if not seqs:
        return None
    n = len(seqs[0])
    for d in seqs:
        if len(d) != n:
            return ValueError(f"expected sequence of length {n} at dim {dim + 1} (got {len(d)})")
    for d in seqs:
        err = _ragged_error(d, dim + 1)
        if err is not None:
            return err
    return None


def _tensor_data(data, dtype=None) -> np.ndarray:
    """Host array for ``tensor(data)`` with PyTorch's dtype inference."""
    if isinstance(data, Tensor):
        arr = data._host()
    elif isinstance(data, np.ndarray):
        arr = data
    elif np.isscalar(data) and isinstance(data, np.generic):
        arr = np.asarray(data)
    else:
        if data is None:
            raise RuntimeError("Could not infer dtype of NoneType")
        if isinstance(data, str):
            raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
        inferred = _infer_dtype(data) if dtype is None and _typed_items(data) else None
        if isinstance(data, (list, tuple)) and _contains_tensor(data):
            data = _nested_tensors_to_lists(data)
        try:
            arr = np.array(data)
        except (ValueError, TypeError):
            err = _ragged_error(data) if isinstance(data, (list, tuple)) else None
            raise err or ValueError(f"expected sequence of equal lengths: {data!r:.80}") from None
        if arr.dtype == object or arr.dtype.kind in "USV":
            err = _ragged_error(data) if isinstance(data, (list, tuple)) else None
            if err is not None:
                raise err
            if any(isinstance(x, int) and not isinstance(x, bool) for x in np.ravel(arr)):
                raise ValueError("Overflow when unpacking long long")
            raise TypeError(f"Could not infer dtype of {type(data).__name__}: {data!r:.80}")
        if arr.dtype == np.uint64 and dtype is None and inferred is None:  # Python ints past int64's range
            raise ValueError("Overflow when unpacking long long")
        if inferred is not None:
            arr = arr.astype(inferred.np)
        elif dtype is None:
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
    shape = _sizes(size, fill)
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


def zeros(*size, dtype=None, device=None, requires_grad=False, **kwargs) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return _factory("zeros", _size_args("zeros", size, kwargs), dtype, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, **kwargs) -> Tensor:
    """A tensor of ones."""
    return _factory("ones", _size_args("ones", size, kwargs), dtype, device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False, **kwargs) -> Tensor:
    """An uninitialised tensor (NumPy's ``empty``)."""
    return _factory("empty", _size_args("empty", size, kwargs), dtype, device, requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor filled with ``fill_value``; its dtype is inferred from the value as PyTorch does."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if dtype is None:
        dtype = _dtype.scalar_dtype(fill_value)
    _check_fill(fill_value, _dtype.as_dtype(dtype))
    return _factory("full", (tuple(size),), dtype, device, requires_grad, fill_value)


def _check_fill(value, d) -> None:
    """A float written into an integer tensor must fit (nan and inf do not)."""
    if d.is_floating_point or d.name == "bool" or not isinstance(value, float):
        return
    info = np.iinfo(d.np)
    if not info.min <= value <= info.max:  # False for nan
        raise RuntimeError(f"value cannot be converted to type {d.name}_t without overflow")


def _like(fill, input, dtype, device, requires_grad, fill_value=None):
    return _factory(fill, (tuple(input.shape),), dtype or input.dtype, device or input.device, requires_grad, fill_value)


def zeros_like(input, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _like("zeros", input, dtype, device, requires_grad)


def ones_like(input, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _like("ones", input, dtype, device, requires_grad)


def empty_like(input, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _like("empty", input, dtype, device, requires_grad)


def full_like(input, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    _check_fill(fill_value, _dtype.as_dtype(dtype or input.dtype))
    return _like("full", input, dtype, device, requires_grad, fill_value)


def arange(start=None, end=None, step=1, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive) by ``step``; int64 for integer arguments.

    The length is ``ceil((end - start) / step)``; value ``i`` is ``start + i * step``.
    ``arange(5)`` and ``arange(end=5)`` both start at 0."""
    if start is None and end is None:
        raise TypeError("arange() missing required argument 'end' (pos 1)")
    if end is None:
        start, end = 0, start
    elif start is None:
        start = 0
    start, end, step = (v.item() if isinstance(v, Tensor) else v for v in (start, end, step))
    if dtype is None:
        is_int = all(isinstance(v, (int, np.integer)) for v in (start, end, step))  # bools count as ints
        dtype = _dtype.int64 if is_int else _dtype.get_default_dtype()
    d = _dtype.as_dtype(dtype)
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {_num(start)} -> {_num(end)}")
    given = (start, end, step)
    if not d.is_floating_point:  # integer dtypes: the bounds and step are truncated first, as in C++
        start, end, step = int(start), int(end), int(step)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if d is not _dtype.int64:  # PyTorch counts the length from the given numbers, except for int64
        start_, end_, step_ = given
        n = max(math.ceil((end_ - start_) / step_), 0)
    else:
        n = max(math.ceil((end - start) / step), 0)
    if d.is_floating_point:
        arr = start + np.arange(n, dtype=np.float64) * step  # in float64, then rounded once to the dtype
    else:
        arr = start + np.arange(n, dtype=np.int64) * step
    return _finish(arr.astype(d.np), device, requires_grad)


def _num(v) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def linspace(start, end, steps: int, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    start, end = (v.item() if isinstance(v, Tensor) else v for v in (start, end))
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return _finish(np.linspace(start, end, steps).astype(_dt(dtype).np), device, requires_grad)


def logspace(start, end, steps: int, base: float = 10.0, dtype=None, device=None, requires_grad=False) -> Tensor:
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return _finish((base ** np.linspace(start, end, steps)).astype(_dt(dtype).np), device, requires_grad)


def eye(n: int, m: int | None = None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """The identity matrix (n x m)."""
    for name, v in (("n", n), ("m", m)):
        if v is not None and v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    return _finish(np.eye(n, m, dtype=_dt(dtype).np), device, requires_grad)


def tril_indices(row, col, offset=0, dtype=None, device=None):
    return _finish(np.stack(np.tril_indices(row, offset, col)).astype(np.int64), device, False)


def triu_indices(row, col, offset=0, dtype=None, device=None):
    return _finish(np.stack(np.triu_indices(row, offset, col)).astype(np.int64), device, False)
