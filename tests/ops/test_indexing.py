"""Indexing: ``x[key]`` and ``x[key] = v`` against NumPy and PyTorch, with gradients.

Basic keys (ints, slices, None, ...) give views; advanced keys (integer
lists/tensors, bool masks) give copies, and their gradient adds up over
repeated indices.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitorch

SHAPE = (4, 5, 6)
_M = np.random.default_rng(0).random((4, 5)) > 0.5


def _keys(lib):
    """Keys built for ``lib`` (integer/bool tensors must be the library's own)."""
    return [
        2, -1, (1, 2), (1, -2, 3), slice(1, 3), (slice(None), slice(None, None, 2)), (slice(None, None, 3), 1),
        (Ellipsis, 0), (None, 1), (slice(None), None, slice(1, 4)), (1, Ellipsis, None),
        [0, 2, 2], ([0, 3], [1, 4]), ([[0], [3]], [1, 2, 4]), (slice(None), [4, 0, 4]), (1, slice(None), [0, 5]),
        ([0, 1], slice(None), [2, 3]),  # separated advanced indices: their dimension goes first
        lib.tensor([3, 0, 3, 3]), (lib.tensor([[1, 2], [0, 0]]), slice(1, 3)),
        lib.tensor(_M), (lib.tensor(_M[:, 0]), 2), (Ellipsis, lib.tensor([True, False, True, False, False, True])),
        (lib.tensor(1), slice(None)), (slice(None), lib.tensor(2)),
    ]


def _np_key(key):
    if isinstance(key, tuple):
        return tuple(_np_key(k) for k in key)
    if isinstance(key, minitorch.Tensor):
        return key.numpy()
    return key


N_KEYS = len(_keys(minitorch))


def _data():
    return np.random.default_rng(1).standard_normal(SHAPE)


@pytest.mark.parametrize("k", range(N_KEYS))
def test_getitem_matches_numpy(k):
    x = _data()
    key = _keys(minitorch)[k]
    got = minitorch.tensor(x)[key]
    if repr(key) == repr((1, slice(None), [0, 5])):
        # PyTorch applies the int first; NumPy would move [0, 5]'s dimension to the front
        np.testing.assert_array_equal(got.numpy(), x[1][:, [0, 5]])
        return
    np.testing.assert_array_equal(got.numpy(), x[_np_key(key)])


@pytest.mark.parametrize("k", range(N_KEYS))
def test_getitem_value_and_grad_match_torch(k):
    torch = pytest.importorskip("torch")
    x = _data()
    xm = minitorch.tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    ym, yt = xm[_keys(minitorch)[k]], xt[_keys(torch)[k]]
    assert tuple(ym.shape) == tuple(yt.shape)
    np.testing.assert_array_equal(ym.detach().numpy(), yt.detach().numpy())
    v = np.random.default_rng(k).standard_normal(tuple(yt.shape))
    ym.backward(minitorch.tensor(v))
    yt.backward(torch.tensor(v))
    np.testing.assert_allclose(xm.grad.numpy(), xt.grad.numpy(), atol=1e-12)


def test_duplicate_indices_accumulate():
    x = minitorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]
    x.grad = None
    x[minitorch.tensor([1, 1])].pow(2).sum().backward()
    assert x.grad.tolist() == [0.0, 8.0, 0.0]


def test_index_select_and_gather_duplicates_accumulate():
    x = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    (x.index_select(0, minitorch.tensor([1, 1, 0])).sum() + x.gather(1, minitorch.tensor([[1, 1], [0, 0]])).sum()
     ).backward()
    assert x.grad.tolist() == [[1.0, 3.0], [4.0, 2.0]]


def test_scatter_add_accumulates_duplicates():
    out = minitorch.zeros(3).scatter_add(0, minitorch.tensor([0, 0, 2, 0]), minitorch.tensor([1.0, 2.0, 3.0, 4.0]))
    assert out.tolist() == [7.0, 0.0, 3.0]


