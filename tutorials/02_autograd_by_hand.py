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
# # 2. Autograd by hand: the chain rule on a small graph
#
# Autograd is the chain rule, applied mechanically. In this tutorial we take
# one small function of two numbers and compute its gradient three times:
#
# 1. **by hand**, one local derivative at a time;
# 2. **by minitorch**, with `loss.backward()`;
# 3. **as a picture**, with `minitorch.viz`, which draws the graph that
#    minitorch recorded and lists the order in which backward visited it.
#
# The function is
#
# ```
#   q = x * y
#   r = q + x
#   L = r ** 2          at x = 2, y = 3
# ```
#
# Note that `x` is used twice: once in `q` and once in `r`. That is the
# interesting part.

# %%
import shutil

from _setup import OUT  # fast mode, the picture folder, matplotlib if installed

import minitorch
from minitorch import viz

# %% [markdown]
# ## 1. The forward pass by hand
# Evaluate the function from the inputs to the output, keeping every
# intermediate value: backward will need them.

# %%
x_val, y_val = 2.0, 3.0
q_val = x_val * y_val  # 6
r_val = q_val + x_val  # 8
L_val = r_val**2  # 64
print(f"q = {q_val}, r = {r_val}, L = {L_val}")

# %% [markdown]
# ## 2. The backward pass by hand
# Walk the graph from the output back to the inputs. Each step multiplies
# the gradient that arrives (dL/d output of the step) by the step's *local*
# derivative:
#
# | step        | local derivatives            | gradient that flows                 |
# |-------------|------------------------------|-------------------------------------|
# | `L = r**2`  | dL/dr = 2r = 16              | dL/dr = 16                          |
# | `r = q + x` | dr/dq = 1, dr/dx = 1         | dL/dq = 16 * 1, dL/dx (part) = 16   |
# | `q = x * y` | dq/dx = y = 3, dq/dy = x = 2 | dL/dx (part) = 16 * 3, dL/dy = 32   |
#
# `x` receives gradient along **two** paths (through `r` directly, and
# through `q`). The multivariable chain rule says: **add** them.
# dL/dx = 16 + 48 = 64.

# %%
dL_dr = 2 * r_val  # from L = r**2
dL_dq = dL_dr * 1.0  # from r = q + x
dL_dx_via_r = dL_dr * 1.0  # the direct path x -> r
dL_dx_via_q = dL_dq * y_val  # the path x -> q -> r
dL_dy = dL_dq * x_val
dL_dx = dL_dx_via_r + dL_dx_via_q  # two paths: the contributions add up
print(f"dL/dx = {dL_dx_via_r} + {dL_dx_via_q} = {dL_dx}")
print(f"dL/dy = {dL_dy}")

# %% [markdown]
# A quick sanity check that needs no calculus: nudge `x` a little and see
# how much `L` moves (a *finite difference*).

# %%
def f(x, y):
    return (x * y + x) ** 2


h = 1e-6
print("finite difference dL/dx:", (f(x_val + h, y_val) - f(x_val - h, y_val)) / (2 * h))
assert abs((f(x_val + h, y_val) - f(x_val - h, y_val)) / (2 * h) - dL_dx) < 1e-4

# %% [markdown]
# ## 3. The same with minitorch
# Tensors created with `requires_grad=True` are *leaves* of the graph. Every
# operation on them records a node (`grad_fn`) that knows its backward rule
# and which nodes its inputs came from.

# %%
x = minitorch.tensor(x_val, requires_grad=True)
y = minitorch.tensor(y_val, requires_grad=True)
q = x * y
r = q + x
L = r**2
print(L)
print("L.grad_fn:", L.grad_fn.name())
print("r.grad_fn:", r.grad_fn.name(), " q.grad_fn:", q.grad_fn.name())
print("x is a leaf:", x.is_leaf, " q is a leaf:", q.is_leaf)

# %% [markdown]
# Each node links to the nodes of its inputs (`next_functions`, as in
# PyTorch). Leaves end in an `AccumulateGrad` node: that is where backward
# writes into `.grad`.

# %%
for node, _ in L.grad_fn.next_functions:
    print("PowBackward0 ->", node.name())

# %% [markdown]
# `backward()` runs the chain rule from `L` back to the leaves. The numbers
# are the ones we computed by hand.

# %%
L.backward(retain_graph=True)  # keep the graph: we draw it below
print("x.grad =", x.grad, " y.grad =", y.grad)
assert x.grad.item() == dL_dx and y.grad.item() == dL_dy

# %% [markdown]
# ## 4. The order backward runs in
# `minitorch.viz.backward_steps` runs backward while listening to the engine,
# and gives one record per node, in the order the engine ran them. A node
# runs only when *all* its consumers have sent their gradient: that is why
# `x`'s `AccumulateGrad` comes last, after both of its contributions
# (16 from `AddBackward0` and 48 from `MulBackward0`) have arrived.
#
# `backward_steps` calls backward itself, and gradients *accumulate* in
# `.grad`, so reset them first.

# %%
x.grad = None
y.grad = None
steps = list(viz.backward_steps(L))
names = {id(x): "x", id(y): "y"}
for step in steps:
    print(step.text(names))
print([s.name for s in steps])
assert steps[-1].is_leaf and x.grad.item() == 64.0

# %% [markdown]
# ## 5. The picture
# `make_dot` draws the recorded graph. Inputs at the top, the output at the
# bottom (the forward direction); the blue boxes are the leaves,
# `show_values=True` prints each tensor's value, `show_grads=True` the
# gradients in red. Given the steps recorded above (`grads=steps`), every
# node also shows the gradient it received, and the two edges leaving `x`'s
# `AccumulateGrad` show the two contributions (16 and 48) that were added.
#
# Drawing needs the Python package `graphviz` and the `dot` program
# (`apt-get install graphviz`, `brew install graphviz`); without them the
# DOT text (`graph.source`) is still available.

# %%
params = {"x": x, "y": y, "q": q, "r": r}
try:
    graph = viz.make_dot(L, params=params, show_values=True, show_grads=True, grads=steps)
    print(graph.source[:300], "...")
except ImportError as e:  # the Python package graphviz is missing
    graph = None
    print(e)
if graph is not None and shutil.which("dot"):
    png = viz.save_graph(L, OUT / "02_graph.png", params=params)  # values and leaf gradients
    (OUT / "02_graph_with_grads.png").write_bytes(graph.pipe(format="png"))  # plus the gradients that flowed
    print("wrote", png, "and", OUT / "02_graph_with_grads.png")
else:
    print("Graphviz is not installed: no picture (pip install graphviz; the 'dot' program: apt-get install graphviz)")

# %% [markdown]
# In Jupyter, a cell that ends with `graph` shows the picture inline.
#
# ## Exercises
# 1. Compute by hand, then check with minitorch, the gradient of `L = (x * y + x.exp()) ** 2` at x = 0, y = 3.
# 2. Call `L.backward()` twice (with `retain_graph=True`) without resetting `.grad`. What is `x.grad`, and why?
# 3. Build `L = x * x * x` and predict the list of step names `backward_steps` returns before running it.
