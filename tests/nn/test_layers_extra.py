"""3-D pooling, unpooling, LPPool, LocalResponseNorm, InstanceNorm, EmbeddingBag, gumbel_softmax and the
multi-class margin losses: values, indices, gradients and errors compared with PyTorch."""

import warnings

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn import functional as F

from ._util import compare_fn, compare_module, gradcheck, mt_tensor, th_tensor, torch_or_skip, torch_repr, upstream

RNG = np.random.default_rng(0)
REDUCTIONS = ["mean", "sum", "none"]


def _errors_match(mt_call, th_call):
    """Both raise the same exception type with the same message."""
    with pytest.raises(Exception) as th_err:
        th_call()
    with pytest.raises(type(th_err.value)) as mt_err:
        mt_call()
    assert str(mt_err.value) == torch_repr(str(th_err.value))


# ---- 3-D pooling ----------------------------------------------------------------------------------------
POOL3D_ARGS = [dict(kernel_size=2), dict(kernel_size=(2, 3, 2), stride=(1, 2, 3), padding=1),
               dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)]


@pytest.mark.parametrize("shape", [(2, 3, 5, 6, 7), (3, 5, 6, 7)])
@pytest.mark.parametrize("kw", POOL3D_ARGS)
def test_max_avg_pool3d_vs_torch(shape, kw):
    torch = torch_or_skip()
    x = RNG.standard_normal(shape)
    mo, to = compare_fn(lambda a: F.max_pool3d(a, return_indices=True, **kw)[0],
                        lambda a: torch.nn.functional.max_pool3d(a, return_indices=True, **kw)[0], [x])
    _, mi = F.max_pool3d(mt_tensor(x), return_indices=True, **kw)
    _, ti = torch.nn.functional.max_pool3d(th_tensor(torch, x), return_indices=True, **kw)
    np.testing.assert_array_equal(mi.numpy(), ti.numpy())
    for cip in (True, False):
        compare_fn(lambda a: F.avg_pool3d(a, count_include_pad=cip, **kw),
                   lambda a: torch.nn.functional.avg_pool3d(a, count_include_pad=cip, **kw), [x])
    compare_fn(lambda a: F.max_pool3d(a, 3, 1, 1, dilation=(1, 2, 1)),
               lambda a: torch.nn.functional.max_pool3d(a, 3, 1, 1, dilation=(1, 2, 1)), [x])
    compare_fn(lambda a: F.avg_pool3d(a, 2, divisor_override=3), lambda a: torch.nn.functional.avg_pool3d(
        a, 2, divisor_override=3), [x])


@pytest.mark.parametrize("shape", [(2, 3, 5, 6, 7), (3, 5, 6, 7)])
@pytest.mark.parametrize("size", [2, (2, 3, 4), (None, 1, 3), (5, 6, 7), (7, 8, 9)])
def test_adaptive_pool3d_vs_torch(shape, size):
    torch = torch_or_skip()
    x = RNG.standard_normal(shape)
    compare_fn(lambda a: F.adaptive_avg_pool3d(a, size), lambda a: torch.nn.functional.adaptive_avg_pool3d(a, size), [x])
    compare_fn(lambda a: F.adaptive_max_pool3d(a, size), lambda a: torch.nn.functional.adaptive_max_pool3d(a, size), [x])
    _, mi = F.adaptive_max_pool3d_with_indices(mt_tensor(x), size)
    _, ti = torch.nn.functional.adaptive_max_pool3d_with_indices(th_tensor(torch, x), size)
    np.testing.assert_array_equal(mi.numpy(), ti.numpy())


def test_pool3d_gradcheck_and_node_names():
    x = RNG.standard_normal((1, 2, 4, 4, 3))
    assert gradcheck(lambda a: F.max_pool3d(a, 2, 1), x)
    assert gradcheck(lambda a: F.avg_pool3d(a, 2, 1, 1, count_include_pad=False), x)
    assert gradcheck(lambda a: F.adaptive_max_pool3d(a, (3, 2, 2)), x)
    assert gradcheck(lambda a: F.adaptive_avg_pool3d(a, (3, 2, 2)), x)
    t = mt_tensor(x)
    assert F.max_pool3d(t, 2).grad_fn.name() == "MaxPool3DWithIndicesBackward0"
    assert F.avg_pool3d(t, 2).grad_fn.name() == "AvgPool3DBackward0"
    assert F.adaptive_max_pool3d(t, 2).grad_fn.name() == "AdaptiveMaxPool3DBackward0"


def test_pool3d_modules_vs_torch():
    torch = torch_or_skip()
    x = RNG.standard_normal((2, 2, 4, 5, 6))
    pairs = [(nn.MaxPool3d(2), torch.nn.MaxPool3d(2)), (nn.AvgPool3d(3, 1, 1), torch.nn.AvgPool3d(3, 1, 1)),
             (nn.AdaptiveAvgPool3d((2, None, 3)), torch.nn.AdaptiveAvgPool3d((2, None, 3))),
             (nn.AdaptiveMaxPool3d(2), torch.nn.AdaptiveMaxPool3d(2))]
    for m, t in pairs:
        assert repr(m) == repr(t)
        compare_module(m, t, [x])
    y, i = nn.MaxPool3d(2, return_indices=True)(mt_tensor(x))
    ty, ti = torch.nn.MaxPool3d(2, return_indices=True)(th_tensor(torch, x))
    np.testing.assert_array_equal(i.numpy(), ti.numpy())


