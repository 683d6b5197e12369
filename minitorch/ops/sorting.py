"""Sorting and order statistics: sort, argsort, msort, topk, kthvalue, median, mode, unique, cummax, cummin."""

from __future__ import annotations

#: Top-level names (``minitorch.sort``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = []
#: Tensor methods (``x.sort()``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = []
