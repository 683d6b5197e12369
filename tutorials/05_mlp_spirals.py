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
# # 5. `nn.Module` and an MLP on spirals
#
# Tutorials 2-4 worked with single tensors. Real models have many
# parameters, organised in layers. `minitorch.nn` (like `torch.nn`) gives
# the building blocks:
#
# * `nn.Module`: a container that finds its parameters for you;
# * layers (`nn.Linear`, `nn.Tanh`, ...) and losses (`nn.CrossEntropyLoss`);
# * `minitorch.optim`: optimizers that update the parameters from their `.grad`.
#
# We train a small multi-layer perceptron (MLP) to tell three interleaved
# spiral arms apart: a problem that no straight line can solve.

# %%

from _setup import FAST, OUT, plt  # fast mode, the picture folder, matplotlib if installed

import minitorch
from minitorch import nn
from minitorch.vision.datasets import Spirals

# %% [markdown]
# ## The data
# `Spirals` generates its points from its own seed, so everyone gets the same
# data. `data` is a float32 tensor (N, 2) of points, `targets` an int64
# tensor (N,) of class labels 0, 1, 2. A second draw with another seed is our
# test set: points the model never trains on.

# %%
train = Spirals(n_samples=450, n_classes=3, noise=0.05, seed=0)
test = Spirals(n_samples=300, n_classes=3, noise=0.05, seed=1)
X, y = train.data, train.targets
print(train)
print("X:", X.shape, X.dtype, " y:", y.shape, y.dtype, " first labels:", y[:8].tolist())

COLORS = ["tab:blue", "tab:orange", "tab:green"]
if plt is not None:
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    for k in range(3):
        pts = X[y == k].numpy()
        ax.scatter(pts[:, 0], pts[:, 1], s=10, color=COLORS[k], label=f"class {k}")
    ax.set_aspect("equal")
    ax.set_title("Spirals: training points")
    ax.legend(loc="upper right", fontsize=8)
    fig.savefig(OUT / "05_spirals.png", dpi=100, bbox_inches="tight")
    plt.close(fig)

# %% [markdown]
# ## A model is an `nn.Module`
# Subclass `nn.Module`, create the layers in `__init__` (as attributes),
# and say how they are applied in `forward`. Calling `model(x)` runs
# `forward` (plus any hooks). Assigning a layer to `self.something`
# *registers* it, so `model.parameters()` finds every weight and bias inside.
#
# `nn.Linear(2, 32)` computes `x @ W.T + b` with `W` of shape (32, 2): it
# maps each 2-D point to 32 numbers. The `tanh` in between is what makes
# the model non-linear: without it, three linear layers would collapse into
# one.

# %%
class MLP(nn.Module):
    def __init__(self, n_in: int = 2, hidden: int = 32, n_classes: int = 3):
        super().__init__()
        self.layer1 = nn.Linear(n_in, hidden)
        self.layer2 = nn.Linear(hidden, hidden)
        self.head = nn.Linear(hidden, n_classes)
        self.act = nn.Tanh()

    def forward(self, x):
        x = self.act(self.layer1(x))
        x = self.act(self.layer2(x))
        return self.head(x)  # logits: one unnormalised score per class


minitorch.manual_seed(0)
model = MLP()
print(model)
for name, p in model.named_parameters():
    print(f"{name:15s} {str(list(p.shape)):10s} requires_grad={p.requires_grad}")
n_params = sum(p.numel() for p in model.parameters())
print("parameters:", n_params)
assert n_params == (2 * 32 + 32) + (32 * 32 + 32) + (32 * 3 + 3)

# %% [markdown]
# `nn.Sequential` builds the same kind of model without writing a class,
# when the layers simply run one after another:
#
# ```python
# nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 3))
# ```
#
# ## The loss
# `nn.CrossEntropyLoss` takes the logits (N, 3) and the labels (N,): it
# applies `log_softmax` and averages -log p(correct class). Before training
# the model guesses about uniformly, so the loss is close to
# -log(1/3) = log 3 = 1.0986.

# %%
loss_fn = nn.CrossEntropyLoss()
with minitorch.no_grad():
    print("initial loss:", loss_fn(model(X), y).item())

# %% [markdown]
# ## The training loop
# Every step does the same four things:
#
# 1. `optimizer.zero_grad()`: clear the gradients of the previous step
#    (backward *adds* into `.grad`);
# 2. forward: compute the loss;
# 3. `loss.backward()`: fill every parameter's `.grad`;
# 4. `optimizer.step()`: move each parameter against its gradient.
#
# The whole training set (450 points) fits in one batch here; tutorial 7
# shows how to feed mini-batches with a `DataLoader`.

# %%
def accuracy(model, X, y) -> float:
    model.eval()  # no difference for this model; matters for dropout and batch norm
    with minitorch.no_grad():  # no graph needed to evaluate
        predicted = model(X).argmax(dim=1)
    model.train()
    return (predicted == y).float().mean().item()


def train_model(model, optimizer, steps: int) -> list:
    losses = []
    for step in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if step % (steps // 5) == 0 or step == steps - 1:
            print(f"  step {step:4d}  loss {loss.item():.4f}  train acc {accuracy(model, X, y):.3f}")
    return losses


STEPS = 300 if FAST else 600

# %% [markdown]
# ## SGD and Adam
# `optim.SGD` takes a step of size `lr` against the gradient (with
# `momentum`, it keeps a running average of past steps). `optim.Adam` also
# scales each parameter's step by a running estimate of its gradient's size,
# which makes it much less sensitive to the choice of `lr`. Same model, same
# initial weights (same seed), same number of steps:

# %%
minitorch.manual_seed(0)
sgd_model = MLP()
print("SGD (lr=0.1, momentum=0.9)")
sgd_losses = train_model(sgd_model, minitorch.optim.SGD(sgd_model.parameters(), lr=0.1, momentum=0.9), STEPS)

minitorch.manual_seed(0)
model = MLP()
print("Adam (lr=0.02)")
adam_losses = train_model(model, minitorch.optim.Adam(model.parameters(), lr=0.02), STEPS)

# %% [markdown]
# SGD is still crawling along a plateau where Adam has already separated the
# arms. (Tutorial 6 compares optimizers in more detail.)

# %%
if plt is not None:
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot(sgd_losses, label="SGD + momentum")
    ax.plot(adam_losses, label="Adam")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy loss")
    ax.legend()
    ax.set_title("Training loss")
    fig.savefig(OUT / "05_losses.png", dpi=100, bbox_inches="tight")
    plt.close(fig)

# %% [markdown]
# ## Accuracy on unseen points
# The number that matters is the accuracy on the test set.

# %%
test_acc = accuracy(model, test.data, test.targets)
print(f"Adam: test accuracy {test_acc:.3f}   SGD: test accuracy {accuracy(sgd_model, test.data, test.targets):.3f}")
assert test_acc >= 0.9, test_acc

# %% [markdown]
# ## The decision boundary
# Classify every point of a fine grid and colour it by the predicted class:
# the coloured regions are what the network has learned. One forward pass
# of all grid points at once (a (N, 2) batch) is enough.

# %%
n = 150
xs = minitorch.linspace(-1.3, 1.3, n)
gx, gy = xs.view(1, n).expand(n, n), xs.view(n, 1).expand(n, n)  # the grid's x and y coordinates
grid = minitorch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)  # (n*n, 2)
with minitorch.no_grad():
    regions = model(grid).argmax(dim=1).view(n, n)
print("grid:", grid.shape, "-> predicted classes", regions.shape)

if plt is not None:
    from matplotlib.colors import ListedColormap

    fig, ax = plt.subplots(figsize=(5, 5))
    ax.contourf(gx.numpy(), gy.numpy(), regions.numpy(), levels=[-0.5, 0.5, 1.5, 2.5],
                cmap=ListedColormap(COLORS), alpha=0.3)
    tx, ty = test.data.numpy(), test.targets.numpy()
    for k in range(3):
        ax.scatter(tx[ty == k, 0], tx[ty == k, 1], s=10, color=COLORS[k], edgecolors="k", linewidths=0.3,
                   label=f"class {k}")
    ax.set_aspect("equal")
    ax.set_title(f"Decision regions, test points (accuracy {test_acc:.1%})")
    ax.legend(loc="upper right", fontsize=8)
    fig.savefig(OUT / "05_decision_boundary.png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    print("wrote", OUT / "05_decision_boundary.png")

# %% [markdown]
# ## Saving and loading
# `state_dict()` maps each parameter's name to its tensor; `minitorch.save`
# writes it to a file and `minitorch.load` reads it back (without running any
# code from the file). Load it into a fresh model of the same class:

# %%
minitorch.save(model.state_dict(), OUT / "05_mlp.pt")
restored = MLP()
print(restored.load_state_dict(minitorch.load(OUT / "05_mlp.pt")))
with minitorch.no_grad():
    assert minitorch.equal(restored(test.data), model(test.data))
print("restored model gives identical outputs")

# %% [markdown]
# ## Exercises
# 1. Replace `nn.Tanh` by `nn.ReLU`, then make the hidden layers narrower (8 units). How do the decision regions
#    change shape, and what happens to the test accuracy?
# 2. Find a learning rate for which SGD with momentum reaches 90% test accuracy in the same number of steps.
# 3. Train on `Spirals(n_classes=5)` (adjust the output layer). How many hidden units does it take?
