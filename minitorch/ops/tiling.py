"""Ops that copy elements to new positions: repeat/tile, repeat_interleave,
flip and roll. Their results never share memory with the input; each backward
sums (repeat) or moves (flip, roll) the gradient back. Re-exported by
``minitorch.ops.shape``.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ._dims import positional_or_keyword
from ._dims import shape_arg as _shape_arg
from ._util import Tensor, _wrap, _wrap_dim, dims_tuple
from .join import cat


class Repeat(Function):
    """Tile the tensor.  Gradient: sum the copies back into one."""

    @staticmethod
    def forward(ctx, a, reps):
        ctx.in_shape = tuple(a.shape)
        ctx.reps = reps
        return _wrap(a._device.xp.tile(a._data, reps), a._device)

    @staticmethod
    def backward(ctx, grad):
        reps, shape = ctx.reps, ctx.in_shape
        full = (1,) * (len(reps) - len(shape)) + shape
        split = []
        for r, s in zip(reps, full):
            split += [r, s]
        g = grad.reshape(tuple(split)).sum(tuple(range(0, 2 * len(reps), 2)))
        return g.reshape(shape), None


def repeat(input, *sizes, repeats=None):
    reps = _shape_arg(positional_or_keyword(sizes, repeats, "repeat", "repeats"))
    if len(reps) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    full = (1,) * (len(reps) - input.ndim) + tuple(input.shape)
    out = [r * s for r, s in zip(reps, full)]
    if min(reps, default=0) < 0:
        bad = next(n for n in out if n < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {out}")
    return Repeat.apply(input, reps)


def tile(input, dims):
    dims = tuple(dims)
    if len(dims) < input.ndim:
        dims = (1,) * (input.ndim - len(dims)) + dims
    return Repeat.apply(input, dims)


class Flip(Function):
    """Reverse the order along ``dims``.  Gradient: flipped back."""

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        x = a._data
        return _wrap(a._device.xp.flip(x, dims if x.ndim else ()).copy(), a._device)  # (a 0-d tensor has nothing to flip)

    @staticmethod
    def backward(ctx, grad):
        return grad.flip(ctx.dims), None


def flip(input, *args, dims=None):
    dims = dims_tuple(_shape_arg(positional_or_keyword(args, dims, "flip", "dims")), input.ndim, "flip") or ()
    return Flip.apply(input, dims)


def roll(input, shifts, dims=None):
    """Shift elements along ``dims`` (the flattened tensor when None); those pushed off the end come back first."""
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    given = () if dims is None else (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(given) and not (dims is None and len(shifts) == 1):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(given)}")
    if dims is None:
        return roll(input.flatten(), shifts, 0).view(tuple(input.shape))
    dims = tuple(_wrap_dim(d, input.ndim, "roll") for d in given)
    if input.ndim == 0:
        return input.clone()
    out = input
    for s, d in zip(shifts, dims):
        n = out.shape[d]
        s %= n if n else 1
        if s:
            out = cat([out.narrow(d, n - s, s), out.narrow(d, 0, n - s)], d)
    return out


def repeat_interleave(input, repeats, dim=None, *, output_size=None):
    """Repeat each element (or slice along ``dim``) ``repeats`` times: [a, b] -> [a, a, b, b].

    Built on ``index_select``, so the gradient sums the copies back (repeated indices accumulate).
    """
    from .indexing import index_select

    if dim is None:
        input, dim = input.reshape(-1), 0
    d = _wrap_dim(dim, input.ndim, "repeat_interleave")
    n = input.shape[d]
    counts = repeats._host() if isinstance(repeats, Tensor) else repeats
    counts = np.broadcast_to(np.asarray(counts, dtype=np.int64), (n,))
    if np.any(counts < 0):
        raise RuntimeError("repeats can not be negative")
    index = _wrap(input._device.backend.from_host(np.repeat(np.arange(n, dtype=np.int64), counts)), input._device)
    return index_select(input, d, index)
