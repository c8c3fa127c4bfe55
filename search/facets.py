"""Facet counts over every match: top entities per kind and a month histogram including "undated".

They run as their own pass: grouping and highlighting in one pass cost far more than two. The
counts come from the facet tables the writer keeps beside each segment (index/facettable.py);
without them (an index written before they existed, or a damaged table) Whoosh groups the matches
itself, slower and with the same result.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import Counter
from itertools import chain

from whoosh import query, sorting

from index.schema import ENTITY_FIELDS, UNDATED

TOP_ENTITIES = 10
COUNTED = ("month", *ENTITY_FIELDS)
Facets = dict[str, list[tuple[str, int]]]


def compute_facets(searcher, q, filter_q: set[int] | None, tables=None, top: int = TOP_ENTITIES) -> Facets:
    """Counts of articles (not mentions) per value, most frequent first, months in calendar order.

    `tables` are the index's facet tables (index.facettable.load), or None to let Whoosh group.
    """
    if tables is None:
        return _whoosh_facets(searcher, q, filter_q, top)
    if isinstance(q, query.Every) and filter_q is not None:
        # Filters alone (no words): the matches are the filter's documents, less deleted ones; walking
        # every document of the index to find them cost most of such a search.
        reader = searcher.reader()
        docs = [d for d in sorted(filter_q) if not reader.is_deleted(d)]
    else:
        docs = _matched_docs(searcher, q)
        if filter_q is not None:
            docs = [d for d in docs if d in filter_q]
    counts: dict[str, Counter] = {field: Counter() for field in COUNTED}
    for i, (offset, leaf) in enumerate(tables):
        end = tables[i + 1][0] if i + 1 < len(tables) else None
        local = [d - offset for d in docs[bisect_left(docs, offset):bisect_left(docs, end) if end else None]]
        for field in COUNTED:
            table = leaf[field]
            ids, offs, names = table.ids, table.offsets, table.names
            found = Counter(chain.from_iterable(ids[offs[d]:offs[d + 1]] for d in local))
            counts[field].update({names[k]: n for k, n in found.items()})
    return _shape({field: dict(c) for field, c in counts.items()}, top)


def _matched_docs(searcher, q) -> list[int]:
    """Every document `q` matches, in order.

    Plain words (one term, or an OR of terms: the common query) are the union of their postings, read
    a block of ids at a time: Whoosh's union matcher hands them over one by one, at twice the cost.
    Anything else (phrases, AND, NOT, wildcards) goes through the query's own matcher.
    """
    if isinstance(q, query.Term):
        terms = [q]
    elif isinstance(q, query.Or) and all(isinstance(c, query.Term) for c in q.subqueries):
        terms = q.subqueries
    else:
        return sorted(searcher.docs_for_query(q))
    docs: set[int] = set()
    for leaf, offset in searcher.reader().leaf_readers():
        for term in terms:
            if (term.fieldname, term.text) in leaf:
                for block in _id_blocks(leaf.postings(term.fieldname, term.text)):
                    docs.update(block if not offset else (d + offset for d in block))
    return sorted(docs)


def _id_blocks(matcher):
    """The ids of a postings list block by block; one at a time where Whoosh wrapped the list (for
    deletions, say). Reads Whoosh 2.7.4's block reader (pinned in pyproject.toml) directly."""
    if not all(hasattr(matcher, name) for name in ("_read_ids", "_next_block", "_ids", "is_active")):
        yield list(matcher.all_ids())
        return
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        yield matcher._ids
        matcher._next_block()


def _shape(counts: dict[str, dict[str, int]], top: int) -> Facets:
    """Top names by count (ties by name, case-insensitively), then months with "undated" last."""
    out: Facets = {}
    for name in ENTITY_FIELDS:
        items = ((k, v) for k, v in counts[name].items() if k)
        out[name] = heapq.nsmallest(top, items, key=lambda kv: (-kv[1], kv[0].casefold()))
    months = dict(counts["month"])
    undated = months.pop(UNDATED, 0)
    out["months"] = sorted(months.items()) + ([(UNDATED, undated)] if undated else [])
    return out


def _facet_map() -> sorting.Facets:
    """Overlapping facets: an article naming three people counts once for each of them."""
    facets = sorting.Facets()
    for name in ENTITY_FIELDS:
        facets.add_facet(name, sorting.FieldFacet(name, allow_overlap=True, maptype=sorting.Count))
    facets.add_facet("month", sorting.FieldFacet("month", maptype=sorting.Count))
    return facets


def _key(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _whoosh_facets(searcher, q, filter_q, top: int) -> Facets:
    results = searcher.search(q, filter=filter_q, groupedby=_facet_map(), limit=1, scored=False)
    counts = {name: {_key(k): v for k, v in results.groups(name).items() if k not in (None, "", b"")}
              for name in ENTITY_FIELDS}
    counts["month"] = {_key(k): v for k, v in results.groups("month").items() if k is not None}
    return _shape(counts, top)
