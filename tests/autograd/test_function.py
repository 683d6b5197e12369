"""``autograd.Function`` as users write it: the same class body runs on minitorch and on PyTorch and must
behave the same (node names, ``needs_input_grad``, ``mark_dirty``, keyword arguments, ``setup_context``,
``once_differentiable``, what may be saved, ``next_functions``)."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch
from minitorch.autograd.function import once_differentiable


def _libs():
    libs = [minitorch]
    try:
        import torch

        libs.append(torch)
    except ImportError:
        pass
    return libs


def _function_classes(lib):
    Function = lib.autograd.Function

    class Scale(Function):
        @staticmethod
        def forward(ctx, x, factor, *, shift=0.0):
            ctx.seen_needs = ctx.needs_input_grad
            ctx.factor = factor
            return x * factor + shift

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.factor, None

    class AddOneInPlace(Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad

    class SquareSetup(Function):
        @staticmethod
        def forward(x):
            return x * x

        @staticmethod
        def setup_context(ctx, inputs, output):
            (x,) = inputs
            ctx.save_for_backward(x)

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * x * grad

    class Count(Function):
        @staticmethod
        def forward(ctx, x):
            return int(x.numel())

        @staticmethod
        def backward(ctx, grad):
            return None

    class SaveNumber(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 2.0)
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            return grad

    return dict(Scale=Scale, AddOneInPlace=AddOneInPlace, SquareSetup=SquareSetup, Count=Count, SaveNumber=SaveNumber)


def _run(lib, what):
    F = _function_classes(lib)
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    try:
        if what == "keyword_only_refused":
            F["Scale"].apply(x, 3.0, shift=1.0)
        if what == "keyword_bound_positionally":
            y = F["Scale"].apply(x, factor=3.0)
            y.sum().backward()
            return y.tolist(), x.grad.tolist()
        if what == "names_and_needs":
            y = F["Scale"].apply(x, 3.0)
            y.sum().backward()
            return y.grad_fn.name(), y.grad_fn.needs_input_grad, x.grad.tolist(), y.tolist()
        if what == "needs_in_forward":
            ctx_needs = []
            Scale = F["Scale"]
            y = Scale.apply(x, lib.ones(2))
            ctx_needs.append(tuple(y.grad_fn.seen_needs))
            return ctx_needs
        if what == "mark_dirty":
            y = x * 1
            z = F["AddOneInPlace"].apply(y)
            (z * z).sum().backward()
            return z is y, y.grad_fn.name(), y.tolist(), x.grad.tolist()
        if what == "mark_dirty_leaf":
            F["AddOneInPlace"].apply(x)
        if what == "setup_context":
            y = F["SquareSetup"].apply(x)
            y.sum().backward()
            return y.grad_fn.name(), x.grad.tolist()
        if what == "non_tensor_output":
            return F["Count"].apply(x)
        if what == "save_number":
            F["SaveNumber"].apply(x)
    except Exception as e:  # noqa: BLE001 - compared with PyTorch's
        return type(e).__name__, str(e)
    return "no error"


CASES = ["keyword_only_refused", "keyword_bound_positionally",
         "names_and_needs", "needs_in_forward", "mark_dirty", "mark_dirty_leaf", "setup_context",
         "non_tensor_output", "save_number"]


@pytest.mark.parametrize("what", CASES)
def test_custom_function_matches_torch(what):
    torch = pytest.importorskip("torch")
    assert _run(minitorch, what) == _run(torch, what)


def test_user_function_node_names_have_no_number_but_builtins_do():
    got = _run(minitorch, "names_and_needs")
    assert got[0] == "ScaleBackward" and got[2] == [3.0, 3.0] and got[1] == (True, False)
    x = minitorch.ones(2, requires_grad=True)
    assert (x * 2).grad_fn.name() == "MulBackward0"


def test_mark_dirty_joins_the_graph_in_place():
    is_same, name, value, grad = _run(minitorch, "mark_dirty")
    assert is_same and name == "AddOneInPlaceBackward"
    assert value == [2.0, 3.0] and grad == [4.0, 6.0]  # d/dx (x + 1)^2 = 2 (x + 1)
    assert _run(minitorch, "mark_dirty_leaf")[0] == "RuntimeError"


def test_once_differentiable_runs_once_and_refuses_a_second_derivative():
    class Cube(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        @once_differentiable
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            assert not minitorch.is_grad_enabled()
            return minitorch.from_numpy(3 * x.detach().numpy() ** 2 * grad.detach().numpy())

    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    (g,) = minitorch.autograd.grad(Cube.apply(x).sum(), x)
    np.testing.assert_allclose(g.numpy(), [3.0, 12.0])
    v = minitorch.ones(2, requires_grad=True)  # an upstream gradient in the graph: double backward would need it
    (g,) = minitorch.autograd.grad(Cube.apply(x), x, grad_outputs=v, create_graph=True)
    assert g.requires_grad and g.grad_fn.name() == "DelayedError"
    with pytest.raises(RuntimeError, match="trying to differentiate twice a function that was marked with "
                                           "@once_differentiable"):
        g.sum().backward()


def test_missing_forward_and_backward_say_what_to_implement():
    class NoBackward(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    class NoForward(minitorch.autograd.Function):
        pass

    x = minitorch.ones(2, requires_grad=True)
    with pytest.raises(NotImplementedError, match="You must implement the forward function"):
        NoForward.apply(x)
    with pytest.raises(NotImplementedError, match="You must implement either the backward or vjp method"):
        NoBackward.apply(x).sum().backward()


NEXT_FUNCTIONS = {
    "mul_number": lambda t, x: x * 2, "number_mul": lambda t, x: 2 * x, "add_number": lambda t, x: x + 2,
    "sub_number": lambda t, x: x - 2, "div_number": lambda t, x: x / 2, "pow_number": lambda t, x: x ** 2,
    "mul_tensor": lambda t, x: x * t.ones(2),
    "exp": lambda t, x: x.exp(), "sum": lambda t, x: x.sum(), "getitem": lambda t, x: x[0],
}


@pytest.mark.parametrize("name", list(NEXT_FUNCTIONS))
def test_next_functions_list_what_pytorch_lists(name):
    torch = pytest.importorskip("torch")

    def shape(lib):
        y = NEXT_FUNCTIONS[name](lib, lib.ones(2, requires_grad=True))
        names = [None if n is None else n.name().replace("torch::autograd::", "") for n, _ in y.grad_fn.next_functions]
        return y.grad_fn.name(), names

    assert shape(minitorch) == shape(torch)


def test_a_view_taken_before_an_inplace_change_reads_the_new_history():
    torch = pytest.importorskip("torch")
    grads = []
    for lib in (minitorch, torch):
        x = lib.ones(2, 3, requires_grad=True)
        y = x * 2
        z = y.t()
        y[1].mul_(3)
        (z * lib.arange(6.0).reshape(3, 2)).sum().backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1]


def test_mark_non_differentiable_on_a_returned_input():
    torch = pytest.importorskip("torch")

    def run(lib):
        class Same(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.mark_non_differentiable(a)
                return a

            @staticmethod
            def backward(ctx, grad):
                return grad

        y = Same.apply(lib.ones(2, requires_grad=True))
        return y.requires_grad, y.grad_fn is None

    assert run(minitorch) == run(torch) == (False, True)
