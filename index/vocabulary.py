"""The words of the indexed articles, unstemmed, with the number of articles each is in: what
"did you mean" corrects against and weighs its candidates by.

Whoosh can keep such a list itself (`spelling=True` on a field), but it does so by indexing every
unstemmed word of every article as a second set of postings: that took 45% of a build's time on
3,000 Reuters articles. A sorted word list beside the index costs one regular-expression pass over
the text and a small file. Words of articles removed later stay in the list; they can only make a
suggestion that finds nothing, and the next rebuild drops them.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from newsgrep.index import config

FILE = "words.tsv"
# Letters only (numbers and codes are never worth suggesting), and no longer than a real word.
_WORD = re.compile(rf"(?<![^\W\d_])[^\W\d_]{{2,{config.MAX_SUGGEST_WORD_CHARS}}}(?![^\W\d_])")


def count_words(text: str, into: Counter) -> None:
    """Count each lower-cased word of one article's `text` once in `into`.

    Counting articles, not occurrences, is what a suggestion should weigh (a word repeated in one
    article is not a common word). At most MAX_SUGGEST_WORDS_PER_ARTICLE distinct words are taken
    from one article: a long feature has about 3,000, and a file of random words would otherwise
    add millions, making the list (read on every search that suggests) many times larger.
    """
    words = dict.fromkeys(_WORD.findall(text.lower()))
    if len(words) > config.MAX_SUGGEST_WORDS_PER_ARTICLE:
        words = dict.fromkeys(list(words)[:config.MAX_SUGGEST_WORDS_PER_ARTICLE])
    into.update(words.keys())


def load(gen: Path) -> Counter:
    """The word counts of a generation; empty when the file is missing or unreadable."""
    counts: Counter = Counter()
    try:
        with open(gen / FILE, encoding="utf-8") as fh:
            for line in fh:
                word, _, n = line.rstrip("\n").partition("\t")
                if word and n.isdigit():
                    counts[word] = int(n)
    except (OSError, ValueError):
        pass
    return counts


def save(gen: Path, new: Counter) -> None:
    """Merge `new` into the generation's word list, written to a temporary file and renamed into place."""
    counts = load(gen)
    counts.update(new)
    from newsgrep.index.layout import write_atomically

    write_atomically(gen / FILE, "".join(f"{word}\t{n}\n" for word, n in sorted(counts.items())).encode("utf-8"))
