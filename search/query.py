"""Turning what a user typed into a Whoosh query: OR grouping, phrases, -exclude, AND/OR/NOT, * and ~.

Plain words are OR-ed (more matched words rank higher); the default AND grouping finds nothing for
natural questions. Filters never pass through here: under OR they would become optional clauses.
"""

from __future__ import annotations

import re

from whoosh import qparser, query

from index.schema import TEXT_FIELDS

MAX_QUERY_CHARS = 1000
MIN_WILDCARD_PREFIX = 2


class QueryError(ValueError):
    """A query we refuse, with a one-line reason for the user."""


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPELLING_PREFIX = "spell_"  # Whoosh's name for the unstemmed word list of a TEXT field with spelling=True


class StemmedFuzzyTerm(query.FuzzyTerm):
    """A fuzzy term that finds words in a stemmed field.

    Whoosh expands a fuzzy term through the field's spelling words, which are unstemmed ("peace"), then
    looks those words up in the stemmed postings ("peac"): `peace~` found nothing. Each near word is
    stemmed here before the lookup, and only words the field holds are kept.
    """

    def _btexts(self, ixreader):
        field = ixreader.schema[self.fieldname]
        seen: set[bytes] = set()
        near = ixreader.terms_within(self.fieldname, self.text, self.maxdist, prefix=self.prefixlength)
        for word in [self.text, *near]:
            for token in field.process_text(word, mode="query"):
                btext = field.to_bytes(token)
                if btext not in seen and (self.fieldname, btext) in ixreader:
                    seen.add(btext)
                    yield btext


def make_parser(schema) -> qparser.MultifieldParser:
    """The one query parser: title and body, OR grouping, +/- and fuzzy terms."""
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, group=qparser.OrGroup)
    parser.add_plugin(qparser.PlusMinusPlugin())
    parser.add_plugin(qparser.FuzzyTermPlugin())
    return parser


def _check_expansions(q: query.Query) -> None:
    """Bound the cost of wildcards: a pattern must start with a few literal characters.

    Also refuse Whoosh's internal spelling fields (`spell_title:`, `spell_body:`): the parser accepts any
    schema field as a prefix, but those hold only word lists for "did you mean", so a search on them
    returned the same article several times and a total that did not match the hits.
    """
    for leaf in q.leaves():
        field = leaf.field()
        if isinstance(field, str) and field.startswith(_SPELLING_PREFIX):
            raise QueryError(f"{field}: is not a field you can search (use title: or body:)")
        if isinstance(leaf, (query.Wildcard, query.Prefix)):
            text = leaf.text if isinstance(leaf.text, str) else str(leaf.text)
            literal = re.match(r"[^*?]*", text)[0]
            if len(literal) < MIN_WILDCARD_PREFIX:
                raise QueryError(f"wildcard {text!r} needs at least {MIN_WILDCARD_PREFIX} letters before * or ?")

def _bounded_fuzzy(q: query.Query) -> query.Query:
    """Fuzzy terms at most 2 edits away, sharing the first letter, expanded through stemming."""
    if isinstance(q, query.FuzzyTerm):
        return StemmedFuzzyTerm(q.fieldname, q.text, boost=q.boost, maxdist=min(q.maxdist, 2),
                                prefixlength=max(q.prefixlength, 1), constantscore=q.constantscore)
    return q


def parse_query(text: str, schema) -> query.Query:
    """Parse user words; an empty or all-star query matches every article (filters still apply)."""
    text = _CONTROL.sub(" ", text).strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters; the limit is {MAX_QUERY_CHARS})")
    if not text or text.strip("* ") == "":
        return query.Every()
    try:
        q = make_parser(schema).parse(text)
    except Exception as exc:  # noqa: BLE001 - the parser has no error type of its own
        raise QueryError(f"cannot parse query {text!r}: {exc}") from None
    if q is query.NullQuery:
        raise QueryError(f"query {text!r} has no words to search for")
    _check_expansions(q)
    return q.accept(_bounded_fuzzy)


def spelling_query(text: str) -> query.Query:
    """The words parsed against the body alone, for "did you mean".

    Corrected against title and body at once, a word takes whichever field's nearest word comes last,
    and titles are too short a vocabulary ("tolks" became "hook"); bodies hold the title words too.
    The words stay unstemmed and are corrected against `spell_body`, the unstemmed words Whoosh keeps
    for a stemmed field with spelling=True: corrected from the stem "peec", "peece" became "meet".
    """
    from whoosh import analysis, fields

    plain = fields.Schema(body=fields.TEXT(analyzer=analysis.StandardAnalyzer(stoplist=None)))
    parser = qparser.QueryParser("body", plain, group=qparser.OrGroup)
    return parser.parse(_CONTROL.sub(" ", text)[:MAX_QUERY_CHARS])
