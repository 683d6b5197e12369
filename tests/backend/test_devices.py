"""Devices as PyTorch has them, tested on the CuPy stand-in ("fakecuda", see tests/conftest.py).

``device=`` on every factory, ``Tensor.to/cpu/cuda``, ``Module.to`` moving
parameters in place, optimizer state on the parameter's device,
``load(map_location=...)``, PyTorch's error when an op mixes devices, and
``DataLoader(pin_memory=True)``.
"""

from __future__ import annotations

import _fakecupy
import numpy as np
import pytest
from conftest import FAKE, array_type

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.utils.data import DataLoader, TensorDataset

MIXED = r"Expected all tensors to be on the same device, but found at least two devices, fakecuda:0 and cpu!"


def on(t, device) -> bool:
    return t.device == minitorch.device(device) and type(t._data) is array_type(device)


# ---- devices ----------------------------------------------------------------------------------------
def test_device_objects():
    d = minitorch.device(FAKE)
    assert d.index is None and str(d) == FAKE and d == minitorch.device(f"{FAKE}:0")
    assert minitorch.device("cuda", 1).index == 1 and repr(minitorch.device("cuda:1")) == "device(type='cuda', index=1)"
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda"):
        minitorch.device("tpu")


def test_a_tensor_is_on_a_numbered_device():
    """As in PyTorch, a tensor made on "cuda" is on cuda:0 (the error messages name it so)."""
    t = minitorch.zeros(2, device=FAKE)
    assert t.device.index == 0 and str(t.device) == f"{FAKE}:0"
    assert minitorch.zeros(2).device.index is None


def test_cuda_without_gpu_is_reported():
    if minitorch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    assert minitorch.cuda.device_count() == 0
    minitorch.cuda.synchronize()  # a no-op without CUDA
    minitorch.cuda.manual_seed(0)
    with pytest.raises(RuntimeError, match="CUDA is not available"):
        minitorch.zeros(2, device="cuda")
    with pytest.raises(RuntimeError, match="CUDA is not available"):
        minitorch.ones(2).cuda()


def test_cuda_manual_seed_gives_the_same_numbers_on_every_device(device):
    minitorch.cuda.manual_seed(3)
    a = minitorch.randn(4, device=device)
    minitorch.manual_seed(3)
    b = minitorch.randn(4)
    np.testing.assert_array_equal(a.cpu().numpy(), b.numpy())


def test_cupy_backend_interface():
    """Every method of CupyBackend, on the stand-in: the only lines it skips are the real CuPy calls."""
    backend = minitorch.device(FAKE).backend
    host = np.array([1.0, 2.0])
    dev = backend.from_host(host)
    assert backend.is_array(dev) and not backend.is_array(host)
    host[0] = 9.0  # a host-to-device copy does not share memory
    assert backend.to_host(dev).tolist() == [1.0, 2.0] and type(backend.to_host(dev)) is np.ndarray
    assert backend.asarray([1, 2], dtype=np.float32).dtype == np.float32
    out = backend.asarray(np.zeros(3))
    backend.index_add(out, backend.asarray(np.array([0, 2, 0])), backend.asarray(np.array([1.0, 2.0, 3.0])))
    assert backend.to_host(out).tolist() == [4.0, 0.0, 2.0]  # repeated index 0 accumulates
    assert backend.pin_memory(host) is not host and backend.pin_memory(host).tolist() == host.tolist()
    backend.synchronize()
    minitorch.cuda.synchronize(FAKE)


