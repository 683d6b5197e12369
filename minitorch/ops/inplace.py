"""In-place ops: ``add_``, ``mul_``, ``zero_``, ``copy_``, ``x[i] = v`` ...

An in-place op changes the numbers of an existing tensor, so it bumps the
tensor's version counter: a node that saved the tensor for backward then
sees a version it did not expect and raises (see autograd/function.py).

When autograd is recording (grad mode on and the tensor or the other
operand requires grad) the change must also enter the graph: the new value
is computed by the ordinary out-of-place op on a copy of the old value, the
result is written into the tensor, and the tensor's ``grad_fn`` becomes the
new node (PyTorch "rebases" the tensor the same way). Two cases cannot be
done correctly this way and raise instead:

* a leaf that requires grad (its ``.grad`` would refer to the lost old value);
* a view whose base takes part in the graph (PyTorch would rewrite the
  base's history; minitorch does not).
"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from .._tensor import _wrap
from ..autograd.grad_mode import _enabled
from ._util import Tensor, broadcast_error, check_same_device


def _recording(t, others) -> bool:
    if not _enabled[0]:
        return False
    if t._rg:
        return True
    return any(isinstance(o, Tensor) and o._rg for o in others)


def _check_leaf(t):
    if t.grad_fn is None and t._rg:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    base = t._base
    if base is not None:
        if base.grad_fn is None and base._rg:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        raise RuntimeError(
            "minitorch does not support an in-place operation on a view when autograd is recording it "
            f"(the view has shape {list(t.shape)}, its base {list(base.shape)}): PyTorch would rewrite the base's "
            "history, which minitorch cannot do without risking a wrong gradient. Modify the base tensor "
            "itself (base[index] = value), or use out-of-place operations."
        )


def _write(t, arr, op: str):
    """Copy ``arr`` into ``t``'s memory, with PyTorch's shape and casting rules."""
    if tuple(np.shape(arr)) != tuple(t.shape):
        try:
            arr = t._device.xp.broadcast_to(arr, t._data.shape)
        except ValueError:
            raise RuntimeError(
                f"output with shape {list(t.shape)} doesn't match the broadcast shape {list(np.shape(arr))}"
            ) from None
    t._data[...] = arr


def _check_cast(t, result_dtype, op):
    if _dtype.promote_types(t.dtype, result_dtype) is not t.dtype:
        raise RuntimeError(
            f"result type {_cap(result_dtype)} can't be cast to the desired output type {_cap(t.dtype)}"
        )


def _cap(d):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
            "bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short"}[d.name]


def inplace_apply(t, op, others=(), fast=None, name: str = "inplace"):
    """Make ``t`` hold ``op(t)``, in place, recording the graph when needed.

    ``op`` is the out-of-place computation (Tensor -> Tensor). ``fast``, when
    given, writes the result straight into ``t._data`` (used when nothing is
    recorded, e.g. optimizer updates under ``no_grad``); it must equal ``op``.
    """
    check_same_device(name, t, *others)
    if not getattr(getattr(t._data, "flags", None), "writeable", True):  # an expand()ed view (NumPy: read-only)
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a single memory "
            "location. Please clone() the tensor before performing the operation."
        )
    if not _recording(t, others):
        if fast is not None:
            fast(t._data)
        else:
            prev = _enabled[0]
            _enabled[0] = False
            try:
                r = op(t)
            finally:
                _enabled[0] = prev
            _check_cast(t, r.dtype, name)
            _write(t, r._data, name)
        t._version[0] += 1
        return t
    _check_leaf(t)
    old = _wrap(t._data.copy(), t._device)  # the old value, at the old place in the graph
    old.grad_fn, old._rg, old._output_nr, old._acc = t.grad_fn, t._rg, t._output_nr, t._acc
    r = op(old)
    _check_cast(t, r.dtype, name)
    if tuple(r.shape) != tuple(t.shape):
        raise RuntimeError(f"output with shape {list(t.shape)} doesn't match the broadcast shape {list(r.shape)}")
    if r.dtype is not t.dtype:
        r = r.to(t.dtype)
    t._data[...] = r._data
    t._version[0] += 1
    if r.grad_fn is not None:
        t.grad_fn, t._rg, t._output_nr = r.grad_fn, True, r._output_nr
    return t


def _arr(x, t):
    if isinstance(x, Tensor):
        return x._data
    return x


def _ufunc_fast(ufunc, t, other):
    def fast(d):
        o = _arr(other, t)
        res_dt = _dtype.result_type(t, other)
        _check_cast(t, res_dt, ufunc.__name__)
        try:
            ufunc(d, o, out=d, casting="unsafe")
        except ValueError:
            try:
                shape = np.broadcast_shapes(np.shape(d), np.shape(o))
            except ValueError:
                raise broadcast_error(np.shape(d), np.shape(o), ufunc.__name__) from None
            raise RuntimeError(
                f"output with shape {list(t.shape)} doesn't match the broadcast shape {list(shape)}"
            ) from None

    return fast


def add_(self, other, *, alpha=1):
    """self += alpha * other."""
    other = other * alpha if alpha != 1 else other
    return inplace_apply(self, lambda t: t + other, (other,), _ufunc_fast(np.add, self, other), "add_")


def sub_(self, other, *, alpha=1):
    """self -= alpha * other."""
    other = other * alpha if alpha != 1 else other
    return inplace_apply(self, lambda t: t - other, (other,), _ufunc_fast(np.subtract, self, other), "sub_")


def mul_(self, other):
    """self *= other."""
    return inplace_apply(self, lambda t: t * other, (other,), _ufunc_fast(np.multiply, self, other), "mul_")


def div_(self, other, *, rounding_mode=None):
    """self /= other."""
    if rounding_mode is not None or not self.dtype.is_floating_point:
        return inplace_apply(self, lambda t: t.div(other, rounding_mode=rounding_mode), (other,), None, "div_")
    return inplace_apply(self, lambda t: t / other, (other,), _ufunc_fast(np.true_divide, self, other), "div_")


def pow_(self, exponent):
    return inplace_apply(self, lambda t: t ** exponent, (exponent,), None, "pow_")


def neg_(self):
    return inplace_apply(self, lambda t: -t, (), None, "neg_")


def zero_(self):
    """Fill with zeros."""
    return fill_(self, 0)


def fill_(self, value):
    """Fill with ``value`` (a number or a 0-d tensor)."""
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(
                f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} dimensions."
            )
        if value._rg and _enabled[0]:
            return inplace_apply(self, lambda t: t * 0 + value.to(self.dtype), (value,), None, "fill_")
        value = value.item()

    def fast(d):
        d[...] = value

    return inplace_apply(self, lambda t: t * 0 + value, (), fast, "fill_")


def copy_(self, src, non_blocking: bool = False):
    """Copy the numbers of ``src`` (broadcast, cast to self's dtype, moved to self's device)."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'src' must be Tensor, not {type(src).__name__}")
    if src._device != self._device:
        src = src.to(self._device)
    try:
        np.broadcast_shapes(tuple(src.shape), tuple(self.shape))
        if np.broadcast_shapes(tuple(src.shape), tuple(self.shape)) != tuple(self.shape):
            raise ValueError
    except ValueError:
        raise RuntimeError(
            f"The size of tensor a ({self.shape[-1] if self.ndim else 1}) must match the size of tensor b "
            f"({src.shape[-1] if src.ndim else 1}) at non-singleton dimension {max(self.ndim - 1, 0)}"
        ) from None

    def op(t):
        return (t * 0 + src.to(self.dtype)) if self.dtype.is_floating_point else src.to(self.dtype).expand(self.shape).clone()

    def fast(d):
        d[...] = src._data

    return inplace_apply(self, op, (src,), fast, "copy_")


def clamp_(self, min=None, max=None):
    return inplace_apply(self, lambda t: t.clamp(min, max), (min, max), None, "clamp_")


def masked_fill_(self, mask, value):
    return inplace_apply(self, lambda t: t.masked_fill(mask, value), (value,), None, "masked_fill_")


def _unary_inplace(name):
    def op(self):
        return inplace_apply(self, lambda t: getattr(t, name)(), (), None, name + "_")

    op.__name__ = name + "_"
    op.__doc__ = f"In-place ``{name}``."
    return op


exp_ = _unary_inplace("exp")
log_ = _unary_inplace("log")
sqrt_ = _unary_inplace("sqrt")
abs_ = _unary_inplace("abs")
relu_ = _unary_inplace("relu")
sigmoid_ = _unary_inplace("sigmoid")
tanh_ = _unary_inplace("tanh")
floor_ = _unary_inplace("floor")
ceil_ = _unary_inplace("ceil")
round_ = _unary_inplace("round")
sign_ = _unary_inplace("sign")
reciprocal_ = _unary_inplace("reciprocal")


def addcmul_(self, tensor1, tensor2, *, value=1):
    """self += value * tensor1 * tensor2."""
    return inplace_apply(self, lambda t: t + value * tensor1 * tensor2, (tensor1, tensor2), None, "addcmul_")


