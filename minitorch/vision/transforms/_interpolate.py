"""Image interpolation as matrix products, matching ``torch.nn.functional.interpolate``.

Resizing is linear and separable: every output row is a weighted sum of input
rows, and every output column a weighted sum of input columns. So for an image
``X`` of shape (H, W), resizing to (h, w) is

    Y = A @ X @ B.T        with A of shape (h, H) and B of shape (w, W),

where row ``i`` of ``A`` holds the weights output row ``i`` gives to the input
rows. Each interpolation mode is just a different way of filling those weight
matrices (``_weights_*`` below). Pixel centres follow PyTorch's
``align_corners=False`` convention: output pixel ``i`` sits at input
coordinate ``(i + 0.5) * scale - 0.5`` with ``scale = in_size / out_size``.
"""

from __future__ import annotations

import numpy as np


def _weights_nearest(in_size: int, out_size: int, exact: bool = False) -> np.ndarray:
    """Each output pixel copies one input pixel: index ``floor(i * scale)`` ("nearest", PyTorch's legacy rule)
    or ``floor((i + 0.5) * scale)`` ("nearest-exact")."""
    # PyTorch computes the scale and the product in float32; doing the same picks the same pixels.
    scale = np.float32(in_size) / np.float32(out_size)
    i = np.arange(out_size, dtype=np.float32)
    src = np.floor(((i + np.float32(0.5)) if exact else i) * scale).astype(np.int64)
    w = np.zeros((out_size, in_size))
    w[np.arange(out_size), np.minimum(src, in_size - 1)] = 1.0
    return w


def _weights_linear(in_size: int, out_size: int) -> np.ndarray:
    """Output pixel at source coordinate x mixes pixels floor(x) and floor(x)+1 with weights (1 - t, t),
    t = x - floor(x); coordinates left of the first pixel centre are clamped to it."""
    scale = in_size / out_size
    x = np.maximum((np.arange(out_size) + 0.5) * scale - 0.5, 0.0)
    x0 = np.floor(x).astype(np.int64)
    t = x - x0
    x1 = np.minimum(x0 + 1, in_size - 1)
    w = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    np.add.at(w, (rows, x0), 1.0 - t)
    np.add.at(w, (rows, x1), t)
    return w


def _cubic(x: np.ndarray, a: float) -> np.ndarray:
    """Keys' cubic convolution kernel: 1 at 0, 0 at other integers, support |x| < 2."""
    x = np.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((x - 5) * x + 8) * x * a - 4 * a
    return np.where(x < 1, near, np.where(x < 2, far, 0.0))


def _weights_cubic(in_size: int, out_size: int) -> np.ndarray:
    """Four taps floor(x)-1 .. floor(x)+2 weighted by the cubic kernel (a = -0.75, as PyTorch);
    taps outside the image are clamped to the border pixel."""
    scale = in_size / out_size
    x = (np.arange(out_size) + 0.5) * scale - 0.5  # not clamped for cubic, as in PyTorch
    x0 = np.floor(x).astype(np.int64)
    t = x - x0
    w = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    for k in (-1, 0, 1, 2):
        np.add.at(w, (rows, np.clip(x0 + k, 0, in_size - 1)), _cubic(t - k, -0.75))
    return w


def _weights_antialias(in_size: int, out_size: int, mode: str) -> np.ndarray:
    """Antialiased weights (PIL's algorithm, used by PyTorch for ``antialias=True``).

    When shrinking, the filter is stretched by ``scale`` so that every input pixel
    contributes to some output pixel (no aliasing); weights are normalised to sum to 1.
    """
    scale = in_size / out_size
    taps = 2 if mode == "bilinear" else 4
    support = taps * 0.5 * max(scale, 1.0)
    invscale = 1.0 / scale if scale >= 1.0 else 1.0
    w = np.zeros((out_size, in_size))
    for i in range(out_size):
        center = scale * (i + 0.5)
        lo = max(int(center - support + 0.5), 0)
        hi = min(int(center + support + 0.5), in_size)
        x = (np.arange(lo, hi) - center + 0.5) * invscale
        wi = np.maximum(1.0 - np.abs(x), 0.0) if mode == "bilinear" else _cubic(x, -0.5)
        total = wi.sum()
        w[i, lo:hi] = wi / total if total != 0 else wi
    return w


def weight_matrix(in_size: int, out_size: int, mode: str, antialias: bool) -> np.ndarray:
    """The (out_size, in_size) matrix that resizes one axis with ``mode``."""
    if mode in ("bilinear", "bicubic") and antialias:
        return _weights_antialias(in_size, out_size, mode)
    if mode == "bilinear":
        return _weights_linear(in_size, out_size)
    if mode == "bicubic":
        return _weights_cubic(in_size, out_size)
    if mode in ("nearest", "nearest-exact"):
        return _weights_nearest(in_size, out_size, exact=mode == "nearest-exact")
    raise ValueError(f"interpolate: unsupported interpolation mode '{mode}' for tensors; "
                     "use nearest, nearest-exact, bilinear or bicubic")


def resize_array(arr, size: tuple[int, int], mode: str, antialias: bool, xp=np):
    """Resize the last two axes of a float array ``arr`` (..., H, W) to ``size`` = (h, w)."""
    in_h, in_w = arr.shape[-2:]
    rows = xp.asarray(weight_matrix(in_h, size[0], mode, antialias).astype(arr.dtype))
    cols = xp.asarray(weight_matrix(in_w, size[1], mode, antialias).astype(arr.dtype))
    return rows @ arr @ cols.T
