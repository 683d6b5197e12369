"""``@once_differentiable``: a custom backward written with raw array maths, differentiable once.

PyTorch's decorator (``torch.autograd.function.once_differentiable``): the backward runs
without recording, and if a second derivative is asked for (``create_graph=True``), its
results carry a ``DelayedError`` node that raises when backpropagated through, instead
of silently giving a wrong (zero) second derivative.
"""

from __future__ import annotations

import functools

from .function import Function, _Tensor
from .grad_mode import _enabled


class _DelayedError(Function):
    """Stands for a ``once_differentiable`` backward in a graph: differentiating it again is an error."""

    node_name = "DelayedError"

    @staticmethod
    def forward(ctx, result, *grads):
        return result.detach()

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError("trying to differentiate twice a function that was marked with @once_differentiable")


def once_differentiable(backward):
    """Decorate a custom ``backward`` written with raw array maths: it runs without recording, and asking for
    its derivative (``create_graph=True``, then a second backward) raises instead of giving a wrong answer."""
    @functools.wraps(backward)
    def wrapper(ctx, *grads):
        create_graph = _enabled[0]
        _enabled[0] = False
        try:
            outs = backward(ctx, *grads)
        finally:
            _enabled[0] = create_graph
        Tensor = _Tensor[0]
        live = [g for g in grads if isinstance(g, Tensor) and g._rg]
        if not create_graph or not live:
            return outs
        single = not isinstance(outs, tuple)
        outs = tuple(_DelayedError.apply(o, *live) if isinstance(o, Tensor) else o for o in ((outs,) if single else outs))
        return outs[0] if single else outs

    return wrapper
