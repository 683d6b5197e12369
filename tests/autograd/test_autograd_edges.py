"""Edge cases of the autograd API as a user sees it, compared with PyTorch where the API is shared.

Each case is a function of the library module ``T`` (minitorch or torch): the
same code runs on both, and the results, or the exception types and messages,
must agree.
"""

import warnings

import numpy as np
import pytest

import minitorch
from minitorch import autograd


def _x(T, values=(1.0, 2.0, 3.0)):
    return T.tensor(list(values), requires_grad=True)


def _outcome(T, case):
    """``("ok", numbers)`` or ``("error", type name, message with the library's name removed)``."""
    try:
        result = case(T)
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return ("error", type(e).__name__, str(e).replace("minitorch.", "").replace("torch.", ""))
    return ("ok", _numbers(result))


def _numbers(r):
    if isinstance(r, (list, tuple)):
        return [_numbers(v) for v in r]
    if isinstance(r, dict):
        return {k: _numbers(v) for k, v in r.items()}
    if hasattr(r, "detach"):
        return (list(r.shape), np.round(np.asarray(r.detach().tolist(), dtype=float), 4).tolist(), bool(r.requires_grad))
    return r


def _same_as_torch(case):
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected, got = _outcome(torch, case), _outcome(minitorch, case)
    assert got == expected


# ---- gradients accumulate into memory the leaf owns -------------------------------------------------------------------
def _sum_twice(T):
    x = _x(T)
    x.sum().backward()  # the first .grad comes from a read-only broadcast of one number
    x.sum().backward()
    return x.grad


def _edit_grad_after_sum(T):
    x = _x(T)
    x.sum().backward()
    x.grad.add_(1)
    return x.grad


def _sum_with_create_graph_then_plain(T):
    x = _x(T)
    y = x.sum()
    y.backward(create_graph=True)
    y.backward()
    return x.grad


def _hook_keeps_grad(T):
    x, kept = _x(T), []
    x.register_hook(lambda g: kept.append(g))
    (x * x).sum().backward()
    (x * x).sum().backward()
    return kept[0], x.grad


def _hook_returns_own_tensor(T):
    x, c = _x(T), T.ones(3)
    x.register_hook(lambda g: c)
    (x * x).sum().backward()
    (x * x).sum().backward()
    return c, x.grad


def _inputs_keeps_grad_output(T):
    x = _x(T)
    w = x * 2
    g = T.ones(3)
    w.backward(g, inputs=[w])  # non-leaf input: its .grad must not be the caller's tensor
    w.grad.add_(1)
    return g, w.grad


@pytest.mark.parametrize("case", [_sum_twice, _edit_grad_after_sum, _sum_with_create_graph_then_plain, _hook_keeps_grad,
                                  _hook_returns_own_tensor, _inputs_keeps_grad_output])
def test_accumulation_never_writes_into_shared_memory(case):
    _same_as_torch(case)


def test_sum_backward_twice_accumulates():
    x = minitorch.ones(3, requires_grad=True)
    x.sum().backward()
    x.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0, 2.0])


def test_grad_layout_follows_the_leaf():
    torch = pytest.importorskip("torch")
    for T in (torch, minitorch):
        x = T.ones(3, 4).t().requires_grad_()  # a transposed leaf: its .grad is laid out like it
        (x * 2).sum().backward()
        y = T.ones(3, 4, requires_grad=True)  # a gradient computed transposed is stored contiguous
        (y.t() * 2).sum().backward()
        if T is torch:
            expected = (x.grad.stride(), y.grad.stride())
        else:
            assert (x.grad.stride(), y.grad.stride()) == expected


# ---- autograd.grad and backward: arguments and messages -------------------------------------------------------------
def _grad_then_backward(T):
    x = _x(T)
    y = x.exp()
    z = y.sum()
    (g,) = T.autograd.grad(z, y)  # only z's own node runs: y's node keeps what it saved
    z.backward()
    return g, x.grad


