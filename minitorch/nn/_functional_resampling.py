"""Resampling: ``F.interpolate`` (and its deprecated ``upsample*`` aliases), pixel/channel shuffles.

Every interpolation mode is *separable*: along each spatial dim, output
position ``o`` is a weighted sum of a few input positions,
``y[o] = sum_k w[o, k] * x[idx[o, k]]`` (1 tap for nearest, 2 for linear,
4 for cubic, a window for area). The taps are computed on the host with
PyTorch's index formulas (``aten/src/ATen/native/UpSample.h``, in float32
for float32 inputs as PyTorch's ``opmath_t``), and ``_Resample`` applies them
one dim after another. Its backward is the adjoint map (``_ResampleAdjoint``:
scatter-add ``grad * w`` back to ``idx``), whose own backward is
``_Resample`` again, so second derivatives come for free.

Also here: the in-place functional forms ``elu_``, ``selu_``, ``celu_``,
``rrelu_`` and ``threshold_``.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ..ops.pooling import adaptive_avg_pool1d, adaptive_avg_pool2d
from ._functional_activation import celu, elu, rrelu, selu
from ._functional_activation import threshold as _threshold


# ---- the separable resampling map -----------------------------------------------------------------------
def _apply_taps(arr, dim: int, idx, w, xp):
    """y[..., o, ...] = sum_k w[o, k] * x[..., idx[o, k], ...] along ``dim`` (w None: one tap of weight 1)."""
    if w is None:
        return xp.take(arr, idx[:, 0], axis=dim)
    picked = xp.take(arr, idx, axis=dim)  # (..., out, K, ...)
    shape = w.shape + (1,) * (arr.ndim - dim - 1)
    return (picked * w.reshape(shape)).sum(axis=dim + 1)


def _adjoint_taps(arr, dim: int, idx, w, n_in: int, backend, xp):
    """The transpose of ``_apply_taps``: x[..., idx[o, k], ...] += w[o, k] * y[..., o, ...]."""
    moved = xp.moveaxis(arr, dim, 0)  # (out, ...)
    vals = moved[:, None] if w is None else moved[:, None] * w.reshape(w.shape + (1,) * (moved.ndim - 1))
    out = xp.zeros((n_in,) + moved.shape[1:], dtype=arr.dtype)
    backend.index_add(out, idx.reshape(-1), vals.reshape((-1,) + moved.shape[1:]))
    return xp.moveaxis(out, 0, dim)


class _Resample(Function):
    """y = the taps of each spatial dim applied in turn.  Gradient: the adjoint map (_ResampleAdjoint)."""

    @staticmethod
    def forward(ctx, x, taps):
        ctx.taps, ctx.in_shape = taps, tuple(x.shape)
        xp, out = x._device.xp, x._data
        for dim, idx, w in taps:
            out = _apply_taps(out, dim, idx, w, xp)
        return _wrap(xp.ascontiguousarray(out), x._device)

    @staticmethod
    def backward(ctx, grad):
        cls = type(ctx)._forward_cls
        return cls._adjoint.apply(grad, ctx.taps, ctx.in_shape, cls), None


class _ResampleAdjoint(Function):
    """dx = sum over taps of w * grad scattered to idx (in reverse dim order).  Its gradient: _Resample."""

    @staticmethod
    def forward(ctx, grad, taps, in_shape, forward_cls):
        ctx.taps, ctx.forward_cls = taps, forward_cls
        xp, out = grad._device.xp, grad._data
        for dim, idx, w in reversed(taps):
            out = _adjoint_taps(out, dim, idx, w, in_shape[dim], grad._device.backend, xp)
        return _wrap(xp.ascontiguousarray(out), grad._device)

    @staticmethod
    def backward(ctx, gg):
        return ctx.forward_cls.apply(gg, ctx.taps), None, None, None


_NODES: dict = {}


def _resample_fn(name: str):
    """A ``_Resample`` subclass whose node carries PyTorch's name (``UpsampleBilinear2DBackward0`` ...)."""
    if name not in _NODES:
        adj = type(name + "Backward", (_ResampleAdjoint,), {"node_name": name + "BackwardBackward0",
                                                            "__module__": __name__})
        fwd = type(name, (_Resample,), {"node_name": name + "Backward0", "__module__": __name__})
        fwd._adjoint = adj
        _NODES[name] = fwd
    return _NODES[name]


