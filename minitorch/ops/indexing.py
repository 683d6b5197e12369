"""Indexing: ``x[key]``, ``x[key] = v``, gather/scatter, index_select, masked_select.

Basic indexing (ints, slices, None, ...) gives a view. Advanced indexing
(integer tensors/lists, bool masks) gives a copy. Backward of ``x[key]``
writes the gradient into zeros of ``x``'s shape at ``key``; with advanced
keys repeated indices *accumulate* (``np.add.at``, through the backend's
``index_add``), because an element used twice gets both gradients.
"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from .._dtype import TENSOR_TYPE_NAMES
from .._tensor import _view_of
from ..autograd.function import Function
from ._index_keys import _check_key, _convert_key, _index_error, _is_int, _split_ints
from ._util import Tensor, _wrap, _wrap_dim, check_same_device, scalar_type_name


class Index(Function):
    """``x[key]``.  Gradient: zeros of x's shape with ``grad`` added at ``key``."""

    node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, a, key, basic):
        ctx.in_shape, ctx.key, ctx.basic = a.shape, key, basic
        try:
            out = a._data[key]
        except IndexError as e:
            raise _index_error(e, a.shape) from None
        if basic:
            return _view_of(a, out)
        return _wrap(a._device.xp.asarray(out), a._device)

    @staticmethod
    def backward(ctx, grad):
        return IndexPutZeros.apply(grad, ctx.in_shape, ctx.key, ctx.basic), None, None


class Select(Index):
    node_name = "SelectBackward0"


class Slice(Index):
    node_name = "SliceBackward0"


class IndexPutZeros(Function):
    """zeros(shape) with ``g`` added at ``key`` (the backward of indexing).
    Its own gradient is ``grad[key]``."""

    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, g, shape, key, basic):
        ctx.key, ctx.basic = key, basic
        xp = g._device.xp
        # BEGIN SOLUTION 3.9
        # HINT: the gradient of x[key] is zeros(x.shape) with grad written at key; with an advanced (tensor) key an
        # HINT: index may repeat, so ADD: g._device.backend.index_add(out, key, g._data)
        out = xp.zeros(shape, dtype=g._data.dtype)
        if basic:
            out[key] = g._data
        else:
            g._device.backend.index_add(out, key, g._data)
        # END SOLUTION
        return _wrap(out, g._device)

    @staticmethod
    def backward(ctx, grad):
        return Index.apply(grad, ctx.key, ctx.basic), None, None, None


class SliceScatter(IndexPutZeros):
    """zeros(shape) with ``g`` written at the basic index ``key`` (backward of narrow)."""

    node_name = "SliceBackward0"

    @staticmethod
    def forward(ctx, g, shape, key):
        return IndexPutZeros.forward(ctx, g, shape, key, True)

    @staticmethod
    def backward(ctx, grad):
        return Index.apply(grad, ctx.key, True), None, None


def getitem(input, key):
    """``input[key]`` with PyTorch's indexing rules (NumPy's, except that integers are basic indices)."""
    k, basic = _convert_key(key, input._device)
    _check_key(k, input.shape)
    if basic:
        cls = Slice
        if all(isinstance(x, (int, np.integer)) for x in k):
            cls = Select
        return cls.apply(input, k, True)
    if any(_is_int(x) for x in k):
        # PyTorch selects integer positions first, then indexes the rest: x[1, :, [0, 2]] has shape
        # (n, 2), where NumPy would move the advanced dimension to the front.
        first, rest = _split_ints(k)
        view = (Select if all(map(_is_int, first)) else Slice).apply(input, first, True)
        return Index.apply(view, rest, False)
    return Index.apply(input, k, False)


class TwoStepKey:
    """A key that mixes integers with index arrays, applied as PyTorch does: ``data[first][rest]``.

    NumPy treats ``x[1, :, [0, 2]]`` as one advanced index and moves the new dimension to the
    front; PyTorch first selects with the integers (a view) and then indexes what is left."""

    def __init__(self, key):
        self.first, self.rest = _split_ints(key)


def _put(data, key, v) -> None:
    """``data[key] = v`` in place, with PyTorch's error messages."""
    target = data
    if isinstance(key, TwoStepKey):
        target, key = data[key.first], key.rest  # a basic index: a view that writes into data
    try:
        target[key] = v
    except IndexError as e:
        raise _index_error(e, data.shape) from None
    except ValueError:
        basic = isinstance(key, tuple) and _is_basic(key)
        raise _put_shape_error(np.shape(v), np.shape(target[key]), basic, data.dtype) from None


def _is_basic(key) -> bool:
    return all(x is None or x is Ellipsis or isinstance(x, slice) or _is_int(x) for x in key)


