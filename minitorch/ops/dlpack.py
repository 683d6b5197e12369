"""DLPack exchange: ``from_dlpack`` takes any array that speaks DLPack, zero-copy."""

from __future__ import annotations

import numpy as np

from .._backend import CPU, as_device
from .._tensor import Tensor, _wrap


def from_dlpack(ext) -> Tensor:
    """A tensor sharing memory with ``ext`` (a NumPy/CuPy array, a PyTorch tensor ...).

    >>> t = from_dlpack(np.arange(3.0))   # no copy
    """
    if isinstance(ext, Tensor):
        return ext
    if not hasattr(ext, "__dlpack_device__"):
        raise TypeError(f"from_dlpack: {type(ext).__name__} does not implement the DLPack protocol")
    dev_type, dev_id = ext.__dlpack_device__()
    if int(dev_type) == 1:  # kDLCPU
        return _wrap(np.from_dlpack(ext), CPU)
    if int(dev_type) == 2:  # kDLCUDA
        d = as_device(f"cuda:{dev_id}")
        return _wrap(d.xp.from_dlpack(ext), d)
    raise RuntimeError(f"from_dlpack: unsupported DLPack device type {dev_type}")
