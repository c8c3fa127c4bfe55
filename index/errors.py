"""What can go wrong with an index, said in one line with how to recover, and where Whoosh's errors
become ours.

A failure inside Whoosh while it reads index files is the data's fault (a deleted, truncated or
garbled file) when it is of a kind bytes can cause, and a bug otherwise. That is decided where our
code calls into Whoosh (`whoosh_reading`), by the kind of error and the module that raised it, never
by where a file happens to live on disk.
"""

from __future__ import annotations

import contextlib
import errno
import os
import pickle
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

from newsgrep.index.safe_pickle import UnsafePickle

REBUILD_HINT = "recover with: search-index rebuild PATH"
FOREIGN_HINT = "it was not written by newsgrep: delete it, or rebuild with: search-index rebuild PATH"
PERMISSION_HINT = "check the permissions of the index directory, or choose another with --index-dir"


class IndexProblem(Exception):
    """The index is missing, busy or unreadable: the message is one line, `hint` says how to recover."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class IndexMissing(IndexProblem):
    """No index has been built at this location yet."""


class IndexBusy(IndexProblem):
    """Another writer holds the lock."""


class DiskFull(IndexProblem):
    """The disk (or the user's quota) filled while writing: nothing is damaged, and what the writer had
    written is removed; `errno` is ENOSPC or EDQUOT."""

    def __init__(self, message: str, errno_: int = errno.ENOSPC) -> None:
        super().__init__(message)
        self.errno = errno_


class HelperDied(IndexProblem):
    """A helper process of a writer (a Whoosh sub-writer, a cleaning worker) failed or was killed
    (the OOM killer's SIGKILL): the writer stops, commits nothing, and says so in one line."""


class IndexDamaged(IndexProblem):
    """Index files are unreadable as Whoosh wrote them; a read racing a writer's commit also sees this,
    so readers try again before reporting it."""


# Errors that bytes that are not what Whoosh wrote make Whoosh (or our readers of its bytes) raise.
# KeyError, IndexError, TypeError, AttributeError and MemoryError are not among them: from a lookup
# they are bugs, and hiding them behind "rebuild" would hide the bug.
_BYTE_ERRORS: tuple[type[BaseException], ...] = (
    EOFError, pickle.UnpicklingError, struct.error, zlib.error, UnicodeDecodeError, OverflowError)
# Modules that decode Whoosh's bytes themselves: a ValueError or MemoryError raised there is about the
# bytes.
_READERS_OF_WHOOSH_BYTES = ("whoosh.", "newsgrep.index.postings", "newsgrep.index.safe_pickle",
                            "newsgrep.index.facettable", "newsgrep.index.whoosh_ext")
# Raised there, these are about the bytes too: a garbled length asks for an impossible allocation.
_DECODING_ERRORS = (ValueError, MemoryError)
_PERMISSION = (errno.EACCES, errno.EPERM, errno.EROFS)
NO_SPACE = (errno.ENOSPC, errno.EDQUOT)  # a full disk, or a full quota


def _raised_in(exc: BaseException) -> str:
    """The module name of the frame that raised `exc` (its innermost Python frame)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_globals.get("__name__", "") if tb is not None else ""


def as_index_problem(root: Path, exc: BaseException) -> IndexProblem | None:
    """The IndexProblem `exc` means when raised while reading the index at `root`, or None (a bug)."""
    from whoosh.index import IndexError as WhooshIndexError  # EmptyIndexError: the TOC is gone

    if isinstance(exc, IndexProblem):
        return exc
    if isinstance(exc, UnsafePickle):
        return IndexProblem(f"refusing the index at {root}: {exc}", FOREIGN_HINT)
    if isinstance(exc, OSError):
        reason = exc.strerror or type(exc).__name__
        if exc.errno in _PERMISSION:
            return IndexProblem(f"cannot read index at {root}: {reason}", PERMISSION_HINT)
        if exc.errno in NO_SPACE:  # the writer's caller names the device (writer.no_space_is_one_line)
            return DiskFull(f"{reason} writing the index at {root}", exc.errno)
        return IndexDamaged(f"index at {root} is damaged or unreadable ({reason})", REBUILD_HINT)
    if isinstance(exc, (*_BYTE_ERRORS, WhooshIndexError)) or (
            isinstance(exc, _DECODING_ERRORS) and _raised_in(exc).startswith(_READERS_OF_WHOOSH_BYTES)):
        return IndexDamaged(f"index at {root} is damaged or unreadable ({type(exc).__name__})", REBUILD_HINT)
    return None


@contextlib.contextmanager
def whoosh_reading(root: Path) -> Iterator[None]:
    """Around code that reads the index through Whoosh: what the bytes can cause becomes an IndexProblem;
    anything else (a bug, an interrupt, a caller's own error) passes unchanged."""
    try:
        yield
    except Exception as exc:
        problem = as_index_problem(root, exc)
        if problem is None or problem is exc:
            raise
        raise problem from None


def _mount_of(path: Path) -> tuple[str, str, str]:
    """(device, file system type, mount point) of the file system `path` (or its nearest existing
    parent) lives on; the device and type are empty where /proc/self/mounts cannot be read."""
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    mount = path
    with contextlib.suppress(OSError):
        dev = os.stat(path).st_dev
        while mount != mount.parent and os.stat(mount.parent).st_dev == dev:
            mount = mount.parent
    try:
        lines = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for line in reversed(lines):  # the last mount on a point is the one in use
        fields = line.split()
        if len(fields) >= 3 and fields[1].replace("\\040", " ") == str(mount):
            return fields[0], fields[2], str(mount)
    return "", "", str(mount)


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def disk_full(root: Path, err: int, action: str) -> DiskFull:
    """The one line for a disk (or quota) that filled during `action` on the index at `root`, said once
    what the writer had written is removed: which device and folder, what is free there now, and that
    nothing was lost."""
    device, fstype, mount = _mount_of(root)
    where = f"{device} ({fstype}) mounted on {mount}" if device and device != fstype else \
        f"{fstype or 'the file system'} mounted on {mount}"
    try:
        st = os.statvfs(mount)
        free = f"{_size(st.f_bavail * st.f_frsize)} free of {_size(st.f_blocks * st.f_frsize)}"
    except OSError:
        free = "free space unknown"
    if err == errno.EDQUOT:
        what = f"disk quota exceeded on {where}"
    else:
        what = f"no space left on {where}"
    return DiskFull(f"{what}, index directory {root} ({free}): this {action} needs more than that; "
                    "free some space and rerun it; the index keeps its last complete commit", err)
