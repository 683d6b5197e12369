"""Gradient checking: does ``backward`` agree with finite differences?

A backward rule claims to know the Jacobian J of its function. Finite
differences measure J without looking at backward: nudge one input element by
+-eps and watch the outputs move (the *central* difference, whose error
shrinks like eps**2)::

    J[:, j]  ~=  (f(x + eps * e_j) - f(x - eps * e_j)) / (2 * eps)

gradcheck compares the two, element by element, with
``|analytical - numerical| <= atol + rtol * |numerical|``. It works in
float64: in float32 the round-off of f (about 1e-7) divided by 2 * eps = 2e-6
is already an error of 0.05, and correct gradients would fail.

* Full mode (default): the numerical J one *column* per input element (two
  calls of f), the analytical J one *row* per output element (one backward
  with a one-hot ``grad_outputs``).
* ``fast_mode=True``: random unit vectors u (inputs) and v (outputs); compare
  the single number v^T J u, numerically from one directional difference
  along u and analytically from one backward with v: (J^T v) . u. On failure
  the full Jacobians are computed to explain it.

A failure names the worst elements and, when the pattern fits, a likely cause
(wrong sign, constant factor, transpose, zeros, None, wrong shape): see
_gradcheck_report.py.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np  # the Jacobians are host-side NumPy matrices, whatever the tensors' device

from .. import _dtype
from ._gradcheck_report import _close, _explain, _header, _wrong_shape_message
from .grad_mode import no_grad

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck", "numerical_grad"]


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` and ``gradgradcheck`` when a gradient is wrong."""


# ---- numerical_grad: the idea in ten lines ----------------------------------------------------------------------
def numerical_grad(f: Callable, x, eps: float = 1e-6):
    """The gradient of scalar-valued ``f`` at tensor ``x`` by central differences (no autograd).

    For every element ``x[i]``, with ``e_i`` one at position i and zero elsewhere::

        df/dx[i]  ~=  (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)

    The error shrinks like eps**2 until round-off takes over, so use float64
    (in float32 eps=1e-6 is below the noise; eps around 1e-3 works there).
    Costs two calls of ``f`` per element. Returns a tensor of ``x``'s shape.

    >>> x = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64)
    >>> numerical_grad(lambda t: (t ** 3).sum(), x)          # 3 x^2
    tensor([3.0000, 12.0000], dtype=minitorch.float64)
    """
    from ..ops.creation import zeros_like

    x = x.detach().clone()  # our own copy: it is nudged in place below
    grad = zeros_like(x)
    with no_grad():
        for i in np.ndindex(*x.shape):  # every index tuple of x, in order
            old = x[i].item()
            x[i] = old + eps
            f_plus = _scalar(f(x))
            x[i] = old - eps
            f_minus = _scalar(f(x))
            x[i] = old
            grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _scalar(y) -> float:
    if getattr(y, "shape", ()) != () and y.numel() != 1:
        raise ValueError(f"numerical_grad: f must return a single number, got a tensor of shape {list(y.shape)}")
    return float(y.item() if hasattr(y, "item") else y)


# ---- the public checks --------------------------------------------------------------------------------------------
@dataclass
class _Settings:
    eps: float
    atol: float
    rtol: float
    nondet_tol: float
    check_grad_dtypes: bool


