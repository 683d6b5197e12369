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
# # 8. A CNN on Digits
#
# An MLP sees an image as a flat list of pixels: it would have to learn
# separately that a stroke at the top left and the same stroke one pixel to
# the right mean the same thing. A **convolutional** network slides small
# filters over the image, so the same weights look at every position.
#
# This tutorial follows the shapes through the layers step by step, computes
# one convolution output by hand, trains a small CNN on the 8x8 `Digits`
# (shipped with minitorch, no download) and looks at what its filters
# respond to.

# %%

from _setup import FAST, OUT, plt  # fast mode, the picture folder, matplotlib if installed

import minitorch
from minitorch import nn
from minitorch.nn import functional as F
from minitorch.utils.data import DataLoader
from minitorch.vision.datasets import Digits

# %% [markdown]
# ## The data
# Images are float32 tensors of shape (1, 8, 8): **channels, height,
# width**, with values in [0, 1]. A batch adds a first dimension: (N, C, H, W).

# %%
train, test = Digits(train=True), Digits(train=False)
image, label = train[0]
print(len(train), "training and", len(test), "test images; one image:", image.shape, "label", label)

if plt is not None:
    fig, axes = plt.subplots(1, 10, figsize=(10, 1.4))
    for digit, ax in enumerate(axes):
        first = (train.targets == digit).nonzero()[0].item()
        ax.imshow(train.data[first, 0].numpy(), cmap="gray_r")
        ax.set_title(str(digit))
        ax.axis("off")
    fig.savefig(OUT / "08_digits.png", dpi=100, bbox_inches="tight")
    plt.close(fig)

# %% [markdown]
# ## What one convolution output is
# `nn.Conv2d(in_channels, out_channels, kernel_size)` holds `out_channels`
# filters, each of shape (in_channels, k, k), and a bias per filter. Output
# channel c at position (i, j) is the filter times the k x k patch of the
# input at (i, j), summed, plus the bias. Let us check one number by hand.

# %%
minitorch.manual_seed(0)
conv = nn.Conv2d(1, 8, kernel_size=3)  # no padding
x = train.data[:1]  # a batch of one image, (1, 1, 8, 8)
y = conv(x)
patch = x[0, :, 2:5, 3:6]  # the 3x3 patch whose top-left corner is (2, 3)
by_hand = (conv.weight[5] * patch).sum() + conv.bias[5]  # filter 5
print("conv output", y.shape, "  y[0, 5, 2, 3] =", round(y[0, 5, 2, 3].item(), 5), "  by hand:",
      round(by_hand.item(), 5))
assert abs(y[0, 5, 2, 3].item() - by_hand.item()) < 1e-5

# %% [markdown]
# ## Shapes step by step
# Along each spatial dimension, a convolution or pooling layer with kernel
# k, padding p, stride s (and dilation 1) gives
#
# ```
# out = floor((in + 2p - k) / s) + 1
# ```
#
# * 3x3 kernel, no padding: 8 -> 6 (the filter must fit inside the image);
# * 3x3 kernel, padding 1 ("same"): 8 -> 8;
# * 2x2 max-pooling (stride 2 by default): 8 -> 4, keeping the largest value
#   of each 2x2 block.
#
# The number of channels is set by the convolution's `out_channels`; pooling
# keeps it.

# %%
def out_size(n: int, k: int, p: int = 0, s: int = 1) -> int:
    return (n + 2 * p - k) // s + 1


print("3x3 conv, no padding:", out_size(8, 3), "  padding 1:", out_size(8, 3, p=1), "  stride 2:",
      out_size(8, 3, p=1, s=2), "  2x2 pool:", out_size(8, 2, s=2))
assert conv(x).shape == (1, 8, out_size(8, 3), out_size(8, 3))
assert F.max_pool2d(x, 2).shape == (1, 1, 4, 4)


class DigitCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (8, 8, 8) -> (8, 4, 4)
            nn.Conv2d(8, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # -> (16, 2, 2)
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(16 * 2 * 2, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


minitorch.manual_seed(0)
model = DigitCNN()
h = train.data[:4]  # a batch of 4 images
print(f"{str(list(h.shape)):15s} input")
for layer in list(model.features) + list(model.classifier):
    h = layer(h)
    print(f"{str(list(h.shape)):15s} after {layer}")
assert h.shape == (4, 10)
print("parameters:", sum(p.numel() for p in model.parameters()))

# %% [markdown]
# The whole network has fewer than 2,000 weights: a filter's 3x3 weights
# are shared by all positions of the image. An MLP with one hidden layer of
# 64 units already needs over 4,000.
#
# ## Training
# The same loop as for the MLP, now with mini-batches from a `DataLoader`.

# %%
loader = DataLoader(train, batch_size=64, shuffle=True)
optimizer = minitorch.optim.Adam(model.parameters(), lr=1e-2)


def accuracy(model, images, labels) -> float:
    model.eval()
    with minitorch.no_grad():
        correct = (model(images).argmax(dim=1) == labels).float().mean().item()
    model.train()
    return correct


EPOCHS = 4 if FAST else 10
for epoch in range(EPOCHS):
    total = 0.0
    for images, labels in loader:
        loss = F.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
    test_acc = accuracy(model, test.data, test.targets)
    print(f"epoch {epoch}: loss {total / len(train):.4f}   test accuracy {test_acc:.3f}")

assert test_acc >= 0.9, test_acc

# %% [markdown]
# ## What the filters see
# The first layer's 8 filters are 3x3 images themselves. Applying them to a
# digit gives 8 *feature maps*: where each filter responds (after the
# ReLU). Some light up on vertical strokes, some on horizontal edges, some
# on the background.

# %%
model.eval()
digit_image, digit_label = test[0]
with minitorch.no_grad():
    maps = model.features[1](model.features[0](digit_image.unsqueeze(0)))[0]  # conv1 + ReLU: (8, 8, 8)
print("digit", digit_label, "-> feature maps", maps.shape)

if plt is not None:
    kernels = model.features[0].weight.detach()[:, 0]  # (8, 3, 3)
    fig, axes = plt.subplots(2, 9, figsize=(11, 3.4))
    axes[0, 0].imshow(digit_image[0].numpy(), cmap="gray_r")
    axes[0, 0].set_title(f"input ({digit_label})", fontsize=9)
    axes[1, 0].axis("off")
    for c in range(8):
        limit = kernels[c].abs().max().item()
        axes[0, c + 1].imshow(kernels[c].numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit)
        axes[0, c + 1].set_title(f"filter {c}", fontsize=9)
        axes[1, c + 1].imshow(maps[c].numpy(), cmap="viridis")
        axes[1, c + 1].set_title(f"map {c}", fontsize=9)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("First layer: filters (red +, blue -) and their ReLU feature maps", fontsize=11)
    fig.tight_layout()
    fig.savefig(OUT / "08_feature_maps.png", dpi=100)
    plt.close(fig)
    print("wrote", OUT / "08_feature_maps.png")

# %% [markdown]
# ## Where it goes wrong
# The misclassified test digits, with the prediction and the true label.

# %%
with minitorch.no_grad():
    predicted = model(test.data).argmax(dim=1)
wrong = (predicted != test.targets).nonzero().flatten().tolist()
print(f"{len(wrong)} of {len(test)} test digits misclassified")

if plt is not None and wrong:
    shown = wrong[:12]
    fig, axes = plt.subplots(1, len(shown), figsize=(1.1 * len(shown), 1.6), squeeze=False)
    for ax, i in zip(axes[0], shown):
        ax.imshow(test.data[i, 0].numpy(), cmap="gray_r")
        ax.set_title(f"{predicted[i].item()} ({test.targets[i].item()})", fontsize=9)
        ax.axis("off")
    fig.suptitle("predicted (true)", fontsize=10)
    fig.savefig(OUT / "08_mistakes.png", dpi=100, bbox_inches="tight")
    plt.close(fig)

# %% [markdown]
# ## Exercises
# 1. Replace the first `MaxPool2d(2)` by a convolution with `stride=2`. Work out the shapes first, then check.
# 2. Train the MLP of tutorial 12 and this CNN on test images shifted one pixel to the right
#    (slice off the last column and pad one on the left with `F.pad`). Which one loses more accuracy?
# 3. Add `nn.BatchNorm2d` after each convolution. Does it train faster with the same learning rate?
