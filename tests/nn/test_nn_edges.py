"""Edge cases of nn where minitorch must behave exactly like PyTorch: losses with ignored or unusual targets,
gradients at the kinks of activations, in-place activations, dropout variants, layer argument checks and
Module API details. Each case runs the same call in both libraries (torch is the oracle)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn import functional as F

from ._util import torch_or_skip


def _outcome(lib, fn):
    """(exception type name, message) or ('ok', result) of ``fn(lib)``, messages in PyTorch's spelling."""
    try:
        out = fn(lib)
    except Exception as e:  # noqa: BLE001 - the exception is what we compare
        return type(e).__name__, str(e).replace("minitorch", "torch")
    return "ok", out


def _same_error(fn):
    torch = torch_or_skip()
    got, want = _outcome(minitorch, fn), _outcome(torch, fn)
    assert want[0] != "ok", "the case should raise in PyTorch"
    assert got == want


def _grads(lib, fn, arrays, upstream_seed=0):
    """Output and input gradients of ``fn(lib, *tensors)`` for a fixed random upstream gradient."""
    ts = [lib.tensor(a, requires_grad=True) for a in arrays]
    out = fn(lib, *ts)
    g = np.random.default_rng(upstream_seed).standard_normal(tuple(out.shape))
    out.backward(lib.tensor(g, dtype=out.dtype))
    return out.detach().numpy(), [None if t.grad is None else t.grad.numpy() for t in ts]


def _same_grads(fn, arrays):
    torch = torch_or_skip()
    out_m, g_m = _grads(minitorch, fn, arrays)
    out_t, g_t = _grads(torch, fn, arrays)
    np.testing.assert_allclose(out_m, out_t, rtol=1e-6, atol=1e-7, equal_nan=True)
    for a, b in zip(g_m, g_t):
        assert (a is None) == (b is None)
        if a is not None:
                np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7, equal_nan=True)


# ---- losses: targets ---------------------------------------------------------------------------------
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
@pytest.mark.parametrize("unbatched", [False, True])
def test_cross_entropy_all_targets_ignored_is_nan_with_zero_gradient(label_smoothing, unbatched):
    x = np.random.default_rng(0).standard_normal(5 if unbatched else (3, 5))
    t = np.array(2) if unbatched else np.array([2, 2, 2])
    logits = minitorch.tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy 'invalid value' warning: PyTorch is silent
        loss = F.cross_entropy(logits, minitorch.tensor(t), ignore_index=2, label_smoothing=label_smoothing)
        loss.backward()
    assert np.isnan(loss.item())
    np.testing.assert_array_equal(logits.grad.numpy(), np.zeros_like(x))


def test_nll_loss_all_ignored_with_weight_matches_torch():
    x = np.random.default_rng(1).standard_normal((2, 4))
    w = np.array([0.5, 1.0, 2.0, 3.0])
    _same_grads(lambda lib, a: lib.nn.functional.nll_loss(a, lib.tensor([1, 1]), lib.tensor(w), ignore_index=1)
                .reshape(1), [x])


@pytest.mark.parametrize("fn", ["nll_loss", "cross_entropy"])
def test_unbatched_input_accepts_target_of_shape_1(fn):
    torch = torch_or_skip()
    x = np.random.default_rng(2).standard_normal(4)
    want = getattr(torch.nn.functional, fn)(torch.tensor(x), torch.tensor([3]), reduction="none")
    logits = minitorch.tensor(x, requires_grad=True)
    got = getattr(F, fn)(logits, minitorch.tensor([3]), reduction="none")
    assert got.shape == () and np.allclose(got.item(), want.item())
    got.backward()  # (PyTorch's own backward fails here; ours equals the 0-d target's gradient)
    plain = minitorch.tensor(x, requires_grad=True)
    getattr(F, fn)(plain, minitorch.tensor(3)).backward()
    np.testing.assert_allclose(logits.grad.numpy(), plain.grad.numpy())


@pytest.mark.parametrize("in_shape, t_shape", [
    ((2, 3), (2, 1)), ((2, 3), ()), ((3,), (2,)), ((3,), (1, 1)), ((2, 3, 4, 5), (2, 4, 6)),
    ((2, 3, 4, 5), (2, 4, 5, 1)), ((2, 3, 4, 5), (2, 4)), ((2, 3, 4), (2, 5)), ((2, 3), (0,)), ((), ()),
])
def test_class_target_shape_errors_match_torch(in_shape, t_shape):
    _same_error(lambda lib: lib.nn.functional.nll_loss(lib.zeros(in_shape), lib.zeros(t_shape, dtype=lib.int64)))


