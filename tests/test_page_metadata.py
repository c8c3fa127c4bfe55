"""Publication dates, titles and sources read from real-looking pages (issue 13, parts 4 and 5).

Unit tests read pages with `read_html`; the end-to-end tests run the installed `search-index clean
--json`, `add`, `show` and `search` on pages and JSON Lines the tests write.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import json_lines, run
from hypothesis import given
from hypothesis import strategies as st

from newsgrep.index.html import read_html
from newsgrep.index.pagemeta import parse_date, parse_when, plausible

STORY = """<p>Negotiators from both sides left the talks in Geneva on Tuesday without an agreement on the
ceasefire lines, officials familiar with the discussions said late in the evening.</p>
<p>The talks are expected to resume next week after consultations in both capitals, the mediators said,
adding that a draft text had been circulated to the delegations.</p>
<p>Published on March 3, 2021 by the newsroom.</p>"""


def page(head: str = "", *, h1: str = "Ceasefire talks stall in Geneva", title: str = "Ceasefire talks stall",
         body_extra: str = "") -> str:
    """A news page as a CMS writes it: a site header, the story, a footer."""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body><header><a href="/">Home</a> <a href="/world">World</a></header>
<main><article><h1>{h1}</h1>{body_extra}{STORY}</article></main>
<footer>© The Example Herald</footer></body></html>"""


DATE_FORMS = [
    ('<meta property="article:published_time" content="November 19, 2019, 07:47 PM EST">',
     dt.datetime(2019, 11, 19, 19, 47)),
    ('<meta property="article:published_time" content="2019-11-19T23:30:00-05:00">', dt.datetime(2019, 11, 19, 23, 30)),
    ('<meta property="article:published" content="2019-11-19">', dt.date(2019, 11, 19)),
    ('<meta property="og:published_time" content="2019-11-19T07:09:00Z">', dt.datetime(2019, 11, 19, 7, 9)),
    ('<meta name="date" content="2019-11-19">', dt.date(2019, 11, 19)),
    ('<meta name="pubdate" content="20191119">', dt.date(2019, 11, 19)),
    ('<meta name="publishdate" content="2019/11/19 07:09">', dt.datetime(2019, 11, 19, 7, 9)),
    ('<meta name="DC.date.issued" content="2019-11-19">', dt.date(2019, 11, 19)),
    ('<meta name="sailthru.date" content="Tue, 19 Nov 2019 07:09:00 +0000">', dt.datetime(2019, 11, 19, 7, 9)),
    ('<meta name="parsely-pub-date" content="2019-11-19T07:09:00Z">', dt.datetime(2019, 11, 19, 7, 9)),
    ('<meta itemprop="datePublished" content="19 Nov 2019 07:09 GMT">', dt.datetime(2019, 11, 19, 7, 9)),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
     '"headline": "Ceasefire talks stall", "datePublished": "19 Nov 2019 07:09 GMT"}</script>',
     dt.datetime(2019, 11, 19, 7, 9)),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", '
     '"name": "Example Herald"}, {"@type": "NewsArticle", "datePublished": "2019-11-19T07:09:00+01:00"}]}</script>',
     dt.datetime(2019, 11, 19, 7, 9)),
    # not JSON (a trailing comma and a raw line break in a string), but it states an ISO date
    ('<script type="application/ld+json">{"@type": "NewsArticle", "description": "two\nlines", '
     '"datePublished": "2019-11-19T07:09:00Z",}</script>', dt.datetime(2019, 11, 19, 7, 9)),
]


@pytest.mark.parametrize(("head", "expected"), DATE_FORMS)
def test_every_common_publication_date_form_is_read(head: str, expected: dt.date) -> None:
    raw = read_html(page(head))
    day = expected.date() if isinstance(expected, dt.datetime) else expected
    assert raw.date == day
    assert raw.published == (expected if isinstance(expected, dt.datetime) else None)


def test_time_elements_and_itemprop_on_any_element() -> None:
    assert read_html(page(body_extra='<time datetime="2019-11-18T21:24:00-05:00">Nov 18</time>')).date == \
        dt.date(2019, 11, 18)
    assert read_html(page(body_extra='<span itemprop="datePublished" content="2019-11-17"></span>')).date == \
        dt.date(2019, 11, 17)
    assert read_html(page(body_extra="<time>Aug 04, 2025</time>")).date == dt.date(2025, 8, 4)


def test_a_date_in_the_url_path_is_the_last_resort() -> None:
    url = '<meta property="og:url" content="https://www.example.com/world/2019/11/19/talks-stall/">'
    assert read_html(page(url)).date == dt.date(2019, 11, 19)
    stated = '<meta property="article:published_time" content="2019-11-20T08:00:00Z">'
    assert read_html(page(url + stated)).date == dt.date(2019, 11, 20)


