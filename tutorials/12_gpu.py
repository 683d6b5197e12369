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
# # 12. Running on a GPU with CuPy
#
# On the CPU a minitorch tensor holds a NumPy array. On an NVIDIA GPU it
# holds a **CuPy** array instead: CuPy has NumPy's API, but its arrays live
# in GPU memory and its operations run there. Every op in minitorch asks the
# tensor's device for its array module (`xp`: `numpy` or `cupy`), so the
# same code runs on both.
#
# To use a GPU: a machine with an NVIDIA GPU and `pip install 'minitorch[cuda]'`
# (which installs CuPy). **This tutorial also runs without a GPU**: it says
# so and does everything on the CPU, with the same code.

# %%
import time

from _setup import FAST  # fast mode, the picture folder, matplotlib if installed

import minitorch
from minitorch import nn
from minitorch.utils.data import DataLoader
from minitorch.vision.datasets import Digits

# %% [markdown]
# ## Is there a GPU?
# `minitorch.cuda.is_available()` is True when CuPy is installed and sees a
# GPU. The usual idiom picks the device once, at the top of a script:

# %%
HAVE_GPU = minitorch.cuda.is_available()
device = minitorch.device("cuda" if HAVE_GPU else "cpu")
if HAVE_GPU:
    print(f"GPU available: {minitorch.cuda.device_count()} device(s); running on {device}")
else:
    print("No GPU available (minitorch.cuda.is_available() is False): everything below runs on the CPU.")
    print("The code is the same; on a machine with an NVIDIA GPU and CuPy it would run on 'cuda'.")

# %% [markdown]
# ## Tensors on a device
# A tensor is created on a device with `device=...`, or moved with
# `.to(device)` (also `.cuda()` / `.cpu()`). Moving copies the data between
# host and GPU memory; `.to()` to the device a tensor is already on returns
# it unchanged.

# %%
a = minitorch.randn(3, 4, device=device)
b = minitorch.ones(4, 2).to(device)
c = a @ b  # runs on the device where both inputs live
print(a.device, b.device, c.device)
print(c.cpu())  # back to the host, e.g. to print or plot it
assert c.device.type == device.type and b.to(device) is b

# %% [markdown]
# Both inputs of an operation must live on the same device: minitorch does
# not copy behind your back (copies are slow, and a silent one hides a bug).
# And without a GPU, asking for `cuda` fails with a message that says what
# to install:

# %%
if HAVE_GPU:
    try:
        minitorch.ones(2, device="cpu") + minitorch.ones(2, device="cuda")
    except RuntimeError as e:
        print("RuntimeError:", e)
else:
    try:
        minitorch.ones(2).to("cuda")
    except RuntimeError as e:
        print("RuntimeError:", e)

# %% [markdown]
# ## A model on the device
# `model.to(device)` moves every parameter and buffer. The data loader
# produces CPU tensors; move each batch to the model's device inside the
# loop. Create the optimizer *after* moving the model, so that it holds the
# parameters that are actually trained.

# %%
minitorch.manual_seed(0)
train, test = Digits(train=True), Digits(train=False)
loader = DataLoader(train, batch_size=64, shuffle=True)
model = nn.Sequential(nn.Flatten(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10)).to(device)
optimizer = minitorch.optim.Adam(model.parameters(), lr=1e-2)
print("parameters on:", {str(p.device) for p in model.parameters()})

EPOCHS = 3 if FAST else 10
for epoch in range(EPOCHS):
    total = 0.0
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)  # .item() copies one number back to the host
    print(f"epoch {epoch}: mean loss {total / len(train):.4f}")

# %% [markdown]
# Evaluation: the test images go to the device in one batch; the accuracy
# comes back as a Python number with `.item()`.

# %%
model.eval()
with minitorch.no_grad():
    predicted = model(test.data.to(device)).argmax(dim=1)
accuracy = (predicted == test.targets.to(device)).float().mean().item()
print(f"test accuracy on {device}: {accuracy:.3f}")
assert accuracy >= 0.9

# %% [markdown]
# ## Writing device-agnostic code
# Inside a function, create new tensors where the inputs are, with
# `device=x.device` or the `*_like` factories, never with a hard-coded
# device:

# %%
def add_noise(x, std: float = 0.1):
    return x + std * minitorch.randn_like(x)  # same shape, dtype and device as x


def one_hot(labels, n_classes: int = 10):
    return minitorch.zeros(len(labels), n_classes, device=labels.device).scatter(
        1, labels.view(-1, 1), 1.0)


print(add_noise(test.data[:2].to(device)).device, one_hot(test.targets[:3].to(device)).cpu())

# %% [markdown]
# ## Is it faster?
# A GPU wins when there is a lot of work per operation: large matrix
# products, convolutions, big batches. For the tiny model above, the time
# goes into Python and into launching small GPU kernels, and the CPU can be
# just as fast. GPU operations are *asynchronous*: the call returns before
# the GPU has finished, so a timing must wait with
# `minitorch.cuda.synchronize()`.

# %%
def time_matmul(dev, n: int, repeats: int = 5) -> float:
    x = minitorch.randn(n, n, device=dev)
    y = minitorch.randn(n, n, device=dev)
    (x @ y).sum().item()  # warm up (the first GPU call compiles and allocates)
    minitorch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        z = x @ y
    minitorch.cuda.synchronize()
    del z
    return (time.perf_counter() - start) / repeats


if HAVE_GPU:
    for n in (256, 1024, 4096):
        cpu_s, gpu_s = time_matmul("cpu", n, repeats=2), time_matmul("cuda", n)
        print(f"{n}x{n} matmul: cpu {cpu_s * 1e3:8.2f} ms   cuda {gpu_s * 1e3:8.2f} ms   ({cpu_s / gpu_s:.0f}x)")
else:
    print("No GPU: the CPU/GPU timing comparison is skipped. "
          f"For reference, a 256x256 matmul on this CPU takes {time_matmul('cpu', 256) * 1e3:.2f} ms.")

# %% [markdown]
# ## Exercises
# 1. Time one training epoch of the model above with `batch_size=1024` on both devices (if you have a GPU). Then
#    make the hidden layer 4096 wide. When does the GPU start to win?
# 2. Find the line that fails if you forget `labels = labels.to(device)` on a GPU machine, and read the error.
# 3. Save the trained model with `minitorch.save(model.state_dict(), "m.pt")` on the GPU and load it on a CPU-only
#    machine with `minitorch.load("m.pt", map_location="cpu")`.
