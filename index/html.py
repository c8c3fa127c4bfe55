"""Read an HTML article page: title, publication date, canonical URL and the cleaned story text.

The page is parsed with lxml directly (the same libxml2 parser BeautifulSoup's "lxml" builder uses,
without building a second tree in Python: it keeps extraction cheaper than one BeautifulSoup parse).

Finding the story:
1. drop elements that are never story text (scripts, navigation, header, footer, asides, forms,
   captions) and blocks whose class or id names them as chrome (share bars, related links, comments);
2. flatten the rest to one line per block, remembering which element each line came from and how
   much of it is link text;
3. score every line with the line cleaner's prose score (link-heavy lines count as chrome) and pick the
   element whose subtree has the highest total: the densest run of prose, wherever the site puts it;
4. pass that element's lines through `clean_text`, so HTML and plain-text articles share one cleaner.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import json
import re

import lxml.etree
import lxml.html

from index.clean import Line, clean_lines, clean_text, line_score, make_line
from index.model import RawArticle

_SKIP_TAGS = frozenset({
    "script", "style", "template", "noscript", "nav", "header", "footer", "aside", "form", "figcaption",
    "button", "select", "option", "textarea", "iframe", "svg", "canvas", "video", "audio", "object",
    "embed", "menu", "dialog", "label", "input", "title", "head",
})
_BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "dir", "div", "dl",
    "dt", "fieldset", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "hr", "html", "li", "main",
    "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "br",
})
# Class/id words that name page chrome (after readability's "unlikely candidates"), and words that
# name content, which win when an element carries both ("article-header" is not a page header).
_CHROME_WORDS = frozenset("""
share sharing sharebar social socials related recommended recommendations comment comments disqus
newsletter subscribe subscription signup promo promos sponsor sponsored advert advertisement ad ads
banner cookie cookies consent gdpr popup modal breadcrumb breadcrumbs sidebar widget widgets footer
masthead menu nav navbar navigation pagination pager tags taglist bio byline caption credits trending
popular outbrain taboola rss print toolbar skip more-stories readmore
""".split())
_CHROME_PREFIXES = ("share", "social", "related", "comment", "newsletter", "subscri", "sidebar", "breadcrumb",
                    "advert", "promo", "sponsor", "outbrain", "taboola", "recommend", "trending")
_CONTENT_WORDS = frozenset("article articlebody body content main post story entry text".split())
_SPACE = re.compile(r"\s+")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate",
    "publish-date", "publish_date", "published_time", "dc.date", "dc.date.issued", "dcterms.date",
    "dcterms.created", "dcterms.issued", "sailthru.date", "parsely-pub-date", "article.published",
    "article_date_original", "original-publish-date", "cxenseparse:recs:publishtime",
)


def read_html(html: str) -> RawArticle:
    """Title, date, URL and cleaned story text of one HTML page; never raises on bad input."""
    if not isinstance(html, str) or not html.strip():
        return RawArticle(title="", date=None, text="", url=None)
    try:
        root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.ParserError, ValueError, RecursionError):
        root = None
    if root is None:
        return RawArticle(title="", date=None, text=_fallback_text(html, None), url=None)
    title = _title(root)
    date = _date(root)
    url = _meta(root, "og:url") or _link(root, "canonical")
    try:
        text = clean_lines(_main_lines(root), title)
    except RecursionError:
        text = ""
    if not text:
        text = _fallback_text(html, title)
    return RawArticle(title=title, date=date, text=text, url=url)


# --- metadata -----------------------------------------------------------------------------------------

def _norm_space(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _meta(root: lxml.html.HtmlElement, *names: str) -> str | None:
    """Content of the first <meta> whose property, name or itemprop is one of `names` (case-insensitive)."""
    wanted = {n.lower() for n in names}
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        for attr in ("property", "name", "itemprop"):
            key = (el.get(attr) or "").strip().lower()
            if key in wanted and key not in found and (el.get("content") or "").strip():
                found[key] = el.get("content").strip()
    for name in names:
        if name.lower() in found:
            return found[name.lower()]
    return None


def _link(root: lxml.html.HtmlElement, rel: str) -> str | None:
    for el in root.iter("link"):
        if rel in (el.get("rel") or "").lower().split() and (el.get("href") or "").strip():
            return el.get("href").strip()
    return None


def _title(root: lxml.html.HtmlElement) -> str:
    """og:title, else the first <h1>, else <title>: the page's own headline before the site's label."""
    og = _norm_space(_meta(root, "og:title", "twitter:title"))
    if og:
        return og
    for tag in ("h1", "title"):
        for el in root.iter(tag):
            text = _norm_space(el.text_content())
            if text:
                return text
    return ""


def _parse_date(value: object) -> dt.date | None:
    """A calendar date from the start of an ISO-8601 string, or None: we never guess a date."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _json_ld_dates(data: object, depth: int = 0) -> list[str]:
    """Every datePublished value in a JSON-LD tree (objects, lists and @graph), depth-limited."""
    if depth > 20:
        return []
    if isinstance(data, list):
        return [d for item in data for d in _json_ld_dates(item, depth + 1)]
    if isinstance(data, dict):
        found = [data["datePublished"]] if isinstance(data.get("datePublished"), str) else []
        for value in data.values():
            if isinstance(value, (dict, list)):
                found += _json_ld_dates(value, depth + 1)
        return found
    return []


