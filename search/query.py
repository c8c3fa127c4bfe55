"""Turning what a user typed into a Whoosh query, reading operators only where they cannot be prose.

Operators are: a `-` or `+` stuck to the front of a word, phrase or group after a space (or at the
start); upper-case AND, OR, NOT between words; "double quotes" (then `"..."~N` for slop); `word*` with
at least two letters before the star; `word~` and `word~2` (fuzzy); `word^2` (boost); `title:` and
`body:`; and parentheses that close. Everything else is words, analysed as the index analysed its text:
`Rad53-dependent` and `cease-fire` become the phrases "rad53 depend" and "ceas fire" (they match the
hyphenated word and the two words side by side), a spaced ` - ` is punctuation, `Ca2+` is the word
ca2, and `(the ?slip? effect)` is three words in a group. Whoosh's own parser read all of these as
operators (a hyphen as NOT, `?` as a wildcard) or refused them; a pasted sentence is never refused here.

The query scores every word (BM25F over title and body, OR-ed: more matched words rank higher). Which
articles count as matches (the total, the facets, the page) is a separate rule, `Parsed.need`: see
words_needed(). Filters never pass through here: under OR they would become optional clauses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query

from newsgrep.index.chars import controls
from newsgrep.index.config import (
    MAX_BOOSTED_WORDS,
    MAX_EXPANDED_TERMS,
    MAX_EXPANDING_WORDS,
    MAX_NEAR_PAIRS,
    MAX_NESTING,
)
from newsgrep.index.schema import ENTITY_FIELDS, STOP_WORDS, TEXT_FIELDS

MAX_QUERY_CHARS = 1000
MIN_WILDCARD_PREFIX = 2
MAX_FUZZY_EDITS = 2
MAX_BOOST = 100.0
ALL_WORDS_UP_TO = 3  # queries of up to this many words match articles with all of them
MOST_WORDS_SHARE = 0.25  # longer ones: this share of their words, rounded down, and at least two

MATCH_MODES = ("auto", "all", "any")
# Words that frame a question or a sentence and say nothing of its subject. The index keeps them (a
# short query such as "The Who" or "What If" may want them); a long query (a question or a pasted
# sentence) drops them: news text rarely uses them, so BM25 gave them a high weight and ranked first
# the articles that happened to quote a question.
QUESTION_WORDS = frozenset(
    "what which who whom whose how why where whether does do did done has had was were been being "
    "there their they should would could must shall might".split())


_OPTION = re.compile("\x00([a-z_]+)\x00")


def option(field: str) -> str:
    """How a QueryError's message names a SearchRequest field: as the field (`since`) when the
    error is printed as it is, and as the front end's own name for it (`--since`) when the front end
    renders it with its names (QueryError.render)."""
    return f"\x00{field}\x00"


class QueryError(ValueError):
    """A request we refuse, with a one-line reason for the user. Fields of the request are named
    with option(), so the library speaks of fields and the command line of its flags."""

    def render(self, names: dict[str, str]) -> str:
        """The message with each field named as `names` says (unlisted fields by their own name)."""
        return _OPTION.sub(lambda m: names.get(m[1], m[1]), str(self.args[0]) if self.args else "")

    def __str__(self) -> str:
        return self.render({})


_CONTROL = controls()
_PREFIX = re.compile(rf"([^\W_]{{{MIN_WILDCARD_PREFIX},}})\*")  # pric*
_SHORT_WILDCARD = re.compile(r"[^\W_]?[*?]+[^\W_]?|[*?]+\w*")  # a*, *x, ?b: too broad, and refused alone
_FUZZY = re.compile(r"([^\W\d_]{2,}[^\W_]*)~([0-9]?)")  # peace~, peace~2
_BOOST = re.compile(r"(.+?)\^([0-9]{1,3}(?:\.[0-9]+)?)")  # oil^3
_SLOP = re.compile(r"~([0-9]{1,2})")  # after a closing quote
_FIELD = re.compile(r"([a-z_]+):")
_OPERATORS = {"AND", "OR", "NOT"}


@dataclass
class Parsed:
    """What a query asks for.

    `query` ranks (and, with --any, matches): words OR-ed, phrases, exclusions and explicit operators.
    `groups` are its top-level words and phrases (a word is one group over title and body); an article
    matches when it holds at least `need` of them (and `query` matches it). `near` are the pairs of
    neighbouring words of a plain-word query (see near_pairs()): they change scores, never matches.
    """

    query: query.Query
    groups: list[query.Query] = field(default_factory=list)
    need: int = 0
    near: list[tuple[str, str, int]] = field(default_factory=list)


def words_needed(count: int, match: str = "auto") -> int:
    """How many of a query's `count` words an article must hold to count as a match.

    --all: every word; --any: one. Otherwise a short query (up to ALL_WORDS_UP_TO words) needs all of
    them: "oil prices" means articles about oil prices (notmuch, recoll and web search engines do the
    same), not the 2,130 Reuters articles naming either. A long query is a question or a pasted
    sentence: the articles about it use some of its words and their own for the rest, so it needs a
    quarter of them, rounded down, and at least two (Elasticsearch's minimum_should_match "3<25%",
    with a floor). Stricter shares cost ranking: on Cranfield's questions nDCG@10 was 0.3800 with
    every word optional, 0.3786 with this rule, 0.356 with a third and 0.27 with three quarters,
    because a relevant abstract often shares only two or three words with its question.
    """
    if match == "any" or count <= 1:
        return min(count, 1)
    if match == "all" or count <= ALL_WORDS_UP_TO:
        return count
    return max(2, int(count * MOST_WORDS_SHARE))


# ---------------------------------------------------------------- reading the text into tokens

@dataclass
class _Token:
    kind: str  # word | phrase | ( | ) | op | mod
    text: str
    field: str | None = None
    slop: int = 1


def _pairs(text: str, opening: str, closing: str, skip: set[int]) -> tuple[set[int], int]:
    """Positions of the brackets that pair up (outside `skip`), and the deepest nesting among them."""
    stack: list[int] = []
    paired: set[int] = set()
    for i, c in enumerate(text):
        if i in skip:
            continue
        if c == opening:
            stack.append(i)
        elif c == closing and stack:
            paired.update((stack.pop(), i))
    depth = deepest = 0
    for i in sorted(paired):
        depth += 1 if text[i] == opening else -1
        deepest = max(deepest, depth)
    return paired, deepest


def _quotes(text: str) -> set[int]:
    """Positions inside pairs of double quotes (the quotes included); an odd last quote is text."""
    marks = [i for i, c in enumerate(text) if c == '"']
    inside: set[int] = set()
    for start, end in zip(marks[::2], marks[1::2], strict=False):
        inside.update(range(start, end + 1))
    return inside


def _tokens(text: str) -> list[_Token]:
    """The text as words, phrases, paired parentheses and operators (see the module docstring)."""
    quoted = _quotes(text)
    parens, depth = _pairs(text, "(", ")", quoted)
    if depth > MAX_NESTING:
        raise QueryError(f"too many nested parentheses ({depth}; at most {MAX_NESTING}): remove some")
    out: list[_Token] = []
    i, n = 0, len(text)
    boundary = True  # at the start, after a space or an opening parenthesis
    pending_field: str | None = None
    while i < n:
        c = text[i]
        if c.isspace():
            i, boundary, pending_field = i + 1, True, None
            continue
        if i in parens:
            out.append(_Token(c, c, pending_field if c == "(" else None))
            i, boundary, pending_field = i + 1, c == "(", None
            continue
        if i in quoted:
            end = text.index('"', i + 1)
            token = _Token("phrase", text[i + 1:end], pending_field)
            slop = _SLOP.match(text, end + 1)
            i = end + 1
            if slop:
                token.slop, i = max(1, int(slop[1])), slop.end()
            out.append(token)
            boundary, pending_field = False, None
            continue
        if boundary and c in "+-" and i + 1 < n and (text[i + 1].isalpha() or i + 1 in quoted or i + 1 in parens):
            out.append(_Token("mod", c))
            i += 1
            boundary = False
            continue
        j = i
        while j < n and not text[j].isspace() and j not in parens and j not in quoted:
            j += 1
        word = text[i:j]
        i, boundary = j, False
        found = _FIELD.match(word)
        if found and found.end() == len(word) and j not in parens and j not in quoted:
            found = None  # "Note: ..." in a sentence
        if found and found[1] in TEXT_FIELDS:
            pending_field, word = found[1], word[found.end():]
            if not word:
                continue
        elif found:
            _refuse_field(found[1])
        if word in _OPERATORS and pending_field is None:
            out.append(_Token("op", word))
        else:
            out.append(_Token("word", word, pending_field))
        pending_field = None
    return out


def _refuse_field(name: str) -> None:
    """`hash:x`, `people:x`: names of fields that are not searched as text, with what to use instead."""
    if name in ("hash", "url", "id", "path", "date", "month") or name in ENTITY_FIELDS:
        raise QueryError(f"{name}: is not a field you can search; use title: or body:, or the "
                         "--person, --place, --org, --since and --until options")


# ---------------------------------------------------------------- tokens into a Whoosh query

class _Reader:
    """Recursive descent over the tokens: implicit groups < OR < AND < NOT, -, + < words and ( ).

    The depth of the recursion is bounded by MAX_NESTING (checked on the text).
    """

    def __init__(self, tokens: list[_Token], schema, match: str) -> None:
        self.tokens, self.pos, self.schema, self.match = tokens, 0, schema, match
        self.short_wildcards: list[str] = []
        self.boosted = self.expanding = 0
        self.compounds: set[int] = set()  # ids of the phrases made of one unquoted word (cease-fire)
        words = [t.text for t in tokens if t.kind == "word"]
        # Stop words are indexed ("US", "IT", "The Who" are found), but among other words a bare one
        # adds nothing to the ranking and a walk over nearly every article: it is left out, unless
        # written in capitals (an acronym); inside quotes it stays part of the phrase.
        self.stops = STOP_WORDS if any(w.lower() not in STOP_WORDS for w in words) else frozenset()
        self.dropped = QUESTION_WORDS if len(words) > ALL_WORDS_UP_TO else frozenset()

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def sequence(self, field: str | None, top: bool) -> tuple[query.Query | None, list[query.Query]]:
        """Clauses side by side, up to a closing parenthesis: the query and the positive clauses an
        article must hold (see Parsed).

        A word that the analyser splits (cease-fire, Rad53-dependent, 10:30) is held as the phrase
        the index made of it, which also matches the words written apart ("cease fire"); at the top
        level it ranks by its words, so an article using one of them ranks among the partial matches
        of a long query instead of not at all (Cranfield nDCG@10 0.375 -> 0.380, where 67 of 225
        queries have such words)."""
        optional: list[query.Query] = []
        required: list[query.Query] = []
        excluded: list[query.Query] = []
        while (token := self.peek()) is not None and token.kind != ")":
            if token.kind == "op" and token.text != "NOT":
                self.pos += 1  # AND/OR with nothing before them: the stop words "and", "or"
                continue
            mod = ""
            if token.kind == "mod":
                mod, self.pos = token.text, self.pos + 1
            elif token.kind == "op":  # NOT at the head of a clause excludes it, as "-" does
                self.pos += 1
                if self.peek() is None or self.peek().kind in (")", "op"):
                    continue
                mod = "-"
            clause = self.either(field)
            if clause is None:
                continue
            {"": optional, "+": required, "-": excluded}[mod].append(clause)
        held = required + optional
        if top:
            optional = [_split(c) if id(c) in self.compounds else c for c in optional]
            if self.dropped:  # a long query: a part of a hyphenated word counts, as in its ranking
                held = required + optional
        positive = required + optional
        if not top and self.match == "all" and positive:
            core: query.Query | None = query.And(positive)
        elif required and optional:
            core = query.AndMaybe(_one(required, query.And), _one(optional, query.Or))
        elif positive:
            core = _one(required, query.And) if required else _one(optional, query.Or)
        else:
            core = None
        if excluded:
            dropped = _one(excluded, query.Or)
            core = query.Not(dropped) if core is None else query.AndNot(core, dropped)
        return core, held

    def either(self, field: str | None) -> query.Query | None:
        parts = [self.both(field)]
        while self._operator("OR"):
            parts.append(self.both(field))
        parts = [p for p in parts if p is not None]
        return _one(parts, query.Or) if parts else None

    def both(self, field: str | None) -> query.Query | None:
        parts = [self.unary(field)]
        while self._operator("AND"):
            parts.append(self.unary(field))
        parts = [p for p in parts if p is not None]
        return _one(parts, query.And) if parts else None

    def _operator(self, name: str) -> bool:
        """Consume an infix operator when an operand follows it; else it stays a word."""
        token, after = self.peek(), self.tokens[self.pos + 1] if self.pos + 1 < len(self.tokens) else None
        if token is None or token.kind != "op" or token.text != name:
            return False
        if after is None or after.kind == ")" or (after.kind == "op" and after.text != "NOT"):
            return False
        self.pos += 1
        return True

    def unary(self, field: str | None) -> query.Query | None:
        token = self.peek()
        if token is None or token.kind == ")":
            return None
        self.pos += 1
        if token.kind == "op" and token.text == "NOT":
            inner = self.unary(field)
            return query.Not(inner) if inner is not None else None
        if token.kind == "mod":
            inner = self.unary(field)
            return query.Not(inner) if token.text == "-" and inner is not None else inner
        if token.kind == "(":
            inner, _ = self.sequence(token.field or field, top=False)
            if self.peek() is not None and self.peek().kind == ")":
                self.pos += 1
            return inner
        if token.kind == "phrase":
            return self.words(token.text, token.field or field, token.slop)
        if token.kind == "op":
            return None
        return self.word(token.text, token.field or field)

    def word(self, text: str, field: str | None) -> query.Query | None:
        """One word as typed: a prefix, a fuzzy or boosted word, or its analysed terms."""
        fields = (field,) if field else TEXT_FIELDS
        boost = _BOOST.fullmatch(text)
        if boost and not _BOOST.fullmatch(boost[1]):
            self.boosted += 1
            if self.boosted > MAX_BOOSTED_WORDS:
                raise QueryError(f"more than {MAX_BOOSTED_WORDS} boosted words (word^N) in one query: use fewer")
            inner = self.word(boost[1], field)
            if inner is not None:
                inner.boost = min(float(boost[2]), MAX_BOOST)
            return inner
        prefix, fuzzy = _PREFIX.fullmatch(text), _FUZZY.fullmatch(text)
        if prefix or fuzzy:
            self.expanding += 1
            if self.expanding > MAX_EXPANDING_WORDS:
                raise QueryError(f"more than {MAX_EXPANDING_WORDS} words with * or ~ in one query: use fewer")
        if prefix:
            stem = self._stem(prefix[1])
            start = stem if stem and prefix[1].lower().startswith(stem) else prefix[1].lower()
            return _one([query.Prefix(f, start) for f in fields], query.Or)
        if fuzzy:
            stem = self._stem(fuzzy[1]) or fuzzy[1].lower()
            edits = min(int(fuzzy[2] or 1), MAX_FUZZY_EDITS)
            return _one([query.FuzzyTerm(f, stem, maxdist=edits, prefixlength=1) for f in fields], query.Or)
        if _SHORT_WILDCARD.fullmatch(text):
            self.short_wildcards.append(text)
            return None  # a*, ?b: too broad to expand, and the letter alone is not what was meant
        if text.lower() in self.dropped or text.lower() in self.stops and not (text.isupper() and len(text) > 1):
            return None
        found = self.words(text, field, 1)
        if found is not None and any(isinstance(q, query.Phrase) for q in found.subqueries):
            self.compounds.add(id(found))
        return found

    def _stem(self, word: str) -> str:
        terms = list(self.schema[TEXT_FIELDS[1]].process_text(word, mode="query"))
        return terms[0] if len(terms) == 1 else ""

    def words(self, text: str, field: str | None, slop: int) -> query.Query | None:
        """Analysed text in each field: a term, or a phrase when it is several terms; None for none."""
        per_field: list[query.Query] = []
        for fieldname in (field,) if field else TEXT_FIELDS:
            terms = list(self.schema[fieldname].process_text(text, mode="query"))
            if len(terms) == 1:
                per_field.append(query.Term(fieldname, terms[0]))
            elif terms:
                per_field.append(query.Phrase(fieldname, terms, slop=slop))
        return query.Or(per_field) if per_field else None


def _split(phrases: query.Or) -> query.Query:
    """The words of a word's phrases, each a term of its own (for ranking)."""
    terms: list[query.Query] = []
    for q in phrases.subqueries:
        words = q.words if isinstance(q, query.Phrase) else [q.text]
        terms += [query.Term(q.fieldname, w) for w in words]
    return query.Or(terms)


