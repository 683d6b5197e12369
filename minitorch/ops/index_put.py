"""Writing through indices: index_copy, index_put, put_, masked_scatter and scatter_reduce
(plus index_add, index_fill and take from indexing.py, listed here as top-level names and methods).

Each op is out of place (``index_copy``) with an in-place form (``index_copy_``) made by ``inplace_apply``.
Gradients, as PyTorch's: a written position passes no gradient to ``self`` (unless the op accumulates), and
each source element gets the gradient of the place it went to. Index bounds are checked on the CPU only (a
check on a GPU would wait for the device, as ``index_select`` avoids too).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..autograd.function import Function
from ._index_keys import _check_key
from ._util import Tensor, _wrap, _wrap_dim, broadcast_error, check_same_device
from .indexing import Index, IndexPut, ScatterAddZeros, _check_bounds, _check_scatter, _put, index_add, index_fill, take
from .inplace import _cap, inplace_apply

#: Top-level names (``minitorch.index_put``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = ["index_copy", "index_put", "index_put_", "put", "masked_scatter", "scatter_reduce", "index_add",
                      "index_fill", "take"]
#: Tensor methods (``x.index_put_(...)``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = ["index_copy", "index_copy_", "index_put", "index_put_", "put", "put_", "masked_scatter",
                             "masked_scatter_", "scatter_reduce", "scatter_reduce_", "index_add", "index_fill", "take"]


def _on_cpu(t) -> bool:
    return t._device.type == "cpu"


def _out_of_range(t, lo: int, hi: int):
    """The first index of CPU tensor ``t`` outside [lo, hi), or None (GPU indices are not checked)."""
    idx = t._data if isinstance(t, Tensor) else t
    if not idx.size or (isinstance(t, Tensor) and not _on_cpu(t)):
        return None
    bad = ((idx < lo) | (idx >= hi)).reshape(-1)
    return int(idx.reshape(-1)[int(bad.argmax())]) if bool(bad.any()) else None


# ---- index_copy ------------------------------------------------------------------------------------------
class IndexCopy(IndexPut):
    """out = a with the slices ``source[i]`` written at ``index[i]`` along a dim (``key`` addresses them).
    d/da = grad with zeros at the written slices;  d/dsource = grad at those slices."""


def _check_index_copy(self, dim, index, source):
    if index.ndim >= 2:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {index.ndim})")
    n = index.numel()
    if source.ndim == 0 and n != 1:
        raise IndexError(f"index_copy_(): When source is scalar, index should have one element (got {n})")
    if source.ndim != self.ndim and source.ndim and self.ndim:
        raise IndexError("index_copy_(): When source and destination are not scalars, their dimensionality must match. "
                         f"Source dimensionality ({source.ndim}), destination dimensionality ({self.ndim})")
    if index.dtype.name != "int64":
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got {_cap(index.dtype)}")
    if self.dtype is not source.dtype:
        raise RuntimeError("index_copy_(): self and source expected to have the same dtype, but got (self) "
                           f"{_cap(self.dtype)} and (source) {_cap(source.dtype)}")
    check_same_device("index_copy_", self, index, source)
    s_sl = [s for i, s in enumerate(self.shape) if i != dim]
    o_sl = [s for i, s in enumerate(source.shape) if i != dim]
    if s_sl != o_sl:
        raise RuntimeError("index_copy_(): Source/destination tensor must have same slice shapes. Destination slice "
                           f"shape: {' '.join(map(str, s_sl))} at dimension {dim} and source slice shape: "
                           f"{' '.join(map(str, o_sl))} at dimension 0.")
    if source.ndim and n != source.shape[dim]:
        raise IndexError(f"index_copy_(): Number of indices ({n}) should be equal to source.size(dim) "
                         f"({source.shape[dim]})")
    size = self.shape[dim] if self.ndim else 1
    bad = _out_of_range(index, 0, size)
    if bad is not None:
        raise IndexError(f"index_copy_(): index {bad} is out of bounds for dimension {dim} with size {size}")


def index_copy_(self: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """Copy the slices of ``source`` into ``self`` at ``index`` along ``dim``, in place.

    >>> minitorch.zeros(3, 2).index_copy_(0, minitorch.tensor([2, 0]), minitorch.ones(2, 2))[:, 0]
    tensor([1., 0., 1.])
    """
    d = _wrap_dim(dim, self.ndim)
    _check_index_copy(self, d, index, source)
    if self.ndim == 0:
        return inplace_apply(self, lambda t: IndexCopy.apply(t.reshape(1), source.reshape(()), (0,)).reshape(()),
                             (source,), None, "index_copy_")
    key = (slice(None),) * d + (index._data.reshape(-1),)
    src = source.reshape((1,) * self.ndim) if source.ndim == 0 else source
    return inplace_apply(self, lambda t: IndexCopy.apply(t, src, key), (source,),
                         lambda a: _put(a, key, src._data), "index_copy_")


def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of ``input`` with the slices of ``source`` written at ``index`` along ``dim``."""
    return index_copy_(input.clone(), dim, index, source)


