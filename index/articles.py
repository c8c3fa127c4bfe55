"""From a file on disk to cleaned, entity-tagged articles: the one pipeline both `add` and `clean` use."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from newsgrep.index import config
from newsgrep.index.model import Article, Entities
from newsgrep.index.read import SkipFile, Source, read_file

PARALLEL_MIN_FILES = 200  # below this, starting worker processes costs more than it saves
CHUNK_FILES = 32  # files per task sent to a worker: enough to amortise pickling, small enough to stream


def to_article(source: Source, digest: str) -> Article:
    """Attach entities to a read-and-cleaned source: from the article alone (and its year), so an
    article gets the same names whatever was indexed before it or beside it."""
    from newsgrep.index.entities import article_entities
    from newsgrep.index.pagemeta import host_name

    story = source.story
    text = story.text
    if len(text) > config.ENTITY_SCAN_CHARS:
        text = text[:config.ENTITY_SCAN_CHARS].rsplit("\n", 1)[0]
    year = story.date.year if story.date else None
    entities = article_entities(story.title, text, year) if text or story.title else Entities()
    return Article(
        doc_id=source.doc_id,
        path=source.path,
        title=story.title,
        date=story.date,
        body=story.text,
        entities=entities,
        content_hash=source.digest or digest,
        url=story.url,
        source=story.source or host_name(story.url),
        published=story.published,
    )


def load_file(path: Path, digest: str = "", stream: BinaryIO | None = None) -> Iterator[Article | SkipFile]:
    """Every article of one file, cleaned and tagged, or the reasons parts of it were skipped."""
    for item in read_file(path, stream):
        yield item if isinstance(item, SkipFile) else to_article(item, digest)


class _HashingReader:
    """A binary file whose bytes are hashed as they are read: what is indexed is what is hashed."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._digest = hashlib.blake2b(digest_size=16)
        self._replay: bytes | None = None

    def fileno(self) -> int:
        return self._raw.fileno()

    def read(self, size: int = -1) -> bytes:
        if self._replay is not None and size < 0:
            data, self._replay = self._replay, None
            return data
        data = self._raw.read(size)
        self._digest.update(data)
        return data

    def replay(self, data: bytes) -> None:
        """Hand `data`, already read and hashed, to the next read()."""
        self._replay = data

    def __iter__(self) -> Iterator[bytes]:
        for line in self._raw:
            self._digest.update(line)
            yield line

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


@dataclass
class Loaded:
    """One file read once: its manifest entry ([size, mtime_ns, hash] of the bytes read, and for JSON
    Lines the record table: index/records.py), and its articles and skips, or None when the bytes hash
    as `unchanged` said (nothing to re-index).

    `partial`: `items` are only the records new or changed since the manifest's table, the others
    stay indexed; `dropped` are the ids of records gone from the file; `record_counts` are records
    (added, updated, removed, unchanged).
    """

    entry: list | None
    items: list[Article | SkipFile] | None
    partial: bool = False
    dropped: list[str] = field(default_factory=list)
    record_counts: tuple[int, int, int, int] | None = None


def load_once(path: Path, unchanged: str = "", known: dict[str, str] | None = None,
              on_bytes: Callable[[int], None] | None = None) -> Loaded:
    """Read a file once, hash those bytes and make articles of the same bytes.

    Hashing in one read and indexing from another lets a file rewritten in between be indexed with
    the new text under the old hash, or the reverse, and stay stale for ever. A text or HTML file is
    read whole and hashed first, so a file whose mtime changed but whose bytes did not (`unchanged`
    is its known hash) is not parsed; a JSON Lines file is hashed as it streams, record by record,
    and only the records not in `known` (its manifest's record table) are read (index/records.py).
    """
    if config.suffix_of(path.name) in config.JSONL_SUFFIXES:
        from newsgrep.index.records import load_jsonl

        return load_jsonl(path, unchanged, known, on_bytes)
    try:
        raw = path.open("rb")
    except OSError as exc:
        return Loaded(None, [SkipFile(exc.strerror or str(exc))])
    with raw:
        st = os.fstat(raw.fileno())
        reader = _HashingReader(raw)
        suffix = config.suffix_of(path.name)
        if suffix not in config.STREAMED_SUFFIXES and 0 < st.st_size <= config.MAX_ARTICLE_FILE_BYTES:
            data = reader.read()
            if unchanged and reader.hexdigest() == unchanged:
                return Loaded([st.st_size, st.st_mtime_ns, unchanged], None)
            reader.replay(data)
        items = list(load_file(path, "", reader))
        if not any(isinstance(item, Article) for item in items):
            return Loaded(None, items)
        while reader.read(1 << 20):  # a JSON Lines file read to its end, so the hash covers it all
            pass
        digest = reader.hexdigest()
    for item in items:
        if isinstance(item, Article):
            item.content_hash = digest
    entry = [st.st_size, st.st_mtime_ns, digest]
    return Loaded(entry, None if digest == unchanged else items)


Job = tuple[Path, str, dict[str, str] | None]  # a path, its indexed hash or "", its record table


def _load_one(job: Job) -> Loaded:
    return load_once(job[0], job[1], job[2])


def load_files(jobs: list[Job], workers: int = 1, on_bytes: Callable[[int], None] | None = None
               ) -> Iterator[Loaded]:
    """load_once over many (path, known hash or "", record table) jobs, in order, in `workers`
    processes when there are enough.

    `on_bytes` hears of the bytes read within each file as it is read, when the files are read in
    this process (a few files: one large JSON Lines file is the case that needs it).

    Cleaning and entity extraction are pure CPU work per file, so a large batch spreads them over the
    cores while the caller writes the index. At most a few chunks per worker are in flight, which keeps
    memory flat however large the batch.
    """
    if workers <= 1 or len(jobs) < PARALLEL_MIN_FILES:
        for job in jobs:
            yield load_once(job[0], job[1], job[2], on_bytes)
        return
    from newsgrep.index.workers import ordered_map

    # Each worker has its own pipe (workers.py): a worker killed by the OOM killer ends the batch
    # with one line instead of leaving the writer waiting for ever.
    chunks = [jobs[i:i + CHUNK_FILES] for i in range(0, len(jobs), CHUNK_FILES)]
    for loaded in ordered_map(_load_chunk, chunks, workers):
        yield from loaded


def _load_chunk(chunk: list[Job]) -> list[Loaded]:
    return [_load_one(job) for job in chunk]
