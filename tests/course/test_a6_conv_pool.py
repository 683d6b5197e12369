"""Assignment 6: im2col, col2im, convolution as one matrix product, and max pooling."""

import itertools

import numpy as np
from _checks import assert_close, check_grad, fail, rand, task

import minitorch
import minitorch.nn.functional as F
from minitorch.ops import _im2col


def _windows_loop(xpad, kernel, stride, dilation, out):
    """windows[n, c, a, b, i, j] = xpad[n, c, i*sh + a*dh, j*sw + b*dw], one element at a time."""
    n, c = xpad.shape[:2]
    w = np.zeros((n, c) + tuple(kernel) + tuple(out))
    for a, b, i, j in itertools.product(range(kernel[0]), range(kernel[1]), range(out[0]), range(out[1])):
        w[:, :, a, b, i, j] = xpad[:, :, i * stride[0] + a * dilation[0], j * stride[1] + b * dilation[1]]
    return w


_GEOMETRIES = [  # kernel, stride, pads, dilation
    ((2, 3), (1, 1), ((0, 0), (0, 0)), (1, 1)),
    ((3, 2), (2, 1), ((1, 1), (0, 1)), (1, 1)),
    ((2, 2), (1, 2), ((0, 0), (1, 1)), (2, 1)),
]


def test_6_1_im2col_windows():
    tid, what = "6.1", "im2col: the windows of the input as a strided view"
    x = np.arange(2 * 2 * 5 * 6, dtype=np.float64).reshape(2, 2, 5, 6)
    for kernel, stride, pads, dilation in _GEOMETRIES:
        out = tuple(_im2col.out_size(s, k, st, lo, hi, d)
                    for s, k, st, (lo, hi), d in zip(x.shape[2:], kernel, stride, pads, dilation))
        xpad = _im2col.pad(x, pads)
        with task(tid, what):
            win = _im2col.windows(xpad, kernel, stride, dilation, out)
        desc = (f"windows of x (2, 2, 5, 6) = arange, kernel {kernel}, stride {stride}, padding {pads}, dilation "
                f"{dilation} (shape (N, C, *kernel, *out) = {(2, 2) + kernel + out})")
        assert_close(tid, what, win, _windows_loop(xpad, kernel, stride, dilation, out), desc)
        if not np.shares_memory(win, xpad):
            fail(tid, what, "windows must be a VIEW of the padded input (np.lib.stride_tricks.as_strided with the "
                            "right shape and strides), not a copy")


def test_6_2_col2im():
    tid, what = "6.2", "col2im adds every window entry back where im2col read it (its adjoint)"
    rng = np.random.default_rng(0)
    size = (5, 6)
    for kernel, stride, pads, dilation in _GEOMETRIES:
        x = rng.normal(size=(2, 3) + size)
        out = tuple(_im2col.out_size(s, k, st, lo, hi, d)
                    for s, k, st, (lo, hi), d in zip(size, kernel, stride, pads, dilation))
        cols = _windows_loop(np.pad(x, ((0, 0), (0, 0)) + pads), kernel, stride, dilation, out)  # im2col(x)
        c = rng.normal(size=cols.shape)
        with task(tid, what):
            back = _im2col.col2im(c, size, stride, pads, dilation)
        desc = f"kernel {kernel}, stride {stride}, padding {pads}, dilation {dilation}"
        if np.shape(back) != x.shape:
            fail(tid, what, f"{desc}: col2im should give an image of shape {x.shape}, got {np.shape(back)}")
        lhs, rhs = float((cols * c).sum()), float((x * back).sum())
        if not np.isclose(lhs, rhs):
            fail(tid, what, f"{desc}: col2im is not the adjoint of im2col: <im2col(x), c> = {lhs:.6g} but "
                            f"<x, col2im(c)> = {rhs:.6g}")
    ones = np.ones((1, 1, 2, 2, 2, 2))  # kernel 2x2 over a 3x3 image: 2x2 windows
    with task(tid, what):
        counts = _im2col.col2im(ones, (3, 3), (1, 1), ((0, 0), (0, 0)), (1, 1))
    assert_close(tid, what, counts[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]],
                 "col2im of ones (kernel 2x2, stride 1, 3x3 image): how many windows cover each pixel")


