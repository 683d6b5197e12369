"""Joining and splitting: cat/stack (and hstack/vstack) glue tensors together;
split/chunk/unbind/tensor_split cut one into views.

The backward of a join cuts the gradient into the inputs' pieces, and the
backward of a split glues the pieces' gradients back together (zeros for
pieces that were not used). Re-exported by ``minitorch.ops.shape``.
"""

from __future__ import annotations

from .. import _dtype
from .._tensor import _view_of
from ..autograd.function import Function
from ._util import Tensor, _wrap, _wrap_dim, check_same_device


class Cat(Function):
    """Join tensors along ``dim``.  Gradient: the matching slice of ``grad`` for each input."""

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        ctx.sizes = [t.shape[dim] for t in tensors]
        ctx.dtypes = [t.dtype for t in tensors]
        out_dt = tensors[0].dtype
        for t in tensors[1:]:
            out_dt = _dtype.promote_types(out_dt, t.dtype)
        xp = tensors[0]._device.xp
        arrs = [t._data if t._data.dtype == out_dt.np else t._data.astype(out_dt.np) for t in tensors]
        return _wrap(xp.concatenate(arrs, axis=dim), tensors[0]._device)

    @staticmethod
    def backward(ctx, grad):
        out, start = [None], 0
        for size in ctx.sizes:
            out.append(grad.narrow(ctx.dim, start, size))
            start += size
        return tuple(out)


def _check_cat(tensors, dim, op):
    if isinstance(tensors, Tensor):
        raise TypeError(f"{op}(): argument 'tensors' must be tuple of Tensors, not Tensor")
    tensors = list(tensors)
    if not tensors:
        if op in ("stack", "hstack", "vstack"):
            raise RuntimeError(f"{op} expects a non-empty TensorList")
        raise ValueError(f"{op}(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    check_same_device(op, *tensors)
    return tensors


def cat(tensors, dim: int = 0):
    """Concatenate tensors along an existing dimension."""
    tensors = _check_cat(tensors, dim, "cat")
    # Legacy PyTorch behaviour: 1-D empty tensors are skipped.
    kept = [t for t in tensors if not (t.ndim == 1 and t.shape[0] == 0)] or tensors[:1]
    ref = kept[0]
    if ref.ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = _wrap_dim(dim, ref.ndim, "cat")
    for t in kept:
        i = next(j for j, u in enumerate(tensors) if u is t)  # position in the caller's list
        if t.ndim != ref.ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ref.ndim} and {t.ndim}"
            )
        for k in range(ref.ndim):
            if k != d and t.shape[k] != ref.shape[k]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {ref.shape[k]} but got "
                    f"size {t.shape[k]} for tensor number {i} in the list."
                )
    return Cat.apply(d, *kept)


concat = concatenate = cat


class Stack(Function):
    """Join tensors along a new dimension.  Gradient: ``grad`` selected at each position."""

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        out_dt = tensors[0].dtype
        for t in tensors[1:]:
            out_dt = _dtype.promote_types(out_dt, t.dtype)
        xp = tensors[0]._device.xp
        return _wrap(xp.stack([t._data.astype(out_dt.np, copy=False) for t in tensors], axis=dim), tensors[0]._device)

    @staticmethod
    def backward(ctx, grad):
        return (None,) + tuple(grad.select(ctx.dim, i) for i in range(grad.shape[ctx.dim]))


def stack(tensors, dim: int = 0):
    """Stack same-shaped tensors along a new dimension ``dim``."""
    tensors = _check_cat(tensors, dim, "stack")
    ref = tensors[0].shape
    for i, t in enumerate(tensors):
        if t.shape != ref:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(ref)} at entry 0 and {list(t.shape)} at entry {i}"
            )
    n = len(ref) + 1
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return Stack.apply(dim % n, *tensors)


def hstack(tensors):
    """Join along the columns: dim 1, or dim 0 for 1-D tensors (0-d tensors count as 1-D)."""
    tensors = [t.reshape(1) if t.ndim == 0 else t for t in _check_cat(tensors, 0, "hstack")]
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    """Join along the rows (dim 0); 0-d and 1-D tensors become rows first."""
    return cat([t.reshape(1, -1) if t.ndim < 2 else t for t in _check_cat(tensors, 0, "vstack")], 0)


def split(input, split_size_or_sections=None, dim: int = 0, *, split_size=None):
    """Split into chunks of ``split_size`` (or the given list of sizes) along ``dim``.

    ``split_size=`` is the keyword name of ``Tensor.split`` in PyTorch.

    >>> [p.tolist() for p in minitorch.arange(5).split(2)]
    [[0, 1], [2, 3], [4]]
    """
    if split_size_or_sections is None:
        split_size_or_sections = split_size
    if input.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = _wrap_dim(dim, input.ndim, "split")
    size = input.shape[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={step}")
        if step == 0 and size:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
        sections = [min(step, size - s) for s in range(0, size, step)] if size else [0]
    else:
        sections = list(split_size_or_sections)
        if min(sections, default=0) < 0:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={sections}"
            )
        if sum(sections) != size:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at dimension "
                f"{d}), but got split_sizes={sections}"
            )
    cls = Split if isinstance(split_size_or_sections, int) else SplitWithSizes
    return cls.apply(input, d, tuple(sections))


class Split(Function):
    """Pieces of ``a`` along ``dim`` (views), as one node.
    Gradient: the pieces' gradients concatenated back (zeros for pieces not used)."""

    @staticmethod
    def forward(ctx, a, dim, sections):
        ctx.dim = dim
        out, start = [], 0
        for size in sections:
            out.append(_view_of(a, a._data[(slice(None),) * dim + (slice(start, start + size),)]))
            start += size
        return tuple(out)

    @staticmethod
    def backward(ctx, *grads):
        return cat(list(grads), ctx.dim), None, None


class SplitWithSizes(Split):
    pass


class Unbind(Function):
    """The slices of ``a`` along ``dim`` (views), as one node.
    Gradient: the slices' gradients stacked back (zeros for slices not used)."""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        return tuple(_view_of(a, a._data[(slice(None),) * dim + (i,)]) for i in range(a._data.shape[dim]))

    @staticmethod
    def backward(ctx, *grads):
        return stack(list(grads), ctx.dim), None


def chunk(input, chunks: int, dim: int = 0):
    """Split into ``chunks`` nearly equal pieces along ``dim``."""
    if input.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: %d" % chunks)
    size = input.shape[_wrap_dim(dim, input.ndim, "chunk")]
    if size == 0:  # PyTorch returns `chunks` empty pieces
        return split(input, [0] * chunks, dim)
    return split(input, -(-size // chunks), dim)  # pieces of ceil(size / chunks); the last may be smaller


def unbind(input, dim: int = 0):
    """The slices along ``dim`` as a tuple."""
    if input.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = _wrap_dim(dim, input.ndim, "unbind")
    return Unbind.apply(input, d)


def tensor_split(input, indices_or_sections, dim=0):
    d = _wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
    else:
        idx = [0] + list(indices_or_sections) + [n]
        sizes = [max(0, min(b, n) - min(a, n)) for a, b in zip(idx[:-1], idx[1:])]
    return split(input, sizes, d)
