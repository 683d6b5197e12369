"""Convolution: conv1d/conv2d/conv3d and conv_transpose1d/2d (unfold and fold live in ``fold.py``).

A convolution is im2col (see ``_im2col.py``) followed by ONE matrix product.
With ``G`` groups, ``K = kernel volume`` and ``L`` output positions::

    cols = im2col(x)                  # (G, C/G * K, N * L): one column per output position
    y    = W @ cols                   # (G, O/G, C/G * K) @ (G, C/G * K, N * L) -> (G, O/G, N * L)

The batch sits next to the output positions, so the product covers the whole
batch at once (one big BLAS call per group, no Python loop over images).

Backward, for dY laid out like y:

    dX = col2im(W^T @ dY)             # the *transposed* convolution of dY
    dW = dY @ cols^T                  # correlate the input with dY
    db = sum of dY over batch and positions

The three maps are each other's derivatives (they are the three ways to read
the bilinear form ``<conv(x, W), dY>``), so each is a ``Function`` whose
backward calls the others: ``Conv`` (forward), ``ConvTranspose`` (dX, also
the public ``conv_transpose2d``) and ``ConvWeightGrad`` (dW). That closes the
set under differentiation, which is what makes double backward work.
"""

from __future__ import annotations

from math import prod
from typing import NamedTuple

from ..autograd.function import Function
from . import _conv_args as A
from . import _im2col
from ._util import Tensor, _wrap
from .fold import fold, unfold  # noqa: F401  (they used to live here: still importable from this module)


class ConvParams(NamedTuple):
    """Geometry of a convolution: per-dimension tuples, paddings as ``((lo, hi), ...)``."""

    stride: tuple
    pads: tuple
    dilation: tuple
    groups: int


