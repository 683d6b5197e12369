"""make_dot: the DOT text of known small graphs, values/gradients, module groups, rendering and missing dot."""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest

import minitorch
from minitorch import viz
from minitorch.viz import _format, _graphviz

graphviz = pytest.importorskip("graphviz")
HAVE_DOT = True
try:
    graphviz.version()
except graphviz.ExecutableNotFound:
    HAVE_DOT = False
needs_dot = pytest.mark.skipif(not HAVE_DOT, reason="the Graphviz program 'dot' is not installed")

NODE = re.compile(r"^\t(\"?[\w.]+\"?) \[label=(<.*>)(.*)\]$")
EDGE = re.compile(r"^\t(\"?[\w.]+\"?) -> (\"?[\w.]+\"?)(?: \[(.*)\])?$")


def parse(g):
    """``{name: (label, attrs)}`` and ``[(tail, head, attrs)]`` from a Digraph's DOT lines."""
    nodes, edges = {}, []
    for line in g.source.splitlines():
        line = "\t" + line.strip()
        m = EDGE.match(line)
        if m:
            edges.append((m.group(1), m.group(2), m.group(3) or ""))
            continue
        m = NODE.match(line)
        if m:
            nodes[m.group(1)] = (m.group(2), m.group(3))
    return nodes, edges


def titles(nodes) -> list:
    """The bold first line of every node label, sorted."""
    return sorted(re.match(r"<<B>(.*?)</B>", label).group(1) for label, _ in nodes.values())


def leaf(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return minitorch.tensor(rng.standard_normal(shape), dtype=minitorch.float64, requires_grad=True)


# ---- structure ------------------------------------------------------------------------
def test_mul_sum_structure_and_names():
    x, y = leaf(2, 3, seed=0), leaf(2, 3, seed=1)
    out = (x * y).sum()
    nodes, edges = parse(viz.make_dot(out, params={"x": x, "y": y}))
    # output, SumBackward0, MulBackward0, two AccumulateGrad, two leaves
    assert titles(nodes) == sorted(["output", "SumBackward0", "MulBackward0", "AccumulateGrad", "AccumulateGrad",
                                    "x", "y"])
    assert len(edges) == 6
    ids = {title: name for name, (label, _) in nodes.items()
           for title in [re.match(r"<<B>(.*?)</B>", label).group(1)]}
    assert (ids["MulBackward0"], ids["SumBackward0"]) in [(t, h) for t, h, _ in edges]  # input -> consumer
    assert (ids["SumBackward0"], ids["output"]) in [(t, h) for t, h, _ in edges]
    assert (ids["x"], str(id(out.grad_fn.next_functions[0][0].next_functions[0][0]))) in [(t, h) for t, h, _ in edges]
    assert "lightblue" in nodes[ids["x"]][1] and "darkolivegreen1" in nodes[ids["output"]][1]


def test_unnamed_leaf_is_labelled_with_its_shape():
    x = leaf(2, 3)
    nodes, _ = parse(viz.make_dot(x.exp().mean()))
    assert "(2, 3)" in titles(nodes)


def test_inputs_without_grad_have_no_node():
    x, c = leaf(3), minitorch.ones(3, dtype=minitorch.float64)
    nodes, edges = parse(viz.make_dot((x * c).sum()))
    assert titles(nodes) == sorted(["output", "SumBackward0", "MulBackward0", "AccumulateGrad", "(3,)"])
    assert len(edges) == 4


def test_shared_subexpression_is_one_node_and_tuple_roots():
    a = leaf(2)
    b = a * 2
    y1, y2 = b.sin(), b.cos()
    nodes, edges = parse(viz.make_dot((y1, y2)))
    t = titles(nodes)
    assert t.count("MulBackward0") == 1 and t.count("output") == 2
    assert t.count("SinBackward0") == 1 and t.count("CosBackward0") == 1
    mul = str(id(b.grad_fn))
    assert sum(1 for tail, _, _ in edges if tail == mul) == 2  # feeds sin and cos


def test_diamond_has_two_edges_between_the_same_nodes():
    a = leaf(2)
    out = (a + a).sum()
    _, edges = parse(viz.make_dot(out))
    add = str(id(out.grad_fn.next_functions[0][0]))
    acc = str(id(out.grad_fn.next_functions[0][0].next_functions[0][0]))
    assert [(t, h) for t, h, _ in edges].count((acc, add)) == 2


def test_node_names_match_pytorch():
    torch = pytest.importorskip("torch")

    def names_of(root):
        out, stack, seen = [], [root], set()
        while stack:
            n = stack.pop()
            if n is None or id(n) in seen:
                continue
            seen.add(id(n))
            out.append(type(n).__name__)
            stack.extend(e[0] for e in n.next_functions)
        return sorted(out)

    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s) for s in [(4, 3), (3, 5), (5,), (5, 2)]]
    mt = [minitorch.tensor(a, requires_grad=i > 0) for i, a in enumerate(arrays)]
    th = [torch.tensor(a, requires_grad=i > 0) for i, a in enumerate(arrays)]

    def mlp(x, w1, b1, w2):
        return ((x @ w1 + b1).relu() @ w2).log_softmax(1).mean()

    nodes, _ = parse(viz.make_dot(mlp(*mt)))
    expected = names_of(mlp(*th).grad_fn)
    got = [t for t in titles(nodes) if t not in ("output", "(3, 5)", "(5,)", "(5, 2)")]
    assert got == expected