def _put_shape_error(vshape, tshape, basic, np_dtype) -> RuntimeError:
    vshape, tshape = list(vshape), list(tshape)
    if not basic:
        return RuntimeError(
            f"shape mismatch: value tensor of shape {vshape} cannot be broadcast to indexing result of shape {tshape}"
        )
    if len(vshape) > len(tshape):  # a basic key writes through expand(), which words it like this
        name = TENSOR_TYPE_NAMES[np.dtype(np_dtype).name]
        return RuntimeError(
            f"expand(minitorch.{name}{{{vshape}}}, size={tshape}): the number of sizes provided ({len(tshape)}) must "
            f"be greater or equal to the number of dimensions in the tensor ({len(vshape)})"
        )
    for i in range(1, len(vshape) + 1):
        if vshape[-i] != 1 and vshape[-i] != tshape[-i]:
            return RuntimeError(
                f"The expanded size of the tensor ({tshape[-i]}) must match the existing size ({vshape[-i]}) at "
                f"non-singleton dimension {len(tshape) - i}.  Target sizes: {tshape}.  Tensor sizes: {vshape}"
            )
    return RuntimeError(f"shape mismatch: value tensor of shape {vshape} cannot be broadcast to {tshape}")


def _index_any(t, key):
    """``t[key]`` for a converted key, as a differentiable op (the gradient of a written value)."""
    if isinstance(key, TwoStepKey):
        return Index.apply(Slice.apply(t, key.first, True), key.rest, False)
    return Index.apply(t, key, False)


class IndexPut(Function):
    """out = a with ``value`` written at ``key``.
    d/da = grad with zeros at ``key``;  d/dvalue = grad[key] summed to value's shape."""

    @staticmethod
    def forward(ctx, a, value, key):
        ctx.key = key
        ctx.vshape = value.shape if isinstance(value, Tensor) else None
        out = a._data.copy()
        _put(out, key, value._data if isinstance(value, Tensor) else value)
        return _wrap(out, a._device)

    @staticmethod
    def backward(ctx, grad):
        ga = IndexPut.apply(grad, 0.0, ctx.key) if ctx.needs_input_grad[0] else None
        gv = None
        if ctx.vshape is not None and ctx.needs_input_grad[1]:
            gv = _index_any(grad, ctx.key).sum_to_size(ctx.vshape)
        return ga, gv, None


class SetSlice(IndexPut):
    """``x[basic_key] = value``: PyTorch writes through a view, and names the node CopySlices."""

    node_name = "CopySlices"


def setitem(input, key, value) -> None:
    """``input[key] = value``; in place, and differentiable when recording."""
    from .inplace import inplace_apply

    k, basic = _convert_key(key, input._device)
    _check_key(k, input.shape)
    if not basic and any(_is_int(x) for x in k):
        k = TwoStepKey(k)
    if isinstance(value, Tensor):
        check_same_device("index_put_", input, value)
        if value.dtype is not input.dtype:
            value = value.to(input.dtype)
    elif isinstance(value, (list, tuple, np.ndarray)):
        from .creation import tensor

        value = tensor(value, dtype=input.dtype, device=input.device)
    else:
        _check_scalar_fits(value, input.dtype)
    put = SetSlice if basic else IndexPut
    inplace_apply(input, lambda t: put.apply(t, value, k), (value,),
                  fast=lambda d: _put(d, k, value._data if isinstance(value, Tensor) else value))


def _check_scalar_fits(value, dtype) -> None:
    """A Python number written into an integer tensor must be representable (nan and inf are not)."""
    if dtype.is_floating_point or dtype.name == "bool" or not isinstance(value, float):
        return
    info = np.iinfo(dtype.np)
    if not (info.min <= value <= info.max):  # False for nan
        raise RuntimeError(f"value cannot be converted to type {dtype.name}_t without overflow")


# ---- gather / scatter ------------------------------------------------------------------------
def _check_index(index, op):
    if not isinstance(index, Tensor) or index.dtype.is_floating_point or index.dtype.name == "bool":
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index")


def _check_bounds(idx, dim, size) -> None:
    """gather/scatter do not wrap negative indices: every index must lie in [0, size)."""
    if not idx.size:
        return
    bad = (idx < 0) | (idx >= size)
    if bool(bad.any()):  # one wait for a GPU
        first = int(idx.reshape(-1)[int(bad.reshape(-1).argmax())])
        raise RuntimeError(f"index {first} is out of bounds for dimension {dim} with size {size}")