@pytest.mark.parametrize("case", ["int_probabilities", "ignore_index_probabilities", "scalar", "target_dtype",
                                  "out_of_range", "negative"])
def test_cross_entropy_target_errors_match_torch(case):
    calls = {
        "int_probabilities": lambda lib: lib.nn.functional.cross_entropy(lib.zeros(2, 3),
                                                                         lib.zeros(2, 3, dtype=lib.int64)),
        "ignore_index_probabilities": lambda lib: lib.nn.functional.cross_entropy(lib.zeros(2, 3), lib.zeros(2, 3),
                                                                                  ignore_index=1),
        "scalar": lambda lib: lib.nn.functional.cross_entropy(lib.tensor(1.0), lib.tensor(0)),
        "target_dtype": lambda lib: lib.nn.functional.cross_entropy(lib.zeros(2, 3),
                                                                    lib.zeros(2, dtype=lib.int32)),
        "out_of_range": lambda lib: lib.nn.functional.cross_entropy(lib.zeros(2, 3), lib.tensor([0, 5])),
        "negative": lambda lib: lib.nn.functional.nll_loss(lib.zeros(2, 3), lib.tensor([-1, 0])),
    }
    _same_error(calls[case])


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.binary_cross_entropy(lib.full((2,), 0.5), lib.ones(2),
                                                       weight=lib.ones(2, requires_grad=True)),
    lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(lib.zeros(2), lib.ones(2),
                                                                   pos_weight=lib.ones(2, requires_grad=True)),
    lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(lib.zeros(2), lib.ones(2),
                                                                   weight=lib.ones(2, requires_grad=True)),
    lambda lib: lib.nn.functional.huber_loss(lib.zeros(2), lib.ones(2), delta=0.0),
])
def test_loss_argument_errors_match_torch(call):
    _same_error(call)


def test_bce_gradient_wrt_target_is_not_clamped():
    # d/dt = log(1 - x) - log(x): infinite at x = 0 and x = 1 (only the loss itself clamps its logs at -100)
    _same_grads(lambda lib, x, t: lib.nn.functional.binary_cross_entropy(x.detach(), t, reduction="none"),
                [np.array([0.0, 1.0, 0.5, 0.25]), np.array([1.0, 0.0, 0.5, 1.0])])


def test_kl_div_negative_target_gives_nan_like_torch():
    _same_grads(lambda lib, x, t: lib.nn.functional.kl_div(x, t, reduction="none"),
                [np.log([0.2, 0.3, 0.5]), np.array([-0.1, 0.2, 0.6])])


# ---- activations ----------------------------------------------------------------------------------------
_KINKS = np.array([-3.0, -1.0, 0.0, 1.0, 3.0, 6.0, 0.5, -0.5, 7.0])


@pytest.mark.parametrize("name, kwargs", [
    ("hardtanh", {}), ("hardtanh", {"min_val": -3.0, "max_val": 3.0}), ("relu6", {}), ("hardsigmoid", {}),
    ("hardswish", {}), ("threshold", {"threshold": 1.0, "value": -2.0}), ("hardshrink", {}),
    ("softshrink", {"lambd": 1.0}), ("elu", {}), ("leaky_relu", {"negative_slope": 0.2}),
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_gradient_at_kinks_matches_torch(name, kwargs, dtype):
    _same_grads(lambda lib, x: getattr(lib.nn.functional, name)(x, **kwargs), [_KINKS.astype(dtype)])


@pytest.mark.parametrize("name", ["elu", "selu", "celu", "hardtanh", "threshold", "leaky_relu"])
def test_activation_nan_input_matches_torch(name):
    kwargs = {"threshold": 0.0, "value": 5.0} if name == "threshold" else {}
    _same_grads(lambda lib, x: getattr(lib.nn.functional, name)(x, **kwargs), [np.array([np.nan, -1.0, 2.0])])


@pytest.mark.parametrize("name, kwargs", [
    ("leaky_relu", {"negative_slope": 0.1}), ("elu", {"alpha": 0.5}), ("selu", {}), ("celu", {}), ("silu", {}),
    ("mish", {}), ("hardtanh", {}), ("relu6", {}), ("hardsigmoid", {}), ("hardswish", {}),
    ("threshold", {"threshold": 0.1, "value": 3.0}), ("relu", {}),
])
def test_inplace_activation_on_non_leaf_backpropagates(name, kwargs):
    x = np.random.default_rng(3).standard_normal((3, 4)) * 3

    def fn(lib, a):
        b = a * 1.0
        out = getattr(lib.nn.functional, name)(b, inplace=True, **kwargs)
        assert out is b
        return out

    _same_grads(fn, [x])


def test_inplace_activation_on_leaf_that_requires_grad_raises():
    _same_error(lambda lib: lib.nn.functional.leaky_relu(lib.ones(2, requires_grad=True), inplace=True))


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.prelu(lib.ones(3, 4), lib.ones(2)),
    lambda lib: lib.nn.functional.prelu(lib.ones(4), lib.ones(4)),
    lambda lib: lib.nn.functional.gelu(lib.ones(2), approximate="fast"),
])
def test_activation_argument_errors_match_torch(call):
    _same_error(call)


