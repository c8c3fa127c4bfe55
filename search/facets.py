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
from itertools import chain, repeat
from operator import sub

from whoosh import query

from index import postings
from index.facettable import DENSE
from index.schema import ENTITY_FIELDS, UNDATED
from search.query import plain_terms

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
    return count_facets(tables, docs, top)


def count_facets(tables, docs: list[int], top: int = TOP_ENTITIES) -> Facets:
    """Facet counts of the given matched documents (in increasing order) from the facet tables."""
    counts: dict[str, dict[str, int]] = {field: {} for field in COUNTED}
    for i, (offset, leaf) in enumerate(tables):
        end = tables[i + 1][0] if i + 1 < len(tables) else None
        local = docs[bisect_left(docs, offset):bisect_left(docs, end) if end else None]
        if offset:
            local = list(map(sub, local, repeat(offset)))
        for field in COUNTED:
            table = leaf[field]
            ids, offs, names = table.ids, table.offsets, table.names
            # map() over C functions, not a generator: these loops run once per matched document.
            if len(local) == len(offs) - 1:
                found = Counter(ids)  # every document of the segment
            elif field in DENSE:
                found = Counter(map(ids.__getitem__, local))
            else:
                spans = map(slice, map(offs.__getitem__, local), map(offs.__getitem__, map((1).__add__, local)))
                found = Counter(chain.from_iterable(map(ids.__getitem__, spans)))
            named = dict(zip(map(names.__getitem__, found), found.values(), strict=True))
            total = counts[field]
            for name in list(filter(total.__contains__, named)):
                named[name] += total[name]
            total.update(named)
    return _shape(counts, top)


def _matched_docs(searcher, q) -> list[int]:
    """Every document `q` matches, in order.

    Plain words (one term, or an OR of terms: the common query) are the union of their postings, read
    a whole list at a time: Whoosh's union matcher hands them over one by one, at several times the
    cost. Anything else (phrases, AND, NOT, wildcards) goes through the query's own matcher.
    """
    terms = plain_terms(q)
    if terms is None:
        return sorted(searcher.docs_for_query(q))
    docs: set[int] = set()
    reader = searcher.reader()
    for term in terms:
        ids = postings.doc_ids(reader, term.fieldname, term.text)
        if ids is None:
            return sorted(searcher.docs_for_query(q))
        docs.update(ids)
    return sorted(docs)


def _shape(counts: dict[str, dict[str, int]], top: int) -> Facets:
    """Top names by count (ties by name, case-insensitively), then months with "undated" last."""
    out: Facets = {}
    for name in ENTITY_FIELDS:
        found = counts[name]
        found.pop("", None)
        if len(found) > top:  # only names that can be in the top need the costlier sort key
            least = heapq.nlargest(top, found.values())[-1]
            found = {k: v for k, v in found.items() if v >= least}
        out[name] = sorted(found.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:top]
    months = dict(counts["month"])
    undated = months.pop(UNDATED, 0)
    out["months"] = sorted(months.items()) + ([(UNDATED, undated)] if undated else [])
    return out


def _facet_map():
    """Overlapping facets: an article naming three people counts once for each of them."""
    from whoosh import sorting

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
