"""Adagrad: step sizes that shrink with the sum of all past squared gradients.

PyTorch's algorithm (torch.optim.Adagrad documentation), for each parameter
θ with gradient g, learning rate γ, lr decay η, weight decay λ, step t:

    g    <- -g                       if maximize
    g    <- g + λ θ                  if λ != 0
    γ_t  <- γ / (1 + (t - 1) η)      decayed learning rate
    s    <- s + g²                   sum of squares (starts at initial_accumulator_value)
    θ    <- θ - γ_t g / (sqrt(s) + ε)
"""

from __future__ import annotations

from typing import Any, Iterable

from .._tensor import Tensor
from ..ops.creation import full_like
from .optimizer import Optimizer, _bump_versions, _check_fused, _check_tensor_lr, _new_step_count, check_hyperparameters


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011).

    >>> opt = minitorch.optim.Adagrad(model.parameters(), lr=1e-2)
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        _check_tensor_lr(lr)
        check_hyperparameters(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                              initial_accumulator_value=initial_accumulator_value, eps=eps)
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)
        # Unlike the other optimizers, Adagrad fills its state at construction (as PyTorch does).
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, group)

    def _init_state(self, param: Tensor, group: dict[str, Any]) -> dict:
        state = self.state[param]
        state["step"] = _new_step_count(param, group)
        state["sum"] = full_like(param, group["initial_accumulator_value"])
        return state

    _setstate_defaults = dict(foreach=None, maximize=False, differentiable=False, fused=None)

    def _update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """One Adagrad step for one parameter, line by line as the formula above."""
        state = self.state[param]
        if len(state) == 0:  # a parameter added later with add_param_group
            state = self._init_state(param, group)
        step = state["step"].add_(1).item()  # t <- t + 1
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad.add(param, alpha=group["weight_decay"])  # g <- g + λθ
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])  # γ_t
        state["sum"].addcmul_(grad, grad, value=1)  # s <- s + g²
        std = state["sum"].sqrt() + group["eps"]  # sqrt(s) + ε
        param.addcdiv_(grad, std, value=-clr)  # θ <- θ - γ_t g / std

    def _update_fast(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """``_update`` on the raw arrays: the same operations in the same order (see optimizer.py)."""
        state = self.state[param]
        if len(state) == 0:
            state = self._init_state(param, group)
        xp = param._device.xp
        p, g, s = param._data, grad._data, state["sum"]._data
        state["step"]._data += 1
        step = float(state["step"]._data)
        if group["maximize"]:
            g = -g
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        s += g * g  # s <- s + g²
        std = xp.sqrt(s)
        std += group["eps"]
        p += -clr * g / std
        _bump_versions(param, state["step"], state["sum"])