def test_shrink_rrelu_and_softmax2d_match_torch():
    torch = torch_or_skip()
    x = np.random.default_rng(4).standard_normal((2, 3, 2, 2))
    for name, args in [("Hardshrink", (0.3,)), ("Softshrink", (0.2,)), ("RReLU", (0.1, 0.3)), ("Softmax2d", ())]:
        mod_m, mod_t = getattr(nn, name)(*args).eval(), getattr(torch.nn, name)(*args).eval()
        assert repr(mod_m) == repr(mod_t)
        np.testing.assert_allclose(mod_m(minitorch.tensor(x)).numpy(), mod_t(torch.tensor(x)).numpy(), rtol=1e-12)


def test_rrelu_training_slopes_lie_between_lower_and_upper():
    minitorch.manual_seed(0)
    x = -minitorch.ones(1000, dtype=minitorch.float64)
    slopes = -F.rrelu(x, 0.1, 0.3, training=True)
    assert 0.1 <= slopes.min().item() and slopes.max().item() <= 0.3
    assert slopes.std().item() > 0.03  # one slope per element, not one for all


# ---- dropout ---------------------------------------------------------------------------------------------
def _warning_texts(lib, fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn(lib)
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4), (2, 3, 4, 5)])
def test_dropout2d_warnings_match_torch(shape):
    torch = torch_or_skip()
    call = lambda lib: lib.nn.functional.dropout2d(lib.ones(shape), 0.5)  # noqa: E731
    assert _warning_texts(minitorch, call) == _warning_texts(torch, call)


def test_dropout1d_dimension_error_matches_torch():
    _same_error(lambda lib: lib.nn.functional.dropout1d(lib.ones(1, 2, 3, 4)))


def test_dropout_inplace_on_non_leaf_backpropagates_through_mask():
    minitorch.manual_seed(0)
    x = minitorch.ones(4, 5, requires_grad=True)
    y = F.dropout(x * 2, 0.5, inplace=True)
    y.sum().backward()
    kept = (y.detach() != 0).to(minitorch.float32)
    np.testing.assert_allclose(x.grad.numpy(), (kept * 4).numpy())  # 2 (the *2) times 1/(1-p)


@pytest.mark.parametrize("fn", [F.alpha_dropout, F.feature_alpha_dropout])
def test_alpha_dropout_keeps_mean_and_variance(fn):
    minitorch.manual_seed(0)
    x = minitorch.randn(200, 100, 10, dtype=minitorch.float64)
    y = fn(x, 0.3, training=True)
    assert abs(y.mean().item()) < 0.05 and abs(y.var().item() - 1.0) < 0.05
    assert fn(x, 0.3) is x  # training defaults to False
    np.testing.assert_array_equal(fn(x, 1.0, training=True).numpy(), np.zeros((200, 100, 10)))


def test_alpha_dropout_modules_match_torch_repr_and_eval():
    torch = torch_or_skip()
    for name in ["AlphaDropout", "FeatureAlphaDropout"]:
        assert repr(getattr(nn, name)(0.2)) == repr(getattr(torch.nn, name)(0.2))
        x = minitorch.randn(3, 4)
        assert getattr(nn, name)(0.2).eval()(x) is x


