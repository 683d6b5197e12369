"""More of `nn.functional` (re-exported there): instance and local response normalisation, power-average
pooling, bags of embeddings, Gumbel-softmax and the multi-class margin losses.

Each function follows PyTorch's own definition step for step as a composition of differentiable
Tensor ops, so values and gradients agree (and second derivatives come for free):

* ``instance_norm`` is ``batch_norm`` of the input seen as ONE sample with ``N*C`` channels (PyTorch's
  ``at::instance_norm``); the running statistics are the batch average of the per-instance ones;
* ``local_response_norm`` and ``lp_pool*`` are average pools of squares / powers (PyTorch's Python code);
* ``embedding_bag`` looks the rows up (``embedding``) and reduces each bag with a scatter-add (sum, mean)
  or a masked max over the bag's padded window;
* the margin losses use ``relu`` for the hinge, whose gradient at the kink is 0 as in PyTorch's kernels.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from ..ops import pooling as _P
from ..ops import pooling_extra as _PX
from ..ops._util import scalar_type_name
from ..ops.creation import arange, empty_like, zeros_like
from ..ops.creation import tensor as _tensor
from ..ops.indexing import scatter_into_zeros
from ._functional_activation import relu
from ._functional_loss import _reduce, _reduction
from ._functional_norm import batch_norm, pairwise_distance


# ---- normalisation --------------------------------------------------------------------------------------
def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel of each sample over its spatial dims (``(N, C, *)``), then ``* weight + bias``.

    >>> F.instance_norm(minitorch.randn(2, 3, 5)).shape
    minitorch.Size([2, 3, 5])
    """
    if use_input_stats and math.prod(input.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {input.shape}")
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    b, c = input.shape[0], input.shape[1]
    rep = lambda t: None if t is None else t.repeat(b)  # noqa: E731  (one copy per sample)
    mean_, var_ = rep(running_mean), rep(running_var)
    x = input.contiguous().reshape((1, b * c) + tuple(input.shape[2:]))
    out = batch_norm(x, mean_, var_, rep(weight), rep(bias), use_input_stats, momentum, eps)
    with no_grad():  # the running statistics: the batch average of the per-instance ones
        if running_mean is not None:
            running_mean.copy_(mean_.reshape(b, c).mean(0))
        if running_var is not None:
            running_var.copy_(var_.reshape(b, c).mean(0))
    return out.reshape(input.shape)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> Tensor:
    """x / (k + alpha * mean of x^2 over ``size`` neighbouring channels)^beta (AlexNet's normalisation).

    >>> F.local_response_norm(minitorch.ones(1, 4, 2, 2), 2).shape
    minitorch.Size([1, 4, 2, 2])
    """
    from .functional import pad

    dim = input.ndim
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality                          input (got {dim} dimensions)")
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = pad(div.unsqueeze(1), (0, 0, size // 2, (size - 1) // 2))
        div = _P.avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = input.shape
        div = div.view(sizes[0], 1, sizes[1], sizes[2], -1)
        div = pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = _PX.avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1).view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


# ---- power-average pooling ------------------------------------------------------------------------------
def _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, max_pool, avg_pool, count) -> Tensor:
    """(sum over the window of x^p)^(1/p), as PyTorch: avg_pool(x^p) * window size, signed-relu'd, ^(1/p)."""
    if isinstance(norm_type, (int, float)):
        if norm_type == float("inf"):
            return max_pool(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
        if norm_type == -float("inf"):
            return -max_pool(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if stride is not None:
        out = avg_pool(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg_pool(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return (out.sign() * relu(out.abs())).mul(count).pow(1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size: int, stride=None, ceil_mode: bool = False) -> Tensor:
    """Power-average pooling over ``(N, C, L)``: ``(sum x^p)^(1/p)`` per window.

    >>> F.lp_pool1d(minitorch.ones(1, 1, 4), 2, 2)
    tensor([[[1.4142, 1.4142]]])
    """
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, _P.max_pool1d, _P.avg_pool1d, kernel_size)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    """Power-average pooling over ``(N, C, H, W)``: ``(sum x^p)^(1/p)`` per window."""
    kw, kh = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, _P.max_pool2d, _P.avg_pool2d, kw * kh)


def lp_pool3d(input: Tensor, norm_type: float, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    """Power-average pooling over ``(N, C, D, H, W)``: ``(sum x^p)^(1/p)`` per window."""
    kd, kw, kh = (kernel_size,) * 3 if isinstance(kernel_size, int) else kernel_size
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, _PX.max_pool3d, _PX.avg_pool3d, kd * kw * kh)


# ---- bags of embeddings ---------------------------------------------------------------------------------
def _bag_arguments(input, weight, offsets, per_sample_weights, include_last_offset, mode, scale_grad_by_freq, sparse):
    """PyTorch's Python-level checks; a 2-D input becomes a flat input with offsets every row."""
    if weight.dtype.name == "int64" and input.dtype.is_floating_point:
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, "
                      "input, ...)` is deprecated, and should now be `embedding_bag(input, weight, ...)`.",
                      stacklevel=3)
        weight, input = input, weight
    if per_sample_weights is not None and input.shape != per_sample_weights.shape:
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it must "
                         f"have the same shape as the input ({input.shape})")
    if weight.ndim != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.ndim}")
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed "
                             f"length sequences. However, found offsets of type {type(offsets)}")
        if input.shape[1] == 0:
            raise RuntimeError("step must be nonzero")  # PyTorch's arange(0, numel, 0) for the offsets
        offsets = _tensor(np.arange(0, input.numel(), input.shape[1]), device=input.device)
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.ndim == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.ndim != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    return input, weight, offsets, per_sample_weights, include_last_offset


def _bag_checks(idx, offs, weight, per_sample_weights, padding_idx) -> int | None:
    """The checks of PyTorch's kernel (index types and ranges, offsets); returns padding_idx made non-negative."""
    num = weight.shape[0]
    if padding_idx is not None:
        if not -num <= padding_idx < num:
            raise RuntimeError(f"padding_idx must be within the number of embeddings, {-num} through {num - 1}, but "
                               f"got {padding_idx}")
        padding_idx %= num
    if per_sample_weights is not None and per_sample_weights.dtype is not weight.dtype:
        raise RuntimeError(f"Expected tensor for argument #1 'weight' to have the same type as tensor for argument #1 "
                           f"'per_sample_weights'; but type {weight.type()} does not equal "
                           f"{per_sample_weights.type()} (while checking arguments for embedding_bag)")
    if offs.size and offs[0] != 0:
        raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                           f"position 0. However, got {offs[0]}")
    if offs.size and offs[-1] > idx.size:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {idx.size} but got offsets[-1] of "
                           f"{offs[-1]}")
    bad = np.flatnonzero((idx < 0) | (idx >= num))
    if bad.size:
        raise RuntimeError(f"embedding_bag: Expected idx >= 0 && idx < num_embeddings but found idx to be {idx[bad[0]]}")
    return padding_idx


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """Sums, means or maxes of bags of embedding rows: ``(B, embedding_dim)``.

    A 2-D ``input`` is B bags of equal length; a 1-D ``input`` is cut into bags at ``offsets`` (empty
    bags give zeros). Rows ``padding_idx`` are left out of every bag (and get no gradient).

    >>> F.embedding_bag(minitorch.tensor([0, 1, 2]), minitorch.eye(3), minitorch.tensor([0, 2]), mode="sum")
    tensor([[1., 1., 0.],
            [0., 0., 1.]])
    """
    from .functional import _embedding_renorm_, embedding

    input, weight, offsets, per_sample_weights, include_last_offset = _bag_arguments(
        input, weight, offsets, per_sample_weights, include_last_offset, mode, scale_grad_by_freq, sparse)
    if max_norm is not None:
        _embedding_renorm_(weight, input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    if input.dtype.is_floating_point or input.dtype.name == "bool":
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {input.type()} instead (while checking arguments for embedding_bag)")
    idx, offs = input._host().astype(np.int64), offsets._host().astype(np.int64)  # small index bookkeeping on the host
    padding_idx = _bag_checks(idx, offs, weight, per_sample_weights, padding_idx)
    n, dim = idx.size, weight.shape[1]
    nbags = offs.size - 1 if include_last_offset else offs.size
    if nbags <= 0:
        return weight[:0] * 0
    starts = offs[:max(nbags, 0)]
    ends = offs[1:nbags + 1] if include_last_offset else np.append(offs[1:], n)
    ends = np.maximum(ends, starts)
    keep = np.ones(n, dtype=bool) if padding_idx is None else idx != padding_idx
    rows = embedding(input.long(), weight, None, None, 2.0, scale_grad_by_freq)  # (n, dim), differentiable
    dev = weight.device
    if mode == "max":
        return _bag_max(rows, keep, starts, ends, nbags, dim, dev)
    bag = np.searchsorted(starts, np.arange(n), side="right") - 1  # the bag of each position
    inside = (bag >= 0) & (np.arange(n) < ends[np.maximum(bag, 0)] if nbags > 0 else np.zeros(n, dtype=bool))
    use = inside & keep
    rows = rows.where(_tensor(use[:, None], device=dev), 0.0)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.unsqueeze(1)
    index = _tensor(np.broadcast_to(np.maximum(bag, 0)[:, None], (n, dim)).copy(), device=dev)
    out = scatter_into_zeros(rows, 0, index, (nbags, dim))
    if mode == "mean":
        count = np.bincount(np.maximum(bag, 0)[use], minlength=nbags)[:nbags]
        out = out / _tensor(np.maximum(count, 1)[:, None].astype(weight.dtype.np), device=dev)
    return out


def _bag_max(rows: Tensor, keep, starts, ends, nbags: int, dim: int, dev) -> Tensor:
    """The elementwise max of each bag's kept rows (the first maximum gets the gradient); zeros if none."""
    length = ends - starts
    lmax = int(length.max()) if nbags > 0 else 0
    if lmax == 0:
        return rows.new_zeros((nbags, dim)) + rows.sum() * 0
    pos = starts[:, None] + np.arange(lmax)[None, :]  # (B, lmax) positions, masked beyond each bag's end
    valid = np.arange(lmax)[None, :] < length[:, None]
    pos = np.where(valid, pos, 0)
    valid &= keep[pos] if keep.size else valid
    win = rows.index_select(0, _tensor(pos.reshape(-1), device=dev)).reshape(nbags, lmax, dim)
    win = win.where(_tensor(valid[:, :, None], device=dev), float("-inf"))
    best = win.max(1)[0]
    return best.where(_tensor(valid.any(1)[:, None], device=dev), 0.0)


# ---- Gumbel-softmax -------------------------------------------------------------------------------------
def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10, dim: int = -1) -> Tensor:
    """softmax((logits + g) / tau) with g ~ Gumbel(0, 1); ``hard``: one-hot forward, soft gradient.

    ``hard=True`` is the straight-through trick ``y_hard - y_soft.detach() + y_soft``.

    >>> F.gumbel_softmax(minitorch.zeros(2, 3), hard=True).sum(-1)
    tensor([1., 1.])
    """
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    gumbels = -empty_like(logits).exponential_().log()  # ~Gumbel(0, 1)
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft  # the reparameterisation trick
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


