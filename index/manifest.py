"""The manifest: every indexed file with its size, mtime and content hash, so that `add` reads only
what changed; and the scan of the given paths against it."""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsgrep.index.layout import write_json

if TYPE_CHECKING:
    from newsgrep.index.writer import Summary

LEGACY_MANIFEST = "manifest.json"  # before the manifest was tied to a commit: read, never written
STATE_FILE = re.compile(r"manifest-(\d+)\.json")
_TOC_FILE = re.compile(r"_MAIN_(\d+)\.toc")


@dataclass
class State:
    """What a commit of a generation holds besides Whoosh's segments: every indexed file as
    [size, mtime_ns, hash] (a JSON Lines file with its record table after them), and the roots (the
    paths given to add and rebuild).

    They live in `manifest-<N>.json`, N being the Whoosh TOC generation they describe, written before
    Whoosh writes TOC N: a kill at any point leaves TOC N-1 with its own manifest, or TOC N with its
    own. `agrees` is False when no manifest of the live TOC was found (damage, or an index of an
    earlier version) and what was found instead may be out of date: writers then reconcile the files
    with the index (writer.py).
    """

    files: dict[str, list]
    roots: list[str]
    agrees: bool
    follow: bool = False  # `--follow` was asked for: links leaving the indexed folders are followed


def latest_toc(gen: Path) -> int | None:
    """The number of the generation's newest Whoosh TOC (the one Whoosh opens), None if it has none."""
    try:
        found = [int(m.group(1)) for name in os.listdir(gen) if (m := _TOC_FILE.fullmatch(name))]
    except OSError:
        return None
    return max(found, default=None)


def state_file(gen: Path, toc: int) -> Path:
    return gen / f"manifest-{toc}.json"


def load_state(gen: Path) -> State:
    """The manifest and roots of the live TOC; else the newest found, marked as not agreeing."""
    toc = latest_toc(gen)
    if toc is not None:
        state = _read_state(state_file(gen, toc))
        if state is not None:
            return state
    others = sorted((int(m.group(1)), name) for name in _listdir(gen) if (m := STATE_FILE.fullmatch(name)))
    for _, name in reversed(others):
        state = _read_state(gen / name)
        if state is not None:
            return State(state.files, state.roots, agrees=False, follow=state.follow)
    return State(_read_legacy(gen), _legacy_roots(gen), agrees=False)


def load_manifest(gen: Path) -> dict[str, list]:
    """path -> [size, mtime_ns, hash] of every indexed file; lets `add` skip unchanged files unread."""
    return load_state(gen).files


def save_state(gen: Path, toc: int, files: dict[str, list], roots: list[str], follow: bool = False) -> None:
    """Write the manifest and roots that TOC `toc` will hold (before Whoosh writes that TOC)."""
    write_json(state_file(gen, toc), {"toc": toc, "roots": roots, "files": files, "follow": follow})


def forget_other_states(gen: Path, toc: int) -> None:
    """After TOC `toc` is written, the manifests of other TOCs (and the legacy one) describe nothing."""
    for name in _listdir(gen):
        m = STATE_FILE.fullmatch(name)
        if (m and int(m.group(1)) != toc) or name == LEGACY_MANIFEST:
            with contextlib.suppress(OSError):
                os.unlink(gen / name)


def _listdir(gen: Path) -> list[str]:
    try:
        return os.listdir(gen)
    except OSError:
        return []


def _read_state(path: Path) -> State | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    files, roots = data.get("files"), data.get("roots")
    if not _valid_files(files) or not _valid_roots(roots):
        return None
    return State(files, roots, agrees=True, follow=data.get("follow") is True)


def _valid_files(files: object) -> bool:
    """Every entry is [size, mtime_ns, hash], and a JSON Lines file's has its record table after them
    ({key: record hash}, index/records.py)."""
    return isinstance(files, dict) and all(
        isinstance(v, list) and len(v) in (3, 4) and isinstance(v[0], int) and isinstance(v[1], int)
        and isinstance(v[2], str) and (len(v) == 3 or _valid_records(v[3])) for v in files.values())


def _valid_records(records: object) -> bool:
    return isinstance(records, dict) and all(isinstance(h, str) for h in records.values())


def _valid_roots(roots: object) -> bool:
    return isinstance(roots, list) and all(isinstance(r, str) and r for r in roots)


def _read_legacy(gen: Path) -> dict[str, list]:
    try:
        data = json.loads((gen / LEGACY_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if _valid_files(data) else {}


def _legacy_roots(gen: Path) -> list[str]:
    """Roots as meta.json kept them before they moved into the manifest."""
    try:
        roots = json.loads((gen / "meta.json").read_text(encoding="utf-8")).get("roots")
    except (OSError, ValueError, AttributeError):
        return []
    return roots if _valid_roots(roots) else []


def scan(paths: Iterable[str | os.PathLike], manifest: dict[str, list], summary: Summary, follow: bool = False
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

    for key, reason in find_files(paths, follow):
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
        return "an empty folder: an unmounted drive?" if empty else "holds no indexable files now"
    return "no longer an indexable file"
