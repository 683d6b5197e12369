"""The dropout functions of `nn.functional` (re-exported there): ``F.dropout``, ``F.dropout2d`` ...

While training, dropout keeps each element (or, for the ``*d`` variants,
each whole channel) with probability ``1 - p`` and scales what it keeps by
``1 / (1 - p)``, so the expected output equals the input. Not training (or
``p == 0``) it returns ``input`` itself. Alpha dropout (for SELU networks)
sets dropped values to SELU's negative saturation and then rescales and
shifts, so that mean and variance are kept instead.
"""

from __future__ import annotations

import warnings

from .._tensor import Tensor
from ..ops.random import rand
from ._functional_activation import _apply


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _keep_mask(input: Tensor, p: float, shape) -> Tensor:
    """1 with probability 1 - p, else 0 (as ``input``'s dtype), one draw per element of ``shape``."""
    return (rand(*shape, dtype=input.dtype, device=input.device) >= p).to(input.dtype)


def _noise_shape(input: Tensor, lead: int) -> tuple:
    """One draw per element of the first ``lead`` dims, broadcast over the rest (the channel's values)."""
    lead = min(lead, input.ndim)
    return tuple(input.shape[:lead]) + (1,) * (input.ndim - lead)


def _dropout(input: Tensor, p: float, training: bool, inplace: bool, shape, name: str) -> Tensor:
    """Zero with probability p, scale the rest by 1/(1-p) (all zeros when p == 1), so E[out] = input."""
    _check_p(p)
    if not training or p == 0.0 or input.numel() == 0:
        return input
    mask = input.new_zeros(shape) if p == 1.0 else _keep_mask(input, p, shape) * (1.0 / (1.0 - p))
    return _apply(input, lambda x: x * mask, inplace, name)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by 1/(1-p) (identity when not training)."""
    return _dropout(input, p, training, inplace, tuple(input.shape), "dropout")


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L) or (C, L) inputs."""
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that "
                           "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a "
                           "channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    return _dropout(input, p, training, inplace, _noise_shape(input, input.ndim - 1), "dropout1d")


def _warn_feature_ndim(name: str, ndim: int, spatial: int) -> None:
    warnings.warn(f"{name}: Received a {ndim}-D input to {name}, which is deprecated and will result in an error "
                  f"in a future release. To retain the behavior and silence this warning, please use dropout "
                  f"instead. Note that {name} exists to provide channel-wise dropout on inputs with {spatial} "
                  f"spatial dimensions, a channel dimension, and an optional batch dimension (i.e. {spatial + 1}D "
                  f"or {spatial + 2}D inputs).", stacklevel=3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, H, W) inputs (a 3-D input is read as (N, C, L), as PyTorch does)."""
    _check_p(p)
    if input.ndim not in (3, 4):
        _warn_feature_ndim("dropout2d", input.ndim, 2)
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. "
                      "This behavior will change in a future release to interpret the input as one without a "
                      "batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, "
                      "please switch to using dropout1d instead.", stacklevel=2)
    return _dropout(input, p, training, inplace, _noise_shape(input, 2), "dropout2d")


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) inputs."""
    _check_p(p)
    if input.ndim not in (4, 5):
        _warn_feature_ndim("dropout3d", input.ndim, 3)
    lead = 2 if input.ndim == 5 else 1
    return _dropout(input, p, training, inplace, _noise_shape(input, lead), "dropout3d")


_SELU_SATURATION = 1.7580993408473766  # -(SELU's limit at -inf) = scale * alpha


def _alpha_dropout(input: Tensor, p: float, training: bool, inplace: bool, shape, name: str) -> Tensor:
    """out = a (k x + alpha' (k - 1 + p)) with k the keep mask (1 with probability 1 - p).

    Dropped values become -alpha' (SELU's saturation) before the affine map;
    ``a = 1 / sqrt((alpha'^2 p + 1)(1 - p))`` restores unit variance and the
    shift restores zero mean.
    """
    _check_p(p)
    if not training or p == 0.0 or input.numel() == 0:
        return input
    if p == 1.0:
        return _apply(input, lambda x: x * 0.0, inplace, name)
    keep = _keep_mask(input, p, shape)
    alpha = _SELU_SATURATION
    a = 1.0 / ((alpha * alpha * p + 1) * (1 - p)) ** 0.5
    shift = (keep - 1) * (alpha * a) + alpha * a * p
    return _apply(input, lambda x: x * (keep * a) + shift, inplace, name)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Dropout for SELU networks: keeps the mean and variance of the input (identity when not training)."""
    return _alpha_dropout(input, p, training, inplace, tuple(input.shape), "alpha_dropout")


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels (one draw per (sample, channel))."""
    return _alpha_dropout(input, p, training, inplace, _noise_shape(input, 2), "feature_alpha_dropout")
