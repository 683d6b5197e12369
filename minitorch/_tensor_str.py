"""How a tensor prints: ``tensor([1.0000, 2.5000], requires_grad=True)``, as PyTorch."""

from __future__ import annotations

import numpy as np

from . import _dtype


def _format_array(a: np.ndarray, indent: int) -> str:
    fmt = _element_formatter(a)
    if fmt is None:
        return np.array2string(a, separator=", ", prefix=" " * indent, threshold=1000, edgeitems=3)
    # Every element gets the width of the widest one, so columns line up as in PyTorch.
    shown = a if a.size <= 1000 else np.concatenate([a.reshape(-1)[:3], a.reshape(-1)[-3:]])
    width = max(len(fmt(v)) for v in shown.reshape(-1)) if shown.size else 0
    kind = "float_kind" if a.dtype.kind == "f" else "bool" if a.dtype.kind == "b" else "int"
    return np.array2string(a, separator=", ", prefix=" " * indent, threshold=1000, edgeitems=3,
                           formatter={kind: lambda v: fmt(v).rjust(width)})


def _element_formatter(a: np.ndarray):
    if a.dtype.kind == "f":
        finite = a[np.isfinite(a)].astype(np.float64)
        big = np.abs(finite).max() if finite.size else 0.0
        small = np.abs(finite[finite != 0])
        integral = finite.size == 0 or bool(np.all(finite == np.round(finite)))
        if integral and big < 1e8:
            return _int_like
        if big >= 1e8 or (small.size and (big / small.min() > 1000 or small.min() < 1e-4)):
            return lambda v: _special(v) or f"{v:.4e}"
        return lambda v: _special(v) or f"{v:.4f}"
    if a.dtype.kind == "b":
        return lambda v: "True" if v else "False"
    if a.dtype.kind in "iu":
        return lambda v: str(int(v))
    return None


def _special(v) -> str:
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return ""


def _int_like(v) -> str:
    if not np.isfinite(v):
        return "nan" if np.isnan(v) else ("inf" if v > 0 else "-inf")
    return f"{v:.0f}."


def tensor_repr(t, prefix: str = "tensor(") -> str:
    a = t._device.backend.to_host(t._data)
    body = _format_array(np.asarray(a), len(prefix)) if a.size else "[]"
    # Pad so that columns of formatted floats line up like PyTorch's output.
    suffixes = []
    if t._device.type != "cpu":
        suffixes.append(f"device='{t._device}'")
    if a.size == 0 and a.ndim != 1:
        suffixes.append(f"size={tuple(a.shape)}")
    d = t.dtype
    default_float = _dtype.get_default_dtype()
    if not (d is default_float or d is _dtype.int64 or d is _dtype.bool) or (a.size == 0 and d is not default_float):
        suffixes.append(f"dtype={d!r}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t._rg:
        suffixes.append("requires_grad=True")
    return prefix + ", ".join([body] + suffixes) + ")"
