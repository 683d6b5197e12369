"""NAdam: Adam with Nesterov momentum (the update looks one momentum step ahead).

PyTorch's algorithm (torch.optim.NAdam documentation), for each parameter θ
with gradient g, learning rate γ, betas (β1, β2), weight decay λ, momentum
decay ψ, step t:

    g     <- -g                                   if maximize
    θ     <- θ - γ λ θ                            if λ != 0 and decoupled_weight_decay
    g     <- g + λ θ                              if λ != 0 otherwise
    μ_t   <- β1 (1 - 0.5 · 0.96^(t ψ))            momentum schedule (μ_{t+1} likewise)
    Π_t   <- Π_{t-1} μ_t                          product of the μ's     ("mu_product")
    m     <- β1 m + (1 - β1) g                    first moment           ("exp_avg")
    v     <- β2 v + (1 - β2) g²                   second moment          ("exp_avg_sq")
    d     <- sqrt(v / (1 - β2^t)) + ε
    θ     <- θ - γ (1 - μ_t) / (1 - Π_t) · g / d - γ μ_{t+1} / (1 - Π_t μ_{t+1}) · m / d
"""

from __future__ import annotations

from typing import Any, Iterable

from .._tensor import Tensor
from ..ops.creation import ones, zeros_like
from .optimizer import (
    Optimizer,
    _bump_versions,
    _check_tensor_lr,
    _lerp_arrays,
    _new_step_count,
    _scalar_dtype,
    _weight_decay_arrays,
    check_hyperparameters,
)


class NAdam(Optimizer):
    """NAdam (Dozat, 2016), optionally with decoupled weight decay (NAdamW).

    >>> opt = minitorch.optim.NAdam(model.parameters(), lr=2e-3)
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        _check_tensor_lr(lr)
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay, momentum_decay=momentum_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    _setstate_defaults = dict(maximize=False, foreach=None, capturable=False, differentiable=False,
                              decoupled_weight_decay=False)

    def _state_for(self, param: Tensor, group: dict[str, Any]) -> dict:
        state = self.state[param]
        if len(state) == 0:
            state["step"] = _new_step_count(param, group)
            device = param.device if group["capturable"] else None
            state["mu_product"] = ones((), dtype=_scalar_dtype(), device=device)  # Π_0 = 1
            state["exp_avg"] = zeros_like(param)
            state["exp_avg_sq"] = zeros_like(param)
        return state

    def _coefficients(self, state: dict, group: dict[str, Any]) -> tuple[float, float, float]:
        """Advance t and Π; return (t, the coefficient of g / d, the coefficient of m / d)."""
        lr, (beta1, _), psi = group["lr"], group["betas"], group["momentum_decay"]
        step = state["step"].add_(1).item()  # t <- t + 1
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * psi)))  # μ_t
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * psi)))  # μ_{t+1}
        mu_product = state["mu_product"].mul_(mu).item()  # Π_t <- Π_{t-1} μ_t  (rounded to the state's dtype)
        mu_product_next = mu_product * mu_next
        return step, -lr * (1.0 - mu) / (1.0 - mu_product), (-lr * mu_next) / (1.0 - mu_product_next)

    def _update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """One NAdam step for one parameter, line by line as the formula above."""
        lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        state = self._state_for(param, group)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]

        if group["maximize"]:
            grad = -grad
        # the step count and Π are advanced before the weight decay, as in PyTorch (it makes no difference)
        step, grad_coef, avg_coef = self._coefficients(state, group)
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                param.mul_(1 - lr * weight_decay)  # θ <- θ - γλθ
            else:
                grad = grad.add(param, alpha=weight_decay)  # g <- g + λθ
        exp_avg.lerp_(grad, 1 - beta1)  # m <- β1 m + (1-β1) g
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)  # v <- β2 v + (1-β2) g²
        if group["differentiable"]:  # the buffers change in place next step: the graph keeps copies
            exp_avg, exp_avg_sq = exp_avg.clone(), exp_avg_sq.clone()
        denom = (exp_avg_sq / (1 - beta2**step)).sqrt() + eps  # d <- sqrt(v / (1-β2^t)) + ε
        if group["differentiable"] or group["capturable"]:
            # PyTorch's tensor path: the coefficients from Π as a tensor (rounded to its dtype)
            grad_coef, avg_coef = self._tensor_coefficients(state, group, step)
            param.addcdiv_(grad * grad_coef, denom)
            param.addcdiv_(exp_avg * avg_coef, denom)
            return
        param.addcdiv_(grad, denom, value=grad_coef)  # θ <- θ - γ(1-μ_t)/(1-Π_t) g/d
        param.addcdiv_(exp_avg, denom, value=avg_coef)  # θ <- θ - γμ_{t+1}/(1-Π_t μ_{t+1}) m/d

    @staticmethod
    def _tensor_coefficients(state: dict, group: dict[str, Any], step: float) -> tuple[Tensor, Tensor]:
        """The two coefficients of ``_coefficients`` computed with Π as a 0-d tensor."""
        lr, (beta1, _), psi = group["lr"], group["betas"], group["momentum_decay"]
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * psi)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * psi)))
        mu_product = state["mu_product"]
        mu_product_next = mu_product * mu_next
        # number / tensor, written as PyTorch evaluates it: reciprocal(tensor) * number
        return (1.0 - mu_product).reciprocal() * (-lr * (1.0 - mu)), (1.0 - mu_product_next).reciprocal() * (-lr * mu_next)

    def _update_fast(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """``_update`` on the raw arrays: the same operations in the same order (see optimizer.py)."""
        lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        state = self._state_for(param, group)
        xp = param._device.xp
        p, g, m, v = param._data, grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data
        if group["maximize"]:
            g = -g
        step, grad_coef, avg_coef = self._coefficients(state, group)
        g = _weight_decay_arrays(p, g, lr, weight_decay, group["decoupled_weight_decay"])
        _lerp_arrays(m, g, 1 - beta1)  # m <- lerp(m, g, 1-β1)
        v *= beta2
        v += (1 - beta2) * g * g
        denom = xp.sqrt(v / (1 - beta2**step))
        denom += eps
        p += (grad_coef * g) / denom
        p += (avg_coef * m) / denom
        _bump_versions(param, state["exp_avg"], state["exp_avg_sq"])
