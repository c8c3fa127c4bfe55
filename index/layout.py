"""The index directory on disk: which folder is ours, which generation is live, and the one way files
are written (atomically).

Layout of an index directory:
    NEWSGREP-INDEX   the marker written when this tool creates (or first fills) the directory: only a
                     marked directory is ever written to or cleaned, so a mistyped --index-dir never
                     costs a user a file
    CURRENT          name of the live generation (replaced atomically)
    write.lock       flock held by the one writer
    gen-<stamp>/     a Whoosh index plus meta.json (tool, schema version), the manifest of the indexed
                     files and roots (see manifest.py), words.tsv and the facet tables
    tmp-<stamp>/     a generation being built; left behind only by a killed rebuild, removed next run

Readers follow CURRENT, so `rebuild` builds a whole new generation beside the live one and swaps the
pointer: queries see the old index until the swap and the new one after, never a mix.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

from newsgrep.index.errors import NO_SPACE, PERMISSION_HINT, REBUILD_HINT, IndexMissing, IndexProblem
from newsgrep.index.schema import SCHEMA_VERSION

TOOL_MARK = "newsgrep"
CURRENT = "CURRENT"
LOCK = "write.lock"
META = "meta.json"
MARKER = "NEWSGREP-INDEX"
_MARKER_TEXT = ("This folder is a search index made by newsgrep (search-index). The tool rewrites and deletes\n"
                "only what it created here; remove the whole folder to remove the index.\n")
DIR_MODE = 0o700  # the index holds the user's articles and Whoosh's pickles: private to its owner
# Names of what this tool creates, and so may delete when a killed or earlier run left it behind.
GENERATION_NAME = re.compile(r"(?:gen|tmp)-\d{8}T\d{12}-\d+")
TEMP_FILE_NAME = re.compile(  # the temporary files of the files we write, and Whoosh's of its TOC
    r"\.(?:CURRENT|NEWSGREP-INDEX|meta\.json|manifest(?:-\d+)?\.json|words\.tsv|facets-\w+\.bin|order-\w+\.bin)\.\d+(?:\.old)?\.tmp"
    r"|_MAIN_\d+\.toc\.\d+\.\d+")
_MISSING_HINT = "build one with: search-index add PATH"


# ---------------------------------------------------------------- the live generation

def current_generation(root: Path) -> Path:
    """The live generation's directory, checked to be one this tool made with this schema."""
    if not root.exists():
        raise IndexMissing(f"no index at {root}", _MISSING_HINT)
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexMissing(f"no index at {root}", _MISSING_HINT) from None
    except PermissionError as exc:
        raise IndexProblem(f"cannot read index at {root}: {exc.strerror}", PERMISSION_HINT) from None
    except OSError as exc:
        raise IndexProblem(f"cannot read index at {root}: {exc.strerror}", REBUILD_HINT) from None
    except ValueError:  # not UTF-8: the pointer file was overwritten with something else
        raise IndexProblem(f"index at {root} is damaged (its CURRENT file is garbled)", REBUILD_HINT) from None
    gen = root / name
    if not name.startswith("gen-") or "/" in name or not gen.is_dir():
        raise IndexProblem(f"index at {root} is damaged (its live generation is missing)", REBUILD_HINT)
    check_meta(gen)
    return gen


def live_name(root: Path) -> str | None:
    """What CURRENT names, unchecked; None when it cannot be read."""
    try:
        return (root / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, ValueError):
        return None


