"""Distinctive words: the words and two-word phrases that characterise a match set against the whole
index, by Dunning's log-likelihood ratio (G²) on document counts.

A word's count is the number of articles holding it: in the matches (`count_in`) and in the rest of
the index (`count_out`). G² compares its rate in the matches with its rate outside; only words more
frequent in the matches are kept. Raw frequency would list "said" and "Reuters" for every query.

Words are counted by stem, as the index does (prices/price), and shown in their commonest spelling
in the matches. The index gives the counts outside: a word's document frequency in `body`, and for
a phrase the articles where its two stems stand next to each other (positions in the posting lists).
Phrases are costly to count outside, so they are counted best-first: the best G² a phrase could
have (nothing outside) orders them, and counting stops once no uncounted phrase could enter the top.

Stop words never appear, nor boilerplate: a word in more than half of all articles (a wire
service's sign-off, a site's footer) describes the corpus, not a topic.
"""

from __future__ import annotations

import gc
import heapq
import math
import re
from bisect import bisect_left
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, compress, pairwise, repeat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsgrep.index.postings import Postings

CHUNK = 1000  # articles tokenised at once: bounds the memory of a large match set
MIN_COUNT = 2  # a word in one matching article characterises that article, not the set
BOILERPLATE_SHARE = 0.5
# The index's own tokens, so adjacency means the same here: whoosh.analysis.RegexTokenizer's default
# \w+(\.?\w+)* matches exactly what this matches (word characters, single dots between them: after a
# greedy \w+, an undotted \w+ can never follow), and this is found in two thirds of the time.
_TOKEN = re.compile(r"\w+(?:\.\w+)*")
# The same tokens of ASCII text, faster (1,000 Reuters bodies: 47 ms by the pattern, 15-17 ms so):
# every ASCII character but word characters and the dot made a space, then every dot not between two
# word characters (the pattern keeps no other: a word's end dots, a run of dots), and split on spaces.
_SPACES = str.maketrans({c: " " for c in map(chr, range(128)) if not re.fullmatch(r"[\w.]", c)})
_LONE_DOT = re.compile(r"\.(?:(?!\w)|(?<!\w\.))")
_WORD = re.compile(r"[^\W\d_]{2,}")
STOP_WORDS = frozenset("""
a about above after again against all almost along already also although always am among an and
another any anyone anything are around as at away back be became because been before being below
between both but by came can cannot could did do does doing done down during each either else even
ever every few for from further get gets getting give given go goes going got had has have having he
her here hers herself him himself his how however i if in into is it its itself just last least
less like made make makes many may me might more most much must my myself near neither never new next
no nor not now of off often on once one only onto or other others our ours ourselves out over own
per perhaps put rather really said same say saying says see seen several shall she should since so
some still such take taken than that the their theirs them themselves then there these they thing
things this those though through thus to today together told too toward towards two under until up
upon us use used very via want was way we well went were what whatever when where whether which while
who whom whose why will with within without would yet you your yours yourself yourselves tbd
mr mrs ms dr st co inc ltd corp told week weeks year years day days time times monday tuesday
wednesday thursday friday saturday sunday
""".split())


def _tokens(text: str) -> list[str]:
    """The index's tokens of `text`, in order (what _TOKEN.findall gives)."""
    if not text.isascii():
        return _TOKEN.findall(text)
    text = text.translate(_SPACES)
    if "." in text:
        text = _LONE_DOT.sub(" ", text)
    return text.split()


@dataclass
class TopWord:
    term: str
    count_in: int
    count_out: int
    score: float


OTHER = "\0"  # marks a word that is not plain ASCII: the index's own analyzer says what its term is


_STEMS: dict[str, str | None] = {}  # _content_stem() of each token met, for the process (as a cache would)
MAX_STEMS = 200_000  # tokens kept there: a few megabytes


def _content_stem(token: str) -> str | None:
    """A lower-cased ASCII token's stem, as the index stems it (lower case, Porter); None for stop
    words, numbers and codes; OTHER + token for a word with other letters (accents, other scripts),
    which the index may fold first: those few are resolved once per search by _index_terms()."""
    if token in STOP_WORDS or not _WORD.fullmatch(token):
        return None
    if not token.isascii():
        return OTHER + token
    from whoosh.lang.porter import stem

    return stem(token)


def _index_terms(field, marked: set[str]) -> dict[str, str | None]:
    """The index term of each marked word, from the field's own analyzer (None unless one term)."""
    out: dict[str, str | None] = {}
    for key in marked:
        terms = [t.text for t in field.analyzer(key[1:])]
        out[key] = terms[0] if len(terms) == 1 else None
    return out


def _merged(counts: Counter, rename) -> Counter:
    out: Counter = Counter()
    for key, n in counts.items():
        out[rename(key)] += n
    return out


