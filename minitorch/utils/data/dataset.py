"""Datasets: where samples come from.

A *map-style* dataset answers ``dataset[i]`` for ``0 <= i < len(dataset)``;
the DataLoader asks a sampler which ``i`` to fetch. An *iterable-style*
dataset (``IterableDataset``) is a stream: the DataLoader just iterates it.

>>> ds = TensorDataset(minitorch.arange(6).reshape(3, 2), minitorch.tensor([0, 1, 0]))
>>> ds[1]
(tensor([2, 3]), tensor(1))
>>> train, val = random_split(ds, [2, 1], generator=minitorch.Generator().manual_seed(0))
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
import warnings
from typing import Iterable, Iterator, Sequence

from ..._random import default_generator
from ..._tensor import Tensor, _view_of
from ...ops.random import randperm

__all__ = [
    "Dataset", "IterableDataset", "TensorDataset", "StackDataset", "Subset", "ConcatDataset", "ChainDataset",
    "random_split",
]


class Dataset:
    """A map from keys (usually ``0..len-1``) to samples. Subclasses define ``__getitem__`` and ``__len__``.

    >>> class Squares(Dataset):
    ...     def __len__(self): return 10
    ...     def __getitem__(self, i): return i * i
    >>> (Squares() + Squares())[12]      # ``+`` concatenates
    4
    """

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    # No default __len__: ``len()`` of a dataset without one raises TypeError, as in Python.

    def __add__(self, other: "Dataset") -> "ConcatDataset":
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """A stream of samples: subclasses define ``__iter__``.

    With ``num_workers > 0`` every worker iterates its own copy; use
    ``get_worker_info()`` inside ``__iter__`` to give each worker its share.

    >>> class Count(IterableDataset):
    ...     def __iter__(self): return iter(range(3))
    >>> list(Count() + Count())
    [0, 1, 2, 0, 1, 2]
    """

    def __iter__(self) -> Iterator:
        raise NotImplementedError("Subclasses of IterableDataset should implement __iter__.")

    def __add__(self, other: "Dataset") -> "ChainDataset":
        return ChainDataset([self, other])


class TensorDataset(Dataset):
    """Samples are rows: ``dataset[i] == tuple(t[i] for t in tensors)``.

    >>> ds = TensorDataset(minitorch.zeros(4, 3), minitorch.arange(4))
    >>> len(ds), ds[2][1]
    (4, tensor(2))
    """

    def __init__(self, *tensors: Tensor) -> None:
        if any(tensors[0].size(0) != t.size(0) for t in tensors):
            sizes = [t.size(0) for t in tensors]
            raise AssertionError(f"Size mismatch between tensors: first dimensions are {sizes}")
        self.tensors = tensors

    def __getitem__(self, index):
        # BEGIN SOLUTION 5.1
        # HINT: sample i is the tuple (t[i] for t in self.tensors)
        n = self.tensors[0]._data.shape[0]
        if type(index) is int and -n <= index < n and not any(t._rg for t in self.tensors):
            # Fast path: the DataLoader calls this once per sample. For an int row of tensors that need no
            # grad, ``t[index]`` is a view of row ``index`` (what _view_of makes); skipping the indexing op's
            # key checks makes an epoch several times faster. It must equal the line below.
            return tuple(_view_of(t, t._data[index]) for t in self.tensors)
        return tuple(t[index] for t in self.tensors)
        # END SOLUTION

    def __len__(self) -> int:
        return self.tensors[0].size(0)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, renumbered ``0..len(indices)-1``.

    >>> Subset(range(10), [7, 3])[1]
    3
    """

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices: list) -> list:
        # The DataLoader fetches a whole batch at once through __getitems__ when a dataset has it.
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self) -> int:
        return len(self.indices)


