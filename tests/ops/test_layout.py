"""ops/layout.py and ops/index_put.py against PyTorch: argument errors (type and message), the in-place view ops'
autograd behaviour (identity, version counter, leaves, node names), ties and zeros in scatter_reduce's
gradients, and edge cases the op table does not reach (values and gradients are in op_db.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch

torch = pytest.importorskip("torch")


def _result(fn, lib):
    """``("ok", dtype, shape, values)`` (tuples for several outputs) or ``("err", type name, message)``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fn(lib)
    except Exception as e:  # noqa: BLE001 - the exception is what we compare
        return ("err", type(e).__name__, str(e).replace("minitorch.", "torch."))
    if isinstance(out, (tuple, list)):
        return tuple(_result(lambda _, o=o: o, lib) for o in out)
    return ("ok", str(out.dtype).split(".")[-1], tuple(out.shape), str(out.detach().numpy().tolist()))


def same_as_torch(fn):
    ours, theirs = _result(fn, minitorch), _result(fn, torch)
    assert ours == theirs, f"\nminitorch: {ours}\ntorch:     {theirs}"


def _version(x) -> int:
    return x._version[0] if isinstance(x._version, list) else x._version  # minitorch keeps it in a shared list


def A(lib, *shape, dtype=None):
    return lib.arange(float(np.prod(shape)), dtype=dtype or lib.float32).reshape(*shape)


def I(lib, *values):  # noqa: E743 - an index tensor
    return lib.tensor(list(values))


# ---- names: the same top-level functions and methods as PyTorch ------------------------------------------
NAMES = """ravel moveaxis fliplr flipud hsplit vsplit dsplit dstack column_stack row_stack atleast_1d atleast_2d
    atleast_3d adjoint squeeze_ unsqueeze_ t_ transpose_ swapdims_ swapaxes_ index_copy index_copy_ index_put
    index_put_ put put_ masked_scatter masked_scatter_ scatter_reduce scatter_reduce_ index_add index_fill take""".split()


@pytest.mark.parametrize("name", NAMES)
def test_top_level_and_method_names_as_torch(name):
    assert hasattr(minitorch, name) == hasattr(torch, name), name
    assert hasattr(minitorch.Tensor, name) == hasattr(torch.Tensor, name), name


# ---- layout: errors and edges -------------------------------------------------------------------------------
LAYOUT_CASES = {
    "fliplr_1d": lambda t: t.fliplr(A(t, 3)),
    "flipud_0d": lambda t: t.flipud(t.tensor(1.0)),
    "hsplit_decreasing": lambda t: t.hsplit(A(t, 2, 6), [5, 1]),
    "hsplit_1d_indices": lambda t: t.hsplit(A(t, 5), (1,)),
    "hsplit_zero": lambda t: t.hsplit(A(t, 2, 6), 0),
    "hsplit_negative": lambda t: t.hsplit(A(t, 2, 6), -1),
    "hsplit_0d": lambda t: t.hsplit(t.tensor(1.0), 2),
    "hsplit_0d_tensor_sections": lambda t: A(t, 4, 6).hsplit(t.tensor(2)),
    "vsplit_1d": lambda t: t.vsplit(A(t, 4), 2),
    "vsplit_3d": lambda t: A(t, 2, 4, 6).vsplit([1, 3]),
    "dsplit_indices": lambda t: A(t, 2, 4, 6).dsplit([5, 1]),
    "dsplit_not_divisible": lambda t: A(t, 2, 4, 6).dsplit(4),
    "dstack_empty": lambda t: t.dstack([]),
    "dstack_mismatch": lambda t: t.dstack([A(t, 3), A(t, 4, 6)]),
    "column_stack_empty": lambda t: t.column_stack([]),
    "column_stack_mixed": lambda t: t.column_stack([t.tensor(1.0), A(t, 1), A(t, 1, 2)]),
    "column_stack_mismatch": lambda t: t.column_stack([A(t, 5), A(t, 4, 6)]),
    "row_stack": lambda t: t.row_stack((A(t, 3), A(t, 2, 3))),
    "atleast_1d_list": lambda t: t.atleast_1d([t.tensor(1.0), A(t, 2)]),
    "atleast_2d_many": lambda t: t.atleast_2d(t.tensor(1.0), A(t, 2), A(t, 2, 3, 1)),
    "atleast_3d_tuple_one": lambda t: t.atleast_3d((A(t, 2),)),
    "atleast_1d_none": lambda t: t.atleast_1d(),
    "adjoint_1d": lambda t: A(t, 3).adjoint(),
    "adjoint_3d": lambda t: t.adjoint(A(t, 2, 3, 4)),
    "H_1d": lambda t: A(t, 3).H,
    "H_3d": lambda t: A(t, 2, 3, 4).H,
    "mH_1d": lambda t: A(t, 3).mH,
    "moveaxis_repeated": lambda t: A(t, 2, 3).moveaxis((0, 0), (1, 0)),
    "ravel_noncontig": lambda t: A(t, 3, 4).t().ravel(),
    "t_3d": lambda t: A(t, 2, 3, 4).t_(),
    "transpose_out_of_range": lambda t: A(t, 3).transpose_(0, 2),
    "unsqueeze_out_of_range": lambda t: A(t, 3).unsqueeze_(3),
    "squeeze_dims": lambda t: A(t, 1, 3, 1).squeeze_((0, 2)),
    "squeeze_not_one": lambda t: A(t, 2, 3).squeeze_(1),
    "t_0d": lambda t: t.tensor(2.0).t_(),
}


