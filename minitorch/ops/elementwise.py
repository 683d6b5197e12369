"""Elementwise ops: arithmetic with broadcasting, unary maths, comparisons.

Every backward rule is written with Tensor ops (so it can itself be
differentiated when ``create_graph=True``) and its maths is in the docstring.
Gradients of broadcast inputs are summed back to the input's shape by
``sum_to_size`` (the single shared helper for that).
"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from ..autograd.function import Function
from ._util import Tensor, _wrap, as_float, binary_arrays, broadcast_error, check_same_device, not_implemented


def _binary(ufunc, a, b, op: str, float_result: bool = False) -> Tensor:
    x, y, device = binary_arrays(a, b, op, float_result)
    try:
        out = ufunc(x, y)
    except ValueError:
        raise broadcast_error(np.shape(x), np.shape(y), op) from None
    if type(out) is not np.ndarray and device.type == "cpu":
        out = np.asarray(out)
    return _wrap(out, device)


# ---- arithmetic ------------------------------------------------------------------------
class Add(Function):
    """a + b.  d/da = 1, d/db = 1 (each summed back to its input's shape)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.a, ctx.b = _meta(a), _meta(b)
        return _binary(np.add, a, b, "add")

    @staticmethod
    def backward(ctx, grad):
        ga = _unbroadcast(grad, ctx.a) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(grad, ctx.b) if ctx.needs_input_grad[1] else None
        return ga, gb


class Sub(Function):
    """a - b.  d/da = 1, d/db = -1."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.a, ctx.b = _meta(a), _meta(b)
        if _is_bool(a) and _is_bool(b):
            raise RuntimeError(
                "Subtraction, the `-` operator, with two bool tensors is not supported. "
                "Use the `^` or `logical_xor()` operator instead."
            )
        if _is_bool(a) or _is_bool(b):
            raise RuntimeError(
                "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert "
                "a mask, use the `~` or `logical_not()` operator instead."
            )
        return _binary(np.subtract, a, b, "sub")

    @staticmethod
    def backward(ctx, grad):
        ga = _unbroadcast(grad, ctx.a) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(-grad, ctx.b) if ctx.needs_input_grad[1] else None
        return ga, gb


class Rsub(Sub):
    """b - a written as ``scalar - tensor``."""

    node_name = "RsubBackward1"


class Mul(Function):
    """a * b.  d/da = b, d/db = a."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)  # Python numbers are kept as they are
        return _binary(np.multiply, a, b, "mul")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        ga = _unbroadcast(grad * b, _meta(a)) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(grad * a, _meta(b)) if ctx.needs_input_grad[1] else None
        return ga, gb


class Div(Function):
    """a / b (true division).  d/da = 1/b, d/db = -a/b^2."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)  # Python numbers are kept as they are
        with np.errstate(divide="ignore", invalid="ignore"):
            return _binary(np.true_divide, a, b, "div", float_result=True)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        ga = _unbroadcast(grad / b, _meta(a)) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(-grad * a / (b * b), _meta(b)) if ctx.needs_input_grad[1] else None
        return ga, gb


class FloorDivide(Function):
    """a // b, rounding toward minus infinity (not differentiable)."""

    @staticmethod
    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            return _binary(np.floor_divide, a, b, "floor_divide")

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for floor_divide is not implemented")


class Remainder(Function):
    """a % b with the sign of b (Python's).  d/da = 1, d/db = -floor(a/b)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)  # Python numbers are kept as they are
        with np.errstate(divide="ignore", invalid="ignore"):
            return _binary(np.remainder, a, b, "remainder")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        ga = _unbroadcast(grad, _meta(a)) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(-grad * (a / b).floor(), _meta(b)) if ctx.needs_input_grad[1] else None
        return ga, gb


class Pow(Function):
    """a ** b.  d/da = b * a^(b-1);  d/db = a^b * log(a) (0 where a == 0 and b >= 0)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)  # Python numbers are kept as they are
        if isinstance(a, Tensor) and not a.dtype.is_floating_point and isinstance(b, (int, np.integer)) and b < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return _binary(np.power, a, b, "pow")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        ga = gb = None
        if ctx.needs_input_grad[0]:
            if isinstance(b, Tensor):
                ga = grad * b * a ** (b - 1)
            else:
                ga = grad * (b * a ** (b - 1)) if b != 0 else grad * 0
            ga = _unbroadcast(ga, _meta(a))
        if ctx.needs_input_grad[1]:
            if isinstance(a, Tensor):
                safe_log = where((a == 0) & (b >= 0), 0.0, a.log())
                gb = grad * a ** b * safe_log
            else:
                gb = grad * a ** b * float(np.log(a)) if a != 0 else grad * 0
            gb = _unbroadcast(gb, _meta(b))
        return ga, gb


