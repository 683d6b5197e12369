"""More ways to arrange a tensor: ravel, moveaxis, fliplr/flipud, hsplit/vsplit/dsplit, dstack/column_stack,
atleast_1d/2d/3d, adjoint, and the in-place view ops (squeeze_, unsqueeze_, t_, transpose_).

Everything here is built from the view and copy ops of shape.py/join.py/tiling.py, so the gradients are
theirs. The in-place view ops change the *shape* of a tensor object (not its numbers): the object takes a
new view of its memory and, when autograd records, a new ``grad_fn`` (PyTorch's ``SqueezeBackward3`` ...)
whose edge goes to the old one; as every in-place op they bump the version counter.
"""

from __future__ import annotations

import warnings

from ..autograd.grad_mode import _enabled
from ._util import Tensor, _wrap_dim
from .join import cat, hstack, vstack
from .shape import Permute, View, flip, movedim, reshape, squeeze, t, transpose, unsqueeze

#: Top-level names (``minitorch.ravel``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = ["ravel", "moveaxis", "fliplr", "flipud", "hsplit", "vsplit", "dsplit", "dstack", "column_stack",
                      "row_stack", "atleast_1d", "atleast_2d", "atleast_3d", "adjoint"]
#: Tensor methods (``x.ravel()``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = ["ravel", "moveaxis", "fliplr", "flipud", "hsplit", "vsplit", "dsplit", "adjoint", "H", "mH",
                             "squeeze_", "unsqueeze_", "t_", "transpose_", "swapdims_", "swapaxes_"]


def ravel(input: Tensor) -> Tensor:
    """The elements as a 1-D tensor (a view when the memory allows it).

    >>> minitorch.tensor([[1, 2], [3, 4]]).ravel()
    tensor([1, 2, 3, 4])
    """
    return reshape(input, (-1,))


def moveaxis(input: Tensor, source, destination) -> Tensor:
    """Alias of ``movedim``: ``minitorch.zeros(2, 3, 4).moveaxis(0, -1).shape == (3, 4, 2)``."""
    return movedim(input, source, destination)


def fliplr(input: Tensor) -> Tensor:
    """Reverse the columns (dim 1): ``[[1, 2], [3, 4]] -> [[2, 1], [4, 3]]``."""
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, 1)


def flipud(input: Tensor) -> Tensor:
    """Reverse the rows (dim 0): ``[[1, 2], [3, 4]] -> [[3, 4], [1, 2]]``."""
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, 0)


