"""Solution markers: find ``# BEGIN SOLUTION <id>`` ... ``# END SOLUTION`` regions and stub them out."""

from __future__ import annotations

import re
from dataclasses import dataclass

BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION(?:\s+(?P<id>\S+))?\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")
HINT = re.compile(r"^\s*# HINT:\s?(?P<text>.*)$")
# ``# STUB: <code>``: the student version gets ``<code>`` instead of the raise (e.g. a fast path that
# delegates to the readable implementation the student writes: ``return self._update(param, grad, group)``).
STUB = re.compile(r"^\s*# STUB:\s?(?P<code>.*)$")


class MarkerError(ValueError):
    """Unbalanced, nested or malformed solution markers (names the file and line)."""


@dataclass(frozen=True)
class Region:
    """One solution region: lines ``begin``..``end`` (1-based, markers included)."""

    task_id: str
    path: str
    begin: int
    end: int
    indent: str
    hint: str | None
    stub: str | None = None  # code that replaces the region instead of the raise (``# STUB:`` line)


def find_regions(text: str, path: str = "<string>") -> list[Region]:
    """All solution regions in ``text``; raises MarkerError for bad markers."""
    regions, open_region = [], None
    for lineno, line in enumerate(text.splitlines(), 1):
        m = BEGIN.match(line)
        if m:
            if open_region is not None:
                raise MarkerError(
                    f"{path}:{lineno}: BEGIN SOLUTION inside the region opened at line {open_region[1]} "
                    "(regions cannot nest)"
                )
            if not m.group("id"):
                raise MarkerError(f"{path}:{lineno}: BEGIN SOLUTION needs a task id, e.g. '# BEGIN SOLUTION 2.3'")
            open_region = (m.group("id"), lineno, m.group("indent"), None, None)
            continue
        if END.match(line):
            if open_region is None:
                raise MarkerError(f"{path}:{lineno}: END SOLUTION without a BEGIN SOLUTION")
            task_id, begin, indent, hint, stub = open_region
            regions.append(Region(task_id, path, begin, lineno, indent, hint, stub))
            open_region = None
            continue
        if open_region is not None:
            h, st = HINT.match(line), STUB.match(line)
            if h:  # several HINT lines make a multi-line hint
                text = h.group("text").strip()
                hint = text if open_region[3] is None else open_region[3] + "\n" + text
                open_region = open_region[:3] + (hint, open_region[4])
            elif st and open_region[4] is None:
                open_region = open_region[:4] + (st.group("code").strip(),)
    if open_region is not None:
        raise MarkerError(f"{path}:{open_region[1]}: BEGIN SOLUTION {open_region[0]} is never closed")
    return regions


def stub_regions(text: str, titles: dict[str, str], path: str = "<string>") -> str:
    """``text`` with each region whose task id is in ``titles`` replaced by a stub.

    The stub keeps the hint as a comment and raises
    ``NotImplementedError("Task <id>: <title>")`` at the region's indentation
    (or runs the region's ``# STUB:`` code instead, when it has one).
    """
    regions = {r.begin: r for r in find_regions(text, path) if r.task_id in titles}
    lines = text.splitlines(keepends=True)
    out, skip_to = [], 0
    for lineno, line in enumerate(lines, 1):
        if lineno <= skip_to:
            continue
        r = regions.get(lineno)
        if r is None:
            out.append(line)
            continue
        if r.hint:
            out += [f"{r.indent}# HINT: {h}\n" for h in r.hint.splitlines()]
        if r.stub:
            out.append(f"{r.indent}{r.stub}\n")
        else:
            out.append(f'{r.indent}raise NotImplementedError("Task {r.task_id}: {titles[r.task_id]}")\n')
        skip_to = r.end
    return "".join(out)
