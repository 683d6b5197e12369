"""Grade a student tree: run each task's tests with a time limit, score, and report.

Each task runs in its own ``pytest`` process, so a crash, an infinite loop
or an import error costs that task's points only. The report is a table on
the terminal and, with ``--json``, Gradescope's autograder ``results.json``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .course import Course, Task


@dataclass
class TaskResult:
    task: Task
    passed: bool
    output: str
    first_failure: str
    seconds: float

    @property
    def score(self) -> float:
        return self.task.points if self.passed else 0.0


def run_task_tests(root: Path, task: Task, timeout: float = 120.0) -> TaskResult:
    """Run the pytest node ids of ``task`` inside ``root`` (the student's minitorch is imported)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=short", "-o", "addopts=",
           *task.tests]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return TaskResult(task, False, out + f"\nTIMEOUT after {timeout:g} s", f"timed out after {timeout:g} s",
                          time.monotonic() - start)
    output = proc.stdout + proc.stderr
    return TaskResult(task, proc.returncode == 0, output, _first_failure(output, proc.returncode),
                      time.monotonic() - start)


# The first line of a course test's own message: "Task 2.3 is not implemented yet ..." or "Task 2.3 (Div ...): ...".
_TASK_MESSAGE = re.compile(r"^Task \S+ (is not implemented yet|\()")


def _first_failure(output: str, code: int) -> str:
    if code == 0:
        return ""
    lines = [line.strip() for line in output.splitlines()]
    for s in lines:
        if _TASK_MESSAGE.match(s):
            return s[:200]
    for s in lines:
        if s.startswith("E ") or "Error:" in s:
            return s[:200]
        if s.startswith("FAILED"):
            return s.split(" - ", 1)[-1][:200]
    if code == 5:
        return "no tests ran (check the task's test ids)"
    return f"pytest exited with status {code}"


def grade(course: Course, root: Path, assignment: int | None = None, timeout: float = 120.0) -> list[TaskResult]:
    tasks = course.assignment(assignment).tasks if assignment is not None else course.tasks
    return [run_task_tests(Path(root), t, timeout) for t in tasks]


def format_table(results: list[TaskResult]) -> str:
    rows = [("task", "points", "result", "first failure")]
    for r in results:
        rows.append((f"{r.task.id} {r.task.title}"[:48], f"{r.score:g}/{r.task.points:g}",
                     "passed" if r.passed else "FAILED", r.first_failure[:70]))
    total = sum(r.score for r in results)
    maximum = sum(r.task.points for r in results)
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"total: {total:g}/{maximum:g}")
    return "\n".join(lines)


def gradescope_json(results: list[TaskResult]) -> dict:
    """Gradescope's autograder format: overall score plus one entry per task."""
    return {
        "score": sum(r.score for r in results),
        "execution_time": round(sum(r.seconds for r in results), 2),
        "tests": [
            {
                "name": f"Task {r.task.id}: {r.task.title}",
                "score": r.score,
                "max_score": r.task.points,
                "status": "passed" if r.passed else "failed",
                "output": r.output[-5000:],
                "visibility": "visible",
            }
            for r in results
        ],
    }


def write_json(results: list[TaskResult], path: str | Path) -> None:
    Path(path).write_text(json.dumps(gradescope_json(results), indent=2))
