"""Assignment 4: modules, the Linear layer, losses and optimizers."""

import numpy as np
from _checks import assert_close, check_grad, fail, rand, task

import minitorch
import minitorch.nn.functional as F
from minitorch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
        self.head = nn.Linear(3, 1, bias=False)
        self.again = self.head  # the same module twice: listed once
        self.scale = nn.Parameter(minitorch.ones(1))


def test_4_1_named_modules():
    tid, what = "4.1", "Module.named_modules walks the tree depth-first with dotted names"
    net = Net()
    with task(tid, what):
        names = [name for name, _ in net.named_modules()]
    want = ["", "body", "body.0", "body.1", "head"]
    if names != want:
        fail(tid, what, f"for Net (body = Sequential(Linear, ReLU), head = Linear, again = head) expected the names "
                        f"{want} (the module itself first, each module once), got {names}")
    with task(tid, what):
        mods = list(net.modules())
    if mods[0] is not net or mods[2] is not net.body[0]:
        fail(tid, what, "named_modules must yield (name, module) pairs: the module itself first, then its children")


def test_4_2_named_parameters():
    tid, what = "4.2", "Module.named_parameters: dotted names, each parameter once"
    net = Net()
    with task(tid, what):
        named = list(net.named_parameters())
    names = [n for n, _ in named]
    want = ["scale", "body.0.weight", "body.0.bias", "head.weight"]
    if names != want:
        fail(tid, what, f"for Net expected {want} (own parameters first, then each submodule's with its dotted "
                        f"prefix; head.bias is None and skipped; the shared head listed once), got {names}")
    if named[1][1] is not net.body[0].weight:
        fail(tid, what, "named_parameters must yield the Parameter objects themselves (not copies)")
    with task(tid, what):
        n = len(list(net.parameters()))
    if n != 4:
        fail(tid, what, f"net.parameters() should give 4 parameters, got {n}")


def test_4_3_linear_forward():
    tid, what = "4.3", "Linear forward: y = x @ W^T + b"
    x, w, b = rand(4, 3, seed=1, grad=False), rand(2, 3, seed=2, grad=False), rand(2, seed=3, grad=False)
    xn, wn, bn = x.numpy(), w.numpy(), b.numpy()
    with task(tid, what):
        y, y0 = F.linear(x, w, b), F.linear(x, w)
    assert_close(tid, what, y, xn @ wn.T + bn, "F.linear(x, W, b) for x (4, 3), W (2, 3), b (2,)")
    assert_close(tid, what, y0, xn @ wn.T, "F.linear(x, W) without bias")
    x3 = rand(2, 4, 3, seed=4, grad=False)
    with task(tid, what):
        y3 = F.linear(x3, w, b)
    assert_close(tid, what, y3, x3.numpy() @ wn.T + bn, "F.linear(x, W, b) for x of shape (2, 4, 3)")


def test_4_4_linear_backward():
    tid, what = "4.4", "Linear backward: dx = grad @ W, dW = grad^T @ x, db = sum of grad"
    w, b = rand(2, 3, seed=6), rand(2, seed=7)
    check_grad(tid, what, lambda x, w, b: F.linear(x, w, b), {"x": rand(4, 3, seed=5), "weight": w, "bias": b})
    check_grad(tid, what, lambda x, w: F.linear(x, w), {"x": rand(4, 3, seed=8), "weight": w}, note="no bias")
    check_grad(tid, what, lambda x, w, b: F.linear(x, w, b), {"x": rand(2, 2, 3, seed=9), "weight": w, "bias": b})


def _log_probs(seed):
    z = np.random.default_rng(seed).normal(size=(4, 3))
    return z - np.log(np.exp(z).sum(1, keepdims=True))


def test_4_5_nll_loss():
    tid, what = "4.5", "NLL loss: -logp[i, target_i], weighted and reduced"
    logp = _log_probs(10)
    target = np.array([0, 2, 1, 2])
    weight = np.array([1.0, 2.0, 0.5])
    lp = minitorch.tensor(logp, dtype=minitorch.float64, requires_grad=True)
    t = minitorch.tensor(target)
    picked = -logp[np.arange(4), target]
    w = weight[target]
    cases = [("mean", None, picked.mean()), ("sum", None, picked.sum()), ("none", None, picked),
             ("mean", weight, (w * picked).sum() / w.sum())]
    for reduction, wt, want in cases:
        kw = {} if wt is None else {"weight": minitorch.tensor(wt, dtype=minitorch.float64)}
        with task(tid, what):
            got = F.nll_loss(lp, t, reduction=reduction, **kw)
        assert_close(tid, what, got, want, f"nll_loss(logp (4, 3), target {target.tolist()}, reduction='{reduction}'"
                                           + (f", weight={wt.tolist()})" if wt is not None else ")"))
    check_grad(tid, what, lambda lp: F.nll_loss(lp, t), {"logp": lp}, note=f"nll_loss with target {target.tolist()}")
    wt = minitorch.tensor(weight, dtype=minitorch.float64)
    check_grad(tid, what, lambda lp: F.nll_loss(lp, t, weight=wt, reduction="sum"), {"logp": lp},
               note="weighted, reduction='sum'")