# ---- margin losses --------------------------------------------------------------------------------------
def _margin_shapes(input: Tensor) -> tuple:
    if not ((input.ndim == 2 and input.shape[1] != 0) or (input.ndim == 1 and input.shape[0] != 0) or input.ndim == 0):
        raise RuntimeError(f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
                           f"{list(input.shape)}")
    return (1, input.numel()) if input.ndim <= 1 else tuple(input.shape)


def _check_long(target: Tensor) -> None:
    if target.dtype.name != "int64":
        raise RuntimeError(f"expected scalar type Long but found {scalar_type_name(target.dtype)}")


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                      size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """sum_{i != y} w[y] * max(0, margin - x[y] + x[i])^p / C per sample (the multi-class hinge loss).

    >>> F.multi_margin_loss(minitorch.tensor([[0.1, 0.2, 0.4, 0.8]]), minitorch.tensor([3]))
    tensor(0.3250)
    """
    reduction = _reduction(reduction, size_average, reduce)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    n, c = _margin_shapes(input)
    if target.ndim > 1 or target.numel() != n:
        raise RuntimeError(f"multi_margin_loss: target tensor should be 1-D with size equal to the number of input "
                           f"samples (batch size). Expected target size [{n}], but got {list(target.shape)}. Input "
                           f"has shape {list(input.shape)}.")
    if weight is not None and weight.numel() != c:
        raise RuntimeError(f"inconsistent weight size, expected {c} but got {list(weight.shape)}")
    _check_long(target)
    if weight is not None and weight.dtype is not input.dtype:
        raise RuntimeError(f"expected scalar type {scalar_type_name(input.dtype)} but found "
                           f"{scalar_type_name(weight.dtype)}")
    if target.numel() and bool(((target < 0) | (target >= c)).any()):
        raise RuntimeError("target out of range")
    x, y = input.reshape(n, c), target.reshape(n, 1)
    z = relu(margin - x.gather(1, y) + x)  # (n, c); relu: no gradient at the kink, as PyTorch
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * weight[y.reshape(-1)].unsqueeze(1)
    others = arange(c, device=input.device).unsqueeze(0) != y  # leave out i == y
    loss = z.where(others, 0.0).sum(1) / c
    loss = loss.reshape(target.shape) if input.ndim <= 1 else loss
    return _reduce(loss, reduction)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                           reduction: str = "mean") -> Tensor:
    """sum_{j in targets} sum_{i not in targets} max(0, 1 - (x[y_j] - x[i])) / C per sample.

    ``target`` lists each sample's classes, ended by the first -1.

    >>> F.multilabel_margin_loss(minitorch.tensor([[0.1, 0.2, 0.4, 0.8]]), minitorch.tensor([[3, 0, -1, 1]]))
    tensor(0.8500)
    """
    reduction = _reduction(reduction, size_average, reduce)
    n, c = _margin_shapes(input)
    same = target.ndim <= 1 and target.numel() == c if input.ndim <= 1 else tuple(target.shape) == (n, c)
    if not same:
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: {list(input.shape)}")
    _check_long(target)
    if target.numel() and bool(((target < -1) | (target >= c)).any()):
        raise RuntimeError("argument #2 'target' is out of range")
    x, t = input.reshape(n, c), target.reshape(n, c)
    listed = (t < 0).long().cumsum(1) == 0  # the targets before the first -1
    safe = t.where(listed, 0)
    is_target = (safe.unsqueeze(2) == _arange_row(c, input.device)).logical_and(listed.unsqueeze(2)).any(1)  # (n, c)
    xy = x.gather(1, safe)  # (n, c): x at each listed target
    z = relu(1 - xy.unsqueeze(2) + x.unsqueeze(1))  # (n, j, i)
    pairs = listed.unsqueeze(2).logical_and(is_target.logical_not().unsqueeze(1))
    loss = z.where(pairs, 0.0).sum((1, 2)) / c
    loss = loss.reshape(()) if input.ndim <= 1 else loss
    return _reduce(loss, reduction)


