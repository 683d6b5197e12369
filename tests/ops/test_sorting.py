"""sort/topk/kthvalue/median/mode/cummax/unique and nansum/nanmean/logcumsumexp beyond the op table:
the index PyTorch picks among ties (its C++ algorithms replayed), NaN, named tuples, node names, errors."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch

torch = pytest.importorskip("torch")


def _both(x):
    return minitorch.tensor(x), torch.tensor(x)


def _same(got, want):
    got = list(got) if isinstance(got, tuple) else [got]
    want = list(want) if isinstance(want, tuple) else [want]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert tuple(g.shape) == tuple(w.shape) and str(g.dtype).split(".")[-1] == str(w.dtype).split(".")[-1]
        np.testing.assert_allclose(g.detach().numpy().astype(float), w.detach().numpy().astype(float), equal_nan=True)


ORDER_OPS = {
    "sort": lambda L, x: L.sort(x, 1),
    "sort_desc": lambda L, x: L.sort(x, 0, descending=True),
    "sort_stable": lambda L, x: L.sort(x, stable=True, descending=True),
    "argsort": lambda L, x: L.argsort(x, 1),
    "topk": lambda L, x: L.topk(x, 3, 1),
    "topk_small": lambda L, x: L.topk(x, 2, 0, largest=False),
    "topk_unsorted": lambda L, x: L.topk(x, 7, 1, sorted=False),
    "topk_partial": lambda L, x: L.topk(x, 1, 1),
    "kthvalue": lambda L, x: L.kthvalue(x, 5, 1),
    "median": lambda L, x: L.median(x, 1),
    "nanmedian": lambda L, x: L.nanmedian(x, 0),
    "mode": lambda L, x: L.mode(x, 1),
    "mode0": lambda L, x: L.mode(x, 0),
    "cummax": lambda L, x: L.cummax(x, 1),
    "cummin": lambda L, x: L.cummin(x, 0),
    "unique": lambda L, x: L.unique(x, return_inverse=True, return_counts=True),
    "unique_dim": lambda L, x: L.unique(x, dim=0, return_inverse=True, return_counts=True),
}


@pytest.mark.parametrize("name", list(ORDER_OPS))
@pytest.mark.parametrize("seed", range(4))
def test_ties_and_nan_pick_torch_indices(name, seed):
    """Rows with many ties (longer than 16, where std::sort stops being stable) and NaN: the same indices."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 3 + seed, size=(5, 70)).astype(np.float64)
    if seed % 2:
        x[rng.random(x.shape) < 0.15] = np.nan
    if name == "unique_dim":
        x = x[:, :2].repeat(5, axis=0)
    a, b = _both(x)
    _same(ORDER_OPS[name](minitorch, a), ORDER_OPS[name](torch, b))
    ints = np.nan_to_num(x, nan=7).astype(np.int64)
    if name not in ("nanmedian",):
        a, b = _both(ints)
        _same(ORDER_OPS[name](minitorch, a), ORDER_OPS[name](torch, b))


@pytest.mark.parametrize("name", ["sort", "topk", "kthvalue", "median", "mode", "cummax", "cummin"])
def test_tie_gradients_go_where_torch_sends_them(name):
    x = np.random.default_rng(5).integers(0, 3, size=(3, 40)).astype(np.float64)
    a, b = torch.tensor(x, requires_grad=True), minitorch.tensor(x, requires_grad=True)
    v = np.random.default_rng(6).standard_normal(tuple(ORDER_OPS[name](torch, a)[0].shape))
    ORDER_OPS[name](torch, a)[0].backward(torch.tensor(v))
    ORDER_OPS[name](minitorch, b)[0].backward(minitorch.tensor(v))
    np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy())


def test_named_tuples_and_node_names():
    x = minitorch.tensor([[3.0, 1.0, 2.0]], requires_grad=True)
    for name, out in [("sort", x.sort()), ("topk", x.topk(1)), ("kthvalue", x.kthvalue(1)), ("median", x.median(1)),
                      ("nanmedian", x.nanmedian(1)), ("mode", x.mode()), ("cummax", x.cummax(1)),
                      ("cummin", x.cummin(1))]:
        assert type(out).__name__ == name and type(out).__module__ == "minitorch.return_types"
        assert out.values is out[0] and out.indices.dtype == minitorch.int64
    names = {"SortBackward0": x.sort()[0], "SortBackward1": x.sort(stable=False)[0], "TopkBackward0": x.topk(1)[0],
             "MedianBackward0": x.median(), "MedianBackward1": x.median(0)[0], "NanmedianBackward0": x.nanmedian(),
             "ModeBackward0": x.mode()[0], "CumminBackward0": x.cummin(0)[0], "NansumBackward0": x.nansum(),
             "DivBackward0": x.nanmean(), "LogcumsumexpBackward0": x.logcumsumexp(1),
             "Unique2Backward0": x.unique(), "UniqueDimBackward0": x.unique(dim=0),
             "UniqueConsecutiveBackward0": x.unique_consecutive()}
    for node, out in names.items():
        assert out.grad_fn.name() == node


def test_unique_has_no_derivative():
    x = minitorch.tensor([1.0, 1.0, 2.0], requires_grad=True)
    with pytest.raises(NotImplementedError, match="the derivative for '_unique2' is not implemented"):
        x.unique().sum().backward()


