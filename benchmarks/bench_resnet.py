"""ResNet-18 benchmark: forward on a (8, 3, 64, 64) batch, and a training step's forward + backward.

Compares minitorch (``vision.models.resnet18``, 10 classes) with

* a hand-written NumPy "floor" for the eval-mode forward: the same network as
  plain array code (strided-view im2col + one matrix product per convolution,
  BatchNorm folded to a per-channel affine map, no autograd, no modules);
* PyTorch (CPU) with the same weights, when installed (it uses its own
  oneDNN kernels and all the threads ``torch.get_num_threads()`` reports).

    python benchmarks/bench_resnet.py [--repeat N]
"""

from __future__ import annotations

import os

# One BLAS thread for every library: comparable timings that a busy machine does not distort.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import os
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

sys.path.insert(0, os.path.dirname(__file__))
from _timing import machine, median_time, table  # noqa: E402

import minitorch  # noqa: E402
from minitorch.vision import models  # noqa: E402

try:
    import torch

    torch.set_num_threads(1)
except ImportError:  # the comparison with PyTorch is optional
    torch = None

SHAPE = (8, 3, 64, 64)


# ---- the NumPy floor -------------------------------------------------------------------------------
def np_conv(x: np.ndarray, w: np.ndarray, stride: int, padding: int) -> np.ndarray:
    """conv2d without bias: pad, take (kh, kw) windows as a view, copy them to columns, one matrix product."""
    if padding:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    win = sliding_window_view(x, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]  # (N, C, Ho, Wo, kh, kw)
    n, c, ho, wo, kh, kw = win.shape
    cols = win.transpose(1, 4, 5, 0, 2, 3).reshape(c * kh * kw, n * ho * wo)  # the im2col copy
    y = w.reshape(w.shape[0], -1) @ cols  # (O, N*Ho*Wo)
    return np.ascontiguousarray(y.reshape(-1, n, ho, wo).transpose(1, 0, 2, 3))


def np_bn(x: np.ndarray, sd: dict, prefix: str, eps: float = 1e-5) -> np.ndarray:
    scale = sd[prefix + ".weight"] / np.sqrt(sd[prefix + ".running_var"] + eps)
    shift = sd[prefix + ".bias"] - sd[prefix + ".running_mean"] * scale
    return x * scale[:, None, None] + shift[:, None, None]


def np_maxpool(x: np.ndarray) -> np.ndarray:
    """3x3 max pool, stride 2, padding 1 (padding with -inf so it never wins)."""
    x = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    return sliding_window_view(x, (3, 3), axis=(2, 3))[:, :, ::2, ::2].max(axis=(4, 5))


def np_resnet18(x: np.ndarray, sd: dict) -> np.ndarray:
    relu = lambda a: np.maximum(a, 0)
    x = np_maxpool(relu(np_bn(np_conv(x, sd["conv1.weight"], 2, 3), sd, "bn1")))
    for stage in range(1, 5):
        for block in range(2):
            p = f"layer{stage}.{block}."
            stride = 2 if stage > 1 and block == 0 else 1
            identity = x
            if p + "downsample.0.weight" in sd:
                identity = np_bn(np_conv(x, sd[p + "downsample.0.weight"], stride, 0), sd, p + "downsample.1")
            out = relu(np_bn(np_conv(x, sd[p + "conv1.weight"], stride, 1), sd, p + "bn1"))
            out = np_bn(np_conv(out, sd[p + "conv2.weight"], 1, 1), sd, p + "bn2")
            x = relu(out + identity)
    return x.mean(axis=(2, 3)) @ sd["fc.weight"].T + sd["fc.bias"]


# ---- PyTorch: torchvision's ResNet-18, written out (torchvision itself may not be installed) ---------
def torch_resnet18(sd: dict):
    """torchvision's ResNet-18 module tree in plain torch.nn, loaded with the NumPy state dict ``sd``."""
    tnn = torch.nn

    class Block(tnn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = tnn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = tnn.BatchNorm2d(cout)
            self.relu = tnn.ReLU(inplace=True)
            self.conv2 = tnn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = tnn.BatchNorm2d(cout)
            self.downsample = None
            if stride != 1 or cin != cout:
                self.downsample = tnn.Sequential(tnn.Conv2d(cin, cout, 1, stride, bias=False), tnn.BatchNorm2d(cout))

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
            return self.relu(out + identity)

    class Net(tnn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = tnn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.bn1 = tnn.BatchNorm2d(64)
            self.relu = tnn.ReLU(inplace=True)
            self.maxpool = tnn.MaxPool2d(3, 2, 1)
            widths = [64, 64, 128, 256, 512]
            for i in range(1, 5):
                stride = 1 if i == 1 else 2
                setattr(self, f"layer{i}", tnn.Sequential(Block(widths[i - 1], widths[i], stride),
                                                          Block(widths[i], widths[i], 1)))
            self.avgpool = tnn.AdaptiveAvgPool2d(1)
            self.fc = tnn.Linear(512, sd["fc.weight"].shape[0])

        def forward(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.fc(torch.flatten(self.avgpool(x), 1))

    net = Net()
    net.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in sd.items()})
    return net


# ---- the benchmark ---------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    minitorch.manual_seed(0)
    model = models.resnet18(num_classes=10).eval()
    sd = {k: v.numpy().copy() for k, v in model.state_dict().items()}  # copies: training moves BN stats
    x = np.random.default_rng(0).standard_normal(SHAPE, dtype=np.float32)
    mx = minitorch.tensor(x)
    with minitorch.no_grad():
        reference = model(mx).numpy()
    np.testing.assert_allclose(np_resnet18(x, sd), reference, rtol=1e-3, atol=1e-4)  # the floor is the same net

    def mini_forward():
        with minitorch.no_grad():
            model(mx)

    rows = [("numpy floor", median_time(lambda: np_resnet18(x, sd), args.repeat)),
            ("minitorch", median_time(mini_forward, args.repeat))]
    train_rows = []
    model.train()

    def mini_step():
        model.zero_grad()
        model(mx).sum().backward()

    train_rows.append(("minitorch", median_time(mini_step, args.repeat)))
    if torch is not None:
        tmodel = torch_resnet18(sd).eval()
        tx = torch.from_numpy(x)
        with torch.no_grad():
            np.testing.assert_allclose(tmodel(tx).numpy(), reference, rtol=1e-3, atol=1e-4)

        def torch_forward():
            with torch.no_grad():
                tmodel(tx)

        def torch_step():
            tmodel.zero_grad()
            tmodel(tx).sum().backward()

        rows.append((f"pytorch ({torch.get_num_threads()} threads)", median_time(torch_forward, args.repeat)))
        tmodel.train()
        train_rows.append((f"pytorch ({torch.get_num_threads()} threads)", median_time(torch_step, args.repeat)))
    print(f"machine: {machine()}\n")
    print(table(f"ResNet-18 forward, eval mode, no_grad, input {SHAPE}", rows, "numpy floor"))
    print()
    print(table(f"ResNet-18 forward + backward, train mode, input {SHAPE}", train_rows, "minitorch"))


if __name__ == "__main__":
    main()