# ---- the taps of each mode (PyTorch's source-index formulas) ------------------------------------------------
def _area_scale(n_in: int, n_out: int, align: bool, scale, ft):
    """area_pixel_compute_scale: input pixels per output pixel."""
    if align:
        return ft(n_in - 1) / ft(n_out - 1) if n_out > 1 else ft(0)
    return ft(1.0 / scale) if scale is not None and scale > 0 else ft(n_in) / ft(n_out)


def _source_index(n_in: int, n_out: int, align: bool, scale, ft, cubic: bool, xp):
    """area_pixel_compute_source_index for every output position (clamped at 0 unless cubic)."""
    r = _area_scale(n_in, n_out, align, scale, ft)
    o = xp.arange(n_out).astype(ft)
    src = r * o if align else r * (o + ft(0.5)) - ft(0.5)
    return src if cubic else xp.where(src < 0, ft(0), src)


def _nearest_taps(n_in: int, n_out: int, scale, exact: bool, shortcut: bool, xp):
    o = xp.arange(n_out)
    s = np.float32(1.0 / scale) if scale is not None and scale > 0 else np.float32(n_in) / np.float32(n_out)
    if exact:  # floorf((o + 0.5) * scale): the product in double, floored as a float
        src = xp.floor(((o + 0.5) * np.float64(s)).astype(np.float32))
    elif shortcut and n_out == n_in:  # PyTorch's 2-D kernel copies for an unchanged size, whatever the scale
        src = o
    elif shortcut and n_out == 2 * n_in:
        src = o >> 1
    else:
        src = xp.floor(o.astype(np.float32) * s)
    return xp.minimum(src.astype(np.int64), n_in - 1)[:, None], None


def _linear_taps(n_in: int, n_out: int, align: bool, scale, ft, xp):
    if n_in == n_out:  # PyTorch copies when the size does not change, whatever the scale
        o = xp.arange(n_out)
        return xp.stack([o, o], 1), xp.stack([xp.ones(n_out, ft), xp.zeros(n_out, ft)], 1)
    src = _source_index(n_in, n_out, align, scale, ft, False, xp)
    i0 = xp.minimum(xp.floor(src).astype(np.int64), n_in - 1)
    lam1 = xp.clip(src - i0.astype(ft), ft(0), ft(1)).astype(ft)
    i1 = i0 + (i0 < n_in - 1)
    return xp.stack([i0, i1], 1), xp.stack([ft(1) - lam1, lam1], 1)


def _cubic_taps(n_in: int, n_out: int, align: bool, scale, ft, xp):
    """Keys' cubic convolution with A = -0.75 on the 4 neighbours (indices clamped to the border)."""
    a = ft(-0.75)

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    src = _source_index(n_in, n_out, align, scale, ft, True, xp)
    i = xp.minimum(xp.floor(src.astype(np.float32)).astype(np.int64), n_in - 1)  # floorf, as PyTorch
    t = xp.clip(src - i.astype(ft), ft(0), ft(1)).astype(ft)
    w = xp.stack([far(t + 1), near(t), near(1 - t), far(2 - t)], 1).astype(ft)
    idx = xp.clip(i[:, None] + xp.arange(-1, 3), 0, n_in - 1)
    return idx, w


