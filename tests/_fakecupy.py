"""A stand-in for CuPy, backed by NumPy, for testing the GPU code path without a GPU.

``CupyBackend`` (minitorch/_backend/cupy_backend.py) is written against an
array module with CuPy's API. Registered under a test-only device type
("fakecuda", see tests/conftest.py) with this module as its ``xp``, the whole
CUDA code path runs in CI except the CuPy calls themselves.

What makes it useful is what it *refuses*, as CuPy does:

* its :class:`ndarray` is not a ``numpy.ndarray``; mixing the two in a ufunc,
  a NumPy function or an index raises ``TypeError: Unsupported type <class
  'numpy.ndarray'>``, so an op that combines device data with a host array
  fails here as it would on a GPU;
* ``numpy.asarray(a)`` (any implicit conversion to NumPy) raises, so a
  forgotten host round trip fails; ``a.get()`` / ``asnumpy(a)`` are the
  explicit transfers;
* NumPy functions and ufunc methods that CuPy does not have (``np.add.at``,
  ``np.vectorize``, ...) are not dispatched, so they fail on device data.

Where CuPy silently copies host data to the device (a NumPy array used as an
index or assigned into a slice), the stand-in is stricter and refuses: in an
op that is a hidden host-to-device copy per call.

Host-to-device copies are real copies (``asarray(numpy_array)`` copies), so
memory sharing behaves as with separate GPU memory.
"""

from __future__ import annotations

import sys
import types

import numpy as _np

# Host<->device copies made so far (tests read them through ``count_transfers``).
transfers = {"to_device": 0, "to_host": 0}


class count_transfers:
    """``with count_transfers() as n:`` ... ``n["to_host"]``: the copies made inside the block."""

    def __enter__(self) -> dict:
        self._start = dict(transfers)
        self.counts = {k: 0 for k in transfers}
        return self.counts

    def __exit__(self, *exc):
        for k in transfers:
            self.counts[k] = transfers[k] - self._start[k]
        return False


def _to_host(value):
    transfers["to_host"] += 1
    return value


def _unsupported(x) -> TypeError:
    return TypeError(f"Unsupported type {type(x)}")


def _u(x):
    """Unwrap stand-in arrays (nested in lists/tuples) into NumPy arrays; refuse plain NumPy arrays."""
    if type(x) is ndarray:
        return x._a
    if isinstance(x, _np.ndarray):
        raise _unsupported(x)
    if type(x) in (list, tuple):
        return type(x)(_u(v) for v in x)
    return x


def _w(x):
    """Wrap NumPy results as stand-in arrays; scalars become 0-d arrays as CuPy returns them."""
    if isinstance(x, _np.ndarray):
        return ndarray._wrap(x)
    if isinstance(x, _np.generic):
        return ndarray._wrap(_np.asarray(x))
    if type(x) in (list, tuple):
        return type(x)(_w(v) for v in x)
    return x


def _device_fn(fn):
    """``fn`` (a NumPy function) taking and returning stand-in arrays only."""

    def f(*args, **kwargs):
        return _w(fn(*_u(args), **{k: _u(v) for k, v in kwargs.items()}))

    f.__name__ = fn.__name__
    f.__doc__ = f"Stand-in for cupy.{fn.__name__}."
    return f


class _MemoryPointer:
    def __init__(self, a):
        self.ptr = a.__array_interface__["data"][0]


