"""nn.utils.rnn (PackedSequence, pack/pad helpers) and RNN/LSTM/GRU on packed input, against PyTorch:
values, batch_sizes and permutations, input/state/parameter gradients, and errors (type and message)."""

import itertools

import numpy as np
import pytest

import minitorch
from minitorch.nn.utils import rnn as R

from ._util import copy_weights, torch_or_skip


def _np(t):
    return np.asarray(t.detach().numpy() if hasattr(t, "detach") else t)


def _same(m, t, atol=1e-10):
    assert tuple(m.shape) == tuple(t.shape)
    assert str(m.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
    np.testing.assert_allclose(_np(m), _np(t), atol=atol, rtol=1e-7)


def _same_packed(pm, pt):
    _same(pm.data, pt.data)
    assert pm.batch_sizes.tolist() == pt.batch_sizes.tolist() and pm.batch_sizes.device.type == "cpu"
    for a, b in ((pm.sorted_indices, pt.sorted_indices), (pm.unsorted_indices, pt.unsorted_indices)):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.tolist() == b.tolist()


def _raises(torch, fm, ft):
    with pytest.raises(Exception) as et:
        ft(torch)
    with pytest.raises(type(et.value)) as em:
        fm(minitorch)
    assert str(em.value).replace("minitorch.", "torch.") == str(et.value)


# ---- pack / pad helpers ------------------------------------------------------------------------------------------

LENGTHS = [[4, 3, 1], [2, 4, 4, 1], [1], [3, 3]]


@pytest.mark.parametrize("lengths", LENGTHS)
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("as_tensor", [False, True])
def test_pack_pad_roundtrip_and_grads(lengths, batch_first, as_tensor):
    torch = torch_or_skip()
    sorted_ = lengths == sorted(lengths, reverse=True)
    T, B = max(lengths), len(lengths)
    x = np.random.default_rng(0).standard_normal((B, T, 2) if batch_first else (T, B, 2))
    results = []
    for lib in (minitorch, torch):
        xt = lib.tensor(x, requires_grad=True)
        lens = lib.tensor(lengths) if as_tensor else lengths
        p = lib.nn.utils.rnn.pack_padded_sequence(xt, lens, batch_first, enforce_sorted=sorted_)
        padded, out_lens = lib.nn.utils.rnn.pad_packed_sequence(p, batch_first, padding_value=-2.0,
                                                                total_length=T + 1)
        w = lib.tensor(np.random.default_rng(1).standard_normal(tuple(padded.shape)))
        (padded * w).sum().backward()
        results.append((p, padded, out_lens, xt.grad))
    (pm, padm, lm, gm), (pt, padt, lt, gt) = results
    _same_packed(pm, pt)
    _same(padm, padt)
    assert lm.tolist() == lt.tolist() and str(lm.dtype) == "minitorch.int64"
    _same(gm, gt)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_pad_sequence(batch_first, side):
    torch = torch_or_skip()
    rng = np.random.default_rng(2)
    arrays = [rng.standard_normal((n, 2, 3)) for n in (2, 5, 1)]
    outs = []
    for lib in (minitorch, torch):
        seqs = [lib.tensor(a, requires_grad=True) for a in arrays]
        out = lib.nn.utils.rnn.pad_sequence(seqs, batch_first=batch_first, padding_value=0.5, padding_side=side)
        (out * lib.tensor(rng.standard_normal(tuple(out.shape)) * 0 + 1.5)).sum().backward()
        outs.append((out, [s.grad for s in seqs]))
    _same(outs[0][0], outs[1][0])
    for a, b in zip(outs[0][1], outs[1][1]):
        _same(a, b)


def test_pad_sequence_dtypes_and_tensor_input():
    torch = torch_or_skip()
    for lib_fn in ((lambda L: [L.tensor([1, 2]), L.tensor([3.5, 4, 5])]),
                   (lambda L: L.arange(6.0).reshape(2, 3)),
                   (lambda L: [L.zeros(0, 2), L.zeros(0, 2)])):
        _same(R.pad_sequence(lib_fn(minitorch), padding_value=1.5),
              torch.nn.utils.rnn.pad_sequence(lib_fn(torch), padding_value=1.5))


def test_pack_sequence_unpack_unpad():
    torch = torch_or_skip()
    res = []
    for lib in (minitorch, torch):
        seqs = [lib.tensor([1, 2]), lib.tensor([3, 4, 5]), lib.tensor([6])]
        p = lib.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=False)
        padded = lib.nn.utils.rnn.pad_sequence(seqs)
        unp = lib.nn.utils.rnn.unpad_sequence(padded, lib.tensor([2, 3, 1]))  # transposes padded in place
        res.append((p, lib.nn.utils.rnn.unpack_sequence(p), unp, padded))
    _same_packed(res[0][0], res[1][0])
    for a, b in itertools.chain(zip(res[0][1], res[1][1]), zip(res[0][2], res[1][2])):
        _same(a, b)
    _same(res[0][3], res[1][3])


