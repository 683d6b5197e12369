"""More pooling: 3-D max/avg/adaptive pooling, max unpooling, and the ``*_with_indices`` spellings.

The 3-D pools reuse the N-dimensional machinery of ``pooling.py``: ``MaxPool`` and ``AvgPool`` scan
windows of any number of spatial dims (``_im2col.windows``), so only the argument checks (PyTorch's
3-D messages) and the node names are new here. Adaptive average pooling is separable (average each
dim in turn); adaptive max pooling gathers its (uneven) windows and takes the first maximum.

Max unpooling is the scatter that max pooling's backward already does: each value goes to the
flat position its index names, zeros elsewhere; its gradient gathers from those positions.
"""

from __future__ import annotations

from .. import _dtype
from ..autograd.function import Function
from . import _im2col
from . import _pool_args as A
from ._util import Tensor, _wrap, scalar_type_name
from .pooling import (
    AvgPool,
    MaxPool,
    ScatterToInput,
    _adaptive_avg_dim,
    _avg_divisor,
    _check_non_empty,
    _check_tensor,
    _parse,
    _window_index,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    max_pool1d,
    max_pool2d,
)


class MaxPool3D(MaxPool):
    node_name = "MaxPool3DWithIndicesBackward0"


class AvgPool3D(AvgPool):
    node_name = "AvgPool3DBackward0"


# ---- the *_with_indices spellings (PyTorch's boolean dispatch targets) ------------------------------------
def max_pool1d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
                            return_indices: bool = False):
    """``max_pool1d(..., return_indices=True)``: always returns ``(values, indices)``."""
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool2d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
                            return_indices: bool = False):
    """``max_pool2d(..., return_indices=True)``: always returns ``(values, indices)``."""
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def adaptive_max_pool1d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """``adaptive_max_pool1d(..., return_indices=True)``."""
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """``adaptive_max_pool2d(..., return_indices=True)``."""
    return adaptive_max_pool2d(input, output_size, True)


# ---- 3-D max and average pooling ------------------------------------------------------------------------
def _pool3d_geometry(x: Tensor, kernel, stride, padding, dilation, ceil_mode, check_input_size=False) -> tuple:
    """PyTorch's ``pool3d_shape_check`` for a 4-D or 5-D ``x``: output size and per-side paddings."""
    size = tuple(x.shape[-3:])
    out = tuple(A.output_size(*a, ceil_mode) for a in zip(size, kernel, stride, padding, dilation))
    (kt, kh, kw), (st, sh, sw), (pt, ph, pw), (dt, dh, dw) = kernel, stride, padding, dilation
    if min(kernel) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kT: {kt} kH: {kh} kW: {kw}")
    if min(stride) <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dT: {st} dH: {sh} dW: {sw}")
    if min(dilation) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationT: {dt} dilationH: {dh} "
                           f"dilationW: {dw}")
    if check_input_size and (size[0] < kt or size[1] < kh or size[2] < kw):
        raise RuntimeError(f"input image (T: {size[0]} H: {size[1]} W: {size[2]}) smaller than kernel size "
                           f"(kT: {kt} kH: {kh} kW: {kw})")
    if kt // 2 < pt or kw // 2 < pw or kh // 2 < ph:
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got kT: {kt} kW: {kw} "
                           f"kH: {kh} padT: {pt} padW: {pw} padH: {ph}")
    if min(out) < 1:
        c = x.shape[-4]
        raise RuntimeError(f"Given input size: ({c}x{size[0]}x{size[1]}x{size[2]}). Calculated output size: "
                           f"({c}x{out[0]}x{out[1]}x{out[2]}). Output size is too small")
    pads = tuple((p, max(p, (o - 1) * s + d * (k - 1) + 1 - n - p))
                 for n, o, k, s, p, d in zip(size, out, kernel, stride, padding, dilation))
    return out, pads


def _check_4d_5d(input: Tensor) -> None:
    shape = input.shape
    if input.ndim not in (4, 5) or 0 in shape[-4:]:
        raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")


def _triple(args, op: str, words=None) -> tuple:
    names = ("kernel_size", "stride", "padding", "dilation")
    out = []
    for v, what in zip(args, names):
        if words is not None and len(v) not in (1, 3):
            raise RuntimeError(f"{op}: {what} {words[what]} a single int, or a tuple of three ints")
        out.append(A.pool_tuple(v, 3, op, what))
    return tuple(out)


