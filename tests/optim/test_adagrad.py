"""Adagrad against torch.optim.Adagrad: parameters, sum and step (state filled at construction)."""

import numpy as np
import pytest
from optim_helpers import assert_fast_path_is_exact, assert_resume_is_exact, assert_same_as_torch

import minitorch

CASES = [
    dict(),
    dict(lr=0.1, lr_decay=0.05),
    dict(lr=0.1, initial_accumulator_value=0.5),
    dict(lr=0.1, weight_decay=0.1, eps=1e-5),
    dict(lr=0.05, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1, maximize=True),
]


@pytest.mark.parametrize("kwargs", CASES)
def test_adagrad_matches_torch(kwargs):
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, "Adagrad", kwargs)


def test_adagrad_matches_torch_float64_with_skipped_grads():
    torch = pytest.importorskip("torch")
    assert_same_as_torch(torch, "Adagrad", CASES[-1], dtype=np.float64, skip_at={1: (0,), 5: (3,)})


@pytest.mark.parametrize("kwargs", CASES)
def test_adagrad_fast_path_equals_tensor_ops(kwargs):
    assert_fast_path_is_exact("Adagrad", kwargs)


def test_adagrad_resume_from_state_dict():
    assert_resume_is_exact("Adagrad", CASES[-1])


def test_adagrad_state_exists_before_the_first_step_like_torch():
    torch = pytest.importorskip("torch")
    w = minitorch.zeros(3, requires_grad=True)
    tw = torch.zeros(3, requires_grad=True)
    mine = minitorch.optim.Adagrad([w], initial_accumulator_value=0.25).state_dict()["state"]
    theirs = torch.optim.Adagrad([tw], initial_accumulator_value=0.25).state_dict()["state"]
    assert sorted(mine[0]) == sorted(theirs[0]) == ["step", "sum"]
    np.testing.assert_array_equal(mine[0]["sum"].numpy(), theirs[0]["sum"].numpy())
    assert mine[0]["step"].item() == 0.0


def test_adagrad_param_added_later_gets_state():
    w, v = minitorch.ones(2, requires_grad=True), minitorch.ones(2, requires_grad=True)
    opt = minitorch.optim.Adagrad([w], lr=0.1)
    opt.add_param_group({"params": [v], "lr": 0.2})
    v.grad = minitorch.ones(2)
    opt.step()
    np.testing.assert_allclose(v.detach().numpy(), [1 - 0.2, 1 - 0.2], rtol=1e-6)


def test_adagrad_errors():
    w = minitorch.zeros(2, requires_grad=True)
    for kwargs, msg in [(dict(lr=-1), "Invalid learning rate: -1"), (dict(lr_decay=-1), "Invalid lr_decay value: -1"),
                        (dict(weight_decay=-1), "Invalid weight_decay value: -1"),
                        (dict(initial_accumulator_value=-1), "Invalid initial_accumulator_value value: -1"),
                        (dict(eps=-1), "Invalid epsilon value: -1")]:
        with pytest.raises(ValueError, match=msg):
            minitorch.optim.Adagrad([w], **kwargs)