@pytest.mark.parametrize("name", list(LAYOUT_CASES))
def test_layout_same_as_torch(name):
    same_as_torch(LAYOUT_CASES[name])


def test_atleast_returns_the_same_tensor_when_it_has_the_dimensions():
    x = minitorch.zeros(2, 3)
    assert minitorch.atleast_1d(x) is x and minitorch.atleast_2d(x) is x
    assert isinstance(minitorch.atleast_1d([x]), tuple)
    with pytest.raises(TypeError):
        minitorch.atleast_1d(1.0)


@pytest.mark.parametrize("what", ["H", "mH", "adjoint"])
def test_conjugate_transposes_of_0d_warn_and_return_the_tensor(what):
    x = minitorch.tensor(2.0, requires_grad=True)
    with pytest.warns(UserWarning, match="deprecated on 0-D tensors"):
        out = x.adjoint() if what == "adjoint" else getattr(x, what)
    assert out is x


def test_stacks_refuse_a_single_tensor():
    for name in ("dstack", "column_stack"):
        with pytest.raises(TypeError, match=f"{name}\\(\\): argument 'tensors'"):
            getattr(minitorch, name)(minitorch.zeros(2, 2))


# ---- in-place view ops ------------------------------------------------------------------------------------------
INPLACE_VIEWS = {
    "squeeze_": (lambda x: x.squeeze_(), (3, 1, 4), "SqueezeBackward3"),
    "squeeze_dim": (lambda x: x.squeeze_(1), (3, 1, 4), "SqueezeBackward4"),
    "squeeze_dims": (lambda x: x.squeeze_((0, 1)), (1, 1, 3), "SqueezeBackward5"),
    "unsqueeze_": (lambda x: x.unsqueeze_(0), (3, 4), "UnsqueezeBackward1"),
    "t_": (lambda x: x.t_(), (3, 4), "TBackward1"),
    "transpose_": (lambda x: x.transpose_(0, 2), (2, 3, 4), "TransposeBackward1"),
    "swapdims_": (lambda x: x.swapdims_(-1, 0), (2, 3), "TransposeBackward1"),
    "swapaxes_": (lambda x: x.swapaxes_(0, 1), (2, 3), "TransposeBackward1"),
}


@pytest.mark.parametrize("name", list(INPLACE_VIEWS))
def test_inplace_view_op_on_a_non_leaf(name):
    """Same object, new shape, version + 1, a new grad_fn (PyTorch's name) whose edge is the old one; the
    gradient reaches the leaf reshaped back."""
    op, shape, node = INPLACE_VIEWS[name]
    data = np.random.default_rng(0).standard_normal(shape)
    grads = {}
    for lib in (minitorch, torch):
        leaf = lib.tensor(data, requires_grad=True)
        y = leaf * 2
        old_fn, version = y.grad_fn, _version(y)
        out = op(y)
        assert out is y
        assert _version(y) == version + 1
        assert type(y.grad_fn).__name__ == node
        assert y.grad_fn.next_functions[0][0] is old_fn
        w = lib.tensor(np.arange(y.numel(), dtype=np.float64).reshape(tuple(y.shape)))
        (y * w).sum().backward()
        grads[lib.__name__] = (tuple(y.shape), leaf.grad.numpy())
    assert grads["minitorch"][0] == grads["torch"][0]
    np.testing.assert_allclose(grads["minitorch"][1], grads["torch"][1])


