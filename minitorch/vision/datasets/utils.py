"""Downloading dataset files safely: fetch with urllib, check the MD5 checksum, extract.

A download goes to ``<file>.part`` and is renamed only once its checksum
matches, so an interrupted or tampered download never looks like a good file.
Archives are extracted with the ``data`` filter (no absolute paths, no ``..``,
no links out of the target folder).

>>> download_url("https://example.org/f.gz", "data", md5="...")  # doctest: +SKIP
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tarfile
import urllib.request

_USER_AGENT = "minitorch"
_CHUNK = 1024 * 1024


def calculate_md5(fpath: str, chunk_size: int = _CHUNK) -> str:
    """The hex MD5 digest of a file (read in chunks, so big files need little memory)."""
    md5 = hashlib.md5(usedforsecurity=False)
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            md5.update(chunk)
    return md5.hexdigest()


def check_md5(fpath: str, md5: str) -> bool:
    return md5 == calculate_md5(fpath)


def check_integrity(fpath: str, md5: str | None = None) -> bool:
    """True when ``fpath`` is a file and (if ``md5`` is given) its checksum matches."""
    if not os.path.isfile(fpath):
        return False
    return md5 is None or check_md5(fpath, md5)


def download_url(url: str, root: str, filename: str | None = None, md5: str | None = None) -> str:
    """Download ``url`` to ``root/filename`` and verify its MD5; returns the path.

    Does nothing when a file with the right checksum is already there.
    Raises RuntimeError naming the URL and both checksums when they differ.
    """
    root = os.path.expanduser(root)
    filename = filename or os.path.basename(url)
    fpath = os.path.join(root, filename)
    os.makedirs(root, exist_ok=True)
    if check_integrity(fpath, md5):
        return fpath
    part = fpath + ".part"
    print(f"Downloading {url} to {fpath}")
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request) as response, open(part, "wb") as out:
            shutil.copyfileobj(response, out, _CHUNK)
        if md5 is not None:
            got = calculate_md5(part)
            if got != md5:
                raise RuntimeError(f"Downloaded file {filename} from {url} is corrupted: its MD5 checksum is {got}, "
                                   f"expected {md5}. Try again later or another mirror.")
        os.replace(part, fpath)
    finally:
        if os.path.exists(part):
            os.remove(part)
    return fpath


def _safe_extract_tar(archive: str, to_path: str) -> None:
    with tarfile.open(archive, "r:*") as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(to_path, filter="data")
            return
        # Older Pythons: refuse members that would land outside to_path, then extract.
        target = os.path.realpath(to_path)
        for member in tar.getmembers():
            dest = os.path.realpath(os.path.join(to_path, member.name))
            if os.path.commonpath([target, dest]) != target or member.issym() or member.islnk():
                raise RuntimeError(f"Refusing to extract {member.name!r} from {archive}: it points outside {to_path}")
        tar.extractall(to_path)  # noqa: S202 - members checked above


def extract_archive(from_path: str, to_path: str | None = None, remove_finished: bool = False) -> str:
    """Extract a .tar/.tar.gz/.tgz archive into ``to_path``, or gunzip a lone .gz file; returns ``to_path``."""
    to_path = to_path or os.path.dirname(from_path)
    name = from_path.lower()
    if name.endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")):
        _safe_extract_tar(from_path, to_path)
    elif name.endswith(".gz"):
        out = os.path.join(to_path, os.path.basename(from_path)[:-3])
        with gzip.open(from_path, "rb") as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst, _CHUNK)
    else:
        raise RuntimeError(f"extract_archive: don't know how to extract {from_path} (expected .tar[.gz] or .gz)")
    if remove_finished:
        os.remove(from_path)
    return to_path


def download_and_extract_archive(url: str, download_root: str, extract_root: str | None = None,
                                 filename: str | None = None, md5: str | None = None,
                                 remove_finished: bool = False) -> None:
    """``download_url`` then ``extract_archive`` (into ``download_root`` unless ``extract_root`` is given)."""
    archive = download_url(url, download_root, filename, md5)
    extract_archive(archive, extract_root or os.path.expanduser(download_root), remove_finished)
