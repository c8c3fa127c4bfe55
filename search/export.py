"""Every matching article, not a page of them, as records for pandas or R (`search --export`).

The ranking pass gives the order of every match (by relevance, or by date); each article's stored
fields are then read and handed on one at a time, so memory stays bounded by the number of matches
(a score and a number each), never by their text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from whoosh import query

from newsgrep.index.columns import Columns, open_columns
from newsgrep.index.schema import int_to_date, split_names
from newsgrep.index.store import IndexProblem, open_index, read_live
from newsgrep.search.filters import FilterOnly, filter_docs
from newsgrep.search.query import QueryError, parse
from newsgrep.search.rank import rank_all
from newsgrep.search.research import SOURCE_FIELDS
from newsgrep.search.results import SearchRequest, _entity_matches, sort_days, sort_moments

# The columns, in order: what `search --export csv` writes as its header.
COLUMNS = ("rank", "id", "path", "url", "source", "title", "date", "score", "people", "places", "orgs", "body")
EVERY = 1 << 62  # "all of them" as a page size for the ranking pass


class OutputClosed(Exception):
    """Writing a record failed (the reader of a pipe went away, a full disk): not the index's fault."""


def records(searcher, request: SearchRequest, columns: Columns, folder: Path | None = None) -> Iterator[dict]:
    """Each matching article as a record, in the request's order (`folder`: the generation's, whose
    article order files order ties without reading ids)."""
    matches = _entity_matches(request, columns)
    parsed = parse(request.words, searcher.schema, request.match)
    q = parsed.query
    keep = filter_docs(searcher, columns, matches, request.since, request.until)
    if keep is not None and keep.is_empty():
        return
    if isinstance(q, query.Every) and keep is not None:
        q, keep = FilterOnly(keep.docs()), None
    ranked = rank_all(searcher, q, keep, EVERY, sort_days(columns, request.sort), parsed.groups,
                      parsed.need, moments=sort_moments(searcher, request.sort), folder=folder)
    source = next((f for f in SOURCE_FIELDS if f in searcher.schema), None)
    stored = searcher.reader().stored_fields
    for rank, (score, doc) in enumerate(ranked.results.top_n, 1):
        fields = stored(doc)
        day = int_to_date(fields.get("date"))
        yield {
            "rank": rank, "id": fields.get("id"), "path": fields.get("path"), "url": fields.get("url") or None,
            "source": (fields.get(source) or None) if source else None, "title": fields.get("title", ""),
            "date": day.isoformat() if day else None, "score": round(float(score or 0.0), 4),
            "people": split_names(fields.get("people")), "places": split_names(fields.get("places")),
            "orgs": split_names(fields.get("orgs")), "body": fields.get("body", ""),
        }


def export(root: Path, request: SearchRequest, write: Callable[[dict], None]) -> int:
    """Hand every matching article to `write`, in order; the number written.

    A writer committing under a search makes it start again (store.read_live); once records are out
    that would repeat them, so a change after the first record is reported instead.
    """
    written = 0

    def read() -> int:
        nonlocal written
        if written:
            raise IndexProblem("the index changed during the export", "run the export again")
        ix = open_index(root)
        with ix.searcher() as searcher:
            folder = Path(ix.storage.folder)
            for record in records(searcher, request, open_columns(folder, searcher), folder):
                try:
                    write(record)
                except OSError as exc:
                    raise OutputClosed(exc) from exc
                written += 1
        return written

    return read_live(root, read, passthrough=(QueryError, IndexProblem, OutputClosed))
