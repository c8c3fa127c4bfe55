"""Line-level article cleaner: keep the story, drop the page chrome and the boilerplate around it.

The input is the body of an article as lines (one paragraph per line, the title line already removed).
Cleaning happens in three steps, each made of small named functions:

1. LINE_RULES: each rule looks at one line (and the title) and says "drop it". They catch boilerplate
   families that look like story text to a statistical test: consent notices, tagged teasers,
   timestamps, social-embed credits, republishing footers, spam.
2. BLOCK_RULES: rules that need the neighbouring lines: a "DON'T MISS:" header drops the teasers
   under it, stories glued on after the end of the article are cut.
3. main_region: every remaining line gets a score (long, sentence-like, stop-word-rich lines are
   positive, short fragments negative) and the contiguous run of lines with the highest total is the
   story. That removes menus, footers and link lists around the story without knowing the site.

Plain text (`clean_text`) is first laid out by index/paragraphs.py: hard-wrapped paragraphs are joined
into one line each and the rows of tables are found, which keep their indentation in the output and
are kept with the story around them. Text written one paragraph per line is taken as it comes.

The output lines are always a subsequence of the stripped input lines, or of paragraphs joined from
consecutive ones (lines the cleaner drops may lie between them when only the kept lines show the
wrapping), with one documented exception: an embedded `pic.twitter.com/...` link is removed from inside
a kept line (the tweet text around it is story material, the link is not). Cleaning is idempotent:
line scores and line rules depend on the line alone, the steps that depend on a line's position (the
second half of the text, the prose before a comments header, the best region) are repeated on the kept
lines until they keep them all, and plain text is cleaned again until its layout reads the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from newsgrep.index.paragraphs import layout

# Function words of the languages we expect most often. Running prose is full of them; menus, tag
# lists and headlines are not (the measure behind jusText). One pooled set keeps the test cheap and
# works on mixed pages; the words are short and common, so false hits from other languages are rare.
STOP_WORDS = frozenset("""
a about after all also an and any are as at be been but by can could did do does for from had has have
he her his how i if in into is it its just more most my no not of on one or our out over said she so
than that the their them then there these they this those to up was we were what when which who will
with would you your
de da do das dos e em um uma o os as que para com por não na no nas nos ao se mais como mas foi ele ela
são ser está ou seu sua também já pelo pela entre quando muito há
el la los las y en un una es del al lo por con para su sus se más pero como fue este esta sobre
le les des du et est une pour dans qui sur pas au avec ce il elle sont ont été
der die das und ist nicht ein eine einer eines dem den des mit von zu auf für sich auch im es sie er
wie bei aus nach wird werden hat haben war wurde noch nur oder aber dass
il lo la gli le di che è un una per con non del della dei delle nel alla sono anche più ha
и в во не на что с со как а то по но из за от у к же бы был была были это для его ее её они он она
так уже или если мы вы ещё еще при о об также только которые который
yang dan di ke dari ini itu dengan untuk tidak akan pada dalam juga ada adalah atau oleh karena
""".split())

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SENTENCE_END = tuple(".!?…;。！？")
_CJK_PROSE_MARKS = "、。，！？.,"
_CLOSERS = "\"'”’»)]*"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)+")
_PIC_TWITTER = re.compile(r"\s*\bpic\.twitter\.com/\w+")
_MAX_LINE_CHARS = 100_000


@dataclass(frozen=True)
class Line:
    """One stripped input line and the cheap facts the rules share."""

    text: str
    words: int
    stop_ratio: float
    sentence: bool
    dropped: bool = False
    table: bool = False  # a row (or heading) of a table of figures: story material, not page chrome
    indent: str = ""  # a table row's leading white space, kept in the output to keep its layout

    @cached_property
    def lower(self) -> str:
        """Computed once: most line rules read it."""
        return self.text.lower()


def make_line(text: str, stop_words: frozenset[str] = STOP_WORDS) -> Line:
    """Measure a line once: word count, stop-word ratio and whether it ends like a sentence.

    Scripts written without spaces (Japanese, Chinese) count two characters as a word, and their
    punctuation stands in for stop words, so such pages are not mistaken for menus: ideographic
    commas and stops, and the Latin "." and "," that Korean (and much Chinese web text) writes.
    `stop_words` lets the HTML reader add a page's own function words when its language is one the
    built-in list does not cover.
    """
    tokens = _WORD.findall(text[:_MAX_LINE_CHARS].lower())
    cjk = len(_CJK.findall(text[:_MAX_LINE_CHARS]))
    if cjk > len(text) * 0.3:
        words = cjk // 2 + sum(1 for t in tokens if not _CJK.search(t))
        stop_ratio = 0.3 if any(ch in text for ch in _CJK_PROSE_MARKS) else 0.0
    else:
        words = len(tokens)
        # A figure such as "1,289,000" or "4.25" is one word, not three or two: counted in parts, the
        # figures of a financial story diluted its function words until it looked like a tag list.
        parts = sum(number.count(",") + number.count(".") for number in _NUMBER.findall(text[:_MAX_LINE_CHARS]))
        stop_ratio = sum(t in stop_words for t in tokens) / (words - parts) if words else 0.0
    return Line(text, words, stop_ratio, text.rstrip(_CLOSERS).endswith(_SENTENCE_END))


# --- line rules ---------------------------------------------------------------------------------------

def _has_any(text: str, phrases: tuple[str, ...]) -> bool:
    return any(p in text for p in phrases)


_SIGNUP = (
    "we use your sign-up", "sign up to our newsletter", "sign up for our newsletter",
    "subscribe to our newsletter",
    "by signing up", "by clicking", "you can unsubscribe", "this site uses cookies", "we use cookies",
    "this website uses cookies", "accept cookies", "use of cookies", "followed categories will be added",
    "don't miss out on the headlines", "don’t miss out on the headlines", "delivered to your inbox",
    "all rights reserved", "todos os direitos reservados", "alle rechte vorbehalten", "все права защищены",
    "tutti i diritti riservati", "derechos reservados", "tous droits réservés", "utilizamos cookies",
    "verwendet cookies", "используем cookie", "log in to comment", "you must be logged in",
    "your email address will not", "javascript is disabled", "enable javascript",
)


def is_signup_notice(line: Line, title: str | None) -> bool:
    """Consent, cookie, newsletter, copyright and login notices: site furniture written in sentences.

    Only lines of up to 60 words are tested, so a story that quotes such a phrase is not dropped.
    """
    return line.words <= 60 and _has_any(line.lower, _SIGNUP)


# The site's statement that it is paid for the links in its stories: "We may earn a commission", "This post
# contains affiliate links", "at no extra cost to you", "As an Amazon Associate ...". Said by the site
# itself (we, I, this post): a story about affiliate marketing says who earns, not "we may".
_DISCLOSURE = re.compile(
    r"\b(?:(?:we|i)(?:\s+(?:may|might|can|could|also|do|will))*\s+(?:earn|receive|get|make)s?\b[^.]{0,40}?"
    r"\b(?:commissions?|compensation)\b"
    r"|(?:this|our)\s+(?:post|article|page|site|website|blog|story|content|guide|review)s?"
    r"(?:\s+(?:may|might))?\s+(?:contains?|includes?|uses?)\s+(?:some\s+)?affiliate"
    r"|at\s+no\s+(?:extra|additional)\s+cost\s+to\s+you|as\s+an\s+amazon\s+associate"
    r"|earns?\s+from\s+qualifying\s+purchases|is\s+reader-supported|are\s+a\s+reader-supported)",
    re.IGNORECASE,
)


def is_affiliate_disclosure(line: Line, title: str | None) -> bool:
    """The site's affiliate disclosure, a line of at most 60 words (see _DISCLOSURE)."""
    return line.words <= 60 and bool(_DISCLOSURE.search(line.text))


