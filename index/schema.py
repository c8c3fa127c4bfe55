"""The Whoosh schema: the one place that says which fields exist and how they are analysed.

Bump SCHEMA_VERSION whenever a field changes; an index of another version is refused with a hint to
rebuild, because Whoosh would otherwise unpickle a schema that no longer matches the code.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache

from whoosh import columns, fields
from whoosh.analysis import STOP_WORDS as _WHOOSH_STOP_WORDS
from whoosh.analysis import Filter, RegexTokenizer, StemFilter

# 2: no Whoosh spelling fields; 3: installed as newsgrep.* (the pickled EntityField path changed);
# 4: text folded (NFKC, case, accents) and stop words indexed; 5: a source (outlet) field;
# 6: the publication moment (`published`), so that one day's articles sort by their time
SCHEMA_VERSION = 6
TEXT_FIELDS = ("title", "body")
# Whoosh's 34 English stop words: indexed (text_analyzer), but dropped from queries that have other
# words (search/query.py).
STOP_WORDS = frozenset(_WHOOSH_STOP_WORDS)
ENTITY_FIELDS = ("people", "places", "orgs")
SOURCE_FIELD = "source"  # the outlet: one name per article at most, kept and counted like an entity field
UNDATED = "undated"


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """A word as it is matched: NFKC-normalised, lower-case, without accents.

    NFKC makes fullwidth "ｏｉｌ" and the ligature in "ﬁnance" plain letters; dropping combining
    marks makes "dräger" and "drager", "São Paulo" and "Sao Paulo" the same word, as recoll and
    Elasticsearch's asciifolding do. The stored text keeps its accents for display and snippets.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    if text.isascii():
        return text
    stripped = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)  # recompose what has no accent to drop (Hangul)


class FoldFilter(Filter):
    """Whoosh's LowercaseFilter, plus fold() for words that are not plain ASCII.

    Pickled into the index's schema by name: keep it here, under this name.
    """

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            t.text = text.lower() if text.isascii() else fold(text)
            yield t


def text_analyzer():
    """Words of title and body: folded and stemmed, stop words kept.

    Whoosh's default drops 34 stop words, which made `US`, `IT`, `May` and "The Who" unsearchable:
    Elasticsearch and Lucene's standard analyzers index them, and BM25 gives so common a word almost
    no weight. Single letters and digits are kept too ("Plan B", "Formula 1").
    """
    return RegexTokenizer() | FoldFilter() | StemFilter(cachesize=50000)


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
    """Title and body are folded and stemmed for recall (text_analyzer); the unstemmed words for
    "did you mean" are kept by index/vocabulary.py, not by Whoosh's `spelling=True`, which nearly
    doubled the build time.

    `date` is an int YYYYMMDD: day precision keeps range filters cheap and sorts chronologically.
    `published` is the moment within it when the source gives the time of day (writer.published_key:
    seconds since 1800, 0 when unknown); only `--sort date` reads it, for the articles of one day.
    Entity fields are comma-separated keywords that keep their case, so facet keys are display names;
    the source is one such name (an EntityField too, so the facet tables and filters treat it alike).
    """
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        path=fields.ID(stored=True),
        hash=fields.STORED(),
        url=fields.STORED(),
        title=fields.TEXT(analyzer=text_analyzer(), stored=True, field_boost=2.0),
        body=fields.TEXT(analyzer=text_analyzer(), stored=True),
        date=fields.NUMERIC(int, bits=32, stored=True, sortable=True),
        published=fields.NUMERIC(int, bits=64, stored=True, sortable=True),
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


def split_names(value: str | None) -> list[str]:
    """The names of a stored entity field, as join_names wrote them."""
    return [n for n in (value or "").split(",") if n]


def join_names(names: list[str]) -> str:
    """Entity names as one KEYWORD value; commas inside a name would split it, so they become spaces."""
    return ",".join(" ".join(n.replace(",", " ").split()) for n in names)