@pytest.mark.parametrize("name", list(INPLACE_VIEWS))
def test_inplace_view_op_on_leaves(name):
    op, shape, _ = INPLACE_VIEWS[name]
    same_as_torch(lambda t: op(t.zeros(shape, requires_grad=True)))  # a leaf that requires grad
    same_as_torch(lambda t: op(t.zeros((2,) + shape, requires_grad=True)[1]))  # a view of one
    same_as_torch(lambda t: op(t.zeros(shape)))  # needs no grad: fine

    def no_grad(t):
        x = t.zeros(shape, requires_grad=True)
        with t.no_grad():
            op(x)
        return x.detach() if x.grad_fn is None and x.is_leaf else None

    same_as_torch(no_grad)


def test_inplace_view_op_makes_saved_tensor_stale():
    for lib in (minitorch, torch):
        x = lib.zeros(3, 1, requires_grad=True)
        y = x * 1
        z = y * y  # saves y
        y.squeeze_()
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


def test_inplace_view_op_on_a_view_keeps_sharing_memory():
    for lib in (minitorch, torch):
        base = lib.zeros(3, 1, 4)
        v = base[1:]
        v.squeeze_(1)
        v[0, 1] = 5.0
        assert tuple(v.shape) == (2, 4) and base[1, 0, 1].item() == 5.0
        assert _version(base) == _version(v) == 2


