"""`nn.utils.rnn`: batches of sequences of different lengths, padded or packed.

A batch of sequences of lengths 3, 2, 1 can be stored two ways:

* padded: one (T, B, *) tensor, the short sequences filled up with a padding value;
* packed (`PackedSequence`): only the real steps, time step after time step:
  ``data`` holds step 0 of every sequence, then step 1 of the sequences that
  still run, ...; ``batch_sizes[t]`` says how many sequences run at step t.
  Sequences ``abc``, ``de``, ``f`` pack to data ``adf be c`` with batch_sizes [3, 2, 1].

The recurrent layers take a PackedSequence and skip the padding entirely.
Packing needs the sequences sorted longest first; with ``enforce_sorted=False``
they are sorted here and ``sorted_indices`` / ``unsorted_indices`` remember the
permutation so that padding again (and the RNN's final states) come back in the
caller's order.

Packing and padding are one gather each (``index_select`` with a list of
positions worked out on the host), so gradients flow through both.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from ... import _dtype
from ..._tensor import Tensor
from ...ops.creation import arange, as_tensor, empty, full, tensor
from ...ops.indexing import index_select, scatter
from ...ops.shape import cat, stack
from ...ops.sorting import sort

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "unpad_sequence", "pack_sequence", "unpack_sequence"]


class PackedSequence_(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


def _bind(optional, fn):
    return None if optional is None else fn(optional)


class PackedSequence(PackedSequence_):
    """The steps of a batch of sequences, stored time step after time step (made by `pack_padded_sequence`).

    ``data`` (sum of lengths, *), ``batch_sizes`` (a CPU int64 tensor: sequences running at each step),
    ``sorted_indices`` / ``unsorted_indices`` (the sort permutation and its inverse, or None).

    >>> p = pack_sequence([minitorch.tensor([1, 2, 3]), minitorch.tensor([4, 5]), minitorch.tensor([6])])
    >>> p.data, p.batch_sizes
    (tensor([1, 4, 6, 2, 5, 3]), tensor([3, 2, 1]))
    """

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is not None:
            if batch_sizes.device.type != "cpu":
                raise ValueError(
                    "batch_sizes should always be on CPU. Instances of PackedSequence should never be created "
                    "manually. They should be instantiated by functions like pack_sequence and "
                    "pack_padded_sequences in nn.utils.rnn. "
                    "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence")
            return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)
        if not (isinstance(data, (list, tuple)) and len(data) == 2):  # PackedSequence((data, batch_sizes))
            raise AssertionError("Expected data to be a list or tuple of length 2")
        return super().__new__(cls, data[0], data[1], sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs) -> PackedSequence:
        """``data.to(...)``; the index tensors follow data's device, batch_sizes stays on the CPU."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        move = lambda t: t.to(data.device)  # noqa: E731
        return type(self)(data, self.batch_sizes, _bind(self.sorted_indices, move), _bind(self.unsorted_indices, move))

    def cuda(self, *args, **kwargs) -> PackedSequence:
        ex = empty(0, dtype=self.data.dtype, device=self.data.device).to(*args, **kwargs)
        if ex.is_cuda:
            return self.to(*args, **kwargs)
        kwargs["device"] = "cuda"
        return self.to(*args, **kwargs)

    def cpu(self, *args, **kwargs) -> PackedSequence:
        ex = empty(0, dtype=self.data.dtype, device=self.data.device).to(*args, **kwargs)
        if ex.device.type == "cpu":
            return self.to(*args, **kwargs)
        kwargs["device"] = "cpu"
        return self.to(*args, **kwargs)

    def double(self) -> PackedSequence:
        return self.to(dtype=_dtype.float64)

    def float(self) -> PackedSequence:
        return self.to(dtype=_dtype.float32)

    def half(self) -> PackedSequence:
        return self.to(dtype=_dtype.float16)

    def long(self) -> PackedSequence:
        return self.to(dtype=_dtype.int64)

    def int(self) -> PackedSequence:
        return self.to(dtype=_dtype.int32)

    def short(self) -> PackedSequence:
        return self.to(dtype=_dtype.int16)

    def char(self) -> PackedSequence:
        return self.to(dtype=_dtype.int8)

    def byte(self) -> PackedSequence:
        return self.to(dtype=_dtype.uint8)

    @property
    def is_cuda(self) -> bool:
        """True when ``data`` is on a GPU."""
        return self.data.is_cuda


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse permutation: ``out[permutation[i]] = i``.

    >>> invert_permutation(minitorch.tensor([2, 0, 1]))
    tensor([1, 2, 0])
    """
    if permutation is None:
        return None
    positions = arange(0, permutation.numel(), device=permutation.device)
    return scatter(empty(*permutation.shape, dtype=permutation.dtype, device=permutation.device), 0, permutation,
                   positions)


# ---- packing ----------------------------------------------------------------------------------------------------


def _check_lengths(lengths: Tensor, batch_size: int) -> list[int]:
    """The lengths as a list, with PyTorch's checks (longest first, all > 0)."""
    if lengths.size(0) != batch_size:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {lengths.size(0)} "
                           f"(batch_size={batch_size})")
    lens = lengths.tolist()
    if lens[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    if any(a < b for a, b in zip(lens, lens[1:])):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can "
                           "pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this "
                           "requirement if you do not need ONNX exportability.")
    return lens


