"""Calls written with PyTorch's keyword names work the same on minitorch (``x.reshape(shape=...)``,
``torch.eq(input=..., other=...)``, ``arange(end=5)``, ...)."""

from __future__ import annotations

import pytest

import minitorch


def _x(lib):
    return lib.arange(12.0).reshape(3, 4)


CALLS = {
    "reshape_fn": lambda L: L.reshape(_x(L), shape=(4, 3)),
    "reshape_method": lambda L: _x(L).reshape(shape=(2, 6)),
    "view_size": lambda L: _x(L).view(size=(4, 3)),
    "permute_fn": lambda L: L.permute(_x(L), dims=(1, 0)),
    "permute_method": lambda L: _x(L).permute(dims=(1, 0)),
    "flip_fn": lambda L: L.flip(_x(L), dims=[0]),
    "flip_method": lambda L: _x(L).flip(dims=[1]),
    "expand_size": lambda L: _x(L)[:1].expand(size=(3, 4)),
    "repeat_repeats": lambda L: _x(L).repeat(repeats=(2, 1)),
    "sum_to_size": lambda L: _x(L).sum_to_size(size=(1, 4)),
    "new_zeros_size": lambda L: _x(L).new_zeros(size=(2,)),
    "broadcast_to_size": lambda L: L.broadcast_to(_x(L)[0], size=(2, 4)),
    "eq_keywords": lambda L: L.eq(input=_x(L), other=_x(L) * 0),
    "gt_method_other": lambda L: _x(L).gt(other=5.0),
    "isnan_input": lambda L: L.isnan(input=_x(L)),
    "arange_end": lambda L: L.arange(end=5),
    "arange_start_end": lambda L: L.arange(start=2, end=5),
    "randint_high_size": lambda L: L.randint(high=1, size=(2,)),
    "one_hot_input": lambda L: L.nn.functional.one_hot(input=L.tensor([0, 2]), num_classes=3),
    "polygamma_method_n": lambda L: L.tensor([1.5, 2.5], dtype=L.float64).polygamma(n=1),
    "round__decimals": lambda L: L.tensor([1.234, 5.678]).round_(decimals=1),
    "mse_weight_mean": lambda L: L.nn.functional.mse_loss(_x(L), L.zeros(3, 4), weight=_x(L) % 3),
    "l1_weight_mean": lambda L: L.nn.functional.l1_loss(_x(L), L.zeros(3, 4), weight=_x(L) % 3),
    "mse_weight_wrong_size": lambda L: L.nn.functional.mse_loss(_x(L), L.zeros(3, 4), weight=L.ones(4)),
    # NumPy's names, which PyTorch's argument parser accepts for dim/keepdim
    "sum_axis": lambda L: L.sum(_x(L), axis=0),
    "sum_method_axis_keepdims": lambda L: _x(L).sum(axis=1, keepdims=True),
    "mean_axis": lambda L: _x(L).mean(axis=0),
    "max_axis": lambda L: _x(L).max(axis=1)[0],
    "argmax_axis": lambda L: _x(L).argmax(axis=1),
    "cat_axis": lambda L: L.cat([_x(L), _x(L)], axis=1),
    "stack_axis": lambda L: L.stack([_x(L), _x(L)], axis=0),
    "softmax_axis": lambda L: _x(L).softmax(axis=0),
    "cumsum_axis": lambda L: _x(L).cumsum(axis=1),
    "var_keepdims": lambda L: _x(L).var(dim=0, keepdims=True),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_pytorch_keywords_are_accepted(name):
    torch = pytest.importorskip("torch")

    def outcome(lib):
        try:
            r = CALLS[name](lib)
        except Exception as e:  # noqa: BLE001 - the error is the outcome
            return type(e).__name__, str(e)
        return tuple(r.shape), str(r.dtype).split(".")[-1], [round(v, 5) for v in r.double().flatten().tolist()]

    assert outcome(minitorch) == outcome(torch)


def test_normalize_writes_into_out():
    out = minitorch.zeros(2, 2)
    result = minitorch.nn.functional.normalize(minitorch.ones(2, 2), out=out)
    assert result is out and abs(out[0, 0].item() - 0.5 ** 0.5) < 1e-6


def test_modules_can_keep_duplicates():
    lin = minitorch.nn.Linear(1, 1)
    seq = minitorch.nn.Sequential(lin, lin)
    assert len(list(seq.modules())) == 2 and len(list(seq.modules(remove_duplicate=False))) == 3


def test_a_size_given_twice_is_refused():
    with pytest.raises(TypeError, match="multiple values for argument 'shape'"):
        minitorch.ones(4).reshape(2, 2, shape=(4,))


def test_dim_and_its_numpy_alias_together_are_refused():
    with pytest.raises(TypeError, match="both 'dim' and its NumPy alias 'axis'"):
        minitorch.ones(2, 3).sum(dim=0, axis=0)