_TEASER_TAG = re.compile(r"[\[(](?:[A-Z][A-Z ]{2,14})[\])]\s*$")


def is_teaser_headline(line: Line, title: str | None) -> bool:
    """Links to other stories tagged at the end, e.g. "Putin warned ... [REACTION]" or "... (VIDEO)".

    A story sentence mentioning a video does not end in an upper-case bracketed tag.
    """
    return line.words <= 30 and bool(_TEASER_TAG.search(line.text))


_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or the to up via vs with is are was".split()
)


_CAP_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def is_title_case_headline(line: Line, title: str | None) -> bool:
    """Related-story headlines dropped into the body ("Ukraine Open to Neutrality But Won't Yield...").

    Story paragraphs and most sub-headings are written in sentence case or end in punctuation;
    a short unpunctuated line where nearly every content word is capitalised is a link to elsewhere.
    """
    if line.sentence or not 4 <= line.words <= 16 or line.stop_ratio > 0.45:
        return False
    words = [w for w in _CAP_WORD.findall(line.text) if w.lower() not in _SMALL_WORDS]
    if len(words) < 4 or line.text.isupper():
        return False
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised == len(words) and not _CJK.search(line.text)


_TIME_WORDS = frozenset("""
am pm a m p m gmt bst utc cet cest est edt pst pdt cst cdt et pt ist aest aedt jst msk hrs h
updated posted published last modified on at ago min mins minute minutes hour hours day days
jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august
september october november december mon tue wed thu fri sat sun monday tuesday wednesday thursday
friday saturday sunday today yesterday
""".split())


