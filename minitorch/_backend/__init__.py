"""Backends: the only place that knows which array library holds the numbers.

``get_backend(device)`` maps a device to its backend object; ops reach it as
``tensor.device.backend`` (or ``tensor.device.xp`` for the array module).
A new backend (CuPy) registers itself here without touching the ops.
"""

from __future__ import annotations

from .device import CPU, as_device, device
from .numpy_backend import NUMPY, NumpyBackend

_BACKENDS = {"cpu": lambda d: NUMPY}


def register_backend(device_type: str, factory) -> None:
    """Register ``factory(device) -> backend`` for a device type such as "cuda"."""
    from .device import _extra_types  # (``from . import device`` would give the class, not the module)

    if device_type not in ("cpu", "cuda"):
        _extra_types.add(device_type)
    _BACKENDS[device_type] = factory


def get_backend(d: device):
    """The backend of device ``d``; a clear error when it is not available."""
    try:
        factory = _BACKENDS[d.type]
    except KeyError:
        raise RuntimeError(f"no backend is registered for device type '{d.type}'") from None
    return factory(d)


def _cuda_factory(d: device):
    from . import cupy_backend

    return cupy_backend.get(d)


_BACKENDS["cuda"] = _cuda_factory

__all__ = ["CPU", "NUMPY", "NumpyBackend", "as_device", "device", "get_backend", "register_backend"]
