"""Learning-rate schedulers against torch.optim.lr_scheduler: get_last_lr() after every step."""

import warnings

import numpy as np
import pytest

import minitorch
from minitorch.optim import lr_scheduler

STEPS = 40


def _fn_decay(epoch):
    return 0.9**epoch


def _fn_const(epoch):
    return 0.97


# (scheduler name, kwargs); each runs on an optimizer with two param groups (lr 0.1 and 0.02).
CASES = [
    ("StepLR", dict(step_size=7)),
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[5, 12, 12, 30], gamma=0.3)),
    ("ExponentialLR", dict(gamma=0.93)),
    ("CosineAnnealingLR", dict(T_max=10)),
    ("CosineAnnealingLR", dict(T_max=13, eta_min=0.001)),
    ("LambdaLR", dict(lr_lambda=_fn_decay)),
    ("LambdaLR", dict(lr_lambda=[_fn_decay, lambda e: 1.0 / (e + 1)])),
    ("MultiplicativeLR", dict(lr_lambda=_fn_const)),
    ("LinearLR", dict()),
    ("LinearLR", dict(start_factor=0.25, end_factor=0.75, total_iters=12)),
    ("ConstantLR", dict()),
    ("ConstantLR", dict(factor=0.5, total_iters=9)),
    ("OneCycleLR", dict(max_lr=0.5, total_steps=STEPS + 1)),
    ("OneCycleLR", dict(max_lr=[0.5, 0.1], epochs=6, steps_per_epoch=7, anneal_strategy="linear", pct_start=0.25)),
    ("OneCycleLR", dict(max_lr=0.3, total_steps=STEPS + 5, three_phase=True, div_factor=10.0,
                        final_div_factor=100.0)),
]


def _groups(lib, dtype_params=None):
    a = lib.zeros(2, requires_grad=True)
    b = lib.zeros(3, requires_grad=True)
    return [{"params": [a], "lr": 0.1}, {"params": [b], "lr": 0.02}]


def _pair(name, kwargs, optimizer="SGD", **opt_kwargs):
    torch = pytest.importorskip("torch")
    opt_kwargs = opt_kwargs or dict(lr=0.1, momentum=0.9)
    mine_opt = getattr(minitorch.optim, optimizer)(_groups(minitorch), **opt_kwargs)
    their_opt = getattr(torch.optim, optimizer)(_groups(torch), **opt_kwargs)
    mine = getattr(lr_scheduler, name)(mine_opt, **kwargs)
    theirs = getattr(torch.optim.lr_scheduler, name)(their_opt, **kwargs)
    return mine, theirs


def _step_both(mine, theirs, *args):
    mine.optimizer.step()
    theirs.optimizer.step()
    mine.step(*args)
    theirs.step(*args)


@pytest.mark.parametrize("name, kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_scheduler_matches_torch(name, kwargs):
    mine, theirs = _pair(name, kwargs)
    assert mine.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12, abs=0)
    for _ in range(STEPS):
        _step_both(mine, theirs)
        assert mine.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12, abs=1e-15)
        assert [g["lr"] for g in mine.optimizer.param_groups] == mine.get_last_lr()
        assert [g.get("momentum") for g in mine.optimizer.param_groups] == pytest.approx(
            [g.get("momentum") for g in theirs.optimizer.param_groups], rel=1e-12)
    assert mine.last_epoch == theirs.last_epoch == STEPS
    assert [g["initial_lr"] for g in mine.optimizer.param_groups] == pytest.approx(
        [g["initial_lr"] for g in theirs.optimizer.param_groups])


def test_one_cycle_cycles_adam_beta1_like_torch():
    mine, theirs = _pair("OneCycleLR", dict(max_lr=0.01, total_steps=30), optimizer="Adam", lr=0.001)
    for _ in range(29):
        _step_both(mine, theirs)
        assert mine.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12)
        assert mine.optimizer.param_groups[0]["betas"] == pytest.approx(theirs.optimizer.param_groups[0]["betas"])


