"""How a tensor prints: ``tensor([1.0000, 2.5000], requires_grad=True)``, as PyTorch."""

from __future__ import annotations

import numpy as np

from . import _dtype


def _format_array(a: np.ndarray, indent: int) -> str:
    if a.dtype.kind == "f":
        finite = a[np.isfinite(a)].astype(np.float64)
        integral = finite.size == 0 or bool(np.all(finite == np.round(finite)))
        big = finite.size and np.abs(finite).max()
        small = finite[finite != 0]
        sci = bool(big and (big >= 1e8 or (small.size and big / np.abs(small).min() > 1000) or np.abs(small).min() < 1e-4))
        if integral and not (big and big >= 1e8):
            opts = dict(floatmode="unique", formatter={"float_kind": lambda v: _int_like(v)})
        elif sci:
            opts = dict(formatter={"float_kind": lambda v: f"{v:.4e}"})
        else:
            opts = dict(formatter={"float_kind": lambda v: f"{v:.4f}"})
        return np.array2string(a, separator=", ", prefix=" " * indent, threshold=1000, edgeitems=3, **opts)
    if a.dtype.kind == "b":
        return np.array2string(a, separator=", ", prefix=" " * indent, threshold=1000, edgeitems=3,
                               formatter={"bool": lambda v: "True" if v else "False"})
    return np.array2string(a, separator=", ", prefix=" " * indent, threshold=1000, edgeitems=3)


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
