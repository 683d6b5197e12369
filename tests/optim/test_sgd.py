"""SGD against torch.optim.SGD: same parameters and momentum buffers over 12 steps."""

import numpy as np
import pytest
from optim_helpers import assert_fast_path_is_exact, assert_resume_is_exact, assert_same_as_torch

import minitorch

CASES = [
    dict(lr=0.1),
    dict(lr=0.1, momentum=0.9),
    dict(lr=0.05, momentum=0.9, dampening=0.3),
    dict(lr=0.05, momentum=0.8, nesterov=True),
    dict(lr=0.1, weight_decay=0.1),
    dict(lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True, maximize=True),
    dict(lr=0.02, momentum=0.5, dampening=0.5, weight_decay=0.2, maximize=True),
]


@pytest.mark.parametrize("kwargs", CASES)
def test_sgd_matches_torch(kwargs):
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, "SGD", kwargs)


@pytest.mark.parametrize("kwargs", [CASES[1], CASES[5]])
def test_sgd_matches_torch_float64(kwargs):
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, "SGD", kwargs, dtype=np.float64)


def test_sgd_skips_params_without_grad_like_torch():
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, "SGD", dict(lr=0.1, momentum=0.9), skip_at={0: (1,), 3: (0, 2)})


@pytest.mark.parametrize("kwargs", CASES)
def test_sgd_fast_path_equals_tensor_ops(kwargs):
    assert_fast_path_is_exact("SGD", kwargs)


@pytest.mark.parametrize("kwargs", [CASES[2], CASES[5]])
def test_sgd_resume_from_state_dict(kwargs):
    assert_resume_is_exact("SGD", kwargs)


def test_sgd_plain_formula_numpy():
    """theta <- theta - lr * g, and with momentum b <- mu b + g (first b = g)."""
    w = minitorch.tensor([1.0, -2.0], requires_grad=True)
    opt = minitorch.optim.SGD([w], lr=0.5, momentum=0.9)
    expected, buf = np.array([1.0, -2.0], np.float32), None
    for g in ([1.0, 2.0], [0.5, -1.0], [-3.0, 0.25]):
        g = np.array(g, np.float32)
        w.grad = minitorch.tensor(g)
        opt.step()
        buf = g if buf is None else 0.9 * buf + g
        expected = expected - 0.5 * buf
        np.testing.assert_allclose(w.detach().numpy(), expected, rtol=1e-6)


def test_sgd_default_lr_and_errors():
    w = minitorch.zeros(2, requires_grad=True)
    assert minitorch.optim.SGD([w]).defaults["lr"] == 1e-3
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        minitorch.optim.SGD([w], lr=-1)
    with pytest.raises(ValueError, match="Invalid momentum value: -0.5"):
        minitorch.optim.SGD([w], momentum=-0.5)
    with pytest.raises(ValueError, match="Invalid weight_decay value: -0.1"):
        minitorch.optim.SGD([w], weight_decay=-0.1)
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening"):
        minitorch.optim.SGD([w], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening"):
        minitorch.optim.SGD([w], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)


def test_sgd_without_momentum_keeps_no_state():
    w = minitorch.ones(2, requires_grad=True)
    opt = minitorch.optim.SGD([w], lr=0.1)
    w.grad = minitorch.ones(2)
    opt.step()
    assert opt.state_dict()["state"] == {}
