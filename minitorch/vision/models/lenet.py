"""LeNet-5 (LeCun et al., 1998): the first convolutional network, for 28x28 (MNIST-size) digits.

Shapes for one 1x28x28 image::

    conv1  Conv2d(1, 6, 5, padding=2)  -> 6x28x28    (padding 2: the 32x32 input of the paper)
    pool                               -> 6x14x14
    conv2  Conv2d(6, 16, 5)            -> 16x10x10
    pool                               -> 16x5x5 = 400 features
    fc1 400 -> 120, fc2 120 -> 84, fc3 84 -> num_classes

The paper used tanh-like activations and average ("subsampling") pooling;
today's default is ReLU and max pooling. Both are available.
"""

from __future__ import annotations

from ..._tensor import Tensor
from ...nn import Linear, Module, ReLU, Tanh
from ...nn.modules.conv import Conv2d
from ...nn.modules.pooling import AvgPool2d, MaxPool2d
from ._weights import WeightsLike, load_weights

__all__ = ["LeNet5", "lenet5"]


class LeNet5(Module):
    """LeNet-5 for ``in_channels`` x 28 x 28 images.

    ``activation`` is ``"relu"`` or ``"tanh"``; ``pooling`` is ``"max"`` or ``"avg"``
    (``"tanh"`` and ``"avg"`` give the 1998 network).

    >>> LeNet5()(minitorch.randn(64, 1, 28, 28)).shape
    minitorch.Size([64, 10])
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 1, activation: str = "relu",
                 pooling: str = "max") -> None:
        super().__init__()
        if activation not in ("relu", "tanh"):
            raise ValueError(f"LeNet5: activation must be 'relu' or 'tanh', got {activation!r}")
        if pooling not in ("max", "avg"):
            raise ValueError(f"LeNet5: pooling must be 'max' or 'avg', got {pooling!r}")
        self.conv1 = Conv2d(in_channels, 6, kernel_size=5, padding=2)
        self.conv2 = Conv2d(6, 16, kernel_size=5)
        self.pool = MaxPool2d(2) if pooling == "max" else AvgPool2d(2)
        self.act = ReLU() if activation == "relu" else Tanh()
        self.fc1 = Linear(16 * 5 * 5, 120)
        self.fc2 = Linear(120, 84)
        self.fc3 = Linear(84, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = self.pool(self.act(self.conv1(x)))  # (N, 6, 14, 14)
        x = self.pool(self.act(self.conv2(x)))  # (N, 16, 5, 5)
        x = x.flatten(1)  # (N, 400)
        x = self.act(self.fc1(x))
        x = self.act(self.fc2(x))
        return self.fc3(x)


def lenet5(num_classes: int = 10, weights: WeightsLike = None, **kwargs) -> LeNet5:
    """LeNet-5 (see ``LeNet5``); ``weights`` as for ``resnet18``.

    >>> model = lenet5(num_classes=10)
    >>> [name for name, _ in model.named_parameters()][:2]
    ['conv1.weight', 'conv1.bias']
    """
    return load_weights(LeNet5(num_classes=num_classes, **kwargs), "lenet5", weights)
