"""``VisionDataset``: what every image dataset shares (root folder, transforms, a readable repr).

A map-style dataset is just an object with ``__getitem__(index)`` returning one
sample and ``__len__()``; a DataLoader needs nothing more. ``VisionDataset``
subclasses ``minitorch.utils.data.Dataset`` (as torchvision's does torch's), so
``ds1 + ds2`` concatenates.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ...utils.data import Dataset


class VisionDataset(Dataset):
    """Base class: stores ``root``, ``transform`` (for the image) and ``target_transform`` (for the label).

    >>> class Squares(VisionDataset):
    ...     def __getitem__(self, i): return i * i, i
    ...     def __len__(self): return 10
    """

    _repr_indent = 4

    def __init__(self, root: str | os.PathLike | None = None, transform: Callable | None = None,
                 target_transform: Callable | None = None):
        self.root = os.path.expanduser(root) if isinstance(root, (str, os.PathLike)) else root
        self.transform = transform
        self.target_transform = target_transform

    def _apply_transforms(self, img, target):
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __getitem__(self, index: int):
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = [f"Number of datapoints: {len(self)}"]
        if self.root is not None:
            lines.append(f"Root location: {self.root}")
        lines += [line for line in self.extra_repr().splitlines() if line]
        for name, t in (("Transform", self.transform), ("Target transform", self.target_transform)):
            if t is not None:
                text = repr(t).splitlines()
                lines.append(f"{name}: {text[0]}")
                lines += [" " * (len(name) + 2) + line for line in text[1:]]
        pad = " " * self._repr_indent
        return "\n".join([f"Dataset {self.__class__.__name__}"] + [pad + line for line in lines])


def dataset_not_found(name: str, folder: str, files: list[str]) -> RuntimeError:
    """The error raised when a dataset's files are missing and ``download=False``."""
    return RuntimeError(f"{name}: Dataset not found at {folder}. Expected files: {', '.join(files)}; "
                        "use download=True or copy them there.")
