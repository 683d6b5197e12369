"""In-place ops: ``add_``, ``mul_``, ``zero_``, ``copy_``, ``x[i] = v`` ...

An in-place op changes the numbers of an existing tensor, so it bumps the
tensor's version counter: a node that saved the tensor for backward then
sees a version it did not expect and raises (see autograd/function.py).

When autograd is recording (grad mode on and the tensor or the other
operand requires grad) the change must also enter the graph: the new value
is computed by the ordinary out-of-place op on a copy of the old value, the
result is written into the tensor, and the tensor's ``grad_fn`` becomes the
new node (PyTorch "rebases" the tensor the same way). Two cases cannot be
done correctly this way and raise instead: a leaf that requires grad (its
``.grad`` would refer to the lost old value), or a view of one.

An in-place op on a *view* (``y[0].mul_(2)``, ``y[0][1] = v``) changes its
base too, so the base's history is rewritten as PyTorch does ("CopySlices"):
the base's new value is its old value with the view's elements replaced by
the op's result, and the view becomes a view of that new value.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _dtype
from .._tensor import _wrap
from ..autograd.function import Function
from ..autograd.grad_mode import _enabled
from ._util import Tensor, _wrap_dim, broadcast_error, check_same_device, scalar_type_name


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
    if base is not None and base.grad_fn is None and base._rg:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")


class CopySlices(Function):
    """The base of a view after an in-place op on the view: ``base`` with ``value`` written at the flat
    positions ``pos`` (where the view's elements live in the base's memory).
    d/dbase = grad with zeros at pos;  d/dvalue = grad.flatten()[pos]."""

    node_name = "CopySlices"

    @staticmethod
    def forward(ctx, base, value, pos):
        ctx.pos = pos
        out = base._data.copy()  # C-contiguous, so reshape(-1) is a view of out
        out.reshape(-1)[pos] = value._data
        return _wrap(out, base._device)

    @staticmethod
    def backward(ctx, grad):
        from .indexing import Index

        keep = grad._device.xp.ones(grad.shape, dtype=grad._data.dtype)
        keep.reshape(-1)[ctx.pos] = 0
        gbase = grad * _wrap(keep, grad._device) if ctx.needs_input_grad[0] else None
        gvalue = Index.apply(grad.reshape(-1), (ctx.pos,), False) if ctx.needs_input_grad[1] else None
        return gbase, gvalue, None


def _positions_in_base(view, base):
    """Flat positions (into C-contiguous ``base``) of each element of ``view``, from their addresses."""
    b = base._data
    if not b.flags.c_contiguous or view._data.size == 0:
        return None
    xp, item = view._device.xp, b.itemsize
    pos = xp.full(view.shape, (view.data_ptr() - base.data_ptr()) // item, dtype=np.int64)
    for d, (n, stride) in enumerate(zip(view._data.shape, view._data.strides)):
        pos = pos + xp.arange(n, dtype=np.int64).reshape([n if i == d else 1 for i in range(view.ndim)]) * (stride // item)
    if bool((pos.min() < 0) | (pos.max() >= b.size)):
        return None
    return pos


def _inplace_on_view(t, op, name):
    """``t`` (a view of ``base``) := op(t), rewriting the base's history (see the module docstring)."""
    base = t._base
    if t._rg and t._base_fn is not base.grad_fn:
        refresh_view(t)
    pos = _positions_in_base(t, base)
    if pos is None:
        raise RuntimeError(
            f"{name}: minitorch cannot record an in-place operation on this view (shape {list(t.shape)}) of a "
            f"tensor of shape {list(base.shape)}; modify the base tensor itself, or use out-of-place operations."
        )
    old = _graph_copy(t)
    r = op(old)
    _check_cast(t, r.dtype, name)
    if tuple(r.shape) != tuple(t.shape):
        raise RuntimeError(f"output with shape {list(t.shape)} doesn't match the broadcast shape {list(r.shape)}")
    if r.dtype is not t.dtype:
        r = r.to(t.dtype)
    new_base = CopySlices.apply(_graph_copy(base), r, pos)
    t._data[...] = r._data  # writes into the base's memory
    t._version[0] += 1
    if new_base.grad_fn is None:
        return t
    base.grad_fn, base._rg, base._output_nr = new_base.grad_fn, True, 0
    from .indexing import Index

    view = Index.apply(new_base.reshape(-1), (pos,), False)  # the view, now read from the new base
    t.grad_fn, t._rg, t._output_nr, t._base_fn = view.grad_fn, True, 0, base.grad_fn
    return t