def test_one_cycle_errors():
    opt = minitorch.optim.SGD(_groups(minitorch), lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match="You must define either total_steps OR"):
        lr_scheduler.OneCycleLR(opt, max_lr=0.1)
    with pytest.raises(ValueError, match="Expected positive integer total_steps, but got 0"):
        lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=0)
    with pytest.raises(ValueError, match="Expected float between 0 and 1 pct_start, but got 2"):
        lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=10, pct_start=2)
    with pytest.raises(ValueError, match="anneal_strategy must be one of 'cos' or 'linear'"):
        lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=10, anneal_strategy="exp")
    sched = lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=3)
    with pytest.raises(ValueError, match="Tried to step 4 times. The specified number of total steps is 3"):
        for _ in range(4):
            opt.step()
            sched.step()


PLATEAU_CASES = [
    dict(),
    dict(mode="max", factor=0.5, patience=2),
    dict(factor=0.5, patience=1, threshold=0.1, threshold_mode="abs", cooldown=2),
    dict(mode="max", factor=0.2, patience=0, threshold_mode="abs", min_lr=[0.001, 0.0005]),
    dict(factor=0.5, patience=0, min_lr=0.019, eps=1e-3),
]


@pytest.mark.parametrize("kwargs", PLATEAU_CASES)
def test_reduce_lr_on_plateau_matches_torch(kwargs):
    mine, theirs = _pair("ReduceLROnPlateau", kwargs)
    rng = np.random.default_rng(0)
    metrics = np.concatenate([np.linspace(1.0, 0.5, 8), 0.5 + 0.05 * rng.standard_normal(40)])
    for m in metrics:
        _step_both(mine, theirs, float(m))
        assert mine.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12)
        assert (mine.num_bad_epochs, mine.cooldown_counter, mine.best) == (
            theirs.num_bad_epochs, theirs.cooldown_counter, theirs.best)


def test_reduce_lr_on_plateau_accepts_a_tensor_metric_and_checks_args():
    opt = minitorch.optim.SGD(_groups(minitorch), lr=0.1)
    sched = lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    sched.step(minitorch.tensor(1.0))
    sched.step(minitorch.tensor(2.0))
    assert sched.get_last_lr() == pytest.approx([0.01, 0.002])
    with pytest.raises(ValueError, match="Factor should be < 1.0."):
        lr_scheduler.ReduceLROnPlateau(opt, factor=1.0)
    with pytest.raises(ValueError, match="mode avg is unknown!"):
        lr_scheduler.ReduceLROnPlateau(opt, mode="avg")
    with pytest.raises(ValueError, match="threshold mode x is unknown!"):
        lr_scheduler.ReduceLROnPlateau(opt, threshold_mode="x")
    with pytest.raises(ValueError, match="expected 2 min_lrs, got 1"):
        lr_scheduler.ReduceLROnPlateau(opt, min_lr=[0.1])


def test_two_chained_schedulers_match_torch():
    torch = pytest.importorskip("torch")
    mine_opt = minitorch.optim.SGD(_groups(minitorch), lr=0.1)
    their_opt = torch.optim.SGD(_groups(torch), lr=0.1)
    mine = [lr_scheduler.ExponentialLR(mine_opt, gamma=0.9), lr_scheduler.MultiStepLR(mine_opt, [4, 9], 0.5)]
    theirs = [torch.optim.lr_scheduler.ExponentialLR(their_opt, gamma=0.9),
              torch.optim.lr_scheduler.MultiStepLR(their_opt, [4, 9], 0.5)]
    for _ in range(15):
        mine_opt.step()
        their_opt.step()
        for m, t in zip(mine, theirs):
            m.step()
            t.step()
        assert mine[1].get_last_lr() == pytest.approx(theirs[1].get_last_lr(), rel=1e-12)


@pytest.mark.parametrize("name, kwargs", [CASES[0], CASES[2], CASES[3], CASES[5], CASES[10], CASES[12]])
def test_step_with_epoch_uses_the_closed_form_like_torch(name, kwargs):
    mine, theirs = _pair(name, kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for epoch in (3, 7, 12, 20):
            _step_both(mine, theirs, epoch)
            assert mine.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12)


