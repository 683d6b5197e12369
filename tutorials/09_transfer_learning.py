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
# # 9. Transfer learning: pretrain, freeze, replace the head, fine-tune
#
# Training a network from scratch needs many labelled examples. Transfer
# learning reuses a network trained on a big task (in practice: ImageNet) as
# a feature extractor for a new task with few examples. The recipe, as in
# PyTorch's transfer-learning tutorial:
#
# 1. **pretrain** (or download) a network on the big task, and save it;
# 2. **load** it and **freeze** its parameters (`requires_grad = False`);
# 3. **replace the head** (`model.fc`) with a new layer for the new classes;
# 4. **train the head** only, or **fine-tune** everything with a small
#    learning rate.
#
# minitorch works offline, so we make our own "big task": the digits 0-4.
# The new task is the digits 5-9, with only 10 training images per digit.
# `minitorch/examples/transfer_learning.py` is the same experiment as a
# script, with a larger network.

# %%

import numpy as np
from _setup import FAST, OUT, plt  # fast mode, the picture folder, matplotlib if installed

import minitorch
from minitorch import nn, optim
from minitorch.nn import functional as F
from minitorch.vision import models
from minitorch.vision.datasets import Digits

# %% [markdown]
# ## Two tasks from one dataset
# `subset` keeps the images of some digits and renumbers their labels from 0
# (digits 5..9 become classes 0..4). The new task's training set keeps only
# `SHOTS` images per digit.

# %%
OLD, NEW, SHOTS = [0, 1, 2, 3, 4], [5, 6, 7, 8, 9], 10


def subset(train: bool, digits: list):
    data = Digits(train=train)
    labels = data.targets.numpy()
    keep = np.flatnonzero(np.isin(labels, digits))
    return data.data[minitorch.tensor(keep)], minitorch.tensor(np.searchsorted(np.array(digits), labels[keep]))


old_x, old_y = subset(True, OLD)
old_test_x, old_test_y = subset(False, OLD)
new_all_x, new_all_y = subset(True, NEW)
rng = np.random.default_rng(0)
few = np.sort(np.concatenate([rng.choice(np.flatnonzero(new_all_y.numpy() == c), SHOTS, replace=False)
                              for c in range(len(NEW))]))
new_x, new_y = new_all_x[minitorch.tensor(few)], new_all_y[minitorch.tensor(few)]
new_test_x, new_test_y = subset(False, NEW)
print(f"old task: {len(old_y)} training images of {OLD}")
print(f"new task: {len(new_y)} training images of {NEW} ({SHOTS} each), {len(new_test_y)} test images")


def batches(x, y, batch_size: int):
    """Shuffled mini-batches (a DataLoader over a TensorDataset would do the same)."""
    order = minitorch.randperm(len(y))
    for start in range(0, len(y), batch_size):
        idx = order[start:start + batch_size]
        yield x[idx], y[idx]


def train(model, x, y, params, epochs: int, lr: float, batch_size: int = 32) -> None:
    optimizer = optim.Adam(params, lr=lr)
    for _ in range(epochs):
        for xb, yb in batches(x, y, batch_size):
            loss = F.cross_entropy(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def accuracy(model, x, y) -> float:
    model.eval()
    with minitorch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


# %% [markdown]
# ## 1. Pretrain on the old task, and save
# `models.resnet_small` is a small ResNet with the module names of
# `resnet18` (`conv1`, `layer1` ... `layer4`, `fc`), so everything below
# works the same with a real `resnet18`. `width=8` keeps it quick.

# %%
minitorch.manual_seed(0)
source = models.resnet_small(num_classes=len(OLD), in_channels=1, width=8)
source.train()
train(source, old_x, old_y, source.parameters(), epochs=2 if FAST else 4, lr=1e-2)
print(f"pretrained on {OLD}: test accuracy {accuracy(source, old_test_x, old_test_y):.3f}")
checkpoint = OUT / "09_resnet_small_digits04.pt"
minitorch.save(source.state_dict(), checkpoint)
print("fc before replacing:", source.fc)

# %% [markdown]
# ## 2. Load, freeze, replace the head
# `weights=path` builds the model and loads the saved `state_dict`. Then:
#
# * every parameter gets `requires_grad = False`: backward stops at them,
#   and an optimizer given them would never change them;
# * `model.fc` is replaced by a new `nn.Linear` for the 5 new classes: a new
#   module, so its parameters *do* require grad;
# * `model.eval()`: BatchNorm layers keep their running statistics (buffers,
#   not parameters) from pretraining instead of updating them. Frozen
#   weights alone would not freeze those.

# %%
def frozen_with_new_head(model):
    for p in model.parameters():
        p.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, len(NEW))
    model.eval()
    return model


