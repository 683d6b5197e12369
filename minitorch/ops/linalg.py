"""Matrix products: matmul (with batch broadcasting), mm, bmm, dot, outer, einsum.

For C = A @ B:  dL/dA = dL/dC @ B^T  and  dL/dB = A^T @ dL/dC, each summed
over the batch dimensions that were broadcast.
"""

from __future__ import annotations

from .. import _dtype
from ..autograd.function import Function
from ._util import Tensor, _wrap, check_same_device


def _check_dtypes(a, b, op):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_name(a)} != {_name(b)}"
        )
    if a._data.dtype.kind == "b":
        raise NotImplementedError(f'"{op}" not implemented for \'Bool\'')
    check_same_device(op, a, b)


def _name(t):
    return {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int"}.get(t.dtype.name, t.dtype.name)


class Mm(Function):
    """A @ B for matrices.  dA = grad @ B^T, dB = A^T @ grad."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _wrap(a._data @ b._data, a._device)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        # BEGIN SOLUTION 3.1
        # HINT: C = A @ B: dA = grad @ B^T, dB = A^T @ grad (None where not ctx.needs_input_grad)
        ga = grad.mm(b.t()) if ctx.needs_input_grad[0] else None
        gb = a.t().mm(grad) if ctx.needs_input_grad[1] else None
        # END SOLUTION
        return ga, gb


class Matmul(Function):
    """Batched A @ B with broadcast batch dims (both at least 2-D).
    dA = grad @ B^T and dB = A^T @ grad, summed back to each input's shape."""

    node_name = "BmmBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        try:
            out = a._data @ b._data
        except ValueError:
            raise RuntimeError(
                f"Expected size for first two dimensions of batch2 tensor to be: compatible with "
                f"{list(a.shape)} but got: {list(b.shape)} (matmul of shapes {list(a.shape)} and {list(b.shape)})"
            ) from None
        return _wrap(out, a._device)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        # BEGIN SOLUTION 3.2
        # HINT: batched: dA = grad @ B^T, dB = A^T @ grad (transpose the last two dims: .mT), each summed back to the
        # HINT: input's shape (.sum_to_size) because batch dims broadcast
        ga = (grad @ b.mT).sum_to_size(a.shape) if ctx.needs_input_grad[0] else None
        gb = (a.mT @ grad).sum_to_size(b.shape) if ctx.needs_input_grad[1] else None
        # END SOLUTION
        return ga, gb


class Dot(Function):
    """a . b for vectors.  da = grad * b, db = grad * a."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _wrap(a._device.xp.asarray(a._data @ b._data), a._device)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * b, grad * a


def _mat_error(a, b):
    sa = "x".join(str(s) for s in (a.shape if a.ndim == 2 else (1,) + tuple(a.shape)))
    sb = "x".join(str(s) for s in (b.shape if b.ndim == 2 else tuple(b.shape) + (1,)))
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa} and {sb})")


def matmul(input, other):
    """Matrix product with PyTorch's rules for 1-D operands and broadcast batch dims."""
    if not isinstance(input, Tensor) or not isinstance(other, Tensor):
        raise TypeError(f"matmul(): argument 'other' must be Tensor, not {type(other).__name__}")
    _check_dtypes(input, other, "matmul")
    a, b = input, other
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
        )
    if a.ndim == 1 and b.ndim == 1:
        return dot(a, b)
    if a.ndim == 2 and b.ndim == 2:
        if a.shape[1] != b.shape[0]:
            raise _mat_error(a, b)
        return Mm.apply(a, b)
    if a.ndim == 1:
        if a.shape[0] != b.shape[-2]:
            raise RuntimeError(
                f"size mismatch, got input ({a.shape[0]}), mat ({b.shape[-2]}x{b.shape[-1]}), vec ({a.shape[0]})"
            )
        return matmul(a.unsqueeze(0), b).squeeze(-2)
    if b.ndim == 1:
        if a.shape[-1] != b.shape[0]:
            raise RuntimeError(
                f"size mismatch, got input ({a.shape[-2]}), mat ({a.shape[-2]}x{a.shape[-1]}), vec ({b.shape[0]})"
            )
        return matmul(a, b.unsqueeze(-1)).squeeze(-1)
    if a.shape[-1] != b.shape[-2]:
        raise _mat_error(a.reshape(-1, a.shape[-1]), b.reshape(b.shape[-2], -1) if b.ndim == 2 else b[(0,) * (b.ndim - 2)])
    if a.ndim > 2 and b.ndim == 2:
        # Fold the batch into the rows: one matrix product (PyTorch does the same).
        lead = tuple(a.shape[:-1])
        return Mm.apply(a.reshape(-1, a.shape[-1]), b).reshape(lead + (b.shape[-1],))
    return Matmul.apply(a, b)


