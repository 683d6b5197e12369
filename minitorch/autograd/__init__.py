"""Automatic differentiation: ``Function``, ``backward``, ``grad``, grad mode, gradcheck.

See function.py (how ops record the graph) and engine.py (how backward runs).
"""

from __future__ import annotations

from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .engine import run_backward
from .function import AccumulateGrad, Function, Node, live_nodes
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck, numerical_grad

__all__ = [
    "Function", "Node", "AccumulateGrad", "backward", "grad", "gradcheck", "gradgradcheck", "numerical_grad",
    "GradcheckError", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode",
    "detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled", "live_nodes",
]


def _as_tuple(x):
    if x is None:
        return None
    if isinstance(x, (list, tuple)):
        return tuple(x)
    return (x,)


def _make_grads(outputs, grad_outputs, create_graph):
    """Starting gradients: ones for scalar outputs, else the given ones (checked)."""
    from .._tensor import Tensor
    from ..ops.creation import ones_like

    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError("grad can be implicitly created only for scalar outputs" if not grad_outputs else
                           f"got {len(grad_outputs)} gradients for {len(outputs)} outputs")
    grads = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if g is None:
            if out._rg and out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = ones_like(out)
        else:
            if not isinstance(g, Tensor):
                from ..ops.creation import tensor

                g = tensor(g, dtype=out.dtype, device=out.device)
            if g.shape != out.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] has a shape "
                    f"of {out.shape}."
                )
            if g.dtype is not out.dtype and out.dtype.is_floating_point:
                g = g.to(out.dtype)
            if not create_graph:
                g = g.detach().clone()  # backward must never hand the caller's tensor to a leaf
        grads.append(g)
    return grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of the graph's leaves."""
    tensors = _as_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors if grad_tensors is not None else grad_variables)
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is not None:
        inputs = _as_tuple(inputs)
        if len(inputs) == 0:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    grads = _make_grads(tensors, grad_tensors, create_graph)
    if inputs is None:
        run_backward(tensors, grads, retain_graph, create_graph)
        return
    # backward(inputs=...): accumulate only into the given tensors.
    results = run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs, allow_unused=True)
    from .engine import _accumulate

    for t, g in zip(inputs, results):
        if g is not None:
            _accumulate(t, g, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of ``outputs`` w.r.t. ``inputs``, returned (``.grad`` is not touched).

    >>> x = minitorch.tensor(2.0, requires_grad=True)
    >>> (dy,) = grad(x ** 3, x, create_graph=True)   # 3 x^2 = 12
    >>> (d2y,) = grad(dy, x)                          # 6 x = 12
    """
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    grads = _make_grads(outputs, _as_tuple(grad_outputs), create_graph)
    for i, o in enumerate(outputs):
        if not o._rg:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
    results = run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs, allow_unused=allow_unused)
    if materialize_grads:
        from ..ops.creation import zeros_like

        results = tuple(r if r is not None else zeros_like(x) for r, x in zip(results, inputs))
    return results
