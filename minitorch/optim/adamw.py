"""AdamW: Adam with *decoupled* weight decay (Loshchilov & Hutter, 2019).

Adam's ``weight_decay`` adds λθ to the gradient, so the decay is rescaled
by the adaptive step like any gradient. AdamW instead shrinks the weights
directly, ``θ <- θ - γλθ``, before the Adam update; the rest of the step is
Adam's (see adam.py).
"""

from __future__ import annotations

from typing import Any, Iterable

from .._tensor import Tensor
from .adam import Adam


class AdamW(Adam):
    """Adam with decoupled weight decay (default ``weight_decay=1e-2``).

    >>> opt = minitorch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:  # an AdamW always decouples, whatever the saved groups say
            group["decoupled_weight_decay"] = True
