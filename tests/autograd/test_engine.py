"""The backward engine: order, accumulation, freeing, hooks, higher order, errors."""

import gc

import numpy as np
import pytest

import minitorch
from minitorch import autograd
from minitorch.autograd import engine


def leaf(*shape, seed=0, dtype=minitorch.float64):
    rng = np.random.default_rng(seed)
    return minitorch.tensor(rng.standard_normal(shape), dtype=dtype, requires_grad=True)


def test_diamond_accumulates():
    a = minitorch.tensor(1.0, requires_grad=True)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad.item() == 4.0


def test_shared_subexpression_chain_rule():
    x = minitorch.tensor(3.0, requires_grad=True)
    y = x * x  # used twice below
    z = y * y + y  # dz/dx = (2y + 1) * 2x
    z.backward()
    assert x.grad.item() == pytest.approx((2 * 9 + 1) * 6)


def _record_order(loss):
    order = []
    engine._observers.append(lambda node, gi, go: order.append(node.name()))
    try:
        loss.backward()
    finally:
        engine._observers.pop()
    return order


def test_golden_backward_order_small_graph():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    w = minitorch.tensor([3.0, 4.0], requires_grad=True)
    h = (x * w).exp()
    loss = (h + x).sum()
    order = _record_order(loss)
    # Later-created ready nodes run first (PyTorch's order); each leaf accumulates once.
    assert order == ["SumBackward0", "AddBackward0", "ExpBackward0", "MulBackward0",
                     "AccumulateGrad", "AccumulateGrad"]


def test_golden_order_matches_pytorch():
    torch = pytest.importorskip("torch")

    def build(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        w = lib.tensor([3.0, 4.0], requires_grad=True)
        a = x * w
        b = a.exp()
        c = a.sin()
        return (b * c + x).sum()

    ours = [n for n in _record_order(build(minitorch)) if n != "AccumulateGrad"]
    theirs = []
    loss = build(torch)
    seen, stack = [], [loss.grad_fn]
    # Reconstruct torch's execution order with hooks on every node.
    nodes = []
    while stack:
        n = stack.pop()
        if n is None or n in nodes:
            continue
        nodes.append(n)
        stack.extend(f for f, _ in n.next_functions)
    for n in nodes:
        if type(n).__name__ != "AccumulateGrad":
            n.register_prehook(lambda g, n=n: theirs.append(n.name()))
    loss.backward()
    assert ours == theirs
    del seen


def test_chain_of_100000_ops_no_recursion():
    x = minitorch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0
    del y


def test_backward_does_not_mutate_inputs_or_upstream_grad():
    a = leaf(3, 4, seed=1)
    b = leaf(3, 4, seed=2)
    a0, b0 = a.detach().clone(), b.detach().clone()
    g = minitorch.ones(3, 4, dtype=minitorch.float64) * 2
    g0 = g.clone()
    out = a * b + a
    out.backward(g)
    assert minitorch.equal(a.detach(), a0) and minitorch.equal(b.detach(), b0)
    assert minitorch.equal(g, g0)
    a.grad.add_(1.0)  # changing a gradient must not change the user's tensor
    assert minitorch.equal(g, g0)


def test_gradients_of_different_inputs_never_share_memory():
    a = leaf(3, seed=1)
    b = leaf(3, seed=2)
    (a + b).sum().backward()
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    c = leaf(3, seed=3)
    d = c.detach().clone().requires_grad_()
    (c - d).sum().backward()
    assert not np.shares_memory(c.grad.numpy(), d.grad.numpy())


def test_accumulation_across_backward_calls():
    x = leaf(2)
    (x * 2).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [5.0, 5.0])


def test_no_live_nodes_after_training_steps():
    gc.collect()
    before = autograd.live_nodes()
    w = leaf(4, 3)
    x = minitorch.randn(8, 4, dtype=minitorch.float64)
    gc.disable()  # the graph must be freed by reference counting alone (no cycles)
    try:
        for _ in range(200):
            loss = (x @ w).relu().log_softmax(1).mean()
            w.grad = None
            loss.backward()
            with minitorch.no_grad():
                w -= 0.01 * w.grad
        del loss
        assert autograd.live_nodes() == before
    finally:
        gc.enable()


def test_saved_output_does_not_create_cycle():
    gc.collect()
    before = autograd.live_nodes()
    gc.disable()
    try:
        x = leaf(3)
        y = x.exp().tanh().sigmoid()
        assert autograd.live_nodes() > before
        del y
        assert autograd.live_nodes() == before
    finally:
        gc.enable()


