"""Collation: turn a list of samples into one batch.

``default_collate`` looks at the first sample and recurses into its
structure, so a batch keeps the shape of a sample with an extra leading
dimension on every tensor:

=====================================  =====================================
one sample                             the batch of ``B`` samples
=====================================  =====================================
Tensor of shape ``S``                  Tensor of shape ``(B, *S)`` (stacked)
NumPy array / NumPy scalar             Tensor (stacked), same dtype
Python ``float`` / ``int`` / ``bool``  float64 / int64 / bool Tensor of ``B``
``str`` or ``bytes``                   the ``B`` strings, unchanged (a list;
                                       a tuple inside a tuple or a list)
``dict``                               dict of collated values, per key
namedtuple                             the same namedtuple of collated fields
tuple / list                           a list (or the same sequence type) of
                                       collated columns
=====================================  =====================================

>>> default_collate([(minitorch.zeros(2), 0), (minitorch.ones(2), 1)])
[tensor([[0., 0.],
        [1., 1.]]), tensor([0, 1])]
"""

from __future__ import annotations

import collections.abc
import copy
import re
from typing import Callable

import numpy as np

from ... import _dtype
from ..._tensor import Tensor, _wrap
from ...ops.creation import as_tensor, tensor
from ...ops.shape import stack

__all__ = ["default_collate", "default_convert", "collate", "default_collate_fn_map"]

# NumPy dtypes that hold strings or Python objects (kinds S, a, U, O) cannot become tensors.
_np_str_obj_pattern = re.compile(r"[SaUO]")

_err_msg = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"


# ---- the leaf rules: one function per element type ----------------------------------------------

def collate_tensor_fn(batch, *, collate_fn_map=None):
    """Stack same-shaped tensors along a new first dimension: ``stack(batch, 0)``."""
    # BEGIN SOLUTION 5.4
    # HINT: same-shaped tensors are stacked along a new first dimension: stack(batch, 0)
    if _plain_cpu_batch(batch):
        # Fast path, equal to stack(batch, 0) for CPU tensors of one shape and dtype that need no grad
        # (the usual batch): np.array copies the rows into one new array in C, skipping the op's
        # per-tensor checks. It makes collation about 5x faster, see benchmarks/bench_dataloader.py.
        return _wrap(np.array([t._data for t in batch]), batch[0]._device)
    try:
        return stack(batch, 0)
    except RuntimeError:
        _check_same_shapes(batch)  # say which item of the batch is the odd one out
        raise
    # END SOLUTION


def _plain_cpu_batch(batch) -> bool:
    first = batch[0]._data
    return batch[0]._device.type == "cpu" and all(
        type(t) is Tensor and not t._rg and t._data.shape == first.shape and t._data.dtype == first.dtype
        for t in batch
    )


def _check_same_shapes(batch) -> None:
    # PyTorch's stack message first (so code matching it works), then what it means for a batch.
    ref = batch[0].shape
    for i, t in enumerate(batch):
        if t.shape != ref:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(ref)} at entry 0 and {list(t.shape)} "
                f"at entry {i}. default_collate: item {i} of the batch has shape {list(t.shape)} but item 0 has "
                f"shape {list(ref)}; all items must have the same shape to be stacked"
            ) from None


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    """Arrays become tensors (same dtype), then are stacked like tensors."""
    if _np_str_obj_pattern.search(batch[0].dtype.str) is not None:
        raise TypeError(_err_msg.format(batch[0].dtype))
    return collate([as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None):
    """NumPy scalars (``np.float32(1)``, ``np.int64(2)``...) keep their dtype."""
    return as_tensor(np.array(batch))


def collate_float_fn(batch, *, collate_fn_map=None):
    """Python floats are double precision, so the batch is float64."""
    return tensor(batch, dtype=_dtype.float64)


def collate_int_fn(batch, *, collate_fn_map=None):
    """Python ints become int64 (and bools a bool tensor), as ``tensor(batch)`` infers."""
    return tensor(batch)


def collate_str_fn(batch, *, collate_fn_map=None):
    """Strings cannot be tensors: the batch is the list of strings."""
    return batch


# Looked up by exact type first, then by isinstance in this order (so bool uses the int rule).
default_collate_fn_map: dict[type | tuple, Callable] = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


# ---- the recursion over containers -----------------------------------------------------------------

def _leaf_fn(elem, collate_fn_map):
    if collate_fn_map is None:
        return None
    if type(elem) in collate_fn_map:
        return collate_fn_map[type(elem)]
    for types, fn in collate_fn_map.items():
        if isinstance(elem, types):
            return fn
    return None


def _collate_mapping(batch, collate_fn_map):
    values = {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map) for key in batch[0]}
    return _rebuild_mapping(batch[0], values)


