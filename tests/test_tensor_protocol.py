"""The Python protocols of ``Tensor`` (operators with NumPy scalars, ``==`` with None, ``reversed``,
in-place operators, attribute setters) compared with PyTorch, and checked on their own without it."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import minitorch


def _outcome(lib, fn):
    """What ``fn(lib)`` gives, in a form comparable across the two libraries."""
    try:
        r = fn(lib)
    except Exception as e:  # noqa: BLE001 - the exception type and message are the outcome
        return ("raises", type(e).__name__, str(e))
    if isinstance(r, lib.Tensor):
        return ("tensor", tuple(r.shape), str(r.dtype).split(".")[-1], r.detach().numpy().tolist())
    return ("value", r)


def _inplace(op):
    """Apply an augmented assignment and report whether the object stayed the same."""
    def run(t):
        x = t.tensor([5, 6])
        y = x
        x = op(x)
        return (x is y, x.tolist())
    return run


def _set(attr, make_value):
    def run(t):
        x = t.ones(2, requires_grad=True)
        setattr(x, attr, make_value(t))
        return x.grad.tolist() if attr == "grad" else x.tolist()
    return run


CASES = {
    "numpy_float64_scalar_keeps_float32": lambda t: np.float64(2.0) * t.ones(2),
    "numpy_float32_scalar": lambda t: np.float32(2.0) + t.ones(2),
    "numpy_int64_scalar": lambda t: np.int64(2) * t.ones(2, dtype=t.int64),
    "numpy_int_scalar_with_float": lambda t: t.ones(2) - np.int32(1),
    "format_0d": lambda t: f"{t.tensor(1.23456):.2f}",
    "index_protocol": lambda t: list(range(10))[t.tensor(3)],
    "index_float_refused": lambda t: list(range(10))[t.tensor(3.0)],
    "eq_none": lambda t: t.ones(2) == None,  # noqa: E711 - the point of the test
    "ne_none": lambda t: t.ones(2) != None,  # noqa: E711
    "eq_str": lambda t: t.ones(2) == "a",
    "reversed": lambda t: reversed(t.arange(3)),
    "reversed_2d": lambda t: reversed(t.arange(6).reshape(3, 2)),
    "reversed_0d": lambda t: reversed(t.tensor(2.0)),
    "bool_empty": lambda t: bool(t.tensor([])),
    "bool_many": lambda t: bool(t.ones(2)),
    "itemsize": lambda t: t.ones(3, dtype=t.int16).itemsize,
    "nbytes": lambda t: t.ones(3, dtype=t.float64).nbytes,
    "ndimension": lambda t: t.ones(2, 3).ndimension(),
    "storage_offset_slice": lambda t: t.arange(10)[3:].storage_offset(),
    "storage_offset_2d": lambda t: t.arange(12).reshape(3, 4)[1:, 2:].storage_offset(),
    "storage_offset_fresh": lambda t: t.ones(3).storage_offset(),
    "matmul_list_refused": lambda t: t.ones(2, 2) @ [1.0, 2.0],
    "matmul_ndarray": lambda t: t.ones(2, 2) @ np.ones(2),
    "ipow": lambda t: _inplace(lambda x: x.__ipow__(2))(t),
    "ifloordiv": _inplace(lambda x: x.__ifloordiv__(4)),
    "imod": _inplace(lambda x: x.__imod__(4)),
    "iand": _inplace(lambda x: x.__iand__(3)),
    "ior": _inplace(lambda x: x.__ior__(8)),
    "ixor": _inplace(lambda x: x.__ixor__(1)),
    "ifloordiv_float_into_int": _inplace(lambda x: x.__ifloordiv__(2.5)),
    "grad_wrong_size": _set("grad", lambda t: t.zeros(3)),
    "grad_not_tensor": _set("grad", lambda t: 3),
    "grad_ok": _set("grad", lambda t: t.full((2,), 4.0)),
    "data_not_tensor": _set("data", lambda t: 3),
    "data_other_shape": _set("data", lambda t: t.zeros(3)),
}


@pytest.mark.filterwarnings("ignore:__array_wrap__:DeprecationWarning")  # raised inside torch
@pytest.mark.parametrize("name", list(CASES))
def test_protocol_matches_torch(name):
    torch = pytest.importorskip("torch")
    assert _outcome(minitorch, CASES[name]) == _outcome(torch, CASES[name])


def test_grad_of_another_dtype_names_both_types():
    x = minitorch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="gradient with dtype 'double' to a tensor with grad_dtype 'Float'"):
        x.grad = minitorch.zeros(2, dtype=minitorch.float64)


def test_numpy_scalars_count_as_python_numbers():
    x = minitorch.ones(2)
    assert (np.float64(0.5) * x).dtype is minitorch.float32
    assert (x + np.float64(0.5)).dtype is minitorch.float32
    assert (minitorch.ones(2, dtype=minitorch.int32) * np.int64(3)).dtype is minitorch.int32
    assert (minitorch.ones(2, dtype=minitorch.int32) * np.float64(0.5)).dtype is minitorch.float32


def test_inplace_operators_keep_the_object_and_its_views():
    base = minitorch.tensor([5, 6, 7])
    view = base[1:]
    view //= 2
    assert base.tolist() == [5, 3, 3] and base._version[0] == 1
    w = minitorch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w **= 2


def test_inplace_power_is_differentiable_on_a_non_leaf():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    y **= 3
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 12.0])


def test_storage_offset_and_data_ptr_agree():
    a = minitorch.arange(12, dtype=minitorch.float64).reshape(3, 4)
    v = a[1:, 2:]
    assert v.storage_offset() == 6
    assert v.data_ptr() - a.data_ptr() == 6 * a.element_size()


def test_reversed_is_a_differentiable_flip():
    x = minitorch.arange(3.0, requires_grad=True)
    y = reversed(x)
    assert y.tolist() == [2.0, 1.0, 0.0]
    (y * minitorch.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [100.0, 10.0, 1.0]


def test_deepcopy_of_a_non_leaf_is_refused():
    y = minitorch.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="graph leaves"):
        copy.deepcopy(y)


@pytest.mark.parametrize("call", ["size", "stride"])
@pytest.mark.parametrize("dim", [0, -1])
def test_size_of_a_0d_tensor_names_the_dimension(call, dim):
    with pytest.raises(IndexError, match=f"Dimension specified as {dim} but tensor has no dimensions"):
        getattr(minitorch.tensor(1.0), call)(dim)
    with pytest.raises(IndexError, match=r"expected to be in range of \[-1, 0\], but got 1"):
        getattr(minitorch.ones(2), call)(1)


def test_float_of_a_tensor_that_requires_grad_warns():
    x = minitorch.ones(1, requires_grad=True)
    with pytest.warns(UserWarning, match="Converting a tensor with requires_grad=True to a scalar"):
        assert float(x * 2) == 2.0
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(x.detach()) == 1.0 and int(x) == 1 and x.item() == 1.0


INT_SCALARS = {
    "uint8_plus_minus_one_wraps": lambda t: t.tensor([255, 0], dtype=t.uint8) + -1,
    "uint8_eq_minus_one": lambda t: t.tensor([255, 0], dtype=t.uint8) == -1,
    "int8_plus_257_wraps": lambda t: t.tensor([1], dtype=t.int8) + 257,
    "int64_plus_2_63_wraps": lambda t: t.ones(1, dtype=t.int64) + 2**63,
    "int64_plus_2_64_overflows": lambda t: t.ones(1, dtype=t.int64) + 2**64,
    "float_plus_2_70_overflows": lambda t: t.ones(1) + 2**70,
    "bool_times_large_int": lambda t: t.tensor([True]) * 2**40,
    "rsub_int32": lambda t: 3 - t.tensor([2], dtype=t.int32),
}


@pytest.mark.parametrize("name", list(INT_SCALARS))
def test_python_int_scalars_are_64_bit_and_wrap_as_in_torch(name):
    torch = pytest.importorskip("torch")
    assert _outcome(minitorch, INT_SCALARS[name]) == _outcome(torch, INT_SCALARS[name])


def test_float_under_no_grad_does_not_warn():
    import warnings

    x = minitorch.ones(1, requires_grad=True)
    with warnings.catch_warnings(), minitorch.no_grad():
        warnings.simplefilter("error")
        assert float(x) == 1.0


def test_typename_matches_torch_but_for_the_package_name():
    torch = pytest.importorskip("torch")
    for make in (lambda L: L.ones(1), lambda L: L.ones(1, dtype=L.int64), lambda L: 3, lambda L: L.nn.Linear(1, 1)):
        assert minitorch.typename(make(minitorch)) == torch.typename(make(torch)).replace("torch", "minitorch")
    assert minitorch.ones(2, dtype=minitorch.float64).type() == "minitorch.DoubleTensor"


def test_bitwise_inplace_methods_match_torch():
    torch = pytest.importorskip("torch")
    for name, value in (("bitwise_and_", 3), ("bitwise_or_", 8), ("bitwise_xor_", 1)):
        a, b = minitorch.tensor([5, 6]), torch.tensor([5, 6])
        assert getattr(a, name)(value) is a and a.tolist() == getattr(b, name)(value).tolist()


MORE_CASES = {
    "relu_backward_nan_and_inf": lambda t: _grad_of(t, lambda x: x.relu(), [float("nan"), -1.0, 2.0, 0.0],
                                                     [1.0, float("inf"), 3.0, float("nan")]),
    "where_backward_inf": lambda t: _grad_of(t, lambda x: x.where(t.tensor([True, False]), 0.0), [1.0, 2.0],
                                             [1.0, float("inf")]),
    "inplace_after_mul_by_number": lambda t: _inplace_after(t, lambda a: a * 2.0),
    "inplace_after_div_by_number": lambda t: _inplace_after(t, lambda a: a / 2.0),
    "inplace_after_mul_by_tensor": lambda t: _inplace_after(t, lambda a: a * a),
    "rdiv_rounding": lambda t: 3.3 / t.tensor([0.7310001]),
    "empty_strides": lambda t: (t.zeros(0, 3).stride(), t.zeros(3, 0).stride(), t.zeros(2, 0, 3).stride()),
    "legacy_empty_constructor": lambda t: tuple(t.Tensor().shape),
    "to_a_dtype_string": lambda t: t.ones(2).to("float64"),
    "float_of_many": lambda t: float(t.ones(2)),
    "randperm_float": lambda t: t.randperm(10.0),
    "randperm_tensor": lambda t: t.randperm(t.tensor(4)).sort()[0],
    "permute_nothing": lambda t: t.ones(2).permute(),
    "uniform_reversed": lambda t: t.ones(1).uniform_(2, 1),
    "stack_a_number": lambda t: t.stack([t.ones(1), 1]),
    "dot_dtypes": lambda t: t.ones(2, dtype=t.float64) @ t.ones(2),
    "masked_fill_long_mask": lambda t: t.ones(2).masked_fill(t.tensor([1, 0]), 0.0),
}


def _grad_of(t, fn, values, upstream):
    x = t.tensor(values, requires_grad=True)
    fn(x).backward(t.tensor(upstream))
    return x.grad.tolist()


def _inplace_after(t, fn):
    b = t.ones(3, requires_grad=True)
    a = b * 1.0
    c = fn(a)
    a.mul_(3)
    c.sum().backward()
    return b.grad.tolist()


@pytest.mark.parametrize("name", list(MORE_CASES))
def test_more_protocol_cases_match_torch(name):
    torch = pytest.importorskip("torch")
    got = _outcome(minitorch, MORE_CASES[name])
    got = tuple(v.replace("minitorch.", "torch.") if isinstance(v, str) else v for v in got)  # the package name
    assert got == _outcome(torch, MORE_CASES[name])


def test_detach__on_a_view_is_refused_like_torch():
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):  # (PyTorch's message goes on about DDP buckets, which minitorch has not)
        with pytest.raises(RuntimeError, match=r"^Can't detach views in-place\. Use detach\(\) instead\."):
            lib.ones(3)[:2].detach_()
