"""One search, start to finish: parse, filter, rank, page, snippet, facet, suggest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query

from newsgrep.index import facettable
from newsgrep.index.config import MAX_FILTER_VALUES
from newsgrep.index.schema import int_to_date
from newsgrep.index.store import open_index, read_live
from newsgrep.search import snippets
from newsgrep.search.facets import count_facets, whoosh_facets
from newsgrep.search.filters import KIND_FIELDS, EntityMatch, FilterOnly, filter_docs, resolve_entity
from newsgrep.search.query import Parsed, QueryError, check_cost, parse
from newsgrep.search.rank import rank_all
from newsgrep.search.suggest import suggest

SUGGEST_BELOW = 3  # "did you mean" when fewer matches than this
# ... and for queries a person could have mistyped: correcting 160 words, or one of 999 letters, took
# seconds (each word walks the word list through an edit-distance automaton).
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
    sort: str = "relevance"  # relevance | date
    limit: int = 10
    page: int = 1
    facets: bool = False
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
    partial: bool = False  # no article held enough of the words: the best partial matches instead


def _names(value: str) -> list[str]:
    return [n for n in (value or "").split(",") if n]


def _entity_matches(searcher, request: SearchRequest, tables) -> list[EntityMatch]:
    """Each --person/--place/--org value resolved against the names in the index.

    The names come from the facet tables when there are some (read once per process), else from the
    field's lexicon, which is read in full each time.
    """
    matches = []
    for kind, values in (("person", request.people), ("place", request.places), ("org", request.orgs)):
        values = list(dict.fromkeys(values))  # `--place a` fifty times is one filter, resolved once
        if not values:
            continue
        field = KIND_FIELDS[kind]
        if tables is not None:
            known = facettable.known_names(tables, field)
        else:
            known = [t.decode("utf-8") for t in searcher.lexicon(field)]
        matches.extend(resolve_entity(kind, v, known) for v in values)
    return matches


def run_search(root: Path, request: SearchRequest) -> SearchResponse:
    """Run one search against the live index at `root`."""
    if request.since and request.until and request.since > request.until:
        raise QueryError(f"--since {request.since} is after --until {request.until}")
    if request.limit < 1 or request.page < 1:
        raise QueryError("--limit and --page must be at least 1")
    for flag, values in (("--person", request.people), ("--place", request.places), ("--org", request.orgs)):
        if any(not v.strip() for v in values):
            raise QueryError(f"{flag} needs a name")
    filters = len(request.people) + len(request.places) + len(request.orgs)
    if filters > MAX_FILTER_VALUES:
        raise QueryError(f"too many --person/--place/--org values ({filters}; at most {MAX_FILTER_VALUES}): "
                         "give fewer names")

    def read() -> SearchResponse:
        ix = open_index(root)
        return _run(ix, parse(request.words, ix.schema, request.match), request)

    return read_live(root, read, keep=(QueryError,))


def _run(ix, parsed: Parsed, request: SearchRequest) -> SearchResponse:
    q = parsed.query
    with ix.searcher() as searcher:
        check_cost(searcher.reader(), q)
        wants_tables = (request.facets or request.people or request.places or request.orgs or request.since
                        or request.until or request.sort == "date")
        tables = facettable.load(Path(ix.storage.folder), searcher.reader()) if wants_tables else None
        matches = _entity_matches(searcher, request, tables)
        keep = filter_docs(searcher, matches, request.since, request.until, tables)
        if keep is not None and keep.is_empty():
            return SearchResponse([], 0, request.page, 0, entity_matches=matches)
        if isinstance(q, query.Every) and keep is not None:
            q, keep = FilterOnly(keep.docs()), None  # filters and no words: walk the filter's documents
        days = _days(searcher, tables) if request.sort == "date" else None
        ranked = rank_all(searcher, q, keep, request.page * request.limit, days, parsed.groups, parsed.need)
        results, total = ranked.results, len(ranked.docs)
        facets = None
        if request.facets and tables is not None:
            facets = count_facets(tables, ranked.docs)
        elif request.facets:
            facets = whoosh_facets(searcher, q, set(ranked.docs))
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
                people=_names(hit.get("people")),
                places=_names(hit.get("places")),
                orgs=_names(hit.get("orgs")),
                url=hit.get("url") or None,
            ))
        pages = -(-total // request.limit)
        response = SearchResponse(hits, total, request.page, pages, facets=facets, entity_matches=matches,
                                  partial=ranked.partial)
        typed = request.words.split()
        if total < SUGGEST_BELOW and 0 < len(typed) <= SUGGEST_MAX_WORDS and \
                max(map(len, typed)) <= SUGGEST_MAX_WORD_CHARS:
            response.suggestion = suggest(searcher, request.words, Path(ix.storage.folder))
    return response


def _days(searcher, tables) -> Callable[[list[int]], list[int]]:
    """Documents to days (YYYYMMDD, 0 undated): from the facet tables, else from Whoosh's date column."""
    if tables is not None:
        return lambda docs: facettable.days_of(tables, docs)
    column = searcher.reader().column_reader("date", translate=True)
    return lambda docs: [column[d] or 0 for d in docs]
