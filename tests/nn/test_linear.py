"""Linear, Bilinear, Identity: forward/backward vs NumPy and PyTorch, init, node names, errors."""

import math

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn import functional as F

from ._util import compare_fn, compare_module, gradcheck, torch_or_skip

RNG = np.random.default_rng(0)


def test_linear_matches_numpy_formula():
    m = nn.Linear(4, 3)
    x = RNG.standard_normal((5, 4)).astype(np.float32)
    out = m(minitorch.tensor(x)).detach().numpy()
    ref = x @ m.weight.detach().numpy().T + m.bias.detach().numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("shape", [(5, 4), (2, 3, 4), (4,)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_vs_torch(shape, bias):
    torch = torch_or_skip()
    compare_module(nn.Linear(4, 3, bias=bias), torch.nn.Linear(4, 3, bias=bias),
                   [RNG.standard_normal(shape).astype(np.float32)])


def test_linear_gradcheck_all_inputs():
    x, w, b = RNG.standard_normal((3, 4)), RNG.standard_normal((2, 4)), RNG.standard_normal(2)
    assert gradcheck(F.linear, x, w, b)
    assert gradcheck(lambda x, w: F.linear(x, w), RNG.standard_normal((2, 2, 4)), w)
    assert minitorch.autograd.gradgradcheck(
        F.linear, tuple(minitorch.tensor(a, requires_grad=True) for a in (x, w, b)))


def test_linear_node_names_match_pytorch():
    torch = torch_or_skip()
    for shape, bias in [((3, 4), True), ((3, 4), False), ((2, 3, 4), True)]:
        xm = minitorch.randn(*shape, requires_grad=True)
        xt = torch.randn(*shape, requires_grad=True)
        wm, wt = minitorch.randn(2, 4), torch.randn(2, 4)
        bm, bt = (minitorch.randn(2), torch.randn(2)) if bias else (None, None)
        expected = torch.nn.functional.linear(xt, wt, bt).grad_fn.name()
        assert F.linear(xm, wm, bm).grad_fn.name() == expected


def test_linear_default_init_bounds_and_seed():
    minitorch.manual_seed(0)
    a = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    w = a.weight.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.01 * bound
    assert np.abs(a.bias.detach().numpy()).max() <= bound
    minitorch.manual_seed(0)
    b = nn.Linear(400, 300)
    np.testing.assert_array_equal(w, b.weight.detach().numpy())


def test_linear_errors_match_pytorch():
    torch = torch_or_skip()
    with pytest.raises(RuntimeError) as e_t:
        torch.nn.functional.linear(torch.randn(3, 5), torch.randn(2, 4))
    with pytest.raises(RuntimeError) as e_m:
        F.linear(minitorch.randn(3, 5), minitorch.randn(2, 4))
    assert str(e_m.value) == str(e_t.value)
    with pytest.raises(RuntimeError, match="same dtype"):
        F.linear(minitorch.randn(3, 4, dtype=minitorch.float64), minitorch.randn(2, 4))


def test_linear_repr_and_dtype():
    assert repr(nn.Linear(4, 2)) == "Linear(in_features=4, out_features=2, bias=True)"
    assert repr(nn.Linear(4, 2, bias=False)) == "Linear(in_features=4, out_features=2, bias=False)"
    m = nn.Linear(2, 2, dtype=minitorch.float64)
    assert m.weight.dtype is minitorch.float64 and m(minitorch.randn(1, 2, dtype=minitorch.float64)).dtype is \
        minitorch.float64


def test_bilinear_vs_torch():
    torch = torch_or_skip()
    mm, tm = nn.Bilinear(3, 4, 2), torch.nn.Bilinear(3, 4, 2)
    compare_module(mm, tm, [RNG.standard_normal((5, 3)).astype(np.float32),
                            RNG.standard_normal((5, 4)).astype(np.float32)], atol=1e-5)
    assert repr(mm) == repr(tm)


def test_identity():
    x = minitorch.randn(2, 3, requires_grad=True)
    assert nn.Identity(54, unused="x")(x) is x
    assert repr(nn.Identity()) == "Identity()"


def test_linear_functional_vs_torch_float64():
    torch = torch_or_skip()
    arrays = [RNG.standard_normal((3, 4)), RNG.standard_normal((2, 4)), RNG.standard_normal(2)]
    compare_fn(F.linear, torch.nn.functional.linear, arrays, atol=1e-10)
