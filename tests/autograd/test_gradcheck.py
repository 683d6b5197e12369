"""Gradient checking (issue 2, item 5): gradcheck, gradgradcheck, numerical_grad.

Correct ops pass, in full and fast mode; a custom Function with a deliberately
wrong backward fails with a message that shows the table of worst elements and
names the likely cause; float32 inputs warn and are checked in float64;
PyTorch's gradcheck agrees on a passing and a failing case.
"""

import math
import warnings

import numpy as np
import pytest

import minitorch
from minitorch.autograd import Function, GradcheckError, gradcheck, gradgradcheck, numerical_grad

F64 = minitorch.float64


def rand(*shape, seed=0, requires_grad=True):
    """A float64 tensor of standard normal numbers (fixed seed), requiring grad."""
    arr = np.random.default_rng(seed).standard_normal(shape)
    return minitorch.tensor(arr, dtype=F64, requires_grad=requires_grad)


# ---- correct ops pass ---------------------------------------------------------------------------------------------
CORRECT = {
    "mul": (lambda a, b: a * b, lambda: (rand(2, 3), rand(2, 3, seed=1))),
    "matmul": (lambda a, b: a @ b, lambda: (rand(2, 3), rand(3, 4, seed=1))),
    "sum_dims": (lambda a: a.sum(dim=(0, 2)), lambda: (rand(2, 3, 2),)),
    "sum_keepdim": (lambda a: a.sum(1, keepdim=True), lambda: (rand(3, 2),)),
    "exp": (lambda a: a.exp(), lambda: (rand(4),)),
    "index_duplicates": (lambda a: a[minitorch.tensor([0, 2, 0, 0])], lambda: (rand(3, 2),)),
    "broadcast_add": (lambda a, b: a + b, lambda: (rand(2, 3), rand(1, 3, seed=1))),
    "two_outputs": (lambda a: (a.sin(), a * 3), lambda: (rand(3),)),
    "transposed_input": (lambda a: a * a, lambda: (rand(3, 2).detach().t().requires_grad_(),)),
}


@pytest.mark.parametrize("fast_mode", [False, True], ids=["full", "fast"])
@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_ops_pass(name, fast_mode):
    fn, make = CORRECT[name]
    assert gradcheck(fn, make(), fast_mode=fast_mode) is True


def test_inputs_are_restored_exactly():
    x = rand(3, 2)
    before = x.detach().numpy().copy()
    gradcheck(lambda t: (t * t).sum(), x)
    np.testing.assert_array_equal(x.detach().numpy(), before)


def test_non_tensor_arguments_are_passed_through():
    x = rand(2, 3)
    assert gradcheck(lambda t, dim, scale: t.sum(dim) * scale, (x, 1, 2.5))


def test_inputs_without_requires_grad_are_not_checked():
    x, w = rand(3), rand(3, seed=1, requires_grad=False)
    assert gradcheck(lambda a, b: a * b.exp(), (x, w))


def test_no_input_requiring_grad_raises_value_error():
    with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
        gradcheck(lambda t: t * 2, rand(3, requires_grad=False))


def test_stride_zero_input_raises():
    x = rand(1, 3).detach().expand(4, 3).requires_grad_()
    with pytest.raises(RuntimeError, match="stride 0"):
        gradcheck(lambda t: t * 2, x)


# ---- wrong backward rules: the message names the cause ------------------------------------------------------------
class TransposedMatmul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return (grad @ b.T).T, a.T @ grad  # bug: dA transposed (square matrices, so the shape fits)


class TransposedReshapedMatmul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(b)
        return a @ b

    @staticmethod
    def backward(ctx, grad):
        (b,) = ctx.saved_tensors
        da = (b @ grad.T).reshape(grad.shape[0], b.shape[0])  # bug: dA.T computed, reshaped to fit
        return da, None


