"""Safe checkpoints: ``save`` / ``load`` without pickle, and ``.safetensors`` files.

``torch.save`` writes a pickle, and unpickling a file can run any code its
author chose: loading a checkpoint from the internet is running a program
from the internet. minitorch's format cannot do that, by construction:

* the file is a zip archive (uncompressed) holding
  ``minitorch/data.json``, a JSON description of the saved object, and one
  ``arrays/<n>.npy`` entry per tensor or array, in NumPy's .npy format;
* ``load`` parses the JSON (plain data: no code), checks every node against
  the few types below, and reads the arrays with ``allow_pickle=False``.

The saved object may nest ``dict`` (also ``OrderedDict``; keys may be
strings, numbers, booleans, None or tuples of those), ``list``, ``tuple``,
tensors, NumPy arrays and scalars, ``int``, ``float``, ``bool``, ``str``,
``bytes``, ``None``, ``minitorch.dtype``, ``minitorch.device`` and
``minitorch.Size``: what model and optimizer state dicts and training
checkpoints hold. Anything else raises a TypeError at save time.

The file is also a valid ``.npz``: ``numpy.load(path)`` lists its arrays.
"""

from __future__ import annotations

import io
import json
import math
import os
import warnings
import zipfile
from collections import OrderedDict
from typing import Any, BinaryIO, Union

import numpy as np

from . import _dtype
from ._backend import as_device
from ._backend import device as _device_cls
from ._size import Size
from ._tensor import Tensor, _wrap

__all__ = ["save", "load", "save_safetensors", "load_safetensors"]

FileLike = Union[str, os.PathLike, BinaryIO]

_FORMAT = "minitorch.save"
_VERSION = 1
_DATA = "minitorch/data.json"
_EXPECTED = (f"expected a zip file with '{_DATA}' and 'arrays/*.npy' entries, as written by minitorch.save; "
             "minitorch.load never unpickles")


# ---- save ---------------------------------------------------------------------------------------
def save(obj: Any, f: FileLike) -> None:
    """Save ``obj`` (nested dicts/lists/tuples of tensors, arrays, numbers, strings) to ``f``.

    ``f`` is a path or a binary file object opened for writing.

    >>> minitorch.save({"model": model.state_dict(), "epoch": 3}, "checkpoint.pt")
    >>> ckpt = minitorch.load("checkpoint.pt")
    """
    arrays: list[np.ndarray] = []
    seen: dict[int, int] = {}  # id(tensor or array) -> its array number: shared tensors stay shared
    description = {"format": _FORMAT, "version": _VERSION,
                   "object": _encode(obj, arrays, seen, keep_alive=[])}
    text = json.dumps(description, allow_nan=False)
    with _open_zip(f, "w") as zf:
        zf.writestr(_DATA, text)
        for i, arr in enumerate(arrays):
            buffer = io.BytesIO()
            np.save(buffer, arr, allow_pickle=False)
            zf.writestr(f"arrays/{i}.npy", buffer.getvalue())


def _open_zip(f: FileLike, mode: str) -> zipfile.ZipFile:
    if isinstance(f, (str, os.PathLike)):
        return zipfile.ZipFile(os.fspath(f), mode, compression=zipfile.ZIP_STORED)
    return zipfile.ZipFile(f, mode, compression=zipfile.ZIP_STORED)


def _array_ref(data, obj, arrays: list, seen: dict, keep_alive: list) -> str:
    """Store ``data`` (the numbers of ``obj``) once and return its entry name."""
    if id(obj) not in seen:
        seen[id(obj)] = len(arrays)
        arrays.append(data)
        keep_alive.append(obj)  # ids stay unique while we hold the objects
    return f"arrays/{seen[id(obj)]}.npy"


