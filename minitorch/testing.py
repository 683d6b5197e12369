"""``minitorch.testing.assert_close``: compare tensors like ``torch.testing.assert_close``."""

from __future__ import annotations

import numpy as np

from . import _dtype
from ._tensor import Tensor

# PyTorch's default tolerances per dtype: (rtol, atol).
_TOLERANCES = {"float16": (1e-3, 1e-5), "float32": (1.3e-6, 1e-5), "float64": (1e-7, 1e-7)}


def _host(x):
    if isinstance(x, Tensor):
        return np.asarray(x.detach()._host())
    return np.asarray(x)


def assert_close(actual, expected, *, rtol=None, atol=None, equal_nan=False, check_dtype=True,
                 check_device=True, msg=None) -> None:
    """Raise AssertionError unless ``|actual - expected| <= atol + rtol * |expected|`` elementwise.

    Shapes must match; with ``check_dtype`` dtypes too. Nested lists/tuples/dicts
    are compared element by element.
    """
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)):
        if len(actual) != len(expected):
            raise AssertionError(f"The length of the sequences mismatch: {len(actual)} != {len(expected)}")
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_close(a, e, rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=check_dtype, msg=msg)
        return
    if isinstance(actual, dict) and isinstance(expected, dict):
        if set(actual) != set(expected):
            raise AssertionError(f"The keys of the mappings do not match: {sorted(actual)} != {sorted(expected)}")
        for k in actual:
            assert_close(actual[k], expected[k], rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=check_dtype, msg=msg)
        return
    if (rtol is None) != (atol is None):
        raise ValueError("Both 'rtol' and 'atol' must be either specified or omitted")
    a, e = _host(actual), _host(expected)
    if isinstance(actual, Tensor) and isinstance(expected, Tensor):
        if check_dtype and actual.dtype is not expected.dtype:
            raise AssertionError(f"The values for attribute 'dtype' do not match: {actual.dtype} != {expected.dtype}.")
        if check_device and actual.device != expected.device:
            raise AssertionError(f"The values for attribute 'device' do not match: {actual.device} != {expected.device}.")
    if a.shape != e.shape:
        raise AssertionError(f"The values for attribute 'shape' do not match: {a.shape} != {e.shape}.")
    if rtol is None:
        name = a.dtype.name if a.dtype.kind == "f" else None
        rtol, atol = _TOLERANCES.get(name, (0.0, 0.0))
    if a.dtype.kind in "biu" and e.dtype.kind in "biu":
        bad = a != e
    else:
        a64, e64 = a.astype(np.float64), e.astype(np.float64)
        with np.errstate(invalid="ignore"):
            bad = ~(np.abs(a64 - e64) <= atol + rtol * np.abs(e64))
        same_inf = np.isinf(a64) & (a64 == e64)
        bad &= ~same_inf
        if equal_nan:
            bad &= ~(np.isnan(a64) & np.isnan(e64))
    if bad.any():
        n = int(bad.sum())
        idx = tuple(int(i) for i in np.argwhere(bad)[0]) if a.ndim else ()
        diff = np.abs(a.astype(np.float64) - e.astype(np.float64))
        text = (
            f"Tensor-likes are not close!\n\nMismatched elements: {n} / {a.size} ({100.0 * n / max(a.size, 1):.1f}%)\n"
            f"Greatest absolute difference: {np.nanmax(diff) if diff.size else 0} \n"
            f"First mismatch at index {idx}: actual {a[idx] if a.ndim else a}, expected {e[idx] if e.ndim else e}\n"
            f"(up to {atol} allowed absolute, {rtol} allowed relative difference)"
        )
        raise AssertionError(msg or text)


_ = _dtype
