"""VGG (Simonyan & Zisserman, 2014): stacks of 3x3 convolutions and 2x2 max pools, then an MLP.

``make_layers`` reads a configuration list: a number is a 3x3 convolution
with that many output channels (+ BatchNorm) + ReLU, ``"M"`` a 2x2 max pool
that halves the size. The torchvision builders (``vgg11`` ... ``vgg19_bn``) have
torchvision's names (``features.0.weight``, ``classifier.6.bias``), so their
state dicts load. ``vgg_small`` is a teaching-size VGG for 8x8 to 32x32 images.
"""

from __future__ import annotations

from ..._tensor import Tensor
from ...nn import BatchNorm2d, Dropout, Linear, Module, ReLU, Sequential, init
from ...nn.modules.conv import Conv2d
from ...nn.modules.pooling import AdaptiveAvgPool2d, MaxPool2d
from ._weights import WeightsLike, load_weights

__all__ = ["VGG", "make_layers", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19",
           "vgg19_bn", "vgg_small"]

# torchvision's configurations: "A" is VGG-11, "B" VGG-13, "D" VGG-16, "E" VGG-19.
cfgs: dict[str, list[int | str]] = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


def make_layers(cfg: list[int | str], batch_norm: bool = False, in_channels: int = 3) -> Sequential:
    """The convolutional part of a VGG from a configuration list (see the module docstring).

    >>> make_layers([8, "M"], batch_norm=True, in_channels=1)
    Sequential(
      (0): Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
      (1): BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
      (2): ReLU(inplace=True)
      (3): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    )
    """
    layers: list[Module] = []
    for v in cfg:
        if v == "M":
            layers.append(MaxPool2d(kernel_size=2, stride=2))
            continue
        layers.append(Conv2d(in_channels, v, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(BatchNorm2d(v))
        layers.append(ReLU(inplace=True))
        in_channels = v
    return Sequential(*layers)


class VGG(Module):
    """``features`` (convolutions) -> ``avgpool`` to ``pool_size`` -> flatten -> ``classifier`` (an MLP).

    torchvision's layout: ``pool_size=(7, 7)`` and ``hidden=4096``; minitorch
    lets both shrink for small images.

    >>> model = VGG(make_layers([8, "M", 16, "M"], in_channels=1), num_classes=10, pool_size=(2, 2), hidden=32)
    >>> model(minitorch.randn(2, 1, 16, 16)).shape
    minitorch.Size([2, 10])
    """

    def __init__(self, features: Module, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5,
                 *, pool_size: tuple[int, int] = (7, 7), hidden: int = 4096) -> None:
        super().__init__()
        self.features = features
        self.avgpool = AdaptiveAvgPool2d(pool_size)
        channels = [m for m in features.modules() if isinstance(m, Conv2d)][-1].out_channels
        self.classifier = Sequential(
            Linear(channels * pool_size[0] * pool_size[1], hidden), ReLU(True), Dropout(p=dropout),
            Linear(hidden, hidden), ReLU(True), Dropout(p=dropout),
            Linear(hidden, num_classes),
        )
        if init_weights:
            self._init_weights()

    def _init_weights(self) -> None:
        """torchvision's VGG init: He-normal (fan_out) convolutions, N(0, 0.01) linear layers, zero biases."""
        for m in self.modules():
            if isinstance(m, Conv2d):
                init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    init.constant_(m.bias, 0)
            elif isinstance(m, BatchNorm2d):
                init.constant_(m.weight, 1)
                init.constant_(m.bias, 0)
            elif isinstance(m, Linear):
                init.normal_(m.weight, 0, 0.01)
                init.constant_(m.bias, 0)

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(x.flatten(1))


def _vgg(arch: str, cfg: str, batch_norm: bool, weights: WeightsLike, pretrained: bool, **kwargs) -> VGG:
    in_channels = kwargs.pop("in_channels", 3)
    model = VGG(make_layers(cfgs[cfg], batch_norm, in_channels), **kwargs)
    return load_weights(model, arch, weights, pretrained)


def vgg11(weights: WeightsLike = None, progress: bool = True, *, pretrained: bool = False, **kwargs) -> VGG:
    """VGG-11 (configuration "A"); ``weights``/``pretrained`` as for ``resnet18``.

    >>> vgg11(num_classes=10).classifier[6]
    Linear(in_features=4096, out_features=10, bias=True)
    """
    return _vgg("vgg11", "A", False, weights, pretrained, **kwargs)


def vgg11_bn(weights: WeightsLike = None, progress: bool = True, *, pretrained: bool = False, **kwargs) -> VGG:
    """VGG-11 with BatchNorm after each convolution."""
    return _vgg("vgg11_bn", "A", True, weights, pretrained, **kwargs)


def vgg13(weights: WeightsLike = None, progress: bool = True, *, pretrained: bool = False, **kwargs) -> VGG:
    """VGG-13 (configuration "B")."""
    return _vgg("vgg13", "B", False, weights, pretrained, **kwargs)


def vgg13_bn(weights: WeightsLike = None, progress: bool = True, *, pretrained: bool = False, **kwargs) -> VGG:
    """VGG-13 with BatchNorm."""
    return _vgg("vgg13_bn", "B", True, weights, pretrained, **kwargs)


def vgg16(weights: WeightsLike = None, progress: bool = True, *, pretrained: bool = False, **kwargs) -> VGG:
    """VGG-16 (configuration "D")."""
    return _vgg("vgg16", "D", False, weights, pretrained, **kwargs)


def vgg16_bn(weights: WeightsLike = None, progress: bool = True, *, pretrained: bool = False, **kwargs) -> VGG:
    """VGG-16 with BatchNorm."""
    return _vgg("vgg16_bn", "D", True, weights, pretrained, **kwargs)


def vgg19(weights: WeightsLike = None, progress: bool = True, *, pretrained: bool = False, **kwargs) -> VGG:
    """VGG-19 (configuration "E")."""
    return _vgg("vgg19", "E", False, weights, pretrained, **kwargs)


def vgg19_bn(weights: WeightsLike = None, progress: bool = True, *, pretrained: bool = False, **kwargs) -> VGG:
    """VGG-19 with BatchNorm."""
    return _vgg("vgg19_bn", "E", True, weights, pretrained, **kwargs)


def vgg_small(num_classes: int = 10, in_channels: int = 1, batch_norm: bool = True, weights: WeightsLike = None,
              dropout: float = 0.5) -> VGG:
    """A teaching VGG for 8x8 to 32x32 images: [32, 32, M, 64, 64, M], pooled to 2x2, a 128-unit MLP.

    >>> model = vgg_small(num_classes=10, in_channels=1)
    >>> model(minitorch.randn(4, 1, 28, 28)).shape
    minitorch.Size([4, 10])
    """
    features = make_layers([32, 32, "M", 64, 64, "M"], batch_norm, in_channels)
    model = VGG(features, num_classes=num_classes, dropout=dropout, pool_size=(2, 2), hidden=128)
    return load_weights(model, "vgg_small", weights)
