"""ASGD: SGD whose step size decays, with a running average of the iterates.

PyTorch's algorithm (torch.optim.ASGD documentation), for each parameter θ
with gradient g, learning rate γ, decay term λ (``lambd``), power α, start of
averaging t0, weight decay w, step t (η starts at γ, μ at 1):

    g   <- -g                                 if maximize
    g   <- g + w θ                            if w != 0
    θ   <- θ (1 - λ η)                        decay
    θ   <- θ - η g                            SGD step with the current step size
    ax  <- ax + μ (θ - ax)   if μ != 1, else ax <- θ      averaged iterate ("ax")
    η   <- γ / (1 + λ γ t)^α                  next step size ("eta")
    μ   <- 1 / max(1, t - t0)                 next averaging weight ("mu")

The averaged parameters live in ``state["ax"]``; the parameters themselves
follow the plain (decayed) SGD iterates.
"""

from __future__ import annotations

from typing import Any, Iterable

from .._tensor import Tensor
from ..ops.creation import ones, tensor, zeros, zeros_like
from .optimizer import Optimizer, _check_tensor_lr, _scalar_dtype, _to_number, check_hyperparameters


class ASGD(Optimizer):
    """Averaged stochastic gradient descent (Polyak & Juditsky, 1992).

    >>> opt = minitorch.optim.ASGD(model.parameters(), lr=1e-2, t0=100)
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        _check_tensor_lr(lr)
        check_hyperparameters(lr=lr, weight_decay=weight_decay)
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    _setstate_defaults = dict(foreach=None, maximize=False, differentiable=False, capturable=False)

    def _state_for(self, param: Tensor, group: dict[str, Any]) -> dict:
        state = self.state[param]
        if len(state) == 0:  # all on the parameter's device, as in PyTorch
            dtype = _scalar_dtype()
            state["step"] = zeros((), dtype=dtype, device=param.device)
            state["eta"] = tensor(_to_number(group["lr"]), dtype=dtype, device=param.device)  # η_0 = γ
            state["mu"] = ones((), dtype=dtype, device=param.device)  # μ_0 = 1
            state["ax"] = zeros_like(param)
        return state

    def _update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """One ASGD step for one parameter, line by line as the formula above."""
        lr, lambd, alpha, t0 = group["lr"], group["lambd"], group["alpha"], group["t0"]
        state = self._state_for(param, group)
        eta, mu, ax = state["eta"], state["mu"], state["ax"]

        if group["maximize"]:
            grad = -grad
        step = state["step"].add_(1).item()  # t <- t + 1
        if group["weight_decay"] != 0:
            grad = grad.add(param, alpha=group["weight_decay"])  # g <- g + wθ
        eta_value = eta.item()
        param.mul_(1 - lambd * eta_value)  # θ <- θ (1 - λη)
        param.add_(grad, alpha=-eta_value)  # θ <- θ - η g
        if mu.item() != 1:
            ax.add_(param.sub(ax).mul_(mu))  # ax <- ax + μ (θ - ax)
        else:
            ax.copy_(param)  # ax <- θ
        eta.fill_(lr / ((1 + lambd * lr * step) ** alpha))  # η <- γ / (1 + λγt)^α
        mu.fill_(1 / max(1, step - t0))  # μ <- 1 / max(1, t - t0)
