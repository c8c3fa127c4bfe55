"""One stored article by its id (or its URL): what `search-index show` prints."""

from __future__ import annotations

from pathlib import Path

from newsgrep.index.schema import ENTITY_FIELDS, int_to_date
from newsgrep.index.store import open_index, read_live


def stored_article(root: Path, key: str) -> dict | None:
    """The stored article whose id is `key` (a file path, or `file.jsonl#id`), else the one whose URL is
    `key` (what text results print when an article has one); None when there is none.

    The form is `search-index clean --json`'s: id, path, title, date, url, source, body and entities.
    """
    def read() -> dict | None:
        ix = open_index(root)
        with ix.searcher() as searcher:
            fields = searcher.document(id=key)
            if fields is None and "://" in key:  # URLs are stored, not indexed: a scan, only for show
                reader = searcher.reader()
                fields = next((f for _, f in reader.iter_docs() if f.get("url") == key), None)
        return _shape(fields) if fields is not None else None

    return read_live(root, read)


def _shape(fields: dict) -> dict:
    day = int_to_date(fields.get("date"))
    return {
        "id": fields["id"],
        "path": fields.get("path", ""),
        "title": fields.get("title", ""),
        "date": day.isoformat() if day else None,
        "url": fields.get("url") or None,
        "source": fields.get("source") or None,
        "body": fields.get("body", ""),
        **{kind: [n for n in (fields.get(kind) or "").split(",") if n] for kind in ENTITY_FIELDS},
    }
