"""Whoosh's two-process writer, watched: a sub-writer that fails or is killed ends the whole writer.

Whoosh 2.7.4's MpWriter trusts its sub-writer processes. One that raises (a full disk, a document it
cannot encode) prints its traceback and exits; one killed (the OOM killer's SIGKILL) just vanishes.
The parent then either blocks for ever putting jobs on a queue nobody reads (the lock held, every
later writer "index busy"), or commits without the dead one's segment while the manifest lists its
files as indexed: those articles are lost until a rebuild. Here the parent checks its children every
time it waits on them, and a child that fails says only why, in its exit code.

The subclass overrides MpWriter's private _enqueue and _commit, so it is used only where
index/whoosh_ext.py's bulk_writer chooses it (the Whoosh version it was written against; the pin test
in tests/test_whoosh_ext.py fails if those methods change). It is a module of its own because only a
large add needs it: whoosh.multiproc loads multiprocessing, about 10 ms a search would otherwise pay.
"""

from __future__ import annotations

import errno
import os
import queue
import time

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name

from newsgrep.index.errors import HelperDied

_POLL_SECONDS = 0.2
# A child exits with the errno of the OSError that stopped it (ENOSPC is 28, EDQUOT 122), else this.
_FAILED = 1


class _WatchedTask(SubWriterTask):
    """A sub-writer that never prints a traceback: its failure is its exit code, read by the parent."""

    def run(self) -> None:
        try:
            super().run()
        except BaseException as exc:  # the parent reports it, in one line, and cleans up
            code = exc.errno if isinstance(exc, OSError) and exc.errno and 0 < exc.errno < 126 else _FAILED
            os._exit(code)


def child_failure(exitcode: int | None, what: str) -> BaseException | None:
    """The error a helper's exit code stands for: an OSError for the errno it exited with, HelperDied
    for a signal or any other failure; None while it runs or when it ended well."""
    if exitcode is None or exitcode == 0:
        return None
    if exitcode < 0:
        import signal

        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (out of memory?)" if -exitcode == signal.SIGKILL else ""
        return HelperDied(f"{what} was killed by {name}{hint}")
    if exitcode != _FAILED and exitcode in errno.errorcode:
        return OSError(exitcode, os.strerror(exitcode))
    return HelperDied(f"{what} failed (exit code {exitcode})")


class WatchedMpWriter(MpWriter):
    """MpWriter whose every wait on a sub-writer also watches it (see the module docstring)."""

    def _new_task(self) -> _WatchedTask:
        task = _WatchedTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                            self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def _check_tasks(self, finishing: bool = False) -> None:
        """Raise for a sub-writer that failed or was killed; before the commit, ending at all is a failure."""
        for task in self.tasks:
            code = task.exitcode
            if code is None or (code == 0 and finishing):
                continue
            raise child_failure(code, "a Whoosh sub-writer of this add") or HelperDied(
                "a Whoosh sub-writer of this add ended before its work was done")

    def _put(self, item: object, finishing: bool = False) -> None:
        """Put a job on the queue, however long the queue is full, as long as every sub-writer lives."""
        while True:
            self._check_tasks(finishing)
            try:
                self.jobqueue.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                continue

    def _enqueue(self) -> None:
        """Whoosh's _enqueue (documents to a job file, the file to the queue) with a watched put."""
        import pickle

        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in self.docbuffer:
                pickle.dump(item, f, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _commit(self, mergetype, optimize, merge) -> None:
        """Whoosh's multisegment commit, but a sub-writer's failure or death is noticed while waiting
        for them, and the commit needs every sub-writer's segment."""
        if not self.multisegment:
            raise ValueError("WatchedMpWriter writes one segment per sub-writer (multisegment=True)")
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self._put(None, finishing=True)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        while any(task.is_alive() for task in self.tasks):
            self._check_tasks(finishing=True)
            for task in self.tasks:
                task.join(_POLL_SECONDS / len(self.tasks))
        self._check_tasks(finishing=True)
        results = []
        deadline = time.monotonic() + 5
        while len(results) < len(self.tasks) and time.monotonic() < deadline:
            try:
                results.append(self.resultqueue.get(timeout=_POLL_SECONDS))
            except queue.Empty:
                continue
        if len(results) < len(self.tasks):
            raise HelperDied("a Whoosh sub-writer of this add ended without its segment")
        finalsegments += [segment for _, _, segment in results]
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()
