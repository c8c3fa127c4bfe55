"""The index on disk: generations, the pointer to the live one, the writer lock, add and rebuild.

Layout of an index directory:
    CURRENT          name of the live generation (replaced atomically with os.replace)
    write.lock       flock held by the one writer
    gen-<stamp>/     a Whoosh index plus meta.json (tool, schema version, roots) and manifest.json
    tmp-<stamp>/     a generation being built; left behind only by a killed rebuild, removed next run

Readers follow CURRENT, so `rebuild` builds a whole new generation beside the live one and swaps the
pointer: queries see the old index until the swap and the new one after, never a mix.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import pickle
import shutil
import struct
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from newsgrep.index import config
from newsgrep.index.schema import SCHEMA_VERSION, build_schema, date_to_int, join_names, month_key

if TYPE_CHECKING:
    from newsgrep.index.model import Article

T = TypeVar("T")
TOOL_MARK = "newsgrep"
CURRENT = "CURRENT"
LOCK = "write.lock"
META = "meta.json"
MANIFEST = "manifest.json"

Progress = Callable[[int, int], None]


class IndexProblem(Exception):
    """The index is missing, busy or unreadable: the message is one line, `hint` says how to recover."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class IndexMissing(IndexProblem):
    """No index has been built at this location yet."""


class IndexBusy(IndexProblem):
    """Another writer holds the lock."""


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


# ---------------------------------------------------------------- locations and metadata

def current_generation(root: Path) -> Path:
    """The live generation's directory, checked to be one this tool made with this schema."""
    if not root.exists():
        raise IndexMissing(f"no index at {root}", "build one with: search-index add PATH")
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexMissing(f"no index at {root}", "build one with: search-index add PATH") from None
    except OSError as exc:
        raise IndexProblem(f"cannot read index at {root}: {exc.strerror}", _REBUILD_HINT) from None
    except ValueError:  # not UTF-8: the pointer file was overwritten with something else
        raise IndexProblem(f"index at {root} is damaged (its CURRENT file is garbled)", _REBUILD_HINT) from None
    gen = root / name
    if not name.startswith("gen-") or "/" in name or not gen.is_dir():
        raise IndexProblem(f"index at {root} is damaged (its live generation is missing)", _REBUILD_HINT)
    check_meta(gen)
    return gen


_REBUILD_HINT = "recover with: search-index rebuild PATH"

# What Whoosh raises when the bytes of an index file are wrong (deleted, truncated or garbled after
# it was opened). Raised inside Whoosh, the data is at fault, so they become an IndexProblem with the
# hint to rebuild; raised by our own code, or of another type (TypeError...), they stay bugs (exit 70).
DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    OSError, EOFError, pickle.UnpicklingError, struct.error, zlib.error, UnicodeError, ValueError,
    IndexError, KeyError, OverflowError, MemoryError)


def damage_errors() -> tuple[type[BaseException], ...]:
    """DAMAGE_ERRORS and Whoosh's own index errors (EmptyIndexError: the TOC is gone), imported on use."""
    from whoosh.index import IndexError as WhooshIndexError

    return (*DAMAGE_ERRORS, WhooshIndexError)


def reraise_damage(root: Path, exc: BaseException) -> None:
    """Raise an IndexProblem if `exc` (one of DAMAGE_ERRORS) came from inside Whoosh; else return."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return
    where = Path(tb.tb_frame.f_code.co_filename)
    if "whoosh" not in where.parts and where != Path(__file__).with_name("postings.py"):  # reads Whoosh bytes
        return
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
    raise IndexProblem(f"index at {root} is damaged or unreadable ({detail})", _REBUILD_HINT) from None


def read_meta(gen: Path) -> dict:
    """meta.json of a generation, or an IndexProblem saying why it cannot be trusted."""
    try:
        meta = json.loads((gen / META).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexProblem(f"{gen} was not made by this tool (no {META})", _REBUILD_HINT) from None
    except (OSError, ValueError):
        raise IndexProblem(f"index metadata in {gen} is unreadable", _REBUILD_HINT) from None
    if not isinstance(meta, dict) or meta.get("tool") != TOOL_MARK:
        raise IndexProblem(f"{gen} was not made by this tool", _REBUILD_HINT)
    return meta


def check_meta(gen: Path) -> dict:
    """Refuse an index of another schema version before Whoosh unpickles anything from it.

    Whoosh stores its schema pickled in the index; unpickling a file someone else wrote can run code,
    so nothing is opened unless our own marker and version are there first.
    """
    meta = read_meta(gen)
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexProblem(
            f"index at {gen.parent} has schema version {meta.get('schema_version')}, "
            f"this version of the tool needs {SCHEMA_VERSION}",
            _REBUILD_HINT,
        )
    return meta


def _write_json(path: Path, data: object) -> None:
    """Write JSON atomically: a reader or a crash sees the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def load_manifest(gen: Path) -> dict[str, list]:
    """path -> [size, mtime_ns, hash] of every indexed file; lets `add` skip unchanged files unread."""
    try:
        data = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _derive_offsets_in_c() -> None:
    """Make Whoosh derive a variable-length column's offsets with itertools.accumulate.

    Stored fields live in such a column. For segments under 32,768 documents Whoosh 2.7.4 writes only
    the lengths, and on every open rebuilds the offsets in a Python loop over every document of the
    segment (2 ms of a one-shot search at 19,000 articles, 7 ms at 95,000). whoosh is pinned to 2.7.4
    in pyproject.toml; this replaces that private method with a twin that reads the same layout (the
    column ends with the lengths' type code, or with "X" after the offsets and both type codes) and
    gives equal arrays (tests/test_rank.py reads every stored field both ways).
    """
    import struct
    from array import array
    from itertools import accumulate

    from whoosh.columns import VarBytesColumn

    cls = VarBytesColumn.Reader
    if getattr(cls, "_offsets_in_c", False):
        return

    def _read_offsets_and_lengths(self):
        dbfile, doccount = self._dbfile, self._doccount
        lastbyte = self._basepos + self._length - 1
        lens_code = chr(dbfile.get_byte(lastbyte))
        offsets = None
        if lens_code == "X":
            self.had_stored_offsets = True
            lens_code = chr(dbfile.get_byte(lastbyte - 2))
            offsets_code = chr(dbfile.get_byte(lastbyte - 1))
            offsetstart = (lastbyte - 2) - doccount * struct.calcsize(offsets_code)
            offsets = dbfile.get_array(offsetstart, offsets_code, doccount)
            lastbyte = offsetstart
        lengths = dbfile.get_array(lastbyte - struct.calcsize(lens_code) * doccount, lens_code, doccount)
        if offsets is None:
            offsets = array("L", accumulate(lengths, initial=0))
            offsets.pop()
        self._offsets, self._lengths = offsets, lengths

    cls._whooshs_read_offsets_and_lengths = cls._read_offsets_and_lengths  # kept for tests/test_rank.py
    cls._read_offsets_and_lengths = _read_offsets_and_lengths
    cls._offsets_in_c = True


def open_whoosh(gen: Path):
    """Open a checked generation with Whoosh, turning its many failure modes into an IndexProblem."""
    from whoosh.filedb.filestore import FileStorage

    _derive_offsets_in_c()
    try:
        # Without mmap: Whoosh copies every part of a memory-mapped compound segment into a buffer on
        # open, which a one-shot search pays in full; plain reads fetch only what the query touches.
        # (Separate segment files avoid the copy too, but make writing slower: each posting block
        # then asks the file system whether a length column exists.)
        return FileStorage(str(gen), supports_mmap=False).open_index()
    except Exception as exc:  # noqa: BLE001 - Whoosh raises anything from EOFError to pickle errors
        raise IndexProblem(f"index at {gen.parent} is unreadable ({type(exc).__name__})", _REBUILD_HINT) from None


