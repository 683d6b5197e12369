"""`nn.functional`: the layers of `nn` as plain functions (``F.relu(x)``, ``F.linear(x, w, b)`` ...).

Most functions are compositions of differentiable Tensor ops, so their
gradients (and second derivatives) come for free. A few are fused
``Function``s with a hand-written backward, each for a stated reason:

* ``linear``: one node instead of transpose + matmul + add (it is the hot
  path of every MLP); it must equal ``input @ weight.T + bias``;
* ``embedding``: a row lookup whose backward skips ``padding_idx``;
* ``nll_loss``, ``binary_cross_entropy`` (in _functional_loss.py): PyTorch's
  exact gradient formulas (clamped logs, ignored targets);
* ``logsigmoid`` and ``pad``: numerically stable / index-exact gradients.

The losses live in ``_functional_loss.py`` and are re-exported here.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ..autograd.grad_mode import no_grad
from ..ops.conv import conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, fold, unfold  # noqa: F401
from ..ops.creation import tensor as _tensor
from ..ops.indexing import scatter_into_zeros
from ..ops.pooling import (  # noqa: F401  (convolution and pooling live with the ops)
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    max_pool1d,
    max_pool2d,
)
from ..ops.random import rand
from ..ops.reduction import log_softmax as _log_softmax
from ..ops.reduction import softmax as _softmax
from ._functional_loss import (  # noqa: F401  (re-exported: F.cross_entropy ...)
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    kl_div,
    l1_loss,
    logsigmoid,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)


# ---- linear layers ------------------------------------------------------------------------------
class _Linear(Function):
    """y = x @ W^T + b (x flattened to 2-D).  dx = grad @ W, dW = grad^T @ x, db = sum of grad rows."""

    node_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias):
        xd = x._data
        x2 = xd if xd.ndim == 2 else xd.reshape(-1, xd.shape[-1])
        # BEGIN SOLUTION 4.3
        # HINT: y = x @ W^T + b on the arrays (x2 is x flattened to 2-D; bias may be None)
        out = x2 @ weight._data.T
        if bias is not None:
            out += bias._data
        # END SOLUTION
        ctx.save_for_backward(x, weight)
        return _wrap(out.reshape(xd.shape[:-1] + (weight._data.shape[0],)), x._device)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        g2 = grad if grad.ndim == 2 else grad.reshape(-1, grad.shape[-1])
        # BEGIN SOLUTION 4.4
        # HINT: y = x W^T + b: dx = grad @ W (reshaped to x's shape), dW = grad^T @ x (2-D), db = grad summed over
        # HINT: rows; None where not needed
        gx = g2.mm(w).reshape(x.shape) if need[0] else None
        gw = g2.t().mm(x if x.ndim == 2 else x.reshape(-1, x.shape[-1])) if need[1] else None
        gb = g2.sum(0) if len(need) > 2 and need[2] else None
        # END SOLUTION
        return gx, gw, gb


class _LinearNoBias(_Linear):
    node_name = "MmBackward0"


class _LinearND(_Linear):
    node_name = "ViewBackward0"  # PyTorch flattens to 2-D, runs addmm and views the result back


def _dtype_letter(t: Tensor) -> str:
    return {"float32": "Float", "float64": "Double", "float16": "Half"}.get(t.dtype.name, t.dtype.name)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``: weight is (out_features, in_features).

    >>> F.linear(minitorch.ones(2, 3), minitorch.ones(4, 3)).shape
    minitorch.Size([2, 4])
    """
    if input.ndim == 0 or weight.ndim != 2:
        raise RuntimeError(f"linear: expected a weight matrix and an input of at least 1 dimension, got input "
                           f"{list(input.shape)} and weight {list(weight.shape)}")
    if input.shape[-1] != weight.shape[1]:
        rows = int(np.prod(input.shape[:-1])) if input.ndim > 1 else 1
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{input.shape[-1]} and "
                           f"{weight.shape[1]}x{weight.shape[0]})")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_dtype_letter(input)} and "
                           f"{_dtype_letter(weight)}")
    if input.device != weight.device or (bias is not None and bias.device != input.device):
        raise RuntimeError(f"Expected all tensors to be on the same device, but found at least two devices, "
                           f"{input.device} and {weight.device}! (when checking argument for linear)")
    if bias is None:
        return _LinearNoBias.apply(input, weight, None) if input.ndim == 2 else _LinearND.apply(input, weight, None)
    return _Linear.apply(input, weight, bias) if input.ndim == 2 else _LinearND.apply(input, weight, bias)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y_k = x1^T A_k x2 + b_k with weight A of shape (out, in1, in2)."""
    # (..., i) @ (o, i, j) -> (..., o, j); then the dot with x2 over j -> (..., o).
    t = (input1.unsqueeze(-2).unsqueeze(-2) @ weight).squeeze(-2)
    out = (t * input2.unsqueeze(-2)).sum(-1)
    return out + bias if bias is not None else out


# ---- activations ---------------------------------------------------------------------------------
def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0)."""
    return input.relu_() if inplace else input.relu()


