"""The CuPy backend: arrays in GPU memory.

The backend is written against an *array module* ``xp`` with CuPy's API, so
the same class runs with real CuPy on a GPU and, in the tests, with a
NumPy-backed stand-in that imitates CuPy (and refuses to mix its arrays with
NumPy's, so a forgotten host round trip fails a test on a machine without a
GPU). Imported only when a CUDA device is used.
"""

from __future__ import annotations

import numpy as np


def _cupy():
    try:
        import cupy
    except Exception:
        return None
    return cupy


def device_count() -> int:
    cupy = _cupy()
    if cupy is None:
        return 0
    try:
        return cupy.cuda.runtime.getDeviceCount()
    except Exception:
        return 0


def is_available() -> bool:
    """True when CuPy imports and sees at least one GPU."""
    return device_count() > 0


class CupyBackend:
    """Backend for ``device("cuda:N")`` over the array module ``xp`` (CuPy or its stand-in)."""

    name = "cuda"

    def __init__(self, xp, index: int = 0):
        self.xp = xp
        self.index = index

    def _use(self):
        """Make this backend's GPU the current one (a no-op for the stand-in)."""
        dev = getattr(getattr(self.xp, "cuda", None), "Device", None)
        return dev(self.index) if dev is not None else _Null()

    def is_array(self, x) -> bool:
        return isinstance(x, self.xp.ndarray)

    def asarray(self, data, dtype=None):
        with self._use():
            return self.xp.asarray(data, dtype=dtype)

    def from_host(self, arr: np.ndarray, copy: bool = False, non_blocking: bool = False):
        """Copy a host NumPy array to the GPU (the one host-to-device transfer).

        With ``non_blocking`` the copy is queued on the current CUDA stream and
        returns at once; it overlaps with other work when ``arr`` is in pinned
        memory (``DataLoader(pin_memory=True)``), and CuPy falls back to a
        synchronous copy when it is not.
        """
        with self._use():
            cuda = getattr(self.xp, "cuda", None)
            if non_blocking and cuda is not None and hasattr(cuda, "get_current_stream"):
                out = self.xp.empty(arr.shape, dtype=arr.dtype)
                out.set(np.ascontiguousarray(arr), stream=cuda.get_current_stream())
                return out
            return self.xp.asarray(arr)

    def to_host(self, arr) -> np.ndarray:
        """Copy to a host NumPy array (used by .cpu(), .numpy(), .item(), printing, save)."""
        return self.xp.asnumpy(arr)

    def index_add(self, out, index, values) -> None:
        """``out[index] += values`` with repeated indices accumulating (cupyx.scatter_add)."""
        scatter_add = getattr(self.xp, "_scatter_add", None)
        if scatter_add is not None:  # the stand-in
            scatter_add(out, index, values)
            return
        import cupyx

        cupyx.scatter_add(out, index, values)

    def pin_memory(self, arr: np.ndarray) -> np.ndarray:
        """A copy of host array ``arr`` in page-locked ("pinned") host memory (``cupyx.empty_pinned``).

        The GPU reads pinned memory directly (DMA), so copies from it are faster
        and can run asynchronously; the DataLoader pins batches with
        ``pin_memory=True``.
        """
        empty_pinned = getattr(self.xp, "_empty_pinned", None)  # the stand-in
        if empty_pinned is None:
            import cupyx

            empty_pinned = cupyx.empty_pinned
        out = empty_pinned(arr.shape, dtype=arr.dtype)
        out[...] = arr
        return out

    def synchronize(self) -> None:
        cuda = getattr(self.xp, "cuda", None)
        if cuda is not None:
            cuda.Device(self.index).synchronize()


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


_backends: dict = {}


def get(d):
    """The backend of CUDA device ``d``; a clear error without CuPy or a GPU."""
    if not is_available():
        raise RuntimeError(
            f"Cannot use device '{d}': CUDA is not available (minitorch.cuda.is_available() is False). "
            "Install the 'cuda' extra (pip install 'minitorch[cuda]', which brings CuPy) on a machine with an "
            "NVIDIA GPU, or keep tensors on 'cpu'."
        )
    index = d.index or 0
    if index >= device_count():
        raise RuntimeError(f"CUDA error: invalid device ordinal (device '{d}', {device_count()} GPU(s) visible)")
    if index not in _backends:
        _backends[index] = CupyBackend(_cupy(), index)
    return _backends[index]
