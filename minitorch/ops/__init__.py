"""The differentiable primitives, grouped by kind (elementwise, reduction, shape, indexing, linalg, ...)."""