def _one(parts: list[query.Query], kind) -> query.Query:
    return parts[0] if len(parts) == 1 else kind(parts)


def _clean(text: str) -> str:
    """NFKC (fullwidth letters, ligatures) and control characters as spaces, trimmed."""
    return _CONTROL.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def parse(text: str, schema, match: str = "auto") -> Parsed:
    """Parse user words; an empty or all-star query matches every article (filters still apply)."""
    text = _clean(text)
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters; the limit is {MAX_QUERY_CHARS})")
    if not text or text.strip("* ") == "":
        return Parsed(query.Every())
    reader = _Reader(_tokens(text), schema, match)
    q, positive = reader.sequence(None, top=True)
    while reader.peek() is not None:  # a stray ")" is not paired, so this only guards the loop
        reader.pos += 1
    if q is None:
        if reader.short_wildcards:
            raise QueryError(f"wildcard {reader.short_wildcards[0]!r} needs at least {MIN_WILDCARD_PREFIX} "
                             "letters before *")
        raise QueryError(f"query {text!r} has no words to search for")
    q = q.normalize()
    if q is query.NullQuery:
        raise QueryError(f"query {text!r} has no words to search for")
    groups = _distinct(positive)
    # Whether a query is a few keywords or a sentence goes by the words as typed ("material properties
    # of photoelastic materials" is a phrase of four words, though three distinct ones).
    need = min(words_needed(len(positive), match), len(groups))
    if need <= 1 and not reader.compounds:
        groups = []  # the query's own matches are the articles holding one of the words
    return Parsed(q, groups, need, near_pairs(text, q, schema))