def addcdiv_(self, tensor1, tensor2, *, value=1):
    """self += value * tensor1 / tensor2."""
    return inplace_apply(self, lambda t: t + value * tensor1 / tensor2, (tensor1, tensor2), None, "addcdiv_")


def lerp_(self, end, weight):
    return inplace_apply(self, lambda t: t.lerp(end, weight), (end, weight), None, "lerp_")


def maximum_(self, other):
    return inplace_apply(self, lambda t: t.maximum(other), (other,), None, "maximum_")


def _random_fill(self, arr, name):
    def fast(d):
        d[...] = self._device.backend.from_host(np.asarray(arr, dtype=d.dtype))  # drawn on the host, then copied

    if _enabled[0] and self._rg and self.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    new = _wrap(self._device.backend.from_host(np.asarray(arr, dtype=self._data.dtype)), self._device)
    return inplace_apply(self, lambda t: t * 0 + new, (), fast, name)


def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator=None):
    """Fill with numbers drawn uniformly from [a, b)."""
    from .._random import np_generator

    arr = np_generator(generator).uniform(a, b, size=tuple(self.shape))
    return _random_fill(self, arr, "uniform_")


def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator=None):
    """Fill with numbers drawn from N(mean, std^2)."""
    from .._random import np_generator

    arr = np_generator(generator).normal(mean, std, size=tuple(self.shape))
    return _random_fill(self, arr, "normal_")


def bernoulli_(self, p=0.5, *, generator=None):
    from .._random import np_generator

    arr = (np_generator(generator).random(tuple(self.shape)) < (p._host() if isinstance(p, Tensor) else p))
    return _random_fill(self, arr, "bernoulli_")


def random_(self, low=0, high=None, *, generator=None):
    from .._random import np_generator

    if high is None:
        low, high = 0, low if low else 2**24
    return _random_fill(self, np_generator(generator).integers(low, high, size=tuple(self.shape)), "random_")


def exponential_(self, lambd=1.0, *, generator=None):
    from .._random import np_generator

    return _random_fill(self, np_generator(generator).exponential(1.0 / lambd, size=tuple(self.shape)), "exponential_")


def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
    from .indexing import scatter

    return inplace_apply(self, lambda t: scatter(t, dim, index, src, value, reduce=reduce), (src,), None, "scatter_")


def scatter_add_(self, dim, index, src):
    from .indexing import scatter_add

    return inplace_apply(self, lambda t: scatter_add(t, dim, index, src), (src,), None, "scatter_add_")


def index_add_(self, dim, index, source, *, alpha=1):
    from .indexing import IndexPutZeros

    d = dim % self.ndim
    key = (slice(None),) * d + (index._data,)
    src = source * alpha if alpha != 1 else source
    return inplace_apply(self, lambda t: t + IndexPutZeros.apply(src.to(t.dtype), tuple(t.shape), key, False),
                         (src,), None, "index_add_")


def index_fill_(self, dim, index, value):
    d = dim % self.ndim
    key = (slice(None),) * d + (index._data,)
    from .indexing import IndexPut

    return inplace_apply(self, lambda t: IndexPut.apply(t, value, key), (value,), None, "index_fill_")


def requires_grad_check(t):  # pragma: no cover - kept for API symmetry
    return t._rg
