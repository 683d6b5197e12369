"""Argument checking for the convolutions: PyTorch's rules, in PyTorch's order, with its messages.

A call such as ``conv2d(x, w, b, stride, padding, dilation, groups)`` is checked in the order PyTorch
checks it, so that the first thing wrong is the thing reported:

1. the arguments' types (tensors; ints or tuples of ints),
2. the input's number of dims (``(C, *size)`` unbatched or ``(N, C, *size)``),
3. the weight: at least 3 dims, ``groups > 0``; stride/padding/dilation as long as the weight has
   spatial dims (an int or a 1-tuple is repeated),
4. the shapes (``check_shape_forward``): signs of the parameters, weight vs input channels, bias,
   kernel vs padded input,
5. the dtypes of input, weight and bias.
"""

from __future__ import annotations

from ._util import Tensor, c_type_name, check_same_device, scalar_type_name


def type_name(t: Tensor) -> str:
    """PyTorch's scalar-type name of ``t``'s dtype: ``Float``, ``Double``, ``Long`` ..."""
    return scalar_type_name(t.dtype)


def ints(value, op: str, name: str, n: int) -> tuple:
    """``value`` (an int, or a list/tuple of ints) as a tuple; an int is repeated ``n`` times.

    Anything else (a float, a string, None) is a TypeError, as in PyTorch's argument parser.
    """
    if isinstance(value, Tensor):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            if not is_int(v):
                raise TypeError(f"{op}(): argument '{name}' must be tuple of ints, but found element of type "
                                f"{type(v).__name__} at pos {i}")
        return tuple(int(v) for v in value)
    if not is_int(value):
        raise TypeError(f"{op}(): argument '{name}' must be tuple of ints, not {type(value).__name__}")
    return (int(value),) * n


def is_int(v) -> bool:
    """An int-like value (Python or NumPy integer), not a float."""
    return hasattr(v, "__index__")


def expand(vals: tuple, n: int, name: str) -> tuple:
    """A 1-tuple repeated to ``n`` values; otherwise exactly ``n`` values (PyTorch's ``expand_param_if_needed``)."""
    if len(vals) == 1:
        return vals * n
    if len(vals) != n:
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {n} values to match the convolution "
            f"dimensions, but got {name}={list(vals)}"
        )
    return vals


def ntuple(value, n: int, name: str, op: str = "convolution") -> tuple:
    """``value`` as exactly ``n`` ints (an int or a 1-tuple is repeated)."""
    return expand(ints(value, op, name, n), n, name)


def check_tensors(op: str, input, weight, bias) -> None:
    """``input`` and ``weight`` must be tensors, ``bias`` a tensor or None (a TypeError otherwise)."""
    for pos, (name, t) in enumerate((("input", input), ("weight", weight), ("bias", bias)), start=1):
        if not isinstance(t, Tensor) and not (name == "bias" and t is None):
            raise TypeError(f"{op}(): argument '{name}' (position {pos}) must be Tensor, not {type(t).__name__}")


def batchify(input: Tensor, nsp: int, op: str):
    """``(input with a batch dim, was_unbatched)``; PyTorch's error for a wrong number of dims."""
    if input.ndim not in (nsp + 1, nsp + 2):
        raise RuntimeError(
            f"Expected {nsp + 1}D (unbatched) or {nsp + 2}D (batched) input to {op}, but got input of size: "
            f"{list(input.shape)}"
        )
    if input.ndim == nsp + 1:
        return input.unsqueeze(0), True
    return input, False


def check_weight(weight: Tensor, groups) -> int:
    """The weight has ``(out, in/groups, *kernel)``: at least one spatial dim; groups is positive."""
    if weight.ndim < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    return weight.ndim - 2


def check_signs(pads, stride, dilation, output_padding=()) -> None:
    """The sign checks at the top of PyTorch's ``check_shape_forward``."""
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        raise RuntimeError("negative padding is not supported")
    if any(o < 0 for o in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d < 0 for d in dilation):
        raise RuntimeError("dilation should be greater than zero")


def check_groups(x: Tensor, weight: Tensor, groups: int) -> None:
    """Weight and input have the same number of dims; the weight's dim 0 splits into ``groups``."""
    ws = list(weight.shape)
    if weight.ndim != x.ndim:
        raise RuntimeError(
            f"Expected {weight.ndim}-dimensional input for {weight.ndim}-dimensional weight {ws}, but got "
            f"{x.ndim}-dimensional input of size {list(x.shape)} instead"
        )
    if ws[0] < groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got weight of "
            f"size {ws} instead"
        )
    if ws[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of "
            f"size [{ws}] instead"
        )


