""""Did you mean" through the installed `search`, on an index whose word counts the test controls."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run, run_script, search_json

from newsgrep.search.suggest import edits, typing_cost


@pytest.mark.parametrize(("a", "b", "n"), [
    ("prices", "prices", 0), ("pirces", "prices", 1), ("cocao", "cocoa", 1), ("cocao", "coca", 1),
    ("mitterand", "mitterrand", 1), ("opek", "opec", 1), ("volker", "volcker", 1), ("abc", "", 3),
    ("peece", "peace", 1), ("ca", "abc", 3),
])
def test_edits_count_a_swap_of_neighbours_as_one(a: str, b: str, n: int) -> None:
    assert edits(a, b) == n == edits(b, a)


@pytest.mark.parametrize(("typed", "likelier", "less_likely"), [
    ("prces", "prices", "peces"),  # a letter left out, against a wrong letter
    ("prcies", "prices", "pries"),  # two neighbours swapped, against an extra letter
    ("opek", "opec", "open"),  # a wrong letter that sounds the same, against another
])
def test_likelier_slips_cost_less(typed: str, likelier: str, less_likely: str) -> None:
    assert edits(typed, likelier) == edits(typed, less_likely) == 1
    assert typing_cost(typed, likelier) < typing_cost(typed, less_likely)


def _corpus(folder: Path) -> None:
    """Cocoa in 12 articles, coca in 2; Volcker in 25, Volker in 1; oil prices in 10; OPEC in 5, open
    in 15."""
    folder.mkdir()
    texts = [f"Cocoa crop report {i}\n\nIvory Coast cocoa arrivals rose again, traders said." for i in range(12)]
    texts += [f"Coca leaf ruling {i}\n\nThe court ruled on coca growers in the valley." for i in range(2)]
    texts += [f"Fed chairman speaks {i}\n\nPaul Volcker said interest rates would stay firm." for i in range(25)]
    texts += ["Local choir concert\n\nThe choir of Anna Volker sang on Sunday."]
    texts += [f"Crude market {i}\n\nOil prices rose on supply worries, dealers said." for i in range(10)]
    texts += [f"Cartel meets {i}\n\nOPEC ministers met in Vienna." for i in range(5)]
    texts += [f"Shop hours {i}\n\nThe stores stay open late." for i in range(15)]
    for i, text in enumerate(texts):
        (folder / f"a{i:03d}.txt").write_text(text + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("suggest")
    _corpus(base / "news")
    env = {"SEARCH_INDEX_DIR": str(base / "index")}
    assert run("search-index", "add", str(base / "news"), env=env).returncode == 0
    return env


@pytest.mark.parametrize(("typed", "meant"), [
    ("cocao", "cocoa"),  # one swap; "coca" is one deletion away but in fewer articles
    ("oil pirces", "oil prices"),  # each word on its own; the right one stays
    ("Volker", "Volcker"),  # known (one article), but 25 times rarer than a word one edit away
    ("VOLKER", "VOLCKER"),
    ("intrest rates", "interest rates"),
    ("opek", "opec"),  # k for c sounds the same; "open" is as many edits away and in more articles
])
def test_the_word_meant_is_suggested(env: dict, typed: str, meant: str) -> None:
    _, _, summary, _ = search_json(env, *typed.split())
    assert summary["suggestion"] == meant
    assert f"did you mean: {meant}" in run("search", *typed.split(), env=env).stdout


@pytest.mark.parametrize("typed", ["cocoa", "coca", "oil prices", "Volcker", "choir", "zqxjk"])
def test_words_that_are_right_or_far_from_everything_get_no_suggestion(env: dict, typed: str) -> None:
    _, _, summary, _ = search_json(env, *typed.split())
    assert summary["suggestion"] is None


def test_did_you_mean(seeded: dict) -> None:
    result = run_script("search", "peece tolks", env=seeded)
    assert result.returncode == 1
    assert "did you mean: peace talks" in result.stdout
    _, _, summary, _ = search_json(seeded, "peece tolks", process=True)
    assert summary["suggestion"] == "peace talks"
