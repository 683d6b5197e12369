"""default_collate / default_convert: PyTorch's rules, compared with torch's output when installed."""

import collections

import numpy as np
import pytest

import minitorch
from minitorch.utils.data import default_collate, default_convert

Point = collections.namedtuple("Point", ["x", "y"])


def _to_minitorch(sample):
    """The same sample with numpy arrays standing in for tensors, rebuilt for minitorch."""
    if isinstance(sample, _T):
        return minitorch.tensor(sample.a)
    if isinstance(sample, dict):
        return {k: _to_minitorch(v) for k, v in sample.items()}
    if isinstance(sample, tuple) and hasattr(sample, "_fields"):
        return type(sample)(*(_to_minitorch(v) for v in sample))
    if isinstance(sample, (list, tuple)):
        return type(sample)(_to_minitorch(v) for v in sample)
    return sample


def _to_torch(sample, torch):
    if isinstance(sample, _T):
        return torch.tensor(sample.a)
    if isinstance(sample, dict):
        return {k: _to_torch(v, torch) for k, v in sample.items()}
    if isinstance(sample, tuple) and hasattr(sample, "_fields"):
        return type(sample)(*(_to_torch(v, torch) for v in sample))
    if isinstance(sample, (list, tuple)):
        return type(sample)(_to_torch(v, torch) for v in sample)
    return sample


class _T:
    """Marks 'a tensor with these numbers' in a test sample."""

    def __init__(self, a):
        self.a = np.asarray(a)


def _assert_same(ours, theirs):
    """Same structure, container types, dtypes, shapes and values."""
    if type(theirs).__module__.startswith("torch"):
        assert isinstance(ours, minitorch.Tensor), type(ours)
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        assert tuple(ours.shape) == tuple(theirs.shape)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        return
    assert type(ours) is type(theirs), (type(ours), type(theirs))
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs)
        for k in theirs:
            _assert_same(ours[k], theirs[k])
    elif isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _assert_same(a, b)
    else:
        assert ours == theirs


BATCHES = {
    "tensors": [_T([[1.0, 2.0]]), _T([[3.0, 4.0]]), _T([[5.0, 6.0]])],
    "int_tensors": [_T(1), _T(2)],
    "numpy_arrays": [np.arange(3, dtype=np.float32), np.arange(3, 6, dtype=np.float32)],
    "numpy_int_arrays": [np.array([1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)],
    "numpy_uint8_images": [np.zeros((2, 2, 3), np.uint8), np.ones((2, 2, 3), np.uint8)],
    "numpy_scalars_f32": [np.float32(1.5), np.float32(2.5)],
    "numpy_scalars_i64": [np.int64(1), np.int64(2)],
    "numpy_scalars_mixed": [np.float32(1.5), np.float64(2.5)],
    "numpy_bool": [np.bool_(True), np.bool_(False)],
    "floats": [1.0, 2.5, -3.0],
    "ints": [1, 2, 3],
    "bools": [True, False],
    "int_then_float": [1, 2.5],
    "strings": ["a", "bb"],
    "bytes": [b"a", b"b"],
    "tuples": [(_T([1.0]), 0), (_T([2.0]), 1)],
    "lists": [[1, 2.0], [3, 4.0]],
    "dicts": [{"x": _T([1.0, 2.0]), "y": 1, "name": "a"}, {"x": _T([3.0, 4.0]), "y": 2, "name": "b"}],
    "namedtuples": [Point(1, 2.0), Point(3, 4.0)],
    "nested": [{"pair": (_T([1]), [1.0, 2.0]), "p": Point(_T(0.5), "s")},
               {"pair": (_T([2]), [3.0, 4.0]), "p": Point(_T(1.5), "t")}],
}


@pytest.mark.parametrize("name", list(BATCHES))
def test_default_collate_matches_torch(name):
    torch = pytest.importorskip("torch")
    batch = BATCHES[name]
    ours = default_collate([_to_minitorch(s) for s in batch])
    theirs = torch.utils.data.default_collate([_to_torch(s, torch) for s in batch])
    _assert_same(ours, theirs)


def test_default_collate_rules_without_torch():
    out = default_collate([(minitorch.zeros(2), 0, 1.5, "a"), (minitorch.ones(2), 1, 2.5, "b")])
    assert isinstance(out, list) and len(out) == 4
    assert out[0].shape == (2, 2) and out[0].dtype == minitorch.float32
    assert out[1].dtype == minitorch.int64 and out[1].tolist() == [0, 1]
    assert out[2].dtype == minitorch.float64 and out[2].tolist() == [1.5, 2.5]
    assert out[3] == ("a", "b")  # columns of a transposed batch are tuples, as in PyTorch
    d = default_collate([{"k": np.float32(1)}, {"k": np.float32(2)}])
    assert d["k"].dtype == minitorch.float32
    p = default_collate([Point(1, 2), Point(3, 4)])
    assert isinstance(p, Point) and p.x.tolist() == [1, 3]


def test_inconsistent_shapes_name_position_and_shapes():
    batch = [minitorch.zeros(3, 4)] * 3 + [minitorch.zeros(3, 5)]
    msg = ("stack expects each tensor to be equal size, but got [3, 4] at entry 0 and [3, 5] at entry 3. "
           "default_collate: item 3 of the batch has shape [3, 5] but item 0 has shape [3, 4]; "
           "all items must have the same shape to be stacked")
    with pytest.raises(RuntimeError) as info:
        default_collate(batch)
    assert str(info.value) == msg


def test_inconsistent_numpy_shapes_inside_tuples():
    batch = [(np.zeros(2), 0), (np.zeros(3), 1)]
    with pytest.raises(RuntimeError, match=r"item 1 of the batch has shape \[3\] but item 0 has shape \[2\]"):
        default_collate(batch)


def test_unequal_sequence_lengths():
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal size"):
        default_collate([[1, 2], [3]])
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal size"):
        torch.utils.data.default_collate([[1, 2], [3]])


@pytest.mark.parametrize("batch", [[object(), object()], [np.array(["a"]), np.array(["b"])], [None, None]])
def test_unsupported_types_raise_type_error_like_torch(batch):
    with pytest.raises(TypeError, match="default_collate: batch must contain tensors, numpy arrays, numbers"):
        default_collate(batch)
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="default_collate: batch must contain tensors, numpy arrays, numbers"):
        torch.utils.data.default_collate(batch)


CONVERT = {
    "int": 0,
    "array": np.array([0, 1]),
    "float_array": np.array([0.5], dtype=np.float32),
    "np_scalar": np.float64(2.0),
    "str_array": np.array(["a", "b"]),
    "np_str": np.str_("x"),
    "namedtuple": Point(np.array(0), 1),
    "tuple": (np.array([1]), "a"),
    "list": [np.array([0, 1]), np.array([2, 3])],
    "dict": {"a": np.array([1.0]), "b": "s"},
    "range": range(3),
}


@pytest.mark.parametrize("name", list(CONVERT))
def test_default_convert_matches_torch(name):
    torch = pytest.importorskip("torch")
    data = CONVERT[name]
    ours, theirs = default_convert(data), torch.utils.data.default_convert(data)
    if isinstance(theirs, np.ndarray):
        assert ours is data
    else:
        _assert_same(ours, theirs)


def test_default_convert_keeps_tensors():
    t = minitorch.ones(2)
    assert default_convert(t) is t
    assert default_convert([t])[0] is t
