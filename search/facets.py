"""Facet counts over every match: top entities per kind, top sources and a month histogram with "undated".

The matches come from the ranking pass (search/rank.py), the counts from the search's columns
(index/columns.py: the facet tables, or Whoosh's own grouping where a table is missing or damaged;
slower, same result). Here they are only shaped: the top names, and the months in order.
"""

from __future__ import annotations

import heapq

from newsgrep.index.columns import Columns
from newsgrep.index.schema import ENTITY_FIELDS, SOURCE_FIELD, UNDATED

TOP_ENTITIES = 10
COUNTED = ("month", *ENTITY_FIELDS, SOURCE_FIELD)
LISTED = {**{name: name for name in ENTITY_FIELDS}, SOURCE_FIELD: "sources"}  # field -> facet name
Facets = dict[str, list[tuple[str, int]]]


def count_facets(columns: Columns, docs: list[int], top: int = TOP_ENTITIES) -> Facets:
    """Facet counts of the given matched documents (live, in increasing order)."""
    return _shape(columns.counts(COUNTED, docs, top), top)


def _shape(counts: dict[str, dict[str, int]], top: int) -> Facets:
    """Top names by count (ties by name, case-insensitively), then months with "undated" last."""
    out: Facets = {}
    for name in LISTED:
        found = dict(counts[name])
        found.pop("", None)
        if len(found) > top:  # only names that can be in the top need the costlier sort key
            least = heapq.nlargest(top, found.values())[-1]
            found = {k: v for k, v in found.items() if v >= least}
        out[LISTED[name]] = sorted(found.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:top]
    months = dict(counts["month"])
    undated = months.pop(UNDATED, 0)
    out["months"] = sorted(months.items()) + ([(UNDATED, undated)] if undated else [])
    return out
