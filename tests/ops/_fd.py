"""Finite-difference gradient checks used by the op tests.

``check_vjp`` compares the vector-Jacobian product that autograd computes for
a *random* upstream gradient ``v`` with central differences of
``sum(f(x) * v)``: a wrong rule cannot hide behind ``.sum()``'s all-ones
gradient (which, for example, cannot tell a matrix from its transpose).

``gradcheck`` calls ``minitorch.autograd.gradcheck`` (full Jacobian) and, while
that is still a placeholder, falls back to the full-Jacobian check written here.
"""

from __future__ import annotations

import numpy as np

import minitorch


def float_outputs(out) -> list:
    """The floating-point tensors among an op's outputs (a Tensor or a tuple of them)."""
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    return [o for o in outs if isinstance(o, minitorch.Tensor) and o.dtype.is_floating_point]


def _host(t) -> np.ndarray:
    return t.detach().numpy()


def _weighted_sum(fn, inputs, vs) -> float:
    """sum_k <fn(inputs)_k, v_k>, in float64, without recording a graph."""
    with minitorch.no_grad():
        outs = float_outputs(fn(*inputs))
    return float(sum(np.sum(_host(o).astype(np.float64) * v) for o, v in zip(outs, vs)))


def numerical_vjp(fn, inputs, vs, eps: float = 1e-6) -> list:
    """Central differences of ``sum(fn(x) * v)`` for every element of every input that requires grad."""
    grads = []
    for x in inputs:
        if not (isinstance(x, minitorch.Tensor) and x.requires_grad):
            grads.append(None)
            continue
        arr = _host(x)  # shares memory with x (also when x is a non-contiguous view)
        g = np.zeros(arr.shape, dtype=np.float64)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + eps
            hi = _weighted_sum(fn, inputs, vs)
            arr[idx] = old - eps
            lo = _weighted_sum(fn, inputs, vs)
            arr[idx] = old
            g[idx] = (hi - lo) / (2 * eps)
        grads.append(g)
    return grads


def analytical_vjp(fn, inputs, vs, create_graph: bool = False) -> list:
    """``autograd.grad`` of the outputs with upstream gradients ``vs`` (zeros for unused inputs)."""
    outs = float_outputs(fn(*inputs))
    diff = [x for x in inputs if isinstance(x, minitorch.Tensor) and x.requires_grad]
    gs = minitorch.autograd.grad(
        outs, diff, [minitorch.tensor(v, dtype=o.dtype) for o, v in zip(outs, vs)],
        allow_unused=True, create_graph=create_graph,
    )
    it = iter(gs)
    res = []
    for x in inputs:
        if not (isinstance(x, minitorch.Tensor) and x.requires_grad):
            res.append(None)
            continue
        g = next(it)
        res.append(np.zeros(tuple(x.shape)) if g is None else _host(g))
    return res


def random_upstream(fn, inputs, rng) -> list:
    """A random upstream gradient for each floating-point output of ``fn``."""
    with minitorch.no_grad():
        outs = float_outputs(fn(*inputs))
    return [rng.standard_normal(tuple(o.shape)) for o in outs]


def check_vjp(fn, inputs, rng, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> None:
    """Assert that autograd's VJP with a random upstream gradient matches central differences."""
    vs = random_upstream(fn, inputs, rng)
    ana = analytical_vjp(fn, inputs, vs)
    num = numerical_vjp(fn, inputs, vs, eps)
    for i, (a, n) in enumerate(zip(ana, num)):
        if a is None:
            continue
        assert a.shape == n.shape, f"input {i}: gradient shape {a.shape} != input shape {n.shape}"
        np.testing.assert_allclose(a, n, atol=atol, rtol=rtol, err_msg=f"gradient of input {i}")


def _full_jacobian_check(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3) -> bool:
    """Our own full-Jacobian check: one VJP per output element (unit upstream gradients)."""
    with minitorch.no_grad():
        outs = float_outputs(fn(*inputs))
    shapes = [tuple(o.shape) for o in outs]
    for k, shape in enumerate(shapes):
        for idx in np.ndindex(shape):
            vs = [np.zeros(s) for s in shapes]
            vs[k][idx] = 1.0
            ana = analytical_vjp(fn, inputs, vs)
            num = numerical_vjp(fn, inputs, vs, eps)
            for i, (a, n) in enumerate(zip(ana, num)):
                if a is not None:
                    np.testing.assert_allclose(a, n, atol=atol, rtol=rtol,
                                               err_msg=f"d output {k}{list(idx)} / d input {i}")
    return True


def gradcheck(fn, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """``minitorch.autograd.gradcheck`` on the floating-point outputs of ``fn``; our own check until it lands."""

    def func(*xs):
        outs = float_outputs(fn(*xs))
        return outs[0] if len(outs) == 1 else tuple(outs)

    try:
        return minitorch.autograd.gradcheck(func, tuple(inputs), eps=eps, atol=atol, rtol=rtol)
    except NotImplementedError:
        return _full_jacobian_check(fn, inputs, eps, atol, rtol)
