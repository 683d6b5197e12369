"""Shape ops: reshape/view, transpose/permute, squeeze, expand, cat/stack, split ...

Ops that PyTorch implements as views (view, reshape of contiguous data,
transpose, permute, expand, squeeze/unsqueeze, slicing) return tensors that
share memory and the version counter with their input. Each backward rule
undoes the shape change on the gradient.
"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from .._tensor import _view_of
from ..autograd.function import Function
from ._util import Tensor, _wrap, _wrap_dim, check_same_device, dims_tuple


def _shape_arg(shape) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def _infer_shape(shape: tuple, numel: int, op: str) -> tuple:
    """Resolve one -1 in ``shape``; PyTorch's error when the sizes do not fit."""
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s}")
            known *= s
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        return tuple(numel // known if s == -1 else s for s in shape)
    if known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


class View(Function):
    """Same numbers, new shape.  The gradient is reshaped back to the input's shape."""

    @staticmethod
    def forward(ctx, a, shape, must_view):
        shape = _infer_shape(shape, a._data.size, "view")
        ctx.in_shape = a.shape
        try:
            arr = np.reshape(a._data, shape, copy=False) if a._device.type == "cpu" else a._data.reshape(shape)
        except ValueError:
            if must_view:
                raise RuntimeError(
                    "view size is not compatible with input tensor's size and stride (at least one dimension "
                    "spans across two contiguous subspaces). Use .reshape(...) instead."
                ) from None
            return _wrap(a._data.reshape(shape), a._device)  # reshape needs a copy
        return _view_of(a, arr)

    @staticmethod
    def backward(ctx, grad):
        # BEGIN SOLUTION 3.10
        # HINT: a view only renames positions: reshape grad back to the input's shape
        return grad.reshape(ctx.in_shape), None, None
        # END SOLUTION


class UnsafeView(View):
    node_name = "UnsafeViewBackward0"


def view(input, *shape):
    """The same memory seen with a new shape (-1 infers one size)."""
    if len(shape) == 1 and isinstance(shape[0], _dtype.dtype):
        raise NotImplementedError("view(dtype) reinterpretation is not supported by minitorch")
    return View.apply(input, _shape_arg(shape), True)


def reshape(input, *shape):
    """A tensor with the same numbers and a new shape (a view when possible)."""
    shape = _shape_arg(shape)
    if shape == tuple(input.shape):
        return View.apply(input, shape, True) if input._rg else _view_of(input, input._data)
    return View.apply(input, shape, False)


def view_as(input, other):
    return view(input, tuple(other.shape))


def reshape_as(input, other):
    return reshape(input, tuple(other.shape))


def flatten(input, start_dim: int = 0, end_dim: int = -1):
    """Merge dimensions ``start_dim..end_dim`` into one."""
    if input.ndim == 0:
        return reshape(input, (1,))
    s = _wrap_dim(start_dim, input.ndim, "flatten")
    e = _wrap_dim(end_dim, input.ndim, "flatten")
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    shape = tuple(input.shape)
    n = 1
    for d in shape[s:e + 1]:
        n *= d
    return reshape(input, shape[:s] + (n,) + shape[e + 1:])


def unflatten(input, dim: int, sizes):
    """Split dimension ``dim`` into ``sizes``."""
    d = _wrap_dim(dim, input.ndim, "unflatten")
    shape = tuple(input.shape)
    sizes = tuple(sizes)
    inner = _infer_shape(sizes, shape[d], "unflatten") if -1 in sizes or np.prod(sizes) != shape[d] else sizes
    if int(np.prod(inner)) != shape[d]:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} ({shape[d]}) in the input tensor"
        )
    new_shape = shape[:d] + inner + shape[d + 1:]
    return view(input, new_shape) if input.is_contiguous() else reshape(input, new_shape)


class Permute(Function):
    """Reorder dimensions.  The gradient is permuted back by the inverse order."""

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return _view_of(a, a._data.transpose(dims))

    @staticmethod
    def backward(ctx, grad):
        # BEGIN SOLUTION 3.10
        # HINT: permute grad by the inverse permutation of ctx.dims (np.argsort gives it)
        inverse = tuple(np.argsort(ctx.dims))
        return grad.permute(inverse), None
        # END SOLUTION


class Transpose(Permute):
    node_name = "TransposeBackward0"


class T(Permute):
    node_name = "TBackward0"


