"""In-place ops: values, version counters, and autograd's rules, against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch

INPLACE = {
    "add_": lambda x, o: x.add_(o), "add_alpha": lambda x, o: x.add_(o, alpha=2), "sub_": lambda x, o: x.sub_(o),
    "mul_": lambda x, o: x.mul_(o), "div_": lambda x, o: x.div_(o), "add_scalar": lambda x, o: x.add_(1.5),
    "iadd": lambda x, o: x.__iadd__(o), "imul": lambda x, o: x.__imul__(o), "zero_": lambda x, o: x.zero_(),
    "fill_": lambda x, o: x.fill_(2.5), "fill_tensor": lambda x, o: x.fill_(o[0, 0]), "copy_": lambda x, o: x.copy_(o),
    "copy_broadcast": lambda x, o: x.copy_(o[0]), "clamp_": lambda x, o: x.clamp_(-0.5, 0.5),
    "clamp_min": lambda x, o: x.clamp_(min=0.0), "masked_fill_": lambda x, o: x.masked_fill_(o > 0, 0.0),
    "exp_": lambda x, o: x.exp_(), "relu_": lambda x, o: x.relu_(), "pow_": lambda x, o: x.pow_(2),
    "addcmul_": lambda x, o: x.addcmul_(o, o, value=0.5), "sigmoid_": lambda x, o: x.sigmoid_(),
}


def _version(t) -> int:
    """The version counter (minitorch keeps it in a list shared by views; torch exposes an int)."""
    return t._version[0] if isinstance(t, minitorch.Tensor) else t._version


def _pair():
    rng = np.random.default_rng(0)
    return rng.standard_normal((3, 4)), rng.uniform(0.5, 2, (3, 4))


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_values_and_version(name):
    torch = pytest.importorskip("torch")
    x, o = _pair()
    results = []
    for lib in (minitorch, torch):
        t, other = lib.tensor(x), lib.tensor(o)
        version = _version(t)
        out = INPLACE[name](t, other)
        assert out is t, "an in-place op returns its input"
        assert _version(t) > version
        results.append(t.numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_on_non_leaf_grad_matches_torch(name):
    torch = pytest.importorskip("torch")
    x, o = _pair()
    grads = []
    for lib in (minitorch, torch):
        leaf = lib.tensor(x, requires_grad=True)
        other = lib.tensor(o, requires_grad=True)
        y = leaf * 1.5
        INPLACE[name](y, other)
        assert y.grad_fn is not None
        (y * lib.tensor(np.arange(12.0).reshape(3, 4))).sum().backward()
        grads.append((leaf.grad.numpy(), None if other.grad is None else other.grad.numpy()))
    (a0, a1), (b0, b1) = grads
    np.testing.assert_allclose(a0, b0, atol=1e-6)
    assert (a1 is None) == (b1 is None) or np.all((a1 if a1 is not None else b1) == 0)
    if a1 is not None and b1 is not None:
        np.testing.assert_allclose(a1, b1, atol=1e-6)


def _leaf_error(lib):
    x = lib.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place operation"):
        x.mul_(2)
    with lib.no_grad():
        x.mul_(2)  # allowed: an optimizer step
    assert x.tolist() == [2.0, 2.0, 2.0] and x.grad_fn is None


def test_inplace_on_leaf_requiring_grad():
    _leaf_error(minitorch)


def test_inplace_on_leaf_requiring_grad_like_torch():
    _leaf_error(pytest.importorskip("torch"))


@pytest.mark.parametrize("modify", [lambda y: y.add_(1), lambda y: y.zero_(), lambda y: y.copy_(y * 2),
                                    lambda y: y.uniform_(), lambda y: y.normal_(), lambda y: y.fill_(1.0)])
def test_modifying_a_saved_tensor_raises_at_backward(modify):
    for lib in filter(None, (minitorch, _torch_or_none())):
        x = lib.ones(3, requires_grad=True)
        y = x * 2
        z = (y * y).sum()  # saves y
        modify(y)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.backward()


def test_version_error_message_like_torch():
    x = minitorch.ones(3, requires_grad=True)
    y = x.exp()  # saves its output
    y.add_(1)
    with pytest.raises(RuntimeError) as info:
        y.sum().backward()
    msg = str(info.value)
    assert "[minitorch.FloatTensor [3]], which is output 0 of Exp, is at version 1; expected version 0" in msg


def test_inplace_dtype_rules_like_torch():
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):
        i = lib.tensor([1, 2])
        with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
            i.add_(0.5)
        i.add_(2)
        assert i.tolist() == [3, 4] and i.dtype is lib.int64
        f = lib.tensor([1.0, 2.0])
        f.add_(lib.tensor([1, 1]))  # int into float: fine
        assert f.dtype is lib.float32
        with pytest.raises(RuntimeError, match="must match the size of tensor b"):
            f.add_(lib.ones(3))  # does not broadcast
        with pytest.raises(RuntimeError, match=r"output with shape \[2\] doesn't match the broadcast shape \[3, 2\]"):
            f.add_(lib.ones(3, 2))  # broadcasts, but not to self's shape


def test_random_fills_are_in_range_and_seeded():
    minitorch.manual_seed(1)
    a = minitorch.empty(2000).uniform_(-2, 3)
    assert -2 <= a.min().item() and a.max().item() < 3
    b = minitorch.empty(4000, dtype=minitorch.float64).normal_(1.0, 2.0)
    assert abs(b.mean().item() - 1.0) < 0.15 and abs(b.std().item() - 2.0) < 0.15
    minitorch.manual_seed(1)
    assert minitorch.equal(minitorch.empty(2000).uniform_(-2, 3), a)


def _torch_or_none():
    try:
        import torch
    except ImportError:
        return None
    return torch


def _outcome(fn, lib):
    try:
        out = fn(lib)
    except Exception as e:  # noqa: BLE001 - the exception is what we compare
        return ("err", type(e).__name__, str(e).replace("minitorch.", "torch."))
    return ("ok", str(out.dtype).split(".")[-1], str(out.detach().numpy().tolist()))


CASTS = {
    "double_into_float": lambda t: t.arange(3.0).add_(t.arange(3.0, dtype=t.float64) / 3),
    "long_into_int": lambda t: t.zeros(3, dtype=t.int32).add_(t.ones(3, dtype=t.int64)),
    "float_into_long": lambda t: t.zeros(3, dtype=t.int64).add_(t.ones(3)),
    "int_into_bool": lambda t: t.zeros(3, dtype=t.bool).add_(t.ones(3, dtype=t.int64)),
    "double_into_float_graph": lambda t: (t.ones(3, requires_grad=True) * 1).mul_(t.ones(3, dtype=t.float64) * 2),
    "fill_nan_into_long": lambda t: t.zeros(3, dtype=t.int64).fill_(float("nan")),
    "copy_wider_source": lambda t: t.zeros(4).copy_(t.ones(3, 4)),
    "copy_mismatch": lambda t: t.zeros(3, 4).copy_(t.ones(3)),
}


@pytest.mark.parametrize("name", list(CASTS))
def test_inplace_casting_rules_match_torch(name):
    """Within a category any cast is allowed (float64 into float32); float into int, or into bool, is not."""
    torch = pytest.importorskip("torch")
    assert _outcome(CASTS[name], minitorch) == _outcome(CASTS[name], torch)
