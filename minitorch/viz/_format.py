"""Short text summaries of tensors and gradients, and the HTML labels of graph nodes.

A graph node has room for a few short lines, so a tensor is described as

* a header: shape, dtype and device, e.g. ``(2, 3) float32 cpu``;
* its values when it is small (at most ``MAX_ELEMENTS`` numbers), else a
  summary: ``min -1.2 mean 0.03 max 2.1`` and its norm ``|x| 4.2``.

Graphviz "HTML-like" labels (a string between ``<`` and ``>``) let one label
mix a bold title, values in black and gradients in red; ``html_label`` builds
them, so the rest of ``viz`` only deals with lists of lines.
"""

from __future__ import annotations

import html

import numpy as np

#: Tensors with at most this many numbers are printed in full.
MAX_ELEMENTS = 10
#: Colour of gradient text (values stay black).
GRAD_COLOR = "#b22222"
#: Text drawn in this colour is invisible but still takes its space (stable replay layouts).
HIDDEN_COLOR = "#ffffff00"


def shape_str(shape) -> str:
    """``(2, 3)`` for a shape, ``(4,)`` for a vector, ``()`` for a scalar (as Python prints tuples)."""
    dims = [str(int(s)) for s in shape]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def _host(array) -> np.ndarray:
    """A NumPy copy of a backend array (CuPy arrays have ``.get()``)."""
    if hasattr(array, "get") and not isinstance(array, np.ndarray):
        array = array.get()
    return np.asarray(array)


def _number(x) -> str:
    """3 significant digits: ``0.123``, ``1.23e-05``, ``2.5``."""
    return f"{float(x) + 0.0:.3g}"  # + 0.0 turns -0.0 into 0.0


def values_lines(array, max_elements: int = MAX_ELEMENTS) -> list[str]:
    """The numbers of ``array`` (small) or their min/mean/max and norm (large).

    >>> values_lines(np.array([1.0, 2.5]))
    ['[1, 2.5]']
    """
    a = _host(array)
    if a.size == 0:
        return ["(empty)"]
    if a.dtype == np.bool_:
        return [f"{int(a.sum())} of {a.size} true"] if a.size > max_elements else [_array_text(a)]
    if a.size <= max_elements:
        return [line for line in _array_text(a).split("\n")]
    f = a.astype(np.float64)
    lines = [f"min {_number(f.min())} mean {_number(f.mean())} max {_number(f.max())}"]
    if a.dtype.kind in "fc":
        lines.append(f"norm {_number(np.linalg.norm(f.ravel()))}")
    return lines


def _array_text(a: np.ndarray) -> str:
    if a.ndim == 0:
        return _number(a.item()) if a.dtype.kind in "fiu" else str(a.item())
    fmt = {"float": _number} if a.dtype.kind == "f" else None
    return np.array2string(a, separator=", ", formatter=fmt, max_line_width=60)


def header(shape, dtype, device) -> str:
    """``(2, 3) float32 cpu``: what a tensor is, without its numbers."""
    return f"{shape_str(shape)} {np.dtype(dtype).name} {device}"


def describe(tensor, max_elements: int = MAX_ELEMENTS) -> list[str]:
    """Header line then values lines for a Tensor.

    >>> describe(minitorch.tensor([1.0, 2.0]))
    ['(2,) float32 cpu', '[1, 2]']
    """
    data = tensor._data
    return [header(data.shape, data.dtype, tensor._device)] + values_lines(data, max_elements)


def grad_lines(grad, max_elements: int = MAX_ELEMENTS) -> list[str]:
    """``grad`` followed by the gradient's numbers; ``grad None`` when there is none."""
    if grad is None:
        return ["grad None"]
    values = values_lines(grad._data, max_elements)
    if len(values) == 1 and len(values[0]) < 30:
        return ["grad " + values[0]]
    return ["grad"] + values


def html_label(title: str, lines=(), grads=(), *, title_bold: bool = True, hide_grads: bool = False,
               subtitle: str = "") -> str:
    """A Graphviz HTML-like label: bold ``title``, then ``lines`` (black), then ``grads`` (red).

    ``hide_grads`` draws the gradient lines in a transparent colour: they keep
    their space, so every frame of a replay has the same layout.
    """
    parts = [f"<B>{_esc(title)}</B>" if title_bold else _esc(title)]
    if subtitle:
        parts.append(f'<FONT POINT-SIZE="9">{_esc(subtitle)}</FONT>')
    parts += [f'<FONT POINT-SIZE="9">{_esc(line)}</FONT>' for line in lines]
    color = HIDDEN_COLOR if hide_grads else GRAD_COLOR
    parts += [f'<FONT POINT-SIZE="9" COLOR="{color}">{_esc(line)}</FONT>' for line in grads]
    return "<" + "<BR/>".join(parts) + ">"


def html_text(lines, color: str | None = None) -> str:
    """A small-font HTML label of plain ``lines`` (edge labels), optionally coloured."""
    body = "<BR/>".join(f"&nbsp;{_esc(line)}&nbsp;" for line in lines)  # a little room between labels
    if color:
        return f'<<FONT POINT-SIZE="8" COLOR="{color}">{body}</FONT>>'
    return f'<<FONT POINT-SIZE="8">{body}</FONT>>'


def _esc(text: str) -> str:
    """Escape ``& < >`` (and spaces runs, which HTML labels would collapse)."""
    return html.escape(str(text), quote=False).replace("  ", "&nbsp; ")
