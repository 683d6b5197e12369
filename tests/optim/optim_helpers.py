"""Shared by the optimizer tests: run a minitorch and a PyTorch optimizer side by side.

Both start from the same parameters and, at every step, receive the same
gradients (set on ``.grad`` from the same NumPy arrays), so the parameters
and the optimizer state must stay equal up to float rounding.
"""

from __future__ import annotations

import numpy as np

import minitorch

SHAPES = [(3, 4), (4,), (), (2, 1, 3)]


def make_params(shapes=SHAPES, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in shapes]


def make_grads(shapes=SHAPES, steps=12, dtype=np.float32, seed=1):
    rng = np.random.default_rng(seed)
    return [[rng.standard_normal(s).astype(dtype) for s in shapes] for _ in range(steps)]


def mt_params(arrays):
    return [minitorch.tensor(a.copy(), requires_grad=True) for a in arrays]


def set_grads(params, grads, lib, skip=()):
    """Set ``.grad`` of each parameter from ``grads`` (None for the indices in ``skip``)."""
    for i, (p, g) in enumerate(zip(params, grads)):
        p.grad = None if i in skip else lib.tensor(g.copy())


def run_minitorch(name, kwargs, inits, grads, skip_at=None, fast=True):
    """Run ``minitorch.optim.<name>`` over ``grads``; ``skip_at = {step: indices without grad}``."""
    params = mt_params(inits)
    opt = getattr(minitorch.optim, name)(params, **kwargs)
    opt.use_fast_path = fast
    for k, step_grads in enumerate(grads):
        set_grads(params, step_grads, minitorch, (skip_at or {}).get(k, ()))
        opt.step()
    return params, opt


def run_torch(torch, name, kwargs, inits, grads, skip_at=None):
    params = [torch.tensor(a.copy(), requires_grad=True) for a in inits]
    opt = getattr(torch.optim, name)(params, **kwargs)
    for k, step_grads in enumerate(grads):
        set_grads(params, step_grads, torch, (skip_at or {}).get(k, ()))
        opt.step()
    return params, opt


def to_np(t):
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def assert_same_as_torch(torch, name, kwargs, dtype=np.float32, steps=12, skip_at=None):
    """Parameters and every state tensor of both optimizers agree after ``steps`` steps."""
    inits, grads = make_params(dtype=dtype), make_grads(steps=steps, dtype=dtype)
    mt_ps, mt_opt = run_minitorch(name, kwargs, inits, grads, skip_at)
    th_ps, th_opt = run_torch(torch, name, kwargs, inits, grads, skip_at)
    rtol, atol = (2e-5, 2e-6) if dtype == np.float32 else (1e-12, 1e-13)
    for m, t in zip(mt_ps, th_ps):
        np.testing.assert_allclose(to_np(m), to_np(t), rtol=rtol, atol=atol)
        assert m.dtype.name == str(t.dtype).replace("torch.", "")
    mt_state, th_state = mt_opt.state_dict()["state"], th_opt.state_dict()["state"]
    assert sorted(mt_state) == sorted(th_state)
    for idx in th_state:
        assert sorted(mt_state[idx]) == sorted(th_state[idx])
        for key, value in th_state[idx].items():
            mine = mt_state[idx][key]
            if value is None:
                assert mine is None
                continue
            assert tuple(mine.shape) == tuple(value.shape), key
            assert mine.dtype.name == str(value.dtype).replace("torch.", ""), key
            np.testing.assert_allclose(to_np(mine), to_np(value), rtol=rtol, atol=atol, err_msg=key)
    return mt_ps, th_ps


def assert_fast_path_is_exact(name, kwargs, dtype=np.float32, steps=8):
    """The raw-array fast path gives bit-identical parameters and state to the tensor-op path."""
    inits, grads = make_params(dtype=dtype), make_grads(steps=steps, dtype=dtype)
    skip = {2: (1,)}
    fast_ps, fast_opt = run_minitorch(name, kwargs, inits, grads, skip, fast=True)
    slow_ps, slow_opt = run_minitorch(name, kwargs, inits, grads, skip, fast=False)
    for f, s in zip(fast_ps, slow_ps):
        np.testing.assert_array_equal(to_np(f), to_np(s))
    fast_state, slow_state = fast_opt.state_dict()["state"], slow_opt.state_dict()["state"]
    assert sorted(fast_state) == sorted(slow_state)
    for idx, entries in slow_state.items():
        assert sorted(entries) == sorted(fast_state[idx])
        for key, value in entries.items():
            np.testing.assert_array_equal(to_np(fast_state[idx][key]), to_np(value), err_msg=key)


def assert_resume_is_exact(name, kwargs, first=4, then=5):
    """Saving the state after ``first`` steps and resuming in a fresh optimizer replays the same steps."""
    import copy

    inits, grads = make_params(), make_grads(steps=first + then)
    params, opt = run_minitorch(name, kwargs, inits, grads[:first])
    snapshot_params = [to_np(p).copy() for p in params]
    saved = copy.deepcopy(opt.state_dict())
    for step_grads in grads[first:]:
        set_grads(params, step_grads, minitorch)
        opt.step()
    resumed = mt_params(snapshot_params)
    opt2 = getattr(minitorch.optim, name)(resumed, **kwargs)
    opt2.load_state_dict(saved)
    for step_grads in grads[first:]:
        set_grads(resumed, step_grads, minitorch)
        opt2.step()
    for a, b in zip(params, resumed):
        np.testing.assert_array_equal(to_np(a), to_np(b))
