"""Assignment 2: elementwise backward rules and broadcasting's gradient reduction.

Each backward rule is checked with ``minitorch.autograd.gradcheck`` against
finite differences. The rules are checked on inputs of one shape (and with
a Python number), so that each task stands alone; task 2.13 then checks
broadcasting with ``+`` and ``-``.
"""

import numpy as np
from _checks import assert_close, away_from, check_grad, rand, task

import minitorch


def test_2_1_mul_backward():
    tid, what = "2.1", "Mul backward: d(a*b)/da = b, d(a*b)/db = a"
    check_grad(tid, what, lambda a, b: a * b, {"a": rand(3, 4, seed=1), "b": rand(3, 4, seed=2)})
    check_grad(tid, what, lambda a: a * 2.5, {"a": rand(5, seed=3)}, note="a * 2.5, a Python number")


def test_2_2_div_backward():
    tid, what = "2.2", "Div backward: d(a/b)/da = 1/b, d(a/b)/db = -a/b^2"
    b = rand(3, 4, low=0.5, high=2.0, seed=5)
    check_grad(tid, what, lambda a, b: a / b, {"a": rand(3, 4, seed=4), "b": b})
    check_grad(tid, what, lambda a: a / 4.0, {"a": rand(5, seed=6)}, note="a / 4.0")
    check_grad(tid, what, lambda b: minitorch.div(2.0, b), {"b": rand(5, low=0.5, high=2.0, seed=7)},
               note="minitorch.div(2.0, b)")


def test_2_3_pow_backward():
    tid, what = "2.3", "Pow backward: d(a^b)/da = b a^(b-1), d(a^b)/db = a^b log(a)"
    a = rand(3, 4, low=0.5, high=2.0, seed=8)
    check_grad(tid, what, lambda a, b: a ** b, {"a": a, "b": rand(3, 4, low=-1.5, high=2.5, seed=9)})
    check_grad(tid, what, lambda a: a ** 3, {"a": rand(5, seed=10)}, note="a ** 3")
    check_grad(tid, what, lambda a: a ** -0.5, {"a": rand(5, low=0.5, high=2.0, seed=11)}, note="a ** -0.5")
    check_grad(tid, what, lambda b: 2.0 ** b, {"b": rand(5, seed=12)}, note="2.0 ** b")


def test_2_4_exp_log_backward():
    tid = "2.4"
    check_grad(tid, "Exp backward: d exp(x)/dx = exp(x)", lambda x: x.exp(), {"x": rand(3, 4, seed=13)})
    check_grad(tid, "Log backward: d log(x)/dx = 1/x", lambda x: x.log(),
               {"x": rand(3, 4, low=0.2, high=3.0, seed=14)})


def test_2_5_sqrt_backward():
    check_grad("2.5", "Sqrt backward: d sqrt(x)/dx = 1/(2 sqrt(x))", lambda x: x.sqrt(),
               {"x": rand(3, 4, low=0.2, high=3.0, seed=15)})


def test_2_6_sin_cos_backward():
    check_grad("2.6", "Sin backward: d sin(x)/dx = cos(x)", lambda x: x.sin(), {"x": rand(3, 4, low=-3, high=3, seed=16)})
    check_grad("2.6", "Cos backward: d cos(x)/dx = -sin(x)", lambda x: x.cos(),
               {"x": rand(3, 4, low=-3, high=3, seed=17)})


def test_2_7_sigmoid_backward():
    check_grad("2.7", "Sigmoid backward (SigmoidGrad): grad * s (1 - s)", lambda x: x.sigmoid(),
               {"x": rand(3, 4, low=-4, high=4, seed=18)})


def test_2_8_tanh_backward():
    check_grad("2.8", "Tanh backward (TanhGrad): grad * (1 - t^2)", lambda x: x.tanh(),
               {"x": rand(3, 4, low=-2, high=2, seed=19)})


