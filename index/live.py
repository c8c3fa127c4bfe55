"""The live index, for reading: opened with Whoosh, read again when a writer commits under the read,
and its statistics."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from newsgrep.index.errors import (
    FOREIGN_HINT,
    PERMISSION_HINT,
    REBUILD_HINT,
    IndexProblem,
    as_index_problem,
)
from newsgrep.index.layout import check_meta, current_generation, live_name
from newsgrep.index.manifest import load_state
from newsgrep.index.safe_pickle import UnsafePickle
from newsgrep.index.schema import ENTITY_FIELDS, UNDATED, int_to_date, month_key, split_names

T = TypeVar("T")


def open_whoosh(gen: Path):
    """Open a checked generation with Whoosh, turning its many failure modes into an IndexProblem."""
    from whoosh.filedb.filestore import FileStorage

    from newsgrep.index import whoosh_ext

    whoosh_ext.install()
    try:
        # Without mmap: Whoosh copies every part of a memory-mapped compound segment into a buffer on
        # open, which a one-shot search pays in full; plain reads fetch only what the query touches.
        # (Separate segment files avoid the copy too, but make writing slower: each posting block
        # then asks the file system whether a length column exists.)
        return FileStorage(str(gen), supports_mmap=False).open_index()
    except UnsafePickle as exc:
        raise IndexProblem(f"refusing the index at {gen.parent}: {exc}", FOREIGN_HINT) from None
    except PermissionError as exc:
        raise IndexProblem(f"cannot read index at {gen.parent}: {exc.strerror}", PERMISSION_HINT) from None
    except Exception as exc:
        raise IndexProblem(f"index at {gen.parent} is unreadable ({type(exc).__name__})", REBUILD_HINT) from None


def open_index(root: Path):
    """The live Whoosh index. One attempt: a product read calls it inside read_live, which starts the
    whole read again when a writer commits under it (a second loop here would nest the retries)."""
    return open_whoosh(current_generation(root))


# ---------------------------------------------------------------- reading

def read_live(root: Path, read: Callable[[], T], passthrough: tuple[type[BaseException], ...] = ()) -> T:
    """`read()` of the live index, started again when a writer commits under it.

    Between reading the table of contents and opening the segment files, an `add` can commit and
    delete what was read, or a rebuild swap generations: the read then starts again on the new state.
    Damage that is really there is still there on the last attempt, and is reported as an
    IndexProblem. Errors of the `passthrough` types (a caller's own, such as a refused query) pass at once.
    """
    attempts = 5
    for attempt in range(1, attempts + 1):
        before = _committed_state(root)
        try:
            return read()
        except passthrough:
            raise
        except Exception as exc:
            problem = as_index_problem(root, exc)
            if problem is None:
                raise
            if attempt < attempts and _committed_state(root) != before:  # whatever a swap under it caused
                time.sleep(0.05 * attempt)
                continue
            if problem is exc:
                raise
            raise problem from None
    raise AssertionError("unreachable")


def _committed_state(root: Path) -> tuple[str | None, tuple[str, ...]]:
    """What a commit changes: the live generation's name and its Whoosh tables of contents.

    A read that failed on an unchanged state met damage, not a writer: it is reported at once rather
    than after more attempts (Whoosh itself already retries a missing file for half a second)."""
    name = live_name(root)
    try:
        tocs = tuple(sorted(e.name for e in os.scandir(root / name) if e.name.endswith(".toc"))) if name else ()
    except OSError:
        tocs = ()
    return name, tocs


def stats(root: Path) -> dict:
    """Counts and dates of the live index, for `search-index stats`."""
    return read_live(root, lambda: _stats(root))


def _live_counts(searcher) -> tuple[list[str], int, dict[str, int]]:
    """Months, undated articles and distinct names of the live articles only.

    Whoosh's term lists keep the terms of deleted articles until their segment is merged away, so
    after `remove` or an update the quick counts would still include them. The stored fields of the
    live articles say it exactly (about a second at 19,000 articles; `stats` is not a search).
    """
    months: set[str] = set()
    undated = 0
    names: dict[str, set[str]] = {name: set() for name in ENTITY_FIELDS}
    for stored in searcher.reader().all_stored_fields():  # live documents only
        month = month_key(int_to_date(stored.get("date")))
        if month == UNDATED:
            undated += 1
        else:
            months.add(month)
        for name in ENTITY_FIELDS:
            names[name].update(split_names(stored.get(name)))
    return sorted(months), undated, {name: len(found) for name, found in names.items()}


def _stats(root: Path) -> dict:
    gen = current_generation(root)
    meta = check_meta(gen)
    ix = open_whoosh(gen)
    state = load_state(gen)
    with ix.searcher() as searcher:
        total = searcher.doc_count()
        if searcher.reader().has_deletions():
            dates, undated, counts = _live_counts(searcher)
        else:
            dates = sorted(t.decode() for t in searcher.lexicon("month") if t != b"undated")
            undated = searcher.doc_frequency("month", "undated")
            counts = {name: sum(1 for _ in searcher.lexicon(name)) for name in ENTITY_FIELDS}
    size = sum(f.stat().st_size for f in gen.iterdir() if f.is_file())
    return {
        "index_dir": str(root),
        "generation": gen.name,
        "schema_version": meta.get("schema_version"),
        "created": meta.get("created") if isinstance(meta.get("created"), str) else None,
        "roots": state.roots,
        "files": len(state.files),
        "articles": total,
        "undated": undated,
        "first_month": dates[0] if dates else None,
        "last_month": dates[-1] if dates else None,
        "distinct_people": counts["people"],
        "distinct_places": counts["places"],
        "distinct_orgs": counts["orgs"],
        "size_bytes": size,
    }
