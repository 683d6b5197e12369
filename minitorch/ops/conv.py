"""Convolution: conv1d/conv2d/conv3d, conv_transpose1d/2d, unfold and fold.

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
from . import _im2col
from ._util import Tensor, _wrap, check_same_device


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


# ---- argument checking --------------------------------------------------------------------------------
def _ntuple(value, n: int, name: str, op: str = "convolution") -> tuple:
    """``value`` as an ``n``-tuple of ints (an int is repeated), with PyTorch's error otherwise."""
    if isinstance(value, Tensor):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        vals = tuple(int(v) for v in value)
        if len(vals) == 1:
            vals = vals * n
    else:
        vals = (int(value),) * n
    if len(vals) != n:
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {n} values to match the {op} "
            f"dimensions, but got {name}={list(vals)}"
        )
    return vals


_TYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int"}


def _check_types(op, x, w, b):
    check_same_device(op, x, w, b)
    for t in (w, b):
        if t is not None and t._data.dtype != x._data.dtype:
            raise RuntimeError(
                f"expected scalar type {_TYPE_NAMES.get(x.dtype.name, x.dtype.name)} but found "
                f"{_TYPE_NAMES.get(t.dtype.name, t.dtype.name)}"
            )
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"\"{op}\" not implemented for '{_TYPE_NAMES.get(x.dtype.name, x.dtype.name)}'")


