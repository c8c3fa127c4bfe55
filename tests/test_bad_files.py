"""Bad files through the installed `search-index`: binary, empty, mis-encoded, huge, deeply nested,
broken JSON Lines, unreadable and oddly named files in one batch. Each bad file is reported with its
reason and the rest of the batch is indexed; nothing indexed before is lost. (Hostile queries are in
test_query_language.py.)"""

from __future__ import annotations

import codecs
import json
import os
import time
from pathlib import Path

import pytest
from conftest import assert_one_clear_error, json_lines, run, run_unprivileged, search_json, total

GOOD = "Harbour council meets\n\nThe harbour council met on Tuesday to discuss the budget.\n"


def _skips(stderr: str) -> dict[str, list[str]]:
    """`search-index: skipped PATH: REASON` lines, grouped by file name."""
    found: dict[str, list[str]] = {}
    for line in stderr.splitlines():
        if line.startswith("search-index: skipped "):
            path, _, reason = line[len("search-index: skipped "):].partition(": ")
            found.setdefault(Path(path).name, []).append(reason)
    return found


def _titles(env: dict, *words: str) -> dict[str, str]:
    """Title by file name of every article matching the words."""
    code, hits, _, err = search_json(env, *words, "-n", "200")
    assert code in (0, 1), err
    return {Path(h["path"]).name: h["title"] for h in hits}


@pytest.fixture
def bad_batch(tmp_path: Path) -> Path:
    """One folder holding good files, every kind of bad file, and files with odd names."""
    c = tmp_path / "batch"
    c.mkdir()
    (c / "good.txt").write_text(GOOD, encoding="utf-8")
    (c / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10)
    (c / "empty.txt").write_bytes(b"")
    (c / "blank.txt").write_bytes(b"  \n\n\t\n")
    (c / "badutf8.txt").write_bytes("Mixed bytes harbour\n\nCaf\u00e9 ".encode() + b"\xff\xfe\xc3( harbour story\n")
    (c / "cp1252.txt").write_bytes("Cp harbour \u201cquoted\u201d\n\nThe caf\u00e9 \u2014 harbour\n".encode("cp1252"))
    (c / "latin1.txt").write_bytes("Latin harbour\n\nDer B\u00e4r im Hafen harbour\n".encode("latin-1"))
    (c / "utf16le.txt").write_bytes(codecs.BOM_UTF16_LE + "UTF16 harbour\n\nKyiv \u041a\u0438\u0457\u0432 harbour\n"
                                    .encode("utf-16-le"))
    (c / "utf16be.txt").write_bytes(codecs.BOM_UTF16_BE + "UTF16BE harbour\n\nharbour big end\n".encode("utf-16-be"))
    with open(c / "huge.txt", "wb") as fh:  # 100 MB, sparse: refused by size before a byte is read
        fh.truncate(100 * 1024 * 1024)
    (c / "deep.html").write_text("<html><body>" + "<div>" * 10_000 + "<p>deep harbour text</p>" + "</div>" * 10_000
                                 + "</body></html>")
    (c / "nobody.html").write_text("<html><head><title>No body harbour</title></head></html>")
    (c / "nothing.html").write_text("<html><head></head></html>")
    records = [json.dumps({"title": "Json good harbour", "body": "harbour json body"}), "{broken",
               json.dumps({"title": 5, "body": "x"}), "[1, 2]", json.dumps({"title": "no body"}),
               json.dumps({"title": "Json two harbour", "body": "harbour json second", "date": "2022-02-30"}),
               json.dumps({"title": "t", "body": ["a list"]}), json.dumps({"title": "t", "html": "<html></html>"}),
               "\x00\x01garbage"]
    (c / "mixed.jsonl").write_text("\n".join(records) + "\n")
    (c / "allbad.jsonl").write_text("{nope\n[]\n")
    os.symlink(".", c / "loop")
    os.symlink("nowhere.txt", c / "dangling.txt")
    for name in ("with space.txt", "\u00fcn\u00efc\u00f6d\u00e9 \u6f22\u5b57.txt", "-dash.txt", "new\nline.txt",
                 "quote'\".txt", "tab\there.txt", "semi;colon$(x).txt"):
        (c / name).write_text(f"Odd name harbour\n\nharbour odd name body {len(name)}\n", encoding="utf-8")
    with open(os.fsencode(c) + b"/caf\xe9.txt", "wb") as fh:  # not UTF-8: cannot be stored as text
        fh.write(b"Nonutf8 name harbour\n\nharbour body\n")
    return c


