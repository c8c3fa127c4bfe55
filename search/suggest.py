""""Did you mean": each query word the index does not hold, replaced by the nearest indexed word.

Candidates come from the generation's word list (index/vocabulary.py) through Whoosh's Levenshtein
automaton, skipping through the sorted list the way Whoosh walks its own word graphs. The nearest
word wins (fewer edits), then the more frequent one.
"""

from __future__ import annotations

from bisect import bisect_left
from pathlib import Path

from whoosh.spelling import Corrector

MAX_EDITS = 2


class VocabularyCorrector(Corrector):
    """Suggestions from a sorted word list with counts."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.words = sorted(counts)
        self.counts = counts

    def _suggestions(self, text: str, maxdist: int, prefix: int):
        from whoosh.automata.fsa import find_all_matches
        from whoosh.automata.lev import levenshtein_automaton

        seen = {text}
        for edits in range(1, maxdist + 1):
            dfa = levenshtein_automaton(text, edits, prefix).to_dfa()
            for word in find_all_matches(dfa, self._skipper()):
                if word not in seen:
                    seen.add(word)
                    # Higher is better: fewer edits first, then more frequent (the bonus stays below 1).
                    count = self.counts.get(word, 1)
                    yield (-edits + count / (count + 1.0), word)

    def _skipper(self):
        words = self.words

        def next_at_or_after(word: str) -> str | None:
            pos = bisect_left(words, word)
            return words[pos] if pos < len(words) else None

        return next_at_or_after


def suggest(searcher, words: str, gen: Path) -> str | None:
    """A corrected query string, or None when every word is known or nothing is near."""
    from newsgrep.index.vocabulary import load
    from newsgrep.search.query import spelling_query

    counts = load(gen)
    if not counts:
        return None
    try:
        q = spelling_query(words)
        unknown = [(t.fieldname, t.text) for t in q.all_tokens() if t.text not in counts]
        if not unknown:
            return None
        corrector = VocabularyCorrector(counts)
        corrected = searcher.correct_query(q, words, correctors={"body": corrector}, terms=unknown,
                                           maxdist=MAX_EDITS, prefix=1)
    except Exception:  # noqa: BLE001 - suggestions are a courtesy, never a failure
        return None
    if corrected.query == q or corrected.string.strip() == words.strip():
        return None
    return corrected.string
