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
# # 6. Optimizers compared: SGD, momentum, Nesterov, Adam, AdamW
#
# An optimizer turns gradients into parameter updates. They all use the
# same `.grad`; they differ in how much of the past they remember and how
# they scale each step. We first write the update rules out in NumPy and
# check that `minitorch.optim` does exactly that, then race the optimizers
# on two problems:
#
# * the **Rosenbrock** function, a curved valley that is easy to draw and
#   hard to optimise;
# * a small **MLP on Moons**, a real (if tiny) training run.

# %%

import numpy as np
from _setup import FAST, OUT, plt  # fast mode, the picture folder, matplotlib if installed

import minitorch
from minitorch import nn, optim
from minitorch.vision.datasets import Moons

# %% [markdown]
# ## The update rules
# With gradient g of parameter p, learning rate lr (PyTorch's formulas,
# which minitorch follows step for step):
#
# | optimizer | state | update |
# |---|---|---|
# | SGD | none | p -= lr * g |
# | SGD, momentum m | velocity b | b = m * b + g;  p -= lr * b |
# | Nesterov | velocity b | b = m * b + g;  p -= lr * (g + m * b) |
# | Adam, betas b1, b2 | m, v | m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr * m_hat / (sqrt(v_hat) + eps) |
# | AdamW (weight decay wd) | as Adam | p -= lr * wd * p, then the Adam step |
#
# Momentum remembers the direction of recent steps, so it speeds up along a
# long valley and damps zig-zags across it; Nesterov looks one step ahead
# along that direction. Adam divides each step by the typical size of that
# parameter's gradient, so every parameter moves at a similar pace whatever
# the scale of its gradient (the bias correction m_hat, v_hat fixes the
# first steps, when the averages start from zero: at step t,
# m_hat = m / (1 - b1^t) and v_hat = v / (1 - b2^t)).
#
# Let us check the table: run three steps by hand in NumPy and three with
# minitorch, on the same made-up gradients.

# %%
def by_hand(name: str, p, grads, lr=0.1, m=0.9, betas=(0.9, 0.999), eps=1e-8, wd=0.01):
    p, b, m1, v = p.copy(), np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        if name == "SGD":
            p -= lr * g
        elif name in ("momentum", "Nesterov"):
            b = m * b + g
            p -= lr * (g + m * b if name == "Nesterov" else b)
        else:  # Adam, AdamW
            if name == "AdamW":
                p -= lr * wd * p
            m1 = betas[0] * m1 + (1 - betas[0]) * g
            v = betas[1] * v + (1 - betas[1]) * g * g
            m_hat, v_hat = m1 / (1 - betas[0] ** t), v / (1 - betas[1] ** t)
            p -= lr * m_hat / (np.sqrt(v_hat) + eps)
    return p


def make(name: str, params, lr=0.1, wd=0.01):
    return {
        "SGD": lambda: optim.SGD(params, lr=lr),
        "momentum": lambda: optim.SGD(params, lr=lr, momentum=0.9),
        "Nesterov": lambda: optim.SGD(params, lr=lr, momentum=0.9, nesterov=True),
        "Adam": lambda: optim.Adam(params, lr=lr),
        "AdamW": lambda: optim.AdamW(params, lr=lr, weight_decay=wd),
    }[name]()


NAMES = ["SGD", "momentum", "Nesterov", "Adam", "AdamW"]
rng = np.random.default_rng(0)
start = np.array([1.0, -2.0, 3.0])
grads = [rng.standard_normal(3) for _ in range(3)]
for name in NAMES:
    p = minitorch.tensor(start, requires_grad=True)  # float64, like the NumPy arrays
    opt = make(name, [p])
    for g in grads:
        p.grad = minitorch.tensor(g)  # pretend backward produced g
        opt.step()
    expected = by_hand(name, start, grads)
    print(f"{name:9s} minitorch {np.round(p.detach().numpy(), 6)}   by hand {np.round(expected, 6)}")
    np.testing.assert_allclose(p.detach().numpy(), expected, rtol=1e-12)

# %% [markdown]
# ## Race 1: the Rosenbrock valley
# f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 has its minimum f = 0 at (1, 1), at
# the end of a narrow, curved, almost flat valley. The parameter is a single
# tensor of two numbers; each optimizer starts at (-1.5, 2).
#
# The learning rates are chosen per family: plain SGD becomes unstable with
# a larger `lr` (the valley walls are steep), while Adam's steps are about
# `lr` in size whatever the gradient, so it needs a larger one. AdamW gets a
# strong weight decay (0.1) to make its effect visible.

# %%
def rosenbrock(p):
    x, y = p[0], p[1]
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


LR = {"SGD": 1e-3, "momentum": 1e-3, "Nesterov": 1e-3, "Adam": 0.05, "AdamW": 0.05}
STEPS = 1000  # a few milliseconds per step: the same in fast mode
paths, values = {}, {}
for name in NAMES:
    p = minitorch.tensor([-1.5, 2.0], dtype=minitorch.float64, requires_grad=True)
    opt = make(name, [p], lr=LR[name], wd=0.1)
    path, vals = [p.tolist()], []
    for _ in range(STEPS):
        opt.zero_grad()
        f = rosenbrock(p)
        f.backward()
        opt.step()
        path.append(p.tolist())
        vals.append(f.item())
    paths[name], values[name] = np.array(path), vals
    print(f"{name:9s} ends at ({path[-1][0]:+.3f}, {path[-1][1]:+.3f})  f = {vals[-1]:.2e}")

