"""Shared fixtures: the devices a device-generic test runs on.

``fakecuda`` is a test-only device type whose backend is the real
``CupyBackend`` over a NumPy-backed stand-in for CuPy (tests/_fakecupy.py).
It exists on every machine, so the CUDA code path (and every op on it) runs
in CI; a forgotten host round trip or a NumPy-only call on device data fails.
``cuda`` joins the list when CuPy sees a GPU.
"""

from __future__ import annotations

import _fakecupy  # tests/ is on sys.path (pytest puts a rootless conftest's folder there)
import pytest

import minitorch
from minitorch._backend import register_backend
from minitorch._backend.cupy_backend import CupyBackend

FAKE = "fakecuda"
_fake_backends: dict = {}


def _fake_backend(d):
    index = d.index or 0
    if index not in _fake_backends:
        _fake_backends[index] = CupyBackend(_fakecupy, index)
    return _fake_backends[index]


register_backend(FAKE, _fake_backend)

DEVICES = ["cpu", FAKE] + (["cuda"] if minitorch.cuda.is_available() else [])
GPU_DEVICES = [d for d in DEVICES if d != "cpu"]


@pytest.fixture(params=DEVICES)
def device(request) -> str:
    """Each available device: "cpu", "fakecuda" (the CuPy stand-in) and "cuda" when there is a GPU."""
    return request.param


@pytest.fixture(params=GPU_DEVICES)
def gpu_device(request) -> str:
    """The devices behind ``CupyBackend``: "fakecuda" always, "cuda" when there is a GPU."""
    return request.param


def array_type(device) -> type:
    """The array type a tensor on ``device`` must hold."""
    return minitorch.device(device).xp.ndarray


@pytest.fixture(autouse=True)
def _seeded_random_numbers():
    """Every test starts from the same random state (minitorch's default generator, NumPy's global one, and
    torch's when it is loaded), so a result never depends on which tests ran before: no flaky tests."""
    import sys

    import numpy as np

    minitorch.manual_seed(0)
    np.random.seed(0)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(0)
    yield
