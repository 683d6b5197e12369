"""Automatic differentiation: ``Function``, ``backward``, ``grad``, grad mode, gradcheck.

See function.py (how ops record the graph) and engine.py (how backward runs).
"""

from __future__ import annotations

import warnings

from . import functional  # noqa: F401 - minitorch.autograd.functional, as in PyTorch
from .anomaly import detect_anomaly, is_anomaly_check_nan_enabled, is_anomaly_enabled, set_detect_anomaly
from .engine import run_backward
from .function import AccumulateGrad, Function, Node, live_nodes
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck, numerical_grad

__all__ = [
    "Function", "Node", "AccumulateGrad", "backward", "grad", "gradcheck", "gradgradcheck", "numerical_grad",
    "GradcheckError", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode",
    "detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled", "is_anomaly_check_nan_enabled", "live_nodes",
]


def _inputs_tuple(inputs, where: str) -> tuple:
    """``inputs`` (a tensor, a sequence or a dict of tensors) as a tuple; PyTorch's error when empty."""
    from .._tensor import Tensor

    if isinstance(inputs, Tensor):
        return (inputs,)
    inputs = tuple(inputs.values()) if type(inputs) is dict else tuple(inputs)
    if not inputs:
        raise RuntimeError(f"`inputs` argument to `{where}()` cannot be empty.")
    return inputs


def _make_grads(outputs, grad_outputs, create_graph):
    """Starting gradients: ones for scalar outputs, else the given ones (checked).

    As in PyTorch, outputs and gradients are paired up to the shorter of the
    two, then the counts must agree.
    """
    from .._tensor import Tensor
    from ..ops.creation import ones_like

    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    grads = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if g is None:
            if out._rg and out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            grads.append(ones_like(out))
            continue
        if not isinstance(g, Tensor):
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
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
    if len(grads) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    return grads


_warned_create_graph = [False]


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of the graph's leaves.

    ``inputs``: accumulate only into these tensors (leaves or not), leaving every other ``.grad`` alone.

    >>> x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    >>> backward((x * x).sum())        # x.grad = 2 x
    """
    from .._tensor import Tensor

    if grad_variables is not None:
        warnings.warn("`grad_variables` is deprecated. Use `grad_tensors` instead.", FutureWarning, stacklevel=2)
        if grad_tensors is not None:
            raise RuntimeError("`grad_tensors` and `grad_variables` (deprecated) arguments both passed to "
                               "`backward()`. Please only use `grad_tensors`.")
        grad_tensors = grad_variables
    if inputs is not None:
        inputs = _inputs_tuple(inputs, "backward")
    tensors = (tensors,) if isinstance(tensors, Tensor) else tuple(tensors)
    if grad_tensors is not None:  # a tensor, or a sequence of tensors and Nones (a number is not iterable: TypeError)
        grad_tensors = (grad_tensors,) if isinstance(grad_tensors, Tensor) else tuple(grad_tensors)
    grads = _make_grads(tensors, grad_tensors, create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph and not _warned_create_graph[0]:
        _warned_create_graph[0] = True  # PyTorch warns once per process
        warnings.warn(
            "Using backward() with create_graph=True will create a reference cycle between the parameter and its "
            "gradient which can cause a memory leak. We recommend using autograd.grad when creating the graph to "
            "avoid this. If you have to use this function, make sure to reset the .grad fields of your parameters "
            "to None after use to break the cycle and avoid the leak.", UserWarning, stacklevel=2)
    if inputs is None:
        run_backward(tensors, grads, retain_graph, create_graph)
        return
    # backward(inputs=...): accumulate only into the given tensors.
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    results = run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs, allow_unused=True)
    from .engine import _accumulate_leaf

    done = set()
    for t, g in zip(inputs, results):
        if g is not None and id(t) not in done:  # a tensor listed twice still gets its gradient once
            done.add(id(t))
            _accumulate_leaf(t, g, create_graph, shared=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of ``outputs`` w.r.t. ``inputs``, returned (``.grad`` is not touched).

    ``inputs`` may be a tensor, a sequence or a dict of tensors (then a dict is returned).
    An input the outputs do not depend on raises, or gives None with ``allow_unused=True``
    (zeros with ``materialize_grads=True``).

    >>> x = minitorch.tensor(2.0, requires_grad=True)
    >>> (dy,) = grad(x ** 3, x, create_graph=True)   # 3 x^2 = 12
    >>> (d2y,) = grad(dy, x)                          # 6 x = 12
    """
    from .._tensor import Tensor

    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, "
                         "but got: allow_unused=False.")
    if allow_unused is None:
        allow_unused = materialize_grads
    if is_grads_batched:
        raise NotImplementedError("grad: is_grads_batched=True needs vmap, which minitorch does not have; "
                                  "loop over the grad_outputs instead")
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate "
                      "gradient for other parts of the graph, please use minitorch.autograd.backward.",
                      FutureWarning, stacklevel=2)
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    keys = tuple(inputs) if type(inputs) is dict else None
    inputs = _inputs_tuple(inputs, "grad")
    if grad_outputs is not None:
        grad_outputs = (grad_outputs,) if isinstance(grad_outputs, Tensor) else tuple(grad_outputs)
    grads = _make_grads(outputs, grad_outputs, create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    for i, o in enumerate(outputs):
        if not o._rg:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
    results = run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs, allow_unused=allow_unused)
    if materialize_grads:
        from ..ops.creation import zeros_like

        results = tuple(r if r is not None else zeros_like(x, requires_grad=create_graph)
                        for r, x in zip(results, inputs))
    return dict(zip(keys, results)) if keys is not None else results
