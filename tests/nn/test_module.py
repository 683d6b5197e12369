"""nn.Module: registration, tree walks, state_dict names and loading, modes, moving, hooks, repr."""

import copy
from collections import OrderedDict

import numpy as np
import pytest

import minitorch
from minitorch import nn

from ._util import copy_weights, torch_or_skip, torch_repr


def build(ns):
    """The same nested model in minitorch (ns=minitorch.nn) or PyTorch (ns=torch.nn)."""
    class Net(ns.Module):
        def __init__(self):
            super().__init__()
            self.features = ns.Sequential(ns.Linear(4, 6), ns.BatchNorm1d(6), ns.ReLU())
            self.blocks = ns.ModuleList([ns.Linear(6, 6), ns.Linear(6, 6, bias=False)])
            self.heads = ns.ModuleDict({"cls": ns.Linear(6, 3), "reg": ns.Linear(6, 1)})
            self.scale = ns.Parameter(ns.init.ones_(ns.Linear(1, 1).weight.detach().clone().reshape(1)))
            self.register_buffer("steps", ns.Linear(1, 1).weight.detach().clone().reshape(1) * 0)
            self.register_buffer("scratch", ns.Linear(1, 1).weight.detach().clone().reshape(1), persistent=False)

        def forward(self, x):
            h = self.features(x)
            for b in self.blocks:
                h = b(h).relu()
            return self.heads["cls"](h) * self.scale, self.heads["reg"](h)

    return Net()


def test_names_and_order_match_pytorch():
    torch = torch_or_skip()
    m, t = build(nn), build(torch.nn)
    assert list(m.state_dict().keys()) == list(t.state_dict().keys())
    assert [n for n, _ in m.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert [n for n, _ in m.named_buffers()] == [n for n, _ in t.named_buffers()]
    assert [n for n, _ in m.named_modules()] == [n for n, _ in t.named_modules()]
    assert [n for n, _ in m.named_children()] == [n for n, _ in t.named_children()]
    assert "scratch" not in m.state_dict() and "features.1.num_batches_tracked" in m.state_dict()


def test_repr_matches_pytorch():
    torch = torch_or_skip()
    assert repr(build(nn)) == torch_repr(repr(build(torch.nn)))
    seq_t = torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.ReLU(), torch.nn.Dropout(0.2), torch.nn.Flatten())
    seq_m = nn.Sequential(nn.Linear(4, 2), nn.ReLU(), nn.Dropout(0.2), nn.Flatten())
    assert repr(seq_m) == repr(seq_t)
    assert repr(nn.ModuleList([nn.Linear(1, 1)] * 3 + [nn.ReLU()])) == repr(
        torch.nn.ModuleList([torch.nn.Linear(1, 1)] * 3 + [torch.nn.ReLU()]))
    assert repr(nn.Module()) == "Module()"


def test_load_state_dict_from_pytorch_numpy_and_forward_matches():
    torch = torch_or_skip()
    m, t = build(nn), build(torch.nn)
    copy_weights(m, t)
    m.eval()
    t.eval()
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    out_m = m(minitorch.tensor(x))
    out_t = t(torch.tensor(x))
    for a, b in zip(out_m, out_t):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), atol=1e-5)


def test_load_state_dict_errors_match_pytorch():
    torch = torch_or_skip()
    bad = {"weight": np.zeros((2, 3), np.float32), "extra": np.zeros(1, np.float32)}
    with pytest.raises(RuntimeError) as e_t:
        torch.nn.Linear(4, 2).load_state_dict({k: torch.tensor(v) for k, v in bad.items()})
    with pytest.raises(RuntimeError) as e_m:
        nn.Linear(4, 2).load_state_dict(bad)
    assert str(e_m.value) == torch_repr(str(e_t.value))


def test_load_state_dict_strict_false_returns_keys_and_copies_in_place():
    m = nn.Linear(3, 2)
    w = m.weight
    res = m.load_state_dict({"weight": np.ones((2, 3), np.float32), "junk.x": np.zeros(1)}, strict=False)
    assert res.missing_keys == ["bias"] and res.unexpected_keys == ["junk.x"]
    assert m.weight is w and np.all(w.detach().numpy() == 1) and w.requires_grad
    ok = m.load_state_dict(m.state_dict())
    assert repr(ok) == "<All keys matched successfully>"
    assert ok.missing_keys == [] and ok.unexpected_keys == []


