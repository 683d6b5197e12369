"""Helpers shared by the ops: unwrapping arguments, dtypes, devices, shape errors."""

from __future__ import annotations

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, _wrap_dim

__all__ = ["Tensor", "_wrap", "_wrap_dim", "binary_arrays", "broadcast_error", "as_float", "check_same_device",
           "dims_tuple", "to_tensor"]


def to_tensor(x, like: Tensor | None = None) -> Tensor:
    """``x`` as a Tensor (Python scalars and arrays on ``like``'s device)."""
    if isinstance(x, Tensor):
        return x
    device = like._device if like is not None else None
    from .creation import tensor

    return tensor(x, device=device)


def check_same_device(op: str, *tensors) -> None:
    """PyTorch's error when an op gets tensors on two devices."""
    first = None
    for t in tensors:
        if not isinstance(t, Tensor):
            continue
        if first is None:
            first = t._device
        elif t._device != first:
            a, b = sorted([str(first), str(t._device)], reverse=True)
            raise RuntimeError(
                f"Expected all tensors to be on the same device, but found at least two devices, {a} and {b}! "
                f"(when checking arguments for {op})"
            )


def _cpu_scalar_to_device(a, b, op: str):
    """As PyTorch: a 0-d CPU tensor combines with a tensor on another device, like a Python number would
    (its one value is copied over). Any other mix of devices is PyTorch's "same device" error."""
    if a._device.type == "cpu" and a._data.ndim == 0:
        return b._device.backend.from_host(a._data), b._data
    if b._device.type == "cpu" and b._data.ndim == 0:
        return a._data, a._device.backend.from_host(b._data)
    check_same_device(op, a, b)


def _device_of(a, b):
    """Where the result of an op on tensors ``a`` and ``b`` lives (not on the CPU for a CPU scalar + GPU tensor)."""
    return b._device if a._device.type == "cpu" and a._data.ndim == 0 else a._device


def binary_arrays(a, b, op: str = "", float_result: bool = False):
    """Unwrap the operands of a binary op into arrays of PyTorch's result dtype.

    Either operand may be a Python scalar. Returns ``(a_arr, b_arr, device)``.
    With ``float_result`` (true division) integer results become the default
    float dtype.
    """
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    if ta and tb:
        x, y, device = a._data, b._data, a._device
        if device is not b._device and device != b._device:
            x, y = _cpu_scalar_to_device(a, b, op)
            device = _device_of(a, b)
        if x.dtype == y.dtype and (not float_result or x.dtype.kind == "f"):
            return x, y, device
        out = _dtype.result_type(a, b)
        if float_result and not out.is_floating_point:
            out = _dtype.get_default_dtype()
        return x.astype(out.np, copy=False), y.astype(out.np, copy=False), device
    t, s = (a, b) if ta else (b, a)
    x = t._data
    if type(s) is float and x.dtype.kind == "f":  # the common case: a float tensor and a Python float
        return (x, s, t._device) if ta else (s, x, t._device)
    if isinstance(s, np.generic) and not isinstance(s, np.ndarray):
        s = s.item()  # a NumPy scalar counts as the Python number it holds (np.float64(2) * x stays float32)
    kind = x.dtype.kind
    if isinstance(s, (np.ndarray, list, tuple)) or (hasattr(s, "__array__") and not np.isscalar(s)):
        return binary_arrays(a if ta else to_tensor(a, t), b if tb else to_tensor(b, t), op, float_result)
    out = None
    if isinstance(s, bool):
        pass
    elif isinstance(s, (int, np.integer)):
        if kind == "b":
            out = _dtype.int64
    elif isinstance(s, (float, np.floating)):
        if kind != "f":
            out = _dtype.get_default_dtype()
    elif isinstance(s, complex):
        raise TypeError(f"{op}: complex numbers are not supported by minitorch")
    else:
        raise TypeError(f"{op}: unsupported operand type {type(s).__name__}")
    if float_result and kind != "f" and (out is None or not out.is_floating_point):
        out = _dtype.get_default_dtype()
    if out is not None:
        x = x.astype(out.np)
    if isinstance(s, int) and not isinstance(s, bool):
        s = _int_scalar(s, x.dtype)
    elif kind != "f" or not isinstance(s, float):
        s = x.dtype.type(s)
    return (x, s, t._device) if ta else (s, x, t._device)


