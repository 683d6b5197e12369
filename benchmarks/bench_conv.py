"""Convolution benchmark: conv2d forward+backward and a LeNet-5 training step.

Compares minitorch with

* a hand-written NumPy im2col "floor": the same algorithm with no autograd
  (strided-view im2col, one matrix product, col2im by kernel-offset slice
  adds), i.e. the best minitorch's design could do on NumPy;
* PyTorch (CPU), when installed.

Targets (issue 5): conv forward+backward at most 1.2x the NumPy floor; a LeNet-5
training step (batch 64, 1x28x28, float32) at most 2x PyTorch.

    python benchmarks/bench_conv.py
"""

from __future__ import annotations

import os

# One BLAS thread for every library: comparable timings that a busy machine does not distort.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

sys.path.insert(0, os.path.dirname(__file__))
from _timing import machine, median_time, table  # noqa: E402

import minitorch  # noqa: E402
from minitorch.nn.modules.conv import Conv2d  # noqa: E402
from minitorch.nn.modules.pooling import MaxPool2d  # noqa: E402
from minitorch.ops.conv import conv2d  # noqa: E402

try:
    import torch

    torch.set_num_threads(1)
except ImportError:  # the comparison with PyTorch is optional
    torch = None


# ---- the NumPy floor -----------------------------------------------------------------------------------
def numpy_conv_fwd_bwd(x, w, b, gy, padding):
    """conv2d forward and backward (dx, dw, db) in plain NumPy, stride 1, no autograd."""
    n, c, _, _ = x.shape
    o, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding))) if padding else x
    win = sliding_window_view(xp, (kh, kw), axis=(2, 3))  # (N, C, Ho, Wo, kh, kw), a view
    ho, wo = win.shape[2:4]
    cols = win.transpose(1, 4, 5, 0, 2, 3).reshape(c * kh * kw, n * ho * wo)  # the im2col copy
    wm = w.reshape(o, -1)
    y = np.ascontiguousarray((wm @ cols).reshape(o, n, ho, wo).transpose(1, 0, 2, 3)) + b.reshape(1, o, 1, 1)
    g = gy.transpose(1, 0, 2, 3).reshape(o, -1)
    dw = (g @ cols.T).reshape(w.shape)
    db = gy.sum((0, 2, 3))
    dcols = (wm.T @ g).reshape(c, kh, kw, n, ho, wo)
    dxp = np.zeros(xp.shape, x.dtype)
    for i in range(kh):
        for j in range(kw):
            dxp[:, :, i:i + ho, j:j + wo] += dcols[:, i, j].transpose(1, 0, 2, 3)
    dx = dxp[:, :, padding:dxp.shape[2] - padding, padding:dxp.shape[3] - padding] if padding else dxp
    return y, dx, dw, db


def bench_conv(xs, ws, padding, repeat):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(xs, dtype=np.float32)
    w = rng.standard_normal(ws, dtype=np.float32)
    b = rng.standard_normal(ws[0], dtype=np.float32)
    ho = xs[2] + 2 * padding - ws[2] + 1
    gy = rng.standard_normal((xs[0], ws[0], ho, xs[3] + 2 * padding - ws[3] + 1), dtype=np.float32)
    rows = [("numpy im2col floor", median_time(lambda: numpy_conv_fwd_bwd(x, w, b, gy, padding), repeat))]

    mx, mw, mb = (minitorch.tensor(a, requires_grad=True) for a in (x, w, b))
    mg = minitorch.tensor(gy)

    def mini():
        mx.grad = mw.grad = mb.grad = None
        conv2d(mx, mw, mb, padding=padding).backward(mg)

    rows.append(("minitorch", median_time(mini, repeat)))
    if torch is not None:
        tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
        tg = torch.tensor(gy)

        def tor():
            tx.grad = tw.grad = tb.grad = None
            torch.nn.functional.conv2d(tx, tw, tb, padding=padding).backward(tg)

        rows.append(("pytorch", median_time(tor, repeat)))
    return rows


# ---- LeNet-5 training step -----------------------------------------------------------------------------
def lenet(nn):
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def _minitorch_nn():
    """minitorch.nn with this benchmark's layers (the lead re-exports them in nn/__init__.py)."""
    import types

    from minitorch import nn

    ns = types.SimpleNamespace(**{k: getattr(nn, k) for k in dir(nn) if not k.startswith("_")})
    ns.Conv2d, ns.MaxPool2d = getattr(nn, "Conv2d", Conv2d), getattr(nn, "MaxPool2d", MaxPool2d)
    return ns


def bench_lenet(repeat):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 1, 28, 28), dtype=np.float32)
    labels = rng.integers(0, 10, 64)
    rows = []

    nn = _minitorch_nn()
    minitorch.manual_seed(0)
    model, loss_fn = lenet(nn), nn.CrossEntropyLoss()
    opt = minitorch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    mx, my = minitorch.tensor(x), minitorch.tensor(labels)

    def mini_step():
        opt.zero_grad()
        loss_fn(model(mx), my).backward()
        opt.step()

    rows.append(("minitorch", median_time(mini_step, repeat)))
    if torch is not None:
        torch.manual_seed(0)
        tmodel, tloss = lenet(torch.nn), torch.nn.CrossEntropyLoss()
        topt = torch.optim.SGD(tmodel.parameters(), lr=0.01, momentum=0.9)
        tx, ty = torch.tensor(x), torch.tensor(labels)

        def torch_step():
            topt.zero_grad()
            tloss(tmodel(tx), ty).backward()
            topt.step()

        rows.append(("pytorch", median_time(torch_step, repeat)))
    return rows


def main(repeat: int = 30) -> None:
    print(f"machine: {machine()}; numpy {np.__version__}" + (f"; torch {torch.__version__}" if torch else ""))
    cases = [
        ("LeNet conv1 (64,1,28,28) * (6,1,5,5) pad 2", (64, 1, 28, 28), (6, 1, 5, 5), 2),
        ("LeNet conv2 (64,6,14,14) * (16,6,5,5)", (64, 6, 14, 14), (16, 6, 5, 5), 0),
        ("ResNet-like (8,64,32,32) * (64,64,3,3) pad 1", (8, 64, 32, 32), (64, 64, 3, 3), 1),
        ("ResNet-like (8,256,8,8) * (256,256,3,3) pad 1", (8, 256, 8, 8), (256, 256, 3, 3), 1),
    ]
    for title, xs, ws, pad in cases:
        print(table(f"conv2d forward+backward, {title}", bench_conv(xs, ws, pad, repeat), "numpy im2col floor"))
        print()
    rows = bench_lenet(repeat)
    if torch is not None:
        print(table("LeNet-5 training step (batch 64, 1x28x28, SGD momentum)", rows, "pytorch"))
    else:
        print(rows)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
