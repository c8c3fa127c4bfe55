"""Read an HTML article page: title, publication date, URL, outlet (index/pagemeta.py) and the cleaned
story text.

The page is parsed with BeautifulSoup on its "lxml" builder, as the design asks ("HTML:
beautifulsoup4 parses it", dependencies "beautifulsoup4 with lxml"): bs4 gives one forgiving parse
of whatever a scraper fetched (broken markup, stray encodings, no <body>), with libxml2 doing the
tokenising for speed, and one tree API for every part of the product that reads HTML. Everything
after that parse walks the tree with explicit stacks and a few whole-tree passes (never recursion,
never `get_text()` over big subtrees), so extraction and cleaning cost less than the parse itself
(trafilatura's second opinion, step 5, adds its own lxml parse on the few pages that need it).

Finding the story:
1. drop elements that are never story text (scripts, navigation, header, footer, asides, form
   controls, captions; not <form> itself, which some sites wrap around the whole page) and blocks
   whose class or id names them as chrome (share bars, related links, comments);
2. flatten the rest to one line per block, remembering which element each line came from and how
   much of it is link text;
3. score every line with the line cleaner's prose score (link-heavy lines count as chrome) and pick the
   element whose subtree has the highest total: the densest run of prose, wherever the site puts it;
4. pass that element's lines through the line cleaner, so HTML and plain-text articles share its
   rules (not the search for the best run of lines: the container is that run already);
5. when that story is a small part of the page's visible text, ask trafilatura for its story and
   take it, through the same line rules, when ours is much shorter (`_second_opinion`).
"""

from __future__ import annotations

import html as html_lib
import re
import warnings
from collections import Counter
from itertools import islice

import lxml.etree
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import Comment, NavigableString, PreformattedString, Tag
from bs4.exceptions import ParserRejectedMarkup

from newsgrep.index import config
from newsgrep.index.clean import (
    HTML_LINE_RULES,
    STOP_WORDS,
    Line,
    clean_lines,
    clean_text,
    line_score,
    make_line,
)
from newsgrep.index.model import Story
from newsgrep.index.pagemeta import attr, read_page_meta

