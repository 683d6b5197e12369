"""Sorting and order statistics: sort, argsort, msort, topk, kthvalue, median, nanmedian, mode, unique,
unique_consecutive, cummax, cummin.

Each op that picks elements returns ``(values, indices)`` (a named tuple, as ``max(dim)``); its gradient
sends each ``grad`` back to the index its value came from. Which index PyTorch returns for tied values
depends on the C++ algorithm its CPU kernel runs: ``_cpu_order.py`` replays those for rows with ties.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from . import _cpu_order as co
from ._dims import check_int_dim
from ._util import _wrap, _wrap_dim, not_implemented
from .reduction import _named

#: Top-level names (``minitorch.sort``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = ["sort", "argsort", "msort", "topk", "kthvalue", "median", "nanmedian", "mode", "unique",
                      "unique_consecutive", "cummax", "cummin"]
#: Tensor methods (``x.sort()``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = list(__all__)


# ---- array helpers (backend arrays, the sorted dim moved last) -----------------------------------
def _argsort(xp, x, descending=False):
    """Stable argsort along the last axis; NaN counts as the largest value (last ascending, first descending).
    Descending: sort the reversed row ascending and reverse back, so that equal elements keep their order."""
    if not descending:
        return xp.argsort(x, axis=-1, kind="stable")
    n = x.shape[-1]
    return (n - 1) - xp.argsort(x[..., ::-1], axis=-1, kind="stable")[..., ::-1]


def accumulate(xp, ufunc: str, x, axis: int):
    """Running ``ufunc`` (maximum, minimum, logaddexp) along ``axis``. NumPy has ``ufunc.accumulate``;
    elsewhere a Hillis-Steele scan: log2(n) vectorised steps, each combining elements ``step`` apart."""
    if xp is np:
        with np.errstate(invalid="ignore"):  # (-inf with -inf, NaN: the results are -inf and NaN, no warning)
            return getattr(np, ufunc).accumulate(x, axis=axis)
    fn = getattr(xp, ufunc)
    x = xp.moveaxis(x, axis, -1)
    step, n = 1, x.shape[-1]
    while step < n:
        x = xp.concatenate([x[..., :step], fn(x[..., step:], x[..., :-step])], axis=-1)
        step *= 2
    return xp.moveaxis(x, -1, axis)


def _last(fn):
    """Run ``fn(x, ...)`` (arrays with the dim last) on ``x`` with the op's dim at ``d``; 0-d as shape (1,)."""
    def run(xp, x, d, *args):
        x1 = x.reshape(1) if x.ndim == 0 else x
        out = fn(xp, x1.swapaxes(d, -1), *args)
        return tuple(o.swapaxes(d, -1) for o in out)
    return run


# ---- the kernels: (values, indices) with the dim kept -------------------------------------------
@_last
def _sort_kernel(xp, x, descending, stable):
    n = x.shape[-1]
    if x.strides[-1] == 0:  # an expanded dim: every value equal, PyTorch leaves the order as it is
        return x.copy(), xp.broadcast_to(xp.arange(n), x.shape).copy()
    idx = _argsort(xp, x, descending)
    vals = xp.take_along_axis(x, idx, axis=-1)
    radix = x.ndim == 1 and x.dtype.kind in "iu" and n >= 32768 and not descending  # PyTorch's radix sort: stable
    if not stable and n > 16 and not radix:  # std::sort; shorter rows get insertion sort, which is stable
        sign = -1 if descending else 1

        def std_sort(row):
            pairs = [(sign * k, i) for i, k in enumerate(co.rank_keys(row))]
            co.std_sort(pairs)
            return [i for _, i in pairs]

        idx = co.replay(xp, x, idx, lambda: co.tied_rows(xp, vals), std_sort)
        vals = xp.take_along_axis(x, idx, axis=-1)
    return vals, idx


