"""What `search` prints: ranked hits in text and JSON Lines, paging and date order, colour, snippets,
and the exit codes (the installed script as a real process for those, and for the output end to end)."""

from __future__ import annotations

from pathlib import Path

from conftest import run, run_script, search_json

from newsgrep.search.snippets import END, START, lead, plain, split_marks

DATED = "000_a0d3785bc3cde7c2.txt"  # the one seed with a date


def test_peace_talks_lists_seeds_ranked(seeded: dict) -> None:
    """Two words count the articles holding both (four seeds); --any, those holding either (all five)."""
    code, hits, summary, _ = search_json(seeded, "peace talks", process=True)
    assert code == 0 and summary["total"] == 4 and len(hits) == 4
    code, hits, summary, _ = search_json(seeded, "peace talks", "--any", process=True)
    assert code == 0
    assert summary["total"] == 5 and len(hits) == 5
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert [h["rank"] for h in hits] == [1, 2, 3, 4, 5]
    assert Path(hits[0]["path"]).name == DATED
    for hit in hits:
        assert set(hit) >= {"id", "path", "title", "date", "score", "snippet", "people", "places", "orgs"}
        assert "\x02" not in hit["snippet"] and hit["snippet"]


def test_text_output_shows_rank_title_date_path_snippet(seeded: dict) -> None:
    result = run_script("search", "peace", "talks", env=seeded)
    assert result.returncode == 0
    first = result.stdout.splitlines()[:3]
    assert first[0].startswith("1. Ukraine-Russia latest news") and first[0].endswith("2022-03-18")
    assert first[1].strip().endswith(DATED)
    assert "peace talks" in first[2].lower()
    assert "\x1b[" not in result.stdout
    assert "4 matching articles" in result.stdout


def test_sort_by_date_limit_and_page(seeded: dict) -> None:
    _, hits, _, _ = search_json(seeded, "peace talks", "--sort", "date", "-n", "2")
    assert len(hits) == 2 and hits[0]["date"] == "2022-03-18"
    _, hits, summary, _ = search_json(seeded, "peace talks", "--any", "-n", "2", "--page", "3")
    assert len(hits) == 1 and hits[0]["rank"] == 5 and summary["pages"] == 3


def test_colour_only_when_asked_or_on_a_terminal(seeded: dict) -> None:
    plain = run("search", "peace", env=seeded)
    coloured = run("search", "peace", "--color", "always", env=seeded)
    assert "\x1b[" not in plain.stdout and "\x1b[1;31m" in coloured.stdout
    assert "\x1b[" not in run("search", "peace", "--color", "never", env=seeded).stdout


def test_exit_codes(seeded: dict, tmp_path: Path) -> None:
    assert run_script("search", "zzyzx", env=seeded).returncode == 1
    bad_date = run_script("search", "peace", "--since", "2022-02-30", env=seeded)
    assert bad_date.returncode == 2 and "no such date" in bad_date.stderr
    assert len(bad_date.stderr.strip().splitlines()) == 1
    reversed_range = run_script("search", "peace", "--since", "2022-04-01", "--until", "2022-03-01", env=seeded)
    assert reversed_range.returncode == 2
    assert "--since 2022-04-01 is after --until 2022-03-01" in reversed_range.stderr  # the library names fields
    bad_size = run_script("search", "peace", "--facets", "--facet-size", "0", env=seeded)
    assert bad_size.returncode == 2 and "--facet-size must be between" in bad_size.stderr
    no_name = run_script("search", "peace", "--person", " ", env=seeded)
    assert no_name.returncode == 2 and "--person needs a name" in no_name.stderr
    assert run_script("search", "peace", "--bogus", env=seeded).returncode == 2
    assert run_script("search", env=seeded).returncode == 2
    missing = run_script("search", "peace", "--index-dir", str(tmp_path / "nowhere"))
    assert missing.returncode == 3 and "no index" in missing.stderr and "Traceback" not in missing.stderr


def test_snippets_between_equal_fragments_take_the_earliest(tmp_path: Path) -> None:
    """Whoosh breaks ties between equally good fragments by memory address; ours go by position, so
    the same search shows the same snippet every time."""
    filler = " ".join(f"filler{i}" for i in range(60))
    body = f"First zephyrine mention. {filler} Second zephyrine mention. {filler} Third zephyrine mention."
    (tmp_path / "a.txt").write_text(f"A headline\n\n{body}\n", encoding="utf-8")
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    assert run("search-index", "add", str(tmp_path / "a.txt"), env=env).returncode == 0
    snippets = set()
    for _ in range(4):
        code, hits, _, _ = search_json(env, "zephyrine")
        assert code == 0
        snippets.add(hits[0]["snippet"])
    assert len(snippets) == 1
    (snippet,) = snippets
    assert "First" in snippet and "Second" in snippet and "Third" not in snippet, snippet


def test_split_marks_and_plain() -> None:
    marked = f"the {START}peace{END} and {START}talks{END}"
    assert split_marks(marked) == [("the ", False), ("peace", True), (" and ", False), ("talks", True)]
    assert plain(marked) == "the peace and talks"


def test_lead_cuts_at_a_word() -> None:
    text = "word " * 100
    out = lead(text, 50)
    assert out.endswith(" …") and len(out) <= 52 and "wor …" not in out
    assert lead("short text") == "short text"
