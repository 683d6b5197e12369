"""Arithmetic with broadcasting: + - * / // % ** and negation.

Every backward rule is written with Tensor ops (so it can itself be
differentiated when ``create_graph=True``) and its maths is in the docstring.
Gradients of broadcast inputs are summed back to the input's shape by
``_unbroadcast`` (``sum_to_size``), the one shared helper for that.
"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from ..autograd.function import Function
from ._util import (
    Tensor,
    _binary,
    _is_bool,
    _meta,
    _unbroadcast,
    _wrap,
    binary_arrays,
    broadcast_error,
    not_implemented,
)
from .pointwise import Where


class Add(Function):
    """a + b.  d/da = 1, d/db = 1 (each summed back to its input's shape)."""

    _numbers_are_inputs = True  # x + 2: PyTorch lists the 2 in next_functions too, as (None, 0)

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

    _numbers_are_inputs = True  # x + 2: PyTorch lists the 2 in next_functions too, as (None, 0)

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

    _numbers_are_inputs = True  # x + 2: PyTorch lists the 2 in next_functions too, as (None, 0)

    @staticmethod
    def forward(ctx, a, b):
        need = ctx.needs_input_grad
        if need:  # recording: a's gradient needs b and b's needs a (x * 2 keeps nothing of x, as in PyTorch)
            ctx.a, ctx.b = _meta(a), _meta(b)  # the input shapes (None for a Python number)
            ctx.save_for_backward(a if need[1] else None, b if need[0] else None)
        return _binary(np.multiply, a, b, "mul")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        # BEGIN SOLUTION 2.1
        # HINT: d(a*b)/da = b, d(a*b)/db = a: ga = grad * b summed back to a's shape with _unbroadcast(., ctx.a);
        # HINT: None where not ctx.needs_input_grad[i]
        ga = _unbroadcast(grad * b, ctx.a) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(grad * a, ctx.b) if ctx.needs_input_grad[1] else None
        # END SOLUTION
        return ga, gb


class Div(Function):
    """a / b (true division).  d/da = 1/b, d/db = -a/b^2."""

    _numbers_are_inputs = True  # x + 2: PyTorch lists the 2 in next_functions too, as (None, 0)

    @staticmethod
    def forward(ctx, a, b):
        need = ctx.needs_input_grad
        if need:  # recording: b for both gradients; a only for b's (x / 2 keeps nothing of x, as in PyTorch)
            ctx.a, ctx.b = _meta(a), _meta(b)  # the input shapes (None for a Python number)
            ctx.save_for_backward(a if need[1] else None, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _binary(np.true_divide, a, b, "div", float_result=True)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        # BEGIN SOLUTION 2.2
        # HINT: d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 (each summed back to its input's shape, ctx.a or ctx.b, with
        # HINT: _unbroadcast)
        ga = _unbroadcast(grad / b, ctx.a) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(-grad * a / (b * b), ctx.b) if ctx.needs_input_grad[1] else None
        # END SOLUTION
        return ga, gb


def _division_arrays(a, b, op: str, kernel: str):
    """The operands of // % fmod and rounded division as arrays of the result dtype.

    Integer division by zero has no answer, so PyTorch raises (floats give
    inf or nan instead); there is no kernel for two bools.
    """
    x, y, device = binary_arrays(a, b, op)
    kind = (x if isinstance(a, Tensor) else y).dtype.kind
    if kind == "b":
        raise not_implemented(kernel, _dtype.bool)
    # (PyTorch's CPU kernels check; on a GPU the check would cost a device-to-host copy, and PyTorch skips it)
    empty = getattr(x, "size", 1) == 0 or getattr(y, "size", 1) == 0  # no element is ever divided
    if kind in "iu" and device.type == "cpu" and not empty and bool((y == 0).any()):
        raise RuntimeError("ZeroDivisionError")
    return x, y, device


def _division(fn, a, b, op: str, kernel: str) -> Tensor:
    x, y, device = _division_arrays(a, b, op, kernel)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        try:
            out = fn(device.xp, x, y)
        except ValueError:
            raise broadcast_error(np.shape(x), np.shape(y), op) from None
    return _wrap(device.xp.asarray(out), device)


def _floor_div(xp, x, y):
    return xp.floor_divide(x, y)


def _trunc_div(xp, x, y):
    """The quotient rounded toward zero: the floor quotient, plus one where it was rounded down past zero."""
    q = xp.floor_divide(x, y)
    if q.dtype.kind == "f":
        return xp.trunc(x / y)
    inexact = xp.remainder(x, y) != 0
    return q + (inexact & xp.logical_xor(x < 0, y < 0)).astype(q.dtype)


def _remainder(xp, x, y):
    """a - b * floor(a / b): the sign of b. For floats PyTorch takes fmod (the sign of a) and adds b once
    where the signs differ, so a zero result keeps the sign of a (NumPy's would take b's)."""
    if (x if hasattr(x, "dtype") else y).dtype.kind != "f":  # a Python number operand has the other's dtype
        return xp.remainder(x, y)
    m = xp.fmod(x, y)
    return xp.where((m != 0) & xp.logical_xor(m < 0, y < 0), m + y, m)


def _fmod(xp, x, y):
    return xp.fmod(x, y)


class FloorDivide(Function):
    """a // b, rounding toward minus infinity (not differentiable)."""

    @staticmethod
    def forward(ctx, a, b):
        return _division(_floor_div, a, b, "floor_divide", "div_floor_cpu")

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class DivRounded(Function):
    """a / b rounded by ``rounding_mode`` ("floor" or "trunc"): piecewise constant, so d/da = d/db = 0."""

    node_name = "DivBackward2"

    @staticmethod
    def forward(ctx, a, b, mode):
        ctx.a, ctx.b = _meta(a), _meta(b)
        ctx.like = a if isinstance(a, Tensor) else b
        fn, kernel = (_floor_div, "div_floor_cpu") if mode == "floor" else (_trunc_div, "div_trunc_cpu")
        return _division(fn, a, b, "div", kernel)

    @staticmethod
    def backward(ctx, grad):
        ga = _unbroadcast(grad * 0, ctx.a) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(grad * 0, ctx.b) if ctx.needs_input_grad[1] else None
        return ga, gb, None


class Remainder(Function):
    """a % b with the sign of b (Python's).  d/da = 1, d/db = -floor(a/b)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)  # Python numbers are kept as they are
        return _division(_remainder, a, b, "remainder", "remainder_cpu")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        ga = _unbroadcast(grad, _meta(a)) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(-grad * (a / b).floor(), _meta(b)) if ctx.needs_input_grad[1] else None
        return ga, gb


class Fmod(Function):
    """C's fmod(a, b) = a - b * trunc(a / b), with the sign of a.  d/da = 1, d/db = -trunc(a/b)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)  # Python numbers are kept as they are
        return _division(_fmod, a, b, "fmod", "fmod_cpu")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        ga = _unbroadcast(grad, _meta(a)) if ctx.needs_input_grad[0] else None
        gb = _unbroadcast(-grad * (a / b).trunc(), _meta(b)) if ctx.needs_input_grad[1] else None
        return ga, gb


class Pow(Function):
    """a ** b.  d/da = b * a^(b-1);  d/db = a^b * log(a) (0 where a == 0 and b >= 0)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)  # Python numbers are kept as they are
        if isinstance(a, Tensor) and not a.dtype.is_floating_point and isinstance(b, (int, np.integer)) and b < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        x, y, device = binary_arrays(a, b, "pow")
        kind = (x if isinstance(a, Tensor) else y).dtype.kind
        if kind == "b":
            return _bool_power(a, b)
        fn = _int_power if kind in "iu" else _float_power
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            try:
                out = fn(device.xp, x, y)
            except ValueError:
                raise broadcast_error(np.shape(x), np.shape(y), "pow") from None
        return _wrap(device.xp.asarray(out), device)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        ga = gb = None
        # BEGIN SOLUTION 2.3
        # HINT: d(a^b)/da = b * a^(b-1) (b may be a tensor or a Python number; b == 0 gives zeros)
        if ctx.needs_input_grad[0]:
            if isinstance(b, Tensor):
                with np.errstate(divide="ignore", invalid="ignore"):
                    ga = Where.apply(b == 0, 0.0, grad * b * a ** (b - 1))  # 0, not 0 * inf, at a == b == 0
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
                with np.errstate(divide="ignore", invalid="ignore"):
                    gb = grad * a ** b * float(np.log(a))
                if a == 0:  # 0^b log(0) is -inf for b < 0, and taken as 0 for b >= 0
                    gb = Where.apply(b >= 0, 0.0, gb)
            gb = _unbroadcast(gb, _meta(b))
        # END SOLUTION
        return ga, gb


def _float_power(xp, x, y):
    return xp.power(x, y)


def _int_power(xp, x, y):
    """Integer powers as PyTorch computes them: x^y for y >= 0; for y < 0, 1 / x^|y| rounded toward
    zero, which is 0 unless x is 1 or -1 (NumPy refuses negative integer exponents instead)."""
    negative = y < 0
    positive_part = xp.power(x, xp.where(negative, 0, y))
    sign_of_minus_one = 1 - 2 * xp.remainder(y, 2)  # (-1)^y: 1 for even y, -1 for odd y
    reciprocal = xp.where(x == 1, 1, xp.where(x == -1, sign_of_minus_one, 0))
    return xp.where(negative, reciprocal, positive_part).astype(positive_part.dtype, copy=False)


def _bool_power(a, b):
    """PyTorch has no bool kernel for pow; it only knows x^True = x and x^False = 1."""
    if isinstance(a, Tensor) and isinstance(b, bool):
        xp = a._device.xp
        return _wrap(a._data.copy() if b else xp.ones_like(a._data), a._device)
    raise not_implemented("pow", _dtype.bool)


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
