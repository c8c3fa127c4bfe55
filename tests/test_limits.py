"""What bounds the memory one file can take (issue #12.11); the memory itself is measured in
benchmarks/bench_memory.py, not here."""

from __future__ import annotations

from pathlib import Path

from conftest import run, search_json

from newsgrep.index import config


def test_a_page_of_more_tags_than_any_article_is_skipped_with_its_reason(tmp_path: Path) -> None:
    corpus = tmp_path / "pages"
    corpus.mkdir()
    tags = config.MAX_HTML_TAGS // 2 + 1
    (corpus / "flood.html").write_text("<html><body>" + "<b>x</b>" * tags + "</body></html>", encoding="utf-8")
    (corpus / "story.html").write_text("<html><head><title>Ferry resumes</title></head><body><article><p>"
                                       "The ferry service to the islands resumed on Friday after the storm, "
                                       "the operator said.</p></article></body></html>", encoding="utf-8")
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    added = run("search-index", "add", str(corpus), env=env)
    assert added.returncode == 1
    assert f"flood.html: HTML with {2 * tags + 4:,} tags is no article page" in added.stderr
    assert "Traceback" not in added.stderr
    assert search_json(env, "ferry")[2]["total"] == 1


def test_a_body_is_indexed_up_to_the_limit_and_kept_whole(tmp_path: Path) -> None:
    corpus = tmp_path / "news"
    corpus.mkdir()
    # Distinct lines: the text cleaner keeps one copy of a line a text repeats (index/clean.py).
    sentence = "The council debated item {} of the harbour budget and the river works for the whole evening.\n"
    filler = "".join(sentence.format(i) for i in range(config.MAX_INDEXED_BODY_CHARS // len(sentence) + 10))
    text = (f"A very long record\n\nOpeningword was the first word of the record of the long council meeting.\n"
            f"{filler}Closingword was the last word of the record of the long council meeting.\n")
    (corpus / "long.txt").write_text(text, encoding="utf-8")
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    assert run("search-index", "add", str(corpus), env=env).returncode == 0
    assert search_json(env, "openingword")[2]["total"] == 1
    assert search_json(env, "closingword")[2]["total"] == 0  # past the indexed part
    exported = run("search", "openingword", "--export", "jsonl", env=env)
    assert exported.returncode == 0, exported.stderr
    assert "Closingword was the last word" in exported.stdout  # stored, shown and exported whole
