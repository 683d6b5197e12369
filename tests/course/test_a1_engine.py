"""Assignment 1: the backward engine (minitorch/autograd/engine.py).

These tests use only ``+`` and small custom Functions whose backward rules
are written here, so they never depend on the backward rules of later
assignments.
"""

import numpy as np
from _checks import assert_close, fail, task

import minitorch
from minitorch.autograd import Function, engine


class Triple(Function):
    """y = 3x, with a backward that counts how often it runs."""

    calls = 0

    @staticmethod
    def forward(ctx, x):
        return x * 3

    @staticmethod
    def backward(ctx, grad):
        Triple.calls += 1
        return grad * 3


def leaf(values):
    return minitorch.tensor(values, dtype=minitorch.float64, requires_grad=True)


def _node_of(t):
    return t.grad_fn


def test_1_1_count_dependencies():
    tid, what = "1.1", "_discover counts the gradients each node will receive"
    x = leaf([1.0, 2.0])
    a = x + x  # a's node feeds b and y
    b = a + x
    y = b + a
    with task(tid, what):
        deps = engine._discover([_node_of(y)])
    acc_x = _node_of(a)._edges[0][0]  # x's AccumulateGrad node
    expected = [(_node_of(b), 1, "b = a + x (used once, by y = b + a)"),
                (_node_of(a), 2, "a = x + x (used by b and by y)"),
                (acc_x, 3, "the leaf x (used twice by a = x + x and once by b)")]
    for node, want, desc in expected:
        got = deps.get(node, 0)
        if got != want:
            fail(tid, what, f"in the graph a = x + x; b = a + x; y = b + a, the node of {desc} should expect {want} "
                            f"gradient(s), your deps says {got}. Count one per edge that points to the node.")
    if deps.get(_node_of(y), 0) != 0:
        fail(tid, what, "the root y = b + a has no consumers inside the graph: it should not be counted "
                        f"(deps[root] = {deps[_node_of(y)]})")
    # A long chain: the walk must be iterative (an explicit stack), not recursive.
    y = x
    for _ in range(3000):
        y = y + 1.0
    with task(tid, what):
        try:
            deps = engine._discover([_node_of(y)])
        except RecursionError:
            fail(tid, what, "RecursionError on a chain of 3000 additions: walk the graph with an explicit stack, "
                            "not with recursion")
    if len(deps) != 3000 or deps.get(acc_x) != 1:
        fail(tid, what, f"a chain y = x + 1 + 1 + ... (3000 additions) has 3000 nodes below the root that each "
                        f"receive one gradient; deps has {len(deps)} entries and counts {deps.get(acc_x)} for x")


def test_1_2_deliver_root_gradient():
    tid, what = "1.2", "_deliver adds a gradient into a node's buffer and queues the node when complete"
    x = leaf([1.0, 2.0])
    node = _node_of(x + x)
    g1 = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64)
    g2 = minitorch.tensor([10.0, 20.0], dtype=minitorch.float64)
    buffers, deps, ready = {}, {node: 2}, []
    with task(tid, what):
        engine._deliver(node, 0, g1, buffers, deps, ready)
    if id(node) not in buffers:
        fail(tid, what, "after delivering a first gradient, buffers[id(node)] should hold it (a list with one slot "
                        "per output of the node)")
    assert_close(tid, what, buffers[id(node)][0], [1.0, 2.0], "buffers[id(node)][0] after one delivery")
    if deps[node] != 1 or ready:
        fail(tid, what, f"the node expects 2 gradients and got 1: deps[node] should be 1 (got {deps[node]}) and "
                        f"the ready queue empty (got {len(ready)} entries)")
    with task(tid, what):
        engine._deliver(node, 0, g2, buffers, deps, ready)
    assert_close(tid, what, buffers[id(node)][0], [11.0, 22.0], "buffers[id(node)][0] after two deliveries (the sum)")
    assert_close(tid, what, g1, [1.0, 2.0], "the first gradient must not be modified (add out of place)")
    if deps[node] != 0 or len(ready) != 1 or ready[0][-1] is not node:
        fail(tid, what, f"after the last expected gradient deps[node] should be 0 (got {deps[node]}) and the node "
                        f"pushed on the ready heap as (-node._seq, id(node), node) (heap: {ready})")
    if tuple(ready[0][:2]) != (-node._seq, id(node)):
        fail(tid, what, f"push (-node._seq, id(node), node) so that the newest node runs first; pushed {ready[0]}")


