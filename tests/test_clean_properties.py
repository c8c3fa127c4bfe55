"""Property-based tests (hypothesis) for the code that meets hostile input first: the line cleaner, the HTML
reader, the entity extractor, the date parsers, the query front end and the byte decoder.

Each property states the contract the code documents; example-based regression tests for the bugs these
properties found sit beside them. The budgets keep the file at a few seconds; the `slow` variants (run
with `-m slow`) try many more examples.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_clean import STORY

from newsgrep.index.clean import clean_text
from newsgrep.index.entities import article_entities, extract_mentions
from newsgrep.index.html import read_html
from newsgrep.index.read import SkipFile, decode_bytes, html_article, parse_iso_date, sanitize
from newsgrep.index.schema import build_schema
from newsgrep.search.dates import DateError, parse_bound
from newsgrep.search.query import QueryError, parse_query

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What sanitize promises never to leave in text (terminal controls, C1 controls, DEL, ESC) and CR.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\r]")

# ---------------------------------------------------------------- shared strategies

PROSE = [
    *STORY,
    "The talks began at 10:30 on Monday in Istanbul.",
    "Zelenskiy told Mr Lavrov that Nato and the EU would not accept it, Kiev officials said.",
    "Экономика России сократилась на 2,1 процента в этом году, сообщили в министерстве во вторник.",
    "東京都は火曜日、新しい交通計画を発表した。",
]
BOILERPLATE = [
    "DON'T MISS:", "DON’T MISS", "Sign up to our newsletter", "By signing up you agree to our terms",
    "Read more", "READ MORE:", "Read more: Putin warned", "[VIDEO]", "Putin warned Kyiv [VIDEO]",
    "Kremlin officials circle Putin as coup reports build (INSIGHT)", "Source: Read Full Article",
    "10:32", "02:34 AM", "Updated 18 March 2022 10:30 GMT", "pic.twitter.com/abc",
    "They are watching a video with flags pic.twitter.com/fIKEzD5WnV", "pic.twitter. pic.twitter.com/a.com/b",
    "— max seddon (@maxseddon) March 18, 2022", "https://example.com/news/2022/03/18/story?id=1&x=y",
    "www.example.org/a", "Advertisement", "By Jane Doe", "@handle", "Comments (3)",
    "34 responses to “The talks”", "joe says:", "John Smith said:", "Leave a reply",
    "Seoul, South Korea (CNN) The new president is taking power at a turbulent time. Yoon is [\u2026]",
    "A teaser story [...]", "[more]", "xnxx indian", "Related:", "World", "Home",
    "Ukraine Open To Neutrality But Won't Yield Territory", "© 2022 Example Media. All rights reserved.",
    "", " ", "\t", "Peace talks",
]
ODD = ["\x00", "\x01", "\x1b[31m", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\ufeff", "\ufffd", "\u200b",
       "\x0b", "\x0c", "\r", "\r\n", "\n", "\x1c", "\xa0", "ß", "ﬁ", "İ", "ǅ", "𝟐"]

any_text = st.text(max_size=200)
odd_text = st.lists(st.sampled_from(ODD) | st.text(max_size=5), max_size=20).map("".join)
long_line = st.builds(lambda word, n: (word + " ") * n, st.sampled_from(["word", "the", "x" * 50, "Kyiv,"]),
                      st.integers(0, 3000))
# Pieces of links, glued at random: "pic.twitter pic.twitter.com/a.com/b" and the like.
link_bits = st.lists(st.sampled_from(["pic.twitter", "pic.twitter.com/", ".com/", "/", "a", "b1", " ", "https://",
                                      "www.", "example", "."]), max_size=8).map("".join)
cleaner_line = st.one_of(
    st.sampled_from(BOILERPLATE), st.sampled_from(PROSE), st.sampled_from(PROSE), st.sampled_from(BOILERPLATE),
    any_text, odd_text, long_line, link_bits,
    st.builds(lambda a, b: a + " " + b, st.sampled_from(PROSE), st.sampled_from(BOILERPLATE)),
)
line_break = st.sampled_from(["\n", "\n", "\n", "\n\n", "\r\n", "\r", "\u2028", "\x0b", "\x85"])
article_text = st.builds(
    lambda lines, breaks: "".join(line + brk for line, brk in zip(lines, breaks, strict=False)),
    st.lists(cleaner_line, max_size=30), st.lists(line_break, min_size=30, max_size=30),
)
title_text = st.one_of(st.none(), st.sampled_from(["Peace talks", "Putin warned Kyiv", ""] + PROSE[:2]), any_text)


# ---------------------------------------------------------------- the line cleaner

_PIC = re.compile(r"\s*\bpic\.twitter\.com/\w+")


def _input_lines(text: str) -> list[str]:
    """The cleaner's view of its input: `str.splitlines`, each line stripped."""
    return [line.strip() for line in text.splitlines()]


