"""The CuPy backend (NVIDIA GPUs). Imported only when a CUDA device is used."""

from __future__ import annotations


def is_available() -> bool:
    """True when CuPy imports and sees at least one GPU."""
    return device_count() > 0


def device_count() -> int:
    try:
        import cupy
    except Exception:
        return 0
    try:
        return cupy.cuda.runtime.getDeviceCount()
    except Exception:
        return 0


def get(d):
    if not is_available():
        raise RuntimeError(
            f"Cannot use device '{d}': CUDA is not available (minitorch.cuda.is_available() is "
            "False). Install the 'cuda' extra (pip install 'minitorch[cuda]', which brings CuPy) "
            "on a machine with an NVIDIA GPU, or keep tensors on 'cpu'."
        )
    raise NotImplementedError(
        "minitorch's CuPy backend is not implemented yet (see the CuPy issue); "
        "tensors can only live on 'cpu' for now"
    )