def refresh_view(t) -> bool:
    """Rebuild the ``grad_fn`` of view ``t`` after an in-place op on another view rewrote its base's
    history (PyTorch does this lazily too): ``t`` then reads from the base's new value.
    Returns False when the view's place in the base cannot be found."""
    from ..autograd.grad_mode import enable_grad
    from .indexing import Index

    base = t._base
    pos = _positions_in_base(t, base)
    if pos is None:
        return False
    current = _wrap(base._data, base._device, version=base._version)
    current.grad_fn, current._rg, current._output_nr, current._acc = base.grad_fn, base._rg, base._output_nr, base._acc
    with enable_grad():
        view = Index.apply(current.reshape(-1), (pos,), False)
    t.grad_fn, t._rg, t._output_nr, t._base_fn = view.grad_fn, view._rg, 0, base.grad_fn
    return True


def _graph_copy(t):
    """A copy of ``t``'s numbers that stands at ``t``'s place in the graph (its old value)."""
    old = _wrap(t._data.copy(), t._device)
    old.grad_fn, old._rg, old._output_nr, old._acc = t.grad_fn, t._rg, t._output_nr, t._acc
    return old


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
    """PyTorch's rule for writing a result into ``t``: any cast within a category is fine (float64 into
    float32, int64 into int32), but not float into an integer tensor, nor a number into a bool one."""
    to_int = result_dtype.is_floating_point and not t.dtype.is_floating_point
    to_bool = t.dtype.name == "bool" and result_dtype.name != "bool"
    if to_int or to_bool:
        raise RuntimeError(
            f"result type {_cap(result_dtype)} can't be cast to the desired output type {_cap(t.dtype)}"
        )


_cap = scalar_type_name  # PyTorch's C++ dtype name in messages ("Float", "Long")


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
    if t._base is not None:
        return _inplace_on_view(t, op, name)
    r = op(_graph_copy(t))  # computed from the old value, at the old place in the graph
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
    if isinstance(value, float) and not self.dtype.is_floating_point and self.dtype.name != "bool":
        if not math.isfinite(value):
            raise RuntimeError(f"value cannot be converted to type {self.dtype.name}_t without overflow")

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
        shape = np.broadcast_shapes(tuple(src.shape), tuple(self.shape))
    except ValueError:
        raise broadcast_error(tuple(self.shape), tuple(src.shape)) from None
    if shape != tuple(self.shape):
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(shape)}")

    def op(t):
        return (t * 0 + src.to(self.dtype)) if self.dtype.is_floating_point else src.to(self.dtype).expand(self.shape).clone()

    def fast(d):
        d[...] = src._data

    return inplace_apply(self, op, (src,), fast, "copy_")


def clamp_(self, min=None, max=None):
    return inplace_apply(self, lambda t: t.clamp(min, max), (min, max), None, "clamp_")


def masked_fill_(self, mask, value):
    return inplace_apply(self, lambda t: t.masked_fill(mask, value), (value,), None, "masked_fill_")


def inplace_method(fn, name: str):
    """The method ``x.name_(*args)``: ``x`` := fn(x, *args), through ``inplace_apply`` (version counter, graph)."""
    def method(self, *args, **kwargs):
        others = [a for a in (*args, *kwargs.values()) if isinstance(a, Tensor)]
        return inplace_apply(self, lambda t: fn(t, *args, **kwargs), others, None, name)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"In-place ``{name[:-1]}``."
    return method