_SKIP_TAGS = frozenset({
    "script", "style", "template", "noscript", "nav", "header", "footer", "aside", "figcaption",
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
_NAME_SPLIT = re.compile(r"[\s_\-]+")
_SPACE = re.compile(r"\s+")
# Tags whose text is never shown: left out of the subtree sizes.
_INVISIBLE = frozenset({"script", "style", "template", "noscript", "head", "title"})
# Tags the metadata readers need, collected during the one whole-tree pass (no `find_all` per field).
_META_TAGS = frozenset({"meta", "link", "script", "time", "h1", "title"})
# What bs4's lxml builder may raise on input it cannot read; read_html falls back to regular expressions.
_PARSE_ERRORS = (ParserRejectedMarkup, lxml.etree.LxmlError, ValueError, LookupError, RecursionError)


def read_html(html: str) -> Story:
    """Title, date, URL and cleaned story text of one HTML page; never raises on bad input."""
    if not isinstance(html, str) or not html.strip():
        return Story(title="", date=None, text="", url=None)
    html = repair_mojibake(html)
    try:
        with warnings.catch_warnings():
            # bs4's advice for interactive use ("this looks like XML / a URL"): a scraped page is read
            # as HTML whatever it starts with (XHTML pages open with an XML declaration).
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(html, "lxml")
        if _SEGMENT_MARK in html:
            _place_streamed_segments(soup)
        tree = _Tree(soup)
    except _PARSE_ERRORS:
        return Story(title="", date=None, text=_fallback_text(html, None), url=None)
    meta = read_page_meta(tree.found, tree.tags)
    title = meta.title
    try:
        lines, stop_words = _main_lines(tree)
        lines = _drop_repeated_runs(lines)
        text = clean_lines([(line, chrome) for line, chrome, _ in lines], title, rules=HTML_LINE_RULES,
                           region=False, stop_words=stop_words, table_rows=_data_rows(tree, lines))
    except RecursionError:
        text = ""
    if len(text) < _SECOND_OPINION_GATE * tree.size[tree.body] and len(html) <= config.MAX_SECOND_OPINION_CHARS:
        text = _second_opinion(html, title, text)
    if not text:
        text = _fallback_text(html, title)
    return Story(title=title, date=meta.date, text=text, url=meta.url, source=meta.source,
                      published=meta.published)


# --- text decoded twice -------------------------------------------------------------------------------

# UTF-8 bytes that were once decoded as Latin-1 or Windows-1252 and encoded again ("doesnâ\x80\x99t",
# "cafÃ©", "Â\xa0"): a lead character of a UTF-8 sequence followed by characters that stand for its
# continuation bytes (0x80-0xBF, in Latin-1 or in Windows-1252's letters for 0x80-0x9F).
_CONTINUATION = "".join(chr(b) for b in range(0x80, 0xC0)) + "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_CONT = "[" + re.escape(_CONTINUATION) + "]"
_MOJIBAKE = re.compile(f"[\xc2-\xdf]{_CONT}|[\xe0-\xef]{_CONT}{{2}}|[\xf0-\xf4]{_CONT}{{3}}")
# What such text nearly always holds: a quote or dash (â + 0x80), an accented letter, a no-break space.
_MOJIBAKE_MARK = re.compile("â[\x80€]|Ã[\xa0-\xbf]|Â[\xa0-\xbf]")
_MIN_MOJIBAKE = 3


def _undouble(match: re.Match) -> str:
    chars = match.group()
    try:
        return bytes(ord(c) if c < "\u0100" else c.encode("cp1252")[0] for c in chars).decode("utf-8")
    except UnicodeDecodeError:
        return chars


def repair_mojibake(html: str) -> str:
    """The page with its doubly decoded UTF-8 ("doesnâ\x80\x99t") read back as the text it was.

    Some sites store text that went through a Latin-1 decoding once too often; its words then
    never match the same words elsewhere, nor a query. A page is repaired only when it holds at
    least _MIN_MOJIBAKE such sequences, which real text in any Latin-script language does not
    ("Ã©" and "â€™" are no words); the cheap character test first keeps the cost off other pages.
    """
    if "â" not in html and "Ã" not in html and "Â" not in html:
        return html
    if not _MOJIBAKE_MARK.search(html):
        return html
    if sum(1 for _ in islice(_MOJIBAKE.finditer(html), _MIN_MOJIBAKE)) < _MIN_MOJIBAKE:
        return html
    return _MOJIBAKE.sub(_undouble, html)


# --- parts of the page sent late ----------------------------------------------------------------------

# React's streaming server rendering (Next.js and the like) sends the page's shell first, with a
# placeholder where a part is still being rendered: `<template id="B:4">` followed by a fallback ("Loading
# paragraph...") up to the comment `/$`, or a bare `<template id="P:4">`. The part itself comes at the end
# of the body in `<div hidden id="S:4">`, and a small script moves it into place. Read without scripts,
# such a story is hidden and cut into pieces at the end of the page; put where the script puts it, it
# reads as the page shows it.
_SEGMENT_MARK = 'id="S:'
_SEGMENT_ID = re.compile(r"^S:[0-9a-z]+$")
_HOLE_ID = re.compile(r"^[BP]:[0-9a-z]+$")
_BOUNDARY_OPEN = frozenset({"$", "$?", "$!"})


# Where a page was saved without its comments, the fallback is taken to be the element right after the
# placeholder when its text is this short (a spinner, a skeleton, "Loading paragraph...").
_FALLBACK_CHARS = 40


def _drop_fallback(hole: Tag) -> None:
    """Remove what follows a `B:` placeholder up to the comment that closes its boundary (nested
    boundaries inside the fallback are skipped whole); without that comment, the next element when
    it is as short as a fallback."""
    fallback = []
    depth = 0
    node = hole.next_sibling
    while node is not None:
        if isinstance(node, Comment):
            mark = node.strip()
            if mark == "/$":
                if depth == 0:
                    for part in fallback:
                        part.extract()
                    return
                depth -= 1
            elif mark in _BOUNDARY_OPEN:
                depth += 1
        fallback.append(node)
        node = node.next_sibling
    after = hole.find_next_sibling()
    if after is not None and after.name != "template" and len(after.get_text().strip()) <= _FALLBACK_CHARS:
        after.extract()


def _place_streamed_segments(soup: BeautifulSoup) -> None:
    """Move each streamed part (`<div hidden id="S:n">`) to its placeholder, as the page's script does.

    A part whose placeholder is missing stays where it is, hidden."""
    segments = soup.find_all("div", id=_SEGMENT_ID, hidden=True)
    if not segments:
        return
    holes = {attr(tag, "id"): tag for tag in soup.find_all("template", id=_HOLE_ID)}
    for segment in segments:
        key = attr(segment, "id")[2:]
        hole = holes.get("B:" + key) or holes.get("P:" + key)
        if hole is None:
            continue
        if attr(hole, "id").startswith("B:"):
            _drop_fallback(hole)
        for child in list(segment.contents):
            hole.insert_before(child.extract())
        hole.decompose()
        segment.decompose()


# --- the parsed page ----------------------------------------------------------------------------------

class _Tree:
    """One pass over the parsed page: every tag in document order with its parent and subtree facts.

    Tags are referred to by their position in document order: bs4's `Tag.__hash__` serialises the whole
    subtree, so tags are never used as dictionary keys. A tag's subtree is the positions
    `i .. i + span[i]`; `size[i]` is the length of all the text under it (comments and scripts included,
    as in the page source). The walk keeps its own stack: real pages nest deeper than Python's recursion
    limit, and the 10,000-level pages a scraper meets do not make it quadratic.
    """

    __slots__ = ("tags", "parent", "size", "span", "pos", "found", "body")

    def __init__(self, soup: BeautifulSoup) -> None:
        tags: list[Tag] = []
        parent: list[int] = []
        size: list[int] = []
        found: dict[str, list[Tag]] = {name: [] for name in _META_TAGS}
        body = -1
        stack: list[tuple[Tag | NavigableString, int]] = [(soup, -1)]
        while stack:
            node, up = stack.pop()
            if isinstance(node, Tag):
                index = len(tags)
                tags.append(node)
                parent.append(up)
                size.append(0)
                name = node.name
                if name in _META_TAGS:
                    found[name].append(node)
                elif name == "body" and body < 0:
                    body = index
                children = node.contents
                if children:
                    stack.extend([(child, index) for child in reversed(children)])
            elif not isinstance(node, PreformattedString) and tags[up].name not in _INVISIBLE:
                size[up] += len(node)
        span = [0] * len(tags)
        for index in range(len(tags) - 1, 0, -1):
            up = parent[index]
            size[up] += size[index]
            span[up] += span[index] + 1
        self.tags, self.parent, self.size, self.span, self.found = tags, parent, size, span, found
        self.pos = {id(tag): index for index, tag in enumerate(tags)}
        self.body = body if body >= 0 else 0


def _norm_space(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


# --- main content -------------------------------------------------------------------------------------

def _is_chrome(el: Tag) -> bool:
    """A block whose class or id words name it as page chrome ("share-bar", "related_links").

    Whole words are compared, so "Page-ad-margins" is chrome only for its word "ad", and "thread" or
    "header-image" do not trip "ad"; an element also named as content ("article-sidebar" excepted)
    is kept.
    """
    if el.name in ("html", "body", "article", "main"):
        return False
    attrs = el.attrs
    if "class" not in attrs and "id" not in attrs:
        return False
    names = f"{attr(el, 'class')} {attr(el, 'id')}".lower()
    if not names.strip():
        return False
    words = set(_NAME_SPLIT.split(names)) - {""}
    chrome = bool(words & _CHROME_WORDS) or any(w.startswith(_CHROME_PREFIXES) for w in words)
    return chrome and not words & _CONTENT_WORDS


# The panels of an accordion or of tabs (WAI-ARIA's pattern): hidden until their heading is clicked, and
# a story's sections, questions and steps are often written that way.
_PANEL_ROLES = frozenset({"region", "tabpanel"})


def _hidden(el: Tag) -> bool:
    """Not shown when the page opens (hidden, aria-hidden, display:none), except a collapsed panel."""
    attrs = el.attrs
    if not attrs:
        return False
    style = attr(el, "style").replace(" ", "").lower()
    hidden = "hidden" in attrs or attrs.get("aria-hidden") == "true" or "display:none" in style
    return hidden and attr(el, "role") not in _PANEL_ROLES


class _Block:
    """One output line under construction: its text pieces, link characters, owning element and the
    chrome-named elements it lies in."""

    __slots__ = ("owner", "parts", "link_chars", "roots")

    def __init__(self, owner: int, roots: tuple[int, ...] = ()) -> None:
        self.owner = owner
        self.parts: list[str] = []
        self.link_chars = 0
        self.roots = roots


# A table row whose cells hold inline text is one line, its cells set apart by " | ": a row of figures
# is read as the row it is, not as a column of stray numbers and names that
# the line rules take for timestamps and labels. A row this long is a page laid out in a table.
_ROW_MAX_CHARS = 2000
_CELL_TAGS = frozenset({"td", "th"})
_CELL_SEPARATOR = " | "
# Inside preformatted text each line is a line (code, poems, tables typed with spaces), and class
# names are the highlighter's ("comment", "tag"), not the page's chrome.
_NORMAL, _ROW, _PRE = 0, 1, 2


def _is_data_row(tree: _Tree, index: int) -> bool:
    """A <tr> of a table of data: not much text, no table inside, and its cells hold inline text (at most
    one block wrapper per cell on average, as editors write `<td><p>…</p></td>`). A row of a page laid
    out in a table holds a column of paragraphs or links instead: its cells stay blocks of their own."""
    if tree.size[index] > _ROW_MAX_CHARS:
        return False
    tags = tree.tags
    cells = wrappers = 0
    for i in range(index + 1, index + tree.span[index] + 1):
        name = tags[i].name
        if name in _CELL_TAGS:
            cells += 1
        elif name in ("table", "tr"):
            return False
        elif name in _BLOCK_TAGS and name != "br":
            wrappers += 1
    return wrappers <= cells


def _blocks(tree: _Tree, roots_out: list[tuple[int, ...]] | None = None) -> list[tuple[str, float, int]]:
    """The visible blocks under the body as (text, link density, owning block's position), in page order.

    An explicit stack over `.contents`; text is read once, as the strings are met. A wrapper named
    "Page-ad-margins" may hold the whole story: a chrome name only removes an element that holds a
    minor part of the page's text (sizes from `_Tree`, so nested chrome names never make this quadratic).
    A data row of a table is one block (cells joined by " | "), and preformatted text keeps its lines.
    With `roots_out`, block elements named as chrome are read too, and `roots_out` receives, for each
    block, the positions of the chrome-named elements it lies in (see `_story_in_chrome`).
    """
    blocks: list[_Block] = []
    current: _Block | None = None
    pos = tree.pos
    size = tree.size
    body = tree.body
    chrome_limit = size[body] * 0.4

    # Stack entries: (node, owner position, inside a link, mode, chrome roots); node None closes a block.
    stack: list[tuple] = [(tree.tags[body], body, False, _NORMAL, ())]
    while stack:
        node, owner, in_link, mode, roots = stack.pop()
        if node is None:
            current = None
            continue
        if not isinstance(node, Tag):
            if isinstance(node, PreformattedString) or not node:
                continue
            pieces = node.split("\n") if mode == _PRE else (node,)
            for n, piece in enumerate(pieces):
                if n:
                    current = None
                if current is None or current.owner != owner:
                    if not piece or piece.isspace():
                        continue
                    current = _Block(owner, roots)
                    blocks.append(current)
                current.parts.append(piece)
                if in_link:
                    current.link_chars += len(piece.strip())
            continue
        tag = node.name
        if tag in _SKIP_TAGS or _hidden(node):
            continue
        if mode != _PRE and _is_chrome(node) and size[pos[id(node)]] < chrome_limit:
            if roots_out is None or mode != _NORMAL or tag not in _BLOCK_TAGS or tag == "br":
                continue
            roots = (*roots, pos[id(node)])
        if mode == _ROW:
            if current is not None and current.owner == owner:
                current.parts.append(_CELL_SEPARATOR if tag in _CELL_TAGS else " ")
        elif tag in _BLOCK_TAGS:
            current = None
            stack.append((None, owner, in_link, mode, roots))
            if tag != "br":
                owner = pos[id(node)]
                if tag == "pre":
                    mode = _PRE
                elif tag == "tr" and _is_data_row(tree, owner):
                    mode = _ROW
        link = in_link or tag == "a"
        children = node.contents
        if children:
            stack.extend([(child, owner, link, mode, roots) for child in reversed(children)])
    out = []
    for block in blocks:
        text = _norm_space("".join(block.parts))
        if text:
            out.append((text, min(1.0, block.link_chars / len(text)), block.owner))
            if roots_out is not None:
                roots_out.append(block.roots)
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

    __slots__ = ("score", "chars", "links", "prose", "linky", "data", "long")

    def __init__(self) -> None:
        self.score = self.chars = self.links = 0.0
        self.prose = self.linky = self.data = 0
        self.long = 0  # paragraphs longer than a teaser's summary (see _is_long_paragraph)

    def add(self, other: _Stats, score: float) -> None:
        self.score += score
        self.chars += other.chars
        self.links += other.links
        self.prose += other.prose
        self.linky += other.linky
        self.long += other.long
        self.data += other.data

    def is_card(self, items: bool = False) -> bool:
        """A teaser card: a linked headline with a line or two of summary. A list of them is prose
        too, but it is a list of other stories. With `items`, a block whose paragraph runs longer than
        a teaser's summary is an item of the story instead (see _LISTICLE_GAIN)."""
        return self.linky >= 1 and self.prose <= 2 and not (items and self.long)

    def copy(self) -> _Stats:
        twin = _Stats()
        twin.add(self, self.score)
        return twin

    def value(self) -> float:
        """Prose score discounted by the share of link text."""
        return self.score * (1 - self.links / self.chars) if self.chars else self.score


_WORD = re.compile(r"\w+")


def _page_stop_words(blocks: list[tuple[str, float, int]]) -> frozenset[str]:
    """The built-in stop words, plus the page's own function words when its language is not covered.

    Prose is recognised by its share of function words; a page in a language the built-in list
    covers thinly (Polish, Turkish, Vietnamese...) would otherwise read as one long menu. Function
    words are the short words a text repeats most, whatever the language: the page's most frequent
    words of at most three letters, each at least 0.5% of its words, stand in for them.
    """
    counts = Counter(w for text, _, _ in blocks for w in _WORD.findall(text.lower()))
    total = sum(counts.values())
    if not total or sum(n for w, n in counts.items() if w in STOP_WORDS) >= 0.15 * total:
        return STOP_WORDS
    own = [w for w, n in counts.most_common(200)
           if len(w) <= 3 and not w.isdigit() and n >= 0.005 * total][:30]
    return STOP_WORDS | frozenset(own)


# Chrome words that name a place in the layout rather than what it holds: a page builder's text box
# ("widget"), the column a site puts its article in ("sidebar-left"), a featured ("promoted") item, a
# skip-link target. The other chrome words (share, related, comments, footer, cookie...) say what the
# element holds, and that is never the story.
_LAYOUT_WORDS = frozenset("widget widgets sidebar skip ad ads promo promos promoted".split())
_LAYOUT_PREFIXES = ("widget", "sidebar", "promo")
# A chrome-named element holding this many paragraphs of prose (sentences of at least _PARAGRAPH_WORDS
# words, rich in function words, little link text) is story text, and its prose outweighs its chrome.
_STORY_PARAGRAPHS = 2
_PARAGRAPH_WORDS = 15
_PARAGRAPH_LINKS = 0.3


def _story_in_chrome(tree: _Tree, blocks: list[tuple[str, float, int]], roots: list[tuple[int, ...]],
                     stop_words: frozenset[str]) -> tuple[list[int], list[int]]:
    """Which blocks to read (their indexes): not those of elements named as chrome, unless such an element
    holds story prose; and, apart, the blocks left out whose chrome names all name a place in the layout
    (see `_main_lines`).

    Class names are the site builder's, not the editor's: "widget", "promo" or "sidebar" also name
    the text box of a page builder, a product's review inside a buying guide or the column a site
    puts its article in. An element whose chrome words all name such a place, and that holds several
    paragraphs of prose with little link text and more prose than chrome, is kept, and so are such
    elements side by side under one parent that hold that much prose together.
    """
    if not any(roots):
        return list(range(len(blocks))), []
    paragraphs: Counter[int] = Counter()
    balance: Counter[int] = Counter()
    for (text, density, _), chain in zip(blocks, roots, strict=True):
        if not chain:
            continue
        line = make_line(text, stop_words)
        score = _block_score(line, density)
        long_prose = (line.sentence and line.words >= _PARAGRAPH_WORDS and line.stop_ratio >= 0.2
                      and density <= _PARAGRAPH_LINKS)
        for root in chain:
            paragraphs[root] += long_prose
            balance[root] += score
    layout = {root for root in paragraphs if _names_layout(tree.tags[root])}
    kept = {root for root in layout if paragraphs[root] >= _STORY_PARAGRAPHS and balance[root] > 0}
    # A page builder puts each heading and each paragraph in a box of its own: the boxes side by side
    # under one parent are judged together.
    groups: dict[int, list[int]] = {}
    for root in {chain[0] for chain in roots if chain} & layout:
        groups.setdefault(tree.parent[root], []).append(root)
    for group in groups.values():
        if (sum(paragraphs[root] for root in group) >= _STORY_PARAGRAPHS
                and sum(balance[root] for root in group) > 0):
            kept.update(group)
    out, apart = [], []
    for index, chain in enumerate(roots):
        if _chain_kept(tree, chain, kept):
            out.append(index)
        elif all(root in layout for root in chain):
            apart.append(index)
    return out, apart


def _chain_kept(tree: _Tree, chain: tuple[int, ...], kept: set[int]) -> bool:
    """Whether a block inside the chrome-named elements `chain` (outermost first) stays: each of them is
    kept, or is named for its place in the layout inside a kept one (a product's name in its box)."""
    for n, root in enumerate(chain):
        if root not in kept and not (n and chain[n - 1] in kept and _names_layout(tree.tags[root])):
            return False
        kept.add(root)
    return True


def _names_layout(el: Tag) -> bool:
    """Every chrome word in the element's class and id names a place in the layout (see _LAYOUT_WORDS)."""
    words = set(_NAME_SPLIT.split(f"{attr(el, 'class')} {attr(el, 'id')}".lower())) - {""}
    chrome = {w for w in words if w in _CHROME_WORDS or w.startswith(_CHROME_PREFIXES)}
    return all(w in _LAYOUT_WORDS or w.startswith(_LAYOUT_PREFIXES) for w in chrome)


# A teaser's summary is a sentence or two, cut short with "..." when it runs longer (WordPress cuts
# excerpts at 55 words); an item of a listicle, a buying guide or a venue guide has a paragraph of its own
# under its linked name. A block with a paragraph this long is such an item, not a teaser card.
_CARD_SUMMARY_WORDS = 50
_CUT_SHORT = ("...", "…", "[…]", "[...]")


def _is_long_paragraph(line: Line, score: float) -> bool:
    """A prose line longer than any teaser's summary, not cut short like an excerpt."""
    return score > 0 and line.words >= _CARD_SUMMARY_WORDS and not line.text.endswith(_CUT_SHORT)


# A list item or table cell with no link in it is data (a tour date, a stat line, a product's
# specification), not a menu: menus and link lists are links. It counts a little for its container
# instead of against it, so a story made of lists is not beaten by its one paragraph of prose.
_DATA_TAGS = frozenset({"li", "td", "th", "dd", "dt", "tr", "pre"})
_DATA_ITEM_SCORE = 0.5


# A child that holds this share of its container's value is the story when everything else of value in
# the container comes after it: what follows a story inside its wrapper is the author's bio, a sign-up
# box, testimonials, "you might also like" (prose all, so the wrapper outscores the story by a little).
_STORY_SHARE = 0.8


def _narrowed(tree: _Tree, stats: dict[int, _Stats], best: int) -> int:
    """The best element, or the child that holds most of its value with nothing of value before it.

    The container scores pick the element with the most prose; a wrapper that adds a bio or a box
    of teasers with summaries after the story scores a little more than the story's own element.
    Only what comes after the child is given up, and only when it holds no data (list items and
    table rows without links): a lead or an intro before the body stays, and so does a story that
    goes on in a table of results or a list of dates.
    """
    parent, span = tree.parent, tree.span
    while True:
        value = stats[best].value()
        if value <= 0:
            return best
        kids = [i for i in range(best + 1, best + span[best] + 1) if parent[i] == best and i in stats]
        story = next((i for i in kids if stats[i].value() >= _STORY_SHARE * value), None)
        if story is None or any(stats[i].score > 0 for i in kids if i < story):
            return best
        if any(stats[i].data for i in kids if i > story):
            return best  # a table or list after the first paragraph: the story goes on in data
        best = story


# A teaser card's summary is at most this long; its link may show no text of its own.
_CARD_MAX_CHARS = 400
_CARD_MAX_TAGS = 200


def _is_unseen_link_card(tree: _Tree, index: int, stats: _Stats) -> bool:
    """A short piece of prose whose element links to another page through a link the text does not
    show: an image link, or a headline link inside the card's own <header> (skipped as page chrome).

    Such a teaser card (picture, headline, one-line summary) reads as a paragraph of prose; a
    "you might also like" row of them inside the story's wrapper would count as story. Only a
    short element is checked, so a story's linked picture never turns its paragraphs into a card.
    """
    if stats.prose > 2 or stats.score <= 0 or stats.chars > _CARD_MAX_CHARS or tree.span[index] > _CARD_MAX_TAGS:
        return False
    tags, parent, size = tree.tags, tree.parent, tree.size
    for i in _page_links(tree, index):
        if size[i] == 0:
            return True
        up = parent[i]
        while up > index:
            if tags[up].name in _SKIP_TAGS:
                return True
            up = parent[up]
    return False


def _page_links(tree: _Tree, index: int) -> list[int]:
    """Positions of the links under an element that lead to another page (not to a place on this one,
    a script, a mail address or a phone number: an accordion's toggles are no teasers)."""
    tags = tree.tags
    found = []
    for i in range(index + 1, index + tree.span[index] + 1):
        if tags[i].name == "a":
            href = attr(tags[i], "href").strip().lower()
            if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
                found.append(i)
    return found


# A run of at least _MIN_TRAILING_CARDS teaser cards ends the story container's lines: a list of other
# stories, each card's summary at most _TRAILING_CARD_WORDS words.
_MIN_TRAILING_CARDS = 3
_TRAILING_CARD_WORDS = 40


def _trailing_cards_start(tree: _Tree, stats: dict[int, _Stats], best: int,
                          lines: list[tuple[str, bool, int]]) -> int:
    """Where a closing list of teaser cards begins among the container's lines (len(lines) if none).

    The container scores keep cards from making a wrapper look like the story, but a wrapper that
    holds the story and, after it, "more ideas" cards (a linked headline or picture, a one- or
    two-sentence summary) still passes the cards' summaries on as prose. Walking back from the
    last line, lines inside cards (and short labels between them) are the list; it is cut when it
    holds several cards. A story that ends in its own list of products keeps it: its items run
    longer than a teaser's summary or show no link.
    """
    parent = tree.parent
    card_of: dict[int, int] = {}

    def card(owner: int) -> int:
        if owner not in card_of:
            found, up = -1, owner
            while up > best:
                entry = stats.get(up)
                if entry is not None and entry.chars > _CARD_MAX_CHARS:
                    break
                if (entry is not None and entry.is_card() and tree.span[up] <= _CARD_MAX_TAGS
                        and _page_links(tree, up)):
                    found = up
                    break
                up = parent[up]
            card_of[owner] = found
        return card_of[owner]

    cards: set[int] = set()
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        text, chrome, owner = lines[index]
        home = card(owner)
        if home >= 0:
            if len(text.split()) > _TRAILING_CARD_WORDS:
                break
            cards.add(home)
            start = index
        elif not (chrome or len(text.split()) <= 5):
            break
    return start if len(cards) >= _MIN_TRAILING_CARDS else len(lines)


# A box that closes the container: at most this many characters and prose lines, and under this share of
# the container's characters.
_BOX_MAX_CHARS = 1000
_BOX_MAX_PROSE = 3
_BOX_MAX_SHARE = 0.25


def _trailing_box_start(tree: _Tree, stats: dict[int, _Stats], best: int,
                        lines: list[tuple[str, bool, int]]) -> int:
    """Where a closing box with a picture and a link begins among the container's lines (len(lines) if none).

    The author's bio after a story (a portrait, the name linked to the author's page, two or three
    sentences about them) is prose, and it sits inside the story's own wrapper, after its last
    paragraph. The box is the largest element holding the last line that is small, has an image and
    a link to another page; a story's last paragraph is no such element, and a closing figure only
    loses what its caption says.
    """
    if not lines:
        return 0
    parent, tags = tree.parent, tree.tags
    box, up = -1, lines[-1][2]
    while up > best:
        entry = stats.get(up)
        if entry is not None and (entry.chars > _BOX_MAX_CHARS or entry.prose > _BOX_MAX_PROSE):
            break
        if (entry is not None and tree.span[up] <= _CARD_MAX_TAGS and _page_links(tree, up)
                and any(tags[i].name == "img" for i in range(up + 1, up + tree.span[up] + 1))):
            box = up
        up = parent[up]
    if box < 0 or stats[box].chars > _BOX_MAX_SHARE * stats[best].chars:
        return len(lines)
    last = box + tree.span[box]
    start = len(lines)
    while start > 0 and box <= lines[start - 1][2] <= last:
        start -= 1
    return start


# A story whose items are blocks of a linked name and a long paragraph (a listicle, a buying guide, a
# venue guide) is taken with its items when they hold at least this many times the prose of the story
# found without them; fewer such blocks after a story are teasers with long summaries.
_LISTICLE_GAIN = 2.0


def _sum_up(tree: _Tree, stats: dict[int, _Stats], items: bool) -> bool:
    """Add every element's stats into its parent's, children first (see `_Stats.is_card` for `items`);
    whether some card held a paragraph longer than a teaser's summary."""
    # Positions are in document order, so walk them backwards. Only the body's subtree holds blocks;
    # the body passes nothing further up.
    body, parent = tree.body, tree.parent
    long_cards = False
    for index in range(body + tree.span[body], body, -1):
        mine = stats.get(index)
        if mine is None:
            continue
        up = parent[index]
        parent_stats = stats.get(up)
        if parent_stats is None:
            parent_stats = stats[up] = _Stats()
        if not mine.linky and _is_unseen_link_card(tree, index, mine):
            mine.linky = 1
        card = mine.is_card(items)
        long_cards = long_cards or (card and mine.long > 0)
        parent_stats.add(mine, min(mine.score, 0.0) if card else mine.score)
    return long_cards


# A heading or list item that is a link (a product's or a place's name linked to its page) between two
# parts of the story is the story's sub-heading or item; a run of more link lines than this is a list of
# links. (Linked paragraphs are left out: in the same place they are mostly "read also" teasers.)
_LINKED_HEADING_RUN = 3
_NAMED_ITEMS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "li"})


def _linked_headings_kept(tree: _Tree, lines: list[tuple[str, bool, int]]) -> list[tuple[str, bool, int]]:
    """The container's lines, with linked headings and list items no longer flagged as chrome when they
    lie in a short run of link lines that has story lines (not flagged) on both sides."""
    flags = [chrome for _, chrome, _ in lines]
    out = list(lines)
    n = 0
    while n < len(lines):
        if not flags[n]:
            n += 1
            continue
        end = n
        while end < len(lines) and flags[end]:
            end += 1
        if 0 < n and end < len(lines) and end - n <= _LINKED_HEADING_RUN:
            for k in range(n, end):
                text, _, owner = lines[k]
                if tree.tags[owner].name in _NAMED_ITEMS:
                    out[k] = (text, False, owner)
        n = end
    return out


def _data_rows(tree: _Tree, lines: list[tuple[str, bool, int]]) -> frozenset[int]:
    """Which lines are rows of a table of data (a <tr> read as one line, see `_is_data_row`)."""
    return frozenset(n for n, (_, _, owner) in enumerate(lines) if tree.tags[owner].name == "tr")


def _main_lines(tree: _Tree) -> tuple[list[tuple[str, bool, int]], frozenset[str]]:
    """Lines of the story container, each flagged when it is link-heavy chrome and with the position of
    the element it comes from, and the page's stop words.

    Every element gets the prose score of its subtree, discounted by its share of link text; a
    teaser card (linked headline plus a short summary) passes only its negative part up to its
    parent, so a column of cards does not make the column's ancestor look like the story. The best
    element is the story container; its link-heavy lines are passed on as known chrome.
    """
    roots: list[tuple[int, ...]] = []
    every = _blocks(tree, roots)
    stop_words = _page_stop_words(every)
    read, apart = _story_in_chrome(tree, every, roots, stop_words)
    blocks = [every[index] for index in read]
    if not blocks:
        return [], STOP_WORDS
    tags = tree.tags
    stats: dict[int, _Stats] = {}
    chrome_flags = []
    for text, density, owner in blocks:
        line = make_line(text, stop_words)
        chrome = _link_chrome(line, density)
        chrome_flags.append(chrome)
        score = _block_score(line, density)
        data = score < 0 and not density and tags[owner].name in _DATA_TAGS
        if data:
            score = _DATA_ITEM_SCORE
        entry = stats.get(owner)
        if entry is None:
            entry = stats[owner] = _Stats()
        entry.data += data
        entry.score += score
        entry.chars += len(text)
        entry.links += len(text) * density
        entry.prose += score > 0
        entry.linky += chrome
        entry.long += _is_long_paragraph(line, score)
    own = {index: entry.copy() for index, entry in stats.items()}
    long_cards = _sum_up(tree, stats, items=False)
    best = _narrowed(tree, stats, max(stats, key=lambda index: stats[index].value()))
    if long_cards:
        # Blocks of a linked name and a long paragraph: teasers after a story, or the story's own items.
        _sum_up(tree, own, items=True)
        items = own
        listicle = _narrowed(tree, items, max(items, key=lambda index: items[index].value()))
        if items[listicle].value() >= _LISTICLE_GAIN * stats[best].value():
            best, stats = listicle, items
    last = best + tree.span[best]
    lines = [(index, text, chrome, owner)
             for index, (text, _, owner), chrome in zip(read, blocks, chrome_flags, strict=True)
             if best <= owner <= last]
    # Boxes named for their place in the layout inside the story's container are the story's own (a page
    # builder's heading box, a paragraph box): they come back in their place, but did not choose it.
    inside = [(index, every[index][0], _link_chrome(make_line(every[index][0], stop_words), every[index][1]),
               every[index][2]) for index in apart if best <= every[index][2] <= last]
    if inside:
        lines = sorted(lines + inside)
    lines = _linked_headings_kept(tree, [(text, chrome, owner) for _, text, chrome, owner in lines])
    cut = min(_trailing_cards_start(tree, stats, best, lines), _trailing_box_start(tree, stats, best, lines))
    return lines[:cut], stop_words


# A run of at least _REPEAT_RUN_LINES lines and _REPEAT_RUN_CHARS characters that repeats, line for line,
# lines met earlier in the container is a second copy of them.
_REPEAT_RUN_LINES = 3
_REPEAT_RUN_CHARS = 150


def _drop_repeated_runs(lines: list[tuple[str, bool, int]]) -> list[tuple[str, bool, int]]:
    """The container's lines without the second copy of a run of lines it already holds.

    Responsive layouts render the story twice (a desktop and a phone copy, one hidden by the style
    sheet, which is not read), or repeat a section of it; the copies are the same lines in the same
    order. Only a run of several lines is dropped: a story may repeat one line (a refrain, a pull
    quote, the same note under every item of a list), never a run of its paragraphs.
    """
    first: dict[str, int] = {}
    for index, (text, *_) in enumerate(lines):
        first.setdefault(text, index)
    keep = [True] * len(lines)
    index = 0
    while index < len(lines):
        earlier = first[lines[index][0]]
        run = 0
        while (index + run < len(lines) and earlier + run < index
               and lines[index + run][0] == lines[earlier + run][0]):
            run += 1
        if run >= _REPEAT_RUN_LINES and sum(len(line[0]) for line in lines[index:index + run]) >= _REPEAT_RUN_CHARS:
            keep[index:index + run] = [False] * run
            index += run
        else:
            index += 1
    return [line for line, kept in zip(lines, keep, strict=True) if kept]


# When the story found holds less than _SECOND_OPINION_GATE of the page's visible text, it may be one
# paragraph of a story the container scores missed (a story of lists or stat lines, or of linked
# phrases, a language whose prose the stop words miss); trafilatura is asked, and its text wins when
# ours has under _SECOND_OPINION_SHARE of its words. On a 300-page WCXB sample every page the second
# opinion changed was under 16% of its visible text; a gate at 20% asks trafilatura on 10 of the 54
# development pages instead of 14 at 30%, none of which it changes. (Its `fast` mode, without its
# own fallbacks, costs less but lost 0.006 F1 on that sample.)
_SECOND_OPINION_GATE = 0.2
_SECOND_OPINION_SHARE = 0.3
# A story this short (in words) after trafilatura's precision mode is checked against its default mode.
_SHORT_STORY_WORDS = 250


def _second_opinion(html: str, title: str, text: str) -> str:
    """Trafilatura's story through the same line rules when ours is much shorter; else ours.

    The container scores are best on classic news pages (they keep the lead that trafilatura often
    drops), so they decide first; trafilatura's own page model (its tag and class heuristics, its
    own fallbacks) is a second candidate only for pages where ours has nearly emptied the story, and
    only those pages pay for its parse. Its precision mode (no comments) is asked first; when the
    story is still short but not empty (both missed it the same way: a story of cards or lists
    inside a layout both read as chrome), its default mode, which keeps more, is asked too, on the
    same terms. When both found nothing, the whole-page fallback does better than that mode's guess.
    """
    import trafilatura  # imported here: most pages never need it, and it costs a quarter second
    from trafilatura.utils import load_html

    page = None
    for favor_precision in (True, False):
        if not favor_precision and not 0 < len(_WORD.findall(text)) < _SHORT_STORY_WORDS:
            break
        try:
            # One lxml parse for both modes: trafilatura works on copies of the tree it is given.
            page = load_html(html) if page is None else page
            if page is None:
                return text
            other = trafilatura.extract(page, favor_precision=favor_precision, include_comments=False) or ""
        except Exception:
            return text
        other = clean_lines(((line, False) for line in other.splitlines()), title,
                            rules=HTML_LINE_RULES, region=False)
        if len(_WORD.findall(text)) < _SECOND_OPINION_SHARE * len(_WORD.findall(other)):
            text = other
    return text


_TAG = re.compile(r"<[^>]*>")
_DROP = re.compile(r"<(script|style|template|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BREAKS = re.compile(r"</?(?:p|div|br|li|h[1-6]|tr|blockquote|section|article)\b[^>]*>", re.IGNORECASE)


def _fallback_text(html: str, title: str | None) -> str:
    """Text of a page the parser could not read whole (no body, input bs4 rejects): tags stripped
    with regular expressions, blocks on their own lines, then the line cleaner."""
    text = _BREAKS.sub("\n", _DROP.sub(" ", html[:5_000_000]))
    text = html_lib.unescape(_TAG.sub(" ", text))
    lines = (_norm_space(line) for line in text.split("\n"))
    return clean_text("\n".join(line for line in lines if line), title)
