"""Random tensors: ``rand``, ``randn``, ``randint``, ``randperm``, ``normal``, ``bernoulli``.

Numbers are drawn on the host from the generator (see minitorch/_random.py)
and moved to the device, so a seed gives the same numbers on every device.
"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from .._random import Generator, np_generator
from .._tensor import Tensor, _wrap
from ._util import scalar_type_name
from .creation import _dt, _finish, _size_args, _sizes


def _float_only(d, kernel):
    """Uniform and normal numbers exist only for floating dtypes (PyTorch's error otherwise)."""
    if not d.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_type_name(d)}\'')




def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, **kwargs) -> Tensor:
    """Uniform numbers in [0, 1)."""
    d = _dt(dtype)
    shape = _sizes(_size_args("rand", size, kwargs), "rand")
    _float_only(d, "check_uniform_bounds")
    return _finish(np_generator(generator).random(shape).astype(d.np), device, requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, **kwargs) -> Tensor:
    """Standard normal numbers (mean 0, std 1)."""
    d = _dt(dtype)
    shape = _sizes(_size_args("randn", size, kwargs), "randn")
    _float_only(d, "normal_kernel_cpu")
    return _finish(np_generator(generator).standard_normal(shape).astype(d.np), device, requires_grad)


def randint(low=None, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False) -> Tensor:
    """Integers in [low, high): ``randint(10, (3,))``, ``randint(2, 10, (3,))`` or ``randint(high=10, size=(3,))``."""
    if low is None:
        low = 0
    elif size is None and high is not None and isinstance(high, (tuple, list)):
        low, high, size = 0, low, high
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"randint(): argument 'size' must be tuple of ints, not {type(size).__name__}")
    if high is None:
        low, high = 0, low
    if not all(isinstance(v, (int, np.integer)) for v in (low, high)):
        raise TypeError(f"randint(): low and high must be integers, got {low!r} and {high!r}")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    d = _dtype.as_dtype(dtype) if dtype is not None else _dtype.int64
    arr = np_generator(generator).integers(low, high, size=_sizes((tuple(size),), "randint"))
    return _finish(arr.astype(d.np), device, requires_grad)


def rand_like(input, dtype=None, device=None, requires_grad=False) -> Tensor:
    return rand(tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device, requires_grad=requires_grad)


def randn_like(input, dtype=None, device=None, requires_grad=False) -> Tensor:
    return randn(tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device, requires_grad=requires_grad)


def randint_like(input, low, high=None, dtype=None, device=None) -> Tensor:
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device)


def randperm(n: int, *, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A random permutation of 0..n-1."""
    d = _dtype.as_dtype(dtype) if dtype is not None else _dtype.int64
    if isinstance(n, Tensor) and n.numel() == 1 and not n.dtype.is_floating_point:
        n = int(n.item())  # a one-element integer tensor counts as its number, as in PyTorch
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"randperm(): argument 'n' (position 1) must be int, not {type(n).__name__}")
    if generator is not None and not isinstance(generator, Generator):
        raise TypeError(f"randperm(): argument 'generator' must be minitorch.Generator, not {type(generator).__name__}")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    return _finish(np_generator(generator).permutation(n).astype(d.np), device, requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None) -> Tensor:
    """Normal numbers with the given mean and std (numbers or tensors)."""
    m = mean.detach()._host() if isinstance(mean, Tensor) else mean
    s = std.detach()._host() if isinstance(std, Tensor) else std
    ref = mean if isinstance(mean, Tensor) else std if isinstance(std, Tensor) else None
    if size is None:
        if ref is None:
            raise TypeError("normal(): with a float mean and a float std, the size argument is required")
        size = np.broadcast_shapes(np.shape(m), np.shape(s))
    if np.any(np.asarray(s) < 0):
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(np.min(s))}")
    d = _dt(dtype if dtype is not None else (ref.dtype if ref is not None else None))
    arr = np_generator(generator).normal(m, s, size=tuple(size))
    return _finish(np.asarray(arr).astype(d.np), device or (ref.device if ref is not None else None), False)


def _num(v) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else str(v)


def bernoulli(input, p=None, *, generator=None) -> Tensor:
    """1 with probability ``input`` (or ``p``), else 0."""
    probs = input._data if p is None else p  # stays on the device
    if (p is None and bool(((probs < 0) | (probs > 1)).any())) or (p is not None and not 0 <= p <= 1):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
    u = _finish(np_generator(generator).random(tuple(input.shape)), input.device, False)  # drawn on the host
    return _wrap((u._data < probs).astype(input._data.dtype), input._device)


def multinomial(input, num_samples: int, replacement: bool = False, *, generator=None) -> Tensor:
    """Indices drawn from the rows of ``input`` (non-negative weights)."""
    w = np.asarray(input.detach()._host(), dtype=np.float64)
    one_d = w.ndim == 1
    w = np.atleast_2d(w)
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if np.any(w.sum(1) <= 0):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if not replacement and num_samples > w.shape[1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    g = np_generator(generator)
    rows = [g.choice(w.shape[1], size=num_samples, replace=replacement, p=r / r.sum()) for r in w]
    out = np.stack(rows).astype(np.int64)
    return _finish(out[0] if one_d else out, input.device, False)
