"""Whole derivatives of a function: ``jacobian``, ``hessian``, ``vjp``, ``jvp``, ``vhp``, ``hvp``.

PyTorch's ``torch.autograd.functional``, built only from ``autograd.grad``:

* ``vjp``: v^T J, one backward with ``grad_outputs = v``.
* ``jacobian``: J one *row* at a time, a ``vjp`` with a one-hot v per output
  element (PyTorch's "reverse-mode" strategy without vmap).
* ``jvp``: J u without forward-mode AD, by the double-backward trick: g(w) =
  J^T w is linear in w, so the gradient of g(w) . u with respect to w is J u.
* ``hessian``: the jacobian of the gradient; ``vhp``/``hvp``: v^T H and H v,
  a backward of the gradient (H is symmetric, so both are the same numbers).

``inputs`` is a tensor or a tuple of tensors, and the results follow the same
structure as PyTorch's: a tensor for a tensor, tuples for tuples.

>>> x = minitorch.tensor([1.0, 2.0])
>>> jacobian(lambda t: t ** 2, x)              # diag(2 x)
tensor([[2., 0.],
        [0., 4.]])
"""

from __future__ import annotations

from .grad_mode import enable_grad

__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]


def _as_tuple(x) -> tuple[bool, tuple]:
    """(was it a tuple or list?, the items as a tuple)."""
    if isinstance(x, (tuple, list)):
        return True, tuple(x)
    return False, (x,)


def _unpack(items, is_tuple: bool):
    return items if is_tuple else items[0]


def _prepare(inputs, create_graph: bool) -> tuple:
    """Fresh leaves that require grad; with ``create_graph`` they stay connected to the caller's graph."""
    return tuple(x.view_as(x) if create_graph and x.requires_grad else x.detach().requires_grad_(True) for x in inputs)


def _finish(items, create_graph: bool) -> tuple:
    """Results leave the graph unless the caller asked to differentiate them again."""
    return tuple(t if create_graph or t is None else t.detach() for t in items)


def _grads(outputs, inputs, grad_outputs, create_graph: bool) -> tuple:
    """``autograd.grad`` where an output that does not depend on the inputs gives zeros, not an error."""
    from ..ops.creation import zeros_like
    from . import grad

    pairs = [(o, v) for o, v in zip(outputs, grad_outputs) if o.requires_grad]
    found = (None,) * len(inputs)
    if pairs:
        found = grad([o for o, _ in pairs], inputs, [v for _, v in pairs], retain_graph=True,
                     create_graph=create_graph, allow_unused=True)
    return tuple(zeros_like(x) if g is None else g for g, x in zip(found, inputs))


def _check_v(v, outputs, what: str) -> tuple:
    """The vector ``v`` of a vjp/vhp: one tensor per output, each of its output's shape."""
    if v is None:
        if len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError("The vector v can only be None if the user-provided function returns a single "
                               "Tensor with a single element.")
        from ..ops.creation import ones_like

        return (ones_like(outputs[0]),)
    _, v = _as_tuple(v)
    if len(v) != len(outputs):
        raise RuntimeError("The given v should contain a single Tensor." if len(outputs) == 1 else
                           f"v is a tuple of invalid length: should be {len(outputs)} but got {len(v)}.")
    for vi, o in zip(v, outputs):
        if vi.shape != o.shape:
            raise RuntimeError(f"{what} has invalid size: should be {o.shape} but got {vi.shape}.")
    return v


def vjp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """``(func(*inputs), v^T J)``: the gradient of ``(func(*inputs) * v).sum()`` with respect to the inputs."""
    is_in_tuple, inputs = _as_tuple(inputs)
    inputs = _prepare(inputs, create_graph)
    with enable_grad():
        is_out_tuple, outputs = _as_tuple(func(*inputs))
        v = _check_v(v, outputs, "v")
        result = _grads(outputs, inputs, v, create_graph)
    return _unpack(_finish(outputs, create_graph), is_out_tuple), _unpack(_finish(result, create_graph), is_in_tuple)


