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


def _cdist(x1, x2, p):
    d = np.abs(x1[..., :, None, :] - x2[..., None, :, :])
    if p == 0:
        return (d != 0).sum(-1).astype(d.dtype)
    if p == np.inf:
        return d.max(-1)
    return (d ** p).sum(-1) ** (1 / p)


def _diag_embed(x, offset=0, dim1=-2, dim2=-1):
    n = x.shape[-1] + abs(offset)
    out = np.zeros(x.shape[:-1] + (n, n), dtype=x.dtype)
    i = np.arange(x.shape[-1])
    out[..., i + max(-offset, 0), i + max(offset, 0)] = x
    return np.moveaxis(out, (-2, -1), (dim1 % (x.ndim + 1), dim2 % (x.ndim + 1)))


def _block_diag(*xs):
    xs = [np.atleast_2d(x) for x in xs]
    out = np.zeros((sum(x.shape[0] for x in xs), sum(x.shape[1] for x in xs)), dtype=np.result_type(*xs))
    r = c = 0
    for x in xs:
        out[r:r + x.shape[0], c:c + x.shape[1]] = x
        r, c = r + x.shape[0], c + x.shape[1]
    return out


IDX = np.array([[0, 2, 1, 2], [1, 0, 0, 0]])  # for inputs of shape (2, 3) or (2, 4) gathered along dim 1
MASK34 = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, False]])

# ---- references for the sorting ops: stable order, which is PyTorch's for rows without ties (test_sorting.py) ----
def _sort_ref(x, dim=-1, descending=False, stable=None):
    if x.ndim == 0:
        return x, np.array(0)
    if descending:
        n = x.shape[dim]
        idx = (n - 1) - np.flip(np.argsort(np.flip(x, dim), axis=dim, kind="stable"), dim)
    else:
        idx = np.argsort(x, axis=dim, kind="stable")
    return np.take_along_axis(x, idx, dim), idx


def _topk_ref(x, k, dim=-1, largest=True, sorted=True):
    v, i = _sort_ref(x, dim, largest)
    return (v, i) if x.ndim == 0 else (np.take(v, range(k), dim), np.take(i, range(k), dim))


def _pick_ref(x, pos, dim, keepdim):
    if x.ndim == 0:
        return x, np.array(0)
    v, i = _sort_ref(x, dim)
    v, i = np.take(v, [pos], dim), np.take(i, [pos], dim)
    return (v, i) if keepdim else (v.squeeze(dim), i.squeeze(dim))


def _kthvalue_ref(x, k, dim=-1, keepdim=False):
    return _pick_ref(x, k - 1, dim, keepdim)


