"""The CUDA code path without a GPU: every op of the op table on the CuPy stand-in.

Each op runs forward and backward on a ``CupyBackend`` device ("fakecuda",
tests/conftest.py; also "cuda" when there is a GPU) and on the CPU with the
same inputs; values, dtypes and gradients must agree, and every output and
gradient must stay on the device (its array is the device's array type). A
NumPy-only call on device data, or a silent host round trip, raises inside
the stand-in and fails here. The layers, an optimizer step and a DataLoader
batch moved with ``.to(device)`` follow.
"""

from __future__ import annotations

import contextlib
import copy

import _fakecupy
import numpy as np
import pytest
from conftest import FAKE, GPU_DEVICES, array_type
from ops.op_db import OPS
from ops.test_ops import _assert_close, _outputs, _rng, make_args

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F

CASES = [pytest.param(op, i, id=f"{op.name}-{i}") for op in OPS for i in range(len(op.samples))]
GRAD_CASES = [pytest.param(op, i, id=f"{op.name}-{i}") for op in OPS if op.grad for i in range(len(op.samples))]


# Ops allowed to copy between host and device, and why (at most this many copies per call: to_host, to_device).
ALLOWED_TRANSFERS = {
    "getitem_list_dup": (0, 1),  # a Python list index is host data: copied to the device, as PyTorch does
    "gather": (1, 0), "gather0": (1, 0), "take_along_dim": (1, 0),  # the index bounds check waits for the result
    "scatter": (2, 0), "scatter_value": (1, 0), "scatter_add": (1, 0),  # the same check (and gather in backward)
    "cumprod": (1, 0), "cumprod_0d": (1, 0),  # backward branches on "is any input zero?", as PyTorch's does
}


@contextlib.contextmanager
def no_silent_transfers(op_name, device):
    """Fail when an op copies between host and device (beyond what ALLOWED_TRANSFERS grants it)."""
    if device != FAKE:
        yield
        return
    with _fakecupy.count_transfers() as n:
        yield
    to_host, to_device = ALLOWED_TRANSFERS.get(op_name, (0, 0))
    assert n["to_host"] <= to_host, f"{op_name}: {n['to_host']} device-to-host copies (a hidden host round trip?)"
    assert n["to_device"] <= to_device, f"{op_name}: {n['to_device']} host-to-device copies inside the op"


# ---- helpers -------------------------------------------------------------------------------------
def _on(device, args, requires_grad=False) -> list:
    """The sample's arguments as tensors on ``device`` (NumPy arrays become tensors, the rest passes through)."""
    out = []
    for value, diff in args:
        if not isinstance(value, np.ndarray):
            out.append(value)
            continue
        t = minitorch.tensor(value, device=device)
        if requires_grad and diff and t.dtype.is_floating_point:
            t.requires_grad_(True)
        out.append(t)
    return out


def assert_on_device(t, device, what="output") -> None:
    """``t`` lives on ``device`` and its array is that device's array type (no silent copy to the host)."""
    assert t.device == minitorch.device(device), f"{what} is on {t.device}, expected {device}"
    assert type(t._data) is array_type(device), f"{what} holds a {type(t._data).__name__}, not the device's array"


def _host(t) -> np.ndarray:
    return t.detach().cpu().numpy()


# ---- every op, forward and backward ----------------------------------------------------------------
@pytest.mark.parametrize("op,i", CASES)
def test_op_forward_matches_cpu(op, i, gpu_device):
    sample = op.samples[i]
    for dtype in op.dtypes:
        args = make_args(op, sample, dtype, _rng(op.name, i, dtype))
        want = _outputs(op.fn(minitorch, *_on("cpu", args), **sample.kwargs))
        for fn in (op.fn,) + tuple(op.variants):
            xs = _on(gpu_device, args)
            with no_silent_transfers(op.name, gpu_device):
                got = _outputs(fn(minitorch, *xs, **sample.kwargs))
            where = f"{op.name} sample {i} {dtype} on {gpu_device}"
            assert len(got) == len(want), where
            for k, (g, w) in enumerate(zip(got, want)):
                assert_on_device(g, gpu_device, f"{where} output {k}")
                assert g.dtype is w.dtype, f"{where} output {k}: dtype {g.dtype} != cpu {w.dtype}"
                _assert_close(_host(g), _host(w), dtype, op, f"{where} output {k}")