# ---- factories -----------------------------------------------------------------------------------------
FACTORIES = {
    "tensor": lambda d: minitorch.tensor([[1.0, 2.0]], device=d),
    "as_tensor": lambda d: minitorch.as_tensor(np.ones(3), device=d),
    "zeros": lambda d: minitorch.zeros(2, 3, device=d),
    "ones": lambda d: minitorch.ones((2,), dtype=minitorch.int64, device=d),
    "empty": lambda d: minitorch.empty(2, device=d),
    "full": lambda d: minitorch.full((2, 2), 7, device=d),
    "arange": lambda d: minitorch.arange(0, 5, 2, device=d),
    "linspace": lambda d: minitorch.linspace(0, 1, 5, device=d),
    "logspace": lambda d: minitorch.logspace(0, 2, 3, device=d),
    "eye": lambda d: minitorch.eye(3, 2, device=d),
    "rand": lambda d: minitorch.rand(2, 3, device=d),
    "randn": lambda d: minitorch.randn(2, device=d, requires_grad=True),
    "randint": lambda d: minitorch.randint(0, 5, (4,), device=d),
    "randperm": lambda d: minitorch.randperm(5, device=d),
    "normal": lambda d: minitorch.normal(0.0, 1.0, (3,), device=d),
    "tril_indices": lambda d: minitorch.tril_indices(3, 3, device=d),
    "zeros_like": lambda d: minitorch.zeros_like(minitorch.ones(2), device=d),
    "ones_like": lambda d: minitorch.ones_like(minitorch.ones(2), device=d),
    "full_like": lambda d: minitorch.full_like(minitorch.ones(2), 3.0, device=d),
    "empty_like": lambda d: minitorch.empty_like(minitorch.ones(2), device=d),
    "rand_like": lambda d: minitorch.rand_like(minitorch.ones(2), device=d),
    "randn_like": lambda d: minitorch.randn_like(minitorch.ones(2), device=d),
    "randint_like": lambda d: minitorch.randint_like(minitorch.ones(2), 5, device=d),
}


@pytest.mark.parametrize("name", list(FACTORIES))
def test_factory_device(name, device):
    minitorch.manual_seed(0)
    got = FACTORIES[name](device)
    minitorch.manual_seed(0)
    want = FACTORIES[name]("cpu")
    assert on(got, device), f"{name}(device={device!r}) is on {got.device} ({type(got._data).__name__})"
    assert got.dtype is want.dtype and got.shape == want.shape
    if name not in ("empty", "empty_like"):
        np.testing.assert_array_equal(got.detach().cpu().numpy(), want.detach().numpy())  # same seed, same numbers


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "full_like", "rand_like", "randn_like", "empty_like"])
def test_like_factories_follow_their_input(name):
    x = minitorch.ones(2, 2, device=FAKE)
    args = (x, 1.0) if name == "full_like" else (x,)
    assert on(getattr(minitorch, name)(*args), FAKE)
    assert on(x.new_zeros((3,)), FAKE) and on(x.new_ones(1), FAKE) and on(x.new_full((2,), 1.0), FAKE)
    assert on(x.new_tensor([1, 2]), FAKE)


# ---- Tensor.to / cpu / cuda -------------------------------------------------------------------------------
def test_to_device_copies_and_comes_back():
    x = minitorch.tensor([1.0, 2.0, 3.0])
    y = x.to(FAKE)
    assert on(y, FAKE) and not on(x, FAKE)
    assert y.to(FAKE) is y and y.to(minitorch.device(FAKE, 0)) is y  # nothing to do: the same tensor
    y.add_(1.0)  # separate memory: the CPU tensor does not change
    assert x.tolist() == [1.0, 2.0, 3.0] and y.tolist() == [2.0, 3.0, 4.0]
    z = y.cpu()
    assert on(z, "cpu") and z.tolist() == [2.0, 3.0, 4.0]
    assert x.cpu() is x


def test_to_forms():
    x = minitorch.arange(3)
    assert on(x.to(FAKE, minitorch.float64), FAKE) and x.to(FAKE, minitorch.float64).dtype is minitorch.float64
    assert x.to(device=FAKE, dtype=minitorch.float32).dtype is minitorch.float32
    assert on(x.to(FAKE, non_blocking=True), FAKE)
    assert on(x.to(minitorch.zeros(1, device=FAKE)), FAKE)  # to(other): other's device and dtype
    assert x.to(minitorch.zeros(1, device=FAKE)).dtype is minitorch.float32
    assert on(x.to(FAKE).to("cpu", copy=True), "cpu")
    with pytest.raises(TypeError, match="can't convert fakecuda:0 device type tensor to numpy"):
        x.to(FAKE).numpy()
    assert x.to(FAKE).is_cuda is False  # a fake GPU is not CUDA


def test_to_is_differentiable_across_devices():
    x = minitorch.tensor([1.0, -2.0], requires_grad=True)
    y = x.to(FAKE)
    assert y.grad_fn is not None and y.requires_grad
    (y * y).sum().backward()
    assert on(x.grad, "cpu") and x.grad.tolist() == [2.0, -4.0]
    w = minitorch.tensor([3.0], device=FAKE, requires_grad=True)
    (w.cpu() * 2).sum().backward()
    assert on(w.grad, FAKE) and w.grad.tolist() == [2.0]


