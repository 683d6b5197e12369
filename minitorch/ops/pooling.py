"""Pooling: max/avg pooling (1-D, 2-D), adaptive avg/max pooling.

Pooling reads the same windows as a convolution (``_im2col.windows``, a
strided view, no copy) and reduces each one:

* max pooling keeps the largest value and remembers *where* it was
  (``indices`` into the flattened ``H*W`` input, as PyTorch returns them);
  backward sends each gradient to that one position (scatter-add);
* average pooling sums the window and divides by the window's count;
  backward spreads ``grad / count`` evenly over the window (col2im).

Output size per dimension (PyTorch's rule)::

    out = floor_or_ceil((size + 2*pad - dilation*(k-1) - 1) / stride) + 1
    with ceil_mode, drop the last window if it would start past size + pad.
"""

from __future__ import annotations

import itertools
from math import prod

from ..autograd.function import Function
from . import _im2col
from ._util import Tensor, _wrap
from .indexing import Gather


# ---- geometry --------------------------------------------------------------------------------------
def _pool_tuple(value, n: int, op: str, what: str) -> tuple:
    """``value`` as an ``n``-tuple, with PyTorch's pooling message when it has the wrong length."""
    vals = tuple(int(v) for v in value) if isinstance(value, (list, tuple)) else (int(value),)
    if len(vals) == 1:
        vals = vals * n
    if len(vals) != n:
        words = {"kernel_size": "must either be a single int, or a tuple of",
                 "stride": "must either be omitted, a single int, or a tuple of",
                 "padding": "must either be a single int, or a tuple of",
                 "dilation": "must be either a single int, or a tuple of"}[what]
        raise RuntimeError(f"{op}: {what} {words} {('one', 'two', 'three')[n - 1]} ints")
    return vals


def _pool_out_size(size, k, s, p, d, ceil_mode) -> int:
    """PyTorch's pooling output size along one dimension."""
    eff = d * (k - 1) + 1
    n = (size + 2 * p - eff + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (n - 1) * s >= size + p:
        n -= 1  # the last window must start inside the input or the left padding
    return n


def _pool_geometry(x, kernel, stride, padding, dilation, ceil_mode, op):
    """Check the arguments; return the output size and per-side paddings ``((lo, hi), ...)``.

    With ``ceil_mode`` the last window may hang over the high side: the high padding grows to cover it.
    """
    if any(k <= 0 for k in kernel):
        raise RuntimeError(f"{op}: kernel_size should be greater than zero, but got {list(kernel)}")
    if any(s <= 0 for s in stride):
        raise RuntimeError("stride should not be zero" if 0 in stride else f"{op}: stride must be positive")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    for k, p, d in zip(kernel, padding, dilation):
        if p < 0:
            raise RuntimeError(f"{op}: pad must be non-negative, but got pad={p}")
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p}, kernel_size={k} and "
                f"dilation={d}"
            )
    size = tuple(x.shape[2:])
    out = tuple(_pool_out_size(*a, ceil_mode) for a in zip(size, kernel, stride, padding, dilation))
    if any(o < 1 for o in out):
        c = x.shape[1]
        raise RuntimeError(
            f"Given input size: ({'x'.join(map(str, (c,) + size))}). Calculated output size: "
            f"({'x'.join(map(str, (c,) + out))}). Output size is too small"
        )
    pads = tuple((p, max(p, (o - 1) * s + d * (k - 1) + 1 - n - p))
                 for n, o, k, s, p, d in zip(size, out, kernel, stride, padding, dilation))
    return out, pads


def _batchify_pool(input, nsp: int, op: str):
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if input.ndim not in (nsp + 1, nsp + 2) or input.numel() == 0 and input.ndim == nsp + 1:
        raise RuntimeError(f"non-empty {nsp + 1}D or {nsp + 2}D (batch mode) tensor expected for input")
    if input.ndim == nsp + 2 and any(s == 0 for s in input.shape[1:]):
        raise RuntimeError(
            f"Expected {nsp + 1}D or {nsp + 2}D (batch mode) tensor with optional 0 dim batch size for input, but "
            f"got:{list(input.shape)}"
        )
    return (input.unsqueeze(0), True) if input.ndim == nsp + 1 else (input, False)