def test_leaf_and_constant_roots():
    x = leaf(2)
    nodes, edges = parse(viz.make_dot(x, params={"x": x}))
    assert titles(nodes) == ["x"] and edges == []
    assert "darkolivegreen1" in next(iter(nodes.values()))[1]
    nodes, edges = parse(viz.make_dot(minitorch.ones(3)))
    assert titles(nodes) == ["output"] and edges == []


def test_view_root_shows_its_base():
    x = leaf(2, 3)
    y = x * 2
    v = y[0]
    nodes, edges = parse(viz.make_dot(v))
    assert "base" in titles(nodes)
    assert any("dotted" in attrs for _, _, attrs in edges)


def test_bad_arguments():
    x = leaf(2)
    with pytest.raises(TypeError, match="Tensor"):
        viz.make_dot([x, 3])
    with pytest.raises(TypeError, match="params"):
        viz.make_dot(x.sum(), params={"x": np.ones(2)})


# ---- values and gradients ------------------------------------------------------------
def test_values_small_and_large():
    small = minitorch.tensor([1.5, -2.0], dtype=minitorch.float64, requires_grad=True)
    big = leaf(4, 5)
    out = (small.sum() * big).sum()
    nodes, _ = parse(viz.make_dot(out, params={"small": small, "big": big}, show_values=True))
    labels = {re.match(r"<<B>(.*?)</B>", label).group(1): label for label, _ in nodes.values()}
    assert "(2,) float64 cpu" in labels["small"] and "[1.5, -2]" in labels["small"]
    data = big.detach().numpy()
    summary = (f"min {_format._number(data.min())} mean {_format._number(data.mean())} "
               f"max {_format._number(data.max())}")
    assert "(4, 5) float64 cpu" in labels["big"] and summary in labels["big"]
    assert f"norm {_format._number(np.linalg.norm(data))}" in labels["big"]
    assert f"{_format._number(out.item())}" in labels["output"]
    assert "out: (4, 5) float64 cpu" in labels["MulBackward0"]


def test_leaf_grads_after_backward():
    x = minitorch.tensor([1.0, 2.0, 3.0], dtype=minitorch.float64, requires_grad=True)
    out = (x * x).sum()
    before = viz.make_dot(out, params={"x": x}, show_grads=True).source
    assert "grad None" in before
    out.backward()
    after = viz.make_dot(out, params={"x": x}, show_grads=True).source
    assert "grad [2, 4, 6]" in after and _format.GRAD_COLOR in after


def test_named_intermediate_tensors_and_recorded_grads():
    a = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    b = a + a
    loss = (b * b).sum()
    steps = list(viz.backward_steps(loss))
    g = viz.make_dot(loss, params={"a": a, "b": b}, show_values=True, show_grads=True, grads=steps)
    nodes, edges = parse(g)
    add = nodes[str(id(b.grad_fn))][0]
    assert "b: (2,) float64 cpu" in add and "[2, 4]" in add  # b's values on the node that made it
    assert "grad [4, 8]" in add  # d(sum b^2)/db = 2b
    # a's node gets two contributions (a + a): each edge is labelled with its part
    acc = str(id(b.grad_fn.next_functions[0][0]))  # a's AccumulateGrad
    labelled = [attrs for t, h, attrs in edges if t == acc and "label" in attrs]
    assert len(labelled) == 2 and all("[4, 8]" in attrs for attrs in labelled)
    assert "grad [8, 16]" in nodes[str(id(a))][0]  # the two contributions summed


