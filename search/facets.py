"""Facet counts over every match: top entities per kind, top sources and a month histogram with "undated".

The matches come from the ranking pass (search/rank.py), the counts from the facet tables the writer
keeps beside each segment (index/facettable.py); without them (a damaged table, or one of an older
format until the next `add` rewrites it) Whoosh groups the matches itself, slower, same result.
"""

from __future__ import annotations

import heapq
from collections import Counter
from itertools import chain, compress

from newsgrep.index.facettable import DENSE, MANY, NONE, by_segment, pick
from newsgrep.index.schema import ENTITY_FIELDS, SOURCE_FIELD, UNDATED

TOP_ENTITIES = 10
COUNTED = ("month", *ENTITY_FIELDS, SOURCE_FIELD)
LISTED = {**{name: name for name in ENTITY_FIELDS}, SOURCE_FIELD: "sources"}  # field -> facet name
Facets = dict[str, list[tuple[str, int]]]


def count_facets(tables, docs: list[int], top: int = TOP_ENTITIES) -> Facets:
    """Facet counts of the given matched documents (in increasing order) from the facet tables."""
    counts: dict[str, dict[str, int]] = {field: {} for field in COUNTED}
    for leaf, _, local in by_segment(tables, docs):
        for field in COUNTED:
            table = leaf[field]
            ids, offs, names = table.ids, table.offsets, table.names
            if not names:  # no document of the segment has one (a corpus without sources): nothing to count
                continue
            # C-level calls (pick, map, Counter), not a generator: these loops run once per matched document.
            if len(local) == len(offs) - 1:
                found = Counter(ids)  # every document of the segment
            elif field in DENSE:
                found = Counter(pick(ids, local))
            else:
                singles = pick(table.single, local)
                found = Counter(singles)
                found.pop(NONE, None)
                if found.pop(MANY, 0):  # the documents with several names: slices of `ids`
                    several = list(compress(local, map(MANY.__eq__, singles)))
                    spans = map(slice, map(offs.__getitem__, several), map(offs.__getitem__, map((1).__add__, several)))
                    found.update(chain.from_iterable(map(ids.__getitem__, spans)))
            named = dict(zip(map(names.__getitem__, found), found.values(), strict=True))
            total = counts[field]
            for name in list(filter(total.__contains__, named)):
                named[name] += total[name]
            total.update(named)
    return _shape(counts, top)


def _shape(counts: dict[str, dict[str, int]], top: int) -> Facets:
    """Top names by count (ties by name, case-insensitively), then months with "undated" last."""
    out: Facets = {}
    for name in LISTED:
        found = counts[name]
        found.pop("", None)
        if len(found) > top:  # only names that can be in the top need the costlier sort key
            least = heapq.nlargest(top, found.values())[-1]
            found = {k: v for k, v in found.items() if v >= least}
        out[LISTED[name]] = sorted(found.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:top]
    months = dict(counts["month"])
    undated = months.pop(UNDATED, 0)
    out["months"] = sorted(months.items()) + ([(UNDATED, undated)] if undated else [])
    return out


def _facet_map():
    """Overlapping facets: an article naming three people counts once for each of them."""
    from whoosh import sorting

    facets = sorting.Facets()
    for name in LISTED:
        facets.add_facet(name, sorting.FieldFacet(name, allow_overlap=True, maptype=sorting.Count))
    facets.add_facet("month", sorting.FieldFacet("month", maptype=sorting.Count))
    return facets


def _key(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def whoosh_facets(searcher, q, filter_q: set[int] | None, top: int = TOP_ENTITIES) -> Facets:
    """The same counts from Whoosh's own grouping, for an index without facet tables."""
    results = searcher.search(q, filter=filter_q, groupedby=_facet_map(), limit=1, scored=False)
    counts = {name: {_key(k): v for k, v in results.groups(name).items() if k not in (None, "", b"")}
              for name in LISTED}
    counts["month"] = {_key(k): v for k, v in results.groups("month").items() if k is not None}
    return _shape(counts, top)
