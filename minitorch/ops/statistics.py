"""Statistics and norms: var/std (and their ``_mean`` pairs), logsumexp, norm,
and the logical reductions all/any/count_nonzero.

var, std, logsumexp and norm are one node each, named as PyTorch names them
(``VarBackward0``...); their backward rules are written with Tensor ops, so
they can be differentiated again. The names are re-exported by
``minitorch.ops.reduction``.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtype
from ..autograd.function import Function
from ._dims import _kept_shape, np_axis, reduced_numel
from ._util import _wrap, dims_tuple, scalar_type_name


# ---- variance and standard deviation ---------------------------------------------------
def _correction(dim, unbiased, correction):
    """Resolve PyTorch's overloads: var(x, False) means unbiased=False; unbiased=True is correction 1."""
    if isinstance(dim, bool) and unbiased is None:
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    return dim, correction


def _var(input, dim, unbiased, keepdim, correction, name):
    dim, correction = _correction(dim, unbiased, correction)
    if not input.dtype.is_floating_point:
        what = "std and var" if name in ("var", "std") else name
        raise RuntimeError(f"{what} only support floating point and complex dtypes")
    dims = dims_tuple(dim, input.ndim, name)
    n = reduced_numel(tuple(input.shape), dims)
    if n - correction <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor "
            "(input numel divided by output numel).",
            UserWarning,
            stacklevel=3,
        )
    return Var.apply(input, dims, float(max(n - correction, 0)), keepdim)


def _expand_back(grad, x, dims, keepdim):
    """A reduction's output gradient reshaped so that it broadcasts against the input ``x``."""
    return grad if keepdim or x.ndim == 0 else grad.reshape(_kept_shape(tuple(x.shape), dims))


class Var(Function):
    """var = sum((x - mean)^2) / (N - correction).  d/dx = 2 (x - mean) / (N - correction).

    (The mean's own gradient drops out: the deviations sum to 0.) The divisor is clamped
    at 0, so N <= correction gives inf or nan, as in PyTorch."""

    @staticmethod
    def forward(ctx, x, dims, divisor, keepdim):
        ctx.dims, ctx.divisor, ctx.keepdim = dims, divisor, keepdim
        a = x._data
        axis = np_axis(dims, a.ndim)
        with np.errstate(divide="ignore", invalid="ignore"):
            centered = a - a.mean(axis=axis, keepdims=True)
            out = (centered * centered).sum(axis=axis, keepdims=keepdim) / a.dtype.type(divisor)
        ctx.save_for_backward(x)
        return _wrap(x._device.xp.asarray(out, dtype=a.dtype), x._device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        g = _expand_back(grad, x, ctx.dims, ctx.keepdim)
        centered = x - x.mean(dim=ctx.dims, keepdim=True)
        return g * centered * (2.0 / ctx.divisor if ctx.divisor else float("inf")), None, None, None


class Std(Function):
    """std = sqrt(var).  d/dx = (x - mean) / ((N - correction) std), and 0 where std = 0 (PyTorch's choice:
    the limit along the only direction that keeps all values equal)."""

    @staticmethod
    def forward(ctx, v):
        out = _wrap(v._device.xp.sqrt(v._data), v._device)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (s,) = ctx.saved_tensors
        zero = s.detach() == 0
        return grad / (2 * s.masked_fill(zero, 1.0)) * ~zero  # d sqrt(v)/dv = 1 / (2 sqrt(v))


def var(input, dim=None, unbiased=None, keepdim: bool = False, *, correction=None):
    """Variance: sum((x - mean)^2) / (N - correction); ``unbiased=True`` means correction 1.

    >>> minitorch.tensor([1.0, 2.0, 3.0]).var()
    tensor(1.)
    """
    return _var(input, dim, unbiased, keepdim, correction, "var")


def _sqrt_of_var(v):
    """std from the variance, as one ``StdBackward0`` node whose input is the ``VarBackward0`` node.

    d sqrt(v)/dv = 1 / (2 sqrt(v)) is infinite at v = 0, and the chain rule multiplies it by
    dv/dx = 0 (all values equal): PyTorch takes the limit, 0, and so does ``Std``.
    """
    return Std.apply(v)


def std(input, dim=None, unbiased=None, keepdim: bool = False, *, correction=None):
    """Standard deviation: sqrt of ``var`` with the same arguments."""
    return _sqrt_of_var(_var(input, dim, unbiased, keepdim, correction, "std"))


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(var, mean)`` over the same dims."""
    v = _var(input, dim, unbiased, keepdim, correction, "var_mean")
    dim, _ = _correction(dim, unbiased, correction)
    return v, input.mean(dim=dim, keepdim=keepdim)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(std, mean)`` over the same dims."""
    v = _var(input, dim, unbiased, keepdim, correction, "std_mean")
    dim, _ = _correction(dim, unbiased, correction)
    return _sqrt_of_var(v), input.mean(dim=dim, keepdim=keepdim)


# ---- logsumexp -------------------------------------------------------------------------
def logsumexp(input, dim, keepdim: bool = False):
    """log(sum(exp(x))) computed stably: the max is subtracted first.

    The shift ``m`` is detached: the result does not depend on it, so neither
    does the gradient, which is softmax(x).

    >>> minitorch.tensor([0.0, 0.0]).logsumexp(0)
    tensor(0.6931)
    """
    if dim is None:
        raise TypeError("logsumexp(): argument 'dim' must be tuple of ints, not NoneType")
    dims = dims_tuple(dim, input.ndim, "logsumexp")
    x = input if input.dtype.is_floating_point else input.to(_dtype.get_default_dtype())
    return Logsumexp.apply(x, dims, keepdim)


class Logsumexp(Function):
    """y = log(sum(exp(x))).  d/dx = exp(x - y) = softmax(x).

    Computed stably: the row's max m is subtracted first (y = log(sum(exp(x - m))) + m);
    a row that is all -inf (or holds an inf) is shifted by 0 instead."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        a, xp = x._data, x._device.xp
        axis = np_axis(dims, a.ndim)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if a.size == 0:
                out = xp.log(xp.exp(a).sum(axis=axis, keepdims=keepdim))
            else:
                m = a.max(axis=axis, keepdims=True)
                m = xp.where(xp.isinf(m), 0, m)
                out = xp.log(xp.exp(a - m).sum(axis=axis, keepdims=True)) + m
                if not keepdim:
                    out = out.reshape(_out_shape(a.shape, dims))
        out = _wrap(xp.asarray(out, dtype=a.dtype), x._device)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return _expand_back(grad, x, ctx.dims, ctx.keepdim) * (x - _expand_back(y, x, ctx.dims, ctx.keepdim)).exp(), \
            None, None


def _out_shape(shape, dims) -> tuple:
    """The output shape of a reduction over ``dims`` without keepdim."""
    return () if dims is None else tuple(s for i, s in enumerate(shape) if i not in dims)


# ---- norm ------------------------------------------------------------------------------
class Norm(Function):
    """p-norm of ``x`` (over ``dims``).
    d/dx = x |x|^(p-2) / ||x||^(p-1); for p = 2 that is x / ||x|| (0 where ||x|| = 0);
    for p = inf the gradient goes to the largest |x|, shared among ties."""

    node_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, p, dims, keepdim):
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        x = a._data
        xp = a._device.xp
        ax = np_axis(dims, x.ndim)
        ax_ = xp.abs(x)
        if p == float("inf"):
            out = ax_.max(axis=ax, keepdims=keepdim)
        elif p == -float("inf"):
            out = ax_.min(axis=ax, keepdims=keepdim)
        elif p == 0:
            out = (x != 0).sum(axis=ax, keepdims=keepdim).astype(x.dtype)
        elif p == 1:
            out = ax_.sum(axis=ax, keepdims=keepdim)
        elif p == 2:
            out = xp.sqrt((x * x).sum(axis=ax, keepdims=keepdim))
        else:
            with np.errstate(divide="ignore"):
                out = (ax_ ** p).sum(axis=ax, keepdims=keepdim) ** (1.0 / p)
        out = _wrap(xp.asarray(out, dtype=x.dtype), a._device)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, n = ctx.saved_tensors
        p, dims = ctx.p, ctx.dims
        grad, n = _expand_back(grad, a, dims, ctx.keepdim), _expand_back(n, a, dims, ctx.keepdim)
        if p == 0:
            return a * 0, None, None, None
        if p == 1:
            return grad * a.sign(), None, None, None
        if p in (float("inf"), -float("inf")):
            mask = a.abs() == n
            count = mask.sum(dim=dims, keepdim=True) if dims is not None else mask.sum()
            return grad * a.sign() * mask / count, None, None, None
        if p == 2:
            safe = n.masked_fill(n == 0, 1.0)
            return grad * (a / safe) * (n != 0), None, None, None
        safe = n.masked_fill(n == 0, 1.0)
        return grad * a * a.abs() ** (p - 2) / safe ** (p - 1) * (n != 0), None, None, None


def norm(input, p="fro", dim=None, keepdim: bool = False, dtype=None):
    """Vector p-norm (``p="fro"`` and ``p=2`` are the Euclidean norm).

    >>> minitorch.tensor([3.0, 4.0]).norm()
    tensor(5.)
    """
    if p in ("fro", None):
        p = 2
    if p == "nuc":
        raise NotImplementedError("norm(p='nuc') needs an SVD and is not implemented in minitorch")
    if not input.dtype.is_floating_point:  # checked before any dtype= conversion, as in PyTorch
        raise RuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {scalar_type_name(input.dtype)}"
        )
    x = input if dtype is None else input.to(dtype)
    dims = dims_tuple(dim, input.ndim, "norm")
    return Norm.apply(x, float(p), dims, keepdim)


# ---- logical reductions (not differentiable) --------------------------------------------
def _logical(input, dim, keepdim, name):
    x = input._data
    xp = input._device.xp
    # PyTorch keeps uint8 for uint8 inputs (a leftover from before bool tensors); bool otherwise.
    out_dt = np.uint8 if x.dtype == np.uint8 else np.bool_
    if isinstance(dim, (tuple, list)) and len(dim) == 0:  # dim=(): reduce over nothing
        return _wrap(x.astype(bool).astype(out_dt), input._device)
    dims = dims_tuple(dim, input.ndim, name)
    out = getattr(x.astype(bool), name)(axis=np_axis(dims, x.ndim), keepdims=keepdim)
    return _wrap(xp.asarray(out, dtype=out_dt), input._device)


def all(input, dim=None, keepdim: bool = False):
    """True where every element (along ``dim``) is non-zero.

    >>> minitorch.tensor([1, 0]).all()
    tensor(False)
    """
    return _logical(input, dim, keepdim, "all")


def any(input, dim=None, keepdim: bool = False):
    """True where some element (along ``dim``) is non-zero."""
    return _logical(input, dim, keepdim, "any")


def count_nonzero(input, dim=None):
    """How many elements (along ``dim``) are not zero, as int64."""
    dims = dims_tuple(dim, input.ndim, "count_nonzero")
    x = input._data
    return _wrap(input._device.xp.asarray((x != 0).sum(axis=np_axis(dims, x.ndim)), dtype=np.int64), input._device)