def _date(root: lxml.html.HtmlElement) -> dt.date | None:
    """Publication date from metadata only: meta tags, JSON-LD, then a <time datetime> element."""
    date = _parse_date(_meta(root, *_DATE_META))
    if date:
        return date
    for el in root.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text)
        except (ValueError, RecursionError):
            continue
        for value in _json_ld_dates(data):
            date = _parse_date(value)
            if date:
                return date
    for el in root.iter("time"):
        if el.get("itemprop", "").lower() == "datepublished" or el.get("pubdate") is not None:
            date = _parse_date(el.get("datetime") or el.text_content())
            if date:
                return date
    for el in root.iter("time"):
        date = _parse_date(el.get("datetime"))
        if date:
            return date
    return None


# --- main content -------------------------------------------------------------------------------------

def _is_chrome(el: lxml.html.HtmlElement) -> bool:
    """A block whose class or id words name it as page chrome ("share-bar", "related_links").

    Whole words are compared, so "Page-ad-margins" is chrome only for its word "ad", and "thread" or
    "header-image" do not trip "ad"; an element also named as content ("article-sidebar" excepted)
    is kept.
    """
    if el.tag in ("html", "body", "article", "main"):
        return False
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    if not names.strip():
        return False
    words = set(re.split(r"[\s_\-]+", names)) - {""}
    chrome = bool(words & _CHROME_WORDS) or any(w.startswith(_CHROME_PREFIXES) for w in words)
    return chrome and not words & _CONTENT_WORDS


def _hidden(el: lxml.html.HtmlElement) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return el.get("hidden") is not None or el.get("aria-hidden") == "true" or "display:none" in style


class _Block:
    """One output line under construction: its text pieces, link characters and owning element."""

    __slots__ = ("owner", "parts", "link_chars")

    def __init__(self, owner: lxml.html.HtmlElement) -> None:
        self.owner = owner
        self.parts: list[str] = []
        self.link_chars = 0


def _blocks(body: lxml.html.HtmlElement) -> list[tuple[str, float, lxml.html.HtmlElement]]:
    """The visible blocks under `body` as (text, link density, owning block element), in page order.

    An explicit stack instead of recursion: real pages nest deeper than Python's recursion limit.
    """
    blocks: list[_Block] = []
    current: _Block | None = None
    # A wrapper named "Page-ad-margins" may hold the whole story: a chrome name only removes an
    # element that holds a minor part of the page's text. Subtree text sizes come from one bottom-up
    # pass, so nested chrome names never make the walk quadratic.
    sizes: dict[lxml.html.HtmlElement, int] = {}
    for el in reversed(list(body.iter())):
        size = sizes.get(el, 0) + len(el.text or "")
        sizes[el] = size
        parent = el.getparent()
        if parent is not None:
            sizes[parent] = sizes.get(parent, 0) + size + len(el.tail or "")
    chrome_limit = sizes.get(body, 0) * 0.4

    def add(text: str | None, owner: lxml.html.HtmlElement, in_link: bool) -> None:
        nonlocal current
        if not text:
            return
        if current is None or current.owner is not owner:
            if not text.strip():
                return
            current = _Block(owner)
            blocks.append(current)
        current.parts.append(text)
        if in_link:
            current.link_chars += len(text.strip())

    stack: list[tuple] = [("el", body, body, False)]
    while stack:
        kind, node, owner, in_link = stack.pop()
        if kind == "text":
            add(node, owner, in_link)
            continue
        if kind == "break":
            current = None
            continue
        el = node
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP_TAGS or _hidden(el):
            continue
        if _is_chrome(el) and sizes.get(el, 0) < chrome_limit:
            continue
        is_block = tag in _BLOCK_TAGS
        own = el if is_block and tag != "br" else owner
        link = in_link or tag == "a"
        if is_block:
            current = None
            stack.append(("break", None, owner, in_link))
        for child in reversed(el):
            if child.tail:
                stack.append(("text", child.tail, own, link if child.tag != "a" else in_link))
            stack.append(("el", child, own, link))
        add(el.text, own, link)
    out = []
    for block in blocks:
        text = _norm_space("".join(block.parts))
        if text:
            out.append((text, min(1.0, block.link_chars / len(text)), block.owner))
    return out