def test_unpad_sequence_grads():
    torch = torch_or_skip()
    x = np.random.default_rng(3).standard_normal((3, 2, 2))
    grads = []
    for lib in (minitorch, torch):
        xt = lib.tensor(x, requires_grad=True)
        parts = lib.nn.utils.rnn.unpad_sequence(xt * 1.0, lib.tensor([3, 1]))
        sum((p * (i + 2)).sum() for i, p in enumerate(parts)).backward()
        grads.append(xt.grad)
    _same(*grads)


def test_packed_sequence_class():
    torch = torch_or_skip()
    pm = R.pack_sequence([minitorch.tensor([1, 2]), minitorch.tensor([3, 4, 5])], enforce_sorted=False)
    pt = torch.nn.utils.rnn.pack_sequence([torch.tensor([1, 2]), torch.tensor([3, 4, 5])], enforce_sorted=False)
    assert pm._fields == pt._fields and len(pm) == 4 and not pm.is_cuda
    assert pm.to(minitorch.int64) is pm
    for name in ("float", "double", "int", "long", "short", "char", "byte", "half"):
        assert str(getattr(pm, name)().data.dtype).split(".")[-1] == str(getattr(pt, name)().data.dtype).split(".")[-1]
    _same_packed(pm.to(minitorch.float64), pt.to(torch.float64))
    assert repr(pm).startswith("PackedSequence(data=tensor([3, 1, 4, 2, 5]), batch_sizes=tensor([2, 2, 1]), "
                               "sorted_indices=tensor([1, 0]), unsorted_indices=tensor([1, 0]))")
    both = R.PackedSequence((pm.data, pm.batch_sizes))
    assert both.sorted_indices is None and both.data is pm.data
    assert R.PackedSequence(pm.data, pm.batch_sizes, minitorch.tensor([1, 0])).unsorted_indices.tolist() == [1, 0]
    assert R.invert_permutation(minitorch.tensor([2, 0, 3, 1])).tolist() == \
        torch.nn.utils.rnn.invert_permutation(torch.tensor([2, 0, 3, 1])).tolist()
    assert R.invert_permutation(None) is None
    assert isinstance(minitorch.nn.utils.rnn.pack_sequence, type(R.pack_sequence))


