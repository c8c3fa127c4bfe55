"""What a search reads of each article besides its words: its names and its day, listed or counted.

One interface (`Columns`), two ways of answering it, chosen once per search by `open_columns`:
`TableColumns`, the facet tables the writer keeps beside each segment (index/facettable.py), and
`WhooshColumns`, Whoosh's own lexicon, columns, postings and grouping. The second is the fallback
when any segment's table is missing, damaged or of an older format (the next `add` rewrites it), so
a table can cost time but never a wrong answer; the tests hold the two to the same results.

Documents are Whoosh's global document numbers; a day is an int YYYYMMDD, 0 when undated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from newsgrep.index import facettable, postings
from newsgrep.index.facettable import DENSE


class Columns(Protocol):
    """Per-article names and days, for filters, facets, the date order and timelines."""

    def names(self, field: str) -> list[str]:
        """Every name of an entity or source field in the index (names of deleted articles too:
        they then match nothing)."""

    def days(self, docs: list[int]) -> list[int]:
        """The day of each of `docs` (in increasing order)."""

    def day_counts(self, docs: list[int]) -> Counter:
        """How many of `docs` (in increasing order) fall on each day (0: undated)."""

    def docs_of(self, field: str, name: str) -> set[int]:
        """The live articles holding one name of an entity or source field."""

    def docs_in_days(self, low: int, high: int) -> set[int]:
        """Every article dated within [low, high]; undated ones are outside any range."""

    def keep_in_days(self, low: int, high: int, docs: list[int]) -> list[int]:
        """Those of `docs` (in increasing order) dated within [low, high], in order."""

    def counts(self, fields: Sequence[str], docs: list[int], top: int | None = None) -> dict[str, dict[str, int]]:
        """For each field, how many of `docs` (live matches, in increasing order) hold each value:
        an article naming three people counts once for each of them. With `top`, a field of name
        lists may leave out names that cannot be among its `top` most frequent; every name whose
        count reaches the `top`-th largest is there, with its exact count."""

    def indexed_days(self) -> Counter:
        """How many live articles the index holds per day."""


def open_columns(gen: Path, searcher) -> Columns:
    """The facet tables of the searcher's segments when every one is there and whole, else Whoosh's."""
    reader = searcher.reader()
    tables = facettable.load(gen, reader)
    return TableColumns(tables, reader) if tables is not None else WhooshColumns(searcher)


def live_docs(reader) -> list[int]:
    """Every document not deleted, in order."""
    docs: list[int] = []
    for leaf, offset in reader.leaf_readers():
        numbers = range(offset, offset + leaf.doc_count_all())
        if leaf.has_deletions():
            docs.extend(d for d in numbers if not leaf.is_deleted(d - offset))
        else:
            docs.extend(numbers)
    return docs


def term_docs(reader, fieldname: str, text: str) -> set[int]:
    """Document numbers holding one term (a name of an entity field, a day)."""
    fast = postings.doc_ids(reader, fieldname, text)
    if fast is not None:
        return set(fast)
    return set(reader.postings(fieldname, text).all_ids()) if (fieldname, text) in reader else set()


class TableColumns:
    """The answers from the facet tables: each a few C-level passes over arrays of ints."""

    def __init__(self, tables: facettable.Tables, reader) -> None:
        self.tables = tables
        self.reader = reader

    def names(self, field: str) -> list[str]:
        return facettable.known_names(self.tables, field)

    def days(self, docs: list[int]) -> list[int]:
        return facettable.days_of(self.tables, docs)

    def day_counts(self, docs: list[int]) -> Counter:
        return facettable.day_counts(self.tables, docs)

    def docs_of(self, field: str, name: str) -> set[int]:
        """The name's documents from the tables, less the deleted ones (which Whoosh's postings leave out)."""
        deleted = {offset: leaf for leaf, offset in self.reader.leaf_readers() if leaf.has_deletions()}
        found: set[int] = set()
        for offset, docs in facettable.docs_named(self.tables, field, name):
            leaf = deleted.get(offset)
            if leaf is not None:
                docs = [d for d in docs if not leaf.is_deleted(d)]
            found.update(map(offset.__add__, docs) if offset else docs)
        return found

    def docs_in_days(self, low: int, high: int) -> set[int]:
        return facettable.docs_in_day_range(self.tables, low, high)

    def keep_in_days(self, low: int, high: int, docs: list[int]) -> list[int]:
        return facettable.keep_in_day_range(self.tables, low, high, docs)

    def counts(self, fields: Sequence[str], docs: list[int], top: int | None = None) -> dict[str, dict[str, int]]:
        return facettable.count_values(self.tables, fields, docs, top)

    def indexed_days(self) -> Counter:
        """A segment without deletions in one C-level count of its day ids; others by their live articles."""
        counts: Counter = Counter()
        by_offset = dict(self.tables)
        for leaf, offset in self.reader.leaf_readers():
            table = by_offset.get(offset)
            if table is None:  # the stand-in reader of an empty index
                continue
            if leaf.has_deletions():
                numbers = range(offset, offset + leaf.doc_count_all())
                counts.update(self.days([d for d in numbers if not leaf.is_deleted(d - offset)]))
            else:
                dates = table["date"]
                for day_id, n in Counter(dates.ids).items():
                    counts[int(dates.names[day_id])] += n
        return counts


class WhooshColumns:
    """The answers from Whoosh alone: its lexicon, the date column and postings, and its grouping."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self._day_sets: dict[tuple[int, int], set[int]] = {}

    def names(self, field: str) -> list[str]:
        return [t.decode("utf-8") for t in self.searcher.lexicon(field)]

    def days(self, docs: list[int]) -> list[int]:
        column = self.reader.column_reader("date", translate=True)
        return [column[d] or 0 for d in docs]

    def day_counts(self, docs: list[int]) -> Counter:
        return Counter(self.days(docs))

    def docs_of(self, field: str, name: str) -> set[int]:
        return term_docs(self.reader, field, name)

    def docs_in_days(self, low: int, high: int) -> set[int]:
        """A flat union of the postings of each day in range: Whoosh's own numeric range walks nested
        union matchers a document at a time, over a second per query at 95,000 articles."""
        found = self._day_sets.get((low, high))
        if found is None:
            field = self.searcher.schema["date"]
            found = set()
            for term in field.sortable_terms(self.reader, "date"):
                if low <= field.from_bytes(term) <= high:
                    found.update(term_docs(self.reader, "date", term))
            self._day_sets[(low, high)] = found
        return found

    def keep_in_days(self, low: int, high: int, docs: list[int]) -> list[int]:
        return list(filter(self.docs_in_days(low, high).__contains__, docs))

    def counts(self, fields: Sequence[str], docs: list[int], top: int | None = None) -> dict[str, dict[str, int]]:
        """Whoosh's own grouping (every value: `top` is not used) of `docs` (its `Every()` under a filter of them)."""
        from whoosh import query, sorting

        if not docs:  # Whoosh takes an empty filter for no filter at all
            return {field: {} for field in fields}
        facets = sorting.Facets()
        for field in fields:
            facets.add_facet(field, sorting.FieldFacet(field, allow_overlap=field not in DENSE, maptype=sorting.Count))
        results = self.searcher.search(query.Every(), filter=set(docs), groupedby=facets, limit=1, scored=False)
        blank = (None, "", b"")
        return {field: {_text(k): n for k, n in results.groups(field).items()
                        if (k is not None if field in DENSE else k not in blank)}
                for field in fields}

    def indexed_days(self) -> Counter:
        return Counter(self.days(live_docs(self.reader)))


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
