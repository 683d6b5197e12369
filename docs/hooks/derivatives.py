"""mkdocs hook: the "Derivatives" page, generated from minitorch.ops at build time.

Every ``Function`` subclass in ``minitorch/ops/*.py`` carries a docstring with
the maths of its backward rule ("a * b.  d/da = b, d/db = a."). This hook
walks the modules, lists each class with its node name and that docstring, and
says which gradient test checks it: it runs the first sample of every entry of
the op table (``tests/ops/op_db.py``) once, in float64, and records which
nodes each entry's graph contains, so the link is what the test really covers.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import inspect
import logging
import pkgutil
import re
import sys
from pathlib import Path

from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.derivatives")
ROOT = Path(__file__).resolve().parents[2]
PAGE = "reference/derivatives.md"
TEST_FILE = "tests/ops/test_ops.py"
GRAD_TEST = "test_grad_finite_differences"


def functions_by_module() -> dict[str, list[type]]:
    """``{module name: [Function subclasses defined there]}`` for minitorch.ops, in source order."""
    import minitorch.ops as ops
    from minitorch.autograd import Function

    out = {}
    for info in sorted(pkgutil.iter_modules(ops.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"minitorch.ops.{info.name}")
        classes = [c for c in vars(module).values()
                   if inspect.isclass(c) and issubclass(c, Function) and c.__module__ == module.__name__]
        if classes:
            classes.sort(key=lambda c: inspect.getsourcelines(c)[1])
            out[module.__name__] = classes
    return out


def _load_op_table():
    path = ROOT / "tests" / "ops" / "op_db.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location("_docs_op_db", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module.OPS


def _sample_args(op, sample, minitorch, np):
    """The op's first sample as float64 tensors that require grad (like the gradient test makes them)."""
    rng = np.random.default_rng(0)
    args = []
    for i, a in enumerate(sample.args):
        domain = op.domain[i] if isinstance(op.domain, list) else op.domain
        if isinstance(a, tuple):
            lo, hi = (0.5, 2.0) if isinstance(domain, str) else domain
            args.append(minitorch.tensor(rng.uniform(lo, hi, size=a), requires_grad=True))
        elif isinstance(a, np.ndarray) and a.dtype.kind == "f":
            args.append(minitorch.tensor(a.astype("float64"), requires_grad=True))
        elif isinstance(a, np.ndarray):
            args.append(minitorch.tensor(a))
        elif type(a).__name__ == "Const":
            args.append(minitorch.tensor(np.asarray(a.value)))
        else:
            args.append(a)
    return args


def _node_classes(outputs) -> set[type]:
    """The Function classes of every node reachable from ``outputs``."""
    stack = [o.grad_fn for o in outputs if getattr(o, "grad_fn", None) is not None]
    seen, found = set(), set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        cls = getattr(node, "_forward_cls", None)
        if cls is not None:
            found.add(cls)
        stack.extend(n for n, _ in node.next_functions if n is not None)
    return found


def covering_tests() -> dict[type, list[str]]:
    """``{Function class: [op-table entries whose gradient test builds a node of it]}``."""
    import numpy as np

    import minitorch

    cover: dict[type, list[str]] = {}
    try:
        ops = _load_op_table()
    except Exception as e:  # the table is someone else's file: never break the docs over it
        log.info("derivatives: op table not loaded (%s)", e)
        return cover
    for op in ops:
        if not getattr(op, "grad", True) or not op.samples:
            continue
        for i, sample in enumerate(op.samples):
            try:
                out = op.fn(minitorch, *_sample_args(op, sample, minitorch, np), **sample.kwargs)
            except Exception:
                continue
            outs = list(out) if isinstance(out, (tuple, list)) else [out]
            for cls in _node_classes(outs):
                names = cover.setdefault(cls, [])
                if f"{op.name}-{i}" not in names and len(names) < 4:
                    names.append(f"{op.name}-{i}")
    return cover


def _doc_html(doc: str) -> str:
    """The docstring as HTML text: ``code`` spans become <code>, the rest is escaped verbatim."""
    parts = re.split(r"``(.+?)``", doc)
    text = "".join(f"<code>{html.escape(p)}</code>" if k % 2 else html.escape(p) for k, p in enumerate(parts))
    return text.replace("\n", "<br>")  # one HTML line: a blank line would end the raw HTML block


def _other_tests(module: str) -> str | None:
    short = module.rsplit(".", 1)[-1]
    path = ROOT / "tests" / "ops" / f"test_{short}.py"
    return f"tests/ops/test_{short}.py" if path.exists() else None


def _test_cell(cls, cover, module, repo_url) -> str:
    names = cover.get(cls)
    link = f"{repo_url.rstrip('/')}/blob/HEAD/{TEST_FILE}" if repo_url else None
    where = f'<a href="{link}">{TEST_FILE}</a>' if link else f"<code>{TEST_FILE}</code>"
    if names:
        ids = ", ".join(f"<code>{GRAD_TEST}[{html.escape(n)}]</code>" for n in names)
        return f"gradcheck: {ids} in {where}"
    other = _other_tests(module)
    if other:
        return f"checked in <code>{other}</code>"
    return "not reached by the op table's gradient tests (no differentiable sample)"


def render(repo_url: str | None = None) -> str:
    groups = functions_by_module()
    cover = covering_tests()
    total = sum(len(v) for v in groups.values())
    lines = [
        "# Derivatives",
        "",
        f"Every differentiable operation of minitorch is a `Function` subclass in `minitorch/ops/`. "
        f"This page lists all {total} of them, generated from the source when the site is built: the class, "
        "the name of the node it records (what `tensor.grad_fn` prints) and its docstring, which states the "
        "derivative that its `backward` implements. The last line of each entry names the gradient test that "
        "checks the rule: the op table in `tests/ops/op_db.py` drives "
        f"`{GRAD_TEST}` in `{TEST_FILE}`, which compares the backward rule with central finite differences "
        "in float64 (`gradcheck`). Run one of them with, for example:",
        "",
        "```bash",
        f'python -m pytest {TEST_FILE} -k "{GRAD_TEST} and mul"',
        "```",
        "",
        "Notation: `d/da` is the derivative of the output with respect to argument `a`; backward multiplies "
        "it by the incoming gradient (a vector-Jacobian product) and sums broadcast dimensions back to the "
        "input's shape.",
        "",
    ]
    for module, classes in groups.items():
        lines += [f"## `{module}`", ""]
        for cls in classes:
            doc = inspect.getdoc(cls) or "(no docstring)"
            node = cls._backward_cls.__name__
            lines += [
                f'<div class="mt-deriv" id="{module.rsplit(".", 1)[-1]}-{cls.__name__.lower()}" markdown="0">',
                f"<p class=\"mt-deriv-head\"><strong>{cls.__name__}</strong> &middot; node "
                f"<code>{node}</code></p>",
                f'<div class="mt-deriv-doc">{_doc_html(doc)}</div>',
                f'<p class="mt-deriv-test">{_test_cell(cls, cover, module, repo_url)}</p>',
                "</div>",
                "",
            ]
    return "\n".join(lines)


def on_files(files, config):
    files.append(File.generated(config, PAGE, content=render(config.get("repo_url"))))
    return files
