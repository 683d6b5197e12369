"""Hypothesis strategies for tensor shapes, for property tests of broadcasting."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def shapes(draw, min_dims: int = 0, max_dims: int = 4, max_side: int = 4) -> tuple:
    """A tensor shape: up to ``max_dims`` dimensions of size 1..``max_side``."""
    return tuple(draw(st.lists(st.integers(1, max_side), min_size=min_dims, max_size=max_dims)))


@st.composite
def broadcastable_shapes(draw, max_dims: int = 4, max_side: int = 4) -> tuple:
    """A pair of shapes that broadcast together (PyTorch's rules, which are NumPy's).

    Start from one full shape; each operand drops some leading dimensions and
    replaces some of the others by 1.
    """
    full = draw(shapes(0, max_dims, max_side))

    def operand():
        lead = draw(st.integers(0, len(full)))
        return tuple(1 if draw(st.booleans()) else s for s in full[lead:])

    return operand(), operand()


@st.composite
def non_broadcastable_shapes(draw, max_dims: int = 3) -> tuple:
    """A pair of shapes that do not broadcast: one trailing-aligned dimension differs and neither is 1."""
    a = list(draw(shapes(1, max_dims, 4)))
    b = list(a)
    i = draw(st.integers(0, len(a) - 1))
    a[i] = draw(st.integers(2, 4))
    b[i] = a[i] + draw(st.integers(1, 3))
    return tuple(a), tuple(b)