# ---- hsplit / vsplit / dsplit ----------------------------------------------------------------------------
def _split_along(input: Tensor, indices_or_sections, dim: int, name: str, min_dim: int) -> tuple:
    """numpy-style split: an int cuts ``dim`` into that many equal views, a list of indices cuts at those
    positions (as slices ``x[a:b]``, so indices may decrease and give empty pieces)."""
    if input.ndim < min_dim:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dim} dimension, but got a tensor with "
                           f"{input.ndim} dimensions!")
    if isinstance(indices_or_sections, Tensor) and indices_or_sections.ndim == 0:
        indices_or_sections = int(indices_or_sections.item())
    n = input.shape[dim]
    if isinstance(indices_or_sections, int) and not isinstance(indices_or_sections, bool):
        k = indices_or_sections
        if k == 0 or n % k != 0:
            raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the size of the dimension "
                               f"{n} is not divisible by the split_size {k}!")
        if k < 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {k}")
        bounds = [i * (n // k) for i in range(k)] + [None]
    elif isinstance(indices_or_sections, (list, tuple)) and all(isinstance(i, int) for i in indices_or_sections):
        bounds = [0] + list(indices_or_sections) + [None]
    else:
        raise TypeError(f"{name}() received an invalid combination of arguments - got (Tensor, "
                        f"{type(indices_or_sections).__name__}), but expected one of:\n * (Tensor input, int sections)\n"
                        " * (Tensor input, tuple of ints indices)")
    lead = (slice(None),) * dim
    return tuple(input[lead + (slice(a, b),)] for a, b in zip(bounds[:-1], bounds[1:]))


def hsplit(input: Tensor, indices_or_sections) -> tuple:
    """Split along the columns (dim 1; dim 0 for 1-D tensors): ``hsplit(x, 2)`` or ``hsplit(x, [1, 3])``."""
    return _split_along(input, indices_or_sections, 1 if input.ndim > 1 else 0, "hsplit", 1)


def vsplit(input: Tensor, indices_or_sections) -> tuple:
    """Split along the rows (dim 0) of a tensor with at least 2 dimensions."""
    return _split_along(input, indices_or_sections, 0, "vsplit", 2)


def dsplit(input: Tensor, indices_or_sections) -> tuple:
    """Split along the depth (dim 2) of a tensor with at least 3 dimensions."""
    return _split_along(input, indices_or_sections, 2, "dsplit", 3)


# ---- stacking ---------------------------------------------------------------------------------------------
def _tensor_list(tensors, name: str) -> list:
    if isinstance(tensors, Tensor):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


def dstack(tensors) -> Tensor:
    """Join along the depth (dim 2), after making every tensor at least 3-D (``atleast_3d``)."""
    return cat(list(atleast_3d(_tensor_list(tensors, "dstack"))), 2)


def column_stack(tensors) -> Tensor:
    """Join as columns: 0-d and 1-D tensors become (n, 1) columns, then ``hstack``.

    >>> minitorch.column_stack([minitorch.tensor([1, 2]), minitorch.tensor([3, 4])])
    tensor([[1, 3],
            [2, 4]])
    """
    tensors = _tensor_list(tensors, "column_stack")
    return hstack([reshape(x, (x.numel(), 1)) if isinstance(x, Tensor) and x.ndim <= 1 else x for x in tensors])


def row_stack(tensors) -> Tensor:
    """Alias of ``vstack``."""
    return vstack(tensors)


# ---- atleast_nd --------------------------------------------------------------------------------------------
def _atleast(tensors, fn, name):
    """One tensor -> one result; several (or a list) -> a tuple of results."""
    if len(tensors) == 1 and isinstance(tensors[0], Tensor):
        return fn(tensors[0])
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    for x in tensors:
        if not isinstance(x, Tensor):
            raise TypeError(f"{name}() received an invalid combination of arguments - got ({type(x).__name__}), but "
                            "expected one of:\n * (Tensor input)\n * (tuple of Tensors tensors)")
    return tuple(fn(x) for x in tensors)


def _1d(x):
    return reshape(x, (1,)) if x.ndim == 0 else x


def _2d(x):
    if x.ndim == 0:
        return reshape(x, (1, 1))
    return unsqueeze(x, 0) if x.ndim == 1 else x


def _3d(x):
    if x.ndim == 0:
        return reshape(x, (1, 1, 1))
    if x.ndim == 1:
        return unsqueeze(unsqueeze(x, 0), -1)
    return unsqueeze(x, -1) if x.ndim == 2 else x


def atleast_1d(*tensors):
    """Tensors with at least 1 dimension (0-d -> shape (1,)); others are returned as they are."""
    return _atleast(tensors, _1d, "atleast_1d")


def atleast_2d(*tensors):
    """Tensors with at least 2 dimensions: 0-d -> (1, 1), (n,) -> (1, n)."""
    return _atleast(tensors, _2d, "atleast_2d")


def atleast_3d(*tensors):
    """Tensors with at least 3 dimensions: 0-d -> (1, 1, 1), (n,) -> (1, n, 1), (m, n) -> (m, n, 1)."""
    return _atleast(tensors, _3d, "atleast_3d")


# ---- adjoint and the H / mH properties (real tensors: the conjugate is the tensor itself) -------------------
def _zero_d(input, what):
    warnings.warn(f"{what} is deprecated on 0-D tensors. Consider using x.conj().", UserWarning, stacklevel=3)
    return input


def adjoint(input: Tensor) -> Tensor:
    """The conjugate transpose of the last two dimensions (for real tensors ``transpose(-2, -1)``), a view."""
    if input.ndim == 0:
        return _zero_d(input, "adjoint()")
    if input.ndim < 2:
        raise RuntimeError(f"tensor.adjoint() is only supported on matrices or batches of matrices. Got "
                           f"{input.ndim}-D tensor.")
    return transpose(input, -2, -1)


def _H(input: Tensor) -> Tensor:
    if input.ndim == 0:
        return _zero_d(input, "Tensor.H")
    if input.ndim != 2:
        hint = " For batches of matrices, consider using tensor.mH" if input.ndim > 2 else ""
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {input.ndim}-D tensor.{hint}")
    return transpose(input, 0, 1)


def _mH(input: Tensor) -> Tensor:
    if input.ndim == 0:
        return _zero_d(input, "Tensor.mH")
    if input.ndim < 2:
        raise RuntimeError(f"tensor.mH is only supported on matrices or batches of matrices. Got {input.ndim}-D tensor.")
    return transpose(input, -2, -1)


H = property(_H, doc="The conjugate transpose of a matrix (the transpose, for real tensors).")
mH = property(_mH, doc="The conjugate transpose of the last two dimensions.")


# ---- in-place view ops -------------------------------------------------------------------------------------
# PyTorch's node names for the in-place forms (the out-of-place ones are ...Backward0).
class _SqueezeAll(View):
    node_name = "SqueezeBackward3"


class _SqueezeDim(View):
    node_name = "SqueezeBackward4"


class _SqueezeDims(View):
    node_name = "SqueezeBackward5"


class _UnsqueezeInplace(View):
    node_name = "UnsqueezeBackward1"


class _TInplace(Permute):
    node_name = "TBackward1"


class _TransposeInplace(Permute):
    node_name = "TransposeBackward1"


def _inplace_view(self: Tensor, out: Tensor, cls, args) -> Tensor:
    """Make ``self`` take the shape of ``out`` (a view of ``self`` computed out of place) in place.

    When autograd records, the change is the node ``cls`` (same backward as the out-of-place op) between
    ``self``'s old ``grad_fn`` and ``self``; a leaf that requires grad (or a view of one) may not change."""
    from .inplace import _check_leaf

    recording = _enabled[0] and self._rg
    if recording:
        _check_leaf(self)
        node = cls.apply(self, *args).grad_fn
    self._data = out._data
    self._version[0] += 1
    if recording:
        self.grad_fn, self._output_nr = node, 0
    return self


def squeeze_(self: Tensor, dim=None) -> Tensor:
    """In-place ``squeeze``: ``self`` loses its size-1 dimensions (all, or those in ``dim``)."""
    out = squeeze(self.detach(), dim)
    cls = _SqueezeAll if dim is None else _SqueezeDims if isinstance(dim, (list, tuple)) else _SqueezeDim
    return _inplace_view(self, out, cls, (tuple(out.shape), True))


def unsqueeze_(self: Tensor, dim: int) -> Tensor:
    """In-place ``unsqueeze``: a size-1 dimension is inserted at ``dim``."""
    out = unsqueeze(self.detach(), dim)
    return _inplace_view(self, out, _UnsqueezeInplace, (tuple(out.shape), True))


def t_(self: Tensor) -> Tensor:
    """In-place ``t``: a matrix becomes its transpose (tensors of at most 2 dimensions)."""
    if self.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
    out = t(self.detach())
    return _inplace_view(self, out, _TInplace, (tuple(reversed(range(self.ndim))),))


def transpose_(self: Tensor, dim0: int, dim1: int) -> Tensor:
    """In-place ``transpose``: dimensions ``dim0`` and ``dim1`` swap places."""
    out = transpose(self.detach(), dim0, dim1)
    order = list(range(self.ndim))
    if self.ndim:
        d0, d1 = _wrap_dim(dim0, self.ndim), _wrap_dim(dim1, self.ndim)
        order[d0], order[d1] = order[d1], order[d0]
    return _inplace_view(self, out, _TransposeInplace, (tuple(order),))


swapdims_ = swapaxes_ = transpose_
