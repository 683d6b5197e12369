"""ResNet (He et al., 2015) with torchvision's module tree, so torchvision state dicts load as they are.

A ResNet is a stem, four stages of residual blocks and a classifier::

    x -> conv1 (7x7, stride 2) -> bn1 -> relu -> maxpool (3x3, stride 2)     the stem: 224 -> 56
      -> layer1 -> layer2 -> layer3 -> layer4                                each later stage halves H, W
      -> avgpool (global) -> flatten -> fc                                   the head, replaceable

Each block computes ``relu(F(x) + x)``: the layers learn a *residual* ``F``
added to the identity, which lets gradients flow through very deep networks.
When a block changes the shape (stride 2 or more channels) the identity is
replaced by ``downsample = Sequential(conv1x1(stride), BatchNorm2d)``.

``BasicBlock`` (ResNet-18/34) is two 3x3 convolutions; ``Bottleneck``
(ResNet-50) is 1x1 (narrow) -> 3x3 -> 1x1 (4x wider). The names
(``layer1.0.conv1.weight``, ``layer2.0.downsample.0.weight``, ``fc.bias`` ...)
are torchvision's. minitorch adds ``in_channels``, ``width`` and a
``small_input`` stem (3x3 conv, stride 1, no max pool) for 8x8 to 32x32 images.
"""

from __future__ import annotations

from typing import Callable

from ..._tensor import Tensor
from ...nn import BatchNorm2d, GroupNorm, Identity, Linear, Module, ReLU, Sequential, init
from ...nn.modules.conv import Conv2d
from ...nn.modules.pooling import AdaptiveAvgPool2d, MaxPool2d
from ._weights import WeightsLike, load_weights

__all__ = ["ResNet", "BasicBlock", "Bottleneck", "resnet18", "resnet34", "resnet50", "resnet_small"]



def conv3x3(in_planes: int, out_planes: int, stride: int = 1, groups: int = 1, dilation: int = 1) -> Conv2d:
    """3x3 convolution with padding that keeps the size (at stride 1); no bias: a BatchNorm follows."""
    return Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=dilation, groups=groups,
                  bias=False, dilation=dilation)


def conv1x1(in_planes: int, out_planes: int, stride: int = 1) -> Conv2d:
    """1x1 convolution: mixes channels at each pixel (and subsamples with stride > 1)."""
    return Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(Module):
    """Two 3x3 convolutions and a shortcut: ``relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))``.

    >>> BasicBlock(64, 64)(minitorch.randn(1, 64, 8, 8)).shape
    minitorch.Size([1, 64, 8, 8])
    """

    expansion: int = 1  # output channels = planes * expansion

    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample: Module | None = None,
                 groups: int = 1, base_width: int = 64, dilation: int = 1,
                 norm_layer: Callable[..., Module] | None = None) -> None:
        super().__init__()
        norm_layer = norm_layer or BatchNorm2d
        if groups != 1 or base_width != 64:
            raise ValueError("BasicBlock only supports groups=1 and base_width=64")
        if dilation > 1:
            raise NotImplementedError("Dilation > 1 not supported in BasicBlock")
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = norm_layer(planes)
        self.relu = ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = norm_layer(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += identity  # the residual connection: the block learns out - identity
        return self.relu(out)


class Bottleneck(Module):
    """1x1 (reduce) -> 3x3 (stride here, as torchvision "ResNet V1.5") -> 1x1 (expand x4), plus a shortcut.

    >>> Bottleneck(256, 64)(minitorch.randn(1, 256, 4, 4)).shape
    minitorch.Size([1, 256, 4, 4])
    """

    expansion: int = 4

    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample: Module | None = None,
                 groups: int = 1, base_width: int = 64, dilation: int = 1,
                 norm_layer: Callable[..., Module] | None = None) -> None:
        super().__init__()
        norm_layer = norm_layer or BatchNorm2d
        width = int(planes * (base_width / 64.0)) * groups  # the narrow middle (wider in ResNeXt/Wide ResNet)
        self.conv1 = conv1x1(inplanes, width)
        self.bn1 = norm_layer(width)
        self.conv2 = conv3x3(width, width, stride, groups, dilation)
        self.bn2 = norm_layer(width)
        self.conv3 = conv1x1(width, planes * self.expansion)
        self.bn3 = norm_layer(planes * self.expansion)
        self.relu = ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        out += identity
        return self.relu(out)


