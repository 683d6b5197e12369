"""Counting and binning: bincount, histc, bucketize, searchsorted.

None of these is differentiable: bincount, bucketize and searchsorted give integer tensors (counts and
positions), and histc's counts are piecewise constant in the input (PyTorch gives its result no ``grad_fn``).
Only ``bincount(x, weights)`` with float32/float64 weights that require grad records a node, and, as in
PyTorch, its backward is an error.

Also here: the small predicates and identities PyTorch keeps for complex tensors, which on minitorch's real
tensors are trivial (``conj(x) is x``, ``is_complex(x) is False``), plus ``is_signed``, ``is_nonzero``,
``is_same_size`` and the top-level ``detach``.
"""

from __future__ import annotations

import math
import numbers

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ._util import check_same_device, not_implemented, scalar_type_name

#: Top-level names (``minitorch.bincount``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = ["bincount", "histc", "bucketize", "searchsorted", "is_complex", "is_signed", "is_nonzero",
                      "is_same_size", "conj", "resolve_conj", "resolve_neg", "is_conj", "is_neg", "real", "detach"]
#: Tensor methods (``x.bincount()``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = ["bincount", "histc", "is_complex", "is_signed", "is_nonzero", "is_same_size", "conj",
                             "resolve_conj", "resolve_neg", "is_conj", "is_neg", "real"]


def _check_tensor(op: str, x, name: str = "input", position: int | None = 1) -> None:
    """PyTorch's TypeError for a non-tensor argument."""
    if not isinstance(x, Tensor):
        where = f" (position {position})" if position else ""
        raise TypeError(f"{op}(): argument '{name}'{where} must be Tensor, not {type(x).__name__}")


def _check_int(op: str, value, name: str, position: int | None = None) -> None:
    """PyTorch's TypeError for an int argument given as something else (a bool is not an int there)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        where = f" (position {position})" if position and not isinstance(value, bool) else ""
        raise TypeError(f"{op}(): argument '{name}'{where} must be int, not {type(value).__name__}")


def _to_host(t: Tensor, arrays):
    """Several device numbers as Python numbers in one device-to-host copy (what PyTorch's ``.item()`` does)."""
    xp = t._device.xp
    return t._device.backend.to_host(xp.stack(arrays)).tolist()


# ---- bincount ----------------------------------------------------------------------------------------------
class Bincount(Function):
    """Weighted counts ``out[i] = sum of weights[j] where input[j] == i``: PyTorch has no derivative for it."""

    node_name = "NotImplemented"  # PyTorch's node for ops whose derivative is not implemented

    @staticmethod
    def forward(ctx, input, weights, length):
        # float32 weights accumulate in float32, every other dtype in float64 (as PyTorch's CPU kernel)
        dt = weights._data.dtype if weights.dtype is _dtype.float32 else _dtype.float64.np
        out = input._device.xp.zeros(length, dtype=dt)
        input._device.backend.index_add(out, input._data, weights._data.astype(dt))
        return _wrap(out, input._device)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::bincount is not implemented")


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """How often each value 0, 1, ... occurs in a 1-D tensor of non-negative integers (summing ``weights``).

    The result has ``max(minlength, input.max() + 1)`` entries; int64 without weights, float32 for float32
    weights and float64 for any other weights.

    >>> minitorch.bincount(minitorch.tensor([0, 1, 1, 3]))
    tensor([1, 2, 0, 1])
    >>> minitorch.tensor([0, 1, 1]).bincount(minitorch.tensor([0.5, 1.0, 2.0]), minlength=3)
    tensor([0.5000, 3.0000, 0.0000])
    """
    _check_tensor("bincount", input)
    if weights is not None:
        _check_tensor("bincount", weights, "weights", 2)
        check_same_device("bincount", input, weights)
    _check_int("bincount", minlength, "minlength")
    if input._data.dtype.kind not in "iu":
        raise not_implemented("bincount_cpu", input.dtype)
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    xp = input._device.xp
    if input.ndim == 1 and input.numel() == 0:
        return _wrap(xp.zeros(minlength, dtype=_dtype.int64.np), input._device)
    message = "bincount only supports 1-d non-negative integral inputs."
    if input.ndim != 1:
        raise RuntimeError(message)
    lo, hi = _to_host(input, [input._data.min(), input._data.max()])
    if lo < 0:
        raise RuntimeError(message)
    if weights is not None and (weights.ndim != 1 or weights.shape[0] != input.shape[0]):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    length = max(int(minlength), int(hi) + 1)
    if weights is None:
        return _wrap(xp.bincount(input._data, minlength=length).astype(_dtype.int64.np), input._device)
    return Bincount.apply(input, weights, length)


# ---- histc -------------------------------------------------------------------------------------------------
def _fmt(v: float, from_data: bool) -> str:
    """A number as PyTorch's C++ prints it (6 significant digits; the NaN of a reduction prints as -nan)."""
    if math.isnan(v):
        return "-nan" if from_data or math.copysign(1.0, v) < 0 else "nan"
    return f"{v:g}"


def _histc_range(input: Tensor, min, max) -> tuple:
    """The outer bin edges: ``[min, max]``, the data's range when ``min == max``, widened by 1 if still empty."""
    lo, hi, from_data = float(min), float(max), False
    if lo == hi and input.numel() > 0:
        lo, hi = _to_host(input, [input._data.min(), input._data.max()])
        from_data = True
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{_fmt(lo, from_data)}, {_fmt(hi, from_data)}] is not finite")
    if not lo < hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    return lo, hi


