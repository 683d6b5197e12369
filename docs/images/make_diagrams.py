"""Draw the diagrams of the Concepts pages (run from the repository root; needs Graphviz's ``dot``).

    python docs/images/make_diagrams.py

writes docs/images/graph_record.svg, backward_order.svg and dataloader_sequence.svg.
The first two are Graphviz drawings; the sequence diagram is plain SVG drawn here.
"""

from __future__ import annotations

import subprocess
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT = "Helvetica,Arial,sans-serif"

GRAPH_RECORD = f"""
digraph G {{
  rankdir=BT; bgcolor="white";
  node [fontname="{FONT}", fontsize=11]; edge [fontname="{FONT}", fontsize=9];
  a [shape=box, style="rounded,filled", fillcolor="#dbeafe", label="a  (leaf)\\nrequires_grad=True\\ngrad_fn=None"];
  b [shape=box, style="rounded,filled", fillcolor="#dbeafe", label="b  (leaf)\\nrequires_grad=True"];
  acc_a [shape=box, style=filled, fillcolor="#e5e7eb", label="AccumulateGrad\\n(adds into a.grad)"];
  acc_b [shape=box, style=filled, fillcolor="#e5e7eb", label="AccumulateGrad\\n(adds into b.grad)"];
  mul [shape=record, style=filled, fillcolor="#fed7aa",
       label="{{MulBackward0  (= ctx of Mul.forward)|saved: (a, version 0), (b, version 0)|needs_input_grad: (True, True)}}"];
  add [shape=record, style=filled, fillcolor="#fed7aa", label="{{AddBackward0|saved: nothing}}"];
  sum [shape=record, style=filled, fillcolor="#fed7aa", label="{{SumBackward0|saved: input shape (3,)}}"];
  c [shape=box, style="rounded,filled", fillcolor="#fef3c7", label="c = a * b\\ngrad_fn=MulBackward0"];
  d [shape=box, style="rounded,filled", fillcolor="#fef3c7", label="d = c + a\\ngrad_fn=AddBackward0"];
  y [shape=box, style="rounded,filled", fillcolor="#fef3c7", label="y = d.sum()\\ngrad_fn=SumBackward0"];
  y -> sum [style=dashed, arrowhead=none, label=" grad_fn"];
  d -> add [style=dashed, arrowhead=none, label=" grad_fn"];
  c -> mul [style=dashed, arrowhead=none, label=" grad_fn"];
  sum -> add [dir=back, color="#c2410c", label="next_functions[0]"];
  add -> mul [dir=back, color="#c2410c", label="next_functions[0]"];
  add -> acc_a [dir=back, color="#c2410c", label="next_functions[1]"];
  mul -> acc_a [dir=back, color="#c2410c", label="[0]"];
  mul -> acc_b [dir=back, color="#c2410c", label="[1]"];
  acc_a -> a [style=dashed, arrowhead=none, label=" variable"];
  acc_b -> b [style=dashed, arrowhead=none, label=" variable"];
  {{rank=same; a; b}}
}}
"""

BACKWARD_ORDER = f"""
digraph G {{
  rankdir=TB; bgcolor="white";
  node [fontname="{FONT}", fontsize=11, shape=box, style=filled]; edge [fontname="{FONT}", fontsize=9];
  sum [fillcolor="#fed7aa", label="SumBackward0   seq 4\\ndeps 1 (the seed)\\nruns 1st"];
  add [fillcolor="#fed7aa", label="AddBackward0   seq 3\\ndeps 1\\nruns 2nd"];
  mul [fillcolor="#fed7aa", label="MulBackward0   seq 0\\ndeps 1\\nruns 3rd"];
  acc_a [fillcolor="#e5e7eb", label="AccumulateGrad (a)   seq 1\\ndeps 2: waits for both paths\\nruns 5th: a.grad = b + 1"];
  acc_b [fillcolor="#e5e7eb", label="AccumulateGrad (b)   seq 2\\ndeps 1\\nruns 4th: b.grad = a"];
  seed [shape=plaintext, style="", label="loss.backward(): seed gradient 1 (shape of y)"];
  seed -> sum [color="#c2410c", label=" ones"];
  sum -> add [color="#c2410c", label=" ones(3)"];
  add -> mul [color="#c2410c", label=" g"];
  add -> acc_a [color="#c2410c", label=" g"];
  mul -> acc_a [color="#c2410c", label=" g * b"];
  mul -> acc_b [color="#c2410c", label=" g * a"];
}}
"""


