"""`Parameter`: a tensor that a `Module` registers as one of its learnable weights.

A Parameter is an ordinary Tensor (same numbers, same autograd fields) whose
only difference is its type: assigning one to a module attribute
(``self.weight = Parameter(...)``) makes the module list it in
``parameters()`` and ``state_dict()``. ``Buffer`` marks a tensor to register
as a buffer (state that is saved but not trained, e.g. BatchNorm's running mean).
"""

from __future__ import annotations

import copy

from .._tensor import Tensor, _wrap
from .._tensor_str import tensor_repr


class Parameter(Tensor):
    """A tensor that is a module's learnable weight; ``requires_grad=True`` by default.

    The parameter shares the numbers of ``data`` (no copy).

    >>> p = Parameter(minitorch.zeros(2))
    >>> p
    Parameter containing:
    tensor([0., 0.], requires_grad=True)
    """

    __slots__ = ()

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True):
        if data is None:
            from ..ops.creation import empty

            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter data must be a Tensor, got {type(data).__name__}")
        if requires_grad and not data.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        p = _wrap(data._data, data._device, version=data._version, cls=cls)
        p.requires_grad = requires_grad
        return p

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True):
        pass  # everything happens in __new__ (Tensor.__init__ is the legacy constructor)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + tensor_repr(self)

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = Parameter(_wrap(self._data.copy(), self._device), self._rg)
        if self._grad is not None:
            result._grad = copy.deepcopy(self._grad, memo)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (Tensor.detach(self), self._rg))


def _rebuild_parameter(data: Tensor, requires_grad: bool) -> Parameter:
    return Parameter(data, requires_grad)


class Buffer(Tensor):
    """Marks a tensor to be registered as a buffer when assigned to a module attribute.

    >>> m = minitorch.nn.Module()
    >>> m.counts = Buffer(minitorch.zeros(3))   # same as m.register_buffer("counts", ...)
    """

    __slots__ = ("persistent",)

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True):
        if data is None:
            from ..ops.creation import empty

            data = empty(0)
        b = _wrap(data._data, data._device, version=data._version, cls=cls)
        b._rg = data._rg
        b.persistent = persistent
        return b

    def __init__(self, data: Tensor | None = None, *, persistent: bool = True):
        pass


def _short_type(t: Tensor) -> str:
    """``minitorch.float32 of size 2x3`` as used by ParameterList's repr."""
    size = "x".join(str(s) for s in t.shape)
    return f"minitorch.{t.dtype.name} of size {size}"


