"""Worker processes that can be lost: a map over processes that notices at once when one dies.

concurrent.futures' ProcessPoolExecutor shares one result pipe between its workers. A worker killed
while it writes a result to it (the OOM killer's SIGKILL) leaves half a message there, and the pool's
manager thread waits for the rest for ever: the writer hangs with the lock held, and so does the
interpreter's exit, which joins that thread. Here each worker has its own pipe, and the parent waits
on the pipes and the processes' sentinels together: a worker that dies ends the map with HelperDied
and the others are killed. Its pipe has no other writer, so even half a message ends in EOF.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from newsgrep.index.errors import HelperDied

_AHEAD = 2  # jobs in flight per worker: one being worked on, one waiting in its pipe


def _serve(fn: Callable[[Any], Any], conn: Connection) -> None:
    """A worker's loop: a job in, its result out, until None; an error is sent back, never printed."""
    while True:
        try:
            job = conn.recv()
        except EOFError:  # the parent is gone
            os._exit(0)
        if job is None:
            os._exit(0)
        try:
            result = ("ok", fn(job))
        except Exception as exc:  # a bug in the work: the parent raises it as its own
            result = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(result)


class WorkerFailed(RuntimeError):
    """The work function raised in a worker (a bug): the parent reports it as an unforeseen error."""


def ordered_map(fn: Callable[[Any], Any], jobs: Iterable[Any], workers: int,
                what: str = "a cleaning process of this batch") -> Iterator[Any]:
    """fn(job) for every job, in order, computed in `workers` forked processes.

    At most _AHEAD jobs per worker are in flight, so memory stays flat however many jobs there are.
    """
    ctx = multiprocessing.get_context("fork")
    procs, conns = [], []
    try:
        for _ in range(workers):
            parent_end, child_end = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(fn, child_end), daemon=True)
            proc.start()
            child_end.close()  # only the worker holds it now: its death is EOF on parent_end
            procs.append(proc)
            conns.append(parent_end)
        queues: list[deque[int]] = [deque() for _ in procs]  # job numbers each worker has, in order
        results: dict[int, Any] = {}
        todo = iter(jobs)
        sent = wanted = 0
        exhausted = False
        while True:
            for k, conn in enumerate(conns):  # keep every worker fed
                while not exhausted and len(queues[k]) < _AHEAD:
                    job = next(todo, None)
                    if job is None:
                        exhausted = True
                        break
                    try:
                        conn.send(job)
                    except OSError:  # a worker killed between two jobs
                        raise _died(procs[k], what) from None
                    queues[k].append(sent)
                    sent += 1
            while wanted in results:
                yield results.pop(wanted)
                wanted += 1
            if exhausted and wanted == sent:
                return
            busy = [k for k in range(len(procs)) if queues[k]]
            ready = wait([conns[k] for k in busy] + [procs[k].sentinel for k in busy])
            for k in busy:
                if conns[k] in ready:
                    try:
                        status, value = conns[k].recv()
                    except (EOFError, OSError):
                        raise _died(procs[k], what) from None
                    if status == "error":
                        raise WorkerFailed(value)
                    results[queues[k].popleft()] = value
                elif procs[k].sentinel in ready:
                    raise _died(procs[k], what)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.kill()
        for proc in procs:
            proc.join(5)
        for conn in conns:
            conn.close()


def _died(proc, what: str) -> HelperDied:
    """The error for a worker that ended while it had work: by a signal (say which), or otherwise."""
    proc.join(1)
    from newsgrep.index.subwriters import child_failure

    return child_failure(proc.exitcode if proc.exitcode not in (None, 0) else 1, what) or HelperDied(
        f"{what} ended before its work was done")
