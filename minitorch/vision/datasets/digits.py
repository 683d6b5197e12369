"""``Digits``: the UCI 8x8 handwritten digits, shipped inside minitorch (no download needed).

1,797 grayscale images of the digits 0-9 (about 180 per class), each 8x8
pixels with values 0..16 (``data/digits.csv.gz``; licence CC BY 4.0 and
citation in ``data/DIGITS_LICENSE.txt``). Small enough to train a classifier
in seconds, which makes it the dataset of the demo and the tutorials.

>>> train, test = Digits(train=True), Digits(train=False)
>>> len(train), len(test)
(1438, 359)
>>> img, label = train[0]; img.shape
minitorch.Size([1, 8, 8])
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable

import numpy as np

from ..._tensor import _wrap
from .vision import VisionDataset

_DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "digits.csv.gz")
TRAIN_FRACTION = 0.8
SPLIT_SEED = 0


@functools.lru_cache(maxsize=1)
def _load_digits() -> tuple[np.ndarray, np.ndarray]:
    """All 1,797 images as float32 (N, 1, 8, 8) in [0, 1] and labels as int64 (N,), in file order."""
    rows = np.loadtxt(_DATA_FILE, delimiter=",", dtype=np.int64)
    images = (rows[:, :64].reshape(-1, 1, 8, 8) / 16.0).astype(np.float32)  # 0..16 counts -> [0, 1]
    return images, rows[:, 64].copy()


def _train_indices(labels: np.ndarray) -> np.ndarray:
    """A stratified 80/20 split, fixed once and for all: within each class, a permutation drawn with
    seed ``SPLIT_SEED`` puts ``round(0.8 * count)`` images in the training set. Returns sorted indices."""
    rng = np.random.default_rng(SPLIT_SEED)
    chosen = []
    for digit in range(10):
        members = rng.permutation(np.flatnonzero(labels == digit))
        chosen.append(members[: int(round(TRAIN_FRACTION * len(members)))])
    return np.sort(np.concatenate(chosen))


class Digits(VisionDataset):
    """The 8x8 digits as ``(image, label)``: a float32 tensor (1, 8, 8) in [0, 1] (pixel / 16) and an int.

    ``train=True`` gives the training split (1,438 images), ``train=False`` the
    test split (359 images), ``train=None`` all 1,797 in file order. The split
    is stratified (80% of each digit in training) and deterministic: it never
    depends on minitorch's random state. ``transform`` receives the image tensor.
    ``data`` is a float32 tensor (N, 1, 8, 8) holding exactly the images, ``targets`` an int64 tensor.

    >>> from minitorch.utils.data import DataLoader  # doctest: +SKIP
    >>> loader = DataLoader(Digits(), batch_size=64, shuffle=True)  # doctest: +SKIP
    """

    classes = [str(d) for d in range(10)]

    def __init__(self, train: bool | None = True, transform: Callable | None = None,
                 target_transform: Callable | None = None):
        if train is not None and not isinstance(train, bool):
            raise TypeError(f"Digits: train must be True, False or None, got {train!r} (Digits needs no root folder: "
                            "the data ships with minitorch)")
        super().__init__(None, transform=transform, target_transform=target_transform)
        self.train = train
        images, labels = _load_digits()
        if train is not None:
            keep = _train_indices(labels)
            if not train:
                keep = np.setdiff1d(np.arange(len(labels)), keep)
            images, labels = images[keep], labels[keep]
        self._images, self._labels = images, labels
        self.data, self.targets = _wrap(images), _wrap(labels)

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.classes)}

    def __getitem__(self, index: int):
        # A copy, so that an in-place transform cannot change the dataset.
        img, target = _wrap(self._images[index].copy()), int(self._labels[index])
        return self._apply_transforms(img, target)

    def __len__(self) -> int:
        return len(self._labels)

    def extra_repr(self) -> str:
        return f"Split: {'All' if self.train is None else 'Train' if self.train else 'Test'}"
