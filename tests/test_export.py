"""`search --export jsonl|csv`: every matching article, not a page, through the installed `search` on
a real index, checked against the same records read independently (issue 17)."""

from __future__ import annotations

import csv
import io
import json

import pytest
import research_corpus as rc
from conftest import json_lines, run

from newsgrep.search.export import COLUMNS


@pytest.fixture(scope="module")
def reuters(tmp_path_factory) -> dict:
    return rc.build(tmp_path_factory)


def test_jsonl_export_holds_every_match_with_its_fields(reuters):
    expected = {r["id"]: r for r in rc.matching("oil")}
    result = run("search", "title:oil", "--export", "jsonl", "-n", "2", env=reuters)  # -n does not cut it
    assert result.returncode == 0, result.stderr
    rows = json_lines(result.stdout)
    assert len(rows) == len(expected) > 10
    assert {r["id"] for r in rows} == set(expected)
    for row in rows:
        assert row["type"] == "hit"
        assert set(row) == {"type", *COLUMNS}
        source = expected[row["id"]]
        assert row["date"] == source["date"]
        assert row["title"] == " ".join(source["title"].split())
        assert row["body"] and row["body"].split()[0] in source["body"]
        assert isinstance(row["people"], list) and isinstance(row["score"], float)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)


def test_export_in_date_order(reuters):
    rows = json_lines(run("search", "title:cocoa", "--export", "jsonl", "--sort", "date-asc", env=reuters).stdout)
    dated = [r["date"] for r in rows if r["date"]]
    assert dated == sorted(dated) and rows[-1]["date"] is None
    assert len(rows) == len(rc.matching("cocoa"))


def test_csv_export_reads_back_with_the_same_rows(reuters):
    result = run("search", "title:oil", "--export", "csv", env=reuters)
    assert result.returncode == 0
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(table[0]) == list(COLUMNS)
    as_jsonl = json_lines(run("search", "title:oil", "--export", "jsonl", env=reuters).stdout)
    assert [r["id"] for r in table] == [r["id"] for r in as_jsonl]
    for row, same in zip(table, as_jsonl, strict=True):
        assert row["body"] == same["body"]  # newlines and quotes survive CSV quoting
        assert row["people"] == "; ".join(same["people"])
        assert row["date"] == (same["date"] or "")


def test_export_of_the_whole_index(reuters):
    rows = run("search", "--export", "jsonl", env=reuters).stdout.splitlines()
    assert len(rows) == len(rc.records())
    assert {json.loads(r)["id"] for r in rows} == {r["id"] for r in rc.records()}


def test_export_with_filters_and_of_nothing(seeded):
    rows = json_lines(run("search", "talks", "--since", "2022-03-01", "--export", "jsonl", env=seeded).stdout)
    assert [r["date"] for r in rows] == ["2022-03-18"]
    result = run("search", "zzxqvw", "--export", "csv", env=seeded)
    assert (result.returncode, result.stdout) == (1, "")


def test_export_into_a_closed_pipe_is_quiet(reuters):
    import os
    import subprocess

    from conftest import script

    proc = subprocess.run(f"'{script('search')}' --export jsonl | head -2", shell=True, capture_output=True,
                          text=True, env={**os.environ, **reuters}, timeout=120, check=False)
    assert len(proc.stdout.splitlines()) == 2 and proc.stderr == ""


def test_pandas_reads_both_exports(reuters, tmp_path):
    pd = pytest.importorskip("pandas")
    for kind in ("jsonl", "csv"):
        path = tmp_path / f"oil.{kind}"
        path.write_text(run("search", "title:oil", "--export", kind, env=reuters).stdout, encoding="utf-8")
        frame = pd.read_json(path, lines=True) if kind == "jsonl" else pd.read_csv(path)
        assert len(frame) == len(rc.matching("oil"))
        assert set(COLUMNS) <= set(frame.columns)
        assert set(frame["id"]) == {r["id"] for r in rc.matching("oil")}
        assert frame["score"].dtype.kind == "f" and frame["rank"].tolist() == list(range(1, len(frame) + 1))