assert values["momentum"][-1] < values["SGD"][-1] and values["Nesterov"][-1] < values["SGD"][-1]
assert values["Adam"][-1] < 0.05

# %% [markdown]
# Plain SGD has hardly entered the valley; momentum and Nesterov run along
# it; Adam gets there too, by a different route. AdamW stops short: weight
# decay pulls every parameter towards 0 at each step, and (1, 1) is not at
# 0, so it settles where that pull balances the gradient. On a real network
# that pull is *wanted* (smaller weights generalise better); on Rosenbrock
# it is a bias. The picture shows each path on the contour lines of f
# (one dot per step: dots far apart mean big steps).

# %%
COLORS = dict(zip(NAMES, ["tab:gray", "tab:blue", "tab:green", "tab:red", "tab:purple"]))
if plt is not None:
    fig, axes = plt.subplot_mosaic([NAMES, ["curve"] * len(NAMES)], figsize=(13, 7.5),
                                   gridspec_kw=dict(height_ratios=[1, 1.1]))
    gx, gy = np.meshgrid(np.linspace(-2, 1.6, 300), np.linspace(-0.6, 2.6, 300))
    levels = np.logspace(-1, 3.5, 12)
    for name in NAMES:  # one small panel per optimizer: its path on the contour lines of f
        ax = axes[name]
        ax.contour(gx, gy, (1 - gx) ** 2 + 100 * (gy - gx**2) ** 2, levels=levels, colors="lightgray",
                   linewidths=0.7)
        ax.plot(paths[name][:, 0], paths[name][:, 1], ".-", color=COLORS[name], lw=1, ms=2)
        ax.plot(-1.5, 2, "ko", ms=5)
        ax.plot(1, 1, "k*", ms=11)
        ax.set_xlim(-2, 1.6)
        ax.set_ylim(-0.6, 2.6)
        ax.set_title(f"{name} (lr={LR[name]})", fontsize=10)
        ax.tick_params(labelsize=8)
    for name in NAMES:
        axes["curve"].plot(values[name], color=COLORS[name], lw=1.8, label=name)
    axes["curve"].set_yscale("log")
    axes["curve"].set_xlabel("step")
    axes["curve"].set_ylabel("f(x, y)")
    axes["curve"].set_title("Rosenbrock value per step (start o, minimum * in the panels above)")
    axes["curve"].legend()
    fig.tight_layout()
    fig.savefig(OUT / "06_rosenbrock.png", dpi=90)
    plt.close(fig)
    print("wrote", OUT / "06_rosenbrock.png")

# %% [markdown]
# ## Race 2: an MLP on Moons
# Two interleaving half-moons, a small MLP, full-batch training. Every
# optimizer starts from the *same* initial weights: we build the model once
# and copy its `state_dict` into each contestant.

# %%
train, test = Moons(n_samples=300, noise=0.2, seed=0), Moons(n_samples=300, noise=0.2, seed=1)
X, y = train.data, train.targets
minitorch.manual_seed(0)
initial = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2)).state_dict()
LR_MLP = {"SGD": 0.1, "momentum": 0.1, "Nesterov": 0.1, "Adam": 0.01, "AdamW": 0.01}
EPOCHS = 150 if FAST else 300

curves, accs = {}, {}
for name in NAMES:
    model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
    model.load_state_dict(initial)
    opt = make(name, model.parameters(), lr=LR_MLP[name])
    curves[name] = []
    for _ in range(EPOCHS):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(X), y)
        loss.backward()
        opt.step()
        curves[name].append(loss.item())
    with minitorch.no_grad():
        accs[name] = (model(test.data).argmax(1) == test.targets).float().mean().item()
    print(f"{name:9s} final loss {curves[name][-1]:.4f}   test accuracy {accs[name]:.3f}")

assert min(accs.values()) >= 0.8 and accs["Adam"] >= 0.9, accs

# %%
if plt is not None:
    fig, ax = plt.subplots(figsize=(6, 4))
    for name in NAMES:
        ax.plot(curves[name], color=COLORS[name], label=f"{name} (lr={LR_MLP[name]}, test acc {accs[name]:.0%})")
    ax.set_xlabel("step (full batch)")
    ax.set_ylabel("cross-entropy loss")
    ax.set_title("MLP on Moons: training loss")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(OUT / "06_moons_losses.png", dpi=100)
    plt.close(fig)
    print("wrote", OUT / "06_moons_losses.png")

# %% [markdown]
# The ranking depends on the problem and on the learning rates: a fair
# comparison tunes each optimizer's `lr` (exercise 1). Adam is a robust
# default; SGD with momentum, well tuned and with a learning-rate schedule
# (`optim.lr_scheduler`), is still what many image models are trained with.
#
# ## Exercises
# 1. For each optimizer, try three learning rates on Moons (a factor of 3 apart) and keep the best. Does the
#    ranking change?
# 2. Replace AdamW by `optim.Adam(..., weight_decay=0.1)` (L2 penalty added to the gradient) on Rosenbrock. Where
#    does it stop, and why is that different from AdamW with the same `weight_decay`?
# 3. Add `optim.RMSprop` to the race, and write its update rule in `by_hand`.
