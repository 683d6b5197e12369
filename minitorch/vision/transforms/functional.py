"""The functions behind the transforms (``torchvision.transforms.functional``), one per operation.

Every function takes a tensor image (..., C, H, W) or a PIL image and returns the
same kind. Tensors are worked on through their arrays (``t._data`` with the
array module ``t._device.xp``), since transforms prepare data and need no autograd.

>>> import minitorch.vision.transforms.functional as F
>>> F.hflip(minitorch.arange(6.).view(1, 2, 3)).tolist()
[[[2.0, 1.0, 0.0], [5.0, 4.0, 3.0]]]
"""

from __future__ import annotations

import enum
import numbers
import warnings
from collections.abc import Sequence

import numpy as np

from ... import _dtype
from ..._tensor import Tensor, _wrap
from .. import _pil
from ._convert import _check_image_tensor, get_dimensions, pil_to_tensor, to_pil_image, to_tensor
from ._interpolate import resize_array

__all__ = [
    "InterpolationMode", "center_crop", "crop", "get_dimensions", "hflip", "normalize", "pad", "pil_to_tensor",
    "resize", "to_pil_image", "to_tensor", "vflip",
]


class InterpolationMode(enum.Enum):
    """How ``resize`` computes new pixels (torchvision's enum; its values are PyTorch's mode names)."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


# Pillow's integer resampling constants (PIL.Image.NEAREST == 0, ...), which torchvision also accepts.
_PIL_INT_MODES = {0: InterpolationMode.NEAREST, 2: InterpolationMode.BILINEAR, 3: InterpolationMode.BICUBIC,
                  4: InterpolationMode.BOX, 5: InterpolationMode.HAMMING, 1: InterpolationMode.LANCZOS}


def _as_mode(interpolation) -> InterpolationMode:
    """An ``InterpolationMode`` from the enum itself, its string value ("bilinear") or Pillow's integer constant."""
    if isinstance(interpolation, InterpolationMode):
        return interpolation
    if isinstance(interpolation, str):
        return InterpolationMode(interpolation)
    if isinstance(interpolation, int) and not isinstance(interpolation, bool):
        if interpolation not in _PIL_INT_MODES:
            raise ValueError(f"This interpolation mode ({interpolation}) is not supported")
        return _PIL_INT_MODES[interpolation]
    raise TypeError("Argument interpolation should be a InterpolationMode or a corresponding Pillow integer constant")


def _check_image(img, op: str) -> None:
    if isinstance(img, Tensor):
        _check_image_tensor(img, op)
    elif not _pil.is_pil_image(img):
        raise TypeError(f"{op}: img should be PIL Image or Tensor. Got {type(img)}")


