"""Data types, PyTorch style, and PyTorch's type-promotion rules.

A `dtype` is a small named object that knows the NumPy dtype holding its
numbers. Promotion follows PyTorch (not NumPy):

* categories are ordered bool < integer < floating point;
* tensors with dimensions outrank zero-dimensional tensors, which outrank
  Python scalars: a lower rank only changes the result when it brings a
  higher *category* (``int32 tensor + 2.5 -> float32``,
  ``float32 tensor + float64 scalar tensor -> float32``);
* a Python float becomes the default dtype, a Python int becomes int64.
"""

from __future__ import annotations

import builtins

import numpy as np

__all__ = [
    "dtype", "float16", "float32", "float64", "bfloat16", "uint8", "int8", "int16",
    "int32", "int64", "bool", "half", "float", "double", "short", "int", "long",
    "get_default_dtype", "set_default_dtype", "promote_types", "can_cast", "result_type",
]

_BOOL, _INT, _FLOAT = 0, 1, 2


class dtype:
    """A tensor element type, e.g. ``minitorch.float32``."""

    __slots__ = ("name", "np", "category", "itemsize")

    def __init__(self, name: str, np_dtype, category: int):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.category = category
        self.itemsize = self.np.itemsize

    @property
    def is_floating_point(self) -> bool:
        return self.category == _FLOAT

    @property
    def is_signed(self) -> bool:
        return self.name not in ("uint8", "bool")

    def __repr__(self) -> str:
        return f"minitorch.{self.name}"

    def __reduce__(self):
        return (_by_name, (self.name,))


float16 = half = dtype("float16", np.float16, _FLOAT)
float32 = float = dtype("float32", np.float32, _FLOAT)
float64 = double = dtype("float64", np.float64, _FLOAT)
# NumPy has no bfloat16: it is not offered as a dtype of its own.
bfloat16 = None
uint8 = dtype("uint8", np.uint8, _INT)
int8 = dtype("int8", np.int8, _INT)
int16 = short = dtype("int16", np.int16, _INT)
int32 = int = dtype("int32", np.int32, _INT)
int64 = long = dtype("int64", np.int64, _INT)
bool = dtype("bool", np.bool_, _BOOL)  # noqa: A001 - PyTorch's name

_ALL = [float16, float32, float64, uint8, int8, int16, int32, int64, bool]
_FROM_NP = {d.np: d for d in _ALL}
_NAMES = {d.name: d for d in _ALL}

# Names used in error messages, as PyTorch prints them ("torch.FloatTensor").
TENSOR_TYPE_NAMES = {
    "float16": "HalfTensor", "float32": "FloatTensor", "float64": "DoubleTensor",
    "uint8": "ByteTensor", "int8": "CharTensor", "int16": "ShortTensor",
    "int32": "IntTensor", "int64": "LongTensor", "bool": "BoolTensor",
}


def _by_name(name: str) -> dtype:
    return _NAMES[name]


def from_numpy_dtype(np_dtype) -> dtype:
    """The minitorch dtype holding NumPy's ``np_dtype`` (TypeError if none)."""
    try:
        return _FROM_NP[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only supported "
            "types are: float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        ) from None


def as_dtype(d) -> dtype:
    """Accept a minitorch dtype, a NumPy dtype or a name like "float32"."""
    if isinstance(d, dtype):
        return d
    if isinstance(d, str):
        try:
            return _NAMES[d]
        except KeyError:
            raise TypeError(f"unknown dtype name {d!r}") from None
    return from_numpy_dtype(d)


_default = [float32]


def get_default_dtype() -> dtype:
    """The dtype of floating-point tensors created from Python floats (float32)."""
    return _default[0]


def set_default_dtype(d: dtype) -> None:
    """Set the default floating-point dtype (float32 or float64, as in PyTorch)."""
    d = as_dtype(d)
    if d not in (float32, float64, float16):
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default[0] = d


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` convert to (PyTorch's table)."""
    if a is b:
        return a
    if a.category != b.category:
        return a if a.category > b.category else b
    if a.category == _INT and (a is uint8 or b is uint8):
        other = b if a is uint8 else a
        return int16 if other is int8 else other
    return a if a.itemsize >= b.itemsize else b


def can_cast(from_: dtype, to: dtype) -> bool:
    """Whether PyTorch lets an op write a ``from_`` result into a ``to`` tensor (in-place ops).

    Only casts to a lower category are refused: floating point into an
    integer or bool tensor, an integer into a bool tensor. Narrowing within a
    category (float64 -> float32, int64 -> int8) is allowed.

    >>> can_cast(float64, float32), can_cast(float32, int64)
    (True, False)
    """
    return from_.category <= to.category


def scalar_dtype(x) -> dtype:
    """The dtype PyTorch gives a Python scalar on its own."""
    if isinstance(x, (builtins.bool, np.bool_)):
        return bool
    if isinstance(x, (builtins.int, np.integer)):
        return int64
    return _default[0]


def result_type(*operands) -> dtype:
    """Result dtype of an op on tensors and Python scalars, by PyTorch's rules.

    Each operand is either a Tensor-like with ``.dtype`` and ``.ndim``, or a
    Python scalar. See the module docstring for the three priority levels.
    """
    dims = zero = scal = None
    for x in operands:
        d = getattr(x, "dtype", None)
        if isinstance(d, dtype):
            if x.ndim > 0:
                dims = d if dims is None else promote_types(dims, d)
            else:
                zero = d if zero is None else promote_types(zero, d)
        else:
            s = scalar_dtype(x)
            scal = s if scal is None else promote_types(scal, s)
    out = dims
    for lower in (zero, scal):
        if lower is None:
            continue
        if out is None:
            out = lower
        elif lower.category > out.category:
            out = promote_types(out, lower)
    return out