def test_attrs_and_truncation():
    x = leaf(2, 3)
    out = x.sum(dim=1, keepdim=True).mean()
    label = viz.make_dot(out, show_attrs=True).source
    assert "keepdim: True" in label and "dim" in label
    short = viz.make_dot(out, show_attrs=True, max_attr_chars=4).source
    assert "in_shape: (..." in short and "in_shape: (2, 3)" not in short
    assert "keepdim" not in viz.make_dot(out).source


def test_saved_tensors():
    x, w = leaf(2, 3), leaf(3, 4, seed=1)
    h = (x @ w).exp()  # mm saves both inputs; exp saves its output
    g = viz.make_dot(h.sum(), params={"x": x, "w": w}, show_saved=True)
    nodes, edges = parse(g)
    orange = [label for label, attrs in nodes.values() if "orange" in attrs]
    assert len(orange) == 1 and "output 0: (2, 4) float64 cpu" in orange[0]
    mm = str(id(h.grad_fn.next_functions[0][0]))
    dashed = {h_ for t, h_, attrs in edges if t == mm and "dashed" in attrs}
    assert dashed == {str(id(x)), str(id(w))}  # saved leaves: a line to their own box
    assert "orange" not in viz.make_dot(h.sum()).source


# ---- modules --------------------------------------------------------------------------
class _Handle:
    def __init__(self, hooks, fn):
        self.hooks, self.fn = hooks, fn

    def remove(self):
        self.hooks.remove(self.fn)


class FakeModule:
    """named_modules / register_forward_hook / __call__, as nn.Module documents them."""

    def __init__(self, **children):
        self._children, self._hooks = children, []

    def named_modules(self, prefix=""):
        yield prefix, self
        for name, child in self._children.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def named_parameters(self):
        return iter(())

    def register_forward_hook(self, hook):
        self._hooks.append(hook)
        return _Handle(self._hooks, hook)

    def __call__(self, *inputs):
        out = self.forward(*inputs)
        for hook in list(self._hooks):
            hook(self, inputs, out)
        return out


class Scale(FakeModule):
    def __init__(self, w):
        super().__init__()
        self.w = w

    def forward(self, x):
        return x * self.w


class Residual(FakeModule):
    def __init__(self, w1, w2):
        super().__init__(inner1=Scale(w1), inner2=Scale(w2))

    def forward(self, x):
        return self._children["inner2"](self._children["inner1"](x).tanh()) + x


def test_group_by_module_with_fake_modules():
    w1, w2, x = leaf(3, seed=1), leaf(3, seed=2), leaf(3, seed=3)
    model = FakeModule(block=Residual(w1, w2))
    model.forward = lambda t: model._children["block"](t).relu()
    with viz.record_modules(model) as m:
        out = model(x).sum()
    assert m is model and all(not mod._hooks for _, mod in model.named_modules())  # hooks removed
    g = viz.make_dot(out, params={"w1": w1, "w2": w2}, group_by_module=True, module=model)
    src = g.source
    assert "subgraph cluster_block {" in src and 'subgraph "cluster_block.inner1" {' in src
    assert 'label="block.inner1 (Scale)"' in src and 'label="block (Residual)"' in src
    block = src[src.index("subgraph cluster_block {"):]
    inner1 = block[block.index('"cluster_block.inner1"'):]
    inner1 = inner1[: inner1.index("}")]
    assert "MulBackward0" in inner1 and "w1" in inner1 and "TanhBackward0" not in inner1
    assert "TanhBackward0" in block and "AddBackward0" in block  # made by the block itself
    top = src[: src.index("subgraph cluster_block")]
    assert "ReluBackward0" in top and "SumBackward0" in top  # the model itself / outside: top level
    assert "<B>(3,)</B>" in top  # x is the model's input: not inside any module