def is_timestamp(line: Line, title: str | None) -> bool:
    """Live-blog and dateline stamps ("02:34 AM", "Updated 18 March 2022 10:30 GMT").

    Every token must be a number or a date/time word, so "The talks began at 10:30 on Monday
    in Istanbul." is kept.
    """
    if line.words > 12:  # `words` counts the same tokens (a cheap test first: most lines are prose)
        return False
    tokens = _WORD.findall(line.lower)
    return 0 < len(tokens) <= 12 and all(t.isdigit() or t in _TIME_WORDS for t in tokens)


_SOCIAL_CREDIT = re.compile(
    r"^[—–-]\s*[^()]{1,80}\(@\w{1,30}\)\s*(?:\w+\s+\d{1,2},\s*\d{4}|\d{1,2}\s+\w+\s+\d{4})?\s*$"
)


def is_social_credit(line: Line, title: str | None) -> bool:
    """The signature under an embedded tweet: "— max seddon (@maxseddon) March 18, 2022"."""
    return bool(_SOCIAL_CREDIT.match(line.text))


_FOOTER_PREFIXES = (
    "originally published", "this article originally appeared", "this story originally appeared",
    "source: read full article", "read full article", "read the full article", "read more:", "read more at",
    "follow updates below", "follow our live", "click here to", "share this article", "share on ",
    "sponsored content", "recommended for you", "you may also like", "more from ", "related:",
    "related articles", "related stories", "image caption", "photo:", "foto:", "leia também", "leia mais",
    "veja também", "lesen sie auch", "mehr zum thema",
    "читайте также", "baca juga", "privacy policy", "terms of use", "terms of service", "cookie policy",
)
_FOOTER_LINES = frozenset([
    "advertisement", "advertisements", "anzeige", "werbung", "publicidade", "publicité", "pubblicità",
    "реклама", "iklan", "comments", "comment", "kommentare", "комментарии", "comentários", "commenti",
    "share", "tweet", "email", "print", "more", "more coverage", "read more", "see more", "show more",
    "load more", "continue reading", "skip to content", "skip to main content", "back to top",
    "table of contents", "contents", "in this article", "jump to",
])