def gradcheck(func: Callable, inputs, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, nondet_tol: float = 0.0, check_undefined_grad: bool = True,
              check_grad_dtypes: bool = False, check_batched_grad: bool = False,
              check_batched_forward_grad: bool = False, check_forward_ad: bool = False,
              check_backward_ad: bool = True, fast_mode: bool = False, masked: bool | None = None) -> bool:
    """Check the gradients of ``func`` at ``inputs`` against finite differences (PyTorch's gradcheck).

    ``inputs`` is a tensor or a tuple (non-tensors are passed through); the
    floating inputs with ``requires_grad`` are checked, against every output
    that requires grad. float32/float16 inputs are checked as float64 copies,
    with a warning. Returns True, or raises ``GradcheckError`` (False with
    ``raise_exception=False``). Also checked: backward is deterministic up to
    ``nondet_tol`` and a zero ``grad_output`` gives zero gradients. Each
    backward of a Jacobian row leaves the other outputs' gradients undefined
    (None), which is what ``check_undefined_grad`` adds in PyTorch.
    ``check_batched_grad`` checks that backward is linear in ``grad_output``
    (minitorch has no vmap). minitorch has no forward-mode AD and no sparse
    tensors, so ``check_forward_ad`` must stay False and ``masked`` is ignored.

    >>> x = minitorch.randn(3, dtype=minitorch.float64, requires_grad=True)
    >>> gradcheck(lambda t: (t * t.exp()).sum(), x)
    True
    """
    if check_forward_ad or check_batched_forward_grad:
        raise NotImplementedError("gradcheck: minitorch has no forward-mode AD; use check_forward_ad=False")
    inputs = _prepare_inputs(inputs)
    settings = _Settings(eps, atol, rtol, nondet_tol, check_grad_dtypes)
    try:
        if check_backward_ad:
            _check_backward(func, inputs, settings, fast_mode, check_batched_grad)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def gradgradcheck(func: Callable, inputs, grad_outputs=None, *, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, gen_non_contig_grad_outputs: bool = False, raise_exception: bool = True,
                  nondet_tol: float = 0.0, check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
                  check_batched_grad: bool = False, check_fwd_over_rev: bool = False,
                  check_rev_over_rev: bool = True, fast_mode: bool = False, masked: bool = False) -> bool:
    """Check second derivatives: ``gradcheck`` of the backward pass itself.

    The function checked is ``(inputs, v) -> autograd.grad(func(inputs), inputs, v, create_graph=True)``,
    a vector-Jacobian product; its own gradients are the second derivatives. ``grad_outputs`` (the v) are
    random float64 tensors when not given. It fails when a backward rule is not itself differentiable,
    e.g. when it uses ``.detach()`` or raw arrays.

    >>> x = minitorch.randn(3, dtype=minitorch.float64, requires_grad=True)
    >>> gradgradcheck(lambda t: t.tanh(), x)
    True
    """
    if check_fwd_over_rev:
        raise NotImplementedError("gradgradcheck: minitorch has no forward-mode AD; use check_fwd_over_rev=False")
    from . import grad

    inputs = _prepare_inputs(inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        outs = [o for o in _as_tuple(func(*inputs)) if _wants_grad(o)]
        grad_outputs = tuple(_random_like(o, rng, gen_non_contig_grad_outputs) for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    n_in, diff_ids = len(inputs), [k for k, x in enumerate(inputs) if _wants_grad(x)]

    def vector_jacobian_product(*args):
        xs, vs = args[:n_in], args[n_in:]
        outs = [o for o in _as_tuple(func(*xs)) if _wants_grad(o)]
        grads = grad(outs, [xs[k] for k in diff_ids], vs, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(vector_jacobian_product, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol, check_undefined_grad=check_undefined_grad,
                     check_grad_dtypes=check_grad_dtypes, check_batched_grad=check_batched_grad,
                     check_backward_ad=check_rev_over_rev, fast_mode=fast_mode, masked=masked)


# ---- inputs and outputs -------------------------------------------------------------------------------------------
def _as_tuple(x) -> tuple:
    return tuple(x) if isinstance(x, (list, tuple)) else (x,)


def _wants_grad(x) -> bool:
    return getattr(x, "requires_grad", False) is True and hasattr(x, "_data")


def _prepare_inputs(inputs) -> tuple:
    """``inputs`` as a tuple; inputs that require grad but are not float64 become float64 copies."""
    inputs = list(_as_tuple(inputs))
    for k, x in enumerate(inputs):
        if not _wants_grad(x):
            continue
        if any(st == 0 and n > 1 for st, n in zip(x.stride(), x.shape)):
            raise RuntimeError(
                f"The {k}th input has a dimension with stride 0. gradcheck only supports inputs that are "
                "non-overlapping to be able to compute the numerical gradients correctly. You should call "
                ".contiguous on the input before passing it to gradcheck.")
        if x.dtype is not _dtype.float64:
            warnings.warn(
                f"Input #{k} requires gradient and is not a double precision floating point or complex. "
                f"minitorch's gradcheck checks a float64 copy of it ({x.dtype}) instead: finite differences in single "
                "precision give false failures (round-off of about 1e-7 divided by 2 * eps = 2e-6 is an error of "
                "about 0.05).",
                UserWarning, stacklevel=3)
            inputs[k] = x.detach().to(_dtype.float64).requires_grad_()
    if not any(_wants_grad(x) for x in inputs):
        raise ValueError("gradcheck expects at least one input tensor to require gradient, "
                         "but none of them have requires_grad=True.")
    return tuple(inputs)


def _random_like(t, rng, non_contiguous: bool = False):
    """A float64 tensor of ``t``'s shape, uniform in [-1, 1), requiring grad (a random grad_output)."""
    shape = tuple(t.shape)
    if non_contiguous and shape:
        arr = rng.uniform(-1, 1, shape[:-1] + (2 * shape[-1],))[..., ::2]  # every other column: strided
    else:
        arr = rng.uniform(-1, 1, shape)
    return _from_host(arr, t).requires_grad_()


def _from_host(arr: np.ndarray, like):
    """A tensor of the numbers of host array ``arr`` on ``like``'s device."""
    from .._tensor import _wrap

    return _wrap(like._device.backend.from_host(arr), like._device)


def _flat(t) -> np.ndarray:
    """The numbers of ``t`` as a flat float64 host array (a copy: ``t`` may alias an input we nudge)."""
    return np.array(t.detach()._host(), dtype=np.float64).reshape(-1)


# ---- the numerical Jacobian ---------------------------------------------------------------------------------------
def _directional_derivative(func, inputs, out_ids, x, where, direction, eps) -> list:
    """d f(x + t d) / dt at t = 0 for each output (d = ``direction`` at ``x[where]``, zero elsewhere):
    (f(x + eps d) - f(x - eps d)) / (2 eps). ``x`` is nudged in place and restored exactly."""
    def outputs_at(value):
        x._data[where] = value
        outs = _as_tuple(func(*inputs))
        return [_flat(outs[k]) for k in out_ids]

    orig = x._data[where].copy()
    try:
        plus, minus = outputs_at(orig + eps * direction), outputs_at(orig - eps * direction)
    finally:
        x._data[where] = orig
    return [(p - m) / (2 * eps) for p, m in zip(plus, minus)]


def _numerical_jacobian(func, inputs, out_ids, out_sizes, x, eps) -> list:
    """Per output, J of shape (output numel, x numel), one column per element of ``x``."""
    jacobians = [np.zeros((n, x.numel())) for n in out_sizes]
    for j, idx in enumerate(np.ndindex(*x.shape)):
        for J, column in zip(jacobians, _directional_derivative(func, inputs, out_ids, x, idx, 1.0, eps)):
            J[:, j] = column
    return jacobians


# ---- the analytical Jacobian --------------------------------------------------------------------------------------
def _vjp(outputs, inputs, grad_outputs, settings=None) -> list:
    """J^T v for each input, by backward: flat host arrays, None where backward gave no gradient."""
    from . import grad

    try:
        grads = grad(outputs, inputs, grad_outputs, retain_graph=True, allow_unused=True)
    except RuntimeError as e:
        if "returned an invalid gradient" not in str(e):
            raise
        raise GradcheckError(_wrong_shape_message(e, inputs, outputs)) from e
    for g, x in zip(grads, inputs):
        if settings is not None and settings.check_grad_dtypes and g is not None and g.dtype is not x.dtype:
            raise GradcheckError(f"Gradient has dtype mismatch: {g.dtype} for an input of dtype {x.dtype}")
    return [None if g is None else _flat(g) for g in grads]


def _twice(outputs, inputs, grad_outputs, settings) -> list:
    """``_vjp`` run twice: the results must agree up to ``nondet_tol`` (backward is reentrant)."""
    first, second = (_vjp(outputs, inputs, grad_outputs, settings) for _ in range(2))
    for g1, g2 in zip(first, second):
        diff = (0.0 if g1 is g2 else np.inf) if g1 is None or g2 is None else np.abs(g1 - g2).max(initial=0.0)
        if not diff <= settings.nondet_tol:
            raise GradcheckError(
                "Backward is not reentrant, i.e., running backward with same input and grad_output multiple "
                f"times gives different values (largest difference {diff:.3g}). The tolerance for nondeterminism "
                f"was {settings.nondet_tol}. Does backward modify a saved tensor or keep state between calls?")
    return first


def _analytical_jacobian(out, inputs, settings):
    """Per input, J of shape (out numel, input numel), one row per element k of ``out``: the gradient
    of ``out[k]``, from one backward with ``grad_outputs`` one-hot at k. Also: did any row get a gradient?"""
    from ..ops.creation import zeros_like

    jacobians = [np.zeros((out.numel(), x.numel())) for x in inputs]
    got_grad = [False] * len(inputs)
    for k, idx in enumerate(np.ndindex(*out.shape)):
        one_hot = zeros_like(out)
        one_hot._data[idx] = 1.0
        for i, g in enumerate(_twice(out, inputs, one_hot, settings)):
            if g is not None:
                if np.size(g) != inputs[i].numel():
                    raise GradcheckError(
                        f"the gradient for input {i} has {np.size(g)} elements but the input has {inputs[i].numel()} "
                        f"(shape {list(inputs[i].shape)}): backward must return a gradient of its input's shape "
                        "(sum over broadcast dimensions, e.g. with sum_to_size)"
                    )
                jacobians[i][k], got_grad[i] = g, True
    return jacobians, got_grad


# ---- the checks ---------------------------------------------------------------------------------------------------
def _check_backward(func, inputs, settings, fast_mode, check_batched_grad) -> None:
    outs = _as_tuple(func(*inputs))
    out_ids = [k for k, o in enumerate(outs) if _wants_grad(o)]
    diff_ids = [k for k, x in enumerate(inputs) if _wants_grad(x)]
    diff_inputs = [inputs[k] for k in diff_ids]
    if not out_ids:  # nothing to backward through: the outputs must then not depend on the inputs at all
        ids = [k for k, o in enumerate(outs) if hasattr(o, "_data") and o.is_floating_point()]
        if any(np.any(J) for x in diff_inputs
               for J in _numerical_jacobian(func, inputs, ids, [outs[k].numel() for k in ids], x, settings.eps)):
            raise GradcheckError("Numerical gradient for function expected to be zero: no output requires grad, yet "
                                 "the outputs change with the inputs (did func leave the graph with .detach(), "
                                 ".numpy(), .item() or no_grad()?)")
        return
    outputs = [outs[k] for k in out_ids]
    (_fast_check if fast_mode else _slow_check)(func, inputs, outputs, out_ids, diff_ids, settings)
    from ..ops.creation import zeros_like

    if any(g is not None and np.any(g != 0) for g in _vjp(outputs, diff_inputs, [zeros_like(o) for o in outputs])):
        raise GradcheckError("backward not multiplied by grad_output: with zero grad_outputs it still returned a "
                             "nonzero gradient (return grad * 2 * x, not 2 * x)")
    if check_batched_grad:
        _check_linear(outputs, diff_inputs, settings)


def _slow_check(func, inputs, outputs, out_ids, diff_ids, settings) -> None:
    """Full Jacobians for every (output, input) pair; one report per pair that differs."""
    diff_inputs = [inputs[k] for k in diff_ids]
    sizes = [o.numel() for o in outputs]
    numerical = [_numerical_jacobian(func, inputs, out_ids, sizes, x, settings.eps) for x in diff_inputs]
    reports = []
    for o, out in enumerate(outputs):
        analytical, got_grad = _analytical_jacobian(out, diff_inputs, settings)
        for i, x in enumerate(diff_inputs):
            a, n = analytical[i], numerical[i][o]
            if not _close(a, n, settings.atol, settings.rtol).all():
                others = [numerical[j][o] for j in range(len(diff_inputs)) if j != i]
                reports.append(_header(o, i, diff_ids[i]) + _explain(a, n, x.shape, out.shape, got_grad[i],
                                                                     others, settings))
    if reports:
        raise GradcheckError("\n\n".join(reports))


def _fast_check(func, inputs, outputs, out_ids, diff_ids, settings) -> None:
    """Compare v^T J u for random unit vectors u (per input) and v (per output)."""
    rng = np.random.default_rng(0)  # our own generator: the user's random stream is left alone
    diff_inputs = [inputs[k] for k in diff_ids]
    us = [_unit(rng, x.shape) for x in diff_inputs]
    vs = [_unit(rng, o.shape) for o in outputs]
    # numerically: J u from one directional difference per input, then v . (J u)
    numerical = [[v.reshape(-1) @ Ju for v, Ju in zip(vs, _directional_derivative(
        func, inputs, out_ids, x, ..., x._device.backend.from_host(u), settings.eps))]
        for x, u in zip(diff_inputs, us)]
    for o, (out, v) in enumerate(zip(outputs, vs)):
        # analytically: J^T v from one backward, then (J^T v) . u
        for i, g in enumerate(_twice(out, diff_inputs, _from_host(v, out), settings)):
            a, n = (0.0 if g is None else float(g @ us[i].reshape(-1))), float(numerical[i][o])
            atol = settings.atol * us[i].sum() * v.sum()  # the elementwise atol, summed as v^T J u sums
            if not _close(a, n, atol, settings.rtol):
                raise GradcheckError(_header(o, i, diff_ids[i]) + _fast_failure(func, inputs, out, o, out_ids,
                                                                                 diff_inputs[i], a, n, settings))


def _unit(rng, shape) -> np.ndarray:
    u = rng.random(tuple(shape))
    return u / max(np.linalg.norm(u), 1e-12)


def _fast_failure(func, inputs, out, o, out_ids, x, a, n, settings) -> str:
    """Fast mode failed: recompute the full Jacobians of this pair to show what is wrong."""
    numerical = _numerical_jacobian(func, inputs, [out_ids[o]], [out.numel()], x, settings.eps)[0]
    (analytical,), (got_grad,) = _analytical_jacobian(out, [x], settings)
    text = (f"fast mode compares v^T J u for random unit vectors u, v: backward gives {a:.6g}, finite differences "
            f"give {n:.6g}. Recomputed in full (slow mode):\n")
    if _close(analytical, numerical, settings.atol, settings.rtol).all():
        worst = np.abs(analytical - numerical).max(initial=0.0)
        return text + (f"the full Jacobians agree (largest difference {worst:.3g}): fast mode failed but slow "
                       "mode would pass. Use fast_mode=False or a larger atol.")
    return text + _explain(analytical, numerical, x.shape, out.shape, got_grad, [], settings)


def _check_linear(outputs, inputs, settings) -> None:
    """check_batched_grad without vmap: backward must be linear in grad_output, J^T(v + w) = J^T v + J^T w."""
    rng = np.random.default_rng(1)
    v, w = ([_random_like(o, rng).detach() for o in outputs] for _ in range(2))
    both = _vjp(outputs, inputs, [a + b for a, b in zip(v, w)])
    for k, (gv, gw, gb) in enumerate(zip(_vjp(outputs, inputs, v), _vjp(outputs, inputs, w), both)):
        sum_of_grads = (0 if gv is None else gv) + (0 if gw is None else gw)
        if gb is not None and not _close(gb, sum_of_grads, settings.atol, settings.rtol).all():
            raise GradcheckError(f"check_batched_grad: backward is not linear in grad_output for input {k}: "
                                 "grad(v + w) != grad(v) + grad(w). Does backward square or take abs of grad?")
