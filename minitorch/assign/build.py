"""Build the student version of an assignment and check that it is gradable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .course import Course
from .grade import run_task_tests
from .markers import stub_regions

_SKIP_DIRS = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache", "site",
              "build", "dist"}


def source_files(root: Path):
    """Files of the repository to copy (git's list when available, else a walk)."""
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=root, capture_output=True,
                             text=True, check=True).stdout.split("\n")
        files = [root / f for f in out if f and (root / f).is_file()]
        if files:
            return files
    except (OSError, subprocess.CalledProcessError):
        pass
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS and not d.endswith(".egg-info")]
        files += [Path(dirpath) / f for f in filenames]
    return files


def stubbed_titles(course: Course, assignment: int) -> dict[str, str]:
    """Tasks whose solutions the student version of ``assignment`` leaves out: it and later ones."""
    return {t.id: t.title for a in course.assignments if a.number >= assignment for t in a.tasks}


def write_student_tree(course: Course, root: Path, out: Path, assignment: int) -> list[str]:
    """Copy ``root`` to ``out`` with the solutions stubbed; returns the files changed."""
    root, out = Path(root), Path(out)
    if out.exists():
        shutil.rmtree(out)
    titles = stubbed_titles(course, assignment)
    changed = []
    for src in source_files(root):
        rel = src.relative_to(root).as_posix()
        if any(rel == p or rel.startswith(p.rstrip("/") + "/") for p in course.instructor_only):
            continue
        dst = out / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix == ".py":
            text = src.read_text()
            if "BEGIN SOLUTION" in text:
                new = stub_regions(text, titles, rel)
                if new != text:
                    changed.append(rel)
                dst.write_text(new)
                continue
        shutil.copy2(src, dst)
    return changed


@dataclass
class BuildReport:
    out: Path
    changed: list[str]
    import_ok: bool = True
    import_error: str = ""
    uncaught: list[str] = field(default_factory=list)  # stubbed tasks whose tests still pass
    broken_earlier: list[str] = field(default_factory=list)  # earlier tasks that fail

    @property
    def ok(self) -> bool:
        return self.import_ok and not self.uncaught and not self.broken_earlier

    def summary(self) -> str:
        lines = [f"student tree: {self.out} ({len(self.changed)} files with stubs)"]
        lines.append("import: ok" if self.import_ok else f"import FAILED: {self.import_error}")
        for t in self.uncaught:
            lines.append(f"WARNING: the tests of task {t} pass without its solution: they would not catch it")
        for t in self.broken_earlier:
            lines.append(f"ERROR: task {t} of an earlier assignment fails in the student tree")
        lines.append("build check: ok" if self.ok else "build check: problems found")
        return "\n".join(lines)


def build(course: Course, root: Path, out: Path, assignment: int, check: bool = True,
          timeout: float = 120.0) -> BuildReport:
    """Write the student tree of ``assignment`` and, with ``check``, verify it."""
    report = BuildReport(Path(out), write_student_tree(course, root, out, assignment))
    if not check:
        return report
    env = dict(os.environ, PYTHONPATH=str(out))
    proc = subprocess.run([sys.executable, "-c", f"import {course.package}"], cwd=out,
                          env=env, capture_output=True, text=True)
    report.import_ok = proc.returncode == 0
    report.import_error = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    current = course.assignment(assignment)
    for task in current.tasks:
        if run_task_tests(Path(out), task, timeout).passed:
            report.uncaught.append(task.id)
    for a in course.assignments:
        if a.number >= assignment:
            continue
        for task in a.tasks:
            if not run_task_tests(Path(out), task, timeout).passed:
                report.broken_earlier.append(task.id)
    return report
