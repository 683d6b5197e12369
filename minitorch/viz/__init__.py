"""``minitorch.viz``: see the graph that autograd records, with its values and gradients.

* :func:`make_dot` draws a tensor's backward graph (torchviz's signature, plus
  ``show_values``, ``show_grads`` and ``group_by_module``) as a ``graphviz.Digraph``;
* :func:`save_graph` writes that drawing to ``.svg``/``.png``/``.pdf`` (or DOT text);
* :func:`backward_steps` records the backward pass node by node, in the engine's order;
* :func:`render_backward` turns that into one picture per step plus an ``index.html``;
* :func:`record_modules` remembers which ``nn.Module`` made each node.

Needs the Python package ``graphviz`` (``pip install 'minitorch[viz]'``) and, to
draw pictures, the ``dot`` program (OS package ``graphviz``).

>>> x = minitorch.randn(2, 3, requires_grad=True)
>>> loss = (x * x).sum()
>>> loss.backward()
>>> save_graph(loss, "graph.svg", params={"x": x})
'graph.svg'
"""

from __future__ import annotations

from ._graphviz import write as _write
from .dot import make_dot
from .modules import record_modules
from .replay import Step, backward_steps, render_backward


def save_graph(tensor, path, params=None, show_values: bool = True, show_grads: bool = True) -> str:
    """Draw ``tensor``'s graph into ``path``: the format comes from the suffix (``.svg``, ``.png``, ``.pdf``;
    ``.dot``/``.gv`` write the DOT text and need no ``dot`` program). Returns the path.

    Raises RuntimeError saying how to install Graphviz when ``dot`` is missing.
    """
    graph = make_dot(tensor, params=params, show_values=show_values, show_grads=show_grads)
    return _write(graph, path)


__all__ = ["make_dot", "save_graph", "backward_steps", "render_backward", "record_modules", "Step"]