def _may_come_from(out_line: str, in_line: str) -> bool:
    """The output line is the stripped input line, or that line with its pic.twitter.com links removed."""
    if out_line == in_line:
        return True
    if "pic.twitter.com" not in in_line:
        return False
    text = in_line
    while True:
        cut = _PIC.sub("", text).strip()
        if cut == out_line:
            return True
        if cut == text:
            return False
        text = cut


def _without_embeds(line: str) -> str:
    while True:
        cut = _PIC.sub("", line).strip()
        if cut == line:
            return line
        line = cut


def _match(out_line: str, lines: list[str], pos: int) -> int | None:
    """The index after the input lines (from `pos`, in order) that `out_line` is made of, or None.

    An output line is one input line, or several joined as a hard-wrapped paragraph is (a space, or
    nothing after a word hyphenated across the break); lines the cleaner dropped may lie between them
    when only the kept lines show the wrapping."""
    for start in range(pos, len(lines)):
        line = lines[start]
        if not line:
            continue
        if _may_come_from(out_line, line):
            return start + 1
        head = _without_embeds(line)
        if head and out_line.startswith(head) and out_line[len(head):len(head) + 1] in (" ", ""):
            rest = out_line[len(head):].lstrip(" ")
            if rest and rest != out_line:
                end = _match(rest, lines, start + 1)
                if end is not None:
                    return end
    return None


def check_cleaner(text: str, title: str | None) -> None:
    """The cleaner's documented contract (index/clean.py module docstring):

    - it never raises and returns a string with no blank lines;
    - idempotent: clean_text(clean_text(x, t), t) == clean_text(x, t), with the same title;
    - the output lines, stripped (a table row keeps its indentation), are in order among the input's
      lines as the cleaner splits them (`str.splitlines`) and strips them (`str.strip`), or made of
      several of them joined as a hard-wrapped paragraph is (see `_match`), except that a kept line may
      have its embedded `pic.twitter.com/...` links removed (then it is stripped again).
    """
    once = clean_text(text, title)
    assert isinstance(once, str)
    assert clean_text(once, title) == once
    if not once:
        return
    out_lines = once.split("\n")
    assert all(out_lines), once
    lines = _input_lines(text)
    pos = 0
    for out_line in (line.strip() for line in out_lines):
        end = _match(out_line, lines, pos)
        assert end is not None, f"{out_line!r} is not in order among the input lines"
        pos = end


@FAST
@given(article_text, title_text)
def test_cleaner_contract_on_boilerplate_mixtures(text: str, title: str | None) -> None:
    check_cleaner(text, title)


@FAST
@given(st.text(max_size=500), title_text)
def test_cleaner_contract_on_arbitrary_text(text: str, title: str | None) -> None:
    check_cleaner(text, title)


@pytest.mark.slow
@SLOW
@given(article_text, title_text)
def test_cleaner_contract_on_boilerplate_mixtures_slow(text: str, title: str | None) -> None:
    check_cleaner(text, title)


# Regressions the cleaner properties found.

STORY_LINE = PROSE[0]


def test_a_pic_twitter_link_joined_from_the_text_around_a_removed_one_is_removed_too() -> None:
    """Removing "pic.twitter.com/a" from "pic.twitter pic.twitter.com/a.com/b" left "pic.twitter.com/b",
    which only a second cleaning removed."""
    text = f"{STORY_LINE}\nLook pic.twitter pic.twitter.com/a.com/b here"
    once = clean_text(text)
    assert "pic.twitter.com" not in once
    assert clean_text(once) == once
    assert clean_text("pic.twitter pic.twitter.com/a.com/b") == ""


