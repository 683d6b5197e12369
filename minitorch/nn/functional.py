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

The families live in private modules and are re-exported here, so that
``F.<name>`` is the one public spelling: activations in
``_functional_activation.py``, dropout in ``_functional_dropout.py``,
normalisation in ``_functional_norm.py``, losses in ``_functional_loss.py``
and ``_functional_loss_extra.py``; linear, embedding, one_hot and pad stay here.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ..autograd.grad_mode import no_grad
from ..ops._util import c_type_name, scalar_type_name
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
from ..ops.pooling_extra import (  # noqa: F401  (3-D pooling, unpooling, the *_with_indices spellings)
    adaptive_avg_pool3d,
    adaptive_max_pool1d_with_indices,
    adaptive_max_pool2d_with_indices,
    adaptive_max_pool3d,
    adaptive_max_pool3d_with_indices,
    avg_pool3d,
    max_pool1d_with_indices,
    max_pool2d_with_indices,
    max_pool3d,
    max_pool3d_with_indices,
    max_unpool1d,
    max_unpool2d,
    max_unpool3d,
)
from ._functional_activation import (  # noqa: F401  (re-exported: F.relu, F.softmax ...)
    celu,
    elu,
    gelu,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    hardtanh_,
    leaky_relu,
    leaky_relu_,
    log_softmax,
    mish,
    prelu,
    relu,
    relu6,
    relu_,
    rrelu,
    selu,
    sigmoid,
    silu,
    softmax,
    softmin,
    softplus,
    softshrink,
    softsign,
    tanh,
    tanhshrink,
    threshold,
)
from ._functional_attention import (  # noqa: F401  (re-exported: F.scaled_dot_product_attention ...)
    _canonical_mask,
    _in_projection,
    _in_projection_packed,
    _mha_shape_check,
    _none_or_dtype,
    multi_head_attention_forward,
    scaled_dot_product_attention,
)
from ._functional_dropout import (  # noqa: F401  (re-exported: F.dropout ...)
    alpha_dropout,
    dropout,
    dropout1d,
    dropout2d,
    dropout3d,
    feature_alpha_dropout,
)
from ._functional_extra import (  # noqa: F401  (re-exported: F.instance_norm, F.embedding_bag ...)
    embedding_bag,
    gumbel_softmax,
    instance_norm,
    local_response_norm,
    lp_pool1d,
    lp_pool2d,
    lp_pool3d,
    multi_margin_loss,
    multilabel_margin_loss,
    triplet_margin_with_distance_loss,
)
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
from ._functional_loss_extra import (  # noqa: F401  (re-exported: F.margin_ranking_loss ...)
    cosine_embedding_loss,
    gaussian_nll_loss,
    hinge_embedding_loss,
    margin_ranking_loss,
    multilabel_soft_margin_loss,
    poisson_nll_loss,
    soft_margin_loss,
    triplet_margin_loss,
)
from ._functional_norm import (  # noqa: F401  (re-exported: F.layer_norm, F.batch_norm ...)
    batch_norm,
    cosine_similarity,
    group_norm,
    layer_norm,
    normalize,
    pairwise_distance,
    rms_norm,
)
from ._functional_resampling import (  # noqa: F401  (re-exported: F.interpolate, F.pixel_shuffle ...)
    celu_,
    channel_shuffle,
    elu_,
    interpolate,
    pixel_shuffle,
    pixel_unshuffle,
    rrelu_,
    selu_,
    threshold_,
    upsample,
    upsample_bilinear,
    upsample_nearest,
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


def _check_linear(input: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    if input.ndim == 0 or weight.ndim == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {input.ndim}D and "
                           f"{weight.ndim}D")
    if weight.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {weight.ndim}D")
    if input.shape[-1] != weight.shape[-1]:
        rows = int(np.prod(input.shape[:-1])) if input.ndim > 1 else 1
        out = weight.shape[0] if weight.ndim == 2 else 1
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{input.shape[-1]} and "
                           f"{weight.shape[-1]}x{out})")
    # PyTorch's messages name the kernel that notices: addmm (bias + input @ weight.T) or mm without a bias.
    if bias is not None and bias.dtype is not weight.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {scalar_type_name(bias.dtype)} and "
                           f"{scalar_type_name(weight.dtype)}")
    if input.dtype is not weight.dtype and bias is not None:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {scalar_type_name(input.dtype)} and "
                           f"{scalar_type_name(weight.dtype)}")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {c_type_name(input.dtype)} != "
                           f"{c_type_name(weight.dtype)}")
    if input.device != weight.device or (bias is not None and bias.device != input.device):
        raise RuntimeError(f"Expected all tensors to be on the same device, but found at least two devices, "
                           f"{input.device} and {weight.device}! (when checking argument for linear)")


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``: weight is (out_features, in_features).

    >>> F.linear(minitorch.ones(2, 3), minitorch.ones(4, 3)).shape
    minitorch.Size([2, 4])
    """
    _check_linear(input, weight, bias)
    if weight.ndim == 1:  # a single output feature without its dim: input @ weight, as PyTorch
        out = input.matmul(weight)
        return out if bias is None else out + bias
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):  # a bias that broadcasts over the output
        return linear(input, weight) + bias
    if bias is None:
        return _LinearNoBias.apply(input, weight, None) if input.ndim == 2 else _LinearND.apply(input, weight, None)
    return _Linear.apply(input, weight, bias) if input.ndim == 2 else _LinearND.apply(input, weight, bias)


def _check_bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    if input1.ndim != input2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.ndim} and {input2.ndim}")
    for d in range(input1.ndim - 1):
        if input1.shape[d] != input2.shape[d]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {d}: got "
                               f"{input1.shape[d]} and {input2.shape[d]}")
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but "
                           f"expected {weight.shape[1]}")
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but "
                           f"expected {weight.shape[2]}")
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got {bias.shape[-1]} but "
                           f"expected {weight.shape[0]}")


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y_k = x1^T A_k x2 + b_k with weight A of shape (out, in1, in2)."""
    _check_bilinear(input1, input2, weight, bias)
    # (..., i) @ (o, i, j) -> (..., o, j); then the dot with x2 over j -> (..., o).
    t = (input1.unsqueeze(-2).unsqueeze(-2) @ weight).squeeze(-2)
    out = (t * input2.unsqueeze(-2)).sum(-1)
    return out + bias if bias is not None else out


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
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if input.dtype.is_floating_point or input.dtype.name == "bool":
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {input.type()} instead (while checking arguments for embedding)")
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




