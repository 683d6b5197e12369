"""DataLoader with worker processes: order, seeds, worker info, sharding, errors, timeout, killed workers, shutdown.

Datasets are tiny and every test uses num_workers=2 (the 'fork' start method unless a test says otherwise).
"""

import gc
import multiprocessing
import os
import random
import signal
import time

import numpy as np
import pytest

import minitorch
from minitorch.utils.data import DataLoader, Dataset, IterableDataset, TensorDataset, get_worker_info

# ---- datasets (module level, so that 'spawn' can pickle them) -------------------------------------------

class Range(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return i


class WhoAmI(Dataset):
    """Each sample says which worker made it, with that worker's seed and a draw from each RNG."""

    def __init__(self, n):
        self.n = n
        self.tag = None  # set by worker_init_fn

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        info = get_worker_info()
        return {"i": i, "id": info.id, "num_workers": info.num_workers, "seed": info.seed, "pid": os.getpid(),
                "same_dataset": info.dataset is self, "tag": self.tag,
                "torch": minitorch.rand(1).item(), "numpy": float(np.random.rand()), "python": random.random()}


class Failing(Dataset):
    def __init__(self, n, bad, exc):
        self.n, self.bad, self.exc = n, bad, exc

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i == self.bad:
            raise self.exc
        return i


class Sleepy(Dataset):
    def __init__(self, n, seconds, slow=None):
        self.n, self.seconds, self.slow = n, seconds, slow

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if self.slow is None or i in self.slow:
            time.sleep(self.seconds)
        return i


class KillSelf(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 2 and get_worker_info() is not None:  # never kill the test process itself
            os.kill(os.getpid(), signal.SIGKILL)
        return i


class Counting(Dataset):
    """Counts fetches in shared memory (inherited by forked workers)."""

    def __init__(self, n):
        self.n = n
        self.count = multiprocessing.get_context("fork").Value("i", 0)

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        with self.count.get_lock():
            self.count.value += 1
        return i


class Shards(IterableDataset):
    """Numbers start..end-1, split into contiguous uneven shards across workers."""

    def __init__(self, start, end, info_fn=get_worker_info):
        self.start, self.end, self.info_fn = start, end, info_fn

    def __iter__(self):
        info = self.info_fn()
        if info is None:
            return iter(range(self.start, self.end))
        per = -(-(self.end - self.start) // info.num_workers)  # ceil: the last worker gets fewer
        lo = self.start + info.id * per
        return iter(range(lo, min(lo + per, self.end)))


class WorkerPid(Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        return os.getpid()


def _tag_worker(worker_id):
    get_worker_info().dataset.tag = f"worker-{worker_id}"


def _broken_init(worker_id):
    raise RuntimeError(f"init failed in {worker_id}")


class NeedsTwoArgs(Exception):
    def __init__(self, a, b):
        super().__init__(f"{a} {b}")


# ---- helpers ----------------------------------------------------------------------------------------------

def _children() -> set:
    """PIDs whose parent is this process (zombies included), read from /proc."""
    me, out = os.getpid(), set()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == me and not _is_resource_tracker(name):
            out.add(int(name))
    return out


def _is_resource_tracker(pid: str) -> bool:
    # The 'spawn' start method starts multiprocessing's resource tracker once per session: not a worker.
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"resource_tracker" in f.read()
    except OSError:
        return False


@pytest.fixture
def no_leftover_children():
    before = _children()
    yield
    gc.collect()  # a caught exception's traceback keeps the iterator (and its workers) alive until collected
    deadline = time.monotonic() + 5
    while _children() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _children() - before == set(), "worker processes left behind"


def _flat(loader):
    return [int(i) for batch in loader for i in batch.tolist()]


# ---- order, coverage, seeds ---------------------------------------------------------------------------------

@pytest.mark.parametrize("shuffle", [False, True])
def test_every_index_once_and_same_order_as_without_workers(shuffle, no_leftover_children):
    ds = Range(37)
    minitorch.manual_seed(0)
    single = [_flat(DataLoader(ds, batch_size=5, shuffle=shuffle)) for _ in range(2)]
    minitorch.manual_seed(0)
    multi = [_flat(DataLoader(ds, batch_size=5, shuffle=shuffle, num_workers=2)) for _ in range(2)]
    assert multi == single
    for epoch in multi:
        assert sorted(epoch) == list(range(37))


def test_out_of_order_results_are_reordered(no_leftover_children):
    # Worker 0 gets the even batches and is slow on the first one: worker 1's results arrive first.
    loader = DataLoader(Sleepy(12, 0.2, slow={0}), batch_size=2, num_workers=2)
    assert _flat(loader) == list(range(12))


def test_tensors_cross_processes(no_leftover_children):
    x = minitorch.randn(10, 3)
    y = minitorch.arange(10)
    batches = list(DataLoader(TensorDataset(x, y), batch_size=4, num_workers=2))
    assert [b[0].shape for b in batches] == [(4, 3), (4, 3), (2, 3)]
    assert batches[0][0].dtype == minitorch.float32 and batches[0][1].dtype == minitorch.int64
    np.testing.assert_array_equal(minitorch.cat([b[0] for b in batches]).numpy(), x.numpy())


def test_worker_info_and_per_worker_seeds(no_leftover_children):
    g = minitorch.Generator().manual_seed(123)
    items = [s for b in DataLoader(WhoAmI(8), batch_size=None, num_workers=2, generator=g) for s in [b]]
    assert [s["id"] for s in items] == [0, 1] * 4  # batch i goes to worker i % 2
    assert all(s["num_workers"] == 2 and s["same_dataset"] for s in items)
    seeds = {s["id"]: s["seed"] for s in items}
    assert seeds[1] == seeds[0] + 1
    # The base seed is the loader generator's first draw.
    expected_base = int(minitorch._random.np_generator(minitorch.Generator().manual_seed(123)).integers(0, 2**63 - 1))
    assert seeds[0] == expected_base
    # Each worker seeded minitorch's, NumPy's and Python's RNGs with its seed: its first draws are reproducible.
    for first in items[:2]:
        seed = first["seed"]
        assert first["torch"] == minitorch.rand(1, generator=minitorch.Generator().manual_seed(seed)).item()
        assert first["numpy"] == np.random.RandomState(seed % 2**32).rand()
        assert first["python"] == random.Random(seed).random()
    assert items[0]["pid"] != items[1]["pid"] != os.getpid()


def test_manual_seed_makes_runs_with_workers_reproducible(no_leftover_children):
    def run():
        loader = DataLoader(WhoAmI(6), batch_size=None, shuffle=True, num_workers=2)
        return [(s["i"], s["torch"], s["numpy"], s["python"]) for s in loader]

    minitorch.manual_seed(42)
    a, a2 = run(), run()
    minitorch.manual_seed(42)
    b, b2 = run(), run()
    assert a == b and a2 == b2
    assert a != a2  # a new base seed (and order) every epoch
    assert len({r[1] for r in a}) == 6  # the workers draw different numbers


def test_worker_init_fn_and_get_worker_info(no_leftover_children):
    assert get_worker_info() is None
    items = list(DataLoader(WhoAmI(4), batch_size=None, num_workers=2, worker_init_fn=_tag_worker))
    assert [s["tag"] for s in items] == ["worker-0", "worker-1"] * 2
    assert get_worker_info() is None


def test_worker_info_is_frozen():
    info = minitorch.utils.data.WorkerInfo(id=0, num_workers=1, seed=0, dataset=None)
    with pytest.raises(Exception):
        info.id = 3


# ---- IterableDataset ----------------------------------------------------------------------------------------

def test_iterable_dataset_sharding(no_leftover_children):
    out = [b.tolist() for b in DataLoader(Shards(0, 11), batch_size=2, num_workers=2)]
    # worker 0 has 0..5 (3 batches), worker 1 has 6..10 (3 batches, the last one short); round-robin
    assert out == [[0, 1], [6, 7], [2, 3], [8, 9], [4, 5], [10]]


def test_iterable_dataset_uneven_shards_match_torch(no_leftover_children):
    ours = [b.tolist() for b in DataLoader(Shards(0, 13), batch_size=3, num_workers=2)]
    assert sorted(sum(ours, [])) == list(range(13))
    torch = pytest.importorskip("torch")
    tdata = torch.utils.data

    class TShards(Shards, tdata.IterableDataset):
        pass

    theirs = [b.tolist() for b in tdata.DataLoader(TShards(0, 13, tdata.get_worker_info), batch_size=3,
                                                   num_workers=2)]
    assert ours == theirs


def test_iterable_dataset_without_sharding_duplicates(no_leftover_children):
    class NoShard(IterableDataset):
        def __iter__(self):
            return iter(range(3))

    assert sorted(_flat(DataLoader(NoShard(), batch_size=2, num_workers=2))) == [0, 0, 1, 1, 2, 2]


# ---- errors ---------------------------------------------------------------------------------------------

def test_worker_exception_reraised_with_traceback(no_leftover_children):
    it = iter(DataLoader(Failing(8, 3, ValueError("bad sample 3")), batch_size=None, num_workers=2))
    assert [next(it) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ValueError) as info:
        next(it)
    msg = str(info.value)
    assert msg.startswith(
        "Caught ValueError in DataLoader worker process 1.\nOriginal Traceback (most recent call last):\n"
    )
    assert "raise self.exc" in msg and msg.rstrip().endswith("ValueError: bad sample 3")
    assert next(it) == 4  # as in PyTorch, the other batches still come
    del it


def test_worker_exception_message_matches_torch_format(no_leftover_children):
    torch = pytest.importorskip("torch")

    class TFailing(Failing, torch.utils.data.Dataset):
        pass

    theirs_it = iter(torch.utils.data.DataLoader(TFailing(4, 1, ValueError("x")), batch_size=None, num_workers=2))
    with pytest.raises(ValueError) as theirs:
        list(theirs_it)
    theirs_it._shutdown_workers()
    with pytest.raises(ValueError) as ours:
        list(DataLoader(Failing(4, 1, ValueError("x")), batch_size=None, num_workers=2))
    assert str(ours.value).splitlines()[:2] == str(theirs.value).splitlines()[:2]
    assert str(ours.value).splitlines()[-1] == str(theirs.value).splitlines()[-1]


@pytest.mark.parametrize("exc, expected", [(KeyError("k"), KeyError), (NeedsTwoArgs(1, 2), RuntimeError)])
def test_worker_exception_types(exc, expected, no_leftover_children):
    with pytest.raises(expected, match="Caught .* in DataLoader worker process 0"):
        list(DataLoader(Failing(4, 0, exc), batch_size=None, num_workers=2))


def test_worker_init_fn_error(no_leftover_children):
    with pytest.raises(RuntimeError, match=r"Caught RuntimeError in DataLoader worker process 0\.(.|\n)*init failed"):
        list(DataLoader(Range(4), num_workers=2, worker_init_fn=_broken_init))


def test_timeout(no_leftover_children):
    loader = DataLoader(Sleepy(4, 10.0), num_workers=2, timeout=0.5)
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"DataLoader timed out after 0.5 seconds"):
        next(iter(loader))
    assert time.monotonic() - start < 5


def test_timeout_not_hit_by_fast_workers(no_leftover_children):
    assert _flat(DataLoader(Range(6), batch_size=2, num_workers=2, timeout=5)) == list(range(6))


def test_killed_worker_is_detected(no_leftover_children):
    loader = DataLoader(KillSelf(), batch_size=None, num_workers=2)
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"^DataLoader worker \(pid \d+\) is killed by signal: Killed\.$"):
        list(loader)
    assert time.monotonic() - start < 10


# ---- shutdown -----------------------------------------------------------------------------------------------

def test_no_children_after_epoch():
    before = _children()
    loader = DataLoader(Range(10), batch_size=2, num_workers=2)
    it = iter(loader)
    assert len(_children() - before) == 2  # real processes
    assert [b.tolist() for b in it][0] == [0, 1]
    assert _children() - before == set()  # joined as soon as the epoch ended, no zombies


def test_no_children_after_break():
    before = _children()
    for i, _ in enumerate(DataLoader(Range(100), batch_size=2, num_workers=2)):
        if i == 1:
            break
    assert _children() - before == set()


def test_no_children_after_del_and_gc():
    before = _children()
    it = iter(DataLoader(Sleepy(20, 0.01), batch_size=2, num_workers=2))
    next(it)
    assert len(_children() - before) == 2
    del it
    gc.collect()
    assert _children() - before == set()


def test_prefetch_factor_bounds_tasks_in_flight(no_leftover_children):
    ds = Counting(100)
    it = iter(DataLoader(ds, batch_size=None, num_workers=2, prefetch_factor=3))
    deadline = time.monotonic() + 5
    while ds.count.value < 6 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    assert ds.count.value == 6  # prefetch_factor * num_workers, no more until a batch is taken
    assert next(it) == 0
    deadline = time.monotonic() + 5
    while ds.count.value < 7 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    assert ds.count.value == 7
    del it


def test_persistent_workers(no_leftover_children):
    before = _children()
    loader = DataLoader(WorkerPid(), batch_size=None, num_workers=2, persistent_workers=True)
    first = list(loader)
    assert len(_children() - before) == 2  # still alive between epochs
    second = list(loader)
    assert set(first) == set(second) and len(set(first)) == 2  # the same two processes
    # An epoch cut short by `break` leaves results behind; the next epoch must not see them.
    for _ in loader:
        break
    assert _flat(DataLoader(Range(9), batch_size=2, num_workers=2, persistent_workers=True)) == list(range(9))
    ranged = DataLoader(Range(9), batch_size=2, num_workers=2, persistent_workers=True)
    for _ in ranged:
        break
    assert _flat(ranged) == list(range(9))
    assert _flat(ranged) == list(range(9))
    del loader, ranged
    assert _children() - before == set()  # freed by reference counting alone: no gc.collect() needed


def test_persistent_workers_iterable_dataset(no_leftover_children):
    loader = DataLoader(Shards(0, 7), batch_size=2, num_workers=2, persistent_workers=True)
    first = [b.tolist() for b in loader]
    assert first == [b.tolist() for b in loader]
    assert sorted(sum(first, [])) == list(range(7))
    del loader
    gc.collect()


def test_spawn_context(no_leftover_children):
    x = minitorch.arange(12).reshape(6, 2)
    loader = DataLoader(TensorDataset(x), batch_size=4, num_workers=2, multiprocessing_context="spawn")
    batches = [b[0].tolist() for b in loader]
    assert batches == [x[:4].tolist(), x[4:].tolist()]
