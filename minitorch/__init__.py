"""minitorch: an educational autograd and tensor engine with PyTorch's API.

>>> import minitorch as torch
>>> x = torch.randn(3, requires_grad=True)
>>> (x * x).sum().backward()
>>> torch.allclose(x.grad, 2 * x)
True
"""

__version__ = "0.1.0"

from . import _dtype, autograd, cuda, testing
from ._backend import device
from ._dtype import (
    bool,
    double,
    dtype,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    can_cast,
    promote_types,
    result_type,
    set_default_dtype,
    short,
    uint8,
)
from ._random import Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from ._size import Size
from ._tensor import Tensor, is_tensor, typename
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.anomaly import is_anomaly_check_nan_enabled, is_anomaly_enabled
from .ops.creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    logspace,
    ones,
    ones_like,
    tensor,
    tril_indices,
    triu_indices,
    zeros,
    zeros_like,
)
from .ops.dlpack import from_dlpack
from .ops.elementwise import (
    abs,
    add,
    addcdiv,
    addcmul,
    allclose,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    ceil,
    clamp,
    clamp_max,
    clamp_min,
    clip,
    cos,
    div,
    eq,
    erf,
    exp,
    expm1,
    floor,
    floor_divide,
    float_power,
    fmax,
    fmin,
    fmod,
    frac,
    ge,
    greater,
    greater_equal,
    gt,
    isclose,
    isfinite,
    isinf,
    isnan,
    isneginf,
    isposinf,
    le,
    less,
    less_equal,
    lerp,
    log,
    log1p,
    log2,
    log10,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    lt,
    masked_fill,
    maximum,
    minimum,
    mul,
    nan_to_num,
    ne,
    not_equal,
    neg,
    pow,
    reciprocal,
    relu,
    remainder,
    round,
    rsqrt,
    rsub,
    sigmoid,
    sgn,
    sign,
    signbit,
    sin,
    sqrt,
    square,
    sub,
    tan,
    tanh,
    true_divide,
    trunc,
    where,
)
from .ops.indexing import (
    argwhere,
    gather,
    index_select,
    masked_select,
    nonzero,
    scatter,
    scatter_add,
    take_along_dim,
)
from .ops.add_products import addmm
from .ops.linalg import bmm, diagonal, dot, einsum, ger, matmul, mm, mv, outer, trace, tril, triu
from .ops.random import (
    bernoulli,
    multinomial,
    normal,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
)
from .ops.reduction import (
    all,
    amax,
    amin,
    any,
    argmax,
    argmin,
    count_nonzero,
    cumprod,
    cumsum,
    log_softmax,
    logsumexp,
    max,
    mean,
    min,
    norm,
    prod,
    softmax,
    std,
    std_mean,
    sum,
    var,
    var_mean,
)
# Modules whose public names are listed in their __all__:
from .ops.binning import *  # noqa: F403
from .ops.index_put import *  # noqa: F403
from .ops.layout import *  # noqa: F403
from .ops.nan_reductions import *  # noqa: F403
from .ops.products import *  # noqa: F403
from .ops.sorting import *  # noqa: F403
from .ops.trigonometric import *  # noqa: F403
from .ops.shape import (
    broadcast_to,
    cat,
    chunk,
    clone,
    concat,
    concatenate,
    flatten,
    flip,
    hstack,
    movedim,
    narrow,
    permute,
    repeat_interleave,
    reshape,
    roll,
    select,
    split,
    squeeze,
    stack,
    swapaxes,
    swapdims,
    t,
    tensor_split,
    tile,
    transpose,
    unbind,
    unflatten,
    unsqueeze,
    vstack,
)

absolute = abs
multiply = mul
divide = div
subtract = sub
negative = neg


def numel(input) -> int:
    return input.numel()


def equal(input, other) -> bool:
    """True when both tensors have the same shape and elements."""
    return input.shape == other.shape and _builtins.bool((input == other).all())


def is_floating_point(input) -> bool:
    return input.dtype.is_floating_point


def get_default_device():
    return device("cpu")


# minitorch.sum(x, axis=0): NumPy's names for dim/keepdim, as PyTorch's argument parser accepts them.
from .ops._numpy_names import wrap_namespace as _wrap_namespace  # noqa: E402

_wrap_namespace(globals())


import builtins as _builtins  # noqa: E402


def __getattr__(name):
    # Subpackages that import the core (nn, optim, utils, vision, viz) load on first use.
    import importlib

    if name in ("nn", "optim", "utils", "vision", "viz", "assign", "serialization"):
        return importlib.import_module(f".{name}", __name__)
    if name in ("save", "load"):
        from . import serialization

        return getattr(serialization, name)
    raise AttributeError(f"module 'minitorch' has no attribute '{name}'")