def _encode(obj, arrays: list, seen: dict, keep_alive: list) -> dict:
    """``obj`` as a JSON-able node ``{"type": ..., ...}`` (arrays go to ``arrays``)."""
    def enc(x):
        return _encode(x, arrays, seen, keep_alive)

    if obj is None:
        return {"type": "none"}
    if isinstance(obj, np.generic):  # a NumPy scalar such as np.float32(1.5) (np.float64 is also a float)
        _check_array_dtype(obj.dtype, "save")
        return {"type": "npscalar", "data": _array_ref(np.asarray(obj), obj, arrays, seen, keep_alive)}
    if isinstance(obj, bool):  # before int: bool is a subclass of int
        return {"type": "bool", "value": obj}
    if isinstance(obj, int):
        return {"type": "int", "value": obj}
    if isinstance(obj, float):
        return {"type": "float", "value": obj if math.isfinite(obj) else repr(obj)}  # 'nan', 'inf', '-inf'
    if isinstance(obj, str):
        return {"type": "str", "value": obj}
    if isinstance(obj, bytes):
        return {"type": "bytes", "value": obj.hex()}
    if isinstance(obj, Tensor):
        node = {"type": "tensor", "data": _array_ref(obj.detach()._host(), obj, arrays, seen, keep_alive),
                "device": str(obj.device), "requires_grad": obj.requires_grad}
        if type(obj).__name__ == "Parameter":
            node["parameter"] = True
        return node
    if isinstance(obj, np.ndarray):
        _check_array_dtype(obj.dtype, "save")
        return {"type": "ndarray", "data": _array_ref(obj, obj, arrays, seen, keep_alive)}
    if isinstance(obj, _dtype.dtype):
        return {"type": "dtype", "value": obj.name}
    if isinstance(obj, _device_cls):
        return {"type": "device", "value": str(obj)}
    if isinstance(obj, Size):
        return {"type": "size", "value": [int(n) for n in obj]}
    if isinstance(obj, dict):
        kind = "ordereddict" if isinstance(obj, OrderedDict) else "dict"
        return {"type": kind, "items": [[enc(k), enc(v)] for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)) and type(obj) in (list, tuple):
        return {"type": type(obj).__name__, "items": [enc(v) for v in obj]}
    hint = " Save its state_dict() instead." if hasattr(obj, "state_dict") else ""
    raise TypeError(
        f"minitorch.save cannot save an object of type {type(obj).__name__}: only nested dict, OrderedDict, list "
        "and tuple of tensors, NumPy arrays, numbers, bools, strings, bytes, None, dtypes and devices can be "
        f"saved (a format that never runs code on load).{hint}"
    )


def _check_array_dtype(dt: np.dtype, op: str) -> None:
    if dt.kind not in "biufc" or dt.hasobject:
        raise TypeError(f"minitorch.{op}: arrays of dtype {dt} cannot be saved safely (numbers and bools only)")


# ---- load ---------------------------------------------------------------------------------------
def load(f: FileLike, map_location=None, weights_only: bool = True) -> Any:
    """Load an object saved by ``save``. Never runs code from the file.

    ``map_location`` says where tensors go: None (the device they were saved
    from), a device or string ("cpu"), a dict mapping saved device strings to
    new ones (``{"cuda:0": "cpu"}``), or a function ``fn(tensor, location)``
    that receives each tensor on the CPU and its saved device string and
    returns the tensor to use (or None for the default). ``weights_only`` is
    accepted for PyTorch compatibility: minitorch's format only ever holds data.

    >>> state = minitorch.load("model.pt", map_location="cpu")
    """
    name = repr(os.fspath(f)) if isinstance(f, (str, os.PathLike)) else "the file"
    try:
        zf = _open_zip(f, "r")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as e:
        raise RuntimeError(f"{name} is not a minitorch checkpoint ({_EXPECTED}): {_why_not(f, e)}") from None
    with zf:
        description = _read_description(zf, name)
        reader = _Reader(zf, name, map_location)
        try:
            return reader.decode(description["object"])
        except RecursionError:
            raise RuntimeError(f"{name} is not a valid minitorch checkpoint: its description is nested too "
                               "deeply") from None


def _why_not(f: FileLike, error: Exception) -> str:
    """A short reason for a file that is not a zip archive."""
    head = b""
    try:
        if isinstance(f, (str, os.PathLike)):
            with open(f, "rb") as fh:
                head = fh.read(2)
        elif hasattr(f, "seek"):
            f.seek(0)
            head = f.read(2)
    except OSError:
        pass
    if head[:1] == b"\x80" or head[:1] in (b"(", b"}", b"]"):
        return ("it looks like a pickle file (e.g. written by an old torch.save); minitorch does not unpickle "
                "files, since unpickling can run arbitrary code")
    return f"{type(error).__name__}: {error}" if str(error) else "it is not a zip archive or it is truncated"


