"""Date and entity filters, applied to what the words match (never as optional query clauses)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, field

from whoosh import query

from newsgrep.index.columns import Columns
from newsgrep.index.schema import date_to_int

KIND_FIELDS = {"person": "people", "place": "places", "org": "orgs", "source": "source"}


SHOWN_NAMES = 3  # names a matched filter lists on stderr before "and N more"


@dataclass
class EntityMatch:
    """How one --person/--place/--org value was matched against the names in the index."""

    kind: str
    asked: str
    names: list[str] = field(default_factory=list)
    how: str = "exact"  # exact | alias | folded | surname | prefix | none
    suggestions: list[str] = field(default_factory=list)  # closest names, when nothing matched

    def describe(self) -> str:
        """What matched, in at most a few names: "James Baker, Baker and 2 more"."""
        shown = ", ".join(self.names[:SHOWN_NAMES])
        more = len(self.names) - SHOWN_NAMES
        return f"{shown} and {more} more" if more > 0 else shown


def fold(name: str) -> str:
    """Accent- and case-insensitive form of a name: 'São Paulo' and 'sao paulo' fold alike."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def resolve_entity(kind: str, asked: str, known: list[str]) -> EntityMatch:
    """Find the canonical names a user meant, by the first rule that finds any:

    1. the exact canonical name ("Sergei Lavrov"); 2. an alias the canonical table folds ("Kiev");
    3. the same name without regard to accents or case ("sao paulo" for "São Paulo"); 4. a surname
    ("baker": every name ending in Baker, never "Baker International", which only begins with it);
    5. for an organisation, its name without a descriptor the facets drop ("Ford Motor": Ford); 6. a
    prefix of the name or of one of its later words ("volck"). When none does, the closest names are
    offered ("volkcer": Paul Volcker).
    """
    from newsgrep.index.canonical import canonicalize

    plain = " ".join(asked.split())
    names = _as_set(known)
    if plain in names:
        return EntityMatch(kind, asked, [plain], "exact")
    canonical = canonicalize(plain, kind)
    if canonical in names:
        return EntityMatch(kind, asked, [canonical], "alias")
    want, want_canonical = fold(plain), fold(canonical)
    folded = {name: fold(name) for name in known}
    surname = kind == "person" and " " not in want  # "baker": James Baker as well as a bare Baker
    hits = sorted(n for n, f in folded.items() if f in (want, want_canonical))
    if hits and not surname:
        return EntityMatch(kind, asked, hits, "folded")
    if surname:
        hits = sorted(n for n, f in folded.items() if f.rsplit(" ", 1)[-1] == want)
        if hits:
            return EntityMatch(kind, asked, hits, "surname")
    head = _company_head(plain) if kind == "org" else None
    hits = sorted(n for n, f in folded.items() if head and f == fold(head))
    if hits:  # the facets count "Ford Motor" as Ford where the organisation list names it short
        return EntityMatch(kind, asked, hits, "alias")
    hits = sorted(n for n, f in folded.items()
                  if f.startswith(want) or any(part.startswith(want) for part in f.split()[1:]))
    if hits:
        return EntityMatch(kind, asked, hits, "prefix")
    return EntityMatch(kind, asked, [], "none", _closest(want, folded))


_known_sets: dict[int, tuple[list[str], frozenset[str]]] = {}


def _as_set(known: list[str]) -> frozenset[str]:
    """`known` as a set, made once per list: the facet tables' names of a field are one list per
    process (columns.names), and a set of 16,000 organisations cost 1 ms a filtered search."""
    found = _known_sets.get(id(known))
    if found is not None and found[0] is known:  # the same list, not a new one at a reused address
        return found[1]
    made = frozenset(known)
    if len(_known_sets) >= 8:
        _known_sets.clear()
    _known_sets[id(known)] = (known, made)
    return made


def _company_head(name: str) -> str | None:
    """A company's name without the descriptor the facets drop from it ("Ford Motor" -> "Ford"; see
    index/entities.py DESCRIPTORS), else None."""
    from newsgrep.index.entities import DESCRIPTORS

    words = tuple(w.casefold() for w in name.split())
    for tail in DESCRIPTORS:
        if len(words) > len(tail) and words[-len(tail):] == tuple(t.casefold() for t in tail):
            return " ".join(name.split()[:-len(tail)])
    return None


def _closest(want: str, folded: dict[str, str], limit: int = SHOWN_NAMES) -> list[str]:
    """The names nearest in spelling to what was asked, compared whole and by surname."""
    import difflib

    score: dict[str, float] = {}
    for name, f in folded.items():
        if abs(len(f) - len(want)) > len(want) and abs(len(f.rsplit(" ", 1)[-1]) - len(want)) > 3:
            continue
        best = max(difflib.SequenceMatcher(None, want, f).ratio(),
                   difflib.SequenceMatcher(None, want, f.rsplit(" ", 1)[-1]).ratio())
        if best >= 0.7:
            score[name] = best
    return sorted(score, key=lambda n: (-score[n], n))[:limit]


