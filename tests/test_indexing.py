"""End to end: the installed `search` and `search-index` scripts on a real index in a temp directory."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SEEDS, json_lines, run, search_json

DATED = "000_a0d3785bc3cde7c2.txt"


def test_add_reports_and_stats_count_articles(seeded: dict) -> None:
    info = json.loads(run("search-index", "stats", "--json", env=seeded).stdout)
    assert info["articles"] == 5
    assert info["files"] == 5
    assert info["undated"] == 4
    assert info["first_month"] == info["last_month"] == "2022-03"
    text = run("search-index", "stats", env=seeded)
    assert text.returncode == 0
    rows = dict(line.split(None, 1) for line in text.stdout.splitlines() if " " in line.strip())
    assert (rows["articles"].strip(), rows["files"].strip(), rows["undated"].strip()) == ("5", "5", "4")


def test_peace_talks_lists_seeds_ranked(seeded: dict) -> None:
    """Two words count the articles holding both (four seeds); --any, those holding either (all five)."""
    code, hits, summary, _ = search_json(seeded, "peace talks")
    assert code == 0 and summary["total"] == 4 and len(hits) == 4
    code, hits, summary, _ = search_json(seeded, "peace talks", "--any")
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
    result = run("search", "peace", "talks", env=seeded)
    assert result.returncode == 0
    first = result.stdout.splitlines()[:3]
    assert first[0].startswith("1. Ukraine-Russia latest news") and first[0].endswith("2022-03-18")
    assert first[1].strip().endswith(DATED)
    assert "peace talks" in first[2].lower()
    assert "\x1b[" not in result.stdout
    assert "4 matching articles" in result.stdout


def test_date_range_keeps_only_the_dated_article(seeded: dict) -> None:
    _, hits, summary, _ = search_json(seeded, "peace talks", "--since", "2022-03-01", "--until", "2022-03-31")
    assert summary["total"] == 1
    assert Path(hits[0]["path"]).name == DATED and hits[0]["date"] == "2022-03-18"
    _, hits, _, _ = search_json(seeded, "peace talks", "--since", "2022-03", "--until", "2022-03")
    assert len(hits) == 1
    code, _, summary, _ = search_json(seeded, "peace talks", "--since", "2022-03-19")
    assert summary["total"] == 0 and code == 1


def test_person_filter_exact_alias_and_surname(seeded: dict) -> None:
    _, hits, summary, _ = search_json(seeded, "talks", "--person", "Sergei Lavrov")
    exact = {Path(h["path"]).name[:3] for h in hits}
    assert exact == {"001", "002", "004"}
    assert all("Sergei Lavrov" in h["people"] for h in hits)
    _, hits, summary, _ = search_json(seeded, "talks", "--person", "lavrov")
    assert {Path(h["path"]).name[:3] for h in hits} == exact
    assert summary["matched"][0]["names"] == ["Sergei Lavrov"]
    text = run("search", "talks", "--person", "lavrov", env=seeded)
    assert "matched Sergei Lavrov" in text.stderr


def test_filters_combine_and_never_widen(seeded: dict) -> None:
    _, hits, _, _ = search_json(seeded, "peace", "--person", "Sergei Lavrov", "--place", "Malaysia")
    assert [Path(h["path"]).name[:3] for h in hits] == ["002"]
    code, hits, summary, _ = search_json(seeded, "peace", "--person", "Nobody Atall")
    assert code == 1 and summary["total"] == 0 and summary["matched"][0]["how"] == "none"


def test_filter_only_search_without_words(seeded: dict) -> None:
    code, hits, summary, _ = search_json(seeded, "--org", "nato")
    assert code == 0 and summary["total"] == 5


def test_facets_count_articles_and_months(seeded: dict) -> None:
    _, _, summary, _ = search_json(seeded, "peace talks", "--facets", "--any")  # the five with either word
    facets = summary["facets"]
    months = {m["value"]: m["count"] for m in facets["months"]}
    assert months == {"2022-03": 1, "undated": 4}
    assert facets["months"][-1]["value"] == "undated"
    people = {p["value"]: p["count"] for p in facets["people"]}
    assert people.get("Vladimir Putin", 0) >= 3
    assert people.get("Sergei Lavrov") == 3
    places = {p["value"]: p["count"] for p in facets["places"]}
    assert places["Russia"] == 5
    counts = [p["count"] for p in facets["people"]]
    assert counts == sorted(counts, reverse=True)
    text = run("search", "peace talks", "--facets", env=seeded).stdout
    assert "People" in text and "Months" in text and "undated" in text


def test_sort_by_date_limit_and_page(seeded: dict) -> None:
    _, hits, _, _ = search_json(seeded, "peace talks", "--sort", "date", "-n", "2")
    assert len(hits) == 2 and hits[0]["date"] == "2022-03-18"
    _, hits, summary, _ = search_json(seeded, "peace talks", "--any", "-n", "2", "--page", "3")
    assert len(hits) == 1 and hits[0]["rank"] == 5 and summary["pages"] == 3


def test_query_syntax_phrase_exclude_and_wildcard(seeded: dict) -> None:
    _, hits, _, _ = search_json(seeded, '"peace talks"')
    phrase = {Path(h["path"]).name[:3] for h in hits}
    _, hits, _, _ = search_json(seeded, '"peace talks" -smokescreen')
    assert {Path(h["path"]).name[:3] for h in hits} == phrase - {"000", "003"}
    _, hits, _, _ = search_json(seeded, "Stoltenb*")
    assert [Path(h["path"]).name[:3] for h in hits] == ["001"]
    _, hits, _, _ = search_json(seeded, "Stoltenbrg~")
    assert [Path(h["path"]).name[:3] for h in hits] == ["001"]
    _, hits, _, _ = search_json(seeded, "Luzhniki AND stadium")
    assert [Path(h["path"]).name[:3] for h in hits] == ["000"]
    # NOT excludes, as in Lucene: it does not add "every article without the word" to the OR group.
    with_putin = {Path(h["path"]).name[:3] for h in search_json(seeded, "Putin")[1]}
    with_truss = {Path(h["path"]).name[:3] for h in search_json(seeded, "Truss")[1]}
    _, hits, _, _ = search_json(seeded, "Putin NOT Truss")
    assert {Path(h["path"]).name[:3] for h in hits} == with_putin - with_truss != set()


def test_did_you_mean(seeded: dict) -> None:
    result = run("search", "peece tolks", env=seeded)
    assert result.returncode == 1
    assert "did you mean: peace talks" in result.stdout
    _, _, summary, _ = search_json(seeded, "peece tolks")
    assert summary["suggestion"] == "peace talks"


def test_colour_only_when_asked_or_on_a_terminal(seeded: dict) -> None:
    plain = run("search", "peace", env=seeded)
    coloured = run("search", "peace", "--color", "always", env=seeded)
    assert "\x1b[" not in plain.stdout and "\x1b[1;31m" in coloured.stdout
    assert "\x1b[" not in run("search", "peace", "--color", "never", env=seeded).stdout


def test_exit_codes(seeded: dict, tmp_path: Path) -> None:
    assert run("search", "zzyzx", env=seeded).returncode == 1
    bad_date = run("search", "peace", "--since", "2022-02-30", env=seeded)
    assert bad_date.returncode == 2 and "no such date" in bad_date.stderr
    assert len(bad_date.stderr.strip().splitlines()) == 1
    reversed_range = run("search", "peace", "--since", "2022-04-01", "--until", "2022-03-01", env=seeded)
    assert reversed_range.returncode == 2
    assert "--since 2022-04-01 is after --until 2022-03-01" in reversed_range.stderr  # the library names fields
    bad_size = run("search", "peace", "--facets", "--facet-size", "0", env=seeded)
    assert bad_size.returncode == 2 and "--facet-size must be between" in bad_size.stderr
    no_name = run("search", "peace", "--person", " ", env=seeded)
    assert no_name.returncode == 2 and "--person needs a name" in no_name.stderr
    assert run("search", "peace", "--bogus", env=seeded).returncode == 2
    assert run("search", env=seeded).returncode == 2
    missing = run("search", "peace", "--index-dir", str(tmp_path / "nowhere"))
    assert missing.returncode == 3 and "no index" in missing.stderr and "Traceback" not in missing.stderr


def test_incremental_add_update_remove(own_seeded: dict, seed_dir: Path) -> None:
    again = run("search-index", "add", str(seed_dir), env=own_seeded)
    assert "added 0, updated 0, removed 0, unchanged 5" in again.stdout
    changed = seed_dir / "002_9e399dbe6bb56438.txt"
    text = changed.read_text(encoding="utf-8")
    assert "Russia did not comment on the idea." in text
    changed.write_text(text.replace("on the idea.", "on the zanzibar idea."), encoding="utf-8")
    (seed_dir / "001_36bb195d2287ec20.txt").unlink()
    (seed_dir / "new.txt").write_text("date 2023-01-05 Quokka summit\nA quokka summit was held in Perth.\n",
                                      encoding="utf-8")
    result = run("search-index", "add", str(seed_dir), env=own_seeded)
    assert result.returncode == 0, result.stderr
    assert "added 1, updated 1, removed 1, unchanged 3" in result.stdout
    _, hits, _, _ = search_json(own_seeded, "zanzibar")
    assert [Path(h["path"]).name[:3] for h in hits] == ["002"]
    assert search_json(own_seeded, "upbraided")[2]["total"] == 0
    _, hits, _, _ = search_json(own_seeded, "quokka", "--since", "2023-01-01")
    assert hits[0]["title"] == "Quokka summit" and hits[0]["date"] == "2023-01-05"
    assert json.loads(run("search-index", "stats", "--json", env=own_seeded).stdout)["articles"] == 5


def test_rebuild_swaps_in_a_fresh_index(own_seeded: dict, seed_dir: Path, tmp_path: Path) -> None:
    root = Path(own_seeded["SEARCH_INDEX_DIR"])
    before = (root / "CURRENT").read_text().strip()
    (seed_dir / "003_7bfa49f6c0b4bacc.txt").unlink()
    result = run("search-index", "rebuild", env=own_seeded)
    assert result.returncode == 0 and "added 4" in result.stdout
    after = (root / "CURRENT").read_text().strip()
    assert after != before and not (root / before).exists()
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(("gen-", "tmp-"))) == [after]
    assert json.loads(run("search-index", "stats", "--json", env=own_seeded).stdout)["articles"] == 4


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
    result = run("search-index", "clean", str(SEEDS / "001_36bb195d2287ec20.txt"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"].startswith("Russia desperately tries") and data["date"] is None
    assert "Read Full Article" not in data["body"] and "Sergei Lavrov" in data["people"]
    assert set(data) >= {"path", "title", "date", "body", "people", "places", "orgs"}
    text = run("search-index", "clean", str(SEEDS / DATED))
    assert "date:   2022-03-18" in text.stdout
    assert run("search-index", "clean", "/no/such/file.txt").returncode == 2


def test_entities_prints_offsets_and_canonical_names() -> None:
    text = "Mr Lavrov met Liz Truss in Kiev on Thursday.\n"
    result = run("search-index", "entities", "--json", input=text)
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
    result = run("search", "peace talks", env=env)
    assert result.returncode == 0, result.stderr
    assert "building one" in result.stderr and "4 matching articles" in result.stdout
    assert (tmp_path / "data" / "newsgrep" / "index" / "CURRENT").exists()
    second = run("search", "peace talks", env=env)
    assert second.returncode == 0 and "building" not in second.stderr


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


def test_hyphenated_words_find_the_compound(tmp_path: Path) -> None:
    """`search cease-fire` finds the cease-fire, not "cease but not fire" (which found nothing here)."""
    (tmp_path / "a.txt").write_text("Truce\n\nThe cease-fire held in the north overnight.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Blaze\n\nThe fire was out before talks could cease.\n", encoding="utf-8")
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    assert run("search-index", "add", str(tmp_path), env=env).returncode == 0
    code, hits, summary, _ = search_json(env, "cease-fire")
    assert code == 0 and summary["total"] == 1 and hits[0]["title"] == "Truce"
    _, hits, summary, _ = search_json(env, "fire -cease-fire")
    assert [h["title"] for h in hits] == ["Blaze"]


def _ids(env: dict, words: str, *options: str) -> set[str]:
    _, hits, summary, _ = search_json(env, words, "-n", "100", *options)
    assert len(hits) == summary["total"]
    return {h["id"] for h in hits}


def test_not_applies_within_its_group(seeded: dict) -> None:
    """`(peace NOT truss) OR macron`: Macron articles naming Truss are in, as in Lucene; Whoosh merged the
    group into the OR and excluded them. A leading hyphen inside parentheses works the same way
    (Whoosh's parser failed on it)."""
    expected = _ids(seeded, "macron") | (_ids(seeded, "peace") - _ids(seeded, "truss"))
    assert _ids(seeded, "macron") & _ids(seeded, "truss"), "the seeds must have a Macron article naming Truss"
    assert _ids(seeded, "(peace NOT truss) OR macron") == expected
    assert _ids(seeded, "macron OR (peace NOT truss)") == expected
    assert _ids(seeded, "(peace -truss) macron", "--any") == expected
    peace_not_truss = _ids(seeded, "peace") - _ids(seeded, "truss")
    assert _ids(seeded, "(peace -truss) macron") == _ids(seeded, "macron") & peace_not_truss
    assert _ids(seeded, "peace NOT truss") == _ids(seeded, "peace") - _ids(seeded, "truss")


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
