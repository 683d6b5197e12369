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
# # 11. Watching backprop
#
# Tutorial 2 followed backward through five nodes by hand. A network has
# more, but the engine does exactly the same thing: it visits the nodes from
# the loss back to the parameters, and at each node turns the gradient that
# arrived into gradients for the node's inputs. `minitorch.viz` can record
# that walk and replay it, one picture per step:
#
# * `backward_steps(loss)` runs backward and returns one record per node,
#   in the order the engine ran them;
# * `render_backward(loss, out_dir)` draws one frame per step plus an
#   `index.html` to flip through them (needs the Graphviz `dot` program).

# %%
import importlib.util
import shutil

import numpy as np
from _setup import OUT, plt  # fast mode, the picture folder, matplotlib if installed

import minitorch
from minitorch import nn, viz

HAVE_DOT = shutil.which("dot") is not None and importlib.util.find_spec("graphviz") is not None
if not HAVE_DOT:
    print("Graphviz is not installed (pip install graphviz, and the 'dot' program: apt-get install graphviz): "
          "no pictures, text only")


# %% [markdown]
# ## A small MLP and its graph
# Two inputs, three hidden units, one output, and a batch of two examples:
# small enough that every gradient fits on the page. Running the forward
# pass inside `viz.record_modules(model)` remembers which module made each
# node, so the drawing can box the nodes by layer.

# %%
minitorch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
x = minitorch.tensor([[0.5, -1.0], [1.0, 2.0]])
target = minitorch.tensor([[1.0], [0.0]])

with viz.record_modules(model):
    pred = model(x)
    loss = nn.functional.mse_loss(pred, target)
print("prediction:", pred.detach().flatten().tolist(), " loss:", round(loss.item(), 4))

if HAVE_DOT:
    graph = viz.make_dot(loss, module=model, group_by_module=True, show_values=True)
    (OUT / "11_graph.png").write_bytes(graph.pipe(format="png"))
    print("wrote", OUT / "11_graph.png")

# %% [markdown]
# Reading the graph from the bottom up is reading the forward pass
# backwards: `MeanBackward0` (the mean of the loss), `MulBackward0` (the
# square d * d, which is why two edges arrive from `SubBackward0`),
# `SubBackward0` (d = pred - target), then the layers. A `Linear` layer is
# one `AddmmBackward0` node: bias + input @ weight.T in one operation.
#
# ## The backward pass, step by step
# `backward_steps` runs `loss.backward()` and listens to the engine. Each
# record says which node ran, the gradient it received, and what it sent to
# each input (a leaf's `AccumulateGrad` adds into `.grad`).

# %%
params = dict(model.named_parameters())
names = {id(p): name for name, p in params.items()}
steps = list(viz.backward_steps(loss))
for step in steps:
    print(step.text(names))
    print()

# %% [markdown]
# A few things to check in that list:
#
# * the first node is `MeanBackward0`, receiving 1 (dL/dL);
# * a node runs only after all its consumers: `SubBackward0` waits for both
#   inputs of the square, and receives their sum, 2 * d / N;
# * the engine reaches `2.bias` and `2.weight` before the first layer:
#   gradients flow backward layer by layer.
#
# Let us verify two of the numbers with NumPy. For the mean squared error
# over N = 2 examples, dL/dpred = 2 (pred - target) / N. And for the last
# layer pred = h @ W.T + b, so dL/dW = (dL/dpred).T @ h, where h is the
# output of the tanh.

# %%
print("engine order:", [s.name for s in steps])
dpred = 2 * (pred.detach().numpy() - target.numpy()) / 2
sub_step = next(s for s in steps if s.name == "SubBackward0")
np.testing.assert_allclose(sub_step.grads_in[0].numpy(), dpred, rtol=1e-6)
h = model[1](model[0](x)).detach().numpy()
np.testing.assert_allclose(model[2].weight.grad.numpy(), dpred.T @ h, rtol=1e-5)
print("dL/dpred =", dpred.ravel(), " matches the gradient SubBackward0 received")
print("2.weight.grad =", model[2].weight.grad.numpy().ravel(), " = dL/dpred.T @ h")
assert steps[0].name == "MeanBackward0" and sum(s.is_leaf for s in steps) == 4  # four parameters

# %% [markdown]
# ## The replay
# `render_backward` does the same walk and draws the whole graph once per
# step: the node running now in gold, the nodes already done in grey, the
# gradient that arrived in red inside each node, and the gradients in
# flight in red on the edges. It writes `step_000.png`, `step_001.png`, ...
# and an `index.html` that flips through them (arrow keys or buttons) with
# the step's text underneath. Open it in a browser.
#
# It runs backward again, and gradients accumulate, so clear them first.

# %%
frames = []
if HAVE_DOT:
    model.zero_grad()
    replay_dir = OUT / "11_replay"
    frames = viz.render_backward(loss, replay_dir, format="png", params=params)
    print(f"wrote {len(frames)} frames and {replay_dir / 'index.html'}")
    assert len(frames) == len(steps) and (replay_dir / "index.html").exists()
    np.testing.assert_allclose(model[2].weight.grad.numpy(), dpred.T @ h, rtol=1e-5)  # not doubled

# %% [markdown]
# Four of the frames: the start, the gradient reaching the last layer, the
# first layer, and the end. (The frames count steps from 1; the printed
# records above count from 0.)

# %%
if plt is not None and frames:
    picks = [0, 3, 7, len(frames) - 1]
    fig, axes = plt.subplots(2, 2, figsize=(12, 14))
    for ax, k in zip(axes.flat, picks):
        ax.imshow(plt.imread(frames[k]))  # each frame carries its own title, "step k of n: node"
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(OUT / "11_replay_frames.png", dpi=110)
    plt.close(fig)
    print("wrote", OUT / "11_replay_frames.png")

# %% [markdown]
# ## Exercises
# 1. Add a second hidden layer (`nn.Linear(3, 3), nn.Tanh()`) and predict how many steps the replay will have
#    before running it.
# 2. Replace `nn.Tanh()` by `nn.ReLU()` and find, in the printed steps, the hidden units whose gradient is exactly
#    zero. Why are they zero?
# 3. Use the same `x` twice in the forward pass (e.g. `model(x) + model(x)`) and find the step where the two
#    contributions to `0.weight.grad` are added.
