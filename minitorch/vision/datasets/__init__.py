"""Datasets with torchvision's names and arguments (``torchvision.datasets``), plus offline built-ins.

Read from standard files: ``MNIST``, ``FashionMNIST`` (IDX files), ``CIFAR10``
(python batches), ``ImageFolder`` (one folder per class). Need no download:
``Digits`` (8x8 handwritten digits shipped with minitorch) and the generated
2-D sets ``Spirals``, ``Moons``, ``Blobs``.

>>> from minitorch.vision import datasets
>>> len(datasets.Digits(train=None))
1797
"""

from .cifar import CIFAR10
from .digits import Digits
from .folder import IMG_EXTENSIONS, DatasetFolder, ImageFolder, default_loader
from .mnist import MNIST, FashionMNIST
from .toy import Blobs, Moons, Spirals
from .vision import VisionDataset

__all__ = [
    "CIFAR10", "IMG_EXTENSIONS", "Blobs", "DatasetFolder", "Digits", "FashionMNIST", "ImageFolder", "MNIST",
    "Moons", "Spirals", "VisionDataset", "default_loader",
]
