"""Padding layers: ZeroPad, ConstantPad, ReflectionPad, ReplicationPad and CircularPad, in 1-D, 2-D and 3-D.

Each stores ``padding`` as a tuple (left, right[, top, bottom[, front, back]]), from the last dim backwards,
and calls ``F.pad`` with its mode. The reprs match PyTorch's.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..._tensor import Tensor
from .. import functional as F
from ..module import Module

__all__ = ["CircularPad1d", "CircularPad2d", "CircularPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
           "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
           "ReplicationPad3d", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d"]


def _ntuple(value, n: int) -> tuple:
    """An int repeated n times, or the given sequence as a tuple (as torch.nn.modules.utils._ntuple)."""
    return tuple(value) if isinstance(value, Iterable) else (value,) * n


class _PadNd(Module):
    """Pads the last ``_dims`` dims of the input with ``F.pad(input, padding, mode)``."""

    mode = "constant"
    _dims = 1

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _ntuple(padding, 2 * self._dims)

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _CircularPadNd(_PadNd):
    mode = "circular"

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in (self._dims + 1, self._dims + 2):
            raise ValueError(f"expected {self._dims + 1}D or {self._dims + 2}D input (got {input.ndim}D input)")
        return super().forward(input)


class CircularPad1d(_CircularPadNd):
    """Pad the last dim by wrapping around: ``padding`` = int or (left, right)."""


class CircularPad2d(_CircularPadNd):
    """Pad the last 2 dims by wrapping around: ``padding`` = int or (left, right, top, bottom)."""

    _dims = 2


class CircularPad3d(_CircularPadNd):
    """Pad the last 3 dims by wrapping around: ``padding`` = int or a 6-tuple."""

    _dims = 3


class _ReflectionPadNd(_PadNd):
    mode = "reflect"


class ReflectionPad1d(_ReflectionPadNd):
    """Pad the last dim with its mirror image (the edge not repeated)."""


class ReflectionPad2d(_ReflectionPadNd):
    """Pad the last 2 dims with their mirror image (the edge not repeated)."""

    _dims = 2


class ReflectionPad3d(_ReflectionPadNd):
    """Pad the last 3 dims with their mirror image (the edge not repeated)."""

    _dims = 3


class _ReplicationPadNd(_PadNd):
    mode = "replicate"


class ReplicationPad1d(_ReplicationPadNd):
    """Pad the last dim by repeating its edge value."""


class ReplicationPad2d(_ReplicationPadNd):
    """Pad the last 2 dims by repeating their edge values."""

    _dims = 2


class ReplicationPad3d(_ReplicationPadNd):
    """Pad the last 3 dims by repeating their edge values."""

    _dims = 3


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with ``value``.

    >>> nn.ConstantPad1d(2, 3.5)
    ConstantPad1d(padding=(2, 2), value=3.5)
    """


class ConstantPad2d(_ConstantPadNd):
    """Pad the last 2 dims with ``value``."""

    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pad the last 3 dims with ``value``."""

    _dims = 3


class _ZeroPad:
    """Mixin: a ConstantPad with value 0.0 whose repr shows only the padding."""

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPad, ConstantPad1d):
    """Pad the last dim with zeros."""


class ZeroPad2d(_ZeroPad, ConstantPad2d):
    """Pad the last 2 dims with zeros (left, right, top, bottom)."""


class ZeroPad3d(_ZeroPad, ConstantPad3d):
    """Pad the last 3 dims with zeros."""