def open_index(root: Path, attempts: int = 5):
    """The live Whoosh index, retrying briefly when a rebuild swaps generations under us."""
    for attempt in range(attempts):
        try:
            return open_whoosh(current_generation(root))
        except IndexMissing:
            raise
        except IndexProblem:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


# ---------------------------------------------------------------- the writer lock

@contextlib.contextmanager
def writer_lock(root: Path, wait: float) -> Iterator[None]:
    """Hold the index's one writer lock, waiting up to `wait` seconds for another writer to finish.

    flock is released by the kernel when a process dies, even by SIGKILL, so a killed writer never
    leaves the index locked.
    """
    import fcntl

    try:
        root.mkdir(parents=True, exist_ok=True)
        fh = open(root / LOCK, "a+b")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise IndexProblem(f"cannot write to index directory {root}: {exc.strerror}",
                           "check its permissions, or choose another with --index-dir") from None
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


def _remove_strays(root: Path, keep: str | None) -> None:
    """Delete half-built generations and old ones left by killed or earlier runs (under the lock).

    Inside the live generation a killed writer can leave our `.*.tmp` files and Whoosh's `MAIN.tmp/`
    scratch folder (its orphaned segment files Whoosh removes itself at the next commit).
    """
    for entry in root.iterdir():
        stale_gen = entry.name.startswith("gen-") and entry.name != keep
        if entry.is_dir() and (entry.name.startswith("tmp-") or stale_gen):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(".") and entry.name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                entry.unlink()
    live = root / keep if keep and "/" not in keep else None
    if live is not None and live.is_dir():
        for entry in live.iterdir():
            if entry.name.endswith(".tmp") and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.startswith(".") and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    entry.unlink()


_children_guarded = False


def _guard_children() -> None:
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

    def before() -> None:
        parent[0] = os.getpid()

    def in_child() -> None:
        import ctypes
        import signal

        with contextlib.suppress(Exception):
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent[0]:
            os._exit(1)

    os.register_at_fork(before=before, after_in_child=in_child)


# ---------------------------------------------------------------- writing

def _document(article: Article) -> dict:
    doc = {
        "id": article.doc_id,
        "path": article.path,
        "hash": article.content_hash,
        "url": article.url or "",
        "title": article.title,
        "body": article.body,
        "month": month_key(article.date),
        "people": join_names(article.entities.people),
        "places": join_names(article.entities.places),
        "orgs": join_names(article.entities.orgs),
    }
    # Undated articles get 0: outside every date range, and last when sorting newest first (Whoosh
    # would otherwise sort a missing value as the largest).
    doc["date"] = date_to_int(article.date) if article.date else 0
    return doc


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
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    tmp = root / f"tmp-{stamp}-{os.getpid()}"
    tmp.mkdir(parents=True)
    from whoosh import index as windex

    windex.create_in(str(tmp), build_schema())
    return tmp


def _swap_in(root: Path, tmp: Path) -> Path:
    """Make a fully written generation live: rename it, then atomically repoint CURRENT."""
    gen = root / ("gen-" + tmp.name[len("tmp-"):])
    _fsync_dir(tmp)
    os.rename(tmp, gen)
    _fsync_dir(root)
    if (root / CURRENT).is_dir() and not (root / CURRENT).is_symlink():
        os.rmdir(root / CURRENT)  # only damage makes one; a non-empty one stops us with OSError
    pointer = root / f".{CURRENT}.{os.getpid()}.tmp"
    pointer.write_text(gen.name + "\n", encoding="utf-8")
    os.replace(pointer, root / CURRENT)
    _fsync_dir(root)
    return gen


def _file_hash(path: Path) -> str:
    """Imported on use: searching never hashes, and a one-shot search should not pay for the reader."""
    from newsgrep.index.articles import file_hash

    return file_hash(path)


