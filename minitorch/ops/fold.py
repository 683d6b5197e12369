"""unfold and fold: im2col and col2im (``_im2col.py``) as public, differentiable ops.

``unfold`` lists the sliding windows of an image as columns; ``fold`` adds columns back into an image.
Each is the other's adjoint, so each one's backward is the other one (and double backward is free).
"""

from __future__ import annotations

from math import prod
from typing import NamedTuple

from ..autograd.function import Function
from . import _im2col
from ._conv_args import ints, type_name
from ._util import Tensor, _wrap


# ---- unfold / fold: im2col and col2im as public ops -------------------------------------------------------
class Unfold(Function):
    """(N, C, H, W) -> (N, C*kh*kw, L): the windows as columns.  Gradient: Fold (col2im) of the grad."""

    node_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx, x, kernel, p, out):
        n, c = x.shape[:2]
        win = _im2col.windows(_im2col.pad(x._data, p.pads), kernel, p.stride, p.dilation, out)
        ctx.p, ctx.size = p, tuple(x.shape[2:])
        return _wrap(win.reshape(n, c * prod(kernel), prod(out)), x._device)

    @staticmethod
    def backward(ctx, grad):
        return Fold.apply(grad, ctx.size, ctx.p), None, None, None


class Fold(Function):
    """(N, C*kh*kw, L) -> (N, C, H, W): add each column entry back where its window lies.  Gradient: Unfold."""

    node_name = "Col2ImBackward0"

    @staticmethod
    def forward(ctx, cols, size, p):
        kernel, out = ctx_kernel_out(p, size)
        n = cols.shape[0]
        c = cols.shape[1] // prod(kernel)
        x = _im2col.col2im(cols._data.reshape((n, c) + kernel + out), size, p.stride, p.pads, p.dilation)
        ctx.p, ctx.kernel, ctx.out = p, kernel, out
        return _wrap(x.copy(), cols._device)

    @staticmethod
    def backward(ctx, grad):
        return Unfold.apply(grad, ctx.kernel, ctx.p, ctx.out), None, None


class FoldParams(NamedTuple):
    """ConvParams plus the kernel size (fold needs it to reshape the columns)."""

    stride: tuple
    pads: tuple
    dilation: tuple
    groups: int
    kernel: tuple


def ctx_kernel_out(p: FoldParams, size) -> tuple:
    """The kernel and the number of windows per dimension of a fold/unfold geometry."""
    out = tuple(_im2col.out_size(s, k, st, lo, hi, d)
                for s, k, st, (lo, hi), d in zip(size, p.kernel, p.stride, p.pads, p.dilation))
    return tuple(p.kernel), out


def _pair(value, op: str, name: str) -> tuple:
    """An int repeated twice, or a list/tuple that must have 2 entries (PyTorch's ``_pair`` then its check)."""
    vals = ints(value, op, name, 2)
    if len(vals) != 2:
        raise RuntimeError(f"It is expected {name} equals to 2, but got size {len(vals)}")
    return vals


_CHECKS = {  # name: (what must hold, PyTorch's message start, the two values' labels)
    "kernel_size": (lambda v: v > 0, "kernel size should be greater than zero", "kernel"),
    "dilation": (lambda v: v > 0, "dilation should be greater than zero", "dilation"),
    "padding": (lambda v: v >= 0, "padding should be non-negative", "pad"),
    "stride": (lambda v: v > 0, "stride should be greater than zero", "stride"),
}


def _fold_params(op: str, kernel_size, dilation, padding, stride, order) -> FoldParams:
    """Parse and check the four geometry arguments, in the order PyTorch checks them for ``op``."""
    vals = {name: _pair(v, op, name) for name, v in (("kernel_size", kernel_size), ("dilation", dilation),
                                                     ("padding", padding), ("stride", stride))}
    for name in order:
        ok, message, label = _CHECKS[name]
        (h, w) = vals[name]
        if not (ok(h) and ok(w)):
            raise RuntimeError(f"{message}, but got {label}_height: {h} {label}_width: {w}")
    pads = tuple((q, q) for q in vals["padding"])
    return FoldParams(vals["stride"], pads, vals["dilation"], 1, vals["kernel_size"])


