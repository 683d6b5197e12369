"""Writing through indices: index_copy, index_put, put_, masked_scatter and scatter_reduce."""

from __future__ import annotations

#: Top-level names (``minitorch.index_put``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = []
#: Tensor methods (``x.index_put_(...)``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = []
