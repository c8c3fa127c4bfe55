"""The Whoosh schema: the one place that says which fields exist and how they are analysed.

Bump SCHEMA_VERSION whenever a field changes; an index of another version is refused with a hint to
rebuild, because Whoosh would otherwise unpickle a schema that no longer matches the code.
"""

from __future__ import annotations

import datetime as dt

from whoosh import columns, fields
from whoosh.analysis import StemmingAnalyzer

# 2: no Whoosh spelling fields; 3: installed as newsgrep.* (the pickled EntityField path changed);
# 4: text folded (NFKC, case, accents) and stop words indexed (on main); 5: a source (outlet) field
SCHEMA_VERSION = 5
TEXT_FIELDS = ("title", "body")
ENTITY_FIELDS = ("people", "places", "orgs")
SOURCE_FIELD = "source"  # the outlet: one name per article at most, kept and counted like an entity field
UNDATED = "undated"


def _share_stemming_cache() -> None:
    """Give every English stemming filter one process-wide C cache (functools.lru_cache).

    Whoosh gives each StemFilter its own pure-Python cache, and every index opened (each search)
    unpickles new filters whose caches start empty: highlighting ten hits then stemmed every word of
    their bodies again, a fifth of a small search's time. The stems are the same, only remembered.
    whoosh is pinned to 2.7.4 in pyproject.toml; this replaces StemFilter.clear, which sets the cache.
    """
    from functools import lru_cache

    from whoosh.analysis.morph import StemFilter
    from whoosh.lang.porter import stem

    if getattr(StemFilter, "_shared_cache", None) is not None:
        return
    shared = lru_cache(maxsize=100_000)(stem)
    whooshs_clear = StemFilter.clear

    def clear(self) -> None:
        if self.stemfn is stem and not self.lang and self.cachesize:
            self._stem = shared
        else:
            whooshs_clear(self)

    StemFilter.clear = clear
    StemFilter._shared_cache = shared


_share_stemming_cache()


class EntityField(fields.KEYWORD):
    """A comma-separated name list that also keeps each document's names in a list column.

    Overlapping facets then read the names of the matched documents only; without the column Whoosh
    walks every posting of every name on each query (about a third of a second at 1,000 articles).
    The class is pickled into the index's schema by name: keep it here, under this name.
    """

    def __init__(self) -> None:
        super().__init__(stored=True, commas=True, scorable=False)
        self.column_type = columns.VarBytesListColumn()

    def to_column_value(self, value: str) -> list[bytes]:
        return [name.strip().encode("utf-8") for name in value.split(",") if name.strip()]

    def from_column_value(self, value: list[bytes]) -> list[str]:
        return [v.decode("utf-8") for v in value]


def build_schema() -> fields.Schema:
    """Title and body are stemmed for recall; the unstemmed words for "did you mean" are kept by
    index/vocabulary.py, not by Whoosh's `spelling=True`, which nearly doubled the build time.

    `date` is an int YYYYMMDD: day precision keeps range filters cheap and sorts chronologically.
    Entity fields are comma-separated keywords that keep their case, so facet keys are display names;
    the source is one such name (an EntityField too, so the facet tables and filters treat it alike).
    """
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        path=fields.ID(stored=True),
        hash=fields.STORED(),
        url=fields.STORED(),
        title=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True, field_boost=2.0),
        body=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        date=fields.NUMERIC(int, bits=32, stored=True, sortable=True),
        month=fields.ID(stored=False, sortable=True),
        people=EntityField(),
        places=EntityField(),
        orgs=EntityField(),
        source=EntityField(),
    )


def date_to_int(day: dt.date) -> int:
    """20220318 for 18 March 2022."""
    return day.year * 10000 + day.month * 100 + day.day


def int_to_date(value: int | None) -> dt.date | None:
    """The inverse of date_to_int; None stays None."""
    if not value:
        return None
    return dt.date(value // 10000, value // 100 % 100, value % 100)


def month_key(day: dt.date | None) -> str:
    """The facet key of the month histogram: "2022-03", or "undated"."""
    return f"{day.year:04d}-{day.month:02d}" if day else UNDATED


def join_names(names: list[str]) -> str:
    """Entity names as one KEYWORD value; commas inside a name would split it, so they become spaces."""
    return ",".join(" ".join(n.replace(",", " ").split()) for n in names)
