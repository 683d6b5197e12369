"""The loss functions of `nn.functional` (re-exported there): ``F.cross_entropy`` and friends.

Every loss computes an elementwise loss ``l`` and then reduces it:
``reduction='none'`` keeps ``l``, ``'sum'`` adds it up, ``'mean'`` averages
it (for weighted class losses: ``sum(w_i l_i) / sum(w_i)``).

``cross_entropy`` is ``nll_loss(log_softmax(x))``: two graph nodes, as in
PyTorch, with the numerically stable log-softmax (logits of 1e4 are fine).
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ..autograd.grad_mode import is_grad_enabled
from ..ops._util import check_same_device, scalar_type_name
from ..ops.indexing import scatter_into_zeros
from ..ops.reduction import log_softmax

_REDUCTIONS = ("none", "mean", "sum")


def _reduction(reduction: str, size_average=None, reduce=None) -> str:
    """The reduction, also from the deprecated ``size_average``/``reduce`` pair."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
        warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{reduction}' "
                      "instead.", stacklevel=3)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _warn_size(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have "
                      "the same size.", stacklevel=3)


def _weighted(loss: Tensor, weight: Tensor | None) -> Tensor:
    return loss if weight is None else loss * weight


def _reduce_weighted(loss: Tensor, weight: Tensor | None, reduction: str, input: Tensor) -> Tensor:
    """mse/l1 with ``weight``: PyTorch wants it input-sized, and 'mean' divides by the weights' sum."""
    if weight is None:
        return _reduce(loss, reduction)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    if reduction == "mean":
        return (loss * weight).sum() / weight.sum()
    return _reduce(loss * weight, reduction)


def _check_constant(function: str, **tensors) -> None:
    """PyTorch does not differentiate a loss with respect to its class weights: they must not require grad."""
    for name, t in tensors.items():
        if t is not None and t.requires_grad and is_grad_enabled():
            raise RuntimeError(f"The function '{function}' is not differentiable with respect to argument '{name}'. "
                               "This input cannot have requires_grad True.")


# ---- regression losses ------------------------------------------------------------------------
def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    """(x - y)^2, reduced.

    >>> F.mse_loss(minitorch.tensor([1., 2.]), minitorch.tensor([1., 4.]))
    tensor(2.)
    """
    reduction = _reduction(reduction, size_average, reduce)
    _warn_size(input, target)
    d = input - target
    return _reduce_weighted(d * d, weight, reduction, input)


def l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    """|x - y|, reduced."""
    reduction = _reduction(reduction, size_average, reduce)
    _warn_size(input, target)
    return _reduce_weighted((input - target).abs(), weight, reduction, input)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta  (d = x - y; beta = 0 gives L1)."""
    reduction = _reduction(reduction, size_average, reduce)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    _warn_size(input, target)
    ad = (input - target).abs()
    if beta == 0:
        return _reduce(ad, reduction)
    return _reduce(ad.where(ad >= beta, 0.5 * ad * ad / beta).where(ad < beta, ad - 0.5 * beta), reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta)."""
    reduction = _reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    _warn_size(input, target)
    if weight is not None and weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    ad = (input - target).abs()
    loss = (0.5 * ad * ad).where(ad < delta, delta * (ad - 0.5 * delta))
    return _reduce(_weighted(loss, weight), reduction)


