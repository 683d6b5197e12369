"""Which ``nn.Module`` created each graph node, so that ``make_dot`` can box nodes by module.

Inside ``with record_modules(model):`` every submodule has a forward hook
``hook(module, inputs, output)``. When a module's forward returns, the nodes
that lie between its inputs and its output are the ones its forward created:
walk back from the output's ``grad_fn`` and stop at the inputs' nodes, adding
``(module path, call number)`` to each node's list of scopes. Hooks of inner
modules run first (their forward ends first), so the list goes from the
innermost module that made the node to the outermost; a node made by the
outer module itself (a residual ``+``, a functional ``relu``) only gets the
outer scope. The call number keeps two calls of one module (a ``ReLU`` used
twice in a block) apart. The list is kept in the node's ``metadata`` dict
(PyTorch's ``grad_fn.metadata``).
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager

#: Key of ``node.metadata`` holding the node's scopes: ``[("layer1.0.conv1", call), ("layer1.0", call), ...]``.
MODULE_KEY = "minitorch.viz.module"

_calls = itertools.count()  # numbers each module call, so that two calls are two boxes


@contextmanager
def record_modules(model):
    """Record, for the forward passes run inside, which submodule of ``model`` made each node.

    >>> with record_modules(model):
    ...     loss = model(x).sum()
    >>> make_dot(loss, module=model, group_by_module=True)   # boxes per module
    """
    handles = [m.register_forward_hook(_hook(path)) for path, m in model.named_modules()]
    try:
        yield model
    finally:
        for h in handles:
            h.remove()


def scopes_of(node) -> tuple:
    """``((path, call), ...)`` of the module calls that made ``node``, outermost first; () if none."""
    meta = getattr(node, "_metadata", None)
    return tuple(reversed(meta.get(MODULE_KEY, ()))) if meta else ()


def module_of(node) -> str | None:
    """The path of the innermost module that made ``node`` (``""`` is the model itself), or None."""
    scopes = scopes_of(node)
    return scopes[-1][0] if scopes else None


def _hook(path: str):
    def hook(module, inputs, output):
        claim((path, next(_calls)), _tensors(inputs), _tensors(output))

    return hook


def claim(scope: tuple, inputs, outputs) -> None:
    """Add ``scope`` (module path, call number) to the nodes between ``inputs`` and ``outputs`` (tensors)."""
    stop = {id(n) for n in map(_node_of, inputs) if n is not None}
    stack = [t.grad_fn for t in outputs if t.grad_fn is not None]
    seen = set()
    while stack:
        node = stack.pop()
        if id(node) in seen or id(node) in stop:
            continue
        seen.add(id(node))
        node.metadata.setdefault(MODULE_KEY, []).append(scope)
        stack.extend(edge[0] for edge in node._edges if edge)


def _node_of(t):
    """The node a tensor's gradient goes to: its ``grad_fn``, or a leaf's ``AccumulateGrad``."""
    if t.grad_fn is not None:
        return t.grad_fn
    return t._acc() if t._acc is not None else None


def _tensors(obj) -> list:
    """The tensors inside a (nested) tuple/list/dict of module inputs or outputs."""
    from .._tensor import Tensor

    if isinstance(obj, Tensor):
        return [obj]
    if isinstance(obj, dict):
        obj = list(obj.values())
    if isinstance(obj, (tuple, list)):
        return [t for item in obj for t in _tensors(item)]
    return []
