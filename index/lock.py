"""The one writer: an flock on the index directory, and a writer's helper processes dying with it."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from newsgrep.index.errors import NO_SPACE, PERMISSION_HINT, IndexBusy, IndexProblem
from newsgrep.index.layout import LOCK, claim_index_dir


@contextlib.contextmanager
def writer_lock(root: Path, wait: float) -> Iterator[None]:
    """Hold the index's one writer lock, waiting up to `wait` seconds for another writer to finish.

    flock is released by the kernel when a process dies, even by SIGKILL, so a killed writer never
    leaves the index locked.
    """
    claim_index_dir(root)
    try:
        fh = open(root / LOCK, "a+b")
    except OSError as exc:
        if exc.errno in NO_SPACE:
            raise
        raise IndexProblem(f"cannot write to index directory {root}: {exc.strerror}", PERMISSION_HINT) from None
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    raise IndexBusy(f"index busy: another search-index is writing to {root}",
                                    "wait for it to finish, or raise --wait") from None
                time.sleep(0.05)
        yield
    finally:
        fh.close()


_children_guarded = False


def guard_children() -> None:
    """Make every process forked from here on die with this one (Linux; elsewhere nothing to do).

    Whoosh's sub-writers and the cleaning pool are forked: they inherit the writer lock's flock and
    Whoosh's own lock file. Orphaned by a SIGKILL of `search-index`, they block on their queues for
    ever and the index stays "busy" until someone kills them by hand. PR_SET_PDEATHSIG ends them with
    their parent; a child whose parent died before the call exits at once.
    """
    global _children_guarded
    if _children_guarded or not hasattr(os, "register_at_fork") or not os.uname().sysname == "Linux":
        return
    _children_guarded = True
    parent = [os.getpid()]
    # Imported here, in the parent: a child importing them could take the terminal's Ctrl-C in the
    # middle of the import, before it ignores SIGINT, and print a traceback ("Exception ignored in").
    import ctypes
    import signal

    def before() -> None:
        parent[0] = os.getpid()

    def in_child() -> None:
        # Ctrl-C reaches the whole process group: the parent answers it (cancels, one line, exit 130)
        # and its helpers end with it, instead of each printing a traceback of its own. A Ctrl-C that
        # arrived before this line is raised by it; it is ignored all the same.
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        with contextlib.suppress(Exception):
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        # SIGTERM and SIGHUP end a helper at once and silently (the parent's handlers raise, for the
        # parent's own cleanup): a helper that caught one could print a traceback, or carry on and
        # keep its parent waiting for it, as a cleaning pool ending its workers after one was killed did.
        for name in ("SIGTERM", "SIGHUP"):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        if os.getppid() != parent[0]:
            os._exit(1)

    os.register_at_fork(before=before, after_in_child=in_child)
