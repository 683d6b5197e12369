"""Losses: vs NumPy formulas, vs PyTorch (every reduction, options, grads), gradcheck, stability, errors."""

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn import functional as F

from ._util import compare_fn, gradcheck, torch_or_skip

RNG = np.random.default_rng(0)
REDUCTIONS = ["mean", "sum", "none"]


def _pair(shape=(4, 3)):
    return RNG.standard_normal(shape), RNG.standard_normal(shape)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name,kwargs", [("mse_loss", {}), ("l1_loss", {}), ("smooth_l1_loss", {"beta": 0.5}),
                                         ("smooth_l1_loss", {"beta": 0.0}), ("huber_loss", {"delta": 0.7})])
def test_regression_losses_vs_torch(name, kwargs, reduction):
    torch = torch_or_skip()
    x, y = _pair()
    compare_fn(lambda a, b: getattr(F, name)(a, b, reduction=reduction, **kwargs),
               lambda a, b: getattr(torch.nn.functional, name)(a, b, reduction=reduction, **kwargs), [x, y],
               atol=1e-10)


def test_regression_losses_match_numpy():
    x, y = _pair()
    d = x - y
    mx, my = minitorch.tensor(x), minitorch.tensor(y)
    np.testing.assert_allclose(nn.MSELoss()(mx, my).item(), np.mean(d * d))
    np.testing.assert_allclose(nn.L1Loss(reduction="sum")(mx, my).item(), np.abs(d).sum())
    ad = np.abs(d)
    np.testing.assert_allclose(nn.SmoothL1Loss(beta=0.5)(mx, my).item(),
                               np.mean(np.where(ad < 0.5, 0.5 * d * d / 0.5, ad - 0.25)))
    np.testing.assert_allclose(nn.HuberLoss(delta=0.5)(mx, my).item(),
                               np.mean(np.where(ad < 0.5, 0.5 * d * d, 0.5 * (ad - 0.25))))


def _ce_numpy(x, t, w=None, ignore_index=-100):
    logp = x - x.max(1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(1, keepdims=True))
    valid = t != ignore_index
    safe = np.where(valid, t, 0)
    wt = (np.ones(x.shape[1]) if w is None else w)[safe] * valid
    picked = np.take_along_axis(logp, safe[:, None], 1)[:, 0]
    return -(wt * picked).sum() / wt.sum()


def test_cross_entropy_matches_numpy_weighted_mean_with_ignore():
    x = RNG.standard_normal((6, 4))
    t = np.array([0, 3, 1, -100, 2, 3])
    w = np.array([0.5, 1.0, 2.0, 0.3])
    out = F.cross_entropy(minitorch.tensor(x), minitorch.tensor(t), weight=minitorch.tensor(w))
    np.testing.assert_allclose(out.item(), _ce_numpy(x, t, w), rtol=1e-12)