# ---- linear, bilinear, embedding -------------------------------------------------------------------------
@pytest.mark.parametrize("x_shape, w_shape, b_shape", [
    ((2, 4), (4,), None), ((4,), (4,), None), ((4,), (4,), ()), ((2, 4), (3, 4), (2, 3)), ((2, 4), (3, 4), (1,)),
    ((2, 5, 4), (3, 4), (5, 3)),
])
def test_linear_unusual_weight_and_bias_shapes_match_torch(x_shape, w_shape, b_shape):
    rng = np.random.default_rng(5)
    arrays = [rng.standard_normal(x_shape), rng.standard_normal(w_shape)]
    if b_shape is None:
        _same_grads(lambda lib, x, w: lib.nn.functional.linear(x, w).reshape(-1), arrays)
    else:
        arrays.append(rng.standard_normal(b_shape))
        _same_grads(lambda lib, x, w, b: lib.nn.functional.linear(x, w, b).reshape(-1), arrays)


@pytest.mark.parametrize("x_dt, w_dt, b_dt", [
    ("float32", "float64", None), ("float64", "float32", "float32"), ("float32", "float64", "float32"),
    ("float32", "float32", "float64"), ("int64", "float64", None),
])
def test_linear_dtype_errors_match_torch(x_dt, w_dt, b_dt):
    def call(lib):
        b = None if b_dt is None else lib.ones(3, dtype=getattr(lib, b_dt))
        return lib.nn.functional.linear(lib.ones(2, 4, dtype=getattr(lib, x_dt)),
                                        lib.ones(3, 4, dtype=getattr(lib, w_dt)), b)

    _same_error(call)


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.linear(lib.tensor(1.0), lib.ones(3, 4)),
    lambda lib: lib.nn.functional.linear(lib.ones(2, 4), lib.ones(2, 3, 4)),
    lambda lib: lib.nn.functional.bilinear(lib.ones(5, 2), lib.ones(4, 3), lib.ones(4, 2, 3)),
    lambda lib: lib.nn.functional.bilinear(lib.ones(5, 2), lib.ones(5, 3), lib.ones(4, 2, 4)),
    lambda lib: lib.nn.functional.bilinear(lib.ones(5, 2), lib.ones(5, 3), lib.ones(4, 3, 3)),
    lambda lib: lib.nn.functional.bilinear(lib.ones(5, 2), lib.ones(5, 3), lib.ones(4, 2, 3), lib.ones(3)),
    lambda lib: lib.nn.functional.embedding(lib.tensor([1]), lib.ones(5)),
])
def test_layer_argument_errors_match_torch(call):
    _same_error(call)


# ---- normalisation ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.layer_norm(lib.ones(2, 5), (5,), lib.ones(4)),
    lambda lib: lib.nn.functional.layer_norm(lib.ones(2, 5), (5,), None, lib.ones(4)),
    lambda lib: lib.nn.functional.batch_norm(lib.ones(4, 3), lib.zeros(3), lib.ones(4), training=True),
    lambda lib: lib.nn.functional.batch_norm(lib.ones(4, 3), lib.zeros(3), lib.ones(3), lib.ones(2)),
    lambda lib: lib.nn.functional.batch_norm(lib.ones(4, 3), None, None, training=False),
    lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(2, 4)),
    lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(1, 3, 1)),
    lambda lib: lib.nn.functional.group_norm(lib.ones(4, 6), 3, lib.ones(5)),
])
def test_normalization_argument_errors_match_torch(call):
    _same_error(call)


def test_batch_norm_empty_batch_keeps_running_stats():
    torch = torch_or_skip()
    bn_m, bn_t = nn.BatchNorm1d(3), torch.nn.BatchNorm1d(3)
    out_m, out_t = bn_m(minitorch.zeros(0, 3)), bn_t(torch.zeros(0, 3))
    assert tuple(out_m.shape) == tuple(out_t.shape) == (0, 3)
    for key, value in bn_t.state_dict().items():
        np.testing.assert_array_equal(bn_m.state_dict()[key].numpy(), value.numpy())


