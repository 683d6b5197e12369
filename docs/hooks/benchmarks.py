"""mkdocs hook: the "Benchmarks" page shows ``benchmarks/README.md`` (its tables) as it is at build time.

The README is written by the benchmark scripts' authors; links in it that
point at files of the repository (not pages of this site) are turned into
plain file names so that the strict build cannot break on them.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "benchmarks" / "README.md"
PAGE = "benchmarks.md"
_LINK = re.compile(r"(!?)\[([^\]]*)\]\((?!https?://|#|mailto:)([^)\s]+)[^)]*\)")

INTRO = (
    "The scripts in `benchmarks/` time minitorch next to NumPy and PyTorch on the same work "
    "(ops, a training step, the DataLoader). Timings depend on the machine; what matters is the ratio "
    "between the columns. Run them with `python benchmarks/bench_core.py` (see the scripts for options)."
)
MISSING = (
    "!!! info \"No results yet\"\n"
    "    The tables appear here after the benchmarks have been run: they are read from "
    "`benchmarks/README.md` when the site is built, and that file does not exist yet."
)


def _plain_links(text: str) -> str:
    """``[name](file)`` -> ``name (`benchmarks/file`)``; images of files -> their path."""
    def repl(m):
        bang, label, target = m.groups()
        path = f"`benchmarks/{target}`"
        if bang:
            return f"(figure: {path})"
        return f"{label} ({path})" if label and label.strip("`") != target else path
    return _LINK.sub(repl, text)


def render() -> str:
    if not README.exists():
        return f"# Benchmarks\n\n{INTRO}\n\n{MISSING}\n"
    text = _plain_links(README.read_text())
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):  # the README's own title becomes the page title
        title, body = lines[0], "\n".join(lines[1:])
    else:
        title, body = "# Benchmarks", text
    return f"{title}\n\n{INTRO}\n\n{body}\n"


def on_files(files, config):
    files.append(File.generated(config, PAGE, content=render()))
    return files
