"""The ``minitorch`` command: ``--version``, ``demo``, ``graph SCRIPT.py`` and ``assign``."""

from __future__ import annotations

import argparse
import sys

from . import __version__


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="minitorch", description="minitorch: an educational autograd engine")
    parser.add_argument("--version", action="version", version=f"minitorch {__version__}")
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="train a small network and report its accuracy")
    demo.add_argument("--epochs", type=int, default=None, help="training epochs (default: the demo's own)")
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.add_argument("--graph", metavar="OUT", default=None,
                      help="also write the graph of one training step (e.g. out.svg, .png, .pdf or .dot)")
    graph = sub.add_parser("graph", help="run a script and draw the graph of one of its tensors")
    graph.add_argument("script", help="a Python script that builds a graph (e.g. computes `loss`)")
    graph.add_argument("--out", default=None, help="output file: .svg, .png, .pdf or .dot (default: SCRIPT.svg)")
    graph.add_argument("--tensor", default=None, help="the global variable to draw (default: loss, else the last "
                       "global tensor with a grad_fn)")
    graph.add_argument("--no-values", action="store_true", help="leave tensor values out")
    graph.add_argument("--no-grads", action="store_true", help="leave gradients out")
    _add_assign_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "assign":
        return _assign(args)
    if args.command == "graph":
        return _graph(args)
    if args.command == "demo":
        from .demo import run

        acc = run(epochs=args.epochs, seed=args.seed, quiet=args.quiet, graph=args.graph)
        return 0 if acc >= 0.95 else 1
    parser.print_help()
    return 0


def _graph(args) -> int:
    from pathlib import Path

    from .viz import save_graph
    from .viz.script import leaf_names, pick_tensor, run_script

    namespace = run_script(args.script)
    try:
        tensor = pick_tensor(namespace, args.tensor)
    except ValueError as e:
        print(e, file=sys.stderr)
        return 1
    out = args.out or str(Path(args.script).with_suffix(".svg").name)
    save_graph(tensor, out, params=leaf_names(namespace), show_values=not args.no_values,
               show_grads=not args.no_grads)
    print(f"wrote {out}")
    return 0


def _add_assign_parser(sub) -> None:
    from pathlib import Path

    repo = str(Path(__file__).resolve().parent.parent)
    p = sub.add_parser("assign", help="course assignments: build student versions, grade, check")
    p.add_argument("--course", default=None, help="course manifest (default: minitorch/assign/course.toml)")
    p.add_argument("--root", default=repo, help="the repository (reference solution or student tree)")
    acts = p.add_subparsers(dest="action", required=True)
    b = acts.add_parser("build", help="write the student version of an assignment")
    b.add_argument("out_dir")
    b.add_argument("--assignment", type=int, default=1)
    b.add_argument("--no-check", action="store_true", help="skip the install/test checks")
    g = acts.add_parser("grade", help="run each task's tests and score them")
    g.add_argument("--assignment", type=int, default=None)
    g.add_argument("--json", default=None, help="write Gradescope's results.json here")
    g.add_argument("--timeout", type=float, default=120.0, help="seconds per task")
    c = acts.add_parser("check", help="check markers and manifest; --full also grades the reference solution")
    c.add_argument("--full", action="store_true")
    for action in (b, g, c):  # --root/--course also after the action: `minitorch assign grade --root DIR`
        action.add_argument("--course", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        action.add_argument("--root", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _assign(args) -> int:
    from pathlib import Path

    from .assign import load_course
    from .assign.course import COURSE_FILE

    course = load_course(args.course or COURSE_FILE)
    root = Path(args.root)
    if args.action == "build":
        from .assign.build import build

        report = build(course, root, Path(args.out_dir), args.assignment, check=not args.no_check)
        print(report.summary())
        return 0 if report.ok else 1
    if args.action == "grade":
        from .assign.grade import format_table, grade, write_json

        results = grade(course, root, args.assignment, args.timeout)
        print(format_table(results))
        if args.json:
            write_json(results, args.json)
        return 0
    from .assign.check import check_markers, check_reference

    problems = check_markers(course, root)
    if args.full and not problems:
        problems += check_reference(course, root)
    for p in problems:
        print(p)
    n = len(course.tasks)
    print(f"course '{course.name}': {len(course.assignments)} assignments, {n} tasks: "
          + ("ok" if not problems else f"{len(problems)} problem(s)"))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
