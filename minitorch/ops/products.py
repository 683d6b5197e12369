"""More products and matrix builders: baddbmm, addmv, addr, inner, kron, tensordot, cross, cdist, diag,
diag_embed, block_diag, cartesian_prod, meshgrid, diff."""

from __future__ import annotations

#: Top-level names (``minitorch.kron``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = []
#: Tensor methods (``x.kron(y)``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = []
