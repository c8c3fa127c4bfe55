"""Writing the index: `add` (incremental, one Whoosh commit into the live generation) and `rebuild` (a
new generation swapped in), and how an article becomes a Whoosh document."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsgrep.index import config, whoosh_ext
from newsgrep.index.errors import NO_SPACE, DiskFull, HelperDied, IndexMissing, IndexProblem, disk_full, whoosh_reading
from newsgrep.index.layout import (
    GENERATION_NAME,
    META,
    current_generation,
    live_name,
    new_generation_dir,
    new_meta,
    remove_strays,
    remove_written,
    swap_in,
    write_json,
)
from newsgrep.index.live import open_whoosh
from newsgrep.index.lock import guard_children, writer_lock
from newsgrep.index.manifest import (
    abs_path,
    forget_other_states,
    latest_toc,
    load_state,
    save_state,
    scan,
    state_file,
    unavailable,
    under,
)
from newsgrep.index.manifest import gone as gone_files
from newsgrep.index.schema import build_schema, date_to_int, int_to_date, join_names, month_key
from newsgrep.index.vocabulary import FILE as VOCABULARY

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
    # Records of the JSON Lines files read (index/records.py): added, updated, removed, unchanged;
    # None when no JSON Lines file was read.
    records: list[int] | None = None
    warnings: list[str] = field(default_factory=list)  # said on stderr; the add itself is done


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
        "published": published_key(article.published),
    }
    # Undated articles get 0: outside every date range, and last when sorting newest first (Whoosh
    # would otherwise sort a missing value as the largest).
    doc["date"] = date_to_int(article.date) if article.date else 0
    return doc


def _carry_over(old_ix, files: set[str], writer, words: Counter) -> int:
    """Copy the articles of `files` from another generation (every field is stored or derived); how many."""
    from newsgrep.index.vocabulary import count_words

    copied = 0
    with whoosh_reading(Path(old_ix.storage.folder).parent), old_ix.reader() as reader:
        for _, stored in reader.iter_docs():
            if stored.get("path") not in files:
                continue
            doc = {name: stored.get(name, "") for name in
                   ("id", "path", "hash", "url", "title", "body", "people", "places", "orgs", "source")}
            doc["body"], doc["_stored_body"] = _indexed(doc["body"]), doc["body"]
            doc["date"] = stored.get("date") or 0
            doc["month"] = month_key(int_to_date(doc["date"]))
            doc["published"] = stored.get("published") or 0
            writer.add_document(**doc)
            count_words(f"{doc['title']}\n{doc['body']}", words)
            copied += 1
    return copied


def _new_generation(root: Path) -> Path:
    """A private tmp- folder holding an empty Whoosh index of our schema."""
    from whoosh import index as windex

    tmp = new_generation_dir(root)
    whoosh_ext.install()
    try:
        windex.create_in(str(tmp), build_schema())
    except BaseException:  # a full disk, say: no empty tmp- folder left behind
        remove_written(tmp)
        raise
    return tmp


def _write(ix, root: Path, paths: list[str], manifest: dict[str, list], summary: Summary,
           progress: Progress | None, roots: Callable[[dict[str, list]], list[str]], prune: bool = False,
           previous: tuple | None = None, follow: bool = False) -> None:
    """One Whoosh commit for the batch, then the new articles' words added to the word list and facet
    tables built for the new segments.

    A given path that held indexed files and now yields none is unavailable (see
    manifest.unavailable): its files stay in `manifest` and its articles in the index, or, in a new
    generation, are copied from `previous` (the live index and its manifest); with `prune` they go.
    `roots(manifest)` gives the roots to record with the commit.
    """
    from newsgrep.index.vocabulary import count_words

    words: Counter = Counter()
    todo, seen = scan(paths, manifest, summary, follow)
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
    guard_children()
    # A file the manifest does not know may still be in the index: a writer killed after Whoosh's
    # commit but before the manifest was saved. Deleting its path first keeps a rerun from adding it
    # twice (in an empty, fresh generation there is nothing to look up).
    stale_possible = not ix.is_empty()
    gen = Path(ix.storage.folder)
    before = set(os.listdir(gen))
    state = load_state(gen)
    changes = 0  # articles added and deleted
    writer = _writer(ix, len(todo))
    committed = False
    loaded = None
    try:
        for key in gone:
            changes += writer.delete_by_term("path", key)
            del manifest[key]
            summary.removed += 1
        if carried:
            changes += _carry_over(previous[0], carried, writer, words)
            manifest.update((k, previous[1][k]) for k in carried)
        from newsgrep.index.articles import load_files
        from newsgrep.index.model import Article  # here: searches import this module and never need it
        from newsgrep.index.records import tracked

        jobs = [(path, old_hash, tracked(manifest.get(str(path)))) for path, _, old_hash in todo]
        meter = _ByteProgress(progress, [path for path, _, _ in todo])
        loaded = load_files(jobs, workers=config.WORKERS, on_bytes=meter.within if progress else None)
        for (path, kind, _), got in zip(todo, loaded, strict=True):
            meter.file_done()
            _count_records(summary, got.record_counts)
            if got.items is None:  # the same bytes as indexed: only the mtime changed
                manifest[str(path)] = got.entry
                summary.unchanged += 1
                continue
            if got.partial:
                _write_records(writer, path, kind, got, manifest, summary, words)
                changes += 1  # some records written or deleted: never a no-op
                continue
            if kind == "updated" or stale_possible:
                changes += writer.delete_by_term("path", str(path))
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
            changes += n_docs
            if n_docs:
                summary.skipped_records += n_skips
            else:
                summary.skipped_files += bool(n_skips)
            if n_docs:
                manifest[str(path)] = got.entry
                setattr(summary, kind, getattr(summary, kind) + 1)
            else:
                manifest.pop(str(path), None)
        if previous is None and _nothing_to_commit(gen, state, manifest, roots(manifest), follow, changes):
            _discard(writer, gen, before)  # a no-op add writes nothing: it works on a full disk too
            with ix.reader() as reader:  # but it still finds a segment that is gone, as a commit would
                reader.doc_count()
            _after_commit(ix, summary)  # facet tables a full disk kept from an earlier add, if room now
            return
        _commit(ix, writer, manifest, roots(manifest), words, follow)
        committed = True
    except BaseException:
        if loaded is not None:
            loaded.close()  # its cleaning processes end now, not when the traceback is freed
        if not committed and latest_toc(gen) != writer.generation:
            _discard(writer, gen, before)
        else:  # committed: only Whoosh's scratch folders can be left, and remove_strays takes those
            _stop_subwriters(writer)
        raise
    _after_commit(ix, summary)


def _writer(ix, n_files: int):
    """Whoosh's writer for a batch: two watched sub-writer processes for a large one (whoosh_ext.bulk_writer)."""
    if n_files >= config.BULK_BATCH_MIN_DOCS:
        return whoosh_ext.bulk_writer(ix)
    return ix.writer(timeout=5.0, limitmb=config.WRITER_LIMIT_MB)


