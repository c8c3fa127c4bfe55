"""Symbolic and hard links in an indexed folder, through the installed commands (issue #12.9)."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import run, search_json


def story(path: Path, title: str, word: str) -> None:
    path.write_text(f"{title}\n\nThe {word} report was published on Monday after a long inquiry.\n",
                    encoding="utf-8")


def test_a_link_out_of_the_folder_is_not_indexed_and_linked_files_count_once(tmp_path: Path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    story(outside / "diary.txt", "My diary", "confidentialword")
    corpus = tmp_path / "news"
    corpus.mkdir()
    story(corpus / "harbour.txt", "Harbour reopens", "harbourword")
    (corpus / "passwd.txt").symlink_to(outside / "diary.txt")
    (corpus / "again.txt").symlink_to(corpus / "harbour.txt")
    os.link(corpus / "harbour.txt", corpus / "copy.txt")
    linked_root = tmp_path / "news-link"
    linked_root.symlink_to(corpus)
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}

    added = run("search-index", "add", str(corpus), str(linked_root), env=env)
    assert added.returncode == 0, added.stderr
    assert search_json(env, "confidentialword")[2]["total"] == 0
    code, hits, summary, err = search_json(env, "harbourword")
    assert code == 0, err
    assert summary["total"] == 1
    assert hits[0]["path"] == str(corpus / "copy.txt")  # the first name in walk order



def test_bidirectional_controls_in_file_names_are_shown_escaped(tmp_path: Path) -> None:
    corpus = tmp_path / "news"
    corpus.mkdir()
    name = "invoice\u202etxt.exe.txt"  # displays as "invoicetxt.exe" reversed: a classic spoof
    story(corpus / name, "Ferry timetable", "ferryword")
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    assert run("search-index", "add", str(corpus), env=env).returncode == 0
    text = run("search", "ferryword", env=env).stdout
    assert "invoice\\u202etxt.exe.txt" in text and "\u202e" not in text
    result = run("search", "ferryword", "--json", env=env)
    assert "\u202e" not in result.stdout and "\\u202e" in result.stdout
    _, hits, _, _ = search_json(env, "ferryword")
    assert Path(hits[0]["path"]).name == name  # the JSON value itself is exact


def test_follow_indexes_what_links_lead_to_and_is_remembered(tmp_path: Path) -> None:
    outside = tmp_path / "archive"
    outside.mkdir()
    story(outside / "old.txt", "Old harbour story", "archivedword")
    corpus = tmp_path / "news"
    corpus.mkdir()
    story(corpus / "new.txt", "New harbour story", "currentword")
    (corpus / "archive").symlink_to(outside)
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    assert run("search-index", "add", str(corpus), "--follow", env=env).returncode == 0
    assert search_json(env, "archivedword")[2]["total"] == 1
    # A later add and a rebuild without the flag keep following: the index remembers it.
    story(corpus / "later.txt", "Later harbour story", "laterword")
    added = run("search-index", "add", str(corpus), env=env)
    assert added.returncode == 0, added.stderr
    assert "removed 0" in added.stdout
    assert search_json(env, "archivedword")[2]["total"] == 1 and search_json(env, "laterword")[2]["total"] == 1
    assert run("search-index", "rebuild", env=env).returncode == 0
    assert search_json(env, "archivedword")[2]["total"] == 1
