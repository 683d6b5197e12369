"""Indexing: ``x[key]``, ``x[key] = v``, gather/scatter, index_select, masked_select.

Basic indexing (ints, slices, None, ...) gives a view. Advanced indexing
(integer tensors/lists, bool masks) gives a copy. Backward of ``x[key]``
writes the gradient into zeros of ``x``'s shape at ``key``; with advanced
keys repeated indices *accumulate* (``np.add.at``, through the backend's
``index_add``), because an element used twice gets both gradients.
"""

from __future__ import annotations

import numpy as np

from .._tensor import _view_of
from ..autograd.function import Function
from ._util import Tensor, _wrap, _wrap_dim, check_same_device


# ---- keys ------------------------------------------------------------------------------------
def _convert_key(key, device):
    """Turn a user key into one NumPy/CuPy understands; report whether it is basic."""
    if not isinstance(key, tuple):
        key = (key,)
    out, basic = [], True
    for k in key:
        if isinstance(k, Tensor):
            if k.dtype.is_floating_point:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if k._device != device:  # as PyTorch: CPU indices are copied over, other devices refused
                if k._device.type != "cpu":
                    raise RuntimeError(
                        f"indices should be either on cpu or on the same device as the indexed tensor ({device})"
                    )
                if k.ndim == 0:
                    out.append(k.item())
                    continue
                out.append(device.backend.from_host(k._data))
                basic = False
                continue
            out.append(k._data)
            basic = False
        elif isinstance(k, (list, np.ndarray)):
            arr = np.asarray([x.item() if isinstance(x, Tensor) else x for x in k] if isinstance(k, list) else k)
            if arr.dtype.kind == "f":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if arr.dtype == object:
                raise IndexError(f"invalid index {k!r}")
            out.append(device.backend.from_host(arr) if device.type != "cpu" else arr)
            basic = False
        elif isinstance(k, bool):
            out.append(k)
            basic = False
        elif k is None or k is Ellipsis or isinstance(k, (int, np.integer, slice)):
            if isinstance(k, slice) and k.step is not None and k.step <= 0:
                raise ValueError("step must be greater than zero")
            out.append(k)
        else:
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
                f"(got {type(k).__name__})"
            )
    return tuple(out), basic


def _index_error(e, shape):
    msg = str(e).replace("axis", "dimension")
    return IndexError(f"{msg} (indexing a tensor of shape {list(shape)})")


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


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _split_ints(key):
    """Split a key into a basic key (ints, slices, None, ...) and the advanced key to apply after it."""
    first, rest = [], []
    for x in key:
        if _is_int(x):
            first.append(x)
        elif x is None or isinstance(x, slice):
            first.append(x)
            rest.append(slice(None))
        elif x is Ellipsis:
            first.append(x)
            rest.append(x)
        elif isinstance(x, bool):  # True/False add a dimension and consume none
            rest.append(x)
        else:  # an index array: a bool mask consumes one dimension per mask dimension
            first.extend([slice(None)] * (x.ndim if x.dtype.kind == "b" else 1))
            rest.append(x)
    return tuple(first), tuple(rest)


class IndexPut(Function):
    """out = a with ``value`` written at ``key``.
    d/da = grad with zeros at ``key``;  d/dvalue = grad[key] summed to value's shape."""

    @staticmethod
    def forward(ctx, a, value, key):
        ctx.key = key
        ctx.vshape = value.shape if isinstance(value, Tensor) else None
        out = a._data.copy()
        v = value._data if isinstance(value, Tensor) else value
        try:
            out[key] = v
        except IndexError as e:
            raise _index_error(e, a.shape) from None
        except ValueError:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(np.shape(v))} cannot be broadcast to indexing "
                f"result of shape {list(np.shape(a._data[key]))}"
            ) from None
        return _wrap(out, a._device)

    @staticmethod
    def backward(ctx, grad):
        ga = IndexPut.apply(grad, 0.0, ctx.key) if ctx.needs_input_grad[0] else None
        gv = None
        if ctx.vshape is not None and ctx.needs_input_grad[1]:
            gv = Index.apply(grad, ctx.key, False).sum_to_size(ctx.vshape)
        return ga, gv, None