# ---- max pooling ----------------------------------------------------------------------------------------
class MaxPool(Function):
    """y = max over each window; also returns where the max was (flat index into the input's H*W).

    Gradient: each dY goes to its argmax position (scatter-add, so overlapping windows accumulate).
    """

    node_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, pads, dilation, out):
        xd = x._data
        xp = _im2col._xp(xd)
        low = -xp.inf if xd.dtype.kind == "f" else xp.iinfo(xd.dtype).min
        win = _im2col.windows(_im2col.pad(xd, pads, low), kernel, stride, dilation, out)  # (N, C, *k, *out)
        # Scan the kernel offsets (K passes over output-sized views, no copy of the windows): keep the
        # running max and the offset it came from. Strict ">" keeps the first maximum on ties and
        # "or NaN" lets NaN win, as PyTorch does.
        # BEGIN SOLUTION 6.4
        # HINT: scan the kernel offsets k: v = win[:, :, *offset]; keep the running max in best and the first offset k
        # HINT: where it occurred in arg (strict >, and NaN wins)
        best, arg = None, None
        for k, offset in enumerate(itertools.product(*(range(n) for n in kernel))):
            v = win[(slice(None), slice(None)) + offset]
            if best is None:
                best, arg = v.copy(), xp.zeros(v.shape, dtype=xp.int64)
                continue
            better = v > best
            if xd.dtype.kind == "f":
                better |= xp.isnan(v)
            xp.copyto(best, v, where=better)
            xp.copyto(arg, k, where=better)
        # END SOLUTION
        table = _index_table(kernel, stride, pads, dilation, tuple(xd.shape[2:]), out, xp)  # (L, K)
        base = (xp.arange(prod(out)) * prod(kernel)).reshape(out)
        idx = _wrap(table.ravel()[base + arg], x._device)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        ctx.in_shape = tuple(xd.shape)
        ctx.disjoint = all(s >= d * (k - 1) + 1 for s, d, k in zip(stride, dilation, kernel))
        return _wrap(best, x._device), idx

    @staticmethod
    def backward(ctx, grad, _grad_indices=None):
        (idx,) = ctx.saved_tensors
        return _scatter_to_input(grad, idx, ctx.in_shape, ctx.disjoint), None, None, None, None, None