def _nothing_to_commit(gen: Path, state, manifest: dict[str, list], roots: list[str], follow: bool,
                       changes: int) -> bool:
    """Whether this add changed nothing: no article added or deleted (`changes`), and the live commit's
    manifest, roots and word list already say what this one would."""
    return (not changes and state.agrees and manifest == state.files and roots == state.roots
            and follow == state.follow and (gen / VOCABULARY).exists())


def _discard(writer, gen: Path, before: set[str]) -> None:
    """Undo a writer that will not commit: its sub-writers killed, Whoosh's writer cancelled (and its
    lock released), and every file and folder it made in the generation removed.

    Whoosh's cancel leaves the segment files it began (its next commit deletes them as orphans), which
    on a full disk keep the disk full: here they go at once. Only names that were not there before this
    writer began are removed, under the writer lock, so nothing live is touched.
    """
    _stop_subwriters(writer)
    with contextlib.suppress(Exception):
        writer.cancel()
    with contextlib.suppress(Exception):
        if writer.writelock:
            writer.writelock.release()
    try:
        made = set(os.listdir(gen)) - before
    except OSError:
        return
    for name in made:
        remove_written(gen / name)


class _ByteProgress:
    """Progress of a batch in bytes read: a single large JSON Lines file moves the bar as it is read
    (counted in files, the bar sat empty for 67 of the 83 s that one Reuters file took)."""

    def __init__(self, progress: Progress | None, paths: list[Path]) -> None:
        self.progress = progress
        self.sizes = [_size(p) for p in paths] if progress else []
        self.total = sum(self.sizes)
        self.base = 0
        self.next = 0

    def within(self, read: int) -> None:
        """`read` bytes of the file being read now (called from inside load_files)."""
        if self.progress and self.next < len(self.sizes):
            self.progress(min(self.base + read, self.base + self.sizes[self.next]), self.total)

    def file_done(self) -> None:
        if self.progress and self.next < len(self.sizes):
            self.base += self.sizes[self.next]
            self.next += 1
            self.progress(self.base, self.total)


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _count_records(summary: Summary, counts: tuple[int, int, int, int] | None) -> None:
    if counts is not None:
        summary.records = [a + b for a, b in zip(summary.records or [0, 0, 0, 0], counts, strict=True)]


def _write_records(writer, path: Path, kind: str, got, manifest: dict[str, list], summary: Summary,
                   words: Counter) -> None:
    """Re-index the records of one JSON Lines file that changed (index/records.py): the records gone
    from it are deleted by id, the new and edited ones replace theirs; the others stay as they are."""
    from newsgrep.index.model import Article
    from newsgrep.index.vocabulary import count_words

    for doc_id in got.dropped:
        writer.delete_by_term("id", doc_id)
    n_docs = 0
    for item in got.items:
        if not isinstance(item, Article):
            summary.skipped.append((f"{path}:{item.line}" if item.line else str(path), str(item)))
            summary.skipped_records += 1
            continue
        # An edited record replaces its old version; a new one may have been committed by a writer
        # killed before its manifest named it (an index of an earlier version): deleting first is
        # what keeps either from being indexed twice.
        writer.delete_by_term("id", item.doc_id)
        writer.add_document(**_document(item))
        count_words(f"{item.title}\n{item.body}", words)
        n_docs += 1
    summary.articles += n_docs
    if n_docs or got.dropped:
        setattr(summary, kind, getattr(summary, kind) + 1)
    else:
        summary.unchanged += 1
    manifest[str(path)] = got.entry


def published_key(when: dt.datetime | None) -> int:
    """The publication moment as the index sorts it within a day: seconds since 1800-01-01 (UTC for
    a time with its zone, as given for one without), 0 when only the day is known."""
    if when is None:
        return 0
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return max(1, int((when - dt.datetime(1800, 1, 1)).total_seconds()))


def _stop_subwriters(writer) -> None:
    """End Whoosh's sub-writer processes of a writer being cancelled (interrupted, or an error).

    Whoosh's MpWriter.cancel() only sets a flag in this process's copy of each task, so the children
    go on reading their job queue for ever (and multiprocessing's exit handler waits for them), or
    crash with a traceback when the cancelled writer removes their scratch files. They are killed
    first: what they wrote is removed with the writer's other files (_discard).
    """
    for task in getattr(writer, "tasks", ()):
        with contextlib.suppress(Exception):
            if task.is_alive():
                task.kill()
    for task in getattr(writer, "tasks", ()):
        with contextlib.suppress(Exception):
            task.join(5)