_FOOTER_LINE_WORDS = max(len(label.split()) for label in _FOOTER_LINES)


def is_footer_or_prompt(line: Line, title: str | None) -> bool:
    """Navigation prompts, labels and footers: "More Coverage", "Originally published as ...", "Read more".

    Prefixes are only tested on short lines and bare labels must be the whole line, because a story
    sentence may well contain "read more" or "comments".
    """
    if line.words > 14:
        return False
    lower = line.lower
    if lower.startswith(_FOOTER_PREFIXES):
        return True
    return line.words <= _FOOTER_LINE_WORDS and " ".join(_WORD.findall(lower)).strip("0123456789 ") in _FOOTER_LINES


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).lower()))


@lru_cache(maxsize=64)
def _norm_title(title: str) -> str:
    """The title normalised once per article, not once per line."""
    return _norm(title)


_SITE_NAME_WORDS = 6  # "… | The Wall Street Journal Online": what a repeated headline may carry around it


def is_title_repeat(line: Line, title: str | None) -> bool:
    """The headline printed again inside the body, possibly with the site name around it.

    A line holding the headline and more than a site name's worth of other words is a lead
    paragraph that opens with the headline's words (a short abstract, a one-line brief): it is
    text, and dropping it emptied such articles.
    """
    if not title or line.words > 40:
        return False
    a, b = _norm(line.text), _norm_title(title)
    around = len(a.split()) - len(b.split())
    return bool(a) and (a == b or (len(a) >= 20 and a in b)
                        or (len(b) >= 20 and b in a and line.words <= 30 and around <= _SITE_NAME_WORDS))


_SPAM = frozenset("xnxx xvideos xhamster pornhub porn porno xxx hentai redtube youporn viagra cialis".split())


def is_spam(line: Line, title: str | None) -> bool:
    """Search-spam lines injected into scraped pages ("xnxx indian"): short and built on a spam word."""
    return line.words <= 12 and not _SPAM.isdisjoint(_WORD.findall(line.lower))


def is_section_label(line: Line, title: str | None) -> bool:
    """Section and category labels ("World", "More Coverage" style crumbs): one or two bare words.

    A real paragraph or sub-heading has more words or ends like a sentence.
    """
    return line.words <= 2 and not line.sentence and not _CJK.search(line.text)


def is_byline(line: Line, title: str | None) -> bool:
    """Author lines ("By Jane Doe", "Por João Silva", "Von Max Muster") and bare @handles."""
    text = line.text
    if line.words > 8 or line.sentence:
        return False
    return bool(re.match(r"^(?:by|por|von|par|di|oleh|автор)\s+[^\W\d_]", text, re.IGNORECASE)) or (
        text.startswith("@") and line.words <= 2
    )


LineRule = Callable[[Line, str | None], bool]

LINE_RULES: list[LineRule] = [
    is_signup_notice,
    is_affiliate_disclosure,
    is_teaser_headline,
    is_title_case_headline,
    is_timestamp,
    is_social_credit,
    is_footer_or_prompt,
    is_title_repeat,
    is_spam,
    is_byline,
    is_section_label,
]

# The rules for lines that come from an HTML page's story container. Two rules are left out there:
# a story's list items (tour dates, line-ups, products) are title-case and short labels are often
# the story's own sub-headings, while the HTML reader already knows the menus and link lists those
# two rules stand in for on flattened text (link density, the page's markup).
HTML_LINE_RULES: list[LineRule] = [
    rule for rule in LINE_RULES if rule not in (is_title_case_headline, is_section_label)
]

# Rules that take a table's rows and headings ("1985 Crops", "Nine mths", "503.9 4,583.0") for labels,
# timestamps or headlines: they are not applied to the lines of a table.
_LABEL_RULES = frozenset([is_teaser_headline, is_title_case_headline, is_timestamp, is_byline, is_section_label])
_TABLE_RULES = [rule for rule in LINE_RULES if rule not in _LABEL_RULES]


