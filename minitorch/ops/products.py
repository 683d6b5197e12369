"""More products and matrix builders: baddbmm, addbmm, addmv, addr (in add_products.py), inner, kron,
tensordot, cross, cdist, diag, diag_embed, block_diag, cartesian_prod, meshgrid, diff.

Most are built from existing differentiable ops (reshape, permute, matrix product, roll, cat, mul), so the
gradients are theirs; cdist and diag_embed have their own rule (cdist: PyTorch's gradient is 0 where a
distance is 0; diag_embed: zeros are placed, not multiplied, so that inf/nan stay where they are).
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtype
from ..autograd.function import Function
from . import linalg as _la
from ._util import Tensor, _wrap, _wrap_dim, broadcast_error, check_same_device, not_implemented
from ._util import scalar_type_name as _cap
from .add_products import addbmm, addmm, addmv, addr, baddbmm  # noqa: F401  (addmm: the Tensor method)
from .linalg import Mm

#: Top-level names (``minitorch.kron``); ``minitorch/__init__.py`` imports them.
__all__: list[str] = ["baddbmm", "addbmm", "addmv", "addr", "inner", "kron", "tensordot", "cross", "cdist", "diag",
                      "diag_embed", "block_diag", "cartesian_prod", "meshgrid", "diff"]
#: Tensor methods (``x.kron(y)``); ``ops/_methods.py`` attaches them.
TENSOR_METHODS: list[str] = ["addmm", "baddbmm", "addbmm", "addmv", "addr", "inner", "kron", "cross", "diag",
                             "diag_embed", "diff"]


# ---- contractions ---------------------------------------------------------------------------------
def tensordot(a, b, dims=2):
    """Sum ``a * b`` over pairs of dimensions: the last ``dims`` of ``a`` with the first ``dims`` of ``b``,
    or the lists ``dims = ([dims of a], [dims of b])``. Computed as one matrix product.

    >>> minitorch.tensordot(minitorch.ones(2, 3, 4), minitorch.ones(3, 4, 5)).shape   # dims=2
    minitorch.Size([2, 5])
    """
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, (int, np.integer)) and not isinstance(dims, bool):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    elif isinstance(dims, (list, tuple)):
        da, db = dims  # a ValueError from unpacking, as PyTorch's
        for i, d in enumerate((da, db)):
            if not isinstance(d, (list, tuple)):
                raise TypeError(f"tensordot(): argument '{('dims_self', 'dims_other')[i]}' (position {3 + i}) must be "
                                f"tuple of ints, not {type(d).__name__}")
    else:
        raise RuntimeError("tensordot expects dims to be int or tuple[list[int], list[int]] or list[list[int]] "
                           f"containing two lists, but got dims={dims}")
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype != b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    check_same_device("tensordot", a, b)
    da, db = [_wrap_dim(d, a.ndim) for d in da], [_wrap_dim(d, b.ndim) for d in db]
    for dims_of in (da, db):
        seen = set()
        for d in dims_of:
            if d in seen:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
            seen.add(d)
    for i, j in zip(da, db):
        sa, sb = a.shape[i], b.shape[j]
        if sa != sb and 1 not in (sa, sb):
            raise RuntimeError(f"contracted dimensions need to match, but first has size {sa} in dim {i} and "
                               f"second has size {sb} in dim {j}")
        if sa == 1 and sb != 1:  # a size-1 dim broadcasts: the other side is summed over it
            b = b.sum(j, keepdim=True)
        elif sb == 1 and sa != 1:
            a = a.sum(i, keepdim=True)
    free_a = [d for d in range(a.ndim) if d not in da]
    free_b = [d for d in range(b.ndim) if d not in db]
    k = int(np.prod([a.shape[d] for d in da]))
    am = a.permute(free_a + da).reshape(-1, k)
    bm = b.permute(db + free_b).reshape(k, -1)
    if a.dtype == _dtype.bool:
        raise not_implemented("addmm_impl_cpu_", a.dtype)
    return Mm.apply(am, bm).reshape([a.shape[d] for d in free_a] + [b.shape[d] for d in free_b])


def inner(input, other):
    """Sum over the last dimension of both: ``out[i..., j...] = sum_k input[i..., k] * other[j..., k]``."""
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                           f"{list(input.shape)} and {list(other.shape)}")
    if input.dtype == other.dtype == _dtype.bool:
        raise not_implemented("dot", input.dtype)
    return tensordot(input, other, ([-1], [-1]))


def kron(input, other):
    """Kronecker product: every element of ``input`` times a whole copy of ``other``, blocks laid out in a grid.

    >>> minitorch.kron(minitorch.eye(2), minitorch.ones(2, 2))   # a 4x4 block-diagonal of ones
    """
    nd = max(input.ndim, other.ndim)
    sa = [1] * (nd - input.ndim) + list(input.shape)
    sb = [1] * (nd - other.ndim) + list(other.shape)
    # a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...) -> (a0, b0, a1, b1, ...) -> (a0*b0, a1*b1, ...)
    a = input.reshape([s for n in sa for s in (n, 1)])
    b = other.reshape([s for n in sb for s in (1, n)])
    return (a * b).reshape([x * y for x, y in zip(sa, sb)])


def cross(input, other, dim=None):
    """Cross product of 3-vectors along ``dim`` (default: the first dimension of size 3, with a warning).
    ``c_i = a_{i+1} b_{i+2} - a_{i+2} b_{i+1}`` (indices mod 3), built from roll and mul."""
    if dim is None:
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim "
                      "explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to agree "
                      "with that of linalg.cross in a future release.", UserWarning, stacklevel=2)
        dim = next((i for i, s in enumerate(input.shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = _wrap_dim(dim, input.ndim)
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {input.shape[d]} and "
                           f"{other.shape[d]}")
    if input.dtype != other.dtype:
        raise RuntimeError(f"expected scalar type {_cap(input.dtype)} but found {_cap(other.dtype)}")
    if input.dtype == _dtype.bool:
        raise not_implemented("cross", input.dtype)
    check_same_device("cross", input, other)
    try:
        np.broadcast_shapes(tuple(input.shape), tuple(other.shape))
    except ValueError:
        raise broadcast_error(tuple(input.shape), tuple(other.shape)) from None
    return input.roll(-1, d) * other.roll(-2, d) - input.roll(-2, d) * other.roll(-1, d)


# ---- distances ------------------------------------------------------------------------------------
class Cdist(Function):
    """dist[..., i, j] = ||x1[..., i, :] - x2[..., j, :]||_p.  With d = x1_i - x2_j:
    p=2: d/dist; p=1: sign(d); p=inf: sign(d) where |d| = dist; other p: sign(d) |d|^(p-1) / dist^(p-1);
    p=0: 0; and 0 wherever dist = 0 (as PyTorch). d/dx1 sums over j, d/dx2 is minus the sum over i."""

    @staticmethod
    def forward(ctx, x1, x2, p):
        ctx.save_for_backward(x1, x2)
        xp = x1._device.xp
        d = xp.abs(x1._data[..., :, None, :] - x2._data[..., None, :, :])
        if d.shape[-1] == 0:  # no coordinates: every distance is 0
            out = xp.zeros(d.shape[:-1], d.dtype)
        elif p == 0:
            out = (d != 0).sum(-1).astype(d.dtype)
        elif p == float("inf"):
            out = d.max(-1)
        elif p == 1:
            out = d.sum(-1)
        elif p == 2:
            out = xp.sqrt((d * d).sum(-1))
        else:
            out = (d ** p).sum(-1) ** (1 / p)
        out = _wrap(xp.ascontiguousarray(out), x1._device)
        ctx.p, ctx.dist = p, out
        return out

    @staticmethod
    def backward(ctx, grad):
        x1, x2 = ctx.saved_tensors
        p = ctx.p
        diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
        dist = ctx.dist.unsqueeze(-1)
        zero = dist == 0
        safe = dist.masked_fill(zero, 1.0)  # no 0/0: a nan would reach the second derivative through where
        if p == 0:
            w = diff * 0
        elif p == 1:
            w = diff.sign()
        elif p == 2:
            w = diff / safe
        elif p == float("inf"):
            w = diff.sign() * (diff.abs() == dist)
        else:
            tiny = diff == 0
            mag = diff.abs().masked_fill(tiny, 1.0) ** (p - 1)
            w = (diff.sign() * mag / safe ** (p - 1)).masked_fill(tiny, 0.0)
        gw = grad.unsqueeze(-1) * w.masked_fill(zero, 0.0)
        g1 = gw.sum(-2).sum_to_size(x1.shape) if ctx.needs_input_grad[0] else None
        g2 = (-gw.sum(-3)).sum_to_size(x2.shape) if ctx.needs_input_grad[1] else None
        return g1, g2, None


_CDIST_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist")


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """p-norm distances between the rows of ``x1`` (..., P, M) and of ``x2`` (..., R, M): shape (..., P, R).

    ``compute_mode`` is accepted for PyTorch's signature; minitorch always computes the differences directly.

    >>> minitorch.cdist(minitorch.zeros(1, 2), minitorch.tensor([[3.0, 4.0]]))
    tensor([[5.]])
    """
    if compute_mode not in _CDIST_MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    for name, t in (("X1", x1), ("X2", x2)):
        if t.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {t.ndim}D")
    for name, t in (("X1", x1), ("X2", x2)):
        if not t.dtype.is_floating_point:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: {_cap(t.dtype)}")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if x1.dtype != x2.dtype:
        raise RuntimeError(f"expected scalar type {_cap(x1.dtype)} but found {_cap(x2.dtype)}")
    if x1.dtype == _dtype.float16:
        raise not_implemented("cdist", x1.dtype)
    check_same_device("cdist", x1, x2)
    try:
        np.broadcast_shapes(tuple(x1.shape[:-2]), tuple(x2.shape[:-2]))
    except ValueError:
        raise broadcast_error(tuple(x1.shape[:-2]), tuple(x2.shape[:-2])) from None
    return Cdist.apply(x1, x2, float(p))


# ---- building matrices ----------------------------------------------------------------------------
class DiagEmbed(Function):
    """Put the last dimension of ``input`` on a diagonal of two new dimensions (zeros elsewhere).
    Gradient: that diagonal of ``grad``."""

    @staticmethod
    def forward(ctx, input, offset, dim1, dim2):
        ctx.args = (offset, dim1, dim2)
        xp = input._device.xp
        n = input.shape[-1]
        m = n + abs(offset)
        out = xp.zeros(tuple(input.shape[:-1]) + (m, m), input._data.dtype)
        i = xp.arange(n)
        rows, cols = (i, i + offset) if offset >= 0 else (i - offset, i)
        out[..., rows, cols] = input._data
        return _wrap(xp.ascontiguousarray(xp.moveaxis(out, (-2, -1), (dim1, dim2))), input._device)

    @staticmethod
    def backward(ctx, grad):
        offset, dim1, dim2 = ctx.args
        return _la.diagonal(grad, offset, dim1, dim2), None, None, None


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """A tensor whose diagonals (``offset``, in dims ``dim1``/``dim2``) hold the last dimension of ``input``.

    >>> minitorch.diag_embed(minitorch.tensor([[1, 2], [3, 4]])).shape
    minitorch.Size([2, 2, 2])
    """
    n = input.ndim + 1
    d1, d2 = _wrap_dim(dim1, n), _wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return DiagEmbed.apply(input, offset, d1, d2)


def diag(input, diagonal=0):
    """1-D input: a square matrix with ``input`` on diagonal ``diagonal``; 2-D input: that diagonal, as 1-D."""
    if input.ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if input.ndim == 2:
        return _la.diagonal(input, diagonal, 0, 1)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")


def block_diag(*tensors):
    """The tensors (each 0-, 1- or 2-D, as a 1x1, 1xn or mxn block) along the diagonal of one matrix.

    >>> minitorch.block_diag(minitorch.ones(2, 2), minitorch.tensor(5.0)).shape
    minitorch.Size([3, 3])
    """
    from .creation import zeros
    from .join import cat

    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                               f"{t.ndim} dimensions")
    if not tensors:
        return zeros(1, 0)
    check_same_device("block_diag", *tensors)
    dt = tensors[0].dtype
    for t in tensors[1:]:
        dt = _dtype.promote_types(dt, t.dtype)
    blocks = [t.reshape(1, 1) if t.ndim == 0 else t.reshape(1, -1) if t.ndim == 1 else t for t in tensors]
    blocks = [b if b.dtype == dt else b.to(dt) for b in blocks]
    width = sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        r, c = b.shape
        pad_l = zeros(r, left, dtype=dt, device=b.device)
        pad_r = zeros(r, width - left - c, dtype=dt, device=b.device)
        rows.append(cat([pad_l, b, pad_r], 1))
        left += c
    return cat(rows, 0)


def meshgrid(*tensors, indexing=None):
    """Grids from 1-D tensors: output ``k`` repeats ``tensors[k]`` along every other dimension.
    ``indexing='ij'``: shape (n0, n1, ...); ``'xy'``: the first two dimensions swapped (n1, n0, ...)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for a, b in zip(tensors, tensors[1:]):
        if a.dtype != b.dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
        if a.device != b.device:
            raise RuntimeError("meshgrid expects all tensors to have the same device")
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}")
    axes = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) >= 2:
        axes[0], axes[1] = 1, 0
    shape = [0] * len(tensors)
    for t, ax in zip(tensors, axes):
        shape[ax] = t.numel()
    out = []
    for t, ax in zip(tensors, axes):
        view = [1] * len(tensors)
        view[ax] = -1
        out.append(t.reshape(view).expand(shape))
    return tuple(out)


