"""Matrix products: matmul (with batch broadcasting), mm, bmm, dot, outer, einsum.

For C = A @ B:  dL/dA = dL/dC @ B^T  and  dL/dB = A^T @ dL/dC, each summed
over the batch dimensions that were broadcast.
"""

from __future__ import annotations

import string

import numpy as np

from ..autograd.function import Function
from ._util import Tensor, _wrap, broadcast_error, c_type_name, check_same_device, scalar_type_name


def _check_dtypes(a, b, op):
    if a._data.dtype != b._data.dtype:
        if op == "dot":
            raise RuntimeError(
                f"dot : expected both vectors to have same dtype, but found {_cap(a)} and {_cap(b)}"
            )
        if op == "bmm":
            raise RuntimeError(f"expected scalar type {_cap(a)} but found {_cap(b)}")
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_name(a)} != {_name(b)}"
        )
    if a._data.dtype.kind == "b":
        raise NotImplementedError(f'"{op}" not implemented for \'Bool\'')
    check_same_device(op, a, b)


def _cap(t):
    return scalar_type_name(t.dtype)


def _name(t):
    return c_type_name(t.dtype)


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
        return _wrap(a._data @ b._data, a._device)

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
        bad = other if isinstance(input, Tensor) else input
        name = "other" if isinstance(input, Tensor) else "input"
        raise TypeError(f"matmul(): argument '{name}' must be Tensor, not {type(bad).__name__}")
    a, b = input, other
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
        )
    _check_dtypes(a, b, "dot" if a.ndim == 1 and b.ndim == 1 else "matmul")
    if a.ndim == 1 and b.ndim == 1:
        return dot(a, b)
    if a.ndim <= 2 and b.ndim == 2:
        if a.shape[-1] != b.shape[0]:
            raise _mat_error(a, b)
        return Mm.apply(a.unsqueeze(0), b).squeeze(0) if a.ndim == 1 else Mm.apply(a, b)
    if b.ndim == 1:
        if a.shape[-1] != b.shape[0]:
            rows = a.numel() // a.shape[-1] if a.shape[-1] else 0  # PyTorch folds the batch into the rows
            raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{a.shape[-1]}), vec ({b.shape[0]})")
        return matmul(a, b.unsqueeze(-1)).squeeze(-1)
    if a.ndim > 2 and b.ndim == 2:
        if a.shape[-1] != b.shape[0]:
            raise _mat_error(a.reshape(-1, a.shape[-1]), b)
        # Fold the batch into the rows: one matrix product (PyTorch does the same).
        lead = tuple(a.shape[:-1])
        return Mm.apply(a.reshape(-1, a.shape[-1]), b).reshape(lead + (b.shape[-1],))
    if a.ndim == 1:
        return matmul(a.unsqueeze(0), b).squeeze(-2)
    _check_batched(a, b)
    return Matmul.apply(a, b)


def _check_batched(a, b) -> None:
    """The batch dims must broadcast and the inner sizes agree (PyTorch words it as for bmm)."""
    batch_a, batch_b = tuple(a.shape[:-2]), tuple(b.shape[:-2])
    try:
        batch = np.broadcast_shapes(batch_a, batch_b)
    except ValueError:
        raise broadcast_error(batch_a, batch_b) from None
    if a.shape[-1] != b.shape[-2]:
        n = int(np.prod(batch))
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{n}, {a.shape[-1]}] but got: "
            f"[{n}, {b.shape[-2]}]."
        )


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
    for name, t in (("self", input), ("vec2", vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    return input.unsqueeze(1) * vec2.unsqueeze(0)


ger = outer


def mv(input, vec):
    """Matrix times vector: (n, m) @ (m,) -> (n,)."""
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}")
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({input.shape[0]}), mat ({input.shape[0]}x{input.shape[1]}), vec ({vec.shape[0]})"
        )
    return matmul(input, vec)


