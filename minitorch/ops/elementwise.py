"""Elementwise ops, as functions: ``add``, ``mul``, ``exp``, ``where``, ``eq`` ...

The differentiable primitives live in three files:

* ``arithmetic.py``: + - * / // % ** with broadcasting;
* ``pointwise.py``: exp, log, tanh, sigmoid, relu, clamp, maximum, where ...
  (with ``piecewise.py``: sign and rounding; ``special.py``: erf);
* ``comparison.py``: comparisons and logic (bool results).

This module gives them PyTorch's functional spelling (``minitorch.add(a, b,
alpha=2)``); the same functions are Tensor methods (see ``_methods.py``).
"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from . import _util
from ._util import Tensor, _wrap
from .arithmetic import Add, Div, DivRounded, FloorDivide, Fmod, Mul, Neg, Pow, Remainder, Rsub, Sub  # noqa: F401
from .comparison import (  # noqa: F401
    OPERATORS,
    allclose,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    eq,
    ge,
    greater,
    greater_equal,
    gt,
    isclose,
    isfinite,
    isinf,
    isnan,
    isneginf,
    isposinf,
    le,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    lt,
    ne,
    not_equal,
    signbit,
)
from .pointwise import (  # noqa: F401
    Abs,
    Ceil,
    Clamp,
    Cos,
    Erf,
    Exp,
    Expm1,
    Floor,
    Lerp,
    Log,
    Log1p,
    Maximum,
    Minimum,
    Relu,
    Round,
    Rsqrt,
    Sigmoid,
    SigmoidGrad,
    Sign,
    Sin,
    Sqrt,
    Tan,
    Tanh,
    TanhGrad,
    ThresholdGrad,
    Trunc,
    Where,
)


def _scaled(input, other, alpha):
    """``alpha * other`` for add/sub, checking ``alpha`` against the result dtype as PyTorch does."""
    result = _dtype.result_type(input, other)
    if isinstance(alpha, bool) and result is not _dtype.bool:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if isinstance(alpha, float) and not result.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if alpha == 1:
        return other
    if result is _dtype.bool:
        return other * bool(alpha)  # stays bool: True + 2 * True is True
    return other * alpha


def add(input, other, *, alpha=1):
    """input + alpha * other.

    >>> minitorch.add(minitorch.tensor([1., 2.]), 3, alpha=2)
    tensor([7., 8.])
    """
    other = _scaled(input, other, alpha)
    if not isinstance(input, Tensor):
        return Add.apply(other, input)
    return Add.apply(input, other)


def sub(input, other, *, alpha=1):
    """input - alpha * other."""
    if _is_bool_operand(input) or _is_bool_operand(other):
        return Sub.apply(input, other)  # raises PyTorch's error before alpha would turn bools into ints
    other = _scaled(input, other, alpha)
    if not isinstance(input, Tensor):
        return Rsub.apply(input, other)
    return Sub.apply(input, other)


def _is_bool_operand(x):
    return isinstance(x, bool) or isinstance(x, Tensor) and x.dtype is _dtype.bool


def rsub(input, other, *, alpha=1):
    """other - alpha * input."""
    return sub(other, input, alpha=alpha)


def mul(input, other):
    return Mul.apply(input, other)


def div(input, other, *, rounding_mode=None):
    """input / other; ``rounding_mode`` "floor" or "trunc" rounds the quotient.

    >>> minitorch.div(minitorch.tensor([-7, 7]), 2, rounding_mode="trunc")
    tensor([-3,  3])
    """
    if rounding_mode is None:
        return Div.apply(input, other)
    if rounding_mode not in ("floor", "trunc"):
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")
    return DivRounded.apply(input, other, rounding_mode)


def true_divide(input, other):
    return Div.apply(input, other)


def floor_divide(input, other):
    return FloorDivide.apply(input, other)


def remainder(input, other):
    """input % other with the sign of ``other`` (Python's %)."""
    return Remainder.apply(input, other)


def fmod(input, other):
    """C's fmod: the remainder of input / other rounded toward zero, with the sign of ``input``.

    >>> minitorch.fmod(minitorch.tensor([-7., 7.]), 2)
    tensor([-1.,  1.])
    """
    _need_tensor("fmod", input, "input", 1)
    return Fmod.apply(input, other)


def _need_tensor(op, x, name, position):
    """PyTorch's error for a Python number where an op only takes tensors."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type(x).__name__}")


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
    """input ** 2 (so bool squares to int64, as in PyTorch)."""
    return Pow.apply(input, 2)


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


def round(input, *, decimals=0):
    """Round half to even; with ``decimals``, to that many decimal places (negative: tens, hundreds...)."""
    if decimals and not input.dtype.is_floating_point:
        raise _util.not_implemented("round_cpu", input.dtype)
    if decimals < 0:
        scale = 10.0 ** -decimals
        return Round.apply(input / scale) * scale
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
    """The larger of two tensors, elementwise; nan wins. Ties split the gradient in half."""
    _need_tensor("maximum", other, "other", 2)
    return Maximum.apply(input, other)


def minimum(input, other):
    """The smaller of two tensors, elementwise; nan wins. Ties split the gradient in half."""
    _need_tensor("minimum", other, "other", 2)
    return Minimum.apply(input, other)


def fmax(input, other):
    """maximum that ignores nan: the other number where one is nan. The gradient goes to ``input``
    where input >= other or other is nan, else to ``other`` (ties are not split, as in PyTorch)."""
    _need_tensor("fmax", other, "other", 2)
    return Where.apply((input >= other) | isnan(other), input, other)


def fmin(input, other):
    """minimum that ignores nan (see fmax)."""
    _need_tensor("fmin", other, "other", 2)
    return Where.apply((input <= other) | isnan(other), input, other)


def where(condition, input=None, other=None):
    """Elements of ``input`` where ``condition`` holds, else of ``other``."""
    if input is None and other is None:
        from .indexing import nonzero

        return nonzero(condition, as_tuple=True)
    return Where.apply(condition, input, other)


def masked_fill(input, mask, value):
    """``input`` with ``value`` written where ``mask`` is True (d/dinput = not mask)."""
    if not isinstance(mask, Tensor) or mask._data.dtype.kind != "b":
        got = _util.c_type_name(mask.dtype) if isinstance(mask, Tensor) else type(mask).__name__
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {got}")
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(
                f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.ndim} dimension(s)."
            )
        value = value.to(input.dtype)
    else:
        value = float(value) if input.dtype.is_floating_point else value
        value = _wrap(input._device.xp.full((), value, dtype=input._data.dtype), input._device)  # no host copy
    out = Where.apply(mask, value, input)
    if out.shape != input.shape:
        raise RuntimeError(
            f"masked_fill: the mask of shape {list(mask.shape)} does not broadcast to the input's shape {list(input.shape)}"
        )
    return out


def lerp(input, end, weight):
    """input + weight * (end - input), for floating-point tensors of one dtype."""
    _need_tensor("lerp", end, "end", 2)
    kernel = "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"
    if not input.dtype.is_floating_point:
        raise _util.not_implemented(kernel, input.dtype)
    for name, t in (("end", end), ("weight", weight)):
        if isinstance(t, Tensor) and t.dtype is not input.dtype:
            raise RuntimeError(
                f"expected dtype {_util.c_type_name(input.dtype)} for `{name}` but got dtype {_util.c_type_name(t.dtype)}"
            )
    return Lerp.apply(input, end, weight)


def addcmul(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 * tensor2."""
    return input + value * tensor1 * tensor2 if value != 1 else input + tensor1 * tensor2


def addcdiv(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 / tensor2 (floating point only)."""
    if not tensor1.dtype.is_floating_point and not tensor2.dtype.is_floating_point:
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform "
            "a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as "
            "(input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as "
            "(input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter "
            "implementation: (input + value * tensor1 / tensor2), for all dtypes."
        )
    return input + value * tensor1 / tensor2 if value != 1 else input + tensor1 / tensor2


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """nan, +inf and -inf replaced by ``nan`` (0), ``posinf`` and ``neginf`` (by default the largest and
    lowest finite numbers of the dtype). Gradient flows where the input is finite.

    >>> minitorch.nan_to_num(minitorch.tensor([float("nan"), 1.0]))
    tensor([0., 1.])
    """
    if not input.dtype.is_floating_point:
        return input.clone()
    info = np.finfo(input.dtype.np)
    posinf = float(info.max) if posinf is None else posinf
    neginf = float(info.min) if neginf is None else neginf
    out = Where.apply(isnan(input), nan, input)
    out = Where.apply(isposinf(input), posinf, out)
    return Where.apply(isneginf(input), neginf, out)


def frac(input):
    """The fractional part, input - trunc(input), with the sign of the input.  d/dx = 1."""
    if not input.dtype.is_floating_point:
        raise _util.not_implemented("frac_cpu", input.dtype)
    return input - Trunc.apply(input)


def sgn(input):
    """sign(input) (for real numbers the two are the same)."""
    return Sign.apply(input)


def float_power(input, exponent):
    """input ** exponent computed in float64."""
    input = input.to(_dtype.float64) if isinstance(input, Tensor) else float(input)
    exponent = exponent.to(_dtype.float64) if isinstance(exponent, Tensor) else float(exponent)
    return pow(input, exponent)
