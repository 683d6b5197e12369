"""Op tests generated from the op table (op_db.py), for every op and sample:

(a) forward values (and every variant spelling) against the NumPy reference,
(b) gradients in float64 with a random upstream gradient against central
    differences, plus a full-Jacobian ``gradcheck``,
(c) the same lambda run on PyTorch: values, shapes, dtypes, first and
    second-order gradients, and the exception type on bad inputs.

Each runs on contiguous inputs and on non-contiguous ones (transposed or
strided views).
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

import minitorch

from . import _fd
from .op_db import OPS, Const

CASES = [pytest.param(op, i, id=f"{op.name}-{i}") for op in OPS for i in range(len(op.samples))]
GRAD_CASES = [pytest.param(op, i, id=f"{op.name}-{i}") for op in OPS if op.grad
              for i, s in enumerate(op.samples)]
ERROR_CASES = [pytest.param(op, j, id=f"{op.name}-{j}") for op in OPS for j in range(len(op.errors))]

_DOMAINS = {"pos": (0.5, 2.0), "nonzero": (0.5, 2.0)}
_TOL = {"float32": (1e-5, 1e-5), "float64": (1e-7, 1e-7)}


# ---- making inputs -------------------------------------------------------------------------------
def _rng(*key) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def _random(shape, dtype, domain, rng) -> np.ndarray:
    name = domain if isinstance(domain, str) else None
    lo, hi = _DOMAINS.get(name, domain)
    if dtype == "bool":
        return np.asarray(rng.random(shape) > 0.5)
    if dtype.startswith("int"):
        lo_i, hi_i = (1, 6) if name else (-5, 6)
        arr = rng.integers(lo_i, hi_i, size=shape)
    else:
        arr = rng.uniform(lo, hi, size=shape)
    if name == "nonzero":
        arr = arr * rng.choice([-1, 1], size=shape)
    return np.asarray(arr).astype(dtype)


def make_args(op, sample, dtype, rng) -> list:
    """``(value, differentiable)`` for each argument of ``sample``, as NumPy arrays or plain values."""
    out = []
    for i, a in enumerate(sample.args):
        domain = op.domain[i] if isinstance(op.domain, list) else op.domain
        if isinstance(a, tuple):
            out.append((_random(a, dtype, domain, rng), True))
        elif isinstance(a, Const):
            out.append((np.asarray(a.value), False))
        elif isinstance(a, np.ndarray) and a.dtype.kind == "f":
            out.append((a.astype(dtype), True))
        else:
            out.append((a, False))
    return out


def _noncontig(lib, arr):
    """A non-contiguous tensor equal to ``arr``: a transposed view (>= 2-D) or a strided slice (1-D)."""
    if arr.ndim >= 2:
        return lib.tensor(np.ascontiguousarray(np.swapaxes(arr, -1, -2))).transpose(-1, -2)
    big = np.zeros(arr.shape[:-1] + (2 * arr.shape[-1],), dtype=arr.dtype)
    big[..., ::2] = arr
    return lib.tensor(big)[..., ::2]


def to_lib(lib, args, noncontig=False, requires_grad=False) -> list:
    """The arguments as ``lib`` tensors (minitorch or torch), leaves that require grad where asked."""
    out = []
    for value, diff in args:
        if not isinstance(value, np.ndarray):
            out.append(value)
            continue
        t = _noncontig(lib, value) if noncontig and value.ndim >= 1 else lib.tensor(value)
        t = t.detach()
        if requires_grad and diff and t.dtype.is_floating_point:
            t.requires_grad_(True)
        out.append(t)
    return out


def _outputs(out) -> list:
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _np(t):
    return t.detach().numpy(force=True) if hasattr(t, "detach") else np.asarray(t)  # force: torch's ZeroTensor


def _dtype_name(t) -> str:
    return str(t.dtype).split(".")[-1]


def _layouts(op):
    return (False, True) if op.noncontig else (False,)


def _assert_close(got, expected, dtype, op, what):
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape, f"{what}: shape {got.shape} != expected {expected.shape}"
    floats = [a.dtype.name for a in (got, expected) if a.dtype.kind == "f"]
    rtol, atol = _TOL.get(min(floats, default=dtype), (0, 0))  # the less precise float dtype sets the tolerance
    if op.rtol is not None:
        rtol, atol = op.rtol, op.atol
    if got.dtype.kind in "biu" and expected.dtype.kind in "biu":
        np.testing.assert_array_equal(got, expected, err_msg=what)
    else:
        np.testing.assert_allclose(got.astype(np.float64), expected.astype(np.float64), rtol=rtol, atol=atol,
                                   err_msg=what, equal_nan=True)


def _has_grad_input(args) -> bool:
    return any(diff and isinstance(v, np.ndarray) for v, diff in args)


# ---- (a) forward against NumPy ---------------------------------------------------------------------
@pytest.mark.parametrize("op,i", CASES)
def test_forward_matches_numpy(op, i):
    sample = op.samples[i]
    for dtype in op.dtypes:
        args = make_args(op, sample, dtype, _rng(op.name, i, dtype))
        expected = _outputs(op.ref(*[v for v, _ in args], **sample.kwargs))
        for noncontig in _layouts(op):
            xs = to_lib(minitorch, args, noncontig)
            before = [x.numpy().copy() for x in xs if isinstance(x, minitorch.Tensor)]
            got = _outputs(op.fn(minitorch, *xs, **sample.kwargs))
            assert len(got) == len(expected), f"{op.name}: {len(got)} outputs, expected {len(expected)}"
            where = f"{op.name} sample {i} {dtype} {'non-contiguous' if noncontig else 'contiguous'}"
            for k, (g, e) in enumerate(zip(got, expected)):
                assert isinstance(g, minitorch.Tensor), f"{where}: output {k} is {type(g).__name__}"
                _assert_close(g.numpy(), e, dtype, op, f"{where} output {k}")
            for variant in op.variants:
                other = _outputs(variant(minitorch, *xs, **sample.kwargs))
                for k, (g, e) in enumerate(zip(other, got)):
                    _assert_close(g.numpy(), e.numpy(), dtype, op, f"{where} variant output {k}")
            after = [x.numpy() for x in xs if isinstance(x, minitorch.Tensor)]
            for b, a in zip(before, after):
                np.testing.assert_array_equal(a, b, err_msg=f"{where}: the op changed its input")


# ---- (b) gradients against finite differences --------------------------------------------------------
@pytest.mark.parametrize("op,i", GRAD_CASES)
def test_grad_finite_differences(op, i):
    sample = op.samples[i]
    args = make_args(op, sample, "float64", _rng(op.name, i, "grad"))
    if not sample.fd or not _has_grad_input(args):
        pytest.skip("not differentiable at this sample (compared with PyTorch instead)")

    def fn(*xs):
        return op.fn(minitorch, *xs, **sample.kwargs)

    for noncontig in _layouts(op):
        xs = to_lib(minitorch, args, noncontig, requires_grad=True)
        _fd.check_vjp(fn, xs, _rng(op.name, i, noncontig))
    xs = to_lib(minitorch, args, False, requires_grad=True)
    assert _fd.gradcheck(fn, xs)


# ---- (c) the same lambda on PyTorch ------------------------------------------------------------------
def _grads(lib, outs, xs, vs, create_graph=False):
    diff = [x for x in xs if getattr(x, "requires_grad", False)]
    gs = lib.autograd.grad(outs, diff, vs, allow_unused=True, create_graph=create_graph)
    return diff, gs


def _second_order(lib, fn, xs, vs, ws):
    """d/dx sum(w * (dL/dx)), with L = sum(v * fn(x)): the Hessian-vector product the op's backward implies."""
    outs = _fd.float_outputs(fn(lib, *xs)) if lib is minitorch else [o for o in _outputs(fn(lib, *xs))
                                                                      if o.dtype.is_floating_point]
    diff, gs = _grads(lib, outs, xs, [lib.tensor(v) for v in vs], create_graph=True)
    terms = [(g * lib.tensor(w)).sum() for g, w in zip(gs, ws) if g is not None and g.requires_grad]
    if not terms:
        return [np.zeros(tuple(x.shape)) for x in diff]
    s = terms[0]
    for t in terms[1:]:
        s = s + t
    hs = lib.autograd.grad(s, diff, allow_unused=True)
    return [np.zeros(tuple(x.shape)) if h is None else _np(h) for x, h in zip(diff, hs)]


