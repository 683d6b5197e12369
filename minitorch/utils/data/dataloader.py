"""DataLoader: sample indices, fetch samples, collate them into batches.

One epoch, ``for batch in DataLoader(dataset, batch_size=B, shuffle=True)``:

1. **sample**: the sampler (``RandomSampler`` here) yields indices;
   ``BatchSampler`` groups them into lists of ``B``.
2. **fetch**: ``[dataset[i] for i in indices]`` (see ``_fetch.py``).
3. **collate**: ``collate_fn`` (``default_collate``) stacks those samples
   into batch tensors (see ``collate.py``).

With ``num_workers=0`` all three steps happen in ``__next__``, in this
process (``_SingleProcessDataLoaderIter``). With ``num_workers > 0``
(``_MultiProcessingDataLoaderIter``) steps 2-3 run in worker processes::

    main process                                worker k (see _worker.py)
    ------------                                -------------------------
    batch sampler -> (task i, indices) -------> index_queue[k]
      round-robin: task i goes to worker            fetch + collate
      i % num_workers (the active ones)               |
    reorder buffer <--- (task i, batch) <------ result_queue (shared)
      yields task 0, 1, 2, ... in order

At most ``prefetch_factor * num_workers`` tasks are in flight; each batch
handed to the user lets one more task be sent. Results can arrive out of
order (worker 1 may be faster than worker 0), so early ones wait in a
buffer until their turn: the batches come out in sampler order, exactly as
with ``num_workers=0``. Starting and stopping the processes is
``_worker.WorkerPool``'s job.

Randomness: every epoch draws one ``base_seed`` from ``generator`` (or
minitorch's default RNG), and worker ``k`` seeds Python's ``random``,
NumPy's global RNG and minitorch's RNG with ``base_seed + k``. So after
``minitorch.manual_seed(s)`` the shuffling *and* the random transforms run
in workers repeat exactly.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import queue
import time
import warnings
import weakref
from typing import Callable

from . import _worker
from ._fetch import _IterableFetcher, _MapFetcher
from .collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, _draw_seed

__all__ = ["DataLoader", "get_worker_info"]

get_worker_info = _worker.get_worker_info


class _InfiniteConstantSampler(Sampler):
    """The sampler of an IterableDataset: ``None`` forever (the dataset decides what comes next)."""

    def __iter__(self):
        while True:
            yield None


class DataLoader:
    """Iterate over ``dataset`` in batches, optionally shuffled and loaded by worker processes.

    >>> ds = TensorDataset(minitorch.randn(100, 3), minitorch.randint(0, 2, (100,)))
    >>> loader = DataLoader(ds, batch_size=32, shuffle=True, num_workers=2)
    >>> len(loader)
    4
    >>> for x, y in loader:       # x: (32, 3) float32, y: (32,) int64 (the last batch has 4 rows)
    ...     pass
    """

    def __init__(self, dataset: Dataset, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | None = None, batch_sampler: Sampler | None = None, num_workers: int = 0,
                 collate_fn: Callable | None = None, pin_memory: bool = False, drop_last: bool = False,
                 timeout: float = 0, worker_init_fn: Callable | None = None, multiprocessing_context=None,
                 generator=None, *, prefetch_factor: int | None = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True) -> None:
        prefetch_factor = _check_worker_options(num_workers, timeout, prefetch_factor, persistent_workers)
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory  # batches in pinned memory when there is a GPU (a no-op on the CPU)
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        # in_order=False lets PyTorch hand out batches as workers finish them; here they always come in sampler
        # order, which in_order=False permits (it allows reordering, it does not require it).
        self.in_order = in_order
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self._is_iterable = isinstance(dataset, IterableDataset)
        shuffle = _check_sampler_options(dataset, batch_size, shuffle, sampler, batch_sampler, drop_last)
        self._custom_batch_sampler = batch_sampler is not None
        if batch_sampler is not None:  # the batch sampler decides the batches
            batch_size, drop_last = None, False
        if sampler is None:
            sampler = _default_sampler(dataset, shuffle, generator)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._iterator = None  # the one iterator that keeps persistent workers alive
        self._IterableDataset_len_called = None
        self._initialized = True

    # ---- settings ---------------------------------------------------------------------------------
    @property
    def multiprocessing_context(self):
        return self._multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, context) -> None:
        if context is not None:
            if self.num_workers == 0:
                raise ValueError(
                    "multiprocessing_context can only be used with multi-process loading (num_workers > 0), "
                    f"but got num_workers={self.num_workers}"
                )
            if isinstance(context, str):
                methods = multiprocessing.get_all_start_methods()
                if context not in methods:
                    raise ValueError(
                        f"multiprocessing_context option should specify a valid start method in {methods!r}, "
                        f"but got multiprocessing_context={context!r}"
                    )
                context = multiprocessing.get_context(context)
            if not isinstance(context, multiprocessing.context.BaseContext):
                raise TypeError(
                    "multiprocessing_context option should be a valid context object or a string specifying "
                    f"the start method, but got multiprocessing_context={context}"
                )
        self._multiprocessing_context = context

    def __setattr__(self, name, value) -> None:
        frozen = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")
        if getattr(self, "_initialized", False) and name in frozen:
            raise ValueError(f"{name} attribute should not be set after {type(self).__name__} is initialized")
        super().__setattr__(name, value)

    @property
    def _auto_collation(self) -> bool:
        """True when the loader makes batches (a batch sampler exists); False for ``batch_size=None``."""
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        """What the iterator draws from: lists of indices (batching) or single indices."""
        return self.batch_sampler if self._auto_collation else self.sampler

    def _make_fetcher(self):
        fetcher_cls = _IterableFetcher if self._is_iterable else _MapFetcher
        named = self.batch_sampler if self._custom_batch_sampler else self.sampler
        return fetcher_cls(self.dataset, self._auto_collation, self.collate_fn, self.drop_last, type(named).__name__)

    # ---- iteration ----------------------------------------------------------------------------------
    def __iter__(self):
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        if not self.persistent_workers:
            _warn_if_too_many_workers(self.num_workers)  # PyTorch warns here too, each time workers start
            return _MultiProcessingDataLoaderIter(self)
        # Persistent workers: one iterator (and one set of processes) for the loader's whole life.
        if self._iterator is None or self._iterator._shutdown:
            _warn_if_too_many_workers(self.num_workers)
            self._iterator = _MultiProcessingDataLoaderIter(self)
        else:
            self._iterator._reset(self, first_epoch=False)
        return self._iterator

    def __len__(self) -> int:
        if not self._is_iterable:
            return len(self._index_sampler)
        # An IterableDataset may define __len__ (a count of samples); turn it into a count of batches.
        length = self._IterableDataset_len_called = len(self.dataset)
        if self.batch_size is not None:
            length = length // self.batch_size if self.drop_last else math.ceil(length / self.batch_size)
        return length


def _check_worker_options(num_workers, timeout, prefetch_factor, persistent_workers) -> int | None:
    """PyTorch's checks of the worker-related options; returns the prefetch factor to use."""
    if num_workers < 0:
        raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")
    if timeout < 0:
        raise ValueError("timeout option should be non-negative")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError(
            "prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable "
            "multiprocessing, otherwise set prefetch_factor to None."
        )
    if num_workers > 0 and prefetch_factor is None:
        prefetch_factor = 2
    elif prefetch_factor is not None and prefetch_factor < 0:
        raise ValueError("prefetch_factor option should be non-negative")
    if persistent_workers and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")
    _warn_if_too_many_workers(num_workers, stacklevel=4)
    return prefetch_factor


