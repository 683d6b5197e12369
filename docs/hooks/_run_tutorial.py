"""Run one jupytext percent file cell by cell and write what each code cell showed as JSON.

Used by tutorials.py (the mkdocs hook) in a subprocess:
``python _run_tutorial.py TUTORIAL.py OUT_DIR``. For each code cell it records
the printed text, the matplotlib figures left open (saved as PNG) and image
files the cell wrote into ``$MINITORCH_TUTORIAL_OUT``; as in a notebook, a
value on the cell's last line is shown too (an SVG for graphviz graphs).
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import shutil
import sys
import traceback
from pathlib import Path

IMAGE_SUFFIXES = (".png", ".svg", ".gif", ".jpg", ".jpeg")


def code_cells(text: str) -> list[str]:
    """The source of each code cell of a percent file, in order."""
    cells, current, kind = [], [], None
    for line in text.splitlines():
        if line.startswith("# %%"):
            if kind == "code":
                cells.append("\n".join(current))
            kind = "markdown" if "[markdown]" in line or "[md]" in line else "code"
            current = []
            continue
        current.append(line)
    if kind == "code":
        cells.append("\n".join(current))
    return cells


def _images_in(folder: Path) -> dict[str, float]:
    if not folder.is_dir():
        return {}
    return {str(p): p.stat().st_mtime for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES}


class Runner:
    def __init__(self, path: Path, out: Path):
        self.path, self.out = path, out
        self.namespace = {"__name__": "__main__", "__file__": str(path)}
        self.watch = Path(os.environ.get("MINITORCH_TUTORIAL_OUT", os.getcwd()))
        self.n_images = 0

    def _keep(self, src: Path | None = None, data: bytes | None = None, suffix: str = ".png") -> str:
        self.n_images += 1
        name = f"fig_{self.n_images}{suffix}"
        if src is not None:
            shutil.copyfile(src, self.out / name)
        else:
            (self.out / name).write_bytes(data)
        return name

    def _figures(self) -> list[str]:
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is None:
            return []
        names = []
        for num in plt.get_fignums():
            buf = io.BytesIO()
            plt.figure(num).savefig(buf, format="png", dpi=90, bbox_inches="tight")
            names.append(self._keep(data=buf.getvalue()))
        plt.close("all")
        return names

    def _display(self, value) -> tuple[str, list[str]]:
        """What a notebook shows for a cell's last value: an image if it can draw itself, else its repr."""
        if value is None:
            return "", []
        for method, suffix in (("_repr_svg_", ".svg"), ("_repr_png_", ".png")):
            fn = getattr(value, method, None)
            if fn is None:
                continue
            try:
                data = fn()
            except Exception:
                continue
            if data:
                raw = data.encode() if isinstance(data, str) else data
                return "", [self._keep(data=raw, suffix=suffix)]
        return repr(value) + "\n", []

    def run_cell(self, source: str) -> dict:
        before = _images_in(self.watch)
        stdout = io.StringIO()
        images, error = [], None
        try:
            tree = ast.parse(source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stdout):
                exec(compile(tree, str(self.path), "exec"), self.namespace)
                value = eval(compile(ast.Expression(last.value), str(self.path), "eval"), self.namespace) \
                    if last is not None else None
            text, shown = self._display(value)
            stdout.write(text)
            images += shown
        except BaseException:  # SystemExit included: record it, stop running the tutorial
            error = traceback.format_exc(limit=-3)
        images += self._figures()
        after = _images_in(self.watch)
        for p, mtime in sorted(after.items()):
            if before.get(p) != mtime and not p.startswith(str(self.out)):
                images.append(self._keep(src=Path(p), suffix=Path(p).suffix.lower()))
        return {"stdout": stdout.getvalue(), "images": images, "error": error}


def main(path: str, out: str) -> None:
    src, out_dir = Path(path).resolve(), Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(src.parent))
    runner = Runner(src, out_dir)
    results = []
    for cell in code_cells(src.read_text()):
        result = runner.run_cell(cell)
        results.append(result)
        if result["error"]:
            break
    (out_dir / "cells.json").write_text(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
