"""``ImageFolder``: a labelled dataset from a folder with one sub-folder per class.

    root/cat/001.png
    root/cat/nice_cat.jpg
    root/dog/xyz.png

Classes are the sub-folder names, sorted (``cat`` -> 0, ``dog`` -> 1); samples
are every image file below them, walked in sorted order so the indices never
depend on the file system.

>>> ds = ImageFolder("pets", transform=transforms.ToTensor())  # doctest: +SKIP
>>> ds.classes, ds.class_to_idx
(['cat', 'dog'], {'cat': 0, 'dog': 1})
"""

from __future__ import annotations

import os
from collections.abc import Callable

from .. import _pil
from .vision import VisionDataset

IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")


def has_file_allowed_extension(filename: str, extensions: str | tuple[str, ...]) -> bool:
    return filename.lower().endswith(extensions if isinstance(extensions, str) else tuple(extensions))


def is_image_file(filename: str) -> bool:
    return has_file_allowed_extension(filename, IMG_EXTENSIONS)


def find_classes(directory: str) -> tuple[list[str], dict[str, int]]:
    """The sorted sub-folder names of ``directory`` and their indices."""
    classes = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
    if not classes:
        raise FileNotFoundError(f"Couldn't find any class folder in {directory}.")
    return classes, {name: i for i, name in enumerate(classes)}


def make_dataset(directory: str, class_to_idx: dict[str, int], extensions=None,
                 is_valid_file: Callable[[str], bool] | None = None, allow_empty: bool = False):
    """``[(path, class_index), ...]`` for every valid file under each class folder, in sorted order."""
    if (extensions is None) == (is_valid_file is None):
        raise ValueError("Both extensions and is_valid_file cannot be None or not None at the same time")
    if is_valid_file is None:
        is_valid_file = lambda path: has_file_allowed_extension(path, extensions)  # noqa: E731
    directory = os.path.expanduser(directory)
    samples, found = [], set()
    for name in sorted(class_to_idx):
        class_dir = os.path.join(directory, name)
        if not os.path.isdir(class_dir):
            continue
        for folder, _, fnames in sorted(os.walk(class_dir, followlinks=True)):
            for fname in sorted(fnames):
                path = os.path.join(folder, fname)
                if is_valid_file(path):
                    samples.append((path, class_to_idx[name]))
                    found.add(name)
    empty = set(class_to_idx) - found
    if empty and not allow_empty:
        message = f"Found no valid file for the classes {', '.join(sorted(empty))}. "
        if extensions is not None:
            listed = extensions if isinstance(extensions, str) else ", ".join(extensions)
            message += f"Supported extensions are: {listed}"
        raise FileNotFoundError(message)
    return samples


def pil_loader(path: str):
    """Open an image file with Pillow as RGB."""
    Image = _pil.require_pil("ImageFolder's default loader")
    with open(path, "rb") as f:
        return Image.open(f).convert("RGB")


def default_loader(path: str):
    return pil_loader(path)


class DatasetFolder(VisionDataset):
    """Samples ``root/<class>/**/<file>`` read with ``loader``; kept if ``is_valid_file(path)``
    (or if the name ends with one of ``extensions``)."""

    def __init__(self, root: str, loader: Callable, extensions=None, transform: Callable | None = None,
                 target_transform: Callable | None = None, is_valid_file: Callable | None = None,
                 allow_empty: bool = False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.classes, self.class_to_idx = self.find_classes(self.root)
        self.samples = make_dataset(self.root, self.class_to_idx, extensions, is_valid_file, allow_empty)
        self.loader = loader
        self.extensions = extensions
        self.targets = [target for _, target in self.samples]

    @staticmethod
    def find_classes(directory: str) -> tuple[list[str], dict[str, int]]:
        return find_classes(directory)

    def __getitem__(self, index: int):
        path, target = self.samples[index]
        return self._apply_transforms(self.loader(path), target)

    def __len__(self) -> int:
        return len(self.samples)


class ImageFolder(DatasetFolder):
    """Images in ``root/<class>/...`` as ``(image, class_index)``; needs Pillow for the default loader.

    Attributes: ``classes`` (sorted folder names), ``class_to_idx``,
    ``samples`` / ``imgs`` (``[(path, class_index), ...]``) and ``targets``.

    >>> ImageFolder("pets")[0]  # doctest: +SKIP
    (<PIL.Image.Image image mode=RGB size=32x32>, 0)
    """

    def __init__(self, root: str, transform: Callable | None = None, target_transform: Callable | None = None,
                 loader: Callable = default_loader, is_valid_file: Callable | None = None,
                 allow_empty: bool = False):
        if loader is default_loader:
            _pil.require_pil("ImageFolder")
        super().__init__(root, loader, IMG_EXTENSIONS if is_valid_file is None else None, transform=transform,
                         target_transform=target_transform, is_valid_file=is_valid_file, allow_empty=allow_empty)
        self.imgs = self.samples