def _pack_padded(input: Tensor, lengths: Tensor, batch_first: bool) -> tuple[Tensor, Tensor]:
    """Sorted padded (T, B, *) -> (data, batch_sizes): data gathers input[t, b] for every b with t < lengths[b]."""
    if lengths.dim() != 1 or lengths.device.type != "cpu":
        raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got {lengths.dim()}D "
                           f"{lengths.device} Long tensor")
    if batch_first:
        input = input.transpose(0, 1)
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    batch = input.size(1)
    lens = _check_lengths(lengths, batch)
    batch_sizes = [sum(1 for n in lens if n > t) for t in range(lens[0])]
    rows = [t * batch + b for t, bs in enumerate(batch_sizes) for b in range(bs)]  # positions in (T * B, *)
    flat = input.reshape(-1, *input.shape[2:])
    data = index_select(flat, 0, tensor(rows, dtype=_dtype.int64, device=input.device))
    return data, tensor(batch_sizes, dtype=_dtype.int64)


def pack_padded_sequence(input: Tensor, lengths, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch (T, B, *) (or (B, T, *) when ``batch_first``) of sequences of the given lengths.

    ``lengths``: a list or a CPU int64 tensor. With ``enforce_sorted=False`` the batch is sorted here first.

    >>> x = minitorch.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]])
    >>> pack_padded_sequence(x, [2, 1, 3], batch_first=True, enforce_sorted=False).data
    tensor([4, 1, 3, 5, 2, 6])
    """
    if not isinstance(lengths, Tensor):
        lengths = as_tensor(lengths, dtype=_dtype.int64, device="cpu")
    else:
        lengths = lengths.to(dtype=_dtype.int64)
    sorted_indices = None
    if not enforce_sorted:
        lengths, sorted_indices = sort(lengths, descending=True)
        sorted_indices = sorted_indices.to(input.device)
        input = index_select(input, 0 if batch_first else 1, sorted_indices)
    data, batch_sizes = _pack_padded(input, lengths, batch_first)
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def pack_sequence(sequences: list[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of (L_i, *) tensors: `pad_sequence` then `pack_padded_sequence`.

    >>> pack_sequence([minitorch.tensor([1, 2, 3]), minitorch.tensor([4, 5])]).data
    tensor([1, 4, 2, 5, 3])
    """
    lengths = as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


# ---- padding ----------------------------------------------------------------------------------------------------


