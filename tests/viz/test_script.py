"""``minitorch graph SCRIPT.py``: which tensor is drawn and how its leaves are named."""

from __future__ import annotations

import pytest

import minitorch
from minitorch.cli import main
from minitorch.viz.script import leaf_names, pick_tensor, run_script

SCRIPT = """
import sys
import minitorch
from minitorch import nn
minitorch.manual_seed(0)
model = nn.Linear(3, 2)
w = minitorch.randn(2, requires_grad=True)
hidden = model(minitorch.randn(4, 3))
loss = (hidden * w).sum()
loss.backward()
argv_seen = list(sys.argv)
"""


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "step.py"
    path.write_text(SCRIPT)
    return path


def test_run_script_returns_its_globals_and_restores_argv(script):
    import sys

    before = list(sys.argv)
    ns = run_script(script)
    assert ns["argv_seen"] == [str(script)] and sys.argv == before
    assert isinstance(ns["loss"], minitorch.Tensor)


def test_pick_tensor_prefers_the_name_then_loss_then_the_last_recorded(script):
    ns = run_script(script)
    assert pick_tensor(ns) is ns["loss"]
    assert pick_tensor(ns, "hidden") is ns["hidden"]
    del ns["loss"]
    assert pick_tensor(ns) is ns["hidden"]
    with pytest.raises(ValueError, match="'nope' is not defined"):
        pick_tensor(ns, "nope")
    with pytest.raises(ValueError, match="'model' is a Linear, not a Tensor"):
        pick_tensor(ns, "model")
    with pytest.raises(ValueError, match="no global tensor with a grad_fn"):
        pick_tensor({"x": minitorch.ones(2)})


def test_leaves_are_named_as_in_the_script(script):
    ns = run_script(script)
    names = leaf_names(ns)
    assert set(names) == {"model.weight", "model.bias", "w"}
    assert names["w"] is ns["w"] and names["model.weight"] is ns["model"].weight


def test_cli_writes_the_dot_text_with_names_values_and_grads(script, tmp_path, capsys):
    out = tmp_path / "g.dot"
    assert main(["graph", str(script), "--out", str(out)]) == 0
    dot = out.read_text()
    assert "MulBackward0" in dot and "AddmmBackward0" in dot
    assert "model.weight" in dot and ">w<" in dot and "grad" in dot
    assert main(["graph", str(script), "--out", str(out), "--no-grads", "--no-values"]) == 0
    assert "grad" not in out.read_text().replace("_grad", "").replace("Grad", "")
    assert "wrote" in capsys.readouterr().out


def test_cli_reports_a_missing_tensor(script, capsys):
    assert main(["graph", str(script), "--tensor", "nope"]) == 1
    assert "'nope' is not defined" in capsys.readouterr().err


def test_cli_missing_script(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such script"):
        main(["graph", str(tmp_path / "absent.py")])
