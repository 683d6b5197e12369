"""Anomaly detection: find the forward line behind a NaN in backward.

With anomaly mode on, each recorded node keeps the stack trace of the forward
call that created it, and the engine checks every gradient a node returns:
a NaN raises ``RuntimeError("Function 'DivBackward0' returned nan values in
its 0th output.")`` after printing the forward trace of that node.
"""

from __future__ import annotations

import sys

_enabled = [False]


def is_anomaly_enabled() -> bool:
    return _enabled[0]


class set_detect_anomaly:
    """``set_detect_anomaly(True)`` turns anomaly mode on (also a context manager)."""

    def __init__(self, mode: bool, check_nan: bool = True):
        self._prev = _enabled[0]
        _enabled[0] = bool(mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _enabled[0] = self._prev
        return False


class detect_anomaly:
    """Context manager (and decorator) that turns anomaly mode on inside it.

    >>> with detect_anomaly():
    ...     loss = (x / 0 * 0).sum()
    ...     loss.backward()   # RuntimeError naming DivBackward0 and the forward line
    """

    def __init__(self, check_nan: bool = True):
        self.check_nan = check_nan

    def __enter__(self):
        self._prev = _enabled[0]
        _enabled[0] = True
        return self

    def __exit__(self, *exc):
        _enabled[0] = self._prev
        return False

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with detect_anomaly(self.check_nan):
                return fn(*args, **kwargs)

        return wrapper


def check_grads(node, grads) -> None:
    """Raise when a gradient returned by ``node`` holds NaN, showing where the node came from."""
    for i, g in enumerate(grads):
        if g is None:
            continue
        xp = g._device.xp
        if g.dtype.is_floating_point and bool(xp.isnan(g._data).any()):
            where = "".join(node._trace) if node._trace else "  (no forward trace: the node was created with anomaly mode off)\n"
            print(
                f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n{where}",
                file=sys.stderr,
            )
            raise RuntimeError(
                f"Function '{node.name()}' returned nan values in its {i}th output. "
                f"The forward call that created it:\n{where}"
            )
