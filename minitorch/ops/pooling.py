"""Pooling: max/avg pooling (1-D, 2-D), adaptive avg/max pooling.

Pooling reads the same windows as a convolution (``_im2col.windows``, a
strided view, no copy) and reduces each one:

* max pooling keeps the largest value and remembers *where* it was
  (``indices`` into the flattened ``H*W`` input, as PyTorch returns them);
  backward sends each gradient to that one position (scatter-add);
* average pooling sums the window and divides by the window's count;
  backward spreads ``grad / count`` evenly over the window (col2im).

The 1-D pools are 2-D pools of height 1, as in PyTorch. The argument checks (PyTorch's, in its
order and with its messages) and the output-size rule are in ``_pool_args.py``.
"""

from __future__ import annotations

import itertools
from math import prod

from ..autograd.function import Function
from . import _im2col
from . import _pool_args as A
from ._util import Tensor, _wrap
from .elementwise import where
from .indexing import Gather


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
        # "or NaN" lets NaN win, as PyTorch does. (maximum() rather than a masked copy: NumPy's masked
        # copies are ~30x slower, and maximum() also lets NaN win.)
        # BEGIN SOLUTION 6.4
        # HINT: scan the kernel offsets k: v = win[:, :, *offset]; keep the running max in best and the first offset k
        # HINT: where it occurred in arg (strict >, and NaN wins); offsets only grow, so "k where better, else arg"
        # HINT: is xp.maximum(arg, better * k)
        best, arg = None, None
        for k, offset in enumerate(itertools.product(*(range(n) for n in kernel))):
            v = win[(slice(None), slice(None)) + offset]
            if best is None:
                best, arg = v.copy(), xp.zeros(v.shape, dtype=xp.int64)
                continue
            better = v > best
            if xd.dtype.kind == "f":
                better |= xp.isnan(v)
            best = xp.maximum(best, v)
            arg = xp.maximum(arg, better * k)
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


def _check_tensor(input, fname: str) -> None:
    if not isinstance(input, Tensor):
        raise TypeError(f"{fname}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")


def _parse(fname: str, kernel_size, stride, padding, dilation=1) -> tuple:
    """The raw tuples of the arguments; ``stride=None`` (or empty) means ``stride = kernel_size``."""
    kernel = A.as_ints(kernel_size, fname, "kernel_size")
    stride = kernel if stride is None or stride == [] or stride == () else A.as_ints(stride, fname, "stride")
    return kernel, stride, A.as_ints(padding, fname, "padding"), A.as_ints(dilation, fname, "dilation")


def _max_pool2d(x, kernel, stride, padding, dilation, ceil_mode):
    """Max pooling of a 3-D or 4-D ``x`` (checked here); returns (values, indices)."""
    out, pads = A.pool2d_geometry(x, kernel, stride, padding, dilation, ceil_mode)
    A.check_dtype(x, "max_pool2d")
    xb = x.unsqueeze(0) if x.ndim == 3 else x
    y, idx = MaxPool.apply(xb, kernel, stride, pads, dilation, out)
    return (y.squeeze(0), idx.squeeze(0)) if x.ndim == 3 else (y, idx)


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """1-D max pooling over ``(N, C, L)`` or ``(C, L)``: a 2-D max pool of height 1."""
    fname = "max_pool1d_with_indices" if return_indices else "max_pool1d"
    _check_tensor(input, fname)
    kernel, stride, padding, dilation = _parse(fname, kernel_size, stride, padding, dilation)
    if return_indices:
        A.check_1d(input, "max_pool1d", kernel_size=kernel, stride=stride, padding=padding, dilation=dilation)
    else:
        A.check_max_pool1d(input, kernel, stride, padding, dilation, ceil_mode)
        A.check_dtype(input, "max_pool1d_impl", allow_int=False)
    y, idx = _max_pool2d(input.unsqueeze(-2), (1,) + kernel, (1,) + stride, (0,) + padding, (1,) + dilation, ceil_mode)
    return (y.squeeze(-2), idx.squeeze(-2)) if return_indices else y.squeeze(-2)


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """2-D max pooling over ``(N, C, H, W)`` or ``(C, H, W)``; padding counts as ``-inf``.

    With ``return_indices`` also returns, for each output, the flat index ``h * W + w`` of its maximum.
    Ties go to the first maximum (row by row), and NaN wins, as in PyTorch.

    >>> max_pool2d(minitorch.randn(1, 6, 24, 24), 2).shape
    minitorch.Size([1, 6, 12, 12])
    """
    fname = "max_pool2d_with_indices" if return_indices else "max_pool2d"
    _check_tensor(input, fname)
    args = _parse(fname, kernel_size, stride, padding, dilation)
    kernel, stride, padding, dilation = (A.pool_tuple(v, 2, "max_pool2d", what) for v, what in
                                         zip(args, ("kernel_size", "stride", "padding", "dilation")))
    if input.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    y, idx = _max_pool2d(input, kernel, stride, padding, dilation, ceil_mode)
    return (y, idx) if return_indices else y


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