def test_placeholder_and_implausible_dates_are_no_date() -> None:
    placeholder = ('<script type="application/ld+json">{"@type": "NewsArticle", '
                   '"datePublished": "0001-01-01T00:00:00"}</script>')
    assert read_html(page(placeholder)).date is None
    # the placeholder gives way to what the page states elsewhere
    assert read_html(page(placeholder + '<meta name="parsely-pub-date" content="2019-11-20">')).date == \
        dt.date(2019, 11, 20)
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    for value in ("1750-06-01", "1970-01-01T00:00:00Z", future, "2019-02-30", "03/04/2019"):
        assert read_html(page(f'<meta name="date" content="{value}">')).date is None, value
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()  # time zones run a day ahead
    assert read_html(page(f'<meta name="date" content="{tomorrow}">')).date == dt.date.fromisoformat(tomorrow)


def test_body_text_is_never_read_for_a_date() -> None:
    assert read_html(page()).date is None  # the story says "Published on March 3, 2021"


@pytest.mark.parametrize(("value", "expected"), [
    ("Tue, 19 Nov 2019 07:09:00 GMT", dt.datetime(2019, 11, 19, 7, 9)),
    (1574192820, dt.datetime(2019, 11, 19, 19, 47)),
    (1574192820000, dt.datetime(2019, 11, 19, 19, 47)),
    ("November 19, 2019", dt.date(2019, 11, 19)),
    ("20191119", dt.date(2019, 11, 19)),
    ("19th of November 2019", dt.date(2019, 11, 19)),
    ("Nov. 19, 2019 at 7:47 p.m.", dt.datetime(2019, 11, 19, 19, 47)),
    ("25.Jun.2019", dt.date(2019, 6, 25)),
    ("13/11/2025 09:21:40", dt.datetime(2025, 11, 13, 9, 21, 40)),
    ("11/05/2019", None),
    ("next Tuesday", None),
    (True, None),
    ({"date": "2019-11-19"}, None),
])
def test_date_formats(value: object, expected: dt.date | None) -> None:
    assert parse_when(value) == expected


@given(st.one_of(st.text(max_size=80), st.integers(), st.floats(), st.none(), st.booleans()))
def test_parse_when_takes_anything_and_returns_only_plausible_days(value: object) -> None:
    found = parse_when(value)
    assert found is None or plausible(found.date() if isinstance(found, dt.datetime) else found)


def test_site_name_is_stripped_from_titles() -> None:
    ign = ('<meta property="og:site_name" content="IGN">'
           '<meta property="og:title" content="The best games of 2019 - IGN">')
    assert read_html(page(ign, h1="IGN")).title == "The best games of 2019"
    # no site name stated: the host's name is enough
    zdnet = ('<link rel="canonical" href="https://www.zdnet.com/article/cloud-spending-soars/">'
             '<meta property="og:title" content="Cloud spending soars | ZDNet">')
    assert read_html(page(zdnet, h1="ZDNet")).title == "Cloud spending soars"
    herald = '<meta property="og:site_name" content="The Example Herald">'
    assert read_html(page(herald, h1="", title="Talks stall | World | The Example Herald")).title == \
        "Talks stall | World"
    assert read_html(page(herald, h1="The Example Herald", title="The Example Herald")).title == "The Example Herald"
    twice = '<meta property="og:title" content="Rates &amp;#x26; fees explained">'  # escaped twice by its CMS
    assert read_html(page(twice, h1="")).title == "Rates & fees explained"


def test_an_h1_that_is_the_site_name_does_not_title_every_story() -> None:
    site = '<meta property="og:site_name" content="Daily Planet">'
    first = read_html(page(site + '<meta property="og:title" content="Mayor resigns">', h1="Daily Planet"))
    second = read_html(page(site, h1="Daily Planet", title="Floods close bridge | Daily Planet"))
    assert (first.title, second.title) == ("Mayor resigns", "Floods close bridge")


def test_the_visible_headline_wins_over_a_search_worded_og_title() -> None:
    og = '<meta property="og:title" content="Geneva ceasefire talks stall, officials say | Herald">'
    assert read_html(page(og, h1="Ceasefire talks stall in Geneva")).title == "Ceasefire talks stall in Geneva"


def test_source_is_the_site_name_else_the_host() -> None:
    assert read_html(page('<meta property="og:site_name" content="The Example Herald">')).source == \
        "The Example Herald"
    assert read_html(page('<meta property="og:url" content="https://www.herald.example.com/a/1">')).source == \
        "herald.example.com"
    assert read_html(page()).source is None


# --- end to end through the installed commands --------------------------------------------------------