def _warn_if_too_many_workers(num_workers: int, stacklevel: int = 3) -> None:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if cpus and num_workers > cpus:
        warnings.warn(
            f"This DataLoader will create {num_workers} worker processes in total. Our suggested max number of "
            f"worker in current system is {cpus}, which is smaller than what this DataLoader is going to create. "
            "Please be aware that excessive worker creation might get DataLoader running slow or even freeze, "
            "lower the worker number to avoid potential slowness/freeze if necessary.",
            stacklevel=stacklevel,
        )


def _check_sampler_options(dataset, batch_size, shuffle, sampler, batch_sampler, drop_last) -> bool:
    """PyTorch's checks of how the batches are chosen; returns ``shuffle`` as a bool."""
    if isinstance(dataset, IterableDataset):
        # A stream has no indices to sample or shuffle.
        if shuffle not in (False, None):
            raise ValueError(
                f"DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle={shuffle}"
            )
        if sampler is not None:
            raise ValueError(
                f"DataLoader with IterableDataset: expected unspecified sampler option, but got sampler={sampler}"
            )
        if batch_sampler is not None:
            raise ValueError(
                "DataLoader with IterableDataset: expected unspecified batch_sampler option, but got "
                f"batch_sampler={batch_sampler}"
            )
    shuffle = bool(shuffle)
    if sampler is not None and shuffle:
        raise ValueError("sampler option is mutually exclusive with shuffle")
    if batch_sampler is not None:
        if batch_size != 1 or shuffle or sampler is not None or drop_last:
            raise ValueError(
                "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last"
            )
    elif batch_size is None and drop_last:
        raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")
    return shuffle


