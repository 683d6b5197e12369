"""Creation functions: values, shapes and dtypes against PyTorch; ``__repr__`` against PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch

CREATORS = {
    "tensor_int": lambda t: t.tensor([[1, 2], [3, 4]]), "tensor_float": lambda t: t.tensor([1.5, 2.0]),
    "tensor_bool": lambda t: t.tensor([True, False]), "tensor_mixed": lambda t: t.tensor([1, 2.5]),
    "tensor_scalar": lambda t: t.tensor(3), "tensor_dtype": lambda t: t.tensor([1, 2], dtype=t.float64),
    "tensor_nested": lambda t: t.tensor([[0.5], [1]]), "tensor_empty": lambda t: t.tensor([]),
    "as_tensor": lambda t: t.as_tensor([1, 2]), "zeros": lambda t: t.zeros(2, 3),
    "zeros_tuple": lambda t: t.zeros((2, 3)),
    "ones_int": lambda t: t.ones(2, dtype=t.int64), "full_int": lambda t: t.full((2, 2), 7),
    "full_float": lambda t: t.full((2,), 1.5), "full_bool": lambda t: t.full((2,), True),
    "full_dtype": lambda t: t.full((2,), 3, dtype=t.float32), "empty_shape": lambda t: t.empty(2, 3).zero_(),
    "zeros_like": lambda t: t.zeros_like(t.ones(2, dtype=t.int32)), "ones_like": lambda t: t.ones_like(t.ones(3)),
    "full_like": lambda t: t.full_like(t.ones(2, dtype=t.int64), 2.7),
    "ones_like_dtype": lambda t: t.ones_like(t.ones(2), dtype=t.float64),
    "arange_int": lambda t: t.arange(5), "arange_float": lambda t: t.arange(0, 1, 0.25),
    "arange_start": lambda t: t.arange(2, 9, 3), "arange_neg": lambda t: t.arange(5, 0, -2),
    "arange_float_start": lambda t: t.arange(1.0, 4), "linspace": lambda t: t.linspace(0, 1, 5),
    "linspace_one": lambda t: t.linspace(-1, 1, 1), "eye": lambda t: t.eye(3), "eye_rect": lambda t: t.eye(2, 4),
    "eye_int": lambda t: t.eye(2, dtype=t.int64), "from_numpy_f64": lambda t: t.from_numpy(np.ones(2)),
    "from_numpy_i32": lambda t: t.from_numpy(np.arange(3, dtype=np.int32)),
    "rand_shape": lambda t: t.rand(2, 3) * 0, "randn_shape": lambda t: t.randn(3, dtype=t.float64) * 0,
    "randint_dtype": lambda t: t.randint(0, 1, (2, 2)),
    "rand_like": lambda t: t.rand_like(t.ones(2, dtype=t.float64)) * 0,
    "randn_like": lambda t: t.randn_like(t.ones(2)) * 0,
}


@pytest.mark.parametrize("name", list(CREATORS))
def test_creation_matches_torch(name):
    torch = pytest.importorskip("torch")
    a, b = CREATORS[name](minitorch), CREATORS[name](torch)
    assert tuple(a.shape) == tuple(b.shape)
    assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
    np.testing.assert_allclose(a.numpy(), b.numpy())
    assert a.requires_grad == b.requires_grad and a.is_leaf


def test_requires_grad_keyword():
    x = minitorch.zeros(2, requires_grad=True)
    assert x.requires_grad and x.is_leaf and x.grad is None
    assert minitorch.tensor([1.0], requires_grad=True).requires_grad
    assert minitorch.ones_like(x).requires_grad is False


def test_from_numpy_shares_memory_and_tensor_copies():
    a = np.zeros(3)
    t, c = minitorch.from_numpy(a), minitorch.tensor(a)
    a[0] = 5.0
    assert t[0].item() == 5.0 and c[0].item() == 0.0


def test_random_creation_is_seeded():
    minitorch.manual_seed(0)
    a = minitorch.randn(4)
    minitorch.manual_seed(0)
    b = minitorch.randn(4)
    assert minitorch.equal(a, b)
    g = minitorch.Generator().manual_seed(3)
    r = minitorch.rand(1000, generator=g)
    assert 0 <= r.min().item() and r.max().item() < 1 and abs(r.mean().item() - 0.5) < 0.05
    i = minitorch.randint(3, 7, (1000,))
    assert i.dtype is minitorch.int64 and i.min().item() == 3 and i.max().item() == 6


REPRS = [
    lambda t: t.tensor([1.0, 2.5]), lambda t: t.tensor([1, 2]), lambda t: t.tensor([[1.0, 2.0], [3.0, 4.0]]),
    lambda t: t.tensor(3.5), lambda t: t.tensor([True, False]), lambda t: t.tensor([1.0, 2.0], dtype=t.float64),
    lambda t: t.tensor([1.0, 2.0], requires_grad=True), lambda t: t.tensor([1.0, 2.0], requires_grad=True) * 2,
    lambda t: t.tensor([0.001, 1000.0]), lambda t: t.zeros(2, 3, dtype=t.int32), lambda t: t.tensor([]),
    lambda t: t.tensor([1.5, -2.25]) + t.tensor([1.0], requires_grad=True),
]


@pytest.mark.parametrize("i", range(len(REPRS)))
def test_repr_matches_torch(i):
    torch = pytest.importorskip("torch")
    want = repr(REPRS[i](torch)).replace("torch.", "minitorch.")
    assert repr(REPRS[i](minitorch)) == want
