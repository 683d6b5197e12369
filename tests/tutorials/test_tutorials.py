"""Every tutorial runs as a script (in fast mode) and its own checks pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

TUTORIALS = sorted((Path(__file__).resolve().parents[2] / "tutorials").glob("[0-9][0-9]_*.py"))


@pytest.mark.parametrize("path", TUTORIALS, ids=[p.stem for p in TUTORIALS])
def test_tutorial_runs(path, tmp_path):
    # One BLAS thread: on a busy 2-core machine a multi-threaded OpenBLAS slows small products 100-fold.
    env = dict(os.environ, MINITORCH_FAST="1", MPLBACKEND="Agg", MINITORCH_TUTORIAL_OUT=str(tmp_path),
               OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, str(path)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, f"{path.name} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"


def test_there_are_tutorials():
    assert len(TUTORIALS) >= 2


@pytest.mark.parametrize("path", TUTORIALS, ids=[p.stem for p in TUTORIALS])
def test_tutorial_converts_to_a_notebook(path):
    """Notebooks are generated from the percent files by jupytext (never committed by hand)."""
    jupytext = pytest.importorskip("jupytext")
    nb = jupytext.read(path)
    kinds = {cell.cell_type for cell in nb.cells}
    assert kinds == {"markdown", "code"}, f"{path.name} should have prose and code cells"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")  # a title first
