"""Embedding: lookup vs PyTorch, padding_idx (zero init, zero grad), duplicates, max_norm, from_pretrained."""

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn import functional as F

from ._util import copy_weights, torch_or_skip, torch_repr


@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 1}, {"padding_idx": -1}, {"scale_grad_by_freq": True},
                                    {"max_norm": 1.0}])
def test_embedding_vs_torch(kwargs):
    torch = torch_or_skip()
    mm, tm = nn.Embedding(6, 3, **kwargs), torch.nn.Embedding(6, 3, **kwargs)
    copy_weights(mm, tm)
    idx = np.array([[0, 1, 1], [5, 2, 1]])
    out_m, out_t = mm(minitorch.tensor(idx)), tm(torch.tensor(idx))
    np.testing.assert_allclose(out_m.detach().numpy(), out_t.detach().numpy(), rtol=1e-6)
    g = np.random.default_rng(0).standard_normal((2, 3, 3)).astype(np.float32)
    out_m.backward(minitorch.tensor(g))
    out_t.backward(torch.tensor(g))
    np.testing.assert_allclose(mm.weight.grad.numpy(), tm.weight.grad.numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(mm.weight.detach().numpy(), tm.weight.detach().numpy(), rtol=1e-6)  # max_norm
    assert repr(mm) == repr(tm)
    assert out_m.grad_fn.name() == out_t.grad_fn.name()


def test_padding_row_starts_at_zero_and_gets_no_grad():
    e = nn.Embedding(4, 2, padding_idx=2)
    assert np.all(e.weight.detach().numpy()[2] == 0)
    e(minitorch.tensor([2, 2, 0])).sum().backward()
    np.testing.assert_array_equal(e.weight.grad.numpy(), [[1, 1], [0, 0], [0, 0], [0, 0]])


def test_embedding_errors_match_torch():
    torch = torch_or_skip()
    for idx in ([3], [1.0]):
        with pytest.raises(Exception) as e_t:
            torch.nn.Embedding(3, 2)(torch.tensor(idx))
        with pytest.raises(type(e_t.value)) as e_m:
            nn.Embedding(3, 2)(minitorch.tensor(idx))
        assert str(e_m.value) == torch_repr(str(e_t.value))


def test_from_pretrained_shares_and_freezes():
    w = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])
    e = nn.Embedding.from_pretrained(w)
    assert not e.weight.requires_grad and np.shares_memory(e.weight.detach().numpy(), w.numpy())
    assert e(minitorch.tensor([1])).tolist() == [[3.0, 4.0]]
    assert nn.Embedding.from_pretrained(w, freeze=False).weight.requires_grad


def test_embedding_gradcheck():
    w = minitorch.tensor(np.random.default_rng(0).standard_normal((4, 3)), requires_grad=True)
    idx = minitorch.tensor([[0, 3], [3, 1]])
    # (padding_idx deliberately withholds the true gradient of its row, so it is not gradchecked)
    assert minitorch.autograd.gradcheck(lambda w: F.embedding(idx, w), (w,))
    assert minitorch.autograd.gradcheck(lambda w: F.embedding(idx, w, scale_grad_by_freq=False) * 2, (w,))
