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
# # 10. A conditional GAN: drawing the digit you ask for
#
# A generative adversarial network (GAN) is two networks trained against
# each other:
#
# * the **generator** G turns random noise z into an image;
# * the **discriminator** D looks at an image and says "real" or "fake".
#
# D learns to tell the training images from G's; G learns to fool D. In a
# **conditional** GAN both also receive a label y, here the digit: G(z, y)
# must draw a y, and D(x, y) judges whether x is a real *y*. Once trained,
# we can ask G for any digit.

# %%

from _setup import FAST, OUT, plt  # fast mode, the picture folder, matplotlib if installed

import minitorch
from minitorch import nn, optim
from minitorch.nn import functional as F
from minitorch.vision.datasets import Digits

# %% [markdown]
# ## The data
# All 1,797 8x8 digits, flattened to 64 numbers and scaled from [0, 1] to
# [-1, 1], the range of the generator's final `tanh`.

# %%
minitorch.manual_seed(0)
digits = Digits(train=None)
X = digits.data.view(-1, 64) * 2 - 1  # (1797, 64) in [-1, 1]
Y = digits.targets  # (1797,) int64
print("images", X.shape, "labels", Y.shape, "range", X.min().item(), X.max().item())

# %% [markdown]
# ## The two networks
# Each network looks up a learned vector for the label (`nn.Embedding(10, 10)`:
# one 10-number row per digit) and concatenates it to its input. Both are
# small MLPs; `LeakyReLU` keeps a gradient for negative inputs, which helps
# the generator learn from D's verdicts.

# %%
Z_DIM = 16


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.label = nn.Embedding(10, 10)
        self.net = nn.Sequential(
            nn.Linear(Z_DIM + 10, 64), nn.LeakyReLU(0.2),
            nn.Linear(64, 64), nn.LeakyReLU(0.2),
            nn.Linear(64, 64), nn.Tanh(),
        )

    def forward(self, z, y):
        return self.net(minitorch.cat([z, self.label(y)], dim=1))  # (B, 64) images in [-1, 1]


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.label = nn.Embedding(10, 10)
        self.net = nn.Sequential(
            nn.Linear(64 + 10, 64), nn.LeakyReLU(0.2),
            nn.Linear(64, 64), nn.LeakyReLU(0.2),
            nn.Linear(64, 1),
        )

    def forward(self, x, y):
        return self.net(minitorch.cat([x, self.label(y)], dim=1))  # (B, 1) logit: > 0 means "real"


G, D = Generator(), Discriminator()
z = minitorch.randn(4, Z_DIM)
y = minitorch.tensor([0, 1, 2, 3])
print("G(z, y):", G(z, y).shape, "  D(G(z, y), y):", D(G(z, y), y).shape)

# %% [markdown]
# ## The judge we will use to check G
# To measure whether G draws the digit we ask for, train an ordinary
# classifier on the real digits first. Later we ask G for each digit and
# count how often the classifier agrees.

# %%
judge = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
judge_opt = optim.Adam(judge.parameters(), lr=1e-2)
for _ in range(5):  # five epochs of mini-batches of 50
    order = minitorch.randperm(len(Y))
    for start in range(0, len(Y), 50):
        idx = order[start:start + 50]
        loss = F.cross_entropy(judge(X[idx]), Y[idx])
        judge_opt.zero_grad()
        loss.backward()
        judge_opt.step()
with minitorch.no_grad():
    print("judge accuracy on the real digits:", (judge(X).argmax(1) == Y).float().mean().item())


def conditional_accuracy(n_per_digit: int = 20) -> float:
    """Ask G for each digit n times; the fraction the judge classifies as the digit asked for."""
    asked = minitorch.arange(10).repeat(n_per_digit)
    with minitorch.no_grad():
        drawn = G(minitorch.randn(len(asked), Z_DIM), asked)
        return (judge(drawn).argmax(1) == asked).float().mean().item()


print("before training, G draws the right digit", conditional_accuracy(), "of the time (chance: 0.1)")

# %% [markdown]
# ## The training step
# Each step, for a batch of B real images with their labels:
#
# 1. **D's step**: real images with their labels should score "real" (1),
#    G's images with the labels they were asked for should score "fake" (0).
#    `fake.detach()` stops this loss from reaching G.
# 2. **G's step**: G wants D to say "real" (1) to its images. The gradient
#    flows through D (whose weights this step does not change: only G's
#    optimizer steps) into G.
#
# `BCEWithLogitsLoss` is the binary cross-entropy on D's logits. Adam with
# `betas=(0.5, 0.999)` is the usual choice for GANs: less momentum, since the
# target moves as the other network learns.