def _g2(a: int, b: int, n_in: int, n_out: int) -> float:
    """Dunning's G² for a word in `a` of n_in matching articles and `b` of n_out others; 0 unless
    the word is more frequent in the matches."""
    if n_in == 0 or n_out == 0 or a * n_out <= b * n_in:
        return 0.0
    total = n_in + n_out
    k = a + b
    g = 0.0
    for observed, row, col in ((a, n_in, k), (b, n_out, k), (n_in - a, n_in, total - k),
                               (n_out - b, n_out, total - k)):
        if observed:
            g += observed * math.log(observed * total / (row * col))
    return 2.0 * g


class _Phrases:
    """Counts of two-stem phrases in the articles outside the matches, from the index's positions.

    Kept for one call: each stem's postings per segment (a common word, "mln", is in many phrases),
    as a set of its documents once it is the longer list of a phrase, each segment's share of the
    matches, and the decoded positions of each posting looked at (the same "mln" posting is looked
    at for "mln dlrs", "mln shares", ...). Only the articles outside that hold both stems (found by
    C-level filters over the shorter list) are looked at.
    """

    def __init__(self, reader, inside: set[int]) -> None:
        from newsgrep.index import postings  # imported when asked: the index's reading code

        self.read, self.positions = postings.read, postings.positions
        self.leaves = [leaf for leaf, _ in reader.leaf_readers()]
        self.inside = [{d - offset for d in inside} if offset else inside for _, offset in reader.leaf_readers()]
        self.lists: dict[str, list[Postings | None]] = {}
        self.sets: dict[tuple[str, int], set[int]] = {}
        self.starts: dict[bytes, frozenset[int]] = {}  # a posting's positions
        self.befores: dict[bytes, frozenset[int]] = {}  # the positions just before a posting's

    def _postings(self, stem: str) -> list[Postings | None]:
        found = self.lists.get(stem)
        if found is None:
            found = self.lists[stem] = [self.read(leaf, "body", stem, with_values=True) for leaf in self.leaves]
        return found

    def _documents(self, stem: str, segment: int) -> set[int]:
        found = self.sets.get((stem, segment))
        if found is None:
            found = self.sets[stem, segment] = set(self.lists[stem][segment].ids)
        return found

    def outside(self, first: str, second: str, most: int) -> int:
        """Articles outside the matches where stem `first` is directly followed by `second`; counting
        stops past `most` (the phrase is then out of the running: any count above will do)."""
        starts, befores, positions = self.starts, self.befores, self.positions
        found = 0
        for segment, (first_at, second_at) in enumerate(zip(self._postings(first), self._postings(second),
                                                            strict=True)):
            if first_at is None or second_at is None:
                continue
            first_fewer = len(first_at.ids) <= len(second_at.ids)
            fewer, more = (first_at, second_at) if first_fewer else (second_at, first_at)
            in_more = self._documents(second if first_fewer else first, segment)
            local_inside, more_ids, more_values = self.inside[segment], more.ids, more.values
            # Lazily, in C: a phrase is mostly ruled out after its first `most` articles, long before
            # the end of two lists of thousands ("market", "price").
            held = map(in_more.__contains__, fewer.ids)
            for doc, value in compress(zip(fewer.ids, fewer.values, strict=True), held):
                if doc in local_inside:
                    continue
                other = more_values[bisect_left(more_ids, doc)]
                first_value, second_value = (value, other) if first_fewer else (other, value)
                at = starts.get(first_value)
                if at is None:
                    at = starts[first_value] = frozenset(positions(first_value))
                before = befores.get(second_value)
                if before is None:
                    before = befores[second_value] = frozenset([p - 1 for p in positions(second_value)])
                if not at.isdisjoint(before):
                    found += 1
                    if found > most:
                        return found
        return found


def _most_outside(a: int, n_in: int, n_out: int, floor: float) -> int:
    """The largest count outside the matches with which a phrase in `a` matches still scores above
    `floor` (G² falls as that count grows); -1 when none does."""
    low, high = -1, a * n_out // max(n_in, 1) + 1
    while low < high:
        mid = (low + high + 1) // 2
        if _g2(a, mid, n_in, n_out) > floor:
            low = mid
        else:
            high = mid - 1
    return low