def _grad_unused_second(T):
    x, y = _x(T), _x(T)
    return T.autograd.grad((x * 2).sum(), [x, y])


def _materialize_with_allow_unused_false(T):
    x, y = _x(T), _x(T)
    return T.autograd.grad((x * 2).sum(), [x, y], allow_unused=False, materialize_grads=True)


def _materialize_create_graph(T):
    x, y = _x(T), _x(T)
    return T.autograd.grad((x * x).sum(), [y, x], create_graph=True, materialize_grads=True)


def _grad_dict_inputs(T):
    x, y = _x(T), _x(T)
    return T.autograd.grad((x * y).sum(), {"x": x, "y": y})


def _grad_empty_inputs(T):
    x = _x(T)
    return T.autograd.grad((x * 2).sum(), [])


def _backward_empty_inputs(T):
    x = _x(T)
    (x * 2).sum().backward(inputs=[])


def _backward_inputs_without_grad(T):
    x = _x(T)
    (x * 2).sum().backward(inputs=[T.ones(3)])


def _too_few_gradients(T):
    x = _x(T)
    T.autograd.backward([(x * 2).sum(), (x * 3).sum()], [None])


def _gradient_not_a_tensor(T):
    x = _x(T)
    T.autograd.backward([(x * 2).sum()], [2.0])


def _grad_outputs_not_a_tensor(T):
    x = _x(T)
    return T.autograd.grad((x * 2).sum(), x, [1.0])


def _gradient_wrong_shape(T):
    x = _x(T)
    (x * 2).backward(T.ones(2))


def _grad_variables_and_grad_tensors(T):
    x = _x(T)
    T.autograd.backward((x * 2).sum(), T.tensor(1.0), grad_variables=T.tensor(1.0))


def _grad_variables(T):
    x = _x(T)
    T.autograd.backward((x * 2).sum(), grad_variables=T.tensor(3.0))
    return x.grad


def _backward_inputs_repeated(T):
    x = _x(T)
    (x * x).sum().backward(inputs=[x, x])  # x listed twice: its gradient still arrives once
    return x.grad


def _grad_wrt_output_itself(T):
    x = _x(T)
    return T.autograd.grad(x, x, T.ones(3) * 2)


@pytest.mark.parametrize("case", [
    _grad_then_backward, _grad_unused_second, _materialize_with_allow_unused_false, _materialize_create_graph,
    _grad_dict_inputs, _grad_empty_inputs, _backward_empty_inputs, _backward_inputs_without_grad, _too_few_gradients,
    _gradient_not_a_tensor, _grad_outputs_not_a_tensor, _gradient_wrong_shape, _grad_variables_and_grad_tensors,
    _grad_variables, _backward_inputs_repeated, _grad_wrt_output_itself,
])
def test_grad_and_backward_arguments_match_torch(case):
    _same_as_torch(case)


def test_deprecated_arguments_warn():
    x = _x(minitorch)
    with pytest.warns(FutureWarning, match="only_inputs argument is deprecated"):
        autograd.grad((x * x).sum(), x, only_inputs=False)
    with pytest.warns(FutureWarning, match="`grad_variables` is deprecated"):
        autograd.backward((x * x).sum(), grad_variables=minitorch.tensor(1.0))


