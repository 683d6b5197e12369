"""``minitorch demo``: train a small MLP on two interleaved spirals.

Everything is written with Tensor ops and a hand-written gradient step, so
the whole training loop is visible in one screen:

    logits = relu(x @ W1 + b1) @ W2 + b2
    loss   = cross-entropy(logits, y)      # log_softmax, then pick the true class
    loss.backward()                        # gradients into W1.grad, b1.grad, ...
    with no_grad():  W -= lr * W.grad      # plain gradient descent with momentum
"""

from __future__ import annotations

import math

import numpy as np

import minitorch

from ._progress import progress


def spirals(n_per_class: int = 200, noise: float = 0.15, seed: int = 0):
    """Two interleaved spirals: features (2n, 2) float32 and labels (2n,) int64."""
    rng = np.random.default_rng(seed)
    t = np.sqrt(rng.random(n_per_class)) * 3 * math.pi
    xs, ys = [], []
    for label in (0, 1):
        angle = t + label * math.pi
        pts = np.stack([t * np.cos(angle), t * np.sin(angle)], 1) / (3 * math.pi)
        xs.append(pts + noise * rng.standard_normal(pts.shape) / 3)
        ys.append(np.full(n_per_class, label))
    return minitorch.tensor(np.concatenate(xs), dtype=minitorch.float32), minitorch.tensor(np.concatenate(ys))


def run(epochs: int | None = None, seed: int = 0, quiet: bool = False, hidden: int = 64, graph: str | None = None) -> float:
    """Train and return the final training accuracy (printed too)."""
    epochs = epochs or 600
    minitorch.manual_seed(seed)
    x, y = spirals(seed=seed)
    n = x.shape[0]
    params = [
        (minitorch.randn(2, hidden) * math.sqrt(2 / 2)).requires_grad_(),
        minitorch.zeros(hidden, requires_grad=True),
        (minitorch.randn(hidden, hidden) * math.sqrt(2 / hidden)).requires_grad_(),
        minitorch.zeros(hidden, requires_grad=True),
        (minitorch.randn(hidden, 2) * math.sqrt(1 / hidden)).requires_grad_(),
        minitorch.zeros(2, requires_grad=True),
    ]
    velocity = [minitorch.zeros_like(p) for p in params]
    w1, b1, w2, b2, w3, b3 = params

    def forward(inp):
        h = (inp @ w1 + b1).relu()
        h = (h @ w2 + b2).relu()
        return h @ w3 + b3

    bar = progress(range(epochs), desc="demo: training", file=None) if not quiet else range(epochs)
    lr, momentum = 0.1, 0.9
    for _ in bar:
        logits = forward(x)
        loss = -logits.log_softmax(1)[minitorch.arange(n), y].mean()
        for p in params:
            p.grad = None
        loss.backward()
        if graph is not None:  # draw the first step's graph, with values and gradients
            from . import viz

            names = dict(zip(["W1", "b1", "W2", "b2", "W3", "b3"], params))
            print(f"demo: graph of one training step written to {viz.save_graph(loss, graph, params=names)}")
            graph = None
        with minitorch.no_grad():
            for p, v in zip(params, velocity):
                v.mul_(momentum).add_(p.grad)
                p.sub_(v, alpha=lr)
        if not quiet:
            bar.set_postfix(loss=loss.item())
    with minitorch.no_grad():
        acc = (forward(x).argmax(1) == y).float().mean().item()
    print(f"demo: final loss {loss.item():.4f}, training accuracy {acc:.1%} on {n} spiral points")
    return acc