def _link_chrome(line: Line, link_density: float) -> bool:
    """Mostly link text: a menu, a tag list or a related-story headline. A long sentence is still
    prose even when a site wraps every name in it in a link."""
    return link_density > 0.5 and not (line.sentence and line.words >= 25)


def _block_score(line: Line, link_density: float) -> float:
    """The cleaner's prose score, with link-heavy lines (menus, related links) counted as chrome."""
    if _link_chrome(line, link_density):
        return -3.0 - line.words / 3
    return line_score(line) * (1 - link_density)


class _Stats:
    """What a subtree holds: prose score, characters, link characters, prose lines and link lines."""

    __slots__ = ("score", "chars", "links", "prose", "linky")

    def __init__(self) -> None:
        self.score = self.chars = self.links = 0.0
        self.prose = self.linky = 0

    def add(self, other: _Stats, score: float) -> None:
        self.score += score
        self.chars += other.chars
        self.links += other.links
        self.prose += other.prose
        self.linky += other.linky

    def is_card(self) -> bool:
        """A teaser card: a linked headline with a line or two of summary. A list of them is prose
        too, but it is a list of other stories."""
        return self.linky >= 1 and self.prose <= 2

    def value(self) -> float:
        """Prose score discounted by the share of link text."""
        return self.score * (1 - self.links / self.chars) if self.chars else self.score


def _main_lines(root: lxml.html.HtmlElement) -> list[tuple[str, bool]]:
    """Lines of the story container, each flagged when it is link-heavy chrome.

    Every element gets the prose score of its subtree, discounted by its share of link text; a
    teaser card (linked headline plus a short summary) passes only its negative part up to its
    parent, so a column of cards does not make the column's ancestor look like the story. The best
    element is the story container; its link-heavy lines are passed on as known chrome.
    """
    body = root.find("body")
    if body is None:
        body = root
    blocks = _blocks(body)
    if not blocks:
        return []
    stats: dict[lxml.html.HtmlElement, _Stats] = {}
    chrome_flags = []
    for text, density, owner in blocks:
        line = make_line(text)
        chrome = _link_chrome(line, density)
        chrome_flags.append(chrome)
        score = _block_score(line, density)
        entry = stats.setdefault(owner, _Stats())
        entry.score += score
        entry.chars += len(text)
        entry.links += len(text) * density
        entry.prose += score > 0
        entry.linky += chrome
    for el in reversed(list(body.iter())):
        parent = el.getparent()
        if el in stats and parent is not None and el is not body:
            mine = stats[el]
            parent_stats = stats.setdefault(parent, _Stats())
            parent_stats.add(mine, min(mine.score, 0.0) if mine.is_card() else mine.score)
    best = max(stats, key=lambda el: stats[el].value())
    inside = {id(el) for el in best.iter()}
    return [(text, chrome) for (text, _, owner), chrome in zip(blocks, chrome_flags, strict=True)
            if id(owner) in inside]


_TAG = re.compile(r"<[^>]*>")
_DROP = re.compile(r"<(script|style|template|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BREAKS = re.compile(r"</?(?:p|div|br|li|h[1-6]|tr|blockquote|section|article)\b[^>]*>", re.IGNORECASE)


def _fallback_text(html: str, title: str | None) -> str:
    """Text of a page the parser could not read whole (no body, nesting beyond libxml2's limit):
    tags stripped with regular expressions, blocks on their own lines, then the line cleaner."""
    text = _BREAKS.sub("\n", _DROP.sub(" ", html[:5_000_000]))
    text = html_lib.unescape(_TAG.sub(" ", text))
    lines = (_norm_space(line) for line in text.split("\n"))
    return clean_text("\n".join(line for line in lines if line), title)
