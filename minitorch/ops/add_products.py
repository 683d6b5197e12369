"""The ``add*`` products: ``beta * input + alpha * (product)`` in one node, as PyTorch computes them.

addmm (matrix @ matrix), baddbmm (batches of matrix products), addbmm (their sum), addmv (matrix @ vector)
and addr (outer product). With ``beta=0`` the input is ignored (its nan/inf too) but still gets a (zero)
gradient. The gradient of the product is the one of matmul (``dA = grad @ B^T``, ``dB = A^T @ grad``),
scaled by ``alpha``. ``minitorch.ops.products`` exports them.
"""

from __future__ import annotations

from .. import _dtype
from ..autograd.function import Function
from ._util import _wrap, c_type_name, check_same_device, not_implemented
from ._util import scalar_type_name as _cap


# ---- beta * input + alpha * product -------------------------------------------------------------
def _combine(inp, prod, beta, alpha):
    """The forward on arrays: ``beta * inp + alpha * prod`` (``inp`` ignored when beta is 0)."""
    prod = prod * alpha if alpha != 1 else prod
    if beta == 0:
        return prod
    return (inp * beta if beta != 1 else inp) + prod


def _input_grad(grad, beta, shape):
    """d/d input of ``beta * input + ...`` = beta * grad, summed back to the broadcast input's shape."""
    return (grad * beta if beta != 1 else grad).sum_to_size(shape)


def _scaled(g, alpha):
    return g * alpha if alpha != 1 else g


class Addmm(Function):
    """beta * input + alpha * (mat1 @ mat2).  d/dmat1 = alpha * grad @ mat2^T, d/dmat2 = alpha * mat1^T @ grad."""

    @staticmethod
    def forward(ctx, input, mat1, mat2, beta, alpha):
        _save(ctx, input, mat1, mat2, beta, alpha)
        xp = input._device.xp
        shape = (mat1.shape[0], mat2.shape[1])
        prod = xp.zeros(shape, mat1._data.dtype) if alpha == 0 else mat1._data @ mat2._data
        out = _combine(input._data, prod, beta, alpha)
        return _result(input, out, shape)

    @staticmethod
    def backward(ctx, grad):
        m1, m2 = ctx.saved_tensors
        return _grads(ctx, grad, lambda: grad.mm(m2.t()), lambda: m1.t().mm(grad))


class Baddbmm(Function):
    """beta * input + alpha * (batch1 @ batch2), batch by batch.
    d/dbatch1 = alpha * grad @ batch2^T, d/dbatch2 = alpha * batch1^T @ grad."""

    @staticmethod
    def forward(ctx, input, batch1, batch2, beta, alpha):
        _save(ctx, input, batch1, batch2, beta, alpha)
        out = _combine(input._data, batch1._data @ batch2._data, beta, alpha)
        return _result(input, out, (batch1.shape[0], batch1.shape[1], batch2.shape[2]))

    @staticmethod
    def backward(ctx, grad):
        b1, b2 = ctx.saved_tensors
        return _grads(ctx, grad, lambda: grad @ b2.mT, lambda: b1.mT @ grad)


class Addbmm(Function):
    """beta * input + alpha * sum_b (batch1[b] @ batch2[b]).
    d/dbatch1[b] = alpha * grad @ batch2[b]^T, d/dbatch2[b] = alpha * batch1[b]^T @ grad."""

    @staticmethod
    def forward(ctx, input, batch1, batch2, beta, alpha):
        _save(ctx, input, batch1, batch2, beta, alpha)
        xp = input._device.xp
        b1, b2 = batch1._data, batch2._data
        # Like BLAS, alpha = 0 skips the product (its nan/inf too).
        prod = xp.zeros((b1.shape[1], b2.shape[2]), b1.dtype) if alpha == 0 else (b1 @ b2).sum(0)
        out = _combine(input._data, prod, beta, alpha)
        return _result(input, out, prod.shape)

    @staticmethod
    def backward(ctx, grad):
        b1, b2 = ctx.saved_tensors
        return _grads(ctx, grad, lambda: grad @ b2.mT, lambda: b1.mT @ grad)


