"""``make_dot``: draw the recorded backward graph of a tensor with Graphviz.

The picture follows torchviz so that the two can be held side by side:

* one box per graph node (``tensor.grad_fn`` and everything reachable from it
  through ``next_functions``), named like PyTorch's: ``MulBackward0``;
* an arrow from each input's node to the node that consumed it, i.e. the
  forward direction: inputs at the top, the output at the bottom;
* leaf tensors (light blue) feed their ``AccumulateGrad`` node, which is
  where ``backward`` adds into ``.grad``; the output tensor is green;
  tensors saved for backward are orange (``show_saved``).

Beyond torchviz it can show the numbers: ``show_values`` prints each tensor's
shape, dtype, device and values (a summary when large), ``show_grads`` the
leaves' ``.grad`` and, given ``grads=`` steps recorded by
:func:`minitorch.viz.backward_steps`, the gradient that flowed through every
node and along every edge. ``group_by_module`` boxes the nodes by the
``nn.Module`` that created them (see :func:`minitorch.viz.record_modules`).
"""

from __future__ import annotations

from . import _format
from ._graphviz import digraph_class
from .modules import module_of, scopes_of

# torchviz's colours
LEAF_COLOR = "lightblue"
OUTPUT_COLOR = "darkolivegreen1"
BASE_COLOR = "darkolivegreen3"
SAVED_COLOR = "orange"
# the replay's colours (see replay.py)
PENDING_COLOR = "white"
DONE_COLOR = "gray85"
CURRENT_COLOR = "gold"

_SKIPPED_ATTRS = ("needs_input_grad", "variable")


def make_dot(root, params=None, show_attrs: bool = False, show_saved: bool = False, max_attr_chars: int = 50, *,
             show_values: bool = False, show_grads: bool = False, group_by_module: bool = False, module=None,
             grads=None):
    """Draw the backward graph that produced ``root`` (a tensor or a tuple of tensors).

    ``params`` maps names to tensors (``dict(model.named_parameters())``) to label
    leaves; non-leaf tensors in it (``dict(h=h)``) name the node that made them.
    Returns a ``graphviz.Digraph``: shown inline in Jupyter, ``.source`` is the DOT
    text, ``.render()``/``.pipe()`` draw it with the ``dot`` program.

    >>> x = minitorch.randn(3, requires_grad=True)
    >>> y = (x * x).sum()
    >>> g = make_dot(y, params={"x": x}, show_values=True)
    >>> "MulBackward0" in g.source and "SumBackward0" in g.source
    True
    """
    if params is None and module is not None:
        params = dict(module.named_parameters())
    drawing = Drawing(params, show_attrs=show_attrs, show_saved=show_saved, max_attr_chars=max_attr_chars,
                      show_values=show_values, show_grads=show_grads, group_by_module=group_by_module,
                      module=module, steps=grads)
    return drawing.draw(root)


def as_roots(root) -> tuple:
    """``root`` as a tuple of tensors (make_dot takes one tensor or a tuple/list)."""
    from .._tensor import Tensor

    roots = tuple(root) if isinstance(root, (tuple, list)) else (root,)
    for r in roots:
        if not isinstance(r, Tensor):
            raise TypeError(f"make_dot() expects a Tensor or a tuple of Tensors, got {type(r).__name__}")
    return roots


def walk(roots) -> list:
    """Every graph node reachable from ``roots`` (tensors), in depth-first order, without recursion."""
    nodes, seen = [], set()
    stack = [r.grad_fn for r in reversed(roots) if r.grad_fn is not None]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        for edge in reversed(node._edges):
            if edge and id(edge[0]) not in seen:  # None: no grad needed; False: not a tensor
                stack.append(edge[0])
    return nodes


def _name_of(obj) -> str:
    return str(id(obj))


