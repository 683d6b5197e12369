"""The torchvision-like part of minitorch: image ``transforms`` and ``datasets``.

>>> from minitorch.vision import datasets, transforms
>>> digits = datasets.Digits(train=True)
"""

from . import datasets, transforms

__all__ = ["datasets", "transforms"]
