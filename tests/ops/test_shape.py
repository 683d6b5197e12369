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
