"""`minitorch.Size`: a tuple of dimensions that prints like PyTorch's."""


class Size(tuple):
    """The shape of a tensor: a tuple that prints as ``minitorch.Size([2, 3])``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"minitorch.Size({list(self)})"

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n
