"""Inverse and hyperbolic trigonometric functions, atan2, hypot and angle conversions; with them the other
float maths PyTorch has beyond exp/log/erf: exp2, logaddexp, copysign, heaviside, sinc, xlogy, logit, the
gamma-function family (numerics in ``special.py``), and the in-place spellings (``x.asin_()``, ``x.sin_()``).

Integer and bool inputs compute in the default float dtype, as in PyTorch; outside an op's domain the
result is nan (asin(2)), or +-inf at a pole (atanh(1)), never an error.
"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from ..autograd.function import Function
from ._util import Tensor, _meta, _unbroadcast, _wrap, as_float, binary_arrays, broadcast_error, c_type_name, not_implemented
from .elementwise import _need_tensor, clamp_max, clamp_min, exp, fmod, remainder, true_divide, where
from .inplace import inplace_method as _inplace
from .special import Digamma, Erfc, Erfinv, Exp2, Lgamma, Logit, Polygamma, Sinc, _Unary


# ---- one-input ops ---------------------------------------------------------------------------------
class Asin(_Unary):
    """asin(x).  d/dx = 1/sqrt(1 - x^2)."""

    compute = staticmethod(lambda x, xp: xp.arcsin(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (1 - x * x).rsqrt()


class Acos(_Unary):
    """acos(x).  d/dx = -1/sqrt(1 - x^2)."""

    compute = staticmethod(lambda x, xp: xp.arccos(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * -(1 - x * x).rsqrt()


class Atan(_Unary):
    """atan(x).  d/dx = 1/(1 + x^2)."""

    compute = staticmethod(lambda x, xp: xp.arctan(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x * x + 1)


class Sinh(_Unary):
    """sinh(x).  d/dx = cosh(x)."""

    compute = staticmethod(lambda x, xp: xp.sinh(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * Cosh.apply(x)


class Cosh(_Unary):
    """cosh(x).  d/dx = sinh(x)."""

    compute = staticmethod(lambda x, xp: xp.cosh(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * Sinh.apply(x)


class Asinh(_Unary):
    """asinh(x).  d/dx = 1/sqrt(x^2 + 1)."""

    compute = staticmethod(lambda x, xp: xp.arcsinh(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x * x + 1).rsqrt()


class Acosh(_Unary):
    """acosh(x) (x >= 1).  d/dx = 1/sqrt(x^2 - 1)."""

    compute = staticmethod(lambda x, xp: xp.arccosh(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x * x - 1).rsqrt()


class Atanh(_Unary):
    """atanh(x) (|x| <= 1).  d/dx = 1/(1 - x^2)."""

    compute = staticmethod(lambda x, xp: xp.arctanh(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (1 - x * x)


class _Scale(Function):
    """x * scale for a constant scale (deg2rad, rad2deg).  d/dx = scale."""

    scale = 1.0

    @classmethod
    def forward(cls, ctx, a):
        return _wrap(as_float(a) * cls.scale, a._device)

    @classmethod
    def backward(cls, ctx, grad):
        return grad * cls.scale


class Deg2rad(_Scale):
    node_name = "Deg2RadBackward0"
    scale = np.pi / 180


class Rad2deg(_Scale):
    node_name = "Rad2DegBackward0"
    scale = 180 / np.pi


# ---- two-input ops ---------------------------------------------------------------------------------
def _float_pair(a, b, op: str, kernel: str | None = None):
    """The operands as arrays of their promoted dtype, integers and bools as the default float.
    With ``kernel``, integer results raise PyTorch's NotImplementedError instead (hypot, logaddexp)."""
    if kernel is not None:
        common = _dtype.result_type(a, b)
        if not common.is_floating_point:
            raise not_implemented(kernel, common)
    x, y, device = binary_arrays(a, b, op, float_result=True)
    try:
        np.broadcast_shapes(np.shape(x), np.shape(y))
    except ValueError:
        raise broadcast_error(np.shape(x), np.shape(y)) from None
    return x, y, device


class _Binary(Function):
    """A float function of two operands (tensors, or one Python number): ``compute(x, y, xp)``."""

    op = kernel = None

    @classmethod
    def forward(cls, ctx, a, b):
        x, y, device = _float_pair(a, b, cls.op, cls.kernel)
        ctx.save_for_backward(a, b)
        ctx.a, ctx.b = _meta(a), _meta(b)
        xp = device.xp
        dt = (x if isinstance(x, xp.ndarray) else y).dtype  # a Python number operand keeps the tensor's dtype
        with np.errstate(all="ignore"):
            return _wrap(xp.asarray(cls.compute(x, y, xp)).astype(dt, copy=False), device)

    @classmethod
    def backward(cls, ctx, grad):
        a, b = ctx.saved_tensors
        ga, gb = cls.grads(grad, a, b, ctx)
        ga = _unbroadcast(ga, ctx.a) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(gb, ctx.b) if ctx.needs_input_grad[1] else None
        return ga, gb


