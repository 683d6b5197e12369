"""Converting between images and tensors: ``to_tensor``, ``pil_to_tensor``, ``to_pil_image``.

Images come in two layouts. NumPy arrays and PIL images are HWC (height, width,
channels: how image files store pixels); tensors are CHW (channels first: what
convolutions expect). ``to_tensor`` moves the channel axis to the front and, for
8-bit images, divides by 255 so that pixels lie in [0, 1].
"""

from __future__ import annotations

import sys

import numpy as np

from ... import _dtype
from ..._tensor import Tensor
from ...ops.creation import from_numpy
from .. import _pil


def _check_image_tensor(img, op: str) -> None:
    if not isinstance(img, Tensor):
        raise TypeError(f"{op}: img should be a Tensor. Got {type(img)}")
    if img.ndim < 2:  # torchvision's wording first
        raise TypeError(f"Tensor is not a torch image. {op} expects at least 2 dimensions (..., H, W), "
                        f"got shape {tuple(img.shape)}")


def get_dimensions(img) -> list[int]:
    """``[channels, height, width]`` of a tensor (..., C, H, W) or a PIL image."""
    if isinstance(img, Tensor):
        _check_image_tensor(img, "get_dimensions")
        channels = 1 if img.ndim == 2 else img.shape[-3]
        return [channels, img.shape[-2], img.shape[-1]]
    if _pil.is_pil_image(img):
        width, height = img.size
        return [len(img.getbands()), height, width]
    raise TypeError(f"Unexpected type {type(img)}: expected a Tensor or a PIL Image")


def _pil_to_hwc_array(pic) -> np.ndarray:
    """Pixels of a PIL image as an HWC array of the dtype that matches its mode."""
    # 32-bit integer, 16-bit integer and float images keep their type; the rest are bytes.
    mode_to_dtype = {"I": np.int32, "I;16" if sys.byteorder == "little" else "I;16B": np.int16, "F": np.float32}
    arr = np.array(pic, dtype=mode_to_dtype.get(pic.mode, np.uint8), copy=True)
    if pic.mode == "1":  # 1-bit images hold 0/1: make them 0/255 like every other 8-bit image
        arr = 255 * arr
    width, height = pic.size
    return arr.reshape(height, width, len(pic.getbands()))


def to_tensor(pic) -> Tensor:
    """An HWC image (PIL or ndarray) as a CHW tensor; uint8 pixels are scaled to floats in [0, 1].

    The floats have the default dtype (float32 unless ``set_default_dtype`` changed it). Other dtypes
    keep their values and dtype (a float64 array stays float64, a bool array stays bool), as in torchvision.

    >>> to_tensor(np.full((2, 2, 3), 255, dtype=np.uint8)).shape
    minitorch.Size([3, 2, 2])
    """
    if _pil.is_pil_image(pic):
        arr = _pil_to_hwc_array(pic)
    elif isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        arr = pic[:, :, None] if pic.ndim == 2 else pic
    else:
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    chw = np.ascontiguousarray(arr.transpose(2, 0, 1))
    if chw.dtype == np.uint8:
        # Division in the float dtype itself, as PyTorch does it (x.float().div(255)), so results match bit for bit.
        float_dtype = _dtype.get_default_dtype().np
        chw = chw.astype(float_dtype) / float_dtype.type(255)
    return from_numpy(chw)  # a TypeError naming the supported dtypes for e.g. uint16 arrays


def pil_to_tensor(pic) -> Tensor:
    """A PIL image as a CHW tensor of NumPy's dtype for it, without scaling (uint8 stays 0..255).

    Unlike ``to_tensor`` the pixels are taken as ``np.array(pic)`` gives them (mode "1" is bool), as in torchvision.
    """
    if not _pil.is_pil_image(pic):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    width, height = pic.size
    arr = np.array(pic, copy=True).reshape(height, width, len(pic.getbands()))
    return from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1)))


def _mode_for_one_channel(dtype) -> str | None:
    return {np.dtype(np.uint8): "L", np.dtype(np.int16): "I;16", np.dtype(np.int32): "I",
            np.dtype(np.float32): "F"}.get(np.dtype(dtype))


def to_pil_image(pic, mode: str | None = None):
    """A CHW tensor or HWC ndarray as a PIL image; floats are taken to be in [0, 1] and become bytes.

    >>> to_pil_image(minitorch.rand(3, 4, 5)).size
    (5, 4)
    """
    Image = _pil.require_pil("to_pil_image")
    if isinstance(pic, Tensor):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        arr = pic.detach()._host()
        arr = arr.transpose(1, 2, 0) if arr.ndim == 3 else arr
    elif isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        arr = pic
    else:
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")
    arr = arr[:, :, None] if arr.ndim == 2 else arr
    if arr.shape[-1] > 4:
        raise ValueError(f"pic should not have > 4 channels. Got {arr.shape[-1]} channels.")
    if np.issubdtype(arr.dtype, np.floating) and mode != "F":
        arr = (arr * 255).astype(np.uint8)  # truncation, as torchvision's pic.mul(255).byte()
    if arr.shape[2] == 1:
        arr = arr[:, :, 0]
        expected = _mode_for_one_channel(arr.dtype)
        if mode is not None and mode != expected:
            raise ValueError(f"Incorrect mode ({mode}) supplied for input type {arr.dtype}. Should be {expected}")
        mode = expected
    elif mode is None:
        mode = {2: "LA", 3: "RGB", 4: "RGBA"}[arr.shape[2]] if arr.dtype == np.uint8 else None
    if mode is None:
        raise TypeError(f"Input type {arr.dtype} is not supported")
    return Image.fromarray(np.ascontiguousarray(arr), mode=mode)
