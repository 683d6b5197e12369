"""``minitorch graph SCRIPT.py``: run a script and draw the graph of one of its tensors.

The script runs as ``python SCRIPT.py`` would run it. Afterwards the tensor to
draw is taken from its global variables: the one named with ``--tensor``, else
``loss``, else the last global tensor that has a ``grad_fn``. Leaves are
labelled with the names they have in the script: the global tensors that
require grad (``w = minitorch.randn(3, requires_grad=True)`` is drawn as
``w``) and the parameters of every global ``nn.Module`` (``model.fc.weight``).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def run_script(path: str | Path, argv: list[str] | None = None) -> dict:
    """Run ``path`` as ``__main__`` (with ``sys.argv = [path, *argv]``) and return its globals."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"minitorch graph: no such script: {path}")
    old_argv, old_path = sys.argv, list(sys.path)
    sys.argv = [str(path), *(argv or [])]
    sys.path.insert(0, str(path.resolve().parent))  # the script's own imports work as with `python SCRIPT.py`
    try:
        return runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv, sys.path[:] = old_argv, old_path


def pick_tensor(namespace: dict, name: str | None = None):
    """The tensor to draw: ``namespace[name]``, else ``loss``, else the last one with a ``grad_fn``."""
    from .._tensor import Tensor

    if name is not None:
        if not isinstance(namespace.get(name), Tensor):
            found = namespace.get(name)
            what = "not defined" if name not in namespace else f"a {type(found).__name__}, not a Tensor"
            raise ValueError(f"minitorch graph: the script's global '{name}' is {what}")
        return namespace[name]
    if isinstance(namespace.get("loss"), Tensor) and namespace["loss"].grad_fn is not None:
        return namespace["loss"]
    recorded = [v for k, v in namespace.items() if isinstance(v, Tensor) and v.grad_fn is not None
                and not k.startswith("_")]
    if not recorded:
        raise ValueError(
            "minitorch graph: the script left no global tensor with a grad_fn to draw. Keep the result in a global "
            "variable (for example `loss = ...`) or name it with --tensor NAME."
        )
    return recorded[-1]


def leaf_names(namespace: dict) -> dict:
    """``{name: tensor}`` for the leaves to label: global tensors that require grad and module parameters."""
    from .._tensor import Tensor
    from ..nn import Module

    params = {}
    for key, value in namespace.items():
        if key.startswith("_"):
            continue
        if isinstance(value, Module):
            params.update({f"{key}.{n}": p for n, p in value.named_parameters()})
        elif isinstance(value, Tensor) and value.requires_grad and value.grad_fn is None:
            params[key] = value
    return params