@pytest.mark.parametrize("call", [
    lambda F, t: F.max_pool3d(t.randn(3, 4, 4), 2), lambda F, t: F.max_pool3d(t.randn(2, 3, 4, 4, 4), 2, padding=2),
    lambda F, t: F.max_pool3d(t.randn(2, 3, 4, 4, 4), 5), lambda F, t: F.max_pool3d(t.randn(2, 3, 4, 4, 4), (2, 2)),
    lambda F, t: F.max_pool3d(t.randn(2, 3, 4, 4, 4), 0), lambda F, t: F.avg_pool3d(t.randn(3, 4, 4), 2),
    lambda F, t: F.avg_pool3d(t.randn(2, 3, 4, 4, 4), 5), lambda F, t: F.avg_pool3d(t.randn(2, 3, 4, 4, 4), (2, 2)),
    lambda F, t: F.avg_pool3d(t.randn(2, 3, 4, 4, 4), 2, padding=2),
    lambda F, t: F.max_pool3d(t.randn(2, 3, 4, 4, 4), 3, 1, 1, dilation=0),
    lambda F, t: F.adaptive_avg_pool3d(t.randn(3, 4, 4), 2), lambda F, t: F.adaptive_max_pool3d(t.randn(3, 4, 4), 2),
    lambda F, t: F.adaptive_avg_pool3d(t.randn(3, 4, 0, 4), 2),
    lambda F, t: F.adaptive_max_pool3d(t.randn(3, 4, 0, 4), 2),
    lambda F, t: F.adaptive_avg_pool3d(t.randn(2, 3, 4, 4, 4), (2, 2)),
    lambda F, t: F.adaptive_max_pool3d(t.randn(2, 3, 4, 4, 4), (2, 2)),
])
def test_pool3d_errors_vs_torch(call):
    torch = torch_or_skip()
    _errors_match(lambda: call(F, minitorch), lambda: call(torch.nn.functional, torch))


def test_with_indices_aliases():
    torch = torch_or_skip()
    x = RNG.standard_normal((2, 3, 6, 7))
    tf = torch.nn.functional
    for name, args in [("max_pool1d_with_indices", (3, 2, 1)), ("adaptive_max_pool1d_with_indices", (4,))]:
        m, t = getattr(F, name)(mt_tensor(x[0]), *args), getattr(tf, name)(th_tensor(torch, x[0]), *args)
        np.testing.assert_allclose(m[0].detach().numpy(), t[0].detach().numpy())
        np.testing.assert_array_equal(m[1].numpy(), t[1].numpy())
    for name, args in [("max_pool2d_with_indices", (3, 2, 1)), ("adaptive_max_pool2d_with_indices", ((3, 4),)),
                       ("max_pool3d_with_indices", (2,))]:
        xx = x if "3d" not in name else x[None]
        m, t = getattr(F, name)(mt_tensor(xx), *args), getattr(tf, name)(th_tensor(torch, xx), *args)
        np.testing.assert_allclose(m[0].detach().numpy(), t[0].detach().numpy())
        np.testing.assert_array_equal(m[1].numpy(), t[1].numpy())


# ---- max unpooling --------------------------------------------------------------------------------------
@pytest.mark.parametrize("nd,shape,args,sizes", [
    (1, (2, 3, 9), (3, 2, 0), [None, [9], (2, 3, 10)]), (1, (3, 8), (2,), [None]),
    (2, (2, 3, 6, 8), (3, 2, 1), [(6, 8), (2, 3, 6, 8)]), (2, (3, 4, 6), (2,), [None, (5, 7)]),
    (3, (1, 2, 4, 6, 4), (2,), [None, (5, 6, 4)])])
def test_max_unpool_vs_torch(nd, shape, args, sizes):
    torch = torch_or_skip()
    pool, unpool = f"max_pool{nd}d", f"max_unpool{nd}d"
    x = RNG.standard_normal(shape)
    y, i = getattr(F, pool)(mt_tensor(x, False), *args, return_indices=True)
    ty, ti = getattr(torch.nn.functional, pool)(th_tensor(torch, x, False), *args, return_indices=True)
    for size in sizes:
        compare_fn(lambda v: getattr(F, unpool)(v, i, *args, output_size=size),
                   lambda v: getattr(torch.nn.functional, unpool)(v, ti, *args, output_size=size), [y.numpy()])
    mod, tmod = getattr(nn, f"MaxUnpool{nd}d")(*args), getattr(torch.nn, f"MaxUnpool{nd}d")(*args)
    assert repr(mod) == repr(tmod)
    np.testing.assert_allclose(mod(y, i, sizes[-1]).numpy(), tmod(ty, ti, sizes[-1]).numpy())


def test_max_unpool_gradcheck_and_node_name():
    x = RNG.standard_normal((1, 2, 4, 4))
    _, i = F.max_pool2d(mt_tensor(x, False), 2, return_indices=True)
    assert gradcheck(lambda v: F.max_unpool2d(v, i, 2), RNG.standard_normal((1, 2, 2, 2)))
    assert F.max_unpool2d(mt_tensor(np.ones((1, 2, 2, 2))), i, 2).grad_fn.name() == "MaxUnpool2DBackward0"