class Gather(Function):
    """out[i][j] = a[i][index[i][j]] (dim=1).  Gradient: scatter-add ``grad`` back at ``index``."""

    @staticmethod
    def forward(ctx, a, dim, index):
        ctx.in_shape, ctx.dim = a.shape, dim
        ctx.save_for_backward(index)
        if index.ndim != a.ndim and not (a.ndim == 0 and index.ndim <= 1):
            raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
        for d in range(index.ndim):
            if d != dim and index.shape[d] > a.shape[d]:
                raise RuntimeError(
                    f"Size does not match at dimension {d} expected index {list(index.shape)} to be no larger than "
                    f"self {list(a.shape)} apart from dimension {dim}"
                )
        x = a._data
        idx = index._data
        _check_bounds(idx, dim, x.shape[dim])
        sl = tuple(slice(0, s) for s in idx.shape)
        sub = x[tuple(slice(None) if d == dim else sl[d] for d in range(x.ndim))]
        return _wrap(a._device.xp.take_along_axis(sub, idx, axis=dim), a._device)

    @staticmethod
    def backward(ctx, grad):
        (index,) = ctx.saved_tensors
        return scatter_into_zeros(grad, ctx.dim, index, ctx.in_shape), None, None


def _along_key(index, dim, xp):
    """The advanced-index tuple that addresses a[..., index[...], ...] along ``dim``."""
    grids = list(xp.indices(index.shape, sparse=True))
    grids[dim] = index
    return tuple(grids)


class ScatterAddZeros(Function):
    """zeros(shape) with ``src`` added at ``index`` along ``dim`` (duplicates accumulate).
    Gradient: ``gather`` of ``grad`` at ``index``."""

    node_name = "ScatterAddBackward0"

    @staticmethod
    def forward(ctx, src, dim, index, shape):
        ctx.dim = dim
        ctx.save_for_backward(index)
        xp = src._device.xp
        out = xp.zeros(shape, dtype=src._data.dtype)
        idx = index._data
        sub = src._data[tuple(slice(0, s) for s in idx.shape)]
        src._device.backend.index_add(out, _along_key(idx, dim, xp), sub)
        return _wrap(out, src._device)

    @staticmethod
    def backward(ctx, grad):
        (index,) = ctx.saved_tensors
        return Gather.apply(grad, ctx.dim, index), None, None, None


def scatter_into_zeros(src, dim, index, shape):
    return ScatterAddZeros.apply(src, dim, index, tuple(shape))


class Scatter(Function):
    """out = a with ``src`` written at ``index`` along ``dim``, or added when ``reduce="add"``.
    d/da = grad (with zeros at the written places unless adding);  d/dsrc = gather(grad, index)."""

    @staticmethod
    def forward(ctx, a, dim, index, src, add):
        ctx.dim, ctx.add = dim, add
        ctx.src_shape = src.shape if isinstance(src, Tensor) else None
        ctx.save_for_backward(index)
        xp = a._device.xp
        idx = index._data
        if idx.ndim != a.ndim:
            raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
        _check_bounds(idx, dim, a.shape[dim])
        out = a._data.copy()
        key = _along_key(idx, dim, xp)
        if isinstance(src, Tensor):
            v = src._data[tuple(slice(0, s) for s in idx.shape)].astype(out.dtype, copy=False)
        else:
            v = src
        if add:
            a._device.backend.index_add(out, key, xp.broadcast_to(xp.asarray(v, dtype=out.dtype), idx.shape))
        else:
            out[key] = v
        return _wrap(out, a._device)

    @staticmethod
    def backward(ctx, grad):
        (index,) = ctx.saved_tensors
        ga = grad if ctx.add else Scatter.apply(grad, ctx.dim, index, 0.0, False)
        gs = None
        if ctx.src_shape is not None and ctx.needs_input_grad[3]:
            g = Gather.apply(grad, ctx.dim, index)
            if tuple(g.shape) != tuple(ctx.src_shape):
                from .shape import cat  # noqa: F401  (src larger than index: pad with zeros)

                g = IndexPutZeros.apply(g, ctx.src_shape, tuple(slice(0, s) for s in g.shape), True)
            gs = g
        return ga, None, None, gs, None


def gather(input, dim, index, *, sparse_grad=False):
    """Values of ``input`` at ``index`` along ``dim``."""
    _check_index(index, "gather")
    check_same_device("gather", input, index)
    if input.ndim == 0:  # a 0-d tensor gathers like a 1-element vector
        _wrap_dim(dim, 0, "gather")
        return Gather.apply(input.reshape(1), 0, index.reshape(-1)).reshape(index.shape)
    return Gather.apply(input, _wrap_dim(dim, input.ndim, "gather"), index)


def _check_scatter(op, input, dim, index, src):
    """PyTorch's checks for scatter/scatter_add: the dtypes agree and index fits in self (and in src)."""
    _check_index(index, op)
    check_same_device(op, input, index, src)
    d = _wrap_dim(dim, input.ndim, op)
    if not isinstance(src, Tensor):
        return d
    if src.dtype is not input.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    if index.ndim == input.ndim == src.ndim:
        too_big = any(index.shape[i] > src.shape[i] or (i != d and index.shape[i] > input.shape[i])
                      for i in range(index.ndim))
        if too_big:
            raise RuntimeError(
                f"Expected index {list(index.shape)} to be no larger than self {list(input.shape)} apart from "
                f"dimension {d} and to be no larger size than src {list(src.shape)}"
            )
    return d


