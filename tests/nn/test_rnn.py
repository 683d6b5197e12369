"""RNN, LSTM, GRU and their cells: against PyTorch with copied weights (outputs, final states, input, state and
parameter gradients), gradcheck, parameter names, errors, dropout and repr."""

import math
import warnings

import numpy as np
import pytest

import minitorch
from minitorch.nn.modules.rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell

from ._util import copy_weights, torch_or_skip, torch_repr

IN, HID, SEQ, BATCH = 3, 4, 5, 2

LAYERS = {"RNN": RNN, "LSTM": LSTM, "GRU": GRU}
CELLS = {"RNNCell": RNNCell, "LSTMCell": LSTMCell, "GRUCell": GRUCell}


def _pair(torch, name, dtype=np.float64, **kwargs):
    """A PyTorch layer and a minitorch layer with the same weights."""
    th = getattr(torch.nn, name)(**kwargs)
    th = th.double() if dtype == np.float64 else th
    mt = (LAYERS | CELLS)[name](**kwargs)
    mt = mt.double() if dtype == np.float64 else mt
    copy_weights(mt, th)
    return mt, th


def _as_tuple(x):
    return x if isinstance(x, tuple) else (x,)


def _flatten_outputs(result):
    """(output, h_n) / (output, (h_n, c_n)) / h / (h, c) as a flat tuple of tensors."""
    flat = []
    for r in _as_tuple(result):
        flat.extend(_as_tuple(r))
    return flat


def _compare(torch, mt, th, arrays, rtol, atol):
    """Run both modules on the same arrays (input, then the state(s) or None); compare everything."""
    x, *states = arrays
    mt_leaves = [minitorch.tensor(a, requires_grad=True) for a in [x, *[s for s in states if s is not None]]]
    th_leaves = [torch.tensor(a, requires_grad=True) for a in [x, *[s for s in states if s is not None]]]

    def call(module, leaves):
        if not states or states[0] is None:
            return module(leaves[0])
        hx = tuple(leaves[1:]) if len(states) == 2 else leaves[1]
        return module(leaves[0], hx)

    out_m, out_t = _flatten_outputs(call(mt, mt_leaves)), _flatten_outputs(call(th, th_leaves))
    assert len(out_m) == len(out_t)
    rng = np.random.default_rng(7)
    loss_m, loss_t = 0, 0
    for m, t in zip(out_m, out_t):
        assert tuple(m.shape) == tuple(t.shape)
        np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), rtol=rtol, atol=atol)
        g = rng.standard_normal(tuple(t.shape)).astype(x.dtype)  # weight every output, final states included
        loss_m = loss_m + (m * minitorch.tensor(g)).sum()
        loss_t = loss_t + (t * torch.tensor(g)).sum()
    loss_m.backward()
    loss_t.backward()
    for m, t in zip(mt_leaves, th_leaves):
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=rtol, atol=atol)
    th_params = dict(th.named_parameters())
    for name, p in mt.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), th_params[name].grad.numpy(), rtol=rtol, atol=atol, err_msg=name)


def _states(name, layers, batch, hidden=HID, proj=0, dtype=np.float64, seed=1):
    rng = np.random.default_rng(seed)
    shape_h = (layers, batch, proj or hidden) if batch else (layers, proj or hidden)
    shape_c = (layers, batch, hidden) if batch else (layers, hidden)
    h = rng.standard_normal(shape_h).astype(dtype)
    return [h, rng.standard_normal(shape_c).astype(dtype)] if name == "LSTM" else [h]