def near_pairs(text: str, q: query.Query, schema) -> list[tuple[str, str, int]]:
    """(word, next word, how many places after it) for each two neighbouring words of a query made
    of plain words only, as the body field indexes them, with the distance they were typed at.

    News queries are mostly names and set expressions ("interest rates", "Bank of England", "peace
    talks"): an article that has the words as typed, side by side, is likelier about them than one
    that has them paragraphs apart. The distance counts the words the query drops ("of" in "Bank of
    England" is 2 places), since the index keeps every word. Operators, phrases and fuzzy words say
    what the user wants already: none then. At most MAX_NEAR_PAIRS pairs, the first ones.
    """
    clauses = plain_clauses(q)
    if not clauses or any(len(words) != 1 for _, words in clauses):
        return []
    wanted = {words[0] for fieldname, words in clauses if fieldname == "body"}
    if len(wanted) < 2 or "body" not in schema:
        return []
    tokens = [(t.text, t.pos) for t in schema["body"].analyzer(text, positions=True, mode="query")
              if t.text in wanted]
    pairs = dict.fromkeys((a, b, pos_b - pos_a) for (a, pos_a), (b, pos_b) in zip(tokens, tokens[1:], strict=False)
                          if a != b and pos_b > pos_a)
    return list(pairs)[:MAX_NEAR_PAIRS]