@pytest.mark.parametrize("op,i", GRAD_CASES)
def test_op_backward_matches_cpu(op, i, gpu_device):
    sample = op.samples[i]
    args = make_args(op, sample, "float64", _rng(op.name, i, "grad"))
    grads = {}
    for device in ("cpu", gpu_device):
        xs = _on(device, args, requires_grad=True)
        diff = [x for x in xs if isinstance(x, minitorch.Tensor) and x.requires_grad]
        outs = [o for o in _outputs(op.fn(minitorch, *xs, **sample.kwargs)) if o.requires_grad]
        if not diff or not outs:
            pytest.skip("no differentiable input or output")
        rng = _rng(op.name, i, "v")
        vs = [minitorch.tensor(rng.standard_normal(tuple(o.shape)), device=device) for o in outs]
        with no_silent_transfers(op.name, device):
            gs = minitorch.autograd.grad(outs, diff, vs, allow_unused=True)
        for k, g in enumerate(gs):
            if g is not None:
                assert_on_device(g, device, f"{op.name} gradient of input {k}")
        grads[device] = [None if g is None else _host(g) for g in gs]
    for k, (g, w) in enumerate(zip(grads[gpu_device], grads["cpu"])):
        assert (g is None) == (w is None), f"{op.name}: gradient {k} is None on one device only"
        if g is not None:
            _assert_close(g, w, "float64", op, f"{op.name} sample {i}: gradient of input {k} on {gpu_device}")


@pytest.mark.parametrize("op,i", [c for c in GRAD_CASES if c.values[0].gradgrad][::7])
def test_op_double_backward_stays_on_device(op, i, gpu_device):
    """create_graph=True: the backward rules themselves run as ops on the device."""
    sample = op.samples[i]
    args = make_args(op, sample, "float64", _rng(op.name, i, "grad"))
    xs = _on(gpu_device, args, requires_grad=True)
    diff = [x for x in xs if isinstance(x, minitorch.Tensor) and x.requires_grad]
    outs = [o for o in _outputs(op.fn(minitorch, *xs, **sample.kwargs)) if o.requires_grad]
    if not diff or not outs:
        pytest.skip("no differentiable input or output")
    gs = minitorch.autograd.grad([(o * o).sum() for o in outs], diff, create_graph=True, allow_unused=True)
    gs = [g for g in gs if g is not None and g.requires_grad]
    if not gs:
        pytest.skip("the gradient does not depend on the inputs")
    hs = minitorch.autograd.grad(sum(g.sum() for g in gs), diff, allow_unused=True)
    for h in hs:
        if h is not None:
            assert_on_device(h, gpu_device, f"{op.name} second-order gradient")


# ---- layers: the same module on the CPU and on the device ----------------------------------------------
def _run(module, inputs, device, target=None, loss_fn=None):
    """Forward + backward of ``module`` on ``device``; the output, input grads and parameter grads on the host."""
    m = copy.deepcopy(module).to(device)
    xs = [minitorch.tensor(a, device=device, requires_grad=a.dtype.kind == "f") for a in inputs]
    out = m(*xs)
    out = out[0] if isinstance(out, tuple) else out
    assert_on_device(out, device, type(module).__name__)
    loss = (out * out).sum() if loss_fn is None else loss_fn(out, minitorch.tensor(target, device=device))
    assert_on_device(loss, device, "loss")
    loss.backward()
    for name, p in m.named_parameters():
        assert_on_device(p.grad, device, f"{type(module).__name__}.{name}.grad")
    for name, b in m.named_buffers():
        assert_on_device(b, device, f"{type(module).__name__} buffer {name}")
    grads = [_host(x.grad) for x in xs if x.requires_grad] + [_host(p.grad) for p in m.parameters()]
    return [_host(out), _host(loss)] + grads + [_host(b) for b in m.buffers()]


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


