"""Facet counts over every match: top entities per kind and a month histogram including "undated".

They run as their own search: grouping and highlighting in one pass cost far more than two searches.
"""

from __future__ import annotations

from whoosh import sorting

from index.schema import ENTITY_FIELDS, UNDATED

TOP_ENTITIES = 10


def facet_map() -> sorting.Facets:
    """Overlapping facets: an article naming three people counts once for each of them."""
    facets = sorting.Facets()
    for name in ENTITY_FIELDS:
        facets.add_facet(name, sorting.FieldFacet(name, allow_overlap=True, maptype=sorting.Count))
    facets.add_facet("month", sorting.FieldFacet("month", maptype=sorting.Count))
    return facets


def _key(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def compute_facets(searcher, q, filter_q, top: int = TOP_ENTITIES) -> dict[str, list[tuple[str, int]]]:
    """Counts of articles (not mentions) per value, most frequent first, months in calendar order."""
    results = searcher.search(q, filter=filter_q, groupedby=facet_map(), limit=1, scored=False)
    out: dict[str, list[tuple[str, int]]] = {}
    for name in ENTITY_FIELDS:
        counts = {_key(k): v for k, v in results.groups(name).items() if k not in (None, "", b"")}
        out[name] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:top]
    months = {_key(k): v for k, v in results.groups("month").items() if k is not None}
    undated = months.pop(UNDATED, 0)
    out["months"] = sorted(months.items()) + ([(UNDATED, undated)] if undated else [])
    return out