def _batchify(input, nsp: int, op: str):
    """``(input with a batch dim, was_unbatched)``; PyTorch's error for a wrong number of dims."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if input.ndim not in (nsp + 1, nsp + 2):
        raise RuntimeError(
            f"Expected {nsp + 1}D (unbatched) or {nsp + 2}D (batched) input to {op}, but got input of size: "
            f"{list(input.shape)}"
        )
    if input.ndim == nsp + 1:
        return input.unsqueeze(0), True
    return input, False


def _check_common(x, weight, stride, pads, dilation, groups):
    nsp = x.ndim - 2
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        raise RuntimeError("negative padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    ws = list(weight.shape)
    if weight.ndim != nsp + 2:
        raise RuntimeError(
            f"Expected {weight.ndim}-dimensional input for {weight.ndim}-dimensional weight {ws}, but got "
            f"{x.ndim}-dimensional input of size {list(x.shape)} instead"
        )
    if ws[0] < groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got weight of "
            f"size {ws} instead"
        )
    if ws[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of "
            f"size [{ws}] instead"
        )


def _conv_pads(padding, weight, stride, dilation, nsp: int) -> tuple:
    """Per-side paddings ``((lo, hi), ...)`` from an int, a tuple, "valid" or "same"."""
    if not isinstance(padding, str):
        return tuple((p, p) for p in _ntuple(padding, nsp, "padding"))
    if padding == "valid":
        return ((0, 0),) * nsp
    if padding != "same":
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    # Total padding d*(k-1); when it is odd the extra one goes on the high side (as PyTorch).
    total = [d * (k - 1) for d, k in zip(dilation, weight.shape[2:])]
    return tuple((t // 2, t - t // 2) for t in total)


def _conv_nd(input, weight, bias, stride, padding, dilation, groups, nsp: int) -> Tensor:
    op = f"conv{nsp}d"
    x, unbatched = _batchify(input, nsp, op)
    kd = max(weight.ndim - 2, 1)
    stride = _ntuple(stride, kd, "stride")
    dilation = _ntuple(dilation, kd, "dilation")
    pads = _conv_pads(padding, weight, stride, dilation, kd)
    _check_common(x, weight, stride, pads, dilation, groups)
    _check_types(op, x, weight, bias)
    ws = list(weight.shape)
    if x.shape[1] != ws[1] * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {ws}, expected input{list(x.shape)} to have {ws[1] * groups} "
            f"channels, but got {x.shape[1]} channels instead"
        )
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != ws[0]):
        raise RuntimeError(
            f"Given weight of size {ws}, expected bias to be 1-dimensional with {ws[0]} elements, but got bias of "
            f"size {list(bias.shape)} instead"
        )
    padded = [s + lo + hi for s, (lo, hi) in zip(x.shape[2:], pads)]
    kernel = [d * (k - 1) + 1 for d, k in zip(dilation, ws[2:])]
    if any(p < k for p, k in zip(padded, kernel)):
        raise RuntimeError(
            f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
            f"({' x '.join(map(str, kernel))}). Kernel size can't be greater than actual input size"
        )
    out = tuple(_im2col.out_size(s, k, st, lo, hi, d)
                for s, k, st, (lo, hi), d in zip(x.shape[2:], ws[2:], stride, pads, dilation))
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

    ``padding`` is an int, a pair, ``"valid"`` (none) or ``"same"`` (output size = input size, stride 1).
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
    if isinstance(padding, str):
        raise TypeError(f"{op}(): argument 'padding' must be tuple of ints, not str")
    x, unbatched = _batchify(input, nsp, op)
    stride = _ntuple(stride, nsp, "stride")
    dilation = _ntuple(dilation, nsp, "dilation")
    padding = _ntuple(padding, nsp, "padding")
    output_padding = _ntuple(output_padding, nsp, "output_padding")
    pads = tuple((p, p) for p in padding)
    if any(o < 0 for o in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    _check_common(x, weight, stride, pads, dilation, groups)
    _check_types(op, x, weight, bias)
    ws = list(weight.shape)
    if x.shape[1] != ws[0]:
        raise RuntimeError(
            f"Given transposed=1, weight of size {ws}, expected input{list(x.shape)} to have {ws[0]} channels, "
            f"but got {x.shape[1]} channels instead"
        )
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != ws[1] * groups):
        raise RuntimeError(
            f"Given transposed=1, weight of size {ws}, expected bias to be 1-dimensional with {ws[1] * groups} "
            f"elements, but got bias of size {list(bias.shape)} instead"
        )
    if any(o >= s and o >= d for o, s, d in zip(output_padding, stride, dilation)):
        names = ("depth", "height", "width")[3 - nsp:] if nsp <= 3 else [str(i) for i in range(nsp)]
        parts = [f"output_padding_{n}: {o}" for n, o in zip(names, output_padding)]
        parts += [f"stride_{n}: {s}" for n, s in zip(names, stride)]
        parts += [f"dilation_{n}: {d}" for n, d in zip(names, dilation)]
        raise RuntimeError("output padding must be smaller than either stride or dilation, but got " + " ".join(parts))
    # The inverse of conv's size formula: (in - 1)*stride - 2*padding + dilation*(k-1) + output_padding + 1.
    size = tuple((i - 1) * s - 2 * p + d * (k - 1) + o + 1
                 for i, s, p, d, k, o in zip(x.shape[2:], stride, padding, dilation, ws[2:], output_padding))
    if any(s <= 0 for s in size):
        raise RuntimeError(
            f"Given input size per channel: ({' x '.join(map(str, x.shape[2:]))}). Calculated output size per "
            f"channel: ({' x '.join(map(str, size))}). Output size is too small"
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


def _fold_params(kernel_size, dilation, padding, stride) -> FoldParams:
    kernel = _ntuple(kernel_size, 2, "kernel_size")
    dilation, padding, stride = (_ntuple(v, 2, n) for v, n in ((dilation, "dilation"), (padding, "padding"),
                                                                 (stride, "stride")))
    return FoldParams(stride, tuple((q, q) for q in padding), dilation, 1, kernel)


def _blocks_error(size, p, out, prefix):
    return RuntimeError(
        f"{prefix} kernel_size={p.kernel}, dilation={p.dilation}, padding={tuple(lo for lo, _ in p.pads)}, "
        f"calculated shape of the array of sliding blocks as {out}, but its components must be at least one."
    )


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sliding local blocks of ``(N, C, H, W)`` as columns ``(N, C*kh*kw, L)`` (im2col).

    >>> unfold(minitorch.randn(1, 2, 4, 4), 3).shape
    minitorch.Size([1, 18, 4])
    """
    if input.ndim not in (3, 4):
        raise NotImplementedError(
            f"Input Error: Only 3D or 4D input Tensors are supported (got {input.ndim}D)"
        )
    x, unbatched = (input.unsqueeze(0), True) if input.ndim == 3 else (input, False)
    p = _fold_params(kernel_size, dilation, padding, stride)
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
    if input.ndim not in (2, 3):
        raise NotImplementedError(
            f"Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got {input.ndim}D)"
        )
    x, unbatched = (input.unsqueeze(0), True) if input.ndim == 2 else (input, False)
    size = _ntuple(output_size, 2, "output_size")
    p = _fold_params(kernel_size, dilation, padding, stride)
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
    y = Fold.apply(x, size, p)
    return y.squeeze(0) if unbatched else y