def _unary_inplace(name):
    return inplace_method(lambda t: getattr(t, name)(), name + "_")


exp_ = _unary_inplace("exp")
log_ = _unary_inplace("log")
sqrt_ = _unary_inplace("sqrt")
abs_ = _unary_inplace("abs")
relu_ = _unary_inplace("relu")
sigmoid_ = _unary_inplace("sigmoid")
tanh_ = _unary_inplace("tanh")
floor_ = _unary_inplace("floor")
ceil_ = _unary_inplace("ceil")
def round_(self, decimals: int = 0):
    """In-place ``round`` (to ``decimals`` places)."""
    return inplace_apply(self, lambda t: t.round(decimals=decimals), (), None, "round_")
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
    from .random import _float_only

    _float_only(self.dtype, "check_uniform_bounds")
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}")
    arr = np_generator(generator).uniform(a, b, size=tuple(self.shape))
    return _random_fill(self, arr, "uniform_")


def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator=None):
    """Fill with numbers drawn from N(mean, std^2)."""
    from .._random import np_generator
    from .random import _float_only

    _float_only(self.dtype, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
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

    d = _wrap_dim(dim, self.ndim)
    if index.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError(f"index_add_(): Expected dtype int32/int64 for index but got: {_cap(index.dtype)}")
    if self.ndim == 0:  # a 0-d tensor counts as a vector of one element
        return _on_a_vector(self, lambda v: index_add_(v, 0, index, source.reshape(-1), alpha=alpha))
    _check_index_add(self, d, index, source)
    key = (slice(None),) * d + (index._data,)
    src = source * alpha if alpha != 1 else source
    return inplace_apply(self, lambda t: t + IndexPutZeros.apply(src.to(t.dtype), tuple(t.shape), key, False),
                         (src,), None, "index_add_")


def _check_index_add(self, d, index, source):
    if source.dtype is not self.dtype:
        raise RuntimeError(
            f"index_add_(): self ({_cap(self.dtype)}) and source ({_cap(source.dtype)}) must have the same scalar type"
        )
    n = index.numel()
    if source.ndim and n != source.shape[d]:
        raise RuntimeError(
            f"index_add_(): Number of indices ({n}) should be equal to source.size(dim): ({source.shape[d]}), for dim: {d}"
        )
    idx = index._data
    size = self.shape[d] if self.ndim else 1
    if idx.size and bool(((idx < -size) | (idx >= size)).any()):
        bad = int(idx.reshape(-1)[int(((idx < -size) | (idx >= size)).reshape(-1).argmax())])
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {size}")


def index_fill_(self, dim, index, value):
    d = _wrap_dim(dim, self.ndim)
    if index.dtype is not _dtype.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if self.ndim == 0:  # a 0-d tensor counts as a vector of one element
        return _on_a_vector(self, lambda v: index_fill_(v, 0, index, value))
    size = self.shape[d]
    idx = index._data
    # The bounds check reads the indices back: on the CPU only (a GPU kernel checks them itself, as in PyTorch).
    if self._device.type == "cpu" and idx.size and bool(((idx < -size) | (idx >= size)).any()):
        bad = int(idx.reshape(-1)[int(((idx < -size) | (idx >= size)).reshape(-1).argmax())])
        raise IndexError(f"index {bad} is out of bounds for dimension {d} with size {size}")
    key = (slice(None),) * d + (idx,)
    from .indexing import IndexPut

    return inplace_apply(self, lambda t: IndexPut.apply(t, value, key), (value,), None, "index_fill_")


def _on_a_vector(t, fn):
    """Run the in-place ``fn`` on ``t`` seen as a 1-element vector (a view: the change lands in ``t``)."""
    fn(t.view(1))
    return t


def requires_grad_check(t):  # pragma: no cover - kept for API symmetry
    return t._rg
