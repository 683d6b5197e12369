"""Fetchers: turn what the sampler produced into one collated batch.

The same fetcher runs in the main process (``num_workers=0``) and inside
each worker process, so a batch is built the same way in both cases:

* map-style: ``[dataset[i] for i in batch_of_indices]``, then ``collate_fn``;
* iterable-style: the next ``batch_size`` items of ``iter(dataset)``, then
  ``collate_fn``; ``StopIteration`` when the stream is exhausted.
"""

from __future__ import annotations

import numbers


def _is_index(key) -> bool:
    """Can ``key`` index a sequence? (ints, NumPy ints, one-element integer tensors: they have ``__index__``)."""
    try:
        key.__index__()
        return True
    except (AttributeError, TypeError, RuntimeError):
        return False


class _MapFetcher:
    """Fetch ``dataset[i]`` for every index of a batch and collate them."""

    is_iterable = False

    def __init__(self, dataset, auto_collation: bool, collate_fn, drop_last: bool, sampler_name: str) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation  # True: a batch of indices; False: one index, no batching
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.sampler_name = sampler_name  # named in the error for a bad index

    def reset(self) -> None:
        pass  # nothing to restart for a map-style dataset

    def fetch(self, index):
        if not self.auto_collation:
            return self.collate_fn(self._get(index))
        getitems = getattr(self.dataset, "__getitems__", None)
        if callable(getitems):  # the dataset can fetch a whole batch at once
            return self.collate_fn(getitems(index))
        return self.collate_fn([self._get(i) for i in index])

    def _get(self, i):
        if type(i) is not int and isinstance(i, numbers.Number) and not _is_index(i):
            raise self._bad_index(i)  # 1.5 is never a sample's position, even if the dataset would take it
        try:
            return self.dataset[i]
        except (TypeError, IndexError) as e:
            if _is_index(i):
                raise  # the dataset's own error for a proper index
            # Keys need not be integers (a dataset may take strings), but this dataset rejected the key.
            raise self._bad_index(i, e) from e

    def _bad_index(self, i, error=None) -> TypeError:
        rejected = "" if error is None else f", which {type(self.dataset).__name__} rejected ({error})"
        return TypeError(
            f"DataLoader: the sampler {self.sampler_name} produced the index {i!r} of type {type(i).__name__}"
            f"{rejected}; map-style datasets are indexed by integers 0 <= index < len(dataset)"
        )


class _IterableFetcher:
    """Take the next ``len(index)`` items of the dataset's stream and collate them."""

    is_iterable = True

    def __init__(self, dataset, auto_collation: bool, collate_fn, drop_last: bool, sampler_name: str = "") -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.reset()

    def reset(self) -> None:
        # iter() is called lazily, at the first fetch: in a worker that is after worker_init_fn ran.
        self.dataset_iter = None
        self.ended = False

    def fetch(self, index):
        if self.ended:
            raise StopIteration
        if self.dataset_iter is None:
            self.dataset_iter = iter(self.dataset)
        if not self.auto_collation:
            return self.collate_fn(next(self.dataset_iter))
        data = []
        for _ in index:  # index is [None] * batch_size: only its length matters
            try:
                data.append(next(self.dataset_iter))
            except StopIteration:
                self.ended = True
                break
        if len(data) == 0 or (self.drop_last and len(data) < len(index)):
            raise StopIteration
        return self.collate_fn(data)
