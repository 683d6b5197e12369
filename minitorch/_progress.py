"""A small text progress bar (minitorch depends on NumPy only, so no tqdm)."""

from __future__ import annotations

import sys
import time


class progress:
    """Iterate over ``iterable`` while drawing ``desc [#####.....] 12/40 loss=0.31``.

    >>> for step in (bar := progress(range(100), desc="train")):
    ...     bar.set_postfix(loss=0.1)
    """

    def __init__(self, iterable, desc: str = "", total: int | None = None, width: int = 30, file=None):
        self.iterable = iterable
        self.desc = desc
        self.total = total if total is not None else (len(iterable) if hasattr(iterable, "__len__") else None)
        self.width = width
        self.file = file or sys.stderr
        self.postfix = ""
        self.n = 0
        self._last = 0.0

    def set_postfix(self, **values) -> None:
        self.postfix = " ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in values.items())

    def _draw(self, final: bool = False) -> None:
        now = time.monotonic()
        interactive = getattr(self.file, "isatty", lambda: False)()
        if not final and (now - self._last < 0.1 or not interactive):
            return  # a log file gets one line per bar, a terminal a live one
        self._last = now
        if self.total:
            filled = int(self.width * self.n / self.total)
            bar = "#" * filled + "." * (self.width - filled)
            text = f"\r{self.desc} [{bar}] {self.n}/{self.total} {self.postfix}"
        else:
            text = f"\r{self.desc} {self.n} {self.postfix}"
        self.file.write(text)
        if final:
            self.file.write("\n")
        self.file.flush()

    def __iter__(self):
        for item in self.iterable:
            yield item
            self.n += 1
            self._draw()
        self._draw(final=True)