def test_4_6_cross_entropy():
    tid, what = "4.6", "cross_entropy = nll_loss(log_softmax(logits))"
    z = np.random.default_rng(11).normal(size=(4, 3))
    target = np.array([1, 0, 2, 2])
    want = np.mean(np.log(np.exp(z).sum(1)) - z[np.arange(4), target])
    logits = minitorch.tensor(z, dtype=minitorch.float64, requires_grad=True)
    t = minitorch.tensor(target)
    with task(tid, what):
        got = F.cross_entropy(logits, t)
    assert_close(tid, what, got, want, f"cross_entropy(logits (4, 3), target {target.tolist()})")
    check_grad(tid, what, lambda z: F.cross_entropy(z, t), {"logits": logits})


def _run_optimizer(make, grads, fast: bool):
    p = minitorch.tensor([1.0, -2.0, 3.0], dtype=minitorch.float64, requires_grad=True)
    opt = make([p])
    opt.use_fast_path = fast
    for g in grads:
        p.grad = minitorch.tensor(g, dtype=minitorch.float64)
        opt.step()
    return p.detach().numpy()


_GRADS = [[0.5, -1.0, 2.0], [0.1, 0.3, -0.2], [-1.0, 0.0, 0.7]]


def _check_optimizer(tid, what, make, reference, desc):
    want = reference(np.array([1.0, -2.0, 3.0]), [np.array(g) for g in _GRADS])
    for fast in (False, True):
        with task(tid, what):
            got = _run_optimizer(make, _GRADS, fast)
        path = "the fast path (_update_fast)" if fast else "_update"
        assert_close(tid, what, got, want, f"{desc}: the parameter after 3 steps with {path}, starting from "
                                           f"[1, -2, 3] with gradients {_GRADS}")


def test_4_7_sgd_step():
    tid, what = "4.7", "SGD step: theta <- theta - lr * g"

    def reference(p, grads, lr=0.1, wd=0.0):
        for g in grads:
            p = p - lr * (g + wd * p)
        return p

    _check_optimizer(tid, what, lambda ps: minitorch.optim.SGD(ps, lr=0.1), reference, "SGD(lr=0.1)")
    _check_optimizer(tid, what, lambda ps: minitorch.optim.SGD(ps, lr=0.1, weight_decay=0.5),
                     lambda p, gs: reference(p, gs, wd=0.5), "SGD(lr=0.1, weight_decay=0.5)")


def test_4_8_sgd_momentum():
    tid, what = "4.8", "SGD momentum: b <- mu b + (1 - dampening) g; g <- b (or g + mu b with nesterov)"

    def reference(p, grads, lr=0.1, mu=0.9, damp=0.0, nesterov=False):
        buf = None
        for g in grads:
            buf = g.copy() if buf is None else mu * buf + (1 - damp) * g
            p = p - lr * (g + mu * buf if nesterov else buf)
        return p

    SGD = minitorch.optim.SGD
    _check_optimizer(tid, what, lambda ps: SGD(ps, lr=0.1, momentum=0.9), reference, "SGD(lr=0.1, momentum=0.9)")
    _check_optimizer(tid, what, lambda ps: SGD(ps, lr=0.1, momentum=0.9, dampening=0.3),
                     lambda p, gs: reference(p, gs, damp=0.3), "SGD(lr=0.1, momentum=0.9, dampening=0.3)")
    _check_optimizer(tid, what, lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
                     lambda p, gs: reference(p, gs, nesterov=True), "SGD(lr=0.1, momentum=0.9, nesterov=True)")


def test_4_9_adam():
    tid, what = "4.9", "Adam: moments, bias corrections and the step"

    def reference(p, grads, lr=0.1, b1=0.9, b2=0.999, eps=1e-8, wd=0.0):
        m = v = np.zeros_like(p)
        for t, g in enumerate(grads, 1):
            g = g + wd * p
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            p = p - lr / (1 - b1**t) * m / (np.sqrt(v) / np.sqrt(1 - b2**t) + eps)
        return p

    Adam = minitorch.optim.Adam
    _check_optimizer(tid, what, lambda ps: Adam(ps, lr=0.1), reference, "Adam(lr=0.1)")
    _check_optimizer(tid, what, lambda ps: Adam(ps, lr=0.1, betas=(0.8, 0.9), weight_decay=0.1),
                     lambda p, gs: reference(p, gs, b1=0.8, b2=0.9, wd=0.1),
                     "Adam(lr=0.1, betas=(0.8, 0.9), weight_decay=0.1)")
