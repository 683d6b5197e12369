"""Adadelta: step sizes from the ratio of running RMS of past updates to running RMS of gradients.

PyTorch's algorithm (torch.optim.Adadelta documentation), for each parameter
θ with gradient g, learning rate γ, decay ρ, weight decay λ:

    g  <- -g                                   if maximize
    g  <- g + λ θ                              if λ != 0
    v  <- ρ v + (1 - ρ) g²                     running mean of g²        ("square_avg")
    Δx <- sqrt(u + ε) / sqrt(v + ε) · g        the update, in units of θ
    u  <- ρ u + (1 - ρ) Δx²                    running mean of Δx²       ("acc_delta")
    θ  <- θ - γ Δx
"""

from __future__ import annotations

from typing import Any, Iterable

from .._tensor import Tensor
from ..ops.creation import zeros_like
from .optimizer import Optimizer, _bump_versions, _check_tensor_lr, _new_step_count


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012).

    >>> opt = minitorch.optim.Adadelta(model.parameters(), lr=1.0, rho=0.9)
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False) -> None:
        _check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize, capturable=capturable,
                        foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    _setstate_defaults = dict(foreach=None, maximize=False, differentiable=False, capturable=False)

    def _state_for(self, param: Tensor, group: dict[str, Any]) -> dict:
        state = self.state[param]
        if len(state) == 0:
            state["step"] = _new_step_count(param, group)
            state["square_avg"] = zeros_like(param)
            state["acc_delta"] = zeros_like(param)
        return state

    def _update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """One Adadelta step for one parameter, line by line as the formula above."""
        lr, rho, eps, weight_decay = group["lr"], group["rho"], group["eps"], group["weight_decay"]
        state = self._state_for(param, group)
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]

        state["step"].add_(1)
        if group["maximize"]:
            grad = -grad
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)  # g <- g + λθ
        square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)  # v <- ρ v + (1-ρ) g²
        std = (square_avg + eps).sqrt()  # sqrt(v + ε)
        delta = (acc_delta + eps).sqrt() / std * grad  # Δx <- sqrt(u + ε) / sqrt(v + ε) · g
        acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)  # u <- ρ u + (1-ρ) Δx²
        param.add_(delta, alpha=-lr)  # θ <- θ - γ Δx

    def _update_fast(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """``_update`` on the raw arrays: the same operations in the same order (see optimizer.py)."""
        lr, rho, eps, weight_decay = group["lr"], group["rho"], group["eps"], group["weight_decay"]
        state = self._state_for(param, group)
        xp = param._device.xp
        p, g, v, u = param._data, grad._data, state["square_avg"]._data, state["acc_delta"]._data
        state["step"]._data += 1
        if group["maximize"]:
            g = -g
        if weight_decay != 0:
            g = g + weight_decay * p
        v *= rho  # v <- ρ v + ((1-ρ) g) g, as addcmul_
        v += (1 - rho) * g * g
        std = xp.sqrt(v + eps)
        delta = xp.sqrt(u + eps)
        delta /= std
        delta *= g
        u *= rho
        u += (1 - rho) * delta * delta
        p += -lr * delta
        _bump_versions(param, state["step"], state["square_avg"], state["acc_delta"])
