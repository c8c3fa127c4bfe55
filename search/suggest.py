""""Did you mean": each query word replaced by the word the user most likely meant.

Candidates come from the generation's word list (index/vocabulary.py), which counts the articles each
word is in, through Whoosh's Levenshtein automaton, skipping through the sorted list the way Whoosh
walks its own word graphs. They are ranked as a noisy channel would rank them: by how likely the
typing slip is (`typing_cost`), then by the number of articles the word is in, a word that sounds like
the one typed breaking near-ties ("opek" is "opec", not "open").

Not every slip is as likely. A letter left out or two neighbours swapped can happen in one way at a
place; an extra or wrong letter can be any of many letters, so a given one is several times less
likely (and omissions are the commonest typing error in studies of real misspellings, e.g. Pollock and
Zamora 1984). So a missing letter and a swap cost less than an extra or wrong letter, and a wrong
letter that sounds the same (c/k/q, s/z) costs less than another. A word in at most RARE_ARTICLES
articles is itself suspect (it is how a misspelling looks from the inside), so it is suggested only
when no more common word is as near.

A word is corrected when the index does not hold it, or when it is rare (in at most RARE_ARTICLES
articles) and a word one edit away is in at least RARER_BY times as many: "Volker" in one Reuters
article beside "Volcker" in 108. Each word of a query is corrected on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from math import log1p
from pathlib import Path

from whoosh.spelling import Corrector

MAX_EDITS = 2
SUGGEST_BELOW = 3  # fewer matches than this: look for a suggestion whatever the words' counts
RARE_ARTICLES = 3
RARER_BY = 20
MISSING_LETTER = SWAP = SOUNDS_ALIKE = 0.7  # costs of a slip; an extra or a wrong letter costs 1
_WORD = re.compile(r"[^\W\d_]+")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def edits(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbouring letters from a to b (optimal
    string alignment distance)."""
    return 0 if a == b else int(_alignment_cost(a, b, missing=1, swap=1, alike=1))


_SOUNDS = str.maketrans("cqzxy", "kksks")
_ALIKE = str.maketrans("cqz", "kks")


def typing_cost(typed: str, word: str) -> float:
    """How unlikely it is that `word` was typed as `typed`: the optimal string alignment distance
    with a missing letter, a swap of neighbours and a wrong letter that sounds the same costing less
    than an extra or another wrong letter (see the module's docstring)."""
    return _alignment_cost(typed, word, missing=MISSING_LETTER, swap=SWAP, alike=SOUNDS_ALIKE)


def _alignment_cost(typed: str, word: str, missing: float, swap: float, alike: float) -> float:
    """The optimal string alignment distance from `typed` to `word`: an extra or wrong letter costs
    1, a letter missing from `typed` `missing`, a swap of neighbours `swap`, a wrong letter that
    sounds the same (c/k/q, s/z) `alike`."""
    prev2: list[float] = []
    prev = [j * missing for j in range(len(word) + 1)]
    for i, ct in enumerate(typed, 1):
        row = [float(i)] + [0.0] * len(word)
        for j, cw in enumerate(word, 1):
            wrong = 0.0 if ct == cw else alike if ct.translate(_ALIKE) == cw.translate(_ALIKE) else 1.0
            row[j] = min(prev[j] + 1, row[j - 1] + missing, prev[j - 1] + wrong)
            if i > 1 and j > 1 and ct == word[j - 2] and typed[i - 2] == cw:
                row[j] = min(row[j], prev2[j - 2] + swap)
        prev2, prev = prev, row
    return prev[-1]


def sounds(word: str) -> str:
    """A rough key of how a word sounds: its first letter, then its consonants with c/k/q, s/z,
    ph/f alike and doubles collapsed, as aspell's "soundslike" compares words. "opek" sounds as
    "opec", not as "open"; "mitterand" as "mitterrand"."""
    word = word.lower().replace("ph", "f").replace("ck", "k")
    key = word[:1] + word[1:].translate(_SOUNDS).translate({ord(v): None for v in "aeiouhw"})
    return "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])