class StackDataset(Dataset):
    """Several datasets of the same length side by side: sample ``i`` holds sample ``i`` of each.

    Given as positional arguments the samples are tuples; given as keywords, dicts.

    >>> StackDataset(range(3), "abc")[1]
    (1, 'b')
    >>> StackDataset(x=range(3), y="abc")[2]
    {'x': 2, 'y': 'c'}
    """

    def __init__(self, *args: Dataset, **kwargs: Dataset) -> None:
        if args and kwargs:
            raise ValueError("Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like "
                             "input/output, but both types are given.")
        if not args and not kwargs:
            raise ValueError("At least one dataset should be passed")
        datasets = list(args) if args else list(kwargs.values())
        self._length = len(datasets[0])
        if any(len(d) != self._length for d in datasets):
            raise ValueError("Size mismatch between datasets")
        self.datasets = args if args else kwargs

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {key: d[index] for key, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __getitems__(self, indices: list) -> list:
        # One column per dataset (batched through its own __getitems__ when it has one), then one sample per index.
        named = self.datasets if isinstance(self.datasets, dict) else dict(enumerate(self.datasets))
        columns = {key: self._column(d, indices) for key, d in named.items()}
        if isinstance(self.datasets, dict):
            return [{key: columns[key][i] for key in named} for i in range(len(indices))]
        return [tuple(columns[key][i] for key in named) for i in range(len(indices))]

    @staticmethod
    def _column(dataset, indices: list) -> list:
        if not callable(getattr(dataset, "__getitems__", None)):
            return [dataset[i] for i in indices]
        items = dataset.__getitems__(indices)
        if len(items) != len(indices):
            raise ValueError(f"Nested dataset's output size mismatch. Expected {len(indices)}, got {len(items)}")
        return items

    def __len__(self) -> int:
        return self._length


class ConcatDataset(Dataset):
    """Several datasets one after the other.

    ``cumulative_sizes[k]`` is the total length of datasets ``0..k``; index
    ``i`` belongs to the first dataset whose cumulative size exceeds ``i``
    (found by binary search).

    >>> ds = ConcatDataset([range(3), range(10, 12)])
    >>> ds.cumulative_sizes, ds[3], ds[-1]
    ([3, 5], 10, 11)
    """

    @staticmethod
    def cumsum(sequence) -> list[int]:
        return list(itertools.accumulate(len(d) for d in sequence))

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if len(self.datasets) == 0:
            raise AssertionError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        which = bisect.bisect_right(self.cumulative_sizes, idx)
        start = 0 if which == 0 else self.cumulative_sizes[which - 1]
        return self.datasets[which][idx - start]


class ChainDataset(IterableDataset):
    """Several iterable datasets chained into one stream.

    >>> class Two(IterableDataset):
    ...     def __iter__(self): return iter([1, 2])
    >>> list(ChainDataset([Two(), Two()]))
    [1, 2, 1, 2]
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = datasets

    def __iter__(self):
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield from d

    def __len__(self) -> int:
        total = 0
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            total += len(d)
        return total


def _lengths_from_fractions(fractions: Sequence[float], n: int) -> list[int]:
    """``floor(f * n)`` items per split, then the leftover items one each, round-robin from split 0."""
    lengths = []
    for i, frac in enumerate(fractions):
        if frac < 0 or frac > 1:
            raise ValueError(f"Fraction at index {i} is not between 0 and 1")
        lengths.append(math.floor(n * frac))
    for i in range(n - sum(lengths)):
        lengths[i % len(lengths)] += 1
    for i, length in enumerate(lengths):
        if length == 0:
            warnings.warn(f"Length of split at index {i} is 0. This might result in an empty dataset.", stacklevel=3)
    return lengths


def random_split(dataset: Dataset, lengths: Sequence[int | float], generator=default_generator) -> list[Subset]:
    """Split ``dataset`` into non-overlapping random subsets of the given lengths.

    ``lengths`` may be fractions that sum to 1: each split then gets
    ``floor(frac * len(dataset))`` items and the remainder is handed out one
    item at a time, round-robin.

    >>> a, b = random_split(range(10), [0.75, 0.25], generator=minitorch.Generator().manual_seed(42))
    >>> len(a), len(b)
    (8, 2)
    """
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        lengths = _lengths_from_fractions(lengths, len(dataset))
    if sum(lengths) != len(dataset):
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    # One random permutation of all indices, cut into consecutive pieces.
    # operator.index: lengths may be 0-d integer tensors (as PyTorch allows), never floats like 5.0.
    indices = randperm(operator.index(sum(lengths)), generator=generator).tolist()
    ends = list(itertools.accumulate(lengths))
    return [Subset(dataset, indices[end - length:end]) for end, length in zip(ends, lengths)]