def _default_sampler(dataset, shuffle: bool, generator) -> Sampler:
    if isinstance(dataset, IterableDataset):
        return _InfiniteConstantSampler()
    return RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)


# ---- pin_memory=True: batches in page-locked host memory, which a GPU copies from fastest -----------------
def _pin_backend(loader: DataLoader):
    """The backend that pins memory for ``pin_memory_device`` (default "cuda"); None, with a warning, without one."""
    from ... import cuda
    from ..._backend import as_device

    name = loader.pin_memory_device or "cuda"
    if name.startswith("cuda") and not cuda.is_available():
        warnings.warn("'pin_memory' argument is set as true but no accelerator is found, then device "
                      "pinned memory won't be used.", stacklevel=4)
        return None
    return as_device(name).backend


def _pin_memory(data, backend):
    """``data`` with every CPU tensor copied into pinned memory (lists, tuples and dicts followed)."""
    from ..._tensor import Tensor, _wrap

    if isinstance(data, Tensor):
        return _wrap(backend.pin_memory(data._data), data.device) if data.device.type == "cpu" else data
    if isinstance(data, dict):
        return type(data)((k, _pin_memory(v, backend)) for k, v in data.items())
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # namedtuple
        return type(data)(*(_pin_memory(v, backend) for v in data))
    if isinstance(data, (list, tuple)):
        return type(data)(_pin_memory(v, backend) for v in data)
    return data


# ---- the iterators: one epoch each -----------------------------------------------------------------------