def test_group_by_module_needs_a_recording():
    x = leaf(3)
    with pytest.raises(ValueError, match="record_modules"):
        viz.make_dot((x * 2).sum(), group_by_module=True)


def test_group_by_module_with_nn_residual_block():
    nn = pytest.importorskip("minitorch.nn")
    if not all(hasattr(nn, n) for n in ("Linear", "Sequential", "ReLU", "Module")):
        pytest.skip("minitorch.nn.Linear/Sequential/ReLU not available yet")

    class Block(nn.Module):  # a ResNet-style block that calls one ReLU module twice
        def __init__(self, n):
            super().__init__()
            self.fc1, self.fc2, self.relu = nn.Linear(n, n), nn.Linear(n, n), nn.ReLU()

        def forward(self, x):
            return self.relu(self.fc2(self.relu(self.fc1(x))) + x)

    minitorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), Block(4), nn.Linear(4, 3))
    with viz.record_modules(model):
        out = model(minitorch.randn(5, 2)).sum()
    src = viz.make_dot(out, module=model, group_by_module=True).source
    assert 'label="0 (Linear)"' in src and 'label="1 (Block)"' in src and 'label="1.fc1 (Linear)"' in src
    assert "0.weight" in src and "1.fc2.bias" in src  # params default to module.named_parameters()
    block = src[src.index("subgraph cluster_1 {"):]
    assert '"cluster_1.fc1"' in block and '"cluster_1.relu"' in block
    assert '"cluster_1.relu#2"' in block  # the second call of the same ReLU is its own box
    assert block.count("ReluBackward0") == 2 and "AddBackward0" in block


# ---- rendering ------------------------------------------------------------------------
@needs_dot
def test_render_svg_png_and_source(tmp_path):
    x = leaf(2, 2)
    out = (x * x).sum()
    out.backward()
    g = viz.make_dot(out, params={"x": x}, show_values=True, show_grads=True)
    svg = g.pipe(format="svg").decode()
    assert "<svg" in svg and "MulBackward0" in svg
    assert viz.save_graph(out, tmp_path / "g.svg", params={"x": x}) == str(tmp_path / "g.svg")
    assert "<svg" in (tmp_path / "g.svg").read_text()
    viz.save_graph(out, tmp_path / "g.png")
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    viz.save_graph(out, tmp_path / "g.gv")
    assert (tmp_path / "g.gv").read_text().startswith("digraph")
    with pytest.raises(ValueError, match="suffix"):
        viz.save_graph(out, tmp_path / "noformat")


def test_missing_dot_message(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no dot anywhere
    x = leaf(2)
    out = (x * 3).sum()
    g = viz.make_dot(out)
    assert g.source.startswith("digraph")  # the DOT text needs no dot
    for call in (lambda: viz.save_graph(out, tmp_path / "g.svg"), lambda: g.pipe(format="svg"),
                 lambda: g.render(tmp_path / "g", format="png")):
        with pytest.raises(RuntimeError, match="apt-get install graphviz") as info:
            call()
        assert "brew install graphviz" in str(info.value)
    viz.save_graph(out, tmp_path / "g.dot")  # DOT text still works
    assert (tmp_path / "g.dot").read_text() == viz.make_dot(out, show_values=True, show_grads=True).source
    with pytest.raises(RuntimeError, match="install the OS package graphviz|Install the OS package graphviz"):
        viz.render_backward(out, tmp_path / "replay")
    assert x.grad is None  # it failed before running backward


def test_missing_python_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    monkeypatch.setattr(_graphviz, "_digraph_cls", [])
    with pytest.raises(ImportError, match=r"pip install 'minitorch\[viz\]'"):
        viz.make_dot(leaf(2).sum())


@needs_dot
def test_docs_mlp_picture_script(tmp_path):
    import runpy
    from pathlib import Path

    script = Path(__file__).parents[2] / "docs" / "images" / "make_mlp_graph.py"
    runpy.run_path(str(script))["main"](str(tmp_path))
    svg = (tmp_path / "mlp_graph.svg").read_text()
    for name in ("W1", "b1", "W2", "b2", "logits", "ReluBackward0", "LogSoftmaxBackward0", "grad"):
        assert name in svg
    assert (tmp_path / "mlp_graph.png").read_bytes()[:4] == b"\x89PNG"
