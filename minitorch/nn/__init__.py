"""`minitorch.nn`: modules, layers, losses, initialisation (mirrors ``torch.nn``).

>>> from minitorch import nn
>>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
>>> loss = nn.CrossEntropyLoss()(model(minitorch.randn(3, 4)), minitorch.tensor([0, 1, 1]))
"""

from . import functional, init, utils
from .module import Module
from .modules import *  # noqa: F401,F403  (every layer, as torch.nn exports them)
from .modules import __all__ as _modules_all
from .parameter import Buffer, Parameter

__all__ = ["Module", "Parameter", "Buffer", "functional", "init", "utils"] + list(_modules_all)
