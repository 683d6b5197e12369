"""A Griffe extension for the API reference: docstring examples render as code.

minitorch's docstrings follow the standard library's style: examples are
doctest lines (``>>> x = ...``) and literal blocks follow a ``::``. Markdown
would read ``>>>`` as nested quotes, so this wraps each run of doctest lines
(with their output lines) in a fenced ``pycon`` block, and turns the reST
``::`` into ``:`` (the indented block after it is already a Markdown code block).
"""

from __future__ import annotations

import re

import griffe

_PROMPT = re.compile(r"^(\s*)>>> ?")


def fence_doctests(text: str) -> str:
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        m = _PROMPT.match(lines[i])
        if not m or (out and out[-1].startswith("```")):
            out.append(re.sub(r"(\S)::\s*$", r"\1:", lines[i]))
            i += 1
            continue
        indent = m.group(1)
        block = []
        while i < len(lines) and lines[i].strip() and lines[i].startswith(indent):
            block.append(lines[i][len(indent):])
            i += 1
        if out and out[-1].strip():
            out.append("")
        out += [f"{indent}```pycon", *[indent + b for b in block], f"{indent}```"]
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Rewrite every docstring as it is loaded."""

    def on_instance(self, *, obj, **kwargs) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value or (
                obj.docstring is not None and "::" in obj.docstring.value):
            obj.docstring.value = fence_doctests(obj.docstring.value)
