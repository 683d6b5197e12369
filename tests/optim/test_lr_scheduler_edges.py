"""Learning-rate schedulers against PyTorch: option grids over many steps, composition, resuming, warnings.

Every scheduler runs on an SGD (momentum) or Adam optimizer with two parameter
groups; after each step the rates from ``get_last_lr()``, ``last_epoch`` and
the groups' momentum/betas must equal PyTorch's (errors: same type and text).
"""

from __future__ import annotations

import math
import pickle
import warnings

import pytest

import minitorch

Sched = minitorch.optim.lr_scheduler


def make_opt(L, name="SGD", groups=2):
    groups = [{"params": [L.zeros(2, requires_grad=True)], "lr": 0.1 * (i + 1)} for i in range(groups)]
    return getattr(L.optim, name)(groups, lr=0.1, **({"momentum": 0.9} if name == "SGD" else {}))


def rounded(values):
    return [round(float(v), 12) for v in values]


def trajectory(L, build, steps=25, opt="SGD", args=None):
    """(lrs, last_epoch, momentum or betas) after building and after each step; an error ends it."""
    try:
        optimizer = make_opt(L, opt)
        sched = build(L, optimizer)
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return [(type(e).__name__, str(e))]

    def snapshot():
        moments = [g.get("momentum", g.get("betas")) for g in optimizer.param_groups]
        return rounded(sched.get_last_lr()), getattr(sched, "last_epoch", None), moments

    out = [snapshot()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k in range(steps):
            optimizer.step()
            try:
                sched.step(*([] if args is None else [args[k]]))
            except Exception as e:  # noqa: BLE001
                out.append((type(e).__name__, str(e)))
                break
            out.append(snapshot())
    return out


def same_as_torch(build, **kwargs):
    torch = pytest.importorskip("torch")
    mine, theirs = trajectory(minitorch, build, **kwargs), trajectory(torch, build, **kwargs)
    assert len(mine) == len(theirs)
    for k, (a, b) in enumerate(zip(mine, theirs)):
        if isinstance(a[0], list):
            assert a[1] == b[1] and a[0] == pytest.approx(b[0], rel=1e-9, abs=1e-12), k
            for m, t in zip(a[2], b[2]):
                assert m == pytest.approx(t, rel=1e-9), k
        else:
            assert a == b, k


CASES = [
    ("StepLR", dict(step_size=1, gamma=2.0)),
    ("MultiStepLR", dict(milestones=[9, 2, 5, 5])),  # unsorted, repeated
    ("MultiStepLR", dict(milestones=[])),
    ("ExponentialLR", dict(gamma=0.0)),
    ("CosineAnnealingLR", dict(T_max=1)),
    ("CosineAnnealingLR", dict(T_max=7, eta_min=0.5)),  # past T_max it rises again
    ("CosineAnnealingLR", dict(T_max=0)),
    ("LinearLR", dict(start_factor=1.0, end_factor=0.1, total_iters=7)),
    ("LinearLR", dict(start_factor=0.5, end_factor=0.0, total_iters=3)),
    ("LinearLR", dict(start_factor=0)),
    ("LinearLR", dict(end_factor=1.5)),
    ("ConstantLR", dict(factor=0.0, total_iters=2)),
    ("ConstantLR", dict(factor=1.5)),
    ("PolynomialLR", dict()),
    ("PolynomialLR", dict(total_iters=10, power=0.5)),
    ("CosineAnnealingWarmRestarts", dict(T_0=3)),
    ("CosineAnnealingWarmRestarts", dict(T_0=2, T_mult=2, eta_min=0.01)),
    ("CosineAnnealingWarmRestarts", dict(T_0=2.0)),
    ("CosineAnnealingWarmRestarts", dict(T_0=3, T_mult=0)),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=4)),
    ("CyclicLR", dict(base_lr=[0.01, 0.02], max_lr=0.1, step_size_up=3, step_size_down=5, mode="triangular2")),
    ("CyclicLR", dict(base_lr=0.01, max_lr=[0.1, 0.3], step_size_up=4, mode="exp_range", gamma=0.9)),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=2, base_momentum=0.7, max_momentum=[0.95, 0.9])),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, mode="bad")),
    ("OneCycleLR", dict(max_lr=[1.0, 2.0], total_steps=20, anneal_strategy="linear")),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=20, three_phase=True, pct_start=0.4)),
    ("OneCycleLR", dict(max_lr=1.0, epochs=4, steps_per_epoch=5, base_momentum=[0.8, 0.7], div_factor=10)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=3)),  # stepped too many times: ValueError
    ("OneCycleLR", dict(max_lr=1.0, total_steps=20.0)),
]