class Atan2(_Binary):
    """atan2(y, x), the angle of the point (x, y).  d/dy = x/(x^2 + y^2), d/dx = -y/(x^2 + y^2) (0 at the origin)."""

    op = "atan2"
    compute = staticmethod(lambda y, x, xp: xp.arctan2(y, x))

    @staticmethod
    def grads(grad, y, x, ctx):
        r2 = y * y + x * x
        at_origin = r2 == 0
        return grad * where(at_origin, 0.0, x / r2), grad * where(at_origin, 0.0, -y / r2)


class Hypot(_Binary):
    """sqrt(a^2 + b^2).  d/da = a/h, d/db = b/h (h the output)."""

    op, kernel = "hypot", "hypot_cpu"
    compute = staticmethod(lambda x, y, xp: xp.hypot(x, y))

    @staticmethod
    def grads(grad, a, b, ctx):
        h = Hypot.apply(a, b)
        return grad * a / h, grad * b / h


class Logaddexp(_Binary):
    """log(e^a + e^b).  d/da = 1/(1 + e^(b - a)), d/db = 1/(1 + e^(a - b))."""

    op, kernel = "logaddexp", "logaddexp_cpu"
    compute = staticmethod(lambda x, y, xp: xp.logaddexp(x, y))

    @staticmethod
    def grads(grad, a, b, ctx):
        return grad / (1 + exp(b - a)), grad / (1 + exp(a - b))


class Logaddexp2(_Binary):
    """log2(2^a + 2^b).  d/da = 1/(1 + 2^(b - a)), d/db = 1/(1 + 2^(a - b))."""

    op, kernel = "logaddexp2", "logaddexp2_cpu"
    compute = staticmethod(lambda x, y, xp: xp.logaddexp2(x, y))

    @staticmethod
    def grads(grad, a, b, ctx):
        return grad / (1 + Exp2.apply(b - a)), grad / (1 + Exp2.apply(a - b))


class Copysign(_Binary):
    """|a| with the sign of b.  d/da = copysign(a, b)/a (0 at a = 0): the sign flip; d/db = 0."""

    op = "copysign"
    compute = staticmethod(lambda x, y, xp: xp.copysign(x, y))

    @staticmethod
    def grads(grad, a, b, ctx):
        flip = Copysign.apply(a, b) / a
        gb = grad.new_zeros(b.shape) if isinstance(b, Tensor) else None
        return grad * where(a == 0, 0.0, flip), gb


class CopysignScalar(Copysign):
    node_name = "CopysignBackward1"


class Xlogy(_Binary):
    """x log(y), 0 where x = 0 (unless y is nan).  d/dx = xlogy(x != 0, y), d/dy = x / y."""

    op = "xlogy"

    @staticmethod
    def compute(x, y, xp):
        return xp.where((x == 0) & ~xp.isnan(y), 0, x * xp.log(y))

    @staticmethod
    def grads(grad, x, y, ctx):
        gx = grad * Xlogy.apply((x != 0).to(grad.dtype), y) if ctx.needs_input_grad[0] else None
        gy = grad * x / y if ctx.needs_input_grad[1] else None
        return gx, gy


class XlogyScalarSelf(Xlogy):
    node_name = "XlogyBackward1"


class XlogyScalarOther(Xlogy):
    """xlogy(x, y) for a number y.  d/dx = log(y), also where x = 0 (as PyTorch's XlogyBackward2)."""

    node_name = "XlogyBackward2"

    @staticmethod
    def grads(grad, x, y, ctx):
        with np.errstate(all="ignore"):
            return grad * float(np.log(np.float64(y))), None


class Heaviside(Function):
    """The step function: 0 for x < 0, ``values`` at 0, 1 for x > 0. PyTorch has no derivative for it."""

    node_name = "NotImplemented"

    @staticmethod
    def forward(ctx, a, values):
        if a.dtype is not values.dtype:
            raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
        x, v = a._data, values._data
        try:
            np.broadcast_shapes(x.shape, v.shape)
        except ValueError:
            raise broadcast_error(x.shape, v.shape, "heaviside") from None
        return _wrap(a._device.xp.where(x == 0, v, x > 0).astype(x.dtype, copy=False), a._device)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::heaviside is not implemented")


# ---- the functions -----------------------------------------------------------------------------------
def _unary_fn(cls, name: str, doc: str):
    def fn(input):
        return cls.apply(input)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