def write_pages(folder: Path) -> None:
    folder.mkdir()
    (folder / "herald.html").write_text(page(
        '<meta property="og:site_name" content="The Example Herald">'
        '<meta property="og:title" content="Ceasefire talks stall in Geneva - The Example Herald">'
        '<meta property="og:url" content="https://www.herald.example.com/world/talks-stall">'
        '<meta property="article:published_time" content="November 19, 2019, 07:47 PM EST">',
        h1="The Example Herald"))
    (folder / "wire.html").write_text(page(
        '<link rel="canonical" href="https://www.wire.example.org/2019/11/20/talks-resume">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00",}'
        "</script>", h1="Geneva talks to resume next week", title="Geneva talks to resume | Wire"))
    records = [
        {"id": "r1", "title": "Oil talks end", "date": "Tue, 19 Nov 2019 07:09:00 GMT", "source": "Wire Service",
         "body": "Oil producers ended their talks in Vienna on Tuesday without a deal on output."},
        {"id": "r2", "title": "Grain talks drag on", "date": 1574192820, "url": "https://grain.example.net/x",
         "body": "Grain exporters said talks with buyers dragged on for a third week."},
        {"id": "r3", "title": "Steel talks open", "date": "November 19, 2019", "body": "Steel talks opened."},
        {"id": "r4", "title": "Coal talks", "date": "20191119", "body": "Coal talks were held."},
        {"id": "r5", "title": "Tin talks", "date": "0001-01-01", "body": "Tin talks were held."},
    ]
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))


def test_clean_json_reads_each_page_form(tmp_path: Path) -> None:
    write_pages(tmp_path / "news")
    herald = json.loads(run("search-index", "clean", str(tmp_path / "news" / "herald.html"), "--json").stdout)
    assert (herald["title"], herald["date"], herald["source"]) == \
        ("Ceasefire talks stall in Geneva", "2019-11-19", "The Example Herald")
    wire = json.loads(run("search-index", "clean", str(tmp_path / "news" / "wire.html"), "--json").stdout)
    assert (wire["title"], wire["date"], wire["source"]) == \
        ("Geneva talks to resume next week", "2019-11-20", "wire.example.org")
    feed = json_lines(run("search-index", "clean", str(tmp_path / "news" / "feed.jsonl"), "--json").stdout)
    assert [(r["date"], r["source"]) for r in feed] == [
        ("2019-11-19", "Wire Service"), ("2019-11-19", "grain.example.net"), ("2019-11-19", None),
        ("2019-11-19", None), (None, None)]


def test_sources_filter_facet_and_which_article_a_hit_is(tmp_path: Path, index_env: dict) -> None:
    write_pages(tmp_path / "news")
    assert run("search-index", "add", str(tmp_path / "news"), env=index_env).returncode == 0

    result = run("search", "talks", "--json", "--facets", "-n", "20", env=index_env)
    rows = json_lines(result.stdout)
    hits, summary = rows[:-1], rows[-1]
    assert summary["total"] == 7
    sources = {f["value"]: f["count"] for f in summary["facets"]["sources"]}
    assert sources == {"The Example Herald": 1, "wire.example.org": 1, "Wire Service": 1, "grain.example.net": 1}
    assert {h["id"].rsplit("#", 1)[-1] for h in hits if "#" in h["id"]} == {"r1", "r2", "r3", "r4", "r5"}

    # --source: exact name in any case, or a prefix; repeated, any of them
    result = run("search", "talks", "--source", "the example herald", "--source", "grain", "--json", env=index_env)
    rows = json_lines(result.stdout)
    assert sorted(h["source"] for h in rows[:-1]) == ["The Example Herald", "grain.example.net"]
    assert "matched grain.example.net" in run("search", "talks", "--source", "grain", env=index_env).stderr
    missing = run("search", "talks", "--source", "nowhere", env=index_env)
    assert missing.returncode == 1 and "no source in the index matches 'nowhere'" in missing.stderr

    text = run("search", "talks", "--facets", "-n", "20", env=index_env).stdout
    assert "The Example Herald · https://www.herald.example.com/world/talks-stall" in text
    assert "Wire Service · " + str(tmp_path / "news" / "feed.jsonl") + "#r1" in text
    assert "\nSources\n" in text


def test_show_prints_a_stored_article(tmp_path: Path, index_env: dict) -> None:
    write_pages(tmp_path / "news")
    run("search-index", "add", str(tmp_path / "news"), env=index_env)
    record = f"{tmp_path / 'news' / 'feed.jsonl'}#r1"
    shown = json.loads(run("search-index", "show", record, "--json", env=index_env).stdout)
    assert (shown["id"], shown["title"], shown["date"], shown["source"]) == \
        (record, "Oil talks end", "2019-11-19", "Wire Service")
    assert "Vienna" in shown["body"] and "Vienna" in shown["places"]
    by_url = run("search-index", "show", "https://www.herald.example.com/world/talks-stall", env=index_env)
    assert by_url.returncode == 0 and "title:  Ceasefire talks stall in Geneva" in by_url.stdout
    assert "source: The Example Herald" in by_url.stdout
    missing = run("search-index", "show", "nope", env=index_env)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr


def test_parse_date_takes_the_day_as_written() -> None:
    assert parse_date("2019-11-19T23:30:00-05:00") == dt.date(2019, 11, 19)
