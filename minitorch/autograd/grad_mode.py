"""Grad mode: whether ops record the graph.

One module-level flag, read by ``Function.apply`` on every op. ``no_grad``,
``enable_grad``, ``set_grad_enabled`` and ``inference_mode`` change it and
work both as context managers and as decorators, like PyTorch's.
"""

from __future__ import annotations

import functools

# A list so that other modules can read the live value cheaply: _enabled[0].
_enabled = [True]


def is_grad_enabled() -> bool:
    """True when new ops record the autograd graph."""
    return _enabled[0]


class _GradModeContext:
    """Base of the grad-mode switches: a context manager and a decorator."""

    mode = True

    def __enter__(self):
        self._prev = _enabled[0]
        _enabled[0] = self.mode

    def __exit__(self, *exc):
        _enabled[0] = self._prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradModeContext):
    """Turn graph recording off: results do not require grad.

    >>> with no_grad():
    ...     w -= lr * w.grad   # a parameter update that is not recorded
    """

    mode = False


class enable_grad(_GradModeContext):
    """Turn graph recording back on, e.g. inside a ``no_grad`` block."""

    mode = True


class inference_mode(_GradModeContext):
    """Alias of ``no_grad`` (minitorch has no separate inference tensors)."""

    def __init__(self, mode: bool = True):
        self.mode = not mode

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            ctx = inference_mode(not mode)
            with ctx:
                return fn(*args, **kwargs)

        return wrapper


class set_grad_enabled(_GradModeContext):
    """``set_grad_enabled(False)`` turns recording off; usable as a function,
    a context manager or a decorator, like PyTorch's."""

    def __init__(self, mode: bool):
        self._prev = _enabled[0]
        self.mode = bool(mode)
        _enabled[0] = self.mode  # takes effect at once when called as a function

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _enabled[0] = self._prev
        return False

    def __call__(self, fn):
        mode = self.mode
        _enabled[0] = self._prev  # used as a decorator: do not change the mode now

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper
