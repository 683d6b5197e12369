"""End to end: the same MLP trained 20 steps in PyTorch and minitorch (copied weights, hand-written SGD)."""

import numpy as np

import minitorch
from minitorch import nn

from ._util import copy_weights, torch_or_skip


def _mlp(ns):
    return ns.Sequential(ns.Linear(8, 16), ns.BatchNorm1d(16), ns.ReLU(), ns.Linear(16, 16), ns.GELU(),
                         ns.LayerNorm(16), ns.Linear(16, 4))


def test_twenty_sgd_steps_match_pytorch():
    torch = torch_or_skip()
    torch.manual_seed(0)
    tm, mm = _mlp(torch.nn), _mlp(nn)
    copy_weights(mm, tm)
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((20, 32, 8)).astype(np.float32)
    ys = rng.integers(0, 4, (20, 32))
    lr = 0.1
    for step in range(20):
        lt = torch.nn.functional.cross_entropy(tm(torch.tensor(xs[step])), torch.tensor(ys[step]))
        lm = nn.functional.cross_entropy(mm(minitorch.tensor(xs[step])), minitorch.tensor(ys[step]))
        np.testing.assert_allclose(lm.item(), lt.item(), rtol=1e-5, atol=1e-5, err_msg=f"step {step}")
        tm.zero_grad()
        mm.zero_grad()
        lt.backward()
        lm.backward()
        with torch.no_grad():
            for p in tm.parameters():
                p -= lr * p.grad
        with minitorch.no_grad():
            for p in mm.parameters():
                p -= lr * p.grad
    tsd = tm.state_dict()
    for k, v in mm.state_dict().items():
        np.testing.assert_allclose(v.numpy(), tsd[k].numpy(), rtol=1e-4, atol=1e-5, err_msg=k)
