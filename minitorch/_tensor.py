"""`Tensor`: an array of numbers plus the fields autograd needs.

A tensor holds

* ``_data``: the backend array (NumPy on the CPU) with the numbers;
* ``_device``: where they live; the device knows its array module;
* ``_rg`` (requires grad), ``grad_fn`` (the node that made it, None for
  leaves) and ``_grad`` (the accumulated gradient of a leaf);
* ``_version``: a one-element list shared by every tensor that shares the
  numbers (views, ``detach()``); in-place ops bump it, so that backward can
  tell when a tensor it saved was changed afterwards;
* ``_base``: for a view, the tensor it looks into.

Operators and most methods are ops from ``minitorch/ops`` (attached at the
bottom of this file): ``a * b`` calls ``Mul.apply(a, b)``.
"""

from __future__ import annotations

import warnings
import weakref

import numpy as np

from . import _dtype
from ._backend import CPU
from ._size import Size


class Tensor:
    """A multi-dimensional array that can record the operations applied to it.

    >>> x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4.])
    """

    __slots__ = ("_data", "_device", "_rg", "grad_fn", "_output_nr", "_grad", "_version",
                 "_base", "_base_fn", "_hooks", "_acc", "_retains_grad", "__weakref__")

    __array_priority__ = 1000  # so that ndarray * Tensor calls Tensor.__rmul__

    def __init__(self, *args, **kwargs):
        # Legacy constructor, as torch.Tensor: Tensor([1, 2]) or Tensor(2, 3) -> float32.
        from .ops.creation import _tensor_data

        if len(args) == 1 and not isinstance(args[0], int):
            data = _tensor_data(args[0], _dtype.get_default_dtype())
        else:  # Tensor(2, 3): uninitialised numbers; Tensor(): an empty 1-D tensor
            data = np.empty(args or (0,), dtype=_dtype.get_default_dtype().np)
        _init(self, data, CPU)

    # ---- basic properties ---------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    @property
    def dtype(self) -> _dtype.dtype:
        return _dtype._FROM_NP[self._data.dtype]

    @property
    def device(self):
        return self._device

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def is_cuda(self) -> bool:
        return self._device.type == "cuda"

    def size(self, dim: int | None = None):
        """The shape, or the size of dimension ``dim``."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim_of_shape(dim, self.ndim)]

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel
    ndimension = dim

    def element_size(self) -> int:
        return self._data.itemsize

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        """Bytes taken by the elements (``numel() * itemsize``)."""
        return int(self._data.size) * self._data.itemsize

    def storage_offset(self) -> int:
        """Where this tensor starts in its storage, in elements (non-zero for views such as ``x[2:]``)."""
        root = self._data
        while isinstance(root.base, type(self._data)):
            root = root.base
        return (_address(self._data) - _address(root)) // self._data.itemsize

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def stride(self, dim: int | None = None):
        """Strides in elements (NumPy keeps them in bytes)."""
        if self._data.size == 0:  # NumPy reports 0 strides for empty arrays; PyTorch the contiguous ones
            st, step = [], 1
            for n in reversed(self._data.shape):
                st.insert(0, step)
                step *= max(n, 1)
            st = tuple(st)
        else:
            st = tuple(s // self._data.itemsize for s in self._data.strides)
        return st if dim is None else st[_wrap_dim_of_shape(dim, self.ndim)]

    def is_contiguous(self) -> bool:
        return bool(self._data.flags["C_CONTIGUOUS"])

    def data_ptr(self) -> int:
        return _address(self._data)

    # ---- autograd fields -----------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._rg

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        value = bool(value)
        if self.grad_fn is not None:
            if not value:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to use a "
                    "computed variable in a subgraph that doesn't require differentiation use "
                    "var_no_grad = var.detach()."
                )
            return
        if value and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._rg = value

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad(self):
        if self.grad_fn is not None and not self._retains_grad and self._grad is None:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
                "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
                "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor.",
                UserWarning, stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor of size "
                    f"'{list(self.shape)}'. Please ensure that the gradient and the tensor are the same size"
                )
            if value.dtype is not self.dtype:
                from .ops._util import c_type_name, scalar_type_name

                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{c_type_name(value.dtype)}' to a tensor "
                    f"with grad_dtype '{scalar_type_name(self.dtype)}'. The gradient must match the "
                    "tensor's grad_dtype (defaults to the tensor's dtype)."
                )
            if value._device != self._device:
                raise RuntimeError("assigned grad has data located on a different device")
        self._grad = value

    @property
    def data(self) -> "Tensor":
        """The numbers without the graph: shares memory, not tracked by autograd."""
        t = _wrap(self._data, self._device)
        return t

    @data.setter
    def data(self, value: "Tensor") -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        old = self._data
        if value._device != self._device or value._data.dtype != old.dtype or value._data.shape != old.shape:
            self._acc = None  # as PyTorch: a new AccumulateGrad, so gradients land on the new device/dtype/shape
        self._data = value._data
        self._device = value._device

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        if self.grad_fn is None:
            if not self._rg:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        if self._retains_grad:
            return
        node = self.grad_fn
        if node._retain is None:
            node._retain = {}
        node._retain[self._output_nr] = weakref.ref(self)
        self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def register_hook(self, hook):
        """``hook(grad)`` runs when this tensor's gradient is computed; it may return a new one."""
        if not self._rg:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            return self.grad_fn._add_pre_hook(self._output_nr, hook)
        from .autograd.function import _RemovableHandle

        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return _RemovableHandle(self._hooks, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None) -> None:
        """Compute the gradient of this tensor w.r.t. the graph leaves (into ``.grad``)."""
        from .autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> "Tensor":
        """The same numbers (shared memory and version counter), cut from the graph."""
        return self._alias()

    def detach_(self) -> "Tensor":
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn, self._rg, self._output_nr = None, False, 0
        return self

    def _alias(self) -> "Tensor":
        return _wrap(self._data, self._device, version=self._version)

    # ---- conversions -----------------------------------------------------------------
    def item(self):
        """The value of a one-element tensor as a Python number."""
        n = self._data.size
        if n != 1:
            raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
        return self._host().reshape(()).item()

    def tolist(self):
        return self._host().tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The numbers as a NumPy array sharing memory (CPU tensors that need no grad)."""
        if self._rg and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        if self._device.type != "cpu" and not force:
            raise TypeError(
                f"can't convert {self._device} device type tensor to numpy. Use Tensor.cpu() to copy the "
                "tensor to host memory first."
            )
        return self._host()

    def _host(self) -> np.ndarray:
        return self._device.backend.to_host(self._data)

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype, copy=False)

    def __dlpack__(self, stream=None, **kwargs):
        if self._rg:
            raise RuntimeError("Can't export tensors that require gradient, use tensor.detach()")
        return self._data.__dlpack__(**({"stream": stream} if stream is not None else {}), **kwargs)

    def __dlpack_device__(self):
        return self._data.__dlpack_device__()

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __reversed__(self) -> "Tensor":
        """``reversed(t)`` flips the first dimension, as PyTorch does."""
        return self if self._data.ndim == 0 else self.flip(0)

    def __bool__(self) -> bool:
        if self._data.size != 1:
            what = "no values" if self._data.size == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {what} is ambiguous")
        return bool(self.item())

    def __float__(self) -> float:
        _one_element(self)
        if self._rg and _grad_enabled[0]:
            warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
                          "Consider using tensor.detach() first.", UserWarning, stacklevel=2)
        return float(self.item())

    def __int__(self) -> int:
        _one_element(self)
        return int(self.item())

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        from ._tensor_str import tensor_repr

        return tensor_repr(self)

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __reduce_ex__(self, protocol):
        # Tensors cross process boundaries (DataLoader workers) as host arrays.
        if self.grad_fn is not None:
            raise RuntimeError(
                "Cowardly refusing to serialize non-leaf tensor which requires_grad, since autograd does not support "
                "crossing process boundaries.  If you just want to transfer the data, call detach() on the tensor "
                "before serializing (e.g., putting it on the queue)."
            )
        return (_rebuild, (self._host(), str(self._device), self._rg))

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment.  "
                "If you were attempting to deepcopy a module, deepcopy it before using it in a computation."
            )
        t = _wrap(self._data.copy(), self._device)
        t._rg = self._rg
        if self._grad is not None:
            t._grad = _wrap(self._grad._data.copy(), self._device)
        memo[id(self)] = t
        return t


def _one_element(t) -> None:
    """``float(t)``/``int(t)`` need exactly one number (``item()`` has its own message)."""
    if t._data.size != 1:
        raise ValueError("only one element tensors can be converted to Python scalars")


def _address(arr) -> int:
    """Memory address of an array's first element (NumPy or CuPy)."""
    return int(arr.__array_interface__["data"][0]) if isinstance(arr, np.ndarray) else int(arr.data.ptr)