def _area_taps(n_in: int, n_out: int, ft, xp):
    """Adaptive average pooling: window [floor(o*in/out), ceil((o+1)*in/out)), each weighing 1/len."""
    if n_out == 0:
        return xp.zeros((0, 1), np.int64), xp.zeros((0, 1), ft)
    widest = max(((o + 1) * n_in + n_out - 1) // n_out - o * n_in // n_out for o in range(n_out))  # on the host
    o = xp.arange(n_out)
    start, end = o * n_in // n_out, ((o + 1) * n_in + n_out - 1) // n_out
    count = (end - start)[:, None]
    k = xp.arange(widest)
    idx = xp.minimum(start[:, None] + k, end[:, None] - 1)
    w = xp.where(k < count, ft(1) / count.astype(ft), ft(0)).astype(ft)
    return idx, w


_NAMES = {"nearest": "UpsampleNearest{}D", "nearest-exact": "UpsampleNearestExact{}D", "linear": "UpsampleLinear1D",
          "bilinear": "UpsampleBilinear2D", "bicubic": "UpsampleBicubic2D", "trilinear": "UpsampleTrilinear3D",
          "area": "AdaptiveAvgPool{}D"}
_KERNELS = {"nearest": "compute_indices_weights_nearest", "nearest-exact": "compute_indices_weights_nearest",
            "linear": "compute_indices_weights_linear", "bilinear": "upsample_bilinear2d_channels_last",
            "bicubic": "compute_indices_weights_cubic", "trilinear": "compute_indices_weights_linear",
            "area": "adaptive_avg_pool3d_cpu"}  # the CPU kernel that rejects integer dtypes in PyTorch's message


def _check_sizes(input: Tensor, out: list, mode: str) -> None:
    """PyTorch's upsample_*: positive input and output sizes, a non-empty (C, spatial) volume for linear modes."""
    ins = list(input.shape[2:])
    if mode == "area":
        for d in range(1, input.ndim):
            if input.shape[d] == 0:
                raise RuntimeError(f"adaptive_avg_pool3d(): Expected input to have non-zero size for non-batch "
                                   f"dimensions, but input has sizes {list(input.shape)} with dimension {d} being empty")
        return
    if min(ins + list(out)) <= 0:
        letters = "DHW"[3 - len(ins):]
        i_str = ", ".join(f"{c}: {n}" for c, n in zip(letters, ins))
        o_str = ", ".join(f"{c}: {n}" for c, n in zip(letters, out))
        sep = " and" if len(ins) == 1 else ""
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({i_str}){sep} "
                           f"output ({o_str})")
    if mode not in ("nearest", "nearest-exact") and input.numel() == 0:
        raise RuntimeError(f"Non-empty {input.ndim}D data tensor expected but got a tensor with sizes "
                           f"{list(input.shape)}")


def _resample(input: Tensor, out: list, scales, mode: str, align: bool) -> Tensor:
    k = input.ndim - 2
    kernel = "upsample_nearest2d_channels_last" if k == 2 and "nearest" in mode else _KERNELS[mode]
    if input.dtype.name == "uint8" and mode in ("bilinear", "bicubic"):  # PyTorch has a fixed-point uint8 path
        raise NotImplementedError(f"minitorch: interpolate(mode='{mode}') is not implemented for uint8 input")
    if not input.dtype.is_floating_point and not (input.dtype.name == "uint8" and "nearest" in mode):
        letter = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
                  "bool": "Bool"}.get(input.dtype.name, input.dtype.name)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{letter}'")
    _check_sizes(input, out, mode)
    ft = np.float64 if input.dtype.name == "float64" else np.float32
    scales = scales or [None] * k
    taps = []
    xp = input._device.xp
    for d, (n_in, n_out, s) in enumerate(zip(input.shape[2:], out, scales)):
        if mode in ("nearest", "nearest-exact"):
            idx, w = _nearest_taps(n_in, n_out, s, mode == "nearest-exact", k == 2, xp)
        elif mode == "bicubic":
            idx, w = _cubic_taps(n_in, n_out, align, s, ft, xp)
        elif mode == "area":
            idx, w = _area_taps(n_in, n_out, ft, xp)
        else:
            idx, w = _linear_taps(n_in, n_out, align, s, ft, xp)
        taps.append((d + 2, idx, None if w is None else w.astype(input._data.dtype)))
    return _resample_fn(_NAMES[mode].format(k)).apply(input, tuple(taps))