@_last
def _topk_kernel(xp, x, k, largest, sorted_):
    n = x.shape[-1]
    idx = _argsort(xp, x, largest)[..., :k]
    partial = k * 64 <= n

    def select(row):  # PyTorch's topk_impl_loop
        pairs = [(-key if largest else key, i) for i, key in enumerate(co.rank_keys(row))]
        if partial:
            co.std_partial_sort(pairs, k)
        else:
            co.std_nth_element(pairs, k - 1)
            if sorted_:
                head = pairs[:k - 1]
                co.std_sort(head)
                pairs[:k - 1] = head
        return [i for _, i in pairs[:k]]

    if k > 0:
        every = not (sorted_ or partial)  # nth_element leaves the k in an order of its own: replay every row
        idx = co.replay(xp, x, idx, lambda: xp.ones(x.shape[:-1], bool) if every else co.tied_rows(xp, xp.sort(x)), select)
    return xp.take_along_axis(x, idx, axis=-1), idx


@_last
def _kthvalue_kernel(xp, x, k):
    order = _argsort(xp, x)
    idx = order[..., k - 1:k]

    def select(row):  # Sedgewick's quickselect, as PyTorch's kthvalue
        pairs = [(key, i) for i, key in enumerate(co.rank_keys(row))]
        co.quick_select(pairs, k - 1, lambda p, q: p[0] > q[0])
        return [pairs[k - 1][1]]

    idx = co.replay(xp, x, idx, lambda: co.tied_rows(xp, xp.take_along_axis(x, order, axis=-1)), select)
    return xp.take_along_axis(x, idx, axis=-1), idx