def histc(input: Tensor, bins: int = 100, min=0, max=0) -> Tensor:
    """Counts of the elements in ``bins`` equal-width bins between ``min`` and ``max`` (a float tensor).

    ``min == max`` (the default 0, 0) uses the smallest and largest element. Elements outside the range (and
    NaNs) are not counted; the last bin includes its right edge. Not differentiable.

    >>> minitorch.histc(minitorch.tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3)
    tensor([0., 2., 1., 0.])
    """
    _check_tensor("histc", input)
    _check_int("histc", bins, "bins", 2)
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    lo, hi = _histc_range(input, min, max)  # PyTorch checks the range before the dtype
    kind = input._data.dtype.kind
    if kind == "b":
        raise not_implemented("linspace_cpu", input.dtype)
    if kind != "f":
        raise not_implemented("histogram_cpu", input.dtype)
    xp, x = input._device.xp, input._data.reshape(-1)
    dt = x.dtype.type
    left, right = dt(lo), dt(hi)  # the first and last of linspace(lo, hi, bins + 1) in the input's dtype
    keep = (x >= left) & (x <= right)  # also drops NaN
    # As PyTorch's kernel: bin = trunc((x - left) * bins / (right - left)) in the input's dtype; x == right -> last
    # (fmin also sends an overflowing inf or inf/inf = nan near the right edge to the last bin)
    pos = xp.fmin(xp.where(keep, (x - left) * dt(bins) / (right - left), dt(0)), dt(bins - 1))
    pos = pos.astype(_dtype.int64.np)
    hist = xp.zeros(bins, dtype=x.dtype)
    input._device.backend.index_add(hist, pos, keep.astype(x.dtype))
    return _wrap(hist, input._device)


# ---- searchsorted / bucketize ------------------------------------------------------------------------------
def _as_values(op: str, values, like: Tensor, values_first: bool = False) -> Tensor:
    """A Python number as the 0-d tensor PyTorch makes of it (bool, int64 or float64)."""
    if isinstance(values, Tensor):
        return values
    if isinstance(values, (bool, int, float)):
        dt = _dtype.bool if isinstance(values, bool) else _dtype.int64 if isinstance(values, int) else _dtype.float64
        return _wrap(like._device.xp.full((), values, dtype=dt.np), like._device)  # made on the device, no copy
    got = [type(like).__name__, type(values).__name__]
    got = ", ".join(got[::-1] if values_first else got)
    raise TypeError(f"{op}() received an invalid combination of arguments - got ({got})")


