"""NumPy's argument names, accepted where PyTorch accepts them: ``x.sum(axis=0, keepdims=True)``.

PyTorch's argument parser maps NumPy's ``axis`` to ``dim`` and ``keepdims`` to
``keepdim`` for every function and method it binds, so code written by NumPy
users runs unchanged. minitorch wraps the functions that take ``dim`` or
``keepdim`` (found from their signatures) to do the same.
"""

from __future__ import annotations

import functools
import inspect

_ALIASES = (("axis", "dim"), ("keepdims", "keepdim"))


def accept_numpy_names(fn):
    """``fn`` that also takes ``axis=`` for ``dim=`` and ``keepdims=`` for ``keepdim=``."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if kwargs:
            for numpy_name, name in _ALIASES:
                if numpy_name in kwargs:
                    if name in kwargs:
                        raise TypeError(f"{fn.__name__}() got both '{name}' and its NumPy alias '{numpy_name}'")
                    kwargs[name] = kwargs.pop(numpy_name)
        return fn(*args, **kwargs)

    return wrapper


def _takes_dim(fn) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return "dim" in params or "keepdim" in params


def wrap_namespace(namespace: dict, names=None) -> None:
    """Wrap, in place, the public functions of ``namespace`` (a module's or class's dict) that take ``dim``."""
    for name in list(names if names is not None else namespace):
        fn = namespace.get(name) if isinstance(namespace, dict) else getattr(namespace, name, None)
        if name.startswith("_") or not inspect.isfunction(fn) or not _takes_dim(fn):
            continue
        wrapped = accept_numpy_names(fn)
        if isinstance(namespace, dict):
            namespace[name] = wrapped
        else:
            setattr(namespace, name, wrapped)
