"""What describes a whole match set beyond a page of hits: chosen facets, a timeline, comparisons with
other queries (`--vs`) and distinctive words (issue 17).

Everything here works on the matched document numbers the ranking pass already found (rank.py) and
on the search's columns (index/columns.py: the facet tables, or Whoosh's where they are missing), so
asking for a timeline adds a count over ints, not a read of stored fields.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from whoosh import query

from newsgrep.index.columns import Columns
from newsgrep.search import timeline as tl
from newsgrep.search.facets import count_facets
from newsgrep.search.filters import DocFilter, FilterOnly
from newsgrep.search.query import QueryError, option, parse
from newsgrep.search.rank import rank_all

if TYPE_CHECKING:
    from newsgrep.search.results import SearchRequest, SearchResponse

# Facet names a user may ask for, and the facet key count_facets gives each.
FACETS = {"people": "people", "places": "places", "orgs": "orgs", "months": "months", "sources": "sources"}
# Shown by a bare --facets; sources only where the index has any (a folder of text files has none).
DEFAULT_FACETS = ("people", "places", "orgs", "sources", "months")
SOURCE_FIELDS = ("source", "sources")  # the field a `sources` facet counts, when the schema has one
VS_FACETS = ("people", "places", "orgs")  # what a comparison shows of each query without --facets
VS_FACET_SIZE = 5
MAX_VS = 8
MAX_TOP_WORDS = 200
MAX_FACET_SIZE = 10_000


def check(request: SearchRequest) -> None:
    """Refuse research options that cannot be met, before the index is opened."""
    for name in request.facet_names or ():
        if name not in FACETS:
            raise QueryError(f"{option('facet_names')}: unknown facet {name!r}; choose from {', '.join(FACETS)}")
    if not 1 <= request.facet_size <= MAX_FACET_SIZE:
        raise QueryError(f"{option('facet_size')} must be between 1 and {MAX_FACET_SIZE:,}")
    if request.timeline is not None and request.timeline not in ("auto", *tl.INTERVALS):
        raise QueryError(f"{option('timeline')} must be one of auto, {', '.join(tl.INTERVALS)}")
    if len(request.vs) > MAX_VS:
        raise QueryError(f"at most {MAX_VS} {option('vs')} queries")
    if any(not words.strip() for words in request.vs):
        raise QueryError(f"{option('vs')} needs words to search for")
    if not 0 <= request.top_words <= MAX_TOP_WORDS:
        raise QueryError(f"{option('top_words')} must be between 1 and {MAX_TOP_WORDS}")


def wants_days(request: SearchRequest) -> bool:
    """Whether the search needs each match's day."""
    return bool(request.timeline or request.normalize or request.vs)


def _source_field(searcher) -> str | None:
    return next((f for f in SOURCE_FIELDS if f in searcher.schema), None)


def select_facets(searcher, docs: list[int], facets: dict, request: SearchRequest) -> dict:
    """The facets the user named (all four by default), in the order named."""
    names = request.facet_names or [n for n in DEFAULT_FACETS if n != "sources" or facets.get("sources")]
    out = {}
    for name in names:
        if name == "sources" and "sources" not in facets:
            out[name] = _count_sources(searcher, docs, request.facet_size)
        else:
            out[name] = facets.get(FACETS[name], [])
    return out


def _count_sources(searcher, docs: list[int], top: int) -> list[tuple[str, int]]:
    """Top values of the schema's source field over the matches (stored values: one read per match)."""
    field = _source_field(searcher)
    if field is None:
        raise QueryError(f"{option('facet_names')} sources: this index has no source field (rebuild it with a version "
                         "that records sources)")
    counts: Counter = Counter()
    reader = searcher.reader()
    if reader.has_column(field):
        column = reader.column_reader(field)
        values = (column[d] for d in docs)
    else:
        values = (searcher.stored_fields(d).get(field) for d in docs)
    for value in values:
        for name in (value if isinstance(value, list) else str(value or "").split(",")):
            name = name.decode("utf-8") if isinstance(name, bytes) else str(name).strip()
            if name:
                counts[name] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:top]


def _match_docs(searcher, words: str, keep: DocFilter | None, match: str) -> list[int]:
    """Every match of another query under the same filters and matching rule (for `--vs`), in
    document order."""
    parsed = parse(words, searcher.schema, match)
    q = parsed.query
    if isinstance(q, query.Every) and keep is not None:
        q, keep = FilterOnly(keep.docs()), None
    return rank_all(searcher, q, keep, 1, None, parsed.groups, parsed.need).docs


def _series_facets(searcher, columns: Columns, docs: list[int], request: SearchRequest) -> dict:
    size = request.facet_size if request.facets else VS_FACET_SIZE
    counted = count_facets(columns, docs, size) if docs else {}
    if request.facets:
        return select_facets(searcher, docs, counted, request) if docs else {
            n: [] for n in request.facet_names or DEFAULT_FACETS if n != "sources" or request.facet_names}
    return {name: counted.get(name, []) for name in VS_FACETS}


def add_research(searcher, columns: Columns, docs: list[int], keep: DocFilter | None, request: SearchRequest,
                 response: SearchResponse) -> None:
    """Fill the response's timeline, comparison series and top words, as the request asks."""
    if wants_days(request):
        series_docs = [(request.words, docs)]
        series_docs += [(words, _match_docs(searcher, words, keep, request.match)) for words in request.vs]
        series_days = [columns.day_counts(d) for _, d in series_docs]
        bounds = tl.span_of_counts(*series_days)
        interval = request.timeline if request.timeline not in (None, "auto") else (
            tl.pick_interval(*bounds) if bounds else "month")
        base = tl.by_period(columns.indexed_days(), interval) if request.normalize else None
        timelines = [tl.build_from_counts(d, interval, bounds, base) for d in series_days]
        response.timeline = timelines[0]
        if request.vs:
            response.series = [
                tl.Series(words, len(d), timeline, _series_facets(searcher, columns, d, request))
                for (words, d), timeline in zip(series_docs, timelines, strict=True)]
    if request.top_words:
        from newsgrep.search.topwords import top_words

        response.top_words = top_words(searcher, docs, request.top_words)
