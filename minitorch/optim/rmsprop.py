"""RMSprop: divide the gradient by a running root-mean-square of recent gradients.

PyTorch's algorithm (torch.optim.RMSprop documentation), for each parameter
θ with gradient g, learning rate γ, smoothing α, momentum μ, weight decay λ:

    g     <- -g                                if maximize
    g     <- g + λ θ                           if λ != 0
    v     <- α v + (1 - α) g²                  running mean of g²
    avg   <- sqrt(v) + ε,   or, if centered:
    g_avg <- α g_avg + (1 - α) g               running mean of g
    avg   <- sqrt(v - g_avg²) + ε              (a running standard deviation)
    b     <- μ b + g / avg,   θ <- θ - γ b     if μ > 0
    θ     <- θ - γ g / avg                     otherwise
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .._tensor import Tensor
from ..ops.creation import zeros_like
from .optimizer import Optimizer, _bump_versions, _check_tensor_lr, _new_step_count, check_hyperparameters


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture notes), optionally centered and with momentum.

    >>> opt = minitorch.optim.RMSprop(model.parameters(), lr=1e-2, alpha=0.99)
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        _check_tensor_lr(lr)
        check_hyperparameters(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered, weight_decay=weight_decay,
                        capturable=capturable, foreach=foreach, maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    _setstate_defaults = dict(momentum=0, centered=False, foreach=None, maximize=False, differentiable=False,
                              capturable=False)

    def _state_for(self, param: Tensor, group: dict[str, Any]) -> dict:
        state = self.state[param]
        if len(state) == 0:
            state["step"] = _new_step_count(param, group)
            state["square_avg"] = zeros_like(param)
            if group["momentum"] > 0:
                state["momentum_buffer"] = zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = zeros_like(param)
        return state

    def _update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """One RMSprop step for one parameter, line by line as the formula above."""
        lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
        momentum, weight_decay = group["momentum"], group["weight_decay"]
        state = self._state_for(param, group)
        square_avg = state["square_avg"]

        if group["maximize"]:
            grad = -grad
        state["step"].add_(1)
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)  # g <- g + λθ
        square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)  # v <- α v + (1-α) g²
        if group["centered"]:
            grad_avg = state["grad_avg"].lerp_(grad, 1 - alpha)  # g_avg <- α g_avg + (1-α) g
            avg = (square_avg - grad_avg * grad_avg).sqrt_()  # sqrt(v - g_avg²)
        else:
            avg = square_avg.sqrt()  # sqrt(v)
        avg = avg + eps
        if momentum > 0:
            buf = state["momentum_buffer"].mul_(momentum).addcdiv_(grad, avg)  # b <- μ b + g / avg
            param.add_(buf, alpha=-lr)  # θ <- θ - γ b
        else:
            param.addcdiv_(grad, avg, value=-lr)  # θ <- θ - γ g / avg

    def _update_fast(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """``_update`` on the raw arrays: the same operations in the same order (see optimizer.py)."""
        lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
        momentum, weight_decay = group["momentum"], group["weight_decay"]
        state = self._state_for(param, group)
        xp = param._device.xp
        p, g, v = param._data, grad._data, state["square_avg"]._data
        if group["maximize"]:
            g = -g
        state["step"]._data += 1
        if weight_decay != 0:
            g = g + weight_decay * p
        v *= alpha  # v <- α v + ((1-α) g) g
        v += (1 - alpha) * g * g
        changed = [param, state["step"], state["square_avg"]]
        if group["centered"]:
            ga = state["grad_avg"]._data
            ga += (1 - alpha) * (g - ga)  # lerp, as Tensor.lerp_ computes it
            with np.errstate(invalid="ignore"):  # NaN without a warning when rounding makes v < g_avg², as sqrt
                avg = xp.sqrt(v - ga * ga)
            changed.append(state["grad_avg"])
        else:
            avg = xp.sqrt(v)
        avg += eps
        if momentum > 0:
            buf = state["momentum_buffer"]._data
            buf *= momentum  # b <- μ b + g / avg
            buf += g / avg
            p += -lr * buf
            changed.append(state["momentum_buffer"])
        else:
            p += -lr * g / avg
        _bump_versions(*changed)
