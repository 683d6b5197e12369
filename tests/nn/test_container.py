"""Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict: behaviour, names, repr vs PyTorch."""

from collections import OrderedDict

import pytest

import minitorch
from minitorch import nn

from ._util import torch_or_skip, torch_repr


def test_sequential_indexing_slicing_and_mutation():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    s = nn.Sequential(a, b, c)
    assert len(s) == 3 and s[0] is a and s[-1] is c and list(s) == [a, b, c]
    sub = s[1:]
    assert isinstance(sub, nn.Sequential) and list(sub) == [b, c] and list(sub._modules) == ["1", "2"]
    with pytest.raises(IndexError, match="index 3 is out of range"):
        s[3]
    s.append(nn.Sigmoid())
    assert len(s) == 4 and tuple(s(minitorch.zeros(5, 2)).shape) == (5, 1)
    del s[1]
    assert list(s._modules) == ["0", "1", "2"] and s[1] is c
    s[0] = nn.Identity()
    assert isinstance(s[0], nn.Identity)
    s.insert(0, nn.Tanh())
    assert isinstance(s[0], nn.Tanh) and len(s) == 4
    named = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.ReLU())]))
    assert list(named.state_dict()) == ["fc.weight", "fc.bias"] and named.fc is named[0]


def test_module_list_and_dict():
    ml = nn.ModuleList([nn.Linear(2, 2)])
    ml.append(nn.ReLU())
    ml.extend([nn.Tanh()])
    ml += [nn.Sigmoid()]
    assert len(ml) == 4 and isinstance(ml[-1], nn.Sigmoid) and isinstance(ml[1:3], nn.ModuleList)
    assert len(list(ml.parameters())) == 2
    with pytest.raises(TypeError):
        ml.extend(nn.ReLU())
    md = nn.ModuleDict({"b": nn.Linear(1, 1), "a": nn.ReLU()})
    md["c"] = nn.Tanh()
    assert list(md.keys()) == ["b", "a", "c"] and "a" in md and len(md) == 3
    assert isinstance(md.pop("a"), nn.ReLU) and list(md) == ["b", "c"]
    md.update([("d", nn.Identity())])
    assert list(md.state_dict()) == ["b.weight", "b.bias"]


def test_parameter_list_and_dict():
    pl = nn.ParameterList([nn.Parameter(minitorch.zeros(2, 3)), minitorch.zeros(2)])
    assert len(pl) == 2 and all(isinstance(p, nn.Parameter) for p in pl)
    assert list(pl.state_dict()) == ["0", "1"]
    pl.append(minitorch.ones(1))
    assert len(list(pl.parameters())) == 3
    pd = nn.ParameterDict({"w": minitorch.zeros(2)})
    pd["b"] = nn.Parameter(minitorch.ones(1))
    assert list(pd.keys()) == ["w", "b"] and isinstance(pd["w"], nn.Parameter) and "b" in pd
    assert list(pd.state_dict()) == ["w", "b"]


def test_container_reprs_match_pytorch():
    torch = torch_or_skip()

    def make(ns, t):
        return [
            ns.Sequential(ns.Linear(4, 2), ns.ReLU(), ns.Sequential(ns.Linear(2, 2), ns.Tanh())),
            ns.ModuleList([ns.Linear(1, 1), ns.Linear(1, 1), ns.ReLU(), ns.Linear(1, 1)]),
            ns.ModuleDict({"a": ns.Linear(1, 1), "b": ns.ModuleList([ns.ReLU()])}),
            ns.ParameterList([ns.Parameter(t.zeros(2, 3)), ns.Parameter(t.zeros(2))]),
            ns.ParameterDict({"a": ns.Parameter(t.zeros(2, 3)), "b": ns.Parameter(t.zeros(1))}),
            ns.Sequential(), ns.ModuleList(),
        ]

    for m, t in zip(make(nn, minitorch), make(torch.nn, torch)):
        assert repr(m) == torch_repr(repr(t))