# ---- array layout helpers ---------------------------------------------------------------------------
def _columns(x, kernel, p: ConvParams, out):
    """im2col of ``x`` for one matrix product: shape ``(G, C/G * K, N * L)`` (this is the one copy)."""
    n, nsp = x.shape[0], len(kernel)
    win = _im2col.windows(_im2col.pad(x, p.pads), kernel, p.stride, p.dilation, out)  # (N, C, *k, *out) view
    # Move the batch next to the output positions: (C, *k, N, *out).
    win = win.transpose((1, *range(2, 2 + nsp), 0, *range(2 + nsp, 2 + 2 * nsp)))
    return win.reshape(p.groups, x.shape[1] // p.groups * prod(kernel), n * prod(out))


def _grouped(y, groups):
    """``(N, O, *out)`` -> ``(G, O/G, N * L)``: channels first, batch and positions merged."""
    n, o = y.shape[:2]
    return y.reshape(n, o, prod(y.shape[2:])).transpose(1, 0, 2).reshape(groups, o // groups, n * prod(y.shape[2:]))


def _ungrouped(yg, n, out, bias):
    """``(G, O/G, N * L)`` -> contiguous ``(N, O, *out)``, adding ``bias`` on the way."""
    xp = _im2col._xp(yg)
    o = yg.shape[0] * yg.shape[1]
    y = yg.reshape(o, n, *out).swapaxes(0, 1)
    res = xp.empty(y.shape, dtype=yg.dtype)
    if bias is None:
        res[...] = y
    else:
        xp.add(y, bias._data.reshape((1, o) + (1,) * len(out)), out=res)
    return res


def _weights(w, groups):
    """``(O, C/G, *k)`` -> ``(G, O/G, C/G * K)``."""
    return w.reshape(groups, w.shape[0] // groups, prod(w.shape[1:]))


def _spatial_dims(t):
    return tuple(range(2, t.ndim))


# ---- the three Functions ------------------------------------------------------------------------------
class Conv(Function):
    """y = W (*) x + b, computed as W @ im2col(x).

    dX = ConvTranspose(dY, W);  dW = ConvWeightGrad(x, dY) = dY @ cols^T;  db = sum of dY.
    """

    node_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, w, b, p, out):
        # BEGIN SOLUTION 6.3
        # HINT: im2col the input (_columns: (G, C/G * K, N * L)), then ONE matrix product with the weights reshaped to
        # HINT: (G, O/G, C/G * K) (_weights)
        cols = _columns(x._data, w.shape[2:], p, out)
        y = _weights(w._data, p.groups) @ cols
        # END SOLUTION
        ctx.p = p
        ctx.cols = cols if w._rg else None  # reused by dW, saves a second im2col (recomputed if freed)
        ctx.save_for_backward(x, w)
        return _wrap(_ungrouped(y, x.shape[0], out, b), x._device)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        cols, ctx.cols = ctx.cols, None  # use once; a second backward recomputes it
        need = ctx.needs_input_grad
        gy = _grouped(grad._data, ctx.p.groups)  # dY laid out for the products, shared by dX and dW
        gx = ConvTranspose.apply(grad, w, None, ctx.p, tuple(x.shape[2:]), gy) if need[0] else None
        gw = ConvWeightGrad.apply(x, grad, ctx.p, tuple(w.shape[2:]), cols, gy) if need[1] else None
        gb = grad.sum(_spatial_dims(grad) + (0,)) if need[2] else None
        return gx, gw, gb, None, None


class ConvTranspose(Function):
    """x = col2im(W^T @ y) + b: the adjoint of ``Conv`` in its input (``conv_transpose``).

    dY = Conv(dX, W);  dW = ConvWeightGrad(dX, y);  db = sum of dX.
    """

    node_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, y, w, b, p, size, y_grouped):
        n, nsp = y.shape[0], len(size)
        kernel, out = tuple(w.shape[2:]), tuple(y.shape[2:])
        if y_grouped is None:
            y_grouped = _grouped(y._data, p.groups)
        cols = _weights(w._data, p.groups).transpose(0, 2, 1) @ y_grouped  # (G, C/G*K, N*L)
        c = w.shape[1] * p.groups
        cols = cols.reshape((c, *kernel, n, *out))
        cols = _im2col._xp(cols).moveaxis(cols, 1 + nsp, 0)  # (N, C, *k, *out): a view, for col2im
        x = _im2col.col2im(cols, size, p.stride, p.pads, p.dilation)
        if b is not None:
            x = x + b._data.reshape((1, c) + (1,) * nsp)
        ctx.p = p
        ctx.save_for_backward(y, w)
        return _wrap(x, y._device)

    @staticmethod
    def backward(ctx, grad):
        y, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        gy = Conv.apply(grad, w, None, ctx.p, tuple(y.shape[2:])) if need[0] else None
        gw = ConvWeightGrad.apply(grad, y, ctx.p, tuple(w.shape[2:]), None, None) if need[1] else None
        gb = grad.sum(_spatial_dims(grad) + (0,)) if need[2] else None
        return gy, gw, gb, None, None, None


class ConvWeightGrad(Function):
    """dW = dY @ im2col(x)^T, the weight gradient of ``Conv`` (bilinear in x and dY).

    For an incoming G (shaped like W):  d/dx = ConvTranspose(dY, G),  d/d(dY) = Conv(x, G).
    """

    @staticmethod
    def forward(ctx, x, gy, p, kernel, cols, gy_grouped):
        out = tuple(gy.shape[2:])
        if cols is None:
            cols = _columns(x._data, kernel, p, out)
        if gy_grouped is None:
            gy_grouped = _grouped(gy._data, p.groups)
        gw = gy_grouped @ cols.transpose(0, 2, 1)  # (G, O/G, C/G * K)
        ctx.p = p
        ctx.save_for_backward(x, gy)
        o, cg = gy.shape[1], x.shape[1] // p.groups
        return _wrap(gw.reshape((o, cg) + tuple(kernel)), x._device)

    @staticmethod
    def backward(ctx, grad):
        x, gy = ctx.saved_tensors
        need = ctx.needs_input_grad
        gx = ConvTranspose.apply(gy, grad, None, ctx.p, tuple(x.shape[2:]), None) if need[0] else None
        ggy = Conv.apply(x, grad, None, ctx.p, tuple(gy.shape[2:])) if need[1] else None
        return gx, ggy, None, None, None, None


# ---- the public functions (argument checks in ``_conv_args.py``) -----------------------------------------------
def _conv_nd(input, weight, bias, stride, padding, dilation, groups, nsp: int) -> Tensor:
    op = f"conv{nsp}d"
    A.check_tensors(op, input, weight, bias)
    stride, dilation = A.ints(stride, op, "stride", nsp), A.ints(dilation, op, "dilation", nsp)
    if not A.is_int(groups):
        raise TypeError(f"{op}(): argument 'groups' must be int, not {type(groups).__name__}")
    x, unbatched = A.batchify(input, nsp, op)
    if isinstance(padding, str) and padding not in ("same", "valid"):
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    pads = A.same_pads(x, weight, stride, dilation) if padding == "same" else None
    kd = A.check_weight(weight, groups)
    stride, dilation = A.expand(stride, kd, "stride"), A.expand(dilation, kd, "dilation")
    if pads is None:
        pad = (0,) if padding == "valid" else A.ints(padding, op, "padding", nsp)
        pads = tuple((q, q) for q in A.expand(pad, kd, "padding"))
    A.check_signs(pads, stride, dilation)
    A.check_groups(x, weight, groups)
    A.check_conv_shapes(x, weight, bias, pads, dilation, groups)
    if 0 in dilation:  # PyTorch's float32 (oneDNN) and other (native) CPU kernels word this differently
        raise RuntimeError("non-positive dilation is not supported" if x.dtype.name == "float32" else
                           f"dilation should be greater than zero, but got {list(dilation)}")
    A.check_types(op, x, weight, bias)
    out = tuple(_im2col.out_size(s, k, st, lo, hi, d)
                for s, k, st, (lo, hi), d in zip(x.shape[2:], weight.shape[2:], stride, pads, dilation))
    y = Conv.apply(x, weight, bias, ConvParams(stride, pads, dilation, groups), out)
    return y.squeeze(0) if unbatched else y


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """1-D convolution (cross-correlation) of ``(N, C, L)`` or ``(C, L)`` with weight ``(O, C/groups, k)``.

    >>> conv1d(minitorch.randn(1, 2, 10), minitorch.randn(4, 2, 3), padding="same").shape
    minitorch.Size([1, 4, 10])
    """
    return _conv_nd(input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """2-D convolution of ``(N, C, H, W)`` or ``(C, H, W)`` with weight ``(O, C/groups, kh, kw)``.

    ``padding`` is an int, a pair, ``"valid"`` (none) or ``"same"`` (output size = input size, stride 1;
    with an even total padding ``dilation*(k-1)`` the extra row/column goes at the bottom/right).
    Output size per dimension: ``(size + 2*padding - dilation*(k-1) - 1) // stride + 1``.

    >>> conv2d(minitorch.randn(1, 1, 28, 28), minitorch.randn(6, 1, 5, 5)).shape
    minitorch.Size([1, 6, 24, 24])
    """
    return _conv_nd(input, weight, bias, stride, padding, dilation, groups, 2)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """3-D convolution of ``(N, C, D, H, W)``: the same code as conv2d with one more spatial dim."""
    return _conv_nd(input, weight, bias, stride, padding, dilation, groups, 3)


def _conv_transpose_nd(input, weight, bias, stride, padding, output_padding, groups, dilation, nsp):
    op = f"conv_transpose{nsp}d"
    A.check_tensors(op, input, weight, bias)
    if isinstance(padding, str):
        raise TypeError(f"{op}(): argument 'padding' must be tuple of ints, not str")
    stride, padding, output_padding, dilation = (
        A.ints(v, op, name, nsp) for v, name in ((stride, "stride"), (padding, "padding"),
                                                (output_padding, "output_padding"), (dilation, "dilation")))
    if not A.is_int(groups):
        raise TypeError(f"{op}(): argument 'groups' must be int, not {type(groups).__name__}")
    x, unbatched = A.batchify(input, nsp, op)
    kd = A.check_weight(weight, groups)
    stride, padding, dilation = (A.expand(v, kd, n) for v, n in ((stride, "stride"), (padding, "padding"),
                                                                   (dilation, "dilation")))
    output_padding = A.expand(output_padding, kd, "output_padding")
    pads = tuple((p, p) for p in padding)
    A.check_signs(pads, stride, dilation, output_padding)
    A.check_groups(x, weight, groups)
    A.check_transposed_shapes(x, weight, bias, groups)
    A.check_types(op, x, weight, bias, transposed=True)
    # PyTorch runs the 1-D transposed convolution as a 2-D one of height 1: its messages show that height.
    two_d = (lambda v, one: (one,) + tuple(v)) if nsp == 1 else (lambda v, one: tuple(v))
    if any(o >= s and o >= d for o, s, d in zip(output_padding, stride, dilation)):
        names = ("depth", "height", "width")[-max(nsp, 2):]
        parts = [f"output_padding_{n}: {o}" for n, o in zip(names, two_d(output_padding, 0))]
        parts += [f"stride_{n}: {s}" for n, s in zip(names, two_d(stride, 1))]
        parts += [f"dilation_{n}: {d}" for n, d in zip(names, two_d(dilation, 1))]
        raise RuntimeError("output padding must be smaller than either stride or dilation, but got " + " ".join(parts))
    # The inverse of conv's size formula: (in - 1)*stride - 2*padding + dilation*(k-1) + output_padding + 1.
    size = tuple((i - 1) * s - 2 * p + d * (k - 1) + o + 1
                 for i, s, p, d, k, o in zip(x.shape[2:], stride, padding, dilation, weight.shape[2:], output_padding))
    if any(s <= 0 for s in size):
        raise RuntimeError(
            f"Given input size per channel: ({' x '.join(map(str, two_d(x.shape[2:], 1)))}). Calculated output size "
            f"per channel: ({' x '.join(map(str, two_d(size, 1)))}). Output size is too small"
        )
    y = ConvTranspose.apply(x, weight, bias, ConvParams(stride, pads, dilation, groups), size, None)
    return y.squeeze(0) if unbatched else y


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """1-D transposed convolution ("deconvolution"): the gradient of conv1d with respect to its input."""
    return _conv_transpose_nd(input, weight, bias, stride, padding, output_padding, groups, dilation, 1)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """2-D transposed convolution of ``(N, C_in, H, W)`` with weight ``(C_in, C_out/groups, kh, kw)``.

    It spreads each input value over a kernel-sized patch of the output (col2im of ``W^T @ x``), which is
    exactly the gradient of ``conv2d`` with respect to its input. Output size per dimension:
    ``(size - 1)*stride - 2*padding + dilation*(k-1) + output_padding + 1``.

    >>> conv_transpose2d(minitorch.randn(1, 4, 7, 7), minitorch.randn(4, 2, 4, 4), stride=2, padding=1).shape
    minitorch.Size([1, 2, 14, 14])
    """
    return _conv_transpose_nd(input, weight, bias, stride, padding, output_padding, groups, dilation, 2)