# --- block rules --------------------------------------------------------------------------------------

_BLOCK_HEADERS = (
    "don't miss", "don’t miss", "read more", "read also", "related", "more on this", "see also", "also read",
    "most read", "most popular", "trending", "more stories", "top stories", "latest news", "leia mais",
    "leia também", "veja também", "lesen sie auch", "mehr zum thema", "читайте также", "baca juga",
)


def _is_block_header(line: Line) -> bool:
    text = line.lower.rstrip(":").strip()
    return line.words <= 5 and line.text.endswith(":") and _has_any(text, _BLOCK_HEADERS)


def drop_teaser_blocks(lines: list[Line | None]) -> list[Line | None]:
    """A "DON'T MISS:" / "READ MORE:" header and the headline links listed under it.

    The block ends at the first blank line or the first line that reads like a sentence (the story
    resumes), so a story paragraph after the teasers is kept.
    """
    out: list[Line | None] = []
    in_block = False
    for line in lines:
        if line is None:
            in_block = False
            out.append(line)
        elif _is_block_header(line):
            in_block = True
            out.append(replace(line, dropped=True))
        elif in_block and not line.sentence and line.words <= 20:
            out.append(replace(line, dropped=True))
        else:
            in_block = False
            out.append(line)
    return out


# A teaser cut short is a summary of a sentence or more; a shorter line ending in "[...]" is an elision
# (`"items": [...]` in a code sample), not the end of the story.
_TEASER_WORDS = 8
_TRUNCATED = re.compile(r"(?:\[(?:…|\.\.\.)\]|\(…\)|\[more\])\s*$", re.IGNORECASE)


