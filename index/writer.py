"""Writing the index: `add` (incremental, one Whoosh commit into the live generation) and `rebuild` (a
new generation swapped in), and how an article becomes a Whoosh document."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsgrep.index import config
from newsgrep.index.errors import REBUILD_HINT, IndexMissing, IndexProblem, whoosh_reading
from newsgrep.index.layout import (
    META,
    check_meta,
    current_generation,
    live_name,
    new_generation_dir,
    new_meta,
    read_meta,
    remove_strays,
    safe_value,
    swap_in,
    write_json,
)
from newsgrep.index.live import open_whoosh
from newsgrep.index.lock import guard_children, writer_lock
from newsgrep.index.manifest import abs_path, load_manifest, save_manifest, scan, unavailable, under
from newsgrep.index.manifest import gone as gone_files
from newsgrep.index.safe_pickle import install as install_safe_pickle
from newsgrep.index.schema import build_schema, date_to_int, int_to_date, join_names, month_key

if TYPE_CHECKING:
    from newsgrep.index.model import Article

Progress = Callable[[int, int], None]


@dataclass
class Summary:
    """What one add or rebuild did, counted in files; `skipped` pairs a path with its reason.

    A JSON Lines file can lose some records and still be added: those skips are `skipped_records`;
    `skipped_files` counts the files that gave nothing.
    """

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    articles: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    skipped_files: int = 0
    skipped_records: int = 0
    unavailable: list[tuple[str, str, int]] = field(default_factory=list)  # path, why, files kept


def _indexed(body: str) -> str:
    """The part of a body that is indexed: all of it, up to MAX_INDEXED_BODY_CHARS (cut at a space)."""
    if len(body) <= config.MAX_INDEXED_BODY_CHARS:
        return body
    cut = body[:config.MAX_INDEXED_BODY_CHARS]
    return cut.rsplit(None, 1)[0] if " " in cut else cut


def _document(article: Article) -> dict:
    doc = {
        "id": article.doc_id,
        "path": article.path,
        "hash": article.content_hash,
        "url": article.url or "",
        "title": article.title,
        "body": _indexed(article.body),
        "_stored_body": article.body,
        "month": month_key(article.date),
        "people": join_names(article.entities.people),
        "places": join_names(article.entities.places),
        "orgs": join_names(article.entities.orgs),
        "source": join_names([article.source] if article.source else []),
    }
    # Undated articles get 0: outside every date range, and last when sorting newest first (Whoosh
    # would otherwise sort a missing value as the largest).
    doc["date"] = date_to_int(article.date) if article.date else 0
    return doc


def _carry_over(old_ix, files: set[str], writer, words: Counter) -> None:
    """Copy the articles of `files` from another generation: every field is stored or derived."""
    from newsgrep.index.vocabulary import count_words

    with whoosh_reading(Path(old_ix.storage.folder).parent), old_ix.reader() as reader:
        for _, stored in reader.iter_docs():
            if stored.get("path") not in files:
                continue
            doc = {name: stored.get(name, "") for name in
                   ("id", "path", "hash", "url", "title", "body", "people", "places", "orgs", "source")}
            doc["body"], doc["_stored_body"] = _indexed(doc["body"]), doc["body"]
            doc["date"] = stored.get("date") or 0
            doc["month"] = month_key(int_to_date(doc["date"]))
            writer.add_document(**doc)
            count_words(f"{doc['title']}\n{doc['body']}", words)


def _known_people(ix) -> dict[str, str]:
    """Surname -> full name of every unambiguous person already in the index."""
    with ix.searcher() as searcher:
        names = [t.decode("utf-8") for t in searcher.lexicon("people")]
    from newsgrep.index.articles import surname_map

    return surname_map(names)


def _remember_missing_length_columns() -> None:
    """Make Whoosh remember that a field keeps no length column.

    Writing a segment, Whoosh 2.7.4 asks for the field length of every posting; for fields without
    lengths (ids, keywords, entity names, months) it looks the column file up again each time
    and never caches the miss: about 14% of a build's CPU (benchmarks/profile_build.py). whoosh is
    pinned to 2.7.4 in pyproject.toml; this replaces one private method with a caching twin.
    """
    from whoosh.codec import whoosh3

    cls = whoosh3.W3PerDocReader
    if getattr(cls, "_misses_cached", False):
        return

    def _cached_reader(self, fieldname, column):
        try:
            return self._readers[fieldname]
        except KeyError:
            reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
            self._readers[fieldname] = reader
            return reader

    cls._cached_reader = _cached_reader
    cls._misses_cached = True


def _new_generation(root: Path) -> Path:
    """A private tmp- folder holding an empty Whoosh index of our schema."""
    from whoosh import index as windex

    tmp = new_generation_dir(root)
    install_safe_pickle()
    windex.create_in(str(tmp), build_schema())
    return tmp


def _write(ix, root: Path, paths: list[str], manifest: dict[str, list], summary: Summary,
           progress: Progress | None, prune: bool = False, previous: tuple | None = None) -> None:
    """One Whoosh commit for the batch, then the new articles' words added to the word list and facet
    tables built for the new segments.

    A given path that held indexed files and now yields none is unavailable (see
    manifest.unavailable): its files stay in `manifest` and its articles in the index, or, in a new
    generation, are copied from `previous` (the live index and its manifest); with `prune` they go.
    """
    from newsgrep.index.vocabulary import count_words

    words: Counter = Counter()
    todo, seen = scan(paths, manifest, summary)
    reference = previous[1] if previous else manifest
    lost = unavailable(paths, reference, seen)
    carried: set[str] = set()
    for path, why, files in lost:
        dropped = [s for s in summary.skipped if s[0] == path]  # said once, below, or not at all
        summary.skipped = [s for s in summary.skipped if s[0] != path]
        summary.skipped_files -= len(dropped)
        if prune:
            continue
        summary.unavailable.append((path, why, len(files)))
        seen.update(files)
        if previous:
            carried.update(files)
    if prune:
        lost = []
    if previous and lost and not todo and len(lost) == len(set(map(abs_path, paths))):
        raise IndexProblem(f"nothing to rebuild from: {', '.join(p for p, _, _ in lost)} "
                           f"{'is' if len(lost) == 1 else 'are'} unavailable; the index is unchanged",
                           "mount or restore them, or forget them with: search-index remove PATH")
    gone = gone_files(paths, manifest, seen)
    known = _known_people(ix)
    guard_children()
    _remember_missing_length_columns()
    # A file the manifest does not know may still be in the index: a writer killed after Whoosh's
    # commit but before the manifest was saved. Deleting its path first keeps a rerun from adding it
    # twice (in an empty, fresh generation there is nothing to look up).
    stale_possible = not ix.is_empty()
    if len(todo) >= config.BULK_BATCH_MIN_DOCS:
        writer = ix.writer(procs=2, limitmb=config.WRITER_LIMIT_MB, multisegment=True)
    else:
        writer = ix.writer(timeout=5.0, limitmb=config.WRITER_LIMIT_MB)
    try:
        for key in gone:
            writer.delete_by_term("path", key)
            del manifest[key]
            summary.removed += 1
        if carried:
            _carry_over(previous[0], carried, writer, words)
            manifest.update((k, previous[1][k]) for k in carried)
        jobs = [(path, old_hash) for path, _, old_hash in todo]
        from newsgrep.index.articles import load_files
        from newsgrep.index.model import Article  # here: searches import this module and never need it

        loaded = load_files(jobs, known, workers=config.WORKERS)
        for done, ((path, kind, _), got) in enumerate(zip(todo, loaded, strict=True), 1):
            if progress:
                progress(done, len(todo))
            if got.items is None:  # the same bytes as indexed: only the mtime changed
                manifest[str(path)] = got.entry
                summary.unchanged += 1
                continue
            if kind == "updated" or stale_possible:
                writer.delete_by_term("path", str(path))
            n_docs = n_skips = 0
            for item in got.items:
                if not isinstance(item, Article):
                    summary.skipped.append((f"{path}:{item.line}" if item.line else str(path), str(item)))
                    n_skips += 1
                    continue
                writer.add_document(**_document(item))
                count_words(f"{item.title}\n{item.body}", words)
                n_docs += 1
            summary.articles += n_docs
            if n_docs:
                summary.skipped_records += n_skips
            else:
                summary.skipped_files += bool(n_skips)
            if n_docs:
                manifest[str(path)] = got.entry
                setattr(summary, kind, getattr(summary, kind) + 1)
            else:
                manifest.pop(str(path), None)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    from newsgrep.index import facettable
    from newsgrep.index.vocabulary import save

    gen = Path(ix.storage.folder)
    if words:
        save(gen, words)
    with ix.reader() as reader:
        facettable.write_missing(gen, reader)


def add(root: Path, paths: list[str], progress: Progress | None = None,
        wait: float = config.DEFAULT_LOCK_WAIT_SECONDS, prune: bool = False) -> Summary:
    """Index new and changed files, drop files gone from the given folders; one commit for the batch.

    A given path that held indexed files and now yields none keeps them (Summary.unavailable) unless
    `prune` says to remove them.
    """
    summary = Summary()
    with writer_lock(root, wait):
        try:
            gen = current_generation(root)
        except IndexMissing:
            remove_strays(root, None)
            return _build(root, paths, progress)
        remove_strays(root, gen.name)
        meta = check_meta(gen)
        roots = recorded_roots(meta, gen)
        ix = open_whoosh(gen)
        manifest = load_manifest(gen)
        with whoosh_reading(root):
            _write(ix, root, paths, manifest, summary, progress, prune=prune)
        save_manifest(gen, manifest)
        roots = list(dict.fromkeys([*roots, *map(abs_path, paths)]))
        if prune:
            roots = [r for r in roots if r not in {abs_path(p) for p in paths} or under(manifest, r)]
        write_json(gen / META, {**meta, "roots": roots})
    return summary


def remove(root: Path, paths: list[str], wait: float = config.DEFAULT_LOCK_WAIT_SECONDS) -> Summary:
    """Forget files and folders: their articles leave the index and the folders its recorded roots.

    Nothing is read from the paths, which may be gone: this is how an unavailable folder is dropped.
    """
    summary = Summary()
    with writer_lock(root, wait):
        gen = current_generation(root)
        remove_strays(root, gen.name)
        meta = check_meta(gen)
        roots = recorded_roots(meta, gen)
        ix = open_whoosh(gen)
        manifest = load_manifest(gen)
        wanted = list(dict.fromkeys(map(abs_path, paths)))
        files = {k for p in wanted for k in under(manifest, p)}
        forgotten = [r for r in roots if any(r == p or r.startswith(p.rstrip(os.sep) + os.sep) for p in wanted)]
        for p in wanted:
            if not under(manifest, p) and p not in forgotten:
                summary.skipped.append((p, "nothing indexed there"))
                summary.skipped_files += 1
        if files:
            with whoosh_reading(root):
                writer = ix.writer(timeout=5.0)
                try:
                    for key in files:
                        writer.delete_by_term("path", key)
                        del manifest[key]
                    writer.commit()
                except BaseException:
                    writer.cancel()
                    raise
            summary.removed = len(files)
            save_manifest(gen, manifest)
        if forgotten:
            write_json(gen / META, {**meta, "roots": [r for r in roots if r not in forgotten]})
    return summary


def recorded_roots(meta: dict, gen: Path) -> list[str]:
    """The paths recorded in meta.json, checked to be a list of paths (not one walked letter by letter)."""
    roots = meta.get("roots", [])
    if not isinstance(roots, list) or not all(isinstance(r, str) and r for r in roots):
        raise IndexProblem(f"{gen / META} is damaged (its roots are {safe_value(roots)}, not a list of paths)",
                           REBUILD_HINT)
    return roots


def rebuild(root: Path, paths: list[str] | None, progress: Progress | None = None,
            wait: float = config.DEFAULT_LOCK_WAIT_SECONDS) -> Summary:
    """Build a fresh generation beside the live one and swap it in; the old one answers until then.

    The articles of an unavailable path (see add) are copied from the live generation, so a rebuild
    never swaps in an index that lost a drive that is not mounted.
    """
    with writer_lock(root, wait):
        live = _readable_live(root)
        if not paths:
            paths = _roots_of_any_version(root)
            if not paths:
                raise IndexProblem(f"no paths recorded in the index at {root}",
                                   "name them: search-index rebuild PATH...")
        if not any(os.path.lexists(abs_path(p)) for p in paths):
            # A rebuild from nothing would swap an empty index in for the live one (an unmounted
            # drive, a moved folder): refuse, and keep what is indexed.
            gone = ", ".join(map(str, paths))
            raise IndexProblem(f"nothing to rebuild from: {gone} not found; the index is unchanged",
                               "name the folders: search-index rebuild PATH...")
        remove_strays(root, live_name(root))
        previous = None
        if live is not None:
            with contextlib.suppress(IndexProblem):
                previous = (open_whoosh(live), load_manifest(live))
        summary = _build(root, paths, progress, previous)
        remove_strays(root, live_name(root))
    return summary


def _roots_of_any_version(root: Path) -> list[str] | None:
    """The recorded roots of the live generation, whatever its schema version (this is how an index
    of an older version is rebuilt); None when there is no generation or meta.json to read them from."""
    name = live_name(root)
    if not name or not name.startswith("gen-") or "/" in name:
        return None
    try:
        meta = read_meta(root / name)
    except IndexProblem:
        return None
    return recorded_roots(meta, root / name)


def _readable_live(root: Path) -> Path | None:
    """The live generation, or None when it is missing or damaged (a rebuild is how that is repaired)."""
    try:
        return current_generation(root)
    except IndexProblem:
        return None


def _build(root: Path, paths: list[str], progress: Progress | None, previous: tuple | None = None) -> Summary:
    """A complete new generation from `paths`, swapped in only once it is committed."""
    from whoosh import index as windex

    summary = Summary()
    tmp = _new_generation(root)
    try:
        ix = windex.open_dir(str(tmp))
        manifest: dict[str, list] = {}
        _write(ix, root, paths, manifest, summary, progress, previous=previous)
        save_manifest(tmp, manifest)
        write_json(tmp / META, {**new_meta(), "roots": list(dict.fromkeys(map(abs_path, paths)))})
        swap_in(root, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary
