"""The documentation site builds with ``mkdocs build --strict`` (broken links and references fail).

Skipped when mkdocs (the ``docs`` extra) is not installed. Tutorials are not
executed here (``MINITORCH_DOCS_EXECUTE=0``; tests/tutorials runs them); one
small percent file is run through the hook's runner to check outputs and figures.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")
pytest.importorskip("material")
pytest.importorskip("mkdocstrings")

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "docs" / "hooks"


def test_site_builds_strict(tmp_path):
    env = dict(os.environ, MINITORCH_DOCS_EXECUTE="0", NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    site = tmp_path / "site"
    home = (site / "index.html").read_text()
    assert "images/mlp_graph.svg" in home
    derivatives = (site / "reference" / "derivatives" / "index.html").read_text()
    assert "MulBackward0" in derivatives and "d/da = b" in derivatives
    assert "test_grad_finite_differences[" in derivatives
    for tutorial in sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.py")):
        assert (site / "tutorials" / tutorial.stem / "index.html").exists(), tutorial.name
    assert (site / "zh" / "concepts" / "graph" / "index.html").exists()
    api = (site / "reference" / "nn" / "index.html").read_text()
    assert "Linear" in api


def test_percent_cells_and_runner(tmp_path):
    sys.path.insert(0, str(HOOKS))
    try:
        import tutorials as hook
    finally:
        sys.path.remove(str(HOOKS))
    src = tmp_path / "01_demo.py"
    src.write_text(textwrap.dedent('''\
        # ---
        # jupyter:
        #   jupytext:
        #     formats: py:percent
        # ---

        # %% [markdown]
        # # 1. A demo
        # Some *prose*.

        # %%
        print("hello")
        x = 2
        x * 21

        # %%
        import matplotlib.pyplot as plt
        plt.plot([0, 1], [1, 0])
        '''))
    cells = hook.parse_cells(src.read_text())
    assert [k for k, _ in cells] == ["markdown", "code", "code"]
    assert hook.title_of(src) == "1. A demo"
    out = tmp_path / "out"
    env = dict(os.environ, MPLBACKEND="Agg", MINITORCH_TUTORIAL_OUT=str(tmp_path))
    subprocess.run([sys.executable, str(HOOKS / "_run_tutorial.py"), str(src), str(out)], cwd=tmp_path, env=env,
                   check=True, timeout=120)
    results = json.loads((out / "cells.json").read_text())
    assert results[0]["stdout"] == "hello\n42\n" and results[0]["error"] is None
    assert len(results[1]["images"]) == 1 and (out / results[1]["images"][0]).stat().st_size > 0
    page = hook.render(src, results)
    assert "# 1. A demo" in page and '```python\nprint("hello")' in page
    assert "hello\n42" in page and f"01_demo/{results[1]['images'][0]}" in page


def test_griffe_extension_fences_doctests():
    sys.path.insert(0, str(HOOKS))
    try:
        from griffe_doctest import fence_doctests
    finally:
        sys.path.remove(str(HOOKS))
    text = "Square it::\n\n    y = x * x\n\n>>> square(3)\n9\n\nDone."
    out = fence_doctests(text)
    assert "Square it:\n" in out and "```pycon\n>>> square(3)\n9\n```" in out
