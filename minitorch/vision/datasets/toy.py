"""Generated 2-D toy datasets for classification: ``Spirals``, ``Moons``, ``Blobs``.

Each draws its points once, from its own NumPy generator seeded with ``seed``
(so the same arguments always give the same points, whatever minitorch's random
state), shuffles them, and serves ``(features, label)`` items: a float32 tensor
of shape (n_features,) and an int. ``data`` (N, n_features) float32 and
``targets`` (N,) int64 hold everything at once, ready for plotting or a
``TensorDataset``.

>>> ds = Moons(n_samples=100, noise=0.1, seed=0)
>>> x, y = ds[0]; x.shape, y in (0, 1)
(minitorch.Size([2]), True)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..._tensor import _wrap
from .vision import VisionDataset


def _class_sizes(n_samples: int, n_classes: int) -> list[int]:
    """Split ``n_samples`` as evenly as possible: the first ``n_samples % n_classes`` classes get one more."""
    if n_samples < 0 or n_classes < 1:
        raise ValueError(f"n_samples must be >= 0 and n_classes >= 1, got n_samples={n_samples}, "
                         f"n_classes={n_classes}")
    base, extra = divmod(n_samples, n_classes)
    return [base + (k < extra) for k in range(n_classes)]


class _ToyDataset(VisionDataset):
    """Shared storage and item access; subclasses implement ``_generate(rng) -> (points, labels)``."""

    def __init__(self, seed: int, transform: Callable | None, target_transform: Callable | None):
        super().__init__(None, transform=transform, target_transform=target_transform)
        self.seed = seed
        rng = np.random.default_rng(seed)
        points, labels = self._generate(rng)
        order = rng.permutation(len(labels))  # shuffle so that classes are mixed in file order too
        self._points = points[order].astype(np.float32)
        self._labels = labels[order].astype(np.int64)
        self.data, self.targets = _wrap(self._points), _wrap(self._labels)

    def _generate(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    @property
    def classes(self) -> list[int]:
        return list(range(self.n_classes))

    def __getitem__(self, index: int):
        point, target = _wrap(self._points[index].copy()), int(self._labels[index])
        return self._apply_transforms(point, target)

    def __len__(self) -> int:
        return len(self._labels)

    def extra_repr(self) -> str:
        return f"Classes: {self.n_classes}\nSeed: {self.seed}"


class Spirals(_ToyDataset):
    """``n_classes`` interleaved spiral arms around the origin (radius 0 to 1), with Gaussian ``noise``.

    Arm k: at parameter t in [0, 1], radius t and angle ``2*pi*k/n_classes + 3*pi*t``
    (one and a half turns). Not linearly separable: a classic first test for an MLP.

    >>> Spirals(n_samples=300, n_classes=3).data.shape
    minitorch.Size([300, 2])
    """

    def __init__(self, n_samples: int = 300, n_classes: int = 2, noise: float = 0.1, seed: int = 0,
                 transform: Callable | None = None, target_transform: Callable | None = None):
        self.n_samples, self.n_classes, self.noise = n_samples, n_classes, noise
        super().__init__(seed, transform, target_transform)

    def _generate(self, rng):
        points, labels = [], []
        for k, size in enumerate(_class_sizes(self.n_samples, self.n_classes)):
            t = np.linspace(0.0, 1.0, size)
            angle = 2 * np.pi * k / self.n_classes + 3 * np.pi * t
            arm = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
            points.append(arm + self.noise * rng.standard_normal(arm.shape))
            labels.append(np.full(size, k))
        return np.concatenate(points), np.concatenate(labels)


class Moons(_ToyDataset):
    """Two interleaving half circles (scikit-learn's ``make_moons``), with Gaussian ``noise``.

    Class 0: (cos a, sin a); class 1: (1 - cos a, 0.5 - sin a), for a in [0, pi].

    >>> sorted(set(Moons(n_samples=10).targets.tolist()))
    [0, 1]
    """

    n_classes = 2

    def __init__(self, n_samples: int = 200, noise: float = 0.1, seed: int = 0,
                 transform: Callable | None = None, target_transform: Callable | None = None):
        self.n_samples, self.noise = n_samples, noise
        super().__init__(seed, transform, target_transform)

    def _generate(self, rng):
        n_outer, n_inner = _class_sizes(self.n_samples, 2)
        a_out, a_in = np.linspace(0, np.pi, n_outer), np.linspace(0, np.pi, n_inner)
        outer = np.stack([np.cos(a_out), np.sin(a_out)], axis=1)
        inner = np.stack([1 - np.cos(a_in), 0.5 - np.sin(a_in)], axis=1)
        points = np.concatenate([outer, inner])
        labels = np.concatenate([np.zeros(n_outer), np.ones(n_inner)])
        return points + self.noise * rng.standard_normal(points.shape), labels


class Blobs(_ToyDataset):
    """Isotropic Gaussian clusters (scikit-learn's ``make_blobs``): one per class.

    Centres are drawn uniformly in ``center_box`` (unless ``centers`` gives
    them, an (n_classes, n_features) array); each point is its centre plus
    ``cluster_std`` times standard normal noise.

    >>> Blobs(n_samples=90, n_classes=3).targets[:5].tolist()
    [0, 1, 0, 0, 1]
    """

    def __init__(self, n_samples: int = 200, n_classes: int = 3, n_features: int = 2, cluster_std: float = 1.0,
                 centers=None, center_box: tuple[float, float] = (-10.0, 10.0), seed: int = 0,
                 transform: Callable | None = None, target_transform: Callable | None = None):
        if centers is not None:
            centers = np.asarray(centers, dtype=np.float64)
            if centers.ndim != 2:
                raise ValueError(f"Blobs: centers must be an (n_classes, n_features) array, got shape {centers.shape}")
            n_classes, n_features = centers.shape
        self.n_samples, self.n_classes, self.n_features = n_samples, n_classes, n_features
        self.cluster_std, self.center_box, self.centers = cluster_std, center_box, centers
        super().__init__(seed, transform, target_transform)

    def _generate(self, rng):
        if self.centers is None:
            low, high = self.center_box
            self.centers = rng.uniform(low, high, size=(self.n_classes, self.n_features))
        points, labels = [], []
        for k, size in enumerate(_class_sizes(self.n_samples, self.n_classes)):
            points.append(self.centers[k] + self.cluster_std * rng.standard_normal((size, self.n_features)))
            labels.append(np.full(size, k))
        return np.concatenate(points), np.concatenate(labels)