def einsum(equation: str, *operands):
    """Einstein summation, built from permute/reshape/mul/sum (differentiable through them).

    >>> einsum("ij,jk->ik", a, b)        # a @ b
    >>> einsum("...ii->...i", x)         # batched diagonals
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    terms, out = _parse_einsum(equation.replace(" ", ""), operands)
    letters = []  # every subscript once, in order of appearance: the axes of the big product
    for c in "".join(terms) + out:
        if c not in letters:
            letters.append(c)
    sizes = {}
    aligned = []
    for i, (term, op) in enumerate(zip(terms, operands)):
        x, term = _take_diagonals(op, term, i)
        for c, s in zip(term, x.shape):
            seen = sizes.setdefault(c, s)
            if seen != s and s != 1 and seen != 1:
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {s} for operand {i} which does not broadcast with previously "
                    f"seen size {seen}"
                )
            sizes[c] = max(seen, s)
        # Line the operand's axes up with ``letters`` (size 1 where the operand lacks a subscript).
        order = [term.index(c) for c in letters if c in term]
        x = x.permute(order) if order != list(range(len(order))) else x
        present = [c for c in letters if c in term]
        aligned.append(x.reshape([x.shape[present.index(c)] if c in term else 1 for c in letters]))
    result = aligned[0]
    for x in aligned[1:]:
        result = result * x
    summed = tuple(i for i, c in enumerate(letters) if c not in out)
    if summed:
        result = result.sum(summed)
    kept = [c for c in letters if c in out]
    perm = [kept.index(c) for c in out]
    return result.permute(perm) if perm != list(range(len(perm))) else result


def _parse_einsum(eq, operands):
    """The input terms and the output term of ``eq``, with each ``...`` replaced by spare letters
    (right-aligned, so that operands with fewer batch dims broadcast)."""
    lhs, arrow, out = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    spare = [c for c in string.ascii_letters if c not in eq]
    n_ell = 0
    for i, (term, op) in enumerate(zip(terms, operands)):
        named = term.replace("...", "", 1)
        if "." in named:
            raise RuntimeError(f"einsum(): found '.' for operand {i} that is not part of any ellipsis")
        if "..." in term:
            if len(named) > op.ndim:
                raise RuntimeError(
                    f"einsum(): the number of subscripts in the equation ({len(named)}) is more than the number of "
                    f"dimensions ({op.ndim}) for operand {i}"
                )
            n_ell = max(n_ell, op.ndim - len(named))
        elif len(term) != op.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(term)}) does not match the number of "
                f"dimensions ({op.ndim}) for operand {i} and no ellipsis was given"
            )
    ell = "".join(spare[:n_ell])
    terms = [t.replace("...", ell[len(ell) - (op.ndim - len(t) + 3):] if op.ndim - len(t) + 3 else "")
             for t, op in zip(terms, operands)]
    if arrow:
        out = out.replace("...", ell)
    else:  # implicit output: the batch dims, then the subscripts used once, in alphabetical order
        joined = "".join(terms)
        out = ell + "".join(sorted(c for c in set(joined) if joined.count(c) == 1 and c not in ell))
    for c in out:
        if not any(c in t for t in terms):
            raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation for any input operand")
        if out.count(c) > 1:
            raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the output")
    return terms, out


def _take_diagonals(x, term, i):
    """A subscript repeated in one operand ("ii") takes the diagonal of those two axes."""
    while len(set(term)) != len(term):
        c = next(c for c in term if term.count(c) > 1)
        j, k = term.index(c), term.index(c, term.index(c) + 1)
        if x.shape[j] != x.shape[k]:
            raise RuntimeError(
                f"einsum(): subscript {c} is repeated for operand {i} but the sizes don't match, "
                f"{x.shape[k]} != {x.shape[j]}"
            )
        x = x.diagonal(0, j, k)
        term = term[:j] + term[j + 1:k] + term[k + 1:] + c
    return x, term


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


def _check_matrix(input, op):
    if input.ndim < 2:
        raise RuntimeError(f"{op}: input tensor must have at least 2 dimensions")


def tril(input, diagonal=0):
    """The lower triangle (on and below ``diagonal``); the rest set to 0 (not multiplied: inf * 0 is nan)."""
    _check_matrix(input, "tril")
    above = ~input._device.xp.tri(*input.shape[-2:], diagonal, dtype=bool)  # True strictly above the diagonal
    return input.masked_fill(_wrap(above, input._device), 0)


def triu(input, diagonal=0):
    """The upper triangle (on and above ``diagonal``); the rest set to 0."""
    _check_matrix(input, "triu")
    below = input._device.xp.tri(*input.shape[-2:], diagonal - 1, dtype=bool)  # True strictly below the diagonal
    return input.masked_fill(_wrap(below, input._device), 0)

