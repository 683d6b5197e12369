"""Conv and pooling modules: parameter shapes, default init, repr, and PyTorch with copied weights."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitorch
from minitorch.nn.modules.conv import Conv1d, Conv2d, ConvTranspose2d
from minitorch.nn.modules.pooling import (
    AvgPool2d,
    MaxPool2d,
)

RNG = np.random.default_rng(2)


def test_conv2d_parameters_and_default_init_bounds():
    minitorch.manual_seed(0)
    m = Conv2d(4, 6, (3, 2), groups=2)
    assert m.weight.shape == (6, 2, 3, 2) and m.bias.shape == (6,)
    assert [n for n, _ in m.named_parameters()] == ["weight", "bias"]
    bound = 1 / math.sqrt(2 * 3 * 2)  # kaiming_uniform_(a=sqrt(5)) and the bias both give 1/sqrt(fan_in)
    assert float(m.weight.abs().max()) <= bound and float(m.bias.abs().max()) <= bound
    assert float(m.weight.abs().max()) > 0.5 * bound  # really drawn, not zeros


def test_conv_without_bias_registers_none():
    m = Conv2d(1, 2, 3, bias=False)
    assert m.bias is None and [n for n, _ in m.named_parameters()] == ["weight"]


def test_conv_transpose_weight_layout():
    m = ConvTranspose2d(4, 6, 3, groups=2)
    assert m.weight.shape == (4, 3, 3, 3) and m.bias.shape == (6,)


def test_module_argument_errors():
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="out_channels must be divisible by groups"):
        Conv2d(4, 3, 3, groups=2)
    with pytest.raises(ValueError, match="padding='same' is not supported for strided convolutions"):
        Conv2d(1, 1, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="Invalid padding string"):
        Conv2d(1, 1, 3, padding="full")


# ---- against PyTorch --------------------------------------------------------------------------------------
torch = pytest.importorskip("torch")


REPR_CASES = [
    ("Conv2d", (1, 6, 5), {}),
    ("Conv2d", (4, 8, (3, 2)), dict(stride=2, padding=1, dilation=2, groups=2, bias=False)),
    ("Conv2d", (3, 3, 3), dict(padding="same")),
    ("Conv1d", (16, 33, 3), dict(stride=2)),
    ("ConvTranspose2d", (16, 8, 4), dict(stride=2, padding=1, output_padding=1)),
    ("MaxPool2d", (2,), {}),
    ("MaxPool2d", ((3, 2),), dict(stride=1, padding=1, dilation=2, ceil_mode=True)),
    ("AvgPool2d", (3,), dict(stride=2, padding=1)),
    ("AdaptiveAvgPool2d", ((1, 1),), {}),
    ("AdaptiveMaxPool2d", (2,), {}),
    ("MaxPool1d", (3,), {}),
    ("AvgPool1d", (3,), {}),
]


@pytest.mark.parametrize("name,args,kwargs", REPR_CASES, ids=str)
def test_repr_and_parameter_shapes_match_torch(name, args, kwargs):
    import minitorch.nn.modules.conv as mconv
    import minitorch.nn.modules.pooling as mpool

    cls = getattr(mconv, name, None) or getattr(mpool, name)
    m, t = cls(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(m) == repr(t)
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in t.named_parameters()]


def _copy_weights(m, t):
    for (_, mp), (_, tp) in zip(m.named_parameters(), t.named_parameters()):
        mp.data = minitorch.tensor(tp.detach().numpy().copy())


def _compare_module(m, t, shape, **fwd):
    _copy_weights(m, t)
    x = RNG.standard_normal(shape).astype(np.float32)
    tx, mx = torch.tensor(x, requires_grad=True), minitorch.tensor(x, requires_grad=True)
    ty, my = t(tx, **fwd), m(mx, **fwd)
    if isinstance(ty, tuple):
        np.testing.assert_array_equal(my[1].numpy(), ty[1].numpy())
        ty, my = ty[0], my[0]
    np.testing.assert_allclose(my.detach().numpy(), ty.detach().numpy(), rtol=1e-4, atol=1e-5)
    g = RNG.standard_normal(tuple(ty.shape)).astype(np.float32)
    ty.backward(torch.tensor(g))
    my.backward(minitorch.tensor(g))
    np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-4, atol=1e-4)
    for (name, mp), (_, tp) in zip(m.named_parameters(), t.named_parameters()):
        np.testing.assert_allclose(mp.grad.numpy(), tp.grad.numpy(), rtol=1e-4, atol=1e-4, err_msg=name)


@pytest.mark.parametrize("args,kwargs,shape", [
    ((1, 6, 5), {}, (4, 1, 12, 12)),
    ((4, 6, (3, 2)), dict(stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2), (2, 4, 9, 8)),
    ((3, 4, 4), dict(padding="same", bias=False), (2, 3, 7, 7)),
    ((3, 4, 3), dict(padding=1), (3, 6, 6)),
], ids=str)
def test_conv2d_module_vs_torch(args, kwargs, shape):
    _compare_module(Conv2d(*args, **kwargs), torch.nn.Conv2d(*args, **kwargs), shape)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("args,kwargs,shape", [
    ((3, 4, 3), dict(padding=(1, 2)), (2, 3, 6, 7)),
    ((3, 4, (4, 3)), dict(padding="same", dilation=(1, 2)), (2, 3, 7, 8)),
    ((3, 4, 3), dict(padding=1, stride=2, groups=1), (3, 6, 6)),
], ids=str)
def test_conv2d_padding_modes_vs_torch(mode, args, kwargs, shape):
    m, t = Conv2d(*args, padding_mode=mode, **kwargs), torch.nn.Conv2d(*args, padding_mode=mode, **kwargs)
    assert repr(m) == repr(t)
    assert list(m._reversed_padding_repeated_twice) == list(t._reversed_padding_repeated_twice)
    _compare_module(m, t, shape)


def test_conv1d_padding_mode_vs_torch():
    kwargs = dict(padding=2, padding_mode="circular", dilation=2)
    _compare_module(Conv1d(2, 3, 3, **kwargs), torch.nn.Conv1d(2, 3, 3, **kwargs), (2, 2, 9))


def test_conv1d_module_vs_torch():
    _compare_module(Conv1d(4, 6, 3, stride=2, groups=2), torch.nn.Conv1d(4, 6, 3, stride=2, groups=2), (2, 4, 11))


@pytest.mark.parametrize("kwargs,fwd", [
    (dict(stride=2, padding=1, output_padding=1), {}),
    (dict(stride=2, padding=1, groups=2, dilation=2), {}),
    (dict(stride=3, padding=1), dict(output_size=(14, 15))),
], ids=str)
def test_conv_transpose2d_module_vs_torch(kwargs, fwd):
    _compare_module(ConvTranspose2d(4, 6, 3, **kwargs), torch.nn.ConvTranspose2d(4, 6, 3, **kwargs), (2, 4, 5, 5),
                    **fwd)


def test_conv_transpose2d_output_size_out_of_range():
    m, t = ConvTranspose2d(2, 2, 3, stride=2), torch.nn.ConvTranspose2d(2, 2, 3, stride=2)
    with pytest.raises(ValueError) as t_err:
        t(torch.zeros(1, 2, 4, 4), output_size=(20, 20))
    with pytest.raises(ValueError) as m_err:
        m(minitorch.zeros(1, 2, 4, 4), output_size=(20, 20))
    assert str(m_err.value).replace("minitorch.Size", "torch.Size") == str(t_err.value)


@pytest.mark.parametrize("name,args,kwargs,shape", [
    ("MaxPool2d", (3,), dict(stride=2, padding=1, ceil_mode=True, return_indices=True), (2, 3, 9, 9)),
    ("AvgPool2d", (3,), dict(stride=2, padding=1, count_include_pad=False), (2, 3, 9, 9)),
    ("AdaptiveAvgPool2d", ((2, 3),), {}, (2, 3, 7, 8)),
    ("AdaptiveMaxPool2d", (3,), dict(return_indices=True), (2, 3, 7, 8)),
    ("MaxPool1d", (2,), {}, (2, 3, 9)),
    ("AvgPool1d", (2,), dict(ceil_mode=True), (2, 3, 9)),
], ids=str)
def test_pool_modules_vs_torch(name, args, kwargs, shape):
    import minitorch.nn.modules.pooling as mpool

    _compare_module(getattr(mpool, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs), shape)


def test_lenet_forward_backward_vs_torch():
    """conv -> relu -> pool twice, then a matrix product: outputs and every parameter grad match."""
    mods = [Conv2d(1, 6, 5), MaxPool2d(2), Conv2d(6, 16, 5), AvgPool2d(2)]
    tmods = [torch.nn.Conv2d(1, 6, 5), torch.nn.MaxPool2d(2), torch.nn.Conv2d(6, 16, 5), torch.nn.AvgPool2d(2)]
    for m, t in zip(mods, tmods):
        _copy_weights(m, t)
    x = RNG.standard_normal((4, 1, 28, 28)).astype(np.float32)
    mx, tx = minitorch.tensor(x), torch.tensor(x)
    for m, t in zip(mods, tmods):
        mx, tx = m(mx).relu(), t(tx).relu()
    np.testing.assert_allclose(mx.detach().numpy(), tx.detach().numpy(), rtol=1e-4, atol=1e-5)
    (mx * mx).sum().backward()
    (tx * tx).sum().backward()
    for m, t in zip(mods, tmods):
        for (name, mp), (_, tp) in zip(m.named_parameters(), t.named_parameters()):
            np.testing.assert_allclose(mp.grad.numpy(), tp.grad.numpy(), rtol=1e-3, atol=1e-3, err_msg=name)
