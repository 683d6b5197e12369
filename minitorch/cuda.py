"""``minitorch.cuda``: is a GPU usable (through CuPy)?"""

from __future__ import annotations

from ._backend import cupy_backend


def is_available() -> bool:
    """True when CuPy is installed and sees a GPU."""
    return cupy_backend.is_available()


def device_count() -> int:
    """Number of visible GPUs (0 without CuPy)."""
    return cupy_backend.device_count()


def manual_seed(seed: int) -> None:
    """Seed CUDA's generator: minitorch draws all random numbers from one host generator, so this seeds it."""
    from ._random import manual_seed as _seed

    _seed(seed)


manual_seed_all = manual_seed


def synchronize(device=None) -> None:
    """Wait for all work queued on ``device`` (default: the current GPU; a no-op without CUDA)."""
    if device is None:
        if not is_available():
            return
        device = "cuda"
    from ._backend import as_device

    as_device(device).backend.synchronize()


def current_device() -> int:
    if not is_available():
        raise RuntimeError("CUDA is not available: minitorch.cuda.current_device() needs a GPU and CuPy")
    import cupy

    return cupy.cuda.Device().id
