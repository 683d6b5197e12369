"""Pooling ops: NumPy loop references, gradcheck, ties/-inf edge cases, PyTorch (outputs, indices, grads, errors)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck
from minitorch.ops import pooling as P

RNG = np.random.default_rng(1)


def t64(shape, rg=True):
    return minitorch.tensor(RNG.standard_normal(shape), requires_grad=rg)


def _out(n, k, s, p, d, ceil):
    o = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil else 0)) // s + 1
    return o - 1 if ceil and (o - 1) * s >= n + p else o


def max_pool2d_loops(x, k, s, p, d, ceil):
    """Max (and first argmax) over each window, reading only real cells (padding never wins)."""
    n_, c_, h, w = x.shape
    ho, wo = _out(h, k, s, p, d, ceil), _out(w, k, s, p, d, ceil)
    y, idx = np.full((n_, c_, ho, wo), -np.inf), np.zeros((n_, c_, ho, wo), dtype=np.int64)
    for n, c, i, j in itertools.product(range(n_), range(c_), range(ho), range(wo)):
        for a, b in itertools.product(range(k), range(k)):
            r, q = i * s - p + a * d, j * s - p + b * d
            if 0 <= r < h and 0 <= q < w and x[n, c, r, q] > y[n, c, i, j]:
                y[n, c, i, j], idx[n, c, i, j] = x[n, c, r, q], r * w + q
    return y, idx


def avg_pool2d_loops(x, k, s, p, ceil, count_include_pad):
    n_, c_, h, w = x.shape
    ho, wo = _out(h, k, s, p, 1, ceil), _out(w, k, s, p, 1, ceil)
    y = np.zeros((n_, c_, ho, wo))
    for i, j in itertools.product(range(ho), range(wo)):
        r0, q0 = i * s - p, j * s - p
        r1, q1 = min(r0 + k, h + p), min(q0 + k, w + p)
        size = (r1 - r0) * (q1 - q0)
        r0, q0, r1, q1 = max(r0, 0), max(q0, 0), min(r1, h), min(q1, w)
        div = size if count_include_pad else (r1 - r0) * (q1 - q0)
        y[:, :, i, j] = x[:, :, r0:r1, q0:q1].sum((2, 3)) / div
    return y


@pytest.mark.parametrize("k,s,p,d,ceil", [(2, 2, 0, 1, False), (3, 2, 1, 1, True), (3, 1, 1, 2, False),
                                          (2, 3, 1, 1, True)])
def test_max_pool2d_matches_loops(k, s, p, d, ceil):
    x = RNG.standard_normal((2, 3, 7, 8))
    y, idx = P.max_pool2d(minitorch.tensor(x), k, s, p, d, ceil_mode=ceil, return_indices=True)
    ry, ridx = max_pool2d_loops(x, k, s, p, d, ceil)
    np.testing.assert_array_equal(y.numpy(), ry)
    np.testing.assert_array_equal(idx.numpy(), ridx)
    assert idx.dtype == minitorch.int64


@pytest.mark.parametrize("k,s,p,ceil,cip", [(2, 2, 0, False, True), (3, 2, 1, True, True), (3, 2, 1, True, False),
                                            (3, 1, 1, False, False)])
def test_avg_pool2d_matches_loops(k, s, p, ceil, cip):
    x = RNG.standard_normal((2, 3, 7, 8))
    y = P.avg_pool2d(minitorch.tensor(x), k, s, p, ceil_mode=ceil, count_include_pad=cip)
    np.testing.assert_allclose(y.numpy(), avg_pool2d_loops(x, k, s, p, ceil, cip), rtol=1e-12)


def test_max_pool_ties_route_gradient_to_first_index():
    x = minitorch.ones(1, 1, 4, 4, dtype=minitorch.float64, requires_grad=True)
    y, idx = P.max_pool2d(x, 2, return_indices=True)
    np.testing.assert_array_equal(idx.numpy()[0, 0], [[0, 2], [8, 10]])
    y.sum().backward()
    expected = np.zeros((4, 4))
    expected[::2, ::2] = 1
    np.testing.assert_array_equal(x.grad.numpy()[0, 0], expected)


def test_max_pool_overlapping_windows_accumulate():
    x = minitorch.tensor([[[[0.0, 5.0, 0.0, 0.0]]]], requires_grad=True)
    P.max_pool2d(x, (1, 2), stride=1).sum().backward()  # 5 is the max of two windows
    np.testing.assert_array_equal(x.grad.numpy()[0, 0, 0], [0, 2, 1, 0])  # third window: tie -> first


def test_max_pool_all_minus_inf_window_points_inside_input():
    x = minitorch.full((1, 1, 3, 3), -math.inf)
    _, idx = P.max_pool2d(x, 3, 2, 1, return_indices=True)
    np.testing.assert_array_equal(idx.numpy()[0, 0], [[0, 1], [3, 4]])


@pytest.mark.parametrize("fn,kwargs", [
    (P.max_pool2d, dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    (P.avg_pool2d, dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)),
    (P.avg_pool2d, dict(kernel_size=2, divisor_override=3)),
    (P.adaptive_avg_pool2d, dict(output_size=(2, 3))),
    (P.adaptive_max_pool2d, dict(output_size=(3, 2))),
    (P.max_pool1d, dict(kernel_size=2, stride=1)),
    (P.avg_pool1d, dict(kernel_size=3, padding=1)),
])
def test_pool_gradcheck_and_double_backward(fn, kwargs):
    # distinct values so that max pooling is differentiable at the sample point
    shape = (1, 2, 5, 6) if "1d" not in fn.__name__ else (1, 2, 7)
    x = minitorch.tensor(RNG.permutation(np.prod(shape)).reshape(shape) / 7.0, requires_grad=True)
    assert gradcheck(lambda x: fn(x, **kwargs), (x,))
    assert gradgradcheck(lambda x: fn(x, **kwargs), (x,))


def test_adaptive_windows_follow_floor_ceil_formula():
    x = RNG.standard_normal((1, 1, 7, 5))
    y = P.adaptive_avg_pool2d(minitorch.tensor(x), (3, 2)).numpy()
    for i, j in itertools.product(range(3), range(2)):
        r0, r1 = (i * 7) // 3, math.ceil((i + 1) * 7 / 3)
        q0, q1 = (j * 5) // 2, math.ceil((j + 1) * 5 / 2)
        assert abs(y[0, 0, i, j] - x[0, 0, r0:r1, q0:q1].mean()) < 1e-12


# ---- against PyTorch ------------------------------------------------------------------------------------
torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _compare(name, shape, *args, **kwargs):
    x = RNG.standard_normal(shape)
    tx, mx = torch.tensor(x, requires_grad=True), minitorch.tensor(x, requires_grad=True)
    ty, my = getattr(TF, name)(tx, *args, **kwargs), getattr(P, name)(mx, *args, **kwargs)
    if isinstance(ty, tuple):
        np.testing.assert_array_equal(my[1].numpy(), ty[1].numpy())
        ty, my = ty[0], my[0]
    assert tuple(my.shape) == tuple(ty.shape)
    np.testing.assert_allclose(my.detach().numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-14)
    g = RNG.standard_normal(tuple(ty.shape))
    ty.backward(torch.tensor(g))
    my.backward(minitorch.tensor(g))
    np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-14)


MAX_GRID = [dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=c)
            for k, s, p, d, c in itertools.product([2, 3, (3, 2)], [None, 1, 2, (2, 3)], [0, 1], [1, 2], [False, True])]


@pytest.mark.parametrize("case", MAX_GRID, ids=str)
def test_max_pool2d_vs_torch(case):
    _compare("max_pool2d", (2, 3, 9, 8), return_indices=True, **case)


AVG_GRID = [dict(kernel_size=k, stride=s, padding=p, ceil_mode=c, count_include_pad=i, divisor_override=v)
            for k, s, p, c, i, v in itertools.product([2, 3, (3, 2)], [None, 2, (1, 3)], [0, 1], [False, True],
                                                      [True, False], [None, 5])]


@pytest.mark.parametrize("case", AVG_GRID, ids=str)
def test_avg_pool2d_vs_torch(case):
    _compare("avg_pool2d", (2, 3, 9, 8), **case)


@pytest.mark.parametrize("name,kwargs", [
    ("max_pool1d", dict(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True, return_indices=True)),
    ("avg_pool1d", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)),
    ("adaptive_avg_pool1d", dict(output_size=4)),
    ("adaptive_max_pool1d", dict(output_size=4, return_indices=True)),
])
def test_pool1d_vs_torch(name, kwargs):
    _compare(name, (2, 3, 11), **kwargs)
    _compare(name, (3, 11), **kwargs)  # unbatched


@pytest.mark.parametrize("out", [1, 2, 3, (4, 2), (None, 3), (7, 5), (9, 9), (0, 2)], ids=str)
def test_adaptive_pools_vs_torch(out):
    if out == (0, 2):  # an empty output: forward only (PyTorch's backward refuses empty grads)
        assert P.adaptive_avg_pool2d(minitorch.zeros(2, 3, 7, 5), out).shape == (2, 3, 0, 2)
        return
    _compare("adaptive_avg_pool2d", (2, 3, 7, 5), out)
    if True:
        _compare("adaptive_max_pool2d", (2, 3, 7, 5), out, return_indices=True)
        _compare("adaptive_max_pool2d", (3, 7, 5), out, return_indices=True)


def test_unbatched_pools_vs_torch():
    _compare("max_pool2d", (3, 6, 6), 2, return_indices=True)
    _compare("avg_pool2d", (3, 6, 6), 3, 2, 1)


ERROR_CASES = [
    ("max_pool2d", (1, 1, 2, 2), dict(kernel_size=3)),
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=3, padding=2)),
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=2, stride=0)),
    ("max_pool2d", (4, 4), dict(kernel_size=2)),
    ("max_pool2d", (1, 1, 1, 4, 4), dict(kernel_size=2)),
    ("max_pool2d", (1, 0, 4, 4), dict(kernel_size=2)),
    ("avg_pool2d", (1, 1, 2, 2), dict(kernel_size=3)),
    ("avg_pool2d", (1, 1, 4, 4), dict(kernel_size=3, padding=2)),
    ("avg_pool2d", (4, 4), dict(kernel_size=2)),
    ("avg_pool2d", (1, 1, 4, 4), dict(kernel_size=2, divisor_override=0)),
    ("adaptive_avg_pool2d", (4, 4), dict(output_size=2)),
    ("adaptive_max_pool2d", (4, 4), dict(output_size=2)),
]


@pytest.mark.parametrize("name,shape,kwargs", ERROR_CASES, ids=str)
def test_errors_match_torch(name, shape, kwargs):
    x = RNG.standard_normal(shape)
    with pytest.raises(Exception) as t_err:
        getattr(TF, name)(torch.tensor(x), **kwargs)
    with pytest.raises(Exception) as m_err:
        getattr(P, name)(minitorch.tensor(x), **kwargs)
    assert type(m_err.value) is type(t_err.value)
    assert str(m_err.value) == str(t_err.value).split("\n")[0]