def _check_dims(input: Tensor, ndims: tuple, message: str, reads_dim_2: bool = False) -> None:
    """``input`` has one of ``ndims`` dims; only the batch dim (of the larger) may be empty."""
    if reads_dim_2 and input.ndim < 3:  # PyTorch's im2col reads size(2) before it looks at the number of dims
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(input.ndim, 1)}, "
                         f"{max(input.ndim, 1) - 1}], but got {input.ndim})")
    ok = input.ndim in ndims and 0 not in input.shape[input.ndim - ndims[0]:]
    if not ok:
        raise RuntimeError(f"{message}, but got: {list(input.shape)}")


def _blocks_error(size, p, out, prefix):
    return RuntimeError(
        f"{prefix} kernel_size={p.kernel}, dilation={p.dilation}, padding={tuple(lo for lo, _ in p.pads)}, "
        f"calculated shape of the array of sliding blocks as {out}, but its components must be at least one."
    )


def _check_dtype(input: Tensor, kernel_name: str) -> None:
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel_name}\" not implemented for '{type_name(input)}'")


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sliding local blocks of ``(N, C, H, W)`` as columns ``(N, C*kh*kw, L)`` (im2col).

    >>> unfold(minitorch.randn(1, 2, 4, 4), 3).shape
    minitorch.Size([1, 18, 4])
    """
    p = _fold_params("im2col", kernel_size, dilation, padding, stride, ("kernel_size", "dilation", "padding", "stride"))
    _check_dims(input, (3, 4), "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
                "dimensions for input", reads_dim_2=True)
    _check_dtype(input, "im2col_out_cpu")
    x, unbatched = (input.unsqueeze(0), True) if input.ndim == 3 else (input, False)
    kernel, out = ctx_kernel_out(p, tuple(x.shape[2:]))
    if any(o < 1 for o in out):
        raise _blocks_error(None, p, out, f"Given input with spatial size {tuple(x.shape[2:])},")
    y = Unfold.apply(x, kernel, p, out)
    return y.squeeze(0) if unbatched else y


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sum columns ``(N, C*kh*kw, L)`` back into an image ``(N, C, *output_size)`` (col2im).

    ``fold(unfold(x))`` multiplies each pixel by the number of windows that cover it.

    >>> fold(minitorch.ones(1, 18, 4), (4, 4), 3).shape
    minitorch.Size([1, 2, 4, 4])
    """
    size = _pair(output_size, "col2im", "output_size")
    p = _fold_params("col2im", kernel_size, dilation, padding, stride, ("kernel_size", "stride", "dilation", "padding"))
    _check_dims(input, (2, 3), "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                "dimensions for input")
    x, unbatched = (input.unsqueeze(0), True) if input.ndim == 2 else (input, False)
    kernel, out = ctx_kernel_out(p, size)
    kvol = prod(kernel)
    if x.shape[1] % kvol:
        raise RuntimeError(
            f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
            f"input.size(1)={x.shape[1]} and kernel_size={kernel}."
        )
    if any(o < 1 for o in out):
        raise _blocks_error(None, p, out, f"Given output_size={size},")
    if x.shape[2] != prod(out):
        raise RuntimeError(
            f"Given output_size={size}, kernel_size={kernel}, dilation={p.dilation}, padding="
            f"{tuple(lo for lo, _ in p.pads)}, stride={p.stride}, expected size of input's dimension 2 to match "
            f"the calculated number of sliding blocks {' * '.join(map(str, out))} = {prod(out)}, but got "
            f"input.size(2)={x.shape[2]}."
        )
    _check_dtype(input, "col2im_out_cpu")
    y = Fold.apply(x, size, p)
    return y.squeeze(0) if unbatched else y