def _rebuild(arr, device, rg):
    t = _wrap(np.asarray(arr), CPU)
    if device != "cpu":
        t = t.to(device)
    t._rg = rg
    return t


def _init(t, data, device, version=None):
    t._data = data
    t._device = device
    t._rg = False
    t.grad_fn = None
    t._output_nr = 0
    t._grad = None
    t._version = [0] if version is None else version
    t._base = None
    t._base_fn = None
    t._hooks = None
    t._acc = None
    t._retains_grad = False


def _wrap(data, device=CPU, version=None, cls=Tensor) -> Tensor:
    """Make a Tensor around backend array ``data`` (no copy: the fast path)."""
    if isinstance(data, np.generic):  # NumPy ufuncs turn 0-d results into scalars
        data = np.asarray(data)
    t = object.__new__(cls)
    t._data = data
    t._device = device
    t._rg = False
    t.grad_fn = None
    t._output_nr = 0
    t._grad = None
    t._version = [0] if version is None else version
    t._base = None
    t._base_fn = None
    t._hooks = None
    t._acc = None
    t._retains_grad = False
    return t


def _view_of(base: Tensor, data) -> Tensor:
    """A tensor that is a view into ``base``: same memory and version counter."""
    t = _wrap(data, base._device, version=base._version)
    root = base if base._base is None else base._base
    t._base = root
    t._base_fn = root.grad_fn
    return t


