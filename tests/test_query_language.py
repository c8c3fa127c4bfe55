"""The query language as people type it (issue 16) and bounded query cost (issue 12 part 10), through
the installed `search` on a real index of small articles written for each case."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_one_clear_error, index_of, run, search_json

ARTICLES = {
    "hyphen": ("Checkpoint study", "The Rad53-dependent checkpoint stops the cell cycle in yeast."),
    "apart": ("Checkpoint kinase", "A Rad53 dependent response was seen, with other kinases."),
    "rad53": ("Rad53 alone", "Rad53 is a kinase. Nothing here depends on anything."),
    "ceasefire": ("Truce holds", "The cease-fire agreed on Monday held through the night."),
    "ceasespaced": ("Truce talks", "Both sides said the cease fire would be extended."),
    "fire": ("Warehouse fire", "A fire destroyed a warehouse; firemen could not cease work."),
    "oilprices": ("Oil prices rise", "Oil prices rose as OPEC cut output."),
    "oilonly": ("Oil output", "Oil output in the North Sea fell last month."),
    "pricesonly": ("Food prices", "Food prices climbed for a third month, figures showed."),
    "opec": ("OPEC meeting", "OPEC ministers meet in Vienna on oil quotas and prices."),
    "calcium": ("Calcium signal", "Ca2+ binding proteins regulate the muscle contraction."),
    "thal": ("Blood disorder", "Alpha thalassemia is an inherited blood disorder."),
    "slip": ("Slip effect", "The slip effect in rarefied gas flow over a flat plate."),
}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return index_of(tmp_path_factory.mktemp("querylang"), ARTICLES)


def names(env: dict, *args: str) -> set[str]:
    code, hits, summary, err = search_json(env, *args, "-n", "50")
    assert code in (0, 1), err
    assert summary["total"] == len(hits)
    return {Path(h["path"]).stem for h in hits}


# ---------------------------------------------------------------- natural text is never mis-read

def test_a_hyphenated_word_matches_it_written_with_the_hyphen_or_apart(env: dict) -> None:
    assert names(env, "Rad53-dependent") == {"hyphen", "apart"}
    assert names(env, "cease-fire") == {"ceasefire", "ceasespaced"}


def test_a_spaced_hyphen_is_not_an_exclusion(env: dict) -> None:
    assert names(env, "oil - opec") == names(env, "oil opec") == {"oilprices", "opec"}


def test_a_trailing_plus_does_not_require_the_next_word(env: dict) -> None:
    assert names(env, "Ca2+ binding") == {"calcium"}
    assert "calcium" in names(env, "Ca2+ binding proteins muscle zebra")


@pytest.mark.parametrize(("text", "expected"), [
    ("alpha (+)- thalassemia", {"thal"}),
    ("(the ?slip? effect)", {"slip"}),
    ("the slip effect (in rarefied gas).", {"slip"}),
    ('He said: "the cease-fire agreed" - and so it was', {"ceasefire"}),
    ("Rad53-dependent checkpoint (see Fig. 2)!", {"hyphen"}),
])
def test_pasted_text_is_never_refused(env: dict, text: str, expected: set[str]) -> None:
    assert expected <= names(env, text)


def test_leading_minus_excludes_without_double_dash(env: dict) -> None:
    """`search oil -opec`: -opec is a word of the query, not an unknown option."""
    with_opec = names(env, "oil")
    assert names(env, "oil", "-opec") == with_opec - {"opec", "oilprices"}
    assert names(env, "oil", "-opec", "--any") == with_opec - {"opec", "oilprices"}
    assert names(env, "-opec", "oil") == names(env, "oil", "--", "-opec")
    code, _, summary, _ = search_json(env, "oil", "-n", "1", "-opec")  # options keep working around it
    assert code == 0 and summary["pages"] == len(with_opec) - 2


def test_unknown_long_options_are_still_refused(env: dict) -> None:
    assert_one_clear_error(run("search", "oil", "--limt", "3", env=env), 2, "limt")


def test_operators_still_work(env: dict) -> None:
    assert names(env, "oil OR fire") >= {"oilonly", "fire"}
    assert names(env, "oil AND prices") == {"oilprices", "opec"}
    assert names(env, "+oil prices", "--any") >= {"oilonly", "oilprices"}
    assert names(env, '"oil prices"') == {"oilprices"}
    assert names(env, "oil NOT opec") == names(env, "oil -opec")
    assert names(env, "ther*") == set() and "thal" in names(env, "thalass*")
    assert names(env, "title:fire") == {"fire"}


# ---------------------------------------------------------------- counts that mean "about this"

def test_short_queries_count_articles_with_all_the_words(env: dict) -> None:
    assert names(env, "oil prices") == {"oilprices", "opec"}
    assert names(env, "oil prices", "--all") == {"oilprices", "opec"}
    assert names(env, "oil prices", "--any") == {"oilprices", "opec", "oilonly", "pricesonly"}


def test_long_queries_count_articles_with_a_share_of_the_words(env: dict) -> None:
    """Seven words typed: an article needs two of them (a quarter, at least two); --all needs each."""
    text = "why did oil prices rise after the OPEC output cut"
    found = names(env, text)
    assert {"oilprices", "opec", "oilonly"} <= found and "fire" not in found
    assert names(env, "oil prices rose as OPEC cut output", "--all") == {"oilprices"}


def test_no_article_with_all_the_words_shows_the_best_partial_matches(env: dict) -> None:
    result = run("search", "--json", "oil", "zebra", env=env)
    assert result.returncode == 0
    assert "no article has all the words" in result.stderr and len(result.stderr.splitlines()) == 1
    assert result.stdout.count('"rank"') == 3  # the three oil articles


def test_any_and_all_together_are_refused(env: dict) -> None:
    assert_one_clear_error(run("search", "oil", "--any", "--all", env=env), 2, "--any")


# ---------------------------------------------------------------- bounded cost: each shape refused or answered

TWO = [a + b for a in "abcdefghijklmnopqrstuvwxyz" for b in "aeiou"]


@pytest.mark.parametrize(("args", "needle"), [
    ([" ".join(f"{w}~" for w in TWO[:45])], "words with * or ~"),
    ([" ".join(f"{w}*" for w in TWO[:40])], "words with * or ~"),
    ([" ".join(f"{w}^9" for w in TWO[:40])], "boosted"),
    (["(" * 350 + "oil" + ")" * 350], "nested parentheses"),
    (["oil", *(["--org", "a"] * 60)], "too many"),
    (["a*"], "wildcard"),
])
def test_expensive_shapes_are_refused_with_what_to_narrow(env: dict, args: list[str], needle: str) -> None:
    assert_one_clear_error(run("search", *args, env=env), 2, needle)


@pytest.mark.parametrize("args", [
    ["body:[a TO z]"], [" ".join(["body:[a TO z]"] * 5)], ["(" * 499], [")" * 300 + "oil"],
    ["(" * 20 + "oil" + ")" * 20], [" AND ".join(TWO[:160])], ["+" + " +".join(TWO[:160])],
    ["-" + " -".join(TWO[:160])], ["NOT " * 200 + "oil"], ["x" * 999], ["oil~9"], ["--place", "a"] * 50,
    ["pe?ce" * 100], ['"' + "oil " * 200 + '"'],
])
def test_other_hostile_shapes_are_answered_or_refused(env: dict, args: list[str]) -> None:
    result = run("search", "--json", *args, env=env, timeout=60)
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.returncode == 2:
        assert_one_clear_error(result, 2)
