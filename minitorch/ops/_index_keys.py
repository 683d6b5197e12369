"""Index keys: turning what users write inside ``x[...]`` into a key NumPy/CuPy can apply, with
PyTorch's rules and error messages (used by ``minitorch/ops/indexing.py``).

* ints, slices, None and ``...`` are *basic* (the result is a view);
* integer lists/tensors and bool masks are *advanced* (the result is a copy);
* PyTorch applies integers before index arrays, NumPy together with them: see ``_split_ints``.
"""

from __future__ import annotations

import numpy as np

from ._util import Tensor


# ---- keys ------------------------------------------------------------------------------------
def _as_tuple(key):
    """PyTorch (like old NumPy) reads a short list holding lists, tensors, slices, None or ... as a tuple:
    ``x[[0, [1, 2]]]`` is ``x[0, [1, 2]]``, while ``x[[0, 1]]`` stays one integer-list index."""
    if isinstance(key, tuple):
        return key
    if isinstance(key, list) and len(key) < 32:
        if any(isinstance(k, (Tensor, list, tuple, slice, np.ndarray)) or k is None or k is Ellipsis for k in key):
            return tuple(key)
    return (key,)


def _convert_key(key, device):
    """Turn a user key into one NumPy/CuPy understands; report whether it is basic."""
    out, basic = [], True
    for k in _as_tuple(key):
        if isinstance(k, Tensor):
            if k.dtype.is_floating_point:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if k.ndim == 0 and k.dtype.name != "bool":  # a 0-d integer tensor indexes like an int (a view)
                out.append(int(k.item()))
                continue
            data = k._data
            if data.dtype == np.uint8:  # a byte tensor is a mask (deprecated in PyTorch, still accepted)
                data = data.astype(bool)
            if k._device != device:  # as PyTorch: CPU indices are copied over, other devices refused
                if k._device.type != "cpu":
                    raise RuntimeError(
                        f"indices should be either on cpu or on the same device as the indexed tensor ({device})"
                    )
                data = device.backend.from_host(data)
            out.append(data)
            basic = False
        elif isinstance(k, (list, tuple, np.ndarray)):
            arr = np.asarray([x.item() if isinstance(x, Tensor) else x for x in k] if isinstance(k, (list, tuple)) else k)
            if arr.size == 0 and arr.dtype.kind == "f":  # x[[]] selects nothing
                arr = arr.astype(np.int64)
            if arr.dtype.kind == "f":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if arr.dtype == object:
                raise IndexError(f"invalid index {k!r}")
            out.append(device.backend.from_host(arr) if device.type != "cpu" else arr)
            basic = False
        elif isinstance(k, bool):
            out.append(k)
            basic = False
        elif k is None or k is Ellipsis or isinstance(k, (int, np.integer, slice)):
            if isinstance(k, slice) and k.step is not None and k.step <= 0:
                raise ValueError("step must be greater than zero")
            out.append(k)
        else:
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
                f"(got {type(k).__name__})"
            )
    return tuple(out), basic


def _check_key(key, shape) -> None:
    """Raise PyTorch's IndexError for a key that does not fit ``shape`` (before NumPy words it differently)."""
    shape = tuple(shape)
    if not shape:
        for k in key:
            if isinstance(k, slice):
                raise IndexError("slice() cannot be applied to a 0-dim tensor.")
            if _is_int(k) or (hasattr(k, "dtype") and k.dtype.kind in "iu"):
                raise IndexError(
                    "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to "
                    "convert a 0-dim tensor to a number"
                )
    used = sum(_dims_used(k) for k in key if k is not Ellipsis)
    if used > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    dim = 0
    for k in key:
        if k is Ellipsis:
            dim += len(shape) - used
            continue
        if _is_int(k) and not -shape[dim] <= k < shape[dim]:
            raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {shape[dim]}")
        if hasattr(k, "dtype") and k.dtype.kind == "b" and k.ndim:
            for j, s in enumerate(k.shape):
                if s != shape[dim + j]:
                    raise IndexError(
                        f"The shape of the mask {list(k.shape)} at index {j} does not match the shape of the indexed "
                        f"tensor {list(shape)} at index {dim + j}"
                    )
        dim += _dims_used(k)


def _dims_used(k) -> int:
    """How many dimensions of the tensor a key item consumes."""
    if k is None or isinstance(k, bool) or k is Ellipsis:
        return 0
    if hasattr(k, "dtype") and k.dtype.kind == "b":
        return k.ndim
    return 1


def _index_error(e, shape):
    return IndexError(str(e).replace("axis", "dimension"))


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _split_ints(key):
    """Split a key into a basic key (ints, slices, None, ...) and the advanced key to apply after it."""
    first, rest = [], []
    for x in key:
        if _is_int(x):
            first.append(x)
        elif x is None or isinstance(x, slice):
            first.append(x)
            rest.append(slice(None))
        elif x is Ellipsis:
            first.append(x)
            rest.append(x)
        elif isinstance(x, bool):  # True/False add a dimension and consume none
            rest.append(x)
        else:  # an index array: a bool mask consumes one dimension per mask dimension
            first.extend([slice(None)] * (x.ndim if x.dtype.kind == "b" else 1))
            rest.append(x)
    return tuple(first), tuple(rest)