class Neg(Function):
    """-a.  d/da = -1."""

    @staticmethod
    def forward(ctx, a):
        if a._data.dtype.kind == "b":
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                "invert a mask, use the `~` or `logical_not()` operator instead."
            )
        return _wrap(-a._data, a._device)

    @staticmethod
    def backward(ctx, grad):
        return -grad


def _meta(x):
    """What a broadcast backward needs of an input: its shape (None for scalars)."""
    return x._data.shape if isinstance(x, Tensor) else None


def _unbroadcast(g, shape):
    """Sum gradient ``g`` back to an input's ``shape`` (undo broadcasting); None for scalars."""
    return g if shape is None or g._data.shape == shape else g.sum_to_size(shape)


def _is_bool(x):
    return isinstance(x, Tensor) and x._data.dtype.kind == "b" or isinstance(x, bool)


# ---- unary maths -------------------------------------------------------------------------
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
        return grad * y


class Log(Function):
    """log(x).  d/dx = 1/x."""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore", invalid="ignore"):
            return _unary(ctx, a, a._device.xp.log, save_input=True)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


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
        return grad / (2 * y)


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
        return grad * x.cos()


class Cos(Function):
    """cos(x).  d/dx = -sin(x)."""

    @staticmethod
    def forward(ctx, a):
        return _unary(ctx, a, a._device.xp.cos, save_input=True)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * -x.sin()


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
        g, t = grad._data, y._data
        return _wrap(g * (1 - t * t), grad._device)

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
        g, s = grad._data, y._data
        return _wrap(g * (s * (1 - s)), grad._device)

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


class ThresholdGrad(Function):
    """The backward of relu as one op: grad where y > 0, else 0.
    d/dgrad = (y > 0); d/dy = 0 almost everywhere."""

    node_name = "ThresholdBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(y)
        return _wrap(grad._data * (y._data > 0), grad._device)

    @staticmethod
    def backward(ctx, gg):
        (y,) = ctx.saved_tensors
        return gg * (y > 0), gg * 0


