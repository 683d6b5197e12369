"""Edge cases of indexing, in-place ops on views, gather/scatter, matrix products and creation, against PyTorch.

Each case runs the same call on minitorch and on torch and compares the values, shape and dtype, or the
exception type and message.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitorch

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # torch's deprecation notes for list and byte keys


def _result(fn, lib):
    """``("ok", dtype name, shape, values)`` or ``("err", exception type, message)``."""
    try:
        out = fn(lib)
    except Exception as e:  # noqa: BLE001 - the exception is what we compare
        return ("err", type(e).__name__, str(e).replace("minitorch.", "torch."))
    if isinstance(out, (tuple, list)):
        return tuple(_result(lambda _, o=o: o, lib) for o in out)
    return ("ok", str(out.dtype).split(".")[-1], tuple(out.shape), str(out.detach().numpy().tolist()))  # nan == nan


def same_as_torch(fn):
    ours, theirs = _result(fn, minitorch), _result(fn, torch)
    assert ours == theirs, f"\nminitorch: {ours}\ntorch:     {theirs}"


def A(lib, *shape, dtype=None):
    """0, 1, 2, ... in ``shape`` (float32 unless told)."""
    return lib.arange(float(np.prod(shape)), dtype=dtype or lib.float32).reshape(*shape)


# ---- x[key] --------------------------------------------------------------------------------------------
KEYS = {
    "list_of_lists_is_a_tuple": [[0, 1], [2, 0]], "list_with_int_and_list": [0, [1, 2]],
    "list_with_slice": [0, 1, slice(None)], "empty_list": [], "int_then_list": (1, slice(None), [0, 2]),
    "list_int_list": ([0, 1], 1, [1, 2]), "list_slice_int": ([0, 1], slice(None), 1),
    "slice_list_int": (slice(None), [[0, 1]], 1), "none_between_lists": ([0, 1], None, [1, 2]),
    "ellipsis_lists": (..., [0, 1], [1, 2]), "mask_then_list": ([True, False, True], slice(None), [0, 1]),
    "int_mask_list": (1, [True, False, True, False], [0, 1]),
}


@pytest.mark.parametrize("name", list(KEYS))
def test_getitem_key_forms_match_torch(name):
    same_as_torch(lambda lib: A(lib, 3, 4, 5)[KEYS[name]])


@pytest.mark.parametrize("name", list(KEYS))
def test_getitem_key_forms_gradient_matches_torch(name):
    def grad(lib):
        x = A(lib, 3, 4, 5, dtype=lib.float64).requires_grad_()
        y = x[KEYS[name]]
        (y * A(lib, *y.shape, dtype=lib.float64)).sum().backward()
        return x.grad

    same_as_torch(grad)


ERROR_KEYS = {
    "int_out_of_range": lambda lib: A(lib, 3, 4)[5], "negative_out_of_range": lambda lib: A(lib, 3, 4)[1, -5],
    "list_out_of_range": lambda lib: A(lib, 3, 4)[[0, 3]], "too_many": lambda lib: A(lib, 3, 4)[0, 0, 0],
    "mask_wrong_shape": lambda lib: A(lib, 3, 4)[lib.tensor([True, False])],
    "int_on_0d": lambda lib: lib.tensor(1.0)[0], "slice_on_0d": lambda lib: lib.tensor(1.0)[:],
    "negative_step": lambda lib: A(lib, 3)[::-1], "float_index": lambda lib: A(lib, 3)[lib.tensor([0.0])],
}


@pytest.mark.parametrize("name", list(ERROR_KEYS))
def test_getitem_errors_match_torch(name):
    same_as_torch(ERROR_KEYS[name])


def test_byte_tensor_index_is_a_mask_and_0d_int_tensor_a_view():
    same_as_torch(lambda lib: A(lib, 3, 4)[lib.tensor([1, 0, 1], dtype=lib.uint8)])
    x = minitorch.zeros(3, 4)
    assert x[minitorch.tensor(1)]._base is x  # a 0-d integer tensor indexes like an int


def test_0d_tensor_indexing():
    same_as_torch(lambda lib: [lib.tensor(2.0)[None], lib.tensor(2.0)[...], lib.tensor(2.0)[lib.tensor(True)]])


# ---- x[key] = value --------------------------------------------------------------------------------------
def _set(key, value, dtype=None):
    def fn(lib):
        x = A(lib, 3, 4, 5, dtype=dtype and getattr(lib, dtype))
        x[key] = value(lib) if callable(value) else value
        return x

    return fn


SETS = {
    "int_then_list_tensor": _set((1, slice(None), [0, 2]), lambda lib: -A(lib, 4, 2)),
    "slice_int_list": _set((slice(None), 1, [0, 1]), lambda lib: -A(lib, 3, 2)),
    "mask_int_list": _set((1, [True, False, True, False], [0, 1]), lambda lib: -A(lib, 2)),
    "float_into_int": _set(0, -2.7, "int64"), "double_tensor_into_float": _set(0, lambda lib: A(lib, 5, dtype=lib.float64) / 3),
    "empty_list": _set([], 1.0),
    "basic_shape_error": _set(slice(None), lambda lib: A(lib, 3)),
    "basic_too_many_dims": _set(0, lambda lib: A(lib, 2, 4, 5)),
    "advanced_shape_error": _set([0, 1], lambda lib: A(lib, 3)),
    "nan_into_int": _set(0, float("nan"), "int64"),
}


@pytest.mark.parametrize("name", list(SETS))
def test_setitem_matches_torch(name):
    same_as_torch(SETS[name])


def test_setitem_gradient_with_int_and_list_key():
    def grad(lib):
        x = A(lib, 3, 4, 5, dtype=lib.float64).requires_grad_()
        v = A(lib, 4, 2, dtype=lib.float64).requires_grad_()
        y = x * 1
        y[1, :, [0, 2]] = v * 2
        (y * A(lib, 3, 4, 5, dtype=lib.float64)).sum().backward()
        return x.grad, v.grad

    same_as_torch(grad)


# ---- in-place ops on views of graph tensors (PyTorch's CopySlices) -----------------------------------------
def _view_case(body):
    def fn(lib):
        x = A(lib, 3, 4, dtype=lib.float64).requires_grad_()
        v = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        out = body(lib, x, v)
        (out * A(lib, *out.shape, dtype=lib.float64)).sum().backward()
        return out, x.grad, v.grad

    return fn


def _mul_column(lib, x, v):
    y = x * 2
    y[:, 1].mul_(v)
    return y


def _chained_setitem(lib, x, v):
    y = x * 1
    y[1][2] = v[0] * 5
    y[0][::2] = v[:2]
    return y


def _transposed_view(lib, x, v):
    y = x * 2
    r = y.t()[1]
    r.add_(v)
    return y + r.sum()


def _plain_base_gets_history(lib, x, v):
    y = lib.zeros(3, 4, dtype=lib.float64)
    y[1][1:] = v
    return y * x


def _several_ops(lib, x, v):
    y = x * 1
    y[0].clamp_(2.0, 3.0)
    y[1].zero_()
    y[2].copy_(v[0])
    return y


VIEW_CASES = {f.__name__: f for f in (_mul_column, _chained_setitem, _transposed_view, _plain_base_gets_history,
                                      _several_ops)}


@pytest.mark.parametrize("name", list(VIEW_CASES))
def test_inplace_on_view_rewrites_base_history(name):
    same_as_torch(_view_case(VIEW_CASES[name]))


def test_inplace_on_view_node_and_version():
    x = minitorch.ones(3, 4, requires_grad=True)
    y = x * 1
    y[0].mul_(2)
    assert y.grad_fn.name() == "CopySlices" and y._version[0] == 1
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        x[0].mul_(2)


def test_inplace_on_view_double_backward():
    def fn(lib):
        x = A(lib, 2, 3, dtype=lib.float64).requires_grad_()
        y = x * x
        y[0].mul_(x[0])
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        g.sum().backward()
        return g, x.grad

    same_as_torch(fn)


# ---- gather / scatter / index_select / nonzero -------------------------------------------------------------
def _i(lib, v):
    return lib.tensor(v)


GATHER = {
    "gather_negative_index": lambda lib: A(lib, 3, 4).gather(1, _i(lib, [[-1], [1], [3]])),
    "gather_0d": lambda lib: lib.tensor(5.0).gather(0, _i(lib, 0)),
    "gather_float_index": lambda lib: A(lib, 3, 4).gather(1, lib.tensor([[0.0]])),
    "gather_index_too_big": lambda lib: A(lib, 3, 4).gather(1, _i(lib, [[0]] * 4)),
    "scatter_dtype_mismatch": lambda lib: lib.zeros(3, 4).scatter(1, _i(lib, [[0]]), lib.ones(1, 1, dtype=lib.float64)),
    "scatter_add_dtype_mismatch": lambda lib: lib.zeros(3, 4).scatter_add(1, _i(lib, [[0]]), lib.ones(1, 1).long()),
    "scatter_negative_index": lambda lib: lib.zeros(3, 4).scatter(1, _i(lib, [[-1]]), 1.0),
    "scatter_index_larger_than_src": lambda lib: lib.zeros(3, 4).scatter(1, _i(lib, [[0, 1]]), lib.ones(1, 1)),
    "index_select_0d_input": lambda lib: lib.tensor(2.0).index_select(0, _i(lib, [0])),
    "index_select_2d_index": lambda lib: A(lib, 3, 4).index_select(0, _i(lib, [[1]])),
    "index_select_float_index": lambda lib: A(lib, 3, 4).index_select(0, lib.tensor([1.0])),
    "index_select_out_of_range": lambda lib: A(lib, 3, 4).index_select(0, _i(lib, [3])),
    "nonzero_0d": lambda lib: [lib.tensor(3.0).nonzero(), lib.tensor(0.0).nonzero()],
    "nonzero_0d_tuple": lambda lib: lib.tensor(3.0).nonzero(as_tuple=True),
    "index_add_dtype": lambda lib: lib.zeros(3, 4).index_add_(0, _i(lib, [0]), A(lib, 1, 4, dtype=lib.float64)),
    "index_add_count": lambda lib: lib.zeros(3, 4).index_add_(0, _i(lib, [0]), A(lib, 2, 4)),
    "index_add_out_of_range": lambda lib: lib.zeros(3, 4).index_add_(0, _i(lib, [3]), A(lib, 1, 4)),
}


@pytest.mark.parametrize("name", list(GATHER))
def test_gather_scatter_edges_match_torch(name):
    same_as_torch(GATHER[name])


# ---- matrix products ----------------------------------------------------------------------------------------
LINALG = {
    "batch_dims_do_not_broadcast": lambda lib: A(lib, 2, 3, 4) @ A(lib, 3, 4, 2),
    "batched_inner_mismatch": lambda lib: A(lib, 4, 2, 3) @ A(lib, 4, 4, 5),
    "broadcast_batched_inner_mismatch": lambda lib: A(lib, 2, 1, 3, 4) @ A(lib, 5, 3, 2),
    "vector_matrix_mismatch": lambda lib: A(lib, 3) @ A(lib, 4, 5),
    "batched_matrix_vector_mismatch": lambda lib: A(lib, 2, 4, 3) @ A(lib, 4),
    "mv_needs_matrix_and_vector": lambda lib: lib.mv(A(lib, 2, 3), A(lib, 3, 1)),
    "dot_dtype": lambda lib: lib.dot(A(lib, 3), A(lib, 3, dtype=lib.float64)),
    "outer_2d": lambda lib: lib.outer(A(lib, 3), A(lib, 2, 1)),
    "addmm_beta_0_ignores_nan": lambda lib: lib.addmm(lib.full((2, 3), float("nan")), A(lib, 2, 3), A(lib, 3, 3), beta=0),
    "tril_keeps_inf": lambda lib: lib.tril(lib.full((3, 3), float("inf"))),
    "triu_keeps_nan": lambda lib: lib.triu(lib.full((2, 3), float("nan")), 1),
    "einsum_ellipsis_batch": lambda lib: lib.einsum("...ij,...jk->...ik", A(lib, 2, 1, 2, 3), A(lib, 4, 3, 2)),
    "einsum_ellipsis_implicit": lambda lib: lib.einsum("i...j", A(lib, 2, 3, 4)),
    "einsum_ellipsis_diagonal": lambda lib: lib.einsum("...ii->...i", A(lib, 2, 3, 3)),
    "einsum_ellipsis_broadcast": lambda lib: lib.einsum("...,...", A(lib, 2, 1), A(lib, 3)),
    "einsum_trace": lambda lib: lib.einsum("ii", A(lib, 3, 3)),
    "einsum_unknown_output": lambda lib: lib.einsum("ij->k", A(lib, 2, 3)),
    "einsum_repeated_output": lambda lib: lib.einsum("ij->ii", A(lib, 2, 2)),
    "einsum_size_mismatch": lambda lib: lib.einsum("ij,jk->ik", A(lib, 2, 3), A(lib, 4, 4)),
    "einsum_wrong_rank": lambda lib: lib.einsum("ij,jk->ik", A(lib, 2, 3, 1), A(lib, 3, 4)),
}


@pytest.mark.parametrize("name", list(LINALG))
def test_linalg_edges_match_torch(name):
    same_as_torch(LINALG[name])


def test_einsum_ellipsis_gradient():
    def fn(lib):
        a = A(lib, 2, 1, 2, 3, dtype=lib.float64).requires_grad_()
        b = A(lib, 4, 3, 2, dtype=lib.float64).requires_grad_()
        lib.einsum("...ij,...jk->...ik", a, b).pow(2).sum().backward()
        return a.grad, b.grad

    same_as_torch(fn)


def test_out_of_place_index_add_fill_take_match_torch():
    from minitorch.ops import indexing as ix

    def fn(lib):
        index_add, index_fill, take = (ix.index_add, ix.index_fill, ix.take) if lib is minitorch else (
            torch.index_add, torch.index_fill, torch.take)
        x = A(lib, 3, 4, dtype=lib.float64).requires_grad_()
        y = index_add(x, 0, _i(lib, [0, 0]), lib.ones(2, 4, dtype=lib.float64), alpha=3)
        z = index_fill(x, 1, _i(lib, [1]), -1.0)
        w = take(x, _i(lib, [[0, 11], [5, -1]]))
        (y.sum() + (z * z).sum() + w.sum()).backward()
        return y, z, w, x.grad

    same_as_torch(fn)
    same_as_torch(lambda lib: (ix.take if lib is minitorch else torch.take)(A(lib, 3, 4), _i(lib, [12])))


INDEX_WRITE_CASES = {
    "index_add_0d": lambda t: t.tensor(1.0).index_add(0, t.tensor([0]), t.tensor(2.0)),
    "index_fill_0d": lambda t: t.tensor(1.0).index_fill(0, t.tensor([0]), 5.0),
    "index_fill_float_index": lambda t: t.ones(2, 3).index_fill(1, t.tensor([0.0]), 5.0),
    "index_fill_int32_index": lambda t: t.ones(2, 3).index_fill(1, t.tensor([0], dtype=t.int32), 5.0),
    "index_fill_bad_dim": lambda t: t.ones(2, 3).index_fill(2, t.tensor([0]), 5.0),
    "index_fill_out_of_range": lambda t: t.ones(2, 3).index_fill(1, t.tensor([5]), 5.0),
    "index_add_bad_dim": lambda t: t.ones(2, 3).index_add(2, t.tensor([0]), t.ones(2, 1)),
    "index_add_float_index": lambda t: t.ones(2, 3).index_add(1, t.tensor([0.0]), t.ones(2, 1)),
    "index_add_int32_index": lambda t: t.ones(2, 3).index_add(1, t.tensor([0], dtype=t.int32), t.ones(2, 1)),
    "take_int32": lambda t: t.ones(3).take(t.tensor([0], dtype=t.int32)),
    "take_float": lambda t: t.ones(3).take(t.tensor([0.0])),
    "hstack_empty": lambda t: t.hstack([]),
    "vstack_empty": lambda t: t.vstack([]),
}


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name", list(INDEX_WRITE_CASES))
def test_index_writes_and_stacks_match_torch(name):
    torch = pytest.importorskip("torch")

    def outcome(lib):
        try:
            return INDEX_WRITE_CASES[name](lib).tolist()
        except Exception as e:  # noqa: BLE001 - the error is the outcome
            return type(e).__name__, str(e)

    assert outcome(minitorch) == outcome(torch)


def test_mT_of_a_0d_tensor_warns_and_is_the_identity():
    x = minitorch.tensor(2.0)
    with pytest.warns(UserWarning, match="Tensor.mT is deprecated on 0-D tensors"):
        assert x.mT is x
