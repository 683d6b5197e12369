"""Assignment 3: matmul, reductions, softmax, indexing and shape ops backward."""

import numpy as np
from _checks import assert_close, check_grad, rand, task

import minitorch


def test_3_1_mm_backward():
    check_grad("3.1", "Mm backward: dA = grad @ B^T, dB = A^T @ grad", lambda a, b: a.mm(b),
               {"A": rand(2, 3, seed=1), "B": rand(3, 4, seed=2)}, note="A.mm(B)")


def test_3_2_matmul_backward():
    tid, what = "3.2", "batched matmul backward, summed over broadcast batch dims"
    check_grad(tid, what, lambda a, b: a @ b, {"A": rand(2, 2, 3, seed=3), "B": rand(2, 3, 2, seed=4)}, note="A @ B")
    check_grad(tid, what, lambda a, b: a @ b, {"A": rand(2, 1, 2, 3, seed=5), "B": rand(3, 3, 2, seed=6)},
               note="A @ B with broadcast batch dims (2, 1) and (3,)")


def test_3_3_sum_backward():
    tid, what = "3.3", "Sum backward: the gradient is broadcast back over the summed dims"
    x = rand(2, 3, 4, seed=7)
    check_grad(tid, what, lambda x: x.sum(), {"x": x}, note="x.sum()")
    check_grad(tid, what, lambda x: x.sum(1), {"x": x}, note="x.sum(1)")
    check_grad(tid, what, lambda x: x.sum((0, 2), keepdim=True), {"x": x}, note="x.sum((0, 2), keepdim=True)")


def test_3_4_mean_backward():
    tid, what = "3.4", "Mean backward: 1/N for each averaged element"
    x = rand(2, 3, 4, seed=8)
    check_grad(tid, what, lambda x: x.mean(), {"x": x}, note="x.mean()")
    check_grad(tid, what, lambda x: x.mean(-1), {"x": x}, note="x.mean(-1)")
    check_grad(tid, what, lambda x: x.mean((0, 1), keepdim=True), {"x": x}, note="x.mean((0, 1), keepdim=True)")


def test_3_5_amax_backward():
    tid, what = "3.5", "Amax backward: the gradient goes to the maxima, shared among ties"
    x = rand(3, 4, seed=9)
    check_grad(tid, what, lambda x: x.amax(1), {"x": x}, note="x.amax(1)")
    check_grad(tid, what, lambda x: x.max(), {"x": x}, note="x.max()")
    t = minitorch.tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]], dtype=minitorch.float64, requires_grad=True)
    with task(tid, what):
        t.amax(1).backward(minitorch.ones(2, dtype=minitorch.float64))
    assert_close(tid, what, t.grad, [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]],
                 "x = [[1, 3, 3], [2, 0, 1]]: the gradient of x.amax(1) (the two 3s share it)")


def test_3_6_max_dim_backward():
    tid, what = "3.6", "max(dim) backward: each gradient goes to its argmax"
    x = rand(3, 4, seed=10)
    check_grad(tid, what, lambda x: x.max(1)[0], {"x": x}, note="x.max(1).values")
    check_grad(tid, what, lambda x: x.max(0, keepdim=True)[0], {"x": x}, note="x.max(0, keepdim=True).values")
    check_grad(tid, what, lambda x: x.min(1)[0], {"x": x}, note="x.min(1).values")


def test_3_7_softmax_backward():
    tid, what = "3.7", "Softmax backward: y * (grad - sum(grad * y))"
    x = rand(3, 4, low=-2, high=2, seed=11)
    check_grad(tid, what, lambda x: x.softmax(1), {"x": x}, note="x.softmax(1)")
    check_grad(tid, what, lambda x: x.softmax(0), {"x": x}, note="x.softmax(0)")


def test_3_8_log_softmax_backward():
    tid, what = "3.8", "LogSoftmax backward: grad - softmax(x) * sum(grad)"
    x = rand(3, 4, low=-2, high=2, seed=12)
    check_grad(tid, what, lambda x: x.log_softmax(1), {"x": x}, note="x.log_softmax(1)")
    check_grad(tid, what, lambda x: x.log_softmax(0), {"x": x}, note="x.log_softmax(0)")


def test_3_9_index_backward():
    tid, what = "3.9", "indexing backward: zeros with the gradient put (added) at the index"
    x = rand(4, 3, seed=13)
    check_grad(tid, what, lambda x: x[1], {"x": x}, note="x[1]")
    check_grad(tid, what, lambda x: x[:, 1:3], {"x": x}, note="x[:, 1:3]")
    idx = minitorch.tensor([0, 2, 0])
    check_grad(tid, what, lambda x: x[idx], {"x": x}, note="x[tensor([0, 2, 0])]: row 0 is picked twice")
    t = minitorch.tensor([1.0, 2.0, 3.0], dtype=minitorch.float64, requires_grad=True)
    with task(tid, what):
        t[minitorch.tensor([0, 0, 2])].backward(minitorch.tensor([1.0, 10.0, 100.0], dtype=minitorch.float64))
    assert_close(tid, what, t.grad, np.array([11.0, 0.0, 100.0]),
                 "x[tensor([0, 0, 2])] with grad [1, 10, 100]: a repeated index must ADD its gradients")


def test_3_10_view_permute_expand_backward():
    tid = "3.10"
    x = rand(2, 3, 4, seed=14)
    check_grad(tid, "View backward: reshape back", lambda x: x.view(6, 4), {"x": x}, note="x.view(6, 4)")
    check_grad(tid, "Permute backward: the inverse permutation", lambda x: x.permute(2, 0, 1), {"x": x},
               note="x.permute(2, 0, 1)")
    check_grad(tid, "Permute backward: the inverse permutation", lambda x: x.permute(1, 2, 0), {"x": x},
               note="x.permute(1, 2, 0)")
    check_grad(tid, "Expand backward: sum over the expanded dims", lambda b: b.expand(3, 2, 4),
               {"b": rand(1, 4, seed=15)}, note="b.expand(3, 2, 4)")