def _is_integer(x) -> bool:
    if isinstance(x, (int, np.integer)):
        return True
    return isinstance(x, Tensor) and not x.dtype.is_floating_point


def _output_size(input: Tensor, size, scale_factor, dim: int):
    """PyTorch's validation: exactly one of size / scale_factor, of the right length."""
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError("Input and output must have the same number of spatial dimensions, but got input with "
                                 f"spatial dimensions of {list(input.shape[2:])} and output size of {size}. Please "
                                 "provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, "
                                 "...,oK) format.")
            if not all(_is_integer(x) for x in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or Tuple[int, int, "
                                f"int], but got size with types {[type(x) for x in size]}")
            return [int(s) for s in size], None
        return [size for _ in range(dim)], None
    if scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError("Input and scale_factor must have the same number of spatial dimensions, but got input "
                                 f"with spatial dimensions of {list(input.shape[2:])} and scale_factor of shape "
                                 f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                                 "scale_factor in (s1, s2, ...,sK) format.")
            return None, list(scale_factor)
        return None, [scale_factor for _ in range(dim)]
    raise ValueError("either size or scale_factor should be defined")


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners: bool | None = None,
                recompute_scale_factor: bool | None = None, antialias: bool = False) -> Tensor:
    """Resize the spatial dims of an (N, C, *spatial) input to ``size`` or by ``scale_factor``.

    Modes: 'nearest', 'nearest-exact', 'linear' (3-D), 'bilinear', 'bicubic' (4-D), 'trilinear' (5-D), 'area'.

    >>> F.interpolate(minitorch.ones(1, 1, 2, 2), scale_factor=2, mode='bilinear').shape
    minitorch.Size([1, 1, 4, 4])
    """
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: linear | bilinear | "
                             "bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.ndim - 2
    output_size, scale_factors = _output_size(input, size, scale_factor, dim)
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor:
        output_size = [int(input.shape[i + 2] * scale_factors[i]) for i in range(dim)]
        scale_factors = None
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.ndim == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D "
                         "tensor as input")
    if antialias:
        raise NotImplementedError("minitorch: interpolate(antialias=True) is not implemented")
    needs = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}
    if input.ndim in (3, 4, 5) and (mode in ("nearest", "nearest-exact", "area") or needs.get(mode) == input.ndim):
        if output_size is None:  # PyTorch's output size from a scale: truncate in * scale (in double)
            output_size = [int(float(n) * s) for n, s in zip(input.shape[2:], scale_factors)]
        if mode == "area" and input.ndim == 3:
            return adaptive_avg_pool1d(input, output_size)
        if mode == "area" and input.ndim == 4 and not (input.dtype.is_floating_point and all(input.shape[2:])):
            return adaptive_avg_pool2d(input, output_size)  # raises PyTorch's errors
        return _resample(input, output_size, scale_factors, mode, bool(align_corners))
    if mode in ("linear", "bilinear", "trilinear") and input.ndim in (3, 4, 5):
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {needs[mode]}D input")
    raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for the "
                              "modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"
                              f" (got {mode})")