@pytest.mark.parametrize("call", [
    lambda F, t, y, i: F.max_unpool2d(y, i * 10, 2), lambda F, t, y, i: F.max_unpool2d(y, i, 2, output_size=(9, 9)),
    lambda F, t, y, i: F.max_unpool2d(y, i.float(), 2), lambda F, t, y, i: F.max_unpool2d(y, i[..., :1], 2),
    lambda F, t, y, i: F.max_unpool2d(y[0, 0], i[0, 0], 2),
    lambda F, t, y, i: F.max_unpool2d(y[..., :1, :1], -i[..., :1, :1] - 1, 2),  # one bad index (torch may report any)
    lambda F, t, y, i: F.max_unpool2d(y, i, 2, output_size=(1, 4, 4)),
    lambda F, t, y, i: F.max_unpool2d(y, i, 2, output_size=[9, 4]),
])
def test_max_unpool_errors_vs_torch(call):
    torch = torch_or_skip()
    x = np.random.default_rng(7).standard_normal((1, 1, 4, 4))  # its own data: the messages name an index
    y, i = F.max_pool2d(mt_tensor(x, False), 2, return_indices=True)
    ty, ti = torch.nn.functional.max_pool2d(th_tensor(torch, x, False), 2, return_indices=True)
    _errors_match(lambda: call(F, minitorch, y, i), lambda: call(torch.nn.functional, torch, ty, ti))


# ---- LPPool and LocalResponseNorm -----------------------------------------------------------------------
@pytest.mark.parametrize("p", [1, 2, 3.5, float("inf")])
@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=1), dict(kernel_size=3, stride=2,
                                                                                          ceil_mode=True)])
def test_lp_pool_vs_torch(p, kw):
    torch = torch_or_skip()
    x = np.abs(RNG.standard_normal((2, 3, 7, 6))) + 0.1
    compare_fn(lambda a: F.lp_pool2d(a, p, **kw), lambda a: torch.nn.functional.lp_pool2d(a, p, **kw), [x])
    compare_fn(lambda a: F.lp_pool1d(a, p, **kw), lambda a: torch.nn.functional.lp_pool1d(a, p, **kw), [x[0]])
    compare_fn(lambda a: F.lp_pool3d(a, p, **kw), lambda a: torch.nn.functional.lp_pool3d(a, p, **kw), [x[None]])


def test_lp_pool_modules_and_signed_input():
    torch = torch_or_skip()
    x = RNG.standard_normal((2, 3, 8))  # negative window sums: sign * relu keeps them at zero, as PyTorch
    for m, t in [(nn.LPPool1d(2, 3), torch.nn.LPPool1d(2, 3)), (nn.LPPool1d(3, 2, 1), torch.nn.LPPool1d(3, 2, 1))]:
        assert repr(m) == repr(t)
        compare_module(m, t, [x])
    m, t = nn.LPPool2d(2.5, (2, 3), 1), torch.nn.LPPool2d(2.5, (2, 3), 1)
    assert repr(m) == repr(t)
    compare_module(m, t, [np.abs(x[None]) + 0.1])


@pytest.mark.parametrize("shape", [(2, 5, 4), (2, 6, 3, 4), (1, 4, 2, 3, 2), (0, 3, 4)])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_local_response_norm_vs_torch(shape, size):
    torch = torch_or_skip()
    x = RNG.standard_normal(shape)
    m, t = nn.LocalResponseNorm(size, 1e-2, 0.6, 2.0), torch.nn.LocalResponseNorm(size, 1e-2, 0.6, 2.0)
    assert repr(m) == repr(t)
    compare_module(m, t, [x])


def test_local_response_norm_error_and_gradcheck():
    torch = torch_or_skip()
    _errors_match(lambda: F.local_response_norm(minitorch.randn(3, 4), 2),
                  lambda: torch.nn.functional.local_response_norm(torch.randn(3, 4), 2))
    assert gradcheck(lambda a: F.local_response_norm(a, 3, alpha=0.1), RNG.standard_normal((2, 4, 3)))
    assert gradcheck(lambda a: F.lp_pool2d(a, 3, 2), np.abs(RNG.standard_normal((1, 2, 4, 4))) + 0.5)


# ---- InstanceNorm ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("nd,shape", [(1, (2, 3, 5)), (1, (3, 5)), (2, (2, 3, 4, 5)), (2, (3, 4, 5)),
                                      (3, (2, 3, 2, 3, 4))])
@pytest.mark.parametrize("affine,track", [(False, False), (True, False), (True, True), (False, True)])
def test_instance_norm_vs_torch(nd, shape, affine, track):
    torch = torch_or_skip()
    m = getattr(nn, f"InstanceNorm{nd}d")(3, affine=affine, track_running_stats=track, momentum=0.3,
                                          dtype=minitorch.float64)
    t = getattr(torch.nn, f"InstanceNorm{nd}d")(3, affine=affine, track_running_stats=track, momentum=0.3,
                                             dtype=torch.float64)
    assert repr(m) == repr(t)
    assert list(m.state_dict()) == list(t.state_dict())
    if affine:
        with torch.no_grad():
            t.weight.normal_()
            t.bias.normal_()
    x = RNG.standard_normal(shape) * 2 + 1
    compare_module(m, t, [x])
    for name, buf in t.named_buffers():
        np.testing.assert_allclose(dict(m.named_buffers())[name].numpy(), buf.numpy(), rtol=1e-6, err_msg=name)
    m.eval()
    t.eval()
    compare_module(m, t, [x])


