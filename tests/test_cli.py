"""The ``minitorch`` command: --version, demo (with --graph), assign."""

import subprocess
import sys

import pytest

import minitorch
from minitorch import cli, demo


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"minitorch {minitorch.__version__}"


def test_console_script_version():
    out = subprocess.run([sys.executable, "-m", "minitorch.cli", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "minitorch" in out.stdout


def test_demo_reaches_95_percent_validation_accuracy(capsys):
    acc = demo.run(quiet=True)
    assert acc >= 0.95
    assert "final validation accuracy" in capsys.readouterr().out


def test_demo_exit_code_and_graph(tmp_path, capsys):
    out = tmp_path / "step.dot"
    code = cli.main(["demo", "--quiet", "--epochs", "1", "--graph", str(out)])
    text = out.read_text()
    assert "AddmmBackward0" in text and "1.weight" in text and "5.bias" in text
    assert code in (0, 1)  # one epoch need not reach the 95% the full demo must


def test_demo_loaders_split_without_overlap():
    train, valid = demo.make_loaders()
    a, b = set(train.sampler.indices), set(valid.sampler.indices)
    assert not a & b and len(a) + len(b) == 1797
