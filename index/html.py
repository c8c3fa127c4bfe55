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

from index.clean import clean_text, line_score, make_line
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
_CHROME = re.compile(
    r"share|sharing|social|related|recommend|comment|disqus|newsletter|subscri|signup|sign-up|promo|"
    r"sponsor|advert|\bads?\b|ad-|banner|cookie|consent|gdpr|popup|modal|breadcrumb|sidebar|widget|"
    r"footer|masthead|menu|\bnav|pagination|pager|tags\b|tag-list|author-bio|byline|caption|credit|"
    r"trending|most-popular|more-stories|read-more|readmore|outbrain|taboola|rss|print|toolbar|skip",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"article|body|content|main|post|story|entry|text", re.IGNORECASE)
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
        text = clean_text("\n".join(_main_lines(root)), title)
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
    """A block named as page chrome by its class or id (and not also named as content)."""
    if el.tag in ("html", "body", "article", "main"):
        return False
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not names.strip() or not _CHROME.search(names):
        return False
    return not _CONTENT.search(names) or bool(re.search(r"related|share|comment|social|promo", names, re.I))


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
        if not tag or tag in _SKIP_TAGS or _hidden(el) or _is_chrome(el):
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


def _block_score(text: str, link_density: float) -> float:
    """The cleaner's prose score, with link-heavy lines (menus, related links) counted as chrome."""
    line = make_line(text)
    if link_density > 0.5:
        return -3.0 - line.words / 3
    return line_score(line) * (1 - link_density)


def _main_lines(root: lxml.html.HtmlElement) -> list[str]:
    """Lines of the element whose subtree scores highest: the story container."""
    body = root.find("body")
    if body is None:
        body = root
    blocks = _blocks(body)
    if not blocks:
        return []
    totals: dict[lxml.html.HtmlElement, float] = {}
    scores = [_block_score(text, density) for text, density, _ in blocks]
    for (_, _, owner), score in zip(blocks, scores, strict=True):
        totals[owner] = totals.get(owner, 0.0) + score
    for el in reversed(list(body.iter())):
        parent = el.getparent()
        if el in totals and parent is not None and el is not body:
            totals[parent] = totals.get(parent, 0.0) + totals[el]
    best = max(totals, key=lambda el: totals[el])
    inside = {id(el) for el in best.iter()}
    return [text for (text, density, owner) in blocks if id(owner) in inside and density <= 0.5]


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