def upsample(input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners: bool | None = None):
    """Deprecated: ``F.interpolate(input, size, scale_factor, mode, align_corners)``."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Deprecated: ``F.interpolate(..., mode='nearest')``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Deprecated: ``F.interpolate(..., mode='bilinear', align_corners=True)``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ---- pixel and channel shuffles: pure permutations of the elements -----------------------------------------
def _shuffle_array(a, r: int, up: bool):
    """(*, C r^2, H, W) <-> (*, C, H r, W r): sub-pixel (i, j) of channel c is channel c r^2 + i r + j."""
    *b, c, h, w = a.shape
    nb = len(b)
    if up:
        c //= r * r
        a = a.reshape(*b, c, r, r, h, w).transpose(*range(nb), nb, nb + 3, nb + 1, nb + 4, nb + 2)
        return a.reshape(*b, c, h * r, w * r)
    h, w = h // r, w // r
    a = a.reshape(*b, c, h, r, w, r).transpose(*range(nb), nb, nb + 2, nb + 4, nb + 1, nb + 3)
    return a.reshape(*b, c * r * r, h, w)


class PixelShuffle(Function):
    """y = the channels of x rearranged into r x r blocks.  Gradient: pixel_unshuffle(grad) (a permutation)."""

    @staticmethod
    def forward(ctx, x, r):
        ctx.r = r
        return _wrap(x._device.xp.ascontiguousarray(_shuffle_array(x._data, r, True)), x._device)

    @staticmethod
    def backward(ctx, grad):
        return PixelUnshuffle.apply(grad, ctx.r), None


class PixelUnshuffle(Function):
    """y = r x r blocks of x stacked as channels.  Gradient: pixel_shuffle(grad)."""

    @staticmethod
    def forward(ctx, x, r):
        ctx.r = r
        return _wrap(x._device.xp.ascontiguousarray(_shuffle_array(x._data, r, False)), x._device)

    @staticmethod
    def backward(ctx, grad):
        return PixelShuffle.apply(grad, ctx.r), None


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C r^2, H, W) -> (*, C, H r, W r) with r = ``upscale_factor``.

    >>> F.pixel_shuffle(minitorch.ones(1, 4, 2, 3), 2).shape
    minitorch.Size([1, 1, 4, 6])
    """
    r = upscale_factor
    if input.ndim < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.ndim} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    if input.shape[-3] % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={input.shape[-3]} is not divisible by {r * r}")
    return PixelShuffle.apply(input, r)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H r, W r) -> (*, C r^2, H, W) with r = ``downscale_factor``: the inverse of pixel_shuffle."""
    r = downscale_factor
    if input.ndim < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.ndim} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    for d, name in ((-2, "height"), (-1, "width")):
        if input.shape[d] % r:
            raise RuntimeError(f"pixel_unshuffle expects {name} to be divisible by downscale_factor, but "
                               f"input.size({d})={input.shape[d]} is not divisible by {r}")
    return PixelUnshuffle.apply(input, r)


class ChannelShuffle(Function):
    """(N, g*k, *) -> channel i*k + j moves to j*g + i.  Gradient: the inverse shuffle (groups k)."""

    @staticmethod
    def forward(ctx, x, groups):
        a = x._data
        n, c = a.shape[:2]
        ctx.groups = c // groups
        out = a.reshape(n, groups, c // groups, *a.shape[2:]).swapaxes(1, 2).reshape(a.shape)
        return _wrap(x._device.xp.ascontiguousarray(out), x._device)

    @staticmethod
    def backward(ctx, grad):
        return ChannelShuffle.apply(grad, ctx.groups), None


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Split the C channels into ``groups`` groups and interleave them (ShuffleNet).

    >>> F.channel_shuffle(minitorch.arange(4.).reshape(1, 4, 1), 2).flatten().tolist()
    [0.0, 2.0, 1.0, 3.0]
    """
    if input.ndim <= 2:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with sizes {list(input.shape)}")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    if input.shape[1] % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {input.shape[1]} channels and "
                           f"{groups} groups.")
    return ChannelShuffle.apply(input, groups)


# ---- in-place functional forms ------------------------------------------------------------------------------
def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place ``elu``."""
    return elu(input, alpha, True)


def selu_(input: Tensor) -> Tensor:
    """In-place ``selu``."""
    return selu(input, True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place ``celu``."""
    return celu(input, alpha, True)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    """In-place ``rrelu``."""
    return rrelu(input, lower, upper, training, True)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """In-place ``threshold``."""
    return _threshold(input, threshold, value, True)
