"""Convolution ops (conv1d/conv2d/conv_transpose2d/unfold/fold): NumPy loop references, gradcheck, PyTorch."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck
from minitorch.ops import conv as C

RNG = np.random.default_rng(0)


def t64(shape, rg=True):
    return minitorch.tensor(RNG.standard_normal(shape), requires_grad=rg)


# ---- NumPy references: direct loops over every output element (tiny shapes only) -------------------------
def conv2d_loops(x, w, b, stride, padding, dilation, groups):
    """y[n, o, i, j] = b[o] + sum_{c, a, e} w[o, c, a, e] * xpad[n, g*Cg + c, i*sh + a*dh, j*sw + e*dw]."""
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    n_, c_, h, wd = x.shape
    o_, cg, kh, kw = w.shape
    og = o_ // groups
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    ho = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    wo = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((n_, o_, ho, wo))
    for n, o, i, j in itertools.product(range(n_), range(o_), range(ho), range(wo)):
        g = o // og
        s = 0.0 if b is None else b[o]
        for c, a, e in itertools.product(range(cg), range(kh), range(kw)):
            s += w[o, c, a, e] * xp[n, g * cg + c, i * sh + a * dh, j * sw + e * dw]
        y[n, o, i, j] = s
    return y


def conv_transpose2d_loops(x, w, stride, padding, output_padding, dilation, groups):
    """Scatter: out[n, g*Cg' + c, i*sh + a*dh - ph, j*sw + e*dw - pw] += x[n, ci, i, j] * w[ci, c, a, e]."""
    (sh, sw), (ph, pw), (oph, opw), (dh, dw) = stride, padding, output_padding, dilation
    n_, ci_, h, wd = x.shape
    _, cg, kh, kw = w.shape
    ig = ci_ // groups
    ho = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1
    wo = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1
    out = np.zeros((n_, cg * groups, ho + 2 * ph + sh + kh * dh, wo + 2 * pw + sw + kw * dw))
    for n, ci, i, j, c, a, e in itertools.product(range(n_), range(ci_), range(h), range(wd), range(cg),
                                                  range(kh), range(kw)):
        g = ci // ig
        out[n, g * cg + c, i * sh + a * dh, j * sw + e * dw] += x[n, ci, i, j] * w[ci, c, a, e]
    return out[:, :, ph:ph + ho, pw:pw + wo]


LOOP_CASES = [
    dict(stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1),
    dict(stride=(2, 1), padding=(1, 2), dilation=(1, 1), groups=1),
    dict(stride=(1, 2), padding=(1, 0), dilation=(2, 1), groups=2),
    dict(stride=(3, 2), padding=(2, 1), dilation=(1, 2), groups=4),
]


@pytest.mark.parametrize("case", LOOP_CASES)
def test_conv2d_matches_loops(case):
    x, w, b = RNG.standard_normal((2, 4, 7, 6)), RNG.standard_normal((4, 4 // case["groups"], 3, 2)), \
        RNG.standard_normal(4)
    y = C.conv2d(minitorch.tensor(x), minitorch.tensor(w), minitorch.tensor(b), **case)
    np.testing.assert_allclose(y.numpy(), conv2d_loops(x, w, b, **case), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("case", LOOP_CASES)
@pytest.mark.parametrize("output_padding", [(0, 0), (1, 0)])
def test_conv_transpose2d_matches_loops(case, output_padding):
    if output_padding[0] >= max(case["stride"][0], case["dilation"][0]):
        pytest.skip("output_padding must be smaller than stride or dilation")
    x, w = RNG.standard_normal((2, 4, 4, 4)), RNG.standard_normal((4, 2, 3, 3))
    y = C.conv_transpose2d(minitorch.tensor(x), minitorch.tensor(w), None, case["stride"], case["padding"],
                           output_padding, case["groups"], case["dilation"])
    ref = conv_transpose2d_loops(x, w, case["stride"], case["padding"], output_padding, case["dilation"],
                                 case["groups"])
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-10, atol=1e-12)


def test_conv1d_is_conv2d_with_height_one():
    x, w, b = t64((2, 4, 9), False), t64((6, 2, 3), False), t64((6,), False)
    y1 = C.conv1d(x, w, b, stride=2, padding=1, dilation=2, groups=2)
    y2 = C.conv2d(x.unsqueeze(2), w.unsqueeze(2), b, stride=(1, 2), padding=(0, 1), dilation=(1, 2), groups=2)
    np.testing.assert_allclose(y1.numpy(), y2.squeeze(2).numpy(), rtol=1e-12)


def test_conv2d_same_padding_keeps_size_and_valid_means_zero():
    x, w = t64((1, 2, 6, 7), False), t64((3, 2, 4, 3), False)
    assert C.conv2d(x, w, padding="same", dilation=(1, 2)).shape == (1, 3, 6, 7)
    np.testing.assert_array_equal(C.conv2d(x, w, padding="valid").numpy(), C.conv2d(x, w).numpy())


# ---- gradients ---------------------------------------------------------------------------------------
GRAD_CASES = [
    dict(),
    dict(stride=2, padding=1),
    dict(stride=(1, 2), padding=(1, 0), dilation=(2, 1), groups=2),
    dict(padding="same"),
]


@pytest.mark.parametrize("case", GRAD_CASES)
def test_conv2d_gradcheck(case):
    x, w, b = t64((2, 2, 5, 5)), t64((4, 2 // case.get("groups", 1), 3, 2)), t64((4,))
    assert gradcheck(lambda x, w, b: C.conv2d(x, w, b, **case), (x, w, b))


def test_conv1d_gradcheck():
    x, w, b = t64((2, 3, 7)), t64((2, 3, 4)), t64((2,))
    assert gradcheck(lambda x, w, b: C.conv1d(x, w, b, padding="same", dilation=2), (x, w, b))


@pytest.mark.parametrize("case", [dict(), dict(stride=2, padding=1, output_padding=1), dict(groups=2, dilation=2)])
def test_conv_transpose2d_gradcheck(case):
    groups = case.get("groups", 1)
    x, w, b = t64((1, 2, 3, 3)), t64((2, 2 // groups, 2, 3)), t64((2,))
    assert gradcheck(lambda x, w, b: C.conv_transpose2d(x, w, b, **case), (x, w, b))


def test_conv2d_double_backward():
    x, w, b = t64((1, 2, 4, 4)), t64((2, 1, 2, 2)), t64((2,))
    assert gradgradcheck(lambda x, w, b: C.conv2d(x, w, b, stride=2, padding=1, groups=2), (x, w, b))


def test_conv_transpose2d_double_backward():
    x, w = t64((1, 2, 3, 3)), t64((2, 2, 2, 2))
    assert gradgradcheck(lambda x, w: C.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1), (x, w))


def test_backward_twice_with_retain_graph_gives_same_grads():
    x, w = t64((2, 2, 5, 5)), t64((3, 2, 3, 3))
    y = C.conv2d(x, w, padding=1)
    g = minitorch.tensor(RNG.standard_normal(y.shape))
    y.backward(g, retain_graph=True)
    gx, gw = x.grad.numpy().copy(), w.grad.numpy().copy()
    y.backward(g)  # the cached columns were used once; now they are recomputed
    np.testing.assert_allclose(x.grad.numpy(), 2 * gx, rtol=1e-12)
    np.testing.assert_allclose(w.grad.numpy(), 2 * gw, rtol=1e-12)


def test_conv2d_float32_node_name_and_unbatched():
    x = minitorch.randn(3, 8, 8, requires_grad=True)
    w = minitorch.randn(4, 3, 3, 3, requires_grad=True)
    y = C.conv2d(x, w)
    assert y.shape == (4, 6, 6) and y.dtype == minitorch.float32
    assert C.conv2d(x.unsqueeze(0), w).grad_fn.name() == "ConvolutionBackward0"
    y.sum().backward()
    assert x.grad.shape == x.shape and x.grad.dtype == minitorch.float32


def test_unfold_fold_gradcheck_and_adjoint():
    x = t64((2, 2, 5, 4))
    assert gradcheck(lambda x: C.unfold(x, (2, 3), dilation=(2, 1), padding=1, stride=(1, 2)), (x,))
    cols = t64((2, 2 * 6, 10))
    assert gradcheck(lambda c: C.fold(c, (5, 4), (2, 3), dilation=(2, 1), padding=1, stride=(1, 2)), (cols,))
    # fold is the adjoint of unfold: <unfold(x), c> == <x, fold(c)>
    u = C.unfold(x, (2, 3), dilation=(2, 1), padding=1, stride=(1, 2))
    f = C.fold(cols, (5, 4), (2, 3), dilation=(2, 1), padding=1, stride=(1, 2))
    assert abs((u * cols).sum().item() - (x * f).sum().item()) < 1e-9


def test_fold_of_unfold_counts_windows():
    x = minitorch.ones(1, 1, 4, 4, dtype=minitorch.float64)
    counts = C.fold(C.unfold(x, 3), (4, 4), 3).numpy()[0, 0]
    np.testing.assert_array_equal(counts, [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])


# ---- against PyTorch ------------------------------------------------------------------------------------
torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _compare(t_fn, m_fn, shapes, atol=1e-10):
    """Same inputs to both; compare the output and every input's gradient for a random upstream grad."""
    arrays = [None if s is None else RNG.standard_normal(s) for s in shapes]
    ts = [None if a is None else torch.tensor(a, requires_grad=True) for a in arrays]
    ms = [None if a is None else minitorch.tensor(a, requires_grad=True) for a in arrays]
    ty, my = t_fn(*ts), m_fn(*ms)
    assert tuple(my.shape) == tuple(ty.shape)
    np.testing.assert_allclose(my.detach().numpy(), ty.detach().numpy(), atol=atol, rtol=1e-9)
    g = RNG.standard_normal(tuple(ty.shape))
    ty.backward(torch.tensor(g))
    my.backward(minitorch.tensor(g))
    for t, m in zip(ts, ms):
        if t is not None:
            np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), atol=atol, rtol=1e-9)


CONV2D_GRID = [
    dict(stride=s, padding=p, dilation=d, groups=g)
    for s, p, d, g in itertools.product([1, 2, (2, 1)], [0, 1, (2, 0), "same", "valid"], [1, (1, 2)], [1, 2])
    if not (p == "same" and s != 1)
]


@pytest.mark.parametrize("case", CONV2D_GRID, ids=str)
def test_conv2d_vs_torch(case):
    g = case["groups"]
    shapes = [(2, 4, 7, 8), (6, 4 // g, 3, 2), (6,)]
    _compare(lambda x, w, b: TF.conv2d(x, w, b, **case), lambda x, w, b: C.conv2d(x, w, b, **case), shapes)


@pytest.mark.parametrize("case", [dict(), dict(stride=2, padding=2), dict(padding="same", dilation=3, groups=3),
                                  dict(padding="same")], ids=str)
@pytest.mark.parametrize("bias", [True, False])
def test_conv1d_vs_torch(case, bias):
    shapes = [(2, 6, 11), (3, 6 // case.get("groups", 1), 4), (3,) if bias else None]
    _compare(lambda x, w, b: TF.conv1d(x, w, b, **case), lambda x, w, b: C.conv1d(x, w, b, **case), shapes)


def test_conv2d_unbatched_vs_torch():
    _compare(lambda x, w: TF.conv2d(x, w, padding=1), lambda x, w: C.conv2d(x, w, padding=1),
             [(3, 5, 5), (2, 3, 3, 3)])


CT_GRID = [
    dict(stride=s, padding=p, output_padding=op, dilation=d, groups=g)
    for s, p, op, d, g in itertools.product([1, 2, (3, 2)], [0, 1, (1, 0)], [0, 1], [1, 2], [1, 2])
    if not (op == 1 and (1 >= (s if isinstance(s, int) else min(s)) and d == 1))
]


@pytest.mark.parametrize("case", CT_GRID, ids=str)
def test_conv_transpose2d_vs_torch(case):
    g = case["groups"]
    shapes = [(2, 4, 4, 3), (4, 6 // g, 3, 2), (6,)]
    _compare(lambda x, w, b: TF.conv_transpose2d(x, w, b, **case),
             lambda x, w, b: C.conv_transpose2d(x, w, b, **case), shapes)


def test_conv_transpose1d_vs_torch():
    case = dict(stride=2, padding=1, output_padding=1)
    _compare(lambda x, w, b: TF.conv_transpose1d(x, w, b, **case),
             lambda x, w, b: C.conv_transpose1d(x, w, b, **case), [(2, 3, 5), (3, 2, 3), (2,)])


@pytest.mark.parametrize("case", [dict(kernel_size=3), dict(kernel_size=(2, 3), dilation=(2, 1), padding=1,
                                                              stride=(1, 2))], ids=str)
def test_unfold_fold_vs_torch(case):
    _compare(lambda x: TF.unfold(x, **case), lambda x: C.unfold(x, **case), [(2, 3, 6, 5)])
    n_blocks = TF.unfold(torch.zeros(1, 1, 6, 5), **case).shape[-1]
    k = np.prod(case["kernel_size"])
    _compare(lambda c: TF.fold(c, (6, 5), **case), lambda c: C.fold(c, (6, 5), **case), [(2, 3 * k, n_blocks)])


def test_unfold_unbatched_vs_torch():
    _compare(lambda x: TF.unfold(x, 2), lambda x: C.unfold(x, 2), [(3, 4, 4)])


# ---- errors: same exception type and message as PyTorch ---------------------------------------------------
ERROR_CASES = [
    ("conv2d", [(1, 1, 28, 28), (6, 3, 5, 5)], {}),
    ("conv2d", [(28, 28), (6, 3, 5, 5)], {}),
    ("conv2d", [(1, 3, 2, 2), (6, 3, 3, 3)], {}),
    ("conv2d", [(1, 3, 4, 4), (6, 3, 3, 3)], dict(dilation=2)),
    ("conv2d", [(3, 28, 28), (6, 4, 3, 3)], {}),
    ("conv2d", [(1, 4, 8, 8), (3, 2, 3, 3)], dict(groups=2)),
    ("conv2d", [(1, 4, 8, 8), (4, 4, 3, 3)], dict(stride=2, padding="same")),
    ("conv2d", [(1, 4, 8, 8), (4, 4, 3, 3)], dict(padding="foo")),
    ("conv2d", [(1, 4, 8, 8), (4, 4, 3, 3)], dict(padding=-1)),
    ("conv2d", [(1, 4, 8, 8), (4, 4, 3, 3)], dict(stride=0)),
    ("conv2d", [(1, 4, 8, 8), (4, 4, 3, 3)], dict(dilation=0)),
    ("conv2d", [(1, 4, 8, 8), (4, 4, 3, 3)], dict(groups=0)),
    ("conv2d", [(1, 4, 8, 8), (4, 4, 3, 3)], dict(stride=(1, 1, 1))),
    ("conv2d", [(1, 4, 8, 8), (4, 4, 3, 3), (3,)], {}),
    ("conv1d", [(4, 8, 8, 1), (4, 4, 3)], {}),
    ("conv_transpose2d", [(1, 4, 8, 8), (4, 4, 3, 3)], dict(output_padding=2)),
    ("conv_transpose2d", [(1, 4, 8, 8), (3, 4, 3, 3)], {}),
    ("conv_transpose2d", [(1, 4, 8, 8), (4, 4, 3, 3)], dict(padding=5)),
    ("conv_transpose2d", [(1, 4, 8, 8), (4, 4, 3, 3)], dict(padding="same")),
    ("conv_transpose2d", [(8, 8), (4, 4, 3, 3)], {}),
    ("unfold", [(1, 2, 2, 2)], dict(kernel_size=3)),
    ("fold", [(1, 18, 5)], dict(output_size=(4, 4), kernel_size=3)),
    ("fold", [(1, 17, 4)], dict(output_size=(4, 4), kernel_size=3)),
]


@pytest.mark.parametrize("name,shapes,kwargs", ERROR_CASES, ids=lambda v: str(v))
def test_errors_match_torch(name, shapes, kwargs):
    arrays = [RNG.standard_normal(s) for s in shapes]
    with pytest.raises(Exception) as t_err:
        getattr(TF, name)(*[torch.tensor(a) for a in arrays], **kwargs)
    with pytest.raises(Exception) as m_err:
        getattr(C, name)(*[minitorch.tensor(a) for a in arrays], **kwargs)
    assert type(m_err.value) is type(t_err.value)
    assert str(m_err.value) == str(t_err.value).split("\n")[0]


def test_dtype_mismatch_raises():
    with pytest.raises(RuntimeError, match=r"Input type \(minitorch.FloatTensor\) and weight type \(minitorch.DoubleTensor\)"):
        C.conv2d(minitorch.randn(1, 1, 4, 4), minitorch.randn(1, 1, 2, 2, dtype=minitorch.float64))
    with pytest.raises(RuntimeError, match="expected scalar type Double but found Float"):
        C.conv2d(minitorch.randn(1, 1, 4, 4, dtype=minitorch.float64), minitorch.randn(1, 1, 2, 2))
