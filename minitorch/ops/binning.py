"""Counting and binning: bincount, histc, bucketize, searchsorted."""

from __future__ import annotations

#: Top-level names (``minitorch.bincount``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = []
#: Tensor methods (``x.bincount()``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = []
