"""Grad mode: whether ops record the graph.

One module-level flag, read by ``Function.apply`` on every op. ``no_grad``,
``enable_grad``, ``set_grad_enabled`` and ``inference_mode`` change it and
work both as context managers and as decorators, like PyTorch's: on plain
functions (``@no_grad()`` or ``@no_grad``) and on generator functions, whose
body then runs in the mode each time it resumes, while the caller's code
between two ``next()`` keeps its own mode.
"""

from __future__ import annotations

import functools
import inspect

# A list so that other modules can read the live value cheaply: _enabled[0].
_enabled = [True]


def is_grad_enabled() -> bool:
    """True when new ops record the autograd graph."""
    return _enabled[0]


class _GradModeContext:
    """Base of the grad-mode switches: a context manager and a decorator."""

    mode = True

    def __new__(cls, orig_func=None):
        # ``@no_grad`` without parentheses: the class is called on the function itself.
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)

    def __enter__(self):
        self._prev = _enabled[0]
        _enabled[0] = self.mode

    def __exit__(self, *exc):
        _enabled[0] = self._prev
        return False

    def clone(self):
        """A fresh switch with the same mode (each decorated call enters its own)."""
        return self.__class__()

    def __call__(self, fn):
        if inspect.isgeneratorfunction(fn):
            return _wrap_generator(self.clone, fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.clone():
                return fn(*args, **kwargs)

        return wrapper


def _wrap_generator(make_ctx, gen_fn):
    """Run each step of generator ``gen_fn`` inside a fresh ``make_ctx()`` (and only the steps)."""

    @functools.wraps(gen_fn)
    def wrapper(*args, **kwargs):
        gen = gen_fn(*args, **kwargs)
        resume, arg = gen.send, None
        while True:
            try:
                with make_ctx():
                    value = resume(arg)
            except StopIteration as stop:
                return stop.value
            try:
                resume, arg = gen.send, (yield value)
            except GeneratorExit:
                with make_ctx():
                    gen.close()
                raise
            except BaseException as exc:  # thrown into us: pass it on to the wrapped generator
                resume, arg = gen.throw, exc

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
    """Alias of ``no_grad`` (minitorch has no separate inference tensors).

    ``inference_mode(False)`` turns recording on, as ``enable_grad`` does (PyTorch's rule);
    ``@inference_mode`` works without parentheses.
    """

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return object.__new__(cls)
        return cls()(mode)  # ``@inference_mode`` without parentheses: ``mode`` is the function

    def __init__(self, mode: bool = True):
        self.mode = not mode  # grad mode is the opposite of inference mode

    def clone(self):
        return self.__class__(not self.mode)


class set_grad_enabled(_GradModeContext):
    """``set_grad_enabled(False)`` turns recording off; usable as a function,
    a context manager or a decorator, like PyTorch's."""

    def __new__(cls, mode: bool):
        return object.__new__(cls)

    def __init__(self, mode: bool):
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(): argument 'enabled' (position 1) must be bool, not {type(mode).__name__}")
        self._prev = _enabled[0]
        self.mode = mode
        _enabled[0] = self.mode  # takes effect at once when called as a function

    def __enter__(self):
        _enabled[0] = self.mode

    def clone(self):
        return self.__class__(self.mode)

    def __call__(self, fn):
        _enabled[0] = self._prev  # used as a decorator: do not change the mode now
        return super().__call__(fn)