class VocabularyCorrector(Corrector):
    """Suggestions from a sorted word list with counts of articles."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.words = sorted(counts)
        self.counts = counts
        self.scale = log1p(max(counts.values(), default=1)) or 1.0

    def _suggestions(self, text: str, maxdist: int, prefix: int):
        from whoosh.automata.fsa import find_all_matches
        from whoosh.automata.lev import levenshtein_automaton

        # Whoosh's automaton knows no swaps (a swap is two of its edits): search one further, and
        # from the text with each pair of neighbours swapped, then measure each word properly.
        seen = {text}
        starts = [(text, min(maxdist + 1, MAX_EDITS))]
        if maxdist >= 2:
            starts += [(text[:i] + text[i + 1] + text[i] + text[i + 2:], 1) for i in range(prefix, len(text) - 1)
                       if text[i] != text[i + 1]]
        key = sounds(text)
        for start, reach in starts:
            for word in find_all_matches(levenshtein_automaton(start, reach, prefix).to_dfa(), self._skipper()):
                if word in seen:
                    continue
                seen.add(word)
                yield from self._scored(text, key, word, maxdist)

    def _scored(self, text: str, key: str, word: str, maxdist: int):
        if edits(text, word) <= maxdist:
            # Higher is better: the likelier slip first; among slips as likely, the word in more
            # articles (on a log scale), a word that sounds the same breaking near-ties. A word that
            # looks misspelt itself goes behind any commoner word as near.
            count = self.counts.get(word, 1)
            yield (-typing_cost(text, word) + 0.9 * log1p(count) / self.scale + 0.09 * (sounds(word) == key)
                   - (count <= RARE_ARTICLES), word)

    def _skipper(self):
        words = self.words

        def next_at_or_after(word: str) -> str | None:
            pos = bisect_left(words, word)
            return words[pos] if pos < len(words) else None

        return next_at_or_after


def _query_words(text: str) -> list[re.Match]:
    """The words of a query that a correction may replace: not operators, not field names."""
    return [m for m in _WORD.finditer(text)
            if m[0] not in _OPERATORS and not text.startswith(":", m.end())]


def _maybe_misspelt(searcher, words: list[str]) -> bool:
    """Whether any word is in at most RARE_ARTICLES articles, by the index's own counts (cheap: the
    word list is read only when this is so)."""
    field = searcher.schema["body"]
    for word in words:
        for term in field.process_text(word, mode="query"):
            if searcher.doc_frequency("body", term) <= RARE_ARTICLES:
                return True
    return False


def _correct(word: str, counts: dict[str, int], corrector: VocabularyCorrector) -> str | None:
    """The word meant, or None when the word is right as it is."""
    have = counts.get(word, 0)
    if have > RARE_ARTICLES or len(word) < 3:
        return None
    maxdist = 1 if have or len(word) <= 4 else MAX_EDITS
    prefix = 1 if len(word) <= 4 else 0
    for candidate in corrector.suggest(word, limit=1, maxdist=maxdist, prefix=prefix):
        if not have or counts[candidate] >= RARER_BY * have:
            return candidate
    return None


def _same_case(meant: str, typed: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return meant.upper()
    if typed[:1].isupper():
        return meant[:1].upper() + meant[1:]
    return meant


def suggest(searcher, text: str, gen: Path, total: int) -> str | None:
    """A corrected query string, or None when every word seems meant or nothing is near."""
    from newsgrep.index.vocabulary import load

    found = _query_words(text)
    if not found:
        return None
    try:
        if total >= SUGGEST_BELOW and not _maybe_misspelt(searcher, [m[0] for m in found]):
            return None
        counts = load(gen)
        if not counts:
            return None
        corrector = VocabularyCorrector(counts)
        out, last, changed = [], 0, False
        for match in found:
            meant = _correct(match[0].lower(), counts, corrector)
            out.append(text[last:match.start()])
            if meant:
                out.append(_same_case(meant, match[0]))
                changed = True
            else:
                out.append(match[0])
            last = match.end()
        out.append(text[last:])
    except Exception:
        return None
    return "".join(out) if changed else None
