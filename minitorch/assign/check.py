"""``minitorch assign check``: the course is consistent and the reference solution earns full marks."""

from __future__ import annotations

from pathlib import Path

from .build import source_files
from .course import Course
from .grade import grade
from .markers import MarkerError, find_regions


def check_markers(course: Course, root: Path) -> list[str]:
    """Problems with the markers: unbalanced ones, unknown ids, tasks without regions."""
    problems, found = [], {}
    known = {t.id for t in course.tasks}
    for path in source_files(Path(root)):
        if path.suffix != ".py":
            continue
        rel = path.relative_to(root).as_posix()
        text = path.read_text()
        if "SOLUTION" not in text:
            continue
        try:
            regions = find_regions(text, rel)
        except MarkerError as e:
            problems.append(str(e))
            continue
        for r in regions:
            if r.task_id not in known:
                problems.append(f"{rel}:{r.begin}: unknown task id {r.task_id} (not in the course manifest)")
            found.setdefault(r.task_id, set()).add(rel)
    for t in course.tasks:
        if t.id not in found:
            problems.append(f"task {t.id} ({t.title}) has no solution region in the source")
            continue
        missing = set(t.files) - found[t.id]
        if missing:
            problems.append(f"task {t.id}: the manifest names {sorted(missing)} but no region there has this id")
        if not t.tests:
            problems.append(f"task {t.id} has no tests")
        for p in t.prerequisites:
            if p not in {x.id for x in course.tasks}:
                problems.append(f"task {t.id}: unknown prerequisite {p}")
    return problems


def check_reference(course: Course, root: Path, timeout: float = 300.0) -> list[str]:
    """Grading the reference solution must give full marks."""
    return [f"task {r.task.id} fails on the reference solution: {r.first_failure}"
            for r in grade(course, Path(root), timeout=timeout) if not r.passed]