@contextlib.contextmanager
def _said_in_one_line(root: Path, action: str) -> Iterator[None]:
    """A full disk or quota, or a helper process that died, during `action`: one line saying so.

    The writer has removed what it wrote by the time this runs (see _discard and _build), so the free
    space named is what the index directory's file system has without this run.
    """
    try:
        yield
    except DiskFull as exc:
        raise disk_full(root, exc.errno, action) from None
    except HelperDied as exc:
        raise HelperDied(f"{exc}: this {action} stopped and committed nothing; the index keeps its last "
                         "complete commit; run it again") from None
    except OSError as exc:
        if exc.errno not in NO_SPACE:
            raise
        raise disk_full(root, exc.errno, action) from None


def _commit(ix, writer, manifest: dict[str, list], roots: list[str], words: Counter, follow: bool = False
            ) -> None:
    """Commit so that the TOC Whoosh writes, the manifest and the roots can never disagree.

    The manifest and roots of the coming TOC generation are written first (`manifest-<N>.json`), then
    Whoosh writes its segments and renames TOC N into place: killed before that rename, TOC N-1 and
    its manifest are still live, and the unused manifest is replaced or removed by the next commit;
    after it, TOC N has its own. The new words go into the word list first too: a word of an article that did not
    get in only makes a suggestion that finds nothing (see vocabulary.py). A commit that fails (a full
    disk) puts the old word list back, from a hard link made before (a rename: it needs no space).
    """
    from newsgrep.index.vocabulary import save

    gen = Path(ix.storage.folder)
    toc = writer.generation
    save_state(gen, toc, manifest, roots, follow)
    if not (gen / VOCABULARY).exists():  # deleted, or a new generation: count what is indexed already
        words = words + _words_of_index(ix)
    old_words = gen / f".{VOCABULARY}.{os.getpid()}.old.tmp"  # a name remove_strays knows
    try:
        if words:
            with contextlib.suppress(OSError):
                os.link(gen / VOCABULARY, old_words)
            save(gen, words)
        writer.commit(mergetype=reclaiming_merge)
    except BaseException:
        if latest_toc(gen) != toc:
            with contextlib.suppress(OSError):
                state_file(gen, toc).unlink()
            with contextlib.suppress(OSError):
                os.replace(old_words, gen / VOCABULARY)
        raise
    finally:
        with contextlib.suppress(OSError):
            old_words.unlink()
    forget_other_states(gen, toc)


def reclaiming_merge(writer, segments: list) -> list:
    """Whoosh's merge policy (small segments merged), and every segment whose share of deleted
    documents has reached config.RECLAIM_DELETED_SHARE (and at least RECLAIM_MIN_DELETED of them)
    rewritten without them.

    Whoosh deletes a document by marking it; its postings and stored fields stay in the segment until
    the segment is merged, and MERGE_SMALL never merges a large one: an index whose articles were all
    replaced once was twice its size, for ever. A rewrite costs about what indexing the segment's live
    documents did (no cleaning or tagging), and the threshold keeps the dead space under a tenth.
    """
    from whoosh.reading import SegmentReader
    from whoosh.writing import MERGE_SMALL

    kept = []
    for segment in segments:
        total = segment.doc_count_all()
        dead = segment.deleted_count()
        if dead >= config.RECLAIM_MIN_DELETED and dead >= config.RECLAIM_DELETED_SHARE * total:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        else:
            kept.append(segment)
    return MERGE_SMALL(writer, kept)


def _after_commit(ix, summary: Summary | None = None) -> None:
    """Facet tables for the new segments (a missing one is built by the next write; Whoosh counts until then).

    The commit is done by then: a disk that fills here costs only the tables, which is said, not failed.
    """
    from newsgrep.index import facettable

    try:
        with ix.reader() as reader:
            facettable.write_missing(Path(ix.storage.folder), reader)
    except OSError as exc:
        if exc.errno not in NO_SPACE or summary is None:
            raise
        summary.warnings.append("no space left for the facet tables of the new articles: the add is committed, "
                                "and facets are counted the slower way until an add finds room for them")