def test_bad_files_are_reported_and_the_rest_indexed(bad_batch: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    env = {"SEARCH_INDEX_DIR": str(root)}
    result = run("search-index", "add", str(bad_batch), "--index-dir", str(root), timeout=120)
    assert result.returncode == 1, result.stderr  # done, with skips
    assert "Traceback" not in result.stderr
    skips = _skips(result.stderr)
    expected = {"binary.txt": "binary file", "empty.txt": "empty file", "blank.txt": "empty file",
                "huge.txt": "too large", "nothing.html": "no article text", "dangling.txt": "broken link",
                "caf\\udce9.txt": "not valid UTF-8", "allbad.jsonl:1": "not valid JSON",
                "allbad.jsonl:2": "expected a JSON object"}
    for name, reason in expected.items():
        assert name in skips and any(reason in r for r in skips[name]), (name, skips.get(name), result.stderr)
    for line, reason in ((2, "not valid JSON"), (3, "title, body, html and url must be strings"),
                         (4, "expected a JSON object"), (5, "needs a 'body' or an 'html' field"),
                         (7, "title, body, html and url must be strings"), (8, "no article text"),
                         (9, "not valid JSON")):
        assert skips[f"mixed.jsonl:{line}"][0].startswith(reason), (line, skips)
    assert "mixed.jsonl" not in skips
    assert "skipped 8 files and 7 records" in result.stdout, result.stdout

    titles = _titles(env, "harbour")
    for name in ("good.txt", "badutf8.txt", "cp1252.txt", "latin1.txt", "utf16le.txt", "utf16be.txt",
                 "deep.html", "nobody.html", "mixed.jsonl", "with space.txt", "-dash.txt", "new\nline.txt",
                 "quote'\".txt", "tab\there.txt", "semi;colon$(x).txt", "\u00fcn\u00efc\u00f6d\u00e9 \u6f22\u5b57.txt"):
        assert name in titles, (name, sorted(titles))
    assert total(env, "harbour") == 17  # 16 files, two articles from mixed.jsonl
    # Encodings detected, not mangled.
    assert titles["cp1252.txt"] == "Cp harbour \u201cquoted\u201d"
    assert _titles(env, "B\u00e4r") == {"latin1.txt": "Latin harbour"}
    assert "utf16le.txt" in _titles(env, "\u041a\u0438\u0457\u0432")
    # The impossible date of a record leaves it undated, never guessed.
    _, hits, _, _ = search_json(env, '"harbour json second"')
    assert [h["date"] for h in hits] == [None]
    # The loop was walked once: every article once.
    assert len(json_lines(run("search", "harbour", "--json", "-n", "200", env=env).stdout)) == 18


def test_odd_paths_print_on_one_line_and_exactly_in_json(bad_batch: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    env = {"SEARCH_INDEX_DIR": str(root)}
    run("search-index", "add", str(bad_batch), "--index-dir", str(root))
    text = run("search", "odd", "name", "-n", "50", env=env).stdout
    assert f"{bad_batch}/new\\nline.txt" in text and f"{bad_batch}/tab\\there.txt" in text
    assert f"{bad_batch}/new\n" not in text
    _, hits, _, _ = search_json(env, "odd", "name", "-n", "50")
    for hit in hits:
        assert Path(hit["path"]).read_text(encoding="utf-8").startswith("Odd name harbour")


def test_a_file_that_is_one_10_mb_line(tmp_path: Path) -> None:
    """No headline: the title is the start of the line, the body all of it; done in bounded time."""
    folder, root = tmp_path / "one", tmp_path / "index"
    folder.mkdir()
    (folder / "oneline.txt").write_text("Oneline zanzibar " + "endless words go on and on " * (10 * 2**20 // 27))
    (folder / "good.txt").write_text(GOOD)
    t0 = time.monotonic()
    result = run("search-index", "add", str(folder), "--index-dir", str(root), timeout=120)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - t0 < 60
    env = {"SEARCH_INDEX_DIR": str(root)}
    _, hits, _, _ = search_json(env, "zanzibar")
    assert len(hits) == 1 and hits[0]["title"].startswith("Oneline zanzibar endless words")
    assert len(hits[0]["title"]) <= 300 and hits[0]["title"].endswith("\u2026")
    assert total(env, "harbour") == 1


def test_a_100_mb_json_lines_record_is_refused_and_the_rest_read(tmp_path: Path) -> None:
    folder, root = tmp_path / "big", tmp_path / "index"
    folder.mkdir()
    with open(folder / "big.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"title": "First zanzibar", "body": "zanzibar before"}) + "\n")
        fh.write('{"title": "Huge", "body": "' + "x" * (100 * 2**20) + '"}\n')
        fh.write(json.dumps({"title": "Last zanzibar", "body": "zanzibar after"}) + "\n")
    result = run("search-index", "add", str(folder), "--index-dir", str(root), timeout=120)
    assert result.returncode == 1 and "big.jsonl:2: record too large" in result.stderr, result.stderr
    assert total({"SEARCH_INDEX_DIR": str(root)}, "zanzibar") == 2


def test_unreadable_files_and_folders_are_reported_and_nothing_indexed_is_lost(tmp_path: Path) -> None:
    folder, root = tmp_path / "perm", tmp_path / "index"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD)
    (folder / "locked.txt").write_text("Locked zanzibar\n\nzanzibar text\n")
    (folder / "sub" / "inner.txt").write_text("Inner zanzibar\n\nzanzibar inner text\n")
    env = {"SEARCH_INDEX_DIR": str(root)}
    first = run_unprivileged("search-index", "add", str(folder), env=env)
    assert first.returncode == 0, first.stderr
    (folder / "locked.txt").chmod(0)
    (folder / "sub").chmod(0)
    (folder / "new.txt").write_text("New zanzibar\n\nzanzibar new text\n")
    (folder / "newlocked.txt").write_text("Newlocked zanzibar\n\nzanzibar\n")
    (folder / "newlocked.txt").chmod(0)
    try:
        again = run_unprivileged("search-index", "add", str(folder), env=env)
        skips = _skips(again.stderr)
        assert again.returncode == 1 and "Traceback" not in again.stderr
        assert any("Permission denied" in r for r in skips.get("newlocked.txt", [])), again.stderr
        assert any("cannot read folder" in r for r in skips.get("sub", [])), again.stderr
        # What was indexed from the locked file and the locked folder is still there.
        assert sorted(_titles(env, "zanzibar").values()) == ["Inner zanzibar", "Locked zanzibar", "New zanzibar"]
    finally:
        (folder / "sub").chmod(0o755)


def test_an_empty_folder_makes_an_empty_index_that_answers(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    result = run("search-index", "add", str(tmp_path / "empty"), env=env)
    assert result.returncode == 0 and "0 articles" in result.stdout, result.stderr
    code, hits, summary, err = search_json(env, "peace", "--facets")
    assert code == 1 and hits == [] and summary["total"] == 0, err
    assert search_json(env, "--since", "2022-01-01", "--facets")[0] == 1


def test_rebuild_from_paths_that_are_all_gone_keeps_the_index(seed_dir: Path, tmp_path: Path) -> None:
    """An unmounted drive or a moved folder must not turn a rebuild into an empty index."""
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    assert run("search-index", "add", str(seed_dir), env=env).returncode == 0
    before = total(env, "peace")
    moved = tmp_path / "moved"
    seed_dir.rename(moved)
    assert_one_clear_error(run("search-index", "rebuild", env=env), 3, "nothing to rebuild from")
    assert_one_clear_error(run("search-index", "rebuild", str(tmp_path / "nowhere"), env=env), 3, "unchanged")
    assert total(env, "peace") == before > 0
    assert run("search-index", "rebuild", str(moved), env=env).returncode == 0  # named: it goes through
    assert total(env, "peace") == before
