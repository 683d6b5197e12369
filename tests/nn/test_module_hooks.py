"""Module hooks compared with PyTorch: full backward (pre-)hooks, global module hooks, forward hooks with
kwargs/prepend/always_call, the old register_backward_hook. Each scenario is one function run twice, on
``minitorch`` and on ``torch`` (same weights), recording the hook calls; the two logs must agree."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch
from minitorch import nn

torch = pytest.importorskip("torch")


def _np(x):
    if x is None:
        return None
    if isinstance(x, (tuple, list)):
        return tuple(_np(v) for v in x)
    if hasattr(x, "detach"):
        return np.array(x.detach().numpy())
    return x


def _same(a, b):
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b), (a, b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray), (a, b)
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    else:
        assert a == b, (a, b)


def _compare(scenario):
    """Run ``scenario(lib, log)`` on both libraries; compare the logs (and what it returns)."""
    logs = []
    for lib in (minitorch, torch):
        log = []
        out = scenario(lib, log)
        logs.append((log, _np(out)))
    (log_m, out_m), (log_t, out_t) = logs
    assert [e[0] for e in log_m] == [e[0] for e in log_t]
    for em, et in zip(log_m, log_t):
        _same(_np(em), _np(et))
    _same(out_m, out_t)


def _linear(lib, n_in=3, n_out=2, seed=0):
    rng = np.random.default_rng(seed)
    m = lib.nn.Linear(n_in, n_out)
    with lib.no_grad():
        m.weight.copy_(lib.tensor(rng.standard_normal((n_out, n_in)).astype(np.float32)))
        m.bias.copy_(lib.tensor(rng.standard_normal(n_out).astype(np.float32)))
    return m


def _x(lib, shape=(4, 3), seed=1, requires_grad=True):
    return lib.tensor(np.random.default_rng(seed).standard_normal(shape).astype(np.float32),
                      requires_grad=requires_grad)


def test_full_backward_hook_and_pre_hook_order_and_arguments():
    def scenario(lib, log):
        seq = lib.nn.Sequential(_linear(lib), lib.nn.Tanh(), _linear(lib, 2, 2, seed=3))
        for i, m in enumerate(seq):
            m.register_full_backward_pre_hook(lambda mod, go, i=i: log.append((f"pre{i}", go)))
            m.register_full_backward_hook(lambda mod, gi, go, i=i: log.append((f"hook{i}", gi, go)))
        seq.register_full_backward_hook(lambda mod, gi, go: log.append(("seq", gi, go)))
        x = _x(lib)
        seq(x).pow(2).sum().backward()
        return x.grad, seq[0].weight.grad

    _compare(scenario)


def test_full_backward_hook_replaces_grad_input_and_prepend():
    def scenario(lib, log):
        m = _linear(lib)
        m.register_full_backward_hook(lambda mod, gi, go: log.append(("second", gi)))
        m.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 3,), prepend=True)
        m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 2,))
        m.register_full_backward_pre_hook(lambda mod, go: log.append(("pre_first", go)), prepend=True)
        x = _x(lib)
        m(x).sum().backward()
        return x.grad, m.weight.grad  # the weight gets the doubled grad_output, x three times that

    _compare(scenario)


def test_full_backward_hook_several_inputs_outputs_non_tensors():
    def scenario(lib, log):
        class Two(lib.nn.Module):
            def forward(self, a, scale, b):
                return a * b * scale, a + 1, (a > 0)

        m = Two()
        m.register_full_backward_pre_hook(lambda mod, go: log.append(("pre", go)))
        m.register_full_backward_hook(lambda mod, gi, go: log.append(("hook", gi, go)))
        a = _x(lib, (2,))
        b = _x(lib, (2,), seed=2, requires_grad=False)
        y, z, w = m(a, 2.0, b)
        log.append(("req", y.requires_grad, z.requires_grad, w.requires_grad, type(y.grad_fn).__name__))
        y.sum().backward()
        return a.grad

    _compare(scenario)


def test_full_backward_hook_no_input_requires_grad_warns():
    def scenario(lib, log):
        m = _linear(lib)
        m.register_full_backward_hook(lambda mod, gi, go: log.append(("hook", gi, go)))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            m(_x(lib, requires_grad=False)).sum().backward()
        log.append(("warn", [str(x.message)[:60] for x in w]))
        m.register_full_backward_hook(lambda mod, gi, go: (lib.ones(1),))
        with pytest.raises(RuntimeError) as e:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m(_x(lib, requires_grad=False)).sum().backward()
        log.append(("err", str(e.value)))
        return m.weight.grad

    _compare(scenario)


def test_full_backward_hook_errors():
    def scenario(lib, log):
        m = _linear(lib)
        m.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
        with pytest.raises(RuntimeError) as e:
            m(_x(lib)).sum().backward()
        log.append(("count", str(e.value)))
        p = _linear(lib)
        p.register_full_backward_pre_hook(lambda mod, go: (go[0], go[0]))
        with pytest.raises(RuntimeError) as e:
            p(_x(lib)).sum().backward()
        log.append(("precount", str(e.value)))
        q = _linear(lib)
        q.register_backward_hook(lambda *a: None)
        with pytest.raises(RuntimeError) as e:
            q.register_full_backward_hook(lambda *a: None)
        log.append(("mixed", str(e.value)))
        relu = lib.nn.ReLU(inplace=True)
        relu.register_full_backward_hook(lambda *a: None)
        with pytest.raises(RuntimeError) as e:
            relu(_x(lib) * 1)
        log.append(("inplace", str(e.value)))
        return None

    _compare(scenario)


def test_backward_hook_on_dict_output_warns_and_is_not_called():
    def scenario(lib, log):
        class D(lib.nn.Module):
            def forward(self, x):
                return {"y": x * 2}

        m = D()
        m.register_full_backward_hook(lambda mod, gi, go: log.append(("hook", gi, go)))
        x = _x(lib)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            out = m(x)
        log.append(("warn", [str(v.message).split(" but received")[0] for v in w]))
        out["y"].sum().backward()
        return x.grad

    _compare(scenario)


def test_global_module_hooks_order_and_remove():
    def scenario(lib, log):
        mm = lib.nn.modules.module
        seq = lib.nn.Sequential(_linear(lib), lib.nn.ReLU())
        seq[0].register_forward_pre_hook(lambda mod, args: log.append(("local_pre", type(mod).__name__)))
        seq[0].register_forward_hook(lambda mod, args, out: log.append(("local_fwd", type(mod).__name__)))
        seq[0].register_full_backward_hook(lambda mod, gi, go: log.append(("local_bwd", type(mod).__name__)))
        handles = [
            mm.register_module_forward_pre_hook(lambda mod, args: log.append(("g_pre", type(mod).__name__))),
            mm.register_module_forward_hook(lambda mod, args, out: log.append(("g_fwd", type(mod).__name__, out))),
            mm.register_module_forward_hook(lambda mod, args, kw, out: log.append(("g_kw", sorted(kw))),
                                            with_kwargs=True),
            mm.register_module_full_backward_pre_hook(lambda mod, go: log.append(("g_bpre", type(mod).__name__))),
            mm.register_module_full_backward_hook(lambda mod, gi, go: log.append(("g_bwd", type(mod).__name__, gi))),
        ]
        try:
            with pytest.raises(RuntimeError) as e:
                mm.register_module_backward_hook(lambda *a: None)
            log.append(("mixed", str(e.value)))
            x = _x(lib)
            seq(x).sum().backward()
        finally:
            for h in handles:
                h.remove()
        n = len(log)
        seq(x)
        log.append(("after_remove", len(log) - n))  # only the local hooks
        return x.grad

    _compare(scenario)


def test_forward_hooks_kwargs_prepend_always_call():
    def scenario(lib, log):
        class K(lib.nn.Module):
            def forward(self, x, scale=1.0):
                if scale < 0:
                    raise ValueError("negative")
                return x * scale

        m = K()
        m.register_forward_pre_hook(lambda mod, args, kw: (args, {"scale": kw.get("scale", 1.0) * 2}),
                                    with_kwargs=True)
        m.register_forward_pre_hook(lambda mod, args: log.append(("first_pre", len(args))), prepend=True)
        m.register_forward_hook(lambda mod, args, kw, out: log.append(("kw", kw)) or out + 1, with_kwargs=True)
        m.register_forward_hook(lambda mod, args, out: log.append(("first", _np(out))), prepend=True)
        m.register_forward_hook(lambda mod, args, out: log.append(("always", out)), always_call=True)
        out = m(lib.ones(2), scale=3.0)
        with pytest.raises(ValueError):
            m(lib.ones(2), scale=-1.0)
        bad = K()
        bad.register_forward_pre_hook(lambda mod, args, kw: args, with_kwargs=True)
        with pytest.raises(RuntimeError) as e:
            bad(lib.ones(1))
        log.append(("bad", str(e.value).split(" but got")[0]))
        return out

    _compare(scenario)


def test_old_register_backward_hook_single_op_module():
    def scenario(lib, log):
        m = lib.nn.Sigmoid()
        m.register_backward_hook(lambda mod, gi, go: log.append(("old", gi, go)))
        x = _x(lib)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            y = m(x)
        log.append(("warned", len(w)))
        y.sum().backward()
        return x.grad

    _compare(scenario)


def test_old_register_backward_hook_multi_node_warns():
    def scenario(lib, log):
        class Two(lib.nn.Module):
            def forward(self, x):
                return (x * 2).exp()

        m = Two()
        m.register_backward_hook(lambda mod, gi, go: (gi[0] * 0,))
        x = _x(lib)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            y = m(x)
        log.append(("warn", [str(v.message) for v in w], [v.category.__name__ for v in w]))
        y.sum().backward()
        return x.grad

    _compare(scenario)


def test_hooks_removed_by_handle_and_no_hooks_fast_path():
    m = nn.Linear(2, 2)
    calls = []
    h1 = m.register_full_backward_hook(lambda *a: calls.append(1))
    h2 = m.register_full_backward_pre_hook(lambda *a: calls.append(2))
    x = minitorch.randn(3, 2, requires_grad=True)
    m(x).sum().backward()
    assert calls == [2, 1]
    h1.remove()
    h2.remove()
    out = m(x)
    assert type(out.grad_fn).__name__ != "BackwardHookFunctionBackward"
    out.sum().backward()
    assert calls == [2, 1]


def test_full_backward_hook_double_backward_values():
    def scenario(lib, log):
        m = lib.nn.Tanh()
        m.register_full_backward_hook(lambda mod, gi, go: log.append(("hook", gi, go)))
        x = _x(lib, (3,))
        y = m(x)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        g.sum().backward()
        return x.grad

    _compare(scenario)


def test_global_forward_hook_always_call_and_pre_hook_single_value():
    def scenario(lib, log):
        mm = lib.nn.modules.module

        class Boom(lib.nn.Module):
            def forward(self, x):
                raise ValueError("boom")

        handles = [mm.register_module_forward_hook(lambda mod, args, out: log.append(("always", out)),
                                                   always_call=True)]
        try:
            with pytest.raises(ValueError):
                Boom()(lib.ones(1))
        finally:
            handles[0].remove()
        m = lib.nn.Identity()
        m.register_forward_pre_hook(lambda mod, args: args[0] * 2)  # one value: wrapped into a tuple
        return m(lib.ones(2))

    _compare(scenario)
