"""Shape ops: reshape/view, transpose/permute, squeeze/unsqueeze, expand, narrow/select, contiguous.

Ops that PyTorch implements as views (view, reshape of contiguous data,
transpose, permute, expand, squeeze/unsqueeze, slicing) return tensors that
share memory and the version counter with their input. Each backward rule
undoes the shape change on the gradient. cat/stack/split and friends are in
join.py, repeat/tile/flip/roll in tiling.py (both re-exported here).
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtype
from .._tensor import _view_of
from ..autograd.function import Function
from ._dims import positional_or_keyword
from ._dims import shape_arg as _shape_arg
from ._util import Tensor, _wrap, _wrap_dim, dims_tuple

# Joining/splitting (join.py) and the copying rearrangements (tiling.py) have their own modules;
# their names are re-exported here, where callers have always found them.
from .join import (  # noqa: F401
    Cat,
    Split,
    SplitWithSizes,
    Stack,
    Unbind,
    cat,
    chunk,
    concat,
    concatenate,
    hstack,
    split,
    stack,
    tensor_split,
    unbind,
    vstack,
)
from .tiling import Flip, Repeat, flip, repeat, repeat_interleave, roll, tile  # noqa: F401


def _infer_shape(shape: tuple, numel: int, op: str) -> tuple:
    """Resolve one -1 in ``shape``; PyTorch's error when the sizes do not fit."""
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for i, s in enumerate(shape):
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {list(shape)}")
            known *= s
    if -1 in shape:
        if known == 0 and numel == 0:  # 0 * anything = 0: the -1 could be any size
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {list(shape)} because the unspecified dimension "
                "size -1 can be any value and is ambiguous"
            )
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


def view(input, *shape, size=None):
    """The same memory seen with a new shape (-1 infers one size)."""
    shape = positional_or_keyword(shape, size, "view", "size")
    if len(shape) == 1 and isinstance(shape[0], _dtype.dtype):
        raise NotImplementedError("view(dtype) reinterpretation is not supported by minitorch")
    return View.apply(input, _shape_arg(shape), True)


def reshape(input, *sizes, shape=None):
    """A tensor with the same numbers and a new shape (a view when possible)."""
    shape = _shape_arg(positional_or_keyword(sizes, shape, "reshape", "shape"))
    if shape == tuple(input.shape):
        return View.apply(input, shape, True) if input._rg else _view_of(input, input._data)
    return View.apply(input, shape, False)


def view_as(input, other):
    return view(input, tuple(other.shape))


def reshape_as(input, other):
    return reshape(input, tuple(other.shape))


def flatten(input, start_dim: int = 0, end_dim: int = -1):
    """Merge dimensions ``start_dim..end_dim`` into one."""
    s = _wrap_dim(start_dim, input.ndim, "flatten")
    e = _wrap_dim(end_dim, input.ndim, "flatten")
    if input.ndim == 0:
        return reshape(input, (1,))
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
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    try:
        inner = _infer_shape(sizes, shape[d], "unflatten")
    except RuntimeError:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} ({shape[d]}) in the input tensor"
        ) from None
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


def permute(input, *args, dims=None):
    dims = positional_or_keyword(args, dims, "permute", "dims")
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
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
    d0, d1 = _wrap_dim(dim0, n, "transpose"), _wrap_dim(dim1, n, "transpose")
    if n == 0:
        return Transpose.apply(input, ())
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
    if input.ndim == 0:
        warnings.warn("Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases.",
                      UserWarning, stacklevel=2)
        return input
    if input.ndim < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {input.ndim}-D tensor.")
    return transpose(input, -2, -1)


def T_property(input):
    return permute(input, tuple(reversed(range(input.ndim))))


def movedim(input, source, destination):
    """Move dims ``source`` to positions ``destination``; the other dims keep their order."""
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({src} dims) should contain the same number of "
            f"dims as destination ({dst} dims)"
        )
    src = [_wrap_dim(s, input.ndim) for s in src]
    dst = [_wrap_dim(d, input.ndim) for d in dst]
    for name, given, dims in (("source", source, src), ("destination", destination, dst)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({list(given)})")
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


def expand(input, *sizes, size=None):
    """View ``input`` broadcast to ``sizes`` (-1 keeps a dimension)."""
    sizes = _shape_arg(positional_or_keyword(sizes, size, "expand", "size"))
    shape = tuple(input.shape)
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand({input.type()}{{{list(shape)}}}, size={list(sizes)}): the number of sizes provided "
            f"({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({len(shape)})"
        )
    lead = len(sizes) - len(shape)
    out = [0] * len(sizes)
    for i in reversed(range(len(sizes))):  # from the last dim, as PyTorch checks (the first error it meets)
        s = sizes[i]
        have = shape[i - lead] if i >= lead else None
        if s == -1:
            if have is None:
                raise RuntimeError(
                f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}"
            )
            s = have
        elif s < 0:
            raise RuntimeError(f"expand: invalid size {s} at dimension {i} (only -1 may be negative).  "
                               f"Target sizes: {list(sizes)}.  Tensor sizes: {list(shape)}")
        elif have is not None and have != s and have != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({have}) at non-singleton "
                f"dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shape)}"
            )
        out[i] = s
    out = tuple(out)
    if out == shape:
        return input if not input._rg else Expand.apply(input, out)
    return Expand.apply(input, out)


def expand_as(input, other):
    return expand(input, tuple(other.shape))


def broadcast_to(input, size):
    return expand(input, tuple(size))


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


def sum_to_size(input, *sizes, size=None):
    """Sum ``input`` down to ``size`` (which must broadcast to ``input``'s shape)."""
    size = positional_or_keyword(sizes, size, "sum_to_size", "size")
    shape = _shape_arg(size)
    if tuple(input.shape) == shape:
        return input
    have = tuple(input.shape)
    if len(shape) > len(have) or any(s != 1 and s != h for s, h in zip(reversed(shape), reversed(have))):
        raise RuntimeError(f"size {{{list(shape)}}} is not expandable to size {{{list(have)}}}.")
    return SumToSize.apply(input, shape)


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
    """The slice ``start:start+length`` of dimension ``dim`` (a view)."""
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if isinstance(start, Tensor):
        start = int(start.item())
    d = _wrap_dim(dim, input.ndim, "narrow")
    size = input.shape[d]
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return Narrow.apply(input, d, start, length)


def select(input, dim: int, index: int):
    """``input`` indexed by ``index`` along ``dim`` (the dimension disappears)."""
    from .indexing import getitem

    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = _wrap_dim(dim, input.ndim, "select")
    size = input.shape[d]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} at dimension {d}")
    return getitem(input, (slice(None),) * d + (index,))


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
