"""Shape ops: which results are views (shared memory and version counter), and view/reshape semantics.

Values and gradients of every shape op are in the op table (test_ops.py);
this file tests what the table cannot: memory sharing and PyTorch's rules on
when ``view`` is allowed.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitorch

VIEW_MSG = "view size is not compatible with input tensor's size and stride"

# ops that PyTorch implements as views of their input
VIEWS = {
    "view": lambda x: x.view(4, 6), "reshape_contiguous": lambda x: x.reshape(2, 12), "view_as": lambda x: x.view_as(
        minitorch.zeros(6, 4)), "flatten": lambda x: x.flatten(), "unflatten": lambda x: x.unflatten(1, (2, 3)),
    "transpose": lambda x: x.transpose(0, 1), "permute": lambda x: x.permute(1, 0), "t": lambda x: x.t(),
    "T": lambda x: x.T, "mT": lambda x: x.mT, "squeeze": lambda x: x.unsqueeze(0).squeeze(0),
    "unsqueeze": lambda x: x.unsqueeze(1),
    "narrow": lambda x: x.narrow(1, 2, 3), "select": lambda x: x.select(0, 1), "slice": lambda x: x[1:, ::2],
    "split": lambda x: x.split(2)[1], "chunk": lambda x: x.chunk(2, 1)[0], "unbind": lambda x: x.unbind(1)[3],
    "detach": lambda x: x.detach(), "getitem_none": lambda x: x[None, ..., 0],
}
# ops that return new memory
COPIES = {
    "reshape_noncontiguous": lambda x: x.t().reshape(24), "clone": lambda x: x.clone(), "flip": lambda x: x.flip(0),
    "repeat": lambda x: x.repeat(1, 1), "cat": lambda x: minitorch.cat([x]), "stack": lambda x: minitorch.stack([x]),
    "advanced_index": lambda x: x[[0, 1]], "contiguous_of_t": lambda x: x.t().contiguous(),
}


def _first_element_of(y):
    """Index of an element of ``y`` (any shape, maybe 0-d)."""
    return (0,) * y.ndim


@pytest.mark.parametrize("name", list(VIEWS))
def test_views_share_memory_and_version(name):
    x = minitorch.arange(24.0).reshape(4, 6)
    y = VIEWS[name](x)
    assert y._version is x._version, "a view shares its base's version counter"
    before = x.numpy().copy()
    y[_first_element_of(y)] = -100.0
    assert (x.numpy() == -100.0).sum() == 1, "writing through the view changes the base"
    assert x._version[0] > 0
    assert (x.numpy() != before).sum() == 1


@pytest.mark.parametrize("name", list(COPIES))
def test_copies_do_not_share_memory(name):
    x = minitorch.arange(24.0).reshape(4, 6)
    y = COPIES[name](x)
    y[_first_element_of(y)] = -100.0
    assert (x.numpy() == -100.0).sum() == 0


@pytest.mark.parametrize("name", ["view", "transpose", "slice", "narrow", "unsqueeze"])
def test_views_match_torch_is_view(name):
    torch = pytest.importorskip("torch")
    x = torch.arange(24.0).reshape(4, 6)
    y = VIEWS[name](x) if name != "view" else x.view(4, 6)
    assert y._base is x or y._base is x._base


def test_view_of_non_contiguous_raises_torch_message():
    x = minitorch.arange(12.0).reshape(3, 4).t()
    assert not x.is_contiguous()
    with pytest.raises(RuntimeError, match=VIEW_MSG):
        x.view(12)
    assert x.reshape(12).tolist() == x.contiguous().view(12).tolist()  # reshape copies instead
    assert x.view(4, 3).shape == (4, 3)  # a view with the same shape is fine
    assert x.unsqueeze(0).view(4, 3).shape == (4, 3)


def test_view_raises_like_torch():
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):
        x = lib.arange(24.0).reshape(2, 3, 4).transpose(1, 2)  # (2, 4, 3), not contiguous
        with pytest.raises(RuntimeError, match=VIEW_MSG):
            x.view(2, 12)
        assert tuple(x.view(2, 4, 3).shape) == (2, 4, 3)
        y = lib.arange(24.0).reshape(2, 3, 4)[:, :, :2]  # slicing the last dim: rows are not contiguous
        with pytest.raises(RuntimeError, match=VIEW_MSG):
            y.view(12)
        assert tuple(y.view(6, 2).shape) == (6, 2)  # merging dims 0 and 1 is still a view


def test_contiguous_strides_like_torch():
    torch = pytest.importorskip("torch")
    for make in (lambda t: t.arange(24.0).reshape(2, 3, 4), lambda t: t.arange(24.0).reshape(2, 3, 4).transpose(0, 2),
                 lambda t: t.arange(24.0).reshape(2, 3, 4)[:, ::2], lambda t: t.ones(3, 1).expand(3, 4)):
        a, b = make(minitorch), make(torch)
        assert a.is_contiguous() == b.is_contiguous()
        assert a.stride() == b.stride()
        assert a.contiguous().is_contiguous()


def test_writing_into_an_expanded_tensor_raises():
    torch = pytest.importorskip("torch")
    for lib in (minitorch, torch):
        y = lib.zeros(3, 1).expand(3, 4)
        with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
            y.add_(1)


def test_expand_does_not_copy_and_its_gradient_sums():
    x = minitorch.tensor([[1.0], [2.0]], requires_grad=True)
    y = x.expand(2, 3)
    assert y.stride() == (1, 0)
    (y * minitorch.tensor([[1.0, 2.0, 3.0]])).sum().backward()
    assert x.grad.tolist() == [[6.0], [6.0]]


def test_split_chunk_unbind_match_torch():
    torch = pytest.importorskip("torch")
    x = np.arange(35.0).reshape(5, 7)
    for fn in (lambda t: t.split(2), lambda t: t.split(3, dim=1), lambda t: t.split([1, 4]),
               lambda t: t.chunk(3), lambda t: t.chunk(4, 1), lambda t: t.chunk(7), lambda t: t.unbind(1),
               lambda t: t.tensor_split(3, dim=1) if hasattr(t, "tensor_split") else ()):
        a, b = fn(minitorch.tensor(x)), fn(torch.tensor(x))
        assert len(a) == len(b)
        for p, q in zip(a, b):
            np.testing.assert_array_equal(p.numpy(), q.numpy())


def test_shape_op_results_match_torch():
    torch = pytest.importorskip("torch")
    x = np.arange(24.0).reshape(2, 3, 4)
    fns = [lambda t: t.squeeze(), lambda t: t.unsqueeze(-1).squeeze(-1), lambda t: t.flatten(1),
           lambda t: t.permute(2, 0, 1).reshape(4, -1), lambda t: t.repeat(2, 1, 1, 2), lambda t: t.flip(0, 2),
           lambda t: t.transpose(0, 2).contiguous().view(-1), lambda t: t.movedim(-1, 0), lambda t: t.roll(2, 2),
           lambda t: t.expand(3, 2, 3, 4), lambda t: t.unflatten(2, (2, 2)), lambda t: t[:, None].squeeze(1),
           lambda t: t.reshape(2, 3, 2, 2).sum((1, 3)), lambda t: t.swapaxes(0, 1), lambda t: t.narrow(-1, 1, 2)]
    for i, fn in enumerate(fns):
        a, b = fn(minitorch.tensor(x)), fn(torch.tensor(x))
        assert tuple(a.shape) == tuple(b.shape), i
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=str(i))


def test_size_numel_dim():
    x = minitorch.zeros(2, 3, 4)
    assert x.size() == (2, 3, 4) and x.size(-1) == 4 and x.shape[1] == 3
    assert x.numel() == 24 and x.dim() == 3 and x.ndim == 3
    assert isinstance(x.shape, tuple)
    with pytest.raises(IndexError):
        x.size(3)


def test_repeat_interleave_matches_torch():
    torch = pytest.importorskip("torch")
    a = np.arange(6.0).reshape(2, 3)
    for kwargs in ({"repeats": 2}, {"repeats": 2, "dim": 1}, {"repeats": [1, 3], "dim": 0}):
        x, tx = minitorch.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
        reps = kwargs.pop("repeats")
        treps = torch.tensor(reps) if isinstance(reps, list) else reps
        y, ty = x.repeat_interleave(reps if isinstance(reps, int) else minitorch.tensor(reps), **kwargs), \
            tx.repeat_interleave(treps, **kwargs)
        np.testing.assert_array_equal(y.detach().numpy(), ty.detach().numpy())
        w = np.arange(y.numel(), dtype=np.float64).reshape(tuple(y.shape))
        (y * minitorch.tensor(w)).sum().backward()
        (ty * torch.tensor(w)).sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())


# ---- edge cases compared with PyTorch: 0-d and empty inputs, argument errors -----------------
A = np.arange(6, dtype=np.float32).reshape(2, 3)
A3 = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
S = np.array(1.5, np.float32)
E = np.zeros((0, 3), np.float32)

EDGE_RESULTS = [
    ("flip_0d", S, lambda m, t: t.flip(0)),
    ("roll_pairs", A, lambda m, t: t.roll((1, 2), (0, 1))),
    ("roll_flat", A, lambda m, t: t.roll(-4)),
    ("hstack_0d", S, lambda m, t: m.hstack([t, t])),
    ("vstack_1d", A, lambda m, t: m.vstack([t[0], t[1]])),
    ("chunk_empty_gives_chunks_pieces", E, lambda m, t: t.chunk(2)),
    ("chunk_uneven", A, lambda m, t: m.arange(6).chunk(4)),
    ("split_sizes", A, lambda m, t: t.split([1, 2], 1)),
    ("split_bigger_than_dim", A, lambda m, t: t.split(10, 1)),
    ("narrow_negative_start", A, lambda m, t: t.narrow(1, -2, 2)),
    ("narrow_start_at_end", A, lambda m, t: t.narrow(1, 3, 0)),
    ("split_keyword_split_size", A, lambda m, t: t.split(split_size=2, dim=1)),
    ("movedim_tuples", A3, lambda m, t: t.movedim((0, 1), (2, 0))),
    ("transpose_0d", S, lambda m, t: t.transpose(0, -1)),
    ("flatten_0d", S, lambda m, t: t.flatten(0, -1)),
    ("unflatten_infer", A3, lambda m, t: t.unflatten(-1, (2, -1))),
    ("squeeze_tuple", A, lambda m, t: t.view(1, 2, 1, 3).squeeze((0, 2))),
    ("squeeze_non_one_is_noop", A, lambda m, t: t.squeeze(0)),
    ("expand_new_leading", A, lambda m, t: t.expand(2, -1, 3)),
    ("cat_promotes", A, lambda m, t: m.cat([t.int(), t.bool()])),
    ("cat_skips_empty_1d", A, lambda m, t: m.cat([m.tensor([]), t], 1)),
    ("repeat_zero", A, lambda m, t: t.repeat(0, 2)),
]

EDGE_ERRORS = [
    ("view_bad_size", A, lambda m, t: t.view(2, 5)),
    ("view_negative_size", A, lambda m, t: t.view(-2, 3)),
    ("view_empty_ambiguous", E, lambda m, t: t.view(0, -1)),
    ("flatten_0d_out_of_range", S, lambda m, t: t.flatten(1)),
    ("flatten_start_after_end", A3, lambda m, t: t.flatten(2, 1)),
    ("unflatten_bad_sizes", A3, lambda m, t: t.unflatten(1, (2, 2))),
    ("unflatten_no_sizes", A3, lambda m, t: t.unflatten(1, ())),
    ("transpose_0d_out_of_range", S, lambda m, t: t.transpose(0, 1)),
    ("permute_duplicate", A3, lambda m, t: t.permute(0, 0, 1)),
    ("t_3d", A3, lambda m, t: t.t()),
    ("expand_mismatch", A, lambda m, t: t.expand(3, 3)),
    ("expand_leading_minus_one", A, lambda m, t: t.expand(-1, 2, 3)),
    ("repeat_negative", A, lambda m, t: t.repeat(-1, 2)),
    ("repeat_too_few", A, lambda m, t: t.repeat(2)),
    ("stack_empty_list", A, lambda m, t: m.stack([])),
    ("stack_shapes", A, lambda m, t: m.stack([t, t[:, :2]])),
    ("cat_shapes", A, lambda m, t: m.cat([t, t[:, :2]], 0)),
    ("cat_0d", S, lambda m, t: m.cat([t, t])),
    ("split_negative", A, lambda m, t: t.split(-1, 1)),
    ("split_sizes_do_not_sum", A, lambda m, t: t.split([1, 1], 1)),
    ("split_negative_sizes", A, lambda m, t: t.split([4, -1], 1)),
    ("split_0d", S, lambda m, t: t.split(1)),
    ("chunk_0d", S, lambda m, t: t.chunk(1)),
    ("chunk_zero", A, lambda m, t: t.chunk(0)),
    ("unbind_0d", S, lambda m, t: t.unbind()),
    ("narrow_0d", S, lambda m, t: t.narrow(0, 0, 1)),
    ("select_0d", S, lambda m, t: t.select(0, 0)),
    ("narrow_negative_length", A, lambda m, t: t.narrow(1, 0, -1)),
    ("narrow_start_out_of_range", A, lambda m, t: t.narrow(1, 4, 0)),
    ("narrow_too_long", A, lambda m, t: t.narrow(1, 2, 2)),
    ("movedim_repeated", A3, lambda m, t: t.movedim((0, 0), (1, 2))),
    ("movedim_lengths", A3, lambda m, t: t.movedim((0, 1), (1,))),
    ("roll_misaligned", A, lambda m, t: t.roll((1, 2), (0,))),
    ("roll_tuple_without_dims", A, lambda m, t: t.roll((1, 2))),
    ("roll_dim_out_of_range", A, lambda m, t: t.roll(1, 2)),
]


def _results(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


@pytest.mark.parametrize("name,x,fn", EDGE_RESULTS, ids=[c[0] for c in EDGE_RESULTS])
def test_shape_edge_case_matches_torch(name, x, fn):
    torch = pytest.importorskip("torch")
    got, want = _results(fn(minitorch, minitorch.tensor(x))), _results(fn(torch, torch.tensor(x)))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert tuple(g.shape) == tuple(w.shape) and str(g.dtype).split(".")[-1] == str(w.dtype).split(".")[-1]
        np.testing.assert_array_equal(g.numpy(), w.numpy())


@pytest.mark.parametrize("name,x,fn", EDGE_ERRORS, ids=[c[0] for c in EDGE_ERRORS])
def test_shape_error_matches_torch(name, x, fn):
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception) as want:
        fn(torch, torch.tensor(x))
    with pytest.raises(want.type) as got:
        fn(minitorch, minitorch.tensor(x))
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize("name,fn", [
    ("flip_0d", lambda t: t.flip(0)), ("roll", lambda t: t.roll(1)), ("cumsum_0d", lambda t: t.cumsum(0)),
    ("hstack_0d", lambda t: minitorch.hstack([t, t * 2])), ("transpose_0d", lambda t: t.transpose(0, 0)),
])
def test_0d_shape_ops_backward(name, fn):
    t = minitorch.tensor(2.0, requires_grad=True)
    fn(t).sum().backward()
    assert t.grad.shape == () and t.grad.item() == {"hstack_0d": 3.0}.get(name, 1.0)


def test_chunk_of_empty_dim_returns_chunks_empty_pieces():
    pieces = minitorch.zeros(0, 3).chunk(3)
    assert len(pieces) == 3 and all(p.shape == (0, 3) for p in pieces)