# ---- index_copy / index_put / put: errors and edges -------------------------------------------------------------
INDEX_CASES = {
    "index_copy_dup": lambda t: t.zeros(3, 4).index_copy(0, I(t, 2, 2), A(t, 2, 4)),
    "index_copy_float_index": lambda t: t.zeros(3, 4).index_copy(0, t.tensor([2.0, 0.0]), A(t, 2, 4)),
    "index_copy_int_index": lambda t: t.zeros(3, 4).index_copy(0, I(t, 2, 0).int(), A(t, 2, 4)),
    "index_copy_dtype": lambda t: t.zeros(3, 4).index_copy(0, I(t, 2, 0), A(t, 2, 4).double()),
    "index_copy_oob": lambda t: t.zeros(3, 4).index_copy(0, I(t, 2, 5), A(t, 2, 4)),
    "index_copy_negative": lambda t: t.zeros(3, 4).index_copy(0, I(t, 2, -1), A(t, 2, 4)),
    "index_copy_count": lambda t: t.zeros(3, 4).index_copy(0, I(t, 2, 0, 1), A(t, 2, 4)),
    "index_copy_2d_index": lambda t: t.zeros(3, 4).index_copy(0, t.tensor([[2, 0]]), A(t, 2, 4)),
    "index_copy_slices": lambda t: t.zeros(2, 3, 4).index_copy(1, I(t, 0), A(t, 2, 1, 5)),
    "index_copy_dims": lambda t: t.zeros(3, 4).index_copy(0, I(t, 2), A(t, 4)),
    "index_copy_scalar_source": lambda t: t.zeros(3, 4).index_copy(0, I(t, 0, 1), t.tensor(1.0)),
    "index_copy_0d": lambda t: t.zeros(()).index_copy(0, t.tensor(0), t.tensor(1.0)),
    "index_copy_1d_scalar": lambda t: t.zeros(5).index_copy(0, I(t, 1), t.tensor(5.0)),
    "index_copy_empty": lambda t: t.zeros(3).index_copy(0, t.tensor([], dtype=t.int64), t.ones(0)),
    "index_copy_dim": lambda t: t.zeros(3, 4).index_copy(2, I(t, 0), A(t, 1, 4)),
    "index_put_values_float": lambda t: t.zeros(3, 4).index_put((I(t, 0, 1),), 1.0),
    "index_put_indices_tensor": lambda t: t.zeros(3, 2).index_put(I(t, 0, 0), t.ones(2)),
    "index_put_none": lambda t: t.zeros(3, 4).index_put((None, I(t, 0, 1)), t.tensor(1.0)),
    "index_put_dtype": lambda t: t.zeros(3, 4).index_put((I(t, 0),), A(t, 4).double()),
    "index_put_float_index": lambda t: t.zeros(3, 4).index_put((t.tensor([0.0, 1.0]),), t.tensor(1.0)),
    "index_put_oob": lambda t: t.zeros(3, 4).index_put((I(t, 0, 5),), t.tensor(1.0)),
    "index_put_oob_accumulate": lambda t: t.zeros(3, 4).index_put((I(t, 0, 5),), t.tensor(1.0), accumulate=True),
    "index_put_too_many": lambda t: t.zeros(3, 4).index_put((I(t, 0), I(t, 0), I(t, 0)), t.tensor(1.0)),
    "index_put_no_broadcast": lambda t: t.zeros(3, 4).index_put((I(t, 0, 1), I(t, 0, 1, 2)), t.tensor(1.0)),
    "index_put_shape": lambda t: t.zeros(3, 2).index_put((I(t, 0, 0),), t.ones(3, 2), accumulate=True),
    "index_put_0d_index": lambda t: t.zeros(3, 4).index_put((t.tensor(1),), t.tensor(7.0)),
    "index_put_int32": lambda t: t.zeros(3, 4).index_put((I(t, 0, 2).int(),), t.tensor(7.0), True),
    "index_put_mask_2d": lambda t: t.zeros(3, 4).index_put((A(t, 3, 4) > 4,), t.tensor(7.0)),
    "index_put_mask_shape": lambda t: t.zeros(3, 4).index_put((t.tensor([True, False]),), t.tensor(7.0)),
    "index_put_negative": lambda t: t.index_put(t.zeros(3, 4), (I(t, 0, -1, -1),), t.tensor(2.0), True),
    "index_put_int_tensor": lambda t: A(t, 3, 4, dtype=t.int64).index_put_((I(t, 1, 1),), t.tensor([5, 6, 7, 8]), True),
    "put_negative": lambda t: t.zeros(3, 4).put(I(t, 0, 5, -1), t.tensor([1.0, 2.0, 3.0])),
    "put_oob": lambda t: t.zeros(3, 4).put(I(t, 0, 12), t.tensor([1.0, 2.0])),
    "put_numel": lambda t: t.zeros(3, 4).put(I(t, 0, 1), t.tensor([1.0, 2.0, 3.0])),
    "put_dtype": lambda t: t.zeros(3, 4).put(I(t, 0, 1), t.tensor([1.0, 2.0]).double()),
    "put_float_index": lambda t: t.zeros(3, 4).put(t.tensor([0.0, 1.0]), t.tensor([1.0, 2.0])),
    "put_int_index": lambda t: t.zeros(3, 4).put(I(t, 0, 1).int(), t.tensor([1.0, 2.0])),
    "put_accumulate_kind": lambda t: t.zeros(3).put(I(t, 0, 1), t.ones(2), accumulate=1.5),
    "put_0d": lambda t: t.zeros(()).put_(t.tensor(0), t.tensor(3.0), True),
    "index_add": lambda t: t.index_add(A(t, 3, 2), 0, I(t, 0, 0, 2), A(t, 3, 2), alpha=2),
    "index_fill": lambda t: t.index_fill(A(t, 3, 2), 1, I(t, 1), -1.0),
    "take": lambda t: t.take(A(t, 3, 2), t.tensor([[0, -1], [5, 2]])),
    "take_method": lambda t: A(t, 3, 2).take(I(t, 1)),
}


@pytest.mark.parametrize("name", list(INDEX_CASES))
def test_index_writes_same_as_torch(name):
    same_as_torch(INDEX_CASES[name])


