"""Anomaly detection: find the forward line behind an error in backward.

With anomaly mode on, each recorded node keeps the stack trace of the forward
call that created it. When a node's backward fails, a warning shows that
trace ("Error detected in DivBackward0. Traceback of forward call that caused
the error: ..."), then the error is raised. With ``check_nan`` (the default)
the engine also checks every gradient a node returns: a NaN raises
``RuntimeError("Function 'DivBackward0' returned nan values in its 0th output.")``.
"""

from __future__ import annotations

import functools
import warnings

_enabled = [False]
_check_nan = [True]


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()`` or after ``set_detect_anomaly(True)``."""
    return _enabled[0]


def is_anomaly_check_nan_enabled() -> bool:
    """True when anomaly mode also raises on NaN gradients (its ``check_nan`` argument)."""
    return _check_nan[0]


class _AnomalyMode:
    """Set anomaly mode (and check_nan) on ``__enter__``, restore both on ``__exit__``."""

    def _set(self, mode: bool, check_nan: bool) -> None:
        self._prev = (_enabled[0], _check_nan[0])
        _enabled[0], _check_nan[0] = bool(mode), bool(check_nan)

    def __exit__(self, *exc):
        _enabled[0], _check_nan[0] = self._prev
        return False


class detect_anomaly(_AnomalyMode):
    """Context manager (and decorator) that turns anomaly mode on inside it.

    >>> with detect_anomaly():
    ...     loss = (x / 0 * 0).sum()
    ...     loss.backward()   # RuntimeError naming DivBackward0; a warning shows the forward line
    """

    def __init__(self, check_nan: bool = True):
        self.check_nan = check_nan
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled "
            "for debugging.", UserWarning, stacklevel=2)

    def __enter__(self):
        self._set(True, self.check_nan)
        return self

    def __call__(self, fn):  # minitorch extra: PyTorch's detect_anomaly is not a decorator
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)

        return wrapper


class set_detect_anomaly(_AnomalyMode):
    """``set_detect_anomaly(True)`` turns anomaly mode on at once; also a context manager."""

    def __init__(self, mode: bool, check_nan: bool = True):
        self._set(mode, check_nan)

    def __enter__(self):
        return self


def traced(node, fn, *args):
    """``fn(*args)`` (a node's backward); on an error, warn with the forward trace of ``node``, then re-raise."""
    try:
        return fn(*args)
    except Exception:
        if node._trace:
            where = "Traceback of forward call that caused the error:\n" + "".join(node._trace)
        else:
            where = ("No forward pass information available. Enable detect anomaly during forward pass for more "
                     "information.")
        warnings.warn(f"Error detected in {node.name()}. {where}", UserWarning, stacklevel=2)
        raise


def check_grads(node, grads) -> None:
    """Raise when a gradient returned by ``node`` holds NaN (``traced`` then shows where the node came from)."""
    if not _check_nan[0]:
        return
    for i, g in enumerate(grads):
        if g is None:
            continue
        if g.dtype.is_floating_point and bool(g._device.xp.isnan(g._data).any()):
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")