def _collate_sequence(batch, collate_fn_map):
    elem = batch[0]
    size = len(elem)
    if not all(len(e) == size for e in batch):
        raise RuntimeError("each element in list of batch should be of equal size")
    # Transpose: [(x0, y0), (x1, y1)] -> [(x0, x1), (y0, y1)], then collate each column.
    # BEGIN SOLUTION 5.5
    # HINT: transpose the batch of samples into columns (zip(*batch)) and collate each column recursively
    columns = [collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)]
    # END SOLUTION
    if isinstance(elem, tuple):
        return columns  # tuples become lists (PyTorch keeps this for backwards compatibility)
    return _rebuild_sequence(elem, columns)


def collate(batch, *, collate_fn_map: dict | None = None):
    """Collate ``batch`` with the leaf rules in ``collate_fn_map`` and recurse into containers.

    >>> collate([1.5, 2.5], collate_fn_map=default_collate_fn_map)
    tensor([1.5000, 2.5000], dtype=minitorch.float64)
    """
    elem = batch[0]
    fn = _leaf_fn(elem, collate_fn_map)
    if fn is not None:
        return fn(batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        return _collate_mapping(batch, collate_fn_map)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple: collate field by field
        return type(elem)(*(collate(s, collate_fn_map=collate_fn_map) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        return _collate_sequence(batch, collate_fn_map)
    raise TypeError(_err_msg.format(type(elem)))


def default_collate(batch):
    """Put a list of samples together into a batch (see the table at the top of this file).

    >>> default_collate([{"x": 1.0, "name": "a"}, {"x": 2.0, "name": "b"}])
    {'x': tensor([1., 2.], dtype=minitorch.float64), 'name': ['a', 'b']}
    """
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data):
    """Convert NumPy arrays (also inside containers) to tensors; used when ``batch_size=None``.

    >>> default_convert([np.array([0, 1]), 3])
    [tensor([0, 1]), 3]
    """
    if isinstance(data, Tensor):
        return data
    if type(data).__module__ == "numpy" and not isinstance(data, (np.str_, np.bytes_)):
        if isinstance(data, np.ndarray) and _np_str_obj_pattern.search(data.dtype.str) is not None:
            return data
        return as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_sequence(data, [default_convert(d) for d in data])
    return data


def _rebuild_mapping(data, values: dict):
    """A mapping of the same type as ``data`` holding ``values`` (a plain dict if that type cannot be rebuilt)."""
    try:
        if isinstance(data, collections.abc.MutableMapping):
            clone = copy.copy(data)  # keeps the mapping's own type and extra attributes
            clone.update(values)
            return clone
        return type(data)(values)
    except TypeError:
        return values


def _rebuild_sequence(data, values: list):
    """A sequence of the same type as ``data`` holding ``values`` (a list if e.g. ``data`` is a range)."""
    try:
        if isinstance(data, collections.abc.MutableSequence):
            clone = copy.copy(data)
            for i, v in enumerate(values):
                clone[i] = v
            return clone
        return type(data)(values)
    except TypeError:
        return values
