"""Web archives: WARC files written with warcio, as crawlers write them, indexed through the installed commands."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import json_lines, run, search_json
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

STORY = """<!doctype html><html><head>
<meta charset="{charset}">
<title>{title} | The Daily Courier</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2021-06-14T08:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>
<p>{lead}</p>
<p>The committee met for three days in the old town hall and heard evidence from farmers, engineers
and the regional water authority, which said the reservoir had fallen to its lowest level since records began.</p>
<p>Officials said a decision on rationing would follow next month, after the summer rains had been
measured.</p>
</article>
<footer>Sign up for our newsletter. Copyright The Daily Courier.</footer>
</body></html>"""


def page(title: str, lead: str, charset: str = "utf-8") -> bytes:
    return STORY.format(title=title, lead=lead, charset=charset).encode(charset)


def write_warc(path: Path, records: list[tuple[str, str, str, bytes]], gzip: bool, cut: int = 0) -> None:
    """A WARC of response records (url, HTTP status line, content type, payload) with their requests;
    `cut` bytes are chopped off the end, as a crawl stopped mid-write leaves it."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test-crawler/1.0"}))
    for url, status, content_type, payload in records:
        request = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
        writer.write_record(request)
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                      http_headers=headers))
    data = buf.getvalue()
    path.write_bytes(data[:len(data) - cut] if cut else data)


CRAWL = [
    ("https://courier.example/2021/06/14/reservoir", "200 OK", "text/html; charset=utf-8",
     page("Reservoir falls to record low", "Drought hearings opened on Monday as the reservoir hit a record low.")),
    ("https://courier.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
    ("https://courier.example/missing", "404 Not Found", "text/html", b"<html><body>Not found</body></html>"),
    ("https://courier.example/2021/06/15/orchard", "200 OK", "text/html; charset=windows-1252",
     page("Orchard growers count the cost", "Apple growers in the valley said the frost cost them a café's "
          "worth of trees.", charset="cp1252")),
]


@pytest.mark.parametrize("gzip", [False, True], ids=["warc", "warc.gz"])
def test_each_html_response_is_an_article_with_its_url_and_never_the_crawl_date(tmp_path: Path, gzip: bool) -> None:
    corpus = tmp_path / "crawl"
    corpus.mkdir()
    name = "june.warc.gz" if gzip else "june.warc"
    write_warc(corpus / name, CRAWL, gzip=gzip)
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    added = run("search-index", "add", str(corpus), env=env)
    # Two articles; the image and the 404 are named in one line, and the exit code says something was skipped.
    assert added.returncode == 1, added.stderr
    assert "2 response records not article pages (1 image/png, 1 HTTP status 404)" in added.stderr, added.stderr
    assert "Traceback" not in added.stderr

    code, hits, summary, err = search_json(env, "drought")
    assert code == 0, err
    assert summary["total"] == 1
    hit = hits[0]
    assert hit["url"] == "https://courier.example/2021/06/14/reservoir"
    assert hit["title"] == "Reservoir falls to record low"
    assert hit["id"].endswith(f"{name}#https://courier.example/2021/06/14/reservoir")
    assert hit["date"] == "2021-06-14"  # from the page's metadata; the WARC-Date (today) never counts

    code, hits, _, err = search_json(env, "frost")
    assert code == 0, err
    assert [h["url"] for h in hits] == ["https://courier.example/2021/06/15/orchard"]
    assert "caf\u00e9" in run("search", "frost", env=env).stdout  # the header's charset decoded it
    assert search_json(env, "Not found")[2]["total"] == 0


def undated_crawl() -> list[tuple[str, str, str, bytes]]:
    """A page with no publication date anywhere: the archive's own date must not be taken for one."""
    body = page("Council approves bridge", "The council approved the bridge repairs on a narrow vote.")
    body = body.replace(b'<meta property="article:published_time" content="2021-06-14T08:30:00Z">', b"")
    return [("https://courier.example/bridge", "200 OK", "text/html", body)]


def test_a_page_without_a_date_stays_undated(tmp_path: Path) -> None:
    corpus = tmp_path / "crawl"
    corpus.mkdir()
    write_warc(corpus / "one.warc.gz", undated_crawl(), gzip=True)
    cleaned = run("search-index", "clean", str(corpus / "one.warc.gz"), "--json")
    assert cleaned.returncode == 0, cleaned.stderr
    [article] = json_lines(cleaned.stdout)
    assert article["date"] is None
    assert article["url"] == "https://courier.example/bridge"
    assert "bridge repairs" in article["body"]
    assert "newsletter" not in article["body"].lower()


@pytest.mark.parametrize("gzip", [False, True], ids=["warc", "warc.gz"])
def test_a_truncated_last_record_is_skipped_and_the_rest_indexed(tmp_path: Path, gzip: bool) -> None:
    corpus = tmp_path / "crawl"
    corpus.mkdir()
    name = "cut.warc.gz" if gzip else "cut.warc"
    write_warc(corpus / name, [CRAWL[0], CRAWL[3]], gzip=gzip, cut=200)
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    added = run("search-index", "add", str(corpus), env=env)
    assert added.returncode == 1, added.stderr
    assert "truncated" in added.stderr
    assert "Traceback" not in added.stderr
    assert search_json(env, "drought")[2]["total"] == 1  # the complete record before the cut
    assert search_json(env, "frost")[2]["total"] == 0


def test_a_file_that_is_not_a_warc_is_skipped_with_its_reason(tmp_path: Path) -> None:
    corpus = tmp_path / "crawl"
    corpus.mkdir()
    (corpus / "notes.warc").write_text("these are my notes, not an archive\n", encoding="utf-8")
    (corpus / "story.txt").write_text("Ferry service resumes\n\nThe ferry service resumed on Friday.\n",
                                      encoding="utf-8")
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    added = run("search-index", "add", str(corpus), env=env)
    assert added.returncode == 1
    assert "notes.warc" in added.stderr and "not a WARC file" in added.stderr
    assert "Traceback" not in added.stderr
    assert search_json(env, "ferry")[2]["total"] == 1
