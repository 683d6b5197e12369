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
# # 4. Higher-order gradients
#
# minitorch's backward rules are themselves written with differentiable
# tensor ops. With `create_graph=True`, backward *records* the graph of the
# gradient computation, so the gradient can be differentiated again.

# %%
import numpy as np

import minitorch
from minitorch.autograd import grad

# %% [markdown]
# ## The derivatives of tanh
# d/dx tanh(x) = 1 - tanh(x)^2, and d^2/dx^2 tanh(x) = -2 tanh(x) (1 - tanh(x)^2).

# %%
x = minitorch.linspace(-3, 3, 7, dtype=minitorch.float64).requires_grad_()
y = x.tanh()
(dy,) = grad(y.sum(), x, create_graph=True)  # first derivative, still a graph
(d2y,) = grad(dy.sum(), x)  # second derivative
t = np.tanh(x.detach().numpy())
print(dy.detach())
print(d2y)
np.testing.assert_allclose(dy.detach().numpy(), 1 - t**2, rtol=1e-12)
np.testing.assert_allclose(d2y.numpy(), -2 * t * (1 - t**2), rtol=1e-12)

# %% [markdown]
# ## Newton's method
# Newton's method minimises f by x <- x - f'(x) / f''(x), using the second
# derivative. Here f(x) = x^4 - 3x^2 + x, starting at x = 2.

# %%
def f(x):
    return x**4 - 3 * x**2 + x


x = minitorch.tensor(2.0, dtype=minitorch.float64, requires_grad=True)
for step in range(6):
    (g,) = grad(f(x), x, create_graph=True)
    (h,) = grad(g, x)
    with minitorch.no_grad():
        x -= g / h
    print(f"step {step}: x = {x.item():.10f}, f'(x) = {g.item():.2e}")

(g,) = grad(f(x), x)
assert abs(g.item()) < 1e-8  # a stationary point, found in a handful of steps

# %% [markdown]
# ## Exercises
# 1. Compute the third derivative of `sigmoid` at 0 and compare with the formula.
# 2. Use Newton's method on f(x, y) = (x - 1)^2 + 10 (y - x^2)^2 with the 2x2 Hessian (two `grad` calls per row).
