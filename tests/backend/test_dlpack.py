"""DLPack: ``Tensor.__dlpack__`` / ``__dlpack_device__`` and ``minitorch.from_dlpack``, zero-copy.

Shared memory is checked by writing on one side and reading on the other,
both ways, with NumPy and (when installed) PyTorch.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import FAKE

import minitorch


def test_device_of_a_cpu_tensor():
    assert minitorch.zeros(2).__dlpack_device__() == (1, 0)  # kDLCPU


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "bool"])
def test_numpy_reads_a_tensor_without_copy(dtype):
    t = minitorch.zeros(3, dtype=getattr(minitorch, dtype))
    a = np.from_dlpack(t)
    assert a.dtype == np.dtype(dtype) and a.shape == (3,)
    a[1] = 1
    assert t.tolist()[1] == 1  # the tensor sees NumPy's write
    t[2] = 1
    assert a[2] == 1  # and NumPy sees the tensor's


def test_tensor_reads_numpy_without_copy():
    a = np.arange(6.0).reshape(2, 3)
    t = minitorch.from_dlpack(a)
    assert t.shape == (2, 3) and t.dtype is minitorch.float64 and t.device == minitorch.device("cpu")
    t.mul_(2)
    assert a[1, 2] == 10.0
    a[0, 0] = -1
    assert t[0, 0].item() == -1.0


def test_strided_views_keep_their_strides():
    t = minitorch.arange(12.0).reshape(3, 4)
    a = np.from_dlpack(t.t())
    np.testing.assert_array_equal(a, np.arange(12.0).reshape(3, 4).T)
    a[0, 1] = 100  # element (1, 0) of t
    assert t[1, 0].item() == 100
    back = minitorch.from_dlpack(np.arange(10.0)[::2])
    assert back.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0] and back.stride() == (2,)


def test_from_dlpack_of_a_tensor_is_the_tensor():
    t = minitorch.ones(2)
    assert minitorch.from_dlpack(t) is t


def test_errors():
    with pytest.raises(RuntimeError, match="Can't export tensors that require gradient, use tensor.detach()"):
        minitorch.ones(2, requires_grad=True).__dlpack__()
    with pytest.raises(TypeError, match="does not implement the DLPack protocol"):
        minitorch.from_dlpack([1.0, 2.0])


def test_device_tensors_report_a_cuda_device():
    """A tensor behind CupyBackend exports what its array reports: kDLCUDA (2) for CuPy and its stand-in."""
    t = minitorch.ones(2, device=FAKE)
    assert t.__dlpack_device__() == (2, 0)
    with pytest.raises(BufferError):
        np.from_dlpack(t)  # NumPy takes CPU memory only (and the stand-in has no GPU memory to give)


def test_importing_gpu_memory_needs_cuda():
    if minitorch.cuda.is_available():
        pytest.skip("this machine has a GPU")

    class OnGpu:
        def __dlpack_device__(self):
            return (2, 0)

    with pytest.raises(RuntimeError, match="CUDA is not available"):
        minitorch.from_dlpack(OnGpu())


# ---- PyTorch ---------------------------------------------------------------------------------------------
def test_torch_reads_a_tensor_without_copy():
    torch = pytest.importorskip("torch")
    t = minitorch.arange(4.0)
    for tt in (torch.from_dlpack(t), torch.utils.dlpack.from_dlpack(t)):
        assert tt.dtype == torch.float32 and tt.device.type == "cpu"
        tt[0] += 10
        t[3] = -3.0
        assert tt[3].item() == -3.0
    assert t.tolist() == [20.0, 1.0, 2.0, -3.0]  # both torch views wrote to t's memory
    assert torch.from_dlpack(t.reshape(2, 2).t()).stride() == (1, 2)


def test_tensor_reads_torch_without_copy():
    torch = pytest.importorskip("torch")
    tt = torch.arange(6, dtype=torch.float64).reshape(2, 3)
    t = minitorch.from_dlpack(tt)
    assert t.dtype is minitorch.float64 and t.shape == (2, 3)
    t[0, 1] = 42.0
    assert tt[0, 1].item() == 42.0
    tt[1, 2] = -1.0
    assert t[1, 2].item() == -1.0
    assert minitorch.from_dlpack(tt.t()).stride() == (1, 3)


def test_tensor_reads_a_torch_capsule():
    """``torch.utils.dlpack.to_dlpack`` gives a bare capsule (the older exchange). NumPy, which holds the
    numbers of a CPU tensor, imports such a capsule read-only (it carries no read-only flag): the memory is
    shared, writes go through the PyTorch side."""
    torch = pytest.importorskip("torch")
    tt = torch.zeros(3, dtype=torch.int64)
    t = minitorch.from_dlpack(torch.utils.dlpack.to_dlpack(tt))
    assert t.dtype is minitorch.int64
    tt[2] = 7
    assert t.tolist() == [0, 0, 7]
