"""One search, start to finish: parse, filter, rank, page, snippet, facet, suggest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query

from newsgrep.index.columns import Columns, WhooshColumns, open_columns
from newsgrep.index.config import MAX_FILTER_VALUES
from newsgrep.index.schema import int_to_date, split_names
from newsgrep.index.store import open_index, read_live
from newsgrep.search import snippets
from newsgrep.search.facets import TOP_ENTITIES, count_facets
from newsgrep.search.filters import (
    KIND_FIELDS,
    EntityMatch,
    FilterOnly,
    filter_docs,
    resolve_entity,
    resolve_source,
)
from newsgrep.search.query import Parsed, QueryError, check_cost, option, parse
from newsgrep.search.rank import rank_all
from newsgrep.search.research import add_research, check, select_facets, wants_days
from newsgrep.search.suggest import suggest
from newsgrep.search.timeline import Series, Timeline
from newsgrep.search.topwords import TopWord

# "Did you mean" only for queries a person could have mistyped: correcting 160 words, or one of 999
# letters, took seconds (each word walks the word list through an edit-distance automaton).
SUGGEST_MAX_WORDS = 8
SUGGEST_MAX_WORD_CHARS = 30


@dataclass
class SearchRequest:
    """Everything a user can ask of one search."""

    words: str
    since: dt.date | None = None
    until: dt.date | None = None
    people: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    sort: str = "relevance"  # relevance | date | date-asc
    limit: int = 10  # 0: no hits, only the summary (total, facets, timeline)
    page: int = 1
    facets: bool = False
    # Research options (issue 17): which facets and how many values, a timeline, comparisons, words.
    facet_names: list[str] | None = None  # None: people, places, orgs, months
    facet_size: int = TOP_ENTITIES
    timeline: str | None = None  # auto | day | week | month | year
    normalize: bool = False
    vs: list[str] = field(default_factory=list)
    top_words: int = 0
    count_only: bool = False
    match: str = "auto"  # auto | all | any: how many of the words a match must hold (search/query.py)


@dataclass
class Hit:
    """One ranked article; `snippet` carries START/END markers around matched words."""

    rank: int
    id: str
    path: str
    title: str
    date: dt.date | None
    score: float
    snippet: str
    people: list[str]
    places: list[str]
    orgs: list[str]
    url: str | None = None
    source: str | None = None


@dataclass
class SearchResponse:
    """A page of hits and what describes the whole result set."""

    hits: list[Hit]
    total: int
    page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]] | None = None
    suggestion: str | None = None
    entity_matches: list[EntityMatch] = field(default_factory=list)
    timeline: Timeline | None = None
    series: list[Series] = field(default_factory=list)  # the main query first, then each --vs
    top_words: list[TopWord] | None = None
    partial: bool = False  # no article held enough of the words: the best partial matches instead


def _entity_matches(request: SearchRequest, columns: Columns) -> list[EntityMatch]:
    """Each --person/--place/--org/--source value resolved against the names in the index."""
    matches = []
    for kind, values in (("person", request.people), ("place", request.places), ("org", request.orgs),
                         ("source", request.sources)):
        values = list(dict.fromkeys(values))  # `--place a` fifty times is one filter, resolved once
        if not values:
            continue
        known = columns.names(KIND_FIELDS[kind])
        matches.extend(resolve_source(v, known) if kind == "source" else resolve_entity(kind, v, known)
                       for v in values)
    return matches


def run_search(root: Path, request: SearchRequest) -> SearchResponse:
    """Run one search against the live index at `root`."""
    if request.since and request.until and request.since > request.until:
        raise QueryError(f"{option('since')} {request.since} is after {option('until')} {request.until}")
    if request.limit < 0 or request.page < 1:
        raise QueryError(f"{option('limit')} must be at least 0 and {option('page')} at least 1")
    check(request)
    name_fields = ("people", "places", "orgs", "sources")
    for name in name_fields:
        if any(not v.strip() for v in getattr(request, name)):
            raise QueryError(f"{option(name)} needs a name")
    filters = len(request.people) + len(request.places) + len(request.orgs) + len(request.sources)
    if filters > MAX_FILTER_VALUES:
        raise QueryError(f"too many {'/'.join(map(option, name_fields))} values ({filters}; at most "
                         f"{MAX_FILTER_VALUES}): give fewer names")

    def read() -> SearchResponse:
        ix = open_index(root)
        return _run(ix, parse(request.words, ix.schema, request.match), request)

    return read_live(root, read, passthrough=(QueryError,))


def _run(ix, parsed: Parsed, request: SearchRequest) -> SearchResponse:
    q = parsed.query
    with ix.searcher() as searcher:
        check_cost(searcher.reader(), q)
        columns = search_columns(ix, searcher, request)
        matches = _entity_matches(request, columns)
        keep = filter_docs(searcher, columns, matches, request.since, request.until)
        if keep is not None and keep.is_empty() and not request.vs:
            return SearchResponse([], 0, request.page, 0, entity_matches=matches)
        filtered = keep
        if isinstance(q, query.Every) and keep is not None:
            q, keep = FilterOnly(keep.docs()), None  # filters and no words: walk the filter's documents
        days = sort_days(columns, request.sort)
        ranked = rank_all(searcher, q, keep, max(1, request.page * request.limit), days, parsed.groups, parsed.need,
                          parsed.near, moments=sort_moments(searcher, request.sort),
                          folder=Path(ix.storage.folder))
        results, total = ranked.results, len(ranked.docs)
        if request.count_only:
            return SearchResponse([], total, request.page, 0, entity_matches=matches)
        facets = None
        if request.facets:
            facets = select_facets(searcher, ranked.docs, count_facets(columns, ranked.docs, request.facet_size),
                                   request)
        snippets.configure(results)
        start = (request.page - 1) * request.limit
        hits = []
        for rank, hit in enumerate(results[start:start + request.limit], start + 1):
            hits.append(Hit(
                rank=rank,
                id=hit["id"],
                path=hit["path"],
                title=hit.get("title", ""),
                date=int_to_date(hit.get("date")),
                score=round(float(hit.score or 0.0), 4),
                snippet=snippets.snippet(hit),
                people=split_names(hit.get("people")),
                places=split_names(hit.get("places")),
                orgs=split_names(hit.get("orgs")),
                url=hit.get("url") or None,
                source=hit.get("source") or None,
            ))
        pages = -(-total // request.limit) if request.limit else 0
        response = SearchResponse(hits, total, request.page, pages, facets=facets, entity_matches=matches,
                                  partial=ranked.partial)
        add_research(searcher, columns, ranked.docs, filtered, request, response)
        typed = request.words.split()
        if 0 < len(typed) <= SUGGEST_MAX_WORDS and max(map(len, typed)) <= SUGGEST_MAX_WORD_CHARS:
            response.suggestion = suggest(searcher, request.words, Path(ix.storage.folder), total)
    return response


def search_columns(ix, searcher, request: SearchRequest) -> Columns:
    """The columns this search reads names and days from, chosen once: the facet tables when the
    search needs any (read once per process), else Whoosh's, which a plain search never reads."""
    wants = (request.facets or request.people or request.places or request.orgs or request.sources
             or request.since or request.until or request.sort != "relevance" or wants_days(request))
    return open_columns(Path(ix.storage.folder), searcher) if wants else WhooshColumns(searcher)


OLDEST_FIRST = 99_999_999  # date-asc: dated days mirrored below it, so the newest-first order runs oldest first


def sort_days(columns: Columns, sort: str) -> Callable[[list[int]], list[int]] | None:
    """The day reader the ranking pass orders by: none for relevance, the days for `date` (newest
    first), mirrored days for `date-asc` (oldest first; undated stay 0, so last either way)."""
    if sort == "relevance":
        return None
    days = columns.days
    if sort == "date":
        return days
    return lambda docs: [OLDEST_FIRST - d if d else 0 for d in days(docs)]


LATEST_MOMENT = 1 << 62  # date-asc: moments mirrored below it, as days are


def sort_moments(searcher, sort: str) -> Callable[[list[int]], list[int]] | None:
    """The publication moments the date order puts one day's articles in (index/schema.py
    `published`: 0 when only the day is known, and such articles come after the timed ones of
    their day either way); None for relevance."""
    if sort == "relevance" or "published" not in searcher.schema:
        return None
    column = searcher.reader().column_reader("published")
    if sort == "date":
        return lambda docs: [column[d] or 0 for d in docs]
    return lambda docs: [LATEST_MOMENT - m if (m := column[d]) else 0 for d in docs]
