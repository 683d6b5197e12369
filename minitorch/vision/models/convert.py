"""Convert a PyTorch/torchvision state dict file into a minitorch checkpoint.

Usage (this tool needs PyTorch; minitorch itself never imports it)::

    # on a machine with torchvision:
    #   torch.save(torchvision.models.resnet18(weights="DEFAULT").state_dict(), "resnet18.pth")
    python -m minitorch.vision.models.convert resnet18.pth resnet18.pt --arch resnet18

    >>> model = minitorch.vision.models.resnet18(weights="resnet18.pt")  # doctest: +SKIP

The input is read with ``torch.load(..., weights_only=True)`` (PyTorch's safe
mode: no code runs). A checkpoint that nests the weights under ``"state_dict"``
or ``"model"`` is unwrapped, and the ``"module."`` prefix that
``nn.DataParallel`` adds is removed. The output is written with
``minitorch.save`` (or as ``.safetensors`` when ``OUT`` ends with that suffix).
With ``--arch NAME`` the tool builds ``minitorch.vision.models.NAME`` and
loads the weights into it strictly, so a mismatch is reported now rather
than later. Writing ``OUT`` to ``<MINITORCH_HOME>/models/NAME.pt`` makes
``NAME(pretrained=True)`` find it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

from ... import _tensor


def _import_torch():
    try:
        import torch
    except ImportError:
        raise ImportError("minitorch.vision.models.convert reads PyTorch files and needs PyTorch: pip install torch "
                          "(only for this conversion; minitorch does not depend on it)") from None
    return torch


def torch_state_dict_to_numpy(state_dict: Mapping) -> "OrderedDict[str, np.ndarray]":
    """``{name: torch tensor}`` -> ``{name: NumPy array}``; bfloat16/half widened exactly to float32.

    >>> arrays = torch_state_dict_to_numpy(torch_model.state_dict())  # doctest: +SKIP
    """
    torch = _import_torch()
    out: OrderedDict[str, np.ndarray] = OrderedDict()
    for key, value in state_dict.items():
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"convert: entry {key!r} is a {type(value).__name__}, not a tensor")
        value = value.detach().cpu()
        if value.dtype in (torch.bfloat16, torch.float16):
            value = value.float()
        name = key[len("module."):] if key.startswith("module.") else key  # nn.DataParallel's prefix
        out[name] = value.numpy().copy()
    return out


def _unwrap(obj) -> Mapping:
    if not isinstance(obj, Mapping):
        raise TypeError(f"convert: the file holds a {type(obj).__name__}, expected a state dict")
    for key in ("state_dict", "model"):
        if isinstance(obj.get(key), Mapping):
            return obj[key]
    return obj


def convert(src: str | os.PathLike, out: str | os.PathLike, arch: str | None = None) -> "OrderedDict":
    """Read the PyTorch file ``src``, write a minitorch checkpoint ``out``, return the state dict written.

    >>> convert("resnet18.pth", "resnet18.pt", arch="resnet18")  # doctest: +SKIP
    """
    torch = _import_torch()
    arrays = torch_state_dict_to_numpy(_unwrap(torch.load(os.fspath(src), map_location="cpu", weights_only=True)))
    state = OrderedDict((k, _tensor._wrap(v)) for k, v in arrays.items())
    if arch is not None:
        from .. import models

        builders = [name for name in models.__all__
                    if name.islower() and name not in ("read_state_dict", "weights_home")]
        if arch not in builders:
            raise ValueError(f"convert: unknown architecture {arch!r}; one of {builders}")
        getattr(models, arch)(weights=state)  # raises RuntimeError listing missing/unexpected keys or shape mismatches
    folder = os.path.dirname(os.fspath(out))
    if folder:
        os.makedirs(folder, exist_ok=True)
    if os.fspath(out).endswith(".safetensors"):
        from ...serialization import save_safetensors

        save_safetensors(state, out)
    else:
        from ...serialization import save

        save(state, out)
    return state


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m minitorch.vision.models.convert",
                                     description="Convert a PyTorch/torchvision state dict (.pth) into a minitorch "
                                                 "checkpoint (or .safetensors).")
    parser.add_argument("src", help="a file written by torch.save(model.state_dict(), ...)")
    parser.add_argument("out", help="the minitorch checkpoint to write (.safetensors for that format)")
    parser.add_argument("--arch", default=None,
                        help="check the weights by loading them into minitorch.vision.models.ARCH (e.g. resnet18)")
    args = parser.parse_args(argv)
    state = convert(args.src, args.out, args.arch)
    n = sum(int(t.numel()) for t in state.values())
    checked = f", checked against {args.arch}" if args.arch else ""
    print(f"wrote {args.out}: {len(state)} tensors, {n:,} numbers{checked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