def read_meta(gen: Path) -> dict:
    """meta.json of a generation, or an IndexProblem saying why it cannot be trusted."""
    try:
        meta = json.loads((gen / META).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexProblem(f"{gen} was not made by this tool (no {META})", REBUILD_HINT) from None
    except PermissionError as exc:
        raise IndexProblem(f"cannot read {gen / META}: {exc.strerror}", PERMISSION_HINT) from None
    except (OSError, ValueError):
        raise IndexProblem(f"index metadata in {gen} is unreadable", REBUILD_HINT) from None
    if not isinstance(meta, dict) or meta.get("tool") != TOOL_MARK:
        raise IndexProblem(f"{gen} was not made by this tool", REBUILD_HINT)
    return meta


def check_meta(gen: Path) -> dict:
    """Refuse an index of another schema version before Whoosh reads anything from it.

    This is about versions, not trust: whoever can write the index can write meta.json too, which is
    why Whoosh's pickles are loaded only through safe_pickle whatever meta.json says.
    """
    meta = read_meta(gen)
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexProblem(
            f"index at {gen.parent} has schema version {safe_value(meta.get('schema_version'))}, "
            f"this version of the tool needs {SCHEMA_VERSION}",
            REBUILD_HINT,
        )
    return meta


def safe_value(value: object) -> str:
    """A value read from a file, shown in one short line whatever its type."""
    return repr(value)[:40]


def new_meta() -> dict:
    """meta.json of a new generation: what wrote it and with which schema."""
    return {"tool": TOOL_MARK, "schema_version": SCHEMA_VERSION,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}


# ---------------------------------------------------------------- ours, and only ours

def claim_index_dir(root: Path) -> None:
    """Make sure `root` is an index directory of ours before anything is written or deleted there.

    A new or empty folder becomes one (created with mode 0700 whatever the umask, and marked); a
    marked one is ours; an index of an earlier version (CURRENT naming a generation whose meta.json
    this tool wrote) is marked and adopted. Any other folder with something in it (a home folder,
    `.`, a folder of notes) is refused, so that nothing in it can ever be cleaned away.
    """
    problem = "choose a new or empty folder with --index-dir"
    try:
        if not root.exists():
            make_private_dir(root, parents=True)
        elif not root.is_dir():
            raise IndexProblem(f"index directory {root} is not a folder", problem)
        elif is_marked(root):
            return
        elif any(root.iterdir()) and not _earlier_index(root):
            raise IndexProblem(f"{root} is not empty and is not a newsgrep index; refusing to write into it",
                               problem)
        write_atomically(root / MARKER, _MARKER_TEXT.encode("utf-8"))
    except OSError as exc:
        if exc.errno in NO_SPACE:  # said by the writer, with the device and what is free
            raise
        raise IndexProblem(f"cannot write to index directory {root}: {exc.strerror}", PERMISSION_HINT) from None


def is_marked(root: Path) -> bool:
    """Whether `root` carries the marker this tool writes into the index directories it owns."""
    return (root / MARKER).is_file()


def _earlier_index(root: Path) -> bool:
    """An index written before directories were marked: CURRENT names a generation with our meta.json."""
    name = live_name(root)
    if name is None or not GENERATION_NAME.fullmatch(name):
        return False
    try:
        read_meta(root / name)
    except IndexProblem:
        return False
    return True


def make_private_dir(path: Path, parents: bool = False) -> None:
    """mkdir with mode 0700 regardless of the umask (mkdir's mode is masked by it; chmod is not)."""
    path.mkdir(mode=DIR_MODE, parents=parents)
    os.chmod(path, DIR_MODE)


def remove_strays(root: Path, live_generation: str | None) -> None:
    """Delete half-built generations and old ones left by killed or earlier runs (under the lock).

    Only in a marked index directory, and only entries whose names this tool gives (a user's
    `gen-2-notes/` or `.draft.tmp` is not one). Inside the live generation a killed writer can leave
    our temporary files and Whoosh's `*.tmp/` scratch folders (its orphaned segment files Whoosh
    removes itself at the next commit, and our unused manifest the next commit too).
    """
    if not is_marked(root):
        return
    for entry in root.iterdir():
        if entry.is_symlink():
            continue
        if GENERATION_NAME.fullmatch(entry.name) and entry.name != live_generation and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        elif TEMP_FILE_NAME.fullmatch(entry.name):
            with contextlib.suppress(OSError):
                entry.unlink()
    live = root / live_generation if live_generation and GENERATION_NAME.fullmatch(live_generation) else None
    if live is None or not live.is_dir() or live.is_symlink():
        return
    for entry in live.iterdir():
        if entry.is_symlink():
            continue
        if entry.name.endswith(".tmp") and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        elif TEMP_FILE_NAME.fullmatch(entry.name):
            with contextlib.suppress(OSError):
                entry.unlink()


def remove_written(path: Path) -> None:
    """Delete a file or folder a failed writer made, its space freed at once.

    Each file is emptied before it is unlinked: a file Whoosh still holds open (a cancel that failed
    half-way on a full disk) would otherwise keep its blocks until the process ends, and the disk full.
    """
    if path.is_symlink() or not path.is_dir():
        files = [path]
    else:
        files = [Path(folder) / name for folder, _, names in os.walk(path) for name in names]
    for file in files:
        with contextlib.suppress(OSError):
            if not file.is_symlink():
                os.truncate(file, 0)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


# ---------------------------------------------------------------- new generations and the swap

def new_generation_dir(root: Path) -> Path:
    """An empty, private `tmp-<stamp>-<pid>` folder for a generation being built."""
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    tmp = root / f"tmp-{stamp}-{os.getpid()}"
    make_private_dir(tmp)
    return tmp


def swap_in(root: Path, tmp: Path) -> Path:
    """Make a fully written generation live: rename it, then atomically repoint CURRENT."""
    gen = root / ("gen-" + tmp.name[len("tmp-"):])
    fsync_dir(tmp)
    os.rename(tmp, gen)
    fsync_dir(root)
    if (root / CURRENT).is_dir() and not (root / CURRENT).is_symlink():
        os.rmdir(root / CURRENT)  # only damage makes one; a non-empty one stops us with OSError
    write_atomically(root / CURRENT, (gen.name + "\n").encode("utf-8"))
    return gen


# ---------------------------------------------------------------- the one way to write a file

def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that a reader, or a crash at any moment, sees the old file or the new one.

    The bytes go to a temporary file named as `remove_strays` knows it, are synced, and replace the
    file by rename; the folder is synced so that the rename itself survives a power cut.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def write_json(path: Path, data: object) -> None:
    """JSON written atomically (see write_atomically)."""
    write_atomically(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def fsync_dir(path: Path) -> None:
    """Sync a folder's entries (renames into it); some file systems refuse, which changes nothing."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