def _zeros(shape, dtype, device) -> Tensor:
    """Zeros of ``shape``; ``dtype`` may be a minitorch or a NumPy dtype."""
    return _wrap(device.xp.zeros(shape, dtype=getattr(dtype, "np", dtype)), device)


def _wrap_dim(dim: int, ndim: int, op: str = "") -> int:
    """A dimension index in range, negative counting from the end (PyTorch's error otherwise)."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim + n if dim < 0 else dim


def _wrap_dim_of_shape(dim: int, ndim: int) -> int:
    """As ``_wrap_dim``, for ``size(dim)``/``stride(dim)``: a 0-d tensor has no dimension to ask about."""
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return _wrap_dim(dim, ndim)


def typename(obj) -> str:
    """The type name PyTorch prints in errors (``torch.typename``): ``minitorch.FloatTensor`` for a tensor,
    ``int``, ``minitorch.nn.modules.linear.Linear``."""
    if isinstance(obj, Tensor):
        return "minitorch." + _dtype.TENSOR_TYPE_NAMES[obj.dtype.name]
    cls = type(obj)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


# The ops are Tensor methods too; they live in minitorch/ops and are attached here.
from .autograd import function as _function  # noqa: E402
from .autograd.grad_mode import _enabled as _grad_enabled  # noqa: E402

_function._Tensor[0] = Tensor
from .ops import _methods  # noqa: E402,F401