def test_instance_norm_functional_and_errors():
    torch = torch_or_skip()
    x = RNG.standard_normal((2, 3, 6))
    rm, rv = RNG.standard_normal(3), np.abs(RNG.standard_normal(3)) + 0.5
    compare_fn(lambda a, w, b: F.instance_norm(a, mt_tensor(rm, False), mt_tensor(rv, False), w, b, False),
               lambda a, w, b: torch.nn.functional.instance_norm(a, th_tensor(torch, rm, False), th_tensor(
                   torch, rv, False), w, b, False), [x, RNG.standard_normal(3), RNG.standard_normal(3)])
    assert gradcheck(lambda a, w: F.instance_norm(a, weight=w), x, RNG.standard_normal(3))
    for call in [lambda F, t: F.instance_norm(t.randn(2, 3, 1)), lambda F, t: F.instance_norm(t.randn(3)),
                 lambda F, t: F.instance_norm(t.randn(2, 3, 4), use_input_stats=False)]:
        _errors_match(lambda: call(F, minitorch), lambda: call(torch.nn.functional, torch))
    for call in [lambda n, t: n.InstanceNorm1d(3)(t.randn(2, 3, 4, 5)),
                 lambda n, t: n.InstanceNorm2d(3, affine=True)(t.randn(2, 4, 4, 5))]:
        _errors_match(lambda: call(nn, minitorch), lambda: call(torch.nn, torch))
    with pytest.warns(UserWarning, match=r"input's size at dim=1 does not match num_features"):
        nn.InstanceNorm1d(3)(minitorch.randn(2, 4, 5))


# ---- EmbeddingBag ---------------------------------------------------------------------------------------
BAG_CASES = [
    dict(input=[1, 2, 4, 5, 4, 3, 2, 9], offsets=[0, 4]),
    dict(input=[1, 2, 4, 5, 4, 3, 2, 9], offsets=[0, 0, 3, 8]),  # empty bags
    dict(input=[1, 2, 4, 5, 4, 3, 2, 9], offsets=[0, 3, 5, 8], include_last_offset=True),
    dict(input=[2, 2, 2, 2, 4, 3, 2, 9], offsets=[0, 4], padding_idx=2),
    dict(input=[[1, 2, 3], [4, 4, 0]]),
    dict(input=[[1, 2, 3], [4, 4, 0]], padding_idx=-6),
]


@pytest.mark.parametrize("case", BAG_CASES)
@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_vs_torch(case, mode):
    torch = torch_or_skip()
    case = dict(case)
    idx, offsets = np.array(case.pop("input")), case.pop("offsets", None)
    w = RNG.standard_normal((10, 3))
    mo = None if offsets is None else minitorch.tensor(offsets)
    to = None if offsets is None else torch.tensor(offsets)
    compare_fn(lambda ww: F.embedding_bag(minitorch.tensor(idx), ww, mo, mode=mode, **case),
               lambda ww: torch.nn.functional.embedding_bag(torch.tensor(idx), ww, to, mode=mode, **case), [w])


def test_embedding_bag_per_sample_weights_and_module():
    torch = torch_or_skip()
    idx, offsets = np.array([1, 2, 4, 5, 4, 3]), np.array([0, 2])
    w, psw = RNG.standard_normal((10, 3)), RNG.standard_normal(6)
    compare_fn(lambda ww, p: F.embedding_bag(minitorch.tensor(idx), ww, minitorch.tensor(offsets), mode="sum",
                                             per_sample_weights=p, padding_idx=4),
               lambda ww, p: torch.nn.functional.embedding_bag(torch.tensor(idx), ww, torch.tensor(offsets),
                                                               mode="sum", per_sample_weights=p, padding_idx=4), [w, psw])
    # (PyTorch's CPU backward scales the row AFTER a repeated index by the wrong count: repeat only the largest)
    freq, foff = minitorch.tensor([7, 7, 1, 2, 7, 3]), minitorch.tensor([0, 3])
    compare_fn(lambda ww: F.embedding_bag(freq, ww, foff, scale_grad_by_freq=True),
               lambda ww: torch.nn.functional.embedding_bag(torch.tensor(freq.numpy()), ww, torch.tensor(foff.numpy()),
                                                            scale_grad_by_freq=True), [w])
    for kw in [dict(), dict(mode="sum", padding_idx=1, max_norm=1.0), dict(mode="max", norm_type=1.0),
               dict(scale_grad_by_freq=True, include_last_offset=True)]:
        m, t = nn.EmbeddingBag(10, 3, **kw), torch.nn.EmbeddingBag(10, 3, **kw)
        assert repr(m) == repr(t)
        assert list(m.state_dict()) == list(t.state_dict())
    m, t = nn.EmbeddingBag(10, 3, mode="max"), torch.nn.EmbeddingBag(10, 3, mode="max")
    compare_module(m, t, [idx.reshape(2, 3)])
    pre = minitorch.tensor(w)
    frozen = nn.EmbeddingBag.from_pretrained(pre, mode="sum")
    assert not frozen.weight.requires_grad and frozen.mode == "sum"
    np.testing.assert_allclose(frozen(minitorch.tensor([[1, 2]])).numpy(), (w[1] + w[2])[None])
    assert nn.EmbeddingBag.from_pretrained(pre, freeze=False).weight.requires_grad