def relu_(input: Tensor) -> Tensor:
    return input.relu_()


def _maybe_inplace(input: Tensor, result: Tensor, inplace: bool) -> Tensor:
    return input.copy_(result) if inplace else result


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x if x > 0 else negative_slope * x."""
    return _maybe_inplace(input, input.where(input > 0, input * negative_slope), inplace)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x if x > 0 else alpha * (exp(x) - 1)  (exp of min(x, 0), so no overflow)."""
    return _maybe_inplace(input, input.where(input > 0, alpha * input.clamp(max=0).expm1()), inplace)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with the self-normalising constants."""
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    return _maybe_inplace(input, scale * elu(input, alpha), inplace)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    return _maybe_inplace(input, input.where(input > 0, alpha * (input.clamp(max=0) / alpha).expm1()), inplace)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x) with Phi the normal CDF: 0.5 x (1 + erf(x / sqrt 2)); 'tanh' uses the tanh approximation."""
    if approximate == "none":
        return 0.5 * input * (1 + (input * (1 / math.sqrt(2))).erf())
    if approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (input + 0.044715 * input * input * input)
        return 0.5 * input * (1 + inner.tanh())
    raise RuntimeError(f"approximate argument must be either none or tanh. (got {approximate!r})")


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x)  (also called swish)."""
    return _maybe_inplace(input, input * input.sigmoid(), inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x))."""
    return _maybe_inplace(input, input * softplus(input).tanh(), inplace)


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


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """x clamped to [min_val, max_val]."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return input.clamp_(min_val, max_val) if inplace else input.clamp(min_val, max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6."""
    return _maybe_inplace(input, (input + 3).clamp(0, 6) / 6, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * relu6(x + 3) / 6."""
    return _maybe_inplace(input, input * (input + 3).clamp(0, 6) / 6, inplace)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x if x > threshold else value."""
    return _maybe_inplace(input, input.where(input > threshold, value), inplace)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x if x > 0 else a * x, with one learnable ``a`` per channel (dim 1) or one shared."""
    a = weight
    if weight.numel() > 1 and input.ndim > 1:
        a = weight.reshape((1, -1) + (1,) * (input.ndim - 2))
    return input.where(input > 0, a * input)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a * sigmoid(b) where a, b are the two halves of ``input`` along ``dim``."""
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


# ---- dropout ---------------------------------------------------------------------------------------
def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _dropout_mask(input: Tensor, p: float, shape) -> Tensor:
    """1/(1-p) with probability 1-p, else 0 (all zeros when p == 1), so E[mask] = 1."""
    if p == 1.0:
        return input.new_zeros(shape)
    keep = rand(*shape, dtype=input.dtype, device=input.device) >= p
    return keep.to(input.dtype) * (1.0 / (1.0 - p))


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by 1/(1-p) (identity when not training)."""
    _check_p(p)
    if not training or p == 0.0:
        return input
    return _maybe_inplace(input, input * _dropout_mask(input, p, tuple(input.shape)), inplace)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched_ndim: int, name: str):
    """Zero whole channels: one draw per (sample, channel), broadcast over the spatial dims."""
    _check_p(p)
    if input.ndim not in (batched_ndim - 1, batched_ndim):
        raise RuntimeError(f"{name}: Expected {batched_ndim - 1}D or {batched_ndim}D input, but received a "
                           f"{input.ndim}D input.")
    if not training or p == 0.0:
        return input
    lead = 2 if input.ndim == batched_ndim else 1
    shape = tuple(input.shape[:lead]) + (1,) * (input.ndim - lead)
    return _maybe_inplace(input, input * _dropout_mask(input, p, shape), inplace)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    return _feature_dropout(input, p, training, inplace, 3, "dropout1d")


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    return _feature_dropout(input, p, training, inplace, 4, "dropout2d")


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    return _feature_dropout(input, p, training, inplace, 5, "dropout3d")


# ---- embedding ------------------------------------------------------------------------------------
class _Embedding(Function):
    """out[...] = weight[index[...]].  dweight[r] = sum of grad rows whose index is r (none for padding_idx)."""

    node_name = "EmbeddingBackward0"

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.indices, ctx.padding_idx, ctx.scale = indices, padding_idx, scale_grad_by_freq
        ctx.num = weight._data.shape[0]
        return _wrap(weight._data[indices._data], weight._device)

    @staticmethod
    def backward(ctx, grad):
        dim = grad.shape[-1]
        idx = ctx.indices.reshape(-1)
        g = grad.reshape(-1, dim)
        keep = np.ones(idx.shape, dtype=bool)
        if ctx.padding_idx is not None:
            keep &= idx._host() != ctx.padding_idx
        if ctx.scale:  # divide each row's gradient by how often its index occurs in the batch
            counts = np.bincount(idx._host(), minlength=ctx.num)
            keep = keep / counts[idx._host()]
        if ctx.padding_idx is not None or ctx.scale:
            g = g * _wrap(grad._device.xp.asarray(keep.astype(grad._data.dtype)).reshape(-1, 1), grad._device)
        index = idx.reshape(-1, 1).expand(idx.shape[0], dim)
        return scatter_into_zeros(g, 0, index, (ctx.num, dim)), None, None, None


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` picked by the integer tensor ``input``: output shape ``input.shape + (dim,)``.

    >>> F.embedding(minitorch.tensor([[0, 2]]), minitorch.eye(3)).shape
    minitorch.Size([1, 2, 3])
    """
    if input.dtype.is_floating_point or input.dtype.name == "bool":
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {_type_str(input)} instead (while checking arguments for embedding)")
    num = weight.shape[0]
    if padding_idx is not None:
        if padding_idx > 0:
            assert padding_idx < num, "Padding_idx must be within num_embeddings"
        elif padding_idx < 0:
            assert padding_idx >= -num, "Padding_idx must be within num_embeddings"
            padding_idx = num + padding_idx
    if input.numel() and (int(input.max()) >= num or int(input.min()) < 0):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _embedding_renorm_(weight, input, max_norm, norm_type)
    return _Embedding.apply(weight, input.long(), padding_idx, scale_grad_by_freq)


def _type_str(t: Tensor) -> str:
    from .parameter import _type_name

    return _type_name(t)


def _embedding_renorm_(weight: Tensor, input: Tensor, max_norm: float, norm_type: float) -> None:
    """Rescale, in place, each referenced row whose norm exceeds ``max_norm`` to norm ``max_norm``."""
    with no_grad():
        rows = np.unique(input._host().reshape(-1))
        data = weight._data
        norms = (abs(data[rows].astype(np.float64)) ** norm_type).sum(axis=1) ** (1.0 / norm_type)
        scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        data[rows] = (data[rows] * scale[:, None]).astype(data.dtype)
        weight._version[0] += 1


# ---- normalisation -------------------------------------------------------------------------------------
def _affine(y: Tensor, weight: Tensor | None, bias: Tensor | None, shape) -> Tensor:
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y


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
    if not training:
        if running_mean is None or running_var is None:
            raise RuntimeError("running_mean and running_var must be defined in evaluation mode")
        y = (input - running_mean.reshape(shape)) * (running_var.reshape(shape) + eps).rsqrt()
        return _affine(y, weight, bias, shape)
    n = input.numel() // channels
    if n <= 1:
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
    y, _, _ = _normalize_over(input.reshape(n, num_groups, -1), (2,), eps)
    return _affine(y.reshape(input.shape), weight, bias, (1, c) + (1,) * (input.ndim - 2))


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None) -> Tensor:
    """x / max(||x||_p, eps) along ``dim``."""
    return input / input.norm(p, dim, keepdim=True).clamp(min=eps).expand_as(input)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """<x1, x2> / (max(||x1||, eps) * max(||x2||, eps)) along ``dim``."""
    n1 = x1.norm(2, dim, keepdim=True).clamp(min=eps)
    n2 = x2.norm(2, dim, keepdim=True).clamp(min=eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p along the last dim."""
    return (x1 - x2 + eps).norm(p, -1, keepdim=keepdim)


# ---- one_hot and pad ------------------------------------------------------------------------------------
def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 tensor of shape ``tensor.shape + (num_classes,)`` with a 1 at each class index.

    >>> F.one_hot(minitorch.tensor([0, 2]), 3)
    tensor([[1, 0, 0],
            [0, 0, 1]])
    """
    if tensor.dtype.name != "int64":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    data = tensor._data
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(data.max()) + 1
    if data.size and int(data.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if data.size and int(data.max()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    xp = tensor._device.xp
    return _wrap((data[..., None] == xp.arange(num_classes)).astype(np.int64), tensor._device)


class _ConstantPad(Function):
    """Pad (or crop, for negative amounts) with a constant.  d/dx: the gradient padded the opposite way."""

    node_name = "ConstantPadNdBackward0"

    @staticmethod
    def forward(ctx, x, pads, value):
        ctx.pads = pads
        data = x._data
        crop = tuple(slice(-lo if lo < 0 else 0, s + hi if hi < 0 else s) for (lo, hi), s in zip(pads, data.shape))
        widths = [(max(lo, 0), max(hi, 0)) for lo, hi in pads]
        out = x._device.xp.pad(data[crop], widths, mode="constant", constant_values=value)
        return _wrap(out, x._device)

    @staticmethod
    def backward(ctx, grad):
        return _ConstantPad.apply(grad, tuple((-lo, -hi) for lo, hi in ctx.pads), 0), None, None


def _pairs(pad, ndim: int) -> tuple:
    """PyTorch lists pads from the last dim backwards: (left, right, top, bottom ...) -> per-dim (lo, hi)."""
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > ndim:
        raise RuntimeError(f"Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pad)} and input of dimension {ndim}")
    per_dim = [(0, 0)] * ndim
    for i in range(len(pad) // 2):
        per_dim[ndim - 1 - i] = (int(pad[2 * i]), int(pad[2 * i + 1]))
    return tuple(per_dim)


def _pad_index(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """For each output position along one dim, the input position it copies."""
    pos = np.arange(-lo, n + hi)
    if mode == "reflect":
        period = 2 * (n - 1)
        pos = np.abs(pos) % period if period else np.zeros_like(pos)
        return np.where(pos >= n, period - pos, pos)
    if mode == "replicate":
        return np.clip(pos, 0, n - 1)
    return pos % n  # circular


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last ``len(pad) // 2`` dims: ``pad=(left, right, top, bottom, ...)``.

    ``mode`` is 'constant' (with ``value``; negative pads crop), 'reflect',
    'replicate' or 'circular'.

    >>> F.pad(minitorch.ones(1, 2), (1, 1)).tolist()
    [[0.0, 1.0, 1.0, 0.0]]
    """
    pairs = _pairs(pad, input.ndim)
    if mode == "constant":
        for (lo, hi), s in zip(pairs, input.shape):
            if s + lo + hi < 0:
                raise RuntimeError(f"The input size {s}, plus negative padding {lo} and {hi} resulted in a negative "
                                   "output size, which is invalid. Check dimension of your input.")
        return _ConstantPad.apply(input, pairs, 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unsupported padding mode: {mode}")
    out = input
    for d, (lo, hi) in enumerate(pairs):
        if lo == 0 and hi == 0:
            continue
        n = input.shape[d]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({lo}, {hi}) at dimension {d} of input {list(input.shape)}")
        # index_select's backward accumulates repeated indices, which is exactly the gradient of a reflection.
        out = out.index_select(d, _tensor(_pad_index(n, lo, hi, mode), device=input.device))
    return out
