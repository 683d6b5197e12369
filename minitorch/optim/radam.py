"""RAdam: Adam whose adaptive step is switched on only once the variance estimate is reliable.

PyTorch's algorithm (torch.optim.RAdam documentation), for each parameter θ
with gradient g, learning rate γ, betas (β1, β2), weight decay λ, step t:

    g     <- -g                                  if maximize
    θ     <- θ - γ λ θ                           if λ != 0 and decoupled_weight_decay
    g     <- g + λ θ                             if λ != 0 otherwise
    m     <- β1 m + (1 - β1) g                   first moment  ("exp_avg")
    v     <- β2 v + (1 - β2) g²                  second moment ("exp_avg_sq")
    m̂     <- m / (1 - β1^t)
    ρ_∞   <- 2 / (1 - β2) - 1
    ρ_t   <- ρ_∞ - 2 t β2^t / (1 - β2^t)         length of the approximated moving average
    if ρ_t > 5:  r <- sqrt((ρ_t - 4)(ρ_t - 2) ρ_∞ / ((ρ_∞ - 4)(ρ_∞ - 2) ρ_t))     rectification
                 l <- sqrt(1 - β2^t) / (sqrt(v) + ε)                               adaptive lr
                 θ <- θ - γ m̂ l r
    else:        θ <- θ - γ m̂                                                      (SGD with momentum)
"""

from __future__ import annotations

from typing import Any, Iterable

from .._tensor import Tensor
from ..ops.creation import zeros_like
from .optimizer import (
    Optimizer,
    _bump_versions,
    _check_tensor_lr,
    _lerp_arrays,
    _new_step_count,
    _weight_decay_arrays,
    check_hyperparameters,
)


class RAdam(Optimizer):
    """RAdam (Liu et al., 2019), optionally with decoupled weight decay (RAdamW).

    >>> opt = minitorch.optim.RAdam(model.parameters(), lr=1e-3)
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        _check_tensor_lr(lr)
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, maximize=maximize, foreach=foreach,
                        capturable=capturable, decoupled_weight_decay=decoupled_weight_decay,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    _setstate_defaults = dict(foreach=None, maximize=False, differentiable=False, capturable=False,
                              decoupled_weight_decay=False)

    def _state_for(self, param: Tensor, group: dict[str, Any]) -> dict:
        state = self.state[param]
        if len(state) == 0:
            state["step"] = _new_step_count(param, group)
            state["exp_avg"] = zeros_like(param)
            state["exp_avg_sq"] = zeros_like(param)
        return state

    @staticmethod
    def _rectification(step: float, beta2: float) -> float | None:
        """r_t, or None while ρ_t <= 5 (too few steps for a usable variance estimate)."""
        bias_correction2 = 1 - beta2**step
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
        if not rho_t > 5.0:
            return None
        return ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5

    def _update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """One RAdam step for one parameter, line by line as the formula above."""
        lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        state = self._state_for(param, group)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]

        if group["maximize"]:
            grad = -grad
        step = state["step"].add_(1).item()  # t <- t + 1
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                param.mul_(1 - lr * weight_decay)  # θ <- θ - γλθ
            else:
                grad = grad.add(param, alpha=weight_decay)  # g <- g + λθ
        exp_avg.lerp_(grad, 1 - beta1)  # m <- β1 m + (1-β1) g
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)  # v <- β2 v + (1-β2) g²
        if group["differentiable"]:  # the buffers change in place next step: the graph keeps copies
            exp_avg, exp_avg_sq = exp_avg.clone(), exp_avg_sq.clone()
        bias_corrected_exp_avg = exp_avg / (1 - beta1**step)  # m̂
        rect = self._rectification(step, beta2)
        if rect is None:
            param.add_(bias_corrected_exp_avg * lr, alpha=-1.0)  # θ <- θ - γ m̂
            return
        adaptive_lr = (1 - beta2**step) ** 0.5 / (exp_avg_sq.sqrt() + eps)  # l
        param.add_(bias_corrected_exp_avg * lr * adaptive_lr * rect, alpha=-1.0)  # θ <- θ - γ m̂ l r

    def _update_fast(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """``_update`` on the raw arrays: the same operations in the same order (see optimizer.py)."""
        lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        state = self._state_for(param, group)
        xp = param._device.xp
        p, g, m, v = param._data, grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data
        if group["maximize"]:
            g = -g
        state["step"]._data += 1
        step = float(state["step"]._data)
        g = _weight_decay_arrays(p, g, lr, weight_decay, group["decoupled_weight_decay"])
        _lerp_arrays(m, g, 1 - beta1)  # m <- lerp(m, g, 1-β1)
        v *= beta2
        v += (1 - beta2) * g * g
        update = m / (1 - beta1**step)
        update *= lr
        rect = self._rectification(step, beta2)
        if rect is not None:
            update *= (1 - beta2**step) ** 0.5 / (xp.sqrt(v) + eps)
            update *= rect
        p -= update
        _bump_versions(param, state["step"], state["exp_avg"], state["exp_avg_sq"])
