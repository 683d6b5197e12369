"""Assignment tooling on a small fixture repository: markers, build, grade, check."""

import json
import textwrap
from pathlib import Path

import pytest

from minitorch.assign import MarkerError, find_regions, load_course, stub_regions
from minitorch.assign.build import build, write_student_tree
from minitorch.assign.check import check_markers, check_reference
from minitorch.assign.grade import format_table, grade, gradescope_json

SOURCE = '''\
def double(x):
    """Twice x."""
    # BEGIN SOLUTION 1.1
    # HINT: add x to itself
    return x + x
    # END SOLUTION


def square(x):
    # BEGIN SOLUTION 2.1
    return x * x
    # END SOLUTION


def cube(x):
    # BEGIN SOLUTION 2.2
    y = square(x)
    return y * x
    # END SOLUTION


def loop_forever():
    # BEGIN SOLUTION 2.3
    return 1
    # END SOLUTION
'''

COURSE = '''\
[course]
name = "fixture course"
package = "pkgx"
instructor_only = ["SOLUTIONS.md"]

[[assignments]]
number = 1
title = "Doubling"

[[assignments.tasks]]
id = "1.1"
title = "double"
points = 10
files = ["pkgx/ops.py"]
tests = ["tests/test_a1.py"]

[[assignments]]
number = 2
title = "Powers"

[[assignments.tasks]]
id = "2.1"
title = "square"
points = 5
files = ["pkgx/ops.py"]
tests = ["tests/test_a2.py::test_square"]

[[assignments.tasks]]
id = "2.2"
title = "cube"
points = 5
files = ["pkgx/ops.py"]
tests = ["tests/test_a2.py::test_cube"]
prerequisites = ["2.1"]

[[assignments.tasks]]
id = "2.3"
title = "loop"
points = 1
files = ["pkgx/ops.py"]
tests = ["tests/test_a2.py::test_loop"]
'''


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / "pkgx").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pkgx" / "__init__.py").write_text("from .ops import double, square, cube, loop_forever\n")
    (root / "pkgx" / "ops.py").write_text(SOURCE)
    (root / "SOLUTIONS.md").write_text("instructor notes\n")
    (root / "course.toml").write_text(COURSE)
    (root / "tests" / "test_a1.py").write_text("from pkgx import double\n\ndef test_double():\n    assert double(3) == 6\n")
    (root / "tests" / "test_a2.py").write_text(textwrap.dedent("""\
        import pkgx

        def test_square():
            assert pkgx.square(3) == 9

        def test_cube():
            assert pkgx.cube(2) == 8

        def test_loop():
            try:
                assert pkgx.loop_forever() == 1
            except NotImplementedError:
                while True:  # a student's infinite loop
                    pass
        """))
    return root


def test_find_regions_and_hint():
    regions = find_regions(SOURCE, "ops.py")
    assert [r.task_id for r in regions] == ["1.1", "2.1", "2.2", "2.3"]
    assert regions[0].hint == "add x to itself" and regions[0].indent == "    "
    assert regions[2].begin == 16 and regions[2].end == 19


@pytest.mark.parametrize("text, message", [
    ("# BEGIN SOLUTION 1\n# BEGIN SOLUTION 2\n# END SOLUTION\n# END SOLUTION\n", "cannot nest"),
    ("x = 1\n# END SOLUTION\n", "without a BEGIN"),
    ("# BEGIN SOLUTION 3.1\nx = 1\n", "never closed"),
    ("# BEGIN SOLUTION\n# END SOLUTION\n", "needs a task id"),
])
def test_bad_markers(text, message):
    with pytest.raises(MarkerError, match=message):
        find_regions(text, "f.py")


def test_stub_keeps_indent_and_hint():
    out = stub_regions(SOURCE, {"1.1": "double"})
    assert '    # HINT: add x to itself\n    raise NotImplementedError("Task 1.1: double")\n' in out
    assert "return x + x" not in out and "return x * x" in out
    compile(out, "ops.py", "exec")


def test_build_stubs_this_and_later_assignments(repo, tmp_path):
    course = load_course(repo / "course.toml")
    out = tmp_path / "student"
    changed = write_student_tree(course, repo, out, assignment=2)
    text = (out / "pkgx" / "ops.py").read_text()
    assert changed == ["pkgx/ops.py"]
    assert "return x + x" in text  # assignment 1 stays solved
    assert 'raise NotImplementedError("Task 2.1: square")' in text
    assert not (out / "SOLUTIONS.md").exists()  # instructor-only
    assert (out / "tests" / "test_a2.py").exists()  # tests are kept
    write_student_tree(course, repo, out, assignment=1)
    assert "return x + x" not in (out / "pkgx" / "ops.py").read_text()


def test_build_check_reports_ok_and_uncaught(repo, tmp_path):
    course = load_course(repo / "course.toml")
    course.assignment(2).tasks = course.assignment(2).tasks[:2]  # skip the slow loop task here
    report = build(course, repo, tmp_path / "s2", assignment=2, timeout=60)
    assert report.import_ok and report.ok, report.summary()
    # A task whose test does not exercise its region is reported.
    course.assignment(2).tasks[0].tests = ["tests/test_a1.py"]
    report = build(course, repo, tmp_path / "s3", assignment=2, timeout=60)
    assert report.uncaught == ["2.1"]
    assert "would not catch" in report.summary()


def test_grade_reference_and_student_with_timeout(repo, tmp_path):
    course = load_course(repo / "course.toml")
    write_student_tree(course, repo, tmp_path / "s", assignment=2)
    results = grade(course, tmp_path / "s", timeout=5)
    by_id = {r.task.id: r for r in results}
    assert by_id["1.1"].passed and by_id["1.1"].score == 10
    assert not by_id["2.1"].passed and by_id["2.1"].score == 0
    assert "NotImplementedError" in by_id["2.1"].output
    assert not by_id["2.3"].passed and "timed out" in by_id["2.3"].first_failure
    table = format_table(results)
    assert "total: 10/21" in table
    data = gradescope_json(results)
    json.dumps(data)
    assert data["score"] == 10
    assert {t["name"] for t in data["tests"]} >= {"Task 1.1: double", "Task 2.1: square"}
    assert all(set(t) >= {"name", "score", "max_score", "output"} for t in data["tests"])
    ref = grade(course, repo, assignment=1, timeout=30)
    assert [r.passed for r in ref] == [True]


def test_check_markers_finds_unknown_ids_and_missing_regions(repo):
    course = load_course(repo / "course.toml")
    assert check_markers(course, repo) == []
    ops = repo / "pkgx" / "ops.py"
    ops.write_text(ops.read_text().replace("SOLUTION 2.2", "SOLUTION 9.9"))
    problems = check_markers(course, repo)
    assert any("unknown task id 9.9" in p for p in problems)
    assert any("task 2.2" in p and "no solution region" in p for p in problems)


def test_check_reference_full_marks(repo):
    course = load_course(repo / "course.toml")
    course.assignment(2).tasks = course.assignment(2).tasks[:2]
    assert check_reference(course, repo, timeout=60) == []


def test_course_manifest_errors(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text('[[assignments]]\nnumber = 1\ntitle = "a"\n[[assignments.tasks]]\nid = "1.1"\ntitle = "t"\n')
    with pytest.raises(ValueError, match="lacks 'points'"):
        load_course(bad)


_ = Path
