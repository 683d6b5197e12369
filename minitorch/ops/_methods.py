"""Attach the ops to ``Tensor`` as methods and operators.

``x.exp()`` is ``ops.elementwise.exp(x)``; ``a * b`` is ``Mul.apply(a, b)``.
Listing them here keeps ``_tensor.py`` about what a tensor *is*.
"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from .._tensor import Tensor, typename
from . import binning, index_put, layout, nan_reductions, products, sorting, trigonometric
from . import elementwise as ew
from . import indexing as ix
from . import inplace as ip
from . import linalg as la
from . import reduction as rd
from . import shape as sh
from ._util import to_tensor
from .conversion import _cast_method, cpu, cuda, to, type_as

# ---- operators -----------------------------------------------------------------------------
Tensor.__add__ = lambda self, other: ew.Add.apply(self, other)
Tensor.__radd__ = lambda self, other: ew.Add.apply(self, other)
Tensor.__sub__ = lambda self, other: ew.Sub.apply(self, other)
Tensor.__rsub__ = lambda self, other: ew.Rsub.apply(other, self)
Tensor.__mul__ = lambda self, other: ew.Mul.apply(self, other)
Tensor.__rmul__ = lambda self, other: ew.Mul.apply(self, other)
Tensor.__truediv__ = lambda self, other: ew.Div.apply(self, other)
Tensor.__rtruediv__ = lambda self, other: ew.reciprocal(self) * other  # 2 / x: PyTorch's way, rounding included
Tensor.__floordiv__ = lambda self, other: ew.FloorDivide.apply(self, other)
Tensor.__rfloordiv__ = lambda self, other: ew.FloorDivide.apply(other, self)
Tensor.__mod__ = lambda self, other: ew.Remainder.apply(self, other)
Tensor.__rmod__ = lambda self, other: ew.Remainder.apply(other, self)
Tensor.__pow__ = lambda self, other: ew.pow(self, other)
Tensor.__rpow__ = lambda self, other: ew.RPow.apply(other, self)


def _matmul(self, other):
    if isinstance(other, np.ndarray):  # t @ array: as PyTorch (through NumPy), a tensor of the promoted dtype
        other = to_tensor(other, self)
        common = _dtype.result_type(self, other)
        return la.matmul(self.to(common), other.to(common))
    return la.matmul(self, other) if isinstance(other, Tensor) else NotImplemented


Tensor.__matmul__ = _matmul
Tensor.__rmatmul__ = lambda self, other: la.matmul(other, self) if isinstance(other, Tensor) else NotImplemented
Tensor.__neg__ = lambda self: ew.Neg.apply(self)
Tensor.__pos__ = lambda self: self
Tensor.__abs__ = lambda self: ew.Abs.apply(self)
# == != < <= > >=: ``t == None`` is False, ``t < None`` Python's TypeError, as in PyTorch
for _name, _op in ew.OPERATORS.items():
    setattr(Tensor, _name, _op)
Tensor.__and__ = ew.bitwise_and
Tensor.__rand__ = lambda self, other: ew.bitwise_and(other, self)
Tensor.__or__ = ew.bitwise_or
Tensor.__ror__ = lambda self, other: ew.bitwise_or(other, self)
Tensor.__xor__ = ew.bitwise_xor
Tensor.__rxor__ = lambda self, other: ew.bitwise_xor(other, self)
Tensor.__invert__ = ew.bitwise_not
Tensor.__getitem__ = ix.getitem
Tensor.__setitem__ = ix.setitem
Tensor.__iadd__ = lambda self, other: ip.add_(self, other)
Tensor.__isub__ = lambda self, other: ip.sub_(self, other)
Tensor.__imul__ = lambda self, other: ip.mul_(self, other)
Tensor.__itruediv__ = lambda self, other: ip.div_(self, other)
Tensor.__ipow__ = lambda self, other: ip.pow_(self, other)
Tensor.__ifloordiv__ = lambda self, other: self.floor_divide_(other)
Tensor.__imod__ = lambda self, other: self.remainder_(other)
Tensor.bitwise_and_ = Tensor.__iand__ = ip.inplace_method(ew.bitwise_and, "bitwise_and_")
Tensor.bitwise_or_ = Tensor.__ior__ = ip.inplace_method(ew.bitwise_or, "bitwise_or_")
Tensor.bitwise_xor_ = Tensor.__ixor__ = ip.inplace_method(ew.bitwise_xor, "bitwise_xor_")
Tensor.__hash__ = lambda self: id(self)

# ---- methods that are ops -------------------------------------------------------------------
_METHODS = {
    ew: """add sub mul div floor_divide remainder pow neg exp log log1p expm1 log2 log10 sqrt rsqrt square
        reciprocal sin cos tan tanh sigmoid relu abs erf sign floor ceil round trunc clamp clip clamp_min
        clamp_max maximum minimum masked_fill lerp addcmul addcdiv eq ne lt le gt ge logical_not logical_and logical_or
        bitwise_not bitwise_and bitwise_or bitwise_xor isnan isinf isfinite fmod fmax fmin frac sgn signbit
        float_power nan_to_num true_divide logical_xor greater less greater_equal less_equal not_equal isclose
        allclose isposinf isneginf""",
    rd: """sum mean prod cumsum cumprod max min amax amin argmax argmin var std logsumexp norm all any
        count_nonzero softmax log_softmax""",
    sh: """reshape view view_as reshape_as flatten unflatten permute transpose swapaxes swapdims t movedim
        squeeze unsqueeze expand expand_as broadcast_to sum_to_size repeat tile flip roll narrow select
        split chunk unbind tensor_split contiguous clone repeat_interleave""",
    ix: "gather scatter scatter_add index_select masked_select take_along_dim nonzero argwhere",
    la: "matmul mm bmm dot outer ger mv diagonal trace tril triu",
    ip: """add_ sub_ mul_ div_ pow_ neg_ zero_ fill_ copy_ clamp_ masked_fill_ exp_ log_ sqrt_ abs_ relu_
        sigmoid_ tanh_ floor_ ceil_ round_ sign_ reciprocal_ maximum_ addcmul_ addcdiv_ lerp_ uniform_ normal_
        bernoulli_ random_ exponential_ scatter_ scatter_add_ index_add_ index_fill_""",
}
for _module, _names in _METHODS.items():
    for _name in _names.split():
        setattr(Tensor, _name, getattr(_module, _name))

# Modules that list their own Tensor methods in TENSOR_METHODS (properties are defined as properties there).
for _module in (binning, index_put, layout, nan_reductions, products, sorting, trigonometric):
    for _name in _module.TENSOR_METHODS:
        setattr(Tensor, _name, getattr(_module, _name))
Tensor.polygamma = lambda self, n: trigonometric.polygamma(n, self)  # the function takes n first, the method n only

Tensor.clip_ = ip.clamp_
Tensor.where = lambda self, condition, other: ew.where(condition, self, other)
Tensor.absolute = ew.abs
Tensor.negative = ew.neg
Tensor.multiply = ew.mul
Tensor.divide = ew.div
Tensor.subtract = ew.sub
Tensor.T = property(sh.T_property, doc="All dimensions reversed (the transpose of a matrix).")
Tensor.mT = property(sh.mT, doc="The last two dimensions swapped.")
Tensor.to = to
Tensor.cpu = cpu
Tensor.cuda = cuda
Tensor.type_as = type_as
for _name, _dt in [("float", _dtype.float32), ("double", _dtype.float64), ("half", _dtype.float16),
                   ("long", _dtype.int64), ("int", _dtype.int32), ("short", _dtype.int16),
                   ("bool", _dtype.bool), ("byte", _dtype.uint8), ("char", _dtype.int8)]:
    setattr(Tensor, _name, _cast_method(_name, _dt))


def _new_factory(fn):
    def method(self, *sizes, size=None, dtype=None, device=None, requires_grad=False):
        sizes = (size,) if size is not None else sizes
        return fn(*sizes, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)

    return method


def _new_tensor(self, data, dtype=None, device=None, requires_grad=False):
    from .creation import tensor

    return tensor(data, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)


def _new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
    from .creation import full

    return full(size, fill_value, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)


def _type(self, dtype=None):
    """``t.type()``: the type name, ``minitorch.FloatTensor``; ``t.type(dtype)``: ``t.to(dtype)``."""
    if dtype is None:
        return typename(self)
    return self.to(dtype)


from . import creation as _cr  # noqa: E402

Tensor.new_zeros = _new_factory(_cr.zeros)
Tensor.new_ones = _new_factory(_cr.ones)
Tensor.new_empty = _new_factory(_cr.empty)
Tensor.new_tensor = _new_tensor
Tensor.new_full = _new_full
Tensor.type = _type

# x.sum(axis=0, keepdims=True): NumPy's names for dim/keepdim, as PyTorch's argument parser accepts them.
from ._numpy_names import wrap_namespace  # noqa: E402

wrap_namespace(Tensor, [name for name in vars(Tensor) if not name.startswith("_")])
