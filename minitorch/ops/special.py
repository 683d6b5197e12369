"""Special functions: erf.

erf has no NumPy ufunc (and SciPy is not a dependency), so it is computed
here from its series and continued fraction, to double precision.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ._util import _wrap, as_float


class Erf(Function):
    """erf(x).  d/dx = 2/sqrt(pi) exp(-x^2)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        x = as_float(a)
        return _wrap(_erf(x, a._device.xp).astype(x.dtype, copy=False), a._device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * ((2 / np.sqrt(np.pi)) * (-(x * x)).exp())


def _erf(x, xp):
    """erf to double precision: Taylor series near 0, continued-fraction erfc beyond."""
    x64 = x.astype(np.float64)
    ax = xp.abs(x64)
    out = xp.empty_like(x64)
    small = ax < 2.5
    # Maclaurin series: erf(x) = 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1))
    xs = x64[small]
    term = xs.copy()
    total = xs.copy()
    x2 = xs * xs
    for n in range(1, 60):
        term = term * (-x2) / n
        total = total + term / (2 * n + 1)
    out[small] = total * (2 / np.sqrt(np.pi))
    # Lentz continued fraction for erfc(x), x >= 2.5
    xl = ax[~small]
    f = xp.zeros_like(xl)
    for k in range(60, 0, -1):
        f = (k / 2) / (xl + f)
    erfc = xp.exp(-xl * xl) / np.sqrt(np.pi) / (xl + f)
    out[~small] = xp.sign(x64[~small]) * (1 - erfc)
    return out