def _int_scalar(s: int, dtype):
    """A Python int as PyTorch uses it: a 64-bit integer, wrapped around into a smaller integer dtype."""
    if not -2**63 <= s < 2**64:
        raise OverflowError("int too big to convert")
    if dtype.kind == "f":
        return s
    as64 = np.array(s, dtype=np.uint64 if s >= 2**63 else np.int64)
    return as64.astype(dtype)[()]


def broadcast_error(a_shape, b_shape, op: str = "") -> RuntimeError:
    """PyTorch's message for shapes that do not broadcast."""
    nd = max(len(a_shape), len(b_shape))
    for i in range(nd - 1, -1, -1):
        off = nd - 1 - i
        sa = a_shape[len(a_shape) - 1 - off] if off < len(a_shape) else 1
        sb = b_shape[len(b_shape) - 1 - off] if off < len(b_shape) else 1
        if sa != sb and sa != 1 and sb != 1:
            return RuntimeError(
                f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) at non-singleton "
                f"dimension {i}" + (f" (in {op} of shapes {list(a_shape)} and {list(b_shape)})" if op else "")
            )
    return RuntimeError(f"{op}: shapes {list(a_shape)} and {list(b_shape)} cannot be broadcast")


_SCALAR_TYPE_NAMES = {"float16": "Half", "float32": "Float", "float64": "Double", "uint8": "Byte", "int8": "Char",
                      "int16": "Short", "int32": "Int", "int64": "Long", "bool": "Bool"}


def scalar_type_name(d) -> str:
    """PyTorch's C++ name of a dtype, as its error messages print it ("Float", "Long", ...)."""
    return _SCALAR_TYPE_NAMES.get(d.name, d.name)


_C_TYPE_NAMES = {"float16": "c10::Half", "float32": "float", "float64": "double", "uint8": "unsigned char",
                 "int8": "signed char", "int16": "short int", "int32": "int", "int64": "long int", "bool": "bool"}


def c_type_name(d) -> str:
    """The C type of a dtype, as some PyTorch messages print it ("double", "long int", ...)."""
    return _C_TYPE_NAMES.get(d.name, d.name)


def not_implemented(op: str, d) -> NotImplementedError:
    """PyTorch's error for an op that has no kernel for a dtype (e.g. softmax of integers)."""
    return NotImplementedError(f'"{op}" not implemented for \'{scalar_type_name(d)}\'')


def shape_of(x):
    return tuple(np.shape(x))


def as_float(t: Tensor) -> np.ndarray:
    """The array of ``t``, as the default float dtype if it is not floating point."""
    x = t._data
    if x.dtype.kind != "f":
        return x.astype(_dtype.get_default_dtype().np)
    return x


def dims_tuple(dim, ndim: int, op: str = "") -> tuple | None:
    """Normalise ``dim`` (None, int, list or tuple) to a sorted tuple of positive dims."""
    if dim is None:
        return None
    if isinstance(dim, (list, tuple)):
        if len(dim) == 0:
            return None
        out = tuple(sorted(_wrap_dim(d, ndim, op) for d in dim))
        if len(set(out)) != len(out):
            raise RuntimeError(f"dim {out[0]} appears multiple times in the list of dims")
        return out
    return (_wrap_dim(dim, ndim, op),)


# ---- what the elementwise ops share ------------------------------------------------------
def _binary(ufunc, a, b, op: str, float_result: bool = False) -> Tensor:
    x, y, device = binary_arrays(a, b, op, float_result)
    try:
        out = ufunc(x, y)
    except ValueError:
        raise broadcast_error(np.shape(x), np.shape(y), op) from None
    if type(out) is not np.ndarray and device.type == "cpu":
        out = np.asarray(out)
    return _wrap(out, device)


def _meta(x):
    """What a broadcast backward needs of an input: its shape (None for scalars)."""
    return x._data.shape if isinstance(x, Tensor) else None


def _unbroadcast(g, shape):
    """Sum gradient ``g`` back to an input's ``shape`` (undo broadcasting); None for scalars."""
    return g if shape is None or g._data.shape == shape else g.sum_to_size(shape)


def _is_bool(x):
    return isinstance(x, Tensor) and x._data.dtype.kind == "b" or isinstance(x, bool)
