"""Edge cases of the optimizers and schedulers, each compared with PyTorch.

PyTorch's implementation flags (foreach, fused, capturable, differentiable),
hyperparameters given as tensors, the exact ``state_dict`` layout, resuming,
pickling, and scheduler details (warnings, tensor learning rates, resuming).
"""

from __future__ import annotations

import itertools
import pickle
import warnings

import numpy as np
import pytest
from optim_helpers import make_grads, make_params, mt_params, run_minitorch, run_torch, set_grads, to_np

import minitorch
from minitorch import optim

NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]
# The implementation flags each PyTorch optimizer takes.
FLAGS = {
    "SGD": ["foreach", "differentiable", "fused"],
    "Adam": ["foreach", "capturable", "differentiable", "fused"],
    "AdamW": ["foreach", "capturable", "differentiable", "fused"],
    "RMSprop": ["capturable", "foreach", "differentiable"],
    "Adagrad": ["foreach", "differentiable", "fused"],
}


def leaf(*shape, lib=minitorch, **kwargs):
    return lib.zeros(*shape, requires_grad=True, **kwargs)


def outcome(fn):
    """("ok", value) or (exception type name, message), to compare minitorch with PyTorch."""
    try:
        return "ok", fn()
    except Exception as e:  # noqa: BLE001 - the exception itself is what is compared
        return type(e).__name__, str(e)


def both(torch, fn):
    return outcome(lambda: fn(minitorch)), outcome(lambda: fn(torch))


# ---- option grids, step by step against PyTorch -------------------------------------------------------
GRIDS = {
    "SGD": dict(momentum=[0, 0.9], dampening=[0, 0.3], weight_decay=[0, 0.1], nesterov=[False, True],
                maximize=[False, True]),
    "Adam": dict(betas=[(0.9, 0.999), (0.0, 0.5)], eps=[1e-8, 0.0], weight_decay=[0, 0.1], amsgrad=[False, True],
                 maximize=[False, True]),
    "AdamW": dict(weight_decay=[0, 0.1], amsgrad=[False, True], maximize=[False, True]),
    "RMSprop": dict(alpha=[0.99, 0.5], weight_decay=[0, 0.1], momentum=[0, 0.9], centered=[False, True],
                    maximize=[False, True]),
    "Adagrad": dict(lr_decay=[0, 0.1], weight_decay=[0, 0.1], initial_accumulator_value=[0, 0.5],
                    maximize=[False, True]),
}


def grid(name):
    keys = list(GRIDS[name])
    return [dict(zip(keys, values), lr=0.05) for values in itertools.product(*GRIDS[name].values())]


@pytest.mark.parametrize("name", NAMES)
def test_every_option_combination_matches_torch_with_skipped_grads(name):
    """Each combination of options (invalid ones raise in both), 5 steps, some grads missing."""
    torch = pytest.importorskip("torch")
    inits, grads = make_params(), make_grads(steps=5)
    skip = {1: (0,), 3: (2, 3)}
    for kwargs in grid(name):
        mine = outcome(lambda: run_minitorch(name, kwargs, inits, grads, skip))
        theirs = outcome(lambda: run_torch(torch, name, kwargs, inits, grads, skip))
        assert mine[0] == theirs[0], (kwargs, mine, theirs)
        if mine[0] != "ok":
            assert mine[1] == theirs[1]
            continue
        for m, t in zip(mine[1][0], theirs[1][0]):
            np.testing.assert_allclose(to_np(m), to_np(t), rtol=2e-5, atol=2e-6, err_msg=str(kwargs))


