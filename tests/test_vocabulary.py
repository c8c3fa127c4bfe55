"""The word list behind "did you mean": counted, merged across adds, and corrected nearest-first."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from newsgrep.index.vocabulary import FILE, count_words, load, save
from newsgrep.search.suggest import VocabularyCorrector


def test_words_are_letters_lowercased_and_counted_once_an_article() -> None:
    counts: Counter = Counter()
    count_words("Peace talks: PEACE in 2022, a B-52 and Kyiv's mayor", counts)
    count_words("Peace at last", counts)
    assert counts["peace"] == 2 and counts["talks"] == 1 and counts["kyiv"] == 1 and counts["last"] == 1
    assert "2022" not in counts and "a" not in counts and "52" not in counts


def test_what_one_article_adds_is_bounded() -> None:
    import random

    from newsgrep.index import config

    rng = random.Random(7)
    junk = " ".join("".join(rng.choice("abcdefghij") for _ in range(12)) for _ in range(50_000))
    counts: Counter = Counter()
    count_words("Harbour " + junk + " " + "x" * 500, counts)
    assert len(counts) == config.MAX_SUGGEST_WORDS_PER_ARTICLE
    assert counts["harbour"] == 1  # the article's first words are the ones kept
    assert all(len(w) <= config.MAX_SUGGEST_WORD_CHARS for w in counts) and "x" * 30 not in counts


def test_save_merges_with_what_is_there(tmp_path: Path) -> None:
    save(tmp_path, Counter({"peace": 2, "talks": 1}))
    save(tmp_path, Counter({"peace": 1, "ceasefire": 4}))
    assert load(tmp_path) == {"peace": 3, "talks": 1, "ceasefire": 4}
    lines = (tmp_path / FILE).read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and not list(tmp_path.glob(".*.tmp"))


def test_load_of_a_missing_or_garbled_file_is_empty(tmp_path: Path) -> None:
    assert load(tmp_path) == {}
    (tmp_path / FILE).write_bytes(b"\xff\xfe\x00junk\nword\tnotanumber\n")
    assert load(tmp_path) == {}


def test_nearest_word_first_then_the_more_frequent() -> None:
    corrector = VocabularyCorrector({"peace": 50, "place": 500, "pearce": 1, "talks": 9})
    assert corrector.suggest("peece", limit=1, maxdist=2, prefix=1) == ["peace"]  # 1 edit beats 2
    assert corrector.suggest("plece", limit=1, maxdist=2, prefix=1) == ["place"]
    assert corrector.suggest("peacce", limit=3, maxdist=1, prefix=1) == ["peace", "pearce"]  # tie: frequency
    assert corrector.suggest("zzzz", limit=1, maxdist=2, prefix=1) == []
