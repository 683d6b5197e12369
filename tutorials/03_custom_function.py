# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     name: python3
# ---

# %% [markdown]
# # 3. Writing your own `Function`, and checking it with `gradcheck`
#
# Every operation in minitorch is a `minitorch.autograd.Function`: a
# `forward` that computes the result and a `backward` that turns the
# gradient of the output into gradients of the inputs. You can write your
# own, exactly as with `torch.autograd.Function`. Reasons to do so: a
# formula that is more stable or faster than the composition of built-in ops,
# or a gradient you want to control.
#
# The danger: nothing stops you from writing a wrong `backward`. That is what
# `gradcheck` is for. This tutorial writes a function, checks it, then breaks
# it on purpose to see how gradcheck reports the mistake.

# %%
import numpy as np

import minitorch
from minitorch.autograd import Function, GradcheckError, gradcheck, gradgradcheck

# %% [markdown]
# ## The problem: softplus overflows
# softplus(x) = log(1 + e^x) is a smooth version of relu. Written as it
# reads, it breaks for large x: e^x overflows to `inf` in float32 already at
# x = 89, and log(inf) = inf, although the true value is simply about x.

# %%
x = minitorch.tensor([-100.0, -1.0, 0.0, 1.0, 100.0])
naive = (1 + x.exp()).log()
print("naive softplus:", naive)

# %% [markdown]
# The stable formula rewrites it so that `exp` only sees numbers <= 0:
#
# ```
# log(1 + e^x) = max(x, 0) + log(1 + e^(-|x|))
# ```
#
# (for x > 0 factor out e^x: log(e^x (e^-x + 1)) = x + log(1 + e^-x)).
# Its derivative is the sigmoid: d/dx log(1 + e^x) = e^x / (1 + e^x) = sigmoid(x).

# %% [markdown]
# ## Writing the Function
# * `forward(ctx, x)` receives tensors and runs with gradient recording
#   off: use any tensor ops. Save what backward needs with
#   `ctx.save_for_backward`.
# * `backward(ctx, grad)` receives dL/d(output) and returns dL/d(input), one
#   gradient per forward argument. Write it with tensor ops too: then the
#   backward is itself differentiable (second derivatives work).
# * Call it with `Softplus.apply(x)`, never `Softplus.forward`.

# %%
class Softplus(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0) + (-x.abs()).exp().log1p()

    @staticmethod
    def backward(ctx, grad):
        """d softplus(x)/dx = sigmoid(x)."""
        (x,) = ctx.saved_tensors
        return grad * x.sigmoid()


def softplus(x):
    return Softplus.apply(x)


y = softplus(x)
print("stable softplus:", y)
print(softplus(x.clone().requires_grad_()))  # the node is named after the class, as in PyTorch
reference = np.logaddexp(0.0, x.numpy())  # NumPy's stable log(e^0 + e^x)
np.testing.assert_allclose(y.numpy(), reference, rtol=1e-6)

# %% [markdown]
# It matches minitorch's own `nn.functional.softplus` too (which switches to
# the identity above `threshold=20`, as PyTorch's does):

# %%
print(minitorch.nn.functional.softplus(x))

# %% [markdown]
# ## Checking the gradient with `gradcheck`
# `gradcheck(func, inputs)` computes the Jacobian twice: with your
# `backward`, and with *central finite differences*
# (f(x + eps) - f(x - eps)) / (2 eps), which never looks at backward. It
# returns True when they agree. Use **float64** inputs: in float32 the
# round-off of f divided by 2 eps = 2e-6 would swamp the comparison.

# %%
minitorch.manual_seed(0)
x64 = (5 * minitorch.randn(6, dtype=minitorch.float64)).requires_grad_()
print("x =", x64.detach())
print("gradcheck:", gradcheck(softplus, (x64,)))

# %% [markdown]
# Because `backward` is written with differentiable ops (`sigmoid`, `*`),
# second derivatives work as well; `gradgradcheck` checks them against
# finite differences of the backward pass.

# %%
print("gradgradcheck:", gradgradcheck(softplus, (x64,)))

# %% [markdown]
# ## A deliberately wrong backward
# Now a cube, x^3, whose derivative is 3x^2. Suppose we forget the 3: a
# classic slip. Forward is right, so the values look fine, and training
# would "work", only worse. gradcheck catches it.

# %%
class BadCube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, grad):
        """d x^3/dx = 3 x^2 ... but the 3 is missing (on purpose)."""
        (x,) = ctx.saved_tensors
        return grad * x * x


x4 = minitorch.tensor([0.5, -1.0, 1.5, 2.0], dtype=minitorch.float64, requires_grad=True)
try:
    gradcheck(BadCube.apply, (x4,))
except GradcheckError as e:
    message = str(e)
    print(message)
assert "Likely cause" in message and "factor of 3" in message

# %% [markdown]
# How to read the report:
#
# * the **table** lists the worst Jacobian elements: which input element,
#   which output element, what backward said (*analytical*), what finite
#   differences measured (*numerical*), and the errors. For an elementwise
#   function only the diagonal (input i -> output i) is non-zero.
# * **Likely cause** names the pattern it recognised: here every analytical
#   value is 1/3 of the numerical one, so a constant is missing.
# * the two full Jacobians follow (rows: input elements, columns: output
#   elements, PyTorch's layout).
#
# With `raise_exception=False`, gradcheck returns False instead of raising,
# which is handy in an `assert`:

# %%
print("BadCube passes?", gradcheck(BadCube.apply, (x4,), raise_exception=False))

# %% [markdown]
# ## Another classic: forgetting the upstream gradient
# `backward` must multiply by `grad` (the chain rule). A backward that
# returns the local derivative alone gives the right answer only when the
# cube is the very last operation and its output is summed. gradcheck builds
# the analytical Jacobian one output element at a time, calling backward
# with a one-hot `grad` (1 for output element j, 0 elsewhere). A backward
# that ignores `grad` returns the same thing every time, so the analytical
# Jacobian gets non-zero entries *off* the diagonal, where finite
# differences measure 0 (output j does not depend on input i != j):

# %%
class ForgetfulCube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, grad):
        """d x^3/dx = 3 x^2, but not multiplied by grad (on purpose)."""
        (x,) = ctx.saved_tensors
        return 3 * x * x


try:
    gradcheck(ForgetfulCube.apply, (x4,))
except GradcheckError as e:
    print(e)
    assert "0 with respect to input 0" in str(e)

# %% [markdown]
# ## Exercises
# 1. Write `LogSigmoid` as a `Function` with a stable forward (log sigmoid(x) = -softplus(-x)) and its backward;
#    check it with `gradcheck` and `gradgradcheck` at inputs as large as +-50.
# 2. Write a two-input `Function` `ScaledAdd(a, b, alpha)` returning `a + alpha * b`, where `b` may broadcast
#    (shape (3,) against (2, 3)). Return `None` for `alpha`. What does gradcheck say if backward forgets to sum
#    the gradient of `b` over the broadcast dimension?
# 3. Fix `BadCube` and check that `gradcheck` now returns True. Then change the backward to `grad * 3 * x * x.abs()`
#    and predict which rows of the table gradcheck will print.