def test_lr_changes_the_optimizer_step():
    w = minitorch.zeros(1, requires_grad=True)
    opt = minitorch.optim.SGD([w], lr=1.0)
    sched = lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(3):
        w.grad = minitorch.ones(1)
        opt.step()
        sched.step()
    assert w.item() == pytest.approx(-(1.0 + 0.5 + 0.25))


def test_state_dict_round_trip_resumes_the_schedule():
    def build():
        opt = minitorch.optim.SGD(_groups(minitorch), lr=0.1)
        return opt, lr_scheduler.CosineAnnealingLR(opt, T_max=7, eta_min=0.01)

    opt, sched = build()
    for _ in range(5):
        opt.step()
        sched.step()
    opt2, sched2 = build()
    opt2.load_state_dict(opt.state_dict())
    sched2.load_state_dict(sched.state_dict())
    assert "optimizer" not in sched.state_dict()
    for _ in range(10):
        for o, s in ((opt, sched), (opt2, sched2)):
            o.step()
            s.step()
        assert sched.get_last_lr() == sched2.get_last_lr()


def test_lambda_lr_state_dict_skips_functions_and_keeps_callable_objects():
    class Decay:
        def __init__(self, rate):
            self.rate = rate

        def __call__(self, epoch):
            return self.rate**epoch

    opt = minitorch.optim.SGD(_groups(minitorch), lr=0.1)
    sched = lr_scheduler.LambdaLR(opt, [Decay(0.5), _fn_decay])
    state = sched.state_dict()
    assert state["lr_lambdas"] == [{"rate": 0.5}, None]
    other = lr_scheduler.LambdaLR(minitorch.optim.SGD(_groups(minitorch), lr=0.1), [Decay(0.9), _fn_decay])
    other.load_state_dict(state)
    assert other.lr_lambdas[0].rate == 0.5


def test_warnings_like_torch():
    opt = minitorch.optim.SGD(_groups(minitorch), lr=0.1)
    sched = lr_scheduler.StepLR(opt, step_size=2)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        sched.step()
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        sched.get_lr()
    opt2 = minitorch.optim.SGD(_groups(minitorch), lr=0.1)
    sched2 = lr_scheduler.ExponentialLR(opt2, gamma=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt2.step()
        sched2.step()


def test_scheduler_errors():
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        lr_scheduler.StepLR([], step_size=1)
    opt = minitorch.optim.SGD(_groups(minitorch), lr=0.1)
    with pytest.raises(KeyError, match="param 'initial_lr' is not specified in param_groups\\[0\\]"):
        lr_scheduler.StepLR(opt, step_size=1, last_epoch=3)
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas, but got 3"):
        lr_scheduler.LambdaLR(opt, [_fn_decay] * 3)
    with pytest.raises(ValueError, match="Constant multiplicative factor expected to be between 0 and 1."):
        lr_scheduler.ConstantLR(opt, factor=2.0)
    with pytest.raises(ValueError, match="Starting multiplicative factor expected to be greater than 0"):
        lr_scheduler.LinearLR(opt, start_factor=0)


def test_resuming_with_last_epoch_matches_torch():
    """Build, step 5 times, then build a new scheduler with last_epoch=5 over the same groups (PyTorch's resume)."""
    torch = pytest.importorskip("torch")
    mine, theirs = _pair("CosineAnnealingLR", dict(T_max=9))
    for _ in range(5):
        _step_both(mine, theirs)
    mine2 = lr_scheduler.CosineAnnealingLR(mine.optimizer, T_max=9, last_epoch=5)
    theirs2 = torch.optim.lr_scheduler.CosineAnnealingLR(theirs.optimizer, T_max=9, last_epoch=5)
    assert mine2.get_last_lr() == pytest.approx(theirs2.get_last_lr(), rel=1e-12)
    for _ in range(10):
        _step_both(mine2, theirs2)
        assert mine2.get_last_lr() == pytest.approx(theirs2.get_last_lr(), rel=1e-12)