def _read_description(zf: zipfile.ZipFile, name: str) -> dict:
    names = set(zf.namelist())
    if _DATA not in names:
        if any(n.endswith("data.pkl") for n in names):
            raise RuntimeError(
                f"{name} is not a minitorch checkpoint ({_EXPECTED}): it looks like a PyTorch checkpoint "
                "(torch.save's zip with a pickle inside). Load it with torch and convert the tensors to NumPy "
                "arrays, or save it as .safetensors and use minitorch.serialization.load_safetensors."
            )
        raise RuntimeError(f"{name} is not a minitorch checkpoint ({_EXPECTED}): '{_DATA}' is missing")
    try:
        description = json.loads(zf.read(_DATA).decode("utf-8"))
    except (zipfile.BadZipFile, EOFError, OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
        raise RuntimeError(f"{name} is not a valid minitorch checkpoint: cannot read '{_DATA}' "
                           f"({type(e).__name__}: {e})") from None
    if not isinstance(description, dict) or description.get("format") != _FORMAT or "object" not in description:
        raise RuntimeError(f"{name} is not a minitorch checkpoint ({_EXPECTED}): '{_DATA}' does not describe one")
    version = description.get("version")
    if not isinstance(version, int) or version > _VERSION:
        raise RuntimeError(f"{name} was written by a newer minitorch (format version {version!r}); this one reads "
                           f"version {_VERSION}")
    return description


class _Reader:
    """Turns the JSON description back into objects, checking every node."""

    def __init__(self, zf: zipfile.ZipFile, name: str, map_location) -> None:
        self.zf, self.name, self.map_location = zf, name, map_location
        self.members = set(zf.namelist())
        self.loaded: dict[str, Any] = {}  # entry name -> tensor/array: shared objects stay shared

    def fail(self, why: str):
        raise RuntimeError(f"{self.name} is not a valid minitorch checkpoint: {why}")

    def decode(self, node):
        if not isinstance(node, dict) or not isinstance(node.get("type"), str):
            self.fail(f"expected an object node, got {type(node).__name__}")
        kind = node["type"]
        if kind not in _KINDS:
            self.fail(f"unknown node type {kind!r}")
        return getattr(self, "_" + kind)(node)

    def value(self, node, *types):
        v = node.get("value")
        if not isinstance(v, types) or (bool not in types and isinstance(v, bool)):
            self.fail(f"a {node['type']} node holds {type(v).__name__}")
        return v

    def _none(self, node):
        return None

    def _bool(self, node):
        return self.value(node, bool)

    def _int(self, node):
        return self.value(node, int)

    def _float(self, node):
        v = self.value(node, int, float, str)
        if isinstance(v, str) and v not in ("nan", "inf", "-inf"):
            self.fail(f"bad float value {v!r}")
        return float(v)

    def _str(self, node):
        return self.value(node, str)

    def _bytes(self, node):
        try:
            return bytes.fromhex(self.value(node, str))
        except ValueError:
            self.fail("bad bytes value")

    def _dtype(self, node):
        try:
            return _dtype.as_dtype(self.value(node, str))
        except TypeError:
            self.fail(f"unknown dtype {node['value']!r}")

    def _device(self, node):
        try:
            return _device_cls(self.value(node, str))
        except (RuntimeError, ValueError):
            self.fail(f"bad device {node['value']!r}")

    def _size(self, node):
        v = self.value(node, list)
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in v):
            self.fail("bad size")
        return Size(v)

    def _items(self, node) -> list:
        items = node.get("items")
        if not isinstance(items, list):
            self.fail(f"a {node['type']} node has no item list")
        return items

    def _list(self, node):
        return [self.decode(v) for v in self._items(node)]

    def _tuple(self, node):
        return tuple(self._list(node))

    def _dict(self, node, cls=dict):
        out = cls()
        for pair in self._items(node):
            if not isinstance(pair, list) or len(pair) != 2:
                self.fail("a dict item is not a [key, value] pair")
            key = self.decode(pair[0])
            try:
                hash(key)
            except TypeError:
                self.fail(f"a dict key of type {type(key).__name__} is not hashable")
            out[key] = self.decode(pair[1])
        return out

    def _ordereddict(self, node):
        return self._dict(node, OrderedDict)

    def _array(self, node) -> np.ndarray:
        entry = node.get("data")
        if not isinstance(entry, str) or entry not in self.members or not entry.startswith("arrays/"):
            self.fail(f"missing array entry {entry!r}")
        try:
            with self.zf.open(entry) as fh:
                arr = np.load(io.BytesIO(fh.read()), allow_pickle=False)
        except (ValueError, OSError, EOFError, zipfile.BadZipFile) as e:  # object arrays land here: no pickle
            self.fail(f"cannot read {entry} ({type(e).__name__}: {e})")
        if not isinstance(arr, np.ndarray) or arr.dtype.kind not in "biufc":
            self.fail(f"{entry} does not hold numbers")
        return arr

    def _ndarray(self, node):
        entry = node.get("data")
        if entry not in self.loaded:
            self.loaded[entry] = self._array(node)
        return self.loaded[entry]

    def _npscalar(self, node):
        return self._array(node)[()]

    def _tensor(self, node):
        entry = node.get("data")
        if isinstance(self.loaded.get(entry), Tensor):
            return self.loaded[entry]
        arr = self._array(node)
        try:
            _dtype.from_numpy_dtype(arr.dtype)
        except TypeError:
            self.fail(f"tensor {entry} has unsupported dtype {arr.dtype}")
        location = node.get("device", "cpu")
        if not isinstance(location, str):
            self.fail("bad tensor device")
        t = _place(_wrap(_c_order(arr)), location, self.map_location)
        if node.get("requires_grad") is True and t.dtype.is_floating_point:
            t.requires_grad_(True)
        if node.get("parameter") is True:
            t = _as_parameter(t)
        self.loaded[entry] = t
        return t