def _scan(paths: Iterable[str | os.PathLike], manifest: dict[str, list], summary: Summary
          ) -> tuple[list[tuple[Path, str, list]], set[str]]:
    """Split the given paths into files to (re)index and a set of every file seen.

    Files under a folder that cannot be listed now count as seen: a permission change or a flaky
    mount must not remove what was indexed from there.
    """
    todo: list[tuple[Path, str, list]] = []
    seen: set[str] = set()
    from newsgrep.index.read import UNREADABLE_FOLDER, find_files

    for key, reason in find_files(paths):
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
            old = manifest.get(key)
            if old and old[0] == st.st_size and old[1] == st.st_mtime_ns:
                summary.unchanged += 1
                continue
            digest = _file_hash(Path(key))
        except OSError as exc:
            summary.skipped.append((key, exc.strerror or str(exc)))
            summary.skipped_files += 1
            continue
        entry = [st.st_size, st.st_mtime_ns, digest]
        if old and old[2] == digest:
            manifest[key] = entry
            summary.unchanged += 1
        else:
            todo.append((Path(key), "updated" if old else "added", entry))
    return todo, seen


def _gone(paths: Iterable[str | os.PathLike], manifest: dict[str, list], seen: set[str]) -> list[str]:
    """Indexed files under the given paths that are no longer there."""
    prefixes = []
    for given in paths:
        p = os.path.abspath(os.path.expanduser(given))
        prefixes.append(p.rstrip(os.sep) + os.sep)
        if p in manifest and p not in seen:
            prefixes.append(p)
    return [k for k in manifest if k not in seen and any(k == p or k.startswith(p) for p in prefixes)]


def _write(ix, root: Path, paths: list[str], manifest: dict[str, list], summary: Summary,
           progress: Progress | None) -> None:
    """One Whoosh commit for the batch, then the new articles' words added to the word list and facet
    tables built for the new segments."""
    from newsgrep.index.vocabulary import count_words

    words: Counter = Counter()
    todo, seen = _scan(paths, manifest, summary)
    gone = _gone(paths, manifest, seen)
    _guard_children()
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
        jobs = [(path, entry[2]) for path, _, entry in todo]
        from newsgrep.index.articles import load_files
        from newsgrep.index.model import Article  # here: searches import this module and never need it

        loaded = load_files(jobs, workers=config.WORKERS)
        for done, ((path, kind, entry), items) in enumerate(zip(todo, loaded, strict=True), 1):
            if kind == "updated" or stale_possible:
                writer.delete_by_term("path", str(path))
            n_docs = n_skips = 0
            for item in items:
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
                manifest[str(path)] = entry
                setattr(summary, kind, getattr(summary, kind) + 1)
            else:
                manifest.pop(str(path), None)
            if progress:
                progress(done, len(todo))
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
        wait: float = config.DEFAULT_LOCK_WAIT_SECONDS) -> Summary:
    """Index new and changed files, drop files gone from the given folders; one commit for the batch."""
    summary = Summary()
    with writer_lock(root, wait):
        try:
            gen = current_generation(root)
        except IndexMissing:
            _remove_strays(root, None)
            return _build(root, paths, progress)
        _remove_strays(root, gen.name)
        meta = check_meta(gen)
        ix = open_whoosh(gen)
        manifest = load_manifest(gen)
        try:
            _write(ix, root, paths, manifest, summary, progress)
        except damage_errors() as exc:
            reraise_damage(root, exc)
            raise
        _write_json(gen / MANIFEST, manifest)
        roots = list(dict.fromkeys([*meta.get("roots", []), *map(_abs, paths)]))
        _write_json(gen / META, {**meta, "roots": roots})
    return summary