def test_a_truncated_teaser_is_cut_the_same_however_many_dropped_lines_follow() -> None:
    """The glued-story rule cuts a "[…]" teaser only in the second half of the lines. Dropped timestamps
    after the story put the teaser in the first half; in the cleaned output it was in the second half, so
    cleaning the output again cut it."""
    teaser = "Seoul, South Korea (CNN) The new president is taking power at a turbulent time. Yoon is [\u2026]"
    text = "\n".join([STORY_LINE, PROSE[1], teaser, PROSE[2]] + ["10:32"] * 10)
    once = clean_text(text)
    assert clean_text(once) == once
    assert teaser not in once.split("\n")


def test_comments_after_a_dropped_author_line_are_cut_the_same_on_a_second_cleaning() -> None:
    """"Bob says:" is dropped as a label, so the comment cut (at the first of several "<name> says:") did
    not happen on the first cleaning but did on the second, at "John Smith wrote:"."""
    comment = "It is time for everyone to come to grips with reality, it is over yet again for them and they know it."
    text = "\n".join([STORY_LINE, STORY_LINE, "Bob says:", comment, "John Smith wrote:", comment,
                      "Mary Jones said:", comment])
    once = clean_text(text)
    assert clean_text(once) == once
    assert "John Smith wrote:" not in once and "Mary Jones said:" not in once


# ---------------------------------------------------------------- the HTML reader

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
        assert not _FORBIDDEN.search(value), value


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


# ---------------------------------------------------------------- the entity extractor

NAMES = ["Zelenskiy", "Volodymyr Zelensky", "Mr Lavrov", "Foreign Secretary Liz Truss", "Kiev", "Kyiv", "Nato",
         "NATO", "the Kremlin", "Bank of England", "U.S.", "US", "O'Neill", "New York-based", "Kremlin-backed",
         "Celtic 2 Rangers 1", "Stoke 4 3 1 0 7 4 10", "SOCCER - ", "TENNIS - ", "LONDON 1996-08-30",
         "President", "Mr", "Prime Minister", "Secretary of State", "EU Commissioner Franz Fischler",
         "Lebed Chechnya plan", "the village of Mahala", "Dynamo Moscow", "Putin, who", "said", "in", "of",
         "de", "&", "Ohio-based KeyCorp", "A.", "J. Smith", "Türkiye", "Côte d'Ivoire", "ß", "ǅ", "ﬁ", "İ",
         "Ⅻ", "𝐀", "’s", "Putin’s", "'s", "-", "—", ".", ",", "\n", " ", "  ", "\t", "(", ")", "[", "]"]
entity_text = st.one_of(
    st.lists(st.sampled_from(NAMES) | st.sampled_from(PROSE) | st.text(max_size=8), max_size=40).map(" ".join),
    st.lists(st.sampled_from(NAMES), max_size=30).map(lambda words: " ".join(words).upper()),
    st.text(max_size=300),
)
MENTION_TYPES = {"person", "place", "org"}


def check_mentions(text: str) -> None:
    """extract_mentions: offsets index the text (0 <= start < end <= len, text[start:end] is the mention),
    types are person/place/org, canonical names are non-empty, and mentions come in text order without
    overlapping (candidates are found line by line, left to right, each token in at most one)."""
    mentions = extract_mentions(text)
    end = 0
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text), m
        assert text[m.start:m.end] == m.text, m
        assert m.type in MENTION_TYPES, m
        assert m.canonical and m.canonical.strip() == m.canonical, m
        assert m.start >= end, (m, mentions)
        end = m.end


@FAST
@given(entity_text)
def test_mentions_are_well_formed(text: str) -> None:
    check_mentions(text)


@FAST
@given(st.one_of(st.none(), entity_text), st.one_of(st.none(), entity_text))
def test_article_entities_are_sorted_unique_names(title: str | None, body: str | None) -> None:
    """Each kind is a sorted list of unique, non-empty names."""
    ents = article_entities(title, body)
    for names in (ents.people, ents.places, ents.orgs):
        assert names == sorted(set(names))
        assert all(name and name.strip() == name for name in names)


@pytest.mark.slow
@SLOW
@given(entity_text)
def test_mentions_are_well_formed_slow(text: str) -> None:
    check_mentions(text)


# ---------------------------------------------------------------- dates