def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    """A copy of ``input`` with ``src`` (or ``value``) written at ``index`` along ``dim``."""
    if src is None:
        src = value
    d = _check_scatter("scatter", input, dim, index, src)
    if reduce not in (None, "add"):
        raise NotImplementedError(f"scatter(reduce={reduce!r}) is not supported by minitorch (only 'add')")
    return Scatter.apply(input, d, index, src, reduce == "add")


def scatter_add(input, dim, index, src):
    """A copy of ``input`` with ``src`` added at ``index`` along ``dim`` (duplicates accumulate)."""
    d = _check_scatter("scatter_add", input, dim, index, src)
    return Scatter.apply(input, d, index, src, True)


def index_select(input, dim, index):
    """Rows (along ``dim``) of ``input`` picked by the 1-D ``index``."""
    if not isinstance(index, Tensor) or index.dtype.is_floating_point or index.dtype.name == "bool":
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    check_same_device("index_select", input, index)
    if input.ndim == 0:  # a 0-d tensor selects like a 1-element vector
        return index_select(input.reshape(1), dim, index).reshape(())
    d = _wrap_dim(dim, input.ndim, "index_select")
    idx = index.reshape(-1)._data
    n = input.shape[d]
    if input._device.type == "cpu" and idx.size and bool(((idx < -n) | (idx >= n)).any()):  # no GPU sync
        raise IndexError("index out of range in self")
    key = (slice(None),) * d + (idx,)
    return IndexSelect.apply(input, key, False)


class IndexSelect(Index):
    node_name = "IndexSelectBackward0"


def masked_select(input, mask):
    """The elements of ``input`` where ``mask`` is True, as a 1-D tensor."""
    if not isinstance(mask, Tensor) or mask.dtype.name != "bool":
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = np.broadcast_shapes(tuple(input.shape), tuple(mask.shape))
    x = input.expand(shape) if tuple(input.shape) != shape else input
    m = mask.expand(shape) if tuple(mask.shape) != shape else mask
    return MaskedSelect.apply(x, (m._data,), False)


class MaskedSelect(Index):
    node_name = "MaskedSelectBackward0"


def take_along_dim(input, indices, dim=None):
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    shape = list(np.broadcast_shapes(tuple(s if i != dim % input.ndim else 1 for i, s in enumerate(input.shape)),
                                     tuple(s if i != dim % input.ndim else 1 for i, s in enumerate(indices.shape))))
    ishape = list(shape)
    ishape[dim % input.ndim] = indices.shape[dim]
    shape[dim % input.ndim] = input.shape[dim]
    return gather(input.expand(tuple(shape)), dim, indices.expand(tuple(ishape)))


def nonzero(input, *, as_tuple=False):
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or a tuple of 1-D ones."""
    xp, data = input._device.xp, input._data
    idx = xp.nonzero(data.reshape(1) if data.ndim == 0 else data)  # a 0-d tensor counts as a 1-element vector
    if as_tuple:
        return tuple(_wrap(i.astype(np.int64), input._device) for i in idx)
    if data.ndim == 0:  # one row per non-zero element, no columns
        return _wrap(xp.zeros((int(idx[0].size), 0), dtype=np.int64), input._device)
    return _wrap(xp.stack(idx, axis=1).astype(np.int64), input._device)


def argwhere(input):
    return nonzero(input)


# ---- out-of-place forms of the in-place index ops -------------------------------------------------------------
def index_add(input, dim, index, source, *, alpha=1):
    """A copy of ``input`` with ``alpha * source`` added at ``index`` along ``dim`` (duplicates accumulate)."""
    from .inplace import index_add_

    return index_add_(input.clone(), dim, index, source, alpha=alpha)


def index_fill(input, dim, index, value):
    """A copy of ``input`` with ``value`` written at ``index`` along ``dim``."""
    from .inplace import index_fill_

    return index_fill_(input.clone(), dim, index, value)


def take(input, index):
    """``input.flatten()[index]``: the result has ``index``'s shape."""
    if index.dtype is not _dtype.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {scalar_type_name(index.dtype)}")
    n = input.numel()
    idx = index._data
    if idx.size and bool(((idx < -n) | (idx >= n)).any()):
        bad = int(idx.reshape(-1)[int(((idx < -n) | (idx >= n)).reshape(-1).argmax())])
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    return Index.apply(input.reshape(-1), (idx,), False)
