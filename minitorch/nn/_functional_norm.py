"""The normalisation functions of `nn.functional` (re-exported there): ``F.layer_norm``, ``F.batch_norm`` ...

All of them compute ``(x - mean) / sqrt(var + eps)`` with the biased
variance over some dims, then an optional elementwise affine ``* weight +
bias``; ``normalize``, ``cosine_similarity`` and ``pairwise_distance``
divide by (or measure) vector norms along one dim.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from ..ops._util import broadcast_error


def _affine(y: Tensor, weight: Tensor | None, bias: Tensor | None, shape) -> Tensor:
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y


def _check_same_dtype(input: Tensor, *params) -> None:
    """PyTorch's normalisation kernels want the parameters (and running stats) in the input's dtype."""
    if input.dtype.name not in ("float32", "float64"):
        return  # float16 input with float32 parameters is PyTorch's mixed precision: allowed
    for t in params:
        if t is not None and t.dtype is not input.dtype:
            raise RuntimeError(f"mixed dtype ({input.device.type.upper()}): all inputs must share same datatype.")


def _normalize_over(x: Tensor, dims, eps: float) -> tuple:
    """(x - mean) / sqrt(var + eps) over ``dims`` with the biased variance; also returns mean and var."""
    mean = x.mean(dims, keepdim=True)
    xc = x - mean
    var = (xc * xc).mean(dims, keepdim=True)
    return xc * (var + eps).rsqrt(), mean, var


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise over the last ``len(normalized_shape)`` dims, then ``* weight + bias`` (elementwise)."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if tuple(input.shape[input.ndim - k:]) != shape or input.ndim < k:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in shape)}], but got input of size{list(input.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                               f"{list(t.shape)} and normalized_shape = {list(shape)}")
    _check_same_dtype(input, weight, bias)
    y, _, _ = _normalize_over(input, tuple(range(input.ndim - k, input.ndim)), eps)
    return _affine(y, weight, bias, shape)


def rms_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, eps: float | None = None) -> Tensor:
    """x / sqrt(mean(x^2) + eps) over the last dims, times ``weight``."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    eps = float(np.finfo(input.dtype.np).eps) if eps is None else eps
    y = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    return _affine(y, weight, None, shape)


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel (dim 1) over the batch and spatial dims.

    Training: batch statistics (biased variance) normalise, and the running
    statistics move towards them: ``running = (1 - momentum) * running +
    momentum * batch`` with the *unbiased* variance. Not training: the
    running statistics normalise.
    """
    if input.ndim < 2:
        raise ValueError(f"expected at least 2D input (got {input.ndim}D input)")
    channels = input.shape[1]
    dims = (0,) + tuple(range(2, input.ndim))
    shape = (1, channels) + (1,) * (input.ndim - 2)
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")
    _check_same_dtype(input, running_mean, running_var, weight, bias)
    if not training:
        for name, t in (("running_mean", running_mean), ("running_var", running_var)):
            if t is None:
                raise RuntimeError(f"{name} must be defined in evaluation mode")
        y = (input - running_mean.reshape(shape)) * (running_var.reshape(shape) + eps).rsqrt()
        return _affine(y, weight, bias, shape)
    n = input.numel() // channels if channels else 0
    if n == 0:  # an empty batch: an empty output, running statistics unchanged (as PyTorch)
        return _affine(input, weight, bias, shape)
    if n == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")
    y, mean, var = _normalize_over(input, dims, eps)
    with no_grad():
        if running_mean is not None:
            running_mean.mul_(1 - momentum).add_(mean.reshape(channels).to(running_mean.dtype) * momentum)
        if running_var is not None:
            unbiased = var.reshape(channels) * (n / (n - 1))
            running_var.mul_(1 - momentum).add_(unbiased.to(running_var.dtype) * momentum)
    return _affine(y, weight, bias, shape)


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Split the channels into ``num_groups`` groups and normalise each group of each sample."""
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {list(input.shape)} and num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != (c,):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, "
                               f"but got {name} of shape {list(t.shape)} and input of shape {list(input.shape)}")
    _check_same_dtype(input, weight, bias)
    y, _, _ = _normalize_over(input.reshape(n, num_groups, -1), (2,), eps)
    return _affine(y.reshape(input.shape), weight, bias, (1, c) + (1,) * (input.ndim - 2))


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None) -> Tensor:
    """x / max(||x||_p, eps) along ``dim`` (written into ``out`` too, when given)."""
    result = input / input.norm(p, dim, keepdim=True).clamp(min=eps).expand_as(input)
    if out is not None:
        return out.copy_(result)
    return result


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """<x1, x2> / (max(||x1||, eps) * max(||x2||, eps)) along ``dim`` (x1 and x2 broadcast first).

    As in PyTorch the clamp at ``eps`` changes only the value: the gradient
    flows through each norm as if it were not clamped.
    """
    try:
        shape = np.broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
    except ValueError:
        raise broadcast_error(tuple(x1.shape), tuple(x2.shape)) from None
    x1, x2 = x1.expand(shape), x2.expand(shape)

    def clamped_norm(x: Tensor) -> Tensor:
        n = x.norm(2, dim, keepdim=True)
        return n + (eps - n).clamp(min=0).detach()  # value max(n, eps), gradient always that of n

    return ((x1 / clamped_norm(x1)) * (x2 / clamped_norm(x2))).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p along the last dim."""
    return (x1 - x2 + eps).norm(p, -1, keepdim=keepdim)
