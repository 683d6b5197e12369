"""Samplers: which dataset indices to visit, in which order.

A sampler is any iterable of indices with a ``__len__``. The DataLoader
wraps one in a ``BatchSampler`` that groups indices into lists of
``batch_size``.

>>> list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False))
[[0, 1, 2], [3, 4, 5], [6]]
>>> _ = minitorch.manual_seed(0)
>>> sorted(RandomSampler(range(5)))     # a random permutation: the same seed gives the same order
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

import itertools
from typing import Iterable, Iterator, Sequence, Sized

from ..._random import Generator, np_generator
from ...ops.creation import as_tensor
from ...ops.random import multinomial, randint, randperm

__all__ = [
    "Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler",
]


def _draw_seed(generator: Generator | None = None) -> int:
    """A fresh 63-bit seed drawn from ``generator`` (minitorch's default RNG when None).

    This is how ``minitorch.manual_seed(s)`` ends up controlling shuffling and
    worker seeds: they are all seeded from numbers drawn here.
    """
    return int(np_generator(generator).integers(0, 2**63 - 1))


def _is_int(value) -> bool:
    """A Python int that is not a bool: PyTorch's test for ``batch_size`` and ``num_samples``
    (so NumPy integers are rejected too, as in PyTorch)."""
    return isinstance(value, int) and not isinstance(value, bool)


class Sampler:
    """Base class: subclasses define ``__iter__`` (yielding indices) and usually ``__len__``.

    >>> class Evens(Sampler):
    ...     def __init__(self, n): self.n = n
    ...     def __iter__(self): return iter(range(0, self.n, 2))
    ...     def __len__(self): return (self.n + 1) // 2
    """

    def __init__(self, data_source: Sized | None = None) -> None:
        pass  # kept for PyTorch compatibility; samplers need not call it

    def __iter__(self) -> Iterator:
        raise NotImplementedError


class SequentialSampler(Sampler):
    """``0, 1, ..., len(data_source) - 1``.

    >>> list(SequentialSampler(range(3)))
    [0, 1, 2]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """A random order: a permutation (or ``num_samples`` draws with ``replacement=True``).

    Without a ``generator``, each ``iter()`` draws a seed from minitorch's
    default RNG for a private generator, so ``minitorch.manual_seed`` fixes
    the order of every epoch, and consecutive epochs differ.

    >>> g = minitorch.Generator().manual_seed(0)
    >>> sorted(RandomSampler(range(4), generator=g))
    [0, 1, 2, 3]
    """

    def __init__(self, data_source: Sized, replacement: bool = False, num_samples: int | None = None,
                 generator: Generator | None = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={replacement}")
        # PyTorch tests isinstance(num_samples, int) here, so True counts as 1 (unlike for the other samplers).
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={self.num_samples}")

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        generator = self.generator
        if generator is None:
            generator = Generator().manual_seed(_draw_seed())
        if self.replacement:
            # Independent uniform draws, 32 at a time (as PyTorch does).
            for _ in range(self.num_samples // 32):
                yield from randint(0, n, (32,), generator=generator).tolist()
            yield from randint(0, n, (self.num_samples % 32,), generator=generator).tolist()
        else:
            # Whole permutations, then part of one more when num_samples > n.
            # BEGIN SOLUTION 5.2
            # HINT: yield whole permutations randperm(n, generator=generator) while num_samples allows, then the first
            # HINT: num_samples % n of one more
            for _ in range(self.num_samples // n):
                yield from randperm(n, generator=generator).tolist()
            yield from randperm(n, generator=generator).tolist()[: self.num_samples % n]
            # END SOLUTION

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices`` in a random order (a new order each epoch).

    >>> sorted(SubsetRandomSampler([5, 9, 2]))
    [2, 5, 9]
    """

    def __init__(self, indices: Sequence[int], generator: Generator | None = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator:
        for i in randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn with probability proportional to ``weights``.

    >>> w = [0.0, 0.0, 1.0]
    >>> list(WeightedRandomSampler(w, 3))
    [2, 2, 2]
    """

    def __init__(self, weights: Sequence[float], num_samples: int, replacement: bool = True,
                 generator: Generator | None = None) -> None:
        if not _is_int(num_samples) or num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")
        weights = as_tensor(weights).double()
        if weights.ndim != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape {tuple(weights.shape)}")
        self.weights = weights
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        yield from multinomial(self.weights, self.num_samples, self.replacement, generator=self.generator).tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Group the indices of ``sampler`` into lists of ``batch_size``.

    The last, shorter batch is kept unless ``drop_last=True``.

    >>> list(BatchSampler(range(5), batch_size=2, drop_last=True))
    [[0, 1], [2, 3]]
    """

    def __init__(self, sampler: Sampler | Iterable[int], batch_size: int, drop_last: bool) -> None:
        if not _is_int(batch_size) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list]:
        # BEGIN SOLUTION 5.3
        # HINT: take batch_size indices at a time from the sampler (itertools.islice) and yield each list; the last
        # HINT: shorter one only if not drop_last
        indices = iter(self.sampler)
        batch = list(itertools.islice(indices, self.batch_size))
        while batch:
            if self.drop_last and len(batch) < self.batch_size:
                return
            yield batch
            batch = list(itertools.islice(indices, self.batch_size))
        # END SOLUTION

    def __len__(self) -> int:
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