def test_backward_twice_raises_pytorch_error():
    x = leaf(3)
    y = (x.exp()).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()


def test_retain_graph_allows_second_backward():
    x = leaf(3)
    y = (x.exp()).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.exp(x.detach().numpy()))


def test_implicit_grad_only_for_scalars():
    x = leaf(3)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()


def test_gradient_argument_and_shape_check():
    x = leaf(3)
    y = x * 2
    y.backward(minitorch.tensor([1.0, 2.0, 3.0], dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0, 6.0])
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        (x * 2).backward(minitorch.ones(2, dtype=minitorch.float64))


def test_backward_on_tensor_without_grad():
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        minitorch.tensor(1.0).backward()


def test_inplace_on_saved_tensor_raises_at_backward():
    x = leaf(3)
    y = x * 1
    z = (y * y).sum()
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.backward()


def test_inplace_on_saved_output_raises():
    x = leaf(3)
    y = x.exp()
    z = y.sum()
    with minitorch.no_grad():
        y.mul_(2)
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        z.backward()


def test_inplace_on_leaf_requiring_grad_raises_now():
    x = leaf(3)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place operation"):
        x.add_(1)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        x[:2].mul_(2)
    with minitorch.no_grad():
        x.add_(1)  # allowed without grad mode


def test_inplace_on_non_leaf_is_differentiable():
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True, dtype=lib.float64)
        y = x * 2
        y.mul_(x)
        y.add_(1)
        y.sum().backward()
        if lib is minitorch:
            ours = x.grad.numpy()
        else:
            np.testing.assert_allclose(ours, x.grad.numpy())


def test_setitem_on_non_leaf_differentiable_like_pytorch():
    torch = pytest.importorskip("torch")
    res = []
    for lib in (minitorch, torch):
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True, dtype=lib.float64)
        v = lib.tensor([10.0, 20.0], requires_grad=True, dtype=lib.float64)
        y = x * 3
        y[1:3] = v * v
        (y * lib.arange(4, dtype=lib.float64)).sum().backward()
        res.append((x.grad.numpy().copy(), v.grad.numpy().copy()))
    np.testing.assert_allclose(res[0][0], res[1][0])
    np.testing.assert_allclose(res[0][1], res[1][1])


def test_inplace_on_view_of_graph_tensor_is_differentiable():
    x = leaf(4)
    y = x * 2
    y[:2].mul_(3)  # PyTorch's CopySlices: the view's change flows back through its base
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 6.0, 2.0, 2.0])


def test_tensor_hooks_and_retain_grad():
    x = leaf(3)
    y = x * 2
    y.retain_grad()
    seen = []
    y.register_hook(lambda g: seen.append(g.clone()))
    x.register_hook(lambda g: g * 10)  # a hook may replace the gradient
    (y * y).sum().backward()
    np.testing.assert_allclose(seen[0].numpy(), 2 * y.detach().numpy())
    np.testing.assert_allclose(y.grad.numpy(), 2 * y.detach().numpy())
    np.testing.assert_allclose(x.grad.numpy(), 10 * 4 * y.detach().numpy())


def test_non_leaf_grad_access_warns():
    x = leaf(2)
    y = x * 2
    y.sum().backward()
    with pytest.warns(UserWarning, match="not a leaf Tensor"):
        assert y.grad is None


def test_autograd_grad_and_higher_order():
    x = minitorch.tensor(0.5, requires_grad=True, dtype=minitorch.float64)
    y = x.tanh()
    (d1,) = autograd.grad(y, x, create_graph=True)
    (d2,) = autograd.grad(d1, x, create_graph=True)
    (d3,) = autograd.grad(d2, x)
    t = np.tanh(0.5)
    assert d1.item() == pytest.approx(1 - t * t)
    assert d2.item() == pytest.approx(-2 * t * (1 - t * t))
    assert d3.item() == pytest.approx(-2 * (1 - t * t) ** 2 + 4 * t * t * (1 - t * t))
    assert x.grad is None  # grad() does not touch .grad


def test_grad_of_grad_sum_gives_second_derivative():
    x = leaf(4)
    y = (x ** 3).sum()
    (g,) = autograd.grad(y, x, create_graph=True)
    (h,) = autograd.grad(g.sum(), x)
    np.testing.assert_allclose(h.numpy(), 6 * x.detach().numpy())