class ResNet(Module):
    """A ResNet: ``block`` repeated ``layers[i]`` times in stage ``i`` (torchvision's constructor and names).

    minitorch's additions (defaults give torchvision's network): ``in_channels``
    (1 for grayscale), ``width`` (channels of the first stage; 64 in the paper,
    doubled at each stage) and ``small_input`` (a 3x3 stride-1 stem without max
    pool, as used for CIFAR-size images, so an 8x8 image is not shrunk to 2x2 before layer1).

    >>> model = ResNet(BasicBlock, [2, 2, 2, 2], num_classes=10)
    >>> model(minitorch.randn(2, 3, 64, 64)).shape
    minitorch.Size([2, 10])
    """

    def __init__(self, block: type[BasicBlock | Bottleneck], layers: list[int], num_classes: int = 1000,
                 zero_init_residual: bool = False, groups: int = 1, width_per_group: int = 64,
                 replace_stride_with_dilation: list[bool] | None = None,
                 norm_layer: Callable[..., Module] | None = None, *, in_channels: int = 3, width: int = 64,
                 small_input: bool = False) -> None:
        super().__init__()
        self._norm_layer = norm_layer or BatchNorm2d
        self.inplanes = width
        self.dilation = 1
        replace_stride_with_dilation = replace_stride_with_dilation or [False, False, False]
        if len(replace_stride_with_dilation) != 3:
            raise ValueError("replace_stride_with_dilation should be None or a 3-element tuple, "
                             f"got {replace_stride_with_dilation}")
        self.groups = groups
        self.base_width = width_per_group
        self._make_stem(in_channels, width, small_input)
        self.layer1 = self._make_layer(block, width, layers[0])
        self.layer2 = self._make_layer(block, width * 2, layers[1], 2, replace_stride_with_dilation[0])
        self.layer3 = self._make_layer(block, width * 4, layers[2], 2, replace_stride_with_dilation[1])
        self.layer4 = self._make_layer(block, width * 8, layers[3], 2, replace_stride_with_dilation[2])
        self.avgpool = AdaptiveAvgPool2d((1, 1))
        self.fc = Linear(width * 8 * block.expansion, num_classes)
        self._init_weights(zero_init_residual)

    def _make_stem(self, in_channels: int, width: int, small_input: bool) -> None:
        if small_input:  # tiny images: keep the resolution (3x3, stride 1) and skip the max pool
            self.conv1 = Conv2d(in_channels, width, kernel_size=3, stride=1, padding=1, bias=False)
        else:  # ImageNet: 7x7 stride 2, then 3x3 max pool stride 2: 224x224 -> 56x56
            self.conv1 = Conv2d(in_channels, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = self._norm_layer(width)
        self.relu = ReLU(inplace=True)
        self.maxpool = Identity() if small_input else MaxPool2d(kernel_size=3, stride=2, padding=1)

    def _init_weights(self, zero_init_residual: bool) -> None:
        """torchvision's init: He-normal (fan_out) convolutions, BatchNorm weight 1 and bias 0.

        ``zero_init_residual`` zeroes the last BatchNorm weight of each block, so every
        block starts as the identity (Goyal et al., 2017: helps large-batch training).
        """
        for m in self.modules():
            if isinstance(m, Conv2d):
                init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, (BatchNorm2d, GroupNorm)):
                init.constant_(m.weight, 1)
                init.constant_(m.bias, 0)
        if not zero_init_residual:
            return
        for m in self.modules():
            if isinstance(m, Bottleneck) and m.bn3.weight is not None:
                init.constant_(m.bn3.weight, 0)
            elif isinstance(m, BasicBlock) and m.bn2.weight is not None:
                init.constant_(m.bn2.weight, 0)

    def _make_layer(self, block: type[BasicBlock | Bottleneck], planes: int, blocks: int, stride: int = 1,
                    dilate: bool = False) -> Sequential:
        """One stage: a first block that may change the shape (with a ``downsample`` shortcut), then
        ``blocks - 1`` blocks that keep it."""
        norm_layer = self._norm_layer
        downsample = None
        previous_dilation = self.dilation
        if dilate:  # keep the resolution and grow the receptive field instead (for segmentation)
            self.dilation *= stride
            stride = 1
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = Sequential(conv1x1(self.inplanes, planes * block.expansion, stride),
                                    norm_layer(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample, self.groups, self.base_width,
                        previous_dilation, norm_layer)]
        self.inplanes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(block(self.inplanes, planes, groups=self.groups, base_width=self.base_width,
                                dilation=self.dilation, norm_layer=norm_layer))
        return Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = self.avgpool(x).flatten(1)  # (N, C, 1, 1) -> (N, C)
        return self.fc(x)


