"""Random tensors: ``rand``, ``randn``, ``randint``, ``randperm``, ``normal``, ``bernoulli``.

Numbers are drawn on the host from the generator (see minitorch/_random.py)
and moved to the device, so a seed gives the same numbers on every device.
"""

from __future__ import annotations

import numpy as np

from .. import _dtype
from .._random import np_generator
from .._tensor import Tensor, _wrap
from .creation import _dt, _finish, _sizes


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Uniform numbers in [0, 1)."""
    d = _dt(dtype)
    return _finish(np_generator(generator).random(_sizes(size)).astype(d.np), device, requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Standard normal numbers (mean 0, std 1)."""
    d = _dt(dtype)
    return _finish(np_generator(generator).standard_normal(_sizes(size)).astype(d.np), device, requires_grad)


def randint(low, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Integers in [low, high): ``randint(10, (3,))`` or ``randint(2, 10, (3,))``."""
    if size is None:
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    d = _dtype.as_dtype(dtype) if dtype is not None else _dtype.int64
    arr = np_generator(generator).integers(low, high, size=_sizes((size,) if isinstance(size, int) else (tuple(size),)))
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
    return _finish(np_generator(generator).permutation(n).astype(d.np), device, requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None) -> Tensor:
    """Normal numbers with the given mean and std (numbers or tensors)."""
    m = mean.detach()._host() if isinstance(mean, Tensor) else mean
    s = std.detach()._host() if isinstance(std, Tensor) else std
    if size is None:
        size = np.broadcast_shapes(np.shape(m), np.shape(s))
    ref = mean if isinstance(mean, Tensor) else std if isinstance(std, Tensor) else None
    d = _dt(dtype if dtype is not None else (ref.dtype if ref is not None else None))
    arr = np_generator(generator).normal(m, s, size=tuple(size))
    return _finish(np.asarray(arr).astype(d.np), device or (ref.device if ref is not None else None), False)


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
