"""backward_steps / render_backward: the engine's own order, the gradients that flowed, the replay files."""

from __future__ import annotations

import re

import numpy as np
import pytest

import minitorch
from minitorch import viz
from minitorch.autograd import Function, engine

graphviz = pytest.importorskip("graphviz")
try:
    graphviz.version()
    HAVE_DOT = True
except graphviz.ExecutableNotFound:
    HAVE_DOT = False
needs_dot = pytest.mark.skipif(not HAVE_DOT, reason="the Graphviz program 'dot' is not installed")


def f64(values, grad=True):
    return minitorch.tensor(values, dtype=minitorch.float64, requires_grad=grad)


def diamond():
    """b = a + a; c = b * b; d = c * b (shared sub-expressions); loss = sum(d) + sum(c)."""
    a = f64([1.0, 2.0])
    b = a + a
    c = b * b
    d = c * b
    return a, b, c, d, d.sum() + c.sum()


def engine_order(loss) -> list:
    """The nodes in the order a plain engine observer sees them during loss.backward()."""
    seen = []

    def observe(node, grads_in, grads_out):
        seen.append(node)

    engine._observers.append(observe)
    try:
        loss.backward(retain_graph=True)
    finally:
        engine._observers.remove(observe)
    return seen


def test_replay_order_is_the_engines_order():
    a, b, c, d, loss = diamond()
    steps = list(viz.backward_steps(loss))
    plain = engine_order(loss)  # a second backward on the retained graph
    assert [s.node for s in steps] == plain
    assert [s.index for s in steps] == list(range(len(plain)))
    assert [s.name for s in steps] == [n.name() for n in plain]
    # every node runs once, after all its consumers (the loss's node first, the leaf last)
    assert steps[0].node is loss.grad_fn and steps[-1].name == "AccumulateGrad"
    assert len({id(s.node) for s in steps}) == len(steps)
    pos = {id(s.node): s.index for s in steps}
    for s in steps:
        for edge in s.inputs:
            if edge:
                assert pos[id(edge[0])] > s.index


def test_replay_gradients_diamond():
    a, b, c, d, loss = diamond()
    steps = {s.node: s for s in viz.backward_steps(loss)}
    bv = np.array([2.0, 4.0])
    # loss = sum(b^3) + sum(b^2): dloss/db = 3b^2 + 2b, arriving at b's node as one summed gradient
    add = steps[b.grad_fn]
    np.testing.assert_allclose(add.grads_in[0].numpy(), 3 * bv**2 + 2 * bv)
    np.testing.assert_allclose(add.grads_out[0].numpy(), 3 * bv**2 + 2 * bv)  # d(a + a)/da = 1 for each input
    mul_d = steps[d.grad_fn]
    np.testing.assert_allclose(mul_d.grads_in[0].numpy(), [1.0, 1.0])
    np.testing.assert_allclose(mul_d.grads_out[0].numpy(), bv)  # to c: b
    np.testing.assert_allclose(mul_d.grads_out[1].numpy(), bv**2)  # to b: c
    acc = steps[b.grad_fn.next_functions[0][0]]
    assert acc.is_leaf and acc.grads_out == () and acc.node.variable is a
    np.testing.assert_allclose(acc.leaf_grad.numpy(), a.grad.numpy())
    np.testing.assert_allclose(a.grad.numpy(), 2 * (3 * bv**2 + 2 * bv))


def test_replay_gradients_match_pytorch_retain_grad():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    xs, w1s, w2s = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal((5, 2))

    def mlp(lib, x, w1, w2):
        h = (x @ w1).relu()
        logits = h @ w2
        return h, logits, logits.log_softmax(1).mean()

    mt = [minitorch.tensor(v, requires_grad=i > 0) for i, v in enumerate((xs, w1s, w2s))]
    th = [torch.tensor(v, requires_grad=i > 0) for i, v in enumerate((xs, w1s, w2s))]
    h, logits, loss = mlp(minitorch, *mt)
    th_h, th_logits, th_loss = mlp(torch, *th)
    th_h.retain_grad()
    th_logits.retain_grad()
    th_loss.backward()
    steps = {s.node: s for s in viz.backward_steps(loss)}
    np.testing.assert_allclose(steps[h.grad_fn].grads_in[0].numpy(), th_h.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(steps[logits.grad_fn].grads_in[0].numpy(), th_logits.grad.numpy(), rtol=1e-10)
    for p, tp in zip(mt[1:], th[1:]):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-10)