# ---- the multi-layer modules against PyTorch --------------------------------------------------------------------
@pytest.mark.parametrize("name,extra", [("RNN", {}), ("RNN", {"nonlinearity": "relu"}), ("LSTM", {}), ("GRU", {})])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("with_hx", [False, True])
def test_layer_matches_torch_float64(name, extra, num_layers, bidirectional, batch_first, with_hx):
    torch = torch_or_skip()
    torch.manual_seed(0)
    mt, th = _pair(torch, name, input_size=IN, hidden_size=HID, num_layers=num_layers, bidirectional=bidirectional,
                   batch_first=batch_first, **extra)
    shape = (BATCH, SEQ, IN) if batch_first else (SEQ, BATCH, IN)
    x = np.random.default_rng(0).standard_normal(shape)
    states = _states(name, num_layers * (2 if bidirectional else 1), BATCH) if with_hx else []
    _compare(torch, mt, th, [x, *states], rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("with_hx", [False, True])
def test_layer_matches_torch_float32_and_no_bias(name, with_hx):
    torch = torch_or_skip()
    torch.manual_seed(1)
    mt, th = _pair(torch, name, dtype=np.float32, input_size=IN, hidden_size=HID, num_layers=2, bias=False,
                   bidirectional=True)
    assert all("bias" not in n for n, _ in mt.named_parameters())
    x = np.random.default_rng(0).standard_normal((SEQ, BATCH, IN)).astype(np.float32)
    states = _states(name, 4, BATCH, dtype=np.float32) if with_hx else []
    _compare(torch, mt, th, [x, *states], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("with_hx", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_layer_unbatched_input_matches_torch(name, with_hx, batch_first):
    torch = torch_or_skip()
    torch.manual_seed(2)
    mt, th = _pair(torch, name, input_size=IN, hidden_size=HID, num_layers=2, bidirectional=True,
                   batch_first=batch_first)
    x = np.random.default_rng(0).standard_normal((SEQ, IN))
    states = _states(name, 4, None) if with_hx else []
    _compare(torch, mt, th, [x, *states], rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("with_hx", [False, True])
def test_lstm_proj_size_matches_torch(bidirectional, with_hx):
    torch = torch_or_skip()
    torch.manual_seed(3)
    mt, th = _pair(torch, "LSTM", input_size=IN, hidden_size=HID, num_layers=2, proj_size=2,
                   bidirectional=bidirectional)
    x = np.random.default_rng(0).standard_normal((SEQ, BATCH, IN))
    states = _states("LSTM", 2 * (2 if bidirectional else 1), BATCH, proj=2) if with_hx else []
    _compare(torch, mt, th, [x, *states], rtol=1e-10, atol=1e-10)


def test_lstm_equations_by_hand_in_numpy():
    """One layer, one step, the textbook equations with gate order i, f, g, o."""
    lstm = LSTM(IN, HID).double()
    x = np.random.default_rng(0).standard_normal((1, 1, IN))
    out, (h, c) = lstm(minitorch.tensor(x))
    p = {n: t.detach().numpy() for n, t in lstm.named_parameters()}
    gates = x[0, 0] @ p["weight_ih_l0"].T + p["bias_ih_l0"] + p["bias_hh_l0"]  # h0 = 0
    i, f, g, o = np.split(gates, 4)
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    c_ref = sig(i) * np.tanh(g)  # f * c0 vanishes
    h_ref = sig(o) * np.tanh(c_ref)
    np.testing.assert_allclose(c.detach().numpy()[0, 0], c_ref, rtol=1e-12)
    np.testing.assert_allclose(h.detach().numpy()[0, 0], h_ref, rtol=1e-12)
    np.testing.assert_allclose(out.detach().numpy()[0, 0], h_ref, rtol=1e-12)


def test_gru_candidate_uses_reset_times_hidden_projection_with_bias():
    """n = tanh(W_in x + b_in + r * (W_hn h + b_hn)): b_hn sits inside the reset product."""
    gru = GRU(IN, HID).double()
    rng = np.random.default_rng(1)
    x, h0 = rng.standard_normal((1, 1, IN)), rng.standard_normal((1, 1, HID))
    out, _ = gru(minitorch.tensor(x), minitorch.tensor(h0))
    p = {n: t.detach().numpy() for n, t in gru.named_parameters()}
    gi = x[0, 0] @ p["weight_ih_l0"].T + p["bias_ih_l0"]
    gh = h0[0, 0] @ p["weight_hh_l0"].T + p["bias_hh_l0"]
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    r, z = sig(gi[:HID] + gh[:HID]), sig(gi[HID:2 * HID] + gh[HID:2 * HID])
    n = np.tanh(gi[2 * HID:] + r * gh[2 * HID:])
    np.testing.assert_allclose(out.detach().numpy()[0, 0], (1 - z) * n + z * h0[0, 0], rtol=1e-12)


# ---- the cells --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,extra", [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}),
                                        ("LSTMCell", {}), ("GRUCell", {})])
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("with_hx", [False, True])
@pytest.mark.parametrize("bias", [True, False])
def test_cell_matches_torch(name, extra, batched, with_hx, bias):
    torch = torch_or_skip()
    torch.manual_seed(4)
    mt, th = _pair(torch, name, input_size=IN, hidden_size=HID, bias=bias, **extra)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, IN) if batched else (IN,))
    shape = (BATCH, HID) if batched else (HID,)
    n_states = 2 if name == "LSTMCell" else 1
    states = [rng.standard_normal(shape) for _ in range(n_states)] if with_hx else []
    _compare(torch, mt, th, [x, *states], rtol=1e-10, atol=1e-10)


