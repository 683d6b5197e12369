"""Adadelta, Adamax, NAdam, RAdam, ASGD, Rprop and LBFGS against torch.optim, step by step."""

import copy

import numpy as np
import pytest
from optim_helpers import (
    assert_fast_path_is_exact,
    assert_resume_is_exact,
    assert_same_as_torch,
    make_grads,
    make_params,
    mt_params,
    set_grads,
    to_np,
)

import minitorch

CASES = {
    "Adadelta": [dict(), dict(lr=0.5, rho=0.8), dict(eps=1e-3, weight_decay=0.1),
                 dict(lr=0.3, rho=0.95, weight_decay=0.05, maximize=True), dict(foreach=False, differentiable=False)],
    "Adamax": [dict(), dict(lr=0.01, betas=(0.8, 0.99)), dict(lr=0.01, weight_decay=0.1, eps=1e-3),
               dict(lr=0.02, betas=(0.3, 0.5), maximize=True, weight_decay=0.05)],
    "NAdam": [dict(), dict(lr=0.01, betas=(0.8, 0.99), momentum_decay=0.01), dict(lr=0.01, weight_decay=0.1),
              dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True),
              dict(lr=0.02, betas=(0.3, 0.5), eps=1e-3, maximize=True, weight_decay=0.05)],
    "RAdam": [dict(), dict(lr=0.01, betas=(0.8, 0.9)), dict(lr=0.01, weight_decay=0.1),
              dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True),
              dict(lr=0.02, betas=(0.3, 0.5), eps=1e-3, maximize=True, weight_decay=0.05)],
    "ASGD": [dict(), dict(lr=0.05, lambd=1e-2, alpha=0.5, t0=3), dict(lr=0.05, t0=0, weight_decay=0.1),
             dict(lr=0.02, lambd=0.1, t0=5, maximize=True, weight_decay=0.05)],
    "Rprop": [dict(), dict(lr=0.05, etas=(0.3, 1.5)), dict(lr=0.1, step_sizes=(1e-3, 0.2)),
              dict(lr=0.02, etas=(0.4, 1.1), step_sizes=(1e-4, 1.0), maximize=True)],
}
ALL = [(name, kw) for name, cases in CASES.items() for kw in cases]
FAST = [(name, kw) for name, kw in ALL if name in ("Adadelta", "Adamax", "NAdam", "RAdam")]


@pytest.mark.parametrize("name, kwargs", ALL)
def test_matches_torch(name, kwargs):
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, name, kwargs)


@pytest.mark.parametrize("name", list(CASES))
def test_matches_torch_float64_and_skipped_grads(name):
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, name, CASES[name][-1], dtype=np.float64)
    assert_same_as_torch(torch, name, CASES[name][1], skip_at={0: (2,), 4: (0, 1)})


@pytest.mark.parametrize("name, kwargs", FAST)
def test_fast_path_equals_tensor_ops(name, kwargs):
    assert_fast_path_is_exact(name, kwargs)


@pytest.mark.parametrize("name", list(CASES))
def test_resume_from_state_dict(name):
    assert_resume_is_exact(name, CASES[name][-1])


@pytest.mark.parametrize("name", list(CASES))
def test_state_dict_matches_torch(name):
    """Same state names and param_groups (options with their defaults) as torch; loads torch's own state."""
    torch = pytest.importorskip("torch")
    inits, grads = make_params(), make_grads(steps=3)
    mt_ps = mt_params(inits)
    th_ps = [torch.tensor(a.copy(), requires_grad=True) for a in inits]
    mt_opt, th_opt = getattr(minitorch.optim, name)(mt_ps), getattr(torch.optim, name)(th_ps)
    for g in grads:
        set_grads(mt_ps, g, minitorch)
        set_grads(th_ps, g, torch)
        mt_opt.step()
        th_opt.step()
    mine, theirs = mt_opt.state_dict(), th_opt.state_dict()
    assert mine["param_groups"] == theirs["param_groups"]
    assert {k: sorted(v) for k, v in mine["state"].items()} == {k: sorted(v) for k, v in theirs["state"].items()}
    # torch's state (as NumPy arrays) loads into a fresh minitorch optimizer and continues identically
    converted = {"param_groups": copy.deepcopy(theirs["param_groups"]),
                 "state": {i: {k: v.numpy().copy() for k, v in s.items()} for i, s in theirs["state"].items()}}
    fresh = mt_params([to_np(p) for p in th_ps])
    opt2 = getattr(minitorch.optim, name)(fresh)
    opt2.load_state_dict(converted)
    for p, q in zip(fresh, th_ps):
        p.grad, q.grad = minitorch.ones(p.shape), torch.ones(q.shape)
    opt2.step()
    th_opt.step()
    for p, q in zip(fresh, th_ps):
        np.testing.assert_allclose(to_np(p), to_np(q), rtol=2e-5, atol=2e-6)


