"""One stored article by its id (or its URL): what `search-index show` prints."""

from __future__ import annotations

from pathlib import Path

from newsgrep.index.model import Article, Entities
from newsgrep.index.schema import int_to_date, split_names
from newsgrep.index.store import open_index, read_live


def stored_article(root: Path, key: str) -> Article | None:
    """The stored article whose id is `key` (a file path, or `file.jsonl#id`), else the one whose URL is
    `key` (what text results print when an article has one); None when there is none.

    It is the Article `search-index clean` makes of the file, as the index stored it.
    """
    def read() -> Article | None:
        ix = open_index(root)
        with ix.searcher() as searcher:
            fields = searcher.document(id=key)
            if fields is None and "://" in key:  # URLs are stored, not indexed: a scan, only for show
                reader = searcher.reader()
                fields = next((f for _, f in reader.iter_docs() if f.get("url") == key), None)
        return _shape(fields) if fields is not None else None

    return read_live(root, read)


def _shape(fields: dict) -> Article:
    return Article(
        doc_id=fields["id"],
        path=fields.get("path", ""),
        title=fields.get("title", ""),
        date=int_to_date(fields.get("date")),
        body=fields.get("body", ""),
        entities=Entities(*(split_names(fields.get(kind)) for kind in ("people", "places", "orgs"))),
        content_hash=fields.get("hash", ""),
        url=fields.get("url") or None,
        source=fields.get("source") or None,
    )
