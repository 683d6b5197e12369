"""`minitorch.device`: where a tensor's numbers live.

Following Chainer, a device carries its *backend*: the object that knows
which array library (NumPy for "cpu", CuPy for "cuda") holds the numbers.
Ops ask ``tensor.device.xp`` for the array module instead of importing
NumPy themselves, so the same op code runs on every backend.
"""

from __future__ import annotations

import re

_KNOWN_TYPES = ("cpu", "cuda")
_DEVICE_STRING = re.compile(r"[a-zA-Z_]+(:\d+)?|[a-zA-Z_]+:.*")  # "cuda:x" is refused below, with its own text


class device:
    """A device such as ``device("cpu")`` or ``device("cuda:0")``.

    >>> device("cuda:1").index
    1
    """

    __slots__ = ("type", "index", "_backend")

    def __init__(self, type: str | "device", index: int | None = None):
        if isinstance(type, device):
            type, index = type.type, type.index
        if not isinstance(type, str):
            raise TypeError(f"device() expected a string like 'cpu' or 'cuda:0', got {type!r}")
        if not _DEVICE_STRING.fullmatch(type):
            raise RuntimeError(f"Invalid device string: '{type}'")
        if ":" in type:
            if index is not None:
                raise ValueError(f"device(): type {type!r} already has an index; got index={index} too")
            type, _, idx = type.partition(":")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if type not in _KNOWN_TYPES and type not in _extra_types:
            raise RuntimeError(
                f"Expected one of cpu, cuda device type at start of device string: {type}"
            )
        if type == "cpu" and index not in (None, 0):
            raise RuntimeError(f"CPU device index must be 0 or None, got {index}")
        self.type = type
        self.index = index
        self._backend = None

    @property
    def backend(self):
        """The backend object (array module and helpers) of this device."""
        if self._backend is None:
            from . import get_backend
            self._backend = get_backend(self)
        return self._backend

    @property
    def xp(self):
        """The array module: ``numpy`` for cpu, ``cupy`` for cuda."""
        return self.backend.xp

    def __eq__(self, other) -> bool:
        if isinstance(other, str):
            other = device(other)
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and (self.index or 0) == (other.index or 0)

    def __hash__(self) -> int:
        return hash((self.type, self.index or 0))

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __reduce__(self):
        return (device, (str(self),))


# Device types registered by extra backends (the test-only stand-in for CuPy).
_extra_types: set[str] = set()

CPU = device("cpu")


def as_device(d) -> device:
    """Where a tensor goes, from a device, a string such as "cuda:0", an int (a CUDA index) or None (cpu)."""
    if d is None:
        return CPU
    if isinstance(d, device) and (d.type == "cpu" or d.index is not None):
        return d
    if isinstance(d, int):
        return device("cuda", d)
    if isinstance(d, str) and d == "cpu":
        return CPU
    d = device(d)
    # A tensor is always on a numbered GPU: "cuda" means the current one, cuda:0 (as PyTorch prints it).
    return device(d.type, 0) if d.type != "cpu" and d.index is None else d
