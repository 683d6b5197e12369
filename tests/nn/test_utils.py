"""nn.utils: clip_grad_norm_ / clip_grad_value_ vs PyTorch, parameters <-> vector."""

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn.utils import clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters

from ._util import torch_or_skip

RNG = np.random.default_rng(0)


def _params_with_grads(mod, grads):
    ps = []
    for g in grads:
        p = mod.nn.Parameter(mod.zeros(*g.shape))
        p.grad = mod.tensor(g)
        ps.append(p)
    return ps


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf"), 3])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_vs_torch(norm_type, max_norm):
    torch = torch_or_skip()
    grads = [RNG.standard_normal((3, 4)).astype(np.float32), RNG.standard_normal(5).astype(np.float32)]
    pm, pt = _params_with_grads(minitorch, grads), _params_with_grads(torch, grads)
    total_m = clip_grad_norm_(pm, max_norm, norm_type)
    total_t = torch.nn.utils.clip_grad_norm_(pt, max_norm, norm_type)
    np.testing.assert_allclose(total_m.item(), total_t.item(), rtol=1e-6)
    for a, b in zip(pm, pt):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-6)


def test_clip_grad_norm_edge_cases():
    p = nn.Parameter(minitorch.zeros(2))
    assert clip_grad_norm_([p], 1.0).item() == 0.0  # no grads at all
    p.grad = minitorch.tensor([float("inf"), 1.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        clip_grad_norm_(p, 1.0, error_if_nonfinite=True)
    q = nn.Parameter(minitorch.zeros(2))
    q.grad = minitorch.tensor([3.0, 4.0])
    assert clip_grad_norm_(q, 1.0).item() == 5.0  # a single tensor works too
    np.testing.assert_allclose(q.grad.numpy(), [0.6, 0.8], rtol=1e-5)


def test_clip_grad_value_vs_torch():
    torch = torch_or_skip()
    grads = [RNG.standard_normal((3, 4)).astype(np.float32)]
    pm, pt = _params_with_grads(minitorch, grads), _params_with_grads(torch, grads)
    clip_grad_value_(pm, 0.5)
    torch.nn.utils.clip_grad_value_(pt, 0.5)
    np.testing.assert_array_equal(pm[0].grad.numpy(), pt[0].grad.numpy())


def test_parameters_to_vector_round_trip():
    m = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1))
    v = parameters_to_vector(m.parameters())
    assert tuple(v.shape) == (11,)
    vector_to_parameters(minitorch.arange(11, dtype=minitorch.float32), m.parameters())
    assert m[0].weight.detach().numpy().ravel().tolist() == [0, 1, 2, 3, 4, 5]
    assert m[1].bias.item() == 10
    with pytest.raises(TypeError, match="expected torch.Tensor"):
        vector_to_parameters([1.0], m.parameters())
