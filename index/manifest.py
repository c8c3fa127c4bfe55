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


def _file_hash(path: Path) -> str:
    """Imported on use: searching never hashes, and a one-shot search should not pay for the reader."""
    from newsgrep.index.articles import file_hash

    return file_hash(path)


def scan(paths: Iterable[str | os.PathLike], manifest: dict[str, list], summary: Summary
          ) -> tuple[list[tuple[Path, str, list]], set[str]]:
    """Split the given paths into files to (re)index and a set of every file seen.

    Files under a folder that cannot be listed now count as seen: a permission change or a flaky
    mount must not remove what was indexed from there.
    """
    todo: list[tuple[Path, str, list]] = []
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
            old = manifest.get(key)
            if old and old[0] == st.st_size and old[1] == st.st_mtime_ns:
                summary.unchanged += 1
                continue
            digest = _file_hash(Path(key))
        except OSError as exc:
            summary.skipped.append((key, exc.strerror or str(exc)))
            summary.skipped_files += 1
            continue
        entry = [st.st_size, st.st_mtime_ns, digest]
        if old and old[2] == digest:
            manifest[key] = entry
            summary.unchanged += 1
        else:
            todo.append((Path(key), "updated" if old else "added", entry))
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


