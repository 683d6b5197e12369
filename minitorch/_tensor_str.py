"""How a tensor prints: ``tensor([1.0000, 2.5000], requires_grad=True)``, as PyTorch.

The rules follow PyTorch's ``torch/_tensor_str.py`` (default print options:
4 digits, lines of 80 characters, tensors of more than 1000 elements shown
by their first and last 3 items along each dimension):

* one ``_Formatter`` looks at all the values that will be shown and picks a
  style for floats: whole numbers (``2.``), fixed point (``2.5000``) or
  scientific (``2.5000e+03``), and one width so that columns line up;
* the nested brackets are then written dimension by dimension, wrapping 1-D
  rows at 80 characters;
* suffixes (dtype, device, grad_fn ...) follow, on a new line if they would
  make the last line too long.
"""

from __future__ import annotations

import math

import numpy as np

from . import _dtype

PRECISION = 4  # digits after the point
THRESHOLD = 1000  # more elements than this are summarized with "..."
EDGEITEMS = 3  # items kept at each end of a summarized dimension
LINEWIDTH = 80


class _Formatter:
    """Chooses how to write every number of one tensor, and the common width."""

    def __init__(self, values: np.ndarray):
        self.floating = values.dtype.kind == "f"
        self.int_mode = True  # floats that are all whole numbers print as "2."
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if not self.floating:
            for v in flat.tolist():
                self.max_width = max(self.max_width, len(str(v)))
            return
        flat = flat.astype(np.float64)
        shown = flat[np.isfinite(flat) & (flat != 0)]  # nan, inf and zeros do not decide the style
        if shown.size == 0:
            return
        big, small = float(np.abs(shown).max()), float(np.abs(shown).min())
        self.int_mode = bool(np.all(shown == np.ceil(shown)))
        # Scientific notation when the magnitudes are too far apart to share 4 decimals.
        self.sci_mode = big / small > 1000.0 or big > 1.0e8 or (not self.int_mode and small < 1.0e-4)
        for v in shown.tolist():
            if self.sci_mode:
                text = f"{v:.{PRECISION}e}"
            elif self.int_mode:
                text = f"{v:.0f}."
            else:
                text = f"{v:.{PRECISION}f}"
            self.max_width = max(self.max_width, len(text))

    def width(self) -> int:
        return self.max_width

    def format(self, value) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.max_width}.{PRECISION}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{PRECISION}f}"
        return text.rjust(self.max_width)


def _summarized(a: np.ndarray) -> np.ndarray:
    """The values that are shown when ``a`` is summarized (the edge items of each dimension)."""
    if a.ndim == 0:
        return a
    if a.shape[0] > 2 * EDGEITEMS:
        rows = list(range(EDGEITEMS)) + list(range(a.shape[0] - EDGEITEMS, a.shape[0]))
    else:
        rows = list(range(a.shape[0]))
    if a.ndim == 1:
        return a[rows]
    return np.stack([_summarized(a[i]) for i in rows])


def _vector_str(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    # Each element takes its width plus ", "; as many as fit in a line after the indent.
    per_line = max(1, (LINEWIDTH - indent) // (fmt.width() + 2))
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        items = ([fmt.format(v) for v in a[:EDGEITEMS].tolist()] + [" ..."]
                 + [fmt.format(v) for v in a[-EDGEITEMS:].tolist()])
    else:
        items = [fmt.format(v) for v in a.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _vector_str(a, indent, summarize, fmt)
    n = a.shape[0]
    if summarize and n > 2 * EDGEITEMS:
        parts = ([_nested_str(a[i], indent + 1, summarize, fmt) for i in range(EDGEITEMS)] + ["..."]
                 + [_nested_str(a[i], indent + 1, summarize, fmt) for i in range(n - EDGEITEMS, n)])
    else:
        parts = [_nested_str(a[i], indent + 1, summarize, fmt) for i in range(n)]
    # Sub-tensors are separated by one blank line less than their number of dimensions.
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _array_str(a: np.ndarray, indent: int) -> str:
    if a.dtype == np.float16:
        a = a.astype(np.float32)
    summarize = a.size > THRESHOLD
    fmt = _Formatter(_summarized(a) if summarize else a)
    return _nested_str(a, indent, summarize, fmt)


def _add_suffixes(text: str, suffixes: list, indent: int) -> str:
    """Append ``, suffix`` items, starting a new line when the current one would pass 80 characters."""
    out = [text]
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > LINEWIDTH:
            out.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            out.append(", " + suffix)
            last_line_len += len(suffix) + 2
    return "".join(out) + ")"


def tensor_repr(t, prefix: str = "tensor(") -> str:
    a = np.asarray(t._device.backend.to_host(t._data))
    indent = len(prefix)
    suffixes = []
    if t._device.type != "cpu":
        suffixes.append(f"device='{t._device}'")
    d = t.dtype
    if a.size == 0:
        # An empty tensor shows its shape (unless it is (0,)) and any dtype but the default float one.
        if a.ndim != 1:
            suffixes.append(f"size={tuple(a.shape)}")
        if d is not _dtype.get_default_dtype():
            suffixes.append(f"dtype={d!r}")
        body = "[]"
    else:
        if d not in (_dtype.get_default_dtype(), _dtype.int64, _dtype.bool):
            suffixes.append(f"dtype={d!r}")
        body = _array_str(a, indent)
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t._rg:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