def _embedding_renorm_(weight: Tensor, input: Tensor, max_norm: float, norm_type: float) -> None:
    """Rescale, in place, each referenced row whose norm exceeds ``max_norm`` to norm ``max_norm``."""
    with no_grad():
        rows = np.unique(input._host().reshape(-1))
        data = weight._data
        norms = (abs(data[rows].astype(np.float64)) ** norm_type).sum(axis=1) ** (1.0 / norm_type)
        scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        data[rows] = (data[rows] * scale[:, None]).astype(data.dtype)
        weight._version[0] += 1


# ---- one_hot and pad ------------------------------------------------------------------------------------
def one_hot(input: Tensor, num_classes: int = -1) -> Tensor:
    """int64 tensor of shape ``input.shape + (num_classes,)`` with a 1 at each class index.

    >>> F.one_hot(minitorch.tensor([0, 2]), 3)
    tensor([[1, 0, 0],
            [0, 0, 1]])
    """
    if input.dtype.name != "int64":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    data = input._data
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(data.max()) + 1
    if data.size and int(data.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if data.size and int(data.max()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    xp = input._device.xp
    return _wrap((data[..., None] == xp.arange(num_classes)).astype(np.int64), input._device)


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
    # circular: a negative pad crops first, and the positive pads wrap around what is left (as PyTorch)
    start, stop = max(-lo, 0), n - max(-hi, 0)
    return np.arange(-max(lo, 0), stop - start + max(hi, 0)) % (stop - start) + start


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
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    k = len(pad) // 2  # the modes that copy input values pad k spatial dims of a (C, *) or (N, C, *) input
    if input.ndim not in (k + 1, k + 2):
        raise NotImplementedError(f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\n"
                                  "Supported combinations for non-constant padding:\n"
                                  "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
                                  "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
                                  "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    out = input
    for d, (lo, hi) in enumerate(pairs):
        if lo == 0 and hi == 0:
            continue
        n = input.shape[d]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({lo}, {hi}) at dimension {d} of input {list(input.shape)}")
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        # index_select's backward accumulates repeated indices, which is exactly the gradient of a reflection.
        out = out.index_select(d, _tensor(_pad_index(n, lo, hi, mode), device=input.device))
    return out