def max_pool3d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """3-D max pooling over ``(N, C, D, H, W)`` or ``(C, D, H, W)``; indices are flat into ``D*H*W``.

    >>> max_pool3d(minitorch.randn(1, 2, 4, 4, 4), 2).shape
    minitorch.Size([1, 2, 2, 2, 2])
    """
    fname = "max_pool3d_with_indices" if return_indices else "max_pool3d"
    _check_tensor(input, fname)
    kernel, stride, padding, dilation = _triple(_parse(fname, kernel_size, stride, padding, dilation), "max_pool3d")
    _check_4d_5d(input)
    out, pads = _pool3d_geometry(input, kernel, stride, padding, dilation, ceil_mode)
    A.check_dtype(input, "max_pool3d")
    x = input.unsqueeze(0) if input.ndim == 4 else input
    y, idx = MaxPool3D.apply(x, kernel, stride, pads, dilation, out)
    if input.ndim == 4:
        y, idx = y.squeeze(0), idx.squeeze(0)
    return (y, idx) if return_indices else y


def max_pool3d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
                            return_indices: bool = False):
    """``max_pool3d(..., return_indices=True)``: always returns ``(values, indices)``."""
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


_AVG_WORDS = {"kernel_size": "must be", "stride": "must be omitted,", "padding": "must be"}


def avg_pool3d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """3-D average pooling over ``(N, C, D, H, W)`` or ``(C, D, H, W)`` (same rules as ``avg_pool2d``).

    >>> avg_pool3d(minitorch.ones(1, 1, 2, 2, 2), 2).shape
    minitorch.Size([1, 1, 1, 1, 1])
    """
    _check_tensor(input, "avg_pool3d")
    kernel, stride, padding = _triple(_parse("avg_pool3d", kernel_size, stride, padding)[:3], "avg_pool3d", _AVG_WORDS)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    _check_4d_5d(input)
    out, pads = _pool3d_geometry(input, kernel, stride, padding, (1, 1, 1), ceil_mode, check_input_size=True)
    A.check_dtype(input, "avg_pool3d_out_frame")
    x = input.unsqueeze(0) if input.ndim == 4 else input
    divisor = _avg_divisor(tuple(x.shape[-3:]), out, kernel, stride, padding, count_include_pad, divisor_override,
                           x._device.xp, x._data.dtype)
    y = AvgPool3D.apply(x, kernel, stride, pads, divisor)
    return y.squeeze(0) if input.ndim == 4 else y


# ---- 3-D adaptive pooling -------------------------------------------------------------------------------
def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    """Average pooling of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` to ``output_size`` (separable windows).

    >>> adaptive_avg_pool3d(minitorch.randn(1, 2, 5, 6, 7), (2, 3, 1)).shape
    minitorch.Size([1, 2, 2, 3, 1])
    """
    _check_tensor(input, "adaptive_avg_pool3d")
    out = A.adaptive_output_size(input, output_size, "adaptive_avg_pool3d", nd=3)
    if len(out) != 3:
        raise RuntimeError("adaptive_avg_pool3d: output_size must be 3")
    if min(out) < 0:
        raise RuntimeError(f"adaptive_avg_pool3d: elements of output_size must be greater than or equal to 0 but "
                           f"received {{{out[0]}, {out[1]},{out[2]}}}")  # sic: PyTorch's spacing
    if input.ndim not in (4, 5):
        raise RuntimeError(f"adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got {list(input.shape)}")
    _check_non_empty(input, "adaptive_avg_pool3d")
    A.check_dtype(input, "adaptive_avg_pool3d_cpu", allow_int=False)
    y = input
    for k in range(3):
        y = _adaptive_avg_dim(y, input.ndim - 3 + k, out[k])
    return y


