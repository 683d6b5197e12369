"""Arithmetic with broadcasting: + - * / // % ** and negation.

Every backward rule is written with Tensor ops (so it can itself be
differentiated when ``create_graph=True``) and its maths is in the docstring.
Gradients of broadcast inputs are summed back to the input's shape by
``_unbroadcast`` (``sum_to_size``), the one shared helper for that.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ._util import (
    Tensor,
    _binary,
    _is_bool,
    _meta,
    _unbroadcast,
    _wrap,
)
from .pointwise import Where


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
        # BEGIN SOLUTION 2.1
        # HINT: d(a*b)/da = b, d(a*b)/db = a: ga = grad * b summed back to a's shape with _unbroadcast(., _meta(a));
        # HINT: None where not ctx.needs_input_grad[i]
        ga = _unbroadcast(grad * b, _meta(a)) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(grad * a, _meta(b)) if ctx.needs_input_grad[1] else None
        # END SOLUTION
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
        # BEGIN SOLUTION 2.2
        # HINT: d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 (each summed back to its input's shape with _unbroadcast)
        ga = _unbroadcast(grad / b, _meta(a)) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(-grad * a / (b * b), _meta(b)) if ctx.needs_input_grad[1] else None
        # END SOLUTION
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
        # BEGIN SOLUTION 2.3
        # HINT: d(a^b)/da = b * a^(b-1) (b may be a tensor or a Python number; b == 0 gives zeros)
        if ctx.needs_input_grad[0]:
            if isinstance(b, Tensor):
                ga = grad * b * a ** (b - 1)
            else:
                ga = grad * (b * a ** (b - 1)) if b != 0 else grad * 0
            ga = _unbroadcast(ga, _meta(a))
        # END SOLUTION
        # BEGIN SOLUTION 2.3
        # HINT: d(a^b)/db = a^b * log(a), taken as 0 where a == 0 and b >= 0 (use Where.apply to avoid log(0))
        if ctx.needs_input_grad[1]:
            if isinstance(a, Tensor):
                safe_log = Where.apply((a == 0) & (b >= 0), 0.0, a.log())
                gb = grad * a ** b * safe_log
            else:
                gb = grad * a ** b * float(np.log(a)) if a != 0 else grad * 0
            gb = _unbroadcast(gb, _meta(b))
        # END SOLUTION
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
