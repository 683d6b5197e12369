"""Datasets: TensorDataset, Subset, ConcatDataset, ChainDataset, random_split (against PyTorch when installed)."""

import math

import numpy as np
import pytest

import minitorch
from minitorch.utils.data import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    random_split,
)


class Squares(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i * i


class Stream(IterableDataset):
    def __init__(self, items):
        self.items = items

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def test_dataset_base_getitem_raises_not_implemented():
    with pytest.raises(NotImplementedError, match="Subclasses of Dataset should implement __getitem__"):
        Dataset()[0]
    with pytest.raises(TypeError):
        len(Dataset())


def test_tensor_dataset_rows():
    x = minitorch.arange(12).reshape(4, 3)
    y = minitorch.tensor([0, 1, 0, 1])
    ds = TensorDataset(x, y)
    assert len(ds) == 4
    xi, yi = ds[2]
    assert xi.tolist() == [6, 7, 8] and yi.item() == 0
    assert isinstance(ds[2], tuple)
    assert ds[-1][0].tolist() == [9, 10, 11]
    assert ds.tensors[0] is x


def test_tensor_dataset_size_mismatch():
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(minitorch.zeros(3, 2), minitorch.zeros(4))


def test_subset_and_getitems():
    sub = Subset(Squares(10), [7, 3, 5])
    assert len(sub) == 3
    assert sub[0] == 49 and sub[1] == 9
    assert sub.__getitems__([2, 0]) == [25, 49]


def test_subset_of_subset_uses_getitems():
    inner = Subset(Squares(10), [9, 8, 7, 6])
    outer = Subset(inner, [3, 0])
    assert outer.__getitems__([0, 1]) == [36, 81]


def test_concat_dataset_indexing_and_cumulative_sizes():
    ds = ConcatDataset([Squares(3), Squares(2), Squares(4)])
    assert ds.cumulative_sizes == [3, 5, 9]
    assert len(ds) == 9
    assert [ds[i] for i in range(9)] == [0, 1, 4, 0, 1, 0, 1, 4, 9]
    assert ds[-1] == 9 and ds[-9] == 0 and ds[-6] == 0
    with pytest.raises(ValueError, match="absolute value of index should not exceed dataset length"):
        ds[-10]
    with pytest.raises(IndexError):
        ds[9]


def test_concat_dataset_errors():
    with pytest.raises(AssertionError, match="datasets should not be an empty iterable"):
        ConcatDataset([])
    with pytest.raises(AssertionError, match="does not support IterableDataset"):
        ConcatDataset([Stream([1])])


def test_add_concatenates_and_chains():
    both = Squares(2) + Squares(3)
    assert isinstance(both, ConcatDataset) and [both[i] for i in range(5)] == [0, 1, 0, 1, 4]
    chained = Stream([1, 2]) + Stream([3])
    assert isinstance(chained, ChainDataset)
    assert list(chained) == [1, 2, 3] and len(chained) == 3


def test_chain_dataset_rejects_map_style():
    with pytest.raises(AssertionError, match="ChainDataset only supports IterableDataset"):
        list(ChainDataset([Squares(2)]))


def _split_indices(parts):
    return [list(p.indices) for p in parts]


def test_random_split_lengths_partition():
    g = minitorch.Generator().manual_seed(0)
    parts = random_split(range(10), [3, 7], generator=g)
    a, b = _split_indices(parts)
    assert len(a) == 3 and len(b) == 7
    assert sorted(a + b) == list(range(10))
    assert parts[0].dataset == range(10)


def test_random_split_reproducible_with_generator_and_manual_seed():
    g1, g2 = minitorch.Generator().manual_seed(5), minitorch.Generator().manual_seed(5)
    assert _split_indices(random_split(range(20), [5, 15], generator=g1)) == \
        _split_indices(random_split(range(20), [5, 15], generator=g2))
    minitorch.manual_seed(3)
    first = _split_indices(random_split(range(20), [5, 15]))
    minitorch.manual_seed(3)
    assert _split_indices(random_split(range(20), [5, 15])) == first


@pytest.mark.parametrize("n, fractions", [(10, [0.3, 0.3, 0.4]), (11, [0.5, 0.5]), (7, [0.2, 0.2, 0.6]),
                                          (30, [0.1] * 10), (5, [1 / 3, 1 / 3, 1 / 3])])
def test_random_split_fractions_lengths_match_torch(n, fractions):
    # floor(frac * n) each, remainder handed out round-robin from the first split.
    expected = [math.floor(n * f) for f in fractions]
    for i in range(n - sum(expected)):
        expected[i % len(expected)] += 1
    parts = random_split(range(n), fractions, generator=minitorch.Generator().manual_seed(0))
    assert [len(p) for p in parts] == expected
    torch = pytest.importorskip("torch")
    tparts = torch.utils.data.random_split(range(n), fractions, generator=torch.Generator().manual_seed(0))
    assert [len(p) for p in tparts] == expected


def test_random_split_errors_and_warning():
    with pytest.raises(ValueError, match="Sum of input lengths does not equal the length of the input dataset!"):
        random_split(range(10), [3, 3])
    with pytest.raises(ValueError, match="Fraction at index 1 is not between 0 and 1"):
        random_split(range(10), [0.5, 1.5, -1.0])
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(range(2), [0.9, 0.1])


def test_random_split_errors_match_torch_types():
    torch = pytest.importorskip("torch")
    for lengths in ([3, 3], [1.5, -0.5]):
        with pytest.raises(ValueError):
            torch.utils.data.random_split(range(10), lengths)
        with pytest.raises(ValueError):
            random_split(range(10), lengths)


def test_tensor_dataset_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.arange(24, dtype=np.float32).reshape(6, 4)
    y = np.arange(6)
    ours = TensorDataset(minitorch.from_numpy(x), minitorch.from_numpy(y))
    theirs = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    for i in (0, 3, -1):
        for a, b in zip(ours[i], theirs[i]):
            np.testing.assert_array_equal(a.numpy(), b.numpy())
            assert str(a.dtype).replace("minitorch", "torch") == str(b.dtype)
