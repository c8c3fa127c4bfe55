"""Date and entity filters, always applied as Whoosh filters (never as optional query clauses)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from whoosh import query

from index.schema import date_to_int

KIND_FIELDS = {"person": "people", "place": "places", "org": "orgs"}


@dataclass
class EntityMatch:
    """How one --person/--place/--org value was matched against the names in the index."""

    kind: str
    asked: str
    names: list[str] = field(default_factory=list)
    how: str = "exact"  # exact | alias | prefix | none


def resolve_entity(kind: str, asked: str, known: list[str]) -> EntityMatch:
    """Find the canonical names a user meant: exact (any case), then alias, then surname or prefix.

    Facets show canonical names, so "Lavrov", "mr lavrov" and "Sergei Lavrov" should all find him.
    """
    from index.canonical import canonicalize

    want = " ".join(asked.split()).casefold()
    by_fold = {name.casefold(): name for name in known}
    if want in by_fold:
        return EntityMatch(kind, asked, [by_fold[want]], "exact")
    canonical = canonicalize(asked, kind).casefold()
    if canonical in by_fold:
        return EntityMatch(kind, asked, [by_fold[canonical]], "alias")
    hits = [n for n in known
            if n.casefold().startswith(want) or any(part.startswith(want) for part in n.casefold().split()[1:])]
    return EntityMatch(kind, asked, sorted(hits), "prefix" if hits else "none")


def date_filter(since: dt.date | None, until: dt.date | None) -> query.Query | None:
    """Inclusive day range; undated articles are outside any range."""
    if since is None and until is None:
        return None
    low = date_to_int(since) if since else None
    high = date_to_int(until) if until else None
    return query.NumericRange("date", low, high)


def entity_filter(matches: list[EntityMatch]) -> list[query.Query]:
    """One clause per asked value (all must hold); a value matching several names accepts any of them."""
    clauses: list[query.Query] = []
    for m in matches:
        fieldname = KIND_FIELDS[m.kind]
        if not m.names:
            clauses.append(query.NullQuery)
        elif len(m.names) == 1:
            clauses.append(query.Term(fieldname, m.names[0]))
        else:
            clauses.append(query.Or([query.Term(fieldname, n) for n in m.names]))
    return clauses
