"""bincount, histc, bucketize, searchsorted and the small real-tensor predicates (conj, real, is_signed, ...).

Each case runs the same call on minitorch and PyTorch and compares values, shapes and dtypes, or the
exception type and message. The ops are not differentiable: their results carry no ``grad_fn`` (except
bincount's weights, whose node is PyTorch's ``NotImplemented``). Random cases use fixed seeds.
"""

from __future__ import annotations

import warnings

import _fakecupy
import numpy as np
import pytest
from conftest import GPU_DEVICES, array_type

import minitorch

torch = pytest.importorskip("torch")


def _t(mod, x):
    return x if not isinstance(x, np.ndarray) else mod.tensor(x)


def _same(got, want):
    got, want = (list(o) if isinstance(o, tuple) else [o] for o in (got, want))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        if not isinstance(w, torch.Tensor):
            assert g == w and type(g) is type(w)
            continue
        assert tuple(g.shape) == tuple(w.shape)
        assert str(g.dtype).split(".")[-1] == str(w.dtype).split(".")[-1]
        assert (g.grad_fn is None) == (w.grad_fn is None) and g.requires_grad == w.requires_grad
        np.testing.assert_array_equal(g.detach().numpy(), w.detach().numpy())


def _check(fn, *arrays, **kw):
    """``fn(lib, *tensors)`` agrees on minitorch and torch: the same result or the same error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = fn(torch, *[_t(torch, a) for a in arrays], **kw)
        except Exception as e:  # noqa: BLE001 (any exception: minitorch must raise the same)
            with pytest.raises(type(e)) as got:
                fn(minitorch, *[_t(minitorch, a) for a in arrays], **kw)
            if not isinstance(e, TypeError) or "invalid combination" not in str(e):
                assert str(got.value) == str(e).split(" (Triggered internally")[0]
            return
        _same(fn(minitorch, *[_t(minitorch, a) for a in arrays], **kw), want)


I64 = np.array([0, 1, 1, 3, 7, 3], np.int64)
W = np.array([0.5, 1.0, 2.0, -1.5, 3.0, 0.25])

# ---- bincount ---------------------------------------------------------------------------------------------
BINCOUNT = [
    ("plain", lambda m: m.bincount(m.tensor(I64))),
    ("method_minlength", lambda m: m.tensor(I64).bincount(minlength=10)),
    ("minlength_short", lambda m: m.bincount(m.tensor(I64), minlength=3)),
    ("int32", lambda m: m.bincount(m.tensor(I64.astype(np.int32)))),
    ("uint8", lambda m: m.bincount(m.tensor(I64.astype(np.uint8)))),
    ("int8", lambda m: m.bincount(m.tensor(I64.astype(np.int8)))),
    ("w_float32", lambda m: m.bincount(m.tensor(I64), m.tensor(W.astype(np.float32)))),
    ("w_float64", lambda m: m.tensor(I64).bincount(m.tensor(W), 9)),
    ("w_float16", lambda m: m.bincount(m.tensor(I64), m.tensor(W.astype(np.float16)))),
    ("w_int64", lambda m: m.bincount(m.tensor(I64), m.tensor(I64))),
    ("w_bool", lambda m: m.bincount(m.tensor(I64), m.tensor(I64 > 1))),
    ("w_noncontig", lambda m: m.bincount(m.tensor(I64)[::2], m.tensor(W)[1::2])),
    ("empty", lambda m: m.bincount(m.tensor(np.zeros(0, np.int64)))),
    ("empty_minlength", lambda m: m.bincount(m.tensor(np.zeros(0, np.int64)), minlength=3)),
    ("empty_weights_stay_int64", lambda m: m.bincount(m.tensor(np.zeros(0, np.int64)), m.zeros(0), minlength=2)),
    ("empty_wrong_weights_no_error", lambda m: m.bincount(m.tensor(np.zeros(0, np.int64)), m.zeros(3), minlength=1)),
    ("w_requires_grad", lambda m: m.bincount(m.tensor(I64), m.tensor(W, requires_grad=True))),
    ("w_float64_keyword", lambda m: m.bincount(input=m.tensor(I64), weights=m.tensor(W), minlength=2)),
    # errors
    ("negative", lambda m: m.bincount(m.tensor([-1, 2]))),
    ("two_d", lambda m: m.bincount(m.tensor([[1, 2]]))),
    ("zero_d", lambda m: m.bincount(m.tensor(1))),
    ("empty_2d", lambda m: m.bincount(m.zeros(0, 2, dtype=m.int64))),
    ("float", lambda m: m.bincount(m.tensor([1.0, 2.0]))),
    ("bool", lambda m: m.bincount(m.tensor([True, False]))),
    ("minlength_negative", lambda m: m.bincount(m.tensor([1, 2]), minlength=-1)),
    ("float_checked_before_minlength", lambda m: m.bincount(m.tensor([1.0]), minlength=-1)),
    ("weights_short", lambda m: m.bincount(m.tensor(I64), m.tensor(W[:3]))),
    ("weights_2d", lambda m: m.bincount(m.tensor(I64), m.tensor(W[None]))),
    ("weights_number", lambda m: m.bincount(m.tensor(I64), 1.0)),
    ("minlength_float", lambda m: m.bincount(m.tensor(I64), minlength=1.5)),
    ("minlength_bool", lambda m: m.bincount(m.tensor(I64), minlength=True)),
    ("input_list", lambda m: m.bincount([1, 2])),
]


@pytest.mark.parametrize("name,fn", BINCOUNT, ids=[c[0] for c in BINCOUNT])
def test_bincount_matches_torch(name, fn):
    _check(fn)


def test_bincount_weights_backward_is_an_error_as_in_torch():
    out = minitorch.bincount(minitorch.tensor(I64), minitorch.tensor(W, requires_grad=True))
    assert out.grad_fn.name() == "NotImplemented"
    with pytest.raises(RuntimeError, match=r"^derivative for aten::bincount is not implemented$"):
        out.sum().backward()


def test_bincount_random_matches_torch():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 20, size=500)
    w = rng.standard_normal(500).astype(np.float32)
    _check(lambda m, x, w: (m.bincount(x), m.bincount(x, w), m.bincount(x, w.double(), 30)), x, w)


# ---- histc ------------------------------------------------------------------------------------------------
Y = np.array([0.0, 1, 2, 2, 4, 5, 6], np.float32)
HISTC = [
    ("data_range", lambda m: m.histc(m.tensor(Y), bins=4)),
    ("method_positional", lambda m: m.tensor(Y).histc(4, 1, 4)),
    ("float_max", lambda m: m.histc(m.tensor(Y), 4, 0, 6.0)),
    ("min_eq_max_uses_data", lambda m: m.histc(m.tensor(Y), bins=4, min=3, max=3)),
    ("constant_widened", lambda m: m.histc(m.tensor([2.0, 2.0]), bins=4)),
    ("zeros_widened", lambda m: m.histc(m.tensor([0.0, 0.0]), bins=4)),
    ("empty", lambda m: m.histc(m.zeros(0), bins=3)),
    ("right_edge_inclusive", lambda m: m.histc(m.tensor([0.1, 0.2, 0.3, 0.7, 0.9, 1.0]), bins=10, min=0, max=1)),
    ("outside_ignored", lambda m: m.histc(m.tensor([-1.0, 0.0, 0.5, 1.0, 1.5]), bins=2, min=0, max=1)),
    ("nan_ignored", lambda m: m.histc(m.tensor([np.nan, 0.5]), bins=3, min=0, max=1)),
    ("float64_2d_noncontig", lambda m: m.tensor(np.arange(12.0).reshape(3, 4)).t().histc(5)),
    ("float16", lambda m: m.histc(m.tensor([1.0, 2.0], dtype=m.float16), bins=3)),
    ("zero_d", lambda m: m.histc(m.tensor(1.5), bins=3)),
    ("bool_max", lambda m: m.histc(m.tensor([1.0, 2.0]), bins=3, min=1, max=True)),
    ("requires_grad_no_grad_fn", lambda m: m.histc(m.tensor([1.0, 2.0, 3.0], requires_grad=True), bins=3)),
    ("keywords", lambda m: m.histc(input=m.tensor(Y), bins=2, min=0, max=6)),
    # errors
    ("bins_zero", lambda m: m.histc(m.tensor(Y), bins=0)),
    ("bins_negative_before_range", lambda m: m.histc(m.tensor(Y), bins=-1, min=5, max=1)),
    ("bins_float", lambda m: m.histc(m.tensor(Y), 4.0)),
    ("bins_bool", lambda m: m.histc(m.tensor(Y), bins=True)),
    ("min_gt_max", lambda m: m.histc(m.tensor(Y), bins=4, min=5, max=1)),
    ("int", lambda m: m.histc(m.tensor([1, 2]), bins=4)),
    ("bool", lambda m: m.histc(m.tensor([True]), bins=4)),
    ("int_range_checked_first", lambda m: m.histc(m.tensor([1, 2]), bins=3, min=5, max=1)),
    ("int_inf_checked_first", lambda m: m.histc(m.tensor([1, 2]), bins=3, min=0, max=float("inf"))),
    ("bool_range_checked_first", lambda m: m.histc(m.tensor([True]), bins=3, min=5, max=1)),
    ("uint8", lambda m: m.histc(m.tensor([1, 2], dtype=m.uint8), bins=3)),
    ("nan_data", lambda m: m.histc(m.tensor([np.nan, 1.0, 2.0]), bins=3)),
    ("inf_data", lambda m: m.histc(m.tensor([-np.inf, 1.0, 2.0]), bins=3)),
    ("inf_max", lambda m: m.histc(m.tensor([1.0, 2.0]), bins=4, min=0, max=float("inf"))),
    ("nan_min", lambda m: m.histc(m.tensor([1.0, 2.0]), bins=4, min=float("nan"), max=3)),
    ("input_list", lambda m: m.histc([1.0, 2.0])),
]


@pytest.mark.parametrize("name,fn", HISTC, ids=[c[0] for c in HISTC])
def test_histc_matches_torch(name, fn):
    _check(fn)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("bins,lo,hi", [(10, 0, 0), (7, -1, 1), (3, -0.3, 0.9), (64, -2, 2.5), (1, 0, 1)])
def test_histc_random_and_edge_values_match_torch(dtype, bins, lo, hi):
    rng = np.random.default_rng(bins)
    edges = np.linspace(lo, hi, bins + 1) if lo != hi else np.linspace(-1, 1, bins + 1)
    x = np.concatenate([rng.uniform(-1.5, 1.5, 300), edges, np.nextafter(edges, 9), np.nextafter(edges, -9)])
    _check(lambda m, x: m.histc(x, bins, lo, hi), x.astype(dtype))


# ---- searchsorted / bucketize -----------------------------------------------------------------------------
SEQ = np.array([[1, 3, 5, 7, 9], [2, 4, 6, 8, 10]])
VAL = np.array([[3, 6, 9], [3, 6, 9]])
B = np.array([1.0, 3, 5, 7, 9])
UNSORTED = np.array([1, 9, 3, 5, 7])
SEARCH = [
    ("batched", lambda m: m.searchsorted(m.tensor(SEQ), m.tensor(VAL))),
    ("batched_right", lambda m: m.searchsorted(m.tensor(SEQ), m.tensor(VAL), right=True)),
    ("side_right", lambda m: m.searchsorted(m.tensor(SEQ), m.tensor(VAL), side="right")),
    ("side_left_right_false", lambda m: m.searchsorted(m.tensor(SEQ), m.tensor(VAL), side="left", right=False)),
    ("side_right_right_true", lambda m: m.searchsorted(m.tensor(B), m.tensor([3.0]), side="right", right=True)),
    ("one_d_seq_2d_values", lambda m: m.searchsorted(m.tensor(SEQ[0]), m.tensor(VAL))),
    ("one_d_seq_3d_values", lambda m: m.searchsorted(m.tensor(B), m.tensor(np.arange(24.0).reshape(2, 3, 4) / 2))),
    ("scalar_int", lambda m: m.searchsorted(m.tensor(SEQ[0]), 5)),
    ("scalar_float_promotes", lambda m: m.searchsorted(m.tensor([1, 2, 3]), 2.5)),
    ("scalar_bool", lambda m: m.searchsorted(m.tensor(UNSORTED), True)),
    ("zero_d_value", lambda m: m.searchsorted(m.tensor(SEQ[0]), m.tensor(5))),
    ("fewer_values", lambda m: m.searchsorted(m.tensor(SEQ), m.tensor(VAL[:, :2]))),
    ("float_values_int_seq", lambda m: m.searchsorted(m.tensor(SEQ), m.tensor(VAL).float() + 0.5)),
    ("float64_value_float32_seq", lambda m: m.searchsorted(m.tensor([1.0, 2, 3]), m.tensor([2.0000001], dtype=m.float64))),
    ("sorter", lambda m: m.searchsorted(m.tensor(UNSORTED), m.tensor([4, 8, 0, 10, 5]), sorter=m.tensor(UNSORTED).argsort())),
    ("sorter_right", lambda m: m.searchsorted(m.tensor(UNSORTED), m.tensor([5, 9]), right=True,
                                              sorter=m.tensor(np.argsort(UNSORTED)))),
    ("sorter_batched", lambda m: m.searchsorted(m.tensor(SEQ[:, ::-1].copy()), m.tensor(VAL),
                                                sorter=m.tensor(np.argsort(SEQ[:, ::-1], axis=-1)))),
    ("out_int32", lambda m: m.searchsorted(m.tensor(UNSORTED[:1]), m.tensor([4, 8]), out_int32=True)),
    ("empty_seq", lambda m: m.searchsorted(m.zeros(0), m.tensor([4.0, 8]))),
    ("empty_rows", lambda m: m.searchsorted(m.zeros(2, 0), m.zeros(2, 3))),
    ("empty_values", lambda m: m.searchsorted(m.tensor(UNSORTED), m.tensor(np.zeros(0, np.int64)))),
    ("three_d", lambda m: m.searchsorted(m.tensor(np.sort(np.arange(24.0).reshape(2, 3, 4) % 5)), m.ones(2, 3, 2) * 2)),
    ("noncontig", lambda m: m.searchsorted(m.tensor(SEQ.T.copy()).t(), m.tensor(VAL.T.copy()).t())),
    ("nan", lambda m: m.searchsorted(m.tensor([1.0, 2, np.nan]), m.tensor([np.nan, 3.0, 0.0]))),
    ("nan_right", lambda m: m.searchsorted(m.tensor([1.0, 2, np.nan]), m.tensor([np.nan, 3.0, 2.0]), right=True)),
    ("nan_in_middle", lambda m: m.searchsorted(m.tensor([1.0, np.nan, 3, 4]), m.tensor([0.5, 2.0, 3.0, 5.0]))),
    ("bool_seq_int_value", lambda m: m.searchsorted(m.tensor([True, False]), m.tensor([1]))),
    ("float16", lambda m: m.searchsorted(m.arange(5).half(), m.tensor([2.0]))),
    ("requires_grad", lambda m: m.searchsorted(m.tensor(B, requires_grad=True), m.tensor([2.0], requires_grad=True))),
    ("keywords", lambda m: m.searchsorted(sorted_sequence=m.tensor(B), input=m.tensor([2.0]))),
    # errors
    ("side_opposite", lambda m: m.searchsorted(m.tensor(SEQ), m.tensor(VAL), side="left", right=True)),
    ("side_bad", lambda m: m.searchsorted(m.tensor(SEQ), m.tensor(VAL), side="middle")),
    ("scalar_with_2d_seq", lambda m: m.searchsorted(m.tensor(SEQ), 5)),
    ("zero_d_value_2d_seq", lambda m: m.searchsorted(m.zeros(2, 3), m.tensor(1.0))),
    ("leading_dims_differ", lambda m: m.searchsorted(m.tensor(SEQ), m.tensor(VAL[:1]))),
    ("ndim_differs", lambda m: m.searchsorted(m.tensor(SEQ), m.tensor(VAL[0]))),
    ("zero_d_seq", lambda m: m.searchsorted(m.tensor(5), m.tensor(VAL))),
    ("sorter_int32", lambda m: m.searchsorted(m.tensor(UNSORTED), m.tensor([4]), sorter=m.tensor([0, 2, 3, 4, 1]).int())),
    ("sorter_float", lambda m: m.searchsorted(m.tensor(UNSORTED), m.tensor([4]), sorter=m.tensor([0.0, 2, 3, 4, 1]))),
    ("sorter_short", lambda m: m.searchsorted(m.tensor(UNSORTED), m.tensor([4]), sorter=m.tensor([0, 2, 3]))),
    ("sorter_2d", lambda m: m.searchsorted(m.tensor(UNSORTED), m.tensor([4]), sorter=m.tensor([[0, 2, 3, 4, 1]]))),
    ("sorter_big", lambda m: m.searchsorted(m.tensor(UNSORTED), m.tensor([4]), sorter=m.tensor([0, 2, 3, 4, 10]))),
    ("sorter_negative", lambda m: m.searchsorted(m.tensor(UNSORTED), m.tensor([4]), sorter=m.tensor([0, 2, 3, 4, -1]))),
    ("sorter_checked_before_scalar", lambda m: m.searchsorted(m.zeros(2, 3), 1.0, sorter=m.tensor([0, 1, 2]))),
    ("bool_both", lambda m: m.searchsorted(m.tensor([True, False]), m.tensor([True]))),
]

BUCKETIZE = [
    ("plain", lambda m: m.bucketize(m.tensor(VAL).float(), m.tensor(B))),
    ("right", lambda m: m.bucketize(m.tensor(VAL).float(), m.tensor(B), right=True)),
    ("out_int32", lambda m: m.bucketize(m.tensor(VAL).float(), m.tensor(B), out_int32=True, right=True)),
    ("scalar_int", lambda m: m.bucketize(3, m.tensor(B))),
    ("scalar_float", lambda m: m.bucketize(3.5, m.tensor(B))),
    ("scalar_bool", lambda m: m.bucketize(True, m.tensor(B))),
    ("zero_d", lambda m: m.bucketize(m.tensor(3.0), m.tensor(B))),
    ("int_input", lambda m: m.bucketize(m.tensor(VAL), m.tensor(B))),
    ("int_boundaries", lambda m: m.bucketize(m.tensor(VAL).float() + 0.5, m.tensor(B).long())),
    ("uint8_int8", lambda m: m.bucketize(m.tensor([2], dtype=m.uint8), m.tensor([1, 2], dtype=m.int8))),
    ("bool_input", lambda m: m.bucketize(m.tensor([True]), m.tensor([1, 2]))),
    ("nan", lambda m: m.bucketize(m.tensor([np.nan, 1.0]), m.tensor(B))),
    ("nan_boundary", lambda m: m.bucketize(m.tensor([1.0]), m.tensor([1.0, np.nan]))),
    ("empty_boundaries", lambda m: m.bucketize(m.zeros(2, 3), m.zeros(0))),
    ("noncontig", lambda m: m.bucketize(m.tensor(VAL.T.copy()).t(), m.tensor(B)[::2])),
    ("keywords", lambda m: m.bucketize(input=m.tensor([2.0]), boundaries=m.tensor(B), right=True)),
    ("requires_grad", lambda m: m.bucketize(m.tensor([2.0], requires_grad=True), m.tensor(B))),
    # errors
    ("boundaries_2d", lambda m: m.bucketize(m.tensor(VAL), m.tensor(SEQ))),
    ("boundaries_0d", lambda m: m.bucketize(m.tensor(VAL), m.tensor(3.0))),
    ("bool_both", lambda m: m.bucketize(m.tensor([True]), m.tensor([False, True]))),
    ("positional_right", lambda m: m.bucketize(m.tensor([1.0]), m.tensor(B), True)),
]


@pytest.mark.parametrize("name,fn", SEARCH, ids=[c[0] for c in SEARCH])
def test_searchsorted_matches_torch(name, fn):
    _check(fn)


@pytest.mark.parametrize("name,fn", BUCKETIZE, ids=[c[0] for c in BUCKETIZE])
def test_bucketize_matches_torch(name, fn):
    _check(fn)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 33])
def test_searchsorted_random_with_ties_matches_torch(n):
    rng = np.random.default_rng(n)
    seq = np.sort(rng.integers(0, 6, size=(3, n)), axis=-1).astype(np.float64)
    vals = rng.integers(-1, 8, size=(3, 10)).astype(np.float64)
    _check(lambda m, s, v: (m.searchsorted(s, v), m.searchsorted(s, v, right=True), m.searchsorted(s[0], v),
                            m.bucketize(v, s[1], right=True)), seq, vals)


def test_searchsorted_has_no_tensor_method_as_in_torch():
    assert not hasattr(torch.Tensor, "searchsorted") and not hasattr(minitorch.Tensor, "searchsorted")
    assert not hasattr(torch.Tensor, "bucketize") and not hasattr(minitorch.Tensor, "bucketize")


# ---- the small predicates and identities ------------------------------------------------------------------
X = np.array([1.0, -2.0], np.float32)
SMALL = [
    ("is_complex", lambda m: (m.is_complex(m.tensor(X)), m.tensor(X).is_complex())),
    ("is_conj_is_neg", lambda m: (m.is_conj(m.tensor(X)), m.tensor(X).is_neg(), m.is_neg(m.tensor(X)))),
    ("is_signed", lambda m: tuple(m.tensor([1], dtype=d).is_signed() for d in
                                  (m.float16, m.float32, m.float64, m.int8, m.int16, m.int32, m.int64, m.uint8, m.bool))),
    ("is_signed_top", lambda m: m.is_signed(m.tensor([True]))),
    ("is_nonzero", lambda m: (m.tensor([1.0]).is_nonzero(), m.tensor(0.0).is_nonzero(), m.is_nonzero(m.tensor([[3]])),
                              m.tensor([np.nan]).is_nonzero(), m.tensor([False]).is_nonzero())),
    ("is_nonzero_many", lambda m: m.tensor(X).is_nonzero()),
    ("is_nonzero_empty", lambda m: m.zeros(0).is_nonzero()),
    ("is_same_size", lambda m: (m.is_same_size(m.zeros(2), m.ones(2, dtype=m.int64)), m.zeros(2).is_same_size(m.zeros(3)),
                                m.is_same_size(m.zeros(2, 1), other=m.zeros(1, 2)))),
    ("is_same_size_number", lambda m: m.is_same_size(m.zeros(2), 3)),
    ("conj_values", lambda m: (m.conj(m.tensor(X)), m.tensor(X).resolve_conj(), m.resolve_neg(m.tensor(X)))),
    ("real_values", lambda m: (m.real(m.tensor(X)), m.tensor(X).real, m.real(input=m.tensor(X)))),
    ("detach_top", lambda m: m.detach(m.tensor(X, requires_grad=True) * 2)),
    ("is_complex_number", lambda m: m.is_complex(3)),
    ("real_number", lambda m: m.real(3)),
    ("conj_number", lambda m: m.conj(3)),
    ("detach_number", lambda m: m.detach(3)),
    ("is_signed_number", lambda m: m.is_signed(3)),
    ("is_nonzero_number", lambda m: m.is_nonzero(3)),
]


@pytest.mark.parametrize("name,fn", SMALL, ids=[c[0] for c in SMALL])
def test_small_predicates_match_torch(name, fn):
    _check(fn)


@pytest.mark.parametrize("name", ["conj", "resolve_conj", "resolve_neg", "real"])
def test_identities_return_the_tensor_itself(name):
    x = minitorch.tensor(X, requires_grad=True)
    y = x * 2
    for out in (getattr(minitorch, name)(y), getattr(y, name) if name == "real" else getattr(y, name)()):
        assert out is y  # as PyTorch: the same object, same graph, no copy
    (getattr(minitorch, name)(y)).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_detach_top_level_shares_memory_and_version():
    x = minitorch.tensor(X, requires_grad=True)
    d = minitorch.detach(x)
    assert not d.requires_grad and d.grad_fn is None and d.data_ptr() == x.data_ptr()
    assert d._version is x._version


def test_writing_real_writes_the_tensor():
    for m in (minitorch, torch):
        z = m.zeros(3)
        z.real[0] = 5.0  # a view of z (z itself)
        z2 = m.zeros(2)
        z2.real = m.ones(2)
        assert z.tolist() == [5.0, 0.0, 0.0] and z2.tolist() == [1.0, 1.0]


# ---- on the CuPy stand-in: same values, results on the device, no hidden host copies -----------------------
DEVICE_CASES = [  # (id, device-to-host copies allowed, inputs, call)
    ("searchsorted", 0, (SEQ, VAL), lambda m, s, v: m.searchsorted(s, v, right=True)),
    ("searchsorted_1d", 0, (B, VAL), lambda m, s, v: m.searchsorted(s, v * 1.0)),
    ("bucketize_scalar", 0, (B,), lambda m, b: m.bucketize(3.5, b)),
    ("histc_range", 0, (Y,), lambda m, y: m.histc(y, 4, 0, 6)),
    ("histc_data_range", 1, (Y,), lambda m, y: m.histc(y, 4)),  # min/max read back, as PyTorch does
    ("bincount", 1, (I64,), lambda m, x: m.bincount(x, minlength=9)),  # the length is read back
    ("bincount_weights", 1, (I64, W), lambda m, x, w: m.bincount(x, w)),
    ("sorter", 1, (UNSORTED, np.array([4, 8]), np.argsort(UNSORTED)),  # the sorter's range check
     lambda m, s, v, o: m.searchsorted(s, v, sorter=o)),
]


@pytest.mark.parametrize("device", GPU_DEVICES)
@pytest.mark.parametrize("name,to_host,inputs,fn", DEVICE_CASES, ids=[c[0] for c in DEVICE_CASES])
def test_on_gpu_device_matches_cpu(device, name, to_host, inputs, fn):
    want = fn(minitorch, *[minitorch.tensor(a) for a in inputs])
    xs = [minitorch.tensor(a, device=device) for a in inputs]
    with _fakecupy.count_transfers() as n:
        got = fn(minitorch, *xs)
    if device == "fakecuda":
        assert n["to_host"] <= to_host and n["to_device"] == 0
    assert type(got._data) is array_type(device)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got.cpu().numpy(), want.numpy())
