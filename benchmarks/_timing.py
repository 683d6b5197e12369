"""Shared helpers for the benchmark scripts: medians and a printed table."""

from __future__ import annotations

import platform
import statistics
import time


def median_time(fn, repeat: int = 30, warmup: int = 3) -> float:
    """Median wall time of ``fn()`` in seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def machine() -> str:
    import os

    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def table(title: str, rows: list[tuple[str, float]], baseline: str, unit: str = "ms", scale: float = 1e3) -> str:
    """Rows of (name, seconds) as a Markdown table with ratios to ``baseline``."""
    base = dict(rows)[baseline]
    lines = [f"### {title}", "", f"| implementation | median ({unit}) | ratio to {baseline} |", "|---|---:|---:|"]
    for name, sec in rows:
        lines.append(f"| {name} | {sec * scale:.3f} | {sec / base:.2f}x |")
    return "\n".join(lines)
