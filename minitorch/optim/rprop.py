"""Rprop: every weight has its own step size, grown while the gradient keeps its sign.

PyTorch's algorithm (torch.optim.Rprop documentation), for each parameter θ
with gradient g, etas (η-, η+), step-size bounds (Γ_min, Γ_max); only the
*sign* of the gradient is used (the step sizes start at the learning rate):

    g    <- -g                                    if maximize
    s    <- sign(g · g_prev)                      did the gradient keep its sign?
    f    <- η+ where s > 0,  η- where s < 0,  1 where s = 0
    Γ    <- clamp(Γ f, Γ_min, Γ_max)              per-weight step size ("step_size")
    g    <- 0 where s < 0                         after a sign change: no step, and no
                                                  sign change counted next time
    θ    <- θ - sign(g) Γ
    g_prev <- g                                   ("prev")
"""

from __future__ import annotations

from typing import Any, Iterable

from .._tensor import Tensor
from ..ops.creation import full_like, zeros_like
from ..ops.elementwise import where
from .optimizer import Optimizer, _check_tensor_lr, _new_step_count, _to_number


class Rprop(Optimizer):
    """Resilient backpropagation (Riedmiller & Braun, 1993); for full-batch training.

    >>> opt = minitorch.optim.Rprop(model.parameters(), lr=1e-2, etas=(0.5, 1.2))
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        _check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    _setstate_defaults = dict(foreach=None, maximize=False, differentiable=False, capturable=False)

    def _state_for(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> dict:
        state = self.state[param]
        if len(state) == 0:
            state["step"] = _new_step_count(param, group)
            state["prev"] = zeros_like(param)
            state["step_size"] = full_like(grad, _to_number(group["lr"]))  # Γ_0 = γ
        return state

    def _update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """One Rprop step for one parameter, line by line as the formula above."""
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        state = self._state_for(param, grad, group)
        prev, step_size = state["prev"], state["step_size"]

        state["step"].add_(1)
        if group["maximize"]:
            grad = -grad
        sign = grad.mul(prev.clone() if group["differentiable"] else prev).sign()  # s <- sign(g g_prev)
        # f <- η+ / η- / 1 (in three passes, as PyTorch: a NaN sign stays NaN)
        sign = where(sign.gt(0), etaplus, sign)
        sign = where(sign.lt(0), etaminus, sign)
        sign = where(sign.eq(0), 1, sign)
        step_size.mul_(sign).clamp_(step_size_min, step_size_max)  # Γ <- clamp(Γ f, Γ_min, Γ_max)
        grad = where(sign.eq(etaminus), 0, grad)  # g <- 0 where the sign changed
        param.addcmul_(grad.sign(), step_size, value=-1)  # θ <- θ - sign(g) Γ
        prev.copy_(grad)  # g_prev <- g
