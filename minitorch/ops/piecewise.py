"""Piecewise-constant functions: sign, floor, ceil, round, trunc.

Their derivative is 0 wherever it exists, so each backward returns zeros.
Integers are already whole: rounding them returns a copy. Bool tensors
have no rounding kernel in PyTorch.
"""

from __future__ import annotations

from ..autograd.function import Function
from ._util import _wrap, not_implemented


class Sign(Function):
    """sign(x).  d/dx = 0."""

    @staticmethod
    def forward(ctx, a):
        if a._data.dtype.kind == "b":  # the sign of a bool is itself
            return _wrap(a._data.copy(), a._device)
        xp = a._device.xp
        out = xp.sign(a._data)
        if out.dtype.kind == "f":
            out = xp.where(xp.isnan(out), 0, out).astype(out.dtype, copy=False)  # PyTorch: sign(nan) = 0
        return _wrap(out, a._device)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


class _Rounding(Function):
    """floor/ceil/round/trunc: piecewise constant, so d/dx = 0."""

    fn = None

    @classmethod
    def forward(cls, ctx, a, *args):
        if a._data.dtype.kind == "b":
            raise not_implemented(f"{cls.fn}_vml_cpu", a.dtype)
        if a._data.dtype.kind != "f":  # integers are already whole
            return _wrap(a._data.copy(), a._device)
        return _wrap(getattr(a._device.xp, cls.fn)(a._data, *args), a._device)

    @staticmethod
    def backward(ctx, grad, *args):
        return (grad * 0,) + (None,) * (len(ctx._edges) - 1)


class Floor(_Rounding):
    fn = "floor"


class Ceil(_Rounding):
    fn = "ceil"


class Round(_Rounding):
    fn = "round"


class Trunc(_Rounding):
    fn = "trunc"
