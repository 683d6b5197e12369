"""Recurrent layers: `RNN`, `LSTM`, `GRU` and their one-step cells.

A recurrent layer reads a sequence x_1 .. x_L and carries a state from step
to step. Each layer (and each direction, when bidirectional) runs in two stages:

1. the input projection for the whole sequence at once, one matrix product
   with no recurrence in it:  gi = x @ W_ih^T + b_ih, of shape (L, N, gates);
2. the recurrence, one time step at a time: the step adds the hidden
   projection h @ W_hh^T + b_hh to gi[t] and applies the cell's equations.

Everything is ordinary differentiable tensor ops, so the backward pass
(backpropagation through time) is built by the autograd engine.

The parameters, their names (``weight_ih_l0``, ``bias_hh_l1_reverse`` ...),
shapes, gate order (LSTM: i, f, g, o; GRU: r, z, n) and initialisation
U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) are PyTorch's, so a PyTorch
state_dict loads and gives the same outputs.
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import NamedTuple

from ..._tensor import Tensor
from ...ops.creation import empty, zeros
from ...ops.shape import cat, stack
from .. import functional as F
from .. import init
from ..module import Module
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from ._rnn_packed import forward_packed

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


class _Weights(NamedTuple):
    """The parameters of one layer and direction (biases and the LSTM projection may be None)."""

    w_ih: Tensor
    w_hh: Tensor
    b_ih: Tensor | None
    b_hh: Tensor | None
    w_hr: Tensor | None = None


# ---- one time step of each cell: the equations ------------------------------------------------------------------
# ``gi`` is the input part W_ih x + b_ih, already computed for the whole sequence.


def _rnn_tanh_step(gi: Tensor, h: Tensor, w: _Weights) -> Tensor:
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh)."""
    return (gi + F.linear(h, w.w_hh, w.b_hh)).tanh()


def _rnn_relu_step(gi: Tensor, h: Tensor, w: _Weights) -> Tensor:
    """h' = relu(W_ih x + b_ih + W_hh h + b_hh)."""
    return (gi + F.linear(h, w.w_hh, w.b_hh)).relu()


def _lstm_step(gi: Tensor, state: tuple[Tensor, Tensor], w: _Weights) -> tuple[Tensor, Tensor]:
    """One LSTM step on state (h, c); the four gates are stacked as i, f, g, o in the weights."""
    h, c = state
    gates = gi + F.linear(h, w.w_hh, w.b_hh)
    i, f, g, o = gates.chunk(4, -1)
    i = i.sigmoid()  # input gate: how much of the candidate to write into the cell
    f = f.sigmoid()  # forget gate: how much of the old cell to keep
    g = g.tanh()  # candidate cell values, in (-1, 1)
    o = o.sigmoid()  # output gate: how much of the cell to show as the hidden state
    c = f * c + i * g  # c' = f * c + i * g
    h = o * c.tanh()  # h' = o * tanh(c')
    if w.w_hr is not None:
        h = F.linear(h, w.w_hr)  # proj_size > 0: h' = W_hr h', a smaller hidden state
    return h, c


def _gru_step(gi: Tensor, h: Tensor, w: _Weights) -> Tensor:
    """One GRU step; the three gates are stacked as r, z, n in the weights."""
    gh = F.linear(h, w.w_hh, w.b_hh)
    gi_r, gi_z, gi_n = gi.chunk(3, -1)
    gh_r, gh_z, gh_n = gh.chunk(3, -1)
    r = (gi_r + gh_r).sigmoid()  # reset gate: how much of the old state the candidate may see
    z = (gi_z + gh_z).sigmoid()  # update gate: how much of the old state to keep
    n = (gi_n + r * gh_n).tanh()  # candidate: n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
    return (1 - z) * n + z * h  # h' = (1 - z) * n + z * h


_STEPS = {"RNN_TANH": _rnn_tanh_step, "RNN_RELU": _rnn_relu_step, "LSTM": _lstm_step, "GRU": _gru_step}
_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _hidden(state):
    """The hidden state h of a step's state (LSTM states are (h, c))."""
    return state[0] if isinstance(state, tuple) else state


# ---- the multi-layer modules ------------------------------------------------------------------------------------


