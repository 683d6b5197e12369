"""Special functions: erf, erfc, erfinv, lgamma, digamma, polygamma; exp2, sinc and logit.

erf has no NumPy ufunc (and SciPy is not a dependency), so it is computed
here from its series and continued fraction, to double precision.
"""

from __future__ import annotations

import math

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


# ---- one-input float functions: integers compute in the default float dtype -------------------------------
class _Unary(Function):
    """A float function of one tensor; ``compute(x, xp)`` on the array, the input saved for backward."""

    @classmethod
    def forward(cls, ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(all="ignore"):
            return _wrap(cls.compute(as_float(a), a._device.xp), a._device)


class Sinc(_Unary):
    """sin(pi x)/(pi x), 1 at 0.  d/dx = (pi x cos(pi x) - sin(pi x)) / (pi x^2), 0 at 0."""

    compute = staticmethod(lambda x, xp: xp.where(x == 0, 1, xp.sin(np.pi * x) / (np.pi * x)).astype(x.dtype))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        px = x * np.pi
        slope = (px * px.cos() - px.sin()) / (px * x)
        return grad * slope.where(x != 0, 0.0)


class Exp2(Function):
    """2^x.  d/dx = 2^x log 2 (from the saved output)."""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(over="ignore"):
            out = _wrap(a._device.xp.exp2(as_float(a)), a._device)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y * float(np.log(2))


class Logit(Function):
    """log(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps is given.
    d/dx = 1/(x (1 - x)); outside [eps, 1 - eps] it is 0 (with eps) or nan (without, outside [0, 1])."""

    @staticmethod
    def forward(ctx, a, eps):
        ctx.save_for_backward(a)
        ctx.eps = eps
        x = as_float(a)
        xp = a._device.xp
        if eps is not None:
            x = xp.where(x < eps, eps, xp.where(x > 1 - eps, 1 - eps, x)).astype(x.dtype, copy=False)
        with np.errstate(all="ignore"):
            return _wrap(xp.log(x / (1 - x)), a._device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        slope = grad / (x * (1 - x))
        if ctx.eps is None:
            return slope.where(~((x < 0) | (x > 1)), float("nan")), None
        return slope.where(~((x < ctx.eps) | (x > 1 - ctx.eps)), 0.0), None  # nan stays nan


def _erfc(x, xp):
    """erfc = 1 - erf, without cancellation: 1 - erf(x) for |x| < 1.5, the continued fraction beyond."""
    x64 = x.astype(np.float64)
    ax = xp.abs(x64)
    out = xp.empty_like(x64)
    small = ax < 1.5
    out[small] = 1 - _erf(x64[small], xp)
    xl = ax[~small]
    f = xp.zeros_like(xl)
    for k in range(100, 0, -1):  # 100 terms: full double precision from |x| = 1.5 on
        f = (k / 2) / (xl + f)
    xh = xp.round(xl * 16) / 16  # exp(-x^2) = exp(-xh^2) exp(-(x - xh)(x + xh)): xh^2 is exact, so no rounding
    tail = xp.exp(-xh * xh) * xp.exp(-(xl - xh) * (xl + xh)) / np.sqrt(np.pi) / (xl + f)  # error is amplified
    tail = xp.where(xl >= 28, 0.0, tail)  # erfc(28) < 1e-342: below the smallest double (and no inf * 0 = nan)
    out[~small] = xp.where(x64[~small] < 0, 2 - tail, tail)
    return out


class Erfc(Function):
    """erfc(x) = 1 - erf(x).  d/dx = -2/sqrt(pi) exp(-x^2)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        x = as_float(a)
        with np.errstate(all="ignore"):
            return _wrap(_erfc(x, a._device.xp).astype(x.dtype, copy=False), a._device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * ((-2 / np.sqrt(np.pi)) * (-(x * x)).exp())


# ---- erfinv: Giles' approximation, then Newton steps on erf ---------------------------------------
_GILES_CENTRAL = [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                  -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]
_GILES_TAIL = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
               -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]


def _horner(coefs, w):
    p = coefs[0]
    for c in coefs[1:]:
        p = c + p * w
    return p


def _erfinv(y, xp):
    """erfinv in float64: Giles' single-precision approximation (2010) refined by Newton's method.

    Newton solves erf(x) = |y|; where |y| >= 1/2 it solves log erfc(x) = log(1 - |y|) instead, which is
    nearly linear in x^2 (fast convergence) and exact in the tail (1 - |y| has no rounding error there),
    so accuracy holds up to |y| -> 1.
    """
    y64 = y.astype(np.float64)
    a = xp.abs(y64)
    with np.errstate(all="ignore"):
        w = -xp.log((1 - a) * (1 + a))
        central = _horner(_GILES_CENTRAL, w - 2.5)
        tail = _horner(_GILES_TAIL, xp.sqrt(w) - 3)
        x = xp.where(w < 5, central, tail) * a
        for _ in range(4):
            slope = (2 / np.sqrt(np.pi)) * xp.exp(-x * x)  # d erf(x)/dx
            tail = _erfc(x, xp)
            step_central = (_erf(x, xp) - a) / slope
            step_tail = -(xp.log(tail) - xp.log1p(-a)) * tail / slope  # Newton on log erfc(x) = log(1 - a)
            x = x - xp.where(a < 0.5, step_central, step_tail)
    x = xp.where(a == 1, np.inf, x)
    x = xp.where((a > 1) | xp.isnan(a), np.nan, x)
    return xp.copysign(x, y64)


class Erfinv(Function):
    """erfinv(y), the x with erf(x) = y.  d/dy = sqrt(pi)/2 exp(x^2), x the output."""

    @staticmethod
    def forward(ctx, a):
        x = as_float(a)
        out = _wrap(_erfinv(x, a._device.xp).astype(x.dtype, copy=False), a._device)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * ((np.sqrt(np.pi) / 2) * (x * x).exp())


# ---- lgamma and the polygamma functions -----------------------------------------------------------
_EULER = 0.5772156649015329
# B_2, B_4, ..., B_20 (Bernoulli numbers), for the asymptotic (Stirling) series
_BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330]


def _zeta_minus_one(k: int) -> float:
    """zeta(k) - 1 for an integer k >= 2: the sum over n >= 2 with an Euler-Maclaurin tail."""
    n_max = 1000
    s = math.fsum(n ** -k for n in range(n_max - 1, 1, -1))
    tail = n_max ** (1 - k) / (k - 1) + 0.5 * n_max ** -k + k * n_max ** (-k - 1) / 12
    return s + tail - k * (k + 1) * (k + 2) * n_max ** (-k - 3) / 720


_ZETA_M1 = [_zeta_minus_one(k) for k in range(2, 60)]


def _lgamma_near_2(z, xp):
    """lgamma(2 + z) = (1 - gamma) z + sum_k>=2 (-1)^k (zeta(k) - 1) z^k / k  (|z| <= 1/2; no cancellation)."""
    total = (1 - _EULER) * z
    power = -z  # (-z)^k, from k = 2 on
    for k, zm1 in enumerate(_ZETA_M1, start=2):
        power = power * -z
        total = total + zm1 * power / k
    return total


def _lgamma_stirling(x, xp):
    """lgamma(x) for x >= 2.5: shift x up to >= 15 (lgamma(x) = lgamma(x + 1) - log x), then Stirling's series."""
    z, prod = x, xp.ones_like(x)
    for _ in range(13):
        low = z < 15
        prod = xp.where(low, prod * z, prod)
        z = xp.where(low, z + 1, z)
    series = xp.zeros_like(z)
    for k, b in enumerate(_BERNOULLI[:8], start=1):
        series = series + b / (2 * k * (2 * k - 1)) / z ** (2 * k - 1)
    return (z - 0.5) * xp.log(z) - z + 0.5 * np.log(2 * np.pi) + series - xp.log(prod)


def _lgamma_pos(x, xp):
    """lgamma for x > 0 (series around 1 and 2 below 2.5, where lgamma has its zeros; Stirling above)."""
    near1 = _lgamma_near_2(xp.clip(x - 1, -0.5, 0.5), xp) - xp.log(x)  # lgamma(x) = lgamma(x + 1) - log x
    tiny = _lgamma_near_2(xp.clip(x, -0.5, 0.5), xp) - xp.log1p(x) - xp.log(x)  # x < 1/2: twice that
    near2 = _lgamma_near_2(xp.clip(x - 2, -0.5, 0.5), xp)
    large = _lgamma_stirling(xp.maximum(x, 2.5), xp)
    return xp.where(x < 0.5, tiny, xp.where(x < 1.5, near1, xp.where(x < 2.5, near2, large)))


def _sinpi(x, xp):
    """sin(pi x), exact at integers (x is reduced modulo 2 before multiplying by pi)."""
    r = x - 2 * xp.round(x / 2)
    return xp.sin(np.pi * r)


def _lgamma(x, xp):
    """log|Gamma(x)|; for x < 0 by reflection: lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x)."""
    x64 = x.astype(np.float64)
    with np.errstate(all="ignore"):
        pos = _lgamma_pos(xp.where(x64 > 0, x64, 1 - x64), xp)
        neg = np.log(np.pi) - xp.log(xp.abs(_sinpi(x64, xp))) - pos
        out = xp.where(x64 > 0, pos, neg)
    out = xp.where(xp.isinf(x64) | ((x64 <= 0) & (x64 == xp.floor(x64))), np.inf, out)
    return xp.where(xp.isnan(x64), np.nan, out)


def _cot_derivative_poly(n: int) -> np.ndarray:
    """Coefficients (lowest first) of P_n with d^n/du^n cot(u) = P_n(cot u): P_0 = c, P_k+1 = -(1 + c^2) P_k'."""
    p = np.array([0.0, 1.0])
    for _ in range(n):
        d = np.polynomial.polynomial.polyder(p)
        p = -np.polynomial.polynomial.polymul([1.0, 0.0, 1.0], d)
    return p


def _polygamma_pos(n, x, xp):
    """psi^(n)(x) for x > 0: the recurrence psi^(n)(x) = psi^(n)(x + 1) + (-1)^(n+1) n! / x^(n+1) moves x to
    >= 10 + n, then the asymptotic series (with the Bernoulli numbers) finishes."""
    top = 10 + n
    z, acc = x, xp.zeros_like(x)
    for _ in range(top):
        low = z < top
        acc = acc + xp.where(low, z ** -(n + 1), 0)
        z = xp.where(low, z + 1, z)
    sign, fact = (-1) ** (n + 1), math.factorial(n)
    if n == 0:
        series = xp.log(z) - 0.5 / z
        for k, b in enumerate(_BERNOULLI, start=1):
            series = series - b / (2 * k) / z ** (2 * k)
    else:
        series = math.factorial(n - 1) / z ** n + fact / (2 * z ** (n + 1))
        for k, b in enumerate(_BERNOULLI, start=1):
            series = series + b * math.factorial(2 * k + n - 1) / math.factorial(2 * k) / z ** (2 * k + n)
        series = sign * series
    return series + sign * fact * acc


def _polygamma(n, x, xp):
    """psi^(n)(x), the n-th derivative of digamma; for x < 0 by reflection:
    psi^(n)(x) = (-1)^n psi^(n)(1 - x) - pi^(n+1) P_n(cot(pi x))."""
    x64 = x.astype(np.float64)
    with np.errstate(all="ignore"):
        pos = _polygamma_pos(n, xp.where(x64 > 0, x64, 1 - x64), xp)
        cot = xp.cos(np.pi * (x64 - 2 * xp.round(x64 / 2))) / _sinpi(x64, xp)
        poly = _cot_derivative_poly(n)
        pn = xp.zeros_like(x64)
        for c in poly[::-1]:
            pn = pn * cot + c
        neg = (-1) ** n * pos - np.pi ** (n + 1) * pn
        out = xp.where(x64 > 0, pos, neg)
    if n == 0:  # digamma: -inf at +0, +inf at -0, nan at the negative integers
        out = xp.where((x64 < 0) & (x64 == xp.floor(x64)), np.nan, out)
        out = xp.where(x64 == 0, xp.copysign(np.inf, -x64), out)
        out = xp.where(x64 == np.inf, np.inf, out)
    else:
        out = xp.where(x64 == 0, (-1) ** (n + 1) * np.inf, out)
        out = xp.where(x64 == np.inf, 0.0, out)
    return out


class Lgamma(Function):
    """log|Gamma(x)|.  d/dx = digamma(x)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        x = as_float(a)
        return _wrap(_lgamma(x, a._device.xp).astype(x.dtype, copy=False), a._device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * Digamma.apply(x, 0)


class Polygamma(Function):
    """psi^(n)(x), the (n+1)-th derivative of lgamma.  d/dx = psi^(n+1)(x)."""

    @staticmethod
    def forward(ctx, a, n):
        ctx.save_for_backward(a)
        ctx.n = n
        x = as_float(a)
        return _wrap(_polygamma(n, x, a._device.xp).astype(x.dtype, copy=False), a._device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * Polygamma.apply(x, ctx.n + 1), None


class Digamma(Polygamma):
    """digamma(x) = psi^(0)(x) = d lgamma(x)/dx.  d/dx = polygamma(1, x)."""
