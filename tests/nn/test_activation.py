"""Activation layers and functions: vs NumPy formulas, vs PyTorch (forward and grads), gradcheck, repr."""

import math

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn import functional as F

from ._util import compare_fn, compare_module, gradcheck, torch_or_skip

# Inputs avoid the kinks at 0 (and +-1, 6) where one-sided derivatives differ.
X = np.array([[-3.1, -1.7, -0.4, 0.3, 0.9], [1.6, 2.2, 7.5, -6.5, 25.0]])


def _erf(x):
    return np.vectorize(math.erf)(x)


NUMPY_REFS = {
    "ReLU": (lambda: nn.ReLU(), lambda x: np.maximum(x, 0)),
    "LeakyReLU": (lambda: nn.LeakyReLU(0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    "ELU": (lambda: nn.ELU(0.7), lambda x: np.where(x > 0, x, 0.7 * np.expm1(np.minimum(x, 0)))),
    "GELU": (lambda: nn.GELU(), lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    "GELU_tanh": (lambda: nn.GELU("tanh"),
                  lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))),
    "SiLU": (lambda: nn.SiLU(), lambda x: x / (1 + np.exp(-x))),
    "Sigmoid": (lambda: nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    "Tanh": (lambda: nn.Tanh(), np.tanh),
    "Softplus": (lambda: nn.Softplus(), lambda x: np.where(x > 20, x, np.log1p(np.exp(np.minimum(x, 20))))),
    "Hardtanh": (lambda: nn.Hardtanh(-2.0, 2.0), lambda x: np.clip(x, -2, 2)),
    "ReLU6": (lambda: nn.ReLU6(), lambda x: np.clip(x, 0, 6)),
    "Softmax": (lambda: nn.Softmax(dim=1), lambda x: np.exp(x) / np.exp(x).sum(1, keepdims=True)),
    "LogSoftmax": (lambda: nn.LogSoftmax(dim=1),
                   lambda x: x - x.max(1, keepdims=True) - np.log(np.exp(x - x.max(1, keepdims=True)).sum(1,
                                                                                             keepdims=True))),
    "Mish": (lambda: nn.Mish(), lambda x: x * np.tanh(np.log1p(np.exp(x)))),
}


@pytest.mark.parametrize("name", sorted(NUMPY_REFS))
def test_activation_matches_numpy(name):
    make, ref = NUMPY_REFS[name]
    out = make()(minitorch.tensor(X)).numpy()
    np.testing.assert_allclose(out, ref(X), rtol=1e-7, atol=1e-10)


# (minitorch module, torch module name and args)
TORCH_PAIRS = [
    ("ReLU", ()), ("LeakyReLU", (0.2,)), ("ELU", (0.7,)), ("GELU", ()), ("GELU", ("tanh",)), ("SiLU", ()),
    ("Sigmoid", ()), ("Tanh", ()), ("Softmax", (1,)), ("LogSoftmax", (0,)), ("Softplus", (2.0, 5.0)),
    ("Hardtanh", (-2.0, 2.0)), ("ReLU6", ()), ("Mish", ()), ("SELU", ()), ("CELU", (0.5,)), ("Softsign", ()),
    ("Tanhshrink", ()), ("LogSigmoid", ()), ("Hardsigmoid", ()), ("Hardswish", ()), ("Threshold", (0.5, -1.0)),
    ("Softmin", (1,)), ("GLU", (0,)), ("PReLU", ()),
]


@pytest.mark.parametrize("name,args", TORCH_PAIRS, ids=[f"{n}{a}" for n, a in TORCH_PAIRS])
def test_activation_vs_torch(name, args):
    torch = torch_or_skip()
    mm, tm = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    compare_module(mm, tm, [X.astype(np.float32)], atol=1e-5)
    assert repr(mm) == repr(tm)


@pytest.mark.parametrize("fn", [
    F.relu, F.gelu, lambda x: F.gelu(x, "tanh"), F.silu, F.elu, F.leaky_relu, lambda x: F.softplus(x, 0.5),
    F.mish, lambda x: F.softmax(x, 1), lambda x: F.log_softmax(x, 0), F.logsigmoid, F.selu, F.hardswish,
    lambda x: F.prelu(x, minitorch.tensor([0.1, 0.3, 0.2], dtype=minitorch.float64)),
])
def test_activation_gradcheck(fn):
    x = np.array([[-1.3, 0.4, 2.1], [0.7, -0.2, -2.6]])
    assert gradcheck(fn, x)


def test_reprs_with_options_match_pytorch():
    torch = torch_or_skip()
    for name, args, kwargs in [("ReLU", (), {"inplace": True}), ("LeakyReLU", (0.1, True), {}),
                               ("ELU", (), {"inplace": True}), ("Hardtanh", (-1.0, 1.0, True), {}),
                               ("ReLU6", (True,), {}), ("SiLU", (True,), {}), ("PReLU", (3, 0.1), {})]:
        assert repr(getattr(nn, name)(*args, **kwargs)) == repr(getattr(torch.nn, name)(*args, **kwargs))


def test_inplace_relu_modifies_input():
    x = minitorch.tensor([-1.0, 2.0])
    out = nn.ReLU(inplace=True)(x)
    assert out is x and x.tolist() == [0.0, 2.0]
    y = minitorch.tensor([-1.0, 2.0])
    F.leaky_relu(y, 0.5, inplace=True)
    assert y.tolist() == [-0.5, 2.0]


def test_softplus_and_logsigmoid_are_stable():
    x = minitorch.tensor([-1000.0, -50.0, 0.0, 50.0, 1000.0], requires_grad=True)
    y = F.softplus(x) + F.logsigmoid(x)
    y.sum().backward()
    assert np.all(np.isfinite(y.detach().numpy())) and np.all(np.isfinite(x.grad.numpy()))


def test_softmax_implicit_dim_warns():
    with pytest.warns(UserWarning, match="Implicit dimension choice"):
        out = F.softmax(minitorch.zeros(2, 4))
    np.testing.assert_allclose(out.numpy(), 0.25)


def test_gelu_bad_approximate():
    with pytest.raises(RuntimeError, match="approximate"):
        F.gelu(minitorch.zeros(2), approximate="fast")


def test_functional_vs_torch_float64():
    torch = torch_or_skip()
    tf = torch.nn.functional
    for mf, thf in [(F.gelu, tf.gelu), (F.softplus, tf.softplus), (F.elu, tf.elu), (F.silu, tf.silu)]:
        compare_fn(mf, thf, [X], atol=1e-12, rtol=1e-10)