LAYERS = {
    "linear": lambda: (nn.Linear(4, 3), [_rand(2, 4)]),
    "conv2d": lambda: (nn.Conv2d(2, 3, 3, padding=1, stride=2), [_rand(2, 2, 5, 5)]),
    "conv2d_groups_dilation": lambda: (nn.Conv2d(4, 4, 3, groups=2, dilation=2), [_rand(1, 4, 6, 6)]),
    "conv_transpose2d": lambda: (nn.ConvTranspose2d(2, 3, 3, stride=2), [_rand(1, 2, 3, 3)]),
    "conv1d": lambda: (nn.Conv1d(2, 3, 3), [_rand(2, 2, 6)]),
    "batchnorm2d": lambda: (nn.BatchNorm2d(3), [_rand(4, 3, 2, 2)]),
    "batchnorm1d_eval": lambda: (nn.BatchNorm1d(3).eval(), [_rand(4, 3)]),
    "layernorm": lambda: (nn.LayerNorm(4), [_rand(2, 3, 4)]),
    "maxpool2d": lambda: (nn.MaxPool2d(2), [_rand(1, 2, 4, 4)]),
    "avgpool2d": lambda: (nn.AvgPool2d(2, padding=1), [_rand(1, 2, 4, 4)]),
    "adaptive_avgpool2d": lambda: (nn.AdaptiveAvgPool2d((2, 3)), [_rand(1, 2, 5, 7)]),
    "lstm": lambda: (nn.LSTM(3, 4, num_layers=2, batch_first=True), [_rand(2, 5, 3)]),
    "gru": lambda: (nn.GRU(3, 4), [_rand(5, 2, 3)]),
    "rnn": lambda: (nn.RNN(3, 4, bidirectional=True), [_rand(5, 2, 3)]),
    "embedding": lambda: (nn.Embedding(5, 3, padding_idx=0), [np.array([[0, 2, 2], [4, 1, 0]])]),
    "mlp": lambda: (nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.Dropout(0.0), nn.Linear(8, 2), nn.Softmax(-1)),
                    [_rand(3, 4)]),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_matches_cpu(name, gpu_device):
    minitorch.manual_seed(0)
    module, inputs = LAYERS[name]()
    module = module.double()
    want = _run(module, inputs, "cpu")
    got = _run(module, inputs, gpu_device)
    for k, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12, err_msg=f"{name}: result {k}")


LOSSES = {
    "cross_entropy": (nn.CrossEntropyLoss(), _rand(4, 5), np.array([0, 4, 2, 2])),
    "cross_entropy_options": (nn.CrossEntropyLoss(weight=None, ignore_index=2, label_smoothing=0.1), _rand(4, 5),
                              np.array([0, 4, 2, 1])),
    "cross_entropy_probs": (nn.CrossEntropyLoss(), _rand(3, 4), np.full((3, 4), 0.25)),
    "nll": (nn.NLLLoss(reduction="sum"), _rand(4, 3), np.array([0, 1, 2, 1])),
    "mse": (nn.MSELoss(), _rand(3, 4), _rand(3, 4, seed=1)),
    "l1": (nn.L1Loss(reduction="none"), _rand(3, 4), _rand(3, 4, seed=1)),
    "smooth_l1": (nn.SmoothL1Loss(), _rand(3, 4), _rand(3, 4, seed=1)),
    "bce_with_logits": (nn.BCEWithLogitsLoss(), _rand(3, 4), (_rand(3, 4, seed=1) > 0).astype(float)),
}


