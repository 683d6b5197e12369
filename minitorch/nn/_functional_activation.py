"""The activation functions of `nn.functional` (re-exported there): ``F.relu``, ``F.gelu``, ``F.softmax`` ...

Each is a composition of differentiable Tensor ops, so first and second
derivatives come for free. Two PyTorch conventions shape the code:

* at a kink the gradient is PyTorch's: ``hardtanh``/``relu6`` and
  ``hardsigmoid`` pass no gradient at their clip points, ``elu``-style
  functions use the positive branch for NaN inputs;
* ``inplace=True`` writes the result into ``input`` and records the op in
  the graph like ``relu_`` does (``inplace_apply``), so backward still works.
"""

from __future__ import annotations

import math
import warnings
from typing import Callable

from .._tensor import Tensor
from ..ops.inplace import inplace_apply
from ..ops.random import rand
from ..ops.reduction import log_softmax as _log_softmax
from ..ops.reduction import softmax as _softmax
from ._functional_loss import logsigmoid  # noqa: F401  (lives with the losses that use it)


def _apply(input: Tensor, fn: Callable[[Tensor], Tensor], inplace: bool, name: str) -> Tensor:
    """``fn(input)``, or the same written into ``input`` (and recorded in the graph) when ``inplace``."""
    return inplace_apply(input, fn, (), None, name + "_") if inplace else fn(input)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0)."""
    return input.relu_() if inplace else input.relu()


def relu_(input: Tensor) -> Tensor:
    return input.relu_()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x if x > 0 else negative_slope * x."""
    return _apply(input, lambda x: x.where(x > 0, x * negative_slope), inplace, "leaky_relu")


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, True)


def _elu(x: Tensor, alpha: float, input_scale: float = 1.0) -> Tensor:
    """x if x > 0 (or NaN) else alpha * (exp(input_scale x) - 1).

    The exponential sees min(x, 0) (0 where x is positive or NaN), so it
    never overflows and no NaN leaks into the gradient of the unused branch.
    """
    negative = x <= 0
    neg = alpha * (x.where(negative, 0.0) * input_scale).expm1()
    return x.where(~negative, neg)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x if x > 0 else alpha * (exp(x) - 1)."""
    return _apply(input, lambda x: _elu(x, alpha), inplace, "elu")


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with the self-normalising constants."""
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    return _apply(input, lambda x: scale * _elu(x, alpha), inplace, "selu")


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x if x > 0 else alpha * (exp(x / alpha) - 1)."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    return _apply(input, lambda x: _elu(x, alpha, 1.0 / alpha), inplace, "celu")


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x) with Phi the normal CDF: 0.5 x (1 + erf(x / sqrt 2)); 'tanh' uses the tanh approximation."""
    if approximate == "none":
        return 0.5 * input * (1 + (input * (1 / math.sqrt(2))).erf())
    if approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (input + 0.044715 * input * input * input)
        return 0.5 * input * (1 + inner.tanh())
    raise RuntimeError("approximate argument must be either none or tanh.")


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x)  (also called swish)."""
    return _apply(input, lambda x: x * x.sigmoid(), inplace, "silu")


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x))."""
    return _apply(input, lambda x: x * softplus(x).tanh(), inplace, "mish")


def sigmoid(input: Tensor) -> Tensor:
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    return input.tanh()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (where they agree to float precision)."""
    bx = input * beta
    # clamp before exp: the branch that where() does not pick must stay finite, or its gradient is NaN.
    smooth = bx.clamp(max=threshold).exp().log1p() / beta
    return input.where(bx > threshold, smooth)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    return input / (1 + input.abs())


def tanhshrink(input: Tensor) -> Tensor:
    return input - input.tanh()


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0."""
    return input.where((input < -lambd) | (input > lambd), 0.0)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd above lambd, x + lambd below -lambd, 0 in between."""
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    return (input - lambd).where(input > lambd, (input + lambd).where(input < -lambd, 0.0))


def _clip(x: Tensor, lo: float, hi: float) -> Tensor:
    """x clamped to [lo, hi] whose gradient is 0 at lo and hi too (PyTorch's hardtanh); NaN stays NaN."""
    outside = (x <= lo) | (x >= hi)
    return x.where(~outside, x.detach().clamp(lo, hi))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """x clamped to [min_val, max_val]."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _apply(input, lambda x: _clip(x, min_val, max_val), inplace, "hardtanh")


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    return hardtanh(input, min_val, max_val, True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6  (gradient 1/6 strictly between -3 and 3)."""
    return _apply(input, lambda x: _clip(x + 3, 0.0, 6.0) / 6, inplace, "hardsigmoid")


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * relu6(x + 3) / 6  (gradient 0 for x <= -3, 1 for x >= 3, as PyTorch)."""
    return _apply(input, lambda x: x * _clip(x + 3, 0.0, 6.0) / 6, inplace, "hardswish")


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x if x > threshold else value (NaN stays NaN)."""
    return _apply(input, lambda x: x.where(~(x <= threshold), value), inplace, "threshold")


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """Leaky ReLU with a random slope from U(lower, upper) per element while training, (lower + upper) / 2 else."""
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    slope = rand(*input.shape, dtype=input.dtype, device=input.device) * (upper - lower) + lower
    return _apply(input, lambda x: x.where(x >= 0, x * slope), inplace, "rrelu")


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x if x > 0 else a * x, with one learnable ``a`` per channel (dim 1) or one shared."""
    channels = input.shape[1] if input.ndim >= 2 else 1
    if weight.numel() != 1 and weight.numel() != channels:
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                           f"{weight.numel()} and channel size = {channels}.")
    a = weight
    if weight.numel() > 1:
        a = weight.reshape((1, -1) + (1,) * (input.ndim - 2))
    elif input.ndim < weight.ndim or weight.ndim:
        a = weight.reshape(())
    return input.where(input > 0, a * input)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a * sigmoid(b) where a, b are the two halves of ``input`` along ``dim``."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    if input.shape[dim] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {dim} is size {input.shape[dim]}")
    a, b = input.chunk(2, dim)
    return a * b.sigmoid()


def _softmax_dim(name: str, ndim: int) -> int:
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """exp(x) / sum(exp(x)) along ``dim`` (computed stably)."""
    return _softmax(input, _softmax_dim("softmax", input.ndim) if dim is None else dim, dtype)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    return _softmax(-input, _softmax_dim("softmin", input.ndim) if dim is None else dim, dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """x - logsumexp(x) along ``dim`` (stable: logits of 1e4 give no inf)."""
    return _log_softmax(input, _softmax_dim("log_softmax", input.ndim) if dim is None else dim, dtype)