@pytest.mark.parametrize("opt", ["SGD", "Adam"])
@pytest.mark.parametrize("name, kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_scheduler_trajectory_matches_torch(name, kwargs, opt):
    same_as_torch(lambda L, o: getattr(L.optim.lr_scheduler, name)(o, **kwargs), opt=opt)


def test_lambda_schedulers_with_one_function_per_group_match_torch():
    same_as_torch(lambda L, o: L.optim.lr_scheduler.LambdaLR(o, [lambda e: 0.9**e, lambda e: 1 / (e + 1)]))
    same_as_torch(lambda L, o: L.optim.lr_scheduler.MultiplicativeLR(o, [lambda e: 0.9, lambda e: 1.1]))
    same_as_torch(lambda L, o: L.optim.lr_scheduler.LambdaLR(o, [lambda e: 1.0]))  # wrong length


def test_cyclic_lr_with_a_custom_scale_function_matches_torch():
    same_as_torch(lambda L, o: L.optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=3, scale_fn=lambda x: 0.5**x,
                                                             scale_mode="iterations"), opt="Adam")


@pytest.mark.parametrize("name, kwargs", [("CyclicLR", dict(base_lr=0.01, max_lr=0.1)),
                                          ("OneCycleLR", dict(max_lr=1.0, total_steps=10))])
def test_cycle_momentum_needs_an_optimizer_with_momentum(name, kwargs):
    same_as_torch(lambda L, o: getattr(L.optim.lr_scheduler, name)(o, **kwargs), opt="Adagrad")


@pytest.mark.parametrize("metrics", [[0.5, 0.4, 0.45, 0.41, 0.42, 0.39, 0.5, 0.5, 0.5, 0.5, 0.5, 0.2] * 2,
                                     [1.0, float("nan"), 2.0, 0.5, float("inf")] * 3])
@pytest.mark.parametrize("kwargs", [dict(patience=1, cooldown=2, min_lr=[0.05, 0.01]), dict(patience=0, eps=0.05),
                                    dict(mode="max", threshold_mode="abs", threshold=0.05, patience=1),
                                    dict(threshold_mode="abs", threshold=0.02, patience=0, factor=0.5)])
def test_reduce_lr_on_plateau_matches_torch(kwargs, metrics):
    same_as_torch(lambda L, o: L.optim.lr_scheduler.ReduceLROnPlateau(o, **kwargs), steps=len(metrics), args=metrics)


@pytest.mark.parametrize("name, kwargs", [("StepLR", dict(step_size=3)), ("PolynomialLR", dict(total_iters=4, power=2.0)),
                                          ("CosineAnnealingWarmRestarts", dict(T_0=2, T_mult=2))])
def test_step_with_an_epoch_matches_torch(name, kwargs):
    """The deprecated ``step(epoch)`` jumps with the closed form; warm restarts take fractional epochs."""
    epochs = [0.5, 1.5, 2.25, 7.0, 13.5, 3, 0, 30.1] if name.startswith("Cosine") else [1, 5, 2, 9, 0, 3]
    same_as_torch(lambda L, o: getattr(L.optim.lr_scheduler, name)(o, **kwargs), steps=len(epochs), args=epochs)