def test_transfers_happen_only_where_the_api_says():
    x = minitorch.tensor([[1.5, 2.0]], device=FAKE)
    with _fakecupy.count_transfers() as n:
        y = (x * 2 + 1).exp().sum(1)
    assert n == {"to_device": 0, "to_host": 0}
    with _fakecupy.count_transfers() as n:
        assert y.cpu().shape == (1,)
        assert isinstance(y.sum().item(), float)
        assert len(y.tolist()) == 1
        assert "device='fakecuda:0'" in repr(y)
    assert n["to_host"] == 4 and n["to_device"] == 0


def test_repr_names_the_device():
    assert repr(minitorch.tensor([1.0, 2.0], device=FAKE)) == "tensor([1., 2.], device='fakecuda:0')"


# ---- nn.Module.to ------------------------------------------------------------------------------------------
def _model():
    minitorch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 1))


def test_module_to_moves_parameters_and_buffers_in_place():
    model = _model()
    params = list(model.parameters())
    before = [p.detach().numpy().copy() for p in params]
    assert model.to(FAKE) is model
    assert all(p is q for p, q in zip(params, model.parameters())), "Module.to must keep the Parameter objects"
    for p, b in zip(params, before):
        assert on(p, FAKE) and isinstance(p, nn.Parameter) and p.requires_grad and p.is_leaf
        np.testing.assert_array_equal(p.detach().cpu().numpy(), b)
    for name, b in model.named_buffers():
        assert on(b, FAKE), name
    assert model[1].num_batches_tracked.dtype is minitorch.int64
    model.cpu()
    assert all(on(p, "cpu") for p in model.parameters()) and all(on(b, "cpu") for b in model.buffers())


def test_optimizer_built_before_module_to_keeps_working():
    model = _model()
    opt = minitorch.optim.Adam(model.parameters(), lr=0.1)  # built while the parameters are on the CPU
    model.to(FAKE)
    x = minitorch.randn(2, 1, 4, 4, device=FAKE)
    before = model[3].weight.detach().cpu().numpy().copy()
    model(x).sum().backward()
    opt.step()
    assert not np.allclose(model[3].weight.detach().cpu().numpy(), before), "the step did not reach the moved weight"
    for p in model.parameters():
        state = opt.state[p]
        assert on(state["exp_avg"], FAKE) and on(state["exp_avg_sq"], FAKE)


def test_module_to_moves_gradients_too():
    lin = nn.Linear(2, 1)
    lin(minitorch.ones(1, 2)).sum().backward()
    lin.to(FAKE)
    assert on(lin.weight.grad, FAKE) and on(lin.bias.grad, FAKE)


def test_optimizer_state_dict_round_trip_on_device():
    lin = nn.Linear(2, 1).to(FAKE)
    opt = minitorch.optim.SGD(lin.parameters(), lr=0.1, momentum=0.9)
    lin(minitorch.ones(3, 2, device=FAKE)).sum().backward()
    opt.step()
    opt2 = minitorch.optim.SGD(lin.parameters(), lr=0.1, momentum=0.9)
    opt2.load_state_dict(opt.state_dict())
    assert on(opt2.state[lin.weight]["momentum_buffer"], FAKE)
    opt2.step()


# ---- save / load with map_location ---------------------------------------------------------------------------
def test_load_map_location(tmp_path):
    path = tmp_path / "model.pt"
    model = nn.Linear(3, 2)
    minitorch.save(model.state_dict(), path)
    for where in (FAKE, minitorch.device(FAKE), {"cpu": FAKE}, lambda t, loc: t.to(FAKE)):
        state = minitorch.load(path, map_location=where)
        assert all(on(v, FAKE) for v in state.values()), where
        np.testing.assert_array_equal(state["weight"].cpu().numpy(), model.weight.detach().numpy())
    assert all(on(v, "cpu") for v in minitorch.load(path).values())


