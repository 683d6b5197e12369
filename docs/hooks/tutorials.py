"""mkdocs hook: the tutorials in ``tutorials/NN_*.py`` become pages of the site at build time.

The tutorials are jupytext "percent" files: ``# %% [markdown]`` cells hold
prose (each line starts with ``# ``), ``# %%`` cells hold code. Each file
becomes ``tutorials/NN_name.md``: markdown cells as markdown, code cells as
fenced Python, each followed by what it printed and drew. To get those
outputs the hook runs the tutorial (``_run_tutorial.py``, fast mode, as the
tests do) and keeps the results in a cache keyed by the tutorial's text and
minitorch's source, so a rebuild without changes runs nothing.

``MINITORCH_DOCS_EXECUTE=0`` skips running them (code only), e.g. for a quick
preview. The "Tutorials" entry of the nav is filled in with one page per file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.tutorials")
ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = ROOT / "tutorials"
RUNNER = Path(__file__).with_name("_run_tutorial.py")
TIMEOUT = 300  # seconds per tutorial
REPO_LINK = "tutorials/{name}"


def tutorial_files() -> list[Path]:
    return sorted(TUTORIALS.glob("[0-9][0-9]_*.py"))


# ---- parsing -----------------------------------------------------------------------------------------
def parse_cells(text: str) -> list[tuple[str, str]]:
    """``[(kind, source)]`` with kind "markdown" or "code"; the jupytext header is dropped."""
    lines = text.splitlines()
    if lines and lines[0].strip() == "# ---":  # the YAML header, up to the next "# ---"
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "# ---"), 0)
        lines = lines[end + 1:]
    cells, kind, current = [], None, []
    for line in lines:
        if line.startswith("# %%"):
            if kind is not None:
                cells.append((kind, "\n".join(current).strip("\n")))
            kind = "markdown" if "[markdown]" in line or "[md]" in line else "code"
            current = []
            continue
        if kind is None:  # text before the first marker is code, as jupytext reads it
            kind = "code"
        current.append(line)
    if kind is not None:
        cells.append((kind, "\n".join(current).strip("\n")))
    return [(k, s) for k, s in cells if s.strip()]


def _uncomment(source: str) -> str:
    """A markdown cell's text: each line lost its leading ``# `` (or ``#``)."""
    out = []
    for line in source.splitlines():
        if line.startswith("# "):
            out.append(line[2:])
        elif line.startswith("#"):
            out.append(line[1:])
        else:
            out.append(line)
    return "\n".join(out)


def title_of(path: Path) -> str:
    for kind, source in parse_cells(path.read_text()):
        if kind == "markdown":
            for line in _uncomment(source).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


# ---- running (with a cache) -----------------------------------------------------------------------------
def _source_hash() -> str:
    h = hashlib.sha256()
    for p in sorted((ROOT / "minitorch").rglob("*.py")):
        h.update(p.as_posix().encode())
        h.update(p.read_bytes())
    h.update(RUNNER.read_bytes())
    return h.hexdigest()


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "minitorch-docs" / "tutorials"


