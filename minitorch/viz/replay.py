"""Backward replay: the backward pass one node at a time, in the engine's own order.

The engine (``minitorch/autograd/engine.py``) tells every callable in its list
``_observers`` about each node as it runs: ``fn(node, grads_in, grads_out)``.
``backward_steps`` listens there during one ``loss.backward()`` and keeps a
record per node, so the order *is* the engine's order, not a re-derivation.
``render_backward`` turns the records into one picture per step and an
``index.html`` that flips through them (arrow keys or buttons), so a class can
watch the gradient flow from the loss back to the weights.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..autograd import engine
from . import _format
from ._graphviz import require_dot
from .dot import Drawing


@dataclass
class Step:
    """What one node did during backward.

    ``grads_in[k]`` is the gradient of the node's output ``k`` (summed over its
    consumers); ``grads_out[i]`` is the gradient it sent back for its forward
    argument ``i`` (None for non-tensors or inputs that need none), along the
    edge ``inputs[i]`` = ``(node, output_nr)``. ``AccumulateGrad`` nodes send
    nothing (``grads_out == ()``); ``leaf_grad`` is the leaf's ``.grad`` just after.
    All gradients are copies: later backward passes do not change them.
    """

    index: int
    name: str
    node: object = field(repr=False)
    grads_in: tuple = field(repr=False)
    grads_out: tuple = field(repr=False)
    inputs: tuple = field(default=(), repr=False)
    leaf_grad: object = field(default=None, repr=False)

    @property
    def is_leaf(self) -> bool:
        """True for an ``AccumulateGrad`` step (a leaf's ``.grad`` was updated)."""
        return self.node._is_accumulate

    def text(self, names: dict | None = None) -> str:
        """A few lines saying what happened, for the replay page (``names``: id(tensor) -> name)."""
        names = names or {}
        lines = [f"step {self.index}: {self.name}"]
        if self.is_leaf:
            leaf = self.node.variable
            who = names.get(id(leaf), "leaf " + _format.shape_str(leaf.shape))
            lines.append(f"  adds the incoming gradient into {who}.grad")
            lines += _block("  gradient in: ", self.grads_in[0])
            lines += _block(f"  {who}.grad now: ", self.leaf_grad)
            return "\n".join(lines)
        for k, g in enumerate(self.grads_in):
            lines += _block("  gradient in: " if len(self.grads_in) == 1 else f"  gradient in (output {k}): ", g)
        for i, (edge, g) in enumerate(zip(self.inputs, self.grads_out)):
            if not edge:
                continue
            target = edge[0].name()
            if edge[0]._is_accumulate:
                target += f" of {names.get(id(edge[0].variable), 'a leaf')}"
            lines += _block(f"  sends to input {i} ({target}): ", g)
        return "\n".join(lines)


def _block(prefix: str, grad) -> list:
    """``prefix`` then the gradient's lines, the following ones indented under the first."""
    values = ["None"] if grad is None else _format.values_lines(grad._data)
    pad = " " * len(prefix)
    return [prefix + values[0]] + [pad + v for v in values[1:]]


def _copy(g):
    """A detached copy of gradient ``g`` (None stays None)."""
    if g is None:
        return None
    from .._tensor import _wrap

    return _wrap(g._data.copy(), g._device)


def _record(index: int, node, grads_in, grads_out) -> Step:
    leaf_grad = None
    if node._is_accumulate:
        leaf_grad = _copy(node.variable._grad)
    inputs = tuple(e or None for e in node._edges)[: len(grads_out)]  # False (not a tensor) -> None
    return Step(index=index, name=node.name(), node=node, grads_in=tuple(_copy(g) for g in grads_in),
                grads_out=tuple(_copy(g) for g in grads_out), inputs=inputs, leaf_grad=leaf_grad)


def backward_steps(loss, retain_graph: bool = True, *, gradient=None):
    """Run ``loss.backward()`` now and return an iterator over its :class:`Step` records, in run order.

    ``.grad`` of the leaves is filled as usual. With ``retain_graph=True`` (the
    default) the graph survives, so it can still be drawn afterwards.

    >>> a = minitorch.tensor(2.0, requires_grad=True)
    >>> b = a + a
    >>> [s.name for s in backward_steps(b * b)]
    ['MulBackward0', 'AddBackward0', 'AccumulateGrad']
    """
    steps: list = []

    def observe(node, grads_in, grads_out):
        steps.append(_record(len(steps), node, grads_in, grads_out))

    engine._observers.append(observe)
    try:
        loss.backward(gradient, retain_graph=retain_graph)
    finally:
        engine._observers.remove(observe)
    return iter(steps)


def render_backward(loss, out_dir, format: str = "svg", params=None, *, show_values: bool = False,
                    retain_graph: bool = True) -> list:
    """Write one picture per backward step into ``out_dir`` plus ``index.html`` that steps through them.

    Each frame is the whole graph: the running node in gold, the nodes already
    run in grey, the gradient that flowed in (red, in the node) and out (red,
    on its input edges). Open ``index.html`` in a browser; use the arrow keys.
    Returns the list of frame paths.

    >>> frames = render_backward(loss, "replay", params=dict(model.named_parameters()))
    """
    require_dot()  # fail before running backward, not after
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    steps = list(backward_steps(loss, retain_graph=retain_graph))
    drawn = Drawing(params).leaf_names
    frames, texts, done = [], [], set()
    titles = [f"step {s.index + 1} of {len(steps)}: {s.name}" for s in steps]
    width = max(map(len, titles), default=0)
    for step in steps:
        done.add(id(step.node))
        drawing = Drawing(params, show_grads=True, show_values=show_values, steps=steps,
                          frame=(done, id(step.node)))
        graph = drawing.draw(loss)
        # the same title width on every frame, so that the pictures line up when flipping through them
        title = html.escape(titles[step.index].ljust(width)).replace(" ", "&nbsp;")
        graph.attr(label=f"<{title}>", labelloc="t", fontsize="14", fontname="monospace")
        path = out / f"step_{step.index:03d}.{format}"
        path.write_bytes(graph.pipe(format=format))
        frames.append(str(path))
        texts.append(step.text(drawn))
    (out / "index.html").write_text(_page([Path(f).name for f in frames], texts))
    return frames


def _page(frames: list, texts: list) -> str:
    """A self-contained HTML page: the frame image, its text, Prev/Next buttons and arrow keys."""
    data = json.dumps({"frames": frames, "texts": texts}).replace("</", "<\\/")
    first = html.escape(frames[0]) if frames else ""
    return _PAGE.replace("@DATA@", data).replace("@FIRST@", first)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>minitorch backward replay</title>
<style>
  body { font-family: sans-serif; margin: 1em; }
  #bar { position: sticky; top: 0; background: white; padding: 0.5em 0; }
  #text { font-family: monospace; white-space: pre; background: #f6f6f6; padding: 0.5em; }
  img { max-width: 100%; border: 1px solid #ddd; }
</style>
</head>
<body>
<div id="bar">
  <button id="prev">&larr; Prev</button>
  <button id="next">Next &rarr;</button>
  <span id="count"></span>
  <div id="text"></div>
</div>
<img id="frame" src="@FIRST@" alt="backward step">
<script>
const replay = @DATA@;
let i = 0;
function show(k) {
  if (replay.frames.length === 0) return;
  i = Math.max(0, Math.min(replay.frames.length - 1, k));
  document.getElementById("frame").src = replay.frames[i];
  document.getElementById("text").textContent = replay.texts[i];
  document.getElementById("count").textContent = "step " + (i + 1) + " of " + replay.frames.length;
}
document.getElementById("prev").onclick = () => show(i - 1);
document.getElementById("next").onclick = () => show(i + 1);
document.addEventListener("keydown", (e) => {
  if (e.key === "ArrowLeft" || e.key === "ArrowUp") { show(i - 1); e.preventDefault(); }
  if (e.key === "ArrowRight" || e.key === "ArrowDown") { show(i + 1); e.preventDefault(); }
  if (e.key === "Home") show(0);
  if (e.key === "End") show(replay.frames.length - 1);
});
show(0);
</script>
</body>
</html>
"""