today_dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
date_words = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\A\s*[0-9]{1,6}(-[0-9]{0,3}){0,3}\s*\Z"),
    st.from_regex(r"\A\s*[0-9]{1,6}\s*[dwmyDWMY]\s*\Z"),
    st.sampled_from(["today", "TODAY", " yesterday ", "0d", "99999y", "99999d", "99999w", "2022-02-29",
                     "2024-02-29", "0000-01-01", "2022-00", "2022-13", "2022-1-1", "٢٠٢٢-٠٣", "𝟐𝟎𝟐𝟐", "2022\n"]),
)


@FAST
@given(date_words, st.booleans(), today_dates)
def test_parse_bound_raises_only_date_error(text: str, end: bool, today: dt.date) -> None:
    """parse_bound returns a date or raises DateError (its documented error), whatever is typed."""
    try:
        day = parse_bound(text, end=end, today=today)
    except DateError:
        return
    assert isinstance(day, dt.date)


@FAST
@given(today_dates, st.booleans())
def test_parse_bound_reads_iso_days(day: dt.date, end: bool) -> None:
    assert parse_bound(day.isoformat(), end=end) == day
    assert parse_bound(f" {day.isoformat()}\n", end=end) == day


@FAST
@given(today_dates)
def test_parse_bound_month_covers_first_to_last_day(day: dt.date) -> None:
    text = f"{day.year:04d}-{day.month:02d}"
    last = calendar.monthrange(day.year, day.month)[1]
    assert parse_bound(text, end=False) == dt.date(day.year, day.month, 1)
    assert parse_bound(text, end=True) == dt.date(day.year, day.month, last)


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | date_words,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=10,
)


@FAST
@given(json_like)
def test_parse_iso_date_never_raises(value: object) -> None:
    """parse_iso_date takes anything a JSON record may hold and returns a date or None."""
    result = parse_iso_date(value)
    assert result is None or isinstance(result, dt.date)


@FAST
@given(today_dates, st.sampled_from(["", "T10:00:00Z", "T25:99", " trailing", "+01:00"]))
def test_parse_iso_date_reads_the_leading_day(day: dt.date, rest: str) -> None:
    assert parse_iso_date(day.isoformat() + rest) == day


# ---------------------------------------------------------------- the query front end

SCHEMA = build_schema()
QUERY_BITS = ["peace", "talks", "Kyiv", "Putin", '"', '"peace talks"', "(", ")", "AND", "OR", "NOT", "ANDNOT",
              "ANDMAYBE", "-", "+", "*", "?", "~", "~2", "~99", "^", "^2", ":", "title:", "body:", "date:",
              "id:", "path:", "hash:", "url:", "month:", "people:", "places:", "orgs:", "spell_body:", "nofield:",
              "[", "]", "{", "}", "TO", "[a TO b]", "date:[20220101 TO 20221231]", "date:>2022", "\\", "'",
              "pe*", "p*", "*e", "pe?ce", "talks~", "talks~3/1", "\x00", "\x1b", "\x9b", "\t", "\n", " ", "ß"]
query_text = st.one_of(
    st.lists(st.sampled_from(QUERY_BITS), max_size=25).map(" ".join),
    st.lists(st.sampled_from(QUERY_BITS), max_size=25).map("".join),
    st.text(max_size=100),
    st.builds(lambda w, n: w * n, st.sampled_from(["a ", "(", '"', "x", "-", "a OR "]), st.integers(0, 1200)),
)


