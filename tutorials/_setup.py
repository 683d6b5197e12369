"""What every tutorial sets up: fast mode, the folder for pictures, and matplotlib when installed.

The tutorials import it (``from _setup import FAST, OUT, plt``); it lives beside them.
"""

import os
from pathlib import Path

#: The test suite sets MINITORCH_FAST=1 to shorten training (every cell still runs).
FAST = os.environ.get("MINITORCH_FAST") == "1"

#: Where the tutorials write their pictures.
OUT = Path(os.environ.get("MINITORCH_TUTORIAL_OUT") or Path(__file__).resolve().parent / "_out")
OUT.mkdir(parents=True, exist_ok=True)

try:
    import matplotlib.pyplot as plt
except ImportError:  # matplotlib is optional: everything but the pictures still runs
    plt = None
    print("matplotlib is not installed (pip install matplotlib): the plots are skipped")