def setitem(input, key, value) -> None:
    """``input[key] = value``; in place, and differentiable when recording."""
    from .inplace import inplace_apply

    k, _ = _convert_key(key, input._device)
    if isinstance(value, Tensor):
        check_same_device("index_put_", input, value)
        if value.dtype is not input.dtype:
            value = value.to(input.dtype)
    elif isinstance(value, (list, tuple, np.ndarray)):
        from .creation import tensor

        value = tensor(value, dtype=input.dtype, device=input.device)
    inplace_apply(input, lambda t: IndexPut.apply(t, value, k), (value,), fast=lambda d: _fast_setitem(d, k, value))


def _fast_setitem(data, key, value):
    try:
        data[key] = value._data if isinstance(value, Tensor) else value
    except IndexError as e:
        raise _index_error(e, data.shape) from None
    except ValueError:
        v = value._data if isinstance(value, Tensor) else value
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {list(np.shape(v))} cannot be broadcast to indexing result "
            f"of shape {list(np.shape(data[key]))}"
        ) from None


# ---- gather / scatter ------------------------------------------------------------------------
def _check_index(index, op):
    if not isinstance(index, Tensor) or index.dtype.is_floating_point or index.dtype.name == "bool":
        raise RuntimeError(f"{op}(): Expected dtype int64 for index")


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
                    f"Size does not match at dimension {d} expected index {list(index.shape)} to be smaller than "
                    f"self {list(a.shape)} apart from dimension {dim}"
                )
        x = a._data
        idx = index._data
        if idx.size and bool(((idx < -x.shape[dim]) | (idx >= x.shape[dim])).any()):  # one wait for a GPU
            raise RuntimeError(f"index {int(idx.max())} is out of bounds for dimension {dim} with size {x.shape[dim]}")
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
        if idx.size and bool(((idx < -a.shape[dim]) | (idx >= a.shape[dim])).any()):  # one wait for a GPU
            raise RuntimeError(f"index {int(idx.max())} is out of bounds for dimension {dim} with size {a.shape[dim]}")
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
    return Gather.apply(input, _wrap_dim(dim, input.ndim, "gather"), index)


def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    """A copy of ``input`` with ``src`` (or ``value``) written at ``index`` along ``dim``."""
    _check_index(index, "scatter")
    check_same_device("scatter", input, index, src, value)
    if src is None:
        src = value
    if reduce not in (None, "add"):
        raise NotImplementedError(f"scatter(reduce={reduce!r}) is not supported by minitorch (only 'add')")
    return Scatter.apply(input, _wrap_dim(dim, input.ndim, "scatter"), index, src, reduce == "add")


def scatter_add(input, dim, index, src):
    """A copy of ``input`` with ``src`` added at ``index`` along ``dim`` (duplicates accumulate)."""
    _check_index(index, "scatter_add")
    check_same_device("scatter_add", input, index, src)
    return Scatter.apply(input, _wrap_dim(dim, input.ndim, "scatter_add"), index, src, True)


def index_select(input, dim, index):
    """Rows (along ``dim``) of ``input`` picked by the 1-D ``index``."""
    if not isinstance(index, Tensor) or index.dtype.is_floating_point or index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector of type int64 or int32")
    check_same_device("index_select", input, index)
    d = _wrap_dim(dim, input.ndim, "index_select")
    key = (slice(None),) * d + (index.reshape(-1)._data,)
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
    idx = input._device.xp.nonzero(input._data)
    if as_tuple:
        return tuple(_wrap(i.astype(np.int64), input._device) for i in idx)
    return _wrap(input._device.xp.stack(idx, axis=1).astype(np.int64) if idx else
                 input._device.xp.zeros((1 if input.ndim == 0 and input._data else 0, 0), dtype=np.int64), input._device)


def argwhere(input):
    return nonzero(input)