# ---- index_put ---------------------------------------------------------------------------------------------
class IndexPutAccumulate(Function):
    """out = a with ``values`` added at ``key`` (repeated positions add up).
    d/da = grad;  d/dvalues = grad[key] summed to values' shape."""

    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, a, values, key):
        ctx.key, ctx.vshape = key, values.shape
        out = a._data.copy()
        xp = a._device.xp
        target_shape = xp.empty(a._data.shape, dtype=np.bool_)[key].shape  # the indexing result's shape
        try:
            v = xp.broadcast_to(values._data, target_shape)
        except ValueError:
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(values.shape)} cannot be broadcast to "
                               f"indexing result of shape {list(target_shape)}") from None
        a._device.backend.index_add(out, key, v)
        return _wrap(out, a._device)

    @staticmethod
    def backward(ctx, grad):
        gv = Index.apply(grad, ctx.key, False).sum_to_size(ctx.vshape) if ctx.needs_input_grad[1] else None
        return grad, gv, None


def _indices_key(self, indices):
    """The NumPy/CuPy key for a tuple of index tensors (int tensors, bool or byte masks), with PyTorch's checks."""
    if isinstance(indices, Tensor):
        raise TypeError("index_put(): argument 'indices' (position 1) must be tuple of Tensors, not Tensor")
    key, int_shapes = [], []
    for i, k in enumerate(indices):
        if not isinstance(k, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(k).__name__}")
        if k.dtype.is_floating_point:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        check_same_device("index_put_", self, k)
        data = k._data.astype(bool) if k.dtype.name == "uint8" else k._data
        if data.dtype.kind != "b":
            int_shapes.append(tuple(k.shape))
        key.append(data)
    key = tuple(key)
    used = sum(k.ndim if k.dtype.kind == "b" else 1 for k in key)
    if used > self.ndim:
        raise IndexError(f"too many indices for tensor of dimension {self.ndim} (got {used})")
    _check_key(key, self.shape)
    try:
        np.broadcast_shapes(*int_shapes)
    except ValueError:
        shapes = ", ".join(str(list(s)) for s in int_shapes)
        raise IndexError(f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}") from None
    dim = 0
    for k in key:
        bad = _out_of_range(k, -self.shape[dim], self.shape[dim]) if k.dtype.kind != "b" and _on_cpu(self) else None
        if bad is not None:
            raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {self.shape[dim]}")
        dim += k.ndim if k.dtype.kind == "b" else 1
    return key