def permute(input, *dims):
    dims = _shape_arg(dims)
    if len(dims) != input.ndim:
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
            f"desired ordering of dimensions i.e. input.dim() = {input.ndim} is not equal to len(dims) = {len(dims)}"
        )
    dims = tuple(_wrap_dim(d, input.ndim, "permute") for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(input, dims)


def transpose(input, dim0: int, dim1: int):
    """Swap two dimensions (a view)."""
    n = input.ndim
    if n == 0:
        return Transpose.apply(input, ())
    d0, d1 = _wrap_dim(dim0, n, "transpose"), _wrap_dim(dim1, n, "transpose")
    order = list(range(n))
    order[d0], order[d1] = order[d1], order[d0]
    return Transpose.apply(input, tuple(order))


swapaxes = swapdims = transpose


def t(input):
    """Transpose of a matrix (tensors of at most 2 dimensions)."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return T.apply(input, tuple(reversed(range(input.ndim))))


def mT(input):
    if input.ndim < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {input.ndim}-D tensor.")
    return transpose(input, -2, -1)


def T_property(input):
    return permute(input, tuple(reversed(range(input.ndim))))


def movedim(input, source, destination):
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    src = [_wrap_dim(s, input.ndim) for s in src]
    dst = [_wrap_dim(d, input.ndim) for d in dst]
    order = [d for d in range(input.ndim) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(input, tuple(order))


class Squeeze(View):
    node_name = "SqueezeBackward0"


class Unsqueeze(View):
    node_name = "UnsqueezeBackward0"


def squeeze(input, dim=None):
    """Remove dimensions of size 1 (all, or those in ``dim`` that have size 1)."""
    shape = tuple(input.shape)
    if dim is None:
        new = tuple(s for s in shape if s != 1)
    else:
        dims = dims_tuple(dim, input.ndim, "squeeze") or ()
        new = tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))
    return Squeeze.apply(input, new, True)


def unsqueeze(input, dim: int):
    """Insert a dimension of size 1 at ``dim``."""
    n = input.ndim + 1
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    d = dim + n if dim < 0 else dim
    shape = tuple(input.shape)
    return Unsqueeze.apply(input, shape[:d] + (1,) + shape[d:], True)


class Expand(Function):
    """Broadcast to a larger shape without copying.  Gradient: summed back to the input's shape."""

    @staticmethod
    def forward(ctx, a, shape):
        ctx.in_shape = a.shape
        return _view_of(a, a._device.xp.broadcast_to(a._data, shape))

    @staticmethod
    def backward(ctx, grad):
        # BEGIN SOLUTION 3.10
        # HINT: each input element was copied along the expanded dims: sum grad back to the input's shape
        return grad.sum_to_size(ctx.in_shape), None
        # END SOLUTION


def expand(input, *sizes):
    """View ``input`` broadcast to ``sizes`` (-1 keeps a dimension)."""
    sizes = _shape_arg(sizes)
    shape = tuple(input.shape)
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand({input.type_name()}{{{list(shape)}}}, size={list(sizes)}): the number of sizes provided "
            f"({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({len(shape)})"
        )
    lead = len(sizes) - len(shape)
    out = []
    for i, s in enumerate(sizes):
        have = shape[i - lead] if i >= lead else None
        if s == -1:
            if have is None:
                raise RuntimeError(f"expand: -1 is not allowed in a leading, non-existing dimension {i}")
            s = have
        elif have is not None and have != s and have != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({have}) at non-singleton "
                f"dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shape)}"
            )
        out.append(s)
    out = tuple(out)
    if out == shape:
        return input if not input._rg else Expand.apply(input, out)
    return Expand.apply(input, out)


def expand_as(input, other):
    return expand(input, tuple(other.shape))


def broadcast_to(input, shape):
    return expand(input, tuple(shape))


class SumToSize(Function):
    """Sum ``a`` down to ``shape`` (the reverse of broadcasting).  Gradient: expanded back."""

    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.in_shape = a.shape
        x = a._data
        # BEGIN SOLUTION 2.13
        # HINT: sum x over its extra leading dims and over every dim where shape has 1 but x does not (keepdims), then
        # HINT: reshape to shape; return a copy when nothing is summed
        lead = x.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and x.shape[i + lead] != 1)
        out = x.sum(axis=axes, keepdims=True) if axes else x
        return _wrap(out.reshape(shape) if axes else out.copy(), a._device)
        # END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.in_shape), None


