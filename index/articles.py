"""From a file on disk to cleaned, entity-tagged articles: the one pipeline both `add` and `clean` use."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from index.model import Article, Entities
from index.read import SkipFile, Source, read_file


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


def surname_map(full_names: Iterable[str]) -> dict[str, str]:
    """Surname -> full name for the corpus fallback of "surname alone"; ambiguous surnames are left out.

    Two different people sharing a surname must not be merged, so such a surname maps to nothing.
    """
    found: dict[str, str | None] = {}
    for name in full_names:
        parts = name.split()
        if len(parts) < 2:
            continue
        surname = parts[-1]
        found[surname] = name if found.get(surname, name) == name else None
    return {k: v for k, v in found.items() if v}


def to_article(source: Source, digest: str, known_people: Mapping[str, str] | None = None) -> Article:
    """Attach entities to a read-and-cleaned source."""
    from index.entities import article_entities

    raw = source.raw
    entities = article_entities(raw.title, raw.text, known_people) if raw.text or raw.title else Entities()
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


def load_file(path: Path, digest: str = "", known_people: Mapping[str, str] | None = None
              ) -> Iterator[Article | SkipFile]:
    """Every article of one file, cleaned and tagged, or the reasons parts of it were skipped."""
    for item in read_file(path):
        yield item if isinstance(item, SkipFile) else to_article(item, digest, known_people)
