"""The manifest: every indexed file with its size, mtime and content hash, so that `add` reads only
what changed; and the scan of the given paths against it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from newsgrep.index.layout import write_json

if TYPE_CHECKING:
    from newsgrep.index.writer import Summary

MANIFEST = "manifest.json"


def load_manifest(gen: Path) -> dict[str, list]:
    """path -> [size, mtime_ns, hash] of every indexed file; lets `add` skip unchanged files unread."""
    try:
        data = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save_manifest(gen: Path, manifest: dict[str, list]) -> None:
    """Write the manifest of a generation atomically."""
    write_json(gen / MANIFEST, manifest)


def scan(paths: Iterable[str | os.PathLike], manifest: dict[str, list], summary: Summary
         ) -> tuple[list[tuple[Path, str, str]], set[str]]:
    """Split the given paths into files to read and a set of every file seen.

    A file is read when its size or mtime differs from the manifest's: (path, "added" or "updated",
    the hash it had or ""). Nothing is hashed here: the reader hashes the very bytes it indexes, and
    finds a file whose bytes did not change (articles.load_once).
    Files under a folder that cannot be listed now count as seen: a permission change or a flaky
    mount must not remove what was indexed from there.
    """
    todo: list[tuple[Path, str, str]] = []
    seen: set[str] = set()
    from newsgrep.index.read import UNREADABLE_FOLDER, find_files

    for key, reason in find_files(paths):
        if reason:
            if reason.startswith(UNREADABLE_FOLDER):
                inside = key.rstrip(os.sep) + os.sep
                seen.update(k for k in manifest if k.startswith(inside))
            if key not in manifest:
                summary.skipped.append((key, reason))
                summary.skipped_files += 1
            continue
        seen.add(key)
        try:
            st = os.stat(key)
        except OSError as exc:
            summary.skipped.append((key, exc.strerror or str(exc)))
            summary.skipped_files += 1
            continue
        old = manifest.get(key)
        if old and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            summary.unchanged += 1
        else:
            todo.append((Path(key), "updated" if old else "added", old[2] if old else ""))
    return todo, seen


def gone(paths: Iterable[str | os.PathLike], manifest: dict[str, list], seen: set[str]) -> list[str]:
    """Indexed files under the given paths that are no longer there."""
    prefixes = []
    for given in paths:
        p = os.path.abspath(os.path.expanduser(given))
        prefixes.append(p.rstrip(os.sep) + os.sep)
        if p in manifest and p not in seen:
            prefixes.append(p)
    return [k for k in manifest if k not in seen and any(k == p or k.startswith(p) for p in prefixes)]


def abs_path(path: str | os.PathLike) -> str:
    return os.path.abspath(os.path.expanduser(path))




def under(manifest: dict[str, list], path: str) -> list[str]:
    """The indexed files that are `path` or inside it."""
    inside = path.rstrip(os.sep) + os.sep
    return [k for k in manifest if k == path or k.startswith(inside)]


def unavailable(paths: Iterable[str | os.PathLike], indexed: dict[str, list], seen: set[str]
                ) -> list[tuple[str, str, list[str]]]:
    """Given paths that held indexed files and now yield none: (path, why, its indexed files).

    A folder whose every file was deleted looks the same as an unmounted drive, an empty mount point,
    a renamed folder or a link to somewhere gone; only the second set is common, and taking it for the
    first would drop a whole corpus from the index. So such a path is unavailable, not emptied: its
    articles stay until the user says otherwise (`search-index remove PATH` or `add --prune`).
    """
    found = []
    for given in dict.fromkeys(map(abs_path, paths)):
        files = under(indexed, given)
        if files and not any(k in seen for k in files) and not _yields_files(given, seen):
            found.append((given, _why_unavailable(given), files))
    return found


def _yields_files(path: str, seen: set[str]) -> bool:
    inside = path.rstrip(os.sep) + os.sep
    return path in seen or any(k.startswith(inside) for k in seen)


def _why_unavailable(path: str) -> str:
    if not os.path.lexists(path):
        return "not found"
    if not os.path.exists(path):
        return "a broken link"
    if os.path.isdir(path):
        try:
            with os.scandir(path) as listing:
                empty = next(iter(listing), None) is None
        except OSError as exc:
            return f"cannot be read ({exc.strerror or exc})"
        return "an empty folder (an unmounted drive?)" if empty else "holds no indexable files now"
    return "no longer an indexable file"
