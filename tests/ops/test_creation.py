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


# ---- edge cases: dtype inference, argument errors, printing (each compared with PyTorch) -----------------------
def _outcome(fn, lib):
    """``("ok", dtype, shape, values)`` or ``("err", exception type, message)`` for one library."""
    try:
        out = fn(lib)
    except Exception as e:  # noqa: BLE001 - the exception is what we compare
        return ("err", type(e).__name__, str(e).replace("minitorch.", "torch."))
    return ("ok", str(out.dtype).split(".")[-1], tuple(out.shape), str(out.numpy().tolist()))


EDGES = {
    "list_of_numpy_float64": lambda t: t.tensor([np.float64(1.5), np.float64(2.0)]),
    "numpy_float32_and_int": lambda t: t.tensor([np.float32(1), 2]),
    "numpy_int32_and_int": lambda t: t.tensor([np.int32(1), 2]),
    "list_of_numpy_arrays": lambda t: t.tensor([np.ones(2), np.zeros(2)]),
    "list_of_float64_tensors": lambda t: t.tensor([t.tensor(1.0, dtype=t.float64), 2.0]),
    "list_of_one_element_tensors": lambda t: t.tensor([t.tensor([1.0]), t.tensor([2.0])]),
    "bool_and_float16": lambda t: t.tensor([True, np.float16(1)]),
    "ragged": lambda t: t.tensor([[1, 2], [3]]), "ragged_scalar": lambda t: t.tensor([[1, 2], 3]),
    "int_overflow": lambda t: t.tensor([2**63]), "none": lambda t: t.tensor(None),
    "arange_bool": lambda t: t.arange(True), "arange_inconsistent": lambda t: t.arange(0, 5, -1),
    "arange_nan": lambda t: t.arange(0, float("nan")), "arange_int_dtype_float_end": lambda t: t.arange(0, 2.5, 1, dtype=t.int64),
    "arange_int32_float_end": lambda t: t.arange(0, 2.5, 1, dtype=t.int32),
    "arange_float_steps": lambda t: t.arange(-1, 1, 0.25), "linspace_negative": lambda t: t.linspace(0, 1, -1),
    "logspace_one": lambda t: t.logspace(0, 2, 1), "full_int_size": lambda t: t.full(2, 3.0),
    "full_nan_into_int": lambda t: t.full((2,), float("nan"), dtype=t.int64),
    "zeros_no_size": lambda t: t.zeros(), "ones_size_keyword": lambda t: t.ones(size=(2, 3)),
    "zeros_float_size": lambda t: t.zeros((2.0, 3)), "empty_negative": lambda t: t.empty(2, -1),
    "eye_negative": lambda t: t.eye(2, -1), "randperm_negative": lambda t: t.randperm(-1),
    "rand_int_dtype": lambda t: t.rand(2, dtype=t.int64), "randn_int_dtype": lambda t: t.randn(2, dtype=t.int64),
    "rand_size_keyword": lambda t: t.rand(size=(2, 3)) * 0, "randint_int_size": lambda t: t.randint(5, 3),
    "normal_negative_std": lambda t: t.normal(0.0, -1.0, (2,)),
    "uniform_on_int": lambda t: t.empty(3, dtype=t.int64).uniform_(),
}


@pytest.mark.parametrize("name", list(EDGES))
def test_creation_edges_match_torch(name):
    torch = pytest.importorskip("torch")
    ours, theirs = _outcome(EDGES[name], minitorch), _outcome(EDGES[name], torch)
    if ours[0] == theirs[0] == "err" and name in ("zeros_no_size", "randint_int_size"):
        ours, theirs = ours[:2], theirs[:2]  # Python's own argument errors: same type, wording of its own
    assert ours == theirs


REPR_EDGES = {
    "inf_no_padding": lambda t: t.tensor([float("inf"), -float("inf"), 1.0]),
    "negative_zero": lambda t: t.tensor([-0.0, 1.5]), "nan_and_ints": lambda t: t.tensor([float("nan"), 1.0, 2.0]),
    "summarized_sci": lambda t: t.arange(2000.0), "summarized_2d": lambda t: t.arange(2000.0).reshape(100, 20),
    "summarized_long": lambda t: t.arange(1500), "summarized_bool": lambda t: t.arange(1200).reshape(40, 30) % 3 == 0,
    "line_wrap": lambda t: t.arange(30.0).reshape(2, 15) / 3, "sci_wrap": lambda t: t.arange(30.0).reshape(3, 10) * 1e-6 + 1e-7,
    "suffix_on_new_line": lambda t: t.arange(12.0, dtype=t.float64, requires_grad=True),
    "4d": lambda t: t.arange(16).reshape(2, 2, 2, 2), "float16": lambda t: t.arange(20.0, dtype=t.float16) / 3,
    "empty_2d_int": lambda t: t.zeros(0, 2, dtype=t.int32), "empty_requires_grad": lambda t: t.zeros(0, 2, requires_grad=True),
    "0d_small": lambda t: t.tensor(1e-7), "0d_nan": lambda t: t.tensor(float("nan")), "all_zero": lambda t: t.zeros(2, 2),
}


@pytest.mark.parametrize("name", list(REPR_EDGES))
def test_repr_edges_match_torch(name):
    torch = pytest.importorskip("torch")
    assert repr(REPR_EDGES[name](minitorch)) == repr(REPR_EDGES[name](torch)).replace("torch.", "minitorch.")


def test_a_new_generator_starts_from_pytorchs_default_seed():
    torch = pytest.importorskip("torch")
    assert minitorch.Generator().initial_seed() == torch.Generator().initial_seed() == 67280421310721
    a, b = minitorch.Generator(), minitorch.Generator()
    assert minitorch.equal(minitorch.rand(3, generator=a), minitorch.rand(3, generator=b))