class Addmv(Function):
    """beta * input + alpha * (mat @ vec).  d/dmat = alpha * outer(grad, vec), d/dvec = alpha * mat^T @ grad."""

    @staticmethod
    def forward(ctx, input, mat, vec, beta, alpha):
        _save(ctx, input, mat, vec, beta, alpha)
        xp = input._device.xp
        prod = xp.zeros(mat.shape[0], mat._data.dtype) if alpha == 0 else mat._data @ vec._data
        out = _combine(input._data, prod, beta, alpha)
        return _result(input, out, prod.shape)

    @staticmethod
    def backward(ctx, grad):
        mat, vec = ctx.saved_tensors
        return _grads(ctx, grad, lambda: grad.unsqueeze(1) * vec.unsqueeze(0), lambda: mat.t() @ grad)


class Addr(Function):
    """beta * input + alpha * outer(vec1, vec2).  d/dvec1 = alpha * grad @ vec2, d/dvec2 = alpha * grad^T @ vec1."""

    @staticmethod
    def forward(ctx, input, vec1, vec2, beta, alpha):
        _save(ctx, input, vec1, vec2, beta, alpha)
        v1, v2, inp = vec1._data, vec2._data, input._data
        shape = (v1.shape[0], v2.shape[0])
        if v1.dtype == bool:  # logical: (beta and input) or (alpha and outer)
            out = v1[:, None] & v2[None, :] & bool(alpha)
            out = out | (inp & bool(beta)) if beta else out
        else:
            out = _combine(inp, v1[:, None] * v2[None, :], beta, alpha)
        return _result(input, out, shape)

    @staticmethod
    def backward(ctx, grad):
        v1, v2 = ctx.saved_tensors
        return _grads(ctx, grad, lambda: grad @ v2, lambda: grad.t() @ v1)


def _save(ctx, input, a, b, beta, alpha) -> None:
    """What every backward here needs: the two factors, the coefficients and the input's shape."""
    ctx.save_for_backward(a, b)
    ctx.beta, ctx.alpha, ctx.shape = beta, alpha, input.shape


def _result(input, out, shape):
    """The forward's array, broadcast to the product's shape (``input`` may be smaller), as a tensor."""
    xp = input._device.xp
    return _wrap(xp.ascontiguousarray(xp.broadcast_to(out, shape)), input._device)


def _grads(ctx, grad, grad_a, grad_b) -> tuple:
    """(d/dinput, d/da, d/db, None, None): beta * grad summed to the input's shape, and alpha times the
    product's gradients ``grad_a()``/``grad_b()`` (computed only when needed)."""
    need = ctx.needs_input_grad
    return (_input_grad(grad, ctx.beta, ctx.shape) if need[0] else None,
            _scaled(grad_a(), ctx.alpha) if need[1] else None,
            _scaled(grad_b(), ctx.alpha) if need[2] else None, None, None)


def _coefficients(input, beta, alpha):
    """Integer tensors take beta and alpha as integers (truncated), as PyTorch's integer kernels do."""
    if not input.dtype.is_floating_point:
        return int(beta), int(alpha)
    return beta, alpha


