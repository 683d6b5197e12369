"""Stochastic gradient descent, with momentum, dampening, Nesterov and weight decay.

PyTorch's algorithm (torch.optim.SGD documentation), for each parameter θ
with gradient g, learning rate γ, momentum μ, dampening τ, weight decay λ:

    g   <- -g                       if maximize
    g   <- g + λ θ                  if λ != 0
    b_t <- g                        first step (t = 1)
    b_t <- μ b_{t-1} + (1 - τ) g    later steps           (if μ != 0)
    g   <- g + μ b_t  if nesterov, else  g <- b_t
    θ   <- θ - γ g
"""

from __future__ import annotations

from typing import Any, Iterable

from .._tensor import Tensor, _wrap
from .optimizer import Optimizer, _bump_versions, _check_fused, _check_tensor_lr


class SGD(Optimizer):
    """Stochastic gradient descent (optionally with momentum).

    >>> opt = minitorch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None) -> None:
        _check_tensor_lr(lr)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach, differentiable=differentiable,
                        fused=fused)
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)

    _setstate_defaults = dict(nesterov=False, maximize=False, foreach=None, differentiable=False, fused=False)

    def _update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """One SGD step for one parameter, line by line as the formula above."""
        lr, momentum, weight_decay = group["lr"], group["momentum"], group["weight_decay"]
        if group["maximize"]:
            grad = -grad
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)  # g <- g + λθ
        if momentum != 0:
            # BEGIN SOLUTION 4.8
            # HINT: buffer b in self.state[param]['momentum_buffer']: first step b = copy of g; later b = mu b + (1 -
            # HINT: dampening) g in place; then g = g + mu b (nesterov) or g = b
            state = self.state[param]
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = grad.detach().clone()  # b_1 <- g
            else:
                buf.mul_(momentum).add_(grad, alpha=1 - group["dampening"])  # b_t <- μ b_{t-1} + (1-τ) g
            grad = grad.add(buf, alpha=momentum) if group["nesterov"] else buf  # g <- g + μ b_t  or  b_t
            # END SOLUTION
        # BEGIN SOLUTION 4.7
        # HINT: theta <- theta - lr * g, in place
        param.add_(grad, alpha=-lr)  # θ <- θ - γ g
        # END SOLUTION

    def _update_fast(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """``_update`` on the raw arrays: the same operations in the same order (see optimizer.py)."""
        # BEGIN SOLUTION 4.7
        # HINT: the fast path runs your _update
        # STUB: return self._update(param, grad, group)
        lr, momentum, weight_decay = group["lr"], group["momentum"], group["weight_decay"]
        p, g = param._data, grad._data
        if group["maximize"]:
            g = -g
        if weight_decay != 0:
            g = g + weight_decay * p
        if momentum != 0:
            state = self.state[param]
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = _wrap(param._device.xp.array(g), param._device)  # a copy
            else:
                b = buf._data
                b *= momentum
                b += g if group["dampening"] == 0 else (1 - group["dampening"]) * g
                _bump_versions(buf)
            g = g + momentum * buf._data if group["nesterov"] else buf._data
        p += -lr * g
        _bump_versions(param)
        # END SOLUTION