# ---- composition -------------------------------------------------------------------------------------------
def test_sequential_lr_matches_torch():
    def warmup_then_cosine(L, o):
        S = L.optim.lr_scheduler
        return S.SequentialLR(o, [S.LinearLR(o, 0.1, total_iters=4), S.CosineAnnealingLR(o, 10)], milestones=[4])

    def three_phases(L, o):
        S = L.optim.lr_scheduler
        return S.SequentialLR(o, [S.ConstantLR(o, 0.5, total_iters=2), S.ExponentialLR(o, 0.9), S.StepLR(o, 3)],
                              milestones=[3, 8])

    def nested(L, o):
        S = L.optim.lr_scheduler
        chained = S.ChainedScheduler([S.ExponentialLR(o, 0.9), S.StepLR(o, 2)])
        return S.SequentialLR(o, [S.LinearLR(o, 0.5, total_iters=2), chained], milestones=[3])

    for build in (warmup_then_cosine, three_phases, nested):
        same_as_torch(build)


def test_chained_scheduler_matches_torch():
    def constant_and_exponential(L, o):
        S = L.optim.lr_scheduler
        return S.ChainedScheduler([S.ConstantLR(o, 0.1, total_iters=2), S.ExponentialLR(o, 0.9)])

    def linear_and_cosine(L, o):
        S = L.optim.lr_scheduler
        return S.ChainedScheduler([S.LinearLR(o, 0.1, total_iters=3), S.CosineAnnealingLR(o, 6)], optimizer=o)

    same_as_torch(constant_and_exponential)
    same_as_torch(linear_and_cosine)


def test_composition_errors_match_torch():
    cases = [
        lambda L, o: L.optim.lr_scheduler.SequentialLR(o, [], milestones=[]),
        lambda L, o: L.optim.lr_scheduler.SequentialLR(
            o, [L.optim.lr_scheduler.ConstantLR(o), L.optim.lr_scheduler.ExponentialLR(o, 0.9)], milestones=[2, 4]),
        lambda L, o: L.optim.lr_scheduler.SequentialLR(
            o, [L.optim.lr_scheduler.ConstantLR(o), L.optim.lr_scheduler.ReduceLROnPlateau(o)], milestones=[2]),
        lambda L, o: L.optim.lr_scheduler.SequentialLR(o, [L.optim.lr_scheduler.ConstantLR(o), 3], milestones=[2]),
        lambda L, o: L.optim.lr_scheduler.ChainedScheduler([]),
        lambda L, o: L.optim.lr_scheduler.ChainedScheduler([L.optim.lr_scheduler.ReduceLROnPlateau(o)]),
    ]
    for build in cases:
        same_as_torch(build, steps=1)


def test_sequential_lr_state_dict_resumes_like_torch():
    torch = pytest.importorskip("torch")

    def fn(L):
        def build(o):
            S = L.optim.lr_scheduler
            return S.SequentialLR(o, [S.LinearLR(o, 0.1, total_iters=4), S.CosineAnnealingLR(o, 10)], milestones=[4])

        opt = make_opt(L)
        sched = build(opt)
        for _ in range(6):
            opt.step()
            sched.step()
        saved = sched.state_dict()
        opt2 = make_opt(L)
        sched2 = build(opt2)
        opt2.load_state_dict(opt.state_dict())
        sched2.load_state_dict(saved)
        out = [sorted(saved), [sorted(s) for s in saved["_schedulers"]]]
        for _ in range(4):
            opt2.step()
            sched2.step()
            out.append(rounded(sched2.get_last_lr()))
        return out

    assert fn(minitorch) == fn(torch)