class SquareTimesTwo(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 4 * x * grad  # bug: d(x^2)/dx is 2x


class HalfMean(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.n = x.numel()
        return x.mean()

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(2, 3) / (2 * ctx.n)  # bug: 1/n halved


class WrongSignSub(Function):
    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad  # bug: d(a-b)/db = -1


class KeepdimForgotten(Function):
    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad.sum(0)  # bug: b has shape (1, 3), the sum drops the size-1 dim


class ZeroExp(Function):
    @staticmethod
    def forward(ctx, x):
        return x.exp()

    @staticmethod
    def backward(ctx, grad):
        return grad * 0  # bug: nothing propagates


class NoneForFirst(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return None, grad * a  # bug: a influences the output but gets no gradient


class SwappedMul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * a, grad * b  # bug: gradients returned in the wrong order


CAUSES = {
    "transpose": (TransposedMatmul.apply, lambda: (rand(3, 3), rand(3, 3, seed=1)), "transpose of the right one"),
    "transpose_reshaped": (TransposedReshapedMatmul.apply,
                           lambda: (rand(2, 3), rand(3, 4, seed=1, requires_grad=False)), "transpose of the right one"),
    "factor_2": (SquareTimesTwo.apply, lambda: (rand(4),), "off by a factor of 2 (too large"),
    "factor_half": (HalfMean.apply, lambda: (rand(2, 3),), "off by a factor of 2 (too small"),
    "sign": (WrongSignSub.apply, lambda: (rand(3), rand(3, seed=1)), "wrong sign"),
    "zeros": (ZeroExp.apply, lambda: (rand(3),), "backward returned zeros"),
    "none": (NoneForFirst.apply, lambda: (rand(3), rand(3, seed=1)), "backward returned None for this input"),
    "order": (SwappedMul.apply, lambda: (rand(3), rand(3, seed=1)), "wrong order"),
}


@pytest.mark.parametrize("fast_mode", [False, True], ids=["full", "fast"])
@pytest.mark.parametrize("cause", sorted(CAUSES))
def test_wrong_backward_names_the_cause_and_shows_the_table(cause, fast_mode):
    fn, make, expected = CAUSES[cause]
    if cause == "order" and fast_mode:
        pytest.skip("fast mode explains one (output, input) pair, without the other inputs' Jacobians")
    with pytest.raises(GradcheckError) as info:
        gradcheck(fn, make(), fast_mode=fast_mode)
    msg = str(info.value)
    assert msg.startswith("Jacobian mismatch for output 0 with respect to input ")
    assert "input index" in msg and "output index" in msg and "abs err" in msg and "rel err" in msg
    assert "numerical:tensor(" in msg and "analytical:tensor(" in msg
    assert f"Likely cause: {expected}" in msg or expected in msg.split("Likely cause:")[1]


def test_table_rows_hold_the_worst_elements():
    with pytest.raises(GradcheckError) as info:
        gradcheck(SquareTimesTwo.apply, rand(7))
    msg = str(info.value)
    table = msg.split("The worst:\n")[1].split("\nLikely cause")[0].splitlines()
    assert len(table) == 1 + 5  # header + at most five rows
    x = rand(7).detach().numpy()
    row = table[1].split()  # the worst element is the largest |2x|
    assert row[0] == f"[{int(np.abs(x).argmax())}]"
    assert float(row[2]) == pytest.approx(4 * x[np.abs(x).argmax()], rel=1e-5)
    assert float(row[3]) == pytest.approx(2 * x[np.abs(x).argmax()], rel=1e-5)
    assert "7 of 49 Jacobian elements differ" in msg


def test_only_the_wrong_input_is_reported():
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongSignSub.apply, (rand(3), rand(3, seed=1)))
    msg = str(info.value)
    assert "with respect to input 1," in msg and "with respect to input 0," not in msg


def test_input_index_counts_inputs_that_require_grad():
    def fn(scale, a, b):
        return WrongSignSub.apply(a * scale, b)

    with pytest.raises(GradcheckError, match="input 1 is argument 2 of func"):
        gradcheck(fn, (2.0, rand(3), rand(3, seed=1)))


@pytest.mark.parametrize("fast_mode", [False, True])
def test_wrong_gradient_shape_is_explained_with_broadcasting(fast_mode):
    with pytest.raises(GradcheckError) as info:
        gradcheck(KeepdimForgotten.apply, (rand(2, 3), rand(1, 3, seed=1)), fast_mode=fast_mode)
    msg = str(info.value)
    assert "returned an invalid gradient" in msg  # the engine's error is kept
    assert "gradient of shape [3] for an input of shape [1, 3]" in msg
    assert "broadcast" in msg and "keepdim=True" in msg and "sum_to_size" in msg


def test_raise_exception_false_returns_false():
    assert gradcheck(SquareTimesTwo.apply, rand(3), raise_exception=False) is False
    assert gradcheck(SquareTimesTwo.apply, rand(3), raise_exception=False, fast_mode=True) is False
    assert gradcheck(KeepdimForgotten.apply, (rand(2, 3), rand(1, 3)), raise_exception=False) is False


def test_gradcheck_error_is_a_runtime_error():
    assert issubclass(GradcheckError, RuntimeError)
    assert minitorch.autograd.GradcheckError is GradcheckError


class IgnoresGrad(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x * x).sum()

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 2 * x  # bug: not multiplied by grad (invisible with a one-hot grad_output of 1)


def test_backward_not_multiplied_by_grad_output():
    with pytest.raises(GradcheckError, match="backward not multiplied by grad_output"):
        gradcheck(IgnoresGrad.apply, rand(3))


class NoisyBackward(Function):
    calls = 0

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        NoisyBackward.calls += 1
        return grad * (2 + 1e-9 * NoisyBackward.calls)  # differs a little on every call


def test_nondeterministic_backward_and_nondet_tol():
    with pytest.raises(GradcheckError, match="Backward is not reentrant"):
        gradcheck(NoisyBackward.apply, rand(3))
    assert gradcheck(NoisyBackward.apply, rand(3), nondet_tol=1e-6, check_undefined_grad=False)


class SquaresGrad(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 3

    @staticmethod
    def backward(ctx, grad):
        return 3 * grad * grad  # bug: not linear in grad (right for one-hot grads)


def test_check_batched_grad_checks_linearity_in_grad_output():
    assert gradcheck(SquaresGrad.apply, rand(3))  # one-hot rows cannot see it
    with pytest.raises(GradcheckError, match="not linear in grad_output"):
        gradcheck(SquaresGrad.apply, rand(3), check_batched_grad=True)
    assert gradcheck(lambda t: t * 3, rand(3), check_batched_grad=True)


class SplitNoMaterialize(Function):
    buggy = False

    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        if SplitNoMaterialize.buggy:
            return g1 * 2 + g2 * 3  # bug: fails when one of the gradients is None (undefined)
        return sum(g * k for g, k in ((g1, 2), (g2, 3)) if g is not None)


def test_undefined_output_gradients(monkeypatch):
    assert gradcheck(SplitNoMaterialize.apply, rand(3))
    monkeypatch.setattr(SplitNoMaterialize, "buggy", True)
    with pytest.raises(TypeError):  # each Jacobian row leaves the other output's gradient undefined
        gradcheck(SplitNoMaterialize.apply, rand(3))


def test_outputs_that_do_not_require_grad():
    assert gradcheck(lambda t: (t * 2, t.argmax()), rand(3))
    assert gradcheck(lambda t: minitorch.zeros(2, dtype=F64), rand(3))
    with pytest.raises(GradcheckError, match="Numerical gradient for function expected to be zero"):
        gradcheck(lambda t: t.detach() * 2, rand(3))


# ---- float32 ------------------------------------------------------------------------------------------------------
def test_float32_input_warns_and_is_checked_in_float64():
    x = minitorch.tensor([0.3, -1.2, 2.0], requires_grad=True)  # float32
    with pytest.warns(UserWarning, match="not a double precision floating point"):
        assert gradcheck(lambda t: (t * t.exp()).sum(), x)
    assert x.dtype is minitorch.float32
    with pytest.warns(UserWarning, match="false failures"):
        assert gradcheck(SquareTimesTwo.apply, x, raise_exception=False) is False


def test_float64_input_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert gradcheck(lambda t: t.exp(), rand(3))


# ---- fast mode ------------------------------------------------------------------------------------------------------
def test_fast_mode_catches_a_wrong_backward_and_passes_a_right_one():
    assert gradcheck(lambda a, b: (a @ b).tanh(), (rand(3, 4), rand(4, 2, seed=1)), fast_mode=True)
    with pytest.raises(GradcheckError, match="fast mode compares v\\^T J u"):
        gradcheck(SquareTimesTwo.apply, rand(5), fast_mode=True)


def test_fast_mode_leaves_the_global_random_stream_alone():
    minitorch.manual_seed(3)
    expected = minitorch.rand(2)
    minitorch.manual_seed(3)
    gradcheck(lambda t: t.exp(), rand(3), fast_mode=True)
    assert minitorch.equal(minitorch.rand(2), expected)


# ---- gradgradcheck --------------------------------------------------------------------------------------------------
SECOND_ORDER = {
    "tanh": (lambda t: t.tanh(), lambda: (rand(3),)),
    "sigmoid": (lambda t: t.sigmoid(), lambda: (rand(3),)),
    "cube": (lambda t: t ** 3, lambda: (rand(2, 2),)),
    "matmul": (lambda a, b: a @ b, lambda: (rand(2, 3), rand(3, 2, seed=1))),
}


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_gradgradcheck_passes(name):
    fn, make = SECOND_ORDER[name]
    assert gradgradcheck(fn, make())


def test_gradgradcheck_options():
    x = rand(2, 3)
    assert gradgradcheck(lambda t: t.exp() * t, x, gen_non_contig_grad_outputs=True)
    assert gradgradcheck(lambda t: t.exp() * t, x, grad_outputs=rand(2, 3, seed=5), fast_mode=True)


class CubeDetachedBackward(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 3 * x.detach() ** 2 * grad  # right value, but not differentiable: detach cuts x out


def test_gradgradcheck_fails_for_a_non_differentiable_backward():
    x = rand(3)
    assert gradcheck(CubeDetachedBackward.apply, x)
    with pytest.raises(GradcheckError) as info:
        gradgradcheck(CubeDetachedBackward.apply, x)
    msg = str(info.value)
    assert "with respect to input 0," in msg and "backward returned None for this input" in msg
    assert ".detach()" in msg
    assert gradgradcheck(CubeDetachedBackward.apply, x, raise_exception=False) is False


# ---- numerical_grad -------------------------------------------------------------------------------------------------
def test_numerical_grad_known_derivatives():
    x = rand(5)
    xs = x.detach().numpy()
    np.testing.assert_allclose(numerical_grad(lambda t: (t ** 3).sum(), x).numpy(), 3 * xs ** 2, rtol=1e-7)
    np.testing.assert_allclose(numerical_grad(lambda t: t.sin().sum(), x).numpy(), np.cos(xs), atol=1e-9)
    np.testing.assert_allclose(numerical_grad(lambda t: (t * t.exp()).sum(), x).numpy(), (1 + xs) * np.exp(xs),
                               rtol=1e-7)


def test_numerical_grad_shapes_and_scalars():
    w = rand(3, 2, seed=1, requires_grad=False)
    x = rand(2, 3)
    g = numerical_grad(lambda t: (t @ w).sum(), x)  # d/dx sum(x @ w) = ones @ w.T
    assert g.shape == x.shape and g.dtype is F64 and not g.requires_grad
    np.testing.assert_allclose(g.numpy(), np.ones((2, 2)) @ w.numpy().T, atol=1e-8)
    x0 = minitorch.tensor(0.5, dtype=F64)
    assert numerical_grad(lambda t: t.exp(), x0).item() == pytest.approx(math.exp(0.5), rel=1e-8)


def test_numerical_grad_agrees_with_backward_and_rejects_non_scalar_f():
    x = rand(2, 3)
    (x.tanh() * x).sum().backward()
    np.testing.assert_allclose(numerical_grad(lambda t: (t.tanh() * t).sum(), x).numpy(), x.grad.numpy(),
                               atol=1e-8)
    with pytest.raises(ValueError, match="single number"):
        numerical_grad(lambda t: t * 2, x)


# ---- PyTorch agrees -------------------------------------------------------------------------------------------------
def test_same_verdict_as_torch_gradcheck():
    torch = pytest.importorskip("torch")

    class TorchSquareTimesTwo(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 4 * x * grad

    arr = np.random.default_rng(0).standard_normal((2, 3))
    tx = torch.tensor(arr, dtype=torch.float64, requires_grad=True)
    mx = minitorch.tensor(arr, dtype=F64, requires_grad=True)
    for fast in (False, True):
        assert torch.autograd.gradcheck(lambda t: (t * t.exp()).sum(1), tx, fast_mode=fast) is True
        assert gradcheck(lambda t: (t * t.exp()).sum(1), mx, fast_mode=fast) is True
        with pytest.raises(RuntimeError, match="Jacobian mismatch for output 0"):  # torch's GradcheckError
            torch.autograd.gradcheck(TorchSquareTimesTwo.apply, tx, fast_mode=fast)
        with pytest.raises(GradcheckError, match="Jacobian mismatch for output 0"):
            gradcheck(SquareTimesTwo.apply, mx, fast_mode=fast)
        assert torch.autograd.gradcheck(TorchSquareTimesTwo.apply, tx, raise_exception=False, fast_mode=fast) is False
        assert gradcheck(SquareTimesTwo.apply, mx, raise_exception=False, fast_mode=fast) is False
    assert torch.autograd.gradgradcheck(lambda t: t.tanh(), tx) is gradgradcheck(lambda t: t.tanh(), mx) is True
