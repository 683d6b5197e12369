"""Reductions on the edges PyTorch defines: 0-d inputs with dim=0/-1, empty tensors, int/bool dtypes,
ties and nan, dim validation, and the error types and messages. Each case runs the same call on
minitorch and (when installed) PyTorch and compares values, shapes, dtypes or the exception."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch

F = np.array([[0.5, -1.0, 2.0], [3.0, 0.25, -0.75]], np.float32)
TIES = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], np.float32)
NAN = np.array([[1.0, np.nan, 3.0], [2.0, 5.0, 0.0]], np.float32)
EMPTY = np.zeros((0, 3), np.float32)
SCALAR = np.array(2.5, np.float32)
I32 = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
BOOL = np.array([[True, False, True], [True, True, True]])

# (id, input, call): the call gets the module (minitorch or torch) and a tensor
CASES = [
    ("sum_0d_dim0", SCALAR, lambda m, t: t.sum(0)),
    ("sum_0d_dim-1_keepdim", SCALAR, lambda m, t: t.sum(-1, keepdim=True)),
    ("mean_0d_dim0", SCALAR, lambda m, t: t.mean(0)),
    ("amax_0d", SCALAR, lambda m, t: t.amax(-1)),
    ("norm_0d", SCALAR, lambda m, t: t.norm(dim=0)),
    ("logsumexp_0d", SCALAR, lambda m, t: t.logsumexp(0)),
    ("all_0d", SCALAR, lambda m, t: t.all(0)),
    ("count_nonzero_0d", SCALAR, lambda m, t: m.count_nonzero(t, 0)),
    ("cumsum_0d", SCALAR, lambda m, t: t.cumsum(0)),
    ("cumprod_0d", SCALAR, lambda m, t: t.cumprod(-1)),
    ("prod_0d", SCALAR, lambda m, t: t.prod(0)),
    ("var_0d_dim", SCALAR, lambda m, t: t.var(0)),
    ("sum_empty", EMPTY, lambda m, t: t.sum()),
    ("prod_empty", EMPTY, lambda m, t: t.prod(0)),
    ("mean_empty_is_nan", EMPTY, lambda m, t: t.mean()),
    ("amax_empty_other_dim", EMPTY, lambda m, t: t.amax(1)),
    ("argmax_empty_other_dim", EMPTY, lambda m, t: t.argmax(-1, keepdim=True)),
    ("softmax_empty", EMPTY, lambda m, t: t.softmax(0)),
    ("log_softmax_empty", EMPTY, lambda m, t: t.log_softmax(1)),
    ("all_dim_empty_tuple", F, lambda m, t: t.all(dim=())),
    ("any_uint8_keeps_uint8", I32, lambda m, t: t.to(m.uint8).any(0)),
    ("sum_int32_is_int64", I32, lambda m, t: t.sum(0)),
    ("sum_bool", BOOL, lambda m, t: t.sum()),
    ("sum_dtype", I32, lambda m, t: t.sum(dtype=m.float64)),
    ("cumsum_bool", BOOL, lambda m, t: t.cumsum(1)),
    ("cumprod_int32_is_int64", I32, lambda m, t: t.cumprod(1)),
    ("prod_bool", BOOL, lambda m, t: t.prod(1)),
    ("max_ties_first_index", TIES, lambda m, t: t.max(1)),
    ("argmin_ties_first_index", TIES, lambda m, t: t.argmin(0)),
    ("max_nan_propagates", NAN, lambda m, t: t.max(1)),
    ("argmax_nan", NAN, lambda m, t: t.argmax()),
    ("softmax_inf_row_is_nan", np.array([[1.0, np.inf], [0.0, 1.0]], np.float32), lambda m, t: t.softmax(1)),
    ("var_correction", F, lambda m, t: t.var(1, correction=0)),
    ("std_positional_unbiased", F, lambda m, t: t.std(0, False, True)),
    ("sum_float16_accumulates_in_float32", np.linspace(-3, 3, 350, dtype=np.float16).reshape(50, 7), lambda m, t: t.sum(0)),
    ("mean_float16", np.linspace(-3, 3, 350, dtype=np.float16).reshape(50, 7), lambda m, t: t.mean(0)),
    ("cumsum_dtype_casts_first", F, lambda m, t: t.cumsum(1, dtype=m.int32)),
]

ERRORS = [
    ("sum_dim_out_of_range", F, lambda m, t: t.sum(2)),
    ("mean_int_checks_dtype_first", I32, lambda m, t: t.mean(5)),
    ("prod_tuple_dim", F, lambda m, t: t.prod((0, 1))),
    ("argmax_tuple_dim", F, lambda m, t: t.argmax((0,))),
    ("cumsum_tuple_dim", F, lambda m, t: t.cumsum((0,))),
    ("argmax_bool", BOOL, lambda m, t: t.argmax()),
    ("amax_empty", EMPTY, lambda m, t: t.amax()),
    ("amax_empty_dim", EMPTY, lambda m, t: t.amax(0)),
    ("amin_empty_neg_dim", np.zeros((2, 0), np.float32), lambda m, t: t.amin(-1)),
    ("max_empty", EMPTY, lambda m, t: t.max()),
    ("max_empty_dim", EMPTY, lambda m, t: t.max(0)),
    ("argmax_empty", EMPTY, lambda m, t: t.argmax()),
    ("argmax_empty_dim", EMPTY, lambda m, t: t.argmax(0)),
    ("var_int", I32, lambda m, t: t.var()),
    ("var_mean_int", I32, lambda m, t: m.var_mean(t)),
    ("norm_int_before_dtype", I32, lambda m, t: t.norm(dtype=m.float32)),
    ("softmax_int_not_last_dim", I32, lambda m, t: t.softmax(0)),
    ("softmax_int_last_dim", I32, lambda m, t: t.softmax(-1)),
    ("logsumexp_dim_none", F, lambda m, t: m.logsumexp(t, None)),
]


def _run(mod, x, fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(mod, mod.tensor(x))


def _as_list(out):
    return list(out) if isinstance(out, tuple) else [out]


@pytest.mark.parametrize("name,x,fn", CASES, ids=[c[0] for c in CASES])
def test_reduction_edge_matches_torch(name, x, fn):
    torch = pytest.importorskip("torch")
    got, want = _as_list(_run(minitorch, x, fn)), _as_list(_run(torch, x, fn))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert tuple(g.shape) == tuple(w.shape)
        assert str(g.dtype).split(".")[-1] == str(w.dtype).split(".")[-1]
        np.testing.assert_allclose(g.numpy().astype(np.float64), w.numpy().astype(np.float64), rtol=1e-6, equal_nan=True)


@pytest.mark.parametrize("name,x,fn", ERRORS, ids=[c[0] for c in ERRORS])
def test_reduction_error_matches_torch(name, x, fn):
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception) as want:
        _run(torch, x, fn)
    with pytest.raises(want.type) as got:
        _run(minitorch, x, fn)
    if want.type is not TypeError:  # (PyTorch's argument-parser texts list its overloads)
        assert str(got.value) == str(want.value).split(" (Triggered internally")[0]


def test_sum_and_prod_of_nothing_are_identities():
    assert minitorch.zeros(0).sum().item() == 0
    assert minitorch.zeros(2, 0).prod(1).tolist() == [1.0, 1.0]
    assert np.isnan(minitorch.zeros(0).mean().item())


def test_max_with_dim_is_a_named_tuple():
    values, indices = minitorch.tensor(TIES).max(1)
    out = minitorch.tensor(TIES).max(dim=1, keepdim=True)
    assert out.values.shape == (2, 1) and out.indices.tolist() == [[1], [0]]
    assert values.tolist() == [3.0, 2.0] and indices.dtype == minitorch.int64


def test_var_with_too_few_elements_warns_and_is_nan():
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        v = minitorch.tensor([4.0]).var()
    assert np.isnan(v.item())
    with pytest.warns(UserWarning, match=r"^std\(\)"):
        minitorch.ones(2, 1).std(1)


def _grad(mod, x, fn):
    t = mod.tensor(x, dtype=mod.float64, requires_grad=True)
    y = fn(t)
    y = y[0] if isinstance(y, tuple) else y
    (y * mod.arange(1, y.numel() + 1, dtype=mod.float64).reshape(tuple(y.shape))).sum().backward()
    return t.grad.numpy()


GRADS = [
    ("max_full_ties_split_evenly", TIES, lambda t: t.max()),
    ("amax_ties_split_evenly", TIES, lambda t: t.amax(1)),
    ("max_dim_ties_go_to_index", TIES, lambda t: t.max(1)),
    ("std_of_constant_is_zero", np.ones((2, 3)), lambda t: t.std(1)),
    ("std_mean_of_constant", np.ones((2, 3)), lambda t: sum(minitorch.std_mean(t) if isinstance(t, minitorch.Tensor)
                                                          else __import__("torch").std_mean(t))),
    ("prod_with_zeros", np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 1.0]]), lambda t: t.prod(1)),
    ("cumsum_0d", np.array(2.0), lambda t: t.cumsum(0)),
    ("cumprod_0d", np.array(2.0), lambda t: t.cumprod(-1)),
    ("logsumexp_0d", np.array(2.0), lambda t: t.logsumexp(0)),
    ("norm_inf_ties", TIES, lambda t: t.norm(p=float("inf"))),
]


@pytest.mark.parametrize("name,x,fn", GRADS, ids=[g[0] for g in GRADS])
def test_reduction_gradient_matches_torch(name, x, fn):
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(_grad(minitorch, x, fn), _grad(torch, x, fn), rtol=1e-6)


def test_gradient_at_ties_without_torch():
    t = minitorch.tensor([1.0, 3.0, 3.0], requires_grad=True)
    t.max().backward()
    assert t.grad.tolist() == [0.0, 0.5, 0.5]
    t.grad = None
    t.max(0).values.backward()
    assert t.grad.tolist() == [0.0, 1.0, 0.0]


NAMED_REDUCTIONS = {
    "var": lambda t, x: x.var(1), "var_all": lambda t, x: x.var(), "std": lambda t, x: x.std(1, keepdim=True),
    "std_constant_row": lambda t, x: (x * t.tensor([[0.0], [1.0]], dtype=t.float64)).std(1),
    "var_correction0": lambda t, x: x.var(0, correction=0), "logsumexp": lambda t, x: x.logsumexp(1),
    "logsumexp_keep": lambda t, x: x.logsumexp((0, 1), keepdim=True), "norm": lambda t, x: x.norm(),
}


@pytest.mark.parametrize("name", list(NAMED_REDUCTIONS))
def test_statistics_are_one_node_named_as_in_torch_with_the_same_grads(name):
    torch = pytest.importorskip("torch")
    data = np.array([[1.0, 2.0, 4.0], [3.0, -1.0, 0.5]])
    out = {}
    for lib in (minitorch, torch):
        x = lib.tensor(data, requires_grad=True)
        y = NAMED_REDUCTIONS[name](lib, x)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), x)
        out[lib.__name__] = (y.grad_fn.name(), y.detach().numpy(), g.detach().numpy(), gg.numpy())
    a, b = out["minitorch"], out["torch"]
    assert a[0] == b[0]
    for got, want in zip(a[1:], b[1:]):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