def _check_sorter(sorted_sequence: Tensor, sorter: Tensor) -> None:
    if sorter.shape != sorted_sequence.shape:
        raise RuntimeError("torch.searchsorted(): boundary and sorter must have the same size, but got boundary "
                           f"tensor {list(sorted_sequence.shape)}and got sorter tensor {list(sorter.shape)}")
    if sorter.dtype is not _dtype.int64:
        raise RuntimeError(f"torch.searchsorted(): sorter must be a tensor of long dtype but got dtype "
                           f"{scalar_type_name(sorter.dtype)}")
    if sorter.numel() > 0:
        lo, hi = _to_host(sorter, [sorter._data.min(), sorter._data.max()])
        if lo < 0 or hi >= sorter.shape[-1]:
            raise RuntimeError("torch.searchsorted(): sorter index out of range")


def _check_search(seq: Tensor, values: Tensor, sorter) -> None:
    """PyTorch's checks of the shapes (in its order)."""
    if sorter is not None:
        _check_sorter(seq, sorter)
    if values.ndim == 0 and seq.ndim != 1:
        raise RuntimeError("torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension "
                           f"is 1, but we got boundaries tensor dim({seq.ndim}) and input value's dim({values.ndim}) "
                           f"numel({values.numel()})")
    if seq.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 "
                           "dimension")
    if seq.ndim != 1 and (seq.ndim != values.ndim or seq.shape[:-1] != values.shape[:-1]):
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions "
                           "of boundaries tensor and input value tensor must match, but we got boundaries tensor "
                           f"{list(seq.shape)} and input value tensor {list(values.shape)}")


def _binary_search(xp, seq, values, sorter, right: bool):
    """For each row ``b`` and value ``v = values[b, j]``: the first ``i`` with ``seq[b, i] >= v`` (``> v`` when
    ``right``), by a binary search run on all values at once.

    This is PyTorch's loop (``go right while not seq[mid] >= v``), so NaN sorts as PyTorch's: a NaN value
    lands at the end, and a NaN in the sequence counts as smaller than every value.
    """
    n = seq.shape[-1]
    lo = xp.zeros(values.shape, dtype=_dtype.int64.np)
    hi = xp.full(values.shape, n, dtype=_dtype.int64.np)
    for _ in range(n.bit_length()):  # each step at least halves hi - lo
        mid = (lo + hi) // 2
        at = xp.minimum(mid, n - 1)
        if sorter is not None:
            at = xp.take_along_axis(sorter, at, axis=1)
        s = xp.take_along_axis(seq, at, axis=1)
        go_right = ~(s > values) if right else ~(s >= values)
        active = lo < hi
        lo = xp.where(active & go_right, mid + 1, lo)
        hi = xp.where(active & ~go_right, mid, hi)
    return lo


def searchsorted(sorted_sequence: Tensor, input, *, out_int32: bool = False, right: bool = False,
                 side: str | None = None, sorter: Tensor | None = None) -> Tensor:
    """Where each value of ``input`` would go in ``sorted_sequence`` to keep it sorted (int64 indices).

    ``sorted_sequence`` is 1-D, or N-D with one sorted row per row of ``input`` (the leading dimensions
    match). ``right=True`` (or ``side="right"``) puts a value after the equal ones. ``sorter`` gives the
    order of an unsorted sequence (as ``argsort``). Not differentiable.

    >>> minitorch.searchsorted(minitorch.tensor([1, 3, 5, 7]), minitorch.tensor([3, 6]))
    tensor([1, 3])
    """
    _check_tensor("searchsorted", sorted_sequence, "sorted_sequence")
    values = _as_values("searchsorted", input, sorted_sequence)
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if right and side != "right":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of "
                               f"{side} while right was True")
        right = side == "right"
    if values._device != sorted_sequence._device:
        raise RuntimeError("torch.searchsorted(): boundaries and input value tensors should have same device type, "
                           f"but got boundaries tensor device type {sorted_sequence._device.type} and input value "
                           f"tensor device type {values._device.type}")
    if sorter is not None:
        _check_tensor("searchsorted", sorter, "sorter", None)
        check_same_device("searchsorted", sorted_sequence, sorter)
    _check_search(sorted_sequence, values, sorter)
    common = _dtype.promote_types(sorted_sequence.dtype, values.dtype)
    if common is _dtype.bool:
        raise not_implemented("searchsorted_out_cpu", common)
    xp, n = sorted_sequence._device.xp, sorted_sequence.shape[-1]
    out_dt = (_dtype.int32 if out_int32 else _dtype.int64).np
    if n == 0 or values.numel() == 0:
        return _wrap(xp.zeros(values.shape, dtype=out_dt), values._device)
    seq = sorted_sequence._data.astype(common.np, copy=False).reshape(-1, n)
    rows = 1 if sorted_sequence.ndim == 1 else seq.shape[0]
    vals = values._data.astype(common.np, copy=False).reshape(rows, -1)
    order = None if sorter is None else sorter._data.reshape(-1, n)
    out = _binary_search(xp, seq, vals, order, right)
    return _wrap(out.reshape(values.shape).astype(out_dt, copy=False), values._device)


