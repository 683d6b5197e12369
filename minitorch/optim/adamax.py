"""Adamax: Adam with the infinity norm (a running maximum of |g|) in place of the RMS.

PyTorch's algorithm (torch.optim.Adamax documentation), for each parameter θ
with gradient g, learning rate γ, betas (β1, β2), weight decay λ, step t:

    g <- -g                                  if maximize
    g <- g + λ θ                             if λ != 0
    m <- β1 m + (1 - β1) g                   first moment          ("exp_avg")
    u <- max(β2 u, |g| + ε)                  infinity norm         ("exp_inf")
    θ <- θ - γ / (1 - β1^t) · m / u
"""

from __future__ import annotations

from typing import Any, Iterable

from .._tensor import Tensor
from ..ops.creation import zeros_like
from .optimizer import Optimizer, _bump_versions, _check_tensor_lr, _lerp_arrays, _new_step_count, check_hyperparameters


class Adamax(Optimizer):
    """Adamax (Kingma & Ba, 2014, section 7).

    >>> opt = minitorch.optim.Adamax(model.parameters(), lr=2e-3)
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        _check_tensor_lr(lr)
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    _setstate_defaults = dict(foreach=None, maximize=False, differentiable=False, capturable=False)

    def _state_for(self, param: Tensor, group: dict[str, Any]) -> dict:
        state = self.state[param]
        if len(state) == 0:
            state["step"] = _new_step_count(param, group)
            state["exp_avg"] = zeros_like(param)
            state["exp_inf"] = zeros_like(param)
        return state

    def _update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """One Adamax step for one parameter, line by line as the formula above."""
        lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        state = self._state_for(param, group)
        exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]

        if group["maximize"]:
            grad = -grad
        step = state["step"].add_(1).item()  # t <- t + 1
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)  # g <- g + λθ
        exp_avg.lerp_(grad, 1 - beta1)  # m <- β1 m + (1-β1) g
        exp_inf.mul_(beta2).maximum_(grad.abs() + eps)  # u <- max(β2 u, |g| + ε)
        clr = lr / (1 - beta1**step)  # γ / (1 - β1^t)
        param.addcdiv_(exp_avg, exp_inf, value=-clr)  # θ <- θ - clr m / u

    def _update_fast(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """``_update`` on the raw arrays: the same operations in the same order (see optimizer.py)."""
        lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        state = self._state_for(param, group)
        xp = param._device.xp
        p, g, m, u = param._data, grad._data, state["exp_avg"]._data, state["exp_inf"]._data
        if group["maximize"]:
            g = -g
        state["step"]._data += 1
        step = float(state["step"]._data)
        if weight_decay != 0:
            g = g + weight_decay * p
        _lerp_arrays(m, g, 1 - beta1)  # m <- lerp(m, g, 1-β1)
        u *= beta2
        xp.maximum(u, xp.abs(g) + eps, out=u)
        p += (-(lr / (1 - beta1**step)) * m) / u
        _bump_versions(param, state["step"], state["exp_avg"], state["exp_inf"])
