"""Highlighted snippets: the best fragments of the body, or its lead when the match was elsewhere.

The fragments are Whoosh's (ContextFragmenter of 200 characters with 40 of context, the two best by
EarlierFirstScorer, in text order, MarkFormatter), made by QuickHighlighter: it gives what Whoosh's
highlighter gives (tests/test_snippets.py runs both over the seeds, Reuters articles and generated
texts) for less than a quarter of its CPU time in a search (70 against 305 us a hit at 5x Reuters).
"""

from __future__ import annotations

import re
import weakref
from functools import lru_cache
from heapq import nlargest
from operator import itemgetter

from whoosh import highlight
from whoosh.analysis import CompositeAnalyzer, RegexTokenizer, StemFilter
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem

from newsgrep.index import whoosh_ext
from newsgrep.index.schema import FoldFilter, fold

START, END = "\x02", "\x03"  # markers around matched words; the reader strips them from articles
LEAD_CHARS = 200
SURROUND = 40  # characters of context Whoosh's fragmenter adds around matched words

# The index's tokenizer pattern (Whoosh's default, index/schema.py text_analyzer), and the same with
# its group non-capturing: a word is a run of word characters with single dots inside ("U.S", "3.5").
_WORD_PATTERN = r"\w+(\.?\w+)*"
_WORD = re.compile(r"\w+(?:\.?\w+)*")
# Where the tokenizer starts a word: a word character after neither a word character nor a dot
# after one (the look-behinds see the text before the search's start).
_WORD_START = re.compile(r"\w(?<!\w\w)(?<!\w\.\w)")
_span = re.Match.span


class MarkFormatter(highlight.Formatter):
    """Wrap matched words in private markers so each front end renders them its own way."""

    between = " … "

    def format_token(self, text, token, replace=False):
        return START + highlight.get_text(text, token, replace) + END


class EarlierFirstScorer(highlight.BasicFragmentScorer):
    """Whoosh's fragment score and, between equal scores, the earlier fragment.

    Whoosh breaks ties between fragments by their memory addresses, so the same search could show
    different snippets from one run to the next. Its scores are whole multiples of 100 for fragments
    that match (nothing is boosted here), so adding less than one changes nothing else.
    """

    def __call__(self, fragment) -> float:
        return super().__call__(fragment) + 1 / (2 + fragment.startchar)


@lru_cache(maxsize=100_000)
def _term(word: str) -> str:
    """A word of the text as the index's analyser makes it a term (FoldFilter, then Porter's stem)."""
    return stem(word.lower() if word.isascii() else fold(word))


def _plain_analyzer(analyzer) -> bool:
    """Whether `analyzer` is index/schema.py's text_analyzer as QuickHighlighter reproduces it: the
    default word pattern, FoldFilter, and Porter's stemmer with no words left unstemmed."""
    items = getattr(analyzer, "items", None)
    if type(analyzer) is not CompositeAnalyzer or items is None or len(items) != 3:
        return False
    tokenizer, folder, stemmer = items
    return (type(tokenizer) is RegexTokenizer and not tokenizer.gaps
            and tokenizer.expression.pattern == _WORD_PATTERN == default_pattern.pattern
            and type(folder) is FoldFilter
            and type(stemmer) is StemFilter and stemmer.stemfn is stem and not stemmer.lang
            and not stemmer.ignore)


def _candidates(terms: frozenset[str]) -> re.Pattern:
    """The words of a text that could stand for one of `terms`, as whole words of the tokenizer.

    A word is found whole where the tokenizer starts one: a word character that follows neither a
    word character nor a dot that follows one (`U.S.` is one word). Porter's stemmer keeps a word's
    first letter and FoldFilter keeps an ASCII first character (lower-cased: fold() of an ASCII word
    character and any word character after it starts with it; no word character combines), so a
    word whose first character is ASCII can match only if that character, in either case, starts a
    term; a word that starts with any other character is always looked at.
    """
    initials = "".join(sorted({c for t in terms for c in (t[:1], t[:1].upper()) if c.isascii() and c}))
    # One character set first (the ASCII initials and every non-ASCII character, a word character
    # by the look-behind) lets the regex engine skip other characters in C: 11 us a Reuters article
    # against 38 for an alternation of the two.
    return re.compile(rf"[{re.escape(initials)}\x80-\U0010ffff](?<=\w)(?<!\w\w)(?<!\w\.\w)\w*(?:\.\w+)*")


def _query_terms(results, field, fieldname: str) -> frozenset[str]:
    """The words Whoosh's highlighter marks in the field: the query's terms there that the index
    holds, prefixes and fuzzy words expanded (its own call). A query that cannot list them has none
    to mark: the filters-only search (search/filters.py FilterOnly has no field) made Whoosh's
    highlighter raise AttributeError for every hit, which snippet() turned into the lead, as ''
    does here, without asking again for each hit."""
    try:
        found = results.query_terms(expand=True, fieldname=fieldname)
    except Exception:
        return frozenset()
    return frozenset(field.from_bytes(term[1]) for term in found)