def test_1_2_send_to_inputs():
    tid, what = "1.2", "_send passes each input gradient to the node that produced the input"
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    node = _node_of(a + b)
    acc_a, acc_b = node._edges[0][0], node._edges[1][0]
    ga = minitorch.tensor([1.0, 1.0], dtype=minitorch.float64)
    gb = minitorch.tensor([2.0, 2.0], dtype=minitorch.float64)
    buffers, deps, ready = {}, {acc_a: 1, acc_b: 2}, []
    with task(tid, what):
        engine._send(node, (ga, gb), buffers, deps, ready, None)
    for acc, name, g, left in ((acc_a, "a", [1.0, 1.0], 0), (acc_b, "b", [2.0, 2.0], 1)):
        if id(acc) not in buffers:
            fail(tid, what, f"y = a + b: the gradient for {name} should be in buffers[id(<{name}'s node>)]")
        assert_close(tid, what, buffers[id(acc)][0], g, f"y = a + b: the buffer of {name}'s node")
        if deps[acc] != left:
            fail(tid, what, f"y = a + b: {name}'s node should expect {left} more gradient(s) after this one "
                            f"(deps[child] -= 1), got {deps[acc]}")
    queued = [entry[-1] for entry in ready]
    if queued != [acc_a]:
        fail(tid, what, "only a's node is complete (deps 0): it alone should be on the ready heap, as "
                        "(-child._seq, id(child), child)")


def test_1_3_ready_queue():
    tid, what = "1.3", "the ready-queue loop runs each node once, after all its consumers"
    x = leaf([1.0, -2.0, 0.5])
    a = Triple.apply(x)
    b = a + a
    y = b + a  # dy/da = 3, dy/dx = 9
    Triple.calls = 0
    with task(tid, what):
        (gx,) = minitorch.autograd.grad(y, [x], minitorch.ones(3, dtype=minitorch.float64))
    if Triple.calls != 1:
        fail(tid, what, f"for a = Triple(x); b = a + a; y = b + a, Triple's backward ran {Triple.calls} times: a node "
                        "must run exactly once, with the SUM of the gradients from all its consumers")
    assert_close(tid, what, gx, [9.0, 9.0, 9.0], "dy/dx for a = 3x; b = a + a; y = b + a (3 * 3 = 9)")


def test_1_4_accumulate_unit():
    tid, what = "1.4", "_accumulate adds into a leaf's .grad"
    x = leaf([0.0, 0.0])
    g1 = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64)
    g2 = minitorch.tensor([3.0, 5.0], dtype=minitorch.float64)
    with task(tid, what):
        engine._accumulate(x, g1, False)
    if x.grad is None:
        fail(tid, what, "after the first gradient, x.grad should be set (it was None)")
    assert_close(tid, what, x.grad, [1.0, 2.0], "x.grad after the first gradient")
    with task(tid, what), minitorch.no_grad():
        engine._accumulate(x, g2, False)
    assert_close(tid, what, x.grad, [4.0, 7.0], "x.grad after a second gradient (gradients add up)")
    if x.grad.requires_grad:
        fail(tid, what, "without create_graph, .grad must not require grad (store g.detach())")


def test_1_4_backward_accumulates():
    tid, what = "1.4", "backward() accumulates into .grad across calls"
    x = leaf([1.0, 2.0, 3.0])
    if x.grad is not None:
        fail(tid, what, "a fresh leaf has .grad None")
    for k in (1, 2):
        y = Triple.apply(x) + x  # dy/dx = 4
        with task(tid, what):
            y.backward(minitorch.ones(3, dtype=minitorch.float64))
        assert_close(tid, what, x.grad, np.full(3, 4.0 * k), f"x.grad after {k} backward call(s) of y = 3x + x")
