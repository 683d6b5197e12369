"""DataLoader in one process: batching, order, coverage, len, argument checks (against PyTorch), bad input."""

import numpy as np
import pytest

import minitorch
from minitorch.utils.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    IterableDataset,
    RandomSampler,
    Sampler,
    SequentialSampler,
    TensorDataset,
    default_collate,
    get_worker_info,
)


class Range(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(f"index {i} out of range")
        return i


class Stream(IterableDataset):
    def __init__(self, n, with_len=True):
        self.n = n
        self.with_len = with_len

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        if not self.with_len:
            raise TypeError("no len")
        return self.n


def _flat(loader):
    return [int(i) for batch in loader for i in batch.tolist()]


def test_batches_in_order():
    x = minitorch.arange(20).reshape(10, 2)
    y = minitorch.arange(10)
    batches = list(DataLoader(TensorDataset(x, y), batch_size=4))
    assert len(batches) == 3
    assert batches[0][0].shape == (4, 2) and batches[-1][0].shape == (2, 2)
    assert batches[1][1].tolist() == [4, 5, 6, 7]
    assert batches[0][1].dtype == minitorch.int64


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("drop_last", [False, True])
def test_every_index_once_per_epoch(shuffle, drop_last):
    loader = DataLoader(Range(23), batch_size=5, shuffle=shuffle, drop_last=drop_last)
    for _ in range(2):
        seen = _flat(loader)
        expected = 20 if drop_last else 23
        assert len(seen) == expected and len(set(seen)) == expected
        if not shuffle:
            assert seen == list(range(expected))


def test_shuffle_order_is_the_sampler_order():
    order = list(RandomSampler(Range(17), generator=minitorch.Generator().manual_seed(0)))
    sampler = RandomSampler(Range(17), generator=minitorch.Generator().manual_seed(0))
    assert _flat(DataLoader(Range(17), batch_size=4, sampler=sampler)) == order


def test_loader_generator_reproduces_shuffling():
    g = minitorch.Generator()
    runs = [_flat(DataLoader(Range(17), batch_size=4, shuffle=True, generator=g.manual_seed(5))) for _ in range(2)]
    assert runs[0] == runs[1] and sorted(runs[0]) == list(range(17))


def test_manual_seed_reproduces_shuffling_and_epochs_differ():
    loader = DataLoader(Range(30), batch_size=7, shuffle=True)
    minitorch.manual_seed(11)
    a1, a2 = _flat(loader), _flat(loader)
    minitorch.manual_seed(11)
    b1, b2 = _flat(loader), _flat(loader)
    assert (a1, a2) == (b1, b2) and a1 != a2


@pytest.mark.parametrize("n, bs, drop_last",
                         [(10, 3, False), (10, 3, True), (9, 3, False), (2, 5, True), (0, 4, False)])
def test_len_matches_torch(n, bs, drop_last):
    loader = DataLoader(Range(n), batch_size=bs, drop_last=drop_last)
    assert len(loader) == len(list(loader))
    torch = pytest.importorskip("torch")
    assert len(loader) == len(torch.utils.data.DataLoader(Range(n), batch_size=bs, drop_last=drop_last))


def test_batch_size_none_no_batching_default_convert():
    class Arrays(Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return np.full(2, i, dtype=np.float32), i

    loader = DataLoader(Arrays(), batch_size=None)
    items = list(loader)
    assert len(loader) == 3 and len(items) == 3
    arr, i = items[1]
    assert isinstance(arr, minitorch.Tensor) and arr.tolist() == [1.0, 1.0] and i == 1
    assert isinstance(items[1], list)  # default_convert turns tuples into lists, as PyTorch does


def test_custom_batch_sampler_and_collate_fn():
    bs = BatchSampler(SequentialSampler(range(7)), 3, False)
    loader = DataLoader(Range(7), batch_sampler=bs, collate_fn=lambda b: sum(b))
    assert list(loader) == [3, 12, 6] and len(loader) == 3
    assert loader.batch_size is None and loader.drop_last is False


def test_custom_sampler_order():
    class Backwards(Sampler):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(self.n - 1, -1, -1))

        def __len__(self):
            return self.n

    assert _flat(DataLoader(Range(5), batch_size=2, sampler=Backwards(5))) == [4, 3, 2, 1, 0]


def test_iterable_dataset():
    loader = DataLoader(Stream(7), batch_size=3)
    assert [b.tolist() for b in loader] == [[0, 1, 2], [3, 4, 5], [6]]
    assert len(loader) == 3
    assert len(DataLoader(Stream(7), batch_size=3, drop_last=True)) == 2
    assert [b.tolist() for b in DataLoader(Stream(7), batch_size=3, drop_last=True)] == [[0, 1, 2], [3, 4, 5]]
    assert list(DataLoader(Stream(3), batch_size=None)) == [0, 1, 2]


def test_iterable_dataset_without_len():
    loader = DataLoader(Stream(4, with_len=False), batch_size=2)
    assert len(list(loader)) == 2
    with pytest.raises(TypeError):
        len(loader)


def test_iterable_dataset_longer_than_its_len_warns():
    class Liar(Stream):
        def __len__(self):
            return 2

    loader = DataLoader(Liar(5), batch_size=1)
    assert len(loader) == 2
    with pytest.warns(UserWarning, match="was reported to be 2"):
        list(loader)


def test_get_worker_info_is_none_in_main_process():
    assert get_worker_info() is None


def test_loader_attributes_and_frozen_settings():
    loader = DataLoader(Range(4), batch_size=2)
    assert loader.collate_fn is default_collate
    assert isinstance(loader.sampler, SequentialSampler) and isinstance(loader.batch_sampler, BatchSampler)
    with pytest.raises(ValueError, match="batch_size attribute should not be set after DataLoader is initialized"):
        loader.batch_size = 3
    loader.num_workers = 0  # not frozen


def test_pin_memory_is_accepted():
    with pytest.warns(UserWarning, match="pin_memory"):
        assert _flat(DataLoader(Range(4), batch_size=2, pin_memory=True)) == [0, 1, 2, 3]


def test_timeout_needs_workers():
    with pytest.raises(AssertionError, match="num_workers > 0"):
        iter(DataLoader(Range(4), timeout=1))


# ---- argument errors: same exception types as PyTorch -------------------------------------------------------

ARG_ERRORS = [
    ({"sampler": "seq", "shuffle": True}, ValueError, "sampler option is mutually exclusive with shuffle"),
    ({"batch_sampler": "batch", "batch_size": 2}, ValueError, "batch_sampler option is mutually exclusive"),
    ({"batch_sampler": "batch", "shuffle": True}, ValueError, "batch_sampler option is mutually exclusive"),
    ({"batch_sampler": "batch", "sampler": "seq"}, ValueError, "batch_sampler option is mutually exclusive"),
    ({"batch_sampler": "batch", "drop_last": True}, ValueError, "batch_sampler option is mutually exclusive"),
    ({"batch_size": None, "drop_last": True}, ValueError, "batch_size=None option disables auto-batching"),
    ({"num_workers": -1}, ValueError, "num_workers option should be non-negative"),
    ({"timeout": -1}, ValueError, "timeout option should be non-negative"),
    ({"prefetch_factor": 2}, ValueError, "prefetch_factor option could only be specified in multiprocessing"),
    ({"num_workers": 1, "prefetch_factor": -1}, ValueError, "prefetch_factor option should be non-negative"),
    ({"persistent_workers": True}, ValueError, "persistent_workers option needs num_workers > 0"),
    ({"multiprocessing_context": "spawn"}, ValueError, "multiprocessing_context can only be used with"),
    ({"num_workers": 1, "multiprocessing_context": "nope"}, ValueError, "should specify a valid start method"),
    ({"num_workers": 1, "multiprocessing_context": 3}, TypeError, "should be a valid context object"),
    ({"batch_size": 0}, ValueError, "batch_size should be a positive integer value"),
    ({"iterable": True, "shuffle": True}, ValueError, "expected unspecified shuffle option"),
    ({"iterable": True, "sampler": "seq"}, ValueError, "expected unspecified sampler option"),
    ({"iterable": True, "batch_sampler": "batch"}, ValueError, "expected unspecified batch_sampler option"),
]


def _make_kwargs(kwargs, lib_data, dataset):
    kwargs = dict(kwargs)
    kwargs.pop("iterable", None)
    if kwargs.get("sampler") == "seq":
        kwargs["sampler"] = lib_data.SequentialSampler(range(4))
    if kwargs.get("batch_sampler") == "batch":
        kwargs["batch_sampler"] = lib_data.BatchSampler(lib_data.SequentialSampler(range(4)), 2, False)
    return kwargs


@pytest.mark.parametrize("kwargs, exc, msg", ARG_ERRORS)
def test_argument_errors(kwargs, exc, msg):
    import minitorch.utils.data as ours

    dataset = Stream(4) if kwargs.get("iterable") else Range(4)
    with pytest.raises(exc, match=msg):
        DataLoader(dataset, **_make_kwargs(kwargs, ours, dataset))


@pytest.mark.parametrize("kwargs, exc, msg", ARG_ERRORS)
def test_argument_errors_match_torch(kwargs, exc, msg):
    torch = pytest.importorskip("torch")
    tdata = torch.utils.data

    class TStream(tdata.IterableDataset):
        def __iter__(self):
            return iter(range(4))

    class TRange(tdata.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return i

    dataset = TStream() if kwargs.get("iterable") else TRange()
    with pytest.raises(exc, match=msg):
        tdata.DataLoader(dataset, **_make_kwargs(kwargs, tdata, dataset))


# ---- bad input -------------------------------------------------------------------------------------------

class RaggedDataset(Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        return minitorch.zeros(3, 5 if i == 4 else 4), i


def test_inconsistent_shapes_error_names_position_and_shapes():
    with pytest.raises(RuntimeError) as info:
        list(DataLoader(RaggedDataset(), batch_size=6))
    assert str(info.value) == ("stack expects each tensor to be equal size, but got [3, 4] at entry 0 and [3, 5] at "
                               "entry 4. default_collate: item 4 of the batch has shape [3, 5] but item 0 has shape "
                               "[3, 4]; all items must have the same shape to be stacked")


class FloatSampler(Sampler):
    def __iter__(self):
        return iter([0, 1.5, 2])

    def __len__(self):
        return 3


@pytest.mark.parametrize("dataset", [Range(4), TensorDataset(minitorch.arange(4))])
def test_non_integer_index_from_custom_sampler(dataset):
    with pytest.raises(TypeError) as info:
        list(DataLoader(dataset, batch_size=2, sampler=FloatSampler()))
    msg = str(info.value)
    assert "FloatSampler" in msg and "1.5" in msg and "float" in msg


def test_non_integer_keys_still_work_for_datasets_that_accept_them():
    class ByName(Dataset):
        data = {"a": 1, "b": 2}

        def __len__(self):
            return 2

        def __getitem__(self, key):
            return self.data[key]

    class Names(Sampler):
        def __iter__(self):
            return iter(["b", "a"])

        def __len__(self):
            return 2

    assert [b.tolist() for b in DataLoader(ByName(), batch_size=2, sampler=Names())] == [[2, 1]]


def test_integer_index_errors_pass_through():
    class Broken(Range):
        def __getitem__(self, i):
            raise IndexError("my own message")

    with pytest.raises(IndexError, match="my own message"):
        list(DataLoader(Broken(3)))
