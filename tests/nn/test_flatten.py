"""Flatten and Unflatten."""

import pytest

import minitorch
from minitorch import nn


def test_flatten_unflatten_shapes_grads_and_repr():
    torch = pytest.importorskip("torch")
    x = minitorch.randn(2, 3, 4, 5, requires_grad=True)
    assert tuple(nn.Flatten()(x).shape) == (2, 60)
    assert tuple(nn.Flatten(0, 2)(x).shape) == (24, 5)
    y = nn.Unflatten(1, (3, 20))(nn.Flatten()(x))
    assert tuple(y.shape) == (2, 3, 20)
    y.sum().backward()
    assert tuple(x.grad.shape) == (2, 3, 4, 5)
    assert repr(nn.Flatten(0, 2)) == repr(torch.nn.Flatten(0, 2))
    assert repr(nn.Unflatten(1, (3, 20))) == repr(torch.nn.Unflatten(1, (3, 20)))
    with pytest.raises(TypeError):
        nn.Unflatten(1, 5)
