"""Edge cases of convolution and pooling against PyTorch: argument errors (type, wording, order),
integer inputs, ``padding="same"`` with even kernels, second derivatives, adaptive windows with
inf/NaN, empty inputs, and the 1-D pools' own checks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck
from minitorch.ops import conv as C
from minitorch.ops import pooling as P

torch = pytest.importorskip("torch")
TF = torch.nn.functional
RNG = np.random.default_rng(7)


def _both(name, arrays, kwargs, module=C):
    """Run ``name`` on torch and minitorch tensors built from ``arrays`` (dtype kept); return both outcomes."""
    outcomes = []
    for lib, fn in ((torch, getattr(TF, name)), (minitorch, getattr(module, name))):
        args = [lib.tensor(a) if isinstance(a, np.ndarray) else a for a in arrays]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                outcomes.append(fn(*args, **kwargs))
        except Exception as e:  # noqa: BLE001  (compared below)
            outcomes.append(e)
    return outcomes


def _same_error(name, arrays, kwargs, module=C):
    t, m = _both(name, arrays, kwargs, module)
    assert isinstance(t, Exception), f"torch accepted {name}{kwargs}"
    assert type(m) is type(t), f"{type(m).__name__}: {m} vs {type(t).__name__}: {t}"
    if not isinstance(t, TypeError):  # TypeErrors: PyTorch lists its overloads; the type is what matters
        assert str(m) == str(t).replace("torch.", "minitorch.").split("\n")[0]


def _r(*shape, dtype=np.float64):
    return RNG.standard_normal(shape).astype(dtype)


# ---- convolution errors ---------------------------------------------------------------------------------
CONV_ERRORS = {
    "channels": ("conv2d", [_r(2, 5, 8, 8), _r(4, 3, 3, 3)], {}),
    "groups_not_dividing_out": ("conv2d", [_r(2, 6, 8, 8), _r(4, 3, 3, 3)], dict(groups=3)),
    "groups_not_dividing_in": ("conv2d", [_r(2, 5, 8, 8), _r(4, 2, 3, 3)], dict(groups=2)),
    "weight_fewer_dims": ("conv2d", [_r(2, 3, 8, 8), _r(4, 3, 3)], {}),
    "weight_more_dims": ("conv2d", [_r(2, 3, 8, 8), _r(4, 3, 3, 3, 3)], {}),
    "conv1d_2d_weight": ("conv1d", [_r(2, 3, 8), _r(4, 3)], {}),
    "conv1d_4d_weight": ("conv1d", [_r(2, 3, 8), _r(4, 3, 3, 3)], {}),
    "same_3d_weight": ("conv2d", [_r(2, 3, 8, 8), _r(4, 3, 3)], dict(padding="same")),
    "same_stride_3_values": ("conv2d", [_r(2, 3, 8, 8), _r(4, 3, 3, 3)], dict(padding="same", stride=(1, 1, 1))),
    "valid_stride_3_values": ("conv2d", [_r(2, 3, 8, 8), _r(4, 3, 3, 3)], dict(padding="valid", stride=(1, 1, 1))),
    "padding_3_values": ("conv2d", [_r(2, 3, 8, 8), _r(4, 3, 3, 3)], dict(padding=(1, 2, 3))),
    "negative_dilation": ("conv2d", [_r(2, 3, 8, 8), _r(4, 3, 3, 3)], dict(dilation=-1)),
    "zero_dilation_float64": ("conv2d", [_r(2, 3, 8, 8), _r(4, 3, 3, 3)], dict(dilation=0)),
    "zero_dilation_float32": ("conv2d", [_r(2, 3, 8, 8, dtype=np.float32), _r(4, 3, 3, 3, dtype=np.float32)],
                              dict(dilation=(1, 0))),
    "zero_groups_before_shapes": ("conv2d", [_r(2, 5, 8, 8), _r(4, 3, 3, 3)], dict(groups=0, dilation=-1)),
    "kernel_too_big_1d": ("conv1d", [_r(2, 3, 2), _r(4, 3, 3)], {}),
    "kernel_too_big_3d": ("conv3d", [_r(2, 3, 2, 4, 4), _r(4, 3, 3, 3, 3)], {}),
    # (PyTorch words a dtype mismatch by the kernel it picks: these shapes pick its usual one)
    "float_input_double_weight": ("conv2d", [_r(2, 3, 8, 8, dtype=np.float32), _r(4, 3, 3, 3)], {}),
    "double_input_float_weight": ("conv2d", [_r(1, 3, 8, 8), _r(4, 3, 3, 3, dtype=np.float32)], {}),
    "float_input_double_bias": ("conv2d", [_r(1, 3, 8, 8, dtype=np.float32), _r(4, 3, 3, 3, dtype=np.float32),
                                           _r(4)], {}),
    "transposed_double_weight": ("conv_transpose2d", [_r(2, 3, 8, 8, dtype=np.float32), _r(3, 2, 3, 3)], {}),
    "bool_input": ("conv2d", [np.ones((1, 3, 4, 4), bool), np.ones((2, 3, 3, 3), bool)], {}),
    "float_stride": ("conv2d", [_r(1, 3, 8, 8), _r(4, 3, 3, 3)], dict(stride=1.5)),
    "float_groups": ("conv2d", [_r(1, 3, 8, 8), _r(4, 3, 3, 3)], dict(groups=1.0)),
    "weight_not_a_tensor": ("conv2d", [_r(1, 3, 8, 8), 3.0], {}),
    "transposed_1d_output_padding": ("conv_transpose1d", [_r(2, 4, 5), _r(4, 3, 3)], dict(output_padding=1)),
    "transposed_1d_output_too_small": ("conv_transpose1d", [_r(2, 4, 1), _r(4, 3, 1)], dict(padding=1)),
    "transposed_3d_weight": ("conv_transpose2d", [_r(2, 4, 4, 4), _r(4, 3, 3)], {}),
    "transposed_groups_zero": ("conv_transpose2d", [_r(2, 4, 4, 4), _r(4, 3, 3, 3)], dict(groups=0)),
    "transposed_negative_output_padding": ("conv_transpose2d", [_r(2, 4, 4, 4), _r(4, 3, 3, 3)],
                                           dict(output_padding=-1)),
    # unfold (im2col) and fold (col2im) check kernel, dilation, padding and stride in different orders
    "unfold_dilation_before_stride": ("unfold", [_r(1, 1, 6, 5), 2, 0, 0, 0], {}),
    "unfold_padding_before_stride": ("unfold", [_r(1, 1, 6, 5), 2, 1, -1, 0], {}),
    "unfold_kernel_zero": ("unfold", [_r(1, 1, 6, 5), 0], {}),
    "unfold_kernel_three_values": ("unfold", [_r(1, 1, 6, 5), (2, 2, 2)], {}),
    "unfold_two_dims": ("unfold", [_r(6, 5), 2], {}),
    "unfold_five_dims": ("unfold", [_r(1, 1, 1, 6, 5), 2], {}),
    "unfold_empty_unbatched": ("unfold", [_r(0, 6, 5), 2], {}),
    "unfold_integer": ("unfold", [np.arange(30).reshape(1, 1, 6, 5), 2], {}),
    "fold_stride_before_dilation": ("fold", [_r(2, 12, 20), (6, 5), 2, 0, 0, 0], {}),
    "fold_output_size_three_values": ("fold", [_r(2, 12, 20), (6, 5, 1), 2], {}),
    "fold_one_dim": ("fold", [_r(12), (6, 5), 2], {}),
    "fold_empty_blocks": ("fold", [_r(2, 12, 0), (6, 5), 2], {}),
    "fold_kernel_zero": ("fold", [_r(2, 12, 16), 5, 0], {}),
}


@pytest.mark.parametrize("case", list(CONV_ERRORS))
def test_conv_errors_match_torch(case):
    _same_error(*CONV_ERRORS[case])


# ---- convolution values -----------------------------------------------------------------------------------
def _close(t, m, atol=1e-10):
    assert tuple(m.shape) == tuple(t.shape) and str(m.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
    np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), atol=atol)


@pytest.mark.parametrize("name,shapes", [("conv1d", [(2, 3, 7), (4, 3, 2)]), ("conv2d", [(2, 3, 5, 6), (4, 3, 2, 3)]),
                                         ("conv_transpose2d", [(2, 3, 4, 4), (3, 2, 2, 2)])])
def test_integer_convolutions_match_torch(name, shapes):
    arrays = [RNG.integers(-3, 4, s) for s in shapes]
    t, m = _both(name, arrays, dict(stride=2) if "transpose" in name else {})
    _close(t, m, atol=0)


@pytest.mark.parametrize("nd,kernel,dilation", [(1, (4,), (1,)), (1, (2,), (3,)), (2, (4, 2), (1, 3)),
                                                (2, (3, 4), (2, 2))])
def test_same_padding_with_even_kernels_and_dilation(nd, kernel, dilation):
    """The odd one out of an even total padding goes to the end, as PyTorch does."""
    x, w, b = _r(2, 3, *(9,) * nd), _r(4, 3, *kernel), _r(4)
    t, m = _both(f"conv{nd}d", [x, w, b], dict(padding="same", dilation=dilation))
    _close(t, m)
    assert tuple(m.shape[2:]) == (9,) * nd


def test_non_contiguous_inputs_and_weights():
    x = minitorch.tensor(_r(2, 9, 8, 3)).permute(0, 3, 1, 2)[:, :, ::2, 1:]
    w = minitorch.tensor(_r(4, 3, 3, 2)).transpose(2, 3)
    got = C.conv2d(x, w, stride=(1, 2), padding=1)
    want = TF.conv2d(torch.tensor(x.numpy()), torch.tensor(w.numpy()), stride=(1, 2), padding=1)
    _close(want, got)


@pytest.mark.parametrize("transposed", [False, True])
def test_second_derivatives_match_torch(transposed):
    """d/dx and d/dw of a function of the first derivatives (double backward through conv)."""
    x, w = _r(2, 2, 5, 5), _r(2, 2, 3, 3) if transposed else _r(3, 2, 3, 3)
    grads = []
    for lib, fn in ((torch, TF.conv_transpose2d if transposed else TF.conv2d),
                    (minitorch, C.conv_transpose2d if transposed else C.conv2d)):
        X, W = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
        y = fn(X, W, None, 2, 1)
        gx, gw = lib.autograd.grad((y ** 2).sum(), [X, W], create_graph=True)
        ((gx ** 3).sum() + (gw ** 2).sum()).backward()
        grads.append((X.grad.numpy(), W.grad.numpy()))
    for t, m in zip(*grads):
        np.testing.assert_allclose(m, t, rtol=1e-8, atol=1e-10)


def test_conv_transpose1d_dilation_gradgradcheck():
    x = minitorch.tensor(_r(1, 2, 3), requires_grad=True)
    w = minitorch.tensor(_r(2, 2, 3), requires_grad=True)
    f = lambda a, b: C.conv_transpose1d(a, b, None, 2, 1, 1, 1, 2)  # noqa: E731
    assert gradcheck(f, [x, w]) and gradgradcheck(f, [x, w])


# ---- pooling errors ---------------------------------------------------------------------------------------
POOL_ERRORS = {
    # the 2-D checks, in PyTorch's order
    "max2d_kernel_zero_means_stride_zero": ("max_pool2d", [_r(1, 2, 4, 4), 0], {}),
    "max2d_kernel_zero": ("max_pool2d", [_r(1, 2, 4, 4), 0, 1], {}),
    "max2d_negative_stride": ("max_pool2d", [_r(1, 2, 4, 4), 2, -1], {}),
    "max2d_negative_padding": ("max_pool2d", [_r(1, 2, 4, 4), 2, 1, -1], {}),
    "max2d_zero_dilation": ("max_pool2d", [_r(1, 2, 4, 4), 2, 1, 0, 0], {}),
    "max2d_pad_over_half_kernel_with_dilation": ("max_pool2d", [_r(1, 2, 5, 5), 3, 1, 2, 2], {}),
    "max2d_pad_over_half_effective_kernel": ("max_pool2d", [_r(1, 2, 5, 5), 1, 1, 1], {}),
    "max2d_empty_unbatched": ("max_pool2d", [_r(0, 4, 4), 2], {}),
    "max2d_empty_height": ("max_pool2d", [_r(1, 2, 0, 4), 2], {}),
    "max2d_bool": ("max_pool2d", [np.ones((1, 2, 4, 4), bool), 2], {}),
    "max2d_float_kernel": ("max_pool2d", [_r(1, 2, 4, 4), 2.0], {}),
    "avg2d_kernel_zero": ("avg_pool2d", [_r(1, 2, 4, 4), 0, 1], {}),
    "avg2d_five_dims": ("avg_pool2d", [_r(1, 2, 1, 4, 4), 2], {}),
    "avg2d_empty_channels": ("avg_pool2d", [_r(1, 0, 4, 4), 2], {}),
    "avg2d_bool": ("avg_pool2d", [np.ones((1, 2, 4, 4), bool), 2], {}),
    # max_pool1d without indices has checks of its own ...
    "max1d_four_dims": ("max_pool1d", [_r(1, 2, 4, 4), 2], {}),
    "max1d_empty_channels": ("max_pool1d", [_r(2, 0, 4), 2], {}),
    "max1d_kernel_pair": ("max_pool1d", [_r(2, 4), (2, 2)], {}),
    "max1d_stride_pair": ("max_pool1d", [_r(2, 4), 2, (2, 2)], {}),
    "max1d_kernel_zero": ("max_pool1d", [_r(2, 4), 0], {}),
    "max1d_negative_stride": ("max_pool1d", [_r(2, 5), 2, -1], {}),
    "max1d_padding_over_half_kernel": ("max_pool1d", [_r(2, 5), 3, 1, 2, 2], {}),
    "max1d_zero_dilation": ("max_pool1d", [_r(2, 5), 2, 1, 0, 0], {}),
    "max1d_output_size": ("max_pool1d", [_r(2, 5), 4, None, 0, 2], {}),
    "max1d_integer_input": ("max_pool1d", [np.arange(8).reshape(2, 4), 2], {}),
    # ... and with indices it is a 2-D pool of height 1
    "max1d_indices_four_dims": ("max_pool1d", [_r(1, 2, 4, 4), 2], dict(return_indices=True)),
    "max1d_indices_kernel_pair": ("max_pool1d", [_r(2, 4), (2, 2)], dict(return_indices=True)),
    "max1d_indices_padding": ("max_pool1d", [_r(2, 5), 3, 1, 2, 2], dict(return_indices=True)),
    "max1d_indices_output_size": ("max_pool1d", [_r(2, 5), 4, None, 0, 2], dict(return_indices=True)),
    "avg1d_one_dim": ("avg_pool1d", [_r(4), 2], {}),
    "avg1d_stride_pair": ("avg_pool1d", [_r(2, 4), 2, (2, 2)], {}),
    "avg1d_kernel_zero": ("avg_pool1d", [_r(1, 2, 4), 0, 1], {}),
    "avg1d_output_size": ("avg_pool1d", [_r(1, 2, 2), 3], {}),
    "avg1d_empty_length": ("avg_pool1d", [_r(2, 4, 0), 2], {}),
    # adaptive pools
    "adaptive_avg_none": ("adaptive_avg_pool2d", [_r(2, 3, 5, 5), None], {}),
    "adaptive_avg_negative": ("adaptive_avg_pool2d", [_r(2, 3, 5, 5), -1], {}),
    "adaptive_avg_empty_height": ("adaptive_avg_pool2d", [_r(2, 3, 0, 5), 2], {}),
    "adaptive_avg_integer": ("adaptive_avg_pool2d", [np.ones((2, 3, 4, 4), np.int64), 3], {}),
    "adaptive_avg1d_pair": ("adaptive_avg_pool1d", [_r(3, 5), (4, 1)], {}),
    "adaptive_avg1d_one_dim": ("adaptive_avg_pool1d", [_r(5), 2], {}),
    "adaptive_avg1d_empty": ("adaptive_avg_pool1d", [_r(2, 3, 0), 2], {}),
    "adaptive_max_three_sizes": ("adaptive_max_pool2d", [_r(2, 3, 5, 5), (1, 2, 3)], {}),
    "adaptive_max1d_four_dims": ("adaptive_max_pool1d", [_r(2, 2, 5, 5), 2], {}),
    "adaptive_max1d_empty": ("adaptive_max_pool1d", [_r(2, 3, 0), 2], {}),
}


@pytest.mark.parametrize("case", list(POOL_ERRORS))
def test_pool_errors_match_torch(case):
    _same_error(*POOL_ERRORS[case], module=P)


# ---- pooling values ---------------------------------------------------------------------------------------
def _pool_close(name, arrays, kwargs):
    t, m = _both(name, arrays, kwargs, P)
    for a, b in zip(t if isinstance(t, tuple) else (t,), m if isinstance(m, tuple) else (m,)):
        _close(a, b, atol=1e-12)


@pytest.mark.parametrize("value", [np.inf, -np.inf, np.nan])
def test_adaptive_avg_pool_keeps_inf_and_nan_in_their_windows(value):
    x = _r(1, 2, 7, 5)
    x[0, 0, 3, 2] = value
    _pool_close("adaptive_avg_pool2d", [x], dict(output_size=(3, 4)))


@pytest.mark.parametrize("out", [0, (0, 3), (4, 0)])
def test_adaptive_pools_with_an_empty_output(out):
    _pool_close("adaptive_avg_pool2d", [_r(2, 3, 5, 5)], dict(output_size=out))
    _pool_close("adaptive_max_pool2d", [_r(2, 3, 5, 5)], dict(output_size=out, return_indices=True))


def test_adaptive_pools_with_an_empty_batch():
    _pool_close("adaptive_max_pool2d", [_r(0, 3, 5, 5)], dict(output_size=2, return_indices=True))
    _pool_close("adaptive_avg_pool2d", [_r(0, 3, 5, 5)], dict(output_size=3))


def test_adaptive_avg_pool_gradients_on_overlapping_windows():
    x = minitorch.tensor(_r(1, 2, 7, 5), requires_grad=True)
    f = lambda a: P.adaptive_avg_pool2d(a, (3, 4))  # noqa: E731  (7 -> 3 and 5 -> 4 overlap)
    assert gradcheck(f, [x]) and gradgradcheck(f, [x])


@pytest.mark.parametrize("name,kwargs", [
    ("max_pool1d", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, return_indices=True)),
    ("max_pool1d", dict(kernel_size=2, dilation=2, return_indices=True)),
    ("avg_pool1d", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)),
    ("max_pool2d", dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), ceil_mode=True,
                        return_indices=True)),
    ("avg_pool2d", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, divisor_override=2)),
])
def test_pools_of_integer_inputs_match_torch(name, kwargs):
    nd = int(name[-2])
    _pool_close(name, [RNG.integers(-9, 9, (2, 3) + (7,) * nd)], kwargs)


def test_max_pool_all_minus_inf_and_ties_match_torch():
    x = np.full((1, 1, 5, 5), -np.inf)
    _pool_close("max_pool2d", [x], dict(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True,
                                        return_indices=True))
    t = np.zeros((1, 1, 4, 4))
    t[0, 0, 1:3, 1:3] = 1.0
    _pool_close("max_pool2d", [t], dict(kernel_size=3, stride=1, padding=1, return_indices=True))


def test_max_pool1d_gradient_goes_to_the_first_maximum_of_each_window():
    x = np.array([[1.0, 3.0, 3.0, 2.0, 3.0]])
    grads = []
    for lib, fn in ((torch, TF.max_pool1d), (minitorch, P.max_pool1d)):
        t = lib.tensor(x, requires_grad=True)
        fn(t, 3, 1).sum().backward()
        grads.append(t.grad.tolist())
    assert grads[1] == grads[0] == [[0.0, 2.0, 1.0, 0.0, 0.0]]