asin = _unary_fn(Asin, "asin", "Inverse sine, in [-pi/2, pi/2]; nan outside [-1, 1].\n\n"
                 ">>> minitorch.asin(minitorch.tensor([0.0, 1.0]))\ntensor([0.0000, 1.5708])")
acos = _unary_fn(Acos, "acos", "Inverse cosine, in [0, pi]; nan outside [-1, 1].")
atan = _unary_fn(Atan, "atan", "Inverse tangent, in (-pi/2, pi/2).")
sinh = _unary_fn(Sinh, "sinh", "Hyperbolic sine (e^x - e^-x)/2.")
cosh = _unary_fn(Cosh, "cosh", "Hyperbolic cosine (e^x + e^-x)/2.")
asinh = _unary_fn(Asinh, "asinh", "Inverse hyperbolic sine.")
acosh = _unary_fn(Acosh, "acosh", "Inverse hyperbolic cosine; nan below 1.")
atanh = _unary_fn(Atanh, "atanh", "Inverse hyperbolic tangent; +-inf at +-1, nan beyond.")
exp2 = _unary_fn(Exp2, "exp2", "2 ** input.\n\n>>> minitorch.exp2(minitorch.tensor([3]))\ntensor([8.])")
deg2rad = _unary_fn(Deg2rad, "deg2rad", "Degrees to radians: input * pi / 180.")
rad2deg = _unary_fn(Rad2deg, "rad2deg", "Radians to degrees: input * 180 / pi.")
sinc = _unary_fn(Sinc, "sinc", "The normalised sinc, sin(pi x)/(pi x), 1 at 0.")
lgamma = _unary_fn(Lgamma, "lgamma", "log|Gamma(x)|; inf at 0 and the negative integers.\n\n"
                   ">>> minitorch.lgamma(minitorch.tensor([4.0]))  # log(3!)\ntensor([1.7918])")
erfc = _unary_fn(Erfc, "erfc", "The complementary error function 1 - erf(x), accurate where it is tiny.")
erfinv = _unary_fn(Erfinv, "erfinv", "The inverse error function: erf(erfinv(y)) = y; +-inf at +-1.")
arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh


def digamma(input):
    """psi(x) = d lgamma(x)/dx; -inf at +0, inf at -0, nan at the negative integers.

    >>> minitorch.digamma(minitorch.tensor([1.0]))  # minus the Euler-Mascheroni constant
    tensor([-0.5772])
    """
    return Digamma.apply(input, 0)


def polygamma(n: int, input):
    """psi^(n)(x), the n-th derivative of digamma (n = 0: digamma itself); as a method, ``x.polygamma(n)``."""
    if isinstance(n, Tensor) and not isinstance(input, Tensor):
        n, input = input, n  # called as the method x.polygamma(n)
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return Polygamma.apply(input, n)


def logit(input, eps: float | None = None):
    """log(p / (1 - p)), the inverse of sigmoid; with ``eps``, p is first clamped to [eps, 1 - eps].

    >>> minitorch.logit(minitorch.tensor([0.5, 0.0]), eps=0.25)
    tensor([ 0.0000, -1.0986])
    """
    return Logit.apply(input, eps)


def positive(input):
    """``input`` itself (unary plus); bool tensors are refused as in PyTorch."""
    if input.dtype is _dtype.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def atan2(input, other):
    """The angle of the point (other, input) in (-pi, pi], elementwise (both tensors).

    >>> minitorch.atan2(minitorch.tensor([1.0]), minitorch.tensor([-1.0]))
    tensor([2.3562])
    """
    _need_tensor("atan2", input, "input", 1)
    _need_tensor("atan2", other, "other", 2)
    return Atan2.apply(input, other)


arctan2 = atan2


def hypot(input, other):
    """sqrt(input^2 + other^2) without overflow (floating-point tensors)."""
    _need_tensor("hypot", input, "input", 1)
    _need_tensor("hypot", other, "other", 2)
    return Hypot.apply(input, other)


def logaddexp(input, other):
    """log(exp(input) + exp(other)) without overflow."""
    _need_tensor("logaddexp", input, "input", 1)
    _need_tensor("logaddexp", other, "other", 2)
    return Logaddexp.apply(input, other)


def logaddexp2(input, other):
    """log2(2^input + 2^other) without overflow."""
    _need_tensor("logaddexp2", input, "input", 1)
    _need_tensor("logaddexp2", other, "other", 2)
    return Logaddexp2.apply(input, other)


