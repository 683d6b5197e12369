"""Pillow is optional: this module is the one place that knows whether it is installed.

``Image`` is the ``PIL.Image`` module, or None when Pillow is missing; ``require_pil``
raises a clear ImportError for the features that cannot work without it.
"""

from __future__ import annotations

try:
    from PIL import Image
except ImportError:  # pragma: no cover - exercised by monkeypatching in the tests
    Image = None


def has_pil() -> bool:
    """True when Pillow can be imported."""
    return Image is not None


def is_pil_image(obj) -> bool:
    """True for a ``PIL.Image.Image`` (always False without Pillow)."""
    return Image is not None and isinstance(obj, Image.Image)


def require_pil(what: str):
    """The ``PIL.Image`` module, or an ImportError that says ``what`` needs it."""
    if Image is None:
        raise ImportError(f"{what} needs Pillow to read and make images; install it with `pip install Pillow`")
    return Image