def test_save_from_device_and_load_back(tmp_path):
    path = tmp_path / "t.pt"
    t = minitorch.tensor([1.0, 2.0], device=FAKE)
    minitorch.save({"t": t}, path)
    assert on(minitorch.load(path)["t"], FAKE)  # back where it was saved from
    assert on(minitorch.load(path, map_location="cpu")["t"], "cpu")
    assert on(minitorch.load(path, map_location={f"{FAKE}:0": "cpu"})["t"], "cpu")
    if not minitorch.cuda.is_available():
        with pytest.raises(RuntimeError, match=r"minitorch.cuda.is_available\(\) is False"):
            minitorch.load(path, map_location="cuda")


def test_load_state_dict_copies_onto_the_module_device():
    model = nn.Linear(2, 2).to(FAKE)
    model.load_state_dict(nn.Linear(2, 2).state_dict())  # CPU tensors into a module on the device
    assert on(model.weight, FAKE)


# ---- mixing devices fails as in PyTorch ----------------------------------------------------------------------
def _pairs():
    a = minitorch.ones(2, 2, device=FAKE)
    b = minitorch.ones(2, 2)
    return a, b


MIXES = {
    "add": lambda a, b: a + b,
    "radd": lambda a, b: b + a,
    "mul": lambda a, b: a * b,
    "sub_": lambda a, b: a.sub_(b),
    "maximum": lambda a, b: minitorch.maximum(a, b),
    "pow": lambda a, b: a ** b,
    "eq": lambda a, b: a == b,
    "matmul": lambda a, b: a @ b,
    "mm": lambda a, b: minitorch.mm(b, a),
    "bmm": lambda a, b: minitorch.bmm(a[None], b[None]),
    "einsum": lambda a, b: minitorch.einsum("ij,jk->ik", a, b),
    "cat": lambda a, b: minitorch.cat([a, b]),
    "stack": lambda a, b: minitorch.stack([b, a]),
    "where": lambda a, b: minitorch.where(a > 0, a, b),
    "where_cond": lambda a, b: minitorch.where(b > 0, a, a),
    "masked_fill": lambda a, b: a.masked_fill(b > 0, 0.0),
    "gather": lambda a, b: a.gather(1, b.long()),
    "scatter_add": lambda a, b: a.scatter_add(1, b.long() * 0, a),
    "index_select": lambda a, b: a.index_select(0, b[0].long()),
    "mse_loss": lambda a, b: F.mse_loss(a, b),
    "cross_entropy": lambda a, b: F.cross_entropy(a, b[0].long()),
    "nll_loss": lambda a, b: F.nll_loss(a, b[0].long()),
    "bce_with_logits": lambda a, b: F.binary_cross_entropy_with_logits(a, b),
    "linear": lambda a, b: F.linear(a, b),
    "conv2d": lambda a, b: F.conv2d(a[None, None], b[None, None]),
    "lerp": lambda a, b: minitorch.lerp(a, b, 0.5),
    "clamp": lambda a, b: a.clamp(min=b),
}


@pytest.mark.parametrize("fn", [pytest.param(fn, id=name) for name, fn in MIXES.items()])
def test_mixing_devices_raises(fn):
    a, b = _pairs()
    with pytest.raises(RuntimeError, match=MIXED):
        fn(a, b)


def test_copy_across_devices_is_allowed():
    a, b = _pairs()
    b.copy_(a * 3)
    assert on(b, "cpu") and b.tolist() == [[3.0, 3.0], [3.0, 3.0]]
    a.copy_(b + 1)
    assert on(a, FAKE) and a.tolist() == [[4.0, 4.0], [4.0, 4.0]]


def test_two_devices_of_the_same_type_do_not_mix():
    a = minitorch.ones(2, device=f"{FAKE}:0")
    b = minitorch.ones(2, device=f"{FAKE}:1")
    with pytest.raises(RuntimeError, match="fakecuda:1 and fakecuda:0"):
        a + b


def test_index_with_a_tensor_on_another_device():
    """As PyTorch: CPU indices work on a device tensor; device indices on a CPU tensor raise."""
    x = minitorch.arange(6.0).reshape(2, 3)
    xd = x.to(FAKE)
    got = xd[minitorch.tensor([1, 0])]
    assert on(got, FAKE) and got.tolist() == [[3.0, 4.0, 5.0], [0.0, 1.0, 2.0]]
    assert xd[minitorch.tensor(1)].tolist() == [3.0, 4.0, 5.0]
    with pytest.raises(RuntimeError, match=r"indices should be either on cpu or on the same device as the indexed "
                                           r"tensor \(cpu\)"):
        x[minitorch.tensor([1], device=FAKE)]


