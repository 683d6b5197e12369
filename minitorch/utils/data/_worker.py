"""DataLoader worker processes: what runs inside one, and the pool that starts and stops them.

Each worker loops:

    seed Python's, NumPy's and minitorch's RNGs with base_seed + worker_id
    run worker_init_fn(worker_id)
    repeat:
        (task_idx, indices) <- its own index queue      (None means: exit)
        batch = fetcher.fetch(indices)                  (dataset[i]..., collate_fn)
        (task_idx, batch) -> the result queue shared by all workers

An exception while fetching is caught and sent back wrapped in an
``ExceptionWrapper`` (with the formatted traceback); the main process
re-raises it. Inside a worker, ``get_worker_info()`` says which worker this
is, so an ``IterableDataset`` can give each worker a different share.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import random
import signal
import sys
import time
import traceback
from dataclasses import dataclass

import numpy as np

from ... import _random

# How often (seconds) a blocked worker checks that its parent is still alive, and how often
# the main process checks that its workers are (see dataloader.py).
MP_STATUS_CHECK_INTERVAL = 0.5


@dataclass(frozen=True)
class WorkerInfo:
    """Which DataLoader worker this process is: ``id``, ``num_workers``, ``seed`` and its own ``dataset`` copy."""

    id: int
    num_workers: int
    seed: int
    dataset: object


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """Information about the current DataLoader worker process; ``None`` in the main process.

    >>> class Range(IterableDataset):            # give each worker every num_workers-th number
    ...     def __iter__(self):
    ...         info = get_worker_info()
    ...         start, step = (0, 1) if info is None else (info.id, info.num_workers)
    ...         return iter(range(start, 10, step))
    """
    return _worker_info


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    """Sent by a worker whose copy of an IterableDataset is exhausted."""

    worker_id: int


@dataclass(frozen=True)
class _ResumeIteration:
    """Sent to persistent workers at the start of a new epoch (and echoed back as an acknowledgement)."""


class KeyErrorMessage(str):
    """A KeyError prints repr() of its argument; this keeps a multi-line message readable."""

    def __repr__(self) -> str:
        return self


class ExceptionWrapper:
    """An exception caught in a worker: its type and formatted traceback, sent back to the main process."""

    def __init__(self, exc_info=None, where: str = "in background") -> None:
        exc_type, exc_value, tb = exc_info if exc_info is not None else sys.exc_info()
        self.exc_type = exc_type if _picklable(exc_type) else None  # e.g. a class defined inside a function
        self.exc_name = exc_type.__name__
        self.exc_msg = "".join(traceback.format_exception(exc_type, exc_value, tb))
        self.where = where

    def reraise(self):
        """Raise the same exception type in this process, its message holding the worker's traceback."""
        msg = f"Caught {self.exc_name} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is None:
            raise RuntimeError(msg)
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        try:
            exception = self.exc_type(msg)
        except Exception:  # an exception class whose constructor wants other arguments
            raise RuntimeError(msg) from None
        raise exception


def _picklable(obj) -> bool:
    try:
        pickle.dumps(obj)
        return True
    except Exception:
        return False


def _seed_everything(seed: int) -> None:
    """Seed every RNG a dataset is likely to use, so each worker draws its own reproducible numbers."""
    random.seed(seed)
    np.random.seed(seed % 2**32)  # NumPy's legacy global RNG takes 32-bit seeds
    _random.manual_seed(seed)


def _worker_loop(worker_id: int, num_workers: int, fetcher, index_queue, result_queue, done_event,
                 base_seed: int, worker_init_fn) -> None:
    """The body of worker process ``worker_id`` (see the module docstring)."""
    global _worker_info
    try:
        seed = base_seed + worker_id
        _seed_everything(seed)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=fetcher.dataset)
        init_error = None
        try:
            if worker_init_fn is not None:
                worker_init_fn(worker_id)
        except Exception:
            # Reported with the first task, so the main process re-raises it at the first batch.
            init_error = ExceptionWrapper(where=f"in DataLoader worker process {worker_id}")
        _serve(worker_id, fetcher, index_queue, result_queue, done_event, init_error)
    except KeyboardInterrupt:
        pass  # Ctrl-C reaches the whole process group; the main process handles it
    if done_event.is_set():
        # The main process is shutting down and may not read what we still have queued: don't wait to flush it.
        result_queue.cancel_join_thread()
        result_queue.close()