def check_conv_shapes(x: Tensor, weight: Tensor, bias, pads, dilation, groups: int) -> None:
    """Channels, bias and kernel size of a (not transposed) convolution."""
    ws = list(weight.shape)
    if x.shape[1] != ws[1] * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {ws}, expected input{list(x.shape)} to have {ws[1] * groups} "
            f"channels, but got {x.shape[1]} channels instead"
        )
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != ws[0]):
        raise RuntimeError(
            f"Given weight of size {ws}, expected bias to be 1-dimensional with {ws[0]} elements, but got bias of "
            f"size {list(bias.shape)} instead"
        )
    padded = [s + lo + hi for s, (lo, hi) in zip(x.shape[2:], pads)]
    kernel = [d * (k - 1) + 1 for d, k in zip(dilation, ws[2:])]
    if any(p < k for p, k in zip(padded, kernel)):
        raise RuntimeError(
            f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
            f"({' x '.join(map(str, kernel))}). Kernel size can't be greater than actual input size"
        )


def check_transposed_shapes(x: Tensor, weight: Tensor, bias, groups: int) -> None:
    """Channels and bias of a transposed convolution (weight ``(in, out/groups, *kernel)``)."""
    ws = list(weight.shape)
    if x.shape[1] != ws[0]:
        raise RuntimeError(
            f"Given transposed=1, weight of size {ws}, expected input{list(x.shape)} to have {ws[0]} channels, "
            f"but got {x.shape[1]} channels instead"
        )
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != ws[1] * groups):
        raise RuntimeError(
            f"Given transposed=1, weight of size {ws}, expected bias to be 1-dimensional with {ws[1] * groups} "
            f"elements, but got bias of size {list(bias.shape)} instead"
        )


def check_types(op: str, x: Tensor, w: Tensor, b, transposed: bool = False) -> None:
    """Same device; weight and bias of the input's dtype (PyTorch's CPU messages); no bool convolution."""
    check_same_device(op, x, w, b)
    if w.dtype != x.dtype:
        if x.dtype.name == "float32" or transposed:
            raise RuntimeError(
                f"Input type ({x.type()}) and weight type ({w.type()}) should be the same or input should be a "
                f"MKLDNN tensor and weight is a dense tensor"
            )
        raise RuntimeError(f"expected scalar type {type_name(x)} but found {type_name(w)}")
    if b is not None and b.dtype != x.dtype:
        if transposed:
            raise RuntimeError(
                f"Input type ({x.type()}) and bias type ({b.type()}) should be the same or input should be a "
                f"MKLDNN tensor and bias is a dense tensor"
            )
        raise RuntimeError(f"Input type ({c_type_name(x.dtype)}) and bias type "
                           f"({c_type_name(b.dtype)}) should be the same")
    kind = x._data.dtype.kind
    if kind == "b" or (transposed and kind in "iu" and x.dtype.name != "int64"):
        slow = "slow_conv_transpose2d_out_cpu" if transposed else "slow_conv2d_cpu"
        raise NotImplementedError(f"\"{slow}\" not implemented for '{type_name(x)}'")


def same_pads(x: Tensor, weight: Tensor, stride, dilation) -> tuple:
    """padding='same': total ``d*(k-1)`` per dim; when it is odd the extra one goes on the high side (as PyTorch).

    PyTorch checks this path before the general one, with messages of its own.
    """
    k = weight.ndim
    if k < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if k != x.ndim:
        raise RuntimeError(f"Expected {k}-dimensional input for {k}-dimensional weight{list(weight.shape)}, but got "
                           f"{x.ndim}-dimensional input of size {list(x.shape)} instead")
    for name, vals in (("stride", stride), ("dilation", dilation)):
        if len(vals) not in (1, k - 2):
            raise RuntimeError(f"{name} cannot broadcast to {k - 2} dimensions")
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    dilation = expand(dilation, k - 2, "dilation")
    total = [d * (n - 1) for d, n in zip(dilation, weight.shape[2:])]
    return tuple((t // 2, t - t // 2) for t in total)