ERRORS = [
    lambda L: L.nn.utils.rnn.pack_padded_sequence(L.ones(4, 3, 2), [2, 3, 1]),
    lambda L: L.nn.utils.rnn.pack_padded_sequence(L.ones(4, 3, 2), [3, 2, 0]),
    lambda L: L.nn.utils.rnn.pack_padded_sequence(L.ones(4, 3, 2), [0, 3, 2]),
    lambda L: L.nn.utils.rnn.pack_padded_sequence(L.ones(4, 3, 2), [3, -1, 2], enforce_sorted=False),
    lambda L: L.nn.utils.rnn.pack_padded_sequence(L.ones(4, 3, 2), [3, 2]),
    lambda L: L.nn.utils.rnn.pack_padded_sequence(L.ones(4, 3, 2), L.tensor([[3, 2, 1]])),
    lambda L: L.nn.utils.rnn.pack_padded_sequence(L.ones(0, 3), [3, 2, 1]),
    lambda L: L.nn.utils.rnn.pack_padded_sequence(L.ones(4), [3]),
    lambda L: L.nn.utils.rnn.pack_sequence([L.tensor([1]), L.tensor([4, 5])]),
    lambda L: L.nn.utils.rnn.pad_sequence([]),
    lambda L: L.nn.utils.rnn.pad_sequence(5),
    lambda L: L.nn.utils.rnn.pad_sequence([L.ones(2)], padding_side="middle"),
    lambda L: L.nn.utils.rnn.pad_sequence([L.ones(2, 3), L.ones(3, 4)]),
    lambda L: L.nn.utils.rnn.pad_sequence([L.tensor(1.0)]),
    lambda L: L.nn.utils.rnn.pad_packed_sequence(L.nn.utils.rnn.pack_sequence([L.ones(3), L.ones(2)]),
                                                 total_length=2),
    lambda L: L.nn.utils.rnn.PackedSequence(L.ones(3)),
    lambda L: L.nn.utils.rnn.unpad_sequence(L.zeros(3, 2, requires_grad=True), L.tensor([1, 3])),
    lambda L: L.nn.utils.rnn.unpad_sequence(L.zeros(3, 2, 4), [1, 3]),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors(i):
    torch = torch_or_skip()
    _raises(torch, ERRORS[i], ERRORS[i])


# ---- RNN / LSTM / GRU on packed input --------------------------------------------------------------------------

CONFIGS = [
    ("RNN", dict(num_layers=2, bidirectional=True)),
    ("RNN", dict(nonlinearity="relu", batch_first=True)),
    ("LSTM", dict(num_layers=2, bidirectional=True)),
    ("LSTM", dict(proj_size=2, bidirectional=True, num_layers=2)),
    ("LSTM", dict(batch_first=True, bias=False)),
    ("GRU", dict(num_layers=2, bidirectional=True, batch_first=True)),
    ("GRU", dict()),
]


def _run_packed(lib, module, x, lengths, states, batch_first, enforce_sorted):
    xt = lib.tensor(x, requires_grad=True)
    hx = [lib.tensor(s, requires_grad=True) for s in states]
    p = lib.nn.utils.rnn.pack_padded_sequence(xt, lengths, batch_first, enforce_sorted=enforce_sorted)
    out, h = module(p, None if not hx else (tuple(hx) if len(hx) == 2 else hx[0]))
    flat = [out.data, *(h if isinstance(h, tuple) else (h,))]
    rng = np.random.default_rng(11)
    loss = sum((f * lib.tensor(rng.standard_normal(tuple(f.shape)))).sum() for f in flat)
    loss.backward()
    return out, flat, [xt.grad, *[s.grad for s in hx]], {n: p.grad for n, p in module.named_parameters()}


@pytest.mark.parametrize("name,kwargs", CONFIGS)
@pytest.mark.parametrize("lengths", [[5, 3, 3, 1], [2, 5, 1, 4]])
@pytest.mark.parametrize("with_hx", [False, True])
def test_rnn_packed_vs_torch(name, kwargs, lengths, with_hx):
    torch = torch_or_skip()
    th = getattr(torch.nn, name)(3, 4, **kwargs).double()
    mt = getattr(minitorch.nn, name)(3, 4, **kwargs).double()
    copy_weights(mt, th)
    bf = kwargs.get("batch_first", False)
    T, B = max(lengths), len(lengths)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((B, T, 3) if bf else (T, B, 3))
    layers = th.num_layers * (2 if th.bidirectional else 1)
    states = []
    if with_hx:
        states = [rng.standard_normal((layers, B, th.proj_size or 4))]
        if name == "LSTM":
            states.append(rng.standard_normal((layers, B, 4)))
    sorted_ = lengths == sorted(lengths, reverse=True)
    om, fm, gm, pm = _run_packed(minitorch, mt, x, lengths, states, bf, sorted_)
    ot, ft, gt, pt = _run_packed(torch, th, x, lengths, states, bf, sorted_)
    assert isinstance(om, R.PackedSequence)
    _same_packed(om, ot)
    for a, b in itertools.chain(zip(fm, ft), zip(gm, gt)):
        _same(a, b)
    assert pm.keys() == pt.keys()
    for k in pm:
        _same(pm[k], pt[k])


def test_rnn_packed_equals_per_sequence_runs():
    """Each sequence of a packed batch gives what it gives alone (final state taken at its own length)."""
    minitorch.manual_seed(0)
    gru = minitorch.nn.GRU(2, 3, bidirectional=True)
    seqs = [minitorch.randn(n, 2) for n in (2, 4, 3)]
    out, h = gru(R.pack_sequence(seqs, enforce_sorted=False))
    padded, lengths = R.pad_packed_sequence(out)
    for i, s in enumerate(seqs):
        o, hi = gru(s)
        np.testing.assert_allclose(padded[: len(s), i].detach().numpy(), o.detach().numpy(), atol=1e-6)
        np.testing.assert_allclose(h[:, i].detach().numpy(), hi.detach().numpy(), atol=1e-6)
    assert lengths.tolist() == [2, 4, 3]


def _packed(L, dim=3, dtype=None, n=5):
    return L.nn.utils.rnn.PackedSequence(L.ones(n, dim, dtype=dtype) if isinstance(dim, int) else L.ones(n, *dim),
                                         L.tensor([2, 2, 1]))


def _sorted_packed(L):
    return L.nn.utils.rnn.pack_sequence([L.ones(2, 2), L.ones(3, 2)], enforce_sorted=False)


RNN_ERRORS = [
    lambda L, m: m(_packed(L, 2), L.zeros(1, 3, 3)),
    lambda L, m: m(_packed(L, 3)),
    lambda L, m: m(_packed(L, (2, 1))),
    lambda L, m: m(_packed(L, 2, L.float64)),
    lambda L, m: m(_sorted_packed(L), L.zeros(2, 3)),
    lambda L, m: m(_packed(L, 2), L.zeros(2, 3)),
]


@pytest.mark.parametrize("name", ["RNN", "GRU"])
@pytest.mark.parametrize("i", range(len(RNN_ERRORS)))
def test_rnn_packed_errors(name, i):
    torch = torch_or_skip()
    _raises(torch, lambda L: RNN_ERRORS[i](L, getattr(L.nn, name)(2, 3)),
            lambda L: RNN_ERRORS[i](L, getattr(L.nn, name)(2, 3)))


def test_rnn_packed_hx_is_permuted_before_the_size_check():
    """As in PyTorch: an hx with a batch larger than the packed batch passes after the sorted_indices gather."""
    torch = torch_or_skip()
    outs = []
    for lib in (minitorch, torch):
        lib.manual_seed(0)
        gru = lib.nn.GRU(2, 3)
        out, h = gru(_sorted_packed(lib), lib.zeros(1, 3, 3))
        outs.append(tuple(h.shape))
    assert outs[0] == outs[1] == (1, 2, 3)


LSTM_ERRORS = [
    lambda L: L.nn.LSTM(2, 3)(_packed(L, 3)),
    lambda L: L.nn.LSTM(2, 3)(_packed(L, (2, 1))),
    lambda L: L.nn.LSTM(2, 3)(_packed(L, 2, L.float64)),
    lambda L: L.nn.LSTM(2, 3)(_sorted_packed(L), (L.zeros(2, 3), L.zeros(2, 3))),
    lambda L: L.nn.LSTM(2, 3)(_packed(L, 2), (L.zeros(2, 3), L.zeros(2, 3))),
    lambda L: L.nn.LSTM(2, 3)(_packed(L, 2), (L.zeros(1, 2, 4), L.zeros(1, 2, 3))),
    lambda L: L.nn.LSTM(2, 3)(_packed(L, 2), (L.zeros(1, 2, 3), L.zeros(1, 2, 4))),
    lambda L: L.nn.LSTM(2, 3, num_layers=2)(_packed(L, 2), (L.zeros(1, 2, 3), L.zeros(1, 2, 3))),
]


@pytest.mark.parametrize("i", range(len(LSTM_ERRORS)))
def test_lstm_packed_errors(i):
    torch = torch_or_skip()
    _raises(torch, LSTM_ERRORS[i], LSTM_ERRORS[i])


def test_pack_pad_gradcheck_and_gradgradcheck():
    x = minitorch.randn(4, 3, 2, dtype=minitorch.float64, requires_grad=True)

    def fn(x):
        p = R.pack_padded_sequence(x, [2, 4, 1], enforce_sorted=False)
        return R.pad_packed_sequence(p, batch_first=True, padding_value=3.0)[0] ** 2

    assert minitorch.autograd.gradcheck(fn, (x,))
    assert minitorch.autograd.gradgradcheck(fn, (x,))


def test_packed_rnn_gradcheck():
    minitorch.manual_seed(0)
    lstm = minitorch.nn.LSTM(2, 3, bidirectional=True, proj_size=1).double()
    x = minitorch.randn(3, 2, 2, dtype=minitorch.float64, requires_grad=True)

    def fn(x):
        out, (h, c) = lstm(R.pack_padded_sequence(x, [1, 3], enforce_sorted=False))
        return out.data, h, c

    assert minitorch.autograd.gradcheck(fn, (x,))


def test_packed_on_device_matches_cpu(device):
    """pack -> GRU -> pad on every device (the fake CUDA one included) equals the CPU run, gradients too."""
    minitorch.manual_seed(0)
    gru = minitorch.nn.GRU(2, 3, bidirectional=True).double()
    x = np.random.default_rng(4).standard_normal((4, 3, 2))
    results = []
    for dev in ("cpu", device):
        gru.to(dev)
        gru.zero_grad()
        xt = minitorch.tensor(x, device=dev, requires_grad=True)
        p = R.pack_padded_sequence(xt, minitorch.tensor([2, 4, 1]), enforce_sorted=False)
        out, h = gru(p.to(dev))
        padded, lengths = R.pad_packed_sequence(out, batch_first=True, padding_value=-1.0)
        (padded.sum() + (h * h).sum()).backward()
        assert lengths.device.type == "cpu" and out.batch_sizes.device.type == "cpu"
        results.append([t.detach().cpu().numpy() for t in (padded, h, xt.grad, gru.weight_hh_l0_reverse.grad)])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, atol=1e-12)
