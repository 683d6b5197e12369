"""Random number generators: ``manual_seed`` and ``Generator``.

One default generator (the only random global state besides NumPy's and
Python's, which ``manual_seed`` leaves alone). Numbers come from NumPy's
PCG64 generator on the host, so the same seed gives the same numbers on
every device.
"""

from __future__ import annotations

import json

import numpy as np

# A new Generator() starts from PyTorch's default seed (torch.Generator().initial_seed()).
_NEW_GENERATOR_SEED = 67280421310721


class Generator:
    """A random number generator, as ``torch.Generator``.

    >>> g = Generator().manual_seed(0)
    >>> minitorch.rand(2, generator=g)
    """

    def __init__(self, device="cpu"):
        from ._backend import as_device

        self.device = as_device(device)
        self.manual_seed(_NEW_GENERATOR_SEED)

    def manual_seed(self, seed: int) -> "Generator":
        seed = int(seed)
        if seed < 0:
            seed += 2**64  # PyTorch accepts negative seeds by wrapping them
        self._seed = seed
        self._np = np.random.Generator(np.random.PCG64(seed))
        return self

    def seed(self) -> int:
        """Re-seed from fresh entropy and return the new seed."""
        self.manual_seed(int(np.random.SeedSequence().entropy % (2**63)))
        return self._seed

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self):
        """The state as a uint8 tensor (restore it with ``set_state``)."""
        from .ops.creation import tensor

        raw = json.dumps({"seed": self._seed, "state": self._np.bit_generator.state}).encode()
        return tensor(list(raw), dtype=_uint8())

    def set_state(self, state) -> "Generator":
        raw = bytes(np.asarray(state.numpy() if hasattr(state, "numpy") else state, dtype=np.uint8).tolist())
        d = json.loads(raw.decode())
        self._seed = d["seed"]
        self._np = np.random.Generator(np.random.PCG64())
        self._np.bit_generator.state = d["state"]
        return self

    def __repr__(self) -> str:
        return f"<minitorch.Generator object at {hex(id(self))}>"


def _uint8():
    from . import _dtype

    return _dtype.uint8


default_generator = Generator()
default_generator.seed()  # as PyTorch: the default generator starts from fresh entropy in each process


def manual_seed(seed: int) -> Generator:
    """Seed the default generator (and CUDA's, which shares it); returns it."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(state) -> None:
    default_generator.set_state(state)


def np_generator(generator: Generator | None) -> np.random.Generator:
    """The NumPy generator behind ``generator`` (the default one when None)."""
    return (generator or default_generator)._np