def _distinct(groups: list[query.Query]) -> list[query.Query]:
    """Each positive clause once ("oil oil" is one word to hold), normalised."""
    out: list[query.Query] = []
    for g in groups:
        g = g.normalize()
        if g is not query.NullQuery and g not in out:
            out.append(g)
    return out


def check_cost(reader, q: query.Query) -> None:
    """Refuse a query whose prefixes and fuzzy words stand for more than MAX_EXPANDED_TERMS words in
    all: each is a clause of its own for every article, and 45 fuzzy two-letter words ran past 30 s.
    Counting stops at the bound, so the check itself stays cheap."""
    budget = MAX_EXPANDED_TERMS
    for leaf in q.leaves():
        if not isinstance(leaf, query.MultiTerm):
            continue
        for _ in leaf.expanded_terms(reader):  # the index words it expands to
            budget -= 1
            if budget < 0:
                shown = f"{leaf.text}*" if isinstance(leaf, query.Prefix) else f"{leaf.text}~"
                raise QueryError(f"the prefixes and fuzzy words of this query stand for more than "
                                 f"{MAX_EXPANDED_TERMS} words (at {shown!r}): use longer words before * or ~, "
                                 "or fewer of them")


def parse_query(text: str, schema) -> query.Query:
    """The ranking query of `text` (see parse()); it matches an article holding any of the words."""
    return parse(text, schema).query


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
