"""Resampling vs PyTorch: F.interpolate (every mode, values, grads, second order, errors), the upsample aliases
and layers, pixel/channel shuffles, the padding layers, Fold/Unfold/CosineSimilarity/PairwiseDistance layers
and the in-place functional activations (elu_, selu_, celu_, rrelu_, threshold_)."""

import warnings

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn import functional as F

from ._util import compare_fn, torch_or_skip

torch = torch_or_skip()
TF = torch.nn.functional

MODES = [("nearest", 3), ("nearest", 4), ("nearest", 5), ("nearest-exact", 3), ("nearest-exact", 4),
         ("nearest-exact", 5), ("linear", 3), ("bilinear", 4), ("bicubic", 4), ("trilinear", 5), ("area", 3),
         ("area", 4), ("area", 5)]
SPECS = [dict(size=1), dict(size=5), dict(scale_factor=2), dict(scale_factor=0.5), dict(scale_factor=1.7),
         dict(scale_factor=0.37), dict(scale_factor=1.2), dict(scale_factor=2.6, recompute_scale_factor=True)]


def _shape(nd, n=4):
    return (2, 3, n, max(n - 1, 1), 3) if nd == 5 else (2, 3) + (n,) * (nd - 2)


def _aligns(mode):
    return [None] if mode in ("nearest", "nearest-exact", "area") else [False, True]