def _conv_loop(x, w, b, stride, pad):
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, _, h, wd = xp.shape
    o, _, kh, kw = w.shape
    ho, wo = (h - kh) // stride + 1, (wd - kw) // stride + 1
    y = np.zeros((n, o, ho, wo))
    for i, j in itertools.product(range(ho), range(wo)):
        patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
        y[:, :, i, j] = np.einsum("ncab,ocab->no", patch, w)
    return y + b.reshape(1, -1, 1, 1)


def test_6_3_conv2d_forward():
    tid, what = "6.3", "conv2d forward: W @ im2col(x) + b"
    x, w, b = rand(2, 3, 5, 5, seed=1, grad=False), rand(4, 3, 3, 3, seed=2, grad=False), rand(4, seed=3, grad=False)
    for stride, pad in ((1, 0), (2, 1)):
        with task(tid, what):
            y = F.conv2d(x, w, b, stride=stride, padding=pad)
        assert_close(tid, what, y, _conv_loop(x.numpy(), w.numpy(), b.numpy(), stride, pad),
                     f"conv2d(x (2, 3, 5, 5), weight (4, 3, 3, 3), bias (4,), stride={stride}, padding={pad})")


def test_6_3_conv2d_backward():
    tid, what = "6.3", "conv2d backward (runs your forward, im2col and col2im)"
    check_grad(tid, what, lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1),
               {"x": rand(1, 2, 4, 4, seed=4), "weight": rand(3, 2, 2, 2, seed=5), "bias": rand(3, seed=6)},
               note="stride=2, padding=1")


def _max_pool_loop(x, k, s, pad):
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=-np.inf)
    n, c, h, w = xp.shape
    ho, wo = (h - k) // s + 1, (w - k) // s + 1
    y, idx = np.zeros((n, c, ho, wo)), np.zeros((n, c, ho, wo), dtype=np.int64)
    for i, j in itertools.product(range(ho), range(wo)):
        win = xp[:, :, i * s:i * s + k, j * s:j * s + k].reshape(n, c, -1)
        best = win.argmax(-1)  # the first maximum
        y[:, :, i, j] = win.max(-1)
        r, q = i * s + best // k - pad, j * s + best % k - pad
        idx[:, :, i, j] = r * x.shape[3] + q
    return y, idx


def test_6_4_max_pool_forward():
    tid, what = "6.4", "max pooling forward: the max of each window and where it was"
    x = rand(2, 2, 5, 6, seed=7, grad=False)
    for k, s, pad in ((2, 2, 0), (3, 2, 1), (3, 1, 0)):
        with task(tid, what):
            y, idx = F.max_pool2d(x, k, stride=s, padding=pad, return_indices=True)
        want_y, want_idx = _max_pool_loop(x.numpy(), k, s, pad)
        desc = f"max_pool2d(x (2, 2, 5, 6), kernel_size={k}, stride={s}, padding={pad})"
        assert_close(tid, what, y, want_y, desc + ": the values")
        assert_close(tid, what, idx, want_idx, desc + ": the indices (flat positions in each input plane)")


def test_6_5_max_pool_backward():
    tid, what = "6.5", "max pooling backward: each gradient goes to its window's max (added up)"
    x = rand(1, 2, 5, 5, seed=8)
    check_grad(tid, what, lambda x: F.max_pool2d(x, 2), {"x": x}, note="kernel_size=2")
    check_grad(tid, what, lambda x: F.max_pool2d(x, 3, stride=1), {"x": x},
               note="kernel_size=3, stride=1: overlapping windows share maxima")
    t = minitorch.tensor([[[[1.0, 2.0, 0.0], [0.0, 9.0, 0.0], [0.0, 0.0, 3.0]]]], requires_grad=True)
    with task(tid, what):
        F.max_pool2d(t, 2, stride=1).sum().backward()
    assert_close(tid, what, t.grad[0, 0], [[0, 0, 0], [0, 4, 0], [0, 0, 0]],
                 "max_pool2d(kernel 2, stride 1) of a 3x3 image whose 9 is the max of all 4 windows: its gradient is 4")