def test_cyclic_and_warm_restart_state_dicts_hold_torchs_keys():
    torch = pytest.importorskip("torch")

    def fn(L):
        opt = make_opt(L)
        cyc = L.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, 3, mode="exp_range")
        warm = L.optim.lr_scheduler.CosineAnnealingWarmRestarts(make_opt(L), 2, 2)
        poly = L.optim.lr_scheduler.PolynomialLR(make_opt(L), 4, 2.0)
        for s in (cyc, warm, poly):
            s.optimizer.step()
            s.step()
        cyc_sd = pickle.loads(pickle.dumps(cyc.state_dict()))  # no functions inside
        return [sorted(s.state_dict()) for s in (cyc, warm, poly)], cyc_sd["_scale_fn_custom"], warm.T_cur, warm.T_i

    assert fn(minitorch) == fn(torch)


# ---- details ---------------------------------------------------------------------------------------------------
def test_one_cycle_phases_are_stored_as_torchs_dicts():
    torch = pytest.importorskip("torch")
    for three_phase in (False, True):
        mine = Sched.OneCycleLR(make_opt(minitorch), 1.0, total_steps=10, three_phase=three_phase)
        theirs = torch.optim.lr_scheduler.OneCycleLR(make_opt(torch), 1.0, total_steps=10, three_phase=three_phase)
        assert mine.state_dict()["_schedule_phases"] == theirs.state_dict()["_schedule_phases"]


def test_warnings_match_torch():
    torch = pytest.importorskip("torch")

    def caught(L, action):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            action(L)
        return [str(w.message) for w in record]

    def overridden_step(L):
        opt = make_opt(L)
        sched = L.optim.lr_scheduler.StepLR(opt, 2)
        opt.step = lambda closure=None: None  # replaces the wrapper the scheduler installed
        opt.step()
        sched.step()

    def plateau_with_epoch(L):
        L.optim.lr_scheduler.ReduceLROnPlateau(make_opt(L)).step(1.0, 5)

    def scheduler_first(L):
        L.optim.lr_scheduler.ExponentialLR(make_opt(L), 0.5).step()

    for action in (overridden_step, plateau_with_epoch, scheduler_first):
        mine, theirs = caught(minitorch, action), caught(torch, action)
        assert [m.replace("minitorch", "torch") for m in mine] == theirs and len(mine) == 1


def test_resuming_without_initial_lr_gives_torchs_key_error():
    torch = pytest.importorskip("torch")
    messages = []
    for L in (minitorch, torch):
        with pytest.raises(KeyError) as info:
            L.optim.lr_scheduler.StepLR(make_opt(L), 2, last_epoch=3)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_a_tensor_lr_is_updated_in_place_like_torch():
    torch = pytest.importorskip("torch")

    def fn(L):
        lr = L.tensor(0.1)
        w = L.zeros(2, requires_grad=True)
        opt = L.optim.SGD([w], lr=lr)
        sched = L.optim.lr_scheduler.StepLR(opt, 1, gamma=0.5)
        opt.step()
        sched.step()
        last = sched.get_last_lr()[0]
        plateau = L.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0)
        plateau.step(1.0)
        plateau.step(2.0)
        initial = opt.param_groups[0]["initial_lr"]
        return (opt.param_groups[0]["lr"] is lr, round(lr.item(), 6), last is lr, round(float(last), 6),
                initial is lr, round(float(initial), 6))

    assert fn(minitorch) == fn(torch) == (True, 0.005, False, 0.05, False, 0.1)


def test_warm_restarts_closed_form_by_hand():
    """With T_0=2, T_mult=2 the periods are 2, 4, 8: epoch 7 is 1 epoch into the third period."""
    opt = make_opt(minitorch, groups=1)
    sched = Sched.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.0)
    for _ in range(7):
        opt.step()
        sched.step()
    assert (sched.T_cur, sched.T_i) == (1, 8)
    assert sched.get_last_lr()[0] == pytest.approx(0.1 * (1 + math.cos(math.pi / 8)) / 2)
