"""Samplers: order, coverage, lengths, seeding and PyTorch's argument errors."""

import collections

import pytest

import minitorch
from minitorch.utils.data import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)


def test_sequential_sampler():
    s = SequentialSampler(range(5))
    assert list(s) == [0, 1, 2, 3, 4] and len(s) == 5


def test_random_sampler_is_a_permutation_each_epoch():
    minitorch.manual_seed(0)
    s = RandomSampler(range(50))
    first, second = list(s), list(s)
    assert sorted(first) == sorted(second) == list(range(50))
    assert first != second  # a fresh seed is drawn for every epoch
    assert len(s) == 50


def test_random_sampler_manual_seed_reproduces():
    minitorch.manual_seed(7)
    a = [list(RandomSampler(range(20))) for _ in range(3)]
    minitorch.manual_seed(7)
    b = [list(RandomSampler(range(20))) for _ in range(3)]
    assert a == b


def test_random_sampler_draws_its_seed_from_the_default_generator():
    # Drawing the seed advances minitorch's default RNG (as PyTorch's does).
    minitorch.manual_seed(1)
    list(RandomSampler(range(4)))
    after = minitorch.rand(1).item()
    minitorch.manual_seed(1)
    assert minitorch.rand(1).item() != after


def test_random_sampler_with_generator_ignores_default_rng():
    g = minitorch.Generator().manual_seed(3)
    a = list(RandomSampler(range(10), generator=g))
    g.manual_seed(3)
    minitorch.manual_seed(99)
    assert list(RandomSampler(range(10), generator=g)) == a


def test_random_sampler_num_samples_without_replacement():
    s = RandomSampler(range(4), num_samples=10, generator=minitorch.Generator().manual_seed(0))
    out = list(s)
    assert len(out) == len(s) == 10
    assert sorted(out[:4]) == sorted(out[4:8]) == [0, 1, 2, 3]  # whole permutations first
    assert len(set(out[8:])) == 2


def test_random_sampler_with_replacement():
    s = RandomSampler(range(3), replacement=True, num_samples=100, generator=minitorch.Generator().manual_seed(0))
    out = list(s)
    assert len(out) == 100 and set(out) == {0, 1, 2}


@pytest.mark.parametrize("kwargs, exc", [({"replacement": 1}, TypeError), ({"num_samples": 0}, ValueError),
                                         ({"num_samples": 2.5}, ValueError), ({"num_samples": -1}, ValueError)])
def test_random_sampler_argument_errors_match_torch(kwargs, exc):
    with pytest.raises(exc):
        RandomSampler(range(3), **kwargs)
    torch = pytest.importorskip("torch")
    with pytest.raises(exc):
        torch.utils.data.RandomSampler(range(3), **kwargs)


def test_random_sampler_empty_dataset_error_message():
    with pytest.raises(ValueError, match="num_samples should be a positive integer value, but got num_samples=0"):
        RandomSampler([])


def test_subset_random_sampler():
    idx = [10, 20, 30, 40]
    s = SubsetRandomSampler(idx, generator=minitorch.Generator().manual_seed(0))
    out = list(s)
    assert sorted(out) == idx and len(s) == 4
    minitorch.manual_seed(4)
    a = list(SubsetRandomSampler(idx))
    minitorch.manual_seed(4)
    assert list(SubsetRandomSampler(idx)) == a


def test_weighted_random_sampler_frequencies():
    w = [0.1, 0.0, 0.9]
    s = WeightedRandomSampler(w, 2000, generator=minitorch.Generator().manual_seed(0))
    counts = collections.Counter(s)
    assert counts[1] == 0 and 1650 < counts[2] < 1950 and len(s) == 2000


def test_weighted_random_sampler_without_replacement():
    g = minitorch.Generator().manual_seed(0)
    s = WeightedRandomSampler([1.0, 2.0, 3.0, 4.0], 4, replacement=False, generator=g)
    assert sorted(s) == [0, 1, 2, 3]
    assert s.weights.dtype == minitorch.float64


@pytest.mark.parametrize("args, kwargs", [(([1.0, 2.0], 0), {}), (([1.0, 2.0], True), {}),
                                          (([1.0, 2.0], 2), {"replacement": 1}), (([[1.0], [2.0]], 2), {})])
def test_weighted_random_sampler_errors_match_torch(args, kwargs):
    with pytest.raises(ValueError):
        WeightedRandomSampler(*args, **kwargs)
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.utils.data.WeightedRandomSampler(*args, **kwargs)


def test_weighted_random_sampler_shape_message():
    with pytest.raises(ValueError, match=r"weights should be a 1d sequence but given weights have shape \(2, 1\)"):
        WeightedRandomSampler([[1.0], [2.0]], 2)


@pytest.mark.parametrize("n, bs, drop_last", [(10, 3, False), (10, 3, True), (9, 3, True), (2, 5, False),
                                              (2, 5, True), (0, 2, False)])
def test_batch_sampler_matches_torch(n, bs, drop_last):
    ours = BatchSampler(SequentialSampler(range(n)), bs, drop_last)
    expected = [list(range(i, min(i + bs, n))) for i in range(0, n, bs)]
    if drop_last:
        expected = [b for b in expected if len(b) == bs]
    assert list(ours) == expected and len(ours) == len(expected)
    torch = pytest.importorskip("torch")
    theirs = torch.utils.data.BatchSampler(torch.utils.data.SequentialSampler(range(n)), bs, drop_last)
    assert list(theirs) == expected and len(theirs) == len(ours)


def test_batch_sampler_accepts_plain_iterables():
    assert list(BatchSampler(range(5), 2, False)) == [[0, 1], [2, 3], [4]]


@pytest.mark.parametrize("bs, drop_last", [(0, False), (-1, False), (2.0, False), (True, False), (2, 1), (2, None)])
def test_batch_sampler_errors_match_torch(bs, drop_last):
    with pytest.raises(ValueError):
        BatchSampler(range(4), bs, drop_last)
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.utils.data.BatchSampler(range(4), bs, drop_last)


def test_batch_sampler_messages():
    with pytest.raises(ValueError, match="batch_size should be a positive integer value, but got batch_size=0"):
        BatchSampler(range(4), 0, False)
    with pytest.raises(ValueError, match="drop_last should be a boolean value, but got drop_last=1"):
        BatchSampler(range(4), 2, 1)


def test_custom_sampler_subclass():
    class Evens(Sampler):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(0, self.n, 2))

        def __len__(self):
            return (self.n + 1) // 2

    assert list(BatchSampler(Evens(7), 2, False)) == [[0, 2], [4, 6]]
    with pytest.raises(NotImplementedError):
        iter(Sampler())
