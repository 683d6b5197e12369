"""Adam: per-parameter step sizes from running averages of the gradient and its square.

PyTorch's algorithm (torch.optim.Adam documentation), for each parameter θ
with gradient g, learning rate γ, betas (β1, β2), weight decay λ, step t:

    g     <- -g                               if maximize
    θ     <- θ - γ λ θ                        if λ != 0 and decoupled (AdamW)
    g     <- g + λ θ                          if λ != 0 otherwise
    m_t   <- β1 m_{t-1} + (1 - β1) g          first moment  (lerp of m towards g)
    v_t   <- β2 v_{t-1} + (1 - β2) g²         second moment
    v_max <- max(v_max, v_t)                  if amsgrad (then v_max replaces v_t below)
    θ     <- θ - γ / (1 - β1^t) · m_t / (sqrt(v_t) / sqrt(1 - β2^t) + ε)

The two ``1 - β^t`` factors are the *bias corrections*: m and v start at 0,
so early averages are too small by exactly that factor.
"""

from __future__ import annotations

from typing import Any, Iterable

from .._tensor import Tensor
from ..ops.creation import zeros_like
from ..ops.elementwise import maximum
from .optimizer import Optimizer, _bump_versions, _check_fused, _new_step_count, check_hyperparameters


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2014), optionally AMSGrad and decoupled weight decay.

    >>> opt = minitorch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999))
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError("lr as a Tensor is not supported for capturable=False and foreach=True")
            if lr.numel() != 1:
                raise ValueError("Tensor lr must be 1-element")
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        betas = _check_betas(betas, foreach, capturable)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable, differentiable=differentiable,
                        fused=fused, decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)

    _setstate_defaults = dict(amsgrad=False, maximize=False, foreach=None, capturable=False, differentiable=False,
                              decoupled_weight_decay=False, fused=None)

    def _state_for(self, param: Tensor, group: dict[str, Any]) -> dict:
        state = self.state[param]
        if len(state) == 0:  # first step: the averages start at zero
            state["step"] = _new_step_count(param, group)  # a CPU scalar, as in PyTorch
            state["exp_avg"] = zeros_like(param)
            state["exp_avg_sq"] = zeros_like(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = zeros_like(param)
        return state

    def _update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """One Adam step for one parameter, line by line as the formula above."""
        lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        state = self._state_for(param, group)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]

        if group["maximize"]:
            grad = -grad
        step = state["step"].add_(1).item()  # t <- t + 1
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                param.mul_(1 - lr * weight_decay)  # θ <- θ - γλθ  (AdamW)
            else:
                grad = grad.add(param, alpha=weight_decay)  # g <- g + λθ
        # BEGIN SOLUTION 4.9
        # HINT: m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g^2 (in place: lerp_, mul_, addcmul_)
        exp_avg.lerp_(grad, 1 - beta1)  # m <- β1 m + (1-β1) g
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)  # v <- β2 v + (1-β2) g²
        # END SOLUTION

        # BEGIN SOLUTION 4.9
        # HINT: the bias corrections at step t: 1 - beta1^t and sqrt(1 - beta2^t)
        bias_correction1 = 1 - beta1**step
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        # END SOLUTION
        if group["amsgrad"]:
            max_exp_avg_sq = state["max_exp_avg_sq"]
            exp_avg_sq = max_exp_avg_sq.copy_(maximum(max_exp_avg_sq, exp_avg_sq))  # v_max <- max(v_max, v)
        # BEGIN SOLUTION 4.9
        # HINT: theta <- theta - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)  (addcdiv_)
        denom = exp_avg_sq.sqrt() / bias_correction2_sqrt + eps  # sqrt(v) / sqrt(1-β2^t) + ε
        param.addcdiv_(exp_avg, denom, value=-lr / bias_correction1)  # θ <- θ - γ/(1-β1^t) m / denom
        # END SOLUTION

    def _update_fast(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """``_update`` on the raw arrays: the same operations in the same order (see optimizer.py)."""
        # BEGIN SOLUTION 4.9
        # HINT: the fast path runs your _update
        # STUB: return self._update(param, grad, group)
        lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        state = self._state_for(param, group)
        xp = param._device.xp
        p, g, m, v = param._data, grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data
        if group["maximize"]:
            g = -g
        step_t = state["step"]
        step_t._data += 1
        step = float(step_t._data)
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                p *= 1 - lr * weight_decay
            else:
                g = g + weight_decay * p
        tmp = xp.empty_like(m)  # one scratch array for the temporaries
        w = 1 - beta1
        xp.subtract(g, m, out=tmp)  # m <- lerp(m, g, 1-β1), from the nearer end as Tensor.lerp_ computes it
        if abs(w) < 0.5:
            tmp *= w
            m += tmp  # m + w (g - m)
        else:
            tmp *= 1 - w
            xp.subtract(g, tmp, out=m)  # g - (g - m)(1 - w)
        v *= beta2  # v <- β2 v + ((1-β2) g) g, as addcmul_
        xp.multiply(g, 1 - beta2, out=tmp)
        tmp *= g
        v += tmp
        if group["amsgrad"]:
            v = xp.maximum(state["max_exp_avg_sq"]._data, v, out=state["max_exp_avg_sq"]._data)
            _bump_versions(state["max_exp_avg_sq"])
        denom = xp.sqrt(v, out=tmp)
        denom /= (1 - beta2**step) ** 0.5
        denom += eps
        update = m * (-lr / (1 - beta1**step))  # θ <- θ + ((-γ/(1-β1^t)) m) / denom, as addcdiv_
        update /= denom
        p += update
        _bump_versions(param, step_t, state["exp_avg"], state["exp_avg_sq"])
        # END SOLUTION


def _check_betas(betas, foreach, capturable) -> tuple:
    """PyTorch's rules for ``betas``: both floats or both one-element tensors (kept as 0-d tensors)."""
    b1, b2 = betas[0], betas[1]
    if not ((isinstance(b1, float) and isinstance(b2, float)) or (isinstance(b1, Tensor) and isinstance(b2, Tensor))):
        raise ValueError("betas must be either both floats or both Tensors")
    for i, b in enumerate((b1, b2)):
        if isinstance(b, Tensor):
            if not capturable and foreach:
                raise ValueError(f"betas[{i}] as a Tensor is not supported for capturable=False and foreach=True")
            if b.numel() != 1:
                raise ValueError(f"Tensor betas[{i}] must be 1-element")
    return tuple(b.squeeze() if isinstance(b, Tensor) and b.dim() != 0 else b for b in betas)