def test_load_state_dict_casts_dtype_and_rejects_non_mapping():
    m = nn.Linear(2, 2)
    m.load_state_dict({"weight": np.eye(2), "bias": np.zeros(2)})  # float64 arrays into float32 params
    assert m.weight.dtype is minitorch.float32
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        m.load_state_dict([1, 2])


def test_state_dict_detaches_unless_keep_vars():
    m = nn.Linear(2, 2)
    sd = m.state_dict()
    assert isinstance(sd, OrderedDict)
    assert not sd["weight"].requires_grad and not isinstance(sd["weight"], nn.Parameter)
    assert np.shares_memory(sd["weight"].numpy(), m.weight.detach().numpy())
    assert m.state_dict(keep_vars=True)["weight"] is m.weight
    assert list(m.state_dict(prefix="net.").keys()) == ["net.weight", "net.bias"]


def test_registration_by_assignment_and_errors():
    m = nn.Module()
    m.w = nn.Parameter(minitorch.zeros(2))
    m.child = nn.Linear(1, 1)
    m.register_buffer("buf", minitorch.ones(1))
    m.plain = 3
    assert list(m._parameters) == ["w"] and list(m._modules) == ["child"] and list(m._buffers) == ["buf"]
    with pytest.raises(TypeError, match="cannot assign 'minitorch.FloatTensor' as parameter 'w'"):
        m.w = minitorch.zeros(2)
    m.w = None
    assert m.w is None and list(m.parameters()) == list(m.child.parameters())
    with pytest.raises(KeyError, match="attribute 'plain' already exists"):
        m.register_buffer("plain", None)
    with pytest.raises(KeyError):
        m.register_buffer("a.b", None)
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        m.add_module("x", 3)
    with pytest.raises(TypeError, match="cannot assign 'int' as child module"):
        m.child = 3
    with pytest.raises(AttributeError, match="'Module' object has no attribute 'nope'"):
        m.nope  # noqa: B018
    with pytest.raises(ValueError, match="Cannot assign non-leaf Tensor"):
        m.register_parameter("q", nn.Parameter(minitorch.zeros(1)) * 2 if False else _non_leaf_param())
    del m.child
    assert "child" not in m._modules
    assert "buf" in dir(m) and "w" in dir(m)


def _non_leaf_param():
    p = nn.Parameter(minitorch.zeros(1))
    q = p * 2
    q.__class__ = nn.Parameter
    return q


def test_attribute_errors_match_pytorch():
    torch = torch_or_skip()
    for fn in [lambda ns: ns.Linear(2, 2).foo, lambda ns: ns.Linear(2, 2).get_submodule("foo"),
               lambda ns: ns.Sequential(ns.Linear(2, 2)).get_parameter("0.foo"), lambda ns: ns.Module()(1)]:
        with pytest.raises(Exception) as e_t:
            fn(torch.nn)
        with pytest.raises(type(e_t.value)) as e_m:
            fn(nn)
        assert str(e_m.value) == str(e_t.value)


def test_shared_modules_and_parameters_are_listed_once():
    lin = nn.Linear(2, 2)
    seq = nn.Sequential(lin, nn.ReLU(), lin)
    assert len(list(seq.parameters())) == 2
    assert [n for n, _ in seq.named_modules()] == ["", "0", "1"]
    assert len(list(seq.named_modules(remove_duplicate=False))) == 4
    assert len(list(seq.named_parameters(remove_duplicate=False))) == 4
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert seq.get_parameter("2.bias") is lin.bias and seq.get_submodule("0") is lin


