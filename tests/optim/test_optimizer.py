"""The Optimizer base class: param groups, zero_grad, step(closure), state_dict / load_state_dict."""

import copy
import io

import numpy as np
import pytest
from optim_helpers import make_grads, make_params, mt_params, set_grads, to_np

import minitorch
from minitorch import optim

ALL = [
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1)),
]


def leaf(*shape):
    return minitorch.randn(*shape, requires_grad=True)


# ---- construction and param groups -------------------------------------------------------------
def test_params_must_be_an_iterable_not_a_tensor():
    with pytest.raises(TypeError, match="should be an iterable of Tensors or dicts, but got minitorch.FloatTensor"):
        optim.SGD(leaf(2), lr=0.1)


def test_empty_parameter_list():
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        optim.SGD([], lr=0.1)


def test_non_leaf_and_non_tensor_params_are_rejected():
    w = leaf(2)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        optim.SGD([w * 2], lr=0.1)
    with pytest.raises(TypeError, match="optimizer can only optimize Tensors, but one of the params is"):
        optim.SGD([w, 3.0], lr=0.1)
    with pytest.raises(TypeError, match="ordered collections"):
        optim.SGD([{"params": {w}}], lr=0.1)


def test_param_groups_take_defaults_and_per_group_options():
    a, b = leaf(2), leaf(3)
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5, "momentum": 0.9}], lr=0.1)
    g0, g1 = opt.param_groups
    assert g0["params"] == [a] and g1["params"] == [b]
    assert g0["lr"] == 0.1 and g0["momentum"] == 0
    assert g1["lr"] == 0.5 and g1["momentum"] == 0.9
    assert set(g0) == {"params", "lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach",
                       "differentiable", "fused"}


def test_per_group_lr_matches_torch():
    torch = pytest.importorskip("torch")
    inits, grads = make_params(), make_grads(steps=10)
    mine, theirs = mt_params(inits), [torch.tensor(a.copy(), requires_grad=True) for a in inits]

    def groups(ps):
        return [{"params": ps[:2], "lr": 0.01}, {"params": ps[2:], "lr": 0.2, "betas": (0.5, 0.9)}]

    opt, topt = optim.Adam(groups(mine), lr=0.1), torch.optim.Adam(groups(theirs), lr=0.1)
    for step_grads in grads:
        set_grads(mine, step_grads, minitorch)
        set_grads(theirs, step_grads, torch)
        opt.step()
        topt.step()
    for m, t in zip(mine, theirs):
        np.testing.assert_allclose(to_np(m), to_np(t), rtol=2e-5, atol=2e-6)


def test_add_param_group_and_duplicates():
    a, b = leaf(2), leaf(2)
    opt = optim.SGD([a], lr=0.1)
    opt.add_param_group({"params": [b], "lr": 0.01})
    assert opt.param_groups[1]["lr"] == 0.01 and opt.param_groups[1]["momentum"] == 0
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        optim.SGD([{"params": [a]}, {"params": [a, b]}], lr=0.1)
    with pytest.raises(TypeError, match="param_group must be a dict"):
        opt.add_param_group([b])
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optim.SGD([b, b], lr=0.1)


def test_named_parameters_give_param_names():
    a, b = leaf(2), leaf(2)
    opt = optim.SGD([("w", a), ("b", b)], lr=0.1)
    assert opt.param_groups[0]["params"] == [a, b]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["w", "b"]


# ---- zero_grad, step, closure ---------------------------------------------------------------------
def test_zero_grad_sets_none_or_zeros():
    w = leaf(3)
    opt = optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert w.grad is not None and not w.grad.any().item()
    opt.zero_grad()
    assert w.grad is None


def test_params_without_grad_are_skipped():
    for name, kwargs in ALL:
        a, b = leaf(2), leaf(2)
        before = b.detach().clone()
        opt = getattr(optim, name)([a, b], **kwargs)
        a.grad = minitorch.ones(2)
        opt.step()
        assert minitorch.equal(b, before), name
        assert name == "Adagrad" or b not in opt.state, name  # Adagrad fills its state up front


def test_closure_runs_with_grad_enabled_and_its_loss_is_returned():
    w = minitorch.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with minitorch.no_grad():
        loss = opt.step(closure)
    assert loss.item() == pytest.approx(5.0)
    np.testing.assert_allclose(w.detach().numpy(), [0.8, 1.6], rtol=1e-6)
    assert opt.step() is None