_KINDS = {"none", "bool", "int", "float", "str", "bytes", "dtype", "device", "size", "list", "tuple", "dict",
          "ordereddict", "ndarray", "npscalar", "tensor"}


def _place(t: Tensor, location: str, map_location) -> Tensor:
    """Move a freshly read CPU tensor to where ``map_location`` says (PyTorch's rules)."""
    if callable(map_location) and not isinstance(map_location, (str, _device_cls)):
        result = map_location(t, location)
        return t if result is None else result
    if isinstance(map_location, dict):
        target = map_location.get(location, location)
    elif map_location is None:
        target = location
    else:
        target = map_location
    target = as_device(target)
    if target.type == "cuda":
        from . import cuda

        if not cuda.is_available():
            raise RuntimeError(
                f"Attempting to deserialize object on a CUDA device ({target}) but minitorch.cuda.is_available() "
                "is False. If you are running on a CPU-only machine, please use minitorch.load with "
                "map_location='cpu' to map your storages to the CPU."
            )
    return t if target == t.device else t.to(target)


def _as_parameter(t: Tensor) -> Tensor:
    try:
        from .nn import Parameter
    except ImportError:  # minitorch.nn not available: a plain tensor
        return t
    return Parameter(t, requires_grad=t.requires_grad)


# ---- safetensors ------------------------------------------------------------------------------
def _safetensors():
    try:
        import safetensors
    except ImportError:
        raise ImportError("reading and writing .safetensors files needs the 'safetensors' package: "
                          "pip install safetensors") from None
    return safetensors


def save_safetensors(state_dict: dict[str, Any], path: str | os.PathLike,
                     metadata: dict[str, str] | None = None) -> None:
    """Write a flat ``{name: tensor}`` dict (e.g. ``model.state_dict()``) as a ``.safetensors`` file.

    The file can be read by PyTorch (``safetensors.torch.load_file``) and others.

    >>> save_safetensors(model.state_dict(), "model.safetensors")
    """
    _safetensors()
    from safetensors.numpy import save_file

    arrays = {}
    for key, value in state_dict.items():
        if not isinstance(key, str):
            raise TypeError(f"save_safetensors: keys must be strings, got {type(key).__name__} ({key!r})")
        if isinstance(value, Tensor):
            value = value.detach()._host()
        if not isinstance(value, np.ndarray):
            raise TypeError(f"save_safetensors: value of {key!r} must be a tensor or a NumPy array, got "
                            f"{type(value).__name__} (a .safetensors file holds tensors only)")
        arrays[key] = _c_order(value)
    save_file(arrays, os.fspath(path), metadata=metadata)


def load_safetensors(path: str | os.PathLike, device="cpu") -> "OrderedDict[str, Tensor]":
    """Read a ``.safetensors`` file (e.g. written by PyTorch) into ``{name: tensor}``.

    bfloat16 tensors (which NumPy cannot hold) are widened to float32, exactly, with a warning.

    >>> model.load_state_dict(load_safetensors("model.safetensors"))
    """
    safetensors = _safetensors()
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        entries = safetensors.deserialize(raw)
    except Exception as e:  # safetensors raises its own SafetensorError
        raise RuntimeError(f"{os.fspath(path)!r} is not a valid .safetensors file: {e}") from None
    out: OrderedDict[str, Tensor] = OrderedDict()
    for key, info in entries:
        arr = _safetensors_array(key, info)
        out[key] = _place(_wrap(arr), "cpu", device)
    return out


_SAFETENSORS_DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64,
                       "I32": np.int32, "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def _safetensors_array(key: str, info: dict) -> np.ndarray:
    dtype, shape, data = info["dtype"], info["shape"], info["data"]
    if dtype == "BF16":  # bfloat16 is the top half of a float32: shift the bits into place
        warnings.warn(f"load_safetensors: {key!r} is bfloat16, which NumPy cannot hold; loaded as float32",
                      UserWarning, stacklevel=3)
        bits = np.frombuffer(data, dtype="<u2").astype(np.uint32) << 16
        return bits.view(np.float32).reshape(shape)
    if dtype not in _SAFETENSORS_DTYPES:
        raise TypeError(f"load_safetensors: {key!r} has dtype {dtype}, which minitorch does not support")
    return np.frombuffer(data, dtype=np.dtype(_SAFETENSORS_DTYPES[dtype]).newbyteorder("<")).reshape(shape).copy()


def _c_order(arr: np.ndarray) -> np.ndarray:
    """``arr`` in C order (np.ascontiguousarray would turn a 0-d array into a 1-d one)."""
    return arr if arr.flags.c_contiguous else arr.copy(order="C")
