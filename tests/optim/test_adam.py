"""Adam and AdamW against torch.optim: parameters, exp_avg, exp_avg_sq, max_exp_avg_sq and step."""

import numpy as np
import pytest
from optim_helpers import assert_fast_path_is_exact, assert_resume_is_exact, assert_same_as_torch

import minitorch

ADAM_CASES = [
    dict(),
    dict(lr=0.01, betas=(0.8, 0.99)),
    dict(lr=0.01, amsgrad=True),
    dict(lr=0.01, weight_decay=0.1),
    dict(lr=0.02, eps=1e-3, weight_decay=0.05, amsgrad=True, maximize=True),
    dict(lr=0.05, betas=(0.3, 0.5)),  # beta1 < 0.5: lerp weight > 0.5
]
ADAMW_CASES = [
    dict(),
    dict(lr=0.01, weight_decay=0.1),
    dict(lr=0.01, weight_decay=0.1, amsgrad=True, maximize=True),
    dict(lr=0.01, weight_decay=0),
]


@pytest.mark.parametrize("kwargs", ADAM_CASES)
def test_adam_matches_torch(kwargs):
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, "Adam", kwargs)


@pytest.mark.parametrize("kwargs", ADAMW_CASES)
def test_adamw_matches_torch(kwargs):
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, "AdamW", kwargs)


@pytest.mark.parametrize("name, kwargs", [("Adam", ADAM_CASES[4]), ("AdamW", ADAMW_CASES[2])])
def test_adam_matches_torch_float64(name, kwargs):
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, name, kwargs, dtype=np.float64)


def test_adam_skips_params_without_grad_like_torch():
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, "Adam", dict(lr=0.01), skip_at={0: (2,), 4: (0, 1)})


@pytest.mark.parametrize("name, kwargs", [("Adam", c) for c in ADAM_CASES] + [("AdamW", c) for c in ADAMW_CASES])
def test_adam_fast_path_equals_tensor_ops(name, kwargs):
    assert_fast_path_is_exact(name, kwargs)


@pytest.mark.parametrize("name, kwargs", [("Adam", ADAM_CASES[4]), ("AdamW", ADAMW_CASES[2])])
def test_adam_resume_from_state_dict(name, kwargs):
    assert_resume_is_exact(name, kwargs)


def test_adam_first_step_formula_numpy():
    """After one step m = (1-b1) g, v = (1-b2) g^2, and theta moves by lr * g / (|g| + eps') ~ lr * sign(g)."""
    g = np.array([0.5, -2.0, 3.0], np.float32)
    w = minitorch.zeros(3, requires_grad=True)
    opt = minitorch.optim.Adam([w], lr=0.1)
    w.grad = minitorch.tensor(g)
    opt.step()
    state = opt.state[w]
    np.testing.assert_allclose(state["exp_avg"].numpy(), 0.1 * g, rtol=1e-6)
    np.testing.assert_allclose(state["exp_avg_sq"].numpy(), 0.001 * g * g, rtol=1e-5)
    m_hat, v_hat = 0.1 * g / 0.1, 0.001 * g * g / 0.001
    np.testing.assert_allclose(w.detach().numpy(), -0.1 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-5)
    assert state["step"].dtype is minitorch.float32 and state["step"].shape == () and state["step"].item() == 1.0


def test_adamw_decouples_weight_decay():
    """With a zero gradient Adam's update is 0, so only AdamW's decay moves theta: theta * (1 - lr*wd)."""
    w = minitorch.tensor([2.0, -4.0], requires_grad=True)
    opt = minitorch.optim.AdamW([w], lr=0.1, weight_decay=0.5)
    w.grad = minitorch.zeros(2)
    opt.step()
    np.testing.assert_allclose(w.detach().numpy(), [2.0 * 0.95, -4.0 * 0.95], rtol=1e-6)
    assert opt.param_groups[0]["decoupled_weight_decay"] is True
    assert opt.defaults["weight_decay"] == 1e-2 or opt.param_groups[0]["weight_decay"] == 0.5


def test_adam_errors():
    w = minitorch.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        minitorch.optim.Adam([w], lr=-1)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 0: 1.0"):
        minitorch.optim.Adam([w], betas=(1.0, 0.9))
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1: -0.1"):
        minitorch.optim.AdamW([w], betas=(0.9, -0.1))
    with pytest.raises(ValueError, match="Invalid epsilon value: -1e-08"):
        minitorch.optim.Adam([w], eps=-1e-8)
    with pytest.raises(ValueError, match="Invalid weight_decay value: -1"):
        minitorch.optim.AdamW([w], weight_decay=-1)
