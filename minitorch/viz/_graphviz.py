"""The bridge to Graphviz: the Python package (optional) and the ``dot`` program.

Two separate things are needed to draw a graph:

* the Python package ``graphviz`` builds the DOT text (``Digraph.source``);
  it is the optional extra ``pip install 'minitorch[viz]'``;
* the ``dot`` program (OS package ``graphviz``) turns DOT text into
  SVG/PNG/PDF. Without it ``.source`` still works but rendering does not,
  and the error below says how to install it.
"""

from __future__ import annotations

from pathlib import Path

INSTALL_PACKAGE = (
    "minitorch.viz needs the Python package 'graphviz': pip install 'minitorch[viz]' (or pip install graphviz)"
)
INSTALL_DOT = (
    "minitorch.viz could not run the Graphviz program 'dot', which turns the graph into an image. "
    "Install the OS package graphviz, e.g. apt-get install graphviz (Debian/Ubuntu), brew install graphviz "
    "(macOS) or conda install graphviz, and make sure 'dot' is on your PATH. The DOT text is still available "
    "as graph.source, or save it with a .dot/.gv file name."
)

#: File suffixes written as DOT text, without running ``dot``.
SOURCE_SUFFIXES = (".dot", ".gv")

_digraph_cls = []


def graphviz_module():
    """Import the ``graphviz`` package, or raise an ImportError that says how to install it."""
    try:
        import graphviz
    except ImportError as e:
        raise ImportError(INSTALL_PACKAGE) from e
    return graphviz


def digraph_class():
    """``graphviz.Digraph`` whose ``pipe``/``render`` explain how to install ``dot`` when it is missing.

    Jupyter's inline display goes through ``pipe``, so it gets the same message.
    """
    if _digraph_cls:
        return _digraph_cls[0]
    graphviz = graphviz_module()

    class Digraph(graphviz.Digraph):
        __doc__ = graphviz.Digraph.__doc__

        def pipe(self, *args, **kwargs):
            try:
                return super().pipe(*args, **kwargs)
            except graphviz.ExecutableNotFound as e:
                raise RuntimeError(INSTALL_DOT) from e

        def render(self, *args, **kwargs):
            try:
                return super().render(*args, **kwargs)
            except graphviz.ExecutableNotFound as e:
                raise RuntimeError(INSTALL_DOT) from e

    _digraph_cls.append(Digraph)
    return Digraph


def require_dot() -> None:
    """Raise the install message now if ``dot`` cannot run (before any work is done)."""
    graphviz = graphviz_module()
    try:
        graphviz.version()
    except graphviz.ExecutableNotFound as e:
        raise RuntimeError(INSTALL_DOT) from e


def write(graph, path) -> str:
    """Write ``graph`` to ``path``: DOT text for ``.dot``/``.gv``, else the image its suffix names."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in SOURCE_SUFFIXES:
        path.write_text(graph.source)
        return str(path)
    if not suffix:
        raise ValueError(f"cannot tell the image format of {str(path)!r}: give a suffix such as .svg, .png or .pdf")
    require_dot()
    if suffix in (".png", ".jpg", ".jpeg", ".gif", ".bmp"):
        graph = graph.copy()
        graph.attr(dpi="120")  # sharper small text than the default 96 (not for SVG/PDF: it would scale them)
    path.write_bytes(graph.pipe(format=suffix[1:]))
    return str(path)
