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
# # 1. Tensors, shapes and broadcasting
#
# A minitorch `Tensor` is a NumPy array plus what autograd needs. Everything
# you know from NumPy carries over; the names are PyTorch's, so everything
# you learn here carries over to PyTorch too (`import minitorch as torch`).
#
# In this tutorial: creating tensors, dtypes, shapes and views, and
# broadcasting: the rule that lets `(3, 1)` and `(1, 4)` tensors be added.

# %%
import numpy as np

import minitorch

# %% [markdown]
# ## Creating tensors
# `minitorch.tensor` copies data; the dtype is inferred as PyTorch does:
# Python floats become `float32` (the *default dtype*), Python ints `int64`.

# %%
a = minitorch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
b = minitorch.tensor([1, 2, 3])
print(a, a.dtype, a.shape)
print(b, b.dtype)
assert a.dtype == minitorch.float32 and b.dtype == minitorch.int64

# %% [markdown]
# Factories take a shape: `zeros`, `ones`, `full`, `arange`, `linspace`,
# `eye`, and random ones seeded by `manual_seed`.

# %%
minitorch.manual_seed(0)
print(minitorch.zeros(2, 3))
print(minitorch.arange(0, 10, 3))
print(minitorch.randn(2, 2))

# %% [markdown]
# ## The NumPy correspondence
# A CPU tensor and a NumPy array can share memory: `from_numpy` and
# `.numpy()` make no copies, so a change through one shows in the other.

# %%
arr = np.arange(4.0)
t = minitorch.from_numpy(arr)
arr[0] = 100.0
print(t)
assert t[0].item() == 100.0

# %% [markdown]
# ## Type promotion
# Mixing dtypes follows PyTorch's rules: integers and floats give the
# float; a Python scalar never widens a tensor's dtype.

# %%
print((b + 0.5).dtype)  # int64 tensor + Python float -> float32
print((a * 2).dtype)  # float32 stays float32
print((b > 1))  # comparisons give bool tensors
assert (b + 0.5).dtype == minitorch.float32

# %% [markdown]
# ## Shapes and views
# `reshape`, `view`, `transpose`, `permute`, slicing and `unsqueeze` give
# *views*: new shapes over the same memory (no copy).

# %%
x = minitorch.arange(12.0)
m = x.view(3, 4)
m[0, 0] = -1.0
print(x[:4])  # changed through the view
print(m.T.shape, m.unsqueeze(0).shape, m[:, 1::2].shape)
assert x[0].item() == -1.0

# %% [markdown]
# ## Broadcasting
# Shapes are compared from the right. Two sizes are compatible when they
# are equal or one of them is 1; missing leading dimensions count as 1.
#
# ```
#   (3, 1)
#   (   4)   ->  (3, 4)
# ```

# %%
col = minitorch.tensor([[0.0], [10.0], [20.0]])  # (3, 1)
row = minitorch.tensor([1.0, 2.0, 3.0, 4.0])  # (4,)
grid = col + row
print(grid)
np.testing.assert_allclose(grid.numpy(), col.numpy() + row.numpy())

# %% [markdown]
# When shapes do not fit, the error names both sizes and the dimension:

# %%
try:
    minitorch.ones(2, 3) + minitorch.ones(4)
except RuntimeError as e:
    print("RuntimeError:", e)

# %% [markdown]
# ## Exercises
# 1. Predict the shape of `minitorch.ones(5, 1, 3) * minitorch.ones(4, 1)`, then check.
# 2. Normalise each row of `grid` to sum to 1 using broadcasting (hint: `sum(dim=1, keepdim=True)`).
# 3. Why does `m.T.view(12)` fail while `m.T.reshape(12)` works?