def test_grad_allow_unused():
    x, z = leaf(2), leaf(2, seed=3)
    y = (x * 2).sum()
    with pytest.raises(RuntimeError, match="appears to not have been used"):
        autograd.grad(y, [x, z], retain_graph=True)
    gx, gz = autograd.grad(y, [x, z], allow_unused=True)
    assert gz is None and gx is not None


def test_grad_wrt_intermediate():
    x = leaf(3)
    h = x * 2
    y = (h * h).sum()
    (gh,) = autograd.grad(y, h)
    np.testing.assert_allclose(gh.numpy(), 2 * h.detach().numpy())


def test_grad_mode_switches():
    x = leaf(2)
    with minitorch.no_grad():
        assert not (x * 2).requires_grad
        with minitorch.enable_grad():
            assert (x * 2).requires_grad

    @minitorch.no_grad()
    def f(t):
        return t * 2

    assert not f(x).requires_grad
    assert minitorch.is_grad_enabled()
    minitorch.set_grad_enabled(False)
    assert not minitorch.is_grad_enabled()
    minitorch.set_grad_enabled(True)
    with minitorch.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad
    with minitorch.inference_mode():
        assert not (x * 2).requires_grad


def test_requires_grad_rules():
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype can require gradients"):
        minitorch.tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="only Tensors of floating point"):
        minitorch.tensor([1, 2]).requires_grad_()
    x = leaf(2)
    y = x * 2
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf variables"):
        y.requires_grad = False
    # Integer results never require grad.
    assert not (x > 0).requires_grad
    assert not x.argmax().requires_grad


def test_item_on_multi_element_tensor():
    with pytest.raises(RuntimeError, match="a Tensor with 6 elements cannot be converted to Scalar"):
        minitorch.ones(2, 3).item()


def test_detect_anomaly_names_op_and_forward_line():
    x = minitorch.tensor([0.0, 1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"), autograd.detect_anomaly():
        y = x.sqrt()  # the forward line that creates the NaN gradient at 0 * inf
        z = (y * 0).sum()
        with pytest.warns(UserWarning, match="Error detected in SqrtBackward0") as record, \
                pytest.raises(RuntimeError, match=r"^Function 'SqrtBackward0' returned nan values in its 0th output\.$"):
            z.backward()
    assert any("y = x.sqrt()" in str(w.message) for w in record)


def test_custom_function_with_wrong_gradient_shape():
    class Bad(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad[:1]

    x = leaf(3)
    with pytest.raises(RuntimeError, match="returned an invalid gradient at index 0"):
        Bad.apply(x).sum().backward()


def test_custom_function_save_for_backward_and_needs_input_grad():
    class MulAdd(autograd.Function):
        @staticmethod
        def forward(ctx, a, b, k):
            ctx.save_for_backward(a, b)
            ctx.k = k
            return a * b + k

        @staticmethod
        def backward(ctx, grad):
            a, b = ctx.saved_tensors
            assert ctx.needs_input_grad == (True, False, False)
            return grad * b, None, None

    a = leaf(3)
    b = minitorch.ones(3, dtype=minitorch.float64) * 2
    out = MulAdd.apply(a, b, 5.0)
    assert out.grad_fn.name() == "MulAddBackward"  # a user Function: no 0, as in PyTorch
    out.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), 2.0)


def test_grad_fn_names_and_next_functions():
    x = leaf(2)
    y = (x * 2).sum()
    assert y.grad_fn.name() == "SumBackward0"
    (mul_node, _), = y.grad_fn.next_functions
    assert mul_node.name() == "MulBackward0"
    acc = mul_node.next_functions[0][0]
    assert acc.name() == "AccumulateGrad" and acc.variable is x


def test_dtype_of_gradient_matches_input():
    x = minitorch.ones(3, requires_grad=True)  # float32
    y = minitorch.ones(3, dtype=minitorch.float64, requires_grad=True)
    (x * y).sum().backward()
    assert x.grad.dtype == minitorch.float32 and y.grad.dtype == minitorch.float64


def test_backward_from_several_outputs_of_one_node():
    a = leaf(5, 4)
    pieces = a.chunk(2)
    autograd.backward(pieces, [minitorch.ones_like(p) * (i + 1) for i, p in enumerate(pieces)])
    np.testing.assert_allclose(a.grad.numpy()[:3], 1.0)
    np.testing.assert_allclose(a.grad.numpy()[3:], 2.0)