def resolve_source(asked: str, known: list[str]) -> EntityMatch:
    """The outlets a --source value names: the exact name in any case ("reuters"), else the names or
    hosts it starts ("bbc" for "BBC News", "nytimes" for nytimes.com). No alias table: outlets name
    themselves."""
    want = " ".join(asked.split()).casefold()
    exact = [name for name in known if name.casefold() == want]
    if exact:
        return EntityMatch("source", asked, exact, "exact")
    hits = [name for name in known if name.casefold().startswith(want)]
    return EntityMatch("source", asked, sorted(hits), "prefix" if hits else "none")


def _day_bounds(since: dt.date | None, until: dt.date | None) -> tuple[int, int]:
    """An inclusive day range as ints YYYYMMDD; a missing end is open."""
    return (date_to_int(since) if since else 1), (date_to_int(until) if until else 99991231)


@dataclass
class DocFilter:
    """What the filters allow: a set of documents per --person/--place/--org value, and a day range.

    The day range stays a range, tested on the documents the words matched: testing 10,000 matches
    costs less than listing the 80,000 documents of a broad range.
    """

    sets: list[set[int]]
    days: tuple[int, int] | None = None
    columns: Columns | None = None  # where the days are read; given with `days`

    def restrict(self, docs: list[int]) -> list[int]:
        """Those of `docs` (in increasing order) that every filter allows, in the same order."""
        for allowed in self.sets:
            docs = list(filter(allowed.__contains__, docs))
        if self.days is not None:
            docs = self.columns.keep_in_days(*self.days, docs)
        return docs

    def docs(self) -> set[int]:
        """Every allowed document: for filters without words, and where Whoosh needs a set."""
        if not self.sets:
            return self.columns.docs_in_days(*self.days)
        ordered = sorted(self.sets, key=len)
        found = ordered[0].intersection(*ordered[1:])
        if self.days is None:
            return found
        return set(self.columns.keep_in_days(*self.days, sorted(found)))

    def is_empty(self) -> bool:
        """True when an entity filter allows nothing (a day range is only known empty once tested)."""
        return any(not s for s in self.sets)


def filter_docs(searcher, columns: Columns, matches: list[EntityMatch], since: dt.date | None,
                until: dt.date | None) -> DocFilter | None:
    """The filters of one search; None means no filter at all.

    Each --person/--place/--org value must hold (a value matching several names accepts any); of the
    --source values, any one.
    """
    sets: list[set[int]] = []
    sources: set[int] | None = None
    for m in matches:
        fieldname = KIND_FIELDS[m.kind]
        found = set() if not m.names else columns.docs_of(fieldname, m.names[0])
        for name in m.names[1:]:
            found |= columns.docs_of(fieldname, name)
        if m.kind == "source":  # an article has one source: several --source values mean any of them
            sources = found if sources is None else sources | found
        else:
            sets.append(found)
    if sources is not None:
        sets.append(sources)
    days = _day_bounds(since, until) if since is not None or until is not None else None
    if not sets and days is None:
        return None
    return DocFilter(sets, days, columns)


class FilterOnly(query.Query):
    """The documents of a filter, as a query: what a search with filters and no words matches.

    Searched as Whoosh's Every() query under a filter, such a search walks every document of the
    index and tests it against the filter (50 ms at 95,000 articles); this walks the filter's own.
    """

    def __init__(self, docs: set[int]) -> None:
        self.docs = docs
        self.boost = 1.0

    def __eq__(self, other) -> bool:
        return isinstance(other, FilterOnly) and other.docs == self.docs

    def __hash__(self) -> int:
        return hash(len(self.docs))

    def __repr__(self) -> str:
        return f"FilterOnly({len(self.docs)} documents)"

    def estimate_size(self, ixreader) -> int:
        return len(self.docs)

    def live(self, reader) -> list[int]:
        """The filter's documents that `reader` holds and has not deleted, in order: what matcher()
        walks, without a matcher call per document."""
        docs = sorted(self.docs)
        out: list[int] = []
        for leaf, offset in reader.leaf_readers():
            here = docs[bisect_left(docs, offset):bisect_left(docs, offset + leaf.doc_count_all())]
            if leaf.has_deletions():
                here = [d for d in here if not leaf.is_deleted(d - offset)]
            out.extend(here)
        return out

    def matcher(self, searcher, context=None):
        from whoosh.matching import ListMatcher, NullMatcher

        offset = 0
        if searcher.has_parent():
            offset = next((o for leaf, o in searcher.get_parent().leaf_searchers() if leaf is searcher), 0)
        reader = searcher.reader()
        end = offset + reader.doc_count_all()
        ids = sorted(d - offset for d in self.docs if offset <= d < end and not reader.is_deleted(d - offset))
        return ListMatcher(ids) if ids else NullMatcher()