def sum_to_size(input, *size):
    """Sum ``input`` down to ``size`` (which must broadcast to ``input``'s shape)."""
    shape = _shape_arg(size)
    if tuple(input.shape) == shape:
        return input
    have = tuple(input.shape)
    if len(shape) > len(have) or any(s != 1 and s != h for s, h in zip(reversed(shape), reversed(have))):
        raise RuntimeError(f"size {{{list(shape)}}} is not expandable to size {{{list(have)}}}.")
    return SumToSize.apply(input, shape)


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


def repeat(input, *sizes):
    reps = _shape_arg(sizes)
    if len(reps) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
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
        return _wrap(a._device.xp.flip(a._data, dims).copy(), a._device)

    @staticmethod
    def backward(ctx, grad):
        return grad.flip(ctx.dims), None


def flip(input, *dims):
    dims = dims_tuple(_shape_arg(dims), input.ndim, "flip") or ()
    return Flip.apply(input, dims)


def roll(input, shifts, dims=None):
    if dims is None:
        return roll(input.flatten(), shifts, 0).view(tuple(input.shape))
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    out = input
    for s, d in zip(shifts, dims):
        n = out.shape[d]
        s %= n if n else 1
        if s:
            out = cat([narrow(out, d, n - s, s), narrow(out, d, 0, n - s)], d)
    return out


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
        raise ValueError(f"{op}(): expected a non-empty list of Tensors")
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element of the list in argument 'tensors', but got {type(t).__name__}")
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
    tensors = list(tensors)
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    return cat([t.reshape(1, -1) if t.ndim < 2 else t for t in tensors], 0)


class Narrow(Function):
    """``a[..., start:start+length, ...]`` along ``dim`` (a view).
    Gradient: zeros with ``grad`` written into that slice."""

    node_name = "SliceBackward0"

    @staticmethod
    def forward(ctx, a, dim, start, length):
        ctx.in_shape, ctx.dim, ctx.start, ctx.length = a.shape, dim, start, length
        idx = (slice(None),) * dim + (slice(start, start + length),)
        return _view_of(a, a._data[idx])

    @staticmethod
    def backward(ctx, grad):
        from .indexing import SliceScatter

        idx = (slice(None),) * ctx.dim + (slice(ctx.start, ctx.start + ctx.length),)
        return SliceScatter.apply(grad, ctx.in_shape, idx), None, None, None


def narrow(input, dim: int, start: int, length: int):
    d = _wrap_dim(dim, input.ndim, "narrow")
    size = input.shape[d]
    if start < 0:
        start += size
    if start < 0 or start + length > size or length < 0:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return Narrow.apply(input, d, start, length)


def select(input, dim: int, index: int):
    """``input`` indexed by ``index`` along ``dim`` (the dimension disappears)."""
    from .indexing import getitem

    d = _wrap_dim(dim, input.ndim, "select")
    size = input.shape[d]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} at dimension {d}")
    return getitem(input, (slice(None),) * d + (index,))


def split(input, split_size_or_sections, dim: int = 0):
    """Split into chunks of ``split_size`` (or the given list of sizes) along ``dim``."""
    d = _wrap_dim(dim, input.ndim, "split")
    size = input.shape[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step <= 0 and size:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
        sections = [min(step, size - s) for s in range(0, size, step)] if size else [0]
    else:
        sections = list(split_size_or_sections)
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
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: %d" % chunks)
    size = input.shape[_wrap_dim(dim, input.ndim, "chunk")]
    step = -(-size // chunks) if size else 1
    return split(input, max(step, 1), dim)


def unbind(input, dim: int = 0):
    """The slices along ``dim`` as a tuple."""
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


class Contiguous(Function):
    """A C-ordered copy (identity for the gradient)."""

    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return _wrap(a._data.copy(order="C"), a._device)  # (ascontiguousarray would make 0-d arrays 1-d)

    @staticmethod
    def backward(ctx, grad):
        return grad


def contiguous(input, memory_format=None):
    if input.is_contiguous():
        return input
    return Contiguous.apply(input)


class Clone(Contiguous):
    pass


def clone(input, *, memory_format=None):
    """A copy of ``input`` that stays in the graph (gradient: identity)."""
    return Clone.apply(input)


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
