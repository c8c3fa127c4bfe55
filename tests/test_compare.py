"""`--vs QUERY`: the main query and each comparison side by side, end to end through the installed
`search` on a real index, totals checked against the records read independently (issue 17)."""

from __future__ import annotations

import pytest
import research_corpus as rc
from conftest import assert_one_clear_error, run, search_json


@pytest.fixture(scope="module")
def reuters(tmp_path_factory) -> dict:
    return rc.build(tmp_path_factory)


def test_totals_timelines_and_facets_of_each_query(reuters):
    code, _, summary, _ = search_json(reuters, "title:oil", "--vs", "title:cocoa", "--vs", "title:gold", "-n", "0",
                                      "--timeline", "month")
    assert code == 0
    series = summary["vs"]
    assert [s["query"] for s in series] == ["title:oil", "title:cocoa", "title:gold"]
    for s, word in zip(series, ("oil", "cocoa", "gold"), strict=True):
        expected = rc.matching(word)
        assert s["total"] == len(expected)
        counted = {p["period"]: p["count"] for p in s["timeline"] if p["count"]}
        assert counted == {k: v for k, v in rc.by_month(expected).items() if k != "undated"}
        assert sum(p["count"] for p in s["timeline"]) + s["undated"] == s["total"]
        assert set(s["facets"]) == {"people", "places", "orgs"}
        assert all(len(values) <= 5 for values in s["facets"].values())
    periods = [[p["period"] for p in s["timeline"]] for s in series]
    assert periods[0] == periods[1] == periods[2]  # one set of periods for all


def test_automatic_interval_is_shared(reuters):
    _, _, summary, _ = search_json(reuters, "title:oil", "--vs", "title:cocoa", "-n", "0")
    assert len({s["interval"] for s in summary["vs"]}) == 1
    assert len({len(s["timeline"]) for s in summary["vs"]}) == 1


def test_same_filters_apply_to_every_query(reuters):
    _, _, summary, _ = search_json(reuters, "title:oil", "--vs", "title:cocoa", "--since", "1987-04-01", "-n", "0",
                                   "--timeline", "month")
    for s, word in zip(summary["vs"], ("oil", "cocoa"), strict=True):
        expected = [r for r in rc.matching(word) if r["date"] and r["date"] >= "1987-04-01"]
        assert s["total"] == len(expected)
        assert s["undated"] == 0


def test_comparison_uses_the_chosen_facets(reuters):
    _, _, summary, _ = search_json(reuters, "title:oil", "--vs", "title:gold", "-n", "0", "--facets", "places",
                                   "--facet-size", "2")
    for s in summary["vs"]:
        assert list(s["facets"]) == ["places"] and len(s["facets"]["places"]) <= 2


def test_text_shows_totals_and_one_chart_with_a_column_each(reuters):
    result = run("search", "title:oil", "--vs", "title:cocoa", "-n", "0", "--timeline", "month",
                 env={**reuters, "COLUMNS": "100"})
    lines = result.stdout.splitlines()
    assert f"  {len(rc.matching('oil')):>7}  title:oil" in lines
    assert f"  {len(rc.matching('cocoa')):>7}  title:cocoa" in lines
    chart = lines[lines.index("Timeline (month, matching articles)") + 1:]
    assert chart[0].split() == ["title:oil", "title:cocoa"]
    oil, cocoa = rc.by_month(rc.matching("oil")), rc.by_month(rc.matching("cocoa"))
    for line in chart[1:]:
        cells = line.replace("#", " ").split()
        if cells[0] == "undated":
            assert cells[1:] == [str(oil["undated"]), str(cocoa["undated"])]
        else:
            assert cells[1:] == [str(oil[cells[0]]), str(cocoa[cells[0]])]
        assert len(line) <= 100


def test_a_comparison_that_matches_nothing_and_an_empty_one(reuters):
    code, _, summary, _ = search_json(reuters, "title:oil", "--vs", "zzxqvw", "-n", "0")
    assert code == 0 and summary["vs"][1]["total"] == 0
    assert all(p["count"] == 0 for p in summary["vs"][1]["timeline"])
    assert_one_clear_error(run("search", "title:oil", "--vs", " ", env=reuters), 2, "--vs needs words")