# ---- classification losses ----------------------------------------------------------------------
class _NllLoss(Function):
    """l_i = -w[t_i] * logp[i, t_i] (0 where t_i == ignore_index); 'mean' divides by sum_i w[t_i].
    d l / d logp[i, c] = -w[t_i] / denominator where c == t_i, else 0."""

    node_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, logp, target, weight, ignore_index, reduction):
        xp = logp._device.xp
        x, t = logp._data, target._data
        cdim = 0 if x.ndim == 1 else 1
        valid = t != ignore_index
        safe = xp.where(valid, t, 0).astype(np.int64)
        # BEGIN SOLUTION 4.5
        # HINT: l_i = -w[t_i] * logp[i, t_i]: pick logp at the target class along cdim (take_along_axis with the index
        # HINT: expanded at cdim), weights are 1 without weight and 0 where t_i == ignore_index
        picked = xp.take_along_axis(x, xp.expand_dims(safe, cdim), axis=cdim).squeeze(cdim)
        w = (weight._data[safe] if weight is not None else xp.ones(safe.shape, dtype=x.dtype)) * valid
        losses = -w * picked
        # END SOLUTION
        coef = -w
        if reduction == "sum":
            out = losses.sum()
        elif reduction == "mean":
            total = w.sum()
            with np.errstate(divide="ignore", invalid="ignore"):  # every target ignored: 0 / 0 = nan, as PyTorch
                out = losses.sum() / total
            # ... but the gradient stays 0 there: only counted targets receive -w_i / total.
            coef = xp.where(valid, coef / xp.where(total == 0, 1, total), 0)
        else:
            out = losses
        ctx.cdim, ctx.shape = cdim, x.shape
        ctx.coef = _wrap(xp.asarray(coef, dtype=x.dtype), logp._device)
        ctx.index = _wrap(xp.expand_dims(safe, cdim), logp._device)
        return _wrap(xp.asarray(out, dtype=x.dtype), logp._device)

    @staticmethod
    def backward(ctx, grad):
        # BEGIN SOLUTION 4.5
        # HINT: dl/dlogp[i, c] = coef_i where c == t_i, else 0: scatter grad * coef into zeros at the target index
        # HINT: (scatter_into_zeros)
        src = (grad * ctx.coef).unsqueeze(ctx.cdim)  # grad is a scalar ('mean'/'sum') or one per target
        return scatter_into_zeros(src, ctx.cdim, ctx.index, ctx.shape), None, None, None, None
        # END SOLUTION


def _check_class_target(input: Tensor, target: Tensor) -> None:
    """PyTorch's shape and dtype checks for class-index targets, in PyTorch's order."""
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    batch = target.shape[0] if target.ndim else 0  # PyTorch reads a 0-d target's batch size as 0
    if input.ndim != 1 and input.shape[0] != batch:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({batch}).")
    if input.ndim <= 2 and target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.ndim == 1 and target.ndim == 1 and target.shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}")
    if input.ndim == 4 and target.ndim != 3:
        raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got targets of dimension: "
                           f"{target.ndim}")
    spatial = tuple(input.shape[:1]) + tuple(input.shape[2:])
    if input.ndim == 4 and tuple(target.shape) != spatial:
        raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: {list(target.shape)}")
    if input.ndim > 2 and tuple(target.shape) != spatial:
        raise RuntimeError(f"Expected target size {list(spatial)}, got {list(target.shape)}")
    if target.dtype.name not in ("int64", "uint8"):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {scalar_type_name(target.dtype)}")


