"""Assignment 5: datasets, samplers, collation, the worker loop and the DataLoader's ordering."""

import queue
import threading
import time

import numpy as np
from _checks import assert_close, fail, task

import minitorch
from minitorch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler, TensorDataset, default_collate
from minitorch.utils.data._worker import ExceptionWrapper, _serve


def test_5_1_tensor_dataset():
    tid, what = "5.1", "TensorDataset: sample i is (t[i] for each tensor)"
    x = minitorch.arange(12.0).reshape(4, 3)
    y = minitorch.tensor([10, 11, 12, 13])
    ds = TensorDataset(x, y)
    for i in (0, 2, -1):
        with task(tid, what):
            sample = ds[i]
        if not isinstance(sample, tuple) or len(sample) != 2:
            fail(tid, what, f"ds[{i}] should be a tuple (x[{i}], y[{i}]), got {sample!r}")
        assert_close(tid, what, sample[0], x.numpy()[i], f"ds[{i}][0] for x = arange(12).reshape(4, 3)")
        assert_close(tid, what, sample[1], y.numpy()[i], f"ds[{i}][1] for y = [10, 11, 12, 13]")
    with task(tid, what):
        rows = ds[1:3]
    assert_close(tid, what, rows[0], x.numpy()[1:3], "ds[1:3][0] (a slice gives the rows 1 and 2)")


def test_5_2_random_sampler():
    tid, what = "5.2", "RandomSampler: whole random permutations (randperm with the sampler's generator)"
    with task(tid, what):
        order = list(RandomSampler(range(10), generator=minitorch.Generator().manual_seed(0)))
    if sorted(order) != list(range(10)):
        fail(tid, what, f"RandomSampler(range(10)) must give each index 0..9 exactly once, got {order}")
    want = minitorch.randperm(10, generator=minitorch.Generator().manual_seed(0)).tolist()
    if order != want:
        fail(tid, what, f"with generator seeded 0 expected randperm(10, generator=g) = {want}, got {order}")
    with task(tid, what):
        long = list(RandomSampler(range(4), num_samples=10, generator=minitorch.Generator().manual_seed(1)))
    if len(long) != 10 or sorted(long[:4]) != [0, 1, 2, 3] or sorted(long[4:8]) != [0, 1, 2, 3]:
        fail(tid, what, f"num_samples=10 over 4 items: two whole permutations, then 2 indices of a third; got {long}")
    minitorch.manual_seed(3)
    with task(tid, what):
        first, second = list(RandomSampler(range(20))), list(RandomSampler(range(20)))
    if first == second:
        fail(tid, what, "two epochs gave the same order: without a generator each epoch draws a new seed")


def test_5_3_batch_sampler():
    tid, what = "5.3", "BatchSampler: lists of batch_size indices"
    cases = [(7, 3, False, [[0, 1, 2], [3, 4, 5], [6]]), (7, 3, True, [[0, 1, 2], [3, 4, 5]]),
             (6, 2, False, [[0, 1], [2, 3], [4, 5]]), (2, 5, True, [])]
    for n, bs, drop, want in cases:
        with task(tid, what):
            got = list(BatchSampler(SequentialSampler(range(n)), batch_size=bs, drop_last=drop))
        if got != want:
            fail(tid, what, f"BatchSampler(SequentialSampler(range({n})), batch_size={bs}, drop_last={drop}) should "
                            f"give {want}, got {got}")
    with task(tid, what):
        got = list(BatchSampler(iter([5, 3, 1, 0]), batch_size=3, drop_last=False))
    if got != [[5, 3, 1], [0]]:
        fail(tid, what, f"over a one-shot iterator [5, 3, 1, 0] with batch_size=3: expected [[5, 3, 1], [0]], got {got}")


def test_5_4_collate_tensors():
    tid, what = "5.4", "default_collate stacks tensors along a new first dimension"
    samples = [minitorch.tensor([[float(i), 2.0 * i]]) for i in range(3)]
    with task(tid, what):
        batch = default_collate(samples)
    assert_close(tid, what, batch, np.array([[[0.0, 0.0]], [[1.0, 2.0]], [[2.0, 4.0]]]),
                 "default_collate of 3 tensors of shape (1, 2)")
    ints = [minitorch.tensor([i, i + 1]) for i in range(2)]
    with task(tid, what):
        b = default_collate(ints)
    if b.dtype != minitorch.int64:
        fail(tid, what, f"collating int64 tensors must keep int64, got {b.dtype}")
    leaves = [minitorch.ones(2, requires_grad=True), minitorch.zeros(2, requires_grad=True)]
    with task(tid, what):
        stacked = default_collate(leaves)
    assert_close(tid, what, stacked, np.array([[1.0, 1.0], [0.0, 0.0]]), "default_collate of tensors that require grad")
    if not stacked.requires_grad:
        fail(tid, what, "collating tensors that require grad should keep them in the graph (use stack)")


