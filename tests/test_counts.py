"""`--count`, `-l`, `-n 0`, `--facets LIST`, `--facet-size`, `--sort date-asc`, JSON record types and
`--version`, end to end through the installed `search` on real indexes (issue 17)."""

from __future__ import annotations

import pytest
import research_corpus as rc
from conftest import assert_one_clear_error, json_lines, run, search_json


@pytest.fixture(scope="module")
def reuters(tmp_path_factory) -> dict:
    return rc.build(tmp_path_factory)


def test_count_is_the_number_of_matching_articles(reuters):
    expected = len(rc.matching("cocoa"))
    assert expected > 5
    result = run("search", "title:cocoa", "--count", env=reuters)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{expected}\n", "")


def test_count_of_nothing_is_zero_with_exit_1(reuters):
    result = run("search", "zzxqvw", "--count", env=reuters)
    assert (result.returncode, result.stdout) == (1, "0\n")


def test_count_without_words_counts_the_whole_index_and_filters_apply(reuters):
    result = run("search", "--count", env=reuters)
    assert result.stdout == f"{len(rc.records())}\n"
    march = [r for r in rc.matching("cocoa") if r["date"] and r["date"].startswith("1987-03")]
    result = run("search", "title:cocoa", "--since", "1987-03", "--until", "1987-03", "--count", "--json", env=reuters)
    assert json_lines(result.stdout) == [{"type": "summary", "total": len(march)}]


def test_files_only_lists_every_match_once(reuters):
    result = run("search", "title:cocoa", "-l", env=reuters)
    assert result.returncode == 0, result.stderr
    ids = result.stdout.splitlines()
    assert len(ids) == len(set(ids))
    assert set(ids) == {r["id"] for r in rc.matching("cocoa")}


def test_files_only_paths_of_text_files(seeded, shared_seeds):
    result = run("search", "talks", "--files-only", env=seeded)
    assert result.returncode == 0
    assert set(result.stdout.splitlines()) == {str(p) for p in shared_seeds.glob("*.txt")
                                               if "talks" in p.read_text(encoding="utf-8").lower()}


def test_files_only_into_a_closed_pipe_is_quiet(reuters):
    import subprocess

    from conftest import script

    proc = subprocess.run(f"'{script('search')}' -l --since 1987 | head -1", shell=True, capture_output=True,
                          text=True, env={**__import__('os').environ, **reuters}, timeout=120, check=False)
    assert len(proc.stdout.splitlines()) == 1
    assert proc.stderr == ""


def test_limit_zero_gives_the_summary_only(reuters):
    code, hits, summary, _ = search_json(reuters, "title:cocoa", "-n", "0", "--facets")
    assert code == 0 and hits == []
    assert summary["type"] == "summary" and summary["total"] == len(rc.matching("cocoa"))
    months = {f["value"]: f["count"] for f in summary["facets"]["months"]}
    assert months == dict(rc.by_month(rc.matching("cocoa")))
    text = run("search", "title:cocoa", "-n", "0", "--facets", env=reuters).stdout
    assert text.startswith(f"{summary['total']} matching articles\n")
    assert "1. " not in text


def test_json_records_carry_their_type(reuters):
    code, hits, summary, _ = search_json(reuters, "title:cocoa", "-n", "3")
    assert code == 0 and [h["type"] for h in hits] == ["hit"] * 3 and summary["type"] == "summary"


def test_chosen_facets_in_the_order_asked_with_their_size(reuters):
    code, _, full, _ = search_json(reuters, "title:cocoa", "-n", "0", "--facets", "--facet-size", "1000")
    code, _, summary, _ = search_json(reuters, "title:cocoa", "-n", "0", "--facets", "places,months",
                                      "--facet-size", "3")
    assert list(summary["facets"]) == ["places", "months"]
    assert summary["facets"]["places"] == full["facets"]["places"][:3]
    assert summary["facets"]["months"] == full["facets"]["months"]  # months are a histogram: never cut
    text = run("search", "title:cocoa", "-n", "0", "--facets", "orgs", env=reuters).stdout
    assert "Organisations" in text and "People" not in text and "Months" not in text


def test_bare_facets_before_words_keeps_the_words(reuters):
    code, _, summary, _ = search_json(reuters, "--facets", "title:cocoa", "-n", "0")
    assert summary["total"] == len(rc.matching("cocoa"))
    assert list(summary["facets"]) == ["people", "places", "orgs", "months"]


def test_unknown_facet_and_bad_size_are_usage_errors(reuters):
    assert_one_clear_error(run("search", "title:cocoa", "--facets=people,colours", env=reuters), 2, "unknown facet")
    result = run("search", "title:cocoa", "--facets", "--facet-size", "0", env=reuters)
    assert_one_clear_error(result, 2, "--facet-size")
    assert_one_clear_error(run("search", "title:cocoa", "-n", "-1", env=reuters), 2, "--limit")


def test_sources_facet_counts_or_says_the_index_has_none(reuters):
    result = run("search", "title:cocoa", "--json", "-n", "0", "--facets", "sources", env=reuters)
    if result.returncode == 2:
        assert_one_clear_error(result, 2, "no source field")
    else:
        assert "sources" in json_lines(result.stdout)[-1]["facets"]


def test_sort_date_asc_is_oldest_first_undated_last(reuters):
    total = len(rc.matching("cocoa"))
    _, hits, _, _ = search_json(reuters, "title:cocoa", "--sort", "date-asc", "-n", str(total))
    dates = [h["date"] for h in hits]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and len(dated) < len(dates)
    assert dates[len(dated):] == [None] * (len(dates) - len(dated))
    _, newest, _, _ = search_json(reuters, "title:cocoa", "--sort", "date", "-n", str(total))
    assert [h["date"] for h in newest if h["date"]] == dated[::-1]


def test_version_of_both_commands():
    for name in ("search", "search-index"):
        result = run(name, "--version")
        assert result.returncode == 0 and result.stdout.startswith(f"{name} (newsgrep) "), result


@pytest.mark.parametrize(("args", "needle"), [
    (["--timeline=sideways"], "--timeline"),
    (["--export", "xml"], "xml"),
    (["--top-words", "-1"], "--top-words"),
    (["--facet-size", "100000", "--facets"], "--facet-size"),
    ([arg for i in range(9) for arg in ("--vs", f"word{i}")], "--vs"),
    (["--plot", "chart.pdf"], ".svg or .png"),
])
def test_bad_research_options_are_one_line_errors(seeded, args, needle):
    assert_one_clear_error(run("search", "talks", *args, env=seeded), 2, needle)