class ndarray:
    """A device array: a NumPy array kept behind a wall (``.get()`` is the door)."""

    __slots__ = ("_a", "__weakref__")
    __hash__ = None

    def __init__(self, shape, dtype=float, order="C"):
        self._a = _np.empty(shape, dtype=dtype, order=order)

    @classmethod
    def _wrap(cls, a: _np.ndarray) -> "ndarray":
        out = object.__new__(cls)
        out._a = a
        return out

    # ---- the wall ------------------------------------------------------------------------
    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            "Implicit conversion to a NumPy array is not allowed. Please use `.get()` to construct a NumPy array "
            "explicitly."
        )

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        mine = globals().get(ufunc.__name__)
        if not isinstance(mine, _Ufunc) or method not in ("__call__", "outer", "reduce", "accumulate"):
            return NotImplemented  # e.g. np.add.at: CuPy has cupyx.scatter_add instead
        return getattr(mine, method)(*inputs, **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        mine = _lookup(func)
        if mine is None:
            return NotImplemented  # NumPy raises "no implementation found for 'numpy.xxx'"
        return mine(*args, **kwargs)

    def __dlpack_device__(self):
        return (2, 0)  # kDLCUDA, device 0: what a CuPy array reports

    def __dlpack__(self, **kwargs):
        raise BufferError("the CuPy stand-in has no device memory to export through DLPack")

    def get(self, stream=None, order="C", out=None) -> _np.ndarray:
        """Copy to a host NumPy array (device-to-host)."""
        return _to_host(_np.array(self._a, order=order, copy=True))

    def set(self, arr, stream=None) -> None:
        """Copy host array ``arr`` into this array (host-to-device)."""
        if not isinstance(arr, _np.ndarray) or arr.shape != self._a.shape:
            raise ValueError("set(): expected a numpy.ndarray of the same shape")
        transfers["to_device"] += 1
        self._a[...] = arr

    # ---- attributes ----------------------------------------------------------------------
    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    itemsize = property(lambda self: self._a.itemsize)
    nbytes = property(lambda self: self._a.nbytes)
    strides = property(lambda self: self._a.strides)
    flags = property(lambda self: self._a.flags)
    T = property(lambda self: ndarray._wrap(self._a.T))
    mT = property(lambda self: ndarray._wrap(_np.swapaxes(self._a, -1, -2)))
    real = property(lambda self: ndarray._wrap(self._a.real))
    imag = property(lambda self: ndarray._wrap(self._a.imag))
    base = property(lambda self: None if self._a.base is None else ndarray._wrap(self._a.base))
    data = property(lambda self: _MemoryPointer(self._a))
    device = property(lambda self: cuda.Device(0))

    # Device-to-host copies that CuPy makes implicitly (they synchronise with the GPU).
    def item(self):
        return _to_host(self._a.item())

    def tolist(self):
        return _to_host(self._a.tolist())

    def view(self, dtype=None):
        if isinstance(dtype, type) and issubclass(dtype, _np.ndarray):
            raise TypeError("view(): the stand-in cannot be viewed as a NumPy array type")
        return ndarray._wrap(self._a.view() if dtype is None else self._a.view(dtype))

    def __getitem__(self, key):
        return _w(self._a[_u(key)])

    def __setitem__(self, key, value):
        self._a[_u(key)] = _u(value)

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return (_w(v) for v in self._a)

    def __bool__(self):
        return _to_host(bool(self._a))

    def __int__(self):
        return _to_host(int(self._a))

    def __float__(self):
        return _to_host(float(self._a))

    def __complex__(self):
        return _to_host(complex(self._a))

    def __repr__(self):
        return _to_host(repr(self._a))

    def __str__(self):
        return _to_host(str(self._a))

    def __copy__(self):
        return ndarray._wrap(self._a.copy())

    def __deepcopy__(self, memo):
        return ndarray._wrap(self._a.copy())

    def __reduce__(self):
        return (ndarray._wrap, (self._a,))


# Array methods that return arrays: run NumPy's on the hidden array, wrap the result.
_METHODS = ("all any argmax argmin argsort astype clip conj copy cumprod cumsum diagonal dot fill flatten max mean "
            "min nonzero prod ravel repeat reshape round sort squeeze std sum swapaxes take trace transpose var")


def _method(name):
    def m(self, *args, **kwargs):
        return _w(getattr(self._a, name)(*_u(args), **{k: _u(v) for k, v in kwargs.items()}))

    m.__name__ = name
    return m


for _name in _METHODS.split():
    setattr(ndarray, _name, _method(_name))


class _Ufunc:
    """Stand-in for a CuPy ufunc: calling it on a NumPy array raises."""

    def __init__(self, uf):
        self._uf = uf
        self.__name__ = uf.__name__
        self.nin, self.nout, self.types = uf.nin, uf.nout, uf.types

    def __call__(self, *args, **kwargs):
        return _device_fn(self._uf)(*args, **kwargs)

    def outer(self, a, b, **kwargs):
        return _device_fn(self._uf.outer)(a, b, **kwargs)

    def reduce(self, a, axis=0, **kwargs):
        return _device_fn(self._uf.reduce)(a, axis, **kwargs)

    def accumulate(self, a, axis=0, **kwargs):
        return _device_fn(self._uf.accumulate)(a, axis, **kwargs)

    def __repr__(self):
        return f"<ufunc '{self.__name__}' (stand-in)>"


def _binop(uf, reflected=False):
    if reflected:
        return lambda self, other: uf(other, self)
    return lambda self, other: uf(self, other)


def _inplace(uf):
    def op(self, other):
        uf(self, other, out=self)
        return self

    return op


# ---- the module's functions ----------------------------------------------------------------
for _name in dir(_np):  # every NumPy ufunc (CuPy has them all that minitorch uses)
    if isinstance(getattr(_np, _name), _np.ufunc):
        globals()[_name] = _Ufunc(getattr(_np, _name))

_OPERATORS = {"add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
              "floordiv": "floor_divide", "mod": "remainder", "pow": "power", "matmul": "matmul",
              "and": "bitwise_and", "or": "bitwise_or", "xor": "bitwise_xor", "lshift": "left_shift",
              "rshift": "right_shift"}
for _op, _uf in _OPERATORS.items():
    setattr(ndarray, f"__{_op}__", _binop(globals()[_uf]))
    setattr(ndarray, f"__r{_op}__", _binop(globals()[_uf], reflected=True))
    setattr(ndarray, f"__i{_op}__", _inplace(globals()[_uf]))
for _op, _uf in {"eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal", "gt": "greater",
                 "ge": "greater_equal"}.items():
    setattr(ndarray, f"__{_op}__", _binop(globals()[_uf]))
ndarray.__neg__ = lambda self: negative(self)  # noqa: F821 (defined in the loop above)
ndarray.__pos__ = lambda self: positive(self)  # noqa: F821
ndarray.__abs__ = lambda self: absolute(self)  # noqa: F821
ndarray.__invert__ = lambda self: invert(self)  # noqa: F821

# Functions on device arrays (a NumPy array among the arguments raises).
_FUNCTIONS = """
empty_like zeros_like ones_like full_like tril triu diag diagflat meshgrid
reshape ravel transpose swapaxes moveaxis rollaxis expand_dims squeeze broadcast_to broadcast_arrays atleast_1d
atleast_2d atleast_3d concatenate stack hstack vstack dstack split array_split tile repeat flip fliplr flipud roll pad
copyto take take_along_axis put_along_axis put choose compress where nonzero argwhere flatnonzero diagonal trace
sum prod mean var std max min amax amin argmax argmin cumsum cumprod all any count_nonzero clip around round dot
einsum tensordot outer inner vdot kron sort argsort unique searchsorted bincount isclose allclose array_equal
nan_to_num nansum nanmax nanmin shape ndim size copy asfortranarray tensordot
"""
for _name in set(_FUNCTIONS.split()):
    globals()[_name] = _device_fn(getattr(_np, _name))

# Functions that make arrays from shapes and Python numbers.
for _name in "empty zeros ones full arange linspace logspace eye identity tri indices".split():
    globals()[_name] = _device_fn(getattr(_np, _name))


def array(obj, dtype=None, copy=True, order="K", ndmin=0):
    """A device array from host data (lists, NumPy arrays: a host-to-device copy) or a device array."""
    if type(obj) is ndarray:
        return ndarray._wrap(_np.array(obj._a, dtype=dtype, copy=copy, order=order, ndmin=ndmin))
    transfers["to_device"] += 1
    return ndarray._wrap(_np.array(obj, dtype=dtype, copy=True, order=order, ndmin=ndmin))


def asarray(a, dtype=None, order=None):
    """``a`` itself when it is a device array of ``dtype``; else a copy on the device."""
    if type(a) is ndarray:
        return a if dtype is None or a.dtype == _np.dtype(dtype) else a.astype(dtype)
    return array(a, dtype=dtype, order=order or "K")


def ascontiguousarray(a, dtype=None):
    if type(a) is not ndarray:
        return array(a, dtype=dtype, order="C")
    return ndarray._wrap(_np.ascontiguousarray(a._a, dtype=dtype))


def asnumpy(a, stream=None, order="C", out=None) -> _np.ndarray:
    """A host NumPy array with the numbers of ``a`` (device-to-host copy)."""
    if type(a) is ndarray:
        return a.get(order=order)
    return _np.asarray(a, order=order)


def get_array_module(*args):
    """This module when any argument is a stand-in array, else numpy (``cupy.get_array_module``)."""
    return sys.modules[__name__] if any(type(a) is ndarray for a in args) else _np


def from_dlpack(x):
    raise TypeError("the CuPy stand-in has no DLPack support (its arrays are not on a real device)")


def _scatter_add(a, slices, value) -> None:
    """``a[slices] += value`` with repeated indices accumulating (``cupyx.scatter_add``)."""
    if type(a) is not ndarray:
        raise _unsupported(a)
    _np.add.at(a._a, _u(slices), _u(value))


pinned_buffers = []  # the host buffers _empty_pinned made (tests check what the DataLoader pinned)


def _empty_pinned(shape, dtype=float) -> _np.ndarray:
    """``cupyx.empty_pinned``: a host NumPy array (page-locked with real CuPy)."""
    out = _np.empty(shape, dtype=dtype)
    pinned_buffers.append(out)
    return out


# dtypes, constants and helpers that never touch array data are NumPy's own (as in CuPy).
for _name in ("bool_ int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64 complex64 complex128 "
              "dtype iinfo finfo inf nan pi e newaxis result_type can_cast promote_types issubdtype isscalar "
              "broadcast_shapes integer floating number generic").split():
    globals()[_name] = getattr(_np, _name)
int_, float_ = _np.int64, _np.float64


def _as_strided(x, shape=None, strides=None):
    if type(x) is not ndarray:
        raise _unsupported(x)
    return ndarray._wrap(_np.lib.stride_tricks.as_strided(x._a, shape=shape, strides=strides))


lib = types.SimpleNamespace(stride_tricks=types.SimpleNamespace(as_strided=_as_strided))


class _Device:
    """``cupy.cuda.Device``: a context manager selecting a GPU (nothing to select here)."""

    def __init__(self, device=None):
        self.id = 0 if device is None else int(device)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def synchronize(self) -> None:
        pass


cuda = types.SimpleNamespace(Device=_Device, runtime=types.SimpleNamespace(getDeviceCount=lambda: 1))


def _lookup(func):
    """The stand-in's version of NumPy function ``func`` (for ``__array_function__``), or None."""
    if func.__name__ == "as_strided":
        return _as_strided
    mine = globals().get(func.__name__)
    return mine if callable(mine) and not isinstance(mine, type) else None
