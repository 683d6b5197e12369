"""Multi-class margin losses: `MultiMarginLoss`, `MultiLabelMarginLoss`, `TripletMarginWithDistanceLoss`.

* MultiMarginLoss: the multi-class hinge loss; the true class should beat every other class by ``margin``;
* MultiLabelMarginLoss: every listed target class should beat every unlisted class by 1;
* TripletMarginWithDistanceLoss: the anchor should be closer (by ``margin``) to the positive than to the
  negative, for any distance function (default: the Euclidean ``PairwiseDistance``).
"""

from __future__ import annotations

from ..._tensor import Tensor
from .. import functional as F
from .loss import _Loss, _WeightedLoss
from .resampling import PairwiseDistance

__all__ = ["MultiMarginLoss", "MultiLabelMarginLoss", "TripletMarginWithDistanceLoss"]


class MultiMarginLoss(_WeightedLoss):
    """mean over samples of sum_{i != y} w[y] * max(0, margin - x[y] + x[i])^p / C.

    >>> MultiMarginLoss()(minitorch.tensor([[0.1, 0.2, 0.4, 0.8]]), minitorch.tensor([3]))
    tensor(0.3250)
    """

    def __init__(self, p: int = 1, margin: float = 1.0, weight: Tensor | None = None, size_average=None, reduce=None,
                 reduction: str = "mean"):
        super().__init__(weight, size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.dim() != 1:
            raise ValueError(f"MultiMarginLoss: expected weight to be None or 1D tensor, got {weight.dim()}D instead")
        self.p = p
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                   reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    """sum over listed targets j and unlisted classes i of max(0, 1 - (x[y_j] - x[i])) / C.

    ``target`` holds class indices, ended by the first -1 (the rest is ignored).
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)


class TripletMarginWithDistanceLoss(_Loss):
    """max(0, d(anchor, positive) - d(anchor, negative) + margin) for a distance ``d``.

    >>> TripletMarginWithDistanceLoss()
    TripletMarginWithDistanceLoss(
      (distance_function): PairwiseDistance()
    )
    """

    def __init__(self, *, distance_function=None, margin: float = 1.0, swap: bool = False, reduction: str = "mean"):
        super().__init__(size_average=None, reduce=None, reduction=reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin} "
                             "instead")
        self.distance_function = distance_function if distance_function is not None else PairwiseDistance()
        self.margin = margin
        self.swap = swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return F.triplet_margin_with_distance_loss(anchor, positive, negative, distance_function=self.distance_function,
                                                   margin=self.margin, swap=self.swap, reduction=self.reduction)