def test_embedding_bag_max_norm_renormalises_like_torch():
    torch = torch_or_skip()
    w = RNG.standard_normal((10, 3)) * 3
    mw, tw = minitorch.tensor(w), torch.tensor(w)
    out_m = F.embedding_bag(minitorch.tensor([1, 2, 3]), mw, minitorch.tensor([0, 1]), max_norm=1.0)
    out_t = torch.nn.functional.embedding_bag(torch.tensor([1, 2, 3]), tw, torch.tensor([0, 1]), max_norm=1.0)
    np.testing.assert_allclose(out_m.numpy(), out_t.numpy(), rtol=1e-6)
    np.testing.assert_allclose(mw.numpy(), tw.numpy(), rtol=1e-6)


@pytest.mark.parametrize("call", [
    lambda F, t, w: F.embedding_bag(t.tensor([1, 2, 3]), w, t.tensor([0, 5])),
    lambda F, t, w: F.embedding_bag(t.tensor([1, 2, 3]), w, t.tensor([0, 2]), mode="foo"),
    lambda F, t, w: F.embedding_bag(t.tensor([1., 2, 3]), w, t.tensor([0, 2])),
    lambda F, t, w: F.embedding_bag(t.tensor([1, 2, 3]), w, t.tensor([0, 2]), mode="sum",
                                    per_sample_weights=t.ones(3, dtype=t.float32)),
    lambda F, t, w: F.embedding_bag(t.tensor([1, 2, 3]), w, t.tensor([0, 2]), per_sample_weights=t.ones(3)),
    lambda F, t, w: F.embedding_bag(t.tensor([1, 2, 3]), w, t.tensor([0, 2]), per_sample_weights=t.ones(2)),
    lambda F, t, w: F.embedding_bag(t.tensor([1, 2, -1]), w, t.tensor([0, 1])),
    lambda F, t, w: F.embedding_bag(t.tensor([1, 2, 3]), w, t.tensor([0, 1]), padding_idx=10),
    lambda F, t, w: F.embedding_bag(t.tensor([1, 2, 3]), w, None),
    lambda F, t, w: F.embedding_bag(t.tensor([1, 2, 3]), w, t.tensor([[0, 1]])),
    lambda F, t, w: F.embedding_bag(t.tensor([[[1]]]), w),
    lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w[0], t.tensor([0])),
    lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w, t.tensor([0]), mode="max", scale_grad_by_freq=True),
])
def test_embedding_bag_errors_vs_torch(call):
    torch = torch_or_skip()
    w = RNG.standard_normal((10, 3))
    _errors_match(lambda: call(F, minitorch, mt_tensor(w)), lambda: call(torch.nn.functional, torch, th_tensor(torch, w)))


# ---- gumbel_softmax -------------------------------------------------------------------------------------
def test_gumbel_softmax_samples_follow_softmax():
    minitorch.manual_seed(0)
    logits = minitorch.tensor([[1.0, 0.0, -1.0, 2.0]]).expand(4000, 4)
    soft = F.gumbel_softmax(logits, tau=0.5)
    np.testing.assert_allclose(soft.sum(-1).numpy(), 1.0, rtol=1e-6)
    hard = F.gumbel_softmax(logits, hard=True)
    h = hard.numpy()
    assert set(np.unique(h)) == {0.0, 1.0} and (h.sum(-1) == 1).all()
    p = np.exp([1.0, 0.0, -1.0, 2.0])
    np.testing.assert_allclose(h.mean(0), p / p.sum(), atol=0.03)  # argmax of logits + Gumbel ~ softmax(logits)
    cols = F.gumbel_softmax(logits.t().contiguous(), hard=True, dim=0).numpy()
    np.testing.assert_allclose(cols.mean(1), p / p.sum(), atol=0.03)


