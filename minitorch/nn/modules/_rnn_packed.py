"""`RNN`, `LSTM` and `GRU` on a `PackedSequence`: each sequence runs for its own number of steps.

The packed data holds, time step after time step, the rows of the sequences
still running (longest first), so step t works on the first ``batch_sizes[t]``
rows of the state. Going forward in time the batch only shrinks: when a
sequence ends, its state is set aside as its final state. Going backward in
time (the reverse direction of a bidirectional layer) the batch only grows:
a sequence joins, with its initial state, at its own last step.

This is PyTorch's algorithm (``PackedLayer`` / ``ReversedPackedLayer`` in
ATen's RNN.cpp), built from the same step functions as the padded path, so
autograd provides the backward pass.
"""

from __future__ import annotations

from ..._tensor import Tensor
from ...ops.creation import zeros
from ...ops.shape import cat, stack
from .. import functional as F
from ..utils.rnn import PackedSequence


def _rows(state, start: int, stop: int):
    """Rows start:stop of a state (h, or the pair (h, c))."""
    return tuple(s[start:stop] for s in state) if isinstance(state, tuple) else state[start:stop]


def _concat(states: list):
    """The states' rows one after another."""
    if isinstance(states[0], tuple):
        return tuple(cat([s[i] for s in states]) for i in range(len(states[0])))
    return cat(states)


def _hidden(state):
    return state[0] if isinstance(state, tuple) else state


def _permute(state, permutation: Tensor | None):
    """Reorder the batch dimension of h (or of h and c) by ``permutation``."""
    if permutation is None:
        return state
    if isinstance(state, tuple):
        return tuple(s.index_select(1, permutation) for s in state)
    return state.index_select(1, permutation)


def _run_forward(step, gi: list, batch_sizes: list, state, w):
    """Forward in time; a sequence's final state is set aside when the batch shrinks past it."""
    finished, outputs, last = [], [], batch_sizes[0]
    for t, bs in enumerate(batch_sizes):
        if bs < last:
            finished.append(_rows(state, bs, last))
            state = _rows(state, 0, bs)
        last = bs
        state = step(gi[t], state, w)
        outputs.append(_hidden(state))
    finished.append(state)
    return outputs, _concat(finished[::-1])


def _run_reverse(step, gi: list, batch_sizes: list, state0, w):
    """Backward in time; a sequence joins with its initial state at its own last step."""
    last = batch_sizes[-1]
    state, outputs = _rows(state0, 0, last), []
    for t in range(len(batch_sizes) - 1, -1, -1):
        bs = batch_sizes[t]
        if bs > last:
            state = _concat([state, _rows(state0, last, bs)])
        last = bs
        state = step(gi[t], state, w)
        outputs.append(_hidden(state))
    return outputs[::-1], state


def run_packed_layers(module, step, data: Tensor, batch_sizes: list, hx):
    """All layers and directions over packed data (N, H_in); returns (packed output data, final states)."""
    num_directions = 2 if module.bidirectional else 1
    finals, x = [], data
    for layer in range(module.num_layers):
        if layer > 0 and module.dropout > 0 and module.training:
            x = F.dropout(x, module.dropout, training=True)
        outputs = []
        for direction in range(num_directions):
            k = layer * num_directions + direction
            state = tuple(s[k] for s in hx) if isinstance(hx, tuple) else hx[k]
            w = module._weights(layer, direction)
            gi = F.linear(x, w.w_ih, w.b_ih).split(batch_sizes, 0)  # input projection, cut into time steps
            run = _run_reverse if direction == 1 else _run_forward
            steps, state = run(step, gi, batch_sizes, state, w)
            outputs.append(cat(steps))
            finals.append(state)
        x = outputs[0] if num_directions == 1 else cat(outputs, dim=1)
    if isinstance(hx, tuple):
        return x, (stack([s[0] for s in finals]), stack([s[1] for s in finals]))
    return x, stack(finals)


def _check_packed_args(module, data: Tensor, hx, mini_batch: int) -> None:
    """PyTorch's ``check_forward_args`` for packed input (RNN and GRU; LSTM leaves packed input unchecked)."""
    weight_dtype = module._flat_weights[0].dtype
    if data.dtype != weight_dtype:
        raise ValueError(f"RNN input dtype ({data.dtype}) does not match weight dtype ({weight_dtype}). "
                         f"Convert input: input.to({weight_dtype}), or convert model: model.to({data.dtype})")
    if data.dim() != 2:
        raise RuntimeError(f"input must have 2 dimensions, got {data.dim()}")
    if data.size(-1) != module.input_size:
        raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {module.input_size}, "
                           f"got {data.size(-1)}")
    expected = (module.num_layers * (2 if module.bidirectional else 1), mini_batch, module.hidden_size)
    if tuple(hx.size()) != expected:
        raise RuntimeError(f"Expected hidden size {expected}, got {list(hx.size())}")


def _check_packed_lstm_state(module, hx) -> None:
    """PyTorch leaves a packed LSTM's (h_0, c_0) to ATen's kernel; its error types and messages for the common slips."""
    h, c = hx
    if h.dim() != 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-h.dim()}, {h.dim() - 1}], but got 2)")
    if h.size(0) != module.num_layers * (2 if module.bidirectional else 1):
        raise RuntimeError("Expected more hidden states in stacked_rnn")
    real_hidden = module.proj_size if module.proj_size > 0 else module.hidden_size
    if h.size(2) != real_hidden or (c.dim() == 3 and c.size(2) != module.hidden_size):
        raise RuntimeError("got an incorrect number of RNN parameters")


def forward_packed(module, step, input: PackedSequence, hx):
    """``module(packed, hx)``: (PackedSequence output, h_n) or (PackedSequence output, (h_n, c_n)).

    hx is given in the caller's batch order: it is put into sorted order (``sorted_indices``)
    before the run and h_n back into the caller's order (``unsorted_indices``) after it.
    """
    data, batch_sizes, sorted_indices, unsorted_indices = input
    sizes = batch_sizes.tolist()
    layers = module.num_layers * (2 if module.bidirectional else 1)
    if hx is None:
        real_hidden = module.proj_size if module.proj_size > 0 else module.hidden_size
        hx = zeros(layers, sizes[0], real_hidden, dtype=data.dtype, device=data.device)
        if module.mode == "LSTM":
            hx = (hx, zeros(layers, sizes[0], module.hidden_size, dtype=data.dtype, device=data.device))
    else:
        hx = _permute(tuple(hx) if module.mode == "LSTM" else hx, sorted_indices)
    if module.mode != "LSTM":
        _check_packed_args(module, data, hx, sizes[0])
    else:
        _check_packed_lstm_state(module, hx)
    output, h_n = run_packed_layers(module, step, data, sizes, hx)
    return PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices), _permute(h_n, unsorted_indices)
