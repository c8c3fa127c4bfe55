"""Turning what a user typed into a Whoosh query: OR grouping, phrases, -exclude, AND/OR/NOT, * and ~.

Plain words are OR-ed (more matched words rank higher); the default AND grouping finds nothing for
natural questions. Filters never pass through here: under OR they would become optional clauses.
"""

from __future__ import annotations

import re

from whoosh import query

from newsgrep.index.schema import STOP_WORDS, TEXT_FIELDS

MAX_QUERY_CHARS = 1000
MIN_WILDCARD_PREFIX = 2


class QueryError(ValueError):
    """A query we refuse, with a one-line reason for the user."""


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def make_parser(schema):
    """The one query parser: title and body, OR grouping, +/- and fuzzy terms.

    An explicit OR makes a group of its own type: Whoosh merges an OR into a neighbouring group of
    the same type, and so read "(peace NOT truss) OR kyiv" as "peace NOT truss OR kyiv", where the
    NOT then applied to Kyiv as well.
    """
    from whoosh import qparser
    from whoosh.qparser import syntax

    class ExplicitOrGroup(syntax.OrGroup):
        pass

    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, group=qparser.OrGroup)
    operators = qparser.OperatorsPlugin()
    for tagger, _ in operators.ops:
        if tagger.memo == "or":
            tagger.grouptype = ExplicitOrGroup
    parser.replace_plugin(operators)
    parser.add_plugin(qparser.PlusMinusPlugin())
    parser.add_plugin(qparser.FuzzyTermPlugin())
    return parser


def _check_expansions(q: query.Query) -> None:
    """Bound the cost of wildcards: a pattern must start with a few literal characters."""
    for leaf in q.leaves():
        if isinstance(leaf, (query.Wildcard, query.Prefix)):
            text = leaf.text if isinstance(leaf.text, str) else str(leaf.text)
            literal = re.match(r"[^*?]*", text)[0]
            if len(literal) < MIN_WILDCARD_PREFIX:
                raise QueryError(f"wildcard {text!r} needs at least {MIN_WILDCARD_PREFIX} letters before * or ?")


def _bounded_fuzzy(q: query.Query) -> query.Query:
    """Fuzzy terms at most 2 edits away and sharing the first letter: a bounded number of expansions.

    They expand over the field's own (stemmed) words: with Whoosh's `spelling=True` they expanded over
    unstemmed spelling words that the stemmed postings do not hold, and `peace~` found nothing.
    """
    if isinstance(q, query.FuzzyTerm):
        return query.FuzzyTerm(q.fieldname, q.text, boost=q.boost, maxdist=min(q.maxdist, 2),
                               prefixlength=max(q.prefixlength, 1), constantscore=q.constantscore)
    return q


def _not_excludes(q: query.Query) -> query.Query:
    """`putin NOT truss` excludes Truss, as in Lucene and Elasticsearch.

    Under OR grouping Whoosh reads it as "putin, or anything without truss", which matches nearly
    every article. Negated clauses of an OR group become an exclusion from its other clauses; a
    query that is only `NOT x` still means everything but x.
    """
    if not isinstance(q, query.Or):
        return q
    nots = [c for c in q.subqueries if isinstance(c, query.Not)]
    others = [c for c in q.subqueries if not isinstance(c, query.Not)]
    if not nots or not others:
        return q
    kept = others[0] if len(others) == 1 else query.Or(others, boost=q.boost)
    dropped = nots[0].query if len(nots) == 1 else query.Or([n.query for n in nots])
    return query.AndNot(kept, dropped)


_WORDS = re.compile(r"[^\W_]+(?:\s+[^\W_]+)*")  # letters and digits between spaces, nothing else
_OPERATOR_WORDS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_FIELD_PREFIX = re.compile(r"(\w+):")


def _plain_words(text: str, schema) -> query.Query | None:
    """The query make_parser() gives for words alone, built without it; None for anything else.

    Most searches are a few words. Whoosh's parser compiles a dozen regular expressions and its
    plugins each time it is made, and importing it costs as much again: a fifth of a one-shot search
    that has nothing to parse. Each word becomes what the parser makes of it, an OR over the text
    fields of the word's analysed term (none for a stop word), and the whole an OR of the words.
    tests/test_search_units.py checks this against the parser, word lists and generated text.
    """
    if not _WORDS.fullmatch(text) or _OPERATOR_WORDS.intersection(text.split()):
        return None
    words = []
    for word in text.split():
        per_field = []
        for fieldname in TEXT_FIELDS:
            terms = list(schema[fieldname].process_text(word, mode="query"))
            if len(terms) > 1:
                return None  # the parser would make a phrase or an AND of them
            per_field += [query.Term(fieldname, t) for t in terms]
        words.append(query.Or(per_field))
    q = query.Or(words).normalize()
    if q is query.NullQuery:
        raise QueryError(f"query {text!r} has no words to search for")
    return q


_COMPOUND = re.compile(r"(?<![\w.])\w[\w.]*(?:-\w[\w.]*)+")  # cease-fire, Covid-19, U.S.-Japan, 2022-03-18
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_LEADING_HYPHEN = re.compile(r"(?:^|(?<=[\s(]))-(?=[\w\"(])")


