"""The torchvision-like part of minitorch: image ``transforms`` and ``datasets``.

>>> from minitorch.vision import datasets, transforms
>>> digits = datasets.Digits(train=True)
"""

from . import datasets, models, transforms

__all__ = ["datasets", "models", "transforms"]