def test_basic_indexing_is_a_view():
    x = minitorch.zeros(3, 4)
    v = x[1:, ::2]
    v[0, 1] = 5.0
    assert x[1, 2].item() == 5.0
    assert x._version is v._version  # one version counter for the shared memory
    x[[0]][0, 0] = 7.0  # advanced indexing copies: x is unchanged
    assert x[0, 0].item() == 0.0


# ---- __setitem__ --------------------------------------------------------------------------------
def _set_cases(lib):
    return [
        (1, 3.0), ((slice(None), 2), -1.0), ((Ellipsis, slice(0, 2)), lib.tensor([1.0, 2.0])),
        ([0, 2], lib.ones(2, 5, 6)), (lib.tensor(_M), 0.5), ((lib.tensor([0, 0]), lib.tensor([1, 1])), 9.0),
        ((slice(None), None, 1), lib.arange(6.0)), ((1, [0, 4], 2), lib.tensor([4.0, 5.0])),
    ]


N_SET = len(_set_cases(minitorch))


@pytest.mark.parametrize("k", range(N_SET))
def test_setitem_on_plain_tensor_matches_numpy(k):
    x = _data()
    key, value = _set_cases(minitorch)[k]
    t = minitorch.tensor(x)
    version = t._version[0]
    t[key] = value
    assert t._version[0] > version
    x[_np_key(key)] = _np_key(value)
    np.testing.assert_array_equal(t.numpy(), x)


def test_setitem_casts_to_the_tensor_dtype():
    t = minitorch.zeros(3, dtype=minitorch.int64)
    t[0] = 2.7
    t[1:] = minitorch.tensor([1.5, -1.5])
    assert t.dtype is minitorch.int64 and t.tolist() == [2, 1, -1]


def test_setitem_on_leaf_that_requires_grad_raises():
    x = minitorch.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        x[0] = 1.0
    with minitorch.no_grad():
        x[0] = 1.0  # allowed: not recorded
    assert x.tolist() == [1.0, 0.0, 0.0]


@pytest.mark.parametrize("k", range(N_SET))
def test_differentiable_setitem_on_non_leaf_matches_torch(k):
    torch = pytest.importorskip("torch")
    x = _data()
    results = []
    for lib in (minitorch, torch):
        key, value = _set_cases(lib)[k]
        leaf = lib.tensor(x, requires_grad=True)
        y = leaf * 2
        if isinstance(value, (minitorch.Tensor, torch.Tensor)):
            value = value.to(lib.float64).detach().requires_grad_(True)
        y[key] = value * 3 if not isinstance(value, float) else value
        v = np.random.default_rng(k).standard_normal(SHAPE)
        (y * lib.tensor(v)).sum().backward()
        grads = [leaf.grad.numpy()] + ([value.grad.numpy()] if not isinstance(value, float) else [])
        results.append((y.detach().numpy(), y.grad_fn is not None, grads))
    (ym, fm, gm), (yt, ft, gt) = results
    np.testing.assert_allclose(ym, yt)
    assert fm == ft
    for a, b in zip(gm, gt):
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_setitem_on_saved_tensor_raises_at_backward():
    x = minitorch.randn(3, requires_grad=True)
    y = x * 1
    z = y.exp()  # saves its output z ...
    w = z * 2
    z[0] = 0.0  # ... which is then modified
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        w.sum().backward()


def test_setitem_matches_torch_version_error():
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):
        x = lib.ones(3, requires_grad=True)
        y = x * 1
        z = y * y  # saves y
        y[1] = 5.0
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


def test_masked_select_and_nonzero_match_torch():
    torch = pytest.importorskip("torch")
    x = _data()[0]
    for lib in (minitorch, torch):
        t = lib.tensor(x)
        m = t > 0
        np.testing.assert_array_equal(t.masked_select(m).numpy(), x[x > 0])
        np.testing.assert_array_equal(m.nonzero().numpy(), np.argwhere(x > 0))
