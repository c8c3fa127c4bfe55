"""From a file on disk to cleaned, entity-tagged articles: the one pipeline both `add` and `clean` use."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from newsgrep.index import config
from newsgrep.index.model import Article, Entities
from newsgrep.index.read import SkipFile, Source, read_file

PARALLEL_MIN_FILES = 200  # below this, starting worker processes costs more than it saves
CHUNK_FILES = 32  # files per task sent to a worker: enough to amortise pickling, small enough to stream


def content_hash(data: bytes) -> str:
    """A fast, stable fingerprint of a file's bytes, used to decide what to re-index."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_hash(path: Path) -> str:
    """content_hash of a file, read in chunks so a large JSON Lines file is not held twice."""
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def to_article(source: Source, digest: str) -> Article:
    """Attach entities to a read-and-cleaned source: from the article alone (and its year), so an
    article gets the same names whatever was indexed before it or beside it."""
    from newsgrep.index.entities import article_entities

    raw = source.raw
    text = raw.text
    if len(text) > config.ENTITY_SCAN_CHARS:
        text = text[:config.ENTITY_SCAN_CHARS].rsplit("\n", 1)[0]
    year = raw.date.year if raw.date else None
    entities = article_entities(raw.title, text, year) if text or raw.title else Entities()
    return Article(
        doc_id=source.doc_id,
        path=source.path,
        title=raw.title,
        date=raw.date,
        body=raw.text,
        entities=entities,
        content_hash=digest,
        url=raw.url,
    )


def load_file(path: Path, digest: str = "") -> Iterator[Article | SkipFile]:
    """Every article of one file, cleaned and tagged, or the reasons parts of it were skipped."""
    for item in read_file(path):
        yield item if isinstance(item, SkipFile) else to_article(item, digest)


def _load_one(job: tuple[Path, str]) -> list[Article | SkipFile]:
    return list(load_file(job[0], job[1]))


def load_files(jobs: list[tuple[Path, str]], workers: int = 1) -> Iterator[list[Article | SkipFile]]:
    """load_file over many (path, hash) jobs, in order, in `workers` processes when there are enough.

    Cleaning and entity extraction are pure CPU work per file, so a large batch spreads them over the
    cores while the caller writes the index. At most a few chunks per worker are in flight, which keeps
    memory flat however large the batch.
    """
    if workers <= 1 or len(jobs) < PARALLEL_MIN_FILES:
        for job in jobs:
            yield list(load_file(job[0], job[1]))
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    chunks = [jobs[i:i + CHUNK_FILES] for i in range(0, len(jobs), CHUNK_FILES)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(_load_chunk, chunk))
            if len(pending) >= 3 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _load_chunk(chunk: list[tuple[Path, str]]) -> list[list[Article | SkipFile]]:
    return [_load_one(job) for job in chunk]

