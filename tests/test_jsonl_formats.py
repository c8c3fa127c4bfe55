"""JSON Lines as other tools write them (news-please, trafilatura, newspaper, Media Cloud), their date
forms, and a record nested too deeply to read: through the installed commands on a real index."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import json_lines, run

from newsgrep.index.read import parse_date_value

NOV_19 = dt.date(2019, 11, 19)


@pytest.mark.parametrize("value", [
    "2019-11-19", "2019-11-19T07:47:00Z", "2019-11-19T07:47:00+01:00", "2019-11-19 07:47:00",
    "Tue, 19 Nov 2019 07:47:00 GMT", "Tue, 19 Nov 2019 07:47:00 -0500", 1574149620, "1574149620",
    1574149620000, 1574149620.5, "November 19, 2019", "Nov 19, 2019", "19 November 2019", 20191119,
    "20191119",
])
def test_every_common_date_form_parses(value: object) -> None:
    assert parse_date_value(value) == NOV_19


@pytest.mark.parametrize("value", [
    "0001-01-01T00:00:00", "1700-05-01", "2999-01-01", "next Tuesday", "", None, True, [2019], {},
    "2019-02-30", "20191399", float("nan"), 1e300,
])
def test_placeholders_impossible_and_implausible_dates_are_no_date(value: object) -> None:
    assert parse_date_value(value) is None


def test_a_date_in_two_days_is_kept_and_one_in_a_week_is_not() -> None:
    today = dt.date.today()
    assert parse_date_value((today + dt.timedelta(days=2)).isoformat()) == today + dt.timedelta(days=2)
    assert parse_date_value((today + dt.timedelta(days=7)).isoformat()) is None


BODY = ("The harbour council approved a new budget for the river bridge on Tuesday, officials said. "
        "Work on the {word} crossing is to start in the spring and take two years to finish.")

RECORDS = [
    # news-please
    {"title": "Harbour bridge approved", "maintext": BODY.format(word="newsplease"),
     "date_publish": "2019-11-19 07:47:00", "url": "https://example.com/a", "source_domain": "example.com",
     "language": "en", "authors": ["Jane Doe"]},
    # trafilatura --json
    {"title": "Harbour bridge approved", "text": BODY.format(word="trafilatura"), "date": "2019-11-19",
     "url": "https://example.org/b", "hostname": "example.org", "author": "John Roe"},
    # newspaper-style
    {"title": "Harbour bridge approved", "text": BODY.format(word="newspaperstyle"),
     "publish_date": "Tue, 19 Nov 2019 07:47:00 GMT"},
    # Media Cloud export: epoch milliseconds
    {"title": "Harbour bridge approved", "text": BODY.format(word="mediacloud"),
     "publish_date": 1574149620000, "url": "https://example.net/c", "media_name": "Example News"},
    # "November 19, 2019" and a compact date
    {"title": "Harbour bridge approved", "body": BODY.format(word="spelledout"), "date": "November 19, 2019"},
    {"title": "Harbour bridge approved", "body": BODY.format(word="compact"), "date": 20191119},
    # a placeholder date, and the record's own entity lists (not trusted: ours are indexed)
    {"title": "Harbour bridge approved", "body": BODY.format(word="placeholder"),
     "date": "0001-01-01T00:00:00", "people": ["nobody-at-all"], "places": ["atlantis"]},
]


def test_other_tools_fields_are_read_end_to_end(tmp_path: Path, index_env: dict) -> None:
    source = tmp_path / "scraped.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    result = run("search-index", "add", str(source), env=index_env)
    assert result.returncode == 0, result.stderr
    for word in ("newsplease", "trafilatura", "newspaperstyle", "mediacloud", "spelledout", "compact"):
        hits = json_lines(run("search", word, "--json", env=index_env).stdout)
        assert hits[0]["date"] == "2019-11-19", (word, hits)
        assert hits[0]["title"] == "Harbour bridge approved"
    hits = json_lines(run("search", "placeholder", "--json", env=index_env).stdout)
    assert hits[0]["date"] is None
    assert "nobody-at-all" not in json.dumps(hits[0]) and "Atlantis" not in hits[0]["places"]
    urls = {h["url"] for h in json_lines(run("search", "harbour", "--json", "-n", "20", env=index_env).stdout)
            if "url" in h}
    assert {"https://example.com/a", "https://example.org/b", "https://example.net/c"} <= urls


def test_a_record_nested_200000_levels_deep_is_skipped_and_the_rest_indexed(tmp_path: Path,
                                                                           index_env: dict) -> None:
    source = tmp_path / "deep.jsonl"
    deep = '{"title": "Deep", "body": ' + "[" * 200_000 + "]" * 200_000 + "}"
    good = [json.dumps({"title": f"Story {i}", "body": BODY.format(word=f"deepbatch{i}")}) for i in range(3)]
    source.write_text("\n".join([good[0], deep, good[1], good[2]]) + "\n", encoding="utf-8")
    result = run("search-index", "add", str(source), env=index_env)
    assert result.returncode == 1, result.stderr
    assert f"{source}:2: JSON nested too deeply to read" in result.stderr
    assert "Traceback" not in result.stderr
    for i in range(3):
        assert run("search", f"deepbatch{i}", env=index_env).returncode == 0
