"""Optimizers (``SGD``, ``Adam`` ...) and learning-rate schedulers, as ``torch.optim``.

An optimizer takes the parameters (tensors, not a module) and updates them
from their ``.grad`` in ``step()``; ``lr_scheduler`` changes the learning
rate of an optimizer's parameter groups between steps.

>>> opt = minitorch.optim.SGD([w], lr=0.1, momentum=0.9)
>>> sched = minitorch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
"""

from __future__ import annotations

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler"]