def jvp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """``(func(*inputs), J u)`` by the double-backward trick (minitorch has no forward-mode AD)."""
    from ..ops.creation import zeros_like

    is_in_tuple, inputs = _as_tuple(inputs)
    inputs = _prepare(inputs, create_graph)
    if v is None:
        if len(inputs) != 1 or inputs[0].numel() != 1:
            raise RuntimeError("The vector v can only be None if the input to the user-provided function is a "
                               "single Tensor with a single element.")
        v = (zeros_like(inputs[0]) + 1,)
    _, v = _as_tuple(v)
    with enable_grad():
        is_out_tuple, outputs = _as_tuple(func(*inputs))
        w = tuple(zeros_like(o).requires_grad_(True) for o in outputs)  # g(w) = J^T w, linear in w
        g = _grads(outputs, inputs, w, create_graph=True)
        result = _grads(g, w, v, create_graph)  # d(g(w) . u)/dw = J u
    return _unpack(_finish(outputs, create_graph), is_out_tuple), _unpack(_finish(result, create_graph), is_out_tuple)


def jacobian(func, inputs, create_graph: bool = False, strict: bool = False, vectorize: bool = False,
             strategy: str = "reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: for output o and input x, a tensor of shape ``o.shape + x.shape``.

    Row k (the gradient of output element k) is one backward with a one-hot ``grad_outputs``.
    """
    from ..ops.creation import zeros, zeros_like
    from ..ops.join import stack

    is_in_tuple, inputs = _as_tuple(inputs)
    inputs = _prepare(inputs, create_graph)
    with enable_grad():
        is_out_tuple, outputs = _as_tuple(func(*inputs))
        jac = []
        for out in outputs:
            rows = [[] for _ in inputs]  # rows[i][k]: d out[k] / d inputs[i]
            for k in range(out.numel()):
                one_hot = zeros_like(out).reshape(-1)
                one_hot[k] = 1.0
                for i, g in enumerate(_grads((out,), inputs, (one_hot.view_as(out),), create_graph)):
                    rows[i].append(g)
            jac.append(tuple(
                stack(r).reshape(tuple(out.shape) + tuple(x.shape)) if r else
                zeros(tuple(out.shape) + tuple(x.shape), dtype=x.dtype, device=x.device)
                for r, x in zip(rows, inputs)))
    jac = [_finish(row, create_graph) for row in jac]
    return _unpack(tuple(_unpack(row, is_in_tuple) for row in jac), is_out_tuple)


def hessian(func, inputs, create_graph: bool = False, strict: bool = False, vectorize: bool = False,
            outer_jacobian_strategy: str = "reverse-mode"):
    """The Hessian of scalar ``func``: the jacobian of its gradient, shape ``x.shape + x.shape``."""
    from .._tensor import Tensor

    is_in_tuple, inputs = _as_tuple(inputs)

    def single_output(*xs):
        out = func(*xs)
        if not isinstance(out, Tensor):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should contain a single element")
        return out.reshape(())

    def gradient(*xs):
        return jacobian(single_output, xs, create_graph=True)

    h = jacobian(gradient, inputs, create_graph=create_graph)
    return _unpack(tuple(_unpack(row, is_in_tuple) for row in h), is_in_tuple)


def vhp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """``(func(*inputs), v^T H)``: a backward, with ``grad_outputs = v``, of the gradient of scalar ``func``."""
    is_in_tuple, inputs = _as_tuple(inputs)
    inputs = _prepare(inputs, create_graph)
    with enable_grad():
        out = func(*inputs)
        if out.numel() != 1:
            raise RuntimeError("The function given to vhp should return a Tensor with a single element")
        g = _grads((out,), inputs, (None,), create_graph=True)
        v = _check_v(v, inputs, "v")
        result = _grads(g, inputs, v, create_graph)
    return _finish((out,), create_graph)[0], _unpack(_finish(result, create_graph), is_in_tuple)


def hvp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """``(func(*inputs), H v)``; the Hessian is symmetric, so this is ``vhp``'s result."""
    return vhp(func, inputs, v, create_graph, strict)
