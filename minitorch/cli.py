"""The ``minitorch`` command: ``minitorch --version``, ``minitorch demo``."""

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
    args = parser.parse_args(argv)
    if args.command == "demo":
        from .demo import run

        acc = run(epochs=args.epochs, seed=args.seed, quiet=args.quiet)
        return 0 if acc >= 0.95 else 1
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