def _arange_row(c: int, device) -> Tensor:
    return arange(c, device=device).reshape(1, 1, c)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *, distance_function=None,
                                      margin: float = 1.0, swap: bool = False, reduction: str = "mean") -> Tensor:
    """max(0, d(a, p) - d(a, n) + margin) with any distance ``d`` (default: ``pairwise_distance``).

    >>> a = minitorch.zeros(2, 3)
    >>> F.triplet_margin_with_distance_loss(a, a, a + 1, distance_function=lambda x, y: (x - y).abs().sum(-1))
    tensor(0.)
    """
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {anchor.ndim}D, positive {positive.ndim}D, and negative "
                           f"{negative.ndim}D inputs")
    distance = pairwise_distance if distance_function is None else distance_function
    dist_pos = distance(anchor, positive)
    dist_neg = distance(anchor, negative)
    if swap:
        dist_neg = dist_neg.minimum(distance(positive, negative))
    return _reduce((margin + dist_pos - dist_neg).clamp_min(0), reduction)


__all__ = ["instance_norm", "local_response_norm", "lp_pool1d", "lp_pool2d", "lp_pool3d", "embedding_bag",
           "gumbel_softmax", "multi_margin_loss", "multilabel_margin_loss", "triplet_margin_with_distance_loss"]
