"""What a node keeps for backward, and the check that it was not changed in place since.

``ctx.save_for_backward(x)`` stores ``(x, x's version)``; reading ``ctx.saved_tensors``
compares the version again and raises PyTorch's "modified by an inplace operation" error
when they differ. A saved *output* of the node is kept as its numbers (``_SavedOutput``),
not as the tensor, whose ``grad_fn`` is the node itself: no reference cycle keeps the
graph alive.
"""

from __future__ import annotations

import re

from . import anomaly


def _version_error(t, version, expected, node, out_nr=None) -> RuntimeError:
    shape = ", ".join(str(s) for s in t.shape)
    what = f"[{t.type()} [{shape}]]"
    if out_nr is not None:
        what += f", which is output {out_nr} of {_op_name(node)},"
    elif t.grad_fn is not None:
        what += f", which is output {t._output_nr} of {_op_name(t.grad_fn)},"
    if anomaly._enabled[0]:
        hint = ("the backtrace further above shows the operation that failed to compute its gradient. The "
                "variable in question was changed in there or anywhere later. Good luck!")
    else:
        hint = ("enable anomaly detection to find the operation that failed to compute its gradient, with "
                "minitorch.autograd.set_detect_anomaly(True, check_nan=False).")
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {what} is at version {version}; expected version {expected} instead. Hint: {hint}"
    )


def _op_name(node) -> str:
    """The op a node belongs to, as PyTorch names it in messages: ``MulBackward0`` -> ``Mul``."""
    return re.sub(r"Backward\d*$", "", node.name())


class _SavedOutput:
    """A saved output of the node: its numbers and version, not the tensor object."""

    __slots__ = ("data", "device", "version_ref", "version", "output_nr")

    def __init__(self, t, output_nr):
        self.data, self.device, self.version_ref = t._data, t._device, t._version
        self.version, self.output_nr = t._version[0], output_nr


def _unpack(node, s):
    if s is None:
        return None
    if isinstance(s, _SavedOutput):
        if s.version_ref[0] != s.version:
            t = _make_tensor(s.data, s.device)
            raise _version_error(t, s.version_ref[0], s.version, node, s.output_nr)
        # Rebuild the output, pointing at this node, so create_graph can go through it.
        t = _make_tensor(s.data, s.device, version=s.version_ref)
        t.grad_fn, t._rg, t._output_nr = node, True, s.output_nr
        return t
    t, version = s
    if version is not None and t._version[0] != version:
        raise _version_error(t, t._version[0], version, node)
    return t


def _make_tensor(data, device, version=None):
    from .._tensor import _wrap

    return _wrap(data, device, version=version)