class RNNBase(Module):
    """The shared machinery of `RNN`, `LSTM` and `GRU`; ``mode`` is "RNN_TANH", "RNN_RELU", "LSTM" or "GRU".

    >>> gru = RNNBase("GRU", 4, 8)
    >>> [name for name, _ in gru.named_parameters()]
    ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
    """

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None) -> None:
        super().__init__()
        _check_init_args(input_size, hidden_size, num_layers, bias, batch_first, dropout, proj_size)
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        self._create_parameters(device, dtype)
        self.reset_parameters()

    def _create_parameters(self, device, dtype) -> None:
        """Per layer, per direction: weight_ih, weight_hh, [bias_ih, bias_hh], [weight_hr] (PyTorch's order)."""
        gate_size = _GATES[self.mode] * self.hidden_size
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        num_directions = 2 if self.bidirectional else 1
        for layer in range(self.num_layers):
            layer_input = self.input_size if layer == 0 else real_hidden * num_directions
            for direction in range(num_directions):
                shapes = {"weight_ih": (gate_size, layer_input), "weight_hh": (gate_size, real_hidden)}
                if self.bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                if self.proj_size > 0:
                    shapes["weight_hr"] = (self.proj_size, self.hidden_size)
                suffix = "_reverse" if direction == 1 else ""
                names = []
                for kind, shape in shapes.items():
                    name = f"{kind}_l{layer}{suffix}"
                    setattr(self, name, Parameter(empty(*shape, device=device, dtype=dtype)))
                    names.append(name)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)

    def reset_parameters(self) -> None:
        """Every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    @property
    def _flat_weights(self) -> list[Tensor]:
        return [getattr(self, name) for name in self._flat_weights_names]

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters grouped per layer and direction: [[w_ih, w_hh, b_ih, b_hh], ...]."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self) -> None:
        """A no-op kept for PyTorch compatibility (there it packs the weights for cuDNN)."""

    def _weights(self, layer: int, direction: int) -> _Weights:
        suffix = "_reverse" if direction == 1 else ""
        get = lambda kind: getattr(self, f"{kind}_l{layer}{suffix}", None)  # noqa: E731
        return _Weights(get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh"), get("weight_hr"))

    # ---- forward ----------------------------------------------------------------------------------------------
    def forward(self, input: Tensor, hx=None):
        """Run the whole sequence; returns (output, h_n), or (output, (h_n, c_n)) for an LSTM.

        input: (L, N, input_size), (N, L, input_size) when batch_first, or unbatched (L, input_size).
        hx: (D * num_layers, N, hidden) initial states, zeros when None ((h_0, c_0) for an LSTM).
        output: (L, N, D * hidden) — the last layer's h at every step; h_n: the final state of each layer.
        A `PackedSequence` input gives a PackedSequence output (see `_rnn_packed`).
        """
        if isinstance(input, PackedSequence):
            return forward_packed(self, _STEPS[self.mode], input, hx)
        if input.dim() not in (2, 3):
            tail = "instead" if self.mode in ("LSTM", "GRU") else "tensor instead"
            kind = self.mode if self.mode in ("LSTM", "GRU") else "RNN"
            raise ValueError(f"{kind}: Expected input to be 2D or 3D, got {input.dim()}D {tail}")
        is_batched = input.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if not is_batched:
            input = input.unsqueeze(batch_dim)
        hx = self._prepare_hx(hx, is_batched)
        if hx is None:
            hx = self._zero_state(input)
        self._check_forward_args(input, hx)

        x = input.transpose(0, 1) if self.batch_first else input  # time-major: (L, N, H_in)
        if x.size(0) == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        output, h_n = self._run_layers(x, hx)
        if self.batch_first:
            output = output.transpose(0, 1)
        if not is_batched:
            output = output.squeeze(batch_dim)
            h_n = tuple(t.squeeze(1) for t in h_n) if isinstance(h_n, tuple) else h_n.squeeze(1)
        return output, h_n

    def _run_layers(self, x: Tensor, hx):
        """Layer after layer; within a layer, each direction; dropout between layers while training."""
        num_directions = 2 if self.bidirectional else 1
        finals = []
        for layer in range(self.num_layers):
            if layer > 0 and self.dropout > 0 and self.training:
                x = F.dropout(x, self.dropout, training=True)
            outputs = []
            for direction in range(num_directions):
                k = layer * num_directions + direction
                state = tuple(t[k] for t in hx) if isinstance(hx, tuple) else hx[k]
                out, state = self._run_direction(x, state, self._weights(layer, direction), reverse=direction == 1)
                outputs.append(out)
                finals.append(state)
            x = outputs[0] if num_directions == 1 else cat(outputs, dim=2)
        if isinstance(hx, tuple):  # LSTM: stack the h's and the c's separately
            return x, (stack([s[0] for s in finals]), stack([s[1] for s in finals]))
        return x, stack(finals)

    def _run_direction(self, x: Tensor, state, w: _Weights, reverse: bool):
        """One layer in one direction over the sequence x (L, N, H_in); returns (outputs (L, N, H), final state)."""
        step = _STEPS[self.mode]
        gi = F.linear(x, w.w_ih, w.b_ih).unbind(0)  # input projection of every step in one matrix product
        times = range(len(gi) - 1, -1, -1) if reverse else range(len(gi))
        outputs = [None] * len(gi)
        for t in times:
            state = step(gi[t], state, w)
            outputs[t] = _hidden(state)
        return stack(outputs), state

    # ---- argument checks --------------------------------------------------------------------------------------
    def _prepare_hx(self, hx, is_batched: bool):
        """Check hx's number of dimensions; give unbatched states their batch dimension."""
        if hx is None:
            return None
        want = 3 if is_batched else 2
        what = "batched 3-D" if is_batched else "unbatched 2-D"
        if self.mode == "LSTM":
            if hx[0].dim() != want or hx[1].dim() != want:
                raise RuntimeError(f"For {what} input, hx and cx should also be {want}-D but got "
                                   f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
            return tuple(hx) if is_batched else (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
        if hx.dim() != want:
            raise RuntimeError(f"For {what} input, hx should also be {want}-D but got {hx.dim()}-D tensor")
        return hx if is_batched else hx.unsqueeze(1)

    def _state_shapes(self, input: Tensor) -> tuple[tuple, tuple]:
        """The shapes of h_0 and c_0: (D * num_layers, N, proj_size or hidden_size) and (D * num_layers, N, hidden)."""
        layers = self.num_layers * (2 if self.bidirectional else 1)
        batch = input.size(0) if self.batch_first else input.size(1)
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (layers, batch, real_hidden), (layers, batch, self.hidden_size)

    def _zero_state(self, input: Tensor):
        h_shape, c_shape = self._state_shapes(input)
        h = zeros(*h_shape, dtype=input.dtype, device=input.device)
        return (h, zeros(*c_shape, dtype=input.dtype, device=input.device)) if self.mode == "LSTM" else h

    def _check_forward_args(self, input: Tensor, hx) -> None:
        weight_dtype = self._flat_weights[0].dtype
        if input.dtype != weight_dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight_dtype}). "
                             f"Convert input: input.to({weight_dtype}), or convert model: model.to({input.dtype})")
        if input.size(-1) != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.size(-1)}")
        h_shape, c_shape = self._state_shapes(input)
        if self.mode != "LSTM":
            _check_hidden_size(hx, h_shape, "Expected hidden size {}, got {}")
            return
        _check_hidden_size(hx[0], h_shape, "Expected hidden[0] size {}, got {}")
        _check_hidden_size(hx[1], c_shape, "Expected hidden[1] size {}, got {}")

    def extra_repr(self) -> str:
        """The sizes, then every option that differs from its default: ``LSTM(10, 20, num_layers=2)``."""
        non_default = [("proj_size", self.proj_size != 0), ("num_layers", self.num_layers != 1),
                       ("bias", self.bias is not True), ("batch_first", self.batch_first is not False),
                       ("dropout", self.dropout != 0), ("bidirectional", self.bidirectional is not False)]
        options = "".join(f", {name}={getattr(self, name)}" for name, shown in non_default if shown)
        return f"{self.input_size}, {self.hidden_size}{options}"


