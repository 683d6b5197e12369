"""The shipped course (minitorch/assign/course.toml and the solution markers in minitorch's source).

Instructor-only: the student trees leave this file out (it needs every solution region in place).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from minitorch.assign import find_regions, load_course, stub_regions
from minitorch.assign.build import source_files, write_student_tree
from minitorch.assign.check import check_markers
from minitorch.assign.grade import grade, gradescope_json

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def course():
    return load_course()


def test_markers_and_manifest_agree(course):
    assert check_markers(course, ROOT) == []


def test_course_size_and_order(course):
    assert len(course.assignments) >= 5
    assert len(course.tasks) >= 25
    ids = [t.id for t in course.tasks]
    assert len(ids) == len(set(ids))
    for t in course.tasks:
        assert t.id.split(".")[0] == str(t.assignment), f"task {t.id} is filed under assignment {t.assignment}"
        assert t.tests and all(test.startswith("tests/course/") for test in t.tests)
        for p in t.prerequisites:  # a prerequisite comes from this assignment or an earlier one
            assert course.task(p).assignment <= t.assignment, f"task {t.id} needs {p} of a later assignment"


def test_every_test_id_exists(course):
    for t in course.tasks:
        for node in t.tests:
            path, _, name = node.partition("::")
            text = (ROOT / path).read_text()
            assert f"def {name}(" in text, f"task {t.id}: no test {name} in {path}"


@pytest.mark.parametrize("assignment", [1, 2, 3, 4, 5, 6])
def test_student_tree_compiles(course, assignment, tmp_path):
    if assignment not in [a.number for a in course.assignments]:
        pytest.skip("no such assignment")
    out = tmp_path / f"a{assignment}"
    changed = write_student_tree(course, ROOT, out, assignment)
    assert changed, "the student tree has no stubs"
    assert not (out / "tests" / "assign" / "test_course.py").exists()  # instructor-only
    assert (out / "minitorch" / "assign" / "course.toml").exists()  # the grader needs the manifest
    for path in out.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    for rel in changed:
        text = (out / rel).read_text()
        regions = find_regions(text, rel)
        assert all(course.task(r.task_id).assignment < assignment for r in regions), rel
    stubbed = {t.id for a in course.assignments if a.number >= assignment for t in a.tasks}
    found = "".join((out / rel).read_text() for rel in changed)
    raising = {r.task_id for r in _reference_regions() if not r.stub}  # regions that become a raise
    for tid in stubbed & raising:
        assert f'NotImplementedError("Task {tid}: ' in found, f"no stub for task {tid}"


def _reference_regions() -> list:
    regions = []
    for path in source_files(ROOT):
        if path.suffix == ".py" and "BEGIN SOLUTION" in (text := path.read_text()):
            regions += find_regions(text, str(path))
    return regions


def test_fast_paths_delegate_to_the_readable_update(course, tmp_path):
    out = tmp_path / "a4"
    write_student_tree(course, ROOT, out, 4)
    for name in ("sgd", "adam"):
        text = (out / "minitorch" / "optim" / f"{name}.py").read_text()
        fast = text[text.index("def _update_fast"):]
        assert "return self._update(param, grad, group)" in fast
        assert "NotImplementedError" not in fast


def test_stub_line_and_multiline_hint():
    src = ("def f(x):\n    # BEGIN SOLUTION 9.1\n    # HINT: first line\n    # HINT: second line\n"
           "    # STUB: return g(x)\n    return 2 * x\n    # END SOLUTION\n")
    (region,) = find_regions(src)
    assert region.hint == "first line\nsecond line" and region.stub == "return g(x)"
    out = stub_regions(src, {"9.1": "f"})
    assert out == "def f(x):\n    # HINT: first line\n    # HINT: second line\n    return g(x)\n"


@pytest.mark.slow
def test_build_and_grade_assignment_2(course, tmp_path):
    """The round trip on a real assignment: its tasks score 0, the earlier assignment full marks (~25 s)."""
    out = tmp_path / "student"
    write_student_tree(course, ROOT, out, 2)
    env = dict(os.environ, PYTHONPATH=str(out))
    proc = subprocess.run([sys.executable, "-c", "import minitorch; print(minitorch.__file__)"], cwd=out, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0 and str(out) in proc.stdout, proc.stderr
    results = grade(course, out, 1, timeout=60) + grade(course, out, 2, timeout=60)
    by_id = {r.task.id: r for r in results}
    for t in course.assignment(1).tasks:
        assert by_id[t.id].passed, f"task {t.id} of assignment 1 fails in the student tree of assignment 2:\n" \
                                   f"{by_id[t.id].output[-2000:]}"
    for t in course.assignment(2).tasks:
        r = by_id[t.id]
        assert not r.passed and r.score == 0, f"task {t.id}'s tests pass without its solution"
        assert f"Task {t.id} is not implemented yet" in r.output, r.output[-2000:]
    data = gradescope_json(results)
    assert data["score"] == course.assignment(1).points