def test_nadam_with_step_lr():
    """The lr schedulers drive the new optimizers: StepLR halves NAdam's lr every 3 steps, as in torch."""
    torch = pytest.importorskip("torch")
    inits, grads = make_params(), make_grads(steps=10)
    mt_ps = mt_params(inits)
    th_ps = [torch.tensor(a.copy(), requires_grad=True) for a in inits]
    mt_opt, th_opt = minitorch.optim.NAdam(mt_ps, lr=0.05), torch.optim.NAdam(th_ps, lr=0.05)
    mt_s = minitorch.optim.lr_scheduler.StepLR(mt_opt, step_size=3, gamma=0.5)
    th_s = torch.optim.lr_scheduler.StepLR(th_opt, step_size=3, gamma=0.5)
    for g in grads:
        set_grads(mt_ps, g, minitorch)
        set_grads(th_ps, g, torch)
        mt_opt.step()
        th_opt.step()
        mt_s.step()
        th_s.step()
        assert mt_opt.param_groups[0]["lr"] == th_opt.param_groups[0]["lr"]
    for m, t in zip(mt_ps, th_ps):
        np.testing.assert_allclose(to_np(m), to_np(t), rtol=2e-5, atol=2e-6)


NAMES = ["Adadelta", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop"]


@pytest.mark.parametrize("name", NAMES)
def test_tensor_lr_is_read_at_each_step(name):
    inits, grads = make_params(), make_grads(steps=4)
    lr = CASES[name][1].get("lr", 0.01)
    plain, _ = run(name, dict(lr=lr), inits, grads)
    as_tensor, _ = run(name, dict(lr=minitorch.tensor(lr)), inits, grads)
    for a, b in zip(plain, as_tensor):
        np.testing.assert_allclose(to_np(a), to_np(b), rtol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_differentiable_step_is_recorded_like_torch(name):
    """differentiable=True: the steps on a non-leaf parameter are in the graph (gradients through 3 steps)."""
    torch = pytest.importorskip("torch")

    def steps(lib):
        base = lib.tensor([1.0, -2.0, 0.5], dtype=lib.float64, requires_grad=True)
        p = base * 2.0
        opt = getattr(lib.optim, name)([p], differentiable=True, **CASES[name][1])
        for k in range(3):
            p.grad = base * base * (k - 1.5)  # a gradient that depends on ``base``
            opt.step()
        (p * p).sum().backward()
        return p.detach().numpy(), base.grad.numpy()

    if name in ("Adamax", "Rprop"):  # their buffers are saved for backward and then changed in place, in torch too
        for lib in (torch, minitorch):
            with pytest.raises(RuntimeError, match="modified by an inplace operation"):
                steps(lib)
        return
    (mine_p, mine_g), (their_p, their_g) = steps(minitorch), steps(torch)
    np.testing.assert_allclose(mine_p, their_p, rtol=1e-14)
    np.testing.assert_allclose(mine_g, their_g, rtol=1e-12)


def run(name, kwargs, inits, grads):
    params = mt_params(inits)
    opt = getattr(minitorch.optim, name)(params, **kwargs)
    for g in grads:
        set_grads(params, g, minitorch)
        opt.step()
    return params, opt


ERRORS = [
    ("Adadelta", dict(lr=-1), "Invalid learning rate: -1"), ("Adadelta", dict(rho=1.5), "Invalid rho value: 1.5"),
    ("Adadelta", dict(eps=-1), "Invalid epsilon value: -1"),
    ("Adadelta", dict(weight_decay=-1), "Invalid weight_decay value: -1"),
    ("Adamax", dict(lr=-1), "Invalid learning rate: -1"), ("Adamax", dict(eps=-1), "Invalid epsilon value: -1"),
    ("Adamax", dict(betas=(1.0, 0.9)), "Invalid beta parameter at index 0: 1.0"),
    ("Adamax", dict(betas=(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1"),
    ("Adamax", dict(weight_decay=-1), "Invalid weight_decay value: -1"),
    ("NAdam", dict(lr=-1), "Invalid learning rate: -1"), ("NAdam", dict(eps=-1), "Invalid epsilon value: -1"),
    ("NAdam", dict(betas=(0.9, 1.0)), "Invalid beta parameter at index 1: 1.0"),
    ("NAdam", dict(weight_decay=-1), "Invalid weight_decay value: -1"),
    ("NAdam", dict(momentum_decay=-1), "Invalid momentum_decay value: -1"),
    ("RAdam", dict(lr=-1), "Invalid learning rate: -1"), ("RAdam", dict(eps=-1), "Invalid epsilon value: -1"),
    ("RAdam", dict(betas=(-0.1, 0.9)), "Invalid beta parameter at index 0: -0.1"),
    ("RAdam", dict(weight_decay=-1), "Invalid weight_decay value: -1"),
    ("ASGD", dict(lr=-1), "Invalid learning rate: -1"), ("ASGD", dict(weight_decay=-1), "Invalid weight_decay value: -1"),
    ("Rprop", dict(lr=-1), "Invalid learning rate: -1"), ("Rprop", dict(etas=(1.5, 1.2)), "Invalid eta values: 1.5, 1.2"),
    ("Rprop", dict(etas=(0.5, 0.9)), "Invalid eta values: 0.5, 0.9"),
    ("LBFGS", dict(lr=-1), "Invalid learning rate: -1"),
]


@pytest.mark.parametrize("name, kwargs, msg", ERRORS)
def test_argument_errors_as_torch(name, kwargs, msg):
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError) as theirs:
        getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError) as mine:
        getattr(minitorch.optim, name)([minitorch.zeros(2, requires_grad=True)], **kwargs)
    assert str(mine.value) == str(theirs.value) == msg


# ---- LBFGS: whole trajectories of step(closure) -------------------------------------------------------
def quadratic(lib, x):
    a = lib.tensor([[3.0, 0.5, 0.0], [0.5, 2.0, 0.3], [0.0, 0.3, 1.0]], dtype=x.dtype)
    b = lib.tensor([1.0, -2.0, 0.5], dtype=x.dtype)
    return 0.5 * (x @ (a @ x)) - (b * x).sum()


def rosenbrock(lib, x):
    return ((1 - x[:-1]) ** 2).sum() + 100 * ((x[1:] - x[:-1] ** 2) ** 2).sum()


def lbfgs_trajectory(lib, fn, x0, kwargs, steps):
    x = lib.tensor(x0.copy(), requires_grad=True)
    opt = lib.optim.LBFGS([x], **kwargs)

    def closure():
        opt.zero_grad()
        loss = fn(lib, x)
        loss.backward()
        return loss

    points, losses = [], []
    for _ in range(steps):
        losses.append(float(opt.step(closure)))
        points.append(x.detach().numpy().copy())
    return np.array(points), np.array(losses), opt


LBFGS_CASES = [
    (quadratic, np.array([0.3, -1.0, 2.0]), dict(max_iter=3)),
    (quadratic, np.array([0.3, -1.0, 2.0]), dict(lr=0.5, max_iter=4, history_size=2)),
    (quadratic, np.array([0.3, -1.0, 2.0]), dict(max_iter=5, line_search_fn="strong_wolfe")),
    (rosenbrock, np.array([-1.2, 1.0, 0.5, -0.3]), dict(lr=0.1, max_iter=5)),
    (rosenbrock, np.array([-1.2, 1.0, 0.5, -0.3]), dict(max_iter=6, line_search_fn="strong_wolfe")),
    (rosenbrock, np.array([-1.2, 1.0]), dict(max_iter=10, history_size=3, line_search_fn="strong_wolfe")),
    (rosenbrock, np.array([-1.2, 1.0]), dict(max_iter=20, max_eval=7, tolerance_change=1e-5)),
]


@pytest.mark.parametrize("fn, x0, kwargs", LBFGS_CASES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_lbfgs_trajectory_matches_torch(fn, x0, kwargs, dtype):
    torch = pytest.importorskip("torch")
    # float32: dot products round differently (BLAS), and L-BFGS amplifies that after a few iterations
    steps = 12 if dtype == np.float64 else 1
    mine, mine_losses, mt_opt = lbfgs_trajectory(minitorch, fn, x0.astype(dtype), kwargs, steps)
    theirs, their_losses, th_opt = lbfgs_trajectory(torch, fn, x0.astype(dtype), kwargs, steps)
    rtol, atol = (1e-7, 1e-9) if dtype == np.float64 else (1e-4, 1e-5)
    np.testing.assert_allclose(mine, theirs, rtol=rtol, atol=atol)
    np.testing.assert_allclose(mine_losses, their_losses, rtol=rtol, atol=atol)
    mt_state, th_state = mt_opt.state_dict()["state"][0], th_opt.state_dict()["state"][0]
    assert sorted(mt_state) == sorted(th_state)
    assert mt_state["func_evals"] == th_state["func_evals"] and mt_state["n_iter"] == th_state["n_iter"]
    for key in ("d", "prev_flat_grad"):
        np.testing.assert_allclose(to_np(mt_state[key]), to_np(th_state[key]), rtol=rtol * 100, atol=atol * 100)
    assert len(mt_state["old_dirs"]) == len(th_state["old_dirs"])
    assert mt_opt.state_dict()["param_groups"] == th_opt.state_dict()["param_groups"]


def test_lbfgs_errors_and_defaults():
    w = minitorch.zeros(2, requires_grad=True)
    opt = minitorch.optim.LBFGS([w], max_iter=8)
    assert opt.param_groups[0]["max_eval"] == 10
    with pytest.raises(ValueError, match=r"LBFGS doesn't support per-parameter options \(parameter groups\)"):
        minitorch.optim.LBFGS([{"params": [w]}, {"params": [minitorch.zeros(1, requires_grad=True)]}])
    bad = minitorch.optim.LBFGS([w], line_search_fn="foo")

    def closure():
        bad.zero_grad()
        loss = ((w - 1) ** 2).sum()
        loss.backward()
        return loss

    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        bad.step(closure)


# ---- on a GPU (the CuPy stand-in "fakecuda", and "cuda" when there is one) --------------------------
@pytest.mark.parametrize("name, kwargs", [(n, CASES[n][-1]) for n in CASES] + [("LBFGS", dict(max_iter=4)),
                                           ("LBFGS", dict(max_iter=4, line_search_fn="strong_wolfe"))])
def test_step_on_gpu_matches_cpu(name, kwargs, gpu_device):
    from conftest import array_type

    inits = make_params(dtype=np.float64)
    results = {}
    for device in ("cpu", gpu_device):
        params = [minitorch.tensor(a.copy(), device=device, requires_grad=True) for a in inits]
        opt = getattr(minitorch.optim, name)(params, **kwargs)

        def closure():
            opt.zero_grad()
            loss = sum(((p - 0.5) ** 4).sum() + (p * p).sum() for p in params)
            loss.backward()
            return loss

        for _ in range(4):
            opt.step(closure)
        for state in opt.state.values():
            for key, value in state.items():
                if isinstance(value, minitorch.Tensor) and value.ndim > 0:
                    assert type(value._data) is array_type(device), f"state {key} left the device"
        results[device] = [p.detach().cpu().numpy() for p in params]
    for g, c in zip(results[gpu_device], results["cpu"]):
        np.testing.assert_allclose(g, c, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", list(CASES))
def test_capturable_needs_a_gpu_like_torch(name):
    torch = pytest.importorskip("torch")
    for lib in (torch, minitorch):
        w = lib.zeros(2, requires_grad=True)
        opt = getattr(lib.optim, name)([w], capturable=True)
        w.grad = lib.ones(2)
        with pytest.raises(AssertionError, match="If capturable=True, params"):
            opt.step()


def test_lbfgs_resume_from_state_dict():
    """The history (old_dirs, old_stps, ro, H_diag, d, t ...) is saved and loaded: resuming gives the same steps."""
    kwargs = dict(max_iter=3, history_size=4, line_search_fn="strong_wolfe")
    x, losses, opt = lbfgs_trajectory(minitorch, rosenbrock, np.array([-1.2, 1.0, 0.5]), kwargs, 2)
    saved, start = copy.deepcopy(opt.state_dict()), x[-1]
    full, _, _ = lbfgs_trajectory(minitorch, rosenbrock, np.array([-1.2, 1.0, 0.5]), kwargs, 5)
    y = minitorch.tensor(start.copy(), requires_grad=True)
    opt2 = minitorch.optim.LBFGS([y], **kwargs)
    opt2.load_state_dict(saved)

    def closure():
        opt2.zero_grad()
        loss = rosenbrock(minitorch, y)
        loss.backward()
        return loss

    for _ in range(3):
        opt2.step(closure)
    np.testing.assert_array_equal(y.detach().numpy(), full[-1])
