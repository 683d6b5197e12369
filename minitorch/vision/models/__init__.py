"""Model architectures with torchvision's names: ResNet, VGG, LeNet-5 (``torchvision.models``).

>>> from minitorch.vision import models
>>> model = models.resnet18(num_classes=10)
>>> model = models.resnet18(weights="resnet18.pt")  # doctest: +SKIP  (a converted torchvision state dict)
"""

from ._weights import WeightsNotFoundError, read_state_dict, weights_home
from .lenet import LeNet5, lenet5
from .resnet import BasicBlock, Bottleneck, ResNet, resnet18, resnet34, resnet50, resnet_small
from .vgg import VGG, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn, vgg_small

__all__ = [
    "ResNet", "BasicBlock", "Bottleneck", "resnet18", "resnet34", "resnet50", "resnet_small",
    "VGG", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn", "vgg_small",
    "LeNet5", "lenet5", "WeightsNotFoundError", "read_state_dict", "weights_home",
]