def _avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
    """Average pooling of a 3-D or 4-D ``x`` (checked here)."""
    out, pads = A.pool2d_geometry(x, kernel, stride, padding, (1, 1), ceil_mode)
    A.check_dtype(x, "avg_pool2d")
    xb = x.unsqueeze(0) if x.ndim == 3 else x
    divisor = _avg_divisor(tuple(x.shape[-2:]), out, kernel, stride, padding, count_include_pad,
                           divisor_override, x._device.xp, x._data.dtype)
    y = AvgPool.apply(xb, kernel, stride, pads, divisor)
    return y.squeeze(0) if x.ndim == 3 else y


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """1-D average pooling over ``(N, C, L)`` or ``(C, L)``: a 2-D average pool of height 1."""
    _check_tensor(input, "avg_pool1d")
    kernel, stride, padding, _ = _parse("avg_pool1d", kernel_size, stride, padding)
    A.check_1d(input, "avg_pool1d", kernel_size=kernel, stride=stride, padding=padding)
    y = _avg_pool2d(input.unsqueeze(-2), (1,) + kernel, (1,) + stride, (0,) + padding, ceil_mode, count_include_pad,
                    None)
    return y.squeeze(-2)


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """2-D average pooling over ``(N, C, H, W)`` or ``(C, H, W)``.

    ``count_include_pad``: whether zero padding counts in the divisor; ``divisor_override``: divide by this.

    >>> avg_pool2d(minitorch.ones(1, 1, 4, 4), 2)
    tensor([[[[1., 1.],
              [1., 1.]]]])
    """
    _check_tensor(input, "avg_pool2d")
    args = _parse("avg_pool2d", kernel_size, stride, padding)[:3]
    kernel, stride, padding = (A.pool_tuple(v, 2, "avg_pool2d", what) for v, what in
                               zip(args, ("kernel_size", "stride", "padding")))
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    if input.ndim < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(input.ndim, 1)}, "
                         f"{max(input.ndim, 1) - 1}], but got -3)")
    return _avg_pool2d(input, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)


# ---- adaptive pooling -----------------------------------------------------------------------------------
def _bounds(n_in: int, n_out: int, xp):
    """Window i covers [floor(i*in/out), ceil((i+1)*in/out)) (PyTorch's adaptive pooling windows)."""
    i = xp.arange(n_out)
    return (i * n_in) // n_out, -((-(i + 1) * n_in) // n_out)