def bucketize(input, boundaries: Tensor, *, out_int32: bool = False, right: bool = False) -> Tensor:
    """The bucket index of each element of ``input`` for the sorted 1-D ``boundaries``.

    With ``right=False`` bucket ``i`` holds ``boundaries[i-1] < x <= boundaries[i]``; with ``right=True``
    ``boundaries[i-1] <= x < boundaries[i]``. ``searchsorted`` with the arguments swapped. Not differentiable.

    >>> minitorch.bucketize(minitorch.tensor([0.5, 3.0, 9.0]), minitorch.tensor([1.0, 3.0, 5.0]))
    tensor([0, 1, 3])
    """
    _check_tensor("bucketize", boundaries, "boundaries", 2)
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    values = _as_values("bucketize", input, boundaries, values_first=True)
    return searchsorted(boundaries, values, out_int32=out_int32, right=right)


# ---- what complex tensors need, on real tensors --------------------------------------------------------------
def is_complex(input: Tensor) -> bool:
    """False: minitorch has no complex dtypes."""
    _check_tensor("is_complex", input)
    return False


def is_conj(input: Tensor) -> bool:
    """False: only complex tensors carry a lazy conjugation."""
    _check_tensor("is_conj", input)
    return False


def is_neg(input: Tensor) -> bool:
    """False: only complex tensors carry a lazy negation."""
    _check_tensor("is_neg", input)
    return False


def is_signed(input: Tensor) -> bool:
    """Whether the dtype holds negative numbers (all but uint8 and bool): ``minitorch.ones(2).is_signed()``."""
    _check_tensor("is_signed", input)
    return input.dtype.is_signed


def is_nonzero(input: Tensor) -> bool:
    """Whether a one-element tensor is not zero (``bool(t)``; more or fewer elements are an error).

    >>> minitorch.tensor([0.5]).is_nonzero()
    True
    """
    _check_tensor("is_nonzero", input)
    return bool(input)


def is_same_size(input: Tensor, other: Tensor) -> bool:
    """Whether two tensors have the same shape."""
    _check_tensor("is_same_size", input)
    _check_tensor("is_same_size", other, "other", 2)
    return input.shape == other.shape


def _identity(name: str, what: str):
    def fn(input: Tensor) -> Tensor:
        _check_tensor(name, input)
        return input

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"{what} The tensor itself on real tensors (no copy, same graph): ``minitorch.{name}(x) is x``."
    return fn


conj = _identity("conj", "The complex conjugate.")
resolve_conj = _identity("resolve_conj", "The conjugation made real (materialised).")
resolve_neg = _identity("resolve_neg", "The lazy negation made real (materialised).")


class _CallableProperty(property):
    """``Tensor.real`` is a property and ``minitorch.real(x)`` a function: one object serves as both."""

    def __call__(self, input: Tensor) -> Tensor:
        return self.fget(input)


def _real(input: Tensor) -> Tensor:
    _check_tensor("real", input)
    return input


def _set_real(self: Tensor, value: Tensor) -> None:
    self.copy_(value)  # the real part of a real tensor is the tensor: writing it writes the tensor


real = _CallableProperty(_real, _set_real, doc="The real part: the tensor itself on real tensors (``x.real is x``).")


def detach(input: Tensor) -> Tensor:
    """``input.detach()``: the same numbers (shared memory), cut from the graph."""
    _check_tensor("detach", input)
    return input.detach()
