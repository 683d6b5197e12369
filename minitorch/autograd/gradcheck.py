"""Gradient checking (placeholder until the full implementation lands)."""


def numerical_grad(f, x, eps=1e-6):
    raise NotImplementedError("minitorch.autograd.numerical_grad is being written")


def gradcheck(func, inputs, **kwargs):
    raise NotImplementedError("minitorch.autograd.gradcheck is being written")


def gradgradcheck(func, inputs, **kwargs):
    raise NotImplementedError("minitorch.autograd.gradgradcheck is being written")
