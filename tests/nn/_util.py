"""Shared helpers for the nn tests: build the same inputs in minitorch and PyTorch and compare."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch


def torch_or_skip():
    return pytest.importorskip("torch")


def mt_tensor(arr, requires_grad=None):
    arr = np.asarray(arr)
    rg = arr.dtype.kind == "f" if requires_grad is None else requires_grad
    return minitorch.tensor(arr, requires_grad=rg)


def th_tensor(torch, arr, requires_grad=None):
    arr = np.asarray(arr)
    rg = arr.dtype.kind == "f" if requires_grad is None else requires_grad
    return torch.tensor(arr, requires_grad=rg)


def copy_weights(mt_module, th_module) -> None:
    """Load the PyTorch module's state into the minitorch one, through NumPy arrays."""
    mt_module.load_state_dict({k: v.detach().numpy() for k, v in th_module.state_dict().items()})


def upstream(shape, seed=1, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def compare_fn(mt_fn, th_fn, arrays, atol=1e-5, rtol=1e-5, grad=True):
    """Run ``mt_fn`` and ``th_fn`` on the same arrays; compare outputs and the input gradients
    for a random upstream gradient."""
    torch = torch_or_skip()
    mts = [mt_tensor(a) for a in arrays]
    ths = [th_tensor(torch, a) for a in arrays]
    out_m, out_t = mt_fn(*mts), th_fn(*ths)
    np.testing.assert_allclose(out_m.detach().numpy(), out_t.detach().numpy(), atol=atol, rtol=rtol)
    assert tuple(out_m.shape) == tuple(out_t.shape)
    if not grad:
        return out_m, out_t
    g = upstream(tuple(out_t.shape), dtype=out_t.detach().numpy().dtype)
    out_m.backward(minitorch.tensor(g))
    out_t.backward(torch.tensor(g))
    for m, t in zip(mts, ths):
        if t.requires_grad:
            assert m.grad is not None
            np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), atol=atol, rtol=rtol)
    return out_m, out_t


def compare_module(mt_mod, th_mod, arrays, atol=1e-5, rtol=1e-5):
    """Same weights (copied from PyTorch), same inputs: outputs, input grads and parameter grads agree."""
    torch = torch_or_skip()
    copy_weights(mt_mod, th_mod)
    compare_fn(mt_mod, th_mod, arrays, atol=atol, rtol=rtol)
    th_params = dict(th_mod.named_parameters())
    for name, p in mt_mod.named_parameters():
        tp = th_params[name]
        if tp.grad is None:
            assert p.grad is None, name
            continue
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), atol=atol, rtol=rtol, err_msg=name)
    assert torch is not None


def gradcheck(fn, *arrays) -> bool:
    """minitorch.autograd.gradcheck on float64 leaves made from ``arrays`` (integer arrays stay constants)."""
    inputs = tuple(mt_tensor(np.asarray(a, dtype=np.float64) if np.asarray(a).dtype.kind == "f" else a)
                   for a in arrays)
    return minitorch.autograd.gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)


def torch_repr(text: str) -> str:
    """A PyTorch repr with minitorch's names, for comparing printed forms."""
    return text.replace("torch.", "minitorch.")