# ---- Module API -----------------------------------------------------------------------------------------------
def test_forward_hook_always_call_runs_when_forward_raises():
    class Boom(nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    seen = []
    module = Boom()
    module.register_forward_hook(lambda m, args, out: seen.append("always"), always_call=True)
    module.register_forward_hook(lambda m, args, out: seen.append("normal"))
    with pytest.raises(ValueError, match="boom"):
        module(1)
    assert seen == ["always"]


@pytest.mark.parametrize("code", [
    "m = nn.Linear(2, 2); m.weight = nn.ReLU()",
    "m = nn.Linear(2, 2); m.sub = nn.ReLU(); m.sub = lib.ones(1)",
    "m = nn.Linear(2, 2); m.register_buffer('b', lib.ones(1)); m.b = 3",
    "m = nn.Linear(2, 2); m.add_module('x', 3)",
    "nn.Parameter(lib.ones(2, dtype=lib.int64))",
    "nn.Sequential(nn.ReLU()) * 0",
    "nn.Sequential(nn.ReLU()) * 1.5",
    "nn.Unflatten(1, 6)",
    "nn.Unflatten(1, (2, 3.0))",
])
def test_module_api_errors_match_torch(code):
    _same_error(lambda lib: exec(code, {"lib": lib, "nn": lib.nn}))


def test_sequential_times_n_repeats_the_same_layers():
    torch = torch_or_skip()
    seq_m = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    seq_t = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
    assert repr(seq_m * 2) == repr(seq_t * 2) == repr(2 * seq_t)
    doubled = 2 * seq_m
    assert doubled[2] is seq_m[0] and len(list(doubled.parameters())) == 2
    seq_m *= 3
    assert len(seq_m) == 6


# ---- the less common losses --------------------------------------------------------------------------------
_RNG = np.random.default_rng(7)
_X1, _X2, _X3 = _RNG.standard_normal((3, 4, 3))
_SIGNS = np.sign(_RNG.standard_normal((4, 3)))
_LABELS = np.array([1.0, -1.0, 1.0, -1.0])
_COUNTS = np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 0.5], [1.5, 0.0, 7.0], [2.0, 2.0, 2.0]])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", [
    "margin_ranking", "hinge", "soft_margin", "multilabel", "multilabel_weight", "cosine", "cosine_unbatched",
    "triplet", "triplet_p1_swap", "poisson", "poisson_full", "poisson_rates", "gaussian", "gaussian_per_sample",
    "gaussian_full_float",
])
def test_extra_losses_match_torch(case, reduction):
    def const(lib, a):
        return lib.tensor(a)

    calls = {
        "margin_ranking": (lambda lib, a, b: lib.nn.functional.margin_ranking_loss(
            a[:, 0], b[:, 0], const(lib, _LABELS), margin=0.3, reduction=reduction), [_X1, _X2]),
        "hinge": (lambda lib, a: lib.nn.functional.hinge_embedding_loss(
            a, const(lib, _SIGNS), margin=0.5, reduction=reduction), [_X1]),
        "soft_margin": (lambda lib, a: lib.nn.functional.soft_margin_loss(
            a, const(lib, _SIGNS), reduction=reduction), [_X1]),
        "multilabel": (lambda lib, a: lib.nn.functional.multilabel_soft_margin_loss(
            a, const(lib, (_SIGNS > 0) * 1.0), reduction=reduction), [_X1]),
        "multilabel_weight": (lambda lib, a: lib.nn.functional.multilabel_soft_margin_loss(
            a, const(lib, (_SIGNS > 0) * 1.0), const(lib, np.array([1.0, 2.0, 3.0])), reduction=reduction), [_X1]),
        "cosine": (lambda lib, a, b: lib.nn.functional.cosine_embedding_loss(
            a, b, const(lib, _LABELS), margin=0.1, reduction=reduction), [_X1, _X2]),
        "cosine_unbatched": (lambda lib, a, b: lib.nn.functional.cosine_embedding_loss(
            a[0], b[0], const(lib, np.array(-1.0)), reduction=reduction), [_X1, _X2]),
        "triplet": (lambda lib, a, b, c: lib.nn.functional.triplet_margin_loss(a, b, c, reduction=reduction),
                    [_X1, _X2, _X3]),
        "triplet_p1_swap": (lambda lib, a, b, c: lib.nn.functional.triplet_margin_loss(
            a, b, c, p=1, swap=True, reduction=reduction), [_X1, _X2, _X3]),
        "poisson": (lambda lib, a: lib.nn.functional.poisson_nll_loss(
            a, const(lib, _COUNTS), reduction=reduction), [_X1]),
        "poisson_full": (lambda lib, a: lib.nn.functional.poisson_nll_loss(
            a, const(lib, _COUNTS), full=True, reduction=reduction), [_X1]),
        "poisson_rates": (lambda lib, a: lib.nn.functional.poisson_nll_loss(
            a.abs() + 0.1, const(lib, _COUNTS), log_input=False, full=True, reduction=reduction), [_X1]),
        "gaussian": (lambda lib, a, b, v: lib.nn.functional.gaussian_nll_loss(a, b, v.abs(), reduction=reduction),
                     [_X1, _X2, _X3]),
        "gaussian_per_sample": (lambda lib, a, b, v: lib.nn.functional.gaussian_nll_loss(
            a, b, v[:, 0].abs(), reduction=reduction), [_X1, _X2, _X3]),
        "gaussian_full_float": (lambda lib, a, b: lib.nn.functional.gaussian_nll_loss(
            a, b, 0.5, full=True, reduction=reduction), [_X1, _X2]),
    }
    fn, arrays = calls[case]
    _same_grads(lambda lib, *ts: fn(lib, *ts).reshape(-1), arrays)


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.gaussian_nll_loss(lib.ones(4, 3), lib.ones(4, 3), lib.ones(3)),
    lambda lib: lib.nn.functional.gaussian_nll_loss(lib.ones(4, 3), lib.ones(4, 3), -lib.ones(4, 3)),
    lambda lib: lib.nn.functional.gaussian_nll_loss(lib.ones(4, 3), lib.ones(4, 3), lib.ones(4, 3), reduction="x"),
    lambda lib: lib.nn.functional.cosine_embedding_loss(lib.ones(1, 4, 3), lib.ones(1, 4, 3), lib.ones(4)),
    lambda lib: lib.nn.functional.cosine_embedding_loss(lib.ones(4, 3), lib.ones(4, 3), lib.ones(4, 3)),
    lambda lib: lib.nn.functional.soft_margin_loss(lib.ones(2), lib.ones(2, requires_grad=True)),
    lambda lib: lib.nn.functional.triplet_margin_loss(lib.ones(3), lib.ones(2, 3), lib.ones(2, 3)),
    lambda lib: lib.nn.TripletMarginLoss(margin=0.0),
])
def test_extra_loss_errors_match_torch(call):
    _same_error(call)


def test_extra_loss_modules_match_torch():
    torch = torch_or_skip()
    for name, args in [("MarginRankingLoss", (0.5,)), ("CosineEmbeddingLoss", ()), ("HingeEmbeddingLoss", (2.0,)),
                       ("SoftMarginLoss", ()), ("MultiLabelSoftMarginLoss", ()), ("TripletMarginLoss", (0.5, 1)),
                       ("PoissonNLLLoss", (False,)), ("GaussianNLLLoss", ())]:
        assert repr(getattr(nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))
    got = nn.TripletMarginLoss(0.5, 1)(*(minitorch.tensor(a) for a in (_X1, _X2, _X3)))
    want = torch.nn.TripletMarginLoss(0.5, 1)(*(torch.tensor(a) for a in (_X1, _X2, _X3)))
    np.testing.assert_allclose(got.item(), want.item(), rtol=1e-12)
    got = nn.GaussianNLLLoss(full=True, reduction="sum")(*(minitorch.tensor(a) for a in (_X1, _X2)), 0.3)
    want = torch.nn.GaussianNLLLoss(full=True, reduction="sum")(*(torch.tensor(a) for a in (_X1, _X2)), 0.3)
    np.testing.assert_allclose(got.item(), want.item(), rtol=1e-12)


# ---- pad and cosine_similarity -------------------------------------------------------------------------------
@pytest.mark.parametrize("shape, pad", [((3, 4), (-1, 1)), ((2, 3, 4), (1, -2)), ((1, 2, 3, 4), (1, 1, -1, 2))])
def test_circular_pad_with_negative_amounts_wraps_the_cropped_input(shape, pad):
    x = np.random.default_rng(8).standard_normal(shape)
    _same_grads(lambda lib, a: lib.nn.functional.pad(a, pad, mode="circular"), [x])


