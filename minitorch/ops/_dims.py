"""Dimension and size arguments shared by the ops: the sizes of shape ops
(``view(2, 3)`` or ``view((2, 3))``) and the dims of reductions.

PyTorch lets a 0-d tensor be reduced over ``dim=0`` or ``dim=-1`` (it behaves
like a tensor of shape ``(1,)``), but NumPy has no axis to reduce there: these
helpers translate between the two.
"""

from __future__ import annotations

import numpy as np


def shape_arg(shape) -> tuple:
    """Sizes given either as separate ints or as one tuple/list: ``(2, 3)`` or ``((2, 3),)`` -> ``(2, 3)``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def positional_or_keyword(args: tuple, keyword, op: str, name: str) -> tuple:
    """``x.reshape(2, 3)``, ``x.reshape((2, 3))`` or, as PyTorch also accepts, ``x.reshape(shape=(2, 3))``."""
    if keyword is None:
        return args
    if args:
        raise TypeError(f"{op}() got multiple values for argument '{name}'")
    return (keyword,)


def _kept_shape(in_shape, dims) -> tuple:
    """The output shape with ``keepdim=True``."""
    if dims is None:
        return (1,) * len(in_shape)
    return tuple(1 if i in dims else s for i, s in enumerate(in_shape))


def np_axis(dims, ndim: int):
    """NumPy's ``axis`` for reducing over ``dims`` (None: every dim; a 0-d array has nothing to reduce)."""
    if dims is None or ndim == 0:
        return None
    return tuple(dims)


def reduced_numel(shape, dims) -> int:
    """How many elements each output element of the reduction combines (1 for a 0-d input)."""
    if dims is None or len(shape) == 0:
        return int(np.prod(shape, dtype=np.int64))
    return int(np.prod([shape[d] for d in dims], dtype=np.int64))


def check_int_dim(dim, op: str) -> None:
    """PyTorch's TypeError for ops whose ``dim`` must be a single int (not a tuple, list or None)."""
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError(f"{op}(): argument 'dim' must be int, not {type(dim).__name__}")


def check_nonempty(input, dim, dims, op: str) -> None:
    """max/min/amax/amin have no identity: reducing over a dimension of size 0 raises as in PyTorch."""
    shape = tuple(input.shape)
    if 0 not in shape:
        return
    if dims is None:
        raise RuntimeError(
            f"{op}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument."
        )
    for d in dim if isinstance(dim, (tuple, list)) else [dim]:  # the first empty one, as the user wrote it
        if shape[d % len(shape)] == 0:
            raise IndexError(f"{op}(): Expected reduction dim {d} to have non-zero size.")