def test_2_9_relu_backward():
    tid, what = "2.9", "ReLU backward (ThresholdGrad): grad where relu(x) > 0, else 0"
    check_grad(tid, what, lambda x: x.relu(), {"x": away_from(rand(3, 4, seed=20), [0.0])})
    x = minitorch.tensor([-1.0, 0.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    with task(tid, what):
        x.relu().backward(minitorch.tensor([5.0, 5.0, 5.0], dtype=minitorch.float64))
    assert_close(tid, what, x.grad, [0.0, 0.0, 5.0], "relu at x = [-1, 0, 2] with grad 5: (at 0 PyTorch gives 0)")


def test_2_10_abs_backward():
    check_grad("2.10", "Abs backward: d|x|/dx = sign(x)", lambda x: x.abs(),
               {"x": away_from(rand(3, 4, seed=21), [0.0])})


def test_2_11_clamp_backward():
    tid, what = "2.11", "Clamp backward: 1 inside [min, max], 0 outside"
    x = away_from(rand(3, 4, seed=22), [-0.5, 0.5])
    check_grad(tid, what, lambda x: x.clamp(-0.5, 0.5), {"x": x}, note="clamp(x, -0.5, 0.5)")
    check_grad(tid, what, lambda x: x.clamp(min=-0.5), {"x": x}, note="clamp(x, min=-0.5)")
    check_grad(tid, what, lambda x: x.clamp(max=0.5), {"x": x}, note="clamp(x, max=0.5)")


def test_2_12_maximum_backward():
    tid, what = "2.12", "Maximum backward: the gradient goes to the larger input"
    a, b = rand(3, 4, seed=23), rand(3, 4, seed=24)
    check_grad(tid, what, lambda a, b: minitorch.maximum(a, b), {"a": a, "b": b})
    a = minitorch.tensor([1.0, 2.0, 3.0], dtype=minitorch.float64, requires_grad=True)
    b = minitorch.tensor([3.0, 2.0, 1.0], dtype=minitorch.float64, requires_grad=True)
    with task(tid, what):
        minitorch.maximum(a, b).backward(minitorch.ones(3, dtype=minitorch.float64))
    assert_close(tid, what, a.grad, [0.0, 0.5, 1.0], "maximum(a=[1, 2, 3], b=[3, 2, 1]): a.grad (a tie splits 1/2)")
    assert_close(tid, what, b.grad, [1.0, 0.5, 0.0], "maximum(a=[1, 2, 3], b=[3, 2, 1]): b.grad (a tie splits 1/2)")


def test_2_13_sum_to_size_forward():
    tid, what = "2.13", "sum_to_size: sum a gradient back to a broadcast input's shape"
    x = np.arange(24.0).reshape(2, 3, 4)
    t = minitorch.tensor(x)
    cases = [((3, 4), x.sum(0)), ((3, 1), x.sum(0).sum(1, keepdims=True)), ((1, 3, 1), x.sum((0, 2), keepdims=True)),
             ((4,), x.sum((0, 1))), ((2, 1, 4), x.sum(1, keepdims=True)), ((1,), x.sum().reshape(1))]
    for shape, want in cases:
        with task(tid, what):
            got = t.sum_to_size(shape)
        assert_close(tid, what, got, want, f"x of shape (2, 3, 4) (x = arange(24)) summed to size {shape}")


def test_2_13_broadcast_gradients():
    tid, what = "2.13", "broadcast inputs get gradients of their own shape (sum_to_size)"
    check_grad(tid, what, lambda a, b: a + b, {"a": rand(3, 1, seed=25), "b": rand(4, seed=26)}, note="a + b")
    check_grad(tid, what, lambda a, b: a - b, {"a": rand(2, 3, 4, seed=27), "b": rand(3, 1, seed=28)}, note="a - b")
    check_grad(tid, what, lambda a, b: a + b, {"a": rand(2, 1, 4, seed=29), "b": rand(1, 3, 1, seed=30)},
               note="a + b")