def _pad_packed(data: Tensor, batch_sizes: Tensor, batch_first: bool, padding_value, total: int):
    """(data, batch_sizes) -> padded (total, B, *) and the lengths: a gather from data plus one padding row."""
    sizes = batch_sizes.tolist()
    batch = sizes[0]
    pad_row = data.size(0)  # the index of the padding row appended below
    rows, offset = [], 0
    for t in range(total):
        bs = sizes[t] if t < len(sizes) else 0
        rows.extend(offset + b if b < bs else pad_row for b in range(batch))
        offset += bs
    padding = full((1, *data.shape[1:]), padding_value, dtype=data.dtype, device=data.device)
    padded = index_select(cat([data, padding]), 0, tensor(rows, dtype=_dtype.int64, device=data.device))
    padded = padded.reshape(total, batch, *data.shape[1:])
    lengths = tensor([sum(1 for s in sizes if s > b) for b in range(batch)], dtype=_dtype.int64)
    return (padded.transpose(0, 1) if batch_first else padded), lengths


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """Unpack to a padded (T, B, *) tensor (B, T, * when ``batch_first``) and the lengths, in the original order.

    >>> p = pack_sequence([minitorch.tensor([1, 2]), minitorch.tensor([3])])
    >>> pad_packed_sequence(p, batch_first=True)
    (tensor([[1, 2],
            [3, 0]]), tensor([2, 1]))
    """
    max_seq_length = sequence.batch_sizes.size(0)
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, but "
                             f"got total_length={total_length} and max sequence length being {max_seq_length}")
        max_seq_length = total_length
    padded, lengths = _pad_packed(sequence.data, sequence.batch_sizes, batch_first, padding_value, max_seq_length)
    unsorted = sequence.unsorted_indices
    if unsorted is None:
        return padded, lengths
    return index_select(padded, 0 if batch_first else 1, unsorted), lengths[unsorted.cpu()]


def _check_copy_shape(dest: tuple, src: tuple) -> None:
    """``dest.copy_(src)`` broadcasts src; PyTorch's message when it cannot."""
    ndim = max(len(dest), len(src))
    dest, src = (1,) * (ndim - len(dest)) + dest, (1,) * (ndim - len(src)) + src
    for i in range(ndim - 1, -1, -1):
        if dest[i] != src[i] and src[i] != 1 and dest[i] != 1:
            raise RuntimeError(f"The size of tensor a ({dest[i]}) must match the size of tensor b ({src[i]}) "
                               f"at non-singleton dimension {i}")


def pad_sequence(sequences, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack (L_i, *) tensors into (T, B, *) (or (B, T, *)), padding each to the longest length T.

    Dtype, device and trailing shape come from ``sequences[0]``.

    >>> pad_sequence([minitorch.tensor([1, 2]), minitorch.tensor([3])], batch_first=True, padding_side="left")
    tensor([[1, 2],
            [0, 3]])
    """
    if not isinstance(sequences, Iterable):
        raise RuntimeError(f"pad_sequence: Expected iterable for input sequences, but got arg of type: "
                           f"{type(sequences)}")
    sequences = tuple(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    first = sequences[0]
    if first.dim() == 0:
        raise RuntimeError("ArrayRef: invalid slice, N = 1; size = 0")
    trailing = tuple(first.shape[1:])
    max_len = max(s.size(0) for s in sequences)
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    columns = []
    for seq in sequences:
        length = seq.size(0)
        _check_copy_shape((length, *trailing), tuple(seq.shape))
        seq = seq.to(first.device, first.dtype).expand(length, *trailing)
        pad = full((max_len - length, *trailing), padding_value, dtype=first.dtype, device=first.device)
        columns.append(cat([seq, pad] if padding_side == "right" else [pad, seq]))
    return stack(columns, 0 if batch_first else 1)


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False) -> list[Tensor]:
    """Split a padded batch back into a list of (lengths[i], *) tensors.

    As in PyTorch, a time-major ``padded_sequences`` is transposed in place.

    >>> unpad_sequence(minitorch.tensor([[1, 2], [3, 0]]), minitorch.tensor([2, 1]), batch_first=True)
    [tensor([1, 2]), tensor([3])]
    """
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    idx = arange(padded_sequences.shape[1], device=lengths.device)
    return [seq[idx < length] for seq, length in zip(padded_sequences, lengths, strict=True)]


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """A PackedSequence back to the list of its sequences (`pad_packed_sequence` then `unpad_sequence`).

    >>> unpack_sequence(pack_sequence([minitorch.tensor([1, 2]), minitorch.tensor([3])]))
    [tensor([1, 2]), tensor([3])]
    """
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