def _run(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001  (the test compares the exception with PyTorch's)
        return e


def _same_error(e, g):
    assert type(e) is type(g) and str(e) == str(g), (e, g)


# ---- interpolate: values --------------------------------------------------------------------------------
@pytest.mark.parametrize("mode,nd", MODES, ids=[f"{m}-{n}d" for m, n in MODES])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_interpolate_values_match_torch(mode, nd, dtype):
    rng = np.random.default_rng(0)
    for n in (1, 3, 4):
        for spec in SPECS:
            for ac in _aligns(mode):
                a = rng.standard_normal(_shape(nd, n)).astype(dtype)
                e = _run(TF.interpolate, torch.tensor(a), mode=mode, align_corners=ac, **spec)
                g = _run(F.interpolate, minitorch.tensor(a), mode=mode, align_corners=ac, **spec)
                if isinstance(e, Exception) or isinstance(g, Exception):
                    _same_error(e, g)
                    continue
                assert tuple(g.shape) == tuple(e.shape) and g.dtype.name == str(e.dtype)[6:]
                tol = 1e-12 if dtype == np.float64 else (5e-6 if mode == "bicubic" else 1e-6)
                np.testing.assert_allclose(g.numpy(), e.numpy(), atol=tol, rtol=tol)


@pytest.mark.parametrize("mode,nd", [m for m in MODES if m[0] != "area"], ids=lambda v: str(v))
def test_interpolate_random_scale_factors(mode, nd):
    """Per-dim float scales (recompute_scale_factor=None): PyTorch's index formulas use 1 / scale."""
    rng = np.random.default_rng(1)
    for _ in range(25):
        sf = [float(rng.uniform(0.3, 3.5)) for _ in range(nd - 2)]
        a = rng.standard_normal((1, 2) + tuple(int(s) for s in rng.integers(1, 8, nd - 2)))
        ac = None if "nearest" in mode else bool(rng.integers(2))
        e = _run(TF.interpolate, torch.tensor(a), scale_factor=sf, mode=mode, align_corners=ac)
        g = _run(F.interpolate, minitorch.tensor(a), scale_factor=sf, mode=mode, align_corners=ac)
        if isinstance(e, Exception) or isinstance(g, Exception):
            _same_error(e, g)
            continue
        np.testing.assert_allclose(g.numpy(), e.numpy(), atol=1e-12)


# ---- interpolate: gradients ---------------------------------------------------------------------------------
@pytest.mark.parametrize("mode,nd", MODES, ids=[f"{m}-{n}d" for m, n in MODES])
def test_interpolate_grads_and_second_order(mode, nd):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((2, 2) + (3, 4, 5)[:nd - 2])
    for spec in (dict(size=(7, 2, 4)[:nd - 2]), dict(scale_factor=1.7)):
        for ac in _aligns(mode):
            xt = torch.tensor(a, requires_grad=True)
            yt = TF.interpolate(xt, mode=mode, align_corners=ac, **spec)
            gy = rng.standard_normal(tuple(yt.shape))
            (gt,) = torch.autograd.grad(yt, xt, torch.tensor(gy))
            xm = minitorch.tensor(a, requires_grad=True)
            ym = F.interpolate(xm, mode=mode, align_corners=ac, **spec)
            if not (mode == "area" and nd == 3):  # area on 3-D goes through adaptive_avg_pool1d
                assert type(ym.grad_fn).__name__ == type(yt.grad_fn).__name__
            gym = minitorch.tensor(gy, requires_grad=True)
            (gm,) = minitorch.autograd.grad(ym, xm, gym, create_graph=True)
            np.testing.assert_allclose(gm.detach().numpy(), gt.numpy(), atol=1e-12)
            # the gradient is linear in the upstream gradient: d<gx, v>/dgy = interpolate(v)
            v = rng.standard_normal(a.shape)
            (dm,) = minitorch.autograd.grad((gm * minitorch.tensor(v)).sum(), gym)
            expect = TF.interpolate(torch.tensor(v), mode=mode, align_corners=ac, **spec)
            np.testing.assert_allclose(dm.numpy(), expect.numpy(), atol=1e-12)


@pytest.mark.parametrize("mode", ["nearest", "bilinear", "bicubic", "nearest-exact", "area"])
def test_interpolate_gradcheck(mode):
    x = minitorch.tensor(np.random.default_rng(3).standard_normal((1, 2, 3, 4)), requires_grad=True)
    ac = None if mode in ("nearest", "nearest-exact", "area") else False
    fn = lambda t: F.interpolate(t, size=(5, 3), mode=mode, align_corners=ac)  # noqa: E731
    assert minitorch.autograd.gradcheck(fn, (x,))
    assert minitorch.autograd.gradgradcheck(fn, (x,))


def test_interpolate_double_backward_node_names():
    for mode, name in (("nearest", "UpsampleNearest2DBackwardBackward0"),
                       ("bilinear", "UpsampleBilinear2DBackwardBackward0"),
                       ("area", "AdaptiveAvgPool2DBackwardBackward0")):
        x = minitorch.randn(1, 1, 3, 3, requires_grad=True)
        y = F.interpolate(x, size=(4, 5), mode=mode)
        (g,) = minitorch.autograd.grad(y, x, minitorch.ones(1, 1, 4, 5, requires_grad=True), create_graph=True)
        assert type(g.grad_fn).__name__ == name


def test_interpolate_nan_stays_local():
    a = np.arange(16.0).reshape(1, 1, 4, 4)
    a[0, 0, 1, 2] = np.nan
    for mode in ("nearest", "bilinear", "bicubic"):
        e = TF.interpolate(torch.tensor(a), size=(6, 7), mode=mode)
        g = F.interpolate(minitorch.tensor(a), size=(6, 7), mode=mode)
        np.testing.assert_allclose(g.numpy(), e.numpy(), atol=1e-12)


def test_interpolate_uint8_nearest_and_empty_batch():
    a = np.random.default_rng(4).integers(0, 255, (1, 2, 3, 3)).astype(np.uint8)
    g = F.interpolate(minitorch.tensor(a), size=(5, 4))
    assert g.dtype.name == "uint8"
    np.testing.assert_array_equal(g.numpy(), TF.interpolate(torch.tensor(a), size=(5, 4)).numpy())
    assert tuple(F.interpolate(minitorch.zeros(0, 2, 3, 3), size=5).shape) == (0, 2, 5, 5)


# ---- interpolate: errors ----------------------------------------------------------------------------------
ERROR_CASES = [
    ((1, 2, 3, 4), dict(size=3, mode="nearest", align_corners=True)),
    ((1, 2, 3, 4), dict(size=3, mode="area", align_corners=False)),
    ((1, 2, 3, 4), dict(size=3, scale_factor=2)),
    ((1, 2, 3, 4), dict()),
    ((1, 2, 3, 4), dict(size=(2, 3, 4))),
    ((1, 2, 3, 4), dict(scale_factor=(2.0,))),
    ((1, 2, 3, 4), dict(size=(2.0, 3))),
    ((1, 2, 3, 4), dict(size=(3, 3), recompute_scale_factor=True)),
    ((1, 2, 3, 4), dict(size=(0, 2))),
    ((1, 2, 3, 4), dict(scale_factor=0.1, mode="bilinear")),
    ((1, 2, 3), dict(size=0, mode="linear")),
    ((1, 1, 2, 3, 4), dict(size=(1, 0, 1), mode="trilinear")),
    ((1, 2, 3, 4), dict(scale_factor=-1.0)),
    ((2, 3), dict(size=3)),
    ((1, 2, 3), dict(size=3, mode="bilinear")),
    ((1, 2, 3), dict(size=3, mode="trilinear")),
    ((1, 2, 3, 4), dict(size=3, mode="linear")),
    ((1, 2, 3, 4), dict(size=3, mode="trilinear")),
    ((1, 1, 2, 3, 4), dict(size=3, mode="linear")),
    ((1, 1, 2, 3, 4), dict(size=3, mode="bilinear")),
    ((1, 1, 2, 3, 4), dict(size=3, mode="bicubic")),
    ((1, 2, 3, 4), dict(size=3, mode="cubic")),
    ((1, 2, 3), dict(size=3, mode="bilinear", antialias=True)),
    ((2, 0, 3, 3), dict(size=3, mode="bilinear")),
    ((2, 2, 0, 3), dict(size=3, mode="bilinear")),
    ((2, 2, 0, 3), dict(size=3, mode="area")),
    ((2, 0, 3, 3, 2), dict(size=3, mode="area")),
]


@pytest.mark.parametrize("shape,kwargs", ERROR_CASES)
def test_interpolate_errors_match_torch(shape, kwargs):
    e = _run(TF.interpolate, torch.zeros(shape), **kwargs)
    g = _run(F.interpolate, minitorch.zeros(*shape), **kwargs)
    assert isinstance(e, Exception)
    _same_error(e, g)


@pytest.mark.parametrize("mode,nd", MODES, ids=[f"{m}-{n}d" for m, n in MODES])
@pytest.mark.parametrize("dtype", ["int64", "int32", "bool", "uint8"])
def test_interpolate_integer_dtype_errors(mode, nd, dtype):
    if dtype == "uint8" and mode in ("bilinear", "bicubic"):
        pytest.skip("PyTorch's fixed-point uint8 bilinear/bicubic is not implemented")
    shape = (1, 1) + (3,) * (nd - 2)
    e = _run(TF.interpolate, torch.zeros(shape, dtype=getattr(torch, dtype)), size=2, mode=mode)
    g = _run(F.interpolate, minitorch.zeros(*shape, dtype=getattr(minitorch, dtype)), size=2, mode=mode)
    if isinstance(e, Exception):
        _same_error(e, g)
    else:
        np.testing.assert_array_equal(g.numpy(), e.numpy())


# ---- deprecated aliases and the Upsample layers ------------------------------------------------------------
@pytest.mark.parametrize("name,kwargs", [("upsample", dict(scale_factor=2, mode="bilinear")),
                                         ("upsample_nearest", dict(size=5)),
                                         ("upsample_bilinear", dict(scale_factor=2))])
def test_upsample_aliases_warn_and_match(name, kwargs):
    a = np.random.default_rng(5).standard_normal((1, 2, 3, 3))
    with warnings.catch_warnings(record=True) as wt:
        warnings.simplefilter("always")
        e = getattr(TF, name)(torch.tensor(a), **kwargs)
    with warnings.catch_warnings(record=True) as wm:
        warnings.simplefilter("always")
        g = getattr(F, name)(minitorch.tensor(a), **kwargs)
    assert [str(w.message) for w in wm] == [str(w.message) for w in wt]
    assert [w.category for w in wm] == [w.category for w in wt]
    np.testing.assert_allclose(g.numpy(), e.numpy(), atol=1e-12)


UPSAMPLE_LAYERS = [
    ("Upsample", dict(scale_factor=2)), ("Upsample", dict(size=(5, 4), mode="bilinear")),
    ("Upsample", dict(scale_factor=(1.5, 2), mode="bicubic", align_corners=True)),
    ("Upsample", dict(size=5, mode="nearest-exact")), ("Upsample", dict(scale_factor=0.5, mode="area")),
    ("UpsamplingNearest2d", dict(scale_factor=3)), ("UpsamplingBilinear2d", dict(size=(4, 6))),
]


@pytest.mark.parametrize("name,kwargs", UPSAMPLE_LAYERS)
def test_upsample_layers(name, kwargs):
    mt, th = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
    assert repr(mt) == repr(th)
    a = np.random.default_rng(6).standard_normal((2, 2, 4, 4))
    compare_fn(mt, th, [a], atol=1e-10)


# ---- pixel and channel shuffles --------------------------------------------------------------------------
@pytest.mark.parametrize("fn,args,shape", [("pixel_shuffle", (2,), (2, 8, 3, 2)), ("pixel_shuffle", (3,), (18, 1, 2)),
                                           ("pixel_shuffle", (2,), (2, 1, 4, 2, 3)),
                                           ("pixel_unshuffle", (2,), (2, 2, 4, 6)),
                                           ("pixel_unshuffle", (3,), (2, 1, 3, 3, 6)),
                                           ("channel_shuffle", (2,), (2, 6, 3)), ("channel_shuffle", (3,), (1, 6, 2, 2))])
def test_shuffles_match_torch(fn, args, shape):
    a = np.random.default_rng(7).standard_normal(shape)
    out, _ = compare_fn(lambda x: getattr(F, fn)(x, *args), lambda x: getattr(TF, fn)(x, *args), [a], atol=0)
    assert type(out.grad_fn).__name__ == {"pixel_shuffle": "PixelShuffleBackward0",
                                          "pixel_unshuffle": "PixelUnshuffleBackward0",
                                          "channel_shuffle": "ChannelShuffleBackward0"}[fn]
    x = minitorch.tensor(a, requires_grad=True)
    assert minitorch.autograd.gradgradcheck(lambda t: getattr(F, fn)(t, *args), (x,))


@pytest.mark.parametrize("fn,shape,arg", [
    ("pixel_shuffle", (1, 3, 2, 2), 2), ("pixel_shuffle", (3, 2), 2), ("pixel_shuffle", (1, 4, 2, 2), 0),
    ("pixel_unshuffle", (1, 4, 3, 2), 2), ("pixel_unshuffle", (1, 4, 2, 3), 2), ("pixel_unshuffle", (2, 2), 2),
    ("pixel_unshuffle", (1, 4, 2, 2), -1), ("channel_shuffle", (1, 4, 2, 2), 3), ("channel_shuffle", (4,), 2),
    ("channel_shuffle", (1, 4), 2), ("channel_shuffle", (1, 4, 2, 2), 0), ("channel_shuffle", (1, 4, 2, 2), -1)])
def test_shuffle_errors(fn, shape, arg):
    _same_error(_run(getattr(TF, fn), torch.zeros(shape), arg), _run(getattr(F, fn), minitorch.zeros(*shape), arg))


@pytest.mark.parametrize("name,arg,shape", [("PixelShuffle", 2, (1, 4, 2, 3)), ("PixelUnshuffle", 2, (1, 1, 4, 2)),
                                            ("ChannelShuffle", 2, (1, 4, 3))])
def test_shuffle_layers(name, arg, shape):
    mt, th = getattr(nn, name)(arg), getattr(torch.nn, name)(arg)
    assert repr(mt) == repr(th)
    compare_fn(mt, th, [np.random.default_rng(8).standard_normal(shape)], atol=0)


# ---- padding layers --------------------------------------------------------------------------------------
PAD_LAYERS = [
    ("ZeroPad1d", (2,), (2, 3, 4)), ("ZeroPad1d", ((1, -1),), (3, 4)), ("ZeroPad2d", ((1, 0, 2, 1),), (1, 2, 3, 3)),
    ("ZeroPad3d", (1,), (1, 1, 2, 2, 2)), ("ConstantPad1d", (2, 3.5), (2, 3, 4)),
    ("ConstantPad2d", ((1, 2, 0, 1), -1.0), (2, 3, 3)), ("ConstantPad3d", (1, 0.5), (1, 2, 2, 2)),
    ("ReflectionPad1d", (2,), (2, 3, 4)), ("ReflectionPad2d", ((1, 2, 2, 0),), (1, 2, 3, 4)),
    ("ReflectionPad3d", (1,), (1, 1, 2, 3, 3)), ("ReplicationPad1d", ((3, 1),), (2, 4)),
    ("ReplicationPad2d", (2,), (1, 2, 3, 3)), ("ReplicationPad3d", ((1, 0, 2, 1, 0, 1),), (1, 1, 2, 2, 3)),
    ("CircularPad1d", (2,), (2, 3, 4)), ("CircularPad2d", ((1, 2, 0, 1),), (1, 2, 3, 3)),
    ("CircularPad3d", (1,), (1, 1, 2, 3, 3)),
]


@pytest.mark.parametrize("name,args,shape", PAD_LAYERS)
def test_padding_layers(name, args, shape):
    mt, th = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(mt) == repr(th) and mt.padding == th.padding
    compare_fn(mt, th, [np.random.default_rng(9).standard_normal(shape)], atol=1e-12)
    assert isinstance(mt, nn.ConstantPad1d) == isinstance(th, torch.nn.ConstantPad1d)


@pytest.mark.parametrize("name,args,shape", [("CircularPad1d", (1,), (3,)), ("CircularPad2d", (1,), (1, 2, 3, 3, 3)),
                                             ("CircularPad3d", (1,), (2, 3, 3)), ("ReflectionPad1d", (4,), (1, 2, 3)),
                                             ("ReflectionPad2d", (1,), (3,)), ("ZeroPad2d", ((1, 2, 3),), (2, 2))])
def test_padding_layer_errors(name, args, shape):
    e = _run(getattr(torch.nn, name)(*args), torch.zeros(shape))
    g = _run(getattr(nn, name)(*args), minitorch.zeros(*shape))
    assert isinstance(e, Exception)
    _same_error(e, g)


# ---- Fold / Unfold / distances --------------------------------------------------------------------------
@pytest.mark.parametrize("name,args,kwargs,shapes", [
    ("Unfold", ((2, 3),), dict(dilation=1, padding=1, stride=2), [(2, 3, 5, 6)]),
    ("Fold", ((4, 5), 2), dict(stride=1), [(1, 12, 12)]),
    ("CosineSimilarity", (), dict(dim=0, eps=1e-6), [(4, 3), (4, 3)]),
    ("PairwiseDistance", (), dict(p=1.5, keepdim=True), [(4, 3), (4, 3)]),
    ("PairwiseDistance", (), {}, [(5,), (5,)]),
])
def test_fold_and_distance_layers(name, args, kwargs, shapes):
    mt, th = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(mt) == repr(th)
    rng = np.random.default_rng(10)
    compare_fn(mt, th, [rng.standard_normal(s) for s in shapes], atol=1e-10)


# ---- in-place functional activations --------------------------------------------------------------------
@pytest.mark.parametrize("name,args", [("elu_", (0.7,)), ("selu_", ()), ("celu_", (1.3,)),
                                       ("rrelu_", (0.1, 0.3, False)), ("threshold_", (0.2, -5.0))])
def test_inplace_functional_forms(name, args):
    a = np.array([[-2.0, -0.5, 0.1, 0.7], [1.5, -1.2, 0.25, 3.0]])
    xt, xm = torch.tensor(a, requires_grad=True), minitorch.tensor(a, requires_grad=True)
    yt, ym = xt * 1.0, xm * 1.0
    vt, vm = yt._version, list(ym._version)
    rt, rm = getattr(TF, name)(yt, *args), getattr(F, name)(ym, *args)
    assert rm is ym and rt is yt and ym._version[0] - vm[0] == yt._version - vt == 1
    np.testing.assert_allclose(ym.detach().numpy(), yt.detach().numpy(), atol=1e-12)
    g = np.arange(8.0).reshape(2, 4)
    ym.backward(minitorch.tensor(g))
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(xm.grad.numpy(), xt.grad.numpy(), atol=1e-12)
    _same_error(_run(getattr(TF, name), torch.tensor(a, requires_grad=True), *args),
                _run(getattr(F, name), minitorch.tensor(a, requires_grad=True), *args))
