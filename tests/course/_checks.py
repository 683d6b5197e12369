"""What the course tests share: failures that tell a student what to fix, in the student's terms.

* ``task(tid, what)``: a context manager around a check. The stub of an
  unsolved task raises ``NotImplementedError("Task 2.3: ...")``; it becomes
  "Task 2.3 is not implemented yet" (or "needs Task 1.2 first" when another
  task's stub was hit). Any other error is annotated with the task.
* ``check_grad``: ``minitorch.autograd.gradcheck`` on named inputs; a wrong
  gradient fails with the op, the input shapes, which input's gradient is
  wrong and gradcheck's Jacobian table with its "Likely cause:" line.
* ``assert_close``: expected vs got, with the shapes and the worst element.
"""

from __future__ import annotations

import contextlib
import os
import re
import traceback

import numpy as np
import pytest

import minitorch
from minitorch.autograd import GradcheckError, gradcheck

_STUB = re.compile(r"^Task (\S+?):")


def fail(tid: str, what: str, message: str):
    """Fail the test with ``Task <tid> (<what>): <message>`` and no Python traceback."""
    _fail(f"Task {tid} ({what}): {message}")


def _fail(message: str):
    # ``from None``: the NotImplementedError or GradcheckError being handled is already summed up in the message.
    raise pytest.fail.Exception(message, pytrace=False) from None


def _where(e: BaseException) -> str:
    """The innermost frame of the library (not of the tests) in ``e``'s traceback, as ``file:line (in fn)``."""
    frames = traceback.extract_tb(e.__traceback__)
    for fr in reversed(frames):
        f = fr.filename.replace("\\", "/")
        if "/minitorch/" in f and "/tests/" not in f:
            return f"{os.path.relpath(fr.filename)}:{fr.lineno} (in {fr.name})"
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"


@contextlib.contextmanager
def task(tid: str, what: str):
    """Run a check of task ``tid``; stubs and errors become messages about the task."""
    try:
        yield
    except NotImplementedError as e:
        m = _STUB.match(str(e))
        if m is None:
            raise
        if m.group(1) == tid:
            _fail(f"Task {tid} is not implemented yet ({what}): the stub at {_where(e)} still raises "
                  f'NotImplementedError("{e}"). Replace the raise with your solution.')
        _fail(f"Task {tid} ({what}) cannot be checked yet: it runs code of Task {m.group(1)}, which is not "
              f'implemented yet (NotImplementedError("{e}") at {_where(e)}). Do Task {m.group(1)} first.')
    except (AssertionError, pytest.fail.Exception):
        raise
    except Exception as e:  # the student's code crashed: keep the traceback, say which task was being checked
        e.add_note(f"(raised while checking Task {tid}: {what})")
        raise


def shapes(inputs: dict) -> str:
    """``a of shape (3, 1) and b of shape (4,)``."""
    parts = [f"{name} of shape {tuple(x.shape)}" for name, x in inputs.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def check_grad(tid: str, what: str, fn, inputs: dict, note: str = "") -> None:
    """gradcheck ``fn(*inputs.values())`` (float64 inputs that require grad), failing with a readable report.

    ``inputs`` maps names (as the student knows them: a, b, x, weight...) to tensors.
    """
    names = list(inputs)
    xs = tuple(inputs.values())
    _check_grad_shapes(tid, what, fn, inputs, note)
    with task(tid, what):
        try:
            gradcheck(fn, xs, eps=1e-6, atol=1e-5, rtol=1e-3)
        except GradcheckError as e:
            text = str(e)
            bad = sorted({int(i) for i in re.findall(r"with respect to input (\d+)", text)})
            text = re.sub(r"with respect to input (\d+)",
                          lambda m: f"with respect to input {m.group(1)} ({names[int(m.group(1))]})", text)
            which = " and ".join(names[i] for i in bad) if bad else "the inputs"
            extra = f" ({note})" if note else ""
            fail(tid, what, f"for inputs {shapes(inputs)}{extra} the gradient w.r.t. {which} is wrong: backward "
                            f"disagrees with finite differences.\n{text}")


def _check_grad_shapes(tid: str, what: str, fn, inputs: dict, note: str) -> None:
    """One backward with gradient ones: each input's gradient must have the input's shape."""
    with task(tid, what):
        out = fn(*inputs.values())
        outs = [o for o in (out if isinstance(out, (tuple, list)) else (out,)) if o.requires_grad]
        grads = minitorch.autograd.grad(outs, list(inputs.values()), [minitorch.ones_like(o) for o in outs],
                                        allow_unused=True)
    for (name, x), g in zip(inputs.items(), grads):
        if g is not None and tuple(g.shape) != tuple(x.shape):
            extra = f" ({note})" if note else ""
            fail(tid, what, f"for inputs {shapes(inputs)}{extra} the gradient w.r.t. {name} has shape "
                            f"{tuple(g.shape)}, but a gradient must have its input's shape {tuple(x.shape)}")


def as_array(x) -> np.ndarray:
    if isinstance(x, minitorch.Tensor):
        return x.detach().numpy()
    return np.asarray(x)


def assert_close(tid: str, what: str, got, expected, where: str, atol: float = 1e-6, rtol: float = 1e-5) -> None:
    """``got`` (tensor or array) must equal ``expected`` in shape and (to tolerance) in value."""
    if got is None:
        fail(tid, what, f"{where}: expected a value of shape {np.shape(expected)}, got None")
    g, e = as_array(got), np.asarray(expected)
    if g.shape != e.shape:
        fail(tid, what, f"{where}: expected shape {e.shape}, got shape {g.shape}\nexpected:\n{e}\ngot:\n{g}")
    if not np.allclose(g, e, atol=atol, rtol=rtol, equal_nan=True):
        diff = np.abs(g.astype(np.float64) - e.astype(np.float64))
        diff = np.where(np.isnan(diff), np.inf, diff)
        k = np.unravel_index(int(np.argmax(diff)), e.shape) if e.ndim else ()
        fail(tid, what, f"{where}: wrong values (largest difference {diff.max():.3g} at index {list(k)}: "
                        f"expected {e[k]}, got {g[k]})\nexpected:\n{e}\ngot:\n{g}")


def rand(*shape, low: float = -1.0, high: float = 1.0, seed: int = 0, grad: bool = True):
    """A float64 tensor uniform in [low, high) from a fixed seed (requires grad by default)."""
    arr = np.random.default_rng(seed).uniform(low, high, shape)
    return minitorch.tensor(arr, dtype=minitorch.float64, requires_grad=grad)


def away_from(x, points, margin: float = 0.05, seed: int = 0):
    """``x`` (float64 leaf) with values moved at least ``margin`` away from each of ``points`` (kinks)."""
    a = x.detach().numpy().copy()
    for p in points:
        close = np.abs(a - p) < margin
        a[close] = p + np.where(a[close] >= p, margin, -margin) * 2
    return minitorch.tensor(a, dtype=minitorch.float64, requires_grad=True)
