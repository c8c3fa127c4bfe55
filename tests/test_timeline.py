"""`--timeline` and `--normalize`: periods, counts against the records read independently, the chart
in a terminal's width, plain characters off a terminal (issue 17)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import research_corpus as rc
from conftest import run, search_json

from newsgrep.search import timeline as tl


def test_period_labels_and_iso_weeks_across_a_new_year():
    day = dt.date(2021, 1, 3)  # a Sunday: ISO week 53 of 2020
    assert [tl.period_of(day, i) for i in tl.INTERVALS] == ["2021-01-03", "2020-W53", "2021-01", "2021"]
    assert tl.periods_between(20201230, 20210105, "week") == ["2020-W53", "2021-W01"]
    assert tl.periods_between(20211115, 20220203, "month") == ["2021-11", "2021-12", "2022-01", "2022-02"]
    assert tl.periods_between(20200229, 20200302, "day") == ["2020-02-29", "2020-03-01", "2020-03-02"]


def test_automatic_interval_follows_the_span():
    assert tl.pick_interval(20220301, 20220331) == "day"
    assert tl.pick_interval(20220101, 20221231) == "week"
    assert tl.pick_interval(20180101, 20221231) == "month"
    assert tl.pick_interval(1990_01_01, 2022_12_31) == "year"


def test_period_counts_are_the_lengths_of_the_period_lists():
    """count_periods (what pick_interval compares) is len(periods_between) for every interval, over
    spans inside a period, across month, year and ISO-week boundaries, and leap days."""
    import random

    rng = random.Random(17)
    start = dt.date(1986, 12, 20)
    days = [start + dt.timedelta(days=rng.randrange(900)) for _ in range(150)]
    days += [dt.date(1987, 12, 28), dt.date(1988, 1, 3), dt.date(1988, 2, 29), dt.date(1988, 3, 1)]
    for low in days[::3]:
        for high in days[::5]:
            if high < low:
                continue
            a, b = int(low.strftime("%Y%m%d")), int(high.strftime("%Y%m%d"))
            for interval in tl.INTERVALS:
                assert tl.count_periods(a, b, interval) == len(tl.periods_between(a, b, interval)), (low, interval)


def test_build_fills_empty_periods_and_keeps_undated_apart():
    t = tl.build([20220103, 20220103, 20220301, 0], "month", (20220103, 20220301))
    assert [(p.period, p.count, p.share) for p in t.periods] == [
        ("2022-01", 2, 0.5), ("2022-02", 0, 0.0), ("2022-03", 1, 0.25)]
    assert t.undated == 1


@pytest.fixture(scope="module")
def reuters(tmp_path_factory) -> dict:
    return rc.build(tmp_path_factory)


def test_month_timeline_counts_match_an_independent_count(reuters):
    expected = rc.by_month(rc.matching("cocoa"))
    code, _, summary, _ = search_json(reuters, "title:cocoa", "-n", "0", "--timeline", "month")
    assert code == 0 and summary["interval"] == "month"
    counted = {p["period"]: p["count"] for p in summary["timeline"] if p["count"]}
    assert counted == {k: v for k, v in expected.items() if k != "undated"}
    assert summary["undated"] == expected["undated"] == 2
    assert sum(p["count"] for p in summary["timeline"]) + summary["undated"] == summary["total"]
    for p in summary["timeline"]:
        assert p["share"] == pytest.approx(p["count"] / summary["total"], abs=1e-6)


def test_week_and_day_timelines_sum_to_the_dated_matches(reuters):
    dated = [r for r in rc.matching("oil") if r["date"]]
    for interval in ("week", "day", "year"):
        _, _, summary, _ = search_json(reuters, "title:oil", "-n", "0", "--timeline", interval)
        assert sum(p["count"] for p in summary["timeline"]) == len(dated), interval
    _, _, days, _ = search_json(reuters, "title:oil", "-n", "0", "--timeline", "day")
    assert {p["period"]: p["count"] for p in days["timeline"] if p["count"]} == Counter(r["date"] for r in dated)


def test_bare_timeline_picks_the_interval_and_leaves_the_words(reuters):
    _, _, summary, _ = search_json(reuters, "--timeline", "title:oil", "-n", "0")
    assert summary["interval"] == "week"  # Reuters-21578 runs from February to October 1987
    assert summary["total"] == len(rc.matching("oil"))


def test_normalized_timeline_divides_by_every_indexed_article_of_the_period(reuters):
    everything = rc.by_month(rc.records())
    _, _, summary, _ = search_json(reuters, "title:oil", "-n", "0", "--timeline", "month", "--normalize")
    assert summary["normalized"] is True
    for p in summary["timeline"]:
        assert p["articles"] == everything[p["period"]]
        assert p["share"] == pytest.approx(p["count"] / p["articles"] if p["articles"] else 0.0, abs=1e-6)


def test_chart_fits_the_width_with_plain_characters_off_a_terminal(reuters):
    result = run("search", "title:oil", "-n", "0", "--timeline", "month", env={**reuters, "COLUMNS": "60"})
    lines = result.stdout.splitlines()
    start = lines.index("Timeline (month, matching articles)")
    rows = lines[start + 1:]
    assert rows and all(len(line) <= 60 for line in rows)
    assert all(line.isascii() for line in rows)
    expected = rc.by_month(rc.matching("oil"))
    top = max(expected.values())
    for line in rows:
        period, *_, count = line.split()
        assert int(count) == expected.get(period, 0)
        assert line.count("#") == (round((60 - 7 - 2 - len(str(top)) - 2) * int(count) / top) if int(count) else 0)


def test_chart_uses_unicode_blocks_with_colour(reuters):
    result = run("search", "title:oil", "-n", "0", "--timeline", "month", "--color", "always", env=reuters)
    assert "█" in result.stdout and "#" not in result.stdout


def test_undated_articles_are_counted_apart_on_the_seeds(seeded):
    result = run("search", "talks", "-n", "0", "--timeline", env=seeded)
    assert result.stdout.splitlines()[-2:] == ["2022-03-18  " + "#" * (80 - 10 - 2 - 1 - 2) + " 1", "undated     4"]


def test_normalized_base_leaves_out_removed_articles(tmp_path):
    folder, env = tmp_path / "articles", {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    folder.mkdir()
    days = ["2022-01-05", "2022-01-20", "2022-02-02", "2022-02-03", "2022-02-04", "2022-03-09"]
    for i, day in enumerate(days):
        word = "harbour" if i % 2 == 0 else "council"
        (folder / f"a{i}.txt").write_text(f"date {day} Story {i}\n\nThe {word} met on story {i}.\n", encoding="utf-8")
    assert run("search-index", "add", str(folder), env=env).returncode == 0
    (folder / "a2.txt").unlink()  # a February harbour story: its document is deleted from the segment
    assert run("search-index", "add", str(folder), env=env).returncode == 0
    _, _, summary, _ = search_json(env, "harbour", "-n", "0", "--timeline", "month", "--normalize")
    # periods run from the first to the last dated match (March has only a council story)
    assert [(p["period"], p["count"], p["articles"]) for p in summary["timeline"]] == [
        ("2022-01", 1, 2), ("2022-02", 1, 2)]
    assert [p["share"] for p in summary["timeline"]] == [0.5, 0.5]