@contextmanager
def _no_cycle_collection():
    """Python's cyclic garbage collector paused: counting makes some 250,000 small tuples and sets
    for 1,000 articles, none in a cycle, and each 700 new objects set off a collection that walks
    the young objects (every tenth, older ones too): 15-25 ms of 220-300 (1,000 Reuters matches).
    Everything made here is freed by reference counting as before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def top_words(searcher, docs: list[int], n: int) -> list[TopWord]:
    """The `n` words and two-word phrases most characteristic of the articles `docs`, best first."""
    with _no_cycle_collection():
        return _top_words(searcher, docs, n)


def _top_words(searcher, docs: list[int], n: int) -> list[TopWord]:
    n_in = len(docs)
    n_all = searcher.doc_count()
    n_out = n_all - n_in
    if n_in == 0 or n_out <= 0:
        return []
    stem_docs: Counter = Counter()
    pair_docs: Counter = Counter()
    spelled: Counter = Counter()
    # Per article: its tokens, their stems (None for stop words), the sets of both, counted a chunk of
    # articles at a time through C-level loops (a Counter per article took twice as long). Each
    # distinct token is stemmed once (_STEMS); a pair with a stop word (None) is dropped before it is
    # counted (`filter(all, ...)`), as most pairs hold one.
    stored = searcher.reader().stored_fields
    if len(_STEMS) > MAX_STEMS:  # only here: every token of this call stays in it until the end
        _STEMS.clear()
    for start in range(0, n_in, CHUNK):
        tokens = [_tokens((stored(doc).get("body") or "").lower()) for doc in docs[start:start + CHUNK]]
        counted = Counter(chain.from_iterable(tokens))
        spelled.update(counted)
        _STEMS.update((token, _content_stem(token)) for token in counted.keys() - _STEMS.keys())
        stems = [list(map(_STEMS.__getitem__, t)) for t in tokens]
        stem_docs.update(chain.from_iterable(map(set, stems)))
        pair_docs.update(chain.from_iterable(map(set, map(filter, repeat(all), map(pairwise, stems)))))
    marked = {k for k in stem_docs if k and k.startswith(OTHER)}
    terms = _index_terms(searcher.schema["body"], marked) if marked else {}
    if terms:
        stem_docs = _merged(stem_docs, lambda k: terms.get(k, k))
        pair_docs = _merged(pair_docs, lambda p: tuple(terms.get(x, x) for x in p))
    stem_docs.pop(None, None)
    # Candidates best-first by the most they could score (nothing outside the matches); each is
    # counted outside only while that could still beat the n-th best found so far. Words first: their
    # counts are one lookup each, and the floor they set spares most phrases the costlier count (and
    # most never become candidates: those whose count in the matches is too low to beat it).
    bound = {a: -_g2(a, 0, n_in, n_out) for a in set(stem_docs.values()) | set(pair_docs.values())}
    reader = searcher.reader()
    phrase_counts = _Phrases(reader, set(docs))
    found: list[tuple[float, tuple[str, str]]] = []  # a min-heap of the best n: (score, (stem, stem or ""))
    chosen: dict[tuple[str, str], tuple[int, int, float]] = {}
    most: dict[tuple[int, float], int] = {}  # _most_outside() of (count in the matches, floor)
    for kind in ("words", "phrases"):
        floor = found[0][0] if len(found) >= n else 0.0
        counts = stem_docs if kind == "words" else pair_docs
        enough = {a for a, negated in bound.items() if a >= MIN_COUNT and -negated > floor}
        # Most stems and pairs are in one or two matches: passed over in C, not looked at one by one.
        keys = compress(counts.keys(), map(enough.__contains__, counts.values()))
        if kind == "words":
            candidates = [(bound[counts[stem]], stem, "", counts[stem]) for stem in keys]
        else:
            candidates = [(bound[counts[pair]], *pair, counts[pair]) for pair in keys
                          if all(pair) and pair[0] != pair[1]]
        heapq.heapify(candidates)
        while candidates:
            negated, first, second, a = heapq.heappop(candidates)
            floor = found[0][0] if len(found) >= n else 0.0
            if -negated <= floor:
                break
            if not second:
                everywhere = max(reader.doc_frequency("body", first), a)
                if everywhere > BOILERPLATE_SHARE * n_all:
                    continue
                b = everywhere - a
            else:
                if (a, floor) not in most:  # many phrases share a count in the matches
                    most[a, floor] = _most_outside(a, n_in, n_out, floor)
                b = phrase_counts.outside(first, second, most[a, floor])
            score = _g2(a, b, n_in, n_out)
            if score <= floor:
                continue
            chosen[(first, second)] = (a, b, score)
            heapq.heappush(found, (score, (first, second)))
            if len(found) > n:
                heapq.heappop(found)
    spelling = _spellings(spelled, {stem for _, key in found for stem in key if stem}, terms)
    top = [TopWord(" ".join(spelling[s] for s in key if s), *chosen[key][:2], round(chosen[key][2], 2))
           for _, key in found]
    return sorted(top, key=lambda w: (-w.score, w.term))


def _spellings(tokens: Counter, stems: set[str], terms: dict[str, str | None]) -> dict[str, str]:
    """Each stem's commonest spelling among the tokens (ties to the first in alphabetical order)."""
    wanted = stems | {key for key, term in terms.items() if term in stems}  # before and after _index_terms
    best: dict[str, tuple[int, str]] = {}
    for token in compress(tokens.keys(), map(wanted.__contains__, map(_STEMS.__getitem__, tokens.keys()))):
        stem = _STEMS[token]
        stem = terms.get(stem, stem)
        if stem in stems and (stem not in best or (-tokens[token], token) < best[stem]):
            best[stem] = (-tokens[token], token)
    return {stem: token for stem, (_, token) in best.items()}
