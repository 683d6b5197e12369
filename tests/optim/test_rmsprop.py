"""RMSprop against torch.optim.RMSprop: parameters, square_avg, grad_avg, momentum_buffer."""

import numpy as np
import pytest
from optim_helpers import assert_fast_path_is_exact, assert_resume_is_exact, assert_same_as_torch

import minitorch

CASES = [
    dict(),
    dict(lr=0.01, alpha=0.9),
    dict(lr=0.01, momentum=0.9),
    dict(lr=0.01, centered=True),
    dict(lr=0.01, weight_decay=0.1, eps=1e-4),
    dict(lr=0.005, alpha=0.95, momentum=0.5, centered=True, weight_decay=0.05, maximize=True),
]


@pytest.mark.parametrize("kwargs", CASES)
def test_rmsprop_matches_torch(kwargs):
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, "RMSprop", kwargs)


def test_rmsprop_matches_torch_float64():
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, "RMSprop", CASES[-1], dtype=np.float64)


@pytest.mark.parametrize("kwargs", CASES)
def test_rmsprop_fast_path_equals_tensor_ops(kwargs):
    assert_fast_path_is_exact("RMSprop", kwargs)


def test_rmsprop_resume_from_state_dict():
    assert_resume_is_exact("RMSprop", CASES[-1])


def test_rmsprop_first_step_formula_numpy():
    """v = (1 - alpha) g^2, theta <- -lr g / (sqrt(v) + eps)."""
    g = np.array([1.0, -0.5], np.float32)
    w = minitorch.zeros(2, requires_grad=True)
    opt = minitorch.optim.RMSprop([w], lr=0.01, alpha=0.9)
    w.grad = minitorch.tensor(g)
    opt.step()
    v = 0.1 * g * g
    np.testing.assert_allclose(w.detach().numpy(), -0.01 * g / (np.sqrt(v) + 1e-8), rtol=1e-5)


def test_rmsprop_errors():
    w = minitorch.zeros(2, requires_grad=True)
    for kwargs, msg in [(dict(lr=-1), "Invalid learning rate: -1"), (dict(eps=-1), "Invalid epsilon value: -1"),
                        (dict(momentum=-1), "Invalid momentum value: -1"),
                        (dict(weight_decay=-1), "Invalid weight_decay value: -1"),
                        (dict(alpha=-1), "Invalid alpha value: -1")]:
        with pytest.raises(ValueError, match=msg):
            minitorch.optim.RMSprop([w], **kwargs)
