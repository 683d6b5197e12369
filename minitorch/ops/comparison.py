"""Comparisons and logic: == != < <= > >=, & | ^ ~ (bool results never require grad)."""

from __future__ import annotations

import numpy as np

from ._util import (
    Tensor,
    _binary,
    _wrap,
    not_implemented,
)


def _compare(ufunc, name):
    def op(a, b):
        return _binary(ufunc, a, b, name)

    op.__name__ = name
    op.__doc__ = f"Elementwise ``{name}``, returning a bool tensor."
    return op


eq = _compare(np.equal, "eq")
ne = _compare(np.not_equal, "ne")
lt = _compare(np.less, "lt")
le = _compare(np.less_equal, "le")
gt = _compare(np.greater, "gt")
ge = _compare(np.greater_equal, "ge")


def _logic(ufunc, name):
    def op(a, b):
        for x in (a, b):
            if isinstance(x, Tensor) and x._data.dtype.kind == "f":
                raise not_implemented(f"{name}_cpu", x.dtype)
        return _binary(ufunc, a, b, name)

    op.__name__ = name
    return op


bitwise_and = _logic(np.bitwise_and, "bitwise_and")
bitwise_or = _logic(np.bitwise_or, "bitwise_or")
bitwise_xor = _logic(np.bitwise_xor, "bitwise_xor")


def bitwise_not(a: Tensor) -> Tensor:
    """``~a``: logical not for bool tensors, bitwise not for integers."""
    if a._data.dtype.kind == "f":
        raise TypeError("~ (bitwise_not) is only supported for integer and bool tensors")
    return _wrap(~a._data, a._device)


def logical_not(a: Tensor) -> Tensor:
    return _wrap(a._device.xp.logical_not(a._data), a._device)


def logical_and(a, b) -> Tensor:
    return _binary(np.logical_and, a, b, "logical_and")


def logical_or(a, b) -> Tensor:
    return _binary(np.logical_or, a, b, "logical_or")


def isnan(a: Tensor) -> Tensor:
    return _wrap(a._device.xp.isnan(a._data), a._device)


def isinf(a: Tensor) -> Tensor:
    return _wrap(a._device.xp.isinf(a._data), a._device)


def isfinite(a: Tensor) -> Tensor:
    return _wrap(a._device.xp.isfinite(a._data), a._device)
