"""DLPack exchange: ``from_dlpack`` takes any array that speaks DLPack, zero-copy.

DLPack is the common format in which array libraries hand each other a
pointer to their memory plus its shape, strides, dtype and device. Exporting
is ``Tensor.__dlpack__`` / ``__dlpack_device__`` (NumPy's or CuPy's, since a
tensor's numbers are one of their arrays); importing is ``from_dlpack``.
"""

from __future__ import annotations

import numpy as np

from .._backend import CPU, as_device
from .._tensor import Tensor, _wrap

_KDLCPU, _KDLCUDA = 1, 2  # DLPack's device type codes


def from_dlpack(ext) -> Tensor:
    """A tensor sharing memory with ``ext`` (a NumPy/CuPy array, a PyTorch tensor, a DLPack capsule ...).

    >>> t = from_dlpack(np.arange(3.0))   # no copy: writing to t changes the array
    """
    if isinstance(ext, Tensor):
        return ext
    if type(ext).__name__ == "PyCapsule":  # the older exchange: a capsule from e.g. torch.utils.dlpack.to_dlpack
        return _from_capsule(ext)
    if not hasattr(ext, "__dlpack_device__"):
        raise TypeError(f"from_dlpack: {type(ext).__name__} does not implement the DLPack protocol")
    dev_type, dev_id = ext.__dlpack_device__()
    if int(dev_type) == _KDLCPU:
        return _wrap(np.from_dlpack(ext), CPU)
    if int(dev_type) == _KDLCUDA:
        d = as_device(f"cuda:{dev_id}")
        return _wrap(d.xp.from_dlpack(ext), d)
    raise RuntimeError(f"from_dlpack: unsupported DLPack device type {dev_type}")


class _Capsule:
    """A bare DLPack capsule dressed in the protocol ``numpy.from_dlpack`` reads (it says: CPU)."""

    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack__(self, **kwargs):
        return self.capsule

    def __dlpack_device__(self):
        return (_KDLCPU, 0)


def _from_capsule(capsule) -> Tensor:
    try:
        return _wrap(np.from_dlpack(_Capsule(capsule)), CPU)
    except BufferError:  # NumPy refuses memory that is not on the CPU: a GPU capsule, for CuPy
        arr = as_device("cuda").xp.from_dlpack(capsule)
        return _wrap(arr, as_device(f"cuda:{arr.device.id}"))
