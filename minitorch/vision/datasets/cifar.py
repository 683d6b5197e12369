"""CIFAR-10, read from the "python version" batches (``cifar-10-batches-py``).

Each batch file is a Python pickle of a dict: ``data`` is a (10000, 3072) uint8
array (per image, 1024 red values then 1024 green then 1024 blue, row-major
32x32), ``labels`` a list of ints; ``batches.meta`` holds ``label_names``.

Unpickling can run arbitrary code (a pickle may name any function to call), so
these files are read with ``_RestrictedUnpickler``: it only lets through the few
NumPy names that rebuild an array and refuses everything else.

>>> train = CIFAR10("data", train=True, download=True)  # doctest: +SKIP
>>> img, label = train[0]  # a 32x32 RGB PIL image and an int
"""

from __future__ import annotations

import codecs
import importlib
import os
import pickle
from collections.abc import Callable

import numpy as np

from .. import _pil
from .utils import check_integrity, download_and_extract_archive
from .vision import VisionDataset, dataset_not_found


def _latin1_encode(text, encoding="latin1", errors="strict"):
    """Protocol-2 pickles store ``bytes`` as ``_codecs.encode(text, "latin1")``; allow exactly that call."""
    if not isinstance(text, str) or codecs.lookup(encoding).name != "iso8859-1":
        raise pickle.UnpicklingError(f"_codecs.encode is only allowed with latin1 text, got encoding {encoding!r}")
    return codecs.encode(text, "latin1", errors)


def _numpy_core(module: str, name: str):
    """``numpy._core.<module>.<name>`` (NumPy 2), or ``numpy.core`` on NumPy 1."""
    try:
        core = importlib.import_module(f"numpy._core.{module}")
    except ImportError:
        core = importlib.import_module(f"numpy.core.{module}")
    return getattr(core, name)


# The globals a CIFAR batch needs: rebuilding a NumPy array, and bytes in protocol-2 pickles.
# Pickles written by NumPy 1 name numpy.core, those by NumPy 2 numpy._core: both mean the same function.
_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"): lambda: _numpy_core("multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"): lambda: _numpy_core("multiarray", "_reconstruct"),
    ("numpy.core.numeric", "_frombuffer"): lambda: _numpy_core("numeric", "_frombuffer"),
    ("numpy._core.numeric", "_frombuffer"): lambda: _numpy_core("numeric", "_frombuffer"),
    ("numpy", "ndarray"): lambda: np.ndarray,
    ("numpy", "dtype"): lambda: np.dtype,
    ("_codecs", "encode"): lambda: _latin1_encode,
}