def mm(input, mat2):
    """Product of two matrices (2-D only)."""
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _check_dtypes(input, mat2, "mm")
    if input.shape[1] != mat2.shape[0]:
        raise _mat_error(input, mat2)
    return Mm.apply(input, mat2)


def bmm(input, mat2):
    """Batch of matrix products: (b, n, m) @ (b, m, p)."""
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    _check_dtypes(input, mat2, "bmm")
    if input.shape[0] != mat2.shape[0] or input.shape[2] != mat2.shape[1]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{input.shape[0]}, {input.shape[2]}] "
            f"but got: [{mat2.shape[0]}, {mat2.shape[1]}]."
        )
    return Matmul.apply(input, mat2)


def dot(input, other):
    """Inner product of two 1-D tensors."""
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    _check_dtypes(input, other, "dot")
    if input.shape[0] != other.shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src [{other.shape[0]}] to have the "
            f"same number of elements, but got {input.shape[0]} and {other.shape[0]} elements respectively"
        )
    return Dot.apply(input, other)


def outer(input, vec2):
    """Outer product of two vectors: out[i, j] = a[i] * b[j]."""
    if input.ndim != 1 or vec2.ndim != 1:
        raise RuntimeError("outer: expected 1-D tensors")
    return input.unsqueeze(1) * vec2.unsqueeze(0)


ger = outer


def mv(input, vec):
    return matmul(input, vec)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    out = mm(mat1, mat2)
    if alpha != 1:
        out = out * alpha
    return out + (input * beta if beta != 1 else input)


def einsum(equation: str, *operands):
    """Einstein summation, built from permute/reshape/mul/sum (differentiable through them)."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    eq = equation.replace(" ", "")
    if "..." in eq:
        raise NotImplementedError("einsum with '...' is not supported by minitorch")
    if "->" in eq:
        lhs, out = eq.split("->")
    else:
        lhs = eq
        letters = lhs.replace(",", "")
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    terms = lhs.split(",")
    if len(terms) != len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    letters = []
    for term in terms + [out]:
        for c in term:
            if c not in letters:
                letters.append(c)
    sizes = {}
    aligned = []
    for term, op in zip(terms, operands):
        if len(term) != op.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(term)}) does not match the number of "
                f"dimensions ({op.ndim}) for operand {terms.index(term)}"
            )
        x = op
        # Repeated letters in one term take the diagonal.
        while len(set(term)) != len(term):
            c = next(c for c in term if term.count(c) > 1)
            i, j = term.index(c), term.index(c, term.index(c) + 1)
            x = x.diagonal(0, i, j)
            term = term[:i] + term[i + 1:j] + term[j + 1:] + c
        for c, s in zip(term, x.shape):
            if sizes.setdefault(c, s) != s and s != 1 and sizes[c] != 1:
                raise RuntimeError(f"einsum(): operands do not broadcast with remapped shapes for subscript {c}")
            sizes[c] = max(sizes[c], s)
        order = [term.index(c) for c in letters if c in term]
        x = x.permute(order) if order != list(range(len(order))) else x
        shape = [x.shape[[c for c in letters if c in term].index(c)] if c in term else 1 for c in letters]
        aligned.append(x.reshape(shape))
    result = aligned[0]
    for x in aligned[1:]:
        result = result * x
    summed = tuple(i for i, c in enumerate(letters) if c not in out)
    if summed:
        result = result.sum(summed)
    kept = [c for c in letters if c in out]
    perm = [kept.index(c) for c in out]
    return result.permute(perm) if perm != list(range(len(perm))) else result


def diagonal(input, offset=0, dim1=0, dim2=1):
    from .indexing import Index

    n = input.ndim
    d1, d2 = dim1 % n, dim2 % n
    moved = input.movedim((d1, d2), (-2, -1))
    rows, cols = moved.shape[-2], moved.shape[-1]
    if offset >= 0:
        length = max(0, min(rows, cols - offset))
        r = input._device.xp.arange(length)
        c = r + offset
    else:
        length = max(0, min(rows + offset, cols))
        c = input._device.xp.arange(length)
        r = c - offset
    key = (Ellipsis, r, c)
    return Index.apply(moved, key, False)


def trace(input):
    return diagonal(input).sum()


def tril(input, diagonal=0):
    mask = input._device.xp.tri(*input.shape[-2:], diagonal, dtype=bool)  # ones on and below the diagonal
    return input * _wrap(mask, input._device)


def triu(input, diagonal=0):
    mask = ~input._device.xp.tri(*input.shape[-2:], diagonal - 1, dtype=bool)  # ones on and above the diagonal
    return input * _wrap(mask, input._device)


_ = _dtype
