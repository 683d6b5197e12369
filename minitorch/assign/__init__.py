"""Course assignments built from minitorch's own source.

Solution regions in the source are marked::

    # BEGIN SOLUTION 2.3
    # HINT: d(a*b)/da = b, so multiply the incoming gradient by b
    ga = grad * b
    # END SOLUTION

A course manifest (``course.toml``) lists assignments and tasks (id, title,
points, tests, prerequisites). ``minitorch assign build`` writes a student
version with the regions of an assignment (and of later ones) replaced by
``raise NotImplementedError("Task 2.3: ...")``; ``minitorch assign grade``
runs each task's tests and writes Gradescope's ``results.json``;
``minitorch assign check`` verifies the course end to end.
"""

from .course import Assignment, Course, Task, load_course
from .markers import MarkerError, Region, find_regions, stub_regions

__all__ = ["Assignment", "Course", "Task", "load_course", "MarkerError", "Region", "find_regions", "stub_regions"]