class Abs(Function):
    """|x|.  d/dx = sign(x) (0 at 0)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _wrap(a._device.xp.abs(a._data), a._device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.sign()


class Erf(Function):
    """erf(x).  d/dx = 2/sqrt(pi) exp(-x^2)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        x = as_float(a)
        return _wrap(_erf(x, a._device.xp).astype(x.dtype, copy=False), a._device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * ((2 / np.sqrt(np.pi)) * (-(x * x)).exp())


def _erf(x, xp):
    """erf to double precision: Taylor series near 0, continued-fraction erfc beyond."""
    x64 = x.astype(np.float64)
    ax = xp.abs(x64)
    out = xp.empty_like(x64)
    small = ax < 2.5
    # Maclaurin series: erf(x) = 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1))
    xs = x64[small]
    term = xs.copy()
    total = xs.copy()
    x2 = xs * xs
    for n in range(1, 60):
        term = term * (-x2) / n
        total = total + term / (2 * n + 1)
    out[small] = total * (2 / np.sqrt(np.pi))
    # Lentz continued fraction for erfc(x), x >= 2.5
    xl = ax[~small]
    f = xp.zeros_like(xl)
    for k in range(60, 0, -1):
        f = (k / 2) / (xl + f)
    erfc = xp.exp(-xl * xl) / np.sqrt(np.pi) / (xl + f)
    out[~small] = xp.sign(x64[~small]) * (1 - erfc)
    return out


class Sign(Function):
    """sign(x).  d/dx = 0."""

    @staticmethod
    def forward(ctx, a):
        if a._data.dtype.kind == "b":  # the sign of a bool is itself
            return _wrap(a._data.copy(), a._device)
        return _wrap(a._device.xp.sign(a._data), a._device)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


class _Rounding(Function):
    """floor/ceil/round/trunc: piecewise constant, so d/dx = 0."""

    fn = None

    @classmethod
    def forward(cls, ctx, a, *args):
        if a._data.dtype.kind != "f":
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


class Clamp(Function):
    """clamp(x, min, max) = min(max(x, min), max).  d/dx = 1 where min <= x <= max, else 0;
    d/dmin = 1 where x < min < max; d/dmax = 1 where x > max or max < min (tensor bounds)."""

    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, a, lo, hi):
        if lo is None and hi is None:
            raise RuntimeError("clamp: At least one of 'min' or 'max' must not be None")
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
                out = fn(out, v, dtype=out_dt)
        return _wrap(out, a._device)

    @staticmethod
    def backward(ctx, grad):
        a, lo_t, hi_t = ctx.saved_tensors
        lo = lo_t if lo_t is not None else ctx.lo
        hi = hi_t if hi_t is not None else ctx.hi
        keep = None
        if lo is not None:
            keep = a >= lo
        if hi is not None:
            keep = (a <= hi) if keep is None else keep & (a <= hi)
        ga = _unbroadcast(grad * keep, ctx.a)
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
    return np.asarray(v, dtype=arr.dtype)


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
        share = (a > b) + (a == b) * 0.5
        ga = _unbroadcast(grad * share, ctx.a) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(grad * (1 - share), ctx.b) if ctx.needs_input_grad[1] else None
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
            kind = cond.dtype if isinstance(cond, Tensor) else type(cond).__name__
            raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype {kind}")
        ctx.save_for_backward(cond)
        ctx.a, ctx.b = _meta(a), _meta(b)
        x, y, device = binary_arrays(a, b, "where")
        check_same_device("where", cond, *(t for t in (a, b) if isinstance(t, Tensor)))
        try:
            out = device.xp.where(cond._data, x, y)
        except ValueError:
            raise RuntimeError(
                f"where: shapes of condition {list(cond.shape)}, input {list(np.shape(x))} and other "
                f"{list(np.shape(y))} cannot be broadcast together"
            ) from None
        return _wrap(out, device)

    @staticmethod
    def backward(ctx, grad):
        (cond,) = ctx.saved_tensors
        ga = _unbroadcast(grad * cond, ctx.a) if ctx.needs_input_grad[1] else None
        gb = _unbroadcast(grad * ~cond, ctx.b) if ctx.needs_input_grad[2] else None
        return None, ga, gb


class Lerp(Function):
    """start + weight * (end - start).  d/dstart = 1 - w, d/dend = w."""

    @staticmethod
    def forward(ctx, start, end, weight):
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


# ---- comparisons and logic (results are bool and never require grad) --------------------
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


# ---- functional forms --------------------------------------------------------------------
def add(input, other, *, alpha=1):
    """input + alpha * other."""
    if alpha != 1:
        other = other * alpha
    if not isinstance(input, Tensor):
        return Add.apply(other, input)
    return Add.apply(input, other)


def sub(input, other, *, alpha=1):
    """input - alpha * other."""
    if alpha != 1:
        other = other * alpha
    if not isinstance(input, Tensor):
        return Rsub.apply(input, other)
    return Sub.apply(input, other)


def rsub(input, other, *, alpha=1):
    return sub(other, input * alpha if alpha != 1 else input)


def mul(input, other):
    return Mul.apply(input, other)