def cut_glued_stories(lines: list[Line | None]) -> list[Line | None]:
    """Unrelated stories appended after the article: teasers truncated with "[…]".

    Once a truncated teaser appears in the second half of the text, the article has ended: the
    teaser, the headline line just above it and everything after are cut.
    """
    texts = [i for i, line in enumerate(lines) if line is not None]
    if len(texts) < 4:
        return lines
    half = texts[len(texts) // 2]
    for i in texts:
        if i >= half and not lines[i].dropped and lines[i].words >= _TEASER_WORDS and _TRUNCATED.search(lines[i].text):
            start = i
            before = [j for j in texts if j < i]
            if before and not lines[before[-1]].sentence and lines[before[-1]].words <= 20:
                start = before[-1]
            return lines[:start]
    return lines


# "Comments" is a header alone; "Response", "Discussion" and the like are also a story's own labels (an
# answer in a Q&A, a research paper's section), so they head comments only with a count or a "to ...".
_COMMENT_HEADER = re.compile(
    r"^(?:(?:\d+\s+)?(?:comments?|reader comments|comentários|comentarios|kommentare|комментари[ийя]|commenti|"
    r"komentar)\b(?:\s+(?:to|on)\b.*)?"
    r"|\d+\s+(?:responses?|replies|reactions|discussion)\b(?:\s+(?:to|on)\b.*)?"
    r"|(?:responses?|replies|reactions)\s+(?:to|on)\b.*"
    r"|(?:responses?|replies|reactions|discussion)\s*\(\d+\))\s*(?:\(\d+\))?:?$",
    re.IGNORECASE,
)
_COMMENT_AUTHOR = re.compile(r"^.{1,60}\b(?:says|said|wrote|writes|commented)\s*:?$", re.IGNORECASE)
_COMMENT_OPENERS = ("leave a reply", "leave a comment", "join the discussion", "join the conversation",
                    "post a comment", "add a comment", "add comment", "write a comment", "show comments")


def _is_comment_start(line: Line) -> bool:
    return line.words <= 16 and (
        bool(_COMMENT_HEADER.match(line.text)) or _has_any(line.lower, _COMMENT_OPENERS)
    )


def cut_comments(lines: list[Line | None]) -> list[Line | None]:
    """Reader comments after the story: prose, but not the article.

    The section starts at a "34 responses to ..." / "Comments" / "Leave a reply" header, or at the
    first of several "<name> says:" lines. Only a header that follows real story text counts, so a
    "Comments (3)" link in the page header does not empty the page.
    """
    prose = 0.0
    authors = [i for i, line in enumerate(lines)
               if line is not None and line.words <= 14 and _COMMENT_AUTHOR.match(line.text)]
    first_author = authors[0] if len(authors) >= 2 else len(lines)
    for i, line in enumerate(lines):
        if line is None:
            continue
        # A "Comments" header is also a bare label the footer rule drops: it still starts the comments.
        if prose >= 40 and (_is_comment_start(line) or i == first_author):
            return lines[:i]
        if not line.dropped:
            prose += max(0.0, line_score(line))
    return lines


BlockRule = Callable[[list[Line | None]], list[Line | None]]

BLOCK_RULES: list[BlockRule] = [drop_teaser_blocks, cut_glued_stories, cut_comments]

CARD_HEAD_WORDS = 15  # a card's label or headline: a line this short that does not end like a sentence
CARD_SUMMARY_WORDS = 40  # a card's summary: one or two sentences; a story paragraph under a subhead runs longer
MIN_CARDS = 4


REPEATED_LINE_WORDS = 4


def drop_repeated_lines(lines: list[Line | None]) -> list[Line | None]:
    """Lines of at least REPEATED_LINE_WORDS words that occur more than once in the text.

    A page flattened to text repeats its chrome: a menu for the desktop and one for the phone, a
    teaser in two lists, a cookie notice in its banner and its settings, metadata in several tags.
    A story says each of its paragraphs once (a pull quote repeats a sentence, which a paragraph
    does not equal). Rows of a table may repeat and stay.
    """
    seen: set[str] = set()
    out: list[Line | None] = []
    for line in lines:
        if line is not None and line.words >= REPEATED_LINE_WORDS and not line.table:
            if line.text in seen:
                line = replace(line, dropped=True)
            seen.add(line.text)
        out.append(line)
    return out


def _is_card_head(line: Line) -> bool:
    """A line a card could open with: short, and not ending like a sentence (a headline cut short with
    "..." is not one)."""
    if line.dropped:
        return True
    ends = not line.sentence or line.text.endswith(("...", "…"))
    return ends and line.words <= CARD_HEAD_WORDS and not line.table


def drop_card_lists(lines: list[Line | None]) -> list[Line | None]:
    """Lists of teaser cards after a story, in text with the page's chrome flattened into it.

    A card is a headline, with perhaps a label, a source or a time, and at most one line of summary
    ("Why farmers may want to paint their cows with zebra stripes" / "Some people thought ..."). A
    story's paragraphs follow one another; in a card list no two prose lines do, and every one or two
    lines are headlines. Each summary reads as prose, so the best run of lines used to take a whole
    list of cards with the story. A stretch of at least MIN_CARDS cards after the story's first two
    paragraphs in a row is dropped. A story written as short items, each under its own headline,
    has them before any two paragraphs in a row, so it is left alone.
    """
    items = [line for line in lines if line is not None]
    out = list(lines)
    where = [i for i, line in enumerate(lines) if line is not None]
    story_seen = False
    i = 0
    while i < len(items):
        if not story_seen:
            story_seen = i > 0 and not _is_card_head(items[i]) and not _is_card_head(items[i - 1])
            i += 1
            continue
        start, cards, j = i, 0, i
        while j < len(items):
            heads = 0
            while j < len(items) and _is_card_head(items[j]):
                heads, j = heads + 1, j + 1
            if heads == 0:
                break
            cards += 1
            if j < len(items) and not _is_card_head(items[j]):
                if items[j].words > CARD_SUMMARY_WORDS or (j + 1 < len(items) and not _is_card_head(items[j + 1])):
                    break  # a paragraph, or two prose lines in a row: a story again
                j += 1
        if cards >= MIN_CARDS:
            for k in range(start, j):
                out[where[k]] = replace(items[k], dropped=True)
            i = j
        else:
            i += 1
    return out


# --- main region ------------------------------------------------------------------------------------

def line_score(line: Line) -> float:
    """How much a line looks like story text: positive for prose, negative for chrome.

    Lines rich in stop words are prose (jusText's observation); their weight grows with length so one
    real paragraph outweighs a few stray menu items. Story paragraphs end like sentences; a shorter
    unpunctuated line is a headline, label or link, and long lines without stop words are tag lists
    or menus flattened onto one line.
    """
    if line.table:
        return TABLE_ROW_SCORE
    prose = line.stop_ratio >= 0.2
    if prose and line.sentence and line.words >= 6:
        return float(line.words)
    if prose and line.words >= 15:
        return line.words / 2
    if line.sentence and line.words >= 15 and line.stop_ratio >= 0.1:
        return line.words / 4
    if not prose and line.words >= 15:
        return -line.words / 3
    if line.sentence and line.words >= 3:
        return -1.0
    return -3.0


_DROPPED_SCORE = -3.0
# A row of a table: a little, so a table at the edge of a story stays with it (tables are only found
# in typed text, see layout.table_rows, never in a page's chrome flattened to text).
TABLE_ROW_SCORE = 1.0


def main_region(lines: list[Line]) -> list[Line]:
    """The contiguous run of lines with the highest total score (maximum subarray), without dropped lines.

    Lines already dropped by a rule still count against a region (a run of timestamps and teasers is
    chrome), but are never returned. Ties keep the earliest run; when no line scores above zero (a
    very short or unusual text) every kept line is returned, so a text is never emptied for being short.
    A table's lines score a little (TABLE_ROW_SCORE), and a table right before or after the region
    belongs to it (the figures a report opens or closes with).
    """
    best, best_start, best_end = 0.0, 0, 0
    run, start = 0.0, 0
    for i, line in enumerate(lines):
        if run < 0:
            run, start = 0.0, i
        run += _DROPPED_SCORE if line.dropped else line_score(line)
        if run > best:
            best, best_start, best_end = run, start, i + 1
    if best > 0:
        while best_start > 0 and lines[best_start - 1].table:
            best_start -= 1
        while best_end < len(lines) and lines[best_end].table:
            best_end += 1
    region = lines if best <= 0 else lines[best_start:best_end]
    return [line for line in region if not line.dropped]


def _undropped(lines: list[Line]) -> list[Line]:
    """Every line no rule dropped: the region when the caller has already chosen it."""
    return [line for line in lines if not line.dropped]


# --- entry point ------------------------------------------------------------------------------------

def _strip_embeds(text: str) -> str:
    """Remove `pic.twitter.com/...` links (the one in-line edit the cleaner makes).

    Repeated until none is left: removing one link can join the text around it into another
    ("pic.twitter pic.twitter.com/a.com/b" leaves "pic.twitter.com/b"), and a second cleaning would
    then remove that one, so cleaning would not be idempotent.
    """
    while "pic.twitter.com" in text:
        cut = _PIC_TWITTER.sub("", text).strip()
        if cut == text:
            break
        text = cut
    return text


def clean_text(text: str, title: str | None = None) -> str:
    """The story lines of `text`, stripped and joined by newlines; blank lines and boilerplate removed.

    Hard-wrapped paragraphs are joined first and a table's rows keep their indentation (index/paragraphs.py).
    """
    if not isinstance(text, str) or not text.strip():
        return ""
    texts, tables = layout(text)
    cleaned, kept_tables = _clean(zip(texts, [False] * len(texts), tables, strict=True), title)
    # Paragraphs and tables are found from the whole text, lines the cleaner then drops included: once
    # they are gone, the kept lines can read differently (a wrapped paragraph that the first pass took
    # for separate lines). So the text is cleaned again until it stays the same, which makes cleaning
    # idempotent; each pass only joins or drops lines, so this ends. When the kept lines read the same
    # (no line to join, the same table rows), no pass is needed: `_clean` has already repeated its
    # position-dependent steps on them until they kept every line, and its line rules see each line alone.
    while cleaned:
        texts, tables = layout(cleaned)
        if tables == kept_tables and texts == cleaned.split("\n"):
            break
        again, kept_tables = _clean(zip(texts, [False] * len(texts), tables, strict=True), title)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def clean_lines(
    lines: Iterable[tuple[str, bool]],
    title: str | None = None,
    *,
    rules: Sequence[LineRule] = LINE_RULES,
    region: bool = True,
    stop_words: frozenset[str] = STOP_WORDS,
    table_rows: frozenset[int] = frozenset(),
) -> str:
    """`clean_text` for callers that know more: each line comes with a flag "already known to be chrome".

    Such lines (the HTML reader's link lists) are never returned but still count against a story
    region, exactly like lines a rule dropped. An empty string is a blank line. The HTML reader,
    which has already found the story's container, passes its own `rules`, `region=False` (the best
    run of lines is not searched again inside the container: a short first line, a list or an
    inline widget would cut the story) and the page's `stop_words`. The lines are taken as they come: no paragraphs are
    rebuilt and no tables looked for; `table_rows` names (by position) the lines the caller knows to be rows of
    a table of data, which the label rules leave alone ("1/1/2013 | +13.1%" is no timestamp).
    """
    return _clean(((raw, chrome, n in table_rows) for n, (raw, chrome) in enumerate(lines)), title, rules, region,
                  stop_words)[0]


def _clean(lines: Iterable[tuple[str, bool, bool]], title: str | None, rules: Sequence[LineRule] = LINE_RULES,
           region: bool = True, stop_words: frozenset[str] = STOP_WORDS) -> tuple[str, list[bool]]:
    """The cleaner proper, over (line, known chrome, row of a table) triples: the kept lines joined, and
    which of them are rows of a table (see clean_lines for `rules`, `region` and `stop_words`)."""
    if title is not None and not isinstance(title, str):
        title = None
    items: list[Line | None] = []
    for raw, chrome, table in lines:
        stripped = _strip_embeds(raw.strip())
        if not stripped:
            if items and items[-1] is not None:
                items.append(None)
            continue
        line = make_line(stripped, stop_words)
        if line.words == 0 and not any(ch.isalnum() for ch in stripped):
            continue
        if table:
            line = replace(line, table=True, indent=raw[:len(raw) - len(raw.lstrip())])
        drop = chrome or any(rule(line, title) for rule in (_TABLE_RULES if table else rules))
        items.append(replace(line, dropped=True) if drop else line)
    block_rules = [*BLOCK_RULES, drop_repeated_lines, drop_card_lists] if region else BLOCK_RULES
    for block_rule in block_rules:
        items = block_rule(items)
    pick = main_region if region else _undropped
    kept = pick([line for line in items if line is not None])
    # The block rules and the region depend on positions ("the second half", "after 40 words of prose",
    # the best run), which shift once blank and dropped lines are gone: cleaning the output again could
    # cut a teaser that was in the first half before. So they are repeated on the kept lines (exactly
    # what a second cleaning sees) until nothing more goes; each round only removes lines, and one
    # round usually confirms. Line rules need no repeat: they look at the line alone.
    while True:
        again: list[Line | None] = list(kept)
        for block_rule in block_rules:
            again = block_rule(again)
        again_kept = pick([line for line in again if line is not None])
        if len(again_kept) == len(kept):
            break
        kept = again_kept
    return "\n".join(line.indent + line.text for line in kept), [line.table for line in kept]