# ---- masked_scatter / scatter_reduce: errors and edges ---------------------------------------------------------
M = [[True, False, True, False], [False, False, True, True], [True, True, False, False]]
SCATTER_CASES = {
    "masked_scatter_small_source": lambda t: t.zeros(3, 4).masked_scatter(t.tensor(M), A(t, 5)),
    "masked_scatter_float_mask": lambda t: t.zeros(3, 4).masked_scatter(t.tensor(M).float(), A(t, 12)),
    "masked_scatter_byte_mask": lambda t: t.zeros(3, 4).masked_scatter(t.tensor(M).byte(), A(t, 12)),
    "masked_scatter_dtype": lambda t: t.zeros(3, 4).masked_scatter(t.tensor(M), A(t, 12).double()),
    "masked_scatter_broadcast_error": lambda t: t.zeros(2, 4).masked_scatter(t.tensor(M), A(t, 12)),
    "masked_scatter_broadcast_self": lambda t: t.zeros(4).masked_scatter(t.tensor(M), A(t, 12)),
    "masked_scatter_0d_self": lambda t: t.zeros(()).masked_scatter(t.tensor([True, False]), t.ones(2)),
    "masked_scatter_0d_mask": lambda t: t.zeros(3).masked_scatter(t.tensor(True), A(t, 3)),
    "masked_scatter_inplace_expand": lambda t: t.zeros(3, 4).masked_scatter_(t.tensor(M[0]).expand(5, 4), A(t, 12)),
    "masked_scatter_inplace": lambda t: t.zeros(3, 4).masked_scatter_(t.tensor(M[0]), A(t, 12)),
    "masked_scatter_empty_source": lambda t: A(t, 3).masked_scatter(t.tensor([False] * 3), t.zeros(0)),
    "scatter_reduce_max_alias": lambda t: A(t, 4).scatter_reduce(0, I(t, 0, 1, 0), A(t, 3) * 3, "max"),
    "scatter_reduce_min_alias": lambda t: A(t, 4).scatter_reduce(0, I(t, 0, 1, 0), A(t, 3) - 1, "min"),
    "scatter_reduce_add": lambda t: A(t, 4).scatter_reduce(0, I(t, 0, 1, 0), A(t, 3), "add"),
    "scatter_reduce_dtype": lambda t: A(t, 4).scatter_reduce(0, I(t, 0), A(t, 1).double(), "sum"),
    "scatter_reduce_float_index": lambda t: A(t, 4).scatter_reduce(0, t.tensor([0.0]), A(t, 1), "sum"),
    "scatter_reduce_int32_index": lambda t: A(t, 4).scatter_reduce(0, I(t, 3, 3).int(), A(t, 2), "prod"),
    "scatter_reduce_oob": lambda t: A(t, 4).scatter_reduce(0, I(t, 0, 4), A(t, 2), "sum"),
    "scatter_reduce_negative_index": lambda t: A(t, 4).scatter_reduce(0, I(t, 0, -1), A(t, 2), "sum"),
    "scatter_reduce_ndim": lambda t: A(t, 4).scatter_reduce(0, t.tensor([[0, 1]]), A(t, 1, 2), "sum"),
    "scatter_reduce_index_larger": lambda t: t.zeros(3, 2).scatter_reduce(0, t.tensor([[0, 1, 1]]), t.ones(1, 3), "amax"),
    "scatter_reduce_src_smaller": lambda t: t.zeros(3, 2).scatter_reduce(0, t.tensor([[0, 1]]), t.ones(1, 1), "amax"),
    "scatter_reduce_dim": lambda t: t.zeros(3, 2).scatter_reduce(5, t.tensor([[0, 1]]), t.ones(1, 2), "amax"),
    "scatter_reduce_src_number": lambda t: A(t, 4).scatter_reduce(0, I(t, 0), 2.0, "sum"),
    "scatter_reduce_int_mean": lambda t: t.tensor([1, 2, 3, 4]).scatter_reduce(0, I(t, 0, 1, 0, 1, 2, 1),
                                                                             t.tensor([-1, 2, -3, 4, 5, 6]), "mean"),
    "scatter_reduce_int_mean_excl": lambda t: t.zeros(3, dtype=t.int64).scatter_reduce(0, I(t, 0, 0), t.tensor([-3, 1]),
                                                                                       "mean", include_self=False),
    "scatter_reduce_nan_amin": lambda t: t.zeros(3).scatter_reduce(0, I(t, 0, 0), t.tensor([float("nan"), 0.0]), "amin"),
    "scatter_reduce_nan_amax": lambda t: t.zeros(3).scatter_reduce(0, I(t, 1, 1), t.tensor([1.0, float("nan")]), "amax"),
    "scatter_reduce_empty_index": lambda t: A(t, 3).scatter_reduce(0, t.tensor([], dtype=t.int64), t.zeros(0), "prod"),
    "scatter_reduce_inplace": lambda t: A(t, 4).scatter_reduce_(0, I(t, 0, 1, 0), A(t, 3), "amin", include_self=False),
    "scatter_reduce_bad_reduce_first": lambda t: A(t, 4).scatter_reduce(0, I(t, 0, 9), A(t, 2), "foo"),
}


