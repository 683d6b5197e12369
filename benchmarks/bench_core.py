"""Core engine benchmarks: per-op overhead and an MLP step, against NumPy and PyTorch.

    python benchmarks/bench_core.py

1. Per-op overhead: a chain of 100 elementwise ops on a tiny tensor (10 floats),
   forward + backward, divided by 100. NumPy has no autograd, so its row is the
   forward chain plus the hand-written backward chain.
2. MLP step: 784-512-512-10, batch 128, matmul/add/relu/log-softmax/NLL with
   Tensor ops, forward + backward (no optimizer). The NumPy floor computes the
   same forward and hand-derived backward.
"""

from __future__ import annotations

import os

# One BLAS thread for every library: comparable timings that a busy machine does not distort.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import sys  # noqa: E402
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import machine, median_time, table  # noqa: E402

import minitorch  # noqa: E402

try:
    import torch

    torch.set_num_threads(1)
except ImportError:  # the comparison rows are skipped
    torch = None

N_OPS = 100


def chain_minitorch(lib, x0):
    def run():
        x = x0
        for i in range(N_OPS // 4):
            x = x * 1.01
            x = x + 0.5
            x = x.tanh()
            x = x - 0.1
        x.sum().backward()
        x0.grad = None

    return run


def chain_numpy(x0):
    def run():
        x = x0
        saved = []
        for i in range(N_OPS // 4):
            x = x * 1.01
            x = x + 0.5
            x = np.tanh(x)
            saved.append(x)
            x = x - 0.1
        g = np.ones_like(x)
        for y in reversed(saved):
            g = g * (1 - y * y) * 1.01
        return g

    return run


def mlp_params(rng):
    shapes = [(784, 512), (512,), (512, 512), (512,), (512, 10), (10,)]
    return [(rng.standard_normal(s) * 0.05).astype(np.float32) for s in shapes]


def mlp_numpy(params, x, y):
    w1, b1, w2, b2, w3, b3 = params
    n = x.shape[0]

    def run():
        h1 = np.maximum(x @ w1 + b1, 0)
        h2 = np.maximum(h1 @ w2 + b2, 0)
        z = h2 @ w3 + b3
        m = z.max(1, keepdims=True)
        e = np.exp(z - m)
        logp = z - m - np.log(e.sum(1, keepdims=True))
        loss = -logp[np.arange(n), y].mean()
        dz = np.exp(logp)
        dz[np.arange(n), y] -= 1
        dz /= n
        grads = [None] * 6
        grads[4], grads[5] = h2.T @ dz, dz.sum(0)
        dh2 = (dz @ w3.T) * (h2 > 0)
        grads[2], grads[3] = h1.T @ dh2, dh2.sum(0)
        dh1 = (dh2 @ w2.T) * (h1 > 0)
        grads[0], grads[1] = x.T @ dh1, dh1.sum(0)
        return loss, grads

    return run


def mlp_lib(lib, params, x, y):
    ps = [lib.tensor(p, requires_grad=True) for p in params]
    xt, yt = lib.tensor(x), lib.tensor(y)
    n = x.shape[0]
    idx = lib.arange(n)

    def run():
        w1, b1, w2, b2, w3, b3 = ps
        h = (xt @ w1 + b1).relu()
        h = (h @ w2 + b2).relu()
        z = h @ w3 + b3
        loss = -z.log_softmax(1)[idx, yt].mean()
        for p in ps:
            p.grad = None
        loss.backward()
        return loss

    return run


def main():
    print(f"machine: {machine()}; numpy {np.__version__}" + (f"; torch {torch.__version__}" if torch else ""))
    rng = np.random.default_rng(0)
    x10 = rng.standard_normal(10).astype(np.float32)
    rows = [("NumPy (fwd + hand bwd)", median_time(chain_numpy(x10), repeat=200) / N_OPS),
            ("minitorch", median_time(chain_minitorch(minitorch, minitorch.tensor(x10, requires_grad=True)),
                                      repeat=200) / N_OPS)]
    if torch:
        rows.append(("PyTorch", median_time(chain_minitorch(torch, torch.tensor(x10, requires_grad=True)),
                                            repeat=200) / N_OPS))
    print(table("Per-op overhead (forward + backward, 10-element tensors, per op)", rows,
                "PyTorch" if torch else "NumPy (fwd + hand bwd)", unit="µs", scale=1e6))
    print()
    params = mlp_params(rng)
    x = rng.standard_normal((128, 784)).astype(np.float32)
    y = rng.integers(0, 10, 128)
    rows = [("NumPy floor", median_time(mlp_numpy(params, x, y))),
            ("minitorch", median_time(mlp_lib(minitorch, params, x, y)))]
    if torch:
        rows.append(("PyTorch", median_time(mlp_lib(torch, params, x, y))))
    print(table("MLP 784-512-512-10 forward + backward, batch 128", rows, "NumPy floor"))


if __name__ == "__main__":
    main()