def div(input, other, *, rounding_mode=None):
    """input / other; ``rounding_mode`` "floor" or "trunc" rounds the quotient."""
    if rounding_mode is None:
        return Div.apply(input, other)
    if rounding_mode == "floor":
        return FloorDivide.apply(input, other)
    if rounding_mode == "trunc":
        q = Div.apply(input, other).trunc()
        both_int = all(not isinstance(x, Tensor) or not x.dtype.is_floating_point for x in (input, other))
        return q.to(_dtype.result_type(input, other)) if both_int else q
    raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")


def floor_divide(input, other):
    return FloorDivide.apply(input, other)


def remainder(input, other):
    return Remainder.apply(input, other)


def pow(input, exponent):
    """input ** exponent (either may be a Python number)."""
    if isinstance(exponent, Tensor) and not isinstance(input, Tensor):
        return RPow.apply(input, exponent)
    if not isinstance(exponent, Tensor):
        return Pow.apply(input, exponent)
    return PowTensor.apply(input, exponent)


class PowTensor(Pow):
    node_name = "PowBackward1"


class RPow(Pow):
    node_name = "PowBackward2"


def neg(input):
    return Neg.apply(input)


def exp(input):
    return Exp.apply(input)


def log(input):
    return Log.apply(input)


def log1p(input):
    return Log1p.apply(input)


def expm1(input):
    return Expm1.apply(input)


def log2(input):
    return Log.apply(input) / float(np.log(2))


def log10(input):
    return Log.apply(input) / float(np.log(10))


def sqrt(input):
    return Sqrt.apply(input)


def rsqrt(input):
    return Rsqrt.apply(input)


def square(input):
    return Mul.apply(input, input)


def reciprocal(input):
    return Div.apply(1.0, input)


def sin(input):
    return Sin.apply(input)


def cos(input):
    return Cos.apply(input)


def tan(input):
    return Tan.apply(input)


def tanh(input):
    return Tanh.apply(input)


def sigmoid(input):
    return Sigmoid.apply(input)


def relu(input):
    return Relu.apply(input)


def abs(input):
    return Abs.apply(input)


def erf(input):
    return Erf.apply(input)


def sign(input):
    return Sign.apply(input)


def floor(input):
    return Floor.apply(input)


def ceil(input):
    return Ceil.apply(input)


def round(input, decimals=0):
    if decimals:
        scale = 10.0 ** decimals
        return Round.apply(input * scale) / scale
    return Round.apply(input)


def trunc(input):
    return Trunc.apply(input)


def clamp(input, min=None, max=None):
    return Clamp.apply(input, min, max)


clip = clamp


def clamp_min(input, min):
    return Clamp.apply(input, min, None)


def clamp_max(input, max):
    return Clamp.apply(input, None, max)


def maximum(input, other):
    return Maximum.apply(input, other)


def minimum(input, other):
    return Minimum.apply(input, other)


def where(condition, input=None, other=None):
    """Elements of ``input`` where ``condition`` holds, else of ``other``."""
    if input is None and other is None:
        from .indexing import nonzero

        return nonzero(condition, as_tuple=True)
    return Where.apply(condition, input, other)


def masked_fill(input, mask, value):
    """``input`` with ``value`` written where ``mask`` is True (d/dinput = not mask)."""
    if not isinstance(mask, Tensor) or mask._data.dtype.kind != "b":
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {getattr(mask, 'dtype', type(mask))}")
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(
                f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.ndim} dimension(s)."
            )
        value = value.to(input.dtype)
    else:
        value = float(value) if input.dtype.is_floating_point else value
        value = _wrap(input._device.xp.asarray(value, dtype=input._data.dtype), input._device)
    out = Where.apply(mask, value, input)
    if out.shape != input.shape:
        raise RuntimeError(
            f"masked_fill: the mask of shape {list(mask.shape)} does not broadcast to the input's shape {list(input.shape)}"
        )
    return out


def lerp(input, end, weight):
    return Lerp.apply(input, end, weight)


def addcmul(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 * tensor2."""
    return input + value * tensor1 * tensor2 if value != 1 else input + tensor1 * tensor2


def addcdiv(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 / tensor2."""
    return input + value * tensor1 / tensor2 if value != 1 else input + tensor1 / tensor2