def test_cells_unrolled_equal_the_layer():
    """Running LSTMCell over the sequence gives LSTM's output (same weights, names without _l0)."""
    lstm, cell = LSTM(IN, HID).double(), LSTMCell(IN, HID).double()
    cell.load_state_dict({k[:-3]: v.detach().numpy() for k, v in lstm.state_dict().items()})
    x = minitorch.tensor(np.random.default_rng(0).standard_normal((SEQ, BATCH, IN)))
    out, (h_n, c_n) = lstm(x)
    h = c = minitorch.zeros(BATCH, HID, dtype=minitorch.float64)
    for t in range(SEQ):
        h, c = cell(x[t], (h, c))
        np.testing.assert_allclose(h.detach().numpy(), out[t].detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(c.detach().numpy(), c_n[0].detach().numpy(), rtol=1e-12)


# ---- gradcheck --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["LSTM", "GRU", "RNN"])
def test_gradcheck_tiny_layer(name):
    """Finite differences on the input, the initial states and every parameter (float64)."""
    minitorch.manual_seed(0)
    layer = LAYERS[name](2, 2, num_layers=2, bidirectional=True).double()
    rng = np.random.default_rng(0)
    x = minitorch.tensor(rng.standard_normal((3, 1, 2)), requires_grad=True)
    states = [minitorch.tensor(s, requires_grad=True) for s in _states(name, 4, 1, hidden=2)]
    params = tuple(layer.parameters())

    # gradcheck perturbs its float64 inputs in place, so passing the parameters themselves checks their gradients.
    def f(x, *rest):
        hx = tuple(rest[:2]) if name == "LSTM" else rest[0]
        return tuple(_flatten_outputs(layer(x, hx)))

    assert minitorch.autograd.gradcheck(f, (x, *states, *params), eps=1e-6, atol=1e-5, rtol=1e-3)


@pytest.mark.parametrize("name", ["LSTMCell", "GRUCell"])
def test_gradcheck_cell(name):
    minitorch.manual_seed(0)
    cell = CELLS[name](2, 3).double()
    rng = np.random.default_rng(1)
    x = minitorch.tensor(rng.standard_normal((2, 2)), requires_grad=True)
    states = [minitorch.tensor(rng.standard_normal((2, 3)), requires_grad=True)
              for _ in range(2 if name == "LSTMCell" else 1)]

    def f(x, *rest):
        return cell(x, tuple(rest[:2]) if name == "LSTMCell" else rest[0])

    assert minitorch.autograd.gradcheck(f, (x, *states, *cell.parameters()))


# ---- parameters, init, repr -------------------------------------------------------------------------------------
PARAM_CONFIGS = [{}, {"num_layers": 2}, {"num_layers": 3, "bidirectional": True},
                 {"bias": False, "bidirectional": True}]


@pytest.mark.parametrize("name,kwargs", [(n, k) for n in LAYERS for k in PARAM_CONFIGS]
                         + [("LSTM", {"num_layers": 2, "proj_size": 2, "bidirectional": True})])
def test_parameter_names_shapes_order_match_torch(name, kwargs):
    torch = torch_or_skip()
    th = getattr(torch.nn, name)(IN, HID, **kwargs)
    mt = LAYERS[name](IN, HID, **kwargs)
    assert [(n, tuple(p.shape)) for n, p in mt.named_parameters()] == \
           [(n, tuple(p.shape)) for n, p in th.named_parameters()]
    assert mt._flat_weights_names == th._flat_weights_names
    assert [[tuple(w.shape) for w in ws] for ws in mt.all_weights] == \
           [[tuple(w.shape) for w in ws] for ws in th.all_weights]
    assert mt.all_weights[-1][0] is getattr(mt, mt._all_weights[-1][0])
    mt.load_state_dict({k: v.numpy() for k, v in th.state_dict().items()})  # strict: every key present


@pytest.mark.parametrize("name", ["RNNCell", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("bias", [True, False])
def test_cell_parameter_names_shapes_match_torch(name, bias):
    torch = torch_or_skip()
    th, mt = getattr(torch.nn, name)(IN, HID, bias=bias), CELLS[name](IN, HID, bias=bias)
    assert [(n, tuple(p.shape)) for n, p in mt.named_parameters()] == \
           [(n, tuple(p.shape)) for n, p in th.named_parameters()]
    assert (mt.bias_ih is None) == (not bias)


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell])
def test_init_uniform_within_one_over_sqrt_hidden_and_seeded(cls):
    minitorch.manual_seed(0)
    a = cls(30, 100)
    bound = 1 / math.sqrt(100)
    values = np.concatenate([p.detach().numpy().ravel() for p in a.parameters()])
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.99 * bound
    assert abs(values.std() - bound / math.sqrt(3)) < 0.02 * bound
    minitorch.manual_seed(0)
    b = cls(30, 100)
    assert all(np.array_equal(p.detach().numpy(), q.detach().numpy()) for p, q in zip(a.parameters(), b.parameters()))


@pytest.mark.parametrize("make", [
    lambda nn: nn.LSTM(10, 20, num_layers=2, batch_first=True),
    lambda nn: nn.RNN(10, 20, nonlinearity="relu", bias=False),
    lambda nn: nn.GRU(10, 20, dropout=0.5, num_layers=2, bidirectional=True),
    lambda nn: nn.LSTM(10, 20, proj_size=5),
    lambda nn: nn.RNNCell(3, 4, bias=False, nonlinearity="relu"),
    lambda nn: nn.LSTMCell(3, 4),
    lambda nn: nn.GRUCell(3, 4, bias=False),
])
def test_repr_matches_torch(make):
    torch = torch_or_skip()

    class _NS:  # the same constructor calls on both libraries
        pass

    mt_nn = _NS()
    for c in (RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell):
        setattr(mt_nn, c.__name__, c)
    assert repr(make(mt_nn)) == torch_repr(repr(make(torch.nn)))


def test_flatten_parameters_is_a_noop_and_double_keeps_working():
    lstm = LSTM(IN, HID)
    before = [p.detach().numpy().copy() for p in lstm.parameters()]
    assert lstm.flatten_parameters() is None
    assert all(np.array_equal(a, p.detach().numpy()) for a, p in zip(before, lstm.parameters()))
    lstm.double()
    out, (h, c) = lstm(minitorch.randn(SEQ, BATCH, IN, dtype=minitorch.float64))
    assert out.dtype == h.dtype == c.dtype == minitorch.float64
    assert all(w.dtype == minitorch.float64 for ws in lstm.all_weights for w in ws)


# ---- dropout between layers -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_dropout_only_in_training_and_only_between_layers(name):
    minitorch.manual_seed(0)
    with_drop = LAYERS[name](IN, HID, num_layers=2, dropout=0.5).double()
    without = LAYERS[name](IN, HID, num_layers=2).double()
    without.load_state_dict(with_drop.state_dict())
    x = minitorch.tensor(np.random.default_rng(0).standard_normal((SEQ, BATCH, IN)))
    with_drop.eval()
    first, second = with_drop(x)[0], with_drop(x)[0]
    assert np.array_equal(first.detach().numpy(), second.detach().numpy())  # eval: deterministic
    np.testing.assert_allclose(first.detach().numpy(), without(x)[0].detach().numpy(), rtol=1e-14)
    with_drop.train()
    minitorch.manual_seed(1)
    a = with_drop(x)[0].detach().numpy()
    b = with_drop(x)[0].detach().numpy()
    minitorch.manual_seed(1)
    a_again = with_drop(x)[0].detach().numpy()
    assert not np.allclose(a, b)  # a fresh mask per call
    assert np.array_equal(a, a_again)  # reproducible from the seed


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_dropout_one_in_training_matches_torch(name):
    """p=1 zeroes the whole input of layer 2: deterministic, so comparable with PyTorch (output and grads)."""
    torch = torch_or_skip()
    torch.manual_seed(5)
    mt, th = _pair(torch, name, input_size=IN, hidden_size=HID, num_layers=2, dropout=1.0, bidirectional=True)
    x = np.random.default_rng(0).standard_normal((SEQ, BATCH, IN))
    _compare(torch, mt.train(), th.train(), [x], rtol=1e-10, atol=1e-10)


def test_dropout_with_one_layer_warns_like_torch():
    with pytest.warns(UserWarning, match="num_layers greater than 1, but got dropout=0.5 and num_layers=1"):
        LSTM(IN, HID, dropout=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LSTM(IN, HID, num_layers=2, dropout=0.5)


# ---- errors: the same types and messages as PyTorch -------------------------------------------------------------
def _same_error(torch, make_call):
    """Call with torch and with minitorch; the exception types and (renamed) messages must agree."""
    with pytest.raises(Exception) as th_err:
        make_call(torch, torch.nn.RNN, torch.nn.LSTM, torch.nn.GRU, torch.nn.RNNCell, torch.nn.LSTMCell,
                  torch.nn.GRUCell)
    with pytest.raises(Exception) as mt_err:
        make_call(minitorch, RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell)
    assert type(mt_err.value).__name__ == type(th_err.value).__name__
    assert str(mt_err.value) == torch_repr(str(th_err.value))


ERROR_CASES = {
    "input_size": lambda lib, R, L, G, *c: L(10, 20)(lib.randn(2, 3, 5)),
    "input_size_unbatched": lambda lib, R, L, G, *c: G(10, 20)(lib.randn(2, 5)),
    "hidden_size": lambda lib, R, L, G, *c: R(10, 20)(lib.randn(2, 3, 10), lib.randn(2, 3, 20)),
    "hidden_batch": lambda lib, R, L, G, *c: G(10, 20, bidirectional=True)(lib.randn(2, 3, 10), lib.randn(2, 4, 20)),
    "lstm_h": lambda lib, R, L, G, *c: L(10, 20)(lib.randn(2, 3, 10), (lib.randn(1, 3, 19), lib.randn(1, 3, 20))),
    "lstm_c": lambda lib, R, L, G, *c: L(10, 20)(lib.randn(2, 3, 10), (lib.randn(1, 3, 20), lib.randn(2, 3, 20))),
    "lstm_proj_h": lambda lib, R, L, G, *c: L(10, 20, proj_size=5)(lib.randn(2, 3, 10),
                                                                     (lib.randn(1, 3, 20), lib.randn(1, 3, 20))),
    "rnn_4d": lambda lib, R, L, G, *c: R(10, 20)(lib.randn(1, 2, 3, 10)),
    "lstm_4d": lambda lib, R, L, G, *c: L(10, 20)(lib.randn(1, 2, 3, 10)),
    "gru_1d": lambda lib, R, L, G, *c: G(10, 20)(lib.randn(10)),
    "hx_dims_batched": lambda lib, R, L, G, *c: R(10, 20)(lib.randn(2, 3, 10), lib.randn(3, 20)),
    "hx_dims_unbatched": lambda lib, R, L, G, *c: G(10, 20)(lib.randn(2, 10), lib.randn(1, 1, 20)),
    "lstm_hx_dims": lambda lib, R, L, G, *c: L(10, 20)(lib.randn(2, 3, 10), (lib.randn(1, 3, 20), lib.randn(3, 20))),
    "dtype": lambda lib, R, L, G, *c: L(10, 20)(lib.randn(2, 3, 10, dtype=lib.float64)),
    "hx_dtype": lambda lib, R, L, G, *c: G(10, 20)(lib.randn(2, 3, 10), lib.randn(1, 3, 20, dtype=lib.float64)),
    "nonlinearity": lambda lib, R, L, G, *c: R(10, 20, nonlinearity="sigmoid"),
    "dropout_range": lambda lib, R, L, G, *c: L(10, 20, num_layers=2, dropout=1.5),
    "hidden_zero": lambda lib, R, L, G, *c: G(10, 0),
    "hidden_float": lambda lib, R, L, G, *c: G(10, 2.0),
    "layers_zero": lambda lib, R, L, G, *c: R(10, 20, num_layers=0),
    "proj_too_big": lambda lib, R, L, G, *c: L(10, 20, proj_size=20),
    "bias_type": lambda lib, R, L, G, *c: L(10, 20, bias=1),
    "cell_input_size": lambda lib, R, L, G, RC, LC, GC: LC(10, 20)(lib.randn(3, 5)),
    "cell_batch": lambda lib, R, L, G, RC, LC, GC: GC(10, 20)(lib.randn(3, 10), lib.randn(2, 20)),
    "cell_hidden": lambda lib, R, L, G, RC, LC, GC: RC(10, 20)(lib.randn(3, 10), lib.randn(3, 21)),
    "cell_c_hidden": lambda lib, R, L, G, RC, LC, GC: LC(10, 20)(lib.randn(3, 10),
                                                                 (lib.randn(3, 20), lib.randn(3, 21))),
    "cell_3d": lambda lib, R, L, G, RC, LC, GC: RC(10, 20)(lib.randn(1, 3, 10)),
    "cell_hx_3d": lambda lib, R, L, G, RC, LC, GC: GC(10, 20)(lib.randn(3, 10), lib.randn(1, 3, 20)),
    "lstm_cell_hx_3d": lambda lib, R, L, G, RC, LC, GC: LC(10, 20)(lib.randn(3, 10),
                                                                   (lib.randn(3, 20), lib.randn(1, 3, 20))),
    "gru_proj_size": lambda lib, R, L, G, *c: G(10, 20, proj_size=5),
    "rnn_proj_size": lambda lib, R, L, G, *c: R(10, 20, proj_size=0),
    "empty_sequence": lambda lib, R, L, G, *c: L(10, 20)(lib.randn(0, 3, 10)),
    "empty_sequence_batch_first": lambda lib, R, L, G, *c: G(10, 20, batch_first=True)(lib.randn(3, 0, 10)),
    "empty_sequence_unbatched": lambda lib, R, L, G, *c: R(10, 20)(lib.randn(0, 10)),
    "batch_first_h0_not_batch_first": lambda lib, R, L, G, *c: G(10, 20, batch_first=True)(lib.randn(2, 5, 10),
                                                                                           lib.randn(1, 5, 20)),
}


def test_empty_batch_runs_like_torch():
    torch = torch_or_skip()
    out, (h, c) = LSTM(4, 5, num_layers=2)(minitorch.randn(3, 0, 4))
    t_out, (t_h, t_c) = torch.nn.LSTM(4, 5, num_layers=2)(torch.randn(3, 0, 4))
    assert (out.shape, h.shape, c.shape) == (tuple(t_out.shape), tuple(t_h.shape), tuple(t_c.shape))


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_errors_match_torch(case):
    torch = torch_or_skip()
    _same_error(torch, ERROR_CASES[case])


def test_error_messages_as_documented():
    with pytest.raises(RuntimeError, match=r"^input.size\(-1\) must be equal to input_size. Expected 10, got 5$"):
        LSTM(10, 20)(minitorch.randn(2, 3, 5))
    with pytest.raises(RuntimeError, match=r"^Expected hidden size \(1, 3, 20\), got \[2, 3, 20\]$"):
        GRU(10, 20)(minitorch.randn(2, 3, 10), minitorch.randn(2, 3, 20))


def test_lstm_learns_to_sum_a_sequence():
    """End to end: an LSTM + Linear head trained with Adam fits y = sum of the inputs."""
    minitorch.manual_seed(0)
    lstm, head = LSTM(1, 8, batch_first=True), minitorch.nn.Linear(8, 1)
    opt = minitorch.optim.Adam([*lstm.parameters(), *head.parameters()], lr=0.05)
    x = minitorch.tensor(np.random.default_rng(0).uniform(-1, 1, (32, 6, 1)).astype(np.float32))
    y = x.sum(1)
    losses = []
    for _ in range(60):
        opt.zero_grad()
        out, (h_n, _) = lstm(x)
        loss = ((head(h_n[-1]) - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.1 * losses[0]