def _words_of_index(ix) -> Counter:
    """The word list counted again from every stored title and body: restores a deleted words.tsv."""
    from newsgrep.index.vocabulary import count_words

    words: Counter = Counter()
    if ix.is_empty():
        return words
    with ix.reader() as reader:
        for _, stored in reader.iter_docs():
            count_words(f"{stored.get('title', '')}\n{stored.get('body', '')}", words)
    return words


def add_seeds(root: Path) -> Summary:
    """Index the bundled sample articles (the `newsgrep.seeds` package data): what a first search
    answers from, so that `search "peace talks"` works on a fresh machine."""
    from importlib import resources

    return add(root, [str(resources.files("newsgrep.seeds"))])


def add(root: Path, paths: list[str], progress: Progress | None = None,
        wait: float = config.DEFAULT_LOCK_WAIT_SECONDS, prune: bool = False, follow: bool = False) -> Summary:
    """Index new and changed files, drop files gone from the given folders; one commit for the batch.

    A given path that held indexed files and now yields none keeps them (Summary.unavailable) unless
    `prune` says to remove them. `follow` follows links that leave the indexed folders, and is
    remembered with the index, so a later `add` does not take the files behind them for gone.
    """
    summary = Summary()
    with _said_in_one_line(root, "add"), writer_lock(root, wait):
        try:
            gen = current_generation(root)
        except IndexMissing:
            remove_strays(root, None)
            return _build(root, paths, progress, follow=follow)
        remove_strays(root, gen.name)
        ix = open_whoosh(gen)
        manifest, recorded = _reconciled(ix, gen)
        follow = follow or load_state(gen).follow
        given = list(dict.fromkeys(map(abs_path, paths)))

        def roots(files: dict[str, list]) -> list[str]:
            kept = list(dict.fromkeys([*recorded, *given]))
            return [r for r in kept if r not in given or under(files, r)] if prune else kept

        with whoosh_reading(root):
            _write(ix, root, paths, manifest, summary, progress, roots, prune=prune, follow=follow)
    return summary


def remove(root: Path, paths: list[str], wait: float = config.DEFAULT_LOCK_WAIT_SECONDS) -> Summary:
    """Forget files and folders: their articles leave the index and the folders its recorded roots.

    Nothing is read from the paths, which may be gone: this is how an unavailable folder is dropped.
    """
    summary = Summary()
    current_generation(root)  # no index here: say so before the lock would create the folder
    with _said_in_one_line(root, "remove"), writer_lock(root, wait):
        gen = current_generation(root)
        remove_strays(root, gen.name)
        ix = open_whoosh(gen)
        manifest, roots = _reconciled(ix, gen)
        wanted = list(dict.fromkeys(map(abs_path, paths)))
        files = {k for p in wanted for k in under(manifest, p)}
        forgotten = [r for r in roots if any(r == p or r.startswith(p.rstrip(os.sep) + os.sep) for p in wanted)]
        for p in wanted:
            if not under(manifest, p) and p not in forgotten:
                summary.skipped.append((p, "nothing indexed there"))
                summary.skipped_files += 1
        if not files and not forgotten:
            return summary
        with whoosh_reading(root):
            before = set(os.listdir(gen))
            writer = ix.writer(timeout=5.0)
            try:
                for key in files:
                    writer.delete_by_term("path", key)
                    del manifest[key]
                _commit(ix, writer, manifest, [r for r in roots if r not in forgotten], Counter(),
                        load_state(gen).follow)
            except BaseException:
                if latest_toc(gen) != writer.generation:
                    _discard(writer, gen, before)
                raise
        summary.removed = len(files)
    return summary


def _reconciled(ix, gen: Path) -> tuple[dict[str, list], list[str]]:
    """The manifest and roots of the live TOC; when they are missing or belong to another TOC (damage,
    an index of an earlier version), the files are taken from the index itself.

    A file is then listed with its indexed hash and no size or mtime, so the next scan reads it
    once and keeps it if its bytes are the same; a file the index holds and no manifest knew (the
    ghosts of a writer killed after Whoosh's commit, in earlier versions) is listed too, so that
    its deletion on disk is noticed.
    """
    state = load_state(gen)
    if state.agrees:
        return state.files, state.roots
    indexed: dict[str, str] = {}
    records: dict[str, dict[str, str]] = {}
    with whoosh_reading(gen.parent):
        if not ix.is_empty():
            with ix.reader() as reader:
                for _, stored in reader.iter_docs():
                    path = stored.get("path", "")
                    indexed.setdefault(path, stored.get("hash", ""))
                    _record_of(stored, records)
    files = {path: (old if (old := state.files.get(path)) and old[2] == digest else [-1, -1, digest])
             for path, digest in indexed.items() if path and path not in records}
    for path, table in records.items():
        old = state.files.get(path)
        files[path] = old if old and len(old) > 3 and old[3] == table else [-1, -1, "", table]
    return files, state.roots


def _record_of(stored: dict, records: dict[str, dict[str, str]]) -> None:
    """Note an indexed JSON Lines record (id `path#key`, its record hash stored) in its file's table:
    a file reconciled from the index is then re-read record by record, not re-indexed whole."""
    path, doc_id = stored.get("path", ""), stored.get("id", "")
    if config.suffix_of(path) in config.JSONL_SUFFIXES and doc_id.startswith(path + "#"):
        records.setdefault(path, {})[doc_id[len(path) + 1:]] = stored.get("hash", "")


def rebuild(root: Path, paths: list[str] | None, progress: Progress | None = None,
            wait: float = config.DEFAULT_LOCK_WAIT_SECONDS, follow: bool = False) -> Summary:
    """Build a fresh generation beside the live one and swap it in; the old one answers until then.

    The articles of an unavailable path (see add) are copied from the live generation, so a rebuild
    never swaps in an index that lost a drive that is not mounted.
    """
    with _said_in_one_line(root, "rebuild"), writer_lock(root, wait):
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
        follow = follow or (live is not None and load_state(live).follow)
        if live is not None:
            with contextlib.suppress(IndexProblem):
                old_ix = open_whoosh(live)
                previous = (old_ix, _reconciled(old_ix, live)[0])
        summary = _build(root, paths, progress, previous, follow)
        remove_strays(root, live_name(root))
    return summary


def _roots_of_any_version(root: Path) -> list[str] | None:
    """The recorded roots of the live generation, whatever its schema version (this is how an index
    of an older version is rebuilt); None when there is no generation to read them from."""
    name = live_name(root)
    if not name or not GENERATION_NAME.fullmatch(name) or not (root / name).is_dir():
        return None
    return load_state(root / name).roots or None


def _readable_live(root: Path) -> Path | None:
    """The live generation, or None when it is missing or damaged (a rebuild is how that is repaired)."""
    try:
        return current_generation(root)
    except IndexProblem:
        return None


def _build(root: Path, paths: list[str], progress: Progress | None, previous: tuple | None = None,
           follow: bool = False) -> Summary:
    """A complete new generation from `paths`, swapped in only once it is committed."""
    from whoosh import index as windex

    summary = Summary()
    tmp = _new_generation(root)
    try:
        ix = windex.open_dir(str(tmp))
        manifest: dict[str, list] = {}
        write_json(tmp / META, new_meta())
        roots = list(dict.fromkeys(map(abs_path, paths)))
        _write(ix, root, paths, manifest, summary, progress, lambda _: roots, previous=previous, follow=follow)
        swap_in(root, tmp)
    except BaseException:
        remove_written(tmp)
        raise
    return summary
