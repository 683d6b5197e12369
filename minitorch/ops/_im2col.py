"""im2col and col2im on arrays: the two helpers behind convolution and pooling.

A convolution slides a kernel over the (padded) input. *im2col* turns that
sliding into data: for every output position it lists the input values under
the kernel, so that the whole convolution becomes ONE matrix product::

    x: (N, C, H, W)  --windows-->  (N, C, kh, kw, Ho, Wo)
    y[n, o, i, j] = sum_{c, a, b} w[o, c, a, b] * windows[n, c, a, b, i, j]

The windows are not copied out one by one: ``as_strided`` builds a *view*
whose strides step through the input array (``stride * dilation`` tricks in
the table below), and the copy happens once, inside the matrix product.

=====================  ==================================
windows axis           step through the input
=====================  ==================================
kernel offset ``a``    ``dilation * row_stride``
output row ``i``       ``stride * row_stride``
=====================  ==================================

*col2im* is the adjoint (the transpose) of im2col: every column entry is
added back to the input position it was read from. Positions covered by
several windows receive the sum. We loop over the kernel offsets only
(``kh * kw`` slice additions), never over the batch, channels or pixels.

Everything here works for any number of spatial dimensions (1-D for conv1d,
2-D for conv2d, 3-D for free) and takes per-side paddings ``((lo, hi), ...)``
so that ``padding="same"`` with an even kernel (more on one side) and pooling
with ``ceil_mode`` need no special cases.
"""

from __future__ import annotations

import itertools


def out_size(size: int, k: int, stride: int, pad_lo: int, pad_hi: int, dilation: int) -> int:
    """Number of windows along one dimension: ``(size + pads - dilation*(k-1) - 1) // stride + 1``."""
    return (size + pad_lo + pad_hi - dilation * (k - 1) - 1) // stride + 1


def pad(x, pads, value=0.0):
    """``x`` with its trailing spatial dims padded by ``pads = ((lo, hi), ...)`` filled with ``value``.

    Returns ``x`` itself when there is nothing to pad (no copy).
    """
    if all(lo == 0 and hi == 0 for lo, hi in pads):
        return x
    xp = _xp(x)
    lead = x.ndim - len(pads)
    shape = x.shape[:lead] + tuple(s + lo + hi for s, (lo, hi) in zip(x.shape[lead:], pads))
    out = xp.full(shape, value, dtype=x.dtype)
    out[_inner(lead, x.shape[lead:], pads)] = x
    return out


def unpad(x, pads, size):
    """The inverse of ``pad``: the ``size`` block of ``x`` after the low paddings (a view)."""
    return x[_inner(x.ndim - len(pads), size, pads)]


def _inner(lead: int, size, pads) -> tuple:
    return (slice(None),) * lead + tuple(slice(lo, lo + s) for s, (lo, _) in zip(size, pads))


def windows(xpad, kernel, stride, dilation, out):
    """A strided VIEW of the padded input: shape ``(N, C, *kernel, *out)``, no copy.

    ``windows[n, c, a, b, i, j] = xpad[n, c, i*stride_h + a*dilation_h, j*stride_w + b*dilation_w]``.
    """
    xp = _xp(xpad)
    nsp = len(kernel)
    lead_shape, lead_strides = xpad.shape[:-nsp], xpad.strides[:-nsp]
    sp_strides = xpad.strides[-nsp:]
    # BEGIN SOLUTION 6.1
    # HINT: windows[n, c, a, b, i, j] = xpad[n, c, i*s_h + a*d_h, j*s_w + b*d_w]: shape (N, C, *kernel, *out); a
    # HINT: kernel offset steps dilation * stride_of_dim bytes, an output position steps stride * stride_of_dim
    shape = lead_shape + tuple(kernel) + tuple(out)
    strides = (lead_strides + tuple(st * d for st, d in zip(sp_strides, dilation))
               + tuple(st * s for st, s in zip(sp_strides, stride)))
    # END SOLUTION
    if xp.__name__ == "numpy":  # read-only, so that nobody writes through overlapping windows
        return xp.lib.stride_tricks.as_strided(xpad, shape=shape, strides=strides, writeable=False)
    return xp.lib.stride_tricks.as_strided(xpad, shape=shape, strides=strides)


def im2col(x, kernel, stride, pads, dilation, value=0.0):
    """Windows of the input padded with ``value``: a view of shape ``(N, C, *kernel, *out)``.

    ``out`` is given by ``out_size`` on each spatial dimension.
    """
    out = tuple(out_size(s, k, st, lo, hi, d)
                for s, k, st, (lo, hi), d in zip(x.shape[-len(kernel):], kernel, stride, pads, dilation))
    return windows(pad(x, pads, value), kernel, stride, dilation, out)


def col2im(cols, size, stride, pads, dilation):
    """Adjoint of ``im2col``: add each column entry back where it came from.

    ``cols`` has shape ``(N, C, *kernel, *out)``; returns ``(N, C, *size)``.
    For each kernel offset ``(a, b)`` the entries ``cols[:, :, a, b]`` came
    from the strided slice ``xpad[:, :, a*dh : ... : sh, b*dw : ... : sw]``,
    so one slice addition per offset puts them all back.
    """
    xp = _xp(cols)
    nsp = len(size)
    lead = cols.shape[:cols.ndim - 2 * nsp]
    kernel = cols.shape[len(lead):len(lead) + nsp]
    out = cols.shape[len(lead) + nsp:]
    padded = tuple(s + lo + hi for s, (lo, hi) in zip(size, pads))
    xpad = xp.zeros(lead + padded, dtype=cols.dtype)
    # BEGIN SOLUTION 6.2
    # HINT: for each kernel offset (a, b): cols[..., a, b, :, :] came from xpad[..., a*d_h : ... : s_h, b*d_w : ... :
    # HINT: s_w] (o values each); ADD it back there
    for offset in itertools.product(*(range(k) for k in kernel)):
        key = (Ellipsis,) + tuple(slice(a * d, a * d + s * (o - 1) + 1, s)
                                  for a, d, s, o in zip(offset, dilation, stride, out))
        xpad[key] += cols[(Ellipsis,) + offset + (slice(None),) * nsp]
    # END SOLUTION
    return unpad(xpad, pads, size)


def _xp(a):
    """The array module of ``a``: NumPy for NumPy arrays, else the package that defines its type (CuPy)."""
    import sys

    import numpy

    if isinstance(a, numpy.ndarray):
        return numpy
    return sys.modules[type(a).__module__.split(".")[0]]
