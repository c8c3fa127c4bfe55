"""The HTML reader: metadata from the page's own markup, the story without the page around it; with the
hypothesis properties that it never fails on any markup, however deeply nested."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import BOILERPLATE, FAST, FORBIDDEN, PROSE, SLOW

from newsgrep.index.clean import clean_text
from newsgrep.index.html import read_html
from newsgrep.index.read import SkipFile, html_article

PARAS = [
    "Ukraine and Russia failed to make progress in halting the war at the first high-level talks between "
    "their foreign ministers since the invasion began two weeks ago.",
    "Russia indicated it will continue attacks until its goals are met, the Ukrainian foreign minister said "
    "after the meeting, which lasted about ninety minutes.",
    "Hosted by the Turkish foreign minister in the resort city of Antalya, this was the most senior "
    "meeting between the two countries since the fighting started.",
]


def page(head: str = "", article: str | None = None, extra: str = "") -> str:
    story = article if article is not None else "".join(f"<p>{p}</p>" for p in PARAS)
    return f"""<!doctype html><html><head><title>Talks fail | Example News</title>{head}</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li></ul></nav></header>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
<article><h1>Ukraine and Russia fail to make progress in talks</h1>
<figure><img src="x.jpg"><figcaption>The foreign ministers met in Antalya on Thursday.</figcaption></figure>
{story}</article>
<aside class="related"><h3>Related</h3><ul>
<li><a href="/a">How a country joins NATO and why it matters to the Kremlin now</a></li>
<li><a href="/b">Oil prices jump again as sanctions on Moscow begin to bite hard</a></li></ul></aside>
{extra}
<footer><p>© 2022 Example News. All rights reserved.</p><a href="/privacy">Privacy Policy</a></footer>
<script>var x = "window.dataLayer = function () {{}}";</script><style>p {{ color: red }}</style>
</body></html>"""


def test_body_is_the_story_and_nothing_else() -> None:
    assert read_html(page()).text.split("\n") == PARAS


def test_text_is_already_cleaned() -> None:
    text = read_html(page()).text
    assert clean_text(text, read_html(page()).title) == text


def test_title_prefers_og_title_then_h1_then_title_tag() -> None:
    assert read_html(page('<meta property="og:title" content="OG headline">')).title == "OG headline"
    assert read_html(page()).title == "Ukraine and Russia fail to make progress in talks"
    no_h1 = page().replace("<h1>Ukraine and Russia fail to make progress in talks</h1>", "")
    assert read_html(no_h1).title == "Talks fail | Example News"


@pytest.mark.parametrize("head, body_extra, expected", [
    ('<meta property="article:published_time" content="2022-03-10T09:15:00Z">', "", dt.date(2022, 3, 10)),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": '
     '"NewsArticle", "datePublished": "2021-11-05T08:00:00+01:00"}]}</script>', "", dt.date(2021, 11, 5)),
    ("", '<time datetime="2019-11-18T21:24:00-05:00">Nov 18, 2019</time>', dt.date(2019, 11, 18)),
    ('<meta name="date" content="2020-02-30">', "", None),
    ("", "<p>Published on 18 March 2022.</p>", None),
])
def test_date_comes_from_metadata_only(head: str, body_extra: str, expected: dt.date | None) -> None:
    assert read_html(page(head, extra=body_extra)).date == expected


def test_url_from_og_url_or_canonical_link() -> None:
    assert read_html(page('<meta property="og:url" content="https://ex.com/a">')).url == "https://ex.com/a"
    assert read_html(page('<link rel="canonical" href="https://ex.com/b">')).url == "https://ex.com/b"
    assert read_html(page()).url is None


def test_story_with_inline_links_and_a_word_like_video_is_kept() -> None:
    para = ('The minister said in a <a href="/v">video</a> posted on Thursday that the talks in '
            '<a href="/antalya">Antalya</a> would resume next week if both sides agreed to it.')
    text = read_html(page(article="".join(f"<p>{p}</p>" for p in PARAS) + f"<p>{para}</p>")).text
    assert text.split("\n")[-1].startswith("The minister said in a video posted on Thursday")


def test_comments_section_is_not_part_of_the_story() -> None:
    comments = ('<div id="comments"><h3>3 Comments</h3><p>joe says:</p><p>This is the worst analysis I '
                'have read all year, and I have read a great many bad ones.</p></div>')
    assert read_html(page(extra=comments)).text.split("\n") == PARAS


def test_non_english_page_is_not_empty() -> None:
    paras = ["Экономика России сократилась на 2,1 процента в этом году, сообщили в министерстве во вторник, "
             "и эксперты ожидают дальнейшего спада в следующем квартале.",
             "東京都は火曜日、新しい交通計画を発表した。計画では、二〇三〇年までに都内の公共交通機関の利用者を増やすことを目指している。"]
    text = read_html(page(article="".join(f"<p>{p}</p>" for p in paras))).text
    assert text.split("\n") == paras


@pytest.mark.parametrize("html", ["", "   ", "not html at all \x00\x01", "<html></html>",
                                  "<html><head><title>Only a title</title></head></html>", "<<<>>>&&&;",
                                  "<p>" * 50_000])
def test_garbage_and_empty_pages_do_not_raise(html: str) -> None:
    raw = read_html(html)
    assert isinstance(raw.text, str) and isinstance(raw.title, str)


def test_page_without_body_keeps_its_text() -> None:
    raw = read_html("<title>Talks</title>" + "".join(f"<p>{p}</p>" for p in PARAS))
    assert raw.title == "Talks"
    assert raw.text.split("\n") == PARAS


def test_deeply_nested_page_does_not_crash_and_keeps_the_text() -> None:
    html = "<html><body>" + "<div>" * 10_000 + PARAS[0] + "</div>" * 10_000 + "</body></html>"
    raw = read_html(html)
    assert raw.text == PARAS[0]


def test_comments_and_cdata_inside_the_story_are_not_text() -> None:
    story = (f"<p>{PARAS[0][:60]}<!-- ad slot 7 -->{PARAS[0][60:]}</p><![CDATA[raw cdata]]>"
             + "".join(f"<p>{p}</p>" for p in PARAS[1:]))
    assert read_html(page(article=story)).text.split("\n") == PARAS


def test_multi_valued_class_and_rel_attributes_are_read_as_words() -> None:
    widget = ('<div class="module related-links"><p>Read more: the talks in Antalya, explained in full by '
              'our correspondent, with the background on both foreign ministers.</p></div>')
    raw = read_html(page('<link rel="alternate canonical" href="https://ex.com/c">', extra=widget))
    assert raw.text.split("\n") == PARAS
    assert raw.url == "https://ex.com/c"


def test_hidden_elements_are_not_text() -> None:
    story = ("".join(f"<p>{p}</p>" for p in PARAS)
             + '<p hidden>Hidden paragraph that a screen reader and a visitor never see in the page.</p>'
             + '<p style="display: none">Another hidden paragraph the site keeps for its own scripts.</p>')
    assert read_html(page(article=story)).text.split("\n") == PARAS


def test_xhtml_page_with_an_encoding_declaration_is_read_quietly() -> None:
    html = '<?xml version="1.0" encoding="ISO-8859-1"?>' + page()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_html(html).text.split("\n") == PARAS
        assert isinstance(read_html("https://example.com/news/story.html").text, str)


def test_story_inside_deeply_nested_chrome_named_wrappers_is_kept() -> None:
    html = ('<html><body>' + '<div class="ad-wrapper">' * 5_000 + "".join(f"<p>{p}</p>" for p in PARAS)
            + "</div>" * 5_000 + "</body></html>")
    assert read_html(html).text.split("\n") == PARAS


# ------------------------------------------------ properties (hypothesis): the reader never fails on any markup

TAGS = ["p", "div", "span", "a", "article", "main", "section", "body", "html", "head", "title", "h1", "h2",
        "br", "li", "ul", "table", "tr", "td", "script", "style", "nav", "footer", "aside", "time", "meta",
        "link", "pre", "blockquote", "figure", "figcaption", "svg", "math", "template", "noscript", "iframe",
        "form", "textarea", "select", "option", "x-custom", "ß", "p:p"]


ATTRS = [
    "", ' class="share-bar"', ' class="article-body"', ' id="comments"', ' class="Page-ad-margins"',
    ' hidden', ' aria-hidden="true"', ' style="display: none"', ' href="https://example.com/a"',
    ' property="og:title" content="A &amp; B"', ' name="date" content="2022-03-18"',
    ' property="article:published_time" content="9999-99-99"', ' datetime="2022-02-30"', ' pubdate',
    ' itemprop="datePublished" datetime="2022-03-18T10:00:00Z"', ' rel="canonical" href="/x"',
    ' type="application/ld+json"', ' class=', " class='unterminated", ' =""', ' a=b=c',
]


ENTITIES = ["&amp;", "&lt;", "&gt;", "&#27;", "&#x1b;", "&#155;", "&#0;", "&#1114112;", "&#xD800;", "&bogus;",
            "&", "&#", "&#x;", "&nbsp;", "&#x9b;[31m"]


MARKUP_BITS = ["<!--", "-->", "<!-- comment -->", "<![CDATA[", "]]>", "<?xml version='1.0'?>",
               "<!DOCTYPE html>", "<", ">", "</", "/>", '"', "'", "=", '{"datePublished": "2022-03-18"}',
               '{"@graph": [[[[{"datePublished": "2021-01-01"}]]]]}', "[" * 300, "\x00", "\x1b[2J"]


@st.composite
def markup(draw) -> str:
    """Markup-ish text: random open, close and self-closing tags with odd attributes, text, entities."""
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 6))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            parts.append(f"<{tag}{draw(st.sampled_from(ATTRS))}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(f"<{tag}{draw(st.sampled_from(ATTRS))}/>")
        elif kind == 3:
            parts.append(draw(st.sampled_from(ENTITIES)))
        elif kind == 4:
            parts.append(draw(st.sampled_from(MARKUP_BITS)))
        elif kind == 5:
            parts.append(draw(st.sampled_from(PROSE + BOILERPLATE)))
        else:
            parts.append(draw(st.text(max_size=20)))
    return "".join(parts)


@st.composite
def deep_markup(draw) -> str:
    """Nesting a few hundred levels deep, closed or not, with story text at the bottom."""
    tag = draw(st.sampled_from(["div", "p", "span", "a", "b", "section", "li", "table", "x"]))
    depth = draw(st.integers(0, 600))
    closed = draw(st.integers(0, depth))
    inner = draw(st.sampled_from(PROSE + [""]))
    return (draw(st.sampled_from(["", "<html><body>", "<body>"])) + f"<{tag}>" * depth + inner
            + f"</{tag}>" * closed + draw(st.sampled_from(["", "</body></html>", "<p>tail</p>"])))


def check_html(html: str) -> None:
    """read_html never raises (its docstring); html_article raises only SkipFile (the reader's contract:
    every failure is a SkipFile) and returns sanitised title, text and URL."""
    raw = read_html(html)
    assert isinstance(raw.title, str) and isinstance(raw.text, str)
    assert raw.date is None or isinstance(raw.date, dt.date)
    try:
        article = html_article(html)
    except SkipFile:
        return
    for value in (article.title, article.text, article.url or ""):
        assert not FORBIDDEN.search(value), value


@FAST
@given(markup())
def test_html_reader_never_fails_on_markup(html: str) -> None:
    check_html(html)


@settings(max_examples=40, deadline=None)
@given(deep_markup())
def test_html_reader_never_fails_on_deep_nesting(html: str) -> None:
    check_html(html)


@FAST
@given(st.text(max_size=300))
def test_html_reader_never_fails_on_arbitrary_text(html: str) -> None:
    check_html(html)


@pytest.mark.slow
@SLOW
@given(markup() | deep_markup())
def test_html_reader_never_fails_slow(html: str) -> None:
    check_html(html)