@pytest.mark.parametrize("name", list(LOSSES))
def test_loss_matches_cpu(name, gpu_device):
    loss_fn, x, target = LOSSES[name]
    results = {}
    for device in ("cpu", gpu_device):
        xt = minitorch.tensor(x, device=device, requires_grad=True)
        loss = loss_fn(xt, minitorch.tensor(target, device=device))
        assert_on_device(loss, device, name)
        loss.sum().backward()
        assert_on_device(xt.grad, device, f"{name} input grad")
        results[device] = (_host(loss), _host(xt.grad))
    for g, w in zip(results[gpu_device], results["cpu"]):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12, err_msg=name)


def test_bce_and_functional_ops_on_device(gpu_device):
    p = minitorch.tensor(np.array([[0.2, 0.7], [0.9, 0.4]]), device=gpu_device, requires_grad=True)
    y = minitorch.tensor(np.array([[0.0, 1.0], [1.0, 0.0]]), device=gpu_device)
    loss = F.binary_cross_entropy(p, y) + F.one_hot(minitorch.tensor([1, 0], device=gpu_device), 3).sum()
    loss.backward()
    assert_on_device(loss, gpu_device)
    assert_on_device(p.grad, gpu_device, "grad")
    want = -np.mean([np.log(0.8), np.log(0.7), np.log(0.9), np.log(0.6)]) + 2
    np.testing.assert_allclose(loss.item(), want)
    padded = F.pad(p, (1, 1), value=-1.0)
    assert_on_device(padded, gpu_device, "pad")
    assert padded.tolist()[0] == [-1.0, 0.2, 0.7, -1.0]


# ---- a training step -------------------------------------------------------------------------------
@pytest.mark.parametrize("opt", ["sgd", "adam", "adamw", "rmsprop", "adagrad"])
def test_optimizer_step_matches_cpu(opt, gpu_device):
    make = {"sgd": lambda ps: minitorch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
            "adam": lambda ps: minitorch.optim.Adam(ps, lr=0.01, amsgrad=True),
            "adamw": lambda ps: minitorch.optim.AdamW(ps, lr=0.01),
            "rmsprop": lambda ps: minitorch.optim.RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
            "adagrad": lambda ps: minitorch.optim.Adagrad(ps, lr=0.1)}[opt]
    minitorch.manual_seed(0)
    base = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).double()
    x, y = _rand(5, 3), _rand(5, 1, seed=1)
    params = {}
    for device in ("cpu", gpu_device):
        model = copy.deepcopy(base).to(device)
        optimizer = make(model.parameters())
        for _ in range(3):
            optimizer.zero_grad()
            loss = F.mse_loss(model(minitorch.tensor(x, device=device)), minitorch.tensor(y, device=device))
            loss.backward()
            optimizer.step()
        for state in optimizer.state.values():
            for key, value in state.items():
                if isinstance(value, minitorch.Tensor) and value.ndim > 0:
                    assert_on_device(value, device, f"{opt} state {key}")
        params[device] = [_host(p) for p in model.parameters()]
    for g, w in zip(params[gpu_device], params["cpu"]):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


def test_dataloader_batch_to_device(gpu_device):
    from minitorch.utils.data import DataLoader, TensorDataset

    xs = minitorch.tensor(_rand(10, 3))
    ys = minitorch.arange(10)
    loader = DataLoader(TensorDataset(xs, ys), batch_size=4, shuffle=False)
    model = nn.Linear(3, 2).double().to(gpu_device)
    seen = []
    for xb, yb in loader:
        xb, yb = xb.to(gpu_device, non_blocking=True), yb.to(gpu_device)
        assert_on_device(xb, gpu_device, "batch")
        loss = F.cross_entropy(model(xb), yb % 2)
        loss.backward()
        seen.append(yb.cpu())
    assert minitorch.cat(seen).tolist() == list(range(10))
    assert_on_device(model.weight.grad, gpu_device, "weight grad")


def test_gpu_devices_include_the_stand_in():
    assert "fakecuda" in GPU_DEVICES