def _adaptive_avg_dim(x: Tensor, dim: int, n_out: int) -> Tensor:
    """Average ``x`` along ``dim`` over the ``n_out`` adaptive windows (differentiable tensor ops only).

    Each window's positions are gathered (``index_select``), padded to the longest window, and the
    padding is masked out with ``where`` before the sum: a ``0 * inf`` never appears, so an inf or NaN
    stays inside its own windows.
    """
    n_in = x.shape[dim]
    if n_in == n_out:
        return x
    if n_out > 0 and n_in % n_out == 0:  # equal, disjoint windows: split the dim in two and average
        k = n_in // n_out
        return x.reshape(x.shape[:dim] + (n_out, k) + x.shape[dim + 1:]).mean(dim + 1)
    xp = x._device.xp
    start, end = _bounds(n_in, n_out, xp)
    kmax = int((end - start).max()) if n_out else 0
    pos = start[:, None] + xp.arange(kmax)[None, :]  # (n_out, kmax)
    inside = pos < end[:, None]
    pos = xp.where(inside, pos, start[:, None])  # padding: any position of the window (masked below)
    win = x.index_select(dim, _wrap(pos.reshape(-1).astype(xp.int64), x._device))
    win = win.reshape(x.shape[:dim] + (n_out, kmax) + x.shape[dim + 1:])
    tail = (1,) * (x.ndim - dim - 1)
    mask = _wrap(inside.reshape((n_out, kmax) + tail), x._device)
    count = _wrap((end - start).astype(x._data.dtype).reshape((n_out,) + tail), x._device)
    return where(mask, win, 0).sum(dim + 1) / count


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Average pooling to a fixed ``output_size`` (an int, or a pair with ``None`` keeping that size).

    Window i along a dimension covers ``[floor(i*in/out), ceil((i+1)*in/out))``; windows of neighbouring
    outputs may overlap when ``out`` does not divide ``in``. The windows are separable: average the rows,
    then the columns.

    >>> adaptive_avg_pool2d(minitorch.randn(2, 512, 7, 7), 1).shape
    minitorch.Size([2, 512, 1, 1])
    """
    _check_tensor(input, "adaptive_avg_pool2d")
    out = A.adaptive_output_size(input, output_size, "adaptive_avg_pool2d")
    if len(out) != 2:
        raise RuntimeError("adaptive_avg_pool2d: output_size must be 2")
    if min(out) < 0:
        raise RuntimeError(f"adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but "
                           f"received {{{out[0]}, {out[1]}}}")
    if input.ndim not in (3, 4):
        raise RuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {list(input.shape)}")
    for d in (input.ndim - 2, input.ndim - 1):
        if input.shape[d] == 0:
            raise RuntimeError(f"adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, "
                               f"but input has sizes {list(input.shape)} with dimension {d} being empty")
    A.check_dtype(input, "adaptive_avg_pool2d", allow_int=False)
    return _adaptive_avg_dim(_adaptive_avg_dim(input, input.ndim - 2, out[0]), input.ndim - 1, out[1])


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """Average pooling of ``(N, C, L)`` or ``(C, L)`` to length ``output_size`` (a 2-D pool of height 1)."""
    _check_tensor(input, "adaptive_avg_pool1d")
    (o,) = _adaptive_1d_size(input, output_size, "adaptive_avg_pool1d")
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, o)).squeeze(-2)


def _adaptive_1d_size(input, output_size, op: str) -> tuple:
    size = A.as_ints(output_size, op, "output_size")
    A.check_1d(input, op, output_size=size)
    return size


class AdaptiveMaxPool(Function):
    """y = max over each adaptive window (with flat H*W indices).  Gradient: scatter dY to the argmax."""

    node_name = "AdaptiveMaxPool2DBackward0"

    @staticmethod
    def forward(ctx, x, out):
        xd = x._data
        xp = _im2col._xp(xd)
        (h, w), (oh, ow) = xd.shape[2:], out
        ctx.in_shape = tuple(xd.shape)
        if 0 in (oh, ow, xd.shape[0]):  # nothing to pool
            idx = _wrap(xp.zeros(xd.shape[:2] + (oh, ow), dtype=xp.int64), x._device)
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(idx)
            return _wrap(xp.zeros(xd.shape[:2] + (oh, ow), dtype=xd.dtype), x._device), idx
        rows, cols = _window_index(h, oh, xp), _window_index(w, ow, xp)  # (oh, kh), (ow, kw)
        win = xd[:, :, rows[:, None, :, None], cols[None, :, None, :]]  # (N, C, oh, ow, kh, kw)
        win = win.reshape(win.shape[:4] + (rows.shape[1] * cols.shape[1],))
        arg = win.argmax(-1)  # first maximum, like PyTorch's scan over h then w
        values = xp.take_along_axis(win, arg[..., None], -1)[..., 0]
        kw = cols.shape[1]
        r = rows[xp.arange(oh)[:, None], arg // kw]  # input row of each maximum, (N, C, oh, ow)
        c = cols[xp.arange(ow), arg % kw]
        idx = _wrap((r * w + c).astype(xp.int64), x._device)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
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
    _check_tensor(input, "adaptive_max_pool2d")
    out = A.adaptive_output_size(input, output_size, "adaptive_max_pool2d")
    if input.ndim not in (3, 4):
        raise RuntimeError(f"adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: {list(input.shape)}")
    _check_non_empty(input, "adaptive_max_pool2d")
    if len(out) != 2:
        raise RuntimeError("adaptive_max_pool2d(): internal error: output_size.size() must be 2")
    A.check_dtype(input, "adaptive_max_pool2d", allow_int=False)
    x = input.unsqueeze(0) if input.ndim == 3 else input
    y, idx = AdaptiveMaxPool.apply(x, out)
    if input.ndim == 3:
        y, idx = y.squeeze(0), idx.squeeze(0)
    return (y, idx) if return_indices else y


def _check_non_empty(input: Tensor, op: str) -> None:
    for d in range(1, input.ndim):
        if input.shape[d] == 0:
            raise RuntimeError(f"{op}(): Expected input to have non-zero size for non-batch dimensions, but input has "
                               f"sizes {list(input.shape)} with dimension {d} being empty")


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """Max pooling of ``(N, C, L)`` or ``(C, L)`` to length ``output_size`` (a 2-D pool with height 1)."""
    _check_tensor(input, "adaptive_max_pool1d")
    (o,) = _adaptive_1d_size(input, output_size, "adaptive_max_pool1d")
    _check_non_empty(input, "adaptive_max_pool1d")
    y, idx = adaptive_max_pool2d(input.unsqueeze(-2), (1, o), True)
    y, idx = y.squeeze(-2), idx.squeeze(-2)
    return (y, idx) if return_indices else y


__all__ = ["max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
           "adaptive_max_pool1d", "adaptive_max_pool2d"]