def cartesian_prod(*tensors):
    """Every combination of one element from each 1-D tensor, as rows: shape (n0 * n1 * ..., len(tensors))."""
    from .join import stack

    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.reshape(-1) for g in grids], 1)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The n-th forward difference along ``dim``: ``out[i] = x[i + 1] - x[i]`` applied ``n`` times (for bool:
    ``x[i + 1] != x[i]``), after joining ``prepend`` and ``append`` on either side.

    >>> minitorch.diff(minitorch.tensor([1, 4, 9, 16]))
    tensor([3, 5, 7])
    """
    from .join import cat

    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = _wrap_dim(dim, input.ndim)
    parts = [input]
    for name, extra in (("prepend", prepend), ("append", append)):
        if extra is None:
            continue
        if not isinstance(extra, Tensor):
            raise TypeError(f"diff(): argument '{name}' must be Tensor, not {type(extra).__name__}")
        if extra.ndim != input.ndim:
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        for k in range(input.ndim):
            if k != d and extra.shape[k] != input.shape[k]:
                raise RuntimeError("diff expects the shape of tensor to prepend or append to match that of input "
                                   f"except along the differencing dimension; input.size({k}) = {input.shape[k]}, "
                                   f"but got tensor.size({k}) = {extra.shape[k]}")
        parts.insert(0 if name == "prepend" else len(parts), extra)
    x = cat(parts, d) if len(parts) > 1 else input
    steps = min(n, x.shape[d])
    if steps == 0:
        return x.clone() if x is input else x
    for _ in range(steps):
        length = x.shape[d] - 1
        hi, lo = x.narrow(d, 1, length), x.narrow(d, 0, length)
        x = hi != lo if x.dtype == _dtype.bool else hi - lo
    return x

