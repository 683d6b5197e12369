"""Image transforms with torchvision's names and semantics (``torchvision.transforms``).

>>> from minitorch.vision import transforms as T
>>> augment = T.Compose([T.RandomCrop(28, padding=4), T.RandomHorizontalFlip(), T.ToTensor()])

``functional`` holds the function behind each class (``F.resize``, ``F.pad``, ...).
"""

from . import functional
from .functional import InterpolationMode
from .transforms import (
    CenterCrop,
    Compose,
    Lambda,
    Normalize,
    Pad,
    PILToTensor,
    RandomCrop,
    RandomHorizontalFlip,
    RandomVerticalFlip,
    Resize,
    ToPILImage,
    ToTensor,
)

__all__ = [
    "CenterCrop", "Compose", "InterpolationMode", "Lambda", "Normalize", "Pad", "PILToTensor", "RandomCrop",
    "RandomHorizontalFlip", "RandomVerticalFlip", "Resize", "ToPILImage", "ToTensor", "functional",
]