def test_5_5_collate_sequences():
    tid, what = "5.5", "default_collate turns a batch of (x, y) samples into [xs, ys]"
    samples = [(minitorch.tensor([1.0, 2.0]), 0), (minitorch.tensor([3.0, 4.0]), 1), (minitorch.tensor([5.0, 6.0]), 0)]
    with task(tid, what):
        batch = default_collate(samples)
    if not isinstance(batch, list) or len(batch) != 2:
        fail(tid, what, f"a batch of (x, y) tuples should collate to a list [xs, ys], got {batch!r}")
    assert_close(tid, what, batch[0], np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), "the xs column")
    assert_close(tid, what, batch[1], np.array([0, 1, 0]), "the ys column (Python ints become an int64 tensor)")
    with task(tid, what):
        nested = default_collate([[1.0, (2, "a")], [3.0, (4, "b")]])
    if not (isinstance(nested, list) and list(nested[1][1]) == ["a", "b"]):
        fail(tid, what, f"nested sequences collate column by column, recursively: got {nested!r}")
    assert_close(tid, what, nested[1][0], np.array([2, 4]), "the nested column of ints")


class _Squares:
    """A map-style dataset of i * i."""

    def __init__(self, n, fail_at=None):
        self.n, self.fail_at = n, fail_at

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i == self.fail_at:
            raise ValueError(f"bad sample {i}")
        return i * i


def _make_fetcher(dataset):
    return DataLoader(dataset, batch_size=2, collate_fn=list)._make_fetcher()


def test_5_6_worker_loop():
    tid, what = "5.6", "the worker loop answers (task_idx, indices) with (task_idx, batch)"
    index_q, result_q, done = queue.Queue(), queue.Queue(), threading.Event()
    for task_idx, indices in ((0, [0, 1]), (1, [2, 3]), (2, [4])):
        index_q.put((task_idx, indices))
    index_q.put(None)  # stop
    with task(tid, what):
        _serve(0, _make_fetcher(_Squares(5)), index_q, result_q, done, None)
    got = [result_q.get_nowait() for _ in range(result_q.qsize())]
    want = [(0, [0, 1]), (1, [4, 9]), (2, [16])]
    if got != want:
        fail(tid, what, f"tasks (0, [0, 1]), (1, [2, 3]), (2, [4]) over a dataset of i*i: the result queue should "
                        f"hold {want}, got {got}")
    index_q.put((0, [0, 1]))
    index_q.put((1, [2, 3]))
    index_q.put(None)
    with task(tid, what):
        _serve(0, _make_fetcher(_Squares(5, fail_at=3)), index_q, result_q, done, None)
    got = [result_q.get_nowait() for _ in range(result_q.qsize())]
    if len(got) != 2 or got[0] != (0, [0, 1]) or not isinstance(got[1][1], ExceptionWrapper) or got[1][0] != 1:
        fail(tid, what, "an error while fetching task 1 must be sent back as (1, ExceptionWrapper) (use _fetch_one), "
                        f"and the worker must go on; got {got}")
    init_error = ExceptionWrapper((RuntimeError, RuntimeError("init failed"), None))
    index_q.put((0, [0, 1]))
    index_q.put((1, [2, 3]))
    index_q.put(None)
    with task(tid, what):
        _serve(0, _make_fetcher(_Squares(5)), index_q, result_q, done, init_error)
    got = [result_q.get_nowait() for _ in range(result_q.qsize())]
    if len(got) != 2 or got[0][1] is not init_error or got[1] != (1, [4, 9]):
        fail(tid, what, "a worker_init_fn error (init_error) is sent instead of the first batch, as "
                        f"(task_idx, init_error), and the next tasks are answered normally; got {got}")


class _SlowFirst:
    """Sample 0 takes a while, so the batches of the other worker arrive first."""

    def __len__(self):
        return 6

    def __getitem__(self, i):
        if i == 0:
            time.sleep(0.3)
        return i


def test_5_7_in_order_with_workers():
    tid, what = "5.7", "the DataLoader returns batches in order although workers finish out of order"
    loader = DataLoader(_SlowFirst(), batch_size=None, num_workers=2)
    with task(tid, what):
        try:
            got = [int(b) for b in loader]
        except RuntimeError as e:
            if "exited unexpectedly" in str(e) or "killed by signal" in str(e):
                fail(tid, what, f"a worker process died ({e}). Is the worker loop (Task 5.6) implemented? Its "
                                "traceback is printed above in the captured stderr.")
            raise
    if got != [0, 1, 2, 3, 4, 5]:
        fail(tid, what, f"with 2 workers where sample 0 is slow, the loader must still yield 0, 1, ..., 5 in order "
                        f"(keep early batches in _arrived until their turn); got {got}")
