"""nn.utils.parametrize, nn.utils.parametrizations (weight_norm, spectral_norm) and the old hook-based
weight_norm / spectral_norm, compared with PyTorch: values, gradients, state_dict keys, errors."""

from __future__ import annotations

import copy
import pickle
import warnings

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn.utils import parametrizations, parametrize

torch = pytest.importorskip("torch")


def _load(mt_module, th_module):
    """Copy every entry of PyTorch's state_dict (parametrized keys included) into the minitorch module."""
    mt_module.load_state_dict({k: v.detach().numpy().copy() for k, v in th_module.state_dict().items()})


def _close(a, b, atol=1e-5):
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=atol)


def _x(lib, shape, seed=1):
    return lib.tensor(np.random.default_rng(seed).standard_normal(shape).astype(np.float32), requires_grad=True)


def _run_both(mt_mod, th_mod, x_shape, params):
    """Forward + backward of sum(out**2) on both; outputs, input grads and the named parameters' grads agree."""
    xm, xt = _x(minitorch, x_shape), _x(torch, x_shape)
    om, ot = mt_mod(xm), th_mod(xt)
    _close(om, ot)
    om.pow(2).sum().backward()
    ot.pow(2).sum().backward()
    _close(xm.grad, xt.grad)
    pm, pt = dict(mt_mod.named_parameters()), dict(th_mod.named_parameters())
    assert list(pm) == list(pt)
    for name in params:
        _close(pm[name].grad, pt[name].grad, atol=1e-4)


def _symmetric(lib):
    class Symmetric(lib.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).mT

        def right_inverse(self, A):
            return A.triu()

    return Symmetric()


def _scale(lib, s):
    class Scale(lib.nn.Module):
        def forward(self, X):
            return X * s

    return Scale()


def test_register_parametrization_matches_torch():
    mt, th = nn.Linear(3, 3), torch.nn.Linear(3, 3)
    parametrize.register_parametrization(mt, "weight", _symmetric(minitorch))
    torch.nn.utils.parametrize.register_parametrization(th, "weight", _symmetric(torch))
    assert type(mt).__name__ == type(th).__name__ == "ParametrizedLinear"
    assert list(mt.state_dict()) == list(th.state_dict()) == ["bias", "parametrizations.weight.original"]
    assert [n for n, _ in mt.named_parameters()] == [n for n, _ in th.named_parameters()]
    assert repr(mt).replace("minitorch", "torch") == repr(th)
    _load(mt, th)
    _close(mt.weight, th.weight)
    _run_both(mt, th, (2, 3), ["bias", "parametrizations.weight.original"])
    assert parametrize.is_parametrized(mt) and parametrize.is_parametrized(mt, "weight")
    assert not parametrize.is_parametrized(mt, "bias") and not parametrize.is_parametrized(nn.Linear(1, 1))
    assert parametrize.type_before_parametrizations(mt) is nn.Linear


def test_assign_goes_through_right_inverse_and_remove():
    for leave in (True, False):
        mt, th = nn.Linear(3, 3), torch.nn.Linear(3, 3)
        parametrize.register_parametrization(mt, "weight", _symmetric(minitorch))
        torch.nn.utils.parametrize.register_parametrization(th, "weight", _symmetric(torch))
        _load(mt, th)
        a = np.arange(9, dtype=np.float32).reshape(3, 3)
        mt.weight = minitorch.tensor(a)
        th.weight = torch.tensor(a)
        _close(mt.parametrizations.weight.original, th.parametrizations.weight.original)
        original = mt.parametrizations.weight.original
        parametrize.remove_parametrizations(mt, "weight", leave_parametrized=leave)
        torch.nn.utils.parametrize.remove_parametrizations(th, "weight", leave_parametrized=leave)
        assert type(mt) is nn.Linear and not hasattr(mt, "parametrizations")
        assert isinstance(mt.weight, nn.Parameter) and mt.weight is original  # the same parameter object
        assert list(mt.state_dict()) == list(th.state_dict()) == ["bias", "weight"]
        _close(mt.weight, th.weight)


def test_two_parametrizations_and_cached():
    mt, th = nn.Linear(3, 3), torch.nn.Linear(3, 3)
    for lib, m in ((minitorch, mt), (torch, th)):
        lib.nn.utils.parametrize.register_parametrization(m, "weight", _symmetric(lib))
        lib.nn.utils.parametrize.register_parametrization(m, "weight", _scale(lib, 3.0))
    assert list(mt.state_dict()) == list(th.state_dict())
    _load(mt, th)
    _close(mt.weight, th.weight)
    _run_both(mt, th, (4, 3), ["parametrizations.weight.original"])
    with parametrize.cached():
        assert mt.weight is mt.weight
    assert mt.weight is not mt.weight