@pytest.mark.parametrize("op,i", CASES)
def test_matches_torch(op, i):
    torch = pytest.importorskip("torch")
    sample = op.samples[i]
    kw = sample.kwargs
    for dtype in op.dtypes:
        args = make_args(op, sample, dtype, _rng(op.name, i, dtype))
        for noncontig in _layouts(op):
            where = f"{op.name} sample {i} {dtype} {'non-contiguous' if noncontig else 'contiguous'}"
            got = _outputs(op.fn(minitorch, *to_lib(minitorch, args, noncontig), **kw))
            want = _outputs(op.fn(torch, *to_lib(torch, args, noncontig), **kw))
            assert len(got) == len(want), where
            for k, (g, w) in enumerate(zip(got, want)):
                assert tuple(g.shape) == tuple(w.shape), f"{where} output {k}: shape {g.shape} != torch {w.shape}"
                assert _dtype_name(g) == _dtype_name(w), f"{where} output {k}: dtype {g.dtype} != torch {w.dtype}"
                _assert_close(_np(g), _np(w), dtype, op, f"{where} output {k}")
    if not op.grad or not sample.torch_grad:
        return
    args = make_args(op, sample, "float64", _rng(op.name, i, "grad"))
    if not _has_grad_input(args):
        return
    for noncontig in _layouts(op):
        where = f"{op.name} sample {i} {'non-contiguous' if noncontig else 'contiguous'}"
        xm = to_lib(minitorch, args, noncontig, requires_grad=True)
        xt = to_lib(torch, args, noncontig, requires_grad=True)
        outs_m = _fd.float_outputs(op.fn(minitorch, *xm, **kw))
        outs_t = [o for o in _outputs(op.fn(torch, *xt, **kw)) if o.dtype.is_floating_point]
        for o, ot in zip(outs_m, outs_t):
            assert o.requires_grad == ot.requires_grad, f"{where}: requires_grad {o.requires_grad} != torch"
            assert (o.grad_fn is None) == (ot.grad_fn is None), where
        rng = _rng(op.name, i, "v", noncontig)
        vs = [rng.standard_normal(tuple(o.shape)) for o in outs_t]
        dm, gm = _grads(minitorch, outs_m, xm, [minitorch.tensor(v) for v in vs])
        dt, gt = _grads(torch, outs_t, xt, [torch.tensor(v) for v in vs])
        for k, (a, b, x) in enumerate(zip(gm, gt, dt)):
            a = np.zeros(tuple(x.shape)) if a is None else _np(a)
            b = np.zeros(tuple(x.shape)) if b is None else _np(b)
            _assert_close(a, b, "float64", op, f"{where}: gradient of input {k}")
        if op.gradgrad:
            ws = [rng.standard_normal(tuple(x.shape)) for x in dt]
            fm = lambda lib, *xs: op.fn(lib, *xs, **kw)  # noqa: E731
            hm = _second_order(minitorch, fm, to_lib(minitorch, args, noncontig, True), vs, ws)
            ht = _second_order(torch, fm, to_lib(torch, args, noncontig, True), vs, ws)
            for k, (a, b) in enumerate(zip(hm, ht)):
                _assert_close(a, b, "float64", op, f"{where}: second-order gradient of input {k}")


