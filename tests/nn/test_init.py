"""nn.init: gains and fans as PyTorch's, distribution statistics, seeds, no_grad, errors."""

import math

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn import init

from ._util import torch_or_skip


def test_calculate_gain_matches_torch():
    torch = torch_or_skip()
    for name, param in [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
                        ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None)]:
        assert init.calculate_gain(name, param) == torch.nn.init.calculate_gain(name, param)
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        init.calculate_gain("swish")


def test_fans_match_torch():
    torch = torch_or_skip()
    for shape in [(3, 4), (8, 3, 5, 5), (2, 6, 7)]:
        assert init._calculate_fan_in_and_fan_out(minitorch.empty(*shape)) == \
            torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(minitorch.empty(3))


STATS = [
    (lambda t: init.uniform_(t, -2.0, 3.0), 0.5, 5 / math.sqrt(12)),
    (lambda t: init.normal_(t, 1.0, 0.5), 1.0, 0.5),
    (lambda t: init.xavier_uniform_(t, gain=2.0), 0.0, 2.0 * math.sqrt(2 / (300 + 200))),
    (lambda t: init.xavier_normal_(t), 0.0, math.sqrt(2 / (300 + 200))),
    (lambda t: init.kaiming_uniform_(t, nonlinearity="relu"), 0.0, math.sqrt(2 / 200)),
    (lambda t: init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"), 0.0, math.sqrt(2 / 300)),
    (lambda t: init.trunc_normal_(t, std=1.0, a=-1.0, b=1.0), 0.0, 0.5380795),
]


@pytest.mark.parametrize("case", range(len(STATS)))
def test_init_statistics(case):
    fn, mean, std = STATS[case]
    minitorch.manual_seed(0)
    w = nn.Parameter(minitorch.empty(300, 200))
    out = fn(w)
    assert out is w and w.requires_grad and w.grad_fn is None
    arr = w.detach().numpy()
    assert abs(arr.mean() - mean) < 0.02 * max(std, 1)
    assert abs(arr.std() - std) < 0.02 * std


def test_kaiming_uniform_bound_is_exact_and_trunc_normal_bounds():
    w = minitorch.empty(50, 40)
    init.kaiming_uniform_(w, a=math.sqrt(5))
    assert np.abs(w.numpy()).max() <= 1 / math.sqrt(40)
    init.trunc_normal_(w, mean=1.0, std=3.0, a=0.5, b=2.0)
    assert w.numpy().min() >= 0.5 and w.numpy().max() <= 2.0


def test_constant_eye_dirac_orthogonal():
    torch = torch_or_skip()
    w = minitorch.empty(3, 4)
    assert np.all(init.constant_(w, 0.3).numpy() == np.float32(0.3))
    assert np.all(init.zeros_(w).numpy() == 0) and np.all(init.ones_(w).numpy() == 1)
    np.testing.assert_array_equal(init.eye_(w).numpy(), np.eye(3, 4))
    d_m, d_t = minitorch.empty(4, 2, 3, 3), torch.empty(4, 2, 3, 3)
    np.testing.assert_array_equal(init.dirac_(d_m, groups=2).numpy(), torch.nn.init.dirac_(d_t, groups=2).numpy())
    for shape in [(5, 3), (3, 5)]:
        q = init.orthogonal_(minitorch.empty(*shape), gain=2.0).numpy().astype(np.float64)
        small = q.T @ q if shape[0] > shape[1] else q @ q.T
        np.testing.assert_allclose(small, 4 * np.eye(min(shape)), atol=1e-5)
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions"):
        init.eye_(minitorch.empty(2, 2, 2))


def test_seed_reproduces_and_generator_is_used():
    minitorch.manual_seed(7)
    a = nn.Linear(5, 4).weight.detach().numpy().copy()
    minitorch.manual_seed(7)
    b = nn.Linear(5, 4).weight.detach().numpy()
    np.testing.assert_array_equal(a, b)
    g = minitorch.Generator().manual_seed(1)
    x = init.normal_(minitorch.empty(5), generator=g).numpy().copy()
    g.manual_seed(1)
    np.testing.assert_array_equal(x, init.normal_(minitorch.empty(5), generator=g).numpy())


def test_kaiming_errors_and_zero_element_warning():
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_uniform_(minitorch.empty(2, 2), mode="fan_avg")
    with pytest.warns(UserWarning, match="zero-element"):
        init.kaiming_uniform_(minitorch.empty(0, 3))
