"""`search-index` end to end on a real index in a temp directory: add (with its report), incremental
add/update/remove, rebuild, stats, HTML and JSON Lines sources, `clean` and `entities`, and the first
`search` building an index from the bundled seeds. The writers always run as real processes of the
installed scripts; so do the searches and reads of the end-to-end tests (run_script, process=True)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import SEEDS, json_lines, run, run_script, search_json

DATED = "000_a0d3785bc3cde7c2.txt"  # the one seed with a date


def test_add_reports_and_stats_count_articles(seeded: dict) -> None:
    info = json.loads(run_script("search-index", "stats", "--json", env=seeded).stdout)
    assert info["articles"] == 5
    assert info["files"] == 5
    assert info["undated"] == 4
    assert info["first_month"] == info["last_month"] == "2022-03"
    text = run_script("search-index", "stats", env=seeded)
    assert text.returncode == 0
    rows = dict(line.split(None, 1) for line in text.stdout.splitlines() if " " in line.strip())
    assert (rows["articles"].strip(), rows["files"].strip(), rows["undated"].strip()) == ("5", "5", "4")


def test_incremental_add_update_remove(own_seeded: dict, seed_dir: Path) -> None:
    touched = seed_dir / "004_f57ce8134689f8c4.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))  # same bytes
    again = run_script("search-index", "add", str(seed_dir), env=own_seeded)
    assert "added 0, updated 0, removed 0, unchanged 5" in again.stdout
    changed = seed_dir / "002_9e399dbe6bb56438.txt"
    text = changed.read_text(encoding="utf-8")
    assert "Russia did not comment on the idea." in text
    changed.write_text(text.replace("on the idea.", "on the zanzibar idea."), encoding="utf-8")
    (seed_dir / "001_36bb195d2287ec20.txt").unlink()
    (seed_dir / "new.txt").write_text("date 2023-01-05 Quokka summit\nA quokka summit was held in Perth.\n",
                                      encoding="utf-8")
    result = run_script("search-index", "add", str(seed_dir), env=own_seeded)
    assert result.returncode == 0, result.stderr
    assert "added 1, updated 1, removed 1, unchanged 3" in result.stdout
    _, hits, _, _ = search_json(own_seeded, "zanzibar", process=True)
    assert [Path(h["path"]).name[:3] for h in hits] == ["002"]
    assert search_json(own_seeded, "upbraided", process=True)[2]["total"] == 0
    _, hits, _, _ = search_json(own_seeded, "quokka", "--since", "2023-01-01", process=True)
    assert hits[0]["title"] == "Quokka summit" and hits[0]["date"] == "2023-01-05"
    assert json.loads(run_script("search-index", "stats", "--json", env=own_seeded).stdout)["articles"] == 5


def test_rebuild_swaps_in_a_fresh_index(own_seeded: dict, seed_dir: Path, tmp_path: Path) -> None:
    root = Path(own_seeded["SEARCH_INDEX_DIR"])
    before = (root / "CURRENT").read_text().strip()
    (seed_dir / "003_7bfa49f6c0b4bacc.txt").unlink()
    result = run_script("search-index", "rebuild", env=own_seeded)
    assert result.returncode == 0 and "added 4" in result.stdout
    after = (root / "CURRENT").read_text().strip()
    assert after != before and not (root / before).exists()
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(("gen-", "tmp-"))) == [after]
    assert json.loads(run_script("search-index", "stats", "--json", env=own_seeded).stdout)["articles"] == 4


def test_html_and_jsonl_sources(tmp_path: Path, index_env: dict) -> None:
    src = tmp_path / "mixed"
    src.mkdir()
    (src / "page.html").write_text(
        "<html><head><title>Site | Walrus census</title>"
        '<meta property="og:title" content="Walrus census completed">'
        '<meta property="article:published_time" content="2021-06-02T10:00:00Z"></head>'
        "<body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav><article><h1>Walrus census completed</h1>"
        "<p>Scientists in Norway finished counting walruses on Svalbard this week, the institute said.</p>"
        "<p>The census found more walruses than the last count in 2018, researchers reported on Tuesday.</p>"
        "</article><footer>Copyright 2021 Example News. All rights reserved.</footer></body></html>",
        encoding="utf-8")
    (src / "feed.jsonl").write_text(
        json.dumps({"id": "a1", "title": "Otter news", "date": "2020-01-02",
                    "body": "Otters returned to the River Thames in London, officials said on Monday."}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "a2", "title": "Badger news", "body": "Badgers were seen near Oxford."}) + "\n",
        encoding="utf-8")
    result = run("search-index", "add", str(src), env=index_env)
    assert result.returncode == 1
    assert "feed.jsonl:2: not valid JSON" in result.stderr
    _, hits, _, _ = search_json(index_env, "walrus")
    assert hits[0]["title"] == "Walrus census completed" and hits[0]["date"] == "2021-06-02"
    assert "Home" not in hits[0]["snippet"] and "Copyright" not in hits[0]["snippet"]
    _, hits, _, _ = search_json(index_env, "otters")
    assert hits[0]["id"].endswith("feed.jsonl#a1") and hits[0]["date"] == "2020-01-02"
    assert search_json(index_env, "badgers")[1][0]["date"] is None


def test_clean_shows_cleaned_article(seeded: dict) -> None:
    result = run_script("search-index", "clean", str(SEEDS / "001_36bb195d2287ec20.txt"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"].startswith("Russia desperately tries") and data["date"] is None
    assert "Read Full Article" not in data["body"] and "Sergei Lavrov" in data["people"]
    assert set(data) >= {"path", "title", "date", "body", "people", "places", "orgs"}
    text = run_script("search-index", "clean", str(SEEDS / DATED))
    assert "date:   2022-03-18" in text.stdout
    assert run_script("search-index", "clean", "/no/such/file.txt").returncode == 2


def test_entities_prints_offsets_and_canonical_names() -> None:
    text = "Mr Lavrov met Liz Truss in Kiev on Thursday.\n"
    result = run_script("search-index", "entities", "--json", input=text)
    assert result.returncode == 0, result.stderr
    mentions = json_lines(result.stdout)
    by_text = {m["text"]: m for m in mentions}
    for m in mentions:
        assert text[m["start"]:m["end"]] == m["text"]
    assert by_text["Kiev"]["canonical"] == "Kyiv" and by_text["Kiev"]["type"] == "place"
    assert by_text["Liz Truss"]["type"] == "person"
    assert any(m["canonical"] == "Sergei Lavrov" for m in mentions)


def test_first_search_builds_index_from_bundled_seeds(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "SEARCH_INDEX_DIR": ""}
    result = run_script("search", "peace talks", env=env)
    assert result.returncode == 0, result.stderr
    assert "building one" in result.stderr and "4 matching articles" in result.stdout
    assert (tmp_path / "data" / "newsgrep" / "index" / "CURRENT").exists()
    second = run_script("search", "peace talks", env=env)
    assert second.returncode == 0 and "building" not in second.stderr


def test_stats_count_only_the_articles_left_after_a_removal(own_seeded: dict, seed_dir: Path) -> None:
    """Whoosh keeps a removed article's terms until a merge; stats count what is searchable."""
    before = json.loads(run("search-index", "stats", "--json", env=own_seeded).stdout)
    dated = seed_dir / "000_a0d3785bc3cde7c2.txt"  # the one seed with a date (2022-03)
    gone_people = set(json_lines(run("search-index", "clean", str(dated), "--json").stdout)[0]["people"])
    dated.unlink()
    assert run("search-index", "add", str(seed_dir), env=own_seeded).returncode == 0
    after = json.loads(run("search-index", "stats", "--json", env=own_seeded).stdout)
    assert after["articles"] == before["articles"] - 1 == 4
    assert after["undated"] == before["undated"] == 4
    assert before["first_month"] == "2022-03" and after["first_month"] is None and after["last_month"] is None
    hits = json_lines(run("search", "the", "--json", "-n", "10", env=own_seeded).stdout)[:-1]
    assert len(hits) == 4
    left = {name for hit in hits for name in hit["people"]}
    assert after["distinct_people"] == len(left) < before["distinct_people"]
    assert gone_people - left  # names only the removed article had are no longer counted