class QuickHighlighter(highlight.Highlighter):
    """Whoosh's highlighter (retokenizing, ContextFragmenter) for our settings, made from the offsets
    of the matched words and the few words around them.

    Whoosh's own (`highlight_hit`) re-analyses each hit's whole body token by token (tokenizer,
    FoldFilter, StemFilter, matched flags, the fragmenter's state machine, a Token copy per match)
    and asks the index for the query's terms again for every hit: 0.3 ms a hit at 5x Reuters. Here:
    - the query's terms of the field are asked once per search (the same `query_terms(expand=True)`
      call, so phrases give each of their words, prefixes and fuzzy words the index words they
      stand for, and words under NOT are there too: Whoosh highlights them all, anywhere);
    - one C-level regex search (_candidates) finds the words that could match, and only those are
      looked up in one process-wide table of word -> term (_term, Whoosh's analysis of one word);
    - the fragmenter's state machine (_fragments) reads the words after each match until its
      context runs out, and the words of context before it; the rest of the text is never split.
    The scores are BasicFragmentScorer's (matches x distinct matched terms x 100) plus
    EarlierFirstScorer's 1 / (2 + start); the `top` best are kept, in text order, marked as
    MarkFormatter marks them.

    One difference, and it never shows: Whoosh would order two fragments of exactly equal score by
    their memory addresses; here the earlier one wins (nlargest is stable). With EarlierFirstScorer's
    1 / (2 + start) two fragments score the same only if they start at the same character, and no
    two fragments do. Whoosh's fragments without matches (score 0.5) are not made: the minimum
    score (1) always drops them, so minscore must be above 0.5 here.

    Anything else goes to Whoosh's own highlight_hit, decided in one place (`_plan`): another
    fragmenter, scorer, formatter or order, an analyser other than index/schema.py's, results that
    recorded their matched terms (Whoosh then highlights from stored character offsets), a Whoosh
    other than the checked version (whoosh_ext.fast_paths), or a minscore of 0.5 or less.
    """

    def __init__(self) -> None:
        super().__init__(fragmenter=highlight.ContextFragmenter(maxchars=LEAD_CHARS, surround=SURROUND),
                         scorer=EarlierFirstScorer(), formatter=MarkFormatter())
        self._results: weakref.ref | None = None  # weak: the results hold this highlighter
        self._plans: dict[str, tuple[frozenset[str], re.Pattern] | None] = {}

    def highlight_hit(self, hitobj, fieldname, text=None, top=3, minscore=1):
        plan = self._plan(hitobj.results, fieldname, minscore)
        if plan is None:
            return super().highlight_hit(hitobj, fieldname, text=text, top=top, minscore=minscore)
        if text is None:
            if fieldname not in hitobj:
                raise KeyError(f"Field {fieldname!r} is not stored.")
            text = hitobj[fieldname]
        return self.highlight_text(text, *plan, top=top, minscore=minscore)

    def _plan(self, results, fieldname: str, minscore: float) -> tuple[frozenset[str], re.Pattern] | None:
        """The query's terms of the field and their candidate pattern, once per search; None where
        Whoosh's own highlighter must answer (the one place that decides)."""
        if self._results is None or self._results() is not results:
            self._results, self._plans = weakref.ref(results), {}
        if fieldname not in self._plans:
            field = results.searcher.schema[fieldname]
            handled = (whoosh_ext.fast_paths() and not results.has_matched_terms()
                       and type(self.fragmenter) is highlight.ContextFragmenter
                       and type(self.scorer) is EarlierFirstScorer and type(self.formatter) is MarkFormatter
                       and self.order is highlight.FIRST and _plain_analyzer(field.analyzer))
            terms = _query_terms(results, field, fieldname) if handled else None
            self._plans[fieldname] = (terms, _candidates(terms)) if terms is not None else None
        return self._plans[fieldname] if minscore > 0.5 else None

    def highlight_text(self, text: str, terms: frozenset[str], candidates: re.Pattern, top: int = 3,
                       minscore: float = 1) -> str:
        """The marked fragments of `text` for the query's `terms`, as Whoosh's highlight_hit gives them."""
        if not terms:
            return ""
        fragmenter = self.fragmenter
        limit = fragmenter.charlimit
        matched = [m.span() for m in candidates.finditer(text) if _term(m[0]) in terms]
        if limit and matched and matched[-1][1] > limit:  # Whoosh reads no word ending past charlimit
            matched = [span for span in matched if span[1] <= limit]
        if not matched:
            return ""
        fragments = _fragments(text, matched, fragmenter.maxchars, fragmenter.surround, limit)
        scored = [(len(found) * (len({_term(text[s:e]) for s, e in found}) * 100) + 1 / (2 + start),
                   start, end, found) for start, end, found in fragments]
        best = sorted((f for f in nlargest(top, scored, key=itemgetter(0)) if f[0] >= minscore), key=itemgetter(1))
        return self.formatter.between.join(_marked(text, start, end, found) for _, start, end, found in best)


Span = tuple[int, int]