@pytest.mark.parametrize("name", list(SCATTER_CASES))
def test_scatter_writes_same_as_torch(name):
    same_as_torch(SCATTER_CASES[name])


def _grads(lib, fn, arrays):
    xs = [lib.tensor(a, requires_grad=True) for a in arrays]
    out = fn(lib, *xs)
    v = lib.tensor(np.linspace(-1, 2, out.numel()).reshape(tuple(out.shape)))
    gs = lib.autograd.grad(out, xs, v, allow_unused=True)
    return [np.zeros(a.shape) if g is None else g.numpy() for a, g in zip(arrays, gs)]


GRAD_CASES = {
    # include_self=False with amax: PyTorch counts the (excluded) self value in the tie split when it equals the result
    "amax_excluded_self_equal": (lambda t, s, x: s.scatter_reduce(0, I(t, 0, 0), x, "amax", include_self=False),
                                 [3.0, 5.0], [3.0, 1.0]),
    "amin_three_way_tie": (lambda t, s, x: s.scatter_reduce(0, I(t, 0, 0, 1), x, "amin"), [1.0, 5.0], [1.0, 1.0, 4.0]),
    "prod_two_zeros": (lambda t, s, x: s.scatter_reduce(0, I(t, 0, 0, 1), x, "prod"), [2.0, 0.0], [0.0, 0.0, 3.0]),
    "prod_self_zero": (lambda t, s, x: s.scatter_reduce(0, I(t, 0, 0, 1), x, "prod", include_self=False),
                       [0.0, 0.0], [0.0, 2.0, 3.0]),
    "mean_excluded": (lambda t, s, x: s.scatter_reduce(0, I(t, 2, 2, 0), x, "mean", include_self=False),
                      [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
    "index_put_dup_overwrite": (lambda t, s, x: s.index_put((I(t, 1, 1),), x), [[1.0, 2.0], [3.0, 4.0]], [5.0, 6.0]),
    "index_copy_dup": (lambda t, s, x: s.index_copy(0, I(t, 1, 1), x), [[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]),
    "put_dup": (lambda t, s, x: s.put(I(t, 1, 1), x), [1.0, 2.0, 3.0], [5.0, 6.0]),
    "masked_scatter_broadcast": (lambda t, s, x: s.masked_scatter(t.tensor(M), x), [1.0, 2.0, 3.0, 4.0],
                                 [float(i) for i in range(14)]),
    "index_add_alpha": (lambda t, s, x: s.index_add(0, I(t, 0, 0), x, alpha=-2.0), [1.0, 2.0], [3.0, 4.0]),
    "take": (lambda t, s, x: s.take(I(t, 0, 0, 1)) * x, [1.0, 2.0], [3.0, 4.0, 5.0]),
}


@pytest.mark.parametrize("name", list(GRAD_CASES))
def test_gradients_at_ties_zeros_and_duplicates_as_torch(name):
    fn, *arrays = GRAD_CASES[name]
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    for ours, theirs in zip(_grads(minitorch, fn, arrays), _grads(torch, fn, arrays)):
        np.testing.assert_allclose(ours, theirs)


@pytest.mark.parametrize("op", ["index_copy_", "index_put_", "put_", "masked_scatter_", "scatter_reduce_"])
def test_inplace_index_writes_refuse_leaves_and_bump_the_version(op):
    calls = {
        "index_copy_": lambda x: x.index_copy_(0, minitorch.tensor([1]), minitorch.ones(1, 2, dtype=x.dtype)),
        "index_put_": lambda x: x.index_put_((minitorch.tensor([1]),), minitorch.tensor(1.0, dtype=x.dtype)),
        "put_": lambda x: x.put_(minitorch.tensor([1]), minitorch.ones(1, dtype=x.dtype)),
        "masked_scatter_": lambda x: x.masked_scatter_(x > 100, minitorch.ones(4, dtype=x.dtype)),
        "scatter_reduce_": lambda x: x.scatter_reduce_(0, minitorch.tensor([[1, 0]]), minitorch.ones(1, 2, dtype=x.dtype),
                                                       "sum"),
    }
    leaf = minitorch.zeros(2, 2, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        calls[op](leaf)
    x = minitorch.zeros(2, 2)
    assert calls[op](x) is x and _version(x) == 1