def test_train_eval_zero_grad_requires_grad_apply():
    m = nn.Sequential(nn.Linear(2, 2), nn.Dropout())
    assert m.training and m[1].training
    m.eval()
    assert not m.training and not m[1].training
    m.train()
    assert m[1].training
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        m.train("yes")
    m(minitorch.ones(3, 2)).sum().backward()
    assert m[0].weight.grad is not None
    m.zero_grad(set_to_none=False)
    assert np.all(m[0].weight.grad.numpy() == 0)
    m.zero_grad()
    assert m[0].weight.grad is None
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())
    seen = []
    m.apply(lambda mod: seen.append(type(mod).__name__))
    assert seen == ["Linear", "Dropout", "Sequential"]


def test_to_double_float_keep_parameter_identity():
    m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    params = list(m.parameters())
    m(minitorch.randn(4, 2)).sum().backward()
    m.double()
    assert [id(p) for p in m.parameters()] == [id(p) for p in params]
    assert all(p.dtype is minitorch.float64 for p in m.parameters())
    assert all(p.grad.dtype is minitorch.float64 for p in m.parameters())
    assert m[1].running_mean.dtype is minitorch.float64
    assert m[1].num_batches_tracked.dtype is minitorch.int64  # integer buffers keep their dtype
    m.to(minitorch.float32)
    assert params[0].dtype is minitorch.float32 and isinstance(params[0], nn.Parameter)
    assert m.to("cpu") is m and m.cpu() is m
    with pytest.raises(TypeError, match="only accepts floating point"):
        m.to(minitorch.int64)
    m.half()
    assert params[0].dtype is minitorch.float16
    m.float()
    out = m(minitorch.randn(4, 2))
    assert out.dtype is minitorch.float32


def test_forward_hooks_and_pre_hooks():
    m = nn.Linear(2, 2)
    calls = []
    h1 = m.register_forward_pre_hook(lambda mod, args: (args[0] * 0,))
    h2 = m.register_forward_hook(lambda mod, args, out: calls.append(out.shape) or out + 1)
    out = m(minitorch.ones(1, 2))
    np.testing.assert_allclose(out.detach().numpy(), m.bias.detach().numpy()[None] + 1, rtol=1e-6)
    assert calls == [minitorch.Size([1, 2])]
    h1.remove()
    h2.remove()
    out = m(minitorch.ones(1, 2))
    assert len(calls) == 1
    with m.register_forward_hook(lambda mod, args, kwargs, out: calls.append("kw"), with_kwargs=True):
        m(minitorch.ones(1, 2))
    m(minitorch.ones(1, 2))
    assert calls[-1] == "kw" and len(calls) == 2


def test_forward_not_implemented():
    with pytest.raises(NotImplementedError, match='Module \\[Module\\] is missing the required "forward"'):
        nn.Module()(1)


def test_parameter_basics():
    t = minitorch.zeros(2)
    p = nn.Parameter(t)
    assert isinstance(p, minitorch.Tensor) and p.requires_grad and p.is_leaf
    assert np.shares_memory(p.detach().numpy(), t.numpy())
    assert repr(p) == "Parameter containing:\ntensor([0., 0.], requires_grad=True)"
    assert not nn.Parameter(t, requires_grad=False).requires_grad
    assert nn.Parameter().shape == (0,)
    with pytest.raises(RuntimeError, match="floating point"):
        nn.Parameter(minitorch.tensor([1, 2]))
    q = copy.deepcopy(p)
    assert isinstance(q, nn.Parameter) and q.requires_grad and not np.shares_memory(q.detach().numpy(), t.numpy())
    assert type(p * 2) is minitorch.Tensor


def test_deepcopy_module_is_independent():
    m = nn.Linear(2, 2)
    c = copy.deepcopy(m)
    with minitorch.no_grad():
        c.weight.fill_(0)
    assert not np.all(m.weight.detach().numpy() == 0)
    assert isinstance(c.weight, nn.Parameter)


def test_buffer_class_registers_buffer():
    m = nn.Module()
    m.stats = nn.Buffer(minitorch.zeros(2))
    m.tmp = nn.Buffer(minitorch.zeros(1), persistent=False)
    assert list(m._buffers) == ["stats", "tmp"] and list(m.state_dict()) == ["stats"]
    m.stats = minitorch.ones(2)  # assigning a tensor to a buffer name replaces the buffer
    assert m._buffers["stats"].tolist() == [1.0, 1.0]
