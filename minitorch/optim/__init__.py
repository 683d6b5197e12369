"""Optimizers (``SGD``, ``Adam`` ...) and learning-rate schedulers, as ``torch.optim``.

An optimizer takes the parameters (tensors, not a module) and updates them
from their ``.grad`` in ``step()``; ``lr_scheduler`` changes the learning
rate of an optimizer's parameter groups between steps.

>>> opt = minitorch.optim.SGD([w], lr=0.1, momentum=0.9)
>>> sched = minitorch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
"""

from __future__ import annotations

from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .asgd import ASGD
from .lbfgs import LBFGS
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler",
           "Adadelta", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop", "LBFGS"]