def test_gumbel_softmax_straight_through_gradient():
    logits = minitorch.tensor(RNG.standard_normal((5, 4)), requires_grad=True)
    up = minitorch.tensor(upstream((5, 4)))
    minitorch.manual_seed(3)
    hard = F.gumbel_softmax(logits, tau=0.7, hard=True)
    (hard * up).sum().backward()
    g_hard = logits.grad.numpy().copy()
    logits.grad = None
    minitorch.manual_seed(3)
    soft = F.gumbel_softmax(logits, tau=0.7)
    (soft * up).sum().backward()
    np.testing.assert_allclose(g_hard, logits.grad.numpy(), rtol=1e-12)  # the gradient of the soft sample
    np.testing.assert_array_equal(hard.detach().numpy().argmax(-1), soft.detach().numpy().argmax(-1))
    with pytest.warns(UserWarning, match="`eps` parameter is deprecated"):
        F.gumbel_softmax(logits, eps=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.gumbel_softmax(logits)


# ---- margin losses --------------------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p,margin,weighted", [(1, 1.0, False), (2, 0.5, False), (1, 2.0, True), (2, 1.0, True)])
def test_multi_margin_loss_vs_torch(reduction, p, margin, weighted):
    torch = torch_or_skip()
    x, y = RNG.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    x[0, 1] = x[0, 0] - margin  # exactly at the kink: PyTorch's gradient there is 0
    w = np.abs(RNG.standard_normal(4)) if weighted else None
    mw = None if w is None else mt_tensor(w, False)
    tw = None if w is None else th_tensor(torch, w, False)
    compare_fn(lambda a, t: F.multi_margin_loss(a, t, p, margin, mw, reduction=reduction),
               lambda a, t: torch.nn.functional.multi_margin_loss(a, t, p, margin, tw, reduction=reduction), [x, y])
    compare_fn(lambda a, t: F.multi_margin_loss(a, t, p, margin, mw, reduction=reduction),
               lambda a, t: torch.nn.functional.multi_margin_loss(a, t, p, margin, tw, reduction=reduction),
               [x[1], np.array(2)])
    m = nn.MultiMarginLoss(p, margin, mw, reduction=reduction)
    t = torch.nn.MultiMarginLoss(p, margin, tw, reduction=reduction)
    assert repr(m) == repr(t) and list(m.state_dict()) == list(t.state_dict())
    compare_module(m, t, [x, y])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multilabel_margin_loss_vs_torch(reduction):
    torch = torch_or_skip()
    x = RNG.standard_normal((4, 5))
    y = np.array([[3, 0, -1, 1, 1], [0, 1, 2, 3, 4], [-1, 2, 2, 2, 2], [4, 4, 1, -1, -1]])
    x[0, 2] = x[0, 3] - 1  # at the kink
    compare_fn(lambda a, t: F.multilabel_margin_loss(a, t, reduction=reduction),
               lambda a, t: torch.nn.functional.multilabel_margin_loss(a, t, reduction=reduction), [x, y])
    compare_fn(lambda a, t: F.multilabel_margin_loss(a, t, reduction=reduction),
               lambda a, t: torch.nn.functional.multilabel_margin_loss(a, t, reduction=reduction), [x[3], y[3]])
    m, t = nn.MultiLabelMarginLoss(reduction=reduction), torch.nn.MultiLabelMarginLoss(reduction=reduction)
    assert repr(m) == repr(t)
    compare_module(m, t, [x, y])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("swap", [False, True])
def test_triplet_margin_with_distance_loss_vs_torch(reduction, swap):
    torch = torch_or_skip()
    a, p, n = (RNG.standard_normal((6, 4)) for _ in range(3))
    compare_fn(lambda *v: F.triplet_margin_with_distance_loss(*v, swap=swap, reduction=reduction, margin=0.7),
               lambda *v: torch.nn.functional.triplet_margin_with_distance_loss(*v, swap=swap, reduction=reduction,
                                                                                margin=0.7), [a, p, n])
    compare_fn(lambda *v: F.triplet_margin_with_distance_loss(
        *v, distance_function=lambda x, y: 1.0 - F.cosine_similarity(x, y), swap=swap, reduction=reduction),
        lambda *v: torch.nn.functional.triplet_margin_with_distance_loss(
            *v, distance_function=lambda x, y: 1.0 - torch.nn.functional.cosine_similarity(x, y), swap=swap,
            reduction=reduction), [a, p, n])
    m = nn.TripletMarginWithDistanceLoss(swap=swap, reduction=reduction)
    t = torch.nn.TripletMarginWithDistanceLoss(swap=swap, reduction=reduction)
    assert repr(m) == repr(t)
    compare_module(m, t, [a, p, n])


def test_margin_losses_gradcheck():
    x, y = RNG.standard_normal((3, 4)), np.array([0, 3, 1])
    assert gradcheck(lambda a: F.multi_margin_loss(a, minitorch.tensor(y), p=2), x)
    assert gradcheck(lambda a: F.multilabel_margin_loss(a, minitorch.tensor([[1, 2, -1, 0]] * 3)), x)
    n = RNG.standard_normal((3, 4))
    assert gradcheck(lambda a, b, c: F.triplet_margin_with_distance_loss(a, b, c, swap=True), x, x[::-1].copy(), n)


@pytest.mark.parametrize("call", [
    lambda F, t: F.multi_margin_loss(t.randn(3, 4), t.tensor([0, 1, 4])),
    lambda F, t: F.multi_margin_loss(t.randn(3, 4), t.tensor([0, 1, 2]), p=3),
    lambda F, t: F.multi_margin_loss(t.randn(3, 4), t.tensor([0, 1])),
    lambda F, t: F.multi_margin_loss(t.randn(3, 4), t.tensor([0., 1, 2])),
    lambda F, t: F.multi_margin_loss(t.randn(3, 4), t.tensor([0, 1, 2]), weight=t.ones(3)),
    lambda F, t: F.multi_margin_loss(t.randn(3, 4), t.tensor([0, 1, 2]), weight=t.ones(1, 4)),
    lambda F, t: F.multi_margin_loss(t.randn(3, 0), t.tensor([0, 1, 2])),
    lambda F, t: F.multi_margin_loss(t.randn(2, 3, 4), t.tensor([0, 1])),
    lambda F, t: F.multi_margin_loss(t.randn(3, 4), t.tensor([0, 1, 2]), reduction="avg"),
    lambda F, t: F.multilabel_margin_loss(t.randn(3, 4), t.tensor([[0, 1, -1, -2]] * 3)),
    lambda F, t: F.multilabel_margin_loss(t.randn(3, 4), t.tensor([[0, 1, -1, 7]] * 3)),
    lambda F, t: F.multilabel_margin_loss(t.randn(3, 4), t.tensor([[0, 1]] * 3)),
    lambda F, t: F.multilabel_margin_loss(t.randn(3, 4), t.tensor([[0., 1, -1, 2]] * 3)),
    lambda F, t: F.multilabel_margin_loss(t.randn(2, 3, 4), t.tensor([3, -1, 0, 0])),
    lambda F, t: F.triplet_margin_with_distance_loss(t.randn(3, 4), t.randn(3, 4), t.randn(4), margin=1.0),
    lambda F, t: F.triplet_margin_with_distance_loss(t.randn(3, 4), t.randn(3, 4), t.randn(3, 4), margin=0.0),
    lambda F, t: F.triplet_margin_with_distance_loss(t.randn(3, 4), t.randn(3, 4), t.randn(3, 4), reduction="x"),
])
def test_margin_loss_errors_vs_torch(call):
    torch = torch_or_skip()
    _errors_match(lambda: call(F, minitorch), lambda: call(torch.nn.functional, torch))


def test_margin_loss_module_errors_vs_torch():
    torch = torch_or_skip()
    for call in [lambda n, t: n.MultiMarginLoss(p=3), lambda n, t: n.MultiMarginLoss(weight=t.ones(2, 2)),
                 lambda n, t: n.TripletMarginWithDistanceLoss(margin=-1.0)]:
        _errors_match(lambda: call(nn, minitorch), lambda: call(torch.nn, torch))


# ---- the same layers on the CuPy code path (the "fakecuda" stand-in; "cuda" with a GPU) --------------------
def _unpool_case():
    x = RNG.standard_normal((1, 2, 4, 6))
    _, i = F.max_pool2d(mt_tensor(x, False), 2, return_indices=True)
    return (lambda v, idx: F.max_unpool2d(v, idx, 2)), [RNG.standard_normal((1, 2, 2, 3)), i.numpy()]


DEVICE_CASES = {
    "max_pool3d": lambda: (nn.MaxPool3d(2, 1, 1), [RNG.standard_normal((1, 2, 3, 4, 4))]),
    "avg_pool3d": lambda: (nn.AvgPool3d(2, ceil_mode=True), [RNG.standard_normal((1, 2, 3, 4, 5))]),
    "adaptive_pools3d": lambda: (lambda v: nn.AdaptiveMaxPool3d((2, 3, 2))(v) + nn.AdaptiveAvgPool3d(2)(v).mean(),
                                 [RNG.standard_normal((2, 3, 5, 4))]),
    "max_unpool2d": _unpool_case,
    "lp_pool2d": lambda: (nn.LPPool2d(2, 2), [RNG.standard_normal((1, 2, 4, 4))]),
    "local_response_norm": lambda: (nn.LocalResponseNorm(3), [RNG.standard_normal((2, 5, 3, 2))]),
    "instance_norm": lambda: (nn.InstanceNorm2d(3, affine=True, track_running_stats=True).double(),
                              [RNG.standard_normal((2, 3, 4, 4))]),
    "embedding_bag": lambda: (nn.EmbeddingBag(6, 3, mode="max", padding_idx=0).double(),
                              [np.array([1, 0, 4, 5, 2]), np.array([0, 2, 2])]),
    "embedding_bag_mean": lambda: (nn.EmbeddingBag(6, 3).double(), [np.array([[1, 0, 4], [5, 2, 2]])]),
    "multi_margin": lambda: (lambda v, t: F.multi_margin_loss(v, t, p=2), [RNG.standard_normal((3, 4)),
                                                                            np.array([0, 3, 1])]),
    "multilabel_margin": lambda: (F.multilabel_margin_loss, [RNG.standard_normal((2, 4)),
                                                             np.array([[3, 0, -1, 1], [1, 2, 0, 3]])]),
    "triplet_distance": lambda: (nn.TripletMarginWithDistanceLoss(swap=True),
                                 [RNG.standard_normal((3, 4)) for _ in range(3)]),
}


@pytest.mark.parametrize("name", list(DEVICE_CASES))
def test_layers_match_cpu_on_device(name, gpu_device):
    layer, arrays = DEVICE_CASES[name]()
    results = {}
    for device in ("cpu", gpu_device):
        if isinstance(layer, nn.Module):
            layer.zero_grad(set_to_none=True)
            layer.to(device)
        xs = [minitorch.tensor(a, device=device, requires_grad=a.dtype.kind == "f") for a in arrays]
        out = layer(*xs)
        assert isinstance(out._data, minitorch.device(device).xp.ndarray)
        out.backward(minitorch.tensor(upstream(tuple(out.shape)), device=device))
        grads = [x.grad for x in xs if x.requires_grad]
        if isinstance(layer, nn.Module):
            grads += [p.grad for p in layer.parameters()]
        assert all(isinstance(g._data, minitorch.device(device).xp.ndarray) for g in grads)
        results[device] = [out.detach().cpu().numpy()] + [g.cpu().numpy() for g in grads]
        del out  # (a live graph would keep the parameters' CPU AccumulateGrad nodes: see the report)
        if isinstance(layer, nn.Module):
            layer.to("cpu")
    for got, want in zip(results[gpu_device], results["cpu"]):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["max_pool3d", "avg_pool3d", "adaptive_max_pool3d", "max_unpool2d", "lp_pool2d",
                                  "local_response_norm", "instance_norm", "embedding_bag", "multilabel_margin"])