def index_put_(input: Tensor, indices, values: Tensor, accumulate: bool = False) -> Tensor:
    """``input[indices] = values`` (or ``+=`` with ``accumulate=True``, where repeated indices add up), in place.

    >>> minitorch.zeros(3).index_put_((minitorch.tensor([0, 0]),), minitorch.tensor(1.0), accumulate=True)
    tensor([2., 0., 0.])
    """
    if not isinstance(values, Tensor):
        raise TypeError(f"index_put(): argument 'values' (position 2) must be Tensor, not {type(values).__name__}")
    key = _indices_key(input, indices)
    if values.dtype is not input.dtype:
        raise RuntimeError("Index put requires the source and destination dtypes match, got "
                           f"{_cap(input.dtype)} for the destination and {_cap(values.dtype)} for the source.")
    check_same_device("index_put_", input, values)
    if accumulate:
        return inplace_apply(input, lambda t: IndexPutAccumulate.apply(t, values, key), (values,), None, "index_put_")
    return inplace_apply(input, lambda t: IndexPut.apply(t, values, key), (values,), lambda a: _put(a, key, values._data),
                         "index_put_")


def index_put(input: Tensor, indices, values: Tensor, accumulate: bool = False) -> Tensor:
    """A copy of ``input`` with ``values`` written (or added) at ``indices``: ``input.clone().index_put_(...)``."""
    return index_put_(input.clone(), indices, values, accumulate)


# ---- put -------------------------------------------------------------------------------------------------
class Put(Function):
    """out = a with ``source`` written (or added) at the flat positions ``index``.
    d/da = grad (accumulate) or grad with zeros at index;  d/dsource = grad.flatten()[index]."""

    @staticmethod
    def forward(ctx, a, index, source, accumulate):
        ctx.save_for_backward(index)
        ctx.accumulate, ctx.src_shape = accumulate, source.shape
        out = a._data.copy()
        flat = out.reshape(-1)  # a view: out is C-contiguous
        idx, v = index._data.reshape(-1), source._data.reshape(-1)
        if accumulate:
            a._device.backend.index_add(flat, (idx,), v)
        else:
            flat[idx] = v
        return _wrap(out, a._device)

    @staticmethod
    def backward(ctx, grad):
        (index,) = ctx.saved_tensors
        ga = grad
        if not ctx.accumulate and ctx.needs_input_grad[0]:
            zeros = _wrap(grad._device.xp.zeros(ctx.src_shape, dtype=grad._data.dtype), grad._device)
            ga = Put.apply(grad, index, zeros, False)
        gs = None
        if ctx.needs_input_grad[2]:
            gs = Index.apply(grad.reshape(-1), (index._data.reshape(-1),), False).reshape(ctx.src_shape)
        return ga, None, gs, None