class AdaptiveMaxPool3D(Function):
    """y = max over each adaptive window (with flat D*H*W indices).  Gradient: scatter dY to the argmax."""

    node_name = "AdaptiveMaxPool3DBackward0"

    @staticmethod
    def forward(ctx, x, out):
        xd = x._data
        xp = _im2col._xp(xd)
        size = xd.shape[2:]
        ctx.in_shape = tuple(xd.shape)
        if 0 in out or xd.shape[0] == 0:  # nothing to pool
            idx = _wrap(xp.zeros(xd.shape[:2] + tuple(out), dtype=xp.int64), x._device)
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(idx)
            return _wrap(xp.zeros(xd.shape[:2] + tuple(out), dtype=xd.dtype), x._device), idx
        pos = [_window_index(n, o, xp) for n, o in zip(size, out)]  # (o, k) per dim
        d, h, w = pos
        win = xd[:, :, d[:, None, None, :, None, None], h[None, :, None, None, :, None], w[None, None, :, None, None, :]]
        kd, kh, kw = d.shape[1], h.shape[1], w.shape[1]
        win = win.reshape(win.shape[:5] + (kd * kh * kw,))  # (N, C, od, oh, ow, K)
        arg = win.argmax(-1)  # the first maximum in (d, h, w) order
        values = xp.take_along_axis(win, arg[..., None], -1)[..., 0]
        od, oh, ow = out
        rd = d[xp.arange(od)[:, None, None], arg // (kh * kw)]
        rh = h[xp.arange(oh)[:, None], (arg // kw) % kh]
        rw = w[xp.arange(ow), arg % kw]
        idx = _wrap(((rd * size[1] + rh) * size[2] + rw).astype(xp.int64), x._device)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return _wrap(values, x._device), idx

    @staticmethod
    def backward(ctx, grad, _grad_indices=None):
        (idx,) = ctx.saved_tensors
        return ScatterToInput.apply(grad, idx, ctx.in_shape, False), None


def adaptive_max_pool3d(input: Tensor, output_size, return_indices: bool = False):
    """Max pooling of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` to ``output_size``.

    >>> adaptive_max_pool3d(minitorch.randn(1, 2, 5, 6, 7), 2).shape
    minitorch.Size([1, 2, 2, 2, 2])
    """
    _check_tensor(input, "adaptive_max_pool3d")
    out = A.adaptive_output_size(input, output_size, "adaptive_max_pool3d", nd=3)
    if input.ndim not in (4, 5):
        raise RuntimeError(f"adaptive_max_pool3d(): Expected 4D or 5D tensor, but got: {list(input.shape)}")
    _check_non_empty(input, "adaptive_max_pool3d")
    if len(out) != 3:
        raise RuntimeError("adaptive_max_pool3d(): internal error: output_size.size() must be 3")
    A.check_dtype(input, "adaptive_max_pool3d_cpu", allow_int=False)
    if min(out) < 0:
        shape = list(input.shape[:-3]) + list(out)
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(out)}: {shape}")
    x = input.unsqueeze(0) if input.ndim == 4 else input
    y, idx = AdaptiveMaxPool3D.apply(x, out)
    if input.ndim == 4:
        y, idx = y.squeeze(0), idx.squeeze(0)
    return (y, idx) if return_indices else y


def adaptive_max_pool3d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """``adaptive_max_pool3d(..., return_indices=True)``."""
    return adaptive_max_pool3d(input, output_size, True)


# ---- max unpooling --------------------------------------------------------------------------------------
class MaxUnpool(ScatterToInput):
    """out = zeros(N, C, *output_size) with input[n, c, j] written at flat position indices[n, c, j].

    Gradient: d/dinput = grad_out gathered at the indices (ScatterToInput's backward).
    """

    node_name = "MaxUnpool2DBackward0"


class MaxUnpool3D(MaxUnpool):
    node_name = "MaxUnpool3DBackward0"


def _unpool_output_size(input: Tensor, kernel, stride, padding, output_size) -> list:
    """PyTorch's ``_unpool_output_size``: the default ``(in - 1) * stride + kernel - 2 * padding``, or a checked one."""
    n = len(kernel)
    default = [(input.shape[-n + d] - 1) * stride[d] + kernel[d] - 2 * padding[d] for d in range(n)]
    if output_size is None:
        return default
    given = output_size
    if len(output_size) == n + 2:
        output_size = output_size[2:]
    if len(output_size) != n:
        raise ValueError(f"output_size should be a sequence containing {n} or {n + 2} elements, but it has a length "
                         f"of '{len(output_size)}'")
    for d in range(n):
        lo, hi = default[d] - stride[d], default[d] + stride[d]
        if not lo < output_size[d] < hi:
            shown = output_size if len(given) == n else given[2:]
            raise ValueError(f'invalid output_size "{shown}" (dim {d} must be between {lo} and {hi})')
    return list(output_size)


def _max_unpool(input: Tensor, indices: Tensor, size: list, nsp: int, fn=MaxUnpool) -> Tensor:
    """Checks of PyTorch's ``max_unpooling{2,3}d_forward``, then the scatter."""
    if indices.dtype is not _dtype.int64:
        raise RuntimeError(f"elements in indices should be type int64 but got: {scalar_type_name(indices.dtype)}")
    if input.ndim not in (nsp + 1, nsp + 2):
        raise RuntimeError(f"Input to max_unpooling{nsp}d should be a {nsp + 1}d or {nsp + 2}d Tensor, but got a tensor "
                           f"with {input.ndim} dimensions.")
    if input.shape != indices.shape:
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor ({list(input.shape)}) "
                           f"but got indices tensor with shape: {list(indices.shape)}")
    for d in range(1, input.ndim):
        if input.shape[d] == 0:
            raise RuntimeError(f"max_unpooling{nsp}d_forward_out_cpu(): Expected input to have non-zero size for "
                               f"non-batch dimensions, but got {list(input.shape)} with dimension {d} being empty.")
    numel = 1
    for s in size:
        numel *= s
    bad = (indices < 0) | (indices >= numel)
    if indices.numel() and bool(bad.any()):
        last = int(indices.reshape(-1)[bad.reshape(-1).nonzero()[-1, 0]])  # PyTorch's loop reports the last one
        raise RuntimeError(f"Found an invalid max index: {last} (output volumes are of size "
                           f"{'x'.join(str(s) for s in size)})")
    batched = input.ndim == nsp + 2
    x, i = (input, indices) if batched else (input.unsqueeze(0), indices.unsqueeze(0))
    if x.numel() == 0:  # an empty batch: nothing to place
        return x.new_zeros(tuple(x.shape[:2]) + tuple(size)) + x.sum() * 0
    y = fn.apply(x, i, tuple(x.shape[:2]) + tuple(size), True)
    return y if batched else y.squeeze(0)


def _ints(v, n: int) -> tuple:
    v = tuple(v) if isinstance(v, (list, tuple)) else (v,)
    return v * n if len(v) == 1 else v


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None) -> Tensor:
    """The partial inverse of ``max_pool1d``: values back at their indices, zeros elsewhere.

    >>> y, i = max_pool1d(minitorch.tensor([[[1., 3., 2., 0.]]]), 2, return_indices=True)
    >>> max_unpool1d(y, i, 2)
    tensor([[[0., 3., 2., 0.]]])
    """
    kernel = _ints(kernel_size, 1)
    stride = kernel if stride is None else _ints(stride, 1)
    size = _unpool_output_size(input, kernel, stride, _ints(padding, 1), output_size)
    return _max_unpool(input.unsqueeze(-1), indices.unsqueeze(-1), size + [1], 2).squeeze(-1)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None) -> Tensor:
    """The partial inverse of ``max_pool2d``: each value goes to its flat index in ``H*W``; zeros elsewhere."""
    kernel = _ints(kernel_size, 2)
    stride = kernel if stride is None else _ints(stride, 2)
    size = _unpool_output_size(input, kernel, stride, _ints(padding, 2), output_size)
    return _max_unpool(input, indices, size, 2)


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None) -> Tensor:
    """The partial inverse of ``max_pool3d``: each value goes to its flat index in ``D*H*W``; zeros elsewhere."""
    kernel = _ints(kernel_size, 3)
    stride = kernel if stride is None else _ints(stride, 3)
    size = _unpool_output_size(input, kernel, stride, _ints(padding, 3), output_size)
    return _max_unpool(input, indices, size, 3, MaxUnpool3D)


__all__ = ["max_pool1d_with_indices", "max_pool2d_with_indices", "max_pool3d_with_indices",
           "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
           "adaptive_max_pool3d_with_indices", "max_pool3d", "avg_pool3d", "adaptive_avg_pool3d",
           "adaptive_max_pool3d", "max_unpool1d", "max_unpool2d", "max_unpool3d"]