def test_python_scalars_mix_with_any_device():
    a = minitorch.ones(2, device=FAKE)
    assert on(a * 2.5, FAKE) and on(3 - a, FAKE) and (a / 4).tolist() == [0.25, 0.25]


# ---- DataLoader(pin_memory=True) ----------------------------------------------------------------------------
def test_pin_memory_without_gpu_is_a_no_op():
    if minitorch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    ds = TensorDataset(minitorch.arange(6.0).reshape(3, 2), minitorch.arange(3))
    with pytest.warns(UserWarning, match="no accelerator is found"):
        batches = list(DataLoader(ds, batch_size=2, pin_memory=True))
    assert [b[1].tolist() for b in batches] == [[0, 1], [2]]


def test_pin_memory_uses_the_backend_allocator():
    """With a GPU backend the batch's CPU tensors are copied into pinned buffers (``cupyx.empty_pinned``)."""
    _fakecupy.pinned_buffers.clear()
    ds = TensorDataset(minitorch.arange(6.0).reshape(3, 2), minitorch.arange(3))
    loader = DataLoader(ds, batch_size=2, pin_memory=True, pin_memory_device=FAKE)
    (x, y), _ = list(loader)
    assert on(x, "cpu") and on(y, "cpu")
    assert any(x._data is buf for buf in _fakecupy.pinned_buffers) and len(_fakecupy.pinned_buffers) == 4
    assert x.tolist() == [[0.0, 1.0], [2.0, 3.0]]
    assert on(x.to(FAKE, non_blocking=True), FAKE)


def test_non_blocking_reaches_the_backend(monkeypatch):
    """``to(device, non_blocking=True)`` asks the backend for an asynchronous copy (a stream copy on CuPy)."""
    backend = minitorch.device(FAKE).backend
    seen = []
    real = backend.from_host

    def spy(arr, copy=False, non_blocking=False):
        seen.append(non_blocking)
        return real(arr, copy=copy, non_blocking=non_blocking)

    monkeypatch.setattr(backend, "from_host", spy)
    x = minitorch.arange(6.0).reshape(2, 3)
    y = x.to(FAKE, non_blocking=True)
    z = x.to(FAKE)
    assert seen == [True, False]
    assert minitorch.equal(y.cpu(), x) and minitorch.equal(z.cpu(), x)


def test_a_cpu_scalar_tensor_combines_with_a_device_tensor():
    """As PyTorch: a 0-d CPU tensor acts like a Python number next to a tensor on another device;
    its gradient comes back to the CPU."""
    x = minitorch.tensor([1.0, 2.0], device=FAKE, requires_grad=True)
    s = minitorch.tensor(3.0, requires_grad=True)
    y = x * s + s - x / s
    assert on(y, FAKE) and on(s * x, FAKE) and on(x > s, FAKE)
    y.sum().backward()
    assert on(x.grad, FAKE) and on(s.grad, "cpu") and s.grad.shape == ()
    np.testing.assert_allclose(x.grad.cpu().numpy(), [3.0 - 1 / 3.0] * 2, rtol=1e-6)
    np.testing.assert_allclose(s.grad.numpy(), 3.0 + 2 + 3.0 / 9.0, rtol=1e-6)  # sum(x) + 2 + sum(x) / s^2
    with pytest.raises(RuntimeError, match=MIXED):
        x + minitorch.ones(1)  # a 1-element tensor that is not 0-d still mixes devices


def test_gradients_follow_a_module_moved_while_an_old_graph_is_alive():
    """As PyTorch: setting .data to another device/dtype/shape gives the leaf a new AccumulateGrad."""
    layer = nn.Linear(3, 2).double()
    out = layer(minitorch.ones(2, 3, dtype=minitorch.float64))
    out.sum().backward()
    layer.zero_grad()
    layer.to(FAKE)
    layer(minitorch.ones(2, 3, dtype=minitorch.float64, device=FAKE)).sum().backward()
    assert on(layer.weight.grad, FAKE) and on(layer.weight, FAKE)
    assert out is not None  # the old graph was alive the whole time