@pytest.mark.parametrize("fn", [
    lambda L: L.tensor(3.0).sort(), lambda L: L.tensor(3.0).topk(1), lambda L: L.tensor(3.0).topk(0),
    lambda L: L.tensor(3.0).kthvalue(1), lambda L: L.tensor(3.0).median(0), lambda L: L.tensor(3.0).mode(),
    lambda L: L.tensor(3.0).cummax(0), lambda L: L.tensor(3.0).unique(return_inverse=True, return_counts=True),
    lambda L: L.tensor([]).median(), lambda L: L.tensor([]).nanmedian(), lambda L: L.zeros(0, 3).median(1),
    lambda L: L.zeros(2, 0).sort(1), lambda L: L.zeros(2, 0).cummax(1), lambda L: L.zeros(2, 0).mode(0),
    lambda L: L.tensor([True, False, True]).sort(), lambda L: L.tensor([True, False, True]).cummax(0),
    lambda L: L.tensor([True, False, True]).mode(), lambda L: L.tensor([1, 2]).nansum(),
    lambda L: L.tensor([[1.0, float("nan")]]).nansum(dim=[]), lambda L: L.tensor([float("nan")]).nanmean(),
    lambda L: L.tensor([1.0, 2.0]).nanmean(dtype=L.float64), lambda L: L.tensor([1.0, 2.0]).nansum(dtype=L.float64),
    lambda L: L.zeros(1).expand(40).sort(),
    lambda L: L.tensor([3.0, float("nan"), 1, float("nan")]).unique(return_inverse=True, return_counts=True),
    lambda L: L.tensor([[float("-inf"), 1.0], [float("-inf"), float("-inf")]]).logcumsumexp(1),
    lambda L: L.tensor([1, 1, 2, 2, 3, 1, 1]).unique_consecutive(return_inverse=True, return_counts=True),
    lambda L: L.tensor([[1, 2], [1, 2], [0, 5]]).unique(dim=1, return_inverse=True),
])
def test_edges_match_torch(fn):
    _same(fn(minitorch), fn(torch))


def test_large_int_sort_is_stable_like_torch_radix_sort():
    x = np.random.default_rng(0).integers(0, 3, size=40000)
    a, b = _both(x)
    assert np.array_equal(a.sort().indices.numpy(), b.sort().indices.numpy())
    assert np.array_equal(a.sort(descending=True).indices[:500].numpy(), b.sort(descending=True).indices[:500].numpy())


@pytest.mark.parametrize("fn", [
    lambda L: L.zeros(3, 4).sort(2), lambda L: L.zeros(3, 4).topk(5), lambda L: L.zeros(3, 4).topk(-1),
    lambda L: L.zeros(3).topk(1.5), lambda L: L.zeros(3, 4).kthvalue(0), lambda L: L.zeros(3, 4).kthvalue(5),
    lambda L: L.zeros(0).kthvalue(1), lambda L: L.zeros(0, 3).median(0), lambda L: L.zeros(2, 0).mode(1),
    lambda L: L.zeros(3).cummax(None), lambda L: L.zeros(3).mode(None),
    lambda L: L.tensor([True]).topk(1), lambda L: L.tensor([True]).kthvalue(1), lambda L: L.tensor([True]).median(),
    lambda L: L.tensor([True]).median(0), lambda L: L.tensor([1, 2]).nanmean(),
    lambda L: L.tensor([1.0]).nanmean(dtype=L.int64), lambda L: L.tensor([1, 2]).logcumsumexp(0),
    lambda L: L.zeros(3).logcumsumexp(None), lambda L: L.zeros(2, 3).unique(dim=2),
])
def test_errors_match_torch(fn):
    with pytest.raises(Exception) as want:
        fn(torch)
    with pytest.raises(type(want.value)) as got:
        fn(minitorch)
    assert str(got.value).split("\n")[0] == str(want.value).split("\n")[0] or type(got.value) is TypeError


@pytest.mark.parametrize("x", [[float("-inf"), float("-inf"), 1.0, float("-inf"), 2.0], [0.0, 1.0, 2.0], [800.0, -3, 801]])
def test_logcumsumexp_first_and_second_order_like_torch(x):
    a = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    b = minitorch.tensor(x, dtype=minitorch.float64, requires_grad=True)
    v = np.array([1.0, -2.0, 3.0, 0.5, 1.0][:len(x)])
    w = np.array([0.3, -1.0, 2.0, 1.5, -0.7][:len(x)])
    ga, = torch.autograd.grad(a.logcumsumexp(0), a, torch.tensor(v), create_graph=True)
    gb, = minitorch.autograd.grad(b.logcumsumexp(0), b, minitorch.tensor(v), create_graph=True)
    np.testing.assert_allclose(gb.detach().numpy(), ga.detach().numpy(), equal_nan=True)
    if np.isfinite(x).all():
        ha, = torch.autograd.grad((ga * torch.tensor(w)).sum(), a)
        hb, = minitorch.autograd.grad((gb * minitorch.tensor(w)).sum(), b)
        np.testing.assert_allclose(hb.numpy(), ha.numpy(), atol=1e-12)


def test_median_gradient_is_shared_among_ties_and_nan():
    for x, fn in [([1.0, 2.0, 2.0, 3.0], "median"), ([2.0, float("nan"), 1.0], "median"),
                  ([float("nan")] * 2, "nanmedian"), ([2.0, float("nan"), 1.0, float("nan")], "nanmedian")]:
        a, b = torch.tensor(x, requires_grad=True), minitorch.tensor(x, requires_grad=True)
        getattr(a, fn)().backward()
        getattr(b, fn)().backward()
        np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy())
