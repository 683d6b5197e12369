"""Edge cases of the elementwise ops, each compared with PyTorch.

Integer division by zero, bool operands, negative integer powers, signed
zeros of remainder, ``alpha=`` of add/sub, gradients at kinks and ties,
where/clamp/lerp argument checks, nan handling and closeness. Every case
runs the same expression on minitorch and on torch and compares values,
dtypes and (where torch raises) the exception type and message.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitorch
from minitorch.ops import elementwise as ew

torch = pytest.importorskip("torch")

NAN, INF = float("nan"), float("inf")


class _Lib:
    """``lib.fmod`` etc.: torch's function, or minitorch's from ops.elementwise when not exported yet
    (isclose/allclose: always the ops.elementwise ones)."""

    def __init__(self, module):
        self.module = module

    def __getattr__(self, name):
        if self.module is minitorch and (name in ("isclose", "allclose") or not hasattr(minitorch, name)):
            return getattr(ew, name)
        return getattr(self.module, name)


def _run(fn, lib):
    try:
        return fn(_Lib(lib)), None
    except Exception as e:  # noqa: BLE001 - the exception is what we compare
        return None, e


def _as_numpy(out):
    if hasattr(out, "detach"):
        return out.detach().numpy(), str(out.dtype).split(".")[-1]
    return np.asarray(out), type(out).__name__


def check(fn, message=True):
    """Run ``fn(lib)`` on both libraries: same values (signed zeros and nan included) or same error."""
    want, want_err = _run(fn, torch)
    got, got_err = _run(fn, minitorch)
    if want_err is not None:
        assert got_err is not None, f"torch raised {want_err!r}, minitorch returned {got}"
        assert type(got_err) is type(want_err), (got_err, want_err)
        if message:
            assert str(got_err).splitlines()[0] == str(want_err).splitlines()[0]
        return
    assert got_err is None, f"minitorch raised {got_err!r}; torch returned {want}"
    (w, wd), (g, gd) = _as_numpy(want), _as_numpy(got)
    assert gd == wd
    assert g.shape == w.shape
    np.testing.assert_allclose(g.astype(np.float64), w.astype(np.float64), rtol=1e-6, atol=1e-7, equal_nan=True)
    if w.dtype.kind == "f":
        finite = ~np.isnan(w)
        assert (np.signbit(g)[finite] == np.signbit(w)[finite]).all(), (g, w)


def grads(fn, *inputs, lib):
    xs = [lib.tensor(v, dtype=lib.float64, requires_grad=True) for v in inputs]
    fn(_Lib(lib), *xs).sum().backward()
    return [x.grad.numpy() for x in xs]


def check_grad(fn, *inputs):
    for g, w in zip(grads(fn, *inputs, lib=minitorch), grads(fn, *inputs, lib=torch)):
        np.testing.assert_allclose(g, w, rtol=1e-7, atol=0, equal_nan=True)


INT_DTYPES = ["uint8", "int8", "int16", "int32", "int64"]


# ---- integer division: // % fmod and div(rounding_mode=) ----------------------------------------
DIVISIONS = {
    "floordiv": lambda t, a, b: a // b,
    "mod": lambda t, a, b: a % b,
    "fmod": lambda t, a, b: t.fmod(a, b),
    "trunc": lambda t, a, b: t.div(a, b, rounding_mode="trunc"),
    "floor": lambda t, a, b: t.div(a, b, rounding_mode="floor"),
}


@pytest.mark.parametrize("op", DIVISIONS)
@pytest.mark.parametrize("dtype", INT_DTYPES + ["bool", "float32", "float64"])
def test_division_by_zero_and_signs(op, dtype):
    f = DIVISIONS[op]

    def data(t, values):
        return t.tensor(values).to(getattr(t.module, dtype))

    # negative numbers on both sides, and a zero divisor: integers raise, floats give inf/nan
    check(lambda t: f(t, data(t, [7, -7, 7, -7, 0]), data(t, [2, 2, -2, -2, 3])))
    check(lambda t: f(t, data(t, [7, -7, 0]), data(t, [0, 0, 0])))
    check(lambda t: f(t, data(t, [7, -7, 0]), 0))
    check(lambda t: f(t, data(t, [6, -6]), 4))
    if op in ("floordiv", "mod"):
        check(lambda t: f(t, 7, data(t, [2, -2, 0])))


@pytest.mark.parametrize("op", ["floordiv", "mod", "fmod", "trunc", "floor"])
def test_division_python_scalars_and_zero_dim(op):
    f = DIVISIONS[op]
    check(lambda t: f(t, t.tensor([-7.5, 7.5, -0.0, 0.0]), 2))
    check(lambda t: f(t, t.tensor([-7.5, 7.5, -0.0, 0.0]), -2.0))
    check(lambda t: f(t, t.tensor([-7, 7]), 2.5))
    check(lambda t: f(t, t.tensor([-7, 7], dtype=t.int32), t.tensor(2)))
    check(lambda t: f(t, t.tensor([-7.0, 7.0]), t.tensor([[2.0], [-3.0]])))


def test_division_of_empty_and_non_contiguous_tensors():
    # an empty result divides nothing, so a zero divisor does not raise
    check(lambda t: t.zeros(0, 3, dtype=t.int64) // t.zeros(3, dtype=t.int64))
    check(lambda t: t.zeros(0, dtype=t.int32) % 0)
    check(lambda t: (t.arange(12).reshape(3, 4).T - 5) // t.tensor([1, 2, 3]))
    check(lambda t: t.fmod(t.arange(12.0).reshape(3, 4)[:, ::2] - 5, 3))
    check(lambda t: t.tensor([[1, 2]]).expand(3, 2) ** t.tensor([[-1], [0], [2]]))


def test_remainder_zero_has_the_sign_of_the_dividend_for_floats():
    # PyTorch computes fmod and adds the divisor once: -4 % 2 is -0.0 (NumPy gives 0.0)
    check(lambda t: t.tensor([-4.0, 4.0, -0.0, 0.0]) % 2)
    check(lambda t: t.tensor([-4.0, 4.0, -0.0, 0.0]) % -2)
    check(lambda t: t.remainder(t.tensor([-3.0, 3.0]), t.tensor([INF, -INF])))


def test_rounded_division_is_exact_for_large_integers():
    check(lambda t: t.div(t.tensor([2**62 + 1, -(2**62) - 1]), 3, rounding_mode="trunc"))
    check(lambda t: t.div(t.tensor([1.0]), 2, rounding_mode="round"))


def test_division_gradients():
    # floor_divide has no derivative; div with a rounding mode has a zero one; remainder/fmod pass grad to a
    check_grad(lambda t, a, b: t.div(a, b, rounding_mode="floor"), [3.0, -5.0], [2.0, 2.0])
    check_grad(lambda t, a, b: t.div(a, b, rounding_mode="trunc"), [3.0, -5.0], [2.0, 2.0])
    check_grad(lambda t, a, b: a % b, [3.5, -5.0], [2.0, 1.5])
    check_grad(lambda t, a, b: t.fmod(a, b), [3.5, -5.0], [2.0, 1.5])
    x = minitorch.tensor([3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="derivative for aten::floor_divide is not implemented"):
        (x // 2).sum().backward()


# ---- pow ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_integer_pow_with_negative_exponents(dtype):
    def base(t):
        return t.tensor([1, -1, 2, 0, 3] if dtype != "uint8" else [1, 2, 0, 3]).to(getattr(t.module, dtype))

    check(lambda t: base(t) ** t.tensor(-1))
    check(lambda t: base(t) ** t.tensor(-2))
    check(lambda t: base(t) ** 3)
    check(lambda t: base(t) ** -1)  # a Python int exponent raises instead
    check(lambda t: 2 ** t.tensor([-2, -1, 0, 1, 3]).to(getattr(t.module, dtype)) if dtype != "uint8" else 2 ** base(t))
    check(lambda t: t.pow(t.tensor([1, -1, 2]), t.tensor([-3, -3, -1])))


def test_bool_pow():
    b = [True, False]
    for expr in (lambda t: t.tensor(b) ** True, lambda t: t.tensor(b) ** False, lambda t: t.tensor(b) ** 2,
                 lambda t: t.tensor(b) ** 2.5, lambda t: t.tensor(b) ** t.tensor(b), lambda t: True ** t.tensor(b),
                 lambda t: t.tensor(b) ** t.tensor(2), lambda t: t.square(t.tensor(b))):
        check(expr)


def test_pow_values_and_dtypes():
    check(lambda t: t.tensor([0.0, 0.0, -8.0, 4.0]) ** t.tensor([0.0, -1.0, 1 / 3, 0.5]))
    check(lambda t: t.tensor([2, 3]) ** 0.5)
    check(lambda t: 2.5 ** t.tensor([1, 2]))
    check(lambda t: t.tensor(2) ** t.tensor([1.0, -1.0]))
    check(lambda t: t.float_power(t.tensor([2, 3]), -1))
    check(lambda t: t.float_power(2, t.tensor([1, 2])))


def test_pow_gradients_at_zero():
    x, e = [0.0, 0.0, 2.0, -1.5], [0.0, 2.0, 0.0, 3.0]
    check_grad(lambda t, a, b: a**b, x, e)  # 0^0: d/da = 0 (not nan), d/db = 0
    check_grad(lambda t, a: 0**a, [-1.0, 0.0, 2.0])  # d/db of 0^b is -inf for b < 0, else 0
    check_grad(lambda t, a: 2**a, [-1.0, 0.0, 2.0])
    check_grad(lambda t, a: a**0, [0.0, 1.0])
    check_grad(lambda t, a: a**2.5, [0.0, 1.0])


# ---- add / sub / neg / abs ----------------------------------------------------------------------
def test_alpha_checks():
    i, f, b = [1, 2], [1.0, 2.0], [True, False]
    check(lambda t: t.add(t.tensor(i), t.tensor(i), alpha=2))
    check(lambda t: t.add(t.tensor(i), t.tensor(i), alpha=2.5))
    check(lambda t: t.sub(t.tensor(i), 1, alpha=0.5))
    check(lambda t: t.add(t.tensor(f), t.tensor(i), alpha=2.5))
    check(lambda t: t.add(t.tensor(i), 2.5, alpha=2))
    check(lambda t: t.add(t.tensor(f), t.tensor(f), alpha=True))
    check(lambda t: t.add(t.tensor(b), t.tensor(b), alpha=2))
    check(lambda t: t.add(t.tensor(b), t.tensor(b), alpha=0))
    check(lambda t: t.add(t.tensor(b), 1, alpha=2))
    check(lambda t: t.sub(t.tensor(i), t.tensor(b), alpha=2))
    check(lambda t: t.rsub(t.tensor(i), 10, alpha=2))
    check(lambda t: t.rsub(t.tensor(f), t.tensor(f), alpha=2))


def test_bool_arithmetic():
    b = [True, False]
    for expr in (lambda t: t.tensor(b) - t.tensor(b), lambda t: t.tensor(b) - 1, lambda t: 1 - t.tensor(b),
                 lambda t: -t.tensor(b), lambda t: t.abs(t.tensor(b)), lambda t: t.tensor(b) + True,
                 lambda t: t.tensor(b) * t.tensor(b), lambda t: t.tensor(b) / t.tensor(b), lambda t: t.sign(t.tensor(b)),
                 lambda t: t.sgn(t.tensor(b))):
        check(expr)


@pytest.mark.parametrize("name", ["floor", "ceil", "round", "trunc"])
def test_rounding_on_integers_and_bools(name):
    check(lambda t: getattr(t, name)(t.tensor([-3, 0, 5])))
    check(lambda t: getattr(t, name)(t.tensor([True, False])))
    check(lambda t: getattr(t, name)(t.tensor([-2.5, -0.5, -0.0, 0.5, 1.5, 2.5])))


def test_round_decimals():
    check(lambda t: t.round(t.tensor([1.2345, 12.5, -0.0551, 0.125]), decimals=2))
    check(lambda t: t.round(t.tensor([1234.5, 1250.0, -1750.0]), decimals=-2))
    check(lambda t: t.round(t.tensor([1, 25]), decimals=-1))
    check(lambda t: t.frac(t.tensor([-1.5, 2.25, -0.0])))
    check(lambda t: t.frac(t.tensor([1, 2])))


def test_sign_and_abs_at_zero_and_nan():
    values = [-2.0, -0.0, 0.0, 3.0, NAN, -INF]
    check(lambda t: t.sign(t.tensor(values)))
    check(lambda t: t.abs(t.tensor(values)))
    check(lambda t: t.signbit(t.tensor(values)))
    check(lambda t: t.sgn(t.tensor([-1, 0, 2])))
    check_grad(lambda t, x: t.abs(x), [-2.0, 0.0, 3.0])
    check_grad(lambda t, x: t.sign(x), [-2.0, 0.0, 3.0])


# ---- kinks and ties -----------------------------------------------------------------------------
KINKS = [-2.0, -1.0, 0.0, 0.5, 1.0, 2.0]


@pytest.mark.parametrize("fn", [
    lambda t, x: t.relu(x),
    lambda t, x: t.clamp(x, -1.0, 1.0),
    lambda t, x: t.clamp(x, min=0.0),
    lambda t, x: t.clamp(x, max=0.5),
    lambda t, x: t.clamp(x, 1.0, -1.0),  # min > max: everything is max
])
def test_gradients_at_kinks(fn):
    check(lambda t: fn(t, t.tensor(KINKS)))
    check_grad(fn, KINKS)


@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin"])
def test_tie_gradients_and_nan(name):
    a, b = [1.0, 2.0, 3.0, NAN, 1.0], [1.0, 0.0, 5.0, 2.0, NAN]
    check(lambda t: getattr(t, name)(t.tensor(a), t.tensor(b)))
    check(lambda t: getattr(t, name)(t.tensor([1, 4]), t.tensor([2.5, NAN])))
    check(lambda t: getattr(t, name)(t.tensor([1.0]), 2))
    check_grad(lambda t, x, y: getattr(t, name)(x, y), [1.0, 2.0, 3.0, 4.0], [1.0, 0.0, 5.0, 4.0])  # ties at 0 and 3


def test_clamp_bounds():
    x = [1.0, 5.0, 9.0, NAN]
    check(lambda t: t.clamp(t.tensor(x), 2, 6))
    check(lambda t: t.clamp(t.tensor([1, 5, 9]), 2, 6))
    check(lambda t: t.clamp(t.tensor([1, 5, 9]), 2.5, 6))
    check(lambda t: t.clamp(t.tensor([1, 5, 9]), t.tensor([2.0, 2.0, 2.0])))
    check(lambda t: t.clamp(t.tensor(x), t.tensor([2.0, 2, 2, 2]), t.tensor(6.0)))
    check(lambda t: t.clamp(t.tensor([True, False]), 0, 1))
    check(lambda t: t.clamp(t.tensor([True, False]), True, False))
    check(lambda t: t.clamp(t.tensor(x)))
    check(lambda t: t.clamp(t.tensor([1.0, 5.0, 9.0]), min=t.tensor([2.0, 2.0])))
    check_grad(lambda t, v, lo, hi: t.clamp(v, lo, hi), [0.0, 1.0, 2.0, 3.0], [1.0, 1.0, 1.0, 4.0], [2.0, 2.0, 2.0, 3.0])


# ---- where ----------------------------------------------------------------------------------------
def test_where_scalars_and_promotion():
    c = [True, False]
    for expr in (lambda t: t.where(t.tensor(c), 1, 0), lambda t: t.where(t.tensor(c), 1.0, 0),
                 lambda t: t.where(t.tensor(c), True, False), lambda t: t.where(t.tensor(True), 1, 2),
                 lambda t: t.where(t.tensor(c), t.tensor([1, 2], dtype=t.int32), 2),
                 lambda t: t.where(t.tensor(c), t.tensor([1, 2], dtype=t.int32), 2.5),
                 lambda t: t.where(t.tensor(c), 2, t.tensor(2.5, dtype=t.float64)),
                 lambda t: t.where(t.tensor([[True], [False]]), 1.5, t.tensor([1, 2])),
                 lambda t: t.where(t.tensor([1, 0]), t.tensor([1.0, 2.0]), 0.0),
                 lambda t: t.where(t.tensor(c), t.tensor([1.0, 2.0]), t.tensor([1.0, 2.0, 3.0]))):
        check(expr)


# ---- lerp / addcmul / addcdiv / nan_to_num ------------------------------------------------------
def test_lerp_checks():
    a, b = [1.0, 2.0], [3.0, 5.0]
    check(lambda t: t.lerp(t.tensor(a), t.tensor(b), 0.25))
    check(lambda t: t.lerp(t.tensor(a), t.tensor(b), t.tensor([0.0, 1.0])))
    check(lambda t: t.lerp(t.tensor([1, 2]), t.tensor([3, 4]), 0.5))
    check(lambda t: t.lerp(t.tensor([1, 2]), t.tensor([3, 4]), t.tensor([1, 2])))
    check(lambda t: t.lerp(t.tensor(a), t.tensor(b, dtype=t.float64), 0.5))
    check(lambda t: t.lerp(t.tensor(a), t.tensor(b), t.tensor([0.5, 0.5], dtype=t.float64)))
    check_grad(lambda t, x, y, w: t.lerp(x, y, w), a, b, [0.25, 0.75])


def test_addcmul_addcdiv():
    check(lambda t: t.addcmul(t.tensor([1.0, 2.0]), t.tensor([3.0, 4.0]), t.tensor([[1.0], [2.0]]), value=0.5))
    check(lambda t: t.addcdiv(t.tensor([1.0, 2.0]), t.tensor([3.0, 4.0]), t.tensor([2.0, 0.0])))
    check(lambda t: t.addcmul(t.tensor([1, 2]), t.tensor([3, 4]), t.tensor([2, 1]), value=2))
    check(lambda t: t.addcdiv(t.tensor([1, 2]), t.tensor([3, 4]), t.tensor([2, 1])), message=False)


def test_nan_to_num():
    x = [NAN, INF, -INF, 1.5, -0.0]
    for dtype in ("float16", "float32", "float64"):
        check(lambda t: t.nan_to_num(t.tensor(x, dtype=getattr(t.module, dtype))))
    check(lambda t: t.nan_to_num(t.tensor(x), nan=2.0, posinf=3.0, neginf=-3))
    check(lambda t: t.nan_to_num(t.tensor([1, 2])))
    check(lambda t: t.nan_to_num(t.tensor([True])))
    check_grad(lambda t, v: t.nan_to_num(v, posinf=5.0) * 2, [NAN, INF, 1.0])


# ---- unary ops on integers become float ------------------------------------------------------------
@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "sigmoid", "tanh", "sin", "rsqrt", "reciprocal", "log2", "expm1"])
def test_float_functions_of_integers(name):
    check(lambda t: getattr(t, name)(t.tensor([0, 1, 4])))
    check(lambda t: getattr(t, name)(t.tensor([True, False])))
    check(lambda t: getattr(t, name)(t.tensor([1, 2], dtype=t.int8)))
    check(lambda t: getattr(t, name)(t.tensor([1.0, 2.0], dtype=t.float64)))


# ---- comparisons and logic -------------------------------------------------------------------------
def test_comparisons_with_nan_and_mixed_dtypes():
    a, b = [1.0, NAN, -0.0, INF], [1.0, NAN, 0.0, INF]
    for name in ("eq", "ne", "lt", "le", "gt", "ge", "greater", "less", "greater_equal", "less_equal", "not_equal"):
        check(lambda t: getattr(t, name)(t.tensor(a), t.tensor(b)))
        check(lambda t: getattr(t, name)(t.tensor([1, 2]), 1.5))
        check(lambda t: getattr(t, name)(t.tensor([True, False]), 0.5))
        check(lambda t: getattr(t, name)(t.tensor([[1], [2]], dtype=t.uint8), t.tensor([1, 2, 3], dtype=t.int8)))


def test_comparison_operators_with_other_python_objects():
    x = minitorch.tensor([1, 2])
    ops = ew.OPERATORS
    assert ops["__eq__"](x, None) is NotImplemented and ops["__lt__"](x, "a") is NotImplemented
    assert ops["__eq__"](x, [1, 2]) is NotImplemented
    assert ops["__ge__"](x, 2).tolist() == [False, True]


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
def test_logical_ops(name):
    check(lambda t: getattr(t, name)(t.tensor([0.0, 1.0, NAN]), t.tensor([1, 1, 0])))
    check(lambda t: getattr(t, name)(t.tensor([2, 0]), t.tensor([[1], [0]])))
    check(lambda t: getattr(t, name)(t.tensor([True, False]), t.tensor([True, True])))
    check(lambda t: getattr(t, name)(t.tensor([1, 0]), 1))


def test_bitwise_ops():
    for name in ("bitwise_and", "bitwise_or", "bitwise_xor"):
        check(lambda t: getattr(t, name)(t.tensor([12, -10]), t.tensor([10, 7])))
        check(lambda t: getattr(t, name)(t.tensor([True, False]), t.tensor([True, True])))
        check(lambda t: getattr(t, name)(t.tensor([12, 10], dtype=t.uint8), 3))
        check(lambda t: getattr(t, name)(t.tensor([1.5]), 1), message=False)
    check(lambda t: ~t.tensor([1, -2, 0]))
    check(lambda t: ~t.tensor([True, False]))
    check(lambda t: ~t.tensor([1.0]))
    check(lambda t: t.logical_not(t.tensor([0.0, 1.0, NAN])))


def test_isnan_isinf_isfinite():
    x = [1.0, NAN, -INF, INF, -0.0]
    for name in ("isnan", "isinf", "isfinite", "isposinf", "isneginf"):
        check(lambda t: getattr(t, name)(t.tensor(x)))
        check(lambda t: getattr(t, name)(t.tensor([1, 2])))


def test_isclose_allclose():
    a, b = [1.0, NAN, INF, -INF, 1e-9, 2.0], [1.0 + 1e-7, NAN, INF, INF, 0.0, 2.1]
    check(lambda t: t.isclose(t.tensor(a), t.tensor(b)))
    check(lambda t: t.isclose(t.tensor(a), t.tensor(b), equal_nan=True))
    check(lambda t: t.isclose(t.tensor(a), t.tensor(b), rtol=0.1, atol=0.0))
    check(lambda t: t.isclose(t.tensor([1, 2]), t.tensor([2, 4]), atol=1))
    check(lambda t: t.isclose(t.tensor([True]), t.tensor([False]), atol=1))
    check(lambda t: t.isclose(t.tensor([1.0, 2.0]), t.tensor([1, 2])))
    check(lambda t: t.isclose(t.tensor([1.0]), t.tensor([1.0]), rtol=-1))
    check(lambda t: t.isclose(t.tensor([1.0]), 1.0))
    check(lambda t: t.isclose(t.tensor([1.0, 2.0]), t.tensor([1.0, 2.0, 3.0])))
    check(lambda t: t.allclose(t.tensor([1.0, 2.0]), t.tensor([[1.0, 2.0], [1.0, 2.0 + 1e-6]])))
    check(lambda t: t.allclose(t.tensor(a), t.tensor(a), equal_nan=True))
    check(lambda t: t.allclose(t.tensor([1.0]), t.tensor([1.0], dtype=t.float64)))