def test_second_order_gradients(name):
    x4 = RNG.standard_normal((1, 2, 3, 4, 4))
    _, i = F.max_pool2d(mt_tensor(x4[0], False), 2, return_indices=True)
    idx = minitorch.tensor([1, 2, 1, 0])
    fns = {
        "max_pool3d": (lambda a: F.max_pool3d(a, 2, 1) ** 2, x4),
        "avg_pool3d": (lambda a: F.avg_pool3d(a, 2, 1, 1) ** 2, x4),
        "adaptive_max_pool3d": (lambda a: F.adaptive_max_pool3d(a, 2) ** 2, x4),
        "max_unpool2d": (lambda a: F.max_unpool2d(a, i, 2) ** 2, RNG.standard_normal((2, 3, 2, 2))),
        "lp_pool2d": (lambda a: F.lp_pool2d(a, 3, 2), np.abs(x4[0]) + 0.5),
        "local_response_norm": (lambda a: F.local_response_norm(a, 3, alpha=0.5), x4[0]),
        "instance_norm": (lambda a: F.instance_norm(a), x4[0]),
        "embedding_bag": (lambda w: F.embedding_bag(idx, w, minitorch.tensor([0, 1]), mode="max") ** 2,
                          RNG.standard_normal((3, 2))),
        "multilabel_margin": (lambda a: F.multilabel_margin_loss(a, minitorch.tensor([[1, -1, 0]])) ** 2,
                              RNG.standard_normal((1, 3))),
    }
    fn, x = fns[name]
    assert minitorch.autograd.gradgradcheck(fn, (mt_tensor(np.asarray(x, dtype=np.float64)),), atol=1e-5, rtol=1e-3)