class Drawing:
    """Builds one ``Digraph``: the options of ``make_dot``, plus a replay frame's state.

    ``steps`` are the records of :func:`~minitorch.viz.backward_steps` (the
    gradients that flowed); ``frame=(done, current)`` colours a replay frame:
    ``done`` the ids of nodes that have run, ``current`` the id of the one running.
    """

    def __init__(self, params=None, *, show_attrs=False, show_saved=False, max_attr_chars=50, show_values=False,
                 show_grads=False, group_by_module=False, module=None, steps=None, frame=None):
        from .._tensor import Tensor

        self.names, self.leaf_names, self.output_names = {}, {}, {}  # keyed by id(tensor) / id(tensor) / node
        for name, t in dict(params or {}).items():
            if not isinstance(t, Tensor):
                raise TypeError(f"make_dot(): params[{name!r}] is a {type(t).__name__}, expected a Tensor")
            self.names[id(t)] = name
            if t.grad_fn is None:
                self.leaf_names[id(t)] = name
            else:
                self.output_names[(id(t.grad_fn), t._output_nr)] = (name, t)
        self.show_attrs, self.show_saved = show_attrs, show_saved
        self.max_attr_chars = max(int(max_attr_chars), 3)
        self.show_values, self.show_grads = show_values, show_grads
        self.group_by_module, self.module = group_by_module, module
        self.steps = {id(s.node): s for s in (steps or ())}
        self.frame = frame
        self.placed: dict = {}  # cluster (module calls, () for none) -> [(dot name, label, attrs)]
        self.edges: list = []
        self.fan_in: dict = {}
        self.drawn_tensors: set = set()  # DOT names of the tensor boxes drawn so far

    # ---- the whole picture ---------------------------------------------------
    def draw(self, root):
        roots = as_roots(root)
        nodes = walk(roots + tuple(r._base for r in roots if r._base is not None))
        if self.group_by_module and not any(module_of(n) is not None for n in nodes):
            raise ValueError(
                "make_dot(group_by_module=True): no node of this graph knows its module; run the forward pass "
                "inside `with minitorch.viz.record_modules(model):` first"
            )
        self.fan_in = _fan_in(nodes)
        for r in roots:  # a named output is labelled on its own box, not on its grad_fn
            self.output_names.pop((id(r.grad_fn), r._output_nr), None)
        for r in roots:
            self.add_tensor(r, OUTPUT_COLOR)
        for node in nodes:
            self.add_node(node)
        if self.show_saved:
            for node in nodes:
                self.add_saved(node)
        return self.emit(len(nodes) + len(roots))

    def add_tensor(self, t, color, default_name: str = "output") -> None:
        """A root tensor (green), edged from its ``grad_fn``; a view also shows its base (dotted)."""
        if _name_of(t) in self.drawn_tensors:
            return
        self.drawn_tensors.add(_name_of(t))
        name = self.names.get(id(t), default_name)
        self.place((), _name_of(t), self.tensor_label(t, name), fillcolor=color)
        if t.grad_fn is not None:
            self.edges.append((_name_of(t.grad_fn), _name_of(t), {}))
        if t._base is not None:
            self.add_tensor(t._base, BASE_COLOR, "base")
            self.edges.append((_name_of(t._base), _name_of(t), {"style": "dotted"}))

    def add_node(self, node) -> None:
        """One graph node, its input edges and, for ``AccumulateGrad``, its leaf tensor."""
        path = self.cluster_of(node)
        attrs = self.node_colors(node, PENDING_COLOR if self.frame else None)
        self.place(path, _name_of(node), self.node_label(node), **attrs)
        if node._is_accumulate:
            leaf = node.variable
            if _name_of(leaf) not in self.drawn_tensors:
                self.drawn_tensors.add(_name_of(leaf))
                label = self.tensor_label(leaf, self.leaf_names.get(id(leaf), ""), node)
                self.place(path, _name_of(leaf), label, fillcolor=LEAF_COLOR)
            self.edges.append((_name_of(leaf), _name_of(node), {}))
        for i, edge in enumerate(node._edges):
            if edge:
                self.edges.append((_name_of(edge[0]), _name_of(node), self.edge_attrs(node, i)))

    def add_saved(self, node) -> None:
        """Orange boxes for what ``node`` saved for backward, joined by an undirected dashed line."""
        for k, t, owner_output in _saved_entries(node):
            name = _name_of(t) if not owner_output else f"{id(node)}_saved{k}"
            line = {"dir": "none", "style": "dashed"}
            if name in self.drawn_tensors:  # a tensor drawn elsewhere (a leaf): the line must not move it
                line["constraint"] = "false"
            else:
                self.drawn_tensors.add(name)
                lines = self.describe_saved(t, node, owner_output)
                path = self.cluster_of(node)
                self.place(path, name, _format.html_label(f"saved {k}", lines), fillcolor=SAVED_COLOR)
            self.edges.append((_name_of(node), name, line))

    # ---- labels --------------------------------------------------------------
    def tensor_label(self, t, name: str, acc=None) -> str:
        """A tensor box: its name (or shape), values with ``show_values``, ``.grad`` with ``show_grads``."""
        data = t._data
        title = name or _format.shape_str(data.shape)
        lines = []
        if self.show_values:
            lines = [_format.header(data.shape, data.dtype, t._device)] + _format.values_lines(data)
        elif name:
            lines = [_format.shape_str(data.shape)]
        grads, hidden = [], False
        if self.show_grads and (t.grad_fn is None or t._grad is not None):
            step = self.steps.get(id(acc)) if acc is not None else None
            grad = step.leaf_grad if (self.frame and step is not None) else t._grad
            grads = _format.grad_lines(grad)
            hidden = self.frame is not None and acc is not None and id(acc) not in self.frame[0]
        return _format.html_label(title, lines, grads, hide_grads=hidden)

    def node_label(self, node) -> str:
        """A graph node: its PyTorch name, attributes, output description and the gradient it received."""
        lines = self.attr_lines(node) if self.show_attrs else []
        if not node._is_accumulate:
            lines += self.output_lines(node)
        grads, step = [], self.steps.get(id(node))
        if step is not None and not node._is_accumulate and (self.show_grads or self.frame):
            for k, g in enumerate(step.grads_in):
                prefix = f"[{k}] " if len(step.grads_in) > 1 else ""
                grads += [prefix + line for line in _format.grad_lines(g)]
        hidden = self.frame is not None and id(node) not in self.frame[0]
        return _format.html_label(node.name(), lines, grads, hide_grads=hidden)

    def output_lines(self, node) -> list:
        """What the node's forward returned: named outputs from ``params``, and with ``show_values``
        their shape/dtype/device and the values when known (a named tensor or a saved output)."""
        lines = []
        saved_outputs = {t.output_nr: t for _, t, own in _saved_entries(node) if own}
        for nr, meta in enumerate(node._out_meta):
            if meta is None:
                continue
            named = self.output_names.get((id(node), nr))
            if not self.show_values:
                lines += [f"-> {named[0]}"] if named else []
                continue
            prefix = f"{named[0]}: " if named else ("out: " if len(node._out_meta) == 1 else f"out[{nr}]: ")
            lines.append(prefix + _format.header(*meta))
            if named is not None:
                lines += _format.values_lines(named[1]._data)
            elif nr in saved_outputs:
                lines += _format.values_lines(saved_outputs[nr].data)
        return lines

    def attr_lines(self, node) -> list:
        """``name: value`` for the simple attributes that forward set on ``ctx`` (dims, keepdim...)."""
        lines = []
        for key, value in node.__dict__.items():
            if key.startswith("_") or key in _SKIPPED_ATTRS or not _is_simple(value):
                continue
            text = _attr_text(value)
            if len(text) > self.max_attr_chars:
                text = text[: self.max_attr_chars - 3] + "..."
            lines.append(f"{key}: {text}")
        return lines

    def describe_saved(self, t, node, owner_output) -> list:
        if owner_output:
            meta = node._out_meta[t.output_nr]
            lines = [f"output {t.output_nr}: {_format.header(*meta)}"]
            return lines + (_format.values_lines(t.data) if self.show_values else [])
        if self.show_values:
            return _format.describe(t)
        return [_format.shape_str(t._data.shape)]

    # ---- colours -------------------------------------------------------------
    def node_colors(self, node, default) -> dict:
        """Fill colour of a graph node: plain for make_dot; pending/done/current in a replay frame."""
        if self.frame is None:
            return {}
        done, current = self.frame
        if id(node) == current:
            return {"fillcolor": CURRENT_COLOR, "color": "red", "penwidth": "2.5"}
        return {"fillcolor": DONE_COLOR if id(node) in done else default}

    def edge_attrs(self, node, i) -> dict:
        """The gradient ``node`` sent back along its input edge ``i``, when it was recorded.

        In make_dot an edge is labelled only where its end node sums several
        contributions (a shared input); elsewhere the label would repeat that
        node's gradient. In a replay frame an edge shows its gradient while it
        is in flight: sent by ``node``, not yet used by the input's node.
        """
        step = self.steps.get(id(node))
        if step is None or not (self.show_grads or self.frame) or i >= len(step.grads_out):
            return {}
        child = node._edges[i][0]
        g = step.grads_out[i]
        label = ["None"] if g is None else _format.values_lines(g._data)  # red on an edge: always a gradient
        if self.frame is None:
            if self.fan_in.get(id(child), 0) < 2:
                return {}
            return {"label": _format.html_text(label, _format.GRAD_COLOR)}
        done, current = self.frame
        if id(node) == current:
            return {"label": _format.html_text(label, _format.GRAD_COLOR), "color": "red", "penwidth": "2"}
        in_flight = id(node) in done and id(child) not in done
        return {"label": _format.html_text(label, _format.GRAD_COLOR if in_flight else _format.HIDDEN_COLOR)}

    # ---- output --------------------------------------------------------------
    def cluster_of(self, node) -> tuple:
        """The box a node goes in: its module calls, outermost first (() is the top level).

        The model itself (path ``""``) draws no box: its own nodes sit at the top level.
        """
        if not self.group_by_module:
            return ()
        return tuple(s for s in scopes_of(node) if s[0] != "")

    def place(self, cluster, name, label, **attrs) -> None:
        self.placed.setdefault(cluster, []).append((name, label, attrs))

    def emit(self, n_items: int):
        """The Digraph: nodes (nested in module clusters when grouped), then the edges."""
        node_attr = dict(style="filled", shape="box", align="left", fontsize="10", ranksep="0.1",
                         height="0.2", fontname="monospace")
        per_item = 1.0 if (self.show_values or self.show_grads or self.frame) else 0.3  # taller boxes
        size = max(12.0, per_item * n_items)  # as torchviz's resize_graph: grow the page with the graph
        dot = digraph_class()(node_attr=node_attr, edge_attr=dict(fontname="monospace"),
                              graph_attr=dict(size=f"{size},{size}"))
        self.cluster_names: dict = {}
        self.emit_cluster(dot, (), _cluster_children(self.placed))
        for tail, head, attrs in self.edges:
            dot.edge(tail, head, **attrs)
        return dot

    def emit_cluster(self, graph, cluster, children) -> None:
        for name, label, attrs in self.placed.get(cluster, ()):
            graph.node(name, label, **attrs)
        for child in children.get(cluster, ()):
            path = child[-1][0]
            # cluster_<path>, then cluster_<path>#2... when one module was called several times
            count = self.cluster_names[path] = self.cluster_names.get(path, 0) + 1
            name = f"cluster_{path}" + (f"#{count}" if count > 1 else "")
            with graph.subgraph(name=name) as sub:
                sub.attr(label=self.cluster_label(path), style="rounded,dashed", color="gray40", fontsize="11",
                         fontname="monospace", labeljust="l")
                self.emit_cluster(sub, child, children)

    def cluster_label(self, path: str) -> str:
        if self.module is None:
            return path
        if not hasattr(self, "_modules"):
            self._modules = dict(self.module.named_modules())
        m = self._modules.get(path)
        return f"{path} ({type(m).__name__})" if m is not None else path