@FAST
@given(query_text)
def test_parse_query_returns_a_query_or_query_error(text: str) -> None:
    try:
        q = parse_query(text, SCHEMA)
    except QueryError:
        return
    from whoosh import query

    assert isinstance(q, query.Query) and q is not query.NullQuery
    searchable = {name for name, field in SCHEMA.items() if field.indexed}
    assert all(fieldname in searchable for fieldname, _ in q.iter_all_terms()), q


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index of the five seed articles, built with the project's own store."""
    from newsgrep.index import store

    base = tmp_path_factory.mktemp("props")
    articles = base / "articles"
    shutil.copytree(SEEDS, articles, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    root = base / "index"
    store.add(root, [str(articles)])
    return root


def check_search(root: Path, words: str, facets: bool, sort: str) -> None:
    """The whole search (parse, filter, rank, snippets, facets, "did you mean") either answers or refuses
    the query with a QueryError; an answer lists each article once and counts at least the hits shown."""
    from newsgrep.search.results import SearchRequest, run_search

    try:
        response = run_search(root, SearchRequest(words=words, facets=facets, sort=sort, limit=3))
    except QueryError:
        return
    ids = [hit.id for hit in response.hits]
    assert len(ids) == len(set(ids)), ids
    assert response.total >= len(response.hits)


def test_internal_spelling_fields_are_not_searched(small_index: Path) -> None:
    """Whoosh's word lists for "did you mean" (`spell_title`, `spell_body` with `spelling=True`) are not
    searchable fields: a prefix naming one listed the same article several times, with a total below
    the number of hits. Such a prefix must be refused or read as text, never searched."""
    for text in ("spell_title:putin", "spell_body:[TO3]", "peace spell_body:talks", "spell_title:*"):
        try:
            q = parse_query(text, SCHEMA)
        except QueryError:
            continue
        assert not any(str(leaf.field() or "").startswith("spell_") for leaf in q.leaves()), (text, q)
        check_search(small_index, text, facets=True, sort="relevance")


# The index is built once per module and only read here, so sharing it between examples is safe.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=query_text, facets=st.booleans(), sort=st.sampled_from(["relevance", "date"]))
def test_searching_any_query_returns_results_or_query_error(small_index: Path, words: str, facets: bool,
                                                            sort: str) -> None:
    check_search(small_index, words, facets, sort)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=query_text, facets=st.booleans(), sort=st.sampled_from(["relevance", "date"]))
def test_searching_any_query_slow(small_index: Path, words: str, facets: bool, sort: str) -> None:
    check_search(small_index, words, facets, sort)


# ---------------------------------------------------------------- decoding and sanitising bytes

byte_data = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda bom, body: bom + body, st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]),
              st.binary(max_size=100)),
    st.text(max_size=100).map(lambda t: t.encode("utf-8")),
    st.text(max_size=100).map(lambda t: t.encode("utf-16")),
    st.lists(st.sampled_from(ODD + ["\x1b]0;title\x07", "\x1b[1;31m", "\x1bP", "\x1b\\"]), max_size=20)
    .map(lambda parts: "".join(parts).encode("utf-8")),
)


@FAST
@given(byte_data)
def test_decode_then_sanitize_leaves_no_control_characters(data: bytes) -> None:
    """decode_bytes decodes anything or refuses it with SkipFile; sanitize leaves no control character
    other than tab and newline (no ESC, no C1 control, no CR)."""
    try:
        text = decode_bytes(data)
    except SkipFile:
        assert b"\x00" in data
        return
    assert isinstance(text, str)
    clean = sanitize(text)
    assert not _FORBIDDEN.search(clean), repr(clean)


@FAST
@given(st.text(max_size=200) | odd_text)
def test_sanitize_leaves_no_control_characters(text: str) -> None:
    clean = sanitize(text)
    assert not _FORBIDDEN.search(clean), repr(clean)
    assert sanitize(clean) == clean



@FAST
@given(st.lists(st.text(alphabet=st.characters(categories=("Lu", "Ll", "Lo", "Nd", "Mn")), min_size=1, max_size=12)
                | st.sampled_from(["the", "and", "AND", "OR", "NOT", "a", "oil", "prices", "Kyiv"]),
                min_size=1, max_size=6))
def test_plain_words_match_the_parser(words: list[str]) -> None:
    """Generated words (letters of any script, digits, combining marks, stop words): the query is the
    one Whoosh's own parser makes of their NFKC form less bare stop words, or both find no words.
    Words that are operators or that the analyser splits are read differently on purpose (see
    search/query.py)."""
    import unicodedata

    from whoosh import qparser, query

    from newsgrep.index.schema import STOP_WORDS, TEXT_FIELDS, build_schema

    schema = build_schema()
    words = [unicodedata.normalize("NFKC", w) for w in words]
    if any(w in ("AND", "OR", "NOT") or len(w.split()) != 1
           or len(list(schema["body"].process_text(w, mode="query"))) > 1 for w in words):
        return
    text = " ".join(words)
    # Bare stop words are left out of a query that has other words (search/query.py).
    if any(w.lower() not in STOP_WORDS for w in words):
        words = [w for w in words if w.lower() not in STOP_WORDS or (w.isupper() and len(w) > 1)]
    whooshs = qparser.MultifieldParser(list(TEXT_FIELDS), schema, group=qparser.OrGroup).parse(" ".join(words))
    try:
        ours = parse_query(text, schema)
    except QueryError:
        assert whooshs is query.NullQuery, text
        return
    assert ours == whooshs, text
