"""Reductions that skip NaN (nansum, nanmean, nanmedian) and logcumsumexp."""

from __future__ import annotations

#: Top-level names (``minitorch.nansum``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = []
#: Tensor methods (``x.nansum()``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = []
