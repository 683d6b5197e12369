"""Elementwise maths: exp, log, sqrt, trig, tanh, sigmoid, relu, abs, clamp,
maximum/minimum, where and lerp (sign and rounding are in ``piecewise.py``,
erf in ``special.py``; both are re-exported here).

Each op's docstring holds its derivative; ops whose backward would take
several tensor ops (tanh, sigmoid, relu) have a fused, itself differentiable,
backward op, as PyTorch has ``tanh_backward``.
"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from ..autograd.function import Function
from ._util import (
    Tensor,
    _binary,
    _meta,
    _unbroadcast,
    _wrap,
    as_float,
    binary_arrays,
    broadcast_error,
    check_same_device,
    not_implemented,
    scalar_type_name,
)
from .piecewise import Ceil, Floor, Round, Sign, Trunc, _Rounding  # noqa: F401 - re-exported
from .special import Erf  # noqa: F401 - re-exported


def _unary(ctx, a, fn, save_input=False, save_output=False):
    out = _wrap(fn(as_float(a)), a._device)
    if save_input:
        ctx.save_for_backward(a)
    elif save_output:
        ctx.save_for_backward(out)
    return out


class Exp(Function):
    """exp(x).  d/dx = exp(x) (the output, which is saved)."""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(over="ignore"):
            return _unary(ctx, a, a._device.xp.exp, save_output=True)

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        # BEGIN SOLUTION 2.4
        # HINT: d exp(x)/dx = exp(x), which is the saved output y
        return grad * y
        # END SOLUTION


class Log(Function):
    """log(x).  d/dx = 1/x."""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore", invalid="ignore"):
            return _unary(ctx, a, a._device.xp.log, save_input=True)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        # BEGIN SOLUTION 2.4
        # HINT: d log(x)/dx = 1/x
        return grad / x
        # END SOLUTION


class Log1p(Function):
    """log(1 + x).  d/dx = 1/(1 + x)."""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore", invalid="ignore"):
            return _unary(ctx, a, a._device.xp.log1p, save_input=True)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x + 1)


class Expm1(Function):
    """exp(x) - 1.  d/dx = exp(x) = output + 1."""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(over="ignore"):
            return _unary(ctx, a, a._device.xp.expm1, save_output=True)

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (y + 1)


class Sqrt(Function):
    """sqrt(x).  d/dx = 1 / (2 sqrt(x))."""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(invalid="ignore"):
            return _unary(ctx, a, a._device.xp.sqrt, save_output=True)

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        # BEGIN SOLUTION 2.5
        # HINT: d sqrt(x)/dx = 1 / (2 sqrt(x)) and y = sqrt(x) is saved
        return grad / (2 * y)
        # END SOLUTION


class Rsqrt(Function):
    """1/sqrt(x).  d/dx = -1/2 x^(-3/2) = -y^3 / 2."""

    @staticmethod
    def forward(ctx, a):
        xp = a._device.xp
        with np.errstate(divide="ignore", invalid="ignore"):
            return _unary(ctx, a, lambda x: 1 / xp.sqrt(x), save_output=True)

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (-0.5 * y * y * y)


class Sin(Function):
    """sin(x).  d/dx = cos(x)."""

    @staticmethod
    def forward(ctx, a):
        return _unary(ctx, a, a._device.xp.sin, save_input=True)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        # BEGIN SOLUTION 2.6
        # HINT: d sin(x)/dx = cos(x)
        return grad * x.cos()
        # END SOLUTION


class Cos(Function):
    """cos(x).  d/dx = -sin(x)."""

    @staticmethod
    def forward(ctx, a):
        return _unary(ctx, a, a._device.xp.cos, save_input=True)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        # BEGIN SOLUTION 2.6
        # HINT: d cos(x)/dx = -sin(x)
        return grad * -x.sin()
        # END SOLUTION


class Tan(Function):
    """tan(x).  d/dx = 1 + tan(x)^2."""

    @staticmethod
    def forward(ctx, a):
        return _unary(ctx, a, a._device.xp.tan, save_output=True)

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1 + y * y)


class Tanh(Function):
    """tanh(x).  d/dx = 1 - tanh(x)^2 (from the saved output)."""

    @staticmethod
    def forward(ctx, a):
        return _unary(ctx, a, a._device.xp.tanh, save_output=True)

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return TanhGrad.apply(grad, y)


class TanhGrad(Function):
    """The backward of tanh as one op: grad * (1 - y^2).
    Its own derivatives (for double backward): d/dgrad = 1 - y^2, d/dy = -2 y grad."""

    node_name = "TanhBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(grad, y)
        # BEGIN SOLUTION 2.8
        # HINT: tanh's backward on the arrays: grad * (1 - t^2), t = tanh(x) the saved output; wrap with _wrap
        g, t = grad._data, y._data
        return _wrap(g * (1 - t * t), grad._device)
        # END SOLUTION

    @staticmethod
    def backward(ctx, gg):
        grad, y = ctx.saved_tensors
        return gg * (1 - y * y), gg * grad * y * -2


class Sigmoid(Function):
    """sigmoid(x) = 1 / (1 + exp(-x)).  d/dx = s (1 - s), s the output.

    Computed as exp(x)/(1+exp(x)) for x < 0 so that no exp overflows.
    """

    @staticmethod
    def forward(ctx, a):
        xp = a._device.xp

        def stable(x):
            e = xp.exp(-xp.abs(x))
            return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))

        return _unary(ctx, a, stable, save_output=True)

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return SigmoidGrad.apply(grad, y)


class SigmoidGrad(Function):
    """The backward of sigmoid as one op: grad * y (1 - y).
    Its own derivatives: d/dgrad = y (1 - y), d/dy = grad (1 - 2y)."""

    node_name = "SigmoidBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(grad, y)
        # BEGIN SOLUTION 2.7
        # HINT: sigmoid's backward on the arrays: grad * s * (1 - s), s = sigmoid(x) the saved output; wrap with _wrap
        g, s = grad._data, y._data
        return _wrap(g * (s * (1 - s)), grad._device)
        # END SOLUTION

    @staticmethod
    def backward(ctx, gg):
        grad, y = ctx.saved_tensors
        return gg * y * (1 - y), gg * grad * (1 - 2 * y)


class Relu(Function):
    """max(x, 0).  d/dx = 1 where x > 0, else 0."""

    @staticmethod
    def forward(ctx, a):
        if a._data.dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu")
        out = _wrap(a._device.xp.maximum(a._data, 0, dtype=a._data.dtype), a._device)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return ThresholdGrad.apply(grad, y)


def _keep_where(g, keep, xp):
    """``g`` where ``keep``, else 0 (arrays). A multiply by the mask is ~10x faster than ``where`` in NumPy,
    but inf * 0 is NaN: only an array holding a non-finite value takes the slower, exact ``where``."""
    if xp is not np:
        return xp.where(keep, g, 0).astype(g.dtype, copy=False)
    with np.errstate(invalid="ignore"):  # inf * 0: the NaN is replaced below
        out = g * keep
    if not np.isfinite(out).all():
        out = np.where(keep, g, 0).astype(g.dtype, copy=False)
    return out


class ThresholdGrad(Function):
    """The backward of relu as one op: 0 where y <= 0, else grad (so a NaN output passes grad, as in PyTorch).
    d/dgrad = (y > 0); d/dy = 0 almost everywhere."""

    node_name = "ThresholdBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(y)
        # BEGIN SOLUTION 2.9
        # HINT: relu's backward on the arrays: grad where the output y is not <= 0 (so a NaN output passes grad),
        # HINT: else 0: keep = ~(y <= 0) on the arrays, then _keep_where(grad array, keep, xp)
        keep = ~(y._data <= 0)
        return _wrap(_keep_where(grad._data, keep, grad._device.xp), grad._device)
        # END SOLUTION

    @staticmethod
    def backward(ctx, gg):
        (y,) = ctx.saved_tensors
        return Where.apply(y <= 0, 0.0, gg), gg * 0


class Abs(Function):
    """|x|.  d/dx = sign(x) (0 at 0)."""

    @staticmethod
    def forward(ctx, a):
        if a._data.dtype.kind == "b":
            raise not_implemented("abs_cpu", a.dtype)
        ctx.save_for_backward(a)
        return _wrap(a._device.xp.abs(a._data), a._device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        # BEGIN SOLUTION 2.10
        # HINT: d|x|/dx = sign(x) (0 at x = 0)
        return grad * x.sign()
        # END SOLUTION


class Clamp(Function):
    """clamp(x, min, max) = min(max(x, min), max).  d/dx = 1 where min <= x <= max, else 0;
    d/dmin = 1 where x < min < max; d/dmax = 1 where x > max or max < min (tensor bounds)."""

    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, a, lo, hi):
        if lo is None and hi is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        if a._data.dtype.kind == "b" and all(isinstance(v, bool) for v in (lo, hi) if v is not None):
            raise not_implemented("clamp_scalar_cpu", a.dtype)
        check_same_device("clamp", a, lo, hi)
        ctx.a = _meta(a)
        ctx.save_for_backward(a, lo if isinstance(lo, Tensor) else None, hi if isinstance(hi, Tensor) else None)
        ctx.lo, ctx.hi = lo, hi
        # PyTorch promotes: int tensor clamped by a float gives the default float dtype.
        out_dt = _dtype.result_type(a, *(v for v in (lo, hi) if v is not None)).np
        xp = a._device.xp
        out = a._data.astype(out_dt, copy=True)
        for bound, fn in ((lo, xp.maximum), (hi, xp.minimum)):
            if bound is not None:
                v = bound._data.astype(out_dt, copy=False) if isinstance(bound, Tensor) else _cast_scalar(bound, out)
                try:
                    out = fn(out, v, dtype=out_dt)
                except ValueError:
                    raise broadcast_error(out.shape, np.shape(v)) from None
        return _wrap(out, a._device)

    @staticmethod
    def backward(ctx, grad):
        a, lo_t, hi_t = ctx.saved_tensors
        lo = lo_t if lo_t is not None else ctx.lo
        hi = hi_t if hi_t is not None else ctx.hi
        # BEGIN SOLUTION 2.11
        # HINT: d clamp(x, lo, hi)/dx = 1 where lo <= x <= hi (a missing bound does not restrict), else 0
        keep = None
        if lo is not None:
            keep = a >= lo
        if hi is not None:
            keep = (a <= hi) if keep is None else keep & (a <= hi)
        ga = _unbroadcast(grad * keep, ctx.a)
        # END SOLUTION
        glo = ghi = None
        if lo_t is not None and ctx.needs_input_grad[1]:
            below = (a < lo_t) if hi is None else (a < lo_t) & (lo_t < hi)
            glo = _unbroadcast(grad * below, _meta(lo_t))
        if hi_t is not None and ctx.needs_input_grad[2]:
            above = (a > hi_t) if lo is None else (a > hi_t) | (hi_t < lo)
            ghi = _unbroadcast(grad * above, _meta(hi_t))
        return ga, glo, ghi


def _cast_scalar(v, arr):
    if arr.dtype.kind == "f":
        return v
    if isinstance(v, float):
        return v
    return arr.dtype.type(v)  # a NumPy scalar: CuPy takes it, a NumPy array it would refuse


class Maximum(Function):
    """maximum(a, b).  The gradient goes to the larger input; ties split it in half."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.a, ctx.b = _meta(a), _meta(b)
        return _binary(a._device.xp.maximum, a, b, "maximum")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        # BEGIN SOLUTION 2.12
        # HINT: the gradient goes to the larger input; on ties each gets half: share_a = (a > b) + 0.5 (a == b)
        share = (a > b) + (a == b) * 0.5
        ga = _unbroadcast(grad * share, ctx.a) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(grad * (1 - share), ctx.b) if ctx.needs_input_grad[1] else None
        # END SOLUTION
        return ga, gb


class Minimum(Function):
    """minimum(a, b).  The gradient goes to the smaller input; ties split it in half."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.a, ctx.b = _meta(a), _meta(b)
        return _binary(a._device.xp.minimum, a, b, "minimum")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        share = (a < b) + (a == b) * 0.5
        ga = _unbroadcast(grad * share, ctx.a) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(grad * (1 - share), ctx.b) if ctx.needs_input_grad[1] else None
        return ga, gb


class Where(Function):
    """where(cond, a, b).  d/da = cond, d/db = not cond."""

    @staticmethod
    def forward(ctx, cond, a, b):
        if not isinstance(cond, Tensor) or cond._data.dtype.kind != "b":
            kind = scalar_type_name(cond.dtype) if isinstance(cond, Tensor) else type(cond).__name__
            raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype {kind}")
        ctx.save_for_backward(cond)
        ctx.a, ctx.b = _meta(a), _meta(b)
        if not isinstance(a, Tensor) and not isinstance(b, Tensor):
            # two Python numbers: they take their own dtype (int64, the default float or bool)
            dt = _dtype.result_type(a, b).np
            x, y, device = cond._device.xp.asarray(a, dtype=dt), cond._device.xp.asarray(b, dtype=dt), cond._device
        else:
            x, y, device = binary_arrays(a, b, "where")
        check_same_device("where", cond, *(t for t in (a, b) if isinstance(t, Tensor)))
        try:
            out = device.xp.where(cond._data, x, y)
        except ValueError:
            try:
                shape = np.broadcast_shapes(np.shape(x), np.shape(y))
            except ValueError:
                raise broadcast_error(np.shape(x), np.shape(y)) from None
            raise broadcast_error(cond.shape, shape) from None
        return _wrap(out, device)

    @staticmethod
    def backward(ctx, grad):
        (cond,) = ctx.saved_tensors
        # where(), not grad * cond: an infinite grad must give 0, not NaN, where the other input was picked
        ga = _unbroadcast(Where.apply(cond, grad, 0.0), ctx.a) if ctx.needs_input_grad[1] else None
        gb = _unbroadcast(Where.apply(cond, 0.0, grad), ctx.b) if ctx.needs_input_grad[2] else None
        return None, ga, gb


class Lerp(Function):
    """start + weight * (end - start).  d/dstart = 1 - w, d/dend = w."""

    @staticmethod
    def forward(ctx, start, end, weight):
        check_same_device("lerp", start, end, weight)
        ctx.save_for_backward(start, end, weight if isinstance(weight, Tensor) else None)
        ctx.w = weight
        ctx.s, ctx.e = _meta(start), _meta(end)
        w = weight._data if isinstance(weight, Tensor) else weight
        s, e = start._data, end._data
        xp = start._device.xp
        # PyTorch's formula: from the nearer end, so that weight 1 gives exactly `end`.
        return _wrap(xp.where(xp.abs(w) < 0.5, s + w * (e - s), e - (e - s) * (1 - w)), start._device)

    @staticmethod
    def backward(ctx, grad):
        start, end, wt = ctx.saved_tensors
        w = wt if wt is not None else ctx.w
        gs = _unbroadcast(grad * (1 - w), ctx.s)
        ge = _unbroadcast(grad * w, ctx.e)
        gw = _unbroadcast(grad * (end - start), _meta(wt)) if wt is not None else None
        return gs, ge, gw