def _check_target_range(target: Tensor, n_classes: int, ignore_index: int) -> None:
    """PyTorch's error for a class index outside [0, C) (one small device-to-host read, no copy of the target)."""
    t = target._data
    xp = target._device.xp
    bad = (t != ignore_index) & ((t < 0) | (t >= n_classes))
    if bool(bad.any()):
        first = t.reshape(-1)[xp.argmax(bad.reshape(-1))]
        raise IndexError(f"Target {int(first)} is out of bounds.")


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
             ignore_index: int = -100, reduce=None, reduction: str = "mean") -> Tensor:
    """-input[i, target_i] (input holds log-probabilities, classes on dim 1), weighted and reduced."""
    reduction = _reduction(reduction, size_average, reduce)
    check_same_device("nll_loss", input, target, *([weight] if weight is not None else []))
    _check_constant("nll_loss_forward", weight=weight)
    _check_class_target(input, target)
    if input.ndim == 1 and target.ndim == 1:
        target = target.reshape(())  # one unbatched sample given as a target of shape (1,)
    n_classes = input.shape[0 if input.ndim == 1 else 1]
    if weight is not None and tuple(weight.shape) != (n_classes,):
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no classes but "
                           f"got weight tensor of shape: {list(weight.shape)}")
    _check_target_range(target, n_classes, ignore_index)
    return _NllLoss.apply(input, target, weight, ignore_index, reduction)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                  ignore_index: int = -100, reduce=None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross entropy of logits ``input`` (classes on dim 1) with class indices or class probabilities.

    >>> F.cross_entropy(minitorch.tensor([[2.0, 0.0]]), minitorch.tensor([0]))
    tensor(0.1269)
    """
    reduction = _reduction(reduction, size_average, reduce)
    check_same_device("cross_entropy", input, target, *([weight] if weight is not None else []))
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    probabilities = target.shape == input.shape  # same shape: class probabilities (PyTorch's rule)
    if probabilities and not target.dtype.is_floating_point:
        raise RuntimeError("Expected floating point type for target with class probabilities, got "
                           f"{scalar_type_name(target.dtype)}")
    if probabilities and ignore_index >= 0:
        raise RuntimeError("ignore_index is not supported for floating point target")
    cdim = 0 if input.ndim == 1 else 1
    # BEGIN SOLUTION 4.6
    # HINT: cross_entropy = nll_loss(log_softmax(logits)): the log-probabilities over the class dim cdim
    logp = log_softmax(input, cdim)
    # END SOLUTION
    n_classes = input.shape[cdim]
    wshape = (n_classes,) + (1,) * (input.ndim - cdim - 1)
    if probabilities:
        return _cross_entropy_probs(logp, target, weight, wshape, reduction, label_smoothing, cdim)
    if input.ndim == 1 and target.ndim == 1 and tuple(target.shape) == (1,):
        target = target.reshape(())  # one unbatched sample given as a target of shape (1,)
    loss = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    if label_smoothing == 0.0:
        return loss
    # Smoothing mixes in the loss against the uniform distribution: -sum_c w_c logp_c / C.
    smooth = -(logp * weight.reshape(wshape) if weight is not None else logp).sum(cdim)
    valid = target != ignore_index
    smooth = smooth.masked_fill(~valid, 0.0)
    if reduction == "mean":
        if weight is not None:
            denom = weight[target.masked_select(valid)].sum()
        else:
            denom = valid.sum()
        if not bool(valid.any()):
            denom = denom.new_ones(())  # every target ignored: the loss is nan (from nll), the gradient 0
        smooth = smooth.sum() / denom
    else:
        smooth = _reduce(smooth, reduction)
    return (1 - label_smoothing) * loss + smooth * (label_smoothing / n_classes)


def _cross_entropy_probs(logp, target, weight, wshape, reduction, label_smoothing, cdim):
    """-sum_c w_c p_c logp_c per sample; 'mean' divides by the number of samples (not by weights)."""
    n_classes = logp.shape[cdim]
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    prod = logp * target
    if weight is not None:
        prod = prod * weight.reshape(wshape)
    loss = -prod.sum(cdim)
    if reduction == "mean":
        return loss.sum() / (logp.numel() // n_classes)
    return _reduce(loss, reduction)


class _BinaryCrossEntropy(Function):
    """l = -w (t log x + (1 - t) log(1 - x)), each log clamped at -100.
    dl/dx = w (x - t) / max(x (1 - x), 1e-12);  dl/dt = w (log(1 - x) - log x) (not clamped: inf at x = 0)."""

    node_name = "BinaryCrossEntropyBackward0"

    @staticmethod
    def forward(ctx, x, t, weight, reduction):
        xp = x._device.xp
        xd = x._data
        with np.errstate(divide="ignore"):
            log_x = xp.maximum(xp.log(xd), -100)
            log_1mx = xp.maximum(xp.log(1 - xd), -100)
        loss = -(t._data * log_x + (1 - t._data) * log_1mx)
        if weight is not None:
            loss = loss * weight._data
        ctx.save_for_backward(x, t, weight)
        ctx.reduction, ctx.n = reduction, xd.size
        out = loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss
        return _wrap(xp.asarray(out, dtype=xd.dtype), x._device)

    @staticmethod
    def backward(ctx, grad):
        x, t, w = ctx.saved_tensors
        if ctx.reduction == "mean":
            grad = grad / ctx.n
        gx = gt = None
        if ctx.needs_input_grad[0]:
            gx = grad * (x - t) / (x * (1 - x)).clamp(min=1e-12)
            gx = gx * w if w is not None else gx
        if ctx.needs_input_grad[1]:
            with np.errstate(divide="ignore"):
                gt = grad * ((1 - x).log() - x.log())
            gt = gt * w if w is not None else gt
        return gx, gt, None, None


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                         reduce=None, reduction: str = "mean") -> Tensor:
    """-w (t log x + (1 - t) log(1 - x)) for probabilities ``input`` in [0, 1] (logs clamped at -100)."""
    reduction = _reduction(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    _check_constant("binary_cross_entropy", weight=weight)
    if target.dtype is not input.dtype:  # no promotion here, as in PyTorch (float64 labels are a classic slip)
        raise RuntimeError(f"Found dtype {scalar_type_name(target.dtype)} but expected {scalar_type_name(input.dtype)}")
    xd = input._data
    if xd.size and (bool((xd < 0).any()) or bool((xd > 1).any()) or bool(input._device.xp.isnan(xd).any())):
        raise RuntimeError("all elements of input should be between 0 and 1")
    if weight is not None and weight.shape != input.shape:
        weight = weight.expand(input.shape)
    return _BinaryCrossEntropy.apply(input, target, weight, reduction)


class _LogSigmoid(Function):
    """log sigmoid(x) = min(x, 0) - log(1 + exp(-|x|)) (stable).  d/dx = sigmoid(-x)."""

    node_name = "LogSigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        xp = x._device.xp
        xd = x._data
        ctx.save_for_backward(x)
        return _wrap(xp.minimum(xd, 0) - xp.log1p(xp.exp(-xp.abs(xd))), x._device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (-x).sigmoid()


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)), stable for large |x|."""
    return _LogSigmoid.apply(input)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average=None, reduce=None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """BCE of sigmoid(x), computed stably: (1 - t) x - (1 + (pos_weight - 1) t) log sigmoid(x)."""
    reduction = _reduction(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    _check_constant("binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight)
    if target.dtype == _dtype.bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                           "`logical_xor()` operator instead.")
    if not target.dtype.is_floating_point:  # PyTorch writes the loss into the target's dtype
        raise RuntimeError(f"result type {scalar_type_name(_dtype.result_type(input, target))} can't be cast to the "
                           f"desired output type {scalar_type_name(target.dtype)}")
    log_sig = logsigmoid(input)
    if pos_weight is not None:
        loss = (1 - target) * input - ((pos_weight - 1) * target + 1) * log_sig
    else:
        loss = (1 - target) * input - log_sig
    return _reduce(_weighted(loss, weight), reduction)


def kl_div(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """t (log t - x) for log-probabilities ``input`` (0 where t == 0); 'batchmean' divides the sum by N."""
    if not (input.dtype.is_floating_point and target.dtype.is_floating_point):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if reduction == "batchmean":
        red = "batchmean"
    else:
        red = _reduction(reduction, size_average, reduce)
        if red == "mean":
            warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                          "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                          "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                          stacklevel=2)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        # t log t -> 0 at t = 0 (without log(0) in the graph); a negative t gives nan, as in PyTorch
        safe = target.where(target != 0, 1.0)
        with np.errstate(invalid="ignore"):
            loss = (target * (safe.log() - input)).where(target != 0, target * 0)
    if red == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim else loss.sum()
    return _reduce(loss, red)
