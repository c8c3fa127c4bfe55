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
                            "newsgrep.index.facettable")
# Raised there, these are about the bytes too: a garbled length asks for an impossible allocation.
_DECODING_ERRORS = (ValueError, MemoryError)
_PERMISSION = (errno.EACCES, errno.EPERM, errno.EROFS)


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
        if exc.errno == errno.ENOSPC:
            return IndexProblem(f"no space left on the device of {root}", "free some space and try again")
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