# %%
minitorch.manual_seed(0)  # the run below does not depend on how the judge was trained
bce = nn.BCEWithLogitsLoss()
opt_G = optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
opt_D = optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
B = 32
EPOCHS = 20 if FAST else 60
fixed_z = minitorch.randn(8, Z_DIM)  # the same noise every time we look, to watch G improve
history = []

for epoch in range(EPOCHS):
    order = minitorch.randperm(len(Y))
    for start in range(0, len(Y) - B + 1, B):
        idx = order[start:start + B]
        real, labels = X[idx], Y[idx]
        asked = minitorch.randint(0, 10, (B,))
        fake = G(minitorch.randn(B, Z_DIM), asked)

        # 1. the discriminator: real -> 1, fake -> 0
        loss_D = bce(D(real, labels), minitorch.ones(B, 1)) + bce(D(fake.detach(), asked), minitorch.zeros(B, 1))
        opt_D.zero_grad()
        loss_D.backward()
        opt_D.step()

        # 2. the generator: make D say 1 to the fakes
        loss_G = bce(D(fake, asked), minitorch.ones(B, 1))
        opt_G.zero_grad()
        loss_G.backward()
        opt_G.step()
    if epoch % 5 == 4 or epoch == EPOCHS - 1:
        acc = conditional_accuracy()
        history.append((epoch + 1, acc))
        print(f"epoch {epoch + 1:3d}: loss_D {loss_D.item():.3f}  loss_G {loss_G.item():.3f}  "
              f"G draws the asked digit {acc:.0%} of the time")

# %% [markdown]
# The losses do not go to zero as in supervised training: each network's
# loss is the other's gain, and they hover around a balance (a D that can
# no longer tell has loss_D near 2 log 2 = 1.39). The number to watch is the
# last column.

# %%
final_acc = conditional_accuracy(n_per_digit=50)
print(f"final: the judge recognises the requested digit in {final_acc:.1%} of G's drawings")
assert final_acc >= (0.6 if FAST else 0.8), final_acc  # a short (fast) run draws less reliably

# %% [markdown]
# ## Asking for digits
# One row per requested digit 0-9; along each row a different noise vector
# z. The label decides *which* digit; z decides *how* it is drawn
# (thickness, slant), which is why each column looks alike across rows.

# %%
asked = minitorch.arange(10).view(10, 1).expand(10, 8).reshape(-1)  # 0 x8, 1 x8, ..., 9 x8
with minitorch.no_grad():
    grid = G(fixed_z.repeat(10, 1), asked).view(10, 8, 8, 8)  # (digit, sample, 8, 8)
grid = (grid + 1) / 2  # back to [0, 1]
print("grid of samples:", grid.shape)

if plt is not None:
    fig, axes = plt.subplots(10, 8, figsize=(5.5, 7))
    for digit in range(10):
        for k in range(8):
            ax = axes[digit, k]
            ax.imshow(grid[digit, k].numpy(), cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[digit, 0].set_ylabel(str(digit), rotation=0, labelpad=10, fontsize=12, va="center")
    fig.suptitle("G(z, digit): one row per requested digit", fontsize=11)
    fig.tight_layout()
    fig.savefig(OUT / "10_cgan_samples.png", dpi=100)
    plt.close(fig)
    print("wrote", OUT / "10_cgan_samples.png")

    fig, ax = plt.subplots(figsize=(4.5, 2.8))
    ax.plot(*zip(*history), "o-")
    ax.set_xlabel("epoch")
    ax.set_ylabel("asked digit recognised")
    ax.set_ylim(0, 1)
    ax.set_title("Does G draw what it is asked for?")
    fig.tight_layout()
    fig.savefig(OUT / "10_cgan_progress.png", dpi=100)
    plt.close(fig)

# %% [markdown]
# ## Exercises
# 1. Remove the label from the discriminator (D(x) only). Does G still draw the digit it is asked for? Why not?
# 2. Interpolate: take two noise vectors z0, z1 and draw the digit 3 for z = (1 - t) z0 + t z1, t = 0, 0.1, ..., 1.
# 3. Replace the generator's MLP by `nn.Unflatten` and `nn.ConvTranspose2d` layers (2x2 -> 4x4 -> 8x8) and compare
#    the samples after the same number of epochs.