def _check_hidden_size(hx: Tensor, expected: tuple, msg: str) -> None:
    if tuple(hx.size()) != expected:
        raise RuntimeError(msg.format(expected, list(hx.size())))


def _check_init_args(input_size, hidden_size, num_layers, bias, batch_first, dropout, proj_size) -> None:
    """PyTorch's checks of the constructor arguments, with its messages."""
    if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
        raise ValueError("dropout should be a number in range [0, 1] representing the probability of an element "
                         "being zeroed")
    if dropout > 0 and num_layers == 1:
        warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
                      f"num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                      stacklevel=4)
    for name, value in (("bias", bias), ("batch_first", batch_first)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} should be of type bool, got: {type(value).__name__}")
    for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
        if not isinstance(value, int):
            raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
        if value <= 0:
            raise ValueError(f"{name} must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")


def _no_projection(kwargs: dict) -> None:
    """RNN and GRU take no ``proj_size`` (PyTorch's ValueError) and no other unknown keyword."""
    if "proj_size" in kwargs:
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
    if kwargs:
        raise TypeError(f"RNNBase.__init__() got an unexpected keyword argument '{next(iter(kwargs))}'")


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or relu), stacked ``num_layers`` deep.

    >>> rnn = RNN(10, 20, num_layers=2)
    >>> output, h_n = rnn(minitorch.randn(5, 3, 10))
    >>> output.shape, h_n.shape
    (minitorch.Size([5, 3, 20]), minitorch.Size([2, 3, 20]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device=None, dtype=None, **kwargs) -> None:
        _no_projection(kwargs)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(mode, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)


class LSTM(RNNBase):
    """Long short-term memory: gates i, f, g, o decide what the cell c keeps, writes and shows (see `_lstm_step`).

    Returns (output, (h_n, c_n)). ``proj_size > 0`` adds ``weight_hr_l{k}`` and makes h of size proj_size.

    >>> lstm = LSTM(10, 20, batch_first=True)
    >>> output, (h_n, c_n) = lstm(minitorch.randn(3, 5, 10))
    >>> output.shape, h_n.shape, c_n.shape
    (minitorch.Size([3, 5, 20]), minitorch.Size([1, 3, 20]), minitorch.Size([1, 3, 20]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device=device, dtype=dtype)


class GRU(RNNBase):
    """Gated recurrent unit: a reset gate r and an update gate z mix the old state with a candidate n.

    >>> gru = GRU(10, 20, bidirectional=True)
    >>> output, h_n = gru(minitorch.randn(5, 3, 10))
    >>> output.shape, h_n.shape
    (minitorch.Size([5, 3, 40]), minitorch.Size([2, 3, 20]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device=None, dtype=None, **kwargs) -> None:
        _no_projection(kwargs)
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)


# ---- the cells: one time step, for writing the loop yourself ----------------------------------------------------


class RNNCellBase(Module):
    """Parameters ``weight_ih`` (chunks*hidden, input), ``weight_hh`` (chunks*hidden, hidden), ``bias_ih``, ``bias_hh``."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int,
                 device=None, dtype=None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        gate_size = num_chunks * hidden_size
        self.weight_ih = Parameter(empty(gate_size, input_size, device=device, dtype=dtype))
        self.weight_hh = Parameter(empty(gate_size, hidden_size, device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(gate_size, device=device, dtype=dtype))
            self.bias_hh = Parameter(empty(gate_size, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def _prepare(self, input: Tensor, states: tuple, hx_names: tuple) -> tuple[Tensor, tuple, bool]:
        """Check input (N, H_in) or (H_in,) and the states; add the batch dimension; zeros for missing states."""
        name = type(self).__name__
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        for s, which in zip(states, hx_names):
            if s is not None and s.dim() not in (1, 2):
                raise ValueError(f"{name}: Expected {which} to be 1D or 2D, got {s.dim()}D instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
            states = tuple(None if s is None else s.unsqueeze(0) for s in states)
        zero = zeros(input.size(0), self.hidden_size, dtype=input.dtype, device=input.device)
        states = tuple(zero if s is None else s for s in states)
        self._check_sizes(input, states)
        return input, states, is_batched

    def _input_projection(self, input: Tensor) -> tuple[Tensor, _Weights]:
        """gi = W_ih x + b_ih, and the weights for the step function."""
        w = _Weights(self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return F.linear(input, w.w_ih, w.b_ih), w

    def _check_sizes(self, input: Tensor, states: tuple) -> None:
        if input.size(1) != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.size(1)} expected {self.input_size}")
        for i, s in enumerate(states):
            if input.size(0) != s.size(0):
                raise RuntimeError(f"Input batch size {input.size(0)} doesn't match hidden{i} batch size {s.size(0)}")
            if s.size(1) != self.hidden_size:
                raise RuntimeError(f"hidden{i} has inconsistent hidden_size: got {s.size(1)}, "
                                   f"expected {self.hidden_size}")


class RNNCell(RNNCellBase):
    """One Elman step: h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (or relu).

    >>> cell = RNNCell(10, 20)
    >>> h = cell(minitorch.randn(3, 10))          # h starts at zeros
    >>> cell(minitorch.randn(3, 10), h).shape
    minitorch.Size([3, 20])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        steps = {"tanh": _rnn_tanh_step, "relu": _rnn_relu_step}
        if self.nonlinearity not in steps:
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        input, (h,), is_batched = self._prepare(input, (hx,), ("hidden",))
        gi, w = self._input_projection(input)
        h = steps[self.nonlinearity](gi, h, w)
        return h if is_batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step: returns (h', c') from input and (h, c) (zeros when None).

    >>> cell = LSTMCell(10, 20)
    >>> h, c = cell(minitorch.randn(3, 10))
    >>> h.shape, c.shape
    (minitorch.Size([3, 20]), minitorch.Size([3, 20]))
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        input, (h, c), is_batched = self._prepare(input, (None, None) if hx is None else tuple(hx), ("hx[0]", "hx[1]"))
        gi, w = self._input_projection(input)
        h, c = _lstm_step(gi, (h, c), w)
        return (h, c) if is_batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step: h' = (1 - z) * n + z * h.

    >>> cell = GRUCell(10, 20)
    >>> cell(minitorch.randn(3, 10)).shape
    minitorch.Size([3, 20])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, (h,), is_batched = self._prepare(input, (hx,), ("hidden",))
        gi, w = self._input_projection(input)
        h = _gru_step(gi, h, w)
        return h if is_batched else h.squeeze(0)