def _fragments(text: str, matched: list[Span], maxchars: int, surround: int,
               charlimit: int | None) -> list[tuple[int, int, list[Span]]]:
    """(start, end, matched words) of each fragment with matches that Whoosh 2.7.4's
    ContextFragmenter makes of `text`, in order; `matched` are the spans of the matching words.

    Whoosh's state machine, word by word: outside a fragment it keeps the starts of the words since
    the last fragment that lie within `surround` characters of the last word's end (the context
    before a match). A match opens a fragment at the first of those, or at itself with `surround`
    more to come after when there is none, and sets a countdown of `surround` from which each
    word's length is taken (words, not the spaces between them); the fragment ends with the word
    that brings the countdown to 0 or below, or with the word that would take the words' lengths
    past `maxchars` (a match there ends the fragment unmarked); at the end of the text, with the
    last word. Quirks kept: a countdown ending on exactly 0 makes the next word a fragment of its
    own (with no match, dropped; a match there opens a fragment at itself); a match longer than
    `maxchars` is a fragment with no match; no word ending past `charlimit` is read, and the one
    that crosses it still ends an open fragment. Only the words near matches change that state,
    so only they are read here.
    """
    starts = {s for s, _ in matched}
    limit = charlimit or len(text)  # no word ends past the text
    out: list[tuple[int, int, list[Span]]] = []
    read = 0  # the end of the last word read inside a fragment: the words before it are done with
    zero = False  # the last fragment's countdown ended on exactly 0
    h = 0  # matched[h]: the next match not yet read
    while True:
        if zero:
            zero = False
            word = _WORD.search(text, read)
            if word is None or word.end() > limit:
                break
            s, e = word.span()
            if s not in starts or e - s > maxchars:
                read = e
                continue
            first, countdown = s, 2 * surround
        else:
            while h < len(matched) and matched[h][0] < read:
                h += 1
            if h == len(matched):
                break
            s, e = matched[h]
            if e - s > maxchars:
                read = e
                continue
            first, countdown = s, 2 * surround
            context = _context_before(text, s, read, surround)
            if context is not None:
                first, countdown = context, surround
        found = [(s, e)]
        length = e - s
        countdown -= length
        end = e
        if countdown > 0:
            for ws, end in map(_span, _WORD.finditer(text, e)):
                if end > limit:
                    out.append((first, end, found))
                    return out
                size = end - ws
                if length + size > maxchars:
                    countdown = 0
                elif ws in starts:
                    countdown = surround
                    found.append((ws, end))
                length += size
                countdown -= size
                if countdown <= 0:
                    break
            else:  # the text ends inside the fragment
                out.append((first, end, found))
                return out
        out.append((first, end, found))
        read, zero = end, countdown == 0
    return out


def _context_before(text: str, s: int, read: int, surround: int) -> int | None:
    """Where the context before a match at `s` starts: the first word after `read` (the last
    fragment's end) that starts within `surround` characters of the end of the word before the
    match; None when there is none (no word between them, or that word alone is longer)."""
    end = s
    while end > read and not _word_char(text[end - 1]):
        end -= 1
    if end == read:
        return None
    first = _WORD_START.search(text, max(end - surround, read), s)
    return first.start() if first else None


def _word_char(c: str) -> bool:
    """Whether `c` is a word character (regex \\w: alphanumeric, or the underscore)."""
    return c.isalnum() or c == "_"


def _marked(text: str, start: int, end: int, found: list[Span]) -> str:
    """text[start:end] with the matched words wrapped in START and END."""
    pieces = []
    at = start
    for left, right in found:
        pieces += (text[at:left], START, text[left:right], END)
        at = right
    pieces.append(text[at:end])
    return "".join(pieces)


def configure(results) -> None:
    """Fragments of about 200 characters with 40 of context, as the CLI shows them (QuickHighlighter,
    which is Whoosh's highlighter where it cannot do the same)."""
    results.highlighter = QuickHighlighter()


def lead(body: str, limit: int = LEAD_CHARS) -> str:
    """The article's opening words, cut at a word boundary."""
    text = " ".join(body.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"


def snippet(hit) -> str:
    """The two best highlighted fragments of the body, else (no word of the query in the body, or
    no body) the body's lead."""
    try:
        text = hit.highlights("body", top=2)
    except Exception:
        text = ""
    return " ".join(text.split()) if text else lead(hit.get("body", ""))


def split_marks(text: str) -> list[tuple[str, bool]]:
    """(piece, is_match) pairs of a marked snippet, for renderers."""
    pieces: list[tuple[str, bool]] = []
    rest = text
    while rest:
        start = rest.find(START)
        if start < 0:
            pieces.append((rest, False))
            break
        end = rest.find(END, start)
        end = len(rest) if end < 0 else end
        if start:
            pieces.append((rest[:start], False))
        pieces.append((rest[start + 1:end], True))
        rest = rest[end + 1:]
    return [p for p in pieces if p[0]]


def plain(text: str) -> str:
    """A marked snippet without its markers."""
    return text.replace(START, "").replace(END, "")
