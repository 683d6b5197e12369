"""The course manifest: assignments, their tasks, points, tests and prerequisites."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

COURSE_FILE = Path(__file__).with_name("course.toml")


@dataclass
class Task:
    id: str
    title: str
    points: float
    tests: list[str]
    files: list[str]
    prerequisites: list[str] = field(default_factory=list)
    assignment: int = 0


@dataclass
class Assignment:
    number: int
    title: str
    tasks: list[Task]

    @property
    def points(self) -> float:
        return sum(t.points for t in self.tasks)


@dataclass
class Course:
    name: str
    assignments: list[Assignment]
    instructor_only: list[str]
    package: str = "minitorch"  # what the student tree must be able to import

    @property
    def tasks(self) -> list[Task]:
        return [t for a in self.assignments for t in a.tasks]

    def task(self, task_id: str) -> Task:
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise KeyError(f"no task {task_id!r} in the course")

    def assignment(self, number: int) -> Assignment:
        for a in self.assignments:
            if a.number == number:
                return a
        raise KeyError(f"no assignment {number} in the course (have {[a.number for a in self.assignments]})")


def load_course(path: str | Path = COURSE_FILE) -> Course:
    """Read a course manifest; ValueError for missing fields or duplicate ids."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    meta = data.get("course", {})
    assignments, seen = [], set()
    for a in data.get("assignments", []):
        tasks = []
        for t in a.get("tasks", []):
            for key in ("id", "title", "points", "tests", "files"):
                if key not in t:
                    raise ValueError(f"{path}: task {t.get('id', '?')} of assignment {a.get('number')} lacks '{key}'")
            if t["id"] in seen:
                raise ValueError(f"{path}: task id {t['id']} appears twice")
            seen.add(t["id"])
            tasks.append(Task(str(t["id"]), t["title"], float(t["points"]), list(t["tests"]), list(t["files"]),
                              list(t.get("prerequisites", [])), int(a["number"])))
        assignments.append(Assignment(int(a["number"]), a["title"], tasks))
    assignments.sort(key=lambda a: a.number)
    return Course(meta.get("name", "minitorch course"), assignments, list(meta.get("instructor_only", [])),
                  meta.get("package", "minitorch"))