# ---- errors ----------------------------------------------------------------------------------------
def _error_args(op, err):
    sample = type(op.samples[0])(err.args, err.kwargs)
    return make_args(op, sample, "float32", _rng(op.name, "error"))


@pytest.mark.parametrize("op,j", ERROR_CASES)
def test_error_type(op, j):
    err = op.errors[j]
    args = _error_args(op, err)
    with pytest.raises(err.exc, match=err.match):
        op.fn(minitorch, *to_lib(minitorch, args), **err.kwargs)


@pytest.mark.parametrize("op,j", ERROR_CASES)
def test_error_type_matches_torch(op, j):
    torch = pytest.importorskip("torch")
    err = op.errors[j]
    args = _error_args(op, err)
    with pytest.raises(Exception) as want:
        op.fn(torch, *to_lib(torch, args), **err.kwargs)
    with pytest.raises(Exception) as got:
        op.fn(minitorch, *to_lib(minitorch, args), **err.kwargs)
    assert type(got.value) is type(want.value), (
        f"{op.name}: minitorch raised {type(got.value).__name__}({got.value}), "
        f"torch raised {type(want.value).__name__}({want.value})"
    )


# ---- broadcasting, as a property (hypothesis) --------------------------------------------------------
from hypothesis import given, settings  # noqa: E402

