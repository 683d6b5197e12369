"""Loading weights into a model: ``weights=`` and ``pretrained=`` of every model builder.

torchvision downloads ImageNet weights from the internet. minitorch never
touches the network, so weights come from somewhere you choose:

* ``weights="resnet18.mt"``: a checkpoint written by ``minitorch.save`` (a
  state dict, or a dict holding one under ``"state_dict"`` or ``"model"``);
* ``weights="resnet18.safetensors"``: a ``.safetensors`` file (PyTorch can write these);
* ``weights=state_dict``: a dict of NumPy arrays or tensors, e.g.
  ``{k: v.numpy() for k, v in torch_model.state_dict().items()}``;
* ``pretrained=True`` (or a torchvision enum name such as ``weights="IMAGENET1K_V1"``):
  the file ``<MINITORCH_HOME>/models/<arch>.pt`` if it exists (``MINITORCH_HOME``
  defaults to ``~/.cache/minitorch``); otherwise a ``WeightsNotFoundError`` that says
  how to make that file with ``python -m minitorch.vision.models.convert``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Union

from ...nn.module import Module

WeightsLike = Union[str, os.PathLike, Mapping, None]


class WeightsNotFoundError(RuntimeError):
    """Pretrained weights were asked for, but no local copy exists (minitorch does not download)."""


def weights_home() -> str:
    """The folder where ``pretrained=True`` looks for ``<arch>.pt`` files.

    >>> weights_home()  # doctest: +SKIP
    '/home/me/.cache/minitorch/models'
    """
    root = os.environ.get("MINITORCH_HOME", os.path.join(os.path.expanduser("~"), ".cache", "minitorch"))
    return os.path.join(root, "models")


def _missing_weights_message(arch: str, wanted: str) -> str:
    path = os.path.join(weights_home(), f"{arch}.pt")
    return (
        f"{arch}: {wanted} asks for pretrained weights, but minitorch never downloads anything and found no local "
        f"copy at {path!r}. To use torchvision's ImageNet weights, on a machine with PyTorch and torchvision run\n"
        f"    import torch, torchvision\n"
        f"    torch.save(torchvision.models.{arch}(weights='DEFAULT').state_dict(), '{arch}.pth')\n"
        f"then convert the file (this step needs torch, not torchvision):\n"
        f"    python -m minitorch.vision.models.convert {arch}.pth {path} --arch {arch}\n"
        f"and call {arch}(pretrained=True) again, or pass the file yourself: {arch}(weights='{arch}.pt'). "
        f"A state dict of NumPy arrays works too: {arch}(weights={{k: v.numpy() for k, v in sd.items()}})."
    )


def read_state_dict(source: str | os.PathLike | Mapping) -> Mapping[str, Any]:
    """The state dict held by ``source``: a mapping as it is, or a checkpoint / .safetensors file read from disk.

    >>> sd = read_state_dict("resnet18.pt")  # doctest: +SKIP
    """
    if isinstance(source, Mapping):
        return source
    path = os.fspath(source)
    if not os.path.exists(path):
        raise FileNotFoundError(f"weights file {path!r} does not exist")
    if path.endswith(".safetensors"):
        from ...serialization import load_safetensors

        return load_safetensors(path)
    from ...serialization import load

    loaded = load(path, map_location="cpu")
    if not isinstance(loaded, Mapping):
        raise TypeError(f"{path!r} holds a {type(loaded).__name__}, not a state dict")
    for key in ("state_dict", "model"):  # training checkpoints often nest the model's state dict
        if isinstance(loaded.get(key), Mapping):
            return loaded[key]
    return loaded


def _looks_like_enum_name(value: str) -> bool:
    """torchvision's weight names ('DEFAULT', 'IMAGENET1K_V1', 'ResNet18_Weights.IMAGENET1K_V1')."""
    if os.path.exists(value):
        return False
    return value.rsplit(".", 1)[-1].isupper()


def load_weights(model: Module, arch: str, weights: WeightsLike = None, pretrained: bool = False) -> Module:
    """Fill ``model`` from ``weights`` (or from the local copy when ``pretrained``); return ``model``.

    >>> load_weights(model, "resnet18", weights={k: v.numpy() for k, v in torch_sd.items()})  # doctest: +SKIP
    """
    if pretrained and weights is not None:
        raise ValueError(f"{arch}: pass either pretrained=True or weights=..., not both")
    if isinstance(weights, (str, os.PathLike)) and _looks_like_enum_name(os.fspath(weights)):
        wanted, weights, pretrained = f"weights={os.fspath(weights)!r}", None, True
    else:
        wanted = "pretrained=True"
    if pretrained:
        weights = os.path.join(weights_home(), f"{arch}.pt")
        if not os.path.exists(weights):
            raise WeightsNotFoundError(_missing_weights_message(arch, wanted))
    if weights is None:
        return model
    model.load_state_dict(read_state_dict(weights))
    return model