def put_(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """Write ``source`` at the flat positions ``index`` of ``input`` (as if it were 1-D), in place."""
    if not isinstance(accumulate, bool):
        raise TypeError(f"put(): argument 'accumulate' must be bool, not {type(accumulate).__name__}")
    if index.dtype.name != "int64":
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {_cap(index.dtype)}")
    if source.dtype is not input.dtype:
        raise RuntimeError("put_(): self and source expected to have the same dtype, but got self.dtype = "
                           f"{_cap(input.dtype)} and source.dtype = {_cap(source.dtype)}")
    if source.numel() != index.numel():
        raise IndexError("put_(): Expected source and index to have the same number of elements, but got "
                         f"source.numel() = {source.numel()}, index.numel() = {index.numel()}")
    check_same_device("put_", input, index, source)
    n = input.numel()
    bad = _out_of_range(index, -n, n)
    if bad is not None:
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    return inplace_apply(input, lambda t: Put.apply(t, index, source, accumulate), (source,), None, "put_")


def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """A copy of ``input`` with ``source`` written (or added) at the flat positions ``index``."""
    return put_(input.clone(), index, source, accumulate)


# ---- masked_scatter -------------------------------------------------------------------------------------
class MaskedScatter(Function):
    """out = a where ~mask, and the first elements of ``source`` (in order) where mask.
    d/da = grad with zeros where mask;  d/dsource = the masked grads in order, zeros after them."""

    @staticmethod
    def forward(ctx, a, mask, source):
        xp = a._device.xp
        m = mask._data.reshape(-1)
        pos = xp.cumsum(m.astype(np.int64)) - 1  # where in source each masked element reads from
        n_src = source._data.size
        if _on_cpu(a) and m.size and int(pos[-1]) + 1 > n_src:
            raise RuntimeError("Number of elements of source < number of ones in mask")
        ctx.mask, ctx.src_shape = mask._data, source.shape
        ctx.dump = xp.where(m, pos, n_src)  # unmasked elements send their gradient to a slot that is dropped
        if n_src == 0:
            return _wrap(a._data.copy(), a._device)
        picked = source._data.reshape(-1)[xp.clip(pos, 0, n_src - 1)].reshape(a._data.shape)
        return _wrap(xp.where(mask._data, picked, a._data), a._device)

    @staticmethod
    def backward(ctx, grad):
        keep = _wrap(~ctx.mask, grad._device)
        ga = grad * keep if ctx.needs_input_grad[0] else None
        gs = None
        if ctx.needs_input_grad[2]:
            n = int(np.prod(ctx.src_shape))
            index = _wrap(ctx.dump, grad._device)
            gs = ScatterAddZeros.apply(grad.reshape(-1), 0, index, (n + 1,)).narrow(0, 0, n).reshape(ctx.src_shape)
        return ga, None, gs


def _check_masked_scatter(input, mask, source):
    if mask.dtype.name != "bool":
        if mask.dtype.name == "uint8":
            warnings.warn("masked_scatter_ received a mask with dtype torch.uint8, this behavior is now deprecated,"
                          "please use a mask with dtype torch.bool instead.", UserWarning, stacklevel=3)
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype {_cap(mask.dtype)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but got{_cap(input.dtype)} "
                           f"and {_cap(source.dtype)}")
    check_same_device("masked_scatter_", input, mask, source)


def masked_scatter_(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """Copy the elements of ``source``, in order, into ``input`` where ``mask`` is True, in place."""
    _check_masked_scatter(input, mask, source)
    m = mask.expand(input.shape)
    return inplace_apply(input, lambda t: MaskedScatter.apply(t, m, source), (source,), None, "masked_scatter_")


def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """A copy of ``input`` (broadcast with ``mask``) with the elements of ``source``, in order, where ``mask`` is True.

    >>> minitorch.zeros(4).masked_scatter(minitorch.tensor([True, False, True, False]), minitorch.tensor([1., 2.]))
    tensor([1., 0., 2., 0.])
    """
    _check_masked_scatter(input, mask, source)
    try:
        shape = tuple(np.broadcast_shapes(tuple(input.shape), tuple(mask.shape)))
    except ValueError:
        raise broadcast_error(tuple(mask.shape), tuple(input.shape)) from None
    x = input.expand(shape) if tuple(input.shape) != shape else input
    return MaskedScatter.apply(x, mask.expand(shape), source)


# ---- scatter_reduce --------------------------------------------------------------------------------------
_REDUCES = {"sum": "sum", "prod": "prod", "mean": "mean", "amax": "amax", "amin": "amin", "max": "amax", "min": "amin"}


class _GatherAlong(Function):
    """out[..i..] = a[..index[..i..]..] along ``dim`` (no bounds check: used in backward, on any device).
    Gradient: ``grad`` added back at ``index``."""

    node_name = "GatherBackward0"

    @staticmethod
    def forward(ctx, a, dim, index):
        ctx.dim, ctx.shape = dim, a.shape
        ctx.save_for_backward(index)
        return _wrap(a._device.xp.take_along_axis(a._data, index._data, axis=dim), a._device)

    @staticmethod
    def backward(ctx, grad):
        (index,) = ctx.saved_tensors
        return ScatterAddZeros.apply(grad, ctx.dim, index, tuple(ctx.shape)), None, None


def _scan_reduce(xp, ufunc, out, targets, values, include_self):
    """out[t] = ufunc-reduce of ``values`` with target t (and out[t] itself with include_self), for array modules
    without ``ufunc.at`` (CuPy): sort by target, an inclusive segmented scan by doubling, then write each segment's
    last element (the others go to a dump slot)."""
    if targets.shape[0] == 0:
        return
    order = xp.argsort(targets, kind="stable")
    t, v = targets[order], values[order]
    m = t.shape[0]
    step = 1
    while step < m:
        same = xp.concatenate([xp.zeros(step, dtype=bool), t[step:] == t[:-step]])
        prev = xp.concatenate([v[:step], v[:-step]])
        v = xp.where(same, ufunc(v, prev), v)
        step *= 2
    last = xp.concatenate([t[1:] != t[:-1], xp.ones(1, dtype=bool)])
    flat = out.reshape(-1)
    n = flat.shape[0]
    seg = xp.concatenate([flat, flat[:1]])
    slot = xp.where(last, t, n)
    seg[slot] = ufunc(seg[slot], v) if include_self else v
    flat[...] = seg[:n]


class ScatterReduce(Function):
    """out = a with ``src`` reduced into it at ``index`` along ``dim`` (sum, prod, mean, amax, amin).
    Gradients as PyTorch's ``scatter_reduce_backward`` (see ``backward``)."""

    @staticmethod
    def forward(ctx, a, dim, index, src, reduce, include_self):
        xp, x, idx = a._device.xp, a._data, index._data
        v = src._data[tuple(slice(0, s) for s in idx.shape)]
        grids = list(xp.indices(idx.shape, sparse=True))
        grids[dim] = idx
        key = tuple(grids)
        touched = xp.zeros(x.shape, dtype=bool)
        touched[key] = True
        out = x.copy()
        if reduce in ("sum", "mean"):
            acc = xp.zeros(x.shape, dtype=x.dtype)
            a._device.backend.index_add(acc, key, v)
            count = xp.zeros(x.shape, dtype=np.int64)
            a._device.backend.index_add(count, key, xp.ones(idx.shape, dtype=np.int64))
            out = (out if include_self else xp.where(touched, 0, out).astype(x.dtype)) + acc
            if reduce == "mean":
                count = count + int(include_self)
                safe = xp.where(count == 0, 1, count).astype(x.dtype)
                out = out / safe if x.dtype.kind == "f" else out // safe
        else:
            ufunc = {"prod": xp.multiply, "amax": xp.maximum, "amin": xp.minimum}[reduce]
            targets, step = xp.zeros(idx.shape, dtype=np.int64), 1  # flat (C-order) positions in out
            for g, n in zip(reversed(grids), reversed(x.shape)):
                targets, step = targets + g * step, step * n
            targets = targets.reshape(-1)
            if xp is np:
                if not include_self:
                    out[touched] = _identity(reduce, x.dtype)
                ufunc.at(out.reshape(-1), targets, v.reshape(-1))
            else:
                _scan_reduce(xp, ufunc, out, targets, v.reshape(-1).astype(x.dtype), include_self)
        ctx.dim, ctx.reduce, ctx.include_self = dim, reduce, include_self
        ctx.touched, ctx.src_shape = touched, src.shape
        src_used = src if tuple(v.shape) == tuple(src.shape) else src[tuple(slice(0, s) for s in idx.shape)]
        result = _wrap(out.astype(x.dtype, copy=False), a._device)
        ctx.save_for_backward(a, index, src_used, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        self, index, src, result = ctx.saved_tensors
        dim, reduce, include_self = ctx.dim, ctx.reduce, ctx.include_self

        def gather(t):
            return _GatherAlong.apply(t, dim, index)

        def scatter_add_zeros(t):
            return ScatterAddZeros.apply(t, dim, index, tuple(self.shape))

        if reduce == "sum":  # d/dself = grad, d/dsrc = grad at the target
            gs, gsrc = grad, gather(grad)
        elif reduce == "mean":  # both divided by how many values were averaged
            n = scatter_add_zeros(src * 0 + 1) + int(include_self)
            n = n.masked_fill(n == 0, 1)
            gs, gsrc = grad / n, gather(grad) / gather(n)
        elif reduce == "prod":  # d/dx = product of the others (exclusive products where a value is 0)
            masked_self = self.masked_fill(self == 0, 1)
            gs = grad * ScatterReduce.apply(masked_self, dim, index, src, "prod", include_self) / masked_self
            src_zero = src == 0
            zeros_at = gather(scatter_add_zeros(src_zero.to(self.dtype)))
            single_zero = src_zero & (zeros_at == 1)
            masked_src_result = ScatterReduce.apply(self, dim, index, src.masked_fill(single_zero, 1), "prod", include_self)
            gsrc = (gather(grad * masked_src_result) * single_zero
                    + gather(grad * result) / src.masked_fill(src_zero, 1) * ~single_zero)
        else:  # amax/amin: shared evenly among the values equal to the result (self counts even if excluded)
            value = gather(result)
            self_is = self == result
            src_is = src == value
            n = self_is.to(self.dtype) + scatter_add_zeros(src_is.to(self.dtype))
            share = grad / n
            gs, gsrc = share * self_is, gather(share) * src_is
        if not include_self:
            gs = gs * _wrap(~ctx.touched, grad._device)
        if tuple(gsrc.shape) != tuple(ctx.src_shape):  # src larger than index: the rest was not used
            from .indexing import IndexPutZeros

            gsrc = IndexPutZeros.apply(gsrc, tuple(ctx.src_shape), tuple(slice(0, s) for s in gsrc.shape), True)
        return gs, None, None, gsrc, None, None


def _identity(reduce, dt):
    """1 for prod, the lowest (highest) value of ``dt`` for amax (amin): what include_self=False starts from."""
    lo, hi = (-np.inf, np.inf) if dt.kind == "f" else (False, True) if dt.kind == "b" else (np.iinfo(dt).min, np.iinfo(dt).max)
    return {"prod": 1, "amax": lo, "amin": hi}[reduce]


def _check_scatter_reduce(input, dim, index, src, reduce):
    if not isinstance(src, Tensor):
        raise TypeError(f"scatter_reduce(): argument 'src' (position 3) must be Tensor, not {type(src).__name__}")
    d = _check_scatter("scatter", input, dim, index, src)
    if reduce not in _REDUCES:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    if index.ndim != input.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if _on_cpu(index) and input.ndim:
        _check_bounds(index._data, d, input.shape[d])
    return d


def scatter_reduce_(input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                    include_self: bool = True) -> Tensor:
    """Reduce ``src`` into ``input`` at ``index`` along ``dim``, in place (see ``scatter_reduce``)."""
    d = _check_scatter_reduce(input, dim, index, src, reduce)
    r = _REDUCES[reduce]
    return inplace_apply(input, lambda t: ScatterReduce.apply(t, d, index, src, r, include_self), (src,), None,
                         "scatter_reduce_")


def scatter_reduce(input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """A copy of ``input`` where ``out[index[i][j]][j] = reduce(out[...], src[i][j])`` (dim=0), with
    ``reduce`` one of "sum", "prod", "mean", "amax", "amin"; ``include_self=False`` leaves the old values of the
    written positions out of the reduction.

    >>> x = minitorch.tensor([1., 2., 3.])
    >>> x.scatter_reduce(0, minitorch.tensor([0, 0, 2]), minitorch.tensor([5., 6., 7.]), "amax")
    tensor([6., 2., 7.])
    """
    d = _check_scatter_reduce(input, dim, index, src, reduce)
    return ScatterReduce.apply(input, d, index, src, _REDUCES[reduce], include_self)