CE_CASES = [
    ((5, 4), {}), ((5, 4), {"weight": True}), ((5, 4), {"ignore_index": 1}), ((5, 4), {"label_smoothing": 0.2}),
    ((5, 4), {"weight": True, "label_smoothing": 0.3, "ignore_index": 2}), ((3, 4, 2, 2), {}),
    ((3, 4, 5), {"weight": True, "label_smoothing": 0.1}), ((4,), {}),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape,opts", CE_CASES, ids=[f"{s}-{sorted(o)}" for s, o in CE_CASES])
def test_cross_entropy_class_indices_vs_torch(shape, opts, reduction):
    torch = torch_or_skip()
    x = RNG.standard_normal(shape)
    c = shape[0] if len(shape) == 1 else shape[1]
    tshape = () if len(shape) == 1 else (shape[0],) + shape[2:]
    t = RNG.integers(0, c, tshape)
    w = RNG.uniform(0.2, 2.0, c) if opts.get("weight") else None
    kw = {k: v for k, v in opts.items() if k != "weight"}

    def run(mod, xx):
        tt = mod.tensor(t)
        ww = mod.tensor(w) if w is not None else None
        return mod.nn.functional.cross_entropy(xx, tt, weight=ww, reduction=reduction, **kw)

    compare_fn(lambda xx: run(minitorch, xx), lambda xx: run(torch, xx), [x], atol=1e-10)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("opts", [{}, {"weight": True}, {"label_smoothing": 0.25}])
def test_cross_entropy_probabilities_vs_torch(opts, reduction):
    torch = torch_or_skip()
    x = RNG.standard_normal((5, 3, 2))
    p = RNG.uniform(size=(5, 3, 2))
    p = p / p.sum(1, keepdims=True)
    w = RNG.uniform(0.2, 2.0, 3) if opts.get("weight") else None
    kw = {k: v for k, v in opts.items() if k != "weight"}

    def run(mod, xx, pp):
        ww = mod.tensor(w) if w is not None else None
        return mod.nn.functional.cross_entropy(xx, pp, weight=ww, reduction=reduction, **kw)

    compare_fn(lambda a, b: run(minitorch, a, b), lambda a, b: run(torch, a, b), [x, p], atol=1e-10)


def test_cross_entropy_large_logits_are_stable():
    x = minitorch.tensor([[1e4, -1e4, 0.0], [0.0, 1e4, 1e4]], requires_grad=True)
    loss = F.cross_entropy(x, minitorch.tensor([1, 0]))
    loss.backward()
    assert np.isfinite(loss.item()) and np.all(np.isfinite(x.grad.numpy()))
    np.testing.assert_allclose(loss.item(), (2e4 + 1e4 + np.log(2)) / 2, rtol=1e-5)


def test_cross_entropy_graph_is_two_fused_nodes():
    x = minitorch.randn(3, 4, requires_grad=True)
    loss = F.cross_entropy(x, minitorch.tensor([0, 1, 2]))
    assert loss.grad_fn.name() == "NllLossBackward0"
    assert loss.grad_fn.next_functions[0][0].name() == "LogSoftmaxBackward0"


def test_cross_entropy_and_nll_gradcheck():
    t = np.array([0, 2, 1])
    w = minitorch.tensor([0.3, 1.0, 2.0], dtype=minitorch.float64)
    assert gradcheck(lambda x: F.cross_entropy(x, minitorch.tensor(t), weight=w, label_smoothing=0.1),
                     RNG.standard_normal((3, 3)))
    assert gradcheck(lambda x: F.nll_loss(x, minitorch.tensor(t), reduction="none"), RNG.standard_normal((3, 3)))
    p = np.full((3, 3), 1 / 3)
    assert gradcheck(lambda x, q: F.cross_entropy(x, q), RNG.standard_normal((3, 3)), p)
    x = minitorch.tensor(RNG.standard_normal((3, 3)), requires_grad=True)
    assert minitorch.autograd.gradgradcheck(lambda a: F.cross_entropy(a, minitorch.tensor(t)), (x,))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss_vs_torch(reduction):
    torch = torch_or_skip()
    x = RNG.standard_normal((6, 4))
    t = np.array([0, 3, 1, 1, 2, -100])
    w = RNG.uniform(0.5, 1.5, 4)
    compare_fn(lambda a: F.nll_loss(a, minitorch.tensor(t), minitorch.tensor(w), reduction=reduction),
               lambda a: torch.nn.functional.nll_loss(a, torch.tensor(t), torch.tensor(w), reduction=reduction),
               [x], atol=1e-10)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_bce_vs_torch(reduction, weighted):
    torch = torch_or_skip()
    x = RNG.uniform(0.05, 0.95, (4, 3))
    y = RNG.uniform(0, 1, (4, 3))
    w = RNG.uniform(0.5, 2, (4, 3)) if weighted else None

    def run(mod, a, b):
        return mod.nn.functional.binary_cross_entropy(a, b, None if w is None else mod.tensor(w),
                                                      reduction=reduction)

    compare_fn(lambda a, b: run(minitorch, a, b), lambda a, b: run(torch, a, b), [x, y], atol=1e-10)


def test_bce_clamps_log_like_torch():
    torch = torch_or_skip()
    x = np.array([0.0, 1.0, 0.5, 1e-50])
    y = np.array([1.0, 0.0, 1.0, 1.0])
    compare_fn(lambda a: F.binary_cross_entropy(a, minitorch.tensor(y), reduction="none"),
               lambda a: torch.nn.functional.binary_cross_entropy(a, torch.tensor(y), reduction="none"), [x])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("opts", [{}, {"weight": True}, {"pos_weight": True}])
def test_bce_with_logits_vs_torch(reduction, opts):
    torch = torch_or_skip()
    x = RNG.standard_normal((4, 3)) * 5
    x[0, 0] = 0.0
    y = RNG.uniform(0, 1, (4, 3))
    w = RNG.uniform(0.5, 2, (4, 3)) if opts.get("weight") else None
    pw = RNG.uniform(0.5, 3, 3) if opts.get("pos_weight") else None

    def run(mod, a, b):
        return mod.nn.functional.binary_cross_entropy_with_logits(
            a, b, None if w is None else mod.tensor(w), reduction=reduction,
            pos_weight=None if pw is None else mod.tensor(pw))

    compare_fn(lambda a, b: run(minitorch, a, b), lambda a, b: run(torch, a, b), [x, y], atol=1e-10)


def test_bce_with_logits_stable_for_huge_logits():
    x = minitorch.tensor([1e4, -1e4], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(x, minitorch.tensor([0.0, 1.0]))
    loss.backward()
    np.testing.assert_allclose(loss.item(), 1e4)
    assert np.all(np.isfinite(x.grad.numpy()))


def test_bce_gradcheck():
    assert gradcheck(lambda a, b: F.binary_cross_entropy(a, b), RNG.uniform(0.1, 0.9, (3, 2)),
                     RNG.uniform(0, 1, (3, 2)))
    assert gradcheck(lambda a, b: F.binary_cross_entropy_with_logits(a, b), RNG.standard_normal((3, 2)),
                     RNG.uniform(0, 1, (3, 2)))


@pytest.mark.parametrize("reduction", ["batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_vs_torch(reduction, log_target):
    torch = torch_or_skip()
    x = np.log(RNG.dirichlet(np.ones(4), 3))
    t = RNG.dirichlet(np.ones(4), 3)
    if log_target:
        t = np.log(t + 0.1)
    compare_fn(lambda a, b: F.kl_div(a, b, reduction=reduction, log_target=log_target),
               lambda a, b: torch.nn.functional.kl_div(a, b, reduction=reduction, log_target=log_target), [x, t],
               atol=1e-10)


def test_kl_div_zero_target_contributes_zero():
    x = minitorch.tensor(np.log([[0.5, 0.5]]), requires_grad=True)
    loss = F.kl_div(x, minitorch.tensor([[1.0, 0.0]]), reduction="sum")
    loss.backward()
    np.testing.assert_allclose(loss.item(), np.log(2))
    np.testing.assert_allclose(x.grad.numpy(), [[-1.0, 0.0]])


LOSS_MODULES = [
    ("MSELoss", {}), ("L1Loss", {"reduction": "sum"}), ("SmoothL1Loss", {"beta": 0.3}), ("HuberLoss", {"delta": 2.0}),
    ("CrossEntropyLoss", {"label_smoothing": 0.1, "ignore_index": 0}), ("NLLLoss", {}), ("BCELoss", {}),
    ("BCEWithLogitsLoss", {}), ("KLDivLoss", {"reduction": "batchmean"}),
]


@pytest.mark.parametrize("name,kwargs", LOSS_MODULES)
def test_loss_modules_vs_torch(name, kwargs):
    torch = torch_or_skip()
    x = RNG.uniform(0.1, 0.9, (4, 3)).astype(np.float32)
    if name in ("CrossEntropyLoss", "NLLLoss"):
        y_np = np.array([0, 2, 1, 1])
    else:
        y_np = RNG.uniform(0, 1, (4, 3)).astype(np.float32)
    mm, tm = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
    assert repr(mm) == repr(tm)
    compare_fn(lambda a: mm(a, minitorch.tensor(y_np)), lambda a: tm(a, torch.tensor(y_np)), [x], atol=1e-6)


def test_weight_buffers_of_loss_modules():
    m = nn.CrossEntropyLoss(weight=minitorch.ones(3))
    assert list(m.state_dict()) == ["weight"]
    assert list(nn.CrossEntropyLoss().state_dict()) == []
    assert list(nn.BCEWithLogitsLoss(pos_weight=minitorch.ones(3)).state_dict()) == ["pos_weight"]


ERROR_CASES = [
    lambda mod: mod.nn.functional.cross_entropy(mod.zeros(3, 4), mod.tensor([0, 1, 5])),
    lambda mod: mod.nn.functional.cross_entropy(mod.zeros(3, 4), mod.tensor([0, 1, 2], dtype=mod.int32)),
    lambda mod: mod.nn.functional.cross_entropy(mod.zeros(3, 4), mod.tensor([0, 1])),
    lambda mod: mod.nn.functional.cross_entropy(mod.zeros(3, 4), mod.zeros(3, 5)),
    lambda mod: mod.nn.functional.cross_entropy(mod.zeros(3, 4), mod.tensor([0.0, 1, 2])),
    lambda mod: mod.nn.functional.nll_loss(mod.zeros(3, 4, 5), mod.tensor([0, 1, 2])),
    lambda mod: mod.nn.functional.cross_entropy(mod.zeros(3, 4), mod.tensor([0, 1, 2]), label_smoothing=1.5),
    lambda mod: mod.nn.functional.binary_cross_entropy(mod.tensor([1.5]), mod.tensor([1.0])),
    lambda mod: mod.nn.functional.mse_loss(mod.zeros(3), mod.zeros(3), reduction="foo"),
]


@pytest.mark.parametrize("case", range(len(ERROR_CASES)))
def test_errors_match_pytorch(case):
    torch = torch_or_skip()
    with pytest.raises(Exception) as e_t:
        ERROR_CASES[case](torch)
    with pytest.raises(type(e_t.value)) as e_m:
        ERROR_CASES[case](minitorch)
    assert str(e_m.value) == str(e_t.value)


def test_shape_mismatch_errors_name_shapes():
    with pytest.raises(ValueError, match=r"Using a target size \(minitorch.Size\(\[3\]\)\)"):
        F.binary_cross_entropy(minitorch.rand(3, 1), minitorch.rand(3))
    with pytest.raises(ValueError, match=r"Target size \(minitorch.Size\(\[3\]\)\) must be the same"):
        F.binary_cross_entropy_with_logits(minitorch.rand(3, 1), minitorch.rand(3))
    with pytest.warns(UserWarning, match="different to the input size"):
        F.mse_loss(minitorch.rand(3, 1), minitorch.rand(3))


def test_nll_loss_weight_requiring_grad_is_refused_like_pytorch():
    w = minitorch.ones(3, requires_grad=True)
    for f in (F.nll_loss, F.cross_entropy):
        with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'weight'"):
            f(minitorch.randn(2, 3), minitorch.tensor([0, 1]), weight=w)
    with minitorch.no_grad():
        F.nll_loss(minitorch.randn(2, 3), minitorch.tensor([0, 1]), weight=w)