def _rewrite_hyphens(text: str) -> str:
    """Hyphens as a news search means them, before Whoosh's parser reads the text.

    Inside a word a hyphen joins: "cease-fire" becomes the phrase "cease fire", as it is indexed
    (Whoosh's parser read it as "cease, but not fire"), and inside quotes it becomes a space. Before a
    word, phrase or group it excludes: it is written as NOT, which also works inside parentheses,
    where Whoosh's own minus fails.
    """
    if "-" not in text:
        return text
    parts = text.split('"')
    for i, part in enumerate(parts):
        if i % 2:
            parts[i] = _INNER_HYPHEN.sub(" ", part)
        else:
            part = _COMPOUND.sub(lambda m: '"' + m[0].replace("-", " ") + '"', part)
            parts[i] = _LEADING_HYPHEN.sub("NOT ", part)
    return '"'.join(parts)


_BARE_WORD = re.compile(r"(?<![\S])[A-Za-z]+(?![\S])")


def _drop_stop_words(text: str) -> str:
    """The query without its bare stop words ("the", "of", "is"), when it has other words.

    Stop words are indexed (index/schema.py text_analyzer), so that `US`, `IT` and "The Who" can be
    found. A stop word among other words adds nothing to the ranking but a walk over nearly every
    article (three to six times the time of "oil prices" on Reuters). It stays inside quotes, where
    it is part of a phrase, when written in capitals (`US`, `IT`: an acronym), when the query has
    nothing else, and in queries with AND, OR or NOT, which are read as typed.
    """
    parts = text.split('"')
    if len(parts) % 2 == 0 or _OPERATOR_WORDS.intersection(text.split()):
        return text  # an unbalanced quote or AND/OR/NOT: the query is read as typed

    def drop(match: re.Match) -> str:
        word = match[0]
        return "" if word.lower() in STOP_WORDS and not word.isupper() else word

    for i in range(0, len(parts), 2):
        parts[i] = _BARE_WORD.sub(drop, parts[i])
    kept = '"'.join(parts)
    return " ".join(kept.split()) if _has_words(kept) else text


def _has_words(text: str) -> bool:
    return any(w not in _OPERATOR_WORDS for w in re.findall(r"[^\W_]+", text))


def parse_query(text: str, schema) -> query.Query:
    """Parse user words; an empty or all-star query matches every article (filters still apply)."""
    text = _CONTROL.sub(" ", text).strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters; the limit is {MAX_QUERY_CHARS})")
    if not text or text.strip("* ") == "":
        return query.Every()
    text = _drop_stop_words(text)
    q = _plain_words(text, schema)
    if q is not None:
        return q
    for name in _FIELD_PREFIX.findall(text):
        if name in schema and schema[name].format is None:  # stored only (hash, url): nothing to match
            raise QueryError(f"{name}: is not a field you can search; use title: or body:, or the "
                             "--person, --place, --org, --since and --until options")
    try:
        q = make_parser(schema).parse(_rewrite_hyphens(text), normalize=False)
    except Exception as exc:  # noqa: BLE001 - the parser has no error type of its own
        raise QueryError(f"cannot parse query {text!r}: {exc}") from None
    # Each group's NOT applies within that group, so groups are rewritten before normalize()
    # flattens nested ORs into one: "(peace NOT truss) OR kyiv" keeps Kyiv articles naming Truss.
    q = q.accept(_bounded_fuzzy).accept(_not_excludes).normalize()
    if q is query.NullQuery:
        raise QueryError(f"query {text!r} has no words to search for")
    _check_expansions(q)
    return q


Clause = tuple[str, tuple[str, ...]]  # (field, words): one word for a term, several for a phrase


def plain_clauses(q: query.Query) -> list[Clause] | None:
    """The clauses of a query made only of terms and exact phrases under plain ORs, left to right;
    None for anything else (AND, NOT, wildcards, fuzzy terms, boosts, phrases with slop)."""
    if type(q) is query.Term:
        return [(q.fieldname, (q.text,))] if q.boost == 1.0 else None
    if type(q) is query.Phrase:
        return [(q.fieldname, tuple(q.words))] if q.boost == 1.0 and q.slop == 1 and q.words else None
    if type(q) is query.Or and q.boost == 1.0 and not q.minmatch and not q.scale:
        out: list[Clause] = []
        for sub in q.subqueries:
            clauses = plain_clauses(sub)
            if clauses is None:
                return None
            out.extend(clauses)
        return out
    return None


def spelling_query(text: str) -> query.Query:
    """The words as one unstemmed field, for "did you mean" (search/suggest.py).

    The words stay unstemmed and are corrected against the unstemmed word list of the index
    (index/vocabulary.py): corrected from the stem "peec", "peece" became "meet". One field, because
    correcting title and body separately let a word take whichever field's nearest word came last.
    """
    from whoosh import analysis, fields, qparser

    plain = fields.Schema(body=fields.TEXT(analyzer=analysis.StandardAnalyzer(stoplist=None)))
    parser = qparser.QueryParser("body", plain, group=qparser.OrGroup)
    return parser.parse(_CONTROL.sub(" ", text)[:MAX_QUERY_CHARS])