def test_closure_matches_torch_over_steps():
    torch = pytest.importorskip("torch")
    x_np = np.random.default_rng(3).standard_normal((5, 3)).astype(np.float32)
    w0 = np.array([0.5, -1.0, 2.0], np.float32)
    w, tw = minitorch.tensor(w0, requires_grad=True), torch.tensor(w0, requires_grad=True)
    x, tx = minitorch.tensor(x_np), torch.tensor(x_np)
    opt, topt = optim.RMSprop([w], lr=0.01, momentum=0.9), torch.optim.RMSprop([tw], lr=0.01, momentum=0.9)
    for _ in range(10):
        def closure(w=w, opt=opt, x=x):
            opt.zero_grad()
            loss = ((x @ w) ** 2).mean()
            loss.backward()
            return loss

        def tclosure():
            topt.zero_grad()
            loss = ((tx @ tw) ** 2).mean()
            loss.backward()
            return loss

        assert opt.step(closure).item() == pytest.approx(topt.step(tclosure).item(), rel=1e-5)
    np.testing.assert_allclose(w.detach().numpy(), tw.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_step_is_not_recorded_and_bumps_the_version():
    """The update runs under no_grad, in place: a graph that saved the old parameter must refuse backward."""
    for name, kwargs in ALL:
        w = leaf(3)
        opt = getattr(optim, name)([w], **kwargs)
        y = (w * w).sum()  # saves w for backward
        w.grad = minitorch.ones(3)
        opt.step()
        assert w.grad_fn is None and w.requires_grad and w.is_leaf, name
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.backward()


def test_repr_lists_the_groups():
    opt = optim.SGD([leaf(2)], lr=0.1, momentum=0.9)
    text = repr(opt)
    assert text.startswith("SGD (\nParameter Group 0\n") and "    lr: 0.1\n" in text and "    momentum: 0.9\n" in text
    assert text.endswith(")")


# ---- state_dict and load_state_dict ------------------------------------------------------------------
def test_state_dict_format_matches_torch():
    torch = pytest.importorskip("torch")
    inits, grads = make_params(), make_grads(steps=2)
    for name, kwargs in ALL:
        mine, theirs = mt_params(inits), [torch.tensor(a.copy(), requires_grad=True) for a in inits]
        opt = getattr(optim, name)([{"params": mine[:1]}, {"params": mine[1:], "lr": 0.5}], **kwargs)
        topt = getattr(torch.optim, name)([{"params": theirs[:1]}, {"params": theirs[1:], "lr": 0.5}], **kwargs)
        for step_grads in grads:
            set_grads(mine, step_grads, minitorch)
            set_grads(theirs, step_grads, torch)
            opt.step()
            topt.step()
        sd, tsd = opt.state_dict(), topt.state_dict()
        assert list(sd) == ["state", "param_groups"]
        expected = [[0], [1, 2, 3]]
        assert [g["params"] for g in sd["param_groups"]] == [g["params"] for g in tsd["param_groups"]] == expected
        for g, tg in zip(sd["param_groups"], tsd["param_groups"]):
            assert set(g) <= set(tg), name
            assert all(g[k] == tg[k] for k in g if k != "params"), name
        assert list(sd["state"]) == list(tsd["state"])
        for i, entries in tsd["state"].items():
            assert list(sd["state"][i]) == list(entries), name
            if "step" in entries:
                assert sd["state"][i]["step"].item() == entries["step"].item() == 2.0
                assert sd["state"][i]["step"].dtype is minitorch.float32 and sd["state"][i]["step"].device.type == "cpu"


@pytest.mark.parametrize("name, kwargs", ALL)
def test_resume_through_minitorch_save_is_exact(name, kwargs, tmp_path):
    """Save after 3 steps, keep going; a fresh optimizer loaded from the file takes the same next steps."""
    inits, grads = make_params(), make_grads(steps=8)
    params = mt_params(inits)
    opt = getattr(optim, name)(params, **kwargs)
    for step_grads in grads[:3]:
        set_grads(params, step_grads, minitorch)
        opt.step()
    minitorch.save({"params": params, "optim": opt.state_dict()}, tmp_path / "ckpt.pt")
    for step_grads in grads[3:]:
        set_grads(params, step_grads, minitorch)
        opt.step()

    ckpt = minitorch.load(tmp_path / "ckpt.pt")
    resumed = [p.detach().requires_grad_() for p in ckpt["params"]]
    opt2 = getattr(optim, name)(resumed, **kwargs)
    opt2.load_state_dict(ckpt["optim"])
    for step_grads in grads[3:]:
        set_grads(resumed, step_grads, minitorch)
        opt2.step()
    for a, b in zip(params, resumed):
        np.testing.assert_array_equal(to_np(a), to_np(b))


def test_load_state_dict_deep_copies_and_casts_to_the_param_dtype():
    w = leaf(3)
    opt = optim.Adam([w], lr=0.1)
    w.grad = minitorch.ones(3)
    opt.step()
    sd = opt.state_dict()
    w64 = minitorch.zeros(3, dtype=minitorch.float64, requires_grad=True)
    opt64 = optim.Adam([w64], lr=0.1)
    opt64.load_state_dict(sd)
    state = opt64.state[w64]
    assert state["exp_avg"].dtype is minitorch.float64
    assert state["step"].dtype is minitorch.float32  # step is kept as saved
    assert state["exp_avg"] is not sd["state"][0]["exp_avg"]
    sd["state"][0]["exp_avg_sq"].mul_(0)
    sd["param_groups"][0]["lr"] = 123.0
    assert state["exp_avg_sq"].abs().sum().item() > 0 and opt64.param_groups[0]["lr"] == 0.1
    assert opt64.param_groups[0]["params"] == [w64]


def test_load_state_dict_errors():
    a, b = leaf(2), leaf(2)
    sd = optim.SGD([a, b], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).load_state_dict(sd)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        optim.SGD([a], lr=0.1).load_state_dict(sd)


def test_load_a_torch_state_dict_converted_to_numpy():
    """A PyTorch optimizer's state (tensors as NumPy arrays) resumes in minitorch with the same steps."""
    torch = pytest.importorskip("torch")
    inits, grads = make_params(), make_grads(steps=8)
    theirs = [torch.tensor(a.copy(), requires_grad=True) for a in inits]
    topt = torch.optim.Adam(theirs, lr=0.01, weight_decay=0.1)
    for step_grads in grads[:4]:
        set_grads(theirs, step_grads, torch)
        topt.step()
    tsd = topt.state_dict()
    converted = {"state": {i: {k: v.numpy().copy() for k, v in s.items()} for i, s in tsd["state"].items()},
                 "param_groups": copy.deepcopy(tsd["param_groups"])}
    mine = mt_params([p.detach().numpy() for p in theirs])
    opt = optim.Adam(mine, lr=0.01, weight_decay=0.1)
    opt.load_state_dict(converted)
    for step_grads in grads[4:]:
        set_grads(theirs, step_grads, torch)
        set_grads(mine, step_grads, minitorch)
        topt.step()
        opt.step()
    for m, t in zip(mine, theirs):
        np.testing.assert_allclose(to_np(m), to_np(t), rtol=2e-5, atol=2e-6)


def test_state_dict_survives_a_file_object_round_trip():
    w = leaf(4)
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    w.grad = minitorch.ones(4)
    opt.step()
    buf = io.BytesIO()
    minitorch.save(opt.state_dict(), buf)
    buf.seek(0)
    sd = minitorch.load(buf)
    assert list(sd["state"]) == [0]
    np.testing.assert_array_equal(sd["state"][0]["momentum_buffer"].numpy(), np.ones(4, np.float32))
    assert sd["param_groups"][0]["nesterov"] is False and sd["param_groups"][0]["params"] == [0]


# ---- a whole training run --------------------------------------------------------------------------
@pytest.mark.parametrize("name, kwargs", [("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3)),
                                          ("Adam", dict(lr=0.01, amsgrad=True)), ("AdamW", dict(lr=0.01)),
                                          ("RMSprop", dict(lr=0.005, centered=True)), ("Adagrad", dict(lr=0.1))])
def test_training_a_small_mlp_matches_torch(name, kwargs):
    """A torch MLP and the same model in minitorch ops (copied weights, same data): same losses for 20 steps."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    theirs = list(model.parameters())
    mine = [minitorch.tensor(p.detach().numpy().copy(), requires_grad=True) for p in theirs]
    rng = np.random.default_rng(0)
    x_np, y_np = rng.standard_normal((16, 5)).astype(np.float32), rng.integers(0, 3, 16)
    x, y = minitorch.tensor(x_np), minitorch.tensor(y_np)
    opt, topt = getattr(optim, name)(mine, **kwargs), getattr(torch.optim, name)(theirs, **kwargs)

    def my_loss():
        w1, b1, w2, b2 = mine
        logits = (x @ w1.t() + b1).tanh() @ w2.t() + b2
        return -minitorch.log_softmax(logits, dim=1).gather(1, y.unsqueeze(1)).mean()

    for _ in range(20):
        opt.zero_grad()
        topt.zero_grad()
        loss = my_loss()
        tloss = torch.nn.functional.cross_entropy(model(torch.tensor(x_np)), torch.tensor(y_np))
        loss.backward()
        tloss.backward()
        opt.step()
        topt.step()
        assert loss.item() == pytest.approx(tloss.item(), rel=1e-5, abs=1e-6)
    for m, t in zip(mine, theirs):
        np.testing.assert_allclose(to_np(m), to_np(t), rtol=1e-5, atol=1e-5)
