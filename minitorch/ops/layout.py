"""More ways to arrange a tensor: ravel, moveaxis, fliplr/flipud, hsplit/vsplit/dsplit, dstack/column_stack,
atleast_1d/2d/3d, adjoint, and the in-place view ops (squeeze_, unsqueeze_, t_, transpose_)."""

from __future__ import annotations

#: Top-level names (``minitorch.ravel``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = []
#: Tensor methods (``x.ravel()``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = []
