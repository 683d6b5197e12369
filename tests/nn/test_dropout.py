"""Dropout: train/eval, scaling 1/(1-p), p=0 and p=1, channel dropout, seeds, errors."""

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn import functional as F


def test_dropout_scaling_and_mask_gradient():
    minitorch.manual_seed(0)
    x = minitorch.ones(200, 100, requires_grad=True)
    out = F.dropout(x, p=0.3)
    vals = np.unique(out.detach().numpy())
    np.testing.assert_allclose(vals, [0.0, 1 / 0.7], rtol=1e-6)
    frac = (out.detach().numpy() == 0).mean()
    assert abs(frac - 0.3) < 0.02
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), out.detach().numpy())  # gradient is the same scaled mask


def test_dropout_eval_p0_p1():
    x = minitorch.randn(4, 5)
    m = nn.Dropout(0.5)
    m.eval()
    assert m(x) is x
    assert F.dropout(x, 0.0) is x
    assert np.all(F.dropout(x, 1.0).numpy() == 0)
    assert F.dropout(x, 0.5, training=False) is x


def test_dropout_seed_reproducible_and_inplace():
    minitorch.manual_seed(3)
    a = F.dropout(minitorch.ones(50))
    minitorch.manual_seed(3)
    b = F.dropout(minitorch.ones(50))
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    x = minitorch.ones(50)
    y = nn.Dropout(0.5, inplace=True)(x)
    assert y is x and np.any(x.numpy() == 0)


def test_dropout2d_zeroes_whole_channels():
    minitorch.manual_seed(0)
    out = nn.Dropout2d(0.5)(minitorch.ones(8, 6, 3, 3)).numpy()
    per_channel = out.reshape(8, 6, 9)
    assert np.all((per_channel == 0).all(-1) | (per_channel == 2).all(-1))
    assert 0 < (per_channel == 0).all(-1).mean() < 1


def test_dropout_errors_and_repr():
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        F.dropout(minitorch.ones(2), 1.5)
    with pytest.raises(ValueError):
        nn.Dropout(-0.1)
    assert repr(nn.Dropout(0.2)) == repr(torch.nn.Dropout(0.2))
    assert repr(nn.Dropout2d(0.1, True)) == repr(torch.nn.Dropout2d(0.1, True))
