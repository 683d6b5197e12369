"""Edge cases of ops/products.py and ops/add_products.py beyond the op table (op_db.py): beta=0 ignoring
nan, integer coefficients, dtype and argument errors worded as PyTorch's, cross's default dim, cdist at zero
distance, meshgrid's warning, and the small identities (cartesian_prod of one tensor, diff with n=0)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)


def _pair(*arrays, requires_grad=False):
    """The same numbers as minitorch and torch tensors."""
    ms = [minitorch.tensor(a, requires_grad=requires_grad and a.dtype.kind == "f") for a in arrays]
    ts = [torch.tensor(a, requires_grad=requires_grad and a.dtype.kind == "f") for a in arrays]
    return ms, ts


def _same_error(fn, *arrays, **kwargs):
    """``fn(lib, *tensors)`` raises the same exception type and message in minitorch and torch."""
    ms, ts = _pair(*arrays)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as want:
            fn(torch, *ts, **kwargs)
        with pytest.raises(Exception) as got:
            fn(minitorch, *ms, **kwargs)
    assert type(got.value) is type(want.value)
    assert str(got.value).replace("minitorch", "torch") == str(want.value).split(" (Triggered internally")[0]


def f64(*shape):
    return RNG.standard_normal(shape)


def f32(*shape):
    return f64(*shape).astype(np.float32)


def i64(*shape):
    return RNG.integers(-3, 4, shape)


NAN = np.full((3, 4), np.nan)
ADD_OPS = [
    ("addmm", lambda t, i, **k: t.addmm(i, t.ones(3, 2, dtype=i.dtype), t.ones(2, 4, dtype=i.dtype), **k), NAN),
    ("baddbmm", lambda t, i, **k: t.baddbmm(i, t.ones(2, 3, 5, dtype=i.dtype), t.ones(2, 5, 4, dtype=i.dtype), **k), NAN),
    ("addbmm", lambda t, i, **k: t.addbmm(i, t.ones(2, 3, 5, dtype=i.dtype), t.ones(2, 5, 4, dtype=i.dtype), **k), NAN),
    ("addmv", lambda t, i, **k: t.addmv(i, t.ones(3, 5, dtype=i.dtype), t.ones(5, dtype=i.dtype), **k), NAN[:, 0]),
    ("addr", lambda t, i, **k: t.addr(i, t.ones(3, dtype=i.dtype), t.ones(4, dtype=i.dtype), **k), NAN),
]


@pytest.mark.parametrize("name,fn,nan", ADD_OPS, ids=[a[0] for a in ADD_OPS])
def test_add_products_beta_zero_ignores_nan_and_gives_zero_grad(name, fn, nan):
    ms, ts = _pair(nan, requires_grad=True)
    got, want = fn(minitorch, ms[0], beta=0, alpha=2), fn(torch, ts[0], beta=0, alpha=2)
    np.testing.assert_array_equal(got.detach().numpy(), want.detach().numpy())
    assert not np.isnan(got.detach().numpy()).any()
    (g,) = minitorch.autograd.grad(got.sum(), ms[0])
    np.testing.assert_array_equal(g.numpy(), np.zeros(nan.shape))
    assert got.grad_fn.name() == want.grad_fn.name()


@pytest.mark.parametrize("name,fn,nan", ADD_OPS, ids=[a[0] for a in ADD_OPS])
def test_add_products_integer_coefficients(name, fn, nan):
    ms, ts = _pair(i64(*nan.shape))
    for kw in ({"beta": 2, "alpha": 3}, {"beta": 0}):
        np.testing.assert_array_equal(fn(minitorch, ms[0], **kw).numpy(), fn(torch, ts[0], **kw).numpy())
    if name != "addr":  # PyTorch's integer kernels truncate float coefficients (addr refuses them)
        kw = {"beta": 2.5, "alpha": 1.7}
        np.testing.assert_array_equal(fn(minitorch, ms[0], **kw).numpy(), fn(torch, ts[0], **kw).numpy())


def test_addr_bool_and_coefficient_errors():
    b, v, w = RNG.random((3, 4)) > 0.5, RNG.random(3) > 0.5, RNG.random(4) > 0.5
    (mb, mv, mw), (tb, tv, tw) = _pair(b, v, w)
    for kw in ({}, {"beta": 0}, {"alpha": False}, {"alpha": 2}):
        np.testing.assert_array_equal(minitorch.addr(mb, mv, mw, **kw).numpy(), torch.addr(tb, tv, tw, **kw).numpy())
    _same_error(lambda t, a, x, y: t.addr(a, x, y, alpha=0.5), i64(3, 4), i64(3), i64(4))
    _same_error(lambda t, a, x, y: t.addr(a, x, y, beta=0.5), i64(3, 4), i64(3), i64(4))
    _same_error(lambda t, a, x, y: t.addr(a, x, y, alpha=True), f64(3, 4), f64(3), f64(4))


def test_addr_promotes_dtypes():
    (a, x, y), (ta, tx, ty) = _pair(i64(3, 4), f32(3), f32(4))
    assert str(minitorch.addr(a, x, y).dtype) == str(torch.addr(ta, tx, ty).dtype).replace("torch", "minitorch")


@pytest.mark.parametrize("fn,arrays", [
    (lambda t, a, b, c: t.baddbmm(a, b, c), (f32(2, 3, 4), f32(2, 3, 5), f64(2, 5, 4))),
    (lambda t, a, b, c: t.baddbmm(a, b, c), (f64(2, 3, 4), f32(2, 3, 5), f32(2, 5, 4))),
    (lambda t, a, b, c: t.baddbmm(a, b, c), (i64(2, 3, 4), f32(2, 3, 5), f32(2, 5, 4))),
    (lambda t, a, b, c: t.baddbmm(a > 0, b > 0, c > 0), (f32(2, 3, 4), f32(2, 3, 5), f32(2, 5, 4))),
    (lambda t, a, b, c: t.addbmm(a, b, c), (f32(3, 4), f32(2, 3, 5), f64(2, 5, 4))),
    (lambda t, a, b, c: t.addbmm(a, b, c), (f64(3, 4), f32(2, 3, 5), f32(2, 5, 4))),
    (lambda t, a, b, c: t.addbmm(a, b, c), (f64(2, 3, 4), f64(2, 3, 5), f64(2, 5, 4))),
    (lambda t, a, b, c: t.addmv(a, b, c), (f32(3), f32(3, 4), f64(4))),
    (lambda t, a, b, c: t.addmv(a, b, c), (f64(3), f64(4), f64(4))),
    (lambda t, a, b, c: t.addmv(a > 0, b > 0, c > 0), (f64(3), f64(3, 4), f64(4))),
    (lambda t, a, b, c: t.addr(a, b, c), (f64(3, 4), f64(3), f64(4, 1))),
], ids=lambda x: "" if callable(x) else None)
def test_add_products_errors_match_torch(fn, arrays):
    _same_error(fn, *arrays)


@pytest.mark.parametrize("fn,arrays", [
    (lambda t, a, b: t.inner(a, b), (f32(2, 3), f64(4, 3))),
    (lambda t, a, b: t.inner(a > 0, b > 0), (f64(3), f64(3))),
    (lambda t, a, b: t.tensordot(a, b, dims=1), (f32(2, 3), f64(3, 2))),
    (lambda t, a, b: t.tensordot(a, b, dims=3), (f64(2, 3, 4), f64(3, 5))),
    (lambda t, a, b: t.tensordot(a, b, dims=1.5), (f64(2, 3, 4), f64(3, 5))),
    (lambda t, a, b: t.tensordot(a, b, dims=(1, 0)), (f64(2, 3, 4), f64(3, 5))),
    (lambda t, a, b: t.tensordot(a, b, dims=([1],)), (f64(2, 3, 4), f64(3, 5))),
    (lambda t, a, b: t.tensordot(a, b, dims=([1, 1], [0, 0])), (f64(2, 3, 4), f64(3, 5))),
    (lambda t, a, b: t.cross(a, b, dim=1), (f32(4, 3), f64(4, 3))),
    (lambda t, a, b: t.cross(a, b, dim=1), (f64(4, 3), f64(5, 3))),
    (lambda t, a, b: t.cross(a > 0, b > 0, dim=1), (f64(4, 3), f64(4, 3))),
    (lambda t, a, b: t.cross(a, b), (f64(2, 4), f64(2, 4))),
    (lambda t, a, b: t.cdist(a, b), (f32(4, 3), f64(5, 3))),
    (lambda t, a, b: t.cdist(a, b), (i64(4, 3), i64(5, 3))),
    (lambda t, a, b: t.cdist(a, b), (f64(4, 3), i64(5, 3))),
    (lambda t, a, b: t.cdist(a.half(), b.half()), (f64(4, 3), f64(5, 3))),
    (lambda t, a, b: t.cdist(a, b), (f64(4, 3), f64(3))),
    (lambda t, a, b: t.cdist(a, b, compute_mode="x"), (f64(4, 3), f64(5, 3))),
    (lambda t, a, b: t.cartesian_prod(a, b), (f64(2), i64(3))),
    (lambda t, a, b: t.cartesian_prod(a, b), (f64(2), f64())),
    (lambda t, a, b: t.meshgrid(a, b, indexing="ij"), (f64(2), i64(3))),
    (lambda t, a, b: t.block_diag([a, b]), (f64(2), f64(2))),
    (lambda t, a, b: t.diff(a, dim=0, prepend=b), (f64(3, 4), f64())),
    (lambda t, a, b: t.diff(a, dim=0, prepend=1.0), (f64(3, 4), f64())),
    (lambda t, a, b: t.diag_embed(a, 0, 5, 0), (f64(2, 3), f64())),
], ids=lambda x: "" if callable(x) else None)
def test_errors_match_torch(fn, arrays):
    _same_error(fn, *arrays)


def test_empty_lists():
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="meshgrid expects a non-empty TensorList"):
            lib.cartesian_prod()
        with pytest.raises(RuntimeError, match="meshgrid expects a non-empty TensorList"):
            lib.meshgrid(indexing="ij")
    out = minitorch.block_diag()
    assert tuple(out.shape) == tuple(torch.block_diag().shape) == (1, 0) and out.dtype == minitorch.float32


def test_cross_default_dim_warns_and_picks_first_size_3():
    (a, b), (ta, tb) = _pair(f64(3, 3), f64(3, 1))
    with pytest.warns(UserWarning, match="Using torch.cross without specifying the dim arg is deprecated"):
        got = minitorch.cross(a, b)
    np.testing.assert_allclose(got.numpy(), torch.cross(ta, tb, dim=0).numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        minitorch.cross(a, b, dim=0)  # no warning with a dim


@pytest.mark.parametrize("p", [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, float("inf")])
def test_cdist_gradient_at_zero_distance_and_ties(p):
    x = np.array([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0], [0.0, 1.0, 3.0]])
    y = np.array([[0.0, 1.0, 2.0], [2.0, 0.0, 1.0]])
    (mx, my), (tx, ty) = _pair(x, y, requires_grad=True)
    v = RNG.standard_normal((3, 2))
    gm = minitorch.autograd.grad(minitorch.cdist(mx, my, p=p), [mx, my], minitorch.tensor(v))
    gt = torch.autograd.grad(torch.cdist(tx, ty, p=p), [tx, ty], torch.tensor(v))
    for g, w in zip(gm, gt):
        np.testing.assert_allclose(g.numpy(), w.numpy(), atol=1e-12)


@pytest.mark.parametrize("p", [1.5, 2.0, 3.0])
def test_cdist_double_backward(p):
    """PyTorch's CdistBackward has no backward; minitorch's backward is made of differentiable ops."""
    x = minitorch.tensor(f64(2, 4, 3), requires_grad=True)
    y = minitorch.tensor(f64(5, 3), requires_grad=True)
    assert minitorch.autograd.gradgradcheck(lambda a, b: minitorch.cdist(a, b, p=p), (x, y))


def test_meshgrid_warns_without_indexing():
    (a, b), (ta, tb) = _pair(f64(2), f64(3))
    with pytest.warns(UserWarning, match="in an upcoming release, it will be required to pass the indexing"):
        out = minitorch.meshgrid(a, b)
    assert isinstance(out, tuple)
    for g, w in zip(out, torch.meshgrid(ta, tb, indexing="ij")):
        np.testing.assert_array_equal(g.numpy(), w.numpy())
    assert tuple(minitorch.meshgrid(a, b, a, indexing="xy")[2].shape) == (3, 2, 2)


def test_cartesian_prod_of_one_tensor_is_that_tensor():
    x = minitorch.tensor([1.0, 2.0])
    assert minitorch.cartesian_prod(x) is x


def test_diff_edges():
    x = minitorch.tensor([1.0, 4.0, 9.0])
    y = minitorch.diff(x, n=0)
    assert y is not x and y.data_ptr() != x.data_ptr()
    assert tuple(minitorch.diff(x, n=7).shape) == (0,)
    b = np.array([True, False, False, True])
    np.testing.assert_array_equal(minitorch.diff(minitorch.tensor(b)).numpy(), torch.diff(torch.tensor(b)).numpy())
    u = np.array([1, 0, 3], dtype=np.uint8)  # wraps around, as PyTorch
    np.testing.assert_array_equal(minitorch.diff(minitorch.tensor(u)).numpy(), torch.diff(torch.tensor(u)).numpy())


def test_diag_embed_places_inf_and_nan_without_spreading_them():
    x = np.array([[np.inf, np.nan, 1.0]])
    (m,), (t,) = _pair(x)
    np.testing.assert_array_equal(minitorch.diag_embed(m, 1).numpy(), torch.diag_embed(t, 1).numpy())
    np.testing.assert_array_equal(minitorch.diag(m[0]).numpy(), torch.diag(t[0]).numpy())


def test_tensordot_dims_as_tensor_and_size_one_contraction():
    (a, b), (ta, tb) = _pair(f64(2, 3), f64(3, 4))
    got = minitorch.tensordot(a, b, dims=minitorch.tensor(1))
    np.testing.assert_allclose(got.numpy(), torch.tensordot(ta, tb, dims=torch.tensor(1)).numpy())
    (a, b), (ta, tb) = _pair(f64(2, 1, 4), f64(3, 5), requires_grad=True)
    got, want = minitorch.tensordot(a, b, ([1], [0])), torch.tensordot(ta, tb, ([1], [0]))
    np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy())
    (gb,), (tgb,) = minitorch.autograd.grad(got.sum(), [b]), torch.autograd.grad(want.sum(), [tb])
    np.testing.assert_allclose(gb.numpy(), tgb.numpy())


def test_block_diag_dtype_promotion():
    (a, b, c), (ta, tb, tc) = _pair(np.array(True), i64(2), f32(2, 2))
    got, want = minitorch.block_diag(a, b, c), torch.block_diag(ta, tb, tc)
    assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1]
    np.testing.assert_array_equal(got.numpy(), want.numpy())


METHODS = ["addmm", "baddbmm", "addbmm", "addmv", "addr", "inner", "kron", "tensordot", "cross", "cdist", "diag",
           "diag_embed", "block_diag", "cartesian_prod", "meshgrid", "diff"]


@pytest.mark.parametrize("name", METHODS)
def test_top_level_and_methods_as_in_torch(name):
    assert hasattr(minitorch, name)
    assert hasattr(minitorch.Tensor, name) == hasattr(torch.Tensor, name)


ADDMM_CASES = {
    "input_dtype": lambda t: t.addmm(t.ones(2, 2, dtype=t.float64), t.ones(2, 2), t.ones(2, 2)),
    "mat1_dtype": lambda t: t.addmm(t.ones(2, 2), t.ones(2, 2, dtype=t.float64), t.ones(2, 2)),
    "mat2_dtype": lambda t: t.addmm(t.ones(2, 2), t.ones(2, 2), t.ones(2, 2, dtype=t.float64)),
    "mat1_vector": lambda t: t.addmm(t.ones(2, 2), t.ones(2), t.ones(2, 2)),
    "mat2_vector": lambda t: t.addmm(t.ones(2, 2), t.ones(2, 2), t.ones(2)),
    "shapes": lambda t: t.addmm(t.ones(2, 2), t.ones(2, 3), t.ones(2, 2)),
    "input_shape": lambda t: t.addmm(t.ones(3, 3), t.ones(2, 2), t.ones(2, 2)),
    "broadcast_input": lambda t: t.addmm(t.ones(2), t.ones(2, 2), t.ones(2, 2)),
    "int_alpha_truncated": lambda t: t.addmm(*(t.ones(2, 2, dtype=t.int64),) * 3, alpha=0.5),
    "alpha0_ignores_inf": lambda t: t.addmm(t.ones(2, 2), t.full((2, 2), float("inf")), t.ones(2, 2), alpha=0),
    "bool": lambda t: t.addmm(*(t.ones(2, 2, dtype=t.bool),) * 3),
    "method": lambda t: t.ones(2, 2).addmm(t.ones(2, 3), t.ones(3, 2), beta=2, alpha=3),
    "expand_error_from_last_dim": lambda t: t.ones(3, 3).expand(2, 2),
}


@pytest.mark.parametrize("name", list(ADDMM_CASES))
def test_addmm_matches_torch(name):
    torch = pytest.importorskip("torch")

    def outcome(lib):
        try:
            r = ADDMM_CASES[name](lib)
        except Exception as e:  # noqa: BLE001 - the error is the outcome
            return type(e).__name__, str(e)
        return str(r.dtype).split(".")[-1], r.tolist()

    assert outcome(minitorch) == outcome(torch)


def test_addmm_with_beta_0_keeps_the_input_in_the_graph():
    torch = pytest.importorskip("torch")
    grads = []
    for lib in (minitorch, torch):
        x = lib.full((2, 2), float("nan"), requires_grad=True)
        a = lib.ones(2, 3, requires_grad=True)
        y = lib.addmm(x, a, lib.ones(3, 2), beta=0, alpha=2)
        assert y.grad_fn.name() == "AddmmBackward0"
        y.sum().backward()
        grads.append((y.tolist(), x.grad.tolist(), a.grad.tolist()))
    assert grads[0] == grads[1]
