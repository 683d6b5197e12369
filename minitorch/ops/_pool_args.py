"""Argument checking for pooling: PyTorch's rules, in PyTorch's order, with its messages.

PyTorch runs every 1-D pool as a 2-D pool of height 1 (``x.unsqueeze(-2)``), so after the 1-D
functions' own checks (``check_1d``) everything goes through ``pool2d_geometry``, and its messages
show that height of 1. ``max_pool1d`` without indices has a fast path with checks of its own
(``check_max_pool1d``).

Output size per dimension (``output_size``)::

    out = floor_or_ceil((size + 2*pad - dilation*(k-1) - 1) / stride) + 1
    with ceil_mode, drop the last window if it would start past size + pad.
"""

from __future__ import annotations

from ._conv_args import is_int, type_name
from ._util import Tensor

_ORDINAL = ("one", "two", "three")
_POSITION = {"kernel_size": 2, "stride": 3, "padding": 4, "dilation": 5, "output_size": 2}
_LENGTH_WORDS = {"kernel_size": "must either be a single int, or a tuple of",
                 "stride": "must either be omitted, a single int, or a tuple of",
                 "padding": "must either be a single int, or a tuple of",
                 "dilation": "must be either a single int, or a tuple of"}


def as_ints(value, fname: str, what: str) -> tuple:
    """``value`` (an int or a list/tuple of ints) as a tuple; anything else is PyTorch's TypeError."""
    if isinstance(value, (list, tuple)) and all(is_int(v) for v in value):
        return tuple(int(v) for v in value)
    if is_int(value) and not isinstance(value, (list, tuple)):
        return (int(value),)
    raise TypeError(f"{fname}(): argument '{what}' (position {_POSITION[what]}) must be tuple of ints, not "
                    f"{type(value).__name__}")


def pool_tuple(vals: tuple, n: int, op: str, what: str) -> tuple:
    """A 1-tuple repeated to ``n`` values, with PyTorch's 2-D pooling message for another length."""
    if len(vals) == 1:
        return vals * n
    if len(vals) != n:
        raise RuntimeError(f"{op}: {what} {_LENGTH_WORDS[what]} {_ORDINAL[n - 1]} ints")
    return vals


def check_1d(x: Tensor, op: str, **params) -> None:
    """The checks of avg_pool1d, max_pool1d with indices and the adaptive 1-D pools: 2 or 3 dims, 1-tuples."""
    if x.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {x.ndim}-dimensional tensor for argument #1 "
                           f"'self' (while checking arguments for {op})")
    for what, vals in params.items():
        if len(vals) != 1:
            raise RuntimeError(f"{op}() argument '{what}' should contain one int (got {len(vals)})")


def check_max_pool1d(x: Tensor, kernel, stride, padding, dilation, ceil_mode) -> None:
    """The checks of PyTorch's ``max_pool1d`` when no indices are asked for (they differ from the 2-D ones)."""
    empty = x.ndim in (2, 3) and any(s == 0 for s in x.shape[-2 if x.ndim == 2 else 1:])
    if x.ndim not in (2, 3) or empty:
        raise RuntimeError(f"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                           f"input, but got:{list(x.shape)}")
    sizes = {"kernel_size": "must be an int, list of ints or tuple of ints", "stride":
             "must be None, an int, list of ints, or tuple of ints", "padding": "must be an int, list of ints, or "
             "tuple of ints", "dilation": "must be an int, list of ints or tuple of ints"}
    for what, vals in (("kernel_size", kernel), ("stride", stride), ("padding", padding), ("dilation", dilation)):
        if len(vals) != 1:
            raise RuntimeError(f"max_pool1d() {what} {sizes[what]} of size 1 but got size {len(vals)}")
    (k,), (s,), (p,), (d,) = kernel, stride, padding, dilation
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got padding={p} and "
                           f"kernel_size={k}")
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    out = output_size(x.shape[-1], k, s, p, d, ceil_mode)
    if out <= 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {out}")


def output_size(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """PyTorch's pooling output size along one dimension (its ``pooling_output_shape``)."""
    if s == 0:
        raise RuntimeError("stride should not be zero")
    if p < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {p}")
    eff = d * (k - 1) + 1  # the dilated kernel's extent
    if p > int(eff / 2):  # C++ division: rounds toward zero
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p}, kernel_size={k} "
                           f"and dilation={d}")
    n = (size + 2 * p - eff + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (n - 1) * s >= size + p:
        n -= 1  # the last window must start inside the input or the left padding
    return n


def pool2d_geometry(x: Tensor, kernel, stride, padding, dilation, ceil_mode) -> tuple:
    """Check a 2-D pool of ``x`` (3-D or 4-D); return its output size and per-side paddings ``((lo, hi), ...)``.

    With ``ceil_mode`` the last window may hang over the high side: the high padding grows to cover it.
    """
    size = tuple(x.shape[-2:])
    out = tuple(output_size(*a, ceil_mode) for a in zip(size, kernel, stride, padding, dilation))
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    if kh <= 0 or kw <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {kh} kW: {kw}")
    if sh <= 0 or sw <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dH: {sh} dW: {sw}")
    if dh <= 0 or dw <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationH: {dh} dilationW: {dw}")
    shape = x.shape
    batch_ok = x.ndim == 4 or (x.ndim == 3 and shape[0] != 0)
    if x.ndim not in (3, 4) or not batch_ok or 0 in shape[-3:]:
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
                           f"got:{list(shape)}")
    if kw // 2 < pw or kh // 2 < ph:
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got padW = {pw}, padH = "
                           f"{ph}, kW = {kw}, kH = {kh}")
    if min(out) < 1:
        c = shape[-3]
        raise RuntimeError(f"Given input size: ({c}x{size[0]}x{size[1]}). Calculated output size: "
                           f"({c}x{out[0]}x{out[1]}). Output size is too small")
    pads = tuple((p, max(p, (o - 1) * s + d * (k - 1) + 1 - n - p))
                 for n, o, k, s, p, d in zip(size, out, kernel, stride, padding, dilation))
    return out, pads


def check_dtype(x: Tensor, kernel_name: str, allow_int: bool = True) -> None:
    """PyTorch's CPU pooling kernels take floats (and, for max/avg pooling, integers) but not bools."""
    kind = x._data.dtype.kind
    if kind == "b" or (not allow_int and kind in "iu"):
        raise NotImplementedError(f"\"{kernel_name}\" not implemented for '{type_name(x)}'")


def adaptive_output_size(input, output_size, op: str, nd: int = 2) -> tuple:
    """PyTorch's ``_list_with_default``: an int, or ``nd`` sizes whose ``None`` entries keep the input's size."""
    if is_int(output_size) and not isinstance(output_size, (list, tuple)):
        return (int(output_size),) * nd
    if not hasattr(output_size, "__len__"):
        raise TypeError(f"object of type '{type(output_size).__name__}' has no len()")
    if input.ndim <= len(output_size):
        raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
    sizes = tuple(input.shape[-len(output_size):])
    out = tuple(s if o is None else int(o) for s, o in zip(sizes, output_size))
    return out if len(out) != 1 else out * nd
