"""The NumPy backend: arrays live in host memory.

A backend is the one small interface the ops use for everything that is
not a plain array method: the array module ``xp``, conversion from and to
host NumPy arrays, and the few operations where NumPy and CuPy differ.
"""

from __future__ import annotations

import numpy as np


class NumpyBackend:
    """Backend for ``device("cpu")``."""

    name = "cpu"
    xp = np

    def is_array(self, x) -> bool:
        return isinstance(x, np.ndarray)

    def asarray(self, data, dtype=None):
        """An array of this backend from host data (lists, scalars, NumPy arrays)."""
        return np.asarray(data, dtype=dtype)

    def from_host(self, arr: np.ndarray, copy: bool = False, non_blocking: bool = False):
        """Move a host NumPy array onto this device (no copy on the CPU unless asked)."""
        return np.array(arr, copy=True) if copy else arr

    def to_host(self, arr) -> np.ndarray:
        """The numbers of ``arr`` as a host NumPy array (a view on the CPU)."""
        return arr

    def index_add(self, out, index, values) -> None:
        """``out[index] += values`` where repeated indices accumulate (np.add.at)."""
        np.add.at(out, index, values)

    def pin_memory(self, arr: np.ndarray) -> np.ndarray:
        """Page-locked host memory only matters for copies to a GPU: the array itself."""
        return arr

    def synchronize(self) -> None:
        """Wait for queued work (nothing to wait for on the CPU)."""


NUMPY = NumpyBackend()
