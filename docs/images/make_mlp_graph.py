"""Draw the backward graph of a 2-layer MLP with its values and gradients (docs/images/mlp_graph.svg/.png).

    python docs/images/make_mlp_graph.py [OUT_DIR]

The MLP is written with plain Tensor ops so every node of the picture is one
line below. ``backward_steps`` runs the backward pass and records the
gradient that flowed through each node, which ``make_dot(grads=...)`` prints
in red next to the values (black).
"""

from __future__ import annotations

import sys
from pathlib import Path

import minitorch
from minitorch.viz import backward_steps, make_dot


def mlp_graph():
    """The MLP's loss, its named tensors and the recorded backward steps."""
    minitorch.manual_seed(0)
    x = minitorch.randn(4, 2)  # 4 samples, 2 features
    y = minitorch.tensor([0, 2, 1, 0])  # their classes
    W1 = (minitorch.randn(2, 5) * 0.7).requires_grad_()
    b1 = minitorch.zeros(5, requires_grad=True)
    W2 = (minitorch.randn(5, 3) * 0.5).requires_grad_()
    b2 = minitorch.zeros(3, requires_grad=True)

    h = (x @ W1 + b1).relu()  # hidden layer
    logits = h @ W2 + b2  # output layer
    logp = logits.log_softmax(dim=1)
    loss = -logp[minitorch.arange(4), y].mean()  # cross-entropy

    steps = list(backward_steps(loss))  # runs loss.backward(), recording each node
    names = dict(x=x, W1=W1, b1=b1, W2=W2, b2=b2, h=h, logits=logits, logp=logp, loss=loss)
    return loss, names, steps


def main(out_dir: str = str(Path(__file__).parent)) -> None:
    loss, names, steps = mlp_graph()
    graph = make_dot(loss, params=names, show_values=True, show_grads=True, grads=steps)
    out = Path(out_dir)
    (out / "mlp_graph.svg").write_bytes(graph.pipe(format="svg"))
    graph.attr(dpi="120")  # a sharper PNG (dpi would also scale the SVG, so set it after)
    (out / "mlp_graph.png").write_bytes(graph.pipe(format="png"))
    print(f"wrote {out / 'mlp_graph.svg'} and {out / 'mlp_graph.png'}")


if __name__ == "__main__":
    main(*sys.argv[1:])