def run_tutorial(path: Path, source_hash: str) -> tuple[list[dict], Path] | None:
    """Outputs of each code cell and the folder holding their images (cached); None if it could not run."""
    key = hashlib.sha256(path.read_bytes() + source_hash.encode()).hexdigest()[:20]
    out = _cache_dir() / f"{path.stem}-{key}"
    if (out / "cells.json").exists():
        return json.loads((out / "cells.json").read_text()), out
    tmp = Path(tempfile.mkdtemp(prefix="mt-tut-"))
    work = tmp / "work"
    work.mkdir()
    env = dict(os.environ, MINITORCH_FAST="1", MPLBACKEND="Agg", MINITORCH_TUTORIAL_OUT=str(work))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    try:
        proc = subprocess.run([sys.executable, str(RUNNER), str(path), str(tmp / "out")], cwd=work, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        log.warning("tutorials: %s did not finish in %d s; shown without outputs", path.name, TIMEOUT)
        return None
    if proc.returncode != 0 or not (tmp / "out" / "cells.json").exists():
        log.warning("tutorials: running %s failed:\n%s", path.name, proc.stderr[-2000:])
        return None
    cells = json.loads((tmp / "out" / "cells.json").read_text())
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        shutil.rmtree(out)
    shutil.move(str(tmp / "out"), out)
    shutil.rmtree(tmp, ignore_errors=True)
    return cells, out


# ---- rendering -------------------------------------------------------------------------------------------
def render(path: Path, outputs: list[dict] | None, repo_url: str | None = None) -> str:
    """The Markdown page of one tutorial (``outputs``: one dict per code cell, or None)."""
    link = f"{repo_url.rstrip('/')}/blob/HEAD/tutorials/{path.name}" if repo_url else None
    source = f"[`tutorials/{path.name}`]({link})" if link else f"`tutorials/{path.name}`"
    parts = []
    code_index = 0
    for kind, text in parse_cells(path.read_text()):
        if kind == "markdown":
            parts.append(_uncomment(text))
            if len(parts) == 1:  # after the title cell: where the file is and how to run it
                parts.append(f'!!! note "Run it yourself"\n    This page is {source}, rendered with the output '
                             f"of a run in fast mode. Run it with `python tutorials/{path.name}`, or open it as a "
                             f"notebook with `jupytext --to notebook tutorials/{path.name}`.")
            continue
        parts.append(f"```python\n{text}\n```")
        if outputs is not None and code_index < len(outputs):
            parts += _render_output(outputs[code_index], path.stem)
        code_index += 1
    return "\n\n".join(parts) + "\n"


def _render_output(cell: dict, stem: str) -> list[str]:
    out = []
    text = cell.get("stdout", "").rstrip("\n")
    if text:
        out.append(f'<div class="mt-output" markdown="1">\n\n```text\n{_fence_safe(text)}\n```\n\n</div>')
    for name in cell.get("images", []):
        out.append(f"![output of the cell above]({stem}/{name}){{ .mt-figure }}")
    if cell.get("error"):
        out.append(f'!!! failure "This cell raised"\n\n    ```text\n{_indent(_fence_safe(cell["error"]))}\n    ```')
    return out


def _fence_safe(text: str) -> str:
    return text.replace("```", "` ` `")


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def index_page(paths: list[Path]) -> str:
    lines = [
        "# Tutorials",
        "",
        "Step-by-step tutorials, one idea each. Each is a Python file in `tutorials/` (jupytext's "
        '"percent" format: it runs as a script and opens as a notebook) and each is run by the test suite, '
        "so what you read here is what the code does. The pages below are generated from those files when "
        "the site is built, with the output of a run in fast mode (`MINITORCH_FAST=1`, fewer epochs).",
        "",
        "| # | Tutorial | File |",
        "|---|----------|------|",
    ]
    for p in paths:
        lines.append(f"| {p.name[:2]} | [{title_of(p)}]({p.stem}.md) | `tutorials/{p.name}` |")
    lines += [
        "",
        "Run one yourself from the repository root:",
        "",
        "```bash",
        f"python tutorials/{paths[0].name if paths else '01_tensors.py'}",
        "```",
        "",
        "Each tutorial ends with exercises; their solutions are part of the course assignments "
        "(see [Teaching with minitorch](../teaching.md)).",
        "",
    ]
    return "\n".join(lines)


# ---- mkdocs events ---------------------------------------------------------------------------------------
def on_config(config):
    """Fill the nav's "Tutorials" section with the index and one entry per tutorial file."""
    entries = ["tutorials/index.md"] + [{title_of(p): f"tutorials/{p.stem}.md"} for p in tutorial_files()]
    for i, item in enumerate(config.nav or []):
        if isinstance(item, dict) and "Tutorials" in item:
            config.nav[i] = {"Tutorials": entries}
    return config


def on_files(files, config):
    paths = tutorial_files()
    files.append(File.generated(config, "tutorials/index.md", content=index_page(paths)))
    results: dict[Path, tuple | None] = {p: None for p in paths}
    if os.environ.get("MINITORCH_DOCS_EXECUTE", "1") != "0" and paths:
        source_hash = _source_hash()
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            for p, r in zip(paths, pool.map(lambda p: run_tutorial(p, source_hash), paths)):
                results[p] = r
    for p in paths:
        r = results[p]
        outputs, folder = r if r is not None else (None, None)
        files.append(File.generated(config, f"tutorials/{p.stem}.md", content=render(p, outputs,
                                                                                        config.get("repo_url"))))
        if folder is None:
            continue
        for cell in outputs:
            for name in cell.get("images", []):
                files.append(File.generated(config, f"tutorials/{p.stem}/{name}",
                                            abs_src_path=str(folder / name)))
    return files