@pytest.mark.parametrize("mode, shape, pad", [
    ("reflect", (1, 2, 3, 4), (1, 1)), ("replicate", (3, 4), (1, 1, 1, 1)), ("circular", (4,), (1, 1)),
    ("circular", (2, 3, 4), (5, 0)), ("bogus", (2, 3, 4), (1, 1)),
])
def test_pad_mode_errors_match_torch(mode, shape, pad):
    _same_error(lambda lib: lib.nn.functional.pad(lib.ones(shape), pad, mode=mode))


@pytest.mark.parametrize("s1, s2, dim, scale", [
    ((3, 4), (3, 4), 1, 1e-10), ((3, 1), (3, 4), 1, 1.0), ((1, 4), (3, 4), 0, 1.0), ((3, 4), (3, 4), -1, 1e-9),
])
def test_cosine_similarity_broadcasts_first_and_clamps_without_stopping_gradient(s1, s2, dim, scale):
    rng = np.random.default_rng(9)
    _same_grads(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b, dim),
                [rng.standard_normal(s1) * scale, rng.standard_normal(s2)])


def test_cosine_similarity_shape_error_matches_torch():
    _same_error(lambda lib: lib.nn.functional.cosine_similarity(lib.ones(3, 4), lib.ones(3, 3)))


@pytest.mark.parametrize("make", ["BatchNorm1d", "BatchNorm2d", "LayerNorm", "GroupNorm", "BatchNorm1d_eval"])
def test_normalisation_refuses_mixed_dtypes_like_torch(make):
    torch = pytest.importorskip("torch")

    def run(lib):
        layer = {"BatchNorm1d": lambda: lib.nn.BatchNorm1d(3), "BatchNorm2d": lambda: lib.nn.BatchNorm2d(3),
                 "LayerNorm": lambda: lib.nn.LayerNorm(3), "GroupNorm": lambda: lib.nn.GroupNorm(1, 3),
                 "BatchNorm1d_eval": lambda: lib.nn.BatchNorm1d(3).eval()}[make]()
        shape = (2, 3, 4, 4) if make == "BatchNorm2d" else (2, 3)
        try:
            layer(lib.ones(*shape, dtype=lib.float64))
        except RuntimeError as e:
            return str(e)
        return "no error"

    assert run(minitorch) == run(torch) == "mixed dtype (CPU): all inputs must share same datatype."


LOSS_TARGET_DTYPES = {
    "bce_float64_target": lambda L: L.nn.functional.binary_cross_entropy(L.full((3,), 0.5), L.ones(3, dtype=L.float64)),
    "bce_float64_input": lambda L: L.nn.functional.binary_cross_entropy(L.full((3,), 0.5, dtype=L.float64), L.ones(3)),
    "bce_long_target": lambda L: L.nn.functional.binary_cross_entropy(L.full((3,), 0.5), L.tensor([1, 0, 1])),
    "bce_bool_target": lambda L: L.nn.functional.binary_cross_entropy(L.full((3,), 0.5), L.tensor([True, False, True])),
    "bce_logits_long_target": lambda L: L.nn.BCEWithLogitsLoss()(L.ones(3), L.tensor([1, 0, 1])),
    "bce_logits_bool_target": lambda L: L.nn.BCEWithLogitsLoss()(L.ones(3), L.tensor([True, False, True])),
    "bce_logits_float64_target": lambda L: L.nn.BCEWithLogitsLoss()(L.ones(3), L.ones(3, dtype=L.float64)),
    "kl_div_int_target": lambda L: L.nn.functional.kl_div(L.ones(3), L.tensor([1, 2, 3]), reduction="sum"),
    "kl_div_int_input": lambda L: L.nn.functional.kl_div(L.tensor([1, 2, 3]), L.ones(3), reduction="sum"),
}


@pytest.mark.parametrize("name", list(LOSS_TARGET_DTYPES))
def test_loss_target_dtypes_are_checked_like_torch(name):
    torch = pytest.importorskip("torch")

    def outcome(lib):
        try:
            r = LOSS_TARGET_DTYPES[name](lib)
        except Exception as e:  # noqa: BLE001 - the error is the outcome
            return type(e).__name__, str(e)
        return str(r.dtype).split(".")[-1], round(r.item(), 5)

    assert outcome(minitorch) == outcome(torch)