def _check_expand(input, shape):
    """``input`` must broadcast to the product's shape (PyTorch's message is expand's)."""
    if tuple(input.shape) != tuple(shape):
        input.expand(shape)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)``; with beta=0 ``input`` is ignored (its nan/inf too).

    >>> minitorch.addmm(minitorch.zeros(2), minitorch.ones(3, 4), minitorch.ones(4, 2)).shape
    minitorch.Size([3, 2])
    """
    check_same_device("addmm", input, mat1, mat2)
    if input.dtype != mat2.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {_cap(input.dtype)} and {_cap(mat2.dtype)}")
    if mat1.dtype != mat2.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_cap(mat1.dtype)} and {_cap(mat2.dtype)}")
    for name, t in (("mat1", mat1), ("mat2", mat2)):
        if t.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {t.ndim}-D tensor")
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} and "
                           f"{mat2.shape[0]}x{mat2.shape[1]})")
    if mat1.dtype == _dtype.bool:
        raise not_implemented("addmm_impl_cpu_", mat1.dtype)
    _check_expand(input, (mat1.shape[0], mat2.shape[1]))
    return Addmm.apply(input, mat1, mat2, *_coefficients(input, beta, alpha))


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * (batch1 @ batch2)`` for batches of matrices (b, n, m) @ (b, m, p).

    >>> minitorch.baddbmm(minitorch.zeros(3, 4), minitorch.ones(2, 3, 5), minitorch.ones(2, 5, 4)).shape
    minitorch.Size([2, 3, 4])
    """
    check_same_device("baddbmm", input, batch1, batch2)
    for name, t in (("batch1", batch1), ("batch2", batch2)):
        if t.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    if input.dtype != batch1.dtype:
        raise RuntimeError(f"Input dtypes must be the same, got: input {c_type_name(input.dtype)}, batch1: "
                           f"{c_type_name(batch1.dtype)}, batch2: {c_type_name(batch2.dtype)}")
    if batch1.dtype != batch2.dtype:
        raise RuntimeError(f"expected scalar type {_cap(batch1.dtype)} but found {_cap(batch2.dtype)}")
    if batch1.dtype == _dtype.bool:
        raise not_implemented("baddbmm", batch1.dtype)
    bs, n, m = batch1.shape
    if tuple(batch2.shape[:2]) != (bs, m):
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{bs}, {m}] but got: "
                           f"[{batch2.shape[0]}, {batch2.shape[1]}].")
    _check_expand(input, (bs, n, batch2.shape[2]))
    return Baddbmm.apply(input, batch1, batch2, *_coefficients(input, beta, alpha))


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * sum_b batch1[b] @ batch2[b]``: a batch of products summed into one matrix."""
    check_same_device("addbmm", input, batch1, batch2)
    for name, t in (("batch1", batch1), ("batch2", batch2)):
        if t.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    for a, b in ((input, batch1), (batch1, batch2)):
        if a.dtype != b.dtype:
            raise RuntimeError(f"self and mat2 must have the same dtype, but got {_cap(a.dtype)} and {_cap(b.dtype)}")
    if batch1.dtype == _dtype.bool:
        raise not_implemented("addbmm", batch1.dtype)
    if batch1.shape[0] != batch2.shape[0]:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {batch1.shape[0]} and "
                           f"{batch2.shape[0]}")
    if batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({batch1.shape[1]}x{batch1.shape[2]} and "
                           f"{batch2.shape[1]}x{batch2.shape[2]})")
    _check_expand(input, (batch1.shape[1], batch2.shape[2]))
    return Addbmm.apply(input, batch1, batch2, *_coefficients(input, beta, alpha))


def addmv(input, mat, vec, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat @ vec)`` for a matrix (n, m) and a vector (m,)."""
    check_same_device("addmv", input, mat, vec)
    if mat.ndim != 2 or vec.ndim != 1 or input.ndim > 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.ndim}, {mat.ndim}, {vec.ndim}")
    if mat.shape[1] != vec.shape[0] or input.numel() not in (1, mat.shape[0]):
        raise RuntimeError(f"size mismatch, got input ({input.numel()}), mat ({mat.shape[0]}x{mat.shape[1]}), "
                           f"vec ({vec.shape[0]})")
    if not input.dtype == mat.dtype == vec.dtype:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {_cap(input.dtype)}, "
                           f"{_cap(mat.dtype)}, and {_cap(vec.dtype)}")
    if mat.dtype == _dtype.bool:
        raise not_implemented("addmv_impl_cpu", mat.dtype)
    return Addmv.apply(input, mat, vec, *_coefficients(input, beta, alpha))


def addr(input, vec1, vec2, *, beta=1, alpha=1):
    """``beta * input + alpha * outer(vec1, vec2)``; the dtypes are promoted as for ``+`` and ``*``."""
    check_same_device("addr", input, vec1, vec2)
    for name, t in (("vec1", vec1), ("vec2", vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {t.ndim}-D")
    common = _dtype.result_type(input, vec1, vec2)
    for name, c in (("beta", beta), ("alpha", alpha)):
        if isinstance(c, bool) and common != _dtype.bool:
            raise RuntimeError(f"Boolean {name} only supported for Boolean results.")
        if isinstance(c, float) and not common.is_floating_point:
            raise RuntimeError(f"For integral input tensors, argument {name} must not be a floating point number.")
    _check_expand(input, (vec1.shape[0], vec2.shape[0]))
    input, vec1, vec2 = (t if t.dtype == common else t.to(common) for t in (input, vec1, vec2))
    return Addr.apply(input, vec1, vec2, beta, alpha)