class _RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that builds only plain data (dict, list, str, bytes, int, float) and NumPy arrays."""

    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]()
        raise pickle.UnpicklingError(f"it asks for {module}.{name}, which is not allowed "
                                     "(only plain data and NumPy arrays may be loaded)")


def load_pickle(path: str) -> dict:
    """Safely unpickle a CIFAR batch; RuntimeError naming the file if it is corrupt or not allowed."""
    try:
        with open(path, "rb") as f:
            # latin1 turns Python 2 ``str`` (the original files) into text without losing bytes.
            obj = _RestrictedUnpickler(f, encoding="latin1").load()
    except OSError:
        raise
    except Exception as error:  # any failure inside the unpickler means a bad file: say which one
        raise RuntimeError(f"Corrupt or unsafe CIFAR file {path}: {error}") from None
    if not isinstance(obj, dict):
        raise RuntimeError(f"Corrupt CIFAR file {path}: expected a dict, got {type(obj).__name__}")
    # Python 3 writers use bytes keys (b"data"), the originals str keys: accept both.
    return {k.decode("latin1") if isinstance(k, bytes) else k: v for k, v in obj.items()}


def _entry(batch: dict, key: str, path: str):
    if key not in batch:
        raise RuntimeError(f"Corrupt CIFAR file {path}: no '{key}' entry (found {sorted(map(str, batch))})")
    return batch[key]


class CIFAR10(VisionDataset):
    """CIFAR-10: 50,000 training and 10,000 test 32x32 colour images in 10 classes.

    Reads ``root/cifar-10-batches-py/`` (``data_batch_1`` .. ``data_batch_5``,
    ``test_batch``, ``batches.meta``). Items are ``(image, label)`` with an RGB
    PIL image when Pillow is installed, else a (32, 32, 3) uint8 ndarray.
    As in torchvision, ``data`` is a NumPy array (N, 32, 32, 3) and ``targets`` a list of ints.
    (The files' MD5 checksums are verified when downloading, not at every load.)

    >>> CIFAR10("data", train=False).classes[:2]  # doctest: +SKIP
    ['airplane', 'automobile']
    """

    base_folder = "cifar-10-batches-py"
    url = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    filename = "cifar-10-python.tar.gz"
    tgz_md5 = "c58f30108f718f92721af3b95e74349a"
    train_list = [
        ["data_batch_1", "c99cafc152244af753f735de768cd75f"],
        ["data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"],
        ["data_batch_3", "54ebc095f3ab1f0389bbae665268c751"],
        ["data_batch_4", "634d18415352ddfa80567beed471001a"],
        ["data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"],
    ]
    test_list = [["test_batch", "40351d587109b95175f43aff81a1287e"]]
    meta = {"filename": "batches.meta", "key": "label_names", "md5": "5ff9c542aee3614f3951f8cda6e48888"}
    labels_key = "labels"

    def __init__(self, root: str, train: bool = True, transform: Callable | None = None,
                 target_transform: Callable | None = None, download: bool = False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        folder = os.path.join(self.root, self.base_folder)
        files = [name for name, _ in (self.train_list if train else self.test_list)] + [self.meta["filename"]]
        if not all(os.path.isfile(os.path.join(folder, name)) for name in files):
            raise dataset_not_found(type(self).__name__, folder, files)
        self.data, self.targets = self._load_batches(folder, files[:-1])
        self._load_meta(os.path.join(folder, self.meta["filename"]))

    def _load_batches(self, folder: str, names: list[str]):
        images, targets = [], []
        for name in names:
            path = os.path.join(folder, name)
            batch = load_pickle(path)
            data = np.asarray(_entry(batch, "data", path))
            labels = list(_entry(batch, self.labels_key, path))
            if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or len(data) != len(labels):
                raise RuntimeError(f"Corrupt CIFAR file {path}: expected uint8 data of shape (N, 3072) and N labels, "
                                   f"got {data.dtype} data of shape {data.shape} and {len(labels)} labels")
            images.append(data)
            targets.extend(int(t) for t in labels)
        # Stored as (N, 3, 32, 32) planes; images are HWC like PIL's: move the channels last.
        data = np.vstack(images).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        return np.ascontiguousarray(data), targets

    def _load_meta(self, path: str) -> None:
        names = _entry(load_pickle(path), self.meta["key"], path)
        self.classes = [n.decode("latin1") if isinstance(n, bytes) else str(n) for n in names]
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}

    def _check_integrity(self) -> bool:
        folder = os.path.join(self.root, self.base_folder)
        return all(check_integrity(os.path.join(folder, name), md5) for name, md5 in self.train_list + self.test_list)

    def download(self) -> None:
        """Download the archive, check its MD5 and extract it into ``root`` (skipped if already verified)."""
        if self._check_integrity():
            print("Files already downloaded and verified")
            return
        download_and_extract_archive(self.url, self.root, filename=self.filename, md5=self.tgz_md5)

    def __getitem__(self, index: int):
        img, target = self.data[index], self.targets[index]
        if _pil.has_pil():
            img = _pil.Image.fromarray(img)
        return self._apply_transforms(img, target)

    def __len__(self) -> int:
        return len(self.data)

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train else 'Test'}"