# ---- implementation flags -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_param_groups_hold_the_same_keys_in_the_same_order_as_torch(name):
    torch = pytest.importorskip("torch")
    mine = getattr(optim, name)([leaf(2)], lr=0.1)
    theirs = getattr(torch.optim, name)([leaf(2, lib=torch)], lr=0.1)
    assert mine.defaults == theirs.defaults
    assert mine.state_dict()["param_groups"] == theirs.state_dict()["param_groups"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("flags", [dict(foreach=False), dict(foreach=True), dict(fused=True), dict(fused=False),
                                   dict(differentiable=False), dict(capturable=False)])
def test_flags_are_accepted_stored_and_give_the_same_steps(name, flags):
    torch = pytest.importorskip("torch")
    if not set(flags) <= set(FLAGS[name]):
        with pytest.raises(TypeError):
            getattr(optim, name)([leaf(2)], lr=0.1, **flags)
        return
    kwargs = dict(lr=0.05, weight_decay=0.1, **flags)
    inits, grads = make_params(), make_grads(steps=4)
    mine, opt = run_minitorch(name, kwargs, inits, grads)
    theirs, topt = run_torch(torch, name, kwargs, inits, grads)
    for m, t in zip(mine, theirs):
        np.testing.assert_allclose(to_np(m), to_np(t), rtol=2e-5, atol=2e-6)
    assert opt.state_dict()["param_groups"] == topt.state_dict()["param_groups"]


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad"])
def test_fused_flag_conflicts_raise_like_torch(name):
    torch = pytest.importorskip("torch")
    for flags in [dict(fused=True, foreach=True), dict(fused=True, differentiable=True)]:
        mine, theirs = both(torch, lambda L: getattr(L.optim, name)([leaf(2, lib=L)], lr=0.1, **flags))
        assert mine == theirs == ("RuntimeError", mine[1])


def test_fused_needs_floating_point_params():
    w = minitorch.zeros(2, dtype=minitorch.int64)
    opt = optim.SGD([w], lr=0.1, fused=True)
    w.grad = minitorch.ones(2, dtype=minitorch.int64)
    with pytest.raises(RuntimeError, match="`fused=True` requires all the params to be floating point"):
        opt.step()


@pytest.mark.parametrize("name", ["Adam", "AdamW", "RMSprop"])
def test_capturable_on_the_cpu_fails_at_step_like_torch(name):
    torch = pytest.importorskip("torch")

    def fn(L):
        w = leaf(2, lib=L)
        opt = getattr(L.optim, name)([w], lr=0.1, capturable=True)
        w.grad = L.ones(2)
        opt.step()

    mine, theirs = both(torch, fn)
    assert mine[0] == theirs[0] == "AssertionError"
    assert mine[1].startswith("If capturable=True, params and state_steps must be on supported devices")


@pytest.mark.parametrize("name", NAMES)
def test_differentiable_step_is_recorded_like_torch(name):
    """differentiable=True runs the step with autograd on: a leaf fails in place, a non-leaf gets a graph."""
    torch = pytest.importorskip("torch")

    def on_leaf(L):
        w = leaf(2, lib=L)
        opt = getattr(L.optim, name)([w], lr=0.1, differentiable=True)
        w.grad = L.ones(2)
        opt.step()

    mine, theirs = both(torch, on_leaf)
    assert mine == theirs and mine[0] == "RuntimeError"

    def on_non_leaf(L):
        base = L.ones(2, requires_grad=True)
        p = base * 2.0
        opt = getattr(L.optim, name)([p], lr=0.1, differentiable=True)
        p.grad = base * 3.0  # a gradient that depends on ``base``
        opt.step()
        p.sum().backward()
        return [round(x, 5) for x in p.tolist()], [round(x, 5) for x in base.grad.tolist()]

    mine, theirs = both(torch, on_non_leaf)
    assert mine == theirs


def test_positional_flags_follow_torch_signatures():
    torch = pytest.importorskip("torch")
    for name, args in [("RMSprop", (0.1, 0.9, 1e-8, 0, 0, False, False, False, True)),  # ..., foreach, maximize
                       ("Adagrad", (0.1, 0, 0, 0, 1e-10, False))]:  # ..., foreach
        mine = getattr(optim, name)([leaf(2)], *args).param_groups[0]
        theirs = getattr(torch.optim, name)([leaf(2, lib=torch)], *args).param_groups[0]
        assert {k: v for k, v in mine.items() if k != "params"} == {k: v for k, v in theirs.items() if k != "params"}


# ---- hyperparameters given as tensors --------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_lr_as_a_tensor_matches_torch_and_is_read_at_every_step(name):
    torch = pytest.importorskip("torch")

    def fn(L):
        w = L.tensor([1.0, -2.0], requires_grad=True)
        lr = L.tensor(0.1)
        opt = getattr(L.optim, name)([w], lr=lr)
        out = []
        for k in range(3):
            w.grad = L.tensor([0.5, 1.5])
            opt.step()
            out.append([round(x, 5) for x in w.tolist()])
            lr.mul_(0.5)  # changing the tensor in place changes the next step
        return out, opt.param_groups[0]["lr"] is lr

    mine, theirs = both(torch, fn)
    assert mine == theirs and mine[1][1] is True


def test_tensor_hyperparameter_errors_match_torch():
    torch = pytest.importorskip("torch")
    cases = [
        ("SGD", lambda L: dict(lr=L.tensor([0.1, 0.2]))),
        ("Adagrad", lambda L: dict(lr=L.tensor([0.1, 0.2]))),
        ("RMSprop", lambda L: dict(lr=L.tensor([0.1, 0.2]))),
        ("Adam", lambda L: dict(lr=L.tensor([0.1, 0.2]))),
        ("Adam", lambda L: dict(lr=L.tensor(0.1), foreach=True)),
        ("Adam", lambda L: dict(betas=(L.tensor(0.9), 0.99))),
        ("Adam", lambda L: dict(betas=(0, 0.99))),  # an int is not a float for PyTorch
        ("AdamW", lambda L: dict(betas=(L.tensor(0.9), L.tensor(0.99)), foreach=True)),
        ("AdamW", lambda L: dict(betas=(L.tensor([0.9, 0.8]), L.tensor(0.99)))),
    ]
    for name, kwargs in cases:
        mine, theirs = both(torch, lambda L: getattr(L.optim, name)([leaf(2, lib=L)], **kwargs(L)))
        assert mine == theirs and mine[0] != "ok", (name, mine, theirs)


def test_adam_with_tensor_betas_matches_torch():
    torch = pytest.importorskip("torch")

    def fn(L):
        w = L.tensor([1.0, -2.0], requires_grad=True)
        opt = L.optim.Adam([w], lr=0.1, betas=(L.tensor([0.8]), L.tensor(0.9)))
        for _ in range(3):
            w.grad = L.tensor([0.5, 1.5])
            opt.step()
        return [round(x, 5) for x in w.tolist()], tuple(b.dim() for b in opt.param_groups[0]["betas"])

    mine, theirs = both(torch, fn)
    assert mine == theirs


# ---- state: dtypes, state_dict layout, resuming, pickling ------------------------------------------------
@pytest.mark.parametrize("name", ["Adam", "RMSprop", "Adagrad"])
def test_step_count_is_float64_when_that_is_the_default_dtype(name):
    torch = pytest.importorskip("torch")

    def fn(L):
        previous = L.get_default_dtype()
        L.set_default_dtype(L.float64)
        try:
            w = leaf(2, lib=L, dtype=L.float32)
            opt = getattr(L.optim, name)([w], lr=0.1)
            w.grad = L.ones(2, dtype=L.float32)
            opt.step()
            fused = getattr(L.optim, name)([leaf(2, lib=L)], lr=0.1, **({"fused": True} if name != "RMSprop" else {}))
            fused.param_groups[0]["params"][0].grad = L.ones(2)
            fused.step()
            step = next(iter(fused.state.values()))["step"]
            return str(opt.state[w]["step"].dtype).split(".")[-1], str(step.dtype).split(".")[-1]
        finally:
            L.set_default_dtype(previous)

    mine, theirs = both(torch, fn)
    assert mine == theirs


def test_state_dict_numbers_duplicate_params_like_torch():
    torch = pytest.importorskip("torch")

    def fn(L):
        a, b, c = leaf(2, lib=L), leaf(2, lib=L), leaf(1, lib=L)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            opt = L.optim.SGD([{"params": [a, b, a]}, {"params": [c]}], lr=0.1)
        return [g["params"] for g in opt.state_dict()["param_groups"]], len(caught)

    mine, theirs = both(torch, fn)
    assert mine == theirs == ("ok", ([[2, 1, 2], [3]], 1))


@pytest.mark.parametrize("name", NAMES)
def test_loading_an_old_state_without_the_flags_fills_them_in_like_torch(name):
    torch = pytest.importorskip("torch")

    def fn(L):
        opt = getattr(L.optim, name)([leaf(2, lib=L)], lr=0.1)
        sd = opt.state_dict()
        for key in ["foreach", "fused", "differentiable", "capturable", "maximize", "decoupled_weight_decay"]:
            sd["param_groups"][0].pop(key, None)
        fresh = getattr(L.optim, name)([leaf(2, lib=L)], lr=0.3)
        fresh.load_state_dict(sd)
        return sorted((k, v) for k, v in fresh.param_groups[0].items() if k != "params")

    mine, theirs = both(torch, fn)
    assert mine == theirs


@pytest.mark.parametrize("name", NAMES)
def test_load_state_dict_then_steps_follow_torch(name):
    """A torch state dict (tensors as NumPy) loaded into minitorch keeps giving torch's steps."""
    torch = pytest.importorskip("torch")
    kwargs = dict(lr=0.05, weight_decay=0.1, **({"momentum": 0.9} if name in ("SGD", "RMSprop") else {}))
    inits, grads = make_params(), make_grads(steps=6)
    theirs, topt = run_torch(torch, name, kwargs, inits, grads[:3])
    tsd = topt.state_dict()
    converted = {"state": {i: {k: v.numpy().copy() for k, v in s.items()} for i, s in tsd["state"].items()},
                 "param_groups": tsd["param_groups"]}
    mine = mt_params([p.detach().numpy() for p in theirs])
    opt = getattr(optim, name)(mine, lr=1.0)
    opt.load_state_dict(converted)
    assert opt.param_groups[0]["lr"] == 0.05
    for step_grads in grads[3:]:
        set_grads(mine, step_grads, minitorch)
        set_grads(theirs, step_grads, torch)
        opt.step()
        topt.step()
    for m, t in zip(mine, theirs):
        np.testing.assert_allclose(to_np(m), to_np(t), rtol=2e-5, atol=2e-6)


def test_an_optimizer_pickles_after_a_scheduler_wrapped_its_step():
    w = leaf(2)
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    optim.lr_scheduler.StepLR(opt, step_size=1)
    w.grad = minitorch.ones(2)
    opt.step()
    copy = pickle.loads(pickle.dumps(opt))
    assert sorted(opt.__getstate__()) == ["defaults", "param_groups", "state"]
    assert copy.param_groups[0]["lr"] == 0.1 and not hasattr(copy.step, "_wrapped_by_lr_sched")
    np.testing.assert_array_equal(to_np(next(iter(copy.state.values()))["momentum_buffer"]), np.ones(2))
