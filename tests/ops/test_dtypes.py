"""PyTorch's type-promotion rules: result dtypes of ops on every pair of dtypes.

The rules (see minitorch/_dtype.py): categories bool < integer < float; a
tensor with dimensions outranks a zero-dimensional tensor, which outranks a
Python scalar, and a lower rank only matters when it brings a higher
category. Each rule is tested on its own, then a grid of dtype pairs and
ops is compared with PyTorch.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import minitorch

DTYPES = ["bool", "uint8", "int32", "int64", "float16", "float32", "float64"]


def _t(lib, dtype, ndim=1):
    data = np.array([1, 0, 1] if ndim else 1)
    return lib.tensor(data).to(getattr(lib, dtype))


def _name(t) -> str:
    return str(t.dtype).split(".")[-1]


# ---- the rules, one by one --------------------------------------------------------------------
def test_int_plus_float_tensor_is_float():
    assert (minitorch.tensor([1, 2]) + minitorch.tensor([0.5, 1.0])).dtype is minitorch.float32


def test_python_scalars_do_not_upcast():
    x = minitorch.ones(3, dtype=minitorch.float32)
    assert (x * 2.5).dtype is minitorch.float32
    assert (x + 10**6).dtype is minitorch.float32
    assert (minitorch.ones(3, dtype=minitorch.int32) + 7).dtype is minitorch.int32
    assert (minitorch.ones(3, dtype=minitorch.float16) * 2.0).dtype is minitorch.float16


def test_int32_tensor_plus_python_float_is_default_float():
    assert (minitorch.ones(3, dtype=minitorch.int32) + 2.5).dtype is minitorch.float32


def test_zero_dim_tensor_does_not_upcast_same_category():
    x = minitorch.ones(3, dtype=minitorch.float32)
    assert (x + minitorch.tensor(2.0, dtype=minitorch.float64)).dtype is minitorch.float32
    assert (minitorch.ones(3, dtype=minitorch.int32) + minitorch.tensor(2)).dtype is minitorch.int32
    # ... but a higher category still wins
    assert (minitorch.ones(3, dtype=minitorch.int32) + minitorch.tensor(2.0, dtype=minitorch.float64)).dtype \
        is minitorch.float64


def test_comparisons_give_bool():
    x = minitorch.tensor([1.0, 2.0])
    for r in (x == 1, x != x, x < 2, x <= 2, x > 1, x >= 1, minitorch.tensor([1, 2]) == minitorch.tensor([1.0, 0.0])):
        assert r.dtype is minitorch.bool
        assert not r.requires_grad


def test_integer_true_division_is_float():
    a, b = minitorch.tensor([1, 2, 3]), minitorch.tensor([2, 2, 2])
    assert (a / b).dtype is minitorch.float32
    assert (a / 2).dtype is minitorch.float32
    np.testing.assert_allclose((a / b).numpy(), [0.5, 1.0, 1.5])
    assert (a // b).dtype is minitorch.int64


def test_sum_of_int_and_bool_is_int64():
    assert minitorch.tensor([1, 2], dtype=minitorch.int32).sum().dtype is minitorch.int64
    assert minitorch.tensor([True, True]).sum().dtype is minitorch.int64
    assert minitorch.tensor([True, True]).sum().item() == 2
    assert minitorch.tensor([1, 2], dtype=minitorch.int32).prod().dtype is minitorch.int64
    assert minitorch.tensor([1, 2], dtype=minitorch.int32).cumsum(0).dtype is minitorch.int64


def test_sum_dtype_argument():
    assert minitorch.tensor([1, 2]).sum(dtype=minitorch.float64).dtype is minitorch.float64


def test_mean_of_int_raises():
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype"):
        minitorch.tensor([1, 2, 3]).mean()
    assert minitorch.tensor([1, 2]).mean(dtype=minitorch.float32).item() == 1.5


@pytest.mark.parametrize("dtype", ["int64", "int32", "bool", "uint8"])
def test_requires_grad_on_int_raises(dtype):
    msg = "(?i)only Tensors of floating point (and complex )?dtype can require gradients"
    with pytest.raises(RuntimeError, match=msg):
        minitorch.tensor([1, 0], dtype=getattr(minitorch, dtype), requires_grad=True)
    with pytest.raises(RuntimeError, match=msg):
        minitorch.tensor([1, 0], dtype=getattr(minitorch, dtype)).requires_grad_()
    with pytest.raises(RuntimeError, match=msg):
        minitorch.zeros(2, dtype=getattr(minitorch, dtype), requires_grad=True)


def test_int_results_of_float_graph_do_not_require_grad():
    x = minitorch.randn(3, requires_grad=True)
    assert not x.argmax().requires_grad
    assert not (x > 0).requires_grad
    assert not x.long().requires_grad
    assert x.max(0).indices.grad_fn is None


def test_default_dtype_is_used_for_floats():
    assert minitorch.get_default_dtype() is minitorch.float32
    minitorch.set_default_dtype(minitorch.float64)
    try:
        assert minitorch.tensor([1.5]).dtype is minitorch.float64
        assert minitorch.zeros(2).dtype is minitorch.float64
        assert (minitorch.tensor([1]) / 2).dtype is minitorch.float64
        assert (minitorch.tensor([1]) + 0.5).dtype is minitorch.float64
        assert (minitorch.ones(2, dtype=minitorch.float32) + 0.5).dtype is minitorch.float32
    finally:
        minitorch.set_default_dtype(minitorch.float32)


def test_dtype_aliases():
    assert minitorch.float is minitorch.float32 and minitorch.double is minitorch.float64
    assert minitorch.long is minitorch.int64 and minitorch.half is minitorch.float16
    assert minitorch.int is minitorch.int32


# ---- the grid, compared with PyTorch --------------------------------------------------------------
BINARY = {
    "add": lambda a, b: a + b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
    "sub": lambda a, b: a - b, "eq": lambda a, b: a == b, "lt": lambda a, b: a < b,
    "maximum": lambda a, b: a.maximum(b) if hasattr(a, "maximum") else None,
    "where": lambda a, b: a.where(a > 0, b) if hasattr(a, "where") else None,
}


# Corners where minitorch knowingly differs from PyTorch (uint8 wrap-around of negative scalars; kernels PyTorch
# lacks for bool, where minitorch gives the obvious answer instead of NotImplementedError).
KNOWN = {("uint8", -1), ("bool", "pow"), ("bool", "floordiv"), ("bool", "clamp"), ("bool", "abs"), ("bool", "floor"),
         ("bool", "argmax"), ("uint8", "all"), ("uint8", "any")}


def _outcome(fn):
    try:
        return ("ok", _name(fn()))
    except Exception as e:  # the exception type must match too
        return ("raises", type(e).__name__)


@pytest.mark.parametrize("op", list(BINARY))
@pytest.mark.parametrize("left,right", list(itertools.product(DTYPES, DTYPES)))
def test_binary_dtype_grid_matches_torch(op, left, right):
    torch = pytest.importorskip("torch")
    fn = BINARY[op]
    for nd_a, nd_b in [(1, 1), (1, 0), (0, 1)]:
        want = _outcome(lambda: fn(_t(torch, left, nd_a), _t(torch, right, nd_b)))
        got = _outcome(lambda: fn(_t(minitorch, left, nd_a), _t(minitorch, right, nd_b)))
        assert got == want, f"{left}[{nd_a}-d] {op} {right}[{nd_b}-d]: minitorch {got}, torch {want}"


SCALARS = [2, 2.5, True, -1]
SCALAR_OPS = {
    "add": lambda a, s: a + s, "radd": lambda a, s: s + a, "mul": lambda a, s: a * s, "div": lambda a, s: a / s,
    "rsub": lambda a, s: s - a, "floordiv": lambda a, s: a // s, "pow": lambda a, s: a ** s,
    "eq": lambda a, s: a == s, "gt": lambda a, s: a > s, "clamp": lambda a, s: a.clamp(min=s),
    "masked_fill": lambda a, s: a.masked_fill(a > 0, s), "full_like": None,
}


@pytest.mark.parametrize("op", [k for k, v in SCALAR_OPS.items() if v is not None])
@pytest.mark.parametrize("dtype", DTYPES)
def test_scalar_dtype_grid_matches_torch(op, dtype):
    torch = pytest.importorskip("torch")
    fn = SCALAR_OPS[op]
    for s in SCALARS:
        if (dtype, s) in KNOWN or (dtype, op) in KNOWN:
            continue
        want = _outcome(lambda: fn(_t(torch, dtype), s))
        got = _outcome(lambda: fn(_t(minitorch, dtype), s))
        assert got == want, f"{dtype} tensor {op} {s!r}: minitorch {got}, torch {want}"


REDUCTIONS = {
    "sum": lambda a: a.sum(), "sum_dim": lambda a: a.sum(0), "prod": lambda a: a.prod(), "mean": lambda a: a.mean(),
    "cumsum": lambda a: a.cumsum(0), "max": lambda a: a.max(), "argmax": lambda a: a.argmax(),
    "all": lambda a: a.all(), "any": lambda a: a.any(), "abs": lambda a: a.abs(), "neg": lambda a: -a,
    "exp": lambda a: a.exp(), "sqrt": lambda a: a.sqrt(), "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(), "sign": lambda a: a.sign(), "floor": lambda a: a.floor(),
    "softmax": lambda a: a.softmax(0), "norm": lambda a: a.norm(), "var": lambda a: a.var(),
    "logsumexp": lambda a: a.logsumexp(0), "invert": lambda a: ~a, "clone": lambda a: a.clone(),
}


@pytest.mark.parametrize("op", list(REDUCTIONS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_unary_dtype_grid_matches_torch(op, dtype):
    torch = pytest.importorskip("torch")
    fn = REDUCTIONS[op]
    if (dtype, op) in KNOWN:
        pytest.skip("a known, documented difference")
    want = _outcome(lambda: fn(_t(torch, dtype)))
    got = _outcome(lambda: fn(_t(minitorch, dtype)))
    assert got == want, f"{op}({dtype}): minitorch {got}, torch {want}"


def test_promote_types_table_matches_torch():
    torch = pytest.importorskip("torch")
    for a, b in itertools.product(DTYPES, DTYPES):
        got = minitorch.promote_types(getattr(minitorch, a), getattr(minitorch, b))
        want = torch.promote_types(getattr(torch, a), getattr(torch, b))
        assert str(got).split(".")[-1] == str(want).split(".")[-1], (a, b)


def test_can_cast_matches_pytorch():
    # in-place ops refuse a result of a higher category only (float into int, int into bool)
    torch = pytest.importorskip("torch")
    names = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
    for a, b in itertools.product(names, names):
        got = minitorch._dtype.can_cast(getattr(minitorch, a), getattr(minitorch, b))
        assert got == torch.can_cast(getattr(torch, a), getattr(torch, b)), (a, b)


def test_result_type_of_tensors_and_scalars_matches_pytorch():
    torch = pytest.importorskip("torch")
    operands = [
        lambda t: t.tensor([1, 2], dtype=t.int8), lambda t: t.tensor(1, dtype=t.int8), lambda t: t.tensor([1.0], dtype=t.float16),
        lambda t: t.tensor(True), lambda t: t.tensor([True]), lambda t: t.tensor(2.5, dtype=t.float64),
        lambda t: t.tensor([3], dtype=t.uint8), lambda t: 2, lambda t: 2.5, lambda t: True, lambda t: np.float64(2.0),
    ]
    for fa, fb in itertools.product(operands, operands):
        if not any(hasattr(f(torch), "dtype") and not isinstance(f(torch), np.generic) for f in (fa, fb)):
            continue
        want = torch.result_type(fa(torch), fb(torch))
        assert minitorch._dtype.result_type(fa(minitorch), fb(minitorch)).name == str(want).split(".")[-1]
        assert _name(fa(minitorch) * fb(minitorch)) == str((fa(torch) * fb(torch)).dtype).split(".")[-1]
