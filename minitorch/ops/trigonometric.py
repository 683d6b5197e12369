"""Inverse and hyperbolic trigonometric functions, atan2, hypot and angle conversions."""

from __future__ import annotations

#: Top-level names (``minitorch.asin``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = []
#: Tensor methods (``x.asin()``, ``x.asin_()``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = []
