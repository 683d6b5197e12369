"""Training-step benchmark: 784-512-512-10 MLP, batch 128, CrossEntropyLoss, SGD with momentum.

    python benchmarks/bench_mlp.py

Rows: a hand-written NumPy step (forward, hand-derived backward, momentum
update: the floor any NumPy engine can reach), minitorch with ``nn`` +
``optim``, and PyTorch (CPU, same threads as NumPy's BLAS gets) when
installed. Also checks that memory stays flat over 1,000 steps.
"""

from __future__ import annotations

import os

# One BLAS thread for every library: comparable timings that a busy machine does not distort.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import gc
import resource
import sys  # noqa: E402
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import machine, median_time, table  # noqa: E402

import minitorch  # noqa: E402
from minitorch import nn, optim  # noqa: E402

try:
    import torch

    torch.set_num_threads(1)
except ImportError:
    torch = None

SIZES = [784, 512, 512, 10]
BATCH = 128


def weights(rng):
    ws = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        bound = 1 / np.sqrt(fan_in)
        ws.append((rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32),
                   rng.uniform(-bound, bound, fan_out).astype(np.float32)))
    return ws


def numpy_step(ws, x, y, lr=0.01, momentum=0.9):
    params = [p for w, b in ws for p in (w, b)]
    bufs = [np.zeros_like(p) for p in params]
    n = x.shape[0]
    rows = np.arange(n)

    def step():
        (w1, b1), (w2, b2), (w3, b3) = ws
        h1 = np.maximum(x @ w1.T + b1, 0)
        h2 = np.maximum(h1 @ w2.T + b2, 0)
        z = h2 @ w3.T + b3
        z = z - z.max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        loss = -logp[rows, y].mean()
        dz = np.exp(logp)
        dz[rows, y] -= 1
        dz /= n
        dh2 = (dz @ w3) * (h2 > 0)
        dh1 = (dh2 @ w2) * (h1 > 0)
        grads = [dh1.T @ x, dh1.sum(0), dh2.T @ h1, dh2.sum(0), dz.T @ h2, dz.sum(0)]
        for p, g, buf in zip(params, grads, bufs):
            buf *= momentum
            buf += g
            p -= lr * buf
        return loss

    return step


def lib_step(lib, ws, x, y):
    layers = []
    for i, (w, b) in enumerate(ws):
        lin = lib.nn.Linear(w.shape[1], w.shape[0])
        with lib.no_grad():
            lin.weight.copy_(lib.tensor(w))
            lin.bias.copy_(lib.tensor(b))
        layers += [lin, lib.nn.ReLU()] if i < len(ws) - 1 else [lin]
    model = lib.nn.Sequential(*layers)
    criterion = lib.nn.CrossEntropyLoss()
    opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    xt, yt = lib.tensor(x), lib.tensor(y)

    def step():
        opt.zero_grad()
        loss = criterion(model(xt), yt)
        loss.backward()
        opt.step()
        return loss

    return step


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    print(f"machine: {machine()}; numpy {np.__version__}" + (f"; torch {torch.__version__}" if torch else ""))
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, 784)).astype(np.float32)
    y = rng.integers(0, 10, BATCH)
    minitorch.nn, minitorch.optim = nn, optim
    rows = [("NumPy floor", median_time(numpy_step(weights(rng), x, y), repeat=50)),
            ("minitorch (nn + optim)", median_time(lib_step(minitorch, weights(rng), x, y), repeat=50))]
    if torch:
        rows.append(("PyTorch", median_time(lib_step(torch, weights(rng), x, y), repeat=50)))
    print(table("MLP 784-512-512-10 training step (batch 128, CrossEntropyLoss, SGD momentum)", rows, "NumPy floor"))
    step = lib_step(minitorch, weights(rng), x, y)
    for _ in range(100):
        step()
    gc.collect()
    before, nodes = rss_mb(), minitorch.autograd.live_nodes()
    for _ in range(1000):
        step()
    gc.collect()
    print(f"\nmemory over 1,000 more steps: peak RSS {before:.0f} MB -> {rss_mb():.0f} MB; "
          f"live graph nodes {nodes} -> {minitorch.autograd.live_nodes()}")


if __name__ == "__main__":
    main()