def normalize(tensor: Tensor, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> Tensor:
    """``(tensor - mean[c]) / std[c]`` for every channel c of a float tensor (..., C, H, W).

    >>> normalize(minitorch.ones(3, 2, 2), [0.5] * 3, [0.5] * 3)[0, 0, 0].item()
    1.0
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    _check_image_tensor(tensor, "normalize")
    if not tensor.dtype.is_floating_point:
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = "
                         f"{tensor.size()}")
    xp = tensor._device.xp
    dt = tensor._data.dtype
    mean_arr = xp.asarray(np.asarray(mean.tolist() if isinstance(mean, Tensor) else mean, dtype=dt))
    std_arr = xp.asarray(np.asarray(std.tolist() if isinstance(std, Tensor) else std, dtype=dt))
    if bool((std_arr == 0).any()):
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading to division by zero.")
    # One value per channel: shape (C, 1, 1) so that it broadcasts over H and W.
    mean_t = _wrap(mean_arr.reshape(-1, 1, 1) if mean_arr.ndim == 1 else mean_arr, tensor._device)
    std_t = _wrap(std_arr.reshape(-1, 1, 1) if std_arr.ndim == 1 else std_arr, tensor._device)
    if inplace:
        return tensor.sub_(mean_t).div_(std_t)
    return (tensor - mean_t) / std_t


def _resized_size(height: int, width: int, size, max_size: int | None) -> list[int]:
    """torchvision's rule: (h, w) is used as given; one number is the new length of the *shorter* side,
    the longer side keeping the aspect ratio (truncated to an int), capped at ``max_size``."""
    if isinstance(size, numbers.Integral):
        size = [int(size)]
    size = list(size)
    if len(size) not in (1, 2):
        raise ValueError(f"Size must be an int or a 1 or 2 element tuple/list, not a {len(size)} element tuple/list")
    if len(size) == 2:
        if max_size is not None:
            raise ValueError("max_size should only be passed if size specifies the length of the smaller edge, "
                             "i.e. size should be an int or a sequence of length 1 in torchscript mode.")
        return size
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = size[0], int(size[0] * long / short)
    if max_size is not None:
        if max_size <= size[0]:
            raise ValueError(f"max_size = {max_size} must be strictly greater than the requested size for "
                             f"the smaller edge size = {size}")
        if new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
    new_w, new_h = (new_short, new_long) if width <= height else (new_long, new_short)
    return [new_h, new_w]


_PIL_FILTERS = {"nearest": 0, "lanczos": 1, "bilinear": 2, "bicubic": 3, "box": 4, "hamming": 5}


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size: int | None = None,
           antialias: bool | None = True):
    """Resize an image to ``size`` ((h, w), or one number for the shorter side).

    Tensors (..., H, W) go through ``_interpolate`` (the same numbers as
    ``torch.nn.functional.interpolate(..., align_corners=False)``); integer
    tensors are resized in float32 and rounded back. PIL images use Pillow's
    resampling, which always antialiases.

    >>> resize(minitorch.rand(3, 20, 30), 10).shape
    minitorch.Size([3, 10, 15])
    """
    _check_image(img, "resize")
    mode = _as_mode(interpolation)
    _, height, width = get_dimensions(img)
    out_h, out_w = _resized_size(height, width, size, max_size)
    if [out_h, out_w] == [height, width]:
        return img
    if _pil.is_pil_image(img):
        if antialias is False:
            warnings.warn("Anti-alias option is always applied for PIL Image input. Argument antialias is ignored.",
                          stacklevel=2)
        if mode.value not in _PIL_FILTERS:
            raise ValueError(f"resize: interpolation {mode} is not supported for PIL images")
        return img.resize((out_w, out_h), resample=_PIL_FILTERS[mode.value])
    arr = img._data
    is_float = img.dtype in (_dtype.float32, _dtype.float64)
    work = arr if is_float else arr.astype(np.float32)
    out = resize_array(work, (out_h, out_w), mode.value, bool(antialias), img._device.xp)
    if not is_float:
        xp = img._device.xp
        info = np.iinfo(arr.dtype) if np.issubdtype(arr.dtype, np.integer) else None
        out = xp.round(out)
        if info is not None:  # cubic filters overshoot: keep integer images inside their dtype's range
            out = xp.clip(out, info.min, info.max)
        out = out.astype(arr.dtype)
    return _wrap(out, img._device)


def _parse_padding(padding) -> list[int]:
    """``[left, top, right, bottom]`` from an int, a 1-, 2- (left/right, top/bottom) or 4-element sequence."""
    if isinstance(padding, numbers.Integral):
        return [int(padding)] * 4
    if not isinstance(padding, (tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if len(padding) == 1:
        return [int(padding[0])] * 4
    if len(padding) == 2:
        return [int(padding[0]), int(padding[1])] * 2
    if len(padding) == 4:
        return [int(p) for p in padding]
    raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple")


_PAD_MODES = ("constant", "edge", "reflect", "symmetric")


def pad(img, padding, fill=0, padding_mode: str = "constant"):
    """Pad the borders of an image; ``padding`` is an int, (left/right, top/bottom) or (left, top, right, bottom).

    ``padding_mode``: "constant" (``fill``), "edge" (repeat the border pixel),
    "reflect" (mirror without repeating the border) or "symmetric" (mirror repeating it).
    Negative padding crops.

    >>> pad(minitorch.ones(1, 2, 2), 1).shape
    minitorch.Size([1, 4, 4])
    """
    _check_image(img, "pad")
    if padding_mode not in _PAD_MODES:
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    left, top, right, bottom = _parse_padding(padding)
    if _pil.is_pil_image(img):
        arr = np.asarray(img)
        if not isinstance(fill, numbers.Number) and arr.ndim == 3:
            fill = np.asarray(fill, dtype=arr.dtype)  # one fill value per band
        out = _pad_array(arr, left, top, right, bottom, fill, padding_mode, np, hwc=arr.ndim == 3)
        return _pil.Image.fromarray(out, mode=img.mode)
    if fill is None:
        fill = 0
    if not isinstance(fill, numbers.Number):
        raise TypeError("Got inappropriate fill arg: tensors take one number")
    out = _pad_array(img._data, left, top, right, bottom, fill, padding_mode, img._device.xp, hwc=False)
    return _wrap(out, img._device)


def _pad_array(arr, left, top, right, bottom, fill, padding_mode, xp, hwc: bool):
    """Pad the H and W axes of ``arr`` (CHW-like when not ``hwc``, else HWC)."""
    h_axis, w_axis = (0, 1) if hwc else (arr.ndim - 2, arr.ndim - 1)
    # Negative padding removes pixels: crop first, then pad with what is left.
    index = [slice(None)] * arr.ndim
    index[h_axis] = slice(max(-top, 0), arr.shape[h_axis] - max(-bottom, 0))
    index[w_axis] = slice(max(-left, 0), arr.shape[w_axis] - max(-right, 0))
    arr = arr[tuple(index)]
    widths = [(0, 0)] * arr.ndim
    widths[h_axis] = (max(top, 0), max(bottom, 0))
    widths[w_axis] = (max(left, 0), max(right, 0))
    if padding_mode != "constant":
        return xp.pad(arr, widths, mode=padding_mode)
    if isinstance(fill, np.ndarray) and fill.ndim == 1:
        out = xp.empty(tuple(n + a + b for n, (a, b) in zip(arr.shape, widths)), dtype=arr.dtype)
        out[...] = fill  # broadcast the per-band fill over H and W (bands are the last axis here)
        out[widths[0][0]:widths[0][0] + arr.shape[0], widths[1][0]:widths[1][0] + arr.shape[1]] = arr
        return out
    return xp.pad(arr, widths, mode="constant", constant_values=fill)


def crop(img, top: int, left: int, height: int, width: int):
    """The ``height`` x ``width`` window whose top-left corner is (``top``, ``left``);
    parts outside the image are filled with 0.

    >>> crop(minitorch.arange(16.).view(1, 4, 4), 1, 1, 2, 2).tolist()
    [[[5.0, 6.0], [9.0, 10.0]]]
    """
    _check_image(img, "crop")
    if _pil.is_pil_image(img):
        return img.crop((left, top, left + width, top + height))
    _, h, w = get_dimensions(img)
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        inside = img[..., max(top, 0):max(bottom, 0), max(left, 0):max(right, 0)]
        padding = [max(-left + min(0, right), 0), max(-top + min(0, bottom), 0),
                   max(right - max(w, left), 0), max(bottom - max(h, top), 0)]
        return pad(inside, padding, fill=0)
    return img[..., top:bottom, left:right]


def _setup_size(size, error_msg: str = "Please provide only two dimensions (h, w) for size."):
    """torchvision's rule for a crop size: a number n is (n, n) (truncated to ints), a 1-sequence [n] is (n, n),
    a 2-sequence (h, w) is kept as given (a list stays a list, which shows in the transforms' repr)."""
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    if isinstance(size, Sequence) and len(size) == 1:
        return size[0], size[0]
    if not isinstance(size, Sequence) or len(size) != 2:
        raise ValueError(error_msg)
    return size


def center_crop(img, output_size):
    """The centred window of ``output_size`` (int or (h, w)); a window larger than the image pads it with 0.

    >>> center_crop(minitorch.ones(3, 10, 10), 4).shape
    minitorch.Size([3, 4, 4])
    """
    _check_image(img, "center_crop")
    crop_h, crop_w = _setup_size(output_size)
    _, h, w = get_dimensions(img)
    if crop_w > w or crop_h > h:
        # Pad symmetrically (the odd pixel goes right/bottom) so that the window fits.
        padding = [(crop_w - w) // 2 if crop_w > w else 0, (crop_h - h) // 2 if crop_h > h else 0,
                   (crop_w - w + 1) // 2 if crop_w > w else 0, (crop_h - h + 1) // 2 if crop_h > h else 0]
        img = pad(img, padding, fill=0)
        _, h, w = get_dimensions(img)
        if (crop_h, crop_w) == (h, w):
            return img
    top = int(round((h - crop_h) / 2.0))
    left = int(round((w - crop_w) / 2.0))
    return crop(img, top, left, crop_h, crop_w)


def hflip(img):
    """Mirror the image left to right (reverse the last axis)."""
    _check_image(img, "hflip")
    if _pil.is_pil_image(img):
        return img.transpose(_pil.Image.Transpose.FLIP_LEFT_RIGHT)
    return img.flip(-1)


def vflip(img):
    """Mirror the image top to bottom (reverse the H axis)."""
    _check_image(img, "vflip")
    if _pil.is_pil_image(img):
        return img.transpose(_pil.Image.Transpose.FLIP_TOP_BOTTOM)
    return img.flip(-2)