def test_backward_create_graph_warns_once(monkeypatch):
    monkeypatch.setattr(autograd, "_warned_create_graph", [False])
    x = _x(minitorch)
    with pytest.warns(UserWarning, match="create_graph=True will create a reference cycle"):
        (x * x).sum().backward(create_graph=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (x * x).sum().backward(create_graph=True)
    np.testing.assert_allclose(x.grad.detach().numpy(), [4.0, 8.0, 12.0])


# ---- hooks ----------------------------------------------------------------------------------------------------------
def _hook_changes_size(T):
    x = _x(T)
    w = x * 2
    w.register_hook(lambda g: g[:2])
    (w * w).sum().backward()


def _hook_changes_dtype(T):
    x = _x(T)
    w = x * 2
    w.register_hook(lambda g: g.double())
    (w * w).sum().backward()


def _hook_returns_number(T):
    x = _x(T)
    x.register_hook(lambda g: 3)
    (x * x).sum().backward()


def _hook_on_tensor_without_grad(T):
    T.ones(3).register_hook(lambda g: g)


def _post_hook_replaces_grad_inputs(T):
    x = _x(T)
    w = x * 2
    w.grad_fn.register_hook(lambda grad_inputs, grad_outputs: (grad_inputs[0] * 10, None))
    (w * w).sum().backward()
    return x.grad


def _post_hook_wrong_count(T):
    x = _x(T)
    w = x * 2
    w.grad_fn.register_hook(lambda grad_inputs, grad_outputs: (grad_inputs[0],))
    (w * w).sum().backward()


def _node_prehook_returns_tensor(T):
    x = _x(T)
    w = x * 2
    w.grad_fn.register_prehook(lambda grad_outputs: grad_outputs[0])  # must return a tuple
    (w * w).sum().backward()


def _grad_captures_around_hooks(T):
    x = _x(T)
    y = x * 2
    y.register_hook(lambda g: g * 10)
    z = (y * y).sum()
    # y's node runs (x lies below it): y's gradient is taken before its hook, which still reaches x.
    return T.autograd.grad(z, [y, x]), T.autograd.grad((y * y).sum(), [y])


def _hooks_then_retain_grad(T):
    x = _x(T)
    w = x * 2
    w.retain_grad()
    w.register_hook(lambda g: g * 100)  # the retained .grad sees what the hooks made of it
    (w * w).sum().backward()
    return w.grad, x.grad


@pytest.mark.parametrize("case", [_hook_changes_size, _hook_changes_dtype, _hook_returns_number,
                                  _hook_on_tensor_without_grad, _post_hook_replaces_grad_inputs, _post_hook_wrong_count,
                                  _node_prehook_returns_tensor, _grad_captures_around_hooks, _hooks_then_retain_grad])
def test_hooks_match_torch(case):
    _same_as_torch(case)


# ---- custom Functions: what backward may return -------------------------------------------------------------------
def _function(T, forward, backward):
    return type("Fn", (T.autograd.Function,), {"forward": staticmethod(forward), "backward": staticmethod(backward)})


def _extra_trailing_none(T):
    x = _x(T)
    _function(T, lambda ctx, x: x * 2, lambda ctx, g: (g * 2, None)).apply(x).sum().backward()
    return x.grad


def _grad_for_a_number_argument(T):
    x = _x(T)
    _function(T, lambda ctx, x, k: x * k, lambda ctx, g: (g * 3, g)).apply(x, 3.0).sum().backward()


def _backward_returns_a_float(T):
    x = _x(T)
    _function(T, lambda ctx, x: x * 2, lambda ctx, g: 2.0).apply(x).sum().backward()


def _backward_returns_a_list(T):
    x = _x(T)
    _function(T, lambda ctx, x: x * 2, lambda ctx, g: [g]).apply(x).sum().backward()


def _backward_returns_wrong_shape(T):
    x = _x(T)
    _function(T, lambda ctx, x: x * 2, lambda ctx, g: T.ones(2)).apply(x).sum().backward()


@pytest.mark.parametrize("case", [_extra_trailing_none, _grad_for_a_number_argument, _backward_returns_a_float,
                                  _backward_returns_a_list, _backward_returns_wrong_shape])
def test_custom_backward_results_match_torch(case):
    torch = pytest.importorskip("torch")
    expected, got = _outcome(torch, case), _outcome(minitorch, case)
    assert got == expected


def test_too_many_gradients_still_raises():
    x = _x(minitorch)
    fn = _function(minitorch, lambda ctx, x: x * 2, lambda ctx, g: (g, g))
    with pytest.raises(RuntimeError, match=r"returned an incorrect number of gradients \(expected 1, got 2\)"):
        fn.apply(x).sum().backward()


# ---- grad modes as decorators ---------------------------------------------------------------------------------------
def _bare_decorators(T):
    @T.no_grad
    def off():
        return T.is_grad_enabled()

    @T.enable_grad
    def on():
        return T.is_grad_enabled()

    @T.inference_mode
    def inference():
        return T.is_grad_enabled()

    with T.no_grad():
        inside = on()
    return off(), inside, inference(), T.is_grad_enabled()


def _generator_in_no_grad(T):
    @T.no_grad()
    def gen(x):
        for _ in range(2):
            yield (x * 2).requires_grad

    steps = gen(_x(T))
    first = next(steps)
    between = T.is_grad_enabled()  # the caller's mode between two steps
    return first, between, next(steps), (_x(T) * 2).requires_grad


def _generator_send_and_return(T):
    @T.enable_grad()
    def gen():
        got = yield T.is_grad_enabled()
        yield got * 10
        return "done"

    with T.no_grad():
        steps = gen()
        first = next(steps)
        second = steps.send(4)
        try:
            next(steps)
        except StopIteration as stop:
            return first, second, stop.value, T.is_grad_enabled()


def _set_grad_enabled_decorator(T):
    @T.set_grad_enabled(False)
    def f():
        return T.is_grad_enabled()

    return T.is_grad_enabled(), f(), f(), T.is_grad_enabled()


def _inference_mode_false(T):
    with T.no_grad(), T.inference_mode(False):
        inner = T.is_grad_enabled()
    with T.inference_mode(False):
        return inner, T.is_grad_enabled()


def _set_grad_enabled_needs_a_bool(T):
    T.set_grad_enabled(0)


def _inference_mode_keyword(T):
    with T.inference_mode(mode=False):
        return T.is_grad_enabled()


@pytest.mark.parametrize("case", [_bare_decorators, _generator_in_no_grad, _generator_send_and_return,
                                  _set_grad_enabled_decorator, _inference_mode_false, _set_grad_enabled_needs_a_bool,
                                  _inference_mode_keyword])
def test_grad_mode_decorators_match_torch(case):
    _same_as_torch(case)


def test_generator_closed_early_restores_mode():
    @minitorch.no_grad()
    def gen():
        yield minitorch.is_grad_enabled()
        yield minitorch.is_grad_enabled()

    steps = gen()
    assert next(steps) is False
    steps.close()
    assert minitorch.is_grad_enabled()


# ---- anomaly mode ------------------------------------------------------------------------------------------------------
def test_anomaly_check_nan_false_lets_nan_through():
    x = minitorch.tensor([0.0, 1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        mode = autograd.detect_anomaly(check_nan=False)
    with mode:
        assert autograd.is_anomaly_enabled() and not autograd.is_anomaly_check_nan_enabled()
        (x / x).sum().backward()
    assert np.isnan(x.grad.numpy()[0]) and autograd.is_anomaly_check_nan_enabled()


def test_anomaly_without_forward_trace():
    x = minitorch.tensor([0.0, 1.0], requires_grad=True)
    y = (x / x).sum()  # recorded with anomaly mode off: no trace to show
    with autograd.set_detect_anomaly(True), \
            pytest.warns(UserWarning, match="Error detected in DivBackward0. No forward pass information available"), \
            pytest.raises(RuntimeError, match=r"^Function 'DivBackward0' returned nan values in its 1th output\.$"):
        y.backward()
    assert not autograd.is_anomaly_enabled()


def test_anomaly_shows_forward_trace_for_any_backward_error():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mode = autograd.detect_anomaly()
    with mode:
        y = x.exp()  # saved for backward, then changed in place
        with minitorch.no_grad():
            y.mul_(2)
        with pytest.warns(UserWarning, match="Error detected in ExpBackward0") as record, \
                pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()
    assert any("y = x.exp()" in str(w.message) for w in record)


