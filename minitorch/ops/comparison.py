"""Comparisons and logic: == != < <= > >=, & | ^ ~ (bool results never require grad)."""

from __future__ import annotations

import numpy as np

from ._util import (
    Tensor,
    _binary,
    _wrap,
    broadcast_error,
    not_implemented,
    scalar_type_name,
)


def _compare(ufunc, name):
    def op(input, other):
        return _binary(ufunc, input, other, name)

    op.__name__ = name
    op.__doc__ = f"Elementwise ``{name}``, returning a bool tensor."
    return op


eq = _compare(np.equal, "eq")
ne = _compare(np.not_equal, "ne")
lt = _compare(np.less, "lt")
le = _compare(np.less_equal, "le")
gt = _compare(np.greater, "gt")
ge = _compare(np.greater_equal, "ge")
# PyTorch's longer spellings
greater, less, greater_equal, less_equal, not_equal = gt, lt, ge, le, ne


def _operator(op):
    """``op`` as a Python operator: other types (None, str, list) are left to Python, so that
    ``t == None`` is False and ``t < None`` raises Python's TypeError, as with PyTorch."""

    def dunder(self, other):
        if other is None or isinstance(other, (str, list, tuple, dict, set)):
            return NotImplemented
        return op(self, other)

    dunder.__name__ = f"__{op.__name__}__"
    return dunder


# The comparison operators for Tensor (``Tensor.__eq__ = OPERATORS["__eq__"]``).
OPERATORS = {f"__{op.__name__}__": _operator(op) for op in (eq, ne, lt, le, gt, ge)}


def _logic(ufunc, name):
    def op(input, other):
        for x in (input, other):
            if isinstance(x, Tensor) and x._data.dtype.kind == "f":
                raise not_implemented(f"{name}_cpu", x.dtype)
        return _binary(ufunc, input, other, name)

    op.__name__ = name
    return op


bitwise_and = _logic(np.bitwise_and, "bitwise_and")
bitwise_or = _logic(np.bitwise_or, "bitwise_or")
bitwise_xor = _logic(np.bitwise_xor, "bitwise_xor")


def bitwise_not(input: Tensor) -> Tensor:
    """``~input``: logical not for bool tensors, bitwise not for integers."""
    if input._data.dtype.kind == "f":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return _wrap(~input._data, input._device)


def _need_tensor(op, x, name, position):
    """PyTorch's error for a Python number where an op only takes tensors."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type(x).__name__}")


def logical_not(input: Tensor) -> Tensor:
    """True where ``input`` is zero (any dtype)."""
    return _wrap(input._device.xp.logical_not(input._data), input._device)


def _logical(ufunc, name):
    def op(input, other) -> Tensor:
        _need_tensor(name, other, "other", 2)
        return _binary(ufunc, input, other, name)

    op.__name__ = name
    op.__doc__ = f"Elementwise ``{name}`` of the truth values (nonzero is True), returning a bool tensor."
    return op


logical_and = _logical(np.logical_and, "logical_and")
logical_or = _logical(np.logical_or, "logical_or")
logical_xor = _logical(np.logical_xor, "logical_xor")


def isnan(input: Tensor) -> Tensor:
    return _wrap(input._device.xp.isnan(input._data), input._device)


def isinf(input: Tensor) -> Tensor:
    return _wrap(input._device.xp.isinf(input._data), input._device)


def isfinite(input: Tensor) -> Tensor:
    return _wrap(input._device.xp.isfinite(input._data), input._device)


def isposinf(input: Tensor) -> Tensor:
    """True where ``input`` is +inf."""
    xp = input._device.xp
    return _wrap(xp.isinf(input._data) & (input._data > 0), input._device)


def isneginf(input: Tensor) -> Tensor:
    """True where ``input`` is -inf."""
    xp = input._device.xp
    return _wrap(xp.isinf(input._data) & (input._data < 0), input._device)


def signbit(input: Tensor) -> Tensor:
    """True where the sign bit is set (negative numbers and -0.0)."""
    return _wrap(input._device.xp.signbit(input._data), input._device)


# ---- closeness ------------------------------------------------------------------------------
def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
    """True where ``|input - other| <= atol + rtol * |other|`` (or both are equal, infinities included).

    >>> minitorch.isclose(minitorch.tensor([1.0, 2.0]), minitorch.tensor([1.0, 2.1]))
    tensor([ True, False])
    """
    _need_tensor("isclose", other, "other", 2)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{scalar_type_name(input.dtype)} did not match {scalar_type_name(other.dtype)}")
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if tol < 0:
            raise RuntimeError(f"{name} must be greater than or equal to zero, but got {tol}")
    xp = input._device.xp
    a, b = input._data, other._data
    if a.dtype.kind != "f":  # integers and bools are compared as numbers
        a, b = a.astype(np.float64), b.astype(np.float64)
    try:
        with np.errstate(invalid="ignore", over="ignore"):
            close = (a == b) | ((xp.abs(a - b) <= atol + rtol * xp.abs(b)) & xp.isfinite(b))
    except ValueError:
        raise broadcast_error(a.shape, b.shape) from None
    if equal_nan:
        close = close | (xp.isnan(a) & xp.isnan(b))
    return _wrap(xp.asarray(close), input._device)


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """True when ``isclose`` holds everywhere.

    >>> minitorch.allclose(minitorch.tensor([1.0]), minitorch.tensor([1.0 + 1e-9]))
    True
    """
    _need_tensor("allclose", other, "other", 2)
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())