class _BaseDataLoaderIter:
    # The iterator copies what it needs and keeps no reference to the loader: with persistent workers the
    # loader holds its iterator, and `del loader` must free both (and stop the workers) without waiting for gc.
    def __init__(self, loader: DataLoader) -> None:
        self._dataset = loader.dataset
        self._is_iterable = loader._is_iterable
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        self._timeout = loader.timeout
        self._sampler_iter = iter(self._index_sampler)
        # Drawn from the loader's generator (or minitorch's RNG) once per epoch; worker k uses base_seed + k.
        self._base_seed = _draw_seed(loader.generator)
        self._num_yielded = 0
        self._len_reported = loader._IterableDataset_len_called
        self._pin_backend = _pin_backend(loader) if loader.pin_memory else None

    def __iter__(self):
        return self

    def __len__(self) -> int:
        return len(self._index_sampler)

    def __next__(self):
        data = self._next_data()
        if self._pin_backend is not None:
            data = _pin_memory(data, self._pin_backend)
        self._num_yielded += 1
        expected = self._len_reported
        if self._is_iterable and expected is not None and self._num_yielded > expected:
            warnings.warn(
                # (no space before the parenthesis: PyTorch's exact wording)
                f"Length of IterableDataset {self._dataset} was reported to be {expected}(when accessing "
                f"len(dataloader)), but {self._num_yielded} samples have been fetched. " + self._len_hint(), stacklevel=2
            )
        return data

    def _len_hint(self) -> str:
        if self._num_workers == 0:
            return ""
        return ("For multiprocessing data-loading, this could be caused by not properly configuring the "
                "IterableDataset replica at each worker. Please see "
                "https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset for examples.")

    def _next_index(self):
        return next(self._sampler_iter)  # StopIteration ends the epoch

    def _next_data(self):
        raise NotImplementedError


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    """``num_workers=0``: sample, fetch and collate right here, one batch per ``next()``."""

    def __init__(self, loader: DataLoader) -> None:
        super().__init__(loader)
        if self._timeout != 0:
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0 (the timeout option needs "
                                 "num_workers > 0: a single-process DataLoader cannot time out)")
        self._fetcher = loader._make_fetcher()

    def _next_data(self):
        index = self._next_index()
        return self._fetcher.fetch(index)


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    """``num_workers > 0``: worker processes fetch and collate; this process sends tasks and reorders results."""

    def __init__(self, loader: DataLoader) -> None:
        super().__init__(loader)
        self._prefetch_factor = loader.prefetch_factor
        if self._prefetch_factor <= 0:
            raise AssertionError("prefetch_factor must be greater than 0 for MultiProcessingDataLoaderIter")
        self._persistent = loader.persistent_workers
        self._pool = _worker.WorkerPool(loader, self._base_seed)
        self._shutdown = False
        # Stops the workers when this iterator is garbage-collected (e.g. after `break`) or at exit.
        self._finalizer = weakref.finalize(self, self._pool.shutdown)
        self._reset(loader, first_epoch=True)

    def _reset(self, loader: DataLoader, first_epoch: bool) -> None:
        """Start an epoch: fresh bookkeeping, then fill the workers' queues."""
        if not first_epoch:  # persistent workers: a new pass over the sampler
            self._sampler_iter = iter(self._index_sampler)
            self._num_yielded = 0
            self._len_reported = loader._IterableDataset_len_called
        self._send_idx = 0  # number of tasks sent so far (the next task's number)
        self._rcvd_idx = 0  # the task whose batch the user gets next
        self._pending: dict[int, int] = {}  # task -> worker, sent and not yet back
        self._arrived: dict[int, object] = {}  # task -> batch, back early: waits for its turn
        self._active = [True] * self._num_workers  # False once a worker's IterableDataset copy ran out
        self._next_worker = itertools.cycle(range(self._num_workers))
        if not first_epoch:
            self._pool.resume_all(self._get_data)
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _try_put_index(self) -> None:
        """Send the next batch of indices to the next active worker, round-robin."""
        if len(self._pending) + len(self._arrived) >= self._prefetch_factor * self._num_workers:
            return  # enough tasks in flight
        worker = self._pick_worker()
        if worker is None:
            return
        try:
            index = self._next_index()
        except StopIteration:
            return
        self._pool.index_queues[worker].put((self._send_idx, index))
        self._pending[self._send_idx] = worker
        self._send_idx += 1

    def _pick_worker(self) -> int | None:
        for _ in range(self._num_workers):
            worker = next(self._next_worker)
            if self._active[worker]:
                return worker
        return None  # every worker's stream is exhausted

    def _next_data(self):
        while True:
            self._skip_lost_tasks()
            if self._rcvd_idx == self._send_idx:  # nothing in flight and nothing left to send
                if not self._persistent:
                    self._shutdown_workers()
                raise StopIteration
            # BEGIN SOLUTION 5.7
            # HINT: batches may arrive out of order: if task _rcvd_idx has arrived, pop it from _arrived, advance
            # HINT: _rcvd_idx and return self._process_data(batch)
            if self._rcvd_idx in self._arrived:  # its turn has come
                data = self._arrived.pop(self._rcvd_idx)
                self._rcvd_idx += 1
                return self._process_data(data)
            # END SOLUTION
            task_idx, data = self._get_data()
            worker = self._pending.pop(task_idx)
            if isinstance(data, _worker._IterableDatasetStopIteration):
                self._retire_worker(worker)
                self._try_put_index()
                continue
            # BEGIN SOLUTION 5.7
            # HINT: keep a batch that arrived early in self._arrived until its turn
            self._arrived[task_idx] = data  # returned above when it is task _rcvd_idx
            # END SOLUTION

    def _skip_lost_tasks(self) -> None:
        """Tasks sent to a worker whose stream has ended will never come back: move past them."""
        while self._rcvd_idx < self._send_idx and self._rcvd_idx not in self._arrived:
            worker = self._pending.get(self._rcvd_idx)
            if worker is not None and self._active[worker]:
                return  # still coming
            self._pending.pop(self._rcvd_idx, None)
            self._rcvd_idx += 1
            self._try_put_index()  # its slot is free again

    def _retire_worker(self, worker: int) -> None:
        self._active[worker] = False
        if not self._persistent:
            self._pool.index_queues[worker].put(None)  # it has nothing more to do this epoch: let it exit

    def _process_data(self, data):
        self._try_put_index()  # a slot is free: keep the workers busy
        if isinstance(data, _worker.ExceptionWrapper):
            data.reraise()
        return data

    def _get_data(self):
        """The next ``(task_idx, batch)`` from the result queue, checking that the workers are still alive."""
        deadline = time.monotonic() + self._timeout if self._timeout > 0 else None
        while True:
            wait = _worker.MP_STATUS_CHECK_INTERVAL
            if deadline is not None:
                wait = max(0.0, min(wait, deadline - time.monotonic()))
            try:
                return self._pool.result_queue.get(timeout=wait)
            except queue.Empty:
                pass
            self._raise_if_worker_died()
            if deadline is not None and time.monotonic() >= deadline:
                self._shutdown_workers()
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")

    def _raise_if_worker_died(self) -> None:
        for worker, process in enumerate(self._pool.workers):
            if self._active[worker] and not process.is_alive():
                self._shutdown_workers()
                raise RuntimeError(_worker.death_message(process))

    def _shutdown_workers(self) -> None:
        self._shutdown = True
        self._finalizer()  # runs _pool.shutdown (at most once)
