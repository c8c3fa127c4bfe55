"""How words match: folding (NFKC, case, accents) and stop words, through the installed commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run, search_json

ARTICLES = {
    "us.txt": "US and Japan agree chip deal\n\nThe US will cut tariffs on chips from Japan, officials said.",
    "it.txt": "IT outage hits airline\n\nAn IT failure grounded flights for six hours on Tuesday.",
    "who.txt": "The Who announce farewell tour\n\nThe Who will play twelve stadiums next summer.",
    "drager.txt": "Dr\u00e4ger profits rise\n\nDr\u00e4ger, the maker of breathing equipment, raised its forecast.",
    "saopaulo.txt": "Floods in S\u00e3o Paulo\n\nHeavy rain flooded the centre of S\u00e3o Paulo overnight.",
    "plain.txt": "Sao Paulo stock exchange closes higher\n\nShares in Sao Paulo closed higher on bank stocks.",
    "fullwidth.txt": "\uff4f\uff49\uff4c prices climb\n\nCrude prices rose as the \ufb01nance ministry met traders.",
    "other.txt": "Harbour dredging approved\n\nThe council approved dredging of the harbour channel.",
}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("matching")
    corpus = base / "news"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text + "\n", encoding="utf-8")
    env = {"SEARCH_INDEX_DIR": str(base / "index")}
    added = run("search-index", "add", str(corpus), env=env)
    assert added.returncode == 0, added.stderr
    return env


def found(env: dict, *query: str) -> set[str]:
    code, hits, _, err = search_json(env, *query, "-n", "50")
    assert code in (0, 1), err
    return {Path(h["path"]).name for h in hits}


@pytest.mark.parametrize(("query", "expected"), [
    ("US", "us.txt"), ("IT", "it.txt"), ('"The Who"', "who.txt"), ("may", None),
])
def test_queries_of_stop_words_find_their_articles(env: dict, query: str, expected: str | None) -> None:
    code, hits, summary, err = search_json(env, query)
    assert code in (0, 1), err  # never "has no words to search for"
    if expected:
        assert expected in {Path(h["path"]).name for h in hits}
        assert Path(hits[0]["path"]).name == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("drager", {"drager.txt"}), ("DR\u00c4GER", {"drager.txt"}), ("dr\u00e4ger", {"drager.txt"}),
    ('"sao paulo"', {"saopaulo.txt", "plain.txt"}), ('"S\u00e3o Paulo"', {"saopaulo.txt", "plain.txt"}),
    ("\uff4f\uff49\uff4c", {"fullwidth.txt"}), ("oil", {"fullwidth.txt"}), ("finance", {"fullwidth.txt"}),
    ("\ufb01nance", {"fullwidth.txt"}),
])
def test_accents_width_and_ligatures_fold(env: dict, query: str, expected: set[str]) -> None:
    assert found(env, query) == expected


def test_the_original_spelling_is_kept_for_display(env: dict) -> None:
    _, hits, _, _ = search_json(env, "drager")
    assert hits[0]["title"] == "Dr\u00e4ger profits rise"
    text = run("search", "Sao", "Paulo", "--color", "never", env=env).stdout
    assert "S\u00e3o Paulo" in text


def test_stop_words_among_other_words_do_not_widen_the_match(env: dict) -> None:
    # Every article has "the"; among other words it is dropped, so the count is the harbour's alone.
    assert search_json(env, "the", "harbour")[2]["total"] == search_json(env, "harbour")[2]["total"] == 1
    with_the = sum(1 for text in ARTICLES.values() if "the" in text.lower().replace(",", " ").split())
    assert search_json(env, "the")[2]["total"] == with_the == 6  # alone, it is searched for
