"""Reductions that skip NaN (nansum, nanmean) and logcumsumexp. (nanmedian lives with median in sorting.py.)"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from ..autograd.function import Function
from ._dims import check_int_dim, np_axis
from ._util import _wrap, _wrap_dim, dims_tuple, not_implemented
from .reduction import _expand_back, _sum_dtype
from .sorting import accumulate

#: Top-level names (``minitorch.nansum``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = ["nansum", "nanmean", "logcumsumexp"]
#: Tensor methods (``x.nansum()``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = list(__all__)


class Nansum(Function):
    """sum(x, dim) counting NaN as 0.  d/dx_i = 1 where x_i is a number, 0 where it is NaN."""

    @staticmethod
    def forward(ctx, a, dims, keepdim, dtype):
        ctx.save_for_backward(a)
        ctx.dims, ctx.keepdim = dims, keepdim
        x, xp = a._data, a._device.xp
        if x.dtype.kind == "f":
            x = xp.where(xp.isnan(x), 0, x)
        out_dt = _sum_dtype(x, dtype)
        acc = np.float32 if (out_dt or x.dtype) == np.float16 else out_dt  # float16 adds up in float32
        out = x.sum(axis=np_axis(dims, x.ndim), keepdims=keepdim, dtype=acc)
        return _wrap(xp.asarray(out, dtype=out_dt or x.dtype), a._device)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        g = _expand_back(grad.to(a.dtype), a.shape, ctx.dims, ctx.keepdim)
        return g * a.isnan().logical_not(), None, None, None


def nansum(input, dim=None, keepdim: bool = False, *, dtype=None):
    """Sum of the elements that are not NaN (all of them, or along ``dim``: an int or a tuple).

    >>> minitorch.tensor([1.0, float("nan"), 2.0]).nansum()
    tensor(3.)
    """
    return Nansum.apply(input, dims_tuple(dim, input.ndim, "nansum"), keepdim, dtype)


def nanmean(input, dim=None, keepdim: bool = False, *, dtype=None):
    """Mean of the elements that are not NaN: ``nansum / (number of non-NaN elements)``, as PyTorch composes it."""
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                           f"{_dtype.TENSOR_TYPE_NAMES[input.dtype.name][:-6]}")
    if dtype is not None and not _dtype.as_dtype(dtype).is_floating_point:
        raise RuntimeError("nanmean(): could not infer output dtype. Optional dtype must be either a floating point "
                           f"or complex dtype. Got: {_dtype.TENSOR_TYPE_NAMES[_dtype.as_dtype(dtype).name][:-6]}")
    count = input.isnan().logical_not().sum(dim=() if dim is None else dim, keepdim=keepdim)
    return nansum(input, dim, keepdim, dtype=dtype) / count


class Logcumsumexp(Function):
    """y_i = log(sum_{j<=i} exp(x_j)), computed as a running logaddexp (stable for large and -inf inputs).

    dx_j = sum_{i>=j} grad_i * exp(x_j - y_i). The sum may mix signs, so (as PyTorch) it is taken in log space
    for the positive and the negative grads apart: dx = exp(x + rlcse(log(grad+) - y)) - exp(x + rlcse(log(grad-) - y)),
    with rlcse the logcumsumexp taken from the end."""

    @staticmethod
    def forward(ctx, a, dim):
        x = a._data
        out = x.copy() if x.ndim == 0 else accumulate(a._device.xp, "logaddexp", x, dim)
        out = _wrap(out, a._device)
        ctx.dim = dim
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        from .elementwise import where

        a, y = ctx.saved_tensors
        d = ctx.dim
        if grad.ndim == 0 or grad.numel() == 0:
            return grad, None
        lowest = float(np.finfo(grad._data.dtype).min)
        log_abs = grad.abs().log()
        log_pos = where(grad > 0, log_abs, lowest)
        log_neg = where(grad < 0, log_abs, lowest)

        def from_end(t):
            return logcumsumexp(t.flip(d), d).flip(d)

        return (from_end(log_pos - y) + a).exp() - (from_end(log_neg - y) + a).exp(), None


def logcumsumexp(input, dim: int):
    """Running ``log(sum(exp(x)))`` along ``dim``, without overflow.

    >>> minitorch.tensor([0.0, 0.0]).logcumsumexp(0)
    tensor([0.0000, 0.6931])
    """
    check_int_dim(dim, "logcumsumexp")
    d = _wrap_dim(dim, input.ndim, "logcumsumexp")
    if not input.dtype.is_floating_point:
        raise not_implemented("logcumsumexp_out_cpu", input.dtype)
    return Logcumsumexp.apply(input, d)