def test_observer_removed_and_retain_graph():
    a, b, c, d, loss = diamond()
    before = list(engine._observers)
    list(viz.backward_steps(loss))
    assert engine._observers == before
    loss.backward()  # the graph was retained
    with pytest.raises(RuntimeError, match="does not require grad"):
        viz.backward_steps(minitorch.ones(2).sum())
    assert engine._observers == before  # removed even when backward fails
    a2, _, _, _, loss2 = diamond()
    list(viz.backward_steps(loss2, retain_graph=False))
    with pytest.raises(RuntimeError, match="second time"):
        loss2.backward()


def test_recorded_grads_are_copies():
    a = f64([1.0, 2.0])
    loss = (a * 3).sum()
    steps = list(viz.backward_steps(loss))
    acc = steps[-1]
    first = acc.leaf_grad.numpy().copy()
    loss.backward()  # accumulates into a.grad in place
    np.testing.assert_allclose(a.grad.numpy(), 2 * first)
    np.testing.assert_allclose(acc.leaf_grad.numpy(), first)
    np.testing.assert_allclose(acc.grads_in[0].numpy(), first)


def test_nonscalar_root_gradient_and_none_grads():
    a = f64([3.0, -1.0, 2.0])
    values, indices = a.max(0)  # two outputs: the indices get no gradient
    y = values * 2
    steps = list(viz.backward_steps(y, gradient=minitorch.tensor(1.0, dtype=minitorch.float64)))
    mx = next(s for s in steps if s.node is values.grad_fn)
    assert len(mx.grads_in) == 2 and mx.grads_in[1] is None
    assert mx.grads_in[0].item() == 2.0
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 0.0, 0.0])
    g = viz.make_dot(y, show_grads=True, grads=steps)
    assert "[1] grad None" in g.source and "[0] grad 2" in g.source


class TwoOutputs(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        """d(2x)/dx = 2, d(3x)/dx = 3"""
        return g1 * 2 + g2 * 3


def test_multi_output_custom_function():
    x = f64([1.0, 2.0])
    p, q = TwoOutputs.apply(x)
    loss = (p * q).sum()
    steps = list(viz.backward_steps(loss))
    two = next(s for s in steps if s.node is p.grad_fn)
    np.testing.assert_allclose(two.grads_in[0].numpy(), q.detach().numpy())
    np.testing.assert_allclose(two.grads_in[1].numpy(), p.detach().numpy())
    assert two.name == "TwoOutputsBackward"


def test_step_text():
    a, b, c, d, loss = diamond()
    steps = list(viz.backward_steps(loss))
    text = steps[-1].text({id(a): "a"})
    assert text.startswith(f"step {len(steps) - 1}: AccumulateGrad") and "a.grad" in text
    add = next(s for s in steps if s.node is b.grad_fn)
    assert "sends to input 0 (AccumulateGrad of a)" in add.text({id(a): "a"})


@needs_dot
def test_render_backward_files(tmp_path):
    a, b, c, d, loss = diamond()
    frames = viz.render_backward(loss, tmp_path / "replay", params={"a": a, "b": b})
    steps = list(viz.backward_steps(loss))
    assert len(frames) == len(steps) and all(f.endswith(".svg") for f in frames)
    sizes = set()
    for k, path in enumerate(frames):
        svg = open(path).read()
        assert f"step {k + 1} of {len(frames)}" in svg.replace("\xa0", " ").replace("&#160;", " ")
        assert svg.count('fill="gold"') == 1  # the running node
        assert svg.count('fill="#d9d9d9"') == k  # the nodes already run (gray85)
        sizes.add(re.search(r'<svg width="([\d.]+pt)" height="([\d.]+pt)"', svg).groups())
    assert len(sizes) == 1  # the same layout on every frame
    page = (tmp_path / "replay" / "index.html").read_text()
    assert "ArrowRight" in page and "ArrowLeft" in page and "step_000.svg" in page
    assert "Prev" in page and "Next" in page and "AccumulateGrad" in page
    assert "http" not in page and "<link" not in page and "src=\"http" not in page  # no external assets


@needs_dot
def test_render_backward_png(tmp_path):
    x = f64([0.5, -1.0])
    loss = (x.exp() * x).sum()
    frames = viz.render_backward(loss, tmp_path, format="png", show_values=True)
    assert len(frames) == 4
    for path in frames:
        assert open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