def copysign(input, other):
    """|input| with the sign of ``other`` (a tensor or a number), as floats.

    >>> minitorch.copysign(minitorch.tensor([1.0, -2.0]), -0.0)
    tensor([-1., -2.])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"copysign() received an invalid combination of arguments - got ({type(input).__name__}, "
                        f"{type(other).__name__}), but expected (Tensor input, Tensor or Number other)")
    return Copysign.apply(input, other) if isinstance(other, Tensor) else CopysignScalar.apply(input, other)


def xlogy(input, other):
    """input * log(other), 0 where input is 0 (unless other is nan); either may be a number.

    >>> minitorch.xlogy(minitorch.tensor([0.0, 2.0]), minitorch.tensor([0.0, 1.0]))
    tensor([0., 0.])
    """
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError(f"xlogy() received an invalid combination of arguments - got ({type(input).__name__}, "
                        f"{type(other).__name__}), but expected a Tensor for 'input' or 'other'")
    if not isinstance(input, Tensor):
        return XlogyScalarSelf.apply(input, other)
    return Xlogy.apply(input, other) if isinstance(other, Tensor) else XlogyScalarOther.apply(input, other)


def heaviside(input, values):
    """The step function: 0 where input < 0, ``values`` where input == 0, 1 where input > 0."""
    _need_tensor("heaviside", input, "input", 1)
    _need_tensor("heaviside", values, "values", 2)
    return Heaviside.apply(input, values)


# ---- in-place spellings ----------------------------------------------------------------------------
class _NoInplaceDerivative(Function):
    """The node of an in-place op for which PyTorch has no derivative (``y.asinh_()``): backward raises."""

    @classmethod
    def forward(cls, ctx, a):
        return _wrap(cls.op(a)._data, a._device)

    @classmethod
    def backward(cls, ctx, grad):
        raise NotImplementedError(f"the derivative for 'inplace version of {cls.op.__name__}' is not implemented.")


class AsinhInplace(_NoInplaceDerivative):
    node_name, op = "AsinhBackward1", staticmethod(asinh)


class AtanhInplace(_NoInplaceDerivative):
    node_name, op = "AtanhBackward1", staticmethod(atanh)


def _method(name):
    return lambda t, *args, **kwargs: getattr(t, name)(*args, **kwargs)


def _int_bound_check(self, bound):
    """clamp_min_/clamp_max_ of an integer tensor by a float: PyTorch's message names the C type."""
    if isinstance(bound, float) and not self.dtype.is_floating_point:
        raise RuntimeError(f"result type Float can't be cast to the desired output type {c_type_name(self.dtype)}")


_clamp_min_ = _inplace(clamp_min, "clamp_min_")
_clamp_max_ = _inplace(clamp_max, "clamp_max_")


def clamp_min_(self, min):
    _int_bound_check(self, min)
    return _clamp_min_(self, min)


def clamp_max_(self, max):
    _int_bound_check(self, max)
    return _clamp_max_(self, max)


_NEW = [asin, acos, atan, sinh, cosh, asinh, acosh, atanh, exp2, deg2rad, rad2deg, sinc, lgamma, digamma, erfc,
        erfinv, atan2, hypot, copysign, xlogy, heaviside, logit]
_EXISTING = "sin cos tan trunc square rsqrt erf log1p expm1 log2 log10 frac floor_divide".split()
_INPLACE = {f.__name__ + "_": _inplace(f, f.__name__ + "_") for f in _NEW}
_INPLACE.update(asinh_=_inplace(AsinhInplace.apply, "asinh_"), atanh_=_inplace(AtanhInplace.apply, "atanh_"))
_INPLACE.update({n + "_": _inplace(_method(n), n + "_") for n in _EXISTING})
_INPLACE.update(fmod_=_inplace(fmod, "fmod_"), remainder_=_inplace(remainder, "remainder_"),
                true_divide_=_inplace(true_divide, "true_divide_"),
                polygamma_=_inplace(lambda t, n: polygamma(n, t), "polygamma_"))
for _alias, _name in [("arcsin", "asin"), ("arccos", "acos"), ("arctan", "atan"), ("arcsinh", "asinh"),
                      ("arccosh", "acosh"), ("arctanh", "atanh"), ("arctan2", "atan2")]:
    _INPLACE[_alias + "_"] = _INPLACE[_name + "_"]
globals().update(_INPLACE)

_ALIASES = ["arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "arctan2"]

#: Top-level names (``minitorch.asin``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = [f.__name__ for f in _NEW] + _ALIASES + ["logaddexp", "logaddexp2", "polygamma", "positive"]
#: Tensor methods (``x.asin()``, ``x.asin_()``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = __all__ + sorted(_INPLACE) + ["clamp_min_", "clamp_max_"]
