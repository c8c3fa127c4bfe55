"""Words found as typed rank higher (search/rank.py _nearness): through the installed `search` on a
real index of articles that differ only in where the query's words stand."""

from __future__ import annotations

import pytest
from conftest import index_of, search_json

from newsgrep.index.schema import build_schema
from newsgrep.search.query import parse

# Each pair: the same words, as many of them, in texts of the same length: equal BM25 scores.
ARTICLES = {
    "apart": ("Harbour report", "Talks on the harbour stalled and peace returned to the city."),
    "together": ("Harbour report", "Peace talks on the harbour stalled and returned to the city."),
    "reversed": ("Rates news", "In England the bank raised its rates."),
    "named": ("Rates news", "The Bank of England raised its rates."),
}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return index_of(tmp_path_factory.mktemp("nearness"), ARTICLES)


def _scores(env: dict, *args: str) -> dict[str, float]:
    code, hits, summary, err = search_json(env, *args)
    assert code == 0, err
    assert summary["total"] == len(hits)
    return {hit["path"].rsplit("/", 1)[-1].removesuffix(".txt"): hit["score"] for hit in hits}


@pytest.mark.parametrize(("words", "near", "far"), [
    ("peace talks", "together", "apart"),
    ("Bank of England", "named", "reversed"),  # "of" is dropped from the query but counted in the distance
])
def test_words_as_typed_rank_first_and_match_the_same(env: dict, words: str, near: str, far: str) -> None:
    scores = _scores(env, *words.split())
    assert set(scores) == {near, far}  # nearness changes scores, never which articles match
    assert scores[near] > scores[far]
    plain = _scores(env, " AND ".join(w for w in words.split() if w != "of"))  # operators: no nearness
    assert set(plain) == {near, far}
    assert plain[near] == pytest.approx(plain[far])


@pytest.mark.parametrize(("text", "pairs"), [
    ("peace talks", [("peac", "talk", 1)]),
    ("Bank of England", [("bank", "england", 2)]),
    ("oil oil prices", [("oil", "price", 1)]),
    ("oil", []),
    ("oil -opec", []),
    ('"oil prices" rise', []),
    ("oil AND prices", []),
])
def test_near_pairs_only_for_plain_words(text: str, pairs: list) -> None:
    assert parse(text, build_schema()).near == pairs
