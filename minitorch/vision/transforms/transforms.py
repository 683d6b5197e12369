"""The transform classes: callables that turn one image into another, chained with ``Compose``.

Each class stores its arguments and calls the matching function in
``functional.py``. Random transforms draw their random numbers from minitorch's
default generator (``minitorch.rand(1)``, ``minitorch.randint``), so
``minitorch.manual_seed(0)`` makes an augmentation pipeline repeat exactly.

>>> from minitorch.vision import transforms as T
>>> pipeline = T.Compose([T.ToTensor(), T.Normalize((0.5,), (0.5,))])
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence

from ...ops.random import rand, randint
from . import functional as F
from .functional import InterpolationMode

__all__ = [
    "CenterCrop", "Compose", "Lambda", "Normalize", "Pad", "PILToTensor", "RandomCrop", "RandomHorizontalFlip",
    "RandomVerticalFlip", "Resize", "ToPILImage", "ToTensor",
]


class Compose:
    """Apply ``transforms`` one after the other.

    >>> Compose([ToTensor(), Normalize((0.5,), (0.5,))])(np.zeros((2, 2), np.uint8)).tolist()
    [[[-1.0, -1.0], [-1.0, -1.0]]]
    """

    def __init__(self, transforms: Sequence[Callable]):
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        lines = "".join(f"\n    {t}" for t in self.transforms)
        return f"{self.__class__.__name__}({lines}\n)"


class ToTensor:
    """HWC PIL image or ndarray -> CHW tensor; uint8 pixels become float32 in [0, 1] (see ``F.to_tensor``)."""

    def __call__(self, pic):
        return F.to_tensor(pic)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()"


class PILToTensor:
    """PIL image -> CHW tensor of the same dtype, values unchanged (uint8 stays 0..255)."""

    def __call__(self, pic):
        return F.pil_to_tensor(pic)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()"


class ToPILImage:
    """CHW tensor or HWC ndarray -> PIL image (floats in [0, 1] become bytes)."""

    def __init__(self, mode: str | None = None):
        self.mode = mode

    def __call__(self, pic):
        return F.to_pil_image(pic, self.mode)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()" if self.mode is None else f"{self.__class__.__name__}(mode={self.mode})"


class Normalize:
    """Per channel ``(x - mean[c]) / std[c]`` on a float tensor (..., C, H, W).

    >>> Normalize((0.1307,), (0.3081,))(minitorch.zeros(1, 28, 28)).shape
    minitorch.Size([1, 28, 28])
    """

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False):
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def __call__(self, tensor):
        return F.normalize(tensor, self.mean, self.std, self.inplace)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(mean={self.mean}, std={self.std})"


class Resize:
    """Resize to ``size``: (h, w), or one number for the shorter side (keeping the aspect ratio).

    >>> Resize(16)(minitorch.rand(3, 32, 64)).shape
    minitorch.Size([3, 16, 32])
    """

    def __init__(self, size, interpolation=InterpolationMode.BILINEAR, max_size: int | None = None,
                 antialias: bool | None = True):
        if not isinstance(size, (numbers.Integral, Sequence)):
            raise TypeError(f"Size should be int or sequence. Got {type(size)}")
        if isinstance(size, Sequence) and len(size) not in (1, 2):
            raise ValueError("If size is a sequence, it should have 1 or 2 values")
        self.size = size
        self.interpolation = F._as_mode(interpolation)
        self.max_size = max_size
        self.antialias = antialias

    def __call__(self, img):
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    def __repr__(self) -> str:
        return (f"{self.__class__.__name__}(size={self.size}, interpolation={self.interpolation.value}, "
                f"max_size={self.max_size}, antialias={self.antialias})")


class CenterCrop:
    """Cut out the centred ``size`` window (int or (h, w)); pads with 0 if the image is smaller.

    >>> CenterCrop(2)(minitorch.rand(3, 5, 5)).shape
    minitorch.Size([3, 2, 2])
    """

    def __init__(self, size):
        self.size = F._setup_size(size)  # (n, n) for a number; a given (h, w) is kept as it is

    def __call__(self, img):
        return F.center_crop(img, self.size)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(size={self.size})"


class Pad:
    """Pad the borders: ``padding`` is an int, (left/right, top/bottom) or (left, top, right, bottom).

    >>> Pad((1, 2))(minitorch.ones(1, 2, 2)).shape
    minitorch.Size([1, 6, 4])
    """

    def __init__(self, padding, fill=0, padding_mode: str = "constant"):
        if not isinstance(padding, (numbers.Number, tuple, list)):
            raise TypeError("Got inappropriate padding arg")
        if not isinstance(fill, (numbers.Number, tuple, list)):
            raise TypeError("Got inappropriate fill arg")
        if padding_mode not in F._PAD_MODES:
            raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
        if isinstance(padding, Sequence) and len(padding) not in (1, 2, 4):
            raise ValueError(
                f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple"
            )
        self.padding = padding
        self.fill = fill
        self.padding_mode = padding_mode

    def __call__(self, img):
        return F.pad(img, self.padding, self.fill, self.padding_mode)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(padding={self.padding}, fill={self.fill}, padding_mode={self.padding_mode})"


class RandomCrop:
    """Cut out a ``size`` window at a random position, after optional ``padding``.

    ``pad_if_needed`` pads an image smaller than ``size`` so a window fits;
    ``fill``/``padding_mode`` as in ``F.pad`` (checked there, when padding happens, as in torchvision). The position is drawn with
    ``minitorch.randint``: top in [0, H - h], left in [0, W - w].

    >>> _ = minitorch.manual_seed(0)
    >>> RandomCrop(28, padding=4)(minitorch.rand(1, 28, 28)).shape
    minitorch.Size([1, 28, 28])
    """

    def __init__(self, size, padding=None, pad_if_needed: bool = False, fill=0, padding_mode: str = "constant"):
        self.size = tuple(F._setup_size(size))
        self.padding = padding
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        self.padding_mode = padding_mode

    @staticmethod
    def get_params(img, output_size: tuple[int, int]) -> tuple[int, int, int, int]:
        """A random window ``(top, left, height, width)`` of ``output_size`` inside ``img``."""
        _, h, w = F.get_dimensions(img)
        th, tw = output_size
        if h < th or w < tw:
            raise ValueError(f"Required crop size {(th, tw)} is larger than input image size {(h, w)}")
        if w == tw and h == th:
            return 0, 0, h, w
        top = int(randint(0, h - th + 1, size=(1,)).item())
        left = int(randint(0, w - tw + 1, size=(1,)).item())
        return top, left, th, tw

    def __call__(self, img):
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        _, height, width = F.get_dimensions(img)
        # Too small for the window: pad both sides by the shortfall (as torchvision does).
        if self.pad_if_needed and width < self.size[1]:
            img = F.pad(img, [self.size[1] - width, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and height < self.size[0]:
            img = F.pad(img, [0, self.size[0] - height], self.fill, self.padding_mode)
        top, left, h, w = self.get_params(img, self.size)
        return F.crop(img, top, left, h, w)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip:
    """Mirror left to right with probability ``p`` (one ``minitorch.rand(1)`` draw per call).

    >>> RandomHorizontalFlip(p=1.0)(minitorch.tensor([[[1., 2.]]])).tolist()
    [[[2.0, 1.0]]]
    """

    def __init__(self, p: float = 0.5):
        self.p = p

    def __call__(self, img):
        if rand(1).item() < self.p:
            return F.hflip(img)
        return img

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(p={self.p})"


class RandomVerticalFlip(RandomHorizontalFlip):
    """Mirror top to bottom with probability ``p``."""

    def __call__(self, img):
        if rand(1).item() < self.p:
            return F.vflip(img)
        return img


class Lambda:
    """Wrap any function of one image as a transform.

    >>> Lambda(lambda x: x * 2)(minitorch.ones(1)).item()
    2.0
    """

    def __init__(self, lambd: Callable):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {repr(type(lambd).__name__)}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()"
