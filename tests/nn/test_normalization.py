"""BatchNorm1d/2d, LayerNorm, GroupNorm, RMSNorm: vs NumPy, vs PyTorch (train and eval), running stats."""

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn import functional as F

from ._util import compare_module, copy_weights, gradcheck, torch_or_skip

RNG = np.random.default_rng(0)


def _randomise_affine(th_mod):
    torch = torch_or_skip()
    with torch.no_grad():
        for p in th_mod.parameters():
            p.copy_(torch.tensor(RNG.uniform(0.5, 1.5, tuple(p.shape)).astype(np.float32)))


@pytest.mark.parametrize("cls,shape", [("BatchNorm1d", (6, 3)), ("BatchNorm1d", (4, 3, 5)),
                                       ("BatchNorm2d", (4, 3, 2, 3))])
@pytest.mark.parametrize("momentum", [0.1, None])
def test_batchnorm_training_steps_and_eval_vs_torch(cls, shape, momentum):
    torch = torch_or_skip()
    mm, tm = getattr(nn, cls)(3, momentum=momentum), getattr(torch.nn, cls)(3, momentum=momentum)
    _randomise_affine(tm)
    for step in range(3):
        x = (RNG.standard_normal(shape) * 2 + step).astype(np.float32)
        compare_module(mm, tm, [x], atol=1e-5)  # copies weights and running stats each step
        for name in ("running_mean", "running_var", "num_batches_tracked"):
            a, b = getattr(mm, name), getattr(tm, name)
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6, err_msg=name)
    mm.eval()
    tm.eval()
    compare_module(mm, tm, [RNG.standard_normal(shape).astype(np.float32)], atol=1e-5)
    assert repr(mm) == repr(tm)


def test_batchnorm_running_stats_formula_numpy():
    bn = nn.BatchNorm2d(2, momentum=0.3)
    x = RNG.standard_normal((3, 2, 2, 2))
    out = bn(minitorch.tensor(x, dtype=minitorch.float32)).detach().numpy()
    mean = x.mean((0, 2, 3))
    var_b = x.var((0, 2, 3))
    var_u = x.var((0, 2, 3), ddof=1)
    ref = (x - mean[None, :, None, None]) / np.sqrt(var_b[None, :, None, None] + 1e-5)
    np.testing.assert_allclose(out, ref, atol=1e-5)
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.3 * mean, rtol=1e-5)
    np.testing.assert_allclose(bn.running_var.numpy(), 0.7 + 0.3 * var_u, rtol=1e-5)
    assert bn.num_batches_tracked.item() == 1


def test_batchnorm_no_running_stats_and_no_affine():
    torch = torch_or_skip()
    for kwargs in [{"track_running_stats": False}, {"affine": False}, {"bias": False}]:
        mm, tm = nn.BatchNorm1d(3, **kwargs), torch.nn.BatchNorm1d(3, **kwargs)
        assert list(mm.state_dict()) == list(tm.state_dict())
        compare_module(mm, tm, [RNG.standard_normal((5, 3)).astype(np.float32)])
        mm.eval()
        tm.eval()
        compare_module(mm, tm, [RNG.standard_normal((5, 3)).astype(np.float32)])
        assert repr(mm) == repr(tm)


def test_batchnorm_errors_match_torch():
    torch = torch_or_skip()
    for make, shape in [(lambda ns: ns.BatchNorm1d(3), (2, 3, 4, 5)), (lambda ns: ns.BatchNorm2d(3), (2, 3, 4))]:
        with pytest.raises(ValueError) as e_t:
            make(torch.nn)(torch.zeros(*shape))
        with pytest.raises(ValueError) as e_m:
            make(nn)(minitorch.zeros(*shape))
        assert str(e_m.value) == str(e_t.value)
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        nn.BatchNorm1d(3)(minitorch.zeros(1, 3))


def test_batchnorm_old_checkpoint_without_num_batches_tracked_loads():
    bn = nn.BatchNorm1d(2)
    sd = {k: v.numpy() for k, v in bn.state_dict().items() if k != "num_batches_tracked"}
    assert bn.load_state_dict(sd).missing_keys == []


@pytest.mark.parametrize("shape,normalized", [((4, 5), (5,)), ((2, 3, 4), (3, 4))])
@pytest.mark.parametrize("kwargs", [{}, {"elementwise_affine": False}, {"bias": False}])
def test_layernorm_vs_torch(shape, normalized, kwargs):
    torch = torch_or_skip()
    mm, tm = nn.LayerNorm(normalized, **kwargs), torch.nn.LayerNorm(normalized, **kwargs)
    _randomise_affine(tm)
    compare_module(mm, tm, [RNG.standard_normal(shape).astype(np.float32)], atol=1e-5)
    assert repr(mm) == repr(tm)


def test_layernorm_numpy_and_error():
    x = RNG.standard_normal((3, 4))
    out = F.layer_norm(minitorch.tensor(x), (4,)).numpy()
    ref = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(out, ref, rtol=1e-10)
    with pytest.raises(RuntimeError, match=r"Given normalized_shape=\[4\], expected input with shape \[\*, 4\]"):
        F.layer_norm(minitorch.zeros(2, 3), [4])


@pytest.mark.parametrize("groups", [1, 2, 4])
def test_groupnorm_vs_torch(groups):
    torch = torch_or_skip()
    mm, tm = nn.GroupNorm(groups, 4), torch.nn.GroupNorm(groups, 4)
    _randomise_affine(tm)
    compare_module(mm, tm, [RNG.standard_normal((2, 4, 3, 2)).astype(np.float32)], atol=1e-5)
    assert repr(mm) == repr(tm)
    with pytest.raises(ValueError, match="must be divisible"):
        nn.GroupNorm(3, 4)


def test_rmsnorm_vs_torch():
    torch = torch_or_skip()
    mm, tm = nn.RMSNorm(4, eps=1e-6), torch.nn.RMSNorm(4, eps=1e-6)
    _randomise_affine(tm)
    compare_module(mm, tm, [RNG.standard_normal((3, 4)).astype(np.float32)], atol=1e-5)


def test_norm_gradchecks():
    w, b = RNG.uniform(0.5, 1.5, 3), RNG.standard_normal(3)
    assert gradcheck(lambda x, w, b: F.layer_norm(x, (3,), w, b), RNG.standard_normal((2, 3)), w, b)
    assert gradcheck(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
                     RNG.standard_normal((4, 3, 2)), w, b)
    assert gradcheck(lambda x: F.group_norm(x, 1), RNG.standard_normal((2, 3, 2)))


def test_batchnorm_eval_uses_running_stats_only():
    bn = nn.BatchNorm1d(2).eval()
    copy_weights(bn, bn)  # a self-copy is a no-op
    x = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(bn(x).detach().numpy(), x.numpy() / np.sqrt(1 + 1e-5), rtol=1e-6)
    assert bn.num_batches_tracked.item() == 0