def dot_to_svg(source: str, name: str) -> None:
    svg = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True, check=True).stdout
    (HERE / name).write_text(svg)


# ---- the DataLoader sequence diagram -----------------------------------------------------------------------
LANES = ["main process\n(iterator)", "index_queue[0]\nworker 0", "index_queue[1]\nworker 1", "result_queue\n(shared)"]
# (from lane, to lane, label, colour); None as "from" = a note on the "to" lane
EVENTS = [
    (0, 1, "(task 0, [0..7])", "#1d4ed8"),
    (0, 2, "(task 1, [8..15])", "#1d4ed8"),
    (0, 1, "(task 2, [16..23])", "#1d4ed8"),
    (0, 2, "(task 3, [24..31])   prefetch: 2 x 2 tasks in flight", "#1d4ed8"),
    (None, 1, "seed base_seed+0, worker_init_fn(0); fetch, collate task 0", "#6b7280"),
    (None, 2, "seed base_seed+1, worker_init_fn(1); fetch, collate task 1", "#6b7280"),
    (2, 3, "(task 1, batch)   worker 1 finished first", "#15803d"),
    (3, 0, "task 1 arrives early: kept in the reorder buffer", "#15803d"),
    (1, 3, "(task 0, batch)", "#15803d"),
    (3, 0, "task 0: yield it, then task 1 from the buffer", "#15803d"),
    (0, 1, "(task 4, [32..39])   each yielded batch frees a slot", "#1d4ed8"),
    (0, 2, "(task 5, [40..47])", "#1d4ed8"),
    (None, 0, "... sampler exhausted and every task received: StopIteration", "#6b7280"),
    (0, 1, "None  (shutdown)", "#b91c1c"),
    (0, 2, "None  (shutdown)", "#b91c1c"),
]


def sequence_svg() -> str:
    lane_w, left, top, step = 210, 20, 70, 34
    width = left * 2 + lane_w * len(LANES) + 120  # room for the notes of the last lanes
    height = top + step * (len(EVENTS) + 1)
    xs = [left + lane_w * i + lane_w // 2 for i in range(len(LANES))]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="14">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    for x, name in zip(xs, LANES):
        out.append(f'<rect x="{x - 85}" y="8" width="170" height="40" rx="6" fill="#f3f4f6" stroke="#374151"/>')
        for k, line in enumerate(name.split("\n")):
            weight = "bold" if k == 0 else "normal"
            out.append(f'<text x="{x}" y="{25 + 15 * k}" text-anchor="middle" font-weight="{weight}">'
                       f"{escape(line)}</text>")
        out.append(f'<line x1="{x}" y1="48" x2="{x}" y2="{height - 8}" stroke="#9ca3af" stroke-dasharray="4 4"/>')
    for i, (src, dst, label, colour) in enumerate(EVENTS):
        y = top + step * i + 10
        if src is None:
            x = xs[dst]
            anchor, tx = ("start", x + 8) if dst < len(LANES) - 1 else ("end", x - 8)
            out.append(f'<rect x="{x - 4}" y="{y - 9}" width="8" height="18" fill="{colour}"/>')
            out.append(f'<text x="{tx}" y="{y + 4}" text-anchor="{anchor}" fill="{colour}" '
                       f'font-style="italic">{escape(label)}</text>')
            continue
        x1, x2 = xs[src], xs[dst]
        out.append(f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{colour}" stroke-width="1.5" '
                   'marker-end="url(#arrow)"/>')
        tx = min(x1, x2) + 6
        out.append(f'<text x="{tx}" y="{y - 5}" fill="{colour}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def main() -> None:
    dot_to_svg(GRAPH_RECORD, "graph_record.svg")
    dot_to_svg(BACKWARD_ORDER, "backward_order.svg")
    (HERE / "dataloader_sequence.svg").write_text(sequence_svg())


if __name__ == "__main__":
    main()
