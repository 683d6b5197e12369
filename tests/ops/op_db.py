"""The op table: one entry per op, from which test_ops.py generates every op test.

Like PyTorch's OpInfo, an entry says

* ``fn(lib, *tensors, **kwargs)``: the op, written once and run on both
  ``lib = minitorch`` and ``lib = torch`` (``lambda t, x: t.exp(x)``);
* ``ref(*arrays, **kwargs)``: a NumPy reference for the forward values;
* ``samples``: the inputs. Each argument of a ``Sample`` is a shape (random
  numbers in the op's domain, differentiable), a NumPy array (fixed values;
  float arrays are differentiable), ``Const(array)`` (fixed, never
  differentiable) or anything else (passed through unchanged);
* ``domain``: where the random inputs live, for the whole op or per argument:
  ``(lo, hi)``, ``"pos"`` (0.5..2), ``"nonzero"`` (+-0.5..2);
* ``dtypes`` to run the forward and PyTorch comparisons in; gradients are
  always checked in float64;
* ``variants``: other spellings (method, operator) that must agree with ``fn``;
* ``errors``: bad inputs on which minitorch must raise PyTorch's exception type.

Adding an op here adds its forward, gradcheck and PyTorch tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

FLOATS = ("float32", "float64")
NUMERIC = ("float32", "float64", "int64")


@dataclass
class Const:
    """A fixed input that never requires grad."""

    value: Any


@dataclass
class Sample:
    args: tuple
    kwargs: dict = field(default_factory=dict)
    fd: bool = True  # False at points where the op is not differentiable (ties): compare with torch only
    torch_grad: bool = True  # False where PyTorch's own backward fails (compare with finite differences only)


@dataclass
class ErrorSample:
    args: tuple
    kwargs: dict = field(default_factory=dict)
    exc: type = RuntimeError
    match: str | None = None  # regex the minitorch message must contain


@dataclass
class OpInfo:
    name: str
    fn: Callable
    ref: Callable | None
    samples: list
    domain: Any = (-2.0, 2.0)
    dtypes: tuple = FLOATS
    grad: bool = True
    gradgrad: bool = True
    noncontig: bool = True
    variants: tuple = ()
    errors: list = field(default_factory=list)
    rtol: float | None = None
    atol: float | None = None


def S(*args, fd=True, torch_grad=True, **kwargs) -> Sample:
    return Sample(args, kwargs, fd, torch_grad)


def E(*args, exc=RuntimeError, match=None, **kwargs) -> ErrorSample:
    return ErrorSample(args, kwargs, exc, match)


def _ax(dim):
    return tuple(dim) if isinstance(dim, list) else dim


UNARY = [S((3, 4)), S(()), S((2, 3, 4))]
BINARY = [S((3, 4), (3, 4)), S((3, 4), (4,)), S((2, 1, 4), (3, 1)), S((3, 4), ()), S((), (3, 4)),
          S((2, 3, 4), (1, 3, 1))]
# float32 outputs (too coarse for finite differences) or detach (FD sees both uses): compare with torch
NO_FD = [S((3, 4), fd=False), S((), fd=False)]
BINARY_ERRORS = [E((3, 3), (3, 4), match=r"size of tensor a \(3\) must match the size of tensor b \(4\)")]


def unary(name, ref, *, method=True, extra=(), **kw) -> OpInfo:
    variants = ((lambda t, x: getattr(x, name)()),) if method else ()
    return OpInfo(name, lambda t, x: getattr(t, name)(x), ref, list(UNARY), variants=variants + tuple(extra), **kw)


def binary(name, ref, operator=None, *, samples=None, **kw) -> OpInfo:
    variants = [lambda t, x, y: getattr(x, name)(y)]
    if operator is not None:
        variants.append(operator)
    return OpInfo(name, lambda t, x, y: getattr(t, name)(x, y), ref, list(samples or BINARY),
                  variants=tuple(variants), errors=list(BINARY_ERRORS), **kw)


def method(name, ref, samples, **kw) -> OpInfo:
    """An op called as a method with keyword arguments from the sample, also as ``lib.name``."""
    return OpInfo(name, lambda t, x, **k: getattr(t, name)(x, **k), ref, samples,
                  variants=(lambda t, x, **k: getattr(x, name)(**k),), **kw)


# ---- NumPy references that NumPy does not have under that name --------------------------------
def _sigmoid(x):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def _erf(x):
    from math import erf

    return np.vectorize(erf, otypes=[x.dtype])(x) if np.ndim(x) else np.asarray(erf(float(x)), dtype=x.dtype)


def _logsumexp(x, dim, keepdim=False):
    m = np.max(x, axis=_ax(dim), keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=_ax(dim), keepdims=True)) + m
    return out if keepdim else np.squeeze(out, axis=_ax(dim))


def _softmax(x, dim):
    e = np.exp(x - x.max(axis=dim, keepdims=True))
    return e / e.sum(axis=dim, keepdims=True)


def _norm(x, p="fro", dim=None, keepdim=False):
    p = 2 if p == "fro" else p
    a, ax = np.abs(x), _ax(dim)
    if p == np.inf:
        return a.max(axis=ax, keepdims=keepdim)
    return (a ** p).sum(axis=ax, keepdims=keepdim) ** (1 / p)


def _var(x, dim=None, unbiased=True, keepdim=False, correction=None, fn=np.var):
    ddof = correction if correction is not None else int(unbiased)
    return fn(x, axis=_ax(dim), ddof=ddof, keepdims=keepdim)


def _max(fn, arg):
    def ref(x, dim=None, keepdim=False):
        if dim is None:
            return fn(x)
        return fn(x, axis=dim, keepdims=keepdim), arg(x, axis=dim, keepdims=keepdim)

    return ref


def _nan_div(x, y):
    return np.divide(x, y, where=y != 0, out=np.full_like(x, np.nan))


def _round(x, decimals=0):
    return np.round(x, decimals)


def _split(x, size, dim=0):
    n = x.shape[dim]
    sizes = [size] * (n // size) + ([n % size] if n % size else []) if isinstance(size, int) else size
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=dim))


def _chunk(x, chunks, dim=0):
    return _split(x, -(-x.shape[dim] // chunks), dim)


def _matmul(a, b):
    return np.matmul(a, b)


def _gather(x, dim, idx):
    sub = x[tuple(slice(None) if d == dim else slice(0, s) for d, s in enumerate(idx.shape))]
    return np.take_along_axis(sub, idx, axis=dim)


def _scatter(x, dim, idx, src, add=False):
    out = x.copy()
    grids = list(np.indices(idx.shape, sparse=True))
    grids[dim] = idx
    vals = src[tuple(slice(0, s) for s in idx.shape)] if isinstance(src, np.ndarray) else src
    if add:
        np.add.at(out, tuple(grids), vals)
    else:
        out[tuple(grids)] = vals
    return out


IDX = np.array([[0, 2, 1, 2], [1, 0, 0, 0]])  # for inputs of shape (2, 3) or (2, 4) gathered along dim 1
MASK34 = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, False]])

# ---- the table ---------------------------------------------------------------------------------
OPS: list[OpInfo] = [
    # -- arithmetic with broadcasting --
    binary("add", np.add, lambda t, x, y: x + y, dtypes=NUMERIC + ("int32", "bool")),
    binary("sub", np.subtract, lambda t, x, y: x - y, dtypes=NUMERIC + ("int32",)),
    binary("mul", np.multiply, lambda t, x, y: x * y, dtypes=NUMERIC + ("int32", "bool")),
    binary("div", np.true_divide, lambda t, x, y: x / y, dtypes=NUMERIC, domain=[(-2, 2), "nonzero"]),
    binary("pow", np.power, lambda t, x, y: x ** y, domain=["pos", (-2, 2)]),
    binary("maximum", np.maximum, dtypes=NUMERIC, samples=BINARY + [S(np.array([1., 2, 3]), np.array([1., 0, 3]),
                                                                          fd=False)]),
    binary("minimum", np.minimum, dtypes=NUMERIC, samples=BINARY + [S(np.array([1., 2, 3]), np.array([1., 0, 3]),
                                                                          fd=False)]),
    binary("remainder", np.remainder, lambda t, x, y: x % y, dtypes=NUMERIC, domain=[(-3, 3), "nonzero"]),
    binary("floor_divide", np.floor_divide, lambda t, x, y: x // y, dtypes=NUMERIC, domain=[(-3, 3), "nonzero"],
           grad=False),
    OpInfo("add_alpha", lambda t, x, y: t.add(x, y, alpha=2.5), lambda x, y: x + 2.5 * y, list(BINARY),
           variants=(lambda t, x, y: x.add(y, alpha=2.5),)),
    OpInfo("sub_alpha", lambda t, x, y: t.sub(x, y, alpha=-0.5), lambda x, y: x + 0.5 * y, list(BINARY)),
    OpInfo("div_floor", lambda t, x, y: t.div(x, y, rounding_mode="floor"), lambda x, y: np.floor(x / y),
           list(BINARY), domain=[(-3, 3), "nonzero"], grad=False, dtypes=NUMERIC),
    OpInfo("div_trunc", lambda t, x, y: t.div(x, y, rounding_mode="trunc"), lambda x, y: np.trunc(x / y),
           list(BINARY), domain=[(-3, 3), "nonzero"], grad=False, dtypes=NUMERIC),
    # -- Python scalars on both sides --
    OpInfo("scalar_add", lambda t, x: x + 2.5, lambda x: x + 2.5, list(UNARY), dtypes=NUMERIC,
           variants=(lambda t, x: 2.5 + x,)),
    OpInfo("scalar_add_int", lambda t, x: x + 2, lambda x: x + 2, list(UNARY), dtypes=NUMERIC + ("int32",),
           variants=(lambda t, x: 2 + x,)),
    OpInfo("scalar_rsub", lambda t, x: 2.5 - x, lambda x: 2.5 - x, list(UNARY), dtypes=NUMERIC),
    OpInfo("scalar_sub", lambda t, x: x - 2, lambda x: x - 2, list(UNARY), dtypes=NUMERIC),
    OpInfo("scalar_mul", lambda t, x: 3 * x, lambda x: 3 * x, list(UNARY), dtypes=NUMERIC + ("int32",),
           variants=(lambda t, x: x * 3,)),
    OpInfo("scalar_mul_float", lambda t, x: x * -1.5, lambda x: x * -1.5, list(UNARY), dtypes=NUMERIC + ("int32",)),
    OpInfo("scalar_div", lambda t, x: x / 4, lambda x: x / 4, list(UNARY), dtypes=NUMERIC + ("int32",)),
    OpInfo("scalar_rdiv", lambda t, x: 2.0 / x, lambda x: 2.0 / x, list(UNARY), dtypes=NUMERIC, domain="nonzero"),
    OpInfo("scalar_pow", lambda t, x: x ** 2, lambda x: x ** 2, list(UNARY), dtypes=NUMERIC,
           variants=(lambda t, x: t.pow(x, 2), lambda t, x: x.pow(2))),
    OpInfo("scalar_pow_half", lambda t, x: x ** 0.5, lambda x: x ** 0.5, list(UNARY), domain="pos"),
    OpInfo("scalar_pow_neg", lambda t, x: x ** -1.5, lambda x: x ** -1.5, list(UNARY), domain="pos"),
    OpInfo("scalar_pow_zero", lambda t, x: x ** 0, lambda x: x ** 0, list(UNARY), dtypes=NUMERIC),
    OpInfo("scalar_rpow", lambda t, x: 2 ** x, lambda x: 2.0 ** x, list(UNARY),
           variants=(lambda t, x: t.pow(2, x),)),
    OpInfo("scalar_mod", lambda t, x: x % 1.5, lambda x: x % 1.5, list(UNARY), dtypes=NUMERIC, domain=(-3, 3)),
    OpInfo("scalar_floordiv", lambda t, x: x // 2, lambda x: x // 2, list(UNARY), dtypes=NUMERIC, grad=False),
    OpInfo("neg", lambda t, x: -x, lambda x: -x, list(UNARY), dtypes=NUMERIC,
           variants=(lambda t, x: t.neg(x), lambda t, x: x.neg()), errors=[E(np.array([True]))]),
    # -- unary maths --
    unary("exp", np.exp),
    unary("log", np.log, domain="pos"),
    unary("log1p", np.log1p, domain=(-0.8, 2)),
    unary("expm1", np.expm1),
    unary("log2", np.log2, domain="pos"),
    unary("log10", np.log10, domain="pos"),
    unary("sqrt", np.sqrt, domain="pos"),
    unary("rsqrt", lambda x: 1 / np.sqrt(x), domain="pos"),
    unary("sin", np.sin),
    unary("cos", np.cos),
    unary("tan", np.tan, domain=(-1.2, 1.2)),
    unary("tanh", np.tanh),
    unary("sigmoid", _sigmoid),
    unary("relu", lambda x: np.maximum(x, 0), dtypes=NUMERIC),
    unary("abs", np.abs, dtypes=NUMERIC, extra=(lambda t, x: abs(x),)),
    unary("sign", np.sign, dtypes=NUMERIC),
    unary("floor", np.floor, dtypes=NUMERIC, domain=(-3, 3)),
    unary("ceil", np.ceil, dtypes=NUMERIC, domain=(-3, 3)),
    unary("round", np.round, dtypes=NUMERIC, domain=(-3, 3)),
    unary("trunc", np.trunc, dtypes=NUMERIC, domain=(-3, 3)),
    unary("square", np.square, dtypes=NUMERIC),
    unary("reciprocal", np.reciprocal, domain="nonzero"),
    unary("erf", _erf),
    OpInfo("round_decimals", lambda t, x: t.round(x, decimals=2), lambda x: np.round(x, 2),
           list(UNARY), variants=(lambda t, x: x.round(decimals=2),)),
    OpInfo("sigmoid_extreme", lambda t, x: t.sigmoid(x), _sigmoid, [S(np.array([-800.0, -30.0, 0.0, 30.0, 800.0]),
                                                                       fd=False)]),
    # -- clamp --
    method("clamp", lambda x, **k: np.clip(x, k.get("min"), k.get("max")),
           [S((3, 4), min=-0.5), S((3, 4), max=0.5), S((2, 3), min=-0.5, max=0.5), S((), min=0.0)],
           dtypes=NUMERIC, errors=[E((3,))]),
    OpInfo("clamp_tensor", lambda t, x, lo, hi: t.clamp(x, min=lo, max=hi), lambda x, lo, hi: np.minimum(
        np.maximum(x, lo), hi), [S((3, 4), (4,), (3, 1)), S((4,), (3, 4), (3, 1)), S((3, 4), (3, 4), (3, 4))],
           domain=[(-2, 2), (-1, 0.5), (-0.5, 1)],
           variants=(lambda t, x, lo, hi: x.clamp(lo, hi), lambda t, x, lo, hi: x.clip(lo, hi))),
    OpInfo("clip", lambda t, x: t.clip(x, -0.5, 0.5), lambda x: np.clip(x, -0.5, 0.5), list(UNARY)),
    OpInfo("clamp_min", lambda t, x: t.clamp_min(x, 0.1), lambda x: np.maximum(x, 0.1), list(UNARY)),
    OpInfo("clamp_max", lambda t, x: x.clamp_max(0.1), lambda x: np.minimum(x, 0.1), list(UNARY)),
    # -- comparisons and logic (bool results) --
    *[binary(n, f, o, dtypes=NUMERIC, grad=False, samples=BINARY + [S(np.array([1., 2, 3]), np.array([1., 0, 3]))])
      for n, f, o in [("eq", np.equal, lambda t, x, y: x == y), ("ne", np.not_equal, lambda t, x, y: x != y),
                      ("lt", np.less, lambda t, x, y: x < y), ("le", np.less_equal, lambda t, x, y: x <= y),
                      ("gt", np.greater, lambda t, x, y: x > y), ("ge", np.greater_equal, lambda t, x, y: x >= y)]],
    OpInfo("compare_scalar", lambda t, x: x > 0.5, lambda x: x > 0.5, list(UNARY), dtypes=NUMERIC, grad=False,
           variants=(lambda t, x: 0.5 < x,)),
    OpInfo("eq_scalar", lambda t, x: x == 1, lambda x: x == 1, list(UNARY), dtypes=NUMERIC, grad=False),
    OpInfo("and", lambda t, x, y: x & y, np.logical_and, list(BINARY), dtypes=("bool",), grad=False,
           variants=(lambda t, x, y: t.logical_and(x, y),)),
    OpInfo("or", lambda t, x, y: x | y, np.logical_or, list(BINARY), dtypes=("bool",), grad=False,
           variants=(lambda t, x, y: t.logical_or(x, y),)),
    OpInfo("xor", lambda t, x, y: x ^ y, np.logical_xor, list(BINARY), dtypes=("bool",), grad=False),
    OpInfo("bitwise_int", lambda t, x, y: x & y, np.bitwise_and, list(BINARY), dtypes=("int64",), grad=False,
           variants=(lambda t, x, y: t.bitwise_and(x, y),)),
    OpInfo("invert", lambda t, x: ~x, np.logical_not, list(UNARY), dtypes=("bool",), grad=False,
           variants=(lambda t, x: t.logical_not(x), lambda t, x: x.logical_not())),
    OpInfo("isnan", lambda t, x: t.isnan(x / x), lambda x: np.isnan(_nan_div(x, x)), [S(np.array([0.0, 1.0, -2.0]))],
           grad=False),
    # -- where / masked_fill / lerp --
    OpInfo("where", lambda t, c, x, y: t.where(c, x, y), np.where,
           [S(MASK34, (3, 4), (3, 4)), S(MASK34[:1], (3, 1), (4,)), S(MASK34, (3, 4), ())], dtypes=NUMERIC,
           variants=(lambda t, c, x, y: x.where(c, y),),
           errors=[E(np.ones((3, 4)), (3, 4), (3, 4)), E(MASK34, (3, 4), (2, 4))]),
    OpInfo("where_scalar", lambda t, c, x: t.where(c, x, 0.0), lambda c, x: np.where(c, x, 0.0),
           [S(MASK34, (3, 4))]),
    OpInfo("masked_fill", lambda t, x, m: t.masked_fill(x, m, -1.5), lambda x, m: np.where(m, -1.5, x).astype(x.dtype),
           [S((3, 4), MASK34), S((3, 4), MASK34[:1]), S((2, 3, 4), MASK34)], dtypes=NUMERIC,
           variants=(lambda t, x, m: x.masked_fill(m, -1.5),),
           errors=[E((3, 4), np.ones((3, 4))), E((3, 4), np.ones((2, 4), bool))]),
    OpInfo("masked_fill_tensor", lambda t, x, m, v: x.masked_fill(m, v), lambda x, m, v: np.where(m, v, x),
           [S((3, 4), MASK34, ())]),
    OpInfo("lerp", lambda t, x, y: t.lerp(x, y, 0.3), lambda x, y: x + 0.3 * (y - x), list(BINARY[:2]),
           variants=(lambda t, x, y: x.lerp(y, 0.3),)),
    OpInfo("lerp_tensor", lambda t, x, y, w: t.lerp(x, y, w), lambda x, y, w: x + w * (y - x),
           [S((3, 4), (3, 4), (3, 4)), S((3, 4), (3, 4), (4,))], domain=[(-2, 2), (-2, 2), (0, 1)]),
    # -- reductions --
    method("sum", lambda x, dim=None, keepdim=False: np.sum(x, axis=_ax(dim) or None, keepdims=keepdim),
           [S((3, 4)), S((3, 4), dim=1), S((2, 3, 4), dim=(0, 2), keepdim=True), S((2, 3, 4), dim=-1, keepdim=True),
            S(()), S((2, 3, 4), dim=[0, 1]), S((3, 4), dim=(), keepdim=False)],
           dtypes=NUMERIC + ("int32", "bool"), errors=[E((3, 4), dim=2, exc=IndexError)]),
    method("mean", lambda x, dim=None, keepdim=False: np.mean(x, axis=_ax(dim), keepdims=keepdim),
           [S((3, 4)), S((3, 4), dim=1), S((2, 3, 4), dim=(0, 2), keepdim=True), S(()), S((2, 3, 4), dim=-2)],
           errors=[E(np.arange(6)), E((3, 4), dim=(0, 0))]),
    method("prod", lambda x, dim=None, keepdim=False: np.prod(x, axis=dim, keepdims=keepdim),
           [S((3, 4)), S((3, 4), dim=1), S((2, 3, 4), dim=-1, keepdim=True),
            S(np.array([[1.5, 0.0, 2.0], [0.0, 0.0, 3.0]]), dim=1), S(np.array([[1.5, 0.0], [2.0, -1.0]]))],
           dtypes=NUMERIC),
    method("var", _var, [S((3, 4)), S((3, 4), dim=1), S((2, 3, 4), dim=(0, 2), keepdim=True),
                         S((3, 4), unbiased=False), S((3, 4), dim=1, correction=0), S((2, 5), dim=1, correction=2)]),
    method("std", lambda x, **k: _var(x, fn=np.std, **k),
           [S((3, 4)), S((3, 4), dim=0), S((2, 3, 4), dim=(1, 2), keepdim=True, unbiased=False),
            S((3, 4), dim=1, correction=0)]),
    method("max", _max(np.max, np.argmax), [S((3, 4)), S((3, 4), dim=1), S((2, 3, 4), dim=-1, keepdim=True),
                                            S(np.array([[1., 3, 3], [0, 3, -1]]), fd=False), S((4,), dim=0)],
           dtypes=NUMERIC, errors=[E((3, 4), dim=2, exc=IndexError), E(np.zeros((0,)))]),
    method("min", _max(np.min, np.argmin), [S((3, 4)), S((3, 4), dim=0), S((2, 3, 4), dim=1, keepdim=True),
                                            S(np.array([[1., 0, 0], [0, 3, -1]]), fd=False)], dtypes=NUMERIC),
    OpInfo("max_binary", lambda t, x, y: t.max(x, y), np.maximum, list(BINARY),
           variants=(lambda t, x, y: x.max(y),)),
    OpInfo("min_binary", lambda t, x, y: t.min(x, y), np.minimum, list(BINARY)),
    method("amax", lambda x, dim=(), keepdim=False: np.max(x, axis=None if dim == () else _ax(dim), keepdims=keepdim),
           [S((3, 4), dim=1), S((2, 3, 4), dim=(0, 2), keepdim=True), S(np.array([[1., 3, 3], [0, 3, -1]]), dim=1,
                                                                          fd=False)]),
    method("amin", lambda x, dim=(), keepdim=False: np.min(x, axis=None if dim == () else _ax(dim), keepdims=keepdim),
           [S((3, 4), dim=0), S((2, 3, 4), dim=(1, 2))]),
    method("argmax", lambda x, dim=None, keepdim=False: np.argmax(x, axis=dim, keepdims=keepdim),
           [S((3, 4)), S((3, 4), dim=1), S((2, 3, 4), dim=0, keepdim=True)], dtypes=NUMERIC, grad=False),
    method("argmin", lambda x, dim=None, keepdim=False: np.argmin(x, axis=dim, keepdims=keepdim),
           [S((3, 4)), S((3, 4), dim=1), S((2, 3, 4), dim=-1, keepdim=True)], dtypes=NUMERIC, grad=False),
    method("logsumexp", _logsumexp, [S((3, 4), dim=1), S((2, 3, 4), dim=(0, 2), keepdim=True), S((3, 4), dim=-2),
                                     S(np.array([[500.0, 500.0], [-1.0, 2.0]]), dim=1)]),
    method("norm", _norm, [S((3, 4)), S((3, 4), p=1), S((2, 3, 4), p=3, dim=1), S((3, 4), p=float("inf"), dim=1),
                           S((2, 3, 4), p="fro", dim=(0, 2)), S((3, 4), p=2, dim=1, keepdim=True)]),
    method("all", lambda x, dim=None, keepdim=False: np.all(x, axis=dim, keepdims=keepdim),
           [S((3, 4)), S((3, 4), dim=1), S((2, 3, 4), dim=0, keepdim=True)], dtypes=("bool", "float32", "int64"),
           grad=False),
    method("any", lambda x, dim=None, keepdim=False: np.any(x, axis=dim, keepdims=keepdim),
           [S((3, 4)), S((3, 4), dim=1), S((2, 3, 4), dim=-1, keepdim=True)], dtypes=("bool", "float32", "int64"),
           grad=False),
    method("cumsum", lambda x, dim: np.cumsum(x, axis=dim), [S((3, 4), dim=0), S((2, 3, 4), dim=-1), S((5,), dim=0)],
           dtypes=NUMERIC + ("int32",)),
    method("cumprod", lambda x, dim: np.cumprod(x, axis=dim), [S((3, 4), dim=1), S((5,), dim=0),
                                                           S(np.array([[2.0, 0, 3, 0], [0.5, 1.5, 0, 2]]), dim=1)],
           domain="nonzero"),
    method("count_nonzero", lambda x, dim=None: np.count_nonzero(x, axis=dim),
           [S(np.array([[0, 1, 2], [0, 0, 3]])), S(np.array([[0, 1, 2], [0, 0, 3]]), dim=1)], dtypes=("int64",),
           grad=False),
    method("softmax", lambda x, dim: _softmax(x, dim), [S((3, 4), dim=1), S((2, 3, 4), dim=0), S((2, 3, 4), dim=-1),
                                                         S(np.array([[800.0, 0.0, -800.0]]), dim=1, fd=False)],
           errors=[E((3, 4), dim=2, exc=IndexError)]),
    method("log_softmax", lambda x, dim: x - _logsumexp(x, dim, True), [S((3, 4), dim=1), S((2, 3, 4), dim=1),
                                                                    S(np.array([[50.0, 0.0, -50.0]]), dim=1)]),
    # -- shape --
    OpInfo("reshape", lambda t, x: t.reshape(x, (2, 6)), lambda x: x.reshape(2, 6), [S((3, 4)), S((2, 6))],
           dtypes=NUMERIC + ("bool",), variants=(lambda t, x: x.reshape(2, 6), lambda t, x: x.reshape(2, -1)),
           errors=[E((3, 5), exc=RuntimeError, match=r"shape '\[2, 6\]' is invalid for input of size 15")]),
    OpInfo("reshape_flat", lambda t, x: x.reshape(-1), lambda x: x.reshape(-1), list(UNARY)),
    OpInfo("view", lambda t, x: x.view(4, 3), lambda x: x.reshape(4, 3), [S((3, 4)), S((2, 6))], noncontig=False,
           variants=(lambda t, x: x.view((4, -1)),)),
    OpInfo("view_as", lambda t, x, y: x.view_as(y), lambda x, y: x.reshape(y.shape), [S((3, 4), (6, 2))],
           noncontig=False),
    OpInfo("reshape_as", lambda t, x, y: x.reshape_as(y), lambda x, y: x.reshape(y.shape), [S((3, 4), (6, 2))]),
    method("flatten", lambda x, start_dim=0, end_dim=-1: x.reshape(
        x.shape[:start_dim] + (-1,) + (x.shape[end_dim:][1:] if end_dim != -1 else ())) if x.ndim else x.reshape(1),
           [S((2, 3, 4)), S((2, 3, 4), start_dim=1), S((2, 3, 4), start_dim=0, end_dim=1), S(())]),
    OpInfo("unflatten", lambda t, x: x.unflatten(1, (3, 4)), lambda x: x.reshape(2, 3, 4), [S((2, 12))],
           variants=(lambda t, x: x.unflatten(-1, (3, -1)), lambda t, x: t.unflatten(x, 1, (3, 4)))),
    method("squeeze", lambda x, dim=None: np.squeeze(x, axis=dim) if dim is None or x.shape[dim] == 1 else x,
           [S((3, 1, 4)), S((3, 1, 4), dim=1), S((3, 1, 4), dim=0), S((1, 1))]),
    OpInfo("squeeze_tuple", lambda t, x: x.squeeze((1, 3)), lambda x: x.reshape(2, 3), [S((2, 1, 3, 1))]),
    method("unsqueeze", lambda x, dim: np.expand_dims(x, dim), [S((3, 4), dim=0), S((3, 4), dim=-1), S((), dim=0),
                                                                 S((3, 4), dim=1)],
           errors=[E((3, 4), dim=3, exc=IndexError)]),
    method("transpose", lambda x, dim0, dim1: np.swapaxes(x, dim0, dim1),
           [S((2, 3, 4), dim0=0, dim1=2), S((3, 4), dim0=0, dim1=1), S((3, 4), dim0=-1, dim1=-1)],
           dtypes=NUMERIC),
    OpInfo("permute", lambda t, x: x.permute(2, 0, 1), lambda x: np.transpose(x, (2, 0, 1)), [S((2, 3, 4))],
           variants=(lambda t, x: t.permute(x, (2, 0, 1)), lambda t, x: x.permute((-1, 0, 1))),
           errors=[E((3, 4)), E((2, 3, 4, 1))]),
    OpInfo("t", lambda t, x: x.t(), lambda x: x.T, [S((3, 4)), S((4,)), S(())], variants=(lambda t, x: t.t(x),)),
    OpInfo("T", lambda t, x: x.T, lambda x: x.T, [S((3, 4))]),
    OpInfo("mT", lambda t, x: x.mT, lambda x: np.swapaxes(x, -1, -2), [S((3, 4)), S((2, 3, 4))]),
    OpInfo("movedim", lambda t, x: t.movedim(x, 0, 2), lambda x: np.moveaxis(x, 0, 2), [S((2, 3, 4))]),
    OpInfo("expand", lambda t, x: x.expand(2, 3, 4), lambda x: np.broadcast_to(x, (2, 3, 4)),
           [S((3, 1)), S((1, 4)), S(()), S((3, 4))], variants=(lambda t, x: x.expand([2, 3, 4]),),
           errors=[E((3, 2))]),
    OpInfo("expand_as", lambda t, x, y: x.expand_as(y), lambda x, y: np.broadcast_to(x, y.shape),
           [S((3, 1), (2, 3, 4))]),
    OpInfo("broadcast_to", lambda t, x: t.broadcast_to(x, (2, 3, 4)), lambda x: np.broadcast_to(x, (2, 3, 4)),
           [S((3, 1))]),
    OpInfo("repeat", lambda t, x: x.repeat(2, 1, 3), lambda x: np.tile(x, (2, 1, 3)), [S((2, 3)), S((3,))],
           dtypes=NUMERIC),
    OpInfo("tile", lambda t, x: x.tile((2, 2)), lambda x: np.tile(x, (2, 2)), [S((2, 3))]),
    OpInfo("flip", lambda t, x: x.flip(0), lambda x: np.flip(x, 0), [S((3, 4)), S((2, 3, 4))],
           variants=(lambda t, x: t.flip(x, (0,)), lambda t, x: x.flip([0]))),
    OpInfo("flip2", lambda t, x: x.flip(0, -1), lambda x: np.flip(x, (0, -1)), [S((3, 4))]),
    OpInfo("roll", lambda t, x: t.roll(x, 1, 1), lambda x: np.roll(x, 1, 1), [S((3, 4))]),
    OpInfo("narrow", lambda t, x: x.narrow(1, 1, 2), lambda x: x[:, 1:3], [S((3, 4))]),
    OpInfo("select", lambda t, x: x.select(1, -1), lambda x: x[:, -1], [S((3, 4))]),
    method("chunk", _chunk, [S((5, 4), chunks=2), S((6,), chunks=3), S((3, 4), chunks=3, dim=1)]),
    OpInfo("split", lambda t, x: t.split(x, 2), lambda x: _split(x, 2), [S((5, 4)), S((4,))],
           variants=(lambda t, x: x.split(2), lambda t, x: x.split(2, dim=0))),
    OpInfo("split_sizes", lambda t, x: x.split([1, 3], 1), lambda x: _split(x, [1, 3], 1), [S((3, 4))],
           variants=(lambda t, x: t.split(x, [1, 3], dim=1),)),
    method("unbind", lambda x, dim=0: tuple(np.moveaxis(x, dim, 0)), [S((3, 4)), S((3, 4), dim=1)]),
    OpInfo("cat", lambda t, x, y, z: t.cat([x, y, z], dim=1), lambda x, y, z: np.concatenate([x, y, z], 1),
           [S((3, 1), (3, 4), (3, 2)), S((2, 2, 3), (2, 1, 3), (2, 3, 3))], dtypes=NUMERIC,
           variants=(lambda t, x, y, z: t.cat((x, y, z), -1 if x.ndim == 2 else 1),),
           errors=[E((3, 1), (2, 4), (3, 2), match="Sizes of tensors must match except in dimension 1"),
                   E((3, 1), (3,), (3, 2))]),
    OpInfo("cat0", lambda t, x, y: t.cat([x, y]), lambda x, y: np.concatenate([x, y]), [S((2, 3), (1, 3))]),
    OpInfo("stack", lambda t, x, y: t.stack([x, y], dim=1), lambda x, y: np.stack([x, y], 1),
           [S((3, 4), (3, 4)), S((3,), (3,))], variants=(lambda t, x, y: t.stack((x, y), -x.ndim),),
           errors=[E((3, 4), (3, 5))]),
    OpInfo("hstack", lambda t, x, y: t.hstack([x, y]), lambda x, y: np.hstack([x, y]), [S((3, 2), (3, 4))]),
    OpInfo("vstack", lambda t, x, y: t.vstack([x, y]), lambda x, y: np.vstack([x, y]), [S((2, 4), (4,))]),
    OpInfo("contiguous", lambda t, x: x.contiguous(), lambda x: x, list(UNARY)),
    OpInfo("clone", lambda t, x: x.clone(), lambda x: x.copy(), list(UNARY), dtypes=NUMERIC,
           variants=(lambda t, x: t.clone(x),)),
    OpInfo("sum_to_size", lambda t, x: x.sum_to_size(3, 1), lambda x: x.sum(1, keepdims=True), [S((3, 4))]),
    OpInfo("diagonal", lambda t, x: t.diagonal(x), lambda x: np.diagonal(x).copy(), [S((3, 4)), S((4, 3))],
           variants=(lambda t, x: x.diagonal(),)),
    OpInfo("diagonal_offset", lambda t, x: x.diagonal(1, 1, 2), lambda x: np.diagonal(x, 1, 1, 2).copy(),
           [S((2, 3, 4))]),
    OpInfo("trace", lambda t, x: t.trace(x), lambda x: np.trace(x), [S((3, 3)), S((3, 4))]),
    OpInfo("tril", lambda t, x: t.tril(x), np.tril, [S((3, 4)), S((2, 3, 3))], variants=(lambda t, x: x.tril(),)),
    OpInfo("triu", lambda t, x: x.triu(1), lambda x: np.triu(x, 1), [S((3, 4))]),
    # -- indexing --
    OpInfo("getitem_int", lambda t, x: x[1], lambda x: x[1], [S((3, 4)), S((3,))], dtypes=NUMERIC),
    OpInfo("getitem_slices", lambda t, x: x[1:, ::2], lambda x: x[1:, ::2], [S((3, 4)), S((4, 5, 2))]),
    OpInfo("getitem_none_ellipsis", lambda t, x: x[None, ..., 1], lambda x: x[None, ..., 1], [S((3, 4)),
                                                                                            S((2, 3, 4))]),
    OpInfo("getitem_neg", lambda t, x: x[-1, -3:], lambda x: x[-1, -3:], [S((3, 4))]),
    OpInfo("getitem_list_dup", lambda t, x: x[[0, 2, 0, 0]], lambda x: x[[0, 2, 0, 0]], [S((3, 4)), S((3,))]),
    OpInfo("getitem_tensor_idx", lambda t, x, i: x[i], lambda x, i: x[i], [S((3, 4), np.array([[0, 1], [2, 0]]))]),
    OpInfo("getitem_two_idx", lambda t, x, i, j: x[i, j], lambda x, i, j: x[i, j],
           [S((3, 4), np.array([0, 2, 0]), np.array([1, 3, 1])), S((3, 4), np.array([[0], [2]]), np.array([1, 3]))]),
    OpInfo("getitem_mixed", lambda t, x, i: x[:, i, 1:], lambda x, i: x[:, i, 1:],
           [S((2, 3, 4), np.array([2, 0, 2]))]),
    OpInfo("getitem_mask", lambda t, x, m: x[m], lambda x, m: x[m], [S((3, 4), MASK34), S((3, 4), MASK34[:, 0])],
           dtypes=NUMERIC),
    OpInfo("gather", lambda t, x, i: t.gather(x, 1, i), lambda x, i: _gather(x, 1, i),
           [S((2, 3), IDX), S((2, 5), IDX), S((3, 4), IDX[:, :2])], variants=(lambda t, x, i: x.gather(1, i),),
           dtypes=NUMERIC, errors=[E((2, 3), IDX.astype(float)), E((2, 2), IDX)]),
    OpInfo("gather0", lambda t, x, i: x.gather(0, i), lambda x, i: _gather(x, 0, i),
           [S((3, 4), np.array([[0, 1, 2, 0], [2, 2, 2, 2]]))]),
    OpInfo("scatter", lambda t, x, i, s: t.scatter(x, 1, i, s), lambda x, i, s: _scatter(x, 1, i, s),
           [S((2, 3), np.array([[0, 2], [1, 0]]), (2, 2)), S((2, 4), np.array([[3], [1]]), (2, 3), torch_grad=False)],
           variants=(lambda t, x, i, s: x.scatter(1, i, s),)),
    OpInfo("scatter_value", lambda t, x, i: x.scatter(1, i, 0.5), lambda x, i: _scatter(x, 1, i, 0.5),
           [S((2, 3), np.array([[0, 2], [1, 0]]))]),
    OpInfo("scatter_add", lambda t, x, i, s: t.scatter_add(x, 1, i, s), lambda x, i, s: _scatter(x, 1, i, s, True),
           [S((2, 3), IDX, (2, 4)), S((2, 3), np.array([[0, 0], [1, 1]]), (2, 3), torch_grad=False)],
           variants=(lambda t, x, i, s: x.scatter_add(1, i, s),), dtypes=NUMERIC),
    OpInfo("index_select", lambda t, x, i: t.index_select(x, 1, i), lambda x, i: np.take(x, i, axis=1),
           [S((3, 4), np.array([0, 3, 0])), S((2, 3, 4), np.array([2]))], dtypes=NUMERIC,
           variants=(lambda t, x, i: x.index_select(1, i),), errors=[E((3, 4), np.array([[0, 1]]), exc=IndexError)]),
    OpInfo("masked_select", lambda t, x, m: t.masked_select(x, m), lambda x, m: np.broadcast_to(x, np.broadcast_shapes(
        x.shape, m.shape))[np.broadcast_to(m, np.broadcast_shapes(x.shape, m.shape))],
           [S((3, 4), MASK34), S((4,), MASK34), S((3, 4), MASK34[:1])], variants=(lambda t, x, m: x.masked_select(m),),
           errors=[E((3, 4), np.ones((3, 4)))]),
    OpInfo("take_along_dim", lambda t, x, i: t.take_along_dim(x, i, 1), lambda x, i: np.take_along_axis(x, i, 1),
           [S((2, 3), IDX)]),
    # -- matrix products --
    OpInfo("matmul", lambda t, x, y: t.matmul(x, y), _matmul,
           [S((3, 4), (4, 5)), S((4,), (4,)), S((4,), (4, 2)), S((3, 4), (4,)), S((2, 3, 4), (4, 5)),
            S((3, 4), (2, 4, 5)), S((2, 1, 3, 4), (3, 4, 2)), S((4,), (2, 4, 3)), S((2, 3, 4), (4,))],
           variants=(lambda t, x, y: x @ y, lambda t, x, y: x.matmul(y)),
           errors=[E((2, 3), (4, 5), match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"),
                   E((2, 3, 4), (2, 5, 3)), E((3,), (4,)), E((), (3,))]),
    OpInfo("mm", lambda t, x, y: t.mm(x, y), _matmul, [S((3, 4), (4, 5))], variants=(lambda t, x, y: x.mm(y),),
           errors=[E((3, 4), (5, 4), match=r"mat1 and mat2 shapes cannot be multiplied \(3x4 and 5x4\)"),
                   E((3,), (3, 4))]),
    OpInfo("bmm", lambda t, x, y: t.bmm(x, y), _matmul, [S((2, 3, 4), (2, 4, 5))],
           variants=(lambda t, x, y: x.bmm(y),), errors=[E((2, 3, 4), (3, 4, 5)), E((3, 4), (4, 5))]),
    OpInfo("dot", lambda t, x, y: t.dot(x, y), np.dot, [S((4,), (4,))], variants=(lambda t, x, y: x.dot(y),),
           errors=[E((4,), (3,)), E((2, 2), (2, 2))]),
    OpInfo("outer", lambda t, x, y: t.outer(x, y), np.outer, [S((3,), (4,))], variants=(lambda t, x, y: x.outer(y),)),
    OpInfo("mv", lambda t, x, y: t.mv(x, y), _matmul, [S((3, 4), (4,))]),
    OpInfo("addmm", lambda t, b, x, y: t.addmm(b, x, y), lambda b, x, y: b + x @ y, [S((5,), (3, 4), (4, 5))]),
    OpInfo("einsum_mm", lambda t, x, y: t.einsum("ij,jk->ik", x, y), lambda x, y: x @ y, [S((3, 4), (4, 5))]),
    OpInfo("einsum_batch", lambda t, x, y: t.einsum("bij,bkj->bik", x, y), lambda x, y: np.einsum("bij,bkj->bik", x, y),
           [S((2, 3, 4), (2, 5, 4))]),
    OpInfo("einsum_diag_trace", lambda t, x: t.einsum("ii", x), np.trace, [S((3, 3))]),
    OpInfo("einsum_implicit", lambda t, x, y: t.einsum("i,j", x, y), np.outer, [S((3,), (4,))]),
    # -- dtype conversions (differentiable) --
    OpInfo("float", lambda t, x: x.float(), lambda x: x.astype(np.float32), NO_FD, dtypes=NUMERIC),
    OpInfo("double", lambda t, x: x.double(), lambda x: x.astype(np.float64), list(UNARY), dtypes=NUMERIC),
    OpInfo("long", lambda t, x: x.long(), lambda x: x.astype(np.int64), list(UNARY), dtypes=NUMERIC, grad=False),
    OpInfo("int", lambda t, x: x.int(), lambda x: x.astype(np.int32), list(UNARY), dtypes=NUMERIC, grad=False),
    OpInfo("bool", lambda t, x: x.bool(), lambda x: x.astype(bool), list(UNARY), dtypes=NUMERIC, grad=False),
    OpInfo("to_dtype", lambda t, x: x.to(t.float32) * 2, lambda x: x.astype(np.float32) * 2, NO_FD,
           dtypes=NUMERIC, variants=(lambda t, x: x.to(dtype=t.float32) * 2,)),
    OpInfo("type_as", lambda t, x, y: x.type_as(y), lambda x, y: x.astype(y.dtype),
           [S((3, 4), Const(np.zeros(2, dtype=np.float64)))],
           dtypes=NUMERIC),
    OpInfo("detach", lambda t, x: x.detach() * x, lambda x: x * x, NO_FD),
    # -- elementwise ops with edge-case semantics (more in test_elementwise_edges.py) --
    OpInfo("fmod", lambda t, x, y: _op(t, "fmod")(x, y), np.fmod, list(BINARY), dtypes=NUMERIC,
           domain=[(-3, 3), "nonzero"], errors=list(BINARY_ERRORS)),
    OpInfo("fmod_scalar", lambda t, x: _op(t, "fmod")(x, -1.5), lambda x: np.fmod(x, -1.5), list(UNARY)),
    OpInfo("fmax", lambda t, x, y: _op(t, "fmax")(x, y), np.fmax, list(BINARY), dtypes=NUMERIC),
    OpInfo("fmin", lambda t, x, y: _op(t, "fmin")(x, y), np.fmin, list(BINARY), dtypes=NUMERIC),
    OpInfo("frac", lambda t, x: _op(t, "frac")(x), lambda x: x - np.trunc(x), list(UNARY), domain=(-3, 3)),
    OpInfo("nan_to_num", lambda t, x: _op(t, "nan_to_num")(x, nan=1.0), lambda x: np.nan_to_num(x, nan=1.0),
           list(UNARY)),
    OpInfo("float_power", lambda t, x, y: _op(t, "float_power")(x, y), lambda x, y: np.power(
        x.astype(np.float64), y.astype(np.float64)), list(BINARY), domain=["pos", (-2, 2)]),
    # -- reductions and shape ops on 0-d inputs and other edges (more in test_reduction_edges.py) --
    OpInfo("sum_0d_dim", lambda t, x: x.sum(0, keepdim=True), lambda x: x, [S(())]),
    OpInfo("prod_0d_dim", lambda t, x: x.prod(-1), lambda x: x, [S(())]),
    OpInfo("cumsum_0d", lambda t, x: x.cumsum(-1), lambda x: x, [S(())]),
    OpInfo("cumprod_0d", lambda t, x: x.cumprod(0), lambda x: x, [S(())]),
    OpInfo("logsumexp_0d", lambda t, x: x.logsumexp(0), lambda x: x, [S(())]),
    OpInfo("amax_0d", lambda t, x: x.amax(-1), lambda x: x, [S(())]),
    OpInfo("flip_0d", lambda t, x: x.flip(0), lambda x: x, [S(())]),
    OpInfo("hstack_0d", lambda t, x, y: t.hstack([x, y]), lambda x, y: np.hstack([x, y]), [S((), ())]),
    OpInfo("roll_pairs", lambda t, x: x.roll((1, -2), (0, 1)), lambda x: np.roll(x, (1, -2), (0, 1)), [S((3, 4))]),
    OpInfo("movedim_tuples", lambda t, x: x.movedim((0, 1), (2, 0)), lambda x: np.moveaxis(x, (0, 1), (2, 0)),
           [S((2, 3, 4))]),
]


def _op(lib, name):
    """``lib.name``; for minitorch, from ops.elementwise when the top level does not export it (yet)."""
    if hasattr(lib, name):
        return getattr(lib, name)
    from minitorch.ops import elementwise

    return getattr(elementwise, name)


OPS_BY_NAME = {op.name: op for op in OPS}
assert len(OPS_BY_NAME) == len(OPS), "duplicate op names in the table"