@_last
def _median_kernel(xp, x, ignore_nan):
    """The lower median; PyTorch breaks ties by index, as a stable sort does. median: the first NaN if any;
    nanmedian: the median of the numbers that are not NaN."""
    n = x.shape[-1]
    order = _argsort(xp, x)
    nan = xp.isnan(x) if x.dtype.kind == "f" else xp.zeros(x.shape, dtype=bool)
    if ignore_nan:
        pos = xp.maximum((n - nan.sum(axis=-1, keepdims=True) - 1) // 2, 0)
        idx = xp.take_along_axis(order, pos, axis=-1)
    else:
        idx = order[..., (n - 1) // 2:(n - 1) // 2 + 1]
        idx = xp.where(nan.any(axis=-1, keepdims=True), xp.argmax(nan, axis=-1, keepdims=True), idx)
    return xp.take_along_axis(x, idx, axis=-1), idx


@_last
def _mode_kernel(xp, x):
    """PyTorch's mode: sort, then the first longest run of equal values (so the smallest such value) and
    the index of the run's last element. Rows longer than 16 with ties replay std::sort for that index."""
    n = x.shape[-1]
    order = _argsort(xp, x)
    s = xp.take_along_axis(x, order, axis=-1)
    new = xp.concatenate([xp.ones(s.shape[:-1] + (1,), dtype=bool), s[..., 1:] != s[..., :-1]], axis=-1)
    pos = xp.broadcast_to(xp.arange(n), s.shape)
    start = accumulate(xp, "maximum", xp.where(new, pos, 0), -1)
    is_end = xp.concatenate([new[..., 1:], xp.ones(s.shape[:-1] + (1,), dtype=bool)], axis=-1)
    best = xp.argmax(xp.where(is_end, pos - start + 1, 0), axis=-1)[..., None]
    idx = xp.take_along_axis(order, best, axis=-1)

    def replay(row):
        pairs = [(v, i) for i, v in enumerate(row.tolist())]
        co.std_sort(pairs)  # (compares values with <, as PyTorch's kernel: NaN is unordered)
        run = max_run = 0
        for j in range(n):
            run += 1
            if j == n - 1 or pairs[j][0] != pairs[j + 1][0]:
                if run > max_run:
                    max_run, found = run, pairs[j][1]
                run = 0
        return [found]

    def rows():
        tied = co.tied_rows(xp, s) if n > 16 else np.zeros(s.shape[:-1], dtype=bool)
        return tied | np.isnan(x).any(axis=-1) if x.dtype.kind == "f" else tied

    idx = co.replay(xp, x, idx, rows, replay)
    return xp.take_along_axis(x, idx, axis=-1), idx


@_last
def _cummax_kernel(xp, x, ufunc):
    """Running max/min and where it was last reached (PyTorch moves the index on ties, and to each NaN)."""
    m = accumulate(xp, ufunc, x, -1)
    update = x == m
    if x.dtype.kind == "f":
        update |= xp.isnan(x)
    pos = xp.broadcast_to(xp.arange(x.shape[-1]), x.shape)
    return m, accumulate(xp, "maximum", xp.where(update, pos, 0), -1)


# ---- the Functions ---------------------------------------------------------------------------------
class Sort(Function):
    """(values, indices) picked from ``a`` along ``dim``.
    Gradient: each grad goes back where its value came from: zeros(a.shape).scatter_add(dim, indices, grad)."""

    @staticmethod
    def forward(ctx, a, dim, keepdim, kernel, args):
        vals, idx = kernel(a._device.xp, a._data, dim, *args)
        if a.ndim == 0:
            vals, idx = vals.reshape(()), idx.reshape(())
        elif not keepdim:
            vals, idx = vals.squeeze(dim), idx.squeeze(dim)
        ctx.in_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        indices = _wrap(idx.astype(np.int64), a._device)
        ctx.save_for_backward(indices)
        ctx.mark_non_differentiable(indices)
        return _wrap(vals, a._device), indices

    @staticmethod
    def backward(ctx, grad, _grad_indices):
        from .indexing import scatter_into_zeros

        (idx,) = ctx.saved_tensors
        if len(ctx.in_shape) == 0:
            return grad, None, None, None, None
        if not ctx.keepdim:
            grad, idx = grad.unsqueeze(ctx.dim), idx.unsqueeze(ctx.dim)
        return scatter_into_zeros(grad, ctx.dim, idx, ctx.in_shape), None, None, None, None


class SortStable(Sort):
    node_name = "SortBackward1"


class Topk(Sort):
    node_name = "TopkBackward0"


class Kthvalue(Sort):
    node_name = "KthvalueBackward0"


class MedianDim(Sort):
    node_name = "MedianBackward1"


class NanmedianDim(Sort):
    node_name = "NanmedianBackward1"


class Mode(Sort):
    node_name = "ModeBackward0"


class Cummax(Sort):
    node_name = "CummaxBackward0"


class Cummin(Sort):
    node_name = "CumminBackward0"


def _dim(input, dim, op):
    check_int_dim(dim, op)
    return _wrap_dim(dim, input.ndim, op)


def _check_reducible(input, d, op):
    if input.ndim and input.shape[d] == 0:
        raise IndexError(f"{op}(): Expected reduction dim {d} to have non-zero size.")


def sort(input, dim: int = -1, descending: bool = False, *, stable: bool | None = None):
    """Sorted values along ``dim`` and where they were: ``(values, indices)``. NaN sorts as the largest.

    >>> minitorch.tensor([3.0, 1.0, 2.0]).sort()
    minitorch.return_types.sort(values=tensor([1., 2., 3.]), indices=tensor([1, 2, 0]))
    """
    cls = Sort if stable is None else SortStable
    values, indices = cls.apply(input, _dim(input, dim, "sort"), True, _sort_kernel, (descending, bool(stable)))
    return _named("sort")(values, indices)


def argsort(input, dim: int = -1, descending: bool = False, *, stable: bool = False):
    """The indices that sort ``input`` along ``dim`` (``sort(...).indices``)."""
    return sort(input.detach(), dim, descending, stable=stable).indices


def msort(input):
    """``input`` sorted along its first dimension (``sort(input, 0).values``)."""
    return sort(input, 0).values


def topk(input, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
    """The ``k`` largest (or smallest) elements along ``dim``: ``(values, indices)``. NaN counts as the largest."""
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
        raise TypeError(f"topk(): argument 'k' (position 1) must be int, not {type(k).__name__}")
    d = _dim(input, dim, "topk")
    if input.dtype.name == "bool":
        raise RuntimeError("topk does not support bool dtypes on CPU")
    if not 0 <= k <= (input.shape[d] if input.ndim else 1):
        raise RuntimeError("selected index k out of range")
    if input.ndim == 0:
        values, indices = Topk.apply(input, d, True, _sort_kernel, (False, True))
    else:
        values, indices = Topk.apply(input, d, True, _topk_kernel, (int(k), largest, sorted))
    return _named("topk")(values, indices)


def kthvalue(input, k: int, dim: int = -1, keepdim: bool = False):
    """The ``k``-th smallest element along ``dim`` (k counts from 1): ``(values, indices)``."""
    d = _dim(input, dim, "kthvalue")
    if input.dtype.name == "bool":
        raise not_implemented("kthvalue_cpu", input.dtype)
    _check_reducible(input, d, "kthvalue")
    if not 1 <= k <= (input.shape[d] if input.ndim else 1):
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    values, indices = Kthvalue.apply(input, d, keepdim, _kthvalue_kernel, (int(k),))
    return _named("kthvalue")(values, indices)


class MedianAll(Function):
    """The lower median of all elements (NaN if there is one; nanmedian: of the elements that are not NaN).
    Gradient: shared evenly among the elements equal to the result (NaN ones when it is NaN)."""

    node_name = "MedianBackward0"
    _ignore_nan = False

    @classmethod
    def forward(cls, ctx, a):
        x = a._data.reshape(-1)
        xp = a._device.xp
        if x.size == 0:
            out = xp.full((), np.nan, dtype=x.dtype)
        else:
            out = _median_kernel(xp, x, 0, cls._ignore_nan)[0].reshape(())
        out = _wrap(out, a._device)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, y = ctx.saved_tensors
        mask = (a == y) | (a.isnan() & y.isnan())
        return mask * (grad / mask.sum())


class NanmedianAll(MedianAll):
    node_name = "NanmedianBackward0"
    _ignore_nan = True


def _median(input, dim, keepdim, ignore_nan):
    name = "nanmedian" if ignore_nan else "median"
    if dim is None:
        if input.dtype.name == "bool":
            raise not_implemented("median_cpu", input.dtype)
        return (NanmedianAll if ignore_nan else MedianAll).apply(input)
    d = _dim(input, dim, name)
    if input.dtype.name == "bool":
        raise not_implemented("median_out", input.dtype)
    _check_reducible(input, d, "median")
    values, indices = (NanmedianDim if ignore_nan else MedianDim).apply(input, d, keepdim, _median_kernel,
                                                                         (ignore_nan,))
    return _named(name)(values, indices)


def median(input, dim: int | None = None, keepdim: bool = False):
    """The lower median of all elements, or ``(values, indices)`` along ``dim``. NaN if a NaN is present.

    >>> minitorch.tensor([1.0, 4.0, 2.0, 3.0]).median()
    tensor(2.)
    """
    return _median(input, dim, keepdim, False)


def nanmedian(input, dim: int | None = None, keepdim: bool = False):
    """As ``median``, ignoring NaN (NaN only where every element is NaN)."""
    return _median(input, dim, keepdim, True)


def mode(input, dim: int = -1, keepdim: bool = False):
    """The most frequent value along ``dim`` (the smallest of equally frequent ones): ``(values, indices)``."""
    d = _dim(input, dim, "mode")
    _check_reducible(input, d, "mode")
    values, indices = Mode.apply(input, d, keepdim, _mode_kernel, ())
    return _named("mode")(values, indices)


def _cumulative(cls, input, dim, ufunc, name):
    d = _dim(input, dim, name)
    values, indices = cls.apply(input, d, True, _cummax_kernel, (ufunc,))
    return _named(name)(values, indices)


def cummax(input, dim: int):
    """Running maximum along ``dim`` and the index where it was reached: ``(values, indices)``."""
    return _cumulative(Cummax, input, dim, "maximum", "cummax")


def cummin(input, dim: int):
    """Running minimum along ``dim`` and the index where it was reached: ``(values, indices)``."""
    return _cumulative(Cummin, input, dim, "minimum", "cummin")


# ---- unique ---------------------------------------------------------------------------------------
class Unique(Function):
    """The distinct elements (or slices); PyTorch has no derivative for them."""

    node_name = "Unique2Backward0"
    _op = "_unique2"

    @staticmethod
    def forward(ctx, a, dim, consecutive):
        x, xp = a._data, a._device.xp
        rows = x.reshape(-1, 1) if dim is None else xp.moveaxis(x, dim, 0).reshape(x.shape[dim] if x.ndim else 1, -1)
        n = rows.shape[0]
        order = xp.arange(n)
        if not consecutive and n:
            order = _unique_order(xp, rows, dim)
        s = rows[order]
        new = xp.concatenate([xp.ones(min(n, 1), dtype=bool), (s[1:] != s[:-1]).any(axis=1)])
        group = xp.cumsum(new) - 1
        inverse = xp.empty(n, dtype=np.int64)
        inverse[order] = group
        starts = xp.nonzero(new)[0]
        bounds = xp.concatenate([starts, xp.full((1,), n, dtype=starts.dtype)])
        counts = (bounds[1:] - bounds[:-1]).astype(np.int64)
        out = s[starts]
        if dim is None:
            out, inverse = out.reshape(-1), inverse.reshape(x.shape)
        else:
            out = xp.moveaxis(out.reshape((len(starts),) + tuple(xp.moveaxis(x, dim, 0).shape[1:])), 0, dim)
        inverse, counts = _wrap(inverse, a._device), _wrap(counts, a._device)
        ctx.mark_non_differentiable(inverse, counts)
        return _wrap(out, a._device), inverse, counts

    @classmethod
    def backward(cls, ctx, *grads):
        raise NotImplementedError(f"the derivative for '{cls._op}' is not implemented.")


def _unique_order(xp, rows, dim):
    """The order in which unique visits the rows: sorted (lexicographically for slices). Equal rows merge, so only
    NaN (never equal to itself) shows which sort ran: flat, PyTorch's sort(); slices, std::sort of the rows."""
    if dim is None:
        return _sort_kernel(xp, rows[:, 0], 0, False, False)[1]
    order = xp.arange(rows.shape[0])
    for col in range(rows.shape[1] - 1, -1, -1):  # lexicographic: stable sorts by each column, the first one last
        order = order[xp.argsort(rows[order, col], kind="stable")]
    if xp is np and rows.dtype.kind == "f" and np.isnan(rows).any():
        def lt(p, q):
            for a, b in zip(p[0], q[0]):
                if a < b:
                    return True
                if a > b:
                    return False
            return False

        pairs = [(r, i) for i, r in enumerate(rows.tolist())]
        co.std_sort(pairs, lt)
        order = np.array([i for _, i in pairs], dtype=np.int64)
    return order


class UniqueDim(Unique):
    node_name = "UniqueDimBackward0"
    _op = "unique_dim"


class UniqueConsecutive(Unique):
    node_name = "UniqueConsecutiveBackward0"
    _op = "unique_consecutive"


def _unique(cls, input, return_inverse, return_counts, dim, consecutive):
    d = None if dim is None else _dim(input, dim, "unique")
    out, inverse, counts = cls.apply(input, d, consecutive)
    if not (return_inverse or return_counts):
        return out
    return (out,) + ((inverse,) if return_inverse else ()) + ((counts,) if return_counts else ())


def unique(input, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False, dim=None):
    """The distinct elements, sorted (PyTorch's CPU kernel sorts also with ``sorted=False``); optionally
    where each input element went (``inverse``) and how often each occurs (``counts``).

    >>> minitorch.tensor([3, 1, 3]).unique(return_counts=True)
    (tensor([1, 3]), tensor([1, 2]))
    """
    cls = Unique if dim is None else UniqueDim
    return _unique(cls, input, return_inverse, return_counts, dim, False)


def unique_consecutive(input, return_inverse: bool = False, return_counts: bool = False, dim=None):
    """Collapse runs of equal consecutive elements (or slices along ``dim``) into one."""
    return _unique(UniqueConsecutive, input, return_inverse, return_counts, dim, True)