def _outcome(call):
    try:
        r = call()
    except Exception as ex:  # noqa: BLE001  (the error itself is what is compared)
        return type(ex).__name__, str(ex).replace("torch.", "minitorch.")
    return "ok", tuple(r.shape), str(r.dtype).split(".")[-1]


@pytest.mark.parametrize("call", [
    lambda F, t: F.max_pool3d(t.ones(1, 1, 2, 2, 2, dtype=t.int64), 2),
    lambda F, t: F.avg_pool3d(t.ones(1, 1, 2, 2, 2, dtype=t.int64), 2),
    lambda F, t: F.adaptive_avg_pool3d(t.ones(1, 1, 2, 2, 2, dtype=t.int64), 2),
    lambda F, t: F.max_pool3d(t.ones(1, 1, 2, 2, 2, dtype=t.bool), 2),
    lambda F, t: F.max_pool3d(t.ones(0, 1, 2, 2, 2), 2), lambda F, t: F.adaptive_max_pool3d(t.ones(0, 1, 2, 2, 2), 2),
    lambda F, t: F.adaptive_avg_pool3d(t.ones(1, 1, 2, 2, 2), -1),
    lambda F, t: F.adaptive_max_pool3d(t.ones(1, 1, 2, 2, 2), -1),
    lambda F, t: F.max_pool3d(t.ones(1, 1, 2, 2, 2), 2, stride=0),
    lambda F, t: F.avg_pool3d(t.ones(1, 1, 2, 2, 2), 2, divisor_override=0),
    lambda F, t: F.instance_norm(t.ones(2, 3, 4), t.zeros(4), t.ones(4)),
    lambda F, t: F.embedding_bag(t.tensor([], dtype=t.int64), t.ones(3, 2), t.tensor([0, 0])),
    lambda F, t: F.embedding_bag(t.tensor([1, 2]), t.ones(3, 2), t.tensor([], dtype=t.int64)),
    lambda F, t: F.embedding_bag(t.tensor([[1, 2]]).int(), t.ones(3, 2)),
    lambda F, t: F.embedding_bag(t.zeros(0, 3, dtype=t.int64), t.ones(3, 2)),
    lambda F, t: F.embedding_bag(t.zeros(2, 0, dtype=t.int64), t.ones(3, 2)),
    lambda F, t: F.multi_margin_loss(t.ones(0, 3), t.zeros(0, dtype=t.int64), reduction="none"),
    lambda F, t: F.multilabel_margin_loss(t.ones(0, 3), t.zeros(0, 3, dtype=t.int64), reduction="sum"),
    lambda F, t: F.multi_margin_loss(t.ones(3), t.tensor([1]), reduction="none"),
    lambda F, t: F.multi_margin_loss(t.ones(()), t.tensor(0), reduction="none"),
    lambda F, t: F.multilabel_margin_loss(t.ones(()), t.tensor(0), reduction="none"),
    lambda F, t: F.multilabel_margin_loss(t.ones(3), t.tensor([[0, 1, 2]]), reduction="none"),
    lambda F, t: F.multi_margin_loss(t.ones(2, 3), t.tensor([0, 1]), weight=t.ones(3, dtype=t.float64)),
    lambda F, t: F.gumbel_softmax(t.ones(2, 3), hard=True, dim=0),
    lambda F, t: F.max_unpool2d(t.ones(1, 1, 2, 2), t.zeros(1, 1, 2, 2, dtype=t.int64), 2, output_size=(3, 3)),
    lambda F, t: F.max_unpool1d(t.ones(2, 2), t.zeros(2, 2, dtype=t.int64), 2),
    lambda F, t: F.max_unpool3d(t.ones(2, 2, 2), t.zeros(2, 2, 2, dtype=t.int64), 2),
    lambda F, t: F.max_unpool2d(t.ones(0, 1, 2, 2), t.zeros(0, 1, 2, 2, dtype=t.int64), 2),
    lambda F, t: F.max_unpool2d(t.ones(1, 0, 2, 2), t.zeros(1, 0, 2, 2, dtype=t.int64), 2),
])
def test_edge_cases_vs_torch(call):
    torch = torch_or_skip()
    assert _outcome(lambda: call(F, minitorch)) == _outcome(lambda: call(torch.nn.functional, torch))