def test_buffer_parametrization_and_multi_tensor_right_inverse():
    class Split(nn.Module):
        def forward(self, a, b):
            return a + b

        def right_inverse(self, w):
            return w / 2, w / 2

    m = nn.Module()
    m.register_buffer("table", minitorch.ones(2, 2))
    parametrize.register_parametrization(m, "table", Split())
    assert list(m.state_dict()) == ["parametrizations.table.original0", "parametrizations.table.original1"]
    np.testing.assert_allclose(m.table.numpy(), np.ones((2, 2)))
    assert not any(True for _ in m.parameters())
    with pytest.raises(ValueError, match="Cannot leave unparametrized"):
        parametrize.remove_parametrizations(m, "table", leave_parametrized=False)
    parametrize.remove_parametrizations(m, "table")
    assert list(m.state_dict()) == ["table"]


def test_parametrize_errors_match_torch():
    def errors(lib):
        P = lib.nn.utils.parametrize
        out = []

        class Shape(lib.nn.Module):
            def forward(self, X):
                return X[0]

        class NoTensor(lib.nn.Module):
            def forward(self, X):
                return 1

        cases = [
            lambda: P.register_parametrization(lib.nn.Linear(2, 2), "foo", _scale(lib, 2)),
            lambda: P.remove_parametrizations(lib.nn.Linear(2, 2), "weight"),
            lambda: P.register_parametrization(lib.nn.Linear(2, 2), "weight", Shape()),
            lambda: P.register_parametrization(lib.nn.Linear(2, 2), "weight", NoTensor()),
            lambda: P.register_parametrization(
                P.register_parametrization(lib.nn.Linear(2, 2), "weight", _scale(lib, 2)), "weight", Shape()),
            lambda: setattr(P.register_parametrization(lib.nn.Linear(2, 2), "weight", _scale(lib, 2)), "weight",
                            lib.ones(2, 2)),
            lambda: P.ParametrizationList([], lib.ones(1)),
        ]
        for case in cases:
            with pytest.raises(Exception) as e:
                case()
            out.append((type(e.value).__name__, str(e.value).replace("minitorch.", "").replace("torch.", "")))
        return out

    assert errors(minitorch) == errors(torch)


def test_unsafe_parametrization_changes_shape():
    class First(nn.Module):
        def forward(self, X):
            return X[0]

    m = parametrize.register_parametrization(nn.Linear(3, 2), "weight", First(), unsafe=True)
    assert m.weight.shape == (3,)
    assert m.parametrizations.weight.unsafe


def test_parametrized_module_deepcopy_and_pickle():
    m = parametrize.register_parametrization(nn.Linear(2, 2), "weight", _symmetric(minitorch))
    c = copy.deepcopy(m)
    assert type(c).__name__ == "ParametrizedLinear"
    _close(c.weight, m.weight)
    with pytest.raises(RuntimeError, match="Serialization of parametrized modules is only supported through"):
        pickle.dumps(m)


@pytest.mark.parametrize("dim", [0, 1, -2, None])
def test_weight_norm_parametrization_matches_torch(dim):
    mt, th = nn.Linear(4, 3), torch.nn.Linear(4, 3)
    parametrizations.weight_norm(mt, dim=dim)
    torch.nn.utils.parametrizations.weight_norm(th, dim=dim)
    assert list(mt.state_dict()) == list(th.state_dict()) == \
        ["bias", "parametrizations.weight.original0", "parametrizations.weight.original1"]
    _load(mt, th)
    for key in ("original0", "original1"):
        assert tuple(getattr(mt.parametrizations.weight, key).shape) == \
            tuple(getattr(th.parametrizations.weight, key).shape)
    _close(mt.weight, th.weight)
    _run_both(mt, th, (2, 4), ["bias", "parametrizations.weight.original0", "parametrizations.weight.original1"])


def test_weight_norm_parametrization_conv_and_init_values():
    th = torch.nn.Conv2d(2, 3, 3)
    mt = nn.Conv2d(2, 3, 3)
    mt.load_state_dict({k: v.detach().numpy() for k, v in th.state_dict().items()})
    parametrizations.weight_norm(mt)
    torch.nn.utils.parametrizations.weight_norm(th)
    for key in ("original0", "original1"):  # g = ||w|| per output channel, v = w
        _close(getattr(mt.parametrizations.weight, key), getattr(th.parametrizations.weight, key))
    _run_both(mt, th, (1, 2, 5, 5), ["parametrizations.weight.original0", "parametrizations.weight.original1"])


@pytest.mark.parametrize("make", [lambda lib: lib.nn.Linear(5, 4), lambda lib: lib.nn.Conv1d(2, 3, 3)])
def test_spectral_norm_parametrization_with_copied_buffers(make):
    torch.manual_seed(0)
    mt, th = make(minitorch), make(torch)
    parametrizations.spectral_norm(mt)
    torch.nn.utils.parametrizations.spectral_norm(th)
    assert list(mt.state_dict()) == list(th.state_dict())
    assert [n for n, _ in mt.named_buffers()] == [n for n, _ in th.named_buffers()]
    _load(mt, th)
    shape = (2, 5) if isinstance(th, torch.nn.Linear) else (2, 2, 6)
    _run_both(mt, th, shape, ["parametrizations.weight.original"])  # training: one power-iteration step
    for b in ("_u", "_v"):
        _close(getattr(mt.parametrizations.weight[0], b), getattr(th.parametrizations.weight[0], b))
    mt.eval()
    th.eval()
    _close(mt.weight, th.weight)


def test_spectral_norm_properties():
    minitorch.manual_seed(0)
    m = parametrizations.spectral_norm(nn.Linear(6, 4), n_power_iterations=3)
    for _ in range(20):
        w = m.weight
    sigma = np.linalg.svd(w.detach().numpy(), compute_uv=False)[0]
    np.testing.assert_allclose(sigma, 1.0, rtol=1e-3)
    u, v = m.parametrizations.weight[0]._u, m.parametrizations.weight[0]._v
    np.testing.assert_allclose([np.linalg.norm(u.numpy()), np.linalg.norm(v.numpy())], [1, 1], rtol=1e-5)
    m.eval()
    before = u.numpy().copy()
    m.weight
    np.testing.assert_array_equal(before, m.parametrizations.weight[0]._u.numpy())  # no iteration in eval


def test_spectral_norm_errors_and_dim_default():
    for lib in (minitorch, torch):
        with pytest.raises(ValueError, match="has no parameter or buffer with name 'foo'"):
            lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2), name="foo")
        with pytest.raises(ValueError, match="Expected n_power_iterations to be positive"):
            lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2), n_power_iterations=0)
        with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\]"):
            lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2), dim=2)
        m = lib.nn.utils.parametrizations.spectral_norm(lib.nn.ConvTranspose1d(2, 3, 2))
        assert m.parametrizations.weight[0].dim == 1


def test_old_weight_norm_matches_torch():
    mt, th = nn.Linear(4, 3), torch.nn.Linear(4, 3)
    mt.load_state_dict({k: v.detach().numpy() for k, v in th.state_dict().items()})
    with pytest.warns(FutureWarning, match=r"`torch.nn.utils.weight_norm` is deprecated in favor of"):
        nn.utils.weight_norm(mt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.nn.utils.weight_norm(th)
    assert list(mt.state_dict()) == list(th.state_dict()) == ["bias", "weight_g", "weight_v"]
    _close(mt.weight_g, th.weight_g)
    _run_both(mt, th, (2, 4), ["bias", "weight_g", "weight_v"])
    with pytest.raises(RuntimeError, match="Cannot register two weight_norm hooks on the same parameter weight"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nn.utils.weight_norm(mt)
    nn.utils.remove_weight_norm(mt)
    torch.nn.utils.remove_weight_norm(th)
    assert list(mt.state_dict()) == list(th.state_dict()) == ["bias", "weight"]
    _close(mt.weight, th.weight)
    with pytest.raises(ValueError, match="weight_norm of 'weight' not found in Linear"):
        nn.utils.remove_weight_norm(mt)


def test_old_spectral_norm_with_copied_buffers():
    torch.manual_seed(0)
    mt, th = nn.Linear(5, 4), torch.nn.Linear(5, 4)
    nn.utils.spectral_norm(mt)
    torch.nn.utils.spectral_norm(th)
    assert list(mt.state_dict()) == list(th.state_dict()) == ["bias", "weight_orig", "weight_u", "weight_v"]
    _load(mt, th)
    _run_both(mt, th, (2, 5), ["bias", "weight_orig"])
    _close(mt.weight_u, th.weight_u)
    _close(mt.weight_v, th.weight_v)
    nn.utils.remove_spectral_norm(mt)
    torch.nn.utils.remove_spectral_norm(th)
    assert list(mt.state_dict()) == list(th.state_dict()) == ["bias", "weight"]
    _close(mt.weight, th.weight)
    with pytest.raises(ValueError, match="spectral_norm of 'weight' not found in Linear"):
        nn.utils.remove_spectral_norm(mt)


def test_on_fake_cuda_without_host_copies():
    import _fakecupy
    from conftest import FAKE

    m = nn.Linear(4, 3)
    parametrizations.weight_norm(m)
    parametrizations.spectral_norm(m)
    m.register_full_backward_hook(lambda mod, gi, go: None)
    m.to(FAKE)
    x = minitorch.randn(2, 4).to(FAKE).requires_grad_()
    with _fakecupy.count_transfers() as n:
        m(x).sum().backward()
    assert n["to_host"] == 0 and n["to_device"] == 0
    assert m.parametrizations.weight.original0.grad.device == x.grad.device