def _index_table(kernel, stride, pads, dilation, size, out, xp):
    """table[l, k]: flat input index (into the unpadded H*W) of offset k of window l.

    A window whose real values are all -inf may pick a padding cell: PyTorch then reports the first real
    cell of the window, so padding cells before the input step in by whole dilations (and, for safety,
    cells after it are clipped to the last row/column).
    """
    nsp = len(kernel)
    flat = 0
    for dim in range(nsp):
        o = xp.arange(out[dim]).reshape((-1,) + (1,) * nsp)  # window position along this dim
        a = xp.arange(kernel[dim]).reshape([-1 if i == dim else 1 for i in range(nsp)])  # offset in the kernel
        coord = o * stride[dim] - pads[dim][0] + a * dilation[dim]
        coord = xp.where(coord < 0, coord + (-coord + dilation[dim] - 1) // dilation[dim] * dilation[dim], coord)
        coord = xp.minimum(coord, size[dim] - 1)
        shape = [1] * (2 * nsp)
        shape[dim], shape[nsp + dim] = out[dim], kernel[dim]
        flat = flat * size[dim] + coord.reshape(shape)
    return xp.broadcast_to(flat, tuple(out) + tuple(kernel)).reshape(prod(out), prod(kernel)).astype(xp.int64)


class ScatterToInput(Function):
    """zeros(in_shape) with grad[n, c, j] added at flat position idx[n, c, j] of plane (n, c).

    The backward of max pooling. Its own gradient gathers: d/dgrad = gg[n, c, idx[n, c, j]].
    """

    node_name = "MaxPool2DWithIndicesBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, idx, in_shape, disjoint):
        xp = _im2col._xp(grad._data)
        n, c = in_shape[:2]
        g = grad._data.reshape(n, c, -1)
        i = idx._data.reshape(n, c, -1)
        # BEGIN SOLUTION 6.5
        # HINT: zeros (N, C, H*W); add each grad[n, c, j] at flat position idx[n, c, j] (index_add: overlapping
        # HINT: windows can pick the same position)
        out = xp.zeros((n, c, prod(in_shape[2:])), dtype=g.dtype)
        if disjoint:  # windows do not overlap: no index repeats, so plain assignment is a scatter-add
            xp.put_along_axis(out, i, g, axis=2)
        else:
            grad._device.backend.index_add(out, (xp.arange(n)[:, None, None], xp.arange(c)[None, :, None], i), g)
        # END SOLUTION
        ctx.save_for_backward(idx)
        ctx.grad_shape = tuple(grad.shape)
        return _wrap(out.reshape(in_shape), grad._device)

    @staticmethod
    def backward(ctx, gg):
        (idx,) = ctx.saved_tensors
        n, c = gg.shape[:2]
        picked = Gather.apply(gg.reshape(n, c, -1), 2, idx.reshape(n, c, -1))
        return picked.reshape(ctx.grad_shape), None, None, None


def _scatter_to_input(grad, idx, in_shape, disjoint=False):
    """Send each gradient to the input position its output was taken from."""
    return ScatterToInput.apply(grad, idx, tuple(in_shape), disjoint)


def _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, nsp, op):
    x, unbatched = _batchify_pool(input, nsp, op)
    kernel = _pool_tuple(kernel_size, nsp, op, "kernel_size")
    stride = kernel if stride is None or stride == [] or stride == () else _pool_tuple(stride, nsp, op, "stride")
    padding = _pool_tuple(padding, nsp, op, "padding")
    dilation = _pool_tuple(dilation, nsp, op, "dilation")
    out, pads = _pool_geometry(x, kernel, stride, padding, dilation, ceil_mode, op)
    y, idx = MaxPool.apply(x, kernel, stride, pads, dilation, out)
    if unbatched:
        y, idx = y.squeeze(0), idx.squeeze(0)
    return (y, idx) if return_indices else y


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """1-D max pooling over ``(N, C, L)`` or ``(C, L)``."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1, "max_pool1d")


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """2-D max pooling over ``(N, C, H, W)`` or ``(C, H, W)``; padding counts as ``-inf``.

    With ``return_indices`` also returns, for each output, the flat index ``h * W + w`` of its maximum.

    >>> max_pool2d(minitorch.randn(1, 6, 24, 24), 2).shape
    minitorch.Size([1, 6, 12, 12])
    """
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2, "max_pool2d")


# ---- average pooling ------------------------------------------------------------------------------------
class AvgPool(Function):
    """y = (sum of the zero-padded window) / divisor.  Gradient: col2im of grad / divisor (AvgPoolGrad)."""

    node_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, pads, divisor):
        nsp = len(kernel)
        out = divisor.shape
        win = _im2col.windows(_im2col.pad(x._data, pads), kernel, stride, (1,) * nsp, out)  # (N, C, *k, *out)
        y = win.sum(axis=tuple(range(2, 2 + nsp))) / divisor
        ctx.geom = (tuple(x.shape[2:]), kernel, stride, pads, divisor)
        return _wrap(y.astype(x._data.dtype, copy=False), x._device)

    @staticmethod
    def backward(ctx, grad):
        return AvgPoolGrad.apply(grad, *ctx.geom), None, None, None, None


class AvgPoolGrad(Function):
    """The adjoint of AvgPool: spread grad / divisor over each window (col2im).  Its gradient: AvgPool."""

    node_name = "AvgPool2DBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, size, kernel, stride, pads, divisor):
        g = grad._data / divisor
        nsp = len(kernel)
        g = g.reshape(g.shape[:2] + (1,) * nsp + g.shape[2:])
        cols = _im2col._xp(g).broadcast_to(g, g.shape[:2] + tuple(kernel) + g.shape[2 + nsp:])  # no copy
        ctx.geom = (kernel, stride, pads, divisor)
        x = _im2col.col2im(cols, size, stride, pads, (1,) * nsp)
        return _wrap(x.astype(grad._data.dtype, copy=True), grad._device)

    @staticmethod
    def backward(ctx, gg):
        return AvgPool.apply(gg, *ctx.geom), None, None, None, None, None


def _avg_divisor(size, out, kernel, stride, padding, count_include_pad, divisor_override, xp, dtype):
    """The number each window's sum is divided by, shape ``out`` (PyTorch's rule).

    A window spans [start, start + k) clipped to the padded input [-pad, size + pad) (ceil_mode windows may
    hang further); with ``count_include_pad=False`` it is clipped to the real input [0, size) instead.
    """
    if divisor_override is not None:
        return xp.full(out, float(divisor_override), dtype=dtype)
    div = xp.ones(out, dtype=dtype)
    for dim, (n, o, k, s, p) in enumerate(zip(size, out, kernel, stride, padding)):
        start = xp.arange(o) * s - p
        end = xp.minimum(start + k, n + p)
        if not count_include_pad:
            start, end = xp.maximum(start, 0), xp.minimum(end, n)
        shape = [1] * len(out)
        shape[dim] = o
        div = div * (end - start).reshape(shape)
    return div


def _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, nsp, op):
    x, unbatched = _batchify_pool(input, nsp, op)
    kernel = _pool_tuple(kernel_size, nsp, op, "kernel_size")
    stride = kernel if stride is None or stride == [] or stride == () else _pool_tuple(stride, nsp, op, "stride")
    padding = _pool_tuple(padding, nsp, op, "padding")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    out, pads = _pool_geometry(x, kernel, stride, padding, (1,) * nsp, ceil_mode, op)
    xp = x._device.xp
    divisor = _avg_divisor(tuple(x.shape[2:]), out, kernel, stride, padding, count_include_pad,
                           divisor_override, xp, x._data.dtype)
    y = AvgPool.apply(x, kernel, stride, pads, divisor)
    return y.squeeze(0) if unbatched else y


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """1-D average pooling over ``(N, C, L)`` or ``(C, L)``."""
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1, "avg_pool1d")


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """2-D average pooling over ``(N, C, H, W)`` or ``(C, H, W)``.

    ``count_include_pad``: whether zero padding counts in the divisor; ``divisor_override``: divide by this.

    >>> avg_pool2d(minitorch.ones(1, 1, 4, 4), 2)
    tensor([[[[1., 1.],
              [1., 1.]]]])
    """
    if isinstance(input, Tensor) and input.ndim < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(input.ndim, 1)}, "
                         f"{max(input.ndim, 1) - 1}], but got -3)")
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 2,
                     "avg_pool2d")


# ---- adaptive pooling -----------------------------------------------------------------------------------
def _adaptive_sizes(input, output_size, nsp: int, op: str):
    if isinstance(output_size, (list, tuple)) and input.ndim <= len(output_size):
        raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
    if input.ndim not in (nsp + 1, nsp + 2):
        got = "got:" if "max" in op else "got"
        raise RuntimeError(f"{op}(): Expected {nsp + 1}D or {nsp + 2}D tensor, but {got} {list(input.shape)}")
    size = tuple(input.shape[-nsp:])
    if not isinstance(output_size, (list, tuple)):
        output_size = (output_size,) * nsp
    if len(output_size) != nsp:
        raise RuntimeError(f"{op}: output_size must be {nsp}")
    return size, tuple(s if o is None else int(o) for s, o in zip(size, output_size))


def _bounds(n_in: int, n_out: int, xp):
    """Window i covers [floor(i*in/out), ceil((i+1)*in/out)) (PyTorch's adaptive pooling windows)."""
    i = xp.arange(n_out)
    return (i * n_in) // n_out, -((-(i + 1) * n_in) // n_out)


def _average_matrix(n_in: int, n_out: int, like: Tensor) -> Tensor:
    """P (n_out, n_in) with P[i, j] = 1/len(window i) for j in window i: averaging is a matrix product."""
    xp = like._device.xp
    start, end = _bounds(n_in, n_out, xp)
    j = xp.arange(n_in)
    inside = (j[None, :] >= start[:, None]) & (j[None, :] < end[:, None])
    return _wrap((inside / (end - start)[:, None]).astype(like._data.dtype), like._device)


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Average pooling to a fixed ``output_size`` (an int, or a pair with ``None`` keeping that size).

    The windows are separable, so this is two matrix products with averaging matrices:
    ``y = P_h @ x @ P_w^T`` (differentiable through ``matmul``, including double backward).

    >>> adaptive_avg_pool2d(minitorch.randn(2, 512, 7, 7), 1).shape
    minitorch.Size([2, 512, 1, 1])
    """
    (h, w), (oh, ow) = _adaptive_sizes(input, output_size, 2, "adaptive_avg_pool2d")
    return _average_matrix(h, oh, input) @ (input @ _average_matrix(w, ow, input).mT)


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """Average pooling of ``(N, C, L)`` to length ``output_size``: ``x @ P^T``."""
    (n,), (o,) = _adaptive_sizes(input, output_size, 1, "adaptive_avg_pool1d")
    return input @ _average_matrix(n, o, input).mT


class AdaptiveMaxPool(Function):
    """y = max over each adaptive window (with flat H*W indices).  Gradient: scatter dY to the argmax."""

    node_name = "AdaptiveMaxPool2DBackward0"

    @staticmethod
    def forward(ctx, x, out):
        xd = x._data
        xp = _im2col._xp(xd)
        (h, w), (oh, ow) = xd.shape[2:], out
        rows, cols = _window_index(h, oh, xp), _window_index(w, ow, xp)  # (oh, kh), (ow, kw)
        win = xd[:, :, rows[:, None, :, None], cols[None, :, None, :]]  # (N, C, oh, ow, kh, kw)
        win = win.reshape(win.shape[:4] + (-1,))
        arg = win.argmax(-1)  # first maximum, like PyTorch's scan over h then w
        values = xp.take_along_axis(win, arg[..., None], -1)[..., 0]
        kw = cols.shape[1]
        r = rows[xp.arange(oh)[:, None], arg // kw]  # input row of each maximum, (N, C, oh, ow)
        c = cols[xp.arange(ow), arg % kw]
        idx = _wrap((r * w + c).astype(xp.int64), x._device)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        ctx.in_shape = tuple(xd.shape)
        return _wrap(values, x._device), idx

    @staticmethod
    def backward(ctx, grad, _grad_indices=None):
        (idx,) = ctx.saved_tensors
        return _scatter_to_input(grad, idx, ctx.in_shape), None


def _window_index(n_in: int, n_out: int, xp):
    """(n_out, kmax) input positions of each window, padded by repeating its last position.

    Repeating a position cannot change the max, and the first occurrence keeps the smallest index.
    """
    start, end = _bounds(n_in, n_out, xp)
    kmax = int((end - start).max())
    pos = start[:, None] + xp.arange(kmax)[None, :]
    return xp.minimum(pos, (end - 1)[:, None])


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """Max pooling to a fixed ``output_size``; windows ``[floor(i*in/out), ceil((i+1)*in/out))``.

    >>> adaptive_max_pool2d(minitorch.randn(1, 3, 10, 9), (3, 4)).shape
    minitorch.Size([1, 3, 3, 4])
    """
    _, out = _adaptive_sizes(input, output_size, 2, "adaptive_max_pool2d")
    x, unbatched = (input.unsqueeze(0), True) if input.ndim == 3 else (input, False)
    if any(s == 0 for s in x.shape[1:]):
        raise RuntimeError(f"adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, "
                           f"but input has sizes {list(x.shape)} with dimension {list(x.shape).index(0)} being empty")
    y, idx = AdaptiveMaxPool.apply(x, out)
    if unbatched:
        y, idx = y.squeeze(0), idx.squeeze(0)
    return (y, idx) if return_indices else y


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """Max pooling of ``(N, C, L)`` to length ``output_size`` (a 2-D pool with height 1)."""
    _, (o,) = _adaptive_sizes(input, output_size, 1, "adaptive_max_pool1d")
    y, idx = adaptive_max_pool2d(input.unsqueeze(-2), (1, o), True)
    y, idx = y.squeeze(-2), idx.squeeze(-2)
    return (y, idx) if return_indices else y


__all__ = ["max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
           "adaptive_max_pool1d", "adaptive_max_pool2d"]