from .strategies import broadcastable_shapes, non_broadcastable_shapes  # noqa: E402

BROADCAST_OPS = {
    "add": (lambda x, y: x + y, lambda x, y, v: (v, v)),
    "sub": (lambda x, y: x - y, lambda x, y, v: (v, -v)),
    "mul": (lambda x, y: x * y, lambda x, y, v: (v * y, v * x)),
    "div": (lambda x, y: x / y, lambda x, y, v: (v / y, -v * x / y**2)),
    "maximum": (lambda x, y: x.maximum(y) if hasattr(x, "maximum") else np.maximum(x, y),
                lambda x, y, v: (v * (x > y), v * (x < y))),
}


def _sum_to(g, shape):
    """Reduce a broadcast gradient back to ``shape`` (NumPy version of sum_to_size)."""
    g = g.sum(axis=tuple(range(g.ndim - len(shape)))) if g.ndim > len(shape) else g
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and g.shape[i] != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


@pytest.mark.parametrize("name", list(BROADCAST_OPS))
@settings(max_examples=25, deadline=None)
@given(pair=broadcastable_shapes())
def test_broadcasting_forward_and_grad_shapes(name, pair):
    fn, grads = BROADCAST_OPS[name]
    sa, sb = pair
    rng = np.random.default_rng(len(sa) * 10 + len(sb))
    a = rng.uniform(0.5, 2, sa) * rng.choice([-1, 1], sa)
    b = rng.uniform(0.5, 2, sb) * rng.choice([-1, 1], sb)
    x = minitorch.tensor(a, requires_grad=True)
    y = minitorch.tensor(b, requires_grad=True)
    out = fn(x, y)
    expected = fn(a, b)
    assert tuple(out.shape) == np.broadcast_shapes(sa, sb)
    np.testing.assert_allclose(out.detach().numpy(), expected)
    v = rng.standard_normal(tuple(out.shape))
    out.backward(minitorch.tensor(v))
    ga, gb = grads(np.broadcast_to(a, out.shape), np.broadcast_to(b, out.shape), v)
    assert tuple(x.grad.shape) == sa and tuple(y.grad.shape) == sb
    np.testing.assert_allclose(x.grad.numpy(), _sum_to(ga, sa), atol=1e-12)
    np.testing.assert_allclose(y.grad.numpy(), _sum_to(gb, sb), atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(pair=non_broadcastable_shapes())
def test_non_broadcastable_shapes_raise(pair):
    sa, sb = pair
    with pytest.raises(RuntimeError, match="must match the size of tensor b"):
        minitorch.zeros(sa) + minitorch.zeros(sb)