def _cluster_children(placed) -> dict:
    """``{parent: [children]}`` of the module-call boxes that hold nodes, with their ancestors
    (a node made in ``layer1.0.conv1`` sits in ``layer1.0``'s box, which sits in ``layer1``'s)."""
    boxes = set()
    for cluster in placed:
        for i in range(1, len(cluster) + 1):
            boxes.add(cluster[:i])
    children: dict = {}
    for box in sorted(boxes, key=lambda b: [(p, c) for p, c in b]):
        children.setdefault(box[:-1], []).append(box)
    return children


def _fan_in(nodes) -> dict:
    """``{id(node): number of edges that bring it gradient}`` (2 or more: contributions are summed)."""
    counts: dict = {}
    for node in nodes:
        for edge in node._edges:
            if edge:
                counts[id(edge[0])] = counts.get(id(edge[0]), 0) + 1
    return counts


def _saved_entries(node):
    """``(k, tensor_or_saved_output, is_own_output)`` for each tensor the node saved for backward."""
    from .._tensor import Tensor
    from ..autograd.function import _SavedOutput

    out = []
    for k, s in enumerate(node._saved or ()):
        if isinstance(s, _SavedOutput):
            out.append((k, s, True))
        elif s is not None and isinstance(s[0], Tensor):
            out.append((k, s[0], False))
    return out


def _is_simple(value) -> bool:
    """Numbers, strings, None, dtypes, slices and tuples of them; never tensors or arrays."""
    import numpy as np

    if isinstance(value, (bool, int, float, str, slice, type(None), np.generic, np.dtype)):
        return True
    if isinstance(value, (tuple, list)):
        return all(_is_simple(v) for v in value)
    return type(value).__name__ in ("dtype", "device")


def _attr_text(value) -> str:
    if isinstance(value, (tuple, list)):
        inner = ", ".join(_attr_text(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return str(value)