def _median_ref(x, dim=None, keepdim=False, nan=False):
    if dim is None:
        flat = np.sort(x.reshape(-1))
        flat = flat[~np.isnan(flat)] if nan else flat
        return flat[(flat.size - 1) // 2] if flat.size else np.array(np.nan)
    if not nan:
        return _pick_ref(x, (x.shape[dim] - 1) // 2, dim, keepdim)
    rows = np.moveaxis(x, dim, -1)
    vals, idxs = np.empty(rows.shape[:-1]), np.empty(rows.shape[:-1], dtype=np.int64)
    for r in np.ndindex(*rows.shape[:-1]):
        order = [i for i in np.argsort(rows[r], kind="stable") if not np.isnan(rows[r][i])] or [0]
        idxs[r] = order[(len(order) - 1) // 2]
        vals[r] = rows[r][idxs[r]]
    return (np.expand_dims(vals, dim), np.expand_dims(idxs, dim)) if keepdim else (vals, idxs)


def _mode_ref(x, dim=-1, keepdim=False):
    """The smallest of the most frequent values and its last index."""
    if x.ndim == 0:
        return x, np.array(0)
    rows = np.moveaxis(x, dim, -1)
    vals, idxs = np.empty(rows.shape[:-1], x.dtype), np.empty(rows.shape[:-1], dtype=np.int64)
    for r in np.ndindex(*rows.shape[:-1]):
        u, c = np.unique(rows[r], return_counts=True)
        vals[r] = u[np.argmax(c)]
        idxs[r] = np.nonzero(rows[r] == vals[r])[0][-1]
    return (np.expand_dims(vals, dim), np.expand_dims(idxs, dim)) if keepdim else (vals, idxs)


def _cum_ref(x, dim, fn):
    if x.ndim == 0:
        return x, np.array(0)
    m = fn.accumulate(x, axis=dim)
    pos = np.arange(x.shape[dim]).reshape([-1 if d == dim else 1 for d in range(x.ndim)])
    return m, np.maximum.accumulate(np.where(x == m, pos, 0), axis=dim)


def _unique_ref(x, return_inverse=False, return_counts=False, dim=None, **kw):
    out = np.unique(x, return_inverse=return_inverse, return_counts=return_counts, axis=dim)
    if isinstance(out, tuple) and return_inverse:
        out = (out[0], out[1].reshape(x.shape if dim is None else -1)) + out[2:]
    return out


def _logcumsumexp_ref(x, dim):
    with np.errstate(invalid="ignore"):
        return np.logaddexp.accumulate(x, axis=dim) if x.ndim else x



def _unique_consecutive_ref(x, return_inverse=False, return_counts=False, dim=None):
    rows = x.reshape(-1, 1) if dim is None else np.moveaxis(x, dim, 0).reshape(x.shape[dim], -1)
    new = np.concatenate([[True], (rows[1:] != rows[:-1]).any(axis=1)])
    out = rows[new].reshape(-1) if dim is None else np.moveaxis(np.moveaxis(x, dim, 0)[new], 0, dim)
    starts = np.nonzero(new)[0]
    extra = ((np.cumsum(new) - 1).reshape(x.shape if dim is None else -1),) if return_inverse else ()
    extra += (np.diff(np.append(starts, len(rows))),) if return_counts else ()
    return (out,) + extra if extra else out

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
    # -- inverse/hyperbolic trig and special functions (trigonometric.py; more in test_trigonometric.py) --
    unary("asin", np.arcsin, domain=(-0.9, 0.9), dtypes=NUMERIC, extra=(lambda t, x: t.arcsin(x),)),
    unary("acos", np.arccos, domain=(-0.9, 0.9), dtypes=NUMERIC, extra=(lambda t, x: x.arccos(),)),
    unary("atan", np.arctan, dtypes=NUMERIC, extra=(lambda t, x: t.arctan(x),)),
    unary("sinh", np.sinh, dtypes=NUMERIC),
    unary("cosh", np.cosh, dtypes=NUMERIC),
    unary("asinh", np.arcsinh, dtypes=NUMERIC, extra=(lambda t, x: t.arcsinh(x),)),
    unary("acosh", np.arccosh, domain=(1.1, 3.0), dtypes=NUMERIC, extra=(lambda t, x: x.arccosh(),)),
    unary("atanh", np.arctanh, domain=(-0.9, 0.9), extra=(lambda t, x: t.arctanh(x),)),
    unary("exp2", np.exp2, dtypes=NUMERIC),
    unary("deg2rad", np.deg2rad, dtypes=NUMERIC),
    unary("rad2deg", np.rad2deg, dtypes=NUMERIC),
    unary("sinc", np.sinc, dtypes=NUMERIC, domain=(-2.5, 2.5)),
    unary("lgamma", lambda x: _special("gammaln")(x), domain=(0.1, 4.0), dtypes=NUMERIC),
    OpInfo("lgamma_neg", lambda t, x: t.lgamma(x), lambda x: _special("gammaln")(x), list(UNARY), domain=(-2.9, -2.1)),
    unary("digamma", lambda x: _special("psi")(x), domain=(0.1, 4.0), dtypes=NUMERIC),
    OpInfo("digamma_neg", lambda t, x: x.digamma(), lambda x: _special("psi")(x), list(UNARY), domain=(-0.9, -0.1)),
    OpInfo("polygamma", lambda t, x: t.polygamma(1, x), lambda x: _special("polygamma")(1, x), list(UNARY),
           domain=(0.2, 4.0), variants=(lambda t, x: x.polygamma(1),)),
    unary("erfc", lambda x: _special("erfc")(x), domain=(-3.0, 3.0)),
    unary("erfinv", lambda x: _special("erfinv")(x), domain=(-0.95, 0.95)),
    method("logit", lambda x, eps=None: np.log(np.clip(x, eps, 1 - eps) / (1 - np.clip(x, eps, 1 - eps))) if eps
           else np.log(x / (1 - x)), [S((3, 4)), S((3, 4), eps=0.2), S(())], domain=(0.05, 0.95)),
    OpInfo("positive", lambda t, x: t.positive(x), lambda x: x, list(UNARY), dtypes=NUMERIC,
           variants=(lambda t, x: x.positive(),)),
    binary("atan2", np.arctan2, dtypes=NUMERIC, samples=BINARY),
    binary("hypot", np.hypot),
    binary("logaddexp", np.logaddexp),
    binary("logaddexp2", np.logaddexp2),
    binary("copysign", np.copysign, dtypes=NUMERIC, domain=["nonzero", (-2, 2)]),
    OpInfo("copysign_scalar", lambda t, x: t.copysign(x, -1.5), lambda x: np.copysign(x, -1.5), list(UNARY),
           domain="nonzero", dtypes=NUMERIC, variants=(lambda t, x: x.copysign(-1.5),)),
    binary("xlogy", lambda x, y: x * np.log(y), domain=[(-2, 2), "pos"], dtypes=NUMERIC),
    OpInfo("xlogy_scalar", lambda t, x: t.xlogy(x, 3.0), lambda x: x * np.log(3.0), list(UNARY),
           variants=(lambda t, x: x.xlogy(3.0),)),
    OpInfo("xlogy_scalar_self", lambda t, y: t.xlogy(2.0, y), lambda y: 2.0 * np.log(y), list(UNARY), domain="pos"),
    binary("heaviside", lambda x, v: np.heaviside(x, v).astype(x.dtype), grad=False, dtypes=NUMERIC),
    # -- layout (ops/layout.py): more views, splits and stacks; in-place view ops on a copy (the input keeps its shape) --
    OpInfo("ravel", lambda t, x: t.ravel(x), lambda x: x.reshape(-1), list(UNARY), dtypes=NUMERIC,
           variants=(lambda t, x: x.ravel(),)),
    OpInfo("moveaxis", lambda t, x: t.moveaxis(x, 0, -1), lambda x: np.moveaxis(x, 0, -1), [S((2, 3, 4))],
           variants=(lambda t, x: x.moveaxis((0,), (2,)),)),
    OpInfo("fliplr", lambda t, x: t.fliplr(x), np.fliplr, [S((3, 4)), S((2, 3, 4))], dtypes=NUMERIC,
           variants=(lambda t, x: x.fliplr(),), errors=[E((3,), match=r"Input must be >= 2-d\.")]),
    OpInfo("flipud", lambda t, x: t.flipud(x), np.flipud, [S((3, 4)), S((4,))], variants=(lambda t, x: x.flipud(),),
           errors=[E((), match=r"Input must be >= 1-d\.")]),
    OpInfo("hsplit", lambda t, x: t.hsplit(x, 2), lambda x: tuple(np.hsplit(x, 2)), [S((3, 4)), S((4,)), S((2, 4, 3))],
           variants=(lambda t, x: x.hsplit(2),),
           errors=[E((3, 5), match="not divisible by the split_size 2"), E((), match="at least 1 dimension")]),
    OpInfo("hsplit_indices", lambda t, x: x.hsplit([1, 3]), lambda x: tuple(np.hsplit(x, [1, 3])), [S((3, 4)), S((5,))],
           variants=(lambda t, x: t.hsplit(x, (1, 3)),)),
    OpInfo("vsplit", lambda t, x: t.vsplit(x, [3, 1]), lambda x: tuple(np.vsplit(x, [3, 1])), [S((4, 3)), S((4, 2, 3))],
           errors=[E((4,), match="at least 2 dimension")]),
    OpInfo("dsplit", lambda t, x: t.dsplit(x, 2), lambda x: tuple(np.dsplit(x, 2)), [S((2, 3, 4))],
           variants=(lambda t, x: x.dsplit([2]),), errors=[E((2, 4)), E((2, 3, 3))]),
    OpInfo("dstack", lambda t, x, y: t.dstack([x, y]), lambda x, y: np.dstack([x, y]),
           [S((3,), (3,)), S((2, 3), (2, 3)), S((2, 3, 1), (2, 3, 2)), S((), ())], dtypes=NUMERIC,
           errors=[E((3,), (2, 3))]),
    OpInfo("column_stack", lambda t, x, y: t.column_stack((x, y)), lambda x, y: np.column_stack([x, y]),
           [S((3,), (3, 2)), S((), ()), S((3, 2), (3,))], dtypes=NUMERIC, errors=[E((3,), (4,))]),
    OpInfo("row_stack", lambda t, x, y: t.row_stack([x, y]), lambda x, y: np.vstack([x, y]), [S((3,), (2, 3))]),
    OpInfo("atleast_1d", lambda t, x: t.atleast_1d(x), np.atleast_1d, [S(()), S((3,)), S((2, 3))]),
    OpInfo("atleast_2d", lambda t, x: t.atleast_2d(x), np.atleast_2d, [S(()), S((3,)), S((2, 3))]),
    OpInfo("atleast_3d", lambda t, x: t.atleast_3d(x), np.atleast_3d, [S(()), S((3,)), S((2, 3)), S((2, 1, 3))]),
    OpInfo("atleast_3d_many", lambda t, x, y: t.atleast_3d(x, y), lambda x, y: tuple(np.atleast_3d(x, y)),
           [S((), (3,)), S((2, 3), (4,))], variants=(lambda t, x, y: t.atleast_3d([x, y]),)),
    OpInfo("adjoint", lambda t, x: t.adjoint(x), lambda x: np.swapaxes(x, -1, -2), [S((3, 4)), S((2, 3, 4))],
           variants=(lambda t, x: x.adjoint(), lambda t, x: x.mH), errors=[E((3,), match=r"Got 1-D tensor\.")]),
    OpInfo("H", lambda t, x: x.H, lambda x: x.T, [S((3, 4))]),
    OpInfo("squeeze_", lambda t, x: x.clone().squeeze_(), np.squeeze, [S((3, 1, 4)), S((1, 1))]),
    OpInfo("squeeze_dim_", lambda t, x: x.clone().squeeze_(1), lambda x: np.squeeze(x, 1), [S((3, 1, 4))],
           variants=(lambda t, x: x.clone().squeeze_((1,)),)),
    OpInfo("unsqueeze_", lambda t, x: x.clone().unsqueeze_(1), lambda x: np.expand_dims(x, 1), [S((3, 4)), S((3,))],
           errors=[E((), exc=IndexError)]),
    OpInfo("t_", lambda t, x: x.clone().t_(), lambda x: x.T, [S((3, 4)), S((4,)), S(())], errors=[E((2, 3, 4))]),
    OpInfo("transpose_", lambda t, x: x.clone().transpose_(0, -1), lambda x: np.swapaxes(x, 0, -1),
           [S((2, 3, 4)), S((3, 4))],
           variants=(lambda t, x: x.clone().swapdims_(0, -1), lambda t, x: x.clone().swapaxes_(-1, 0))),
    # -- writing through indices (ops/index_put.py) --
    OpInfo("index_copy", lambda t, x, s, i, dim=0: t.index_copy(x, dim, i, s),
           lambda x, s, i, dim=0: _index_copy(x, s, i, dim),
           [S((3, 4), (2, 4), np.array([2, 0])), S((3, 4), (3, 2), np.array([3, 0]), dim=1)], dtypes=NUMERIC,
           variants=(lambda t, x, s, i, dim=0: x.index_copy(dim, i, s),
                     lambda t, x, s, i, dim=0: x.clone().index_copy_(dim, i, s)),
           errors=[E((3, 4), (2, 4), np.array([2, 0], dtype=np.int32)), E((3, 4), (2, 5), np.array([2, 0])),
                   E((3, 4), (2, 4), np.array([2, 3]), exc=IndexError), E((3, 4), (2, 4), np.array([2]), exc=IndexError)]),
    OpInfo("index_put", lambda t, x, v, i, j: t.index_put(x, (i, j), v), lambda x, v, i, j: _index_put(x, v, (i, j)),
           [S((3, 4), (3,), np.array([0, 2, 1]), np.array([1, 1, 2])), S((3, 4), (), np.array([[0], [2]]), np.array([1, 3]))],
           dtypes=NUMERIC, variants=(lambda t, x, v, i, j: x.index_put((i, j), v),
                                     lambda t, x, v, i, j: x.clone().index_put_([i, j], v)),
           errors=[E((3, 4), (2,), np.array([0, 2, 1]), np.array([1, 1, 2])), E((3, 4), (), np.array([0, 3]), np.array([0, 0]),
                                                                                exc=IndexError)]),
    OpInfo("index_put_accumulate", lambda t, x, v, i, j: x.index_put((i, j), v, accumulate=True),
           lambda x, v, i, j: _index_put(x, v, (i, j), True),
           [S((3, 4), (3,), np.array([0, 0, 1]), np.array([1, 1, 2])), S((3, 4), (1,), np.array([2, 2]), np.array([3, 3]))],
           dtypes=NUMERIC, variants=(lambda t, x, v, i, j: t.index_put_(x.clone(), (i, j), v, True),)),
    OpInfo("index_put_rows", lambda t, x, v, i: x.index_put((i,), v, accumulate=True),
           lambda x, v, i: _index_put(x, v, (i,), True),
           [S((3, 4), (4,), np.array([0, 2, 0])), S((3, 4), (3, 1), np.array([1, 1, 1]))]),
    OpInfo("index_put_mask", lambda t, x, v, m: x.index_put((m,), v), lambda x, v, m: _index_put(x, v, (m,)),
           [S((3, 4), (), MASK34), S((3, 4), (4,), MASK34[:, 0])], errors=[E((3, 4), (), MASK34[:2], exc=IndexError)]),
    OpInfo("put", lambda t, x, s, i: t.put(x, i, s), lambda x, s, i: _put_ref(x, s, i),
           [S((3, 4), (3,), np.array([0, 5, -1])), S((3, 4), (2, 2), np.array([[0, 1], [11, 4]]))], dtypes=NUMERIC,
           variants=(lambda t, x, s, i: x.put(i, s), lambda t, x, s, i: x.clone().put_(i, s)),
           errors=[E((3, 4), (2,), np.array([0, 12]), exc=IndexError), E((3, 4), (3,), np.array([0, 1]), exc=IndexError)]),
    OpInfo("put_accumulate", lambda t, x, s, i: x.put(i, s, accumulate=True), lambda x, s, i: _put_ref(x, s, i, True),
           [S((3, 4), (3,), np.array([0, 5, 5])), S((2, 3), (2, 2), np.array([[0, -1], [-1, 0]]))], dtypes=NUMERIC,
           variants=(lambda t, x, s, i: x.clone().put_(i, s, True),)),
    OpInfo("masked_scatter", lambda t, x, m, s: t.masked_scatter(x, m, s), lambda x, m, s: _masked_scatter_ref(x, m, s),
           [S((3, 4), MASK34, (2, 7)), S((4,), MASK34, (12,)), S((3, 4), MASK34[:1], (6,))], dtypes=NUMERIC,
           variants=(lambda t, x, m, s: x.masked_scatter(m, s),),
           errors=[E((3, 4), MASK34.astype(np.float32), (12,)), E((3, 4), MASK34, (5,)), E((2, 4), MASK34, (12,))]),
    OpInfo("masked_scatter_", lambda t, x, m, s: x.clone().masked_scatter_(m, s), lambda x, m, s: _masked_scatter_ref(x, m, s),
           [S((3, 4), MASK34, (2, 7)), S((3, 4), MASK34[0], (12,))], errors=[E((3,), MASK34, (12,))]),
    *[OpInfo(f"scatter_reduce_{r}", lambda t, x, i, s, r=r, dim=0, **k: t.scatter_reduce(x, dim, i, s, r, **k),
             lambda x, i, s, r=r, dim=0, **k: _scatter_reduce_ref(x, i, s, r, dim, **k),
             [S((4,), np.array([0, 1, 0, 1, 2, 1]), (6,)), S((4,), np.array([0, 1, 0, 1, 2, 1]), (6,), include_self=False),
              S((2, 3), np.array([[0, 1, 0, 2], [1, 1, 2, 0]]), (2, 4), dim=1),
              S((2, 3), np.array([[0, 1, 0], [1, 1, 1]]), (2, 4), dim=1, include_self=False, torch_grad=False)],
             dtypes=NUMERIC,
             variants=(lambda t, x, i, s, r=r, dim=0, **k: x.scatter_reduce(dim, i, s, reduce=r, **k),
                       lambda t, x, i, s, r=r, dim=0, **k: x.clone().scatter_reduce_(dim, i, s, r, **k)),
             errors=[E((4,), np.array([0, 4]), (2,)), E((4,), np.array([0.0, 1.0]), (2,)),
                     E((2, 3), np.array([0, 1]), (2,))])
      for r in ("sum", "prod", "mean", "amax", "amin")],
    OpInfo("scatter_reduce_ties", lambda t, x, i, s, r="amax", **k: x.scatter_reduce(0, i, s, r, **k),
           lambda x, i, s, r="amax", **k: _scatter_reduce_ref(x, i, s, r, 0, **k),
           [S(np.array([1.0, 3.0, 3.0]), np.array([0, 0, 1, 1, 2]), np.array([2.0, 2.0, 3.0, 1.0, 3.0]), fd=False),
            S(np.array([1.0, 3.0, 3.0]), np.array([0, 0, 1, 1, 2]), np.array([2.0, 2.0, 3.0, 1.0, 3.0]), r="amin", fd=False),
            S(np.array([1.0, 3.0, 3.0]), np.array([0, 0, 1, 1, 2]), np.array([1.0, 2.0, 3.0, 3.0, 3.0]), include_self=False,
              fd=False)]),
    OpInfo("scatter_reduce_prod_zeros", lambda t, x, i, s, **k: x.scatter_reduce(0, i, s, "prod", **k),
           lambda x, i, s, **k: _scatter_reduce_ref(x, i, s, "prod", 0, **k),
           [S(np.array([0.0, 2.0, 3.0, 1.5]), np.array([0, 0, 1, 1, 2]), np.array([2.0, -1.5, 0.0, 1.5, 0.5])),
            S(np.array([0.0, 2.0, 3.0, 1.5]), np.array([0, 0, 1, 1, 2]), np.array([2.0, 0.0, 0.0, 1.5, 0.5]),
              include_self=False)]),
    OpInfo("index_fill_top", lambda t, x, i: t.index_fill(x, 1, i, -1.5), lambda x, i: _index_fill_ref(x, i),
           [S((3, 4), np.array([0, 3, 0]))], variants=(lambda t, x, i: x.index_fill(1, i, -1.5),)),
    # -- binning: not differentiable (more, with bincount and histc's data range, in test_binning.py) --
    OpInfo("searchsorted", lambda t, s, v, **k: t.searchsorted(s, v, **k), lambda s, v, **k: _searchsorted_ref(s, v, **k),
           [S(Const(np.array([-4.0, -1, 0, 0, 2, 3])), (3, 4)), S(Const(np.array([-4.0, -1, 0, 0, 2, 3])), (3, 4), right=True),
            S(Const(np.array([[-3.0, -1, 1, 1, 4], [-5, -2, 0, 2, 3]])), (2, 6), side="right"),
            S(Const(np.array([-4, -1, 0, 0, 2, 3])), (), out_int32=True)],
           dtypes=NUMERIC, grad=False,
           errors=[E(Const(np.array([[1.0, 2], [3, 4]])), (3, 2)), E(Const(np.array([1.0, 2])), (3,), side="middle")]),
    OpInfo("bucketize", lambda t, x, b, **k: t.bucketize(x, b, **k), lambda x, b, **k: _searchsorted_ref(b, x, **k),
           [S((3, 4), Const(np.array([-4.0, -1, 0, 0, 2, 3]))), S((2, 3, 4), Const(np.array([-1, 0, 2])), right=True),
            S((), Const(np.array([-1.0, 1.0])))],
           dtypes=NUMERIC, grad=False, errors=[E((3,), Const(np.array([[1.0, 2]])))]),
    OpInfo("histc", lambda t, x, **k: t.histc(x, **k), lambda x, bins, min, max: np.histogram(x, bins, (min, max))[0]
           .astype(x.dtype), [S((3, 4), bins=5, min=-2, max=2), S((30,), bins=3, min=-1, max=1.5)],
           grad=False, variants=(lambda t, x, **k: x.histc(**k),), errors=[E((3,), bins=0, min=0, max=1)]),
    # -- products.py / add_products.py (more tests in test_products.py) --
    OpInfo("baddbmm", lambda t, i, a, b, **k: t.baddbmm(i, a, b, **k),
           lambda i, a, b, beta=1, alpha=1: beta * i + alpha * (a @ b),
           [S((2, 3, 4), (2, 3, 5), (2, 5, 4)), S((3, 1), (2, 3, 5), (2, 5, 4), beta=3, alpha=2),
            S((4,), (2, 3, 5), (2, 5, 4), beta=0)], dtypes=NUMERIC,
           variants=(lambda t, i, a, b, **k: i.baddbmm(a, b, **k),),
           errors=[E((3, 3), (2, 3, 5), (2, 5, 4)), E((2, 3, 4), (2, 3, 5), (3, 5, 4), match="batch2 tensor"),
                   E((2, 3, 4), (3, 5), (2, 5, 4))]),
    OpInfo("addbmm", lambda t, i, a, b, **k: t.addbmm(i, a, b, **k),
           lambda i, a, b, beta=1, alpha=1: beta * i + alpha * (a @ b).sum(0),
           [S((3, 4), (2, 3, 5), (2, 5, 4)), S((4,), (2, 3, 5), (2, 5, 4), beta=3, alpha=2)], dtypes=NUMERIC,
           variants=(lambda t, i, a, b, **k: i.addbmm(a, b, **k),),
           errors=[E((3, 4), (2, 3, 5), (3, 5, 4), match="same number of batches"),
                   E((3, 4), (2, 3, 5), (2, 4, 4), match=r"Incompatible matrix sizes for bmm \(3x5 and 4x4\)")]),
    OpInfo("addmv", lambda t, i, a, b, **k: t.addmv(i, a, b, **k),
           lambda i, a, b, beta=1, alpha=1: beta * i + alpha * (a @ b),
           [S((3,), (3, 4), (4,)), S((1,), (3, 4), (4,), beta=3, alpha=2), S((), (3, 4), (4,))], dtypes=NUMERIC,
           variants=(lambda t, i, a, b, **k: i.addmv(a, b, **k),),
           errors=[E((2,), (3, 4), (4,), match=r"size mismatch, got input \(2\), mat \(3x4\), vec \(4\)"),
                   E((3, 1), (3, 4), (4,), match="vector \\+ matrix @ vector expected, got 2, 2, 1")]),
    OpInfo("addr", lambda t, i, a, b, **k: t.addr(i, a, b, **k),
           lambda i, a, b, beta=1, alpha=1: beta * i + alpha * np.outer(a, b),
           [S((3, 4), (3,), (4,)), S((4,), (3,), (4,), beta=3, alpha=2), S((3, 1), (3,), (4,), beta=0)],
           dtypes=NUMERIC, variants=(lambda t, i, a, b, **k: i.addr(a, b, **k),),
           errors=[E((3, 3), (3,), (4,), match=r"expanded size of the tensor \(4\)"),
                   E((3, 4), (3, 1), (4,), match="addr: Expected 1-D argument vec1, but got 2-D")]),
    OpInfo("addmm_method", lambda t, i, a, b: i.addmm(a, b, beta=2, alpha=3), lambda i, a, b: 2 * i + 3 * (a @ b),
           [S((3, 4), (3, 5), (5, 4)), S((4,), (3, 5), (5, 4))]),
    OpInfo("inner", lambda t, x, y: t.inner(x, y), np.inner, [S((2, 3), (4, 3)), S((3,), (3,)), S((), (2, 3))],
           dtypes=NUMERIC, variants=(lambda t, x, y: x.inner(y),),
           errors=[E((2, 3), (4, 2), match=r"inner\(\) the last dimension must match")]),
    OpInfo("kron", lambda t, x, y: t.kron(x, y), np.kron, [S((2, 3), (4, 3)), S((), (3,))],
           dtypes=NUMERIC, variants=(lambda t, x, y: x.kron(y),)),
    # PyTorch's own kron fails on some non-contiguous inputs ("view size is not compatible")
    OpInfo("kron_ndim", lambda t, x, y: t.kron(x, y), np.kron,
           [S((2, 3), (3,)), S((2, 1, 2), (2, 3)), S((2, 1, 2), (3, 2, 2))],
           dtypes=NUMERIC, noncontig=False),
    OpInfo("tensordot", lambda t, x, y, **k: t.tensordot(x, y, **k), lambda x, y, dims=2: np.tensordot(x, y, dims),
           [S((2, 3, 4), (3, 4, 5)), S((2, 3, 4), (4, 5), dims=1), S((2, 3), (4,), dims=0),
            S((2, 3, 4), (3, 5, 2), dims=([0, 1], [2, 0])), S((2, 3, 4), (4, 3), dims=[[-1, 1], [0, 1]])],
           dtypes=NUMERIC,
           errors=[E((2, 3, 4), (3, 5), dims=([1, 2], [0]), match="both dimension lists should have same length"),
                   E((2, 3, 4), (4, 5), dims=([1], [0]), match="contracted dimensions need to match"),
                   E((2, 3), (3, 5), dims=-1, match="tensordot expects dims >= 0"),
                   E((2, 3), (3, 5), dims=([5], [0]), exc=IndexError)]),
    OpInfo("cross", lambda t, x, y, **k: t.cross(x, y, **k), lambda x, y, dim: np.cross(x, y, axis=dim),
           [S((4, 3), (4, 3), dim=1), S((3, 4), (3, 1), dim=0), S((2, 3, 2), (1, 3, 2), dim=-2)], dtypes=NUMERIC,
           variants=(lambda t, x, y, **k: x.cross(y, **k),),
           errors=[E((4, 3), (4, 3), dim=0, match="linalg.cross: inputs dimension 0 must have length 3. Got 4 and 4"),
                   E((4, 3), (3,), dim=1, match="same number of dimensions"), E((4, 3), (4, 3), dim=2, exc=IndexError)]),
    OpInfo("cdist", lambda t, x, y, **k: t.cdist(x, y, **k), lambda x, y, p=2.0: _cdist(x, y, p),
           [S((4, 3), (5, 3)), S((2, 4, 3), (1, 5, 3), p=1.0), S((2, 4, 3), (5, 3), p=float("inf")),
            S((4, 3), (5, 3), p=3.0), S((4, 3), (5, 3), p=1.5), S((4, 3), (5, 3), p=0.0),
            S(np.array([[0.0, 1.0], [1.0, 2.0]]), np.array([[0.0, 1.0], [2.0, 2.0]]), fd=False)],
           gradgrad=False,  # PyTorch's CdistBackward has no backward (minitorch's has: see test_products.py)
           errors=[E((3,), (5, 3), match="cdist only supports at least 2D tensors, X1 got: 1D"),
                   E((4, 3), (5, 2), match="X1 and X2 must have the same number of columns. X1: 3 X2: 2"),
                   E((4, 3), (5, 3), p=-1.0, match="cdist only supports non-negative p values"),
                   E((2, 4, 3), (3, 5, 3), match=r"size of tensor a \(2\) must match the size of tensor b \(3\)")]),
    OpInfo("diag", lambda t, x, *a: t.diag(x, *a), lambda x, *a: np.diag(x, *a).copy(),
           [S((3,)), S((3,), 1), S((3,), -2), S((3, 4)), S((3, 4), -1), S((4, 3), 2), S((3, 4), 5)], dtypes=NUMERIC,
           variants=(lambda t, x, *a: x.diag(*a),),
           errors=[E((2, 3, 4), match=r"diag\(\): Supports 1D or 2D tensors. Got 3D"), E(())]),
    OpInfo("diag_embed", lambda t, x, *a: t.diag_embed(x, *a), lambda x, *a: _diag_embed(x, *a),
           [S((2, 3)), S((2, 3), 1, 0, 2), S((2, 3), -1, 2, 0), S((4,), 2), S((0,))], dtypes=NUMERIC,
           variants=(lambda t, x, *a: x.diag_embed(*a),),
           errors=[E((2, 3), 0, 0, 0, match="diagonal dimensions cannot be identical 0, 0"),
                   E((2, 3), 0, 0, 5, exc=IndexError)]),
    OpInfo("block_diag", lambda t, *xs: t.block_diag(*xs), lambda *xs: _block_diag(*xs),
           [S((2, 2), (), (3,)), S((0, 2), (3, 0), (1, 2))], dtypes=NUMERIC,
           errors=[E((2,), (2, 2, 2), match="Input 1 has 3 dimensions")]),
    OpInfo("cartesian_prod", lambda t, *xs: t.cartesian_prod(*xs),
           lambda *xs: np.stack([g.ravel() for g in np.meshgrid(*xs, indexing="ij")], 1) if len(xs) > 1 else xs[0],
           [S((2,), (3,)), S((2,), (3,), (2,)), S((3,))], dtypes=NUMERIC,
           errors=[E((2,), (3, 1), match=r"Expect a 1D vector, but got shape \[3, 1\]")]),
    OpInfo("meshgrid", lambda t, *xs, **k: t.meshgrid(*xs, **k), lambda *xs, **k: tuple(np.meshgrid(*xs, **k)),
           [S((2,), (3,), indexing="ij"), S((2,), (3,), (4,), indexing="xy"), S((2,), (), indexing="ij"),
            S((3,), indexing="xy")], dtypes=NUMERIC,
           variants=(lambda t, *xs, **k: t.meshgrid(list(xs), **k),),
           errors=[E((2,), (3,), indexing="foo", match='indexing must be one of "xy" or "ij", but received: foo'),
                   E((2,), (3, 1), indexing="ij", match="Expected 0D or 1D tensor")]),
    OpInfo("diff", lambda t, x, *a, **k: t.diff(x, *a, **k), lambda x, *a, **k: np.diff(x, *a, **k),
           [S((5,)), S((3, 4), 2, 0), S((4,), 0), S((4,), 6)],
           dtypes=NUMERIC, variants=(lambda t, x, *a, **k: x.diff(*a, **k),),
           errors=[E((), match="diff expects input to be at least one-dimensional"),
                   E((4,), -1, match="order must be non-negative but got -1")]),
    OpInfo("diff_prepend_append", lambda t, x, p, a, n=1: t.diff(x, n, 0, prepend=p, append=a),
           lambda x, p, a, n=1: np.diff(x, n, 0, prepend=p, append=a),
           [S((3, 4), (1, 4), (2, 4)), S((3, 4), (2, 4), (1, 4), n=3)], dtypes=NUMERIC,
           errors=[E((3, 4), (1, 3), (1, 4), match=r"input.size\(1\) = 4, but got tensor.size\(1\) = 3"),
                   E((3, 4), (4,), (1, 4), match="diff expects prepend or append to be the same dimension as input")]),
    # -- sorting and order statistics (sorting.py; ties, NaN, errors and unique in test_sorting.py) --
    method("sort", _sort_ref, [S((3, 4)), S((2, 3, 4), dim=1, descending=True), S((5,), dim=0, stable=True),
                               S(np.array([[1., 3, 1, 2], [0, 0, 5, 0]]), fd=False), S(())], dtypes=NUMERIC,
           errors=[E((3, 4), dim=2, exc=IndexError)]),
    method("argsort", lambda x, dim=-1, descending=False, **k: _sort_ref(x, dim, descending)[1],
           [S((3, 4)), S((2, 3, 4), dim=0, descending=True)], dtypes=NUMERIC, grad=False),
    OpInfo("msort", lambda t, x: t.msort(x), lambda x: np.sort(x, 0), [S((4, 3)), S((5,))], dtypes=NUMERIC,
           variants=(lambda t, x: x.msort(),)),
    OpInfo("topk", lambda t, x, k, **kw: t.topk(x, k, **kw), _topk_ref,
           [S((3, 5), 2), S((2, 3, 4), 3, dim=1, largest=False), S((6,), 6), S((), 1)],
           variants=(lambda t, x, k, **kw: x.topk(k, **kw),),
           errors=[E((3, 4), 5), E((3, 4), 1, dim=2, exc=IndexError)]),
    OpInfo("kthvalue", lambda t, x, k, **kw: t.kthvalue(x, k, **kw), _kthvalue_ref,
           [S((3, 5), 2), S((2, 3, 4), 3, dim=1, keepdim=True), S((5,), 5), S((), 1)],
           variants=(lambda t, x, k, **kw: x.kthvalue(k, **kw),), errors=[E((3, 4), 0), E((3, 4), 5)]),
    method("median", _median_ref, [S((3, 4)), S((3, 5), dim=1), S((2, 3, 4), dim=0, keepdim=True), S(()),
                                   S(np.array([[1., 2, 2, 0], [3, 3, 3, 1]]), fd=False),
                                   S(np.array([[1., 2, 2, 0], [3, 3, 3, 1]]), dim=1, fd=False)],
           errors=[E(np.zeros((0, 3)), dim=0, exc=IndexError)]),
    method("nanmedian", lambda x, **k: _median_ref(x, nan=True, **k),
           [S((3, 4)), S((3, 5), dim=1), S(np.array([[1., np.nan, 2], [np.nan] * 3]), dim=1, fd=False),
            S(np.array([1., np.nan, 2, 0, np.nan]), fd=False)]),
    method("mode", _mode_ref, [S((3, 4)), S((2, 3, 4), dim=1, keepdim=True),
                               S(np.array([[1., 2, 2, 0, 1], [3, 0, 3, 1, 0]]), fd=False), S(())]),
    method("cummax", lambda x, dim: _cum_ref(x, dim, np.maximum), [S((3, 4), dim=1), S((2, 3, 4), dim=0),
                                                                    S(np.array([1., 3, 3, 0, 3]), dim=0, fd=False)],
           dtypes=NUMERIC),
    method("cummin", lambda x, dim: _cum_ref(x, dim, np.minimum), [S((3, 4), dim=0), S((), dim=0),
                                                                    S(np.array([1., 0, 2, 0, -1]), dim=0, fd=False)],
           dtypes=NUMERIC),
    method("unique", _unique_ref, [S((3, 4)), S(np.array([3., 1, 3, 2]), return_inverse=True, return_counts=True),
                                   S(np.array([[1., 2], [1, 2], [0, 5]]), dim=0, return_counts=True)],
           dtypes=NUMERIC, grad=False),
    method("unique_consecutive", _unique_consecutive_ref, [S(np.array([1., 1, 2, 2, 1]), return_inverse=True, return_counts=True),
                                               S(np.array([[1., 2], [1, 2], [0, 5]]), dim=0)],
           dtypes=NUMERIC, grad=False),
    method("nansum", lambda x, dim=None, keepdim=False: np.nansum(x, axis=None if dim == () else _ax(dim), keepdims=keepdim),
           [S((3, 4)), S((2, 3, 4), dim=(0, 2), keepdim=True), S((3, 4), dim=())], dtypes=NUMERIC),
    OpInfo("nansum_nan", lambda t, x, **k: t.nansum(x, **k), lambda x, **k: np.nansum(x, axis=k.get("dim")),
           [S(np.array([[1., np.nan], [np.nan, 2]]), dim=1, fd=False), S(np.array([np.nan, 2.]), fd=False)]),
    method("nanmean", lambda x, dim=None, keepdim=False: np.nanmean(x, axis=_ax(dim), keepdims=keepdim),
           [S((3, 4)), S((2, 3, 4), dim=1), S(np.array([[1., np.nan], [3, 2]]), dim=1, fd=False)],
           errors=[E(Const(np.array([1, 2])))]),
    method("logcumsumexp", lambda x, dim: _logcumsumexp_ref(x, dim),
           [S((3, 4), dim=1), S((2, 3, 4), dim=0), S(()  , dim=0), S(np.array([500., 1, 501]), dim=0),
            S(np.array([-np.inf, -np.inf, 1, -np.inf]), dim=0, fd=False)]),
    OpInfo("scaled_dot_product_attention",
           lambda t, q, k, v, *m, **kw: t.nn.functional.scaled_dot_product_attention(q, k, v, *m, **kw),
           lambda *a, **kw: _sdpa_ref(*a, **kw),
           [S((2, 3, 4), (2, 5, 4), (2, 5, 3)), S((2, 2, 3, 4), (2, 2, 3, 4), (2, 2, 3, 2), is_causal=True),
            S((3, 4), (5, 4), (5, 2), Const(np.array([[1, 0, 1, 1, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]], bool))),
            S((2, 3, 4), (2, 5, 4), (2, 5, 4), (3, 5), scale=0.7)]),
    OpInfo("interpolate", lambda t, x, **kw: t.nn.functional.interpolate(x, **kw), lambda x, **kw: _interp_ref(x, **kw),
           [S((2, 3, 4), size=7), S((1, 2, 3, 4), size=(5, 2)), S((1, 1, 2, 3, 2), size=(3, 4, 4)),
            S((2, 3, 5), size=3, mode="linear", align_corners=True),
            S((1, 2, 3, 4), size=(5, 7), mode="bilinear", align_corners=True),
            S((1, 2, 3, 4), size=(4, 6), mode="bicubic", align_corners=True),
            S((1, 1, 2, 3, 2), size=(3, 2, 4), mode="trilinear", align_corners=True),
            S((1, 2, 5, 4), size=(3, 3), mode="area"), S((1, 1, 3, 4, 5), size=(2, 3, 2), mode="area")],
           errors=[E((1, 2, 3, 4), size=3, align_corners=True, exc=ValueError, match="align_corners option"),
                   E((1, 2, 3), size=3, mode="bilinear", exc=NotImplementedError, match="bilinear mode needs 4D")]),
    OpInfo("pixel_shuffle", lambda t, x, r: t.nn.functional.pixel_shuffle(x, r), lambda x, r: _pixel_shuffle_ref(x, r),
           [S((2, 8, 3, 2), 2), S((9, 1, 2), 3)], errors=[E((1, 3, 2, 2), 2, match="divisible by the square")]),
    OpInfo("pixel_unshuffle", lambda t, x, r: t.nn.functional.pixel_unshuffle(x, r),
           lambda x, r: _pixel_unshuffle_ref(x, r), [S((2, 2, 4, 6), 2), S((1, 3, 3), 3)],
           errors=[E((1, 4, 3, 2), 2, match="height to be divisible")]),
    OpInfo("channel_shuffle", lambda t, x, g: t.nn.functional.channel_shuffle(x, g),
           lambda x, g: x.reshape(x.shape[0], g, -1, *x.shape[2:]).swapaxes(1, 2).reshape(x.shape),
           [S((2, 6, 3), 2), S((1, 6, 2, 2), 3)], errors=[E((1, 4, 2, 2), 3, match="divisible by groups")]),
]


def _special(name):
    """scipy.special.<name>, the reference for the special functions (those tests skip without SciPy)."""
    import pytest

    return getattr(pytest.importorskip("scipy.special"), name)


def _op(lib, name):
    """``lib.name``; for minitorch, from ops.elementwise when the top level does not export it (yet)."""
    if hasattr(lib, name):
        return getattr(lib, name)
    from minitorch.ops import elementwise

    return getattr(elementwise, name)


# ---- references for the layout / index_put entries ---------------------------------------------------------------
def _index_copy(x, s, i, dim=0):
    out = x.copy()
    np.moveaxis(out, dim, 0)[i] = np.moveaxis(s, dim, 0)
    return out


def _index_put(x, v, idx, accumulate=False):
    out = x.copy()
    if accumulate:
        np.add.at(out, idx, v)
    else:
        out[idx] = v
    return out


def _put_ref(x, s, i, accumulate=False):
    out = x.copy().reshape(-1)
    if accumulate:
        np.add.at(out, i.reshape(-1), s.reshape(-1))
    else:
        out[i.reshape(-1)] = s.reshape(-1)
    return out.reshape(x.shape)


def _masked_scatter_ref(x, m, s):
    shape = np.broadcast_shapes(x.shape, m.shape)
    out, mb = np.broadcast_to(x, shape).copy(), np.broadcast_to(m, shape)
    out[mb] = s.reshape(-1)[:int(mb.sum())]
    return out


def _scatter_reduce_ref(x, i, s, reduce, dim=0, include_self=True):
    """Loops over every (index position, target) pair: the definition, written plainly."""
    out = x.copy()
    groups = {}
    for pos in np.ndindex(*i.shape):
        target = pos[:dim] + (int(i[pos]),) + pos[dim + 1:]
        groups.setdefault(target, [x[target]] if include_self else []).append(s[pos])
    for target, vals in groups.items():
        vals = np.array(vals, dtype=x.dtype)
        if reduce == "mean":
            out[target] = vals.sum() / len(vals) if x.dtype.kind == "f" else vals.sum() // len(vals)
        else:
            out[target] = {"sum": np.sum, "prod": np.prod, "amax": np.max, "amin": np.min}[reduce](vals)
    return out


def _index_fill_ref(x, i):
    out = x.copy()
    out[:, i] = -1.5
    return out


OPS_BY_NAME = {op.name: op for op in OPS}
assert len(OPS_BY_NAME) == len(OPS), "duplicate op names in the table"


def _searchsorted_ref(s, v, right=False, side=None, out_int32=False):
    """np.searchsorted row by row (a 1-D sequence serves every value)."""
    side = side or ("right" if right else "left")
    dt = np.int32 if out_int32 else np.int64
    if s.ndim == 1:
        return np.asarray(np.searchsorted(s, v, side=side), dtype=dt)
    return np.stack([np.searchsorted(r, x, side=side) for r, x in zip(s, v)]).astype(dt)


def _sdpa_ref(q, k, v, mask=None, is_causal=False, scale=None):
    """softmax(q k^T * scale + bias) v, with rows that are entirely masked giving zeros."""
    scores = q @ np.swapaxes(k, -1, -2) * (1 / np.sqrt(q.shape[-1]) if scale is None else scale)
    if is_causal:
        mask = np.tril(np.ones(scores.shape[-2:], dtype=bool))
    if mask is not None:
        scores = np.where(mask, scores, -np.inf) if mask.dtype == bool else scores + mask
    top = np.max(scores, axis=-1, keepdims=True)
    e = np.exp(scores - np.where(np.isfinite(top), top, 0))
    total = e.sum(axis=-1, keepdims=True)
    return (np.where(total > 0, e / np.where(total > 0, total, 1), 0) @ v).astype(q.dtype)


# ---- references for the resampling entries (interpolate with size=, pixel/channel shuffles) ---------------------
def _interp_matrix(n_in, n_out, mode, align_corners):
    """(n_out, n_in) weights of one spatial dim: nearest (floor(o*in/out)), linear/cubic with align_corners, area."""
    m = np.zeros((n_out, n_in))
    for o in range(n_out):
        if mode == "nearest":
            m[o, min(int(np.floor(o * n_in / n_out)), n_in - 1)] = 1
        elif mode == "area":
            lo, hi = o * n_in // n_out, -(-(o + 1) * n_in // n_out)
            m[o, lo:hi] = 1 / (hi - lo)
        else:
            assert align_corners
            src = o * (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
            i = min(int(np.floor(src)), n_in - 1)
            t = src - i
            if mode != "bicubic":
                m[o, i] += 1 - t
                m[o, min(i + 1, n_in - 1)] += t
                continue
            a = -0.75
            near, far = (lambda x: ((a + 2) * x - (a + 3)) * x * x + 1), (lambda x: ((a * x - 5 * a) * x + 8 * a) * x - 4 * a)
            for k, w in zip(range(-1, 3), (far(t + 1), near(t), near(1 - t), far(2 - t))):
                m[o, min(max(i + k, 0), n_in - 1)] += w
    return m


def _interp_ref(x, size, mode="nearest", align_corners=None):
    size = (size,) * (x.ndim - 2) if isinstance(size, int) else size
    out = x
    for d, n_out in enumerate(size):
        m = _interp_matrix(x.shape[d + 2], n_out, mode, align_corners)
        out = np.moveaxis(np.tensordot(m, np.moveaxis(out, d + 2, 0), axes=1), 0, d + 2)
    return out.astype(x.dtype)


def _pixel_shuffle_ref(x, r):
    *b, c, h, w = x.shape
    y = x.reshape(*b, c // (r * r), r, r, h, w)
    nb = len(b)
    return y.transpose(*range(nb), nb, nb + 3, nb + 1, nb + 4, nb + 2).reshape(*b, c // (r * r), h * r, w * r)


def _pixel_unshuffle_ref(x, r):
    *b, c, h, w = x.shape
    y = x.reshape(*b, c, h // r, r, w // r, r)
    nb = len(b)
    return y.transpose(*range(nb), nb, nb + 2, nb + 4, nb + 1, nb + 3).reshape(*b, c * r * r, h // r, w // r)