def _serve(worker_id, fetcher, index_queue, result_queue, done_event, init_error) -> None:
    """Answer tasks from ``index_queue`` until told to stop (None) or the parent process dies."""
    parent = os.getppid()
    exhausted = False  # an IterableDataset copy that has run out ignores tasks until the next epoch
    while os.getppid() == parent:  # if the main process died we were re-parented: exit, don't linger
        try:
            task = index_queue.get(timeout=MP_STATUS_CHECK_INTERVAL)
        except queue.Empty:
            continue
        if task is None:  # the shutdown signal
            return
        if isinstance(task, _ResumeIteration):  # persistent workers: a new epoch starts
            fetcher.reset()
            exhausted = False
            result_queue.put((task, None))
            continue
        if done_event.is_set() or exhausted:
            continue
        # BEGIN SOLUTION 5.6
        # HINT: a task is (task_idx, indices): fetch the batch (_fetch_one, which also catches errors) and put
        # HINT: (task_idx, batch) on result_queue; a pending init_error is sent instead of the first batch
        task_idx, index = task
        if init_error is not None:
            data, init_error = init_error, None
        else:
            data, exhausted = _fetch_one(worker_id, fetcher, index)
        result_queue.put((task_idx, data))
        # END SOLUTION
        del data, task  # don't keep the batch alive while waiting for the next task


def _fetch_one(worker_id: int, fetcher, index):
    """The collated batch for ``index``, or what to report instead; and whether the stream is exhausted."""
    try:
        return fetcher.fetch(index), False
    except Exception as e:
        if isinstance(e, StopIteration) and fetcher.is_iterable:
            return _IterableDatasetStopIteration(worker_id), True
        return ExceptionWrapper(where=f"in DataLoader worker process {worker_id}"), False


# ---- the main process's side: starting and stopping the workers ----------------------------------------

def death_message(process) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        return f"DataLoader worker (pid {process.pid}) is killed by signal: {signal.strsignal(-code)}."
    return (f"DataLoader worker (pid {process.pid}) exited unexpectedly with exit code {code}. Details are lost "
            "due to multiprocessing. Rerunning with num_workers=0 may give better error trace.")


class WorkerPool:
    """The worker processes and their queues; ``shutdown()`` stops them all (it never refers to the iterator)."""

    def __init__(self, loader, base_seed: int) -> None:
        context = loader.multiprocessing_context or _default_context()
        self.result_queue = context.Queue()  # shared by all workers: (task_idx, batch)
        self.done_event = context.Event()
        self.index_queues, self.workers = [], []  # one index queue per worker: (task_idx, indices)
        self.closed = False
        fetcher = loader._make_fetcher()
        try:
            for worker_id in range(loader.num_workers):
                self._start(context, worker_id, loader, fetcher, base_seed)
        except BaseException:  # e.g. 'spawn' could not pickle the dataset: stop the ones already started
            self.shutdown()
            raise

    def _start(self, context, worker_id: int, loader, fetcher, base_seed: int) -> None:
        index_queue = context.Queue()
        index_queue.cancel_join_thread()  # never block this process's exit on a worker that is gone
        args = (worker_id, loader.num_workers, fetcher, index_queue, self.result_queue, self.done_event,
                base_seed, loader.worker_init_fn)
        # daemon: the workers are terminated if the main process exits without shutting them down.
        process = context.Process(target=_worker_loop, args=args, daemon=True)
        self.index_queues.append(index_queue)
        process.start()
        self.workers.append(process)

    def resume_all(self, get_data) -> None:
        """Persistent workers: tell each to restart its epoch and wait until all have acknowledged."""
        for q in self.index_queues:
            q.put(_ResumeIteration())
        waiting = len(self.workers)
        while waiting > 0:
            task_idx, _ = get_data()  # leftovers of an epoch cut short by `break` are dropped here
            if isinstance(task_idx, _ResumeIteration):
                waiting -= 1

    def shutdown(self) -> None:
        """Ask each worker to exit, wait a little, then terminate stragglers; close the queues."""
        if self.closed:
            return
        self.closed = True
        self.done_event.set()
        for q in self.index_queues:
            q.put(None)
        deadline = time.monotonic() + MP_STATUS_CHECK_INTERVAL
        for w in self.workers:
            w.join(timeout=max(0.0, deadline - time.monotonic()))
        for w in self.workers:
            if w.is_alive():
                w.terminate()
                w.join(timeout=MP_STATUS_CHECK_INTERVAL)
        for q in self.index_queues + [self.result_queue]:
            q.cancel_join_thread()
            q.close()


def _default_context():
    """'fork' where the platform has it (fast start, the dataset is shared, not pickled); else the default."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()