def _resnet(arch: str, block, layers: list[int], weights: WeightsLike, pretrained: bool, **kwargs) -> ResNet:
    return load_weights(ResNet(block, layers, **kwargs), arch, weights, pretrained)


def resnet18(weights: WeightsLike = None, progress: bool = True, *, pretrained: bool = False, **kwargs) -> ResNet:
    """ResNet-18: BasicBlocks [2, 2, 2, 2], 11.7M parameters at 1000 classes.

    ``weights`` is a checkpoint path (``minitorch.save`` or ``.safetensors``) or a state dict of
    arrays/tensors; ``pretrained=True`` reads ``<MINITORCH_HOME>/models/resnet18.pt`` (see
    ``python -m minitorch.vision.models.convert``). ``progress`` is accepted for torchvision
    compatibility (nothing is downloaded). Other keywords go to ``ResNet``.

    >>> model = resnet18(num_classes=10)
    >>> model.fc = minitorch.nn.Linear(model.fc.in_features, 2)  # a new head for transfer learning
    """
    return _resnet("resnet18", BasicBlock, [2, 2, 2, 2], weights, pretrained, **kwargs)


def resnet34(weights: WeightsLike = None, progress: bool = True, *, pretrained: bool = False, **kwargs) -> ResNet:
    """ResNet-34: BasicBlocks [3, 4, 6, 3] (arguments as ``resnet18``).

    >>> resnet34(num_classes=10).fc
    Linear(in_features=512, out_features=10, bias=True)
    """
    return _resnet("resnet34", BasicBlock, [3, 4, 6, 3], weights, pretrained, **kwargs)


def resnet50(weights: WeightsLike = None, progress: bool = True, *, pretrained: bool = False, **kwargs) -> ResNet:
    """ResNet-50: Bottlenecks [3, 4, 6, 3], 2048 features before ``fc`` (arguments as ``resnet18``).

    >>> resnet50(num_classes=10).fc
    Linear(in_features=2048, out_features=10, bias=True)
    """
    return _resnet("resnet50", Bottleneck, [3, 4, 6, 3], weights, pretrained, **kwargs)


def resnet_small(num_classes: int = 10, in_channels: int = 3, width: int = 16, layers: list[int] | None = None,
                 weights: WeightsLike = None, **kwargs) -> ResNet:
    """A ResNet for tiny images that trains in seconds on a CPU (minitorch's, not torchvision's).

    BasicBlocks ``layers`` (default [1, 1, 1, 1]: ResNet-10), stage widths
    ``width`` x (1, 2, 4, 8) (default 16..128) and the ``small_input`` stem.
    The module names are those of ``resnet18``, so the transfer-learning recipe is the same.

    >>> model = resnet_small(num_classes=5, in_channels=1)
    >>> model(minitorch.randn(4, 1, 16, 16)).shape
    minitorch.Size([4, 5])
    """
    model = ResNet(BasicBlock, list(layers or [1, 1, 1, 1]), num_classes=num_classes, in_channels=in_channels,
                   width=width, small_input=True, **kwargs)
    return load_weights(model, "resnet_small", weights)