model = frozen_with_new_head(models.resnet_small(num_classes=len(OLD), in_channels=1, width=8, weights=checkpoint))
trainable = [name for name, p in model.named_parameters() if p.requires_grad]
total = sum(p.numel() for p in model.parameters())
n_trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print("trainable:", trainable, f"({n_trainable} of {total} numbers)")
assert trainable == ["fc.weight", "fc.bias"]

# %% [markdown]
# ## 3. Train only the head
# The optimizer gets `model.fc.parameters()` only. The frozen network turns
# each image into a 64-number feature vector; the head learns a linear
# classifier on top, from 50 images.

# %%
HEAD_EPOCHS = 30 if FAST else 60
before = {k: v.clone() for k, v in model.state_dict().items() if not k.startswith("fc.")}
minitorch.manual_seed(1)
train(model, new_x, new_y, model.fc.parameters(), epochs=HEAD_EPOCHS, lr=1e-2, batch_size=10)
head_acc = accuracy(model, new_test_x, new_test_y)
print(f"frozen pretrained features + new head: test accuracy {head_acc:.3f}")
assert all(minitorch.equal(before[k], v) for k, v in model.state_dict().items() if k in before)  # frozen stayed

# %% [markdown]
# ## 4. Fine-tune everything
# With the head trained, unfreeze the whole network and train it all with a
# *small* learning rate, so the pretrained features adapt a little without
# being destroyed. (`train()` mode now: BatchNorm adapts too.)

# %%
for p in model.parameters():
    p.requires_grad = True
model.train()
minitorch.manual_seed(2)
train(model, new_x, new_y, model.parameters(), epochs=10 if FAST else 20, lr=1e-3, batch_size=10)
finetune_acc = accuracy(model, new_test_x, new_test_y)
print(f"fine-tuned end to end: test accuracy {finetune_acc:.3f}")

# %% [markdown]
# ## Baseline: the same 50 images, from scratch
# Always compare with the obvious alternative: the same network, randomly
# initialised, trained end to end on the 50 images of the new task.

# %%
minitorch.manual_seed(3)
scratch = models.resnet_small(num_classes=len(NEW), in_channels=1, width=8)
scratch.train()
train(scratch, new_x, new_y, scratch.parameters(), epochs=10 if FAST else 20, lr=1e-2, batch_size=10)
scratch_acc = accuracy(scratch, new_test_x, new_test_y)
print(f"from scratch on {len(new_y)} images: test accuracy {scratch_acc:.3f}")

results = {"from scratch": scratch_acc, "frozen + new head": head_acc, "fine-tuned": finetune_acc}
for name, acc in results.items():
    print(f"  {name:18s} {acc:.1%}")
assert head_acc >= 0.6 and finetune_acc >= 0.6, results

# %%
if plt is not None:
    fig, ax = plt.subplots(figsize=(5, 3))
    bars = ax.bar(list(results), [100 * a for a in results.values()], color=["tab:gray", "tab:blue", "tab:green"])
    ax.bar_label(bars, fmt="%.0f%%")
    ax.set_ylim(0, 105)
    ax.set_ylabel("test accuracy on digits 5-9 (%)")
    ax.set_title(f"{SHOTS} training images per new digit")
    fig.tight_layout()
    fig.savefig(OUT / "09_transfer.png", dpi=100)
    plt.close(fig)
    print("wrote", OUT / "09_transfer.png")

# %% [markdown]
# Read the bars honestly. The frozen features carry over: a linear head
# on them, 325 trained numbers, recognises most of the unseen digits, and
# fine-tuning adds more. But here training from scratch does about as well
# or better: 8x8 digits are an easy problem, and a network pretrained on
# only five classes learns features narrowed to telling *those* five apart.
# Transfer pays when the pretraining task is much bigger and more varied
# than the new one (ImageNet's 1.2 million images of 1,000 classes) and the
# new task is hard to learn from its few examples: natural photographs,
# medical images. Try exercise 1 to see the balance move.
#
# ## Exercises
# 1. Repeat with `SHOTS = 2` and `SHOTS = 50`. How does the gap between "from scratch" and "frozen + new head"
#    change?
# 2. Leave out `model.eval()` in `frozen_with_new_head`. The weights stay frozen; do the BatchNorm running
#    statistics (`model.bn1.running_mean`) stay the same? What happens to the accuracy?
# 3. Replace the head with a two-layer MLP (`nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 5))`).
