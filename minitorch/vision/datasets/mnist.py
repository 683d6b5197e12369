"""MNIST and Fashion-MNIST, read from the IDX files that Yann LeCun's site (and its mirrors) publish.

An IDX file is a tiny header followed by raw numbers:

    bytes 0-1   zero
    byte  2     the type of the numbers (0x08 = uint8, 0x09 = int8, 0x0B = int16,
                0x0C = int32, 0x0D = float32, 0x0E = float64), big-endian
    byte  3     the number of dimensions n
    4 * n bytes each dimension's size, as big-endian uint32
    the rest    the numbers, row-major

Images: ``train-images-idx3-ubyte`` holds a (60000, 28, 28) uint8 array;
labels: ``train-labels-idx1-ubyte`` a (60000,) uint8 array. Files may be gzipped.

>>> train = MNIST("data", train=True, download=True)  # doctest: +SKIP
>>> img, label = train[0]  # a 28x28 PIL image (mode "L") and an int
"""

from __future__ import annotations

import gzip
import os
import struct
import urllib.error
from collections.abc import Callable

import numpy as np

from ..._tensor import _wrap
from .. import _pil
from .utils import download_and_extract_archive
from .vision import VisionDataset, dataset_not_found

_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _read_bytes(path: str) -> bytes:
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            return f.read()
    except (OSError, EOFError) as error:  # gzip raises these for truncated or non-gzip data
        raise RuntimeError(f"Corrupt IDX file {path}: cannot read it ({error})") from None


def read_idx(path: str) -> np.ndarray:
    """The array stored in an IDX file (gzipped or not), with clear errors for a corrupt file."""
    raw = _read_bytes(path)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise RuntimeError(f"Corrupt IDX file {path}: bad magic number {raw[:4].hex() or '(empty file)'} "
                           "(expected 00 00 <type 08-0e> <ndim>)")
    dtype, ndim = np.dtype(_IDX_TYPES[raw[2]]), raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise RuntimeError(f"Corrupt IDX file {path}: truncated header ({len(raw)} bytes, expected {header})")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) - header != expected:
        raise RuntimeError(f"Corrupt IDX file {path}: header says shape {shape} ({expected} bytes of data) "
                           f"but the file holds {len(raw) - header} bytes of data (truncated?)")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


class MNIST(VisionDataset):
    """The MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28 grayscale.

    Files are read from ``root/MNIST/raw/`` (``train-images-idx3-ubyte`` etc.,
    gzipped or not), torchvision's layout. Items are ``(image, label)`` with a
    PIL image (mode "L") when Pillow is installed, else a 28x28 uint8 ndarray.
    ``data`` is a uint8 tensor (N, 28, 28), ``targets`` an int64 tensor (N,).

    >>> ds = MNIST("data", train=False, transform=transforms.ToTensor())  # doctest: +SKIP
    >>> ds[0][0].shape
    minitorch.Size([1, 28, 28])
    """

    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
               "8 - eight", "9 - nine"]

    def __init__(self, root: str, train: bool = True, transform: Callable | None = None,
                 target_transform: Callable | None = None, download: bool = False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        if not self._check_exists():
            raise dataset_not_found(type(self).__name__, self.raw_folder, self._expected_files())
        self.data, self.targets = self._load_data()

    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, self.__class__.__name__, "raw")

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.classes)}

    def _split_files(self) -> list[str]:
        prefix = "train" if self.train else "t10k"
        return [f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte"]

    def _expected_files(self) -> list[str]:
        return [f"{name}[.gz]" for name in self._split_files()]

    def _find(self, name: str) -> str | None:
        """The path of ``name`` in the raw folder, plain or gzipped; None when neither is there."""
        for candidate in (name, name + ".gz"):
            path = os.path.join(self.raw_folder, candidate)
            if os.path.isfile(path):
                return path
        return None

    def _check_exists(self) -> bool:
        return all(self._find(name) is not None for name in self._split_files())

    def _load_data(self):
        image_file, label_file = (self._find(name) for name in self._split_files())
        images, labels = read_idx(image_file), read_idx(label_file)
        if images.dtype != np.uint8 or images.ndim != 3:
            raise RuntimeError(f"Corrupt IDX file {image_file}: expected a 3-d uint8 array of images, "
                               f"got {images.ndim}-d {images.dtype}")
        if labels.dtype != np.uint8 or labels.ndim != 1:
            raise RuntimeError(f"Corrupt IDX file {label_file}: expected a 1-d uint8 array of labels, "
                               f"got {labels.ndim}-d {labels.dtype}")
        if len(images) != len(labels):
            raise RuntimeError(f"{type(self).__name__}: {image_file} holds {len(images)} images but "
                               f"{label_file} holds {len(labels)} labels")
        return _wrap(np.ascontiguousarray(images)), _wrap(labels.astype(np.int64))

    def download(self) -> None:
        """Download the four files (trying each mirror in turn), check their MD5 and gunzip them."""
        if all(self._find(os.path.splitext(name)[0]) for name, _ in self.resources):
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        for filename, md5 in self.resources:
            for mirror in self.mirrors:
                url = f"{mirror}{filename}"
                try:
                    download_and_extract_archive(url, download_root=self.raw_folder, filename=filename, md5=md5)
                except urllib.error.URLError as error:
                    print(f"Failed to download (trying next):\n{error}")
                    continue
                break
            else:
                raise RuntimeError(f"Error downloading {filename} from any of {self.mirrors}")

    def __getitem__(self, index: int):
        img, target = self.data.numpy()[index], int(self.targets.numpy()[index])
        if _pil.has_pil():
            img = _pil.Image.fromarray(img, mode="L")
        return self._apply_transforms(img, target)

    def __len__(self) -> int:
        return len(self.data)

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train else 'Test'}"


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: 28x28 grayscale clothing images in 10 classes, same format as MNIST.

    Files are read from ``root/FashionMNIST/raw/``.

    >>> FashionMNIST("data", train=False, download=True).classes[9]  # doctest: +SKIP
    'Ankle boot'
    """

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]
