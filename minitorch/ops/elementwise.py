"""Elementwise ops, as functions: ``add``, ``mul``, ``exp``, ``where``, ``eq`` ...

The differentiable primitives live in three files:

* ``arithmetic.py``: + - * / // % ** with broadcasting;
* ``pointwise.py``: exp, log, tanh, sigmoid, relu, clamp, maximum, where ...;
* ``comparison.py``: comparisons and logic (bool results).

This module gives them PyTorch's functional spelling (``minitorch.add(a, b,
alpha=2)``); the same functions are Tensor methods (see ``_methods.py``).
"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from ._util import Tensor, _wrap
from .arithmetic import Add, Div, FloorDivide, Mul, Neg, Pow, Remainder, Rsub, Sub  # noqa: F401
from .comparison import (  # noqa: F401
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    eq,
    ge,
    gt,
    isfinite,
    isinf,
    isnan,
    le,
    logical_and,
    logical_not,
    logical_or,
    lt,
    ne,
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
        got = getattr(mask, "dtype", type(mask))
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
    return Lerp.apply(input, end, weight)


def addcmul(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 * tensor2."""
    return input + value * tensor1 * tensor2 if value != 1 else input + tensor1 * tensor2


def addcdiv(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 / tensor2."""
    return input + value * tensor1 / tensor2 if value != 1 else input + tensor1 / tensor2
