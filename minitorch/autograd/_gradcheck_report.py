"""gradcheck's failure report: which Jacobian elements differ, and the likely cause.

When backward and finite differences disagree, a table of the worst elements
is not always enough for a student to find the bug. The usual mistakes leave
recognisable patterns in the analytical Jacobian ``a`` against the numerical
one ``n``: ``a = -n`` (wrong sign), ``a = c * n`` (a constant factor), ``a``
equal to ``n`` with two dimensions swapped (a missing transpose), zeros, or
another input's gradient (gradients returned in the wrong order).
``_likely_cause`` tries each pattern and names the one that fits.
"""

from __future__ import annotations

import re

import numpy as np

_WORST_ROWS = 5  # rows of the table of worst elements
_PRINT_LIMIT = 100  # Jacobians with more elements are not printed in full


def _close(a, n, atol, rtol):
    """PyTorch's allclose test, elementwise: |a - n| <= atol + rtol * |n| (NaN never passes)."""
    return np.abs(a - n) <= atol + rtol * np.abs(n)


def _header(o, i, position) -> str:
    where = "" if position == i else f" (input {i} is argument {position} of func: inputs are counted among those " \
                                      "that require grad)"
    return f"Jacobian mismatch for output {o} with respect to input {i},{where}\n"


def _explain(a, n, in_shape, out_shape, got_grad, others, settings) -> str:
    """The table of the worst elements, the likely cause and the two Jacobians."""
    bad = ~_close(a, n, settings.atol, settings.rtol)
    abs_err = np.abs(a - n)
    excess = np.nan_to_num(abs_err - settings.atol - settings.rtol * np.abs(n), nan=np.inf)
    worst = [k for k in np.argsort(-excess, axis=None, kind="stable") if bad.flat[k]][:_WORST_ROWS]
    lines = [f"input shape {list(in_shape)}, output shape {list(out_shape)}: {int(bad.sum())} of {bad.size} "
             f"Jacobian elements differ by more than atol + rtol * |numerical| (atol={settings.atol:g}, "
             f"rtol={settings.rtol:g}). The worst:",
             "   input index   output index    analytical     numerical    abs err    rel err"]
    for k in worst:
        row, col = np.unravel_index(k, a.shape)
        rel = abs_err[row, col] / abs(n[row, col]) if n[row, col] != 0 else np.inf
        lines.append(f"{_index(col, in_shape):>14} {_index(row, out_shape):>14} {a[row, col]:>13.6g} "
                     f"{n[row, col]:>13.6g} {abs_err[row, col]:>10.2e} {rel:>10.2e}")
    if cause := _likely_cause(a, n, in_shape, out_shape, got_grad, others, settings):
        lines.append(f"Likely cause: {cause}")
    if a.size <= _PRINT_LIMIT:  # PyTorch's layout: one row per input element, one column per output element
        lines += [f"numerical:{_as_tensor(n.T)}", f"analytical:{_as_tensor(a.T)}"]
    return "\n".join(lines)


def _index(flat: int, shape) -> str:
    return "[" + ", ".join(str(int(i)) for i in np.unravel_index(flat, tuple(shape))) + "]"


def _as_tensor(arr):
    from .._tensor import _wrap

    return _wrap(np.ascontiguousarray(arr))


def _likely_cause(a, n, in_shape, out_shape, got_grad, others, s) -> str | None:
    """Name the pattern that relates analytical ``a`` to numerical ``n``, when one fits."""
    if not got_grad:
        return ("backward returned None for this input, yet the output depends on it (the numerical gradient is "
                "not zero). Return a gradient for every input that needs one (ctx.needs_input_grad), and check that "
                "func does not leave the graph on the way (.detach(), .numpy(), .item(), no_grad()).")
    if not np.all(np.isfinite(a)):
        return ("backward produced NaN or inf (a division by zero, log(0), sqrt at 0?). "
                "minitorch.autograd.detect_anomaly() names the operation.")
    if not np.any(a):
        return ("backward returned zeros: the gradient did not propagate to this input. Does backward multiply by "
                "the upstream gradient, and return the gradients in the order of forward's arguments?")
    if not np.any(n):
        return "the output does not depend on this input (numerical gradient zero), but backward returns a gradient."
    c = float(np.vdot(a, n) / np.vdot(n, n))  # the best constant: least squares fit of a = c * n
    if abs(c - 1) > 1e-3 and _close(a, c * n, s.atol, s.rtol).all():
        return _factor_cause(c)
    for side, t in _transposed(a, in_shape, out_shape):
        if _close(t, n, s.atol, s.rtol).all():
            if side == "input":
                return ("the gradient is the transpose of the right one: analytical with its last two dimensions "
                        "swapped equals numerical. Look for a missing or extra .T in backward "
                        "(for C = A @ B: dA = grad @ B.T, dB = A.T @ grad).")
            return ("backward reads the upstream gradient transposed: analytical equals numerical once the output's "
                    "last two dimensions are swapped. Look for grad.T where grad is meant, or the reverse.")
    if any(other.shape == a.shape and _close(a, other, s.atol, s.rtol).all() for other in others):
        return ("this is the gradient of another input: backward returns its gradients in the wrong order "
                "(one per forward argument, in order).")
    return None


def _factor_cause(c: float) -> str:
    if abs(c + 1) <= 1e-3:
        return "the gradient has the wrong sign (analytical = -numerical)."
    size = abs(c) if abs(c) >= 1 else 1 / abs(c)
    how = "too large" if abs(c) > 1 else "too small"
    sign = "has the wrong sign and " if c < 0 else ""
    return (f"the gradient {sign}is off by a factor of {_number(size)} ({how}: analytical = {_number(c)} * "
            "numerical). Look for a constant in backward that is missing, doubled or inverted (the 2 of "
            "d(x^2)/dx = 2x, the 1/n of a mean).")


def _number(c: float) -> str:
    """``c`` written simply: 2, -3, 1/2, or 0.3721."""
    if abs(c - round(c)) <= 1e-3 * abs(c):
        return str(int(round(c)))
    if abs(1 / c - round(1 / c)) <= 1e-3 * abs(1 / c):
        return f"{'-' if c < 0 else ''}1/{abs(int(round(1 / c)))}"
    return f"{c:.4g}"


def _transposed(a, in_shape, out_shape):
    """``a`` with the last two dims of the input (or output) swapped: (name, jacobian) pairs.

    An input of shape (p, q) whose gradient was computed as its (q, p) transpose and reshaped counts too."""
    out_shape, in_shape, m = tuple(out_shape), tuple(in_shape), len(out_shape)
    if len(in_shape) >= 2:
        swapped = in_shape[:-2] + (in_shape[-1], in_shape[-2])
        yield "input", np.swapaxes(a.reshape(out_shape + swapped), -1, -2).reshape(a.shape)
    if m >= 2:
        swapped = out_shape[:-2] + (out_shape[-1], out_shape[-2])
        yield "output", np.swapaxes(a.reshape(swapped + in_shape), m - 2, m - 1).reshape(a.shape)


def _wrong_shape_message(err, inputs, outputs) -> str:
    """Explain the engine's 'returned an invalid gradient' error in terms of broadcasting."""
    m = re.search(r"got (\[.*?\]) but expected shape compatible with (\[.*?\])", str(err))
    got, want = (m[1], m[2]) if m else ("?", "?")
    out_shapes = [str(list(o.shape)) for o in (outputs if isinstance(outputs, (list, tuple)) else (outputs,))]
    kind = " (the output's shape)" if got in out_shapes else ""
    return (f"backward returned a gradient of the wrong shape: {err}\n"
            f"Likely cause: backward returned a gradient of shape {got}{kind} for an input of shape {want}; a "
            "gradient must have its input's shape. If forward broadcast that input (inputs here: "
            f"{', '.join(str(list(x.shape)) for x in inputs)}; outputs: {', '.join(out_shapes)}), the upstream "
            "gradient has the broadcast shape and backward must sum it over the broadcast dimensions, keeping "
            "size-1 dimensions: grad.sum(dim, keepdim=True) (without keepdim the 1 is lost), or simply "
            "grad.sum_to_size(input.shape). If forward reduced a dimension, backward must expand the gradient back.")
