"""nn.functional pieces without a layer of their own: one_hot, pad, normalize, cosine_similarity."""

import numpy as np
import pytest

import minitorch
from minitorch.nn import functional as F

from ._util import compare_fn, gradcheck, torch_or_skip

RNG = np.random.default_rng(0)


def test_one_hot_values_dtype_and_errors():
    out = F.one_hot(minitorch.tensor([[0, 2], [1, 1]]), 4)
    assert out.dtype is minitorch.int64 and tuple(out.shape) == (2, 2, 4)
    np.testing.assert_array_equal(out.numpy(), np.eye(4, dtype=np.int64)[[[0, 2], [1, 1]]])
    assert tuple(F.one_hot(minitorch.tensor([3, 0])).shape) == (2, 4)
    torch = torch_or_skip()
    for args in [([1.0],), ([1, 5], 3), ([-1],)]:
        data, *rest = args
        with pytest.raises(RuntimeError) as e_t:
            torch.nn.functional.one_hot(torch.tensor(data), *rest)
        with pytest.raises(RuntimeError) as e_m:
            F.one_hot(minitorch.tensor(data), *rest)
        assert str(e_m.value) == str(e_t.value)


PAD_CASES = [
    ((2, 3), (1, 2), "constant"), ((2, 3, 4), (1, 0, 2, 1), "constant"), ((2, 3, 4), (-1, 2, 0, -1), "constant"),
    ((1, 2, 5), (2, 3), "reflect"), ((1, 2, 3, 4), (1, 2, 2, 1), "reflect"), ((1, 2, 4), (3, 1), "replicate"),
    ((1, 1, 3, 3), (2, 2, 1, 0), "replicate"), ((1, 2, 4), (2, 3), "circular"),
]


@pytest.mark.parametrize("shape,pad,mode", PAD_CASES)
def test_pad_vs_torch(shape, pad, mode):
    torch = torch_or_skip()
    kw = {"value": 1.5} if mode == "constant" else {}
    compare_fn(lambda x: F.pad(x, pad, mode=mode, **kw), lambda x: torch.nn.functional.pad(x, pad, mode=mode, **kw),
               [RNG.standard_normal(shape)], atol=1e-12)


def test_pad_gradcheck_and_errors():
    assert gradcheck(lambda x: F.pad(x, (1, -1, 2, 0)), RNG.standard_normal((2, 3)))
    assert gradcheck(lambda x: F.pad(x, (2, 1), mode="reflect"), RNG.standard_normal((1, 1, 4)))
    torch = torch_or_skip()
    for pad, mode, shape in [((1,), "constant", (2, 3)), ((1, 1, 1, 1, 1, 1), "constant", (2, 3)),
                             ((3, 3), "reflect", (1, 2, 3))]:
        with pytest.raises(RuntimeError) as e_t:
            torch.nn.functional.pad(torch.zeros(shape), pad, mode=mode)
        with pytest.raises(RuntimeError) as e_m:
            F.pad(minitorch.zeros(*shape), pad, mode=mode)
        assert str(e_m.value) == str(e_t.value)


def test_normalize_and_cosine_similarity_vs_torch():
    torch = torch_or_skip()
    compare_fn(lambda x: F.normalize(x, dim=1), lambda x: torch.nn.functional.normalize(x, dim=1),
               [RNG.standard_normal((3, 4))], atol=1e-12)
    compare_fn(lambda x: F.normalize(x, p=1, dim=0), lambda x: torch.nn.functional.normalize(x, p=1, dim=0),
               [RNG.standard_normal((3, 4))], atol=1e-12)
    compare_fn(F.cosine_similarity, torch.nn.functional.cosine_similarity,
               [RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))], atol=1e-10)


def test_softmax_family_functional_vs_torch():
    torch = torch_or_skip()
    x = RNG.standard_normal((2, 3, 4))
    for dim in (0, 1, -1):
        compare_fn(lambda a: F.log_softmax(a, dim), lambda a: torch.nn.functional.log_softmax(a, dim), [x],
                   atol=1e-12)
        compare_fn(lambda a: F.softmin(a, dim), lambda a: torch.nn.functional.softmin(a, dim), [x], atol=1e-12)