def rebuild(root: Path, paths: list[str] | None, progress: Progress | None = None,
            wait: float = config.DEFAULT_LOCK_WAIT_SECONDS) -> Summary:
    """Build a fresh generation beside the live one and swap it in; the old one answers until then."""
    with writer_lock(root, wait):
        if not paths:
            try:
                paths = read_meta(root / (root / CURRENT).read_text(encoding="utf-8").strip()).get("roots")
            except (OSError, ValueError, IndexProblem):
                paths = None
            if not paths:
                raise IndexProblem(f"no paths recorded in the index at {root}",
                                   "name them: search-index rebuild PATH...")
        if not any(os.path.lexists(_abs(p)) for p in paths):
            # A rebuild from nothing would swap an empty index in for the live one (an unmounted
            # drive, a moved folder): refuse, and keep what is indexed.
            gone = ", ".join(map(str, paths))
            raise IndexProblem(f"nothing to rebuild from: {gone} not found; the index is unchanged",
                               "name the folders: search-index rebuild PATH...")
        keep = None
        with contextlib.suppress(OSError, ValueError):
            keep = (root / CURRENT).read_text(encoding="utf-8").strip()
        _remove_strays(root, keep)
        summary = _build(root, paths, progress)
        _remove_strays(root, (root / CURRENT).read_text(encoding="utf-8").strip())
    return summary


def _abs(path: str | os.PathLike) -> str:
    return os.path.abspath(os.path.expanduser(path))


def _build(root: Path, paths: list[str], progress: Progress | None) -> Summary:
    """A complete new generation from `paths`, swapped in only once it is committed."""
    from whoosh import index as windex

    summary = Summary()
    tmp = _new_generation(root)
    try:
        ix = windex.open_dir(str(tmp))
        manifest: dict[str, list] = {}
        _write(ix, root, paths, manifest, summary, progress)
        _write_json(tmp / MANIFEST, manifest)
        _write_json(tmp / META, {
            "tool": TOOL_MARK,
            "schema_version": SCHEMA_VERSION,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "roots": list(dict.fromkeys(map(_abs, paths))),
        })
        _swap_in(root, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary


# ---------------------------------------------------------------- reading statistics

def read_live(root: Path, read: Callable[[], T], keep: tuple[type[BaseException], ...] = ()) -> T:
    """`read()` of the live index, started again when a writer commits under it.

    Between reading the table of contents and opening the segment files, an `add` can commit and
    delete what was read, or a rebuild swap generations: the read then starts again on the new state.
    Damage that is really there is still there on the last attempt, and is reported as an
    IndexProblem. Errors of the `keep` types (a caller's own, such as a refused query) pass at once.
    """
    attempts = 3
    for attempt in range(1, attempts + 1):
        try:
            return read()
        except keep:
            raise
        except damage_errors() as exc:
            if attempt < attempts:
                time.sleep(0.02 * attempt)
                continue
            reraise_damage(root, exc)
            raise
    raise AssertionError("unreachable")


def stats(root: Path) -> dict:
    """Counts and dates of the live index, for `search-index stats`."""
    return read_live(root, lambda: _stats(root))


def _stats(root: Path) -> dict:
    gen = current_generation(root)
    meta = check_meta(gen)
    ix = open_whoosh(gen)
    manifest = load_manifest(gen)
    with ix.searcher() as searcher:
        dates = sorted(t for t in searcher.lexicon("month") if t != b"undated")
        undated = searcher.doc_frequency("month", "undated")
        counts = {name: sum(1 for _ in searcher.lexicon(name)) for name in ("people", "places", "orgs")}
        total = searcher.doc_count()
    size = sum(f.stat().st_size for f in gen.iterdir() if f.is_file())
    return {
        "index_dir": str(root),
        "generation": gen.name,
        "schema_version": meta.get("schema_version"),
        "created": meta.get("created"),
        "roots": meta.get("roots", []),
        "files": len(manifest),
        "articles": total,
        "undated": undated,
        "first_month": dates[0].decode() if dates else None,
        "last_month": dates[-1].decode() if dates else None,
        "distinct_people": counts["people"],
        "distinct_places": counts["places"],
        "distinct_orgs": counts["orgs"],
        "size_bytes": size,
    }
