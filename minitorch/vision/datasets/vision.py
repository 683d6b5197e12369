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


class StandardTransform:
    """``transform`` applied to the image and ``target_transform`` to the label, as one callable.

    >>> StandardTransform(lambda x: x * 2, None)(3, "cat")
    (6, 'cat')
    """

    def __init__(self, transform: Callable | None = None, target_transform: Callable | None = None):
        self.transform = transform
        self.target_transform = target_transform

    def __call__(self, input, target):
        if self.transform is not None:
            input = self.transform(input)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return input, target

    @staticmethod
    def _format(transform, head: str) -> list[str]:
        lines = repr(transform).splitlines()
        return [head + lines[0]] + [" " * len(head) + line for line in lines[1:]]

    def __repr__(self) -> str:
        body = [self.__class__.__name__]
        if self.transform is not None:
            body += self._format(self.transform, "Transform: ")
        if self.target_transform is not None:
            body += self._format(self.target_transform, "Target transform: ")
        return "\n".join(body)


class VisionDataset(Dataset):
    """Base class: stores ``root``, ``transform`` (for the image) and ``target_transform`` (for the label).

    ``transforms`` (one callable taking and returning ``(image, target)``) may be given instead of
    the other two; when they are given, ``transforms`` is their ``StandardTransform``.

    >>> class Squares(VisionDataset):
    ...     def __getitem__(self, i): return i * i, i
    ...     def __len__(self): return 10
    """

    _repr_indent = 4

    def __init__(self, root: str | os.PathLike | None = None, transforms: Callable | None = None,
                 transform: Callable | None = None, target_transform: Callable | None = None):
        self.root = os.path.expanduser(root) if isinstance(root, (str, os.PathLike)) else root
        has_separate_transform = transform is not None or target_transform is not None
        if transforms is not None and has_separate_transform:
            raise ValueError("Only transforms or transform/target_transform can be passed as argument")
        self.transform = transform
        self.target_transform = target_transform
        if has_separate_transform:
            transforms = StandardTransform(transform, target_transform)
        self.transforms = transforms

    def _apply_transforms(self, img, target):
        if self.transforms is not None:
            return self.transforms(img, target)
        return img, target

    def __getitem__(self, index: int):
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        # torchvision's layout, including its quirk: only the first line of each body entry is indented, so a
        # multi-line StandardTransform prints "Transform: ..." at the left margin.
        body = [f"Number of datapoints: {len(self)}"]
        if self.root is not None:
            body.append(f"Root location: {self.root}")
        body += self.extra_repr().splitlines()
        if self.transforms is not None:
            body.append(repr(self.transforms))
        pad = " " * self._repr_indent
        return "\n".join([f"Dataset {self.__class__.__name__}"] + [pad + line for line in body])


def dataset_not_found(name: str, folder: str, files: list[str]) -> RuntimeError:
    """The error raised when a dataset's files are missing and ``download=False``."""
    return RuntimeError(f"{name}: Dataset not found at {folder}. Expected files: {', '.join(files)}; "
                        "use download=True or copy them there.")
