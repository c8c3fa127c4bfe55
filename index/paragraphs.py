"""Paragraphs and tables of a plain text, whatever its layout: the step before the cleaner's line rules.

The cleaner reads one paragraph per line, which is how scraped pages and the seed articles come. Wire
copy, e-mail digests and many `.txt` dumps are instead hard-wrapped at a fixed width (Reuters at about
65 columns), with paragraphs marked by an indented first line, by a blank line, or only by a short last
line; some texts mix the two. Read line by line, such a story falls apart into fragments that look
like menu items, and the cleaner drops them.

`paragraphs` finds the layout of a text and joins wrapped lines back into paragraphs:

1. A greedy wrapper at width W breaks a line only when the next word would not fit, and mostly in the
   middle of a sentence. So every break between two lines of text where the first does not end a
   sentence says "W lies between this line's end and its end plus the next word"; the width covered
   by most of these intervals is the wrap width, and the share of all breaks it explains says whether
   the text is wrapped at all. Text written one paragraph per line breaks at sentence ends and has
   lines of every length: no width explains its breaks (nor those of the cleaner's own output).
2. In a wrapped text a break is a paragraph end when the next line is indented deeper than the
   text's continuation lines, when either line is a table row or list item, or when the line is short
   and does not run on into the next. When the text's paragraphs open with an indented line (wire
   copy), every line at the base indentation continues the one above, however short. Every other
   break is a wrap: the lines are joined with a space (without one after a hyphenated word part).
3. Rows stay lines: a row has columns set apart by runs of spaces or a tab, a bullet or number, or is
   made only of one-character marks (`x x x`, `---`).

Each paragraph keeps the leading white space of its first line (the cleaner strips it, except on the
rows of a table, see `table_rows`). Blank lines are kept as empty strings, so the cleaner's block
rules still see them. A text that is not wrapped comes back as its lines, unchanged but for trailing
white space.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Nobody wraps prose narrower than this (a newspaper column is about 30 characters) or wider than this
# (line printers: 132); outside this range a text is read one paragraph per line.
MIN_WIDTH = 28
MAX_WIDTH = 140
# Share of the breaks between lines of text that the wrap width must explain as mid-sentence wraps:
# about 0.8 in wire copy, below 0.2 in scraped pages and the seeds.
MIN_WRAPPED_SHARE = 0.5
# Wrappers are not all greedy to the column (Reuters breaks a line up to three characters early).
WRAP_TOLERANCE = 3
# At most this share of the lines may run past the wrap width: the cleaner's own output (joined
# paragraphs) has most of its lines past any width that explains its breaks, and is not joined again.
MAX_OVERLONG_SHARE = 0.25
# A line that witnesses a wrap has at least this many words (not a run of figures or one long name).
MIN_WITNESS_WORDS = 4
# A line this much past the wrap width is a paragraph of its own (one-paragraph-per-line text mixed in).
OVERLONG_SLACK = 5

_SENTENCE_END = tuple(".!?:;\"'”’»)")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.)+$|\b(?:Inc|Corp|Co|Ltd|Bros|Mr|Mrs|Ms|Dr|St|Jr|Sr|No|Gov|Sen|Rep|Gen|Lt|Col|Prof)\.$"
)
# Columns: three or more spaces or a tab between two characters, or two two-space gaps; never the two
# spaces some typists put after a full stop.
_ROW_GAP = re.compile(r"[^\s.!?:;](?: {3,}|\t)\S|[^\s.!?:;] {2}\S.*[^\s.!?:;] {2}\S")
_BULLET = re.compile(r"^(?:[-*•·▪‣◦–—+>]|\d{1,3}[.)]|\((?:\d{1,3}|[a-z]|[ivx]{1,4})\)|[a-z][.)])\s")
_ALNUM = re.compile(r"[^\W_]")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
_RUN_ON_WORDS = frozenset("""
a an the of in on at to for from by with and or but nor as than that which who whom whose its their his
her our your this these those into onto over under between about against per via vs said says told
is are was were be been will would shall should can could may might must has have had not
""".split())


class _Line(NamedTuple):
    """One line of the text and what the layout decisions read from it (a tuple: made for every line)."""

    raw: str  # the line without trailing white space
    text: str  # stripped
    indent: int  # leading columns, tabs expanded
    end: int  # the column the line ends at
    first_word: int  # length of its first word (what would have had to fit on the line above)
    row: bool  # a table row or list item: never joined


def _measure(raw: str) -> _Line:
    expanded = (raw.expandtabs(8) if "\t" in raw else raw).rstrip()
    text = raw.strip()
    indent = len(expanded) - len(expanded.lstrip())
    return _Line(
        raw=raw.rstrip(),
        text=text,
        indent=indent,
        end=len(expanded),
        first_word=len(text.split(None, 1)[0]) if text else 0,
        row=bool(text) and _is_row(text),
    )


def _is_row(text: str) -> bool:
    """A table row or list item: columns apart, a bullet, or only marks such as `x x x` or `---`."""
    if _has_columns(text) or _BULLET.match(text):
        return True
    return max(map(len, text.split())) == 1 or not _ALNUM.search(text)


def _has_columns(text: str) -> bool:
    return ("  " in text or "\t" in text) and bool(_ROW_GAP.search(text))


def _ends_sentence(text: str) -> bool:
    """Whether a line ends like a sentence (an initial or "Inc." at the end does not count)."""
    return text.endswith(_SENTENCE_END) and not _ABBREVIATION.search(text)


def _runs_on(a: _Line, b: _Line) -> bool:
    """Whether line `a` plainly continues into `b`: it stops mid-sentence and `b` goes on with it."""
    if _ends_sentence(a.text):
        return False
    head = b.text[0]
    if head.islower() or head.isdigit() or head in "<([$%&":
        return True
    last = a.text.rsplit(" ", 1)[-1].lower()
    return a.text.endswith((",", "-", "–", "—")) or last in _RUN_ON_WORDS


def _goes_on(a: _Line, b: _Line) -> bool:
    """Whether `b` plainly goes on with the sentence `a` stopped in: in lower case, or with a figure
    after a word such as "by" or "of"."""
    head = b.text[0]
    return head.islower() or (head.isdigit() and (a.text.endswith(",")
                                                  or a.text.rsplit(" ", 1)[-1].lower() in _RUN_ON_WORDS))


def _wraps(a: _Line, b: _Line, width: int) -> bool:
    """Whether `b`'s first word would not have fitted at the end of `a`: a wrapper at `width` breaks
    there."""
    return a.end + 1 + b.first_word + WRAP_TOLERANCE > width


def _text_pair(a: _Line, b: _Line) -> bool:
    return bool(a.text) and bool(b.text) and not a.row and not b.row


def _wrap_width(lines: list[_Line], base: int) -> tuple[int, int, int]:
    """(width, wraps, breaks): the wrap width that explains most breaks as mid-sentence wraps, how many
    it explains, and how many breaks were considered.

    Breaks considered are those between two lines of text (not rows) where the second starts at the
    text's base indentation: a line indented deeper opens a paragraph and says nothing of the width.
    Only a line that stops on a word, a comma or a hyphen witnesses a wrap (not one ending "Inc.",
    "U.S." or "[VIDEO]", which the joining rules may still read as unfinished): a paragraph per line
    seldom does.
    """
    cover = [0] * (MAX_WIDTH + 2)
    ends = set()
    breaks = 0
    runs_on = False
    for a, b in zip(lines, lines[1:], strict=False):
        if not _text_pair(a, b) or b.indent != base:
            continue
        breaks += 1
        if (MIN_WIDTH <= a.end <= MAX_WIDTH and (a.text[-1].isalnum() or a.text[-1] in ",-–—&/")
                and len(a.text.split()) >= MIN_WITNESS_WORDS):
            cover[a.end] += 1
            ends.add(a.end)
            runs_on = runs_on or _goes_on(a, b)
            cover[min(a.end + b.first_word + WRAP_TOLERANCE, MAX_WIDTH) + 1] -= 1
    best = count = running = 0
    for width in range(MAX_WIDTH + 1 if any(cover) else 0):
        running += cover[width]
        if running >= count and running:
            best, count = width, running
    # Wraps all at one column are one line repeated (a list of teasers), not a wrapped paragraph; a
    # lone wrap must at least go on in lower case or with a figure ("cutting its price by\n0.75 cent").
    wrapped = len(ends) > 1 or (count == 1 and runs_on)
    return best, count if wrapped else 0, breaks


def _paragraph_indent(lines: list[_Line], width: int, base: int) -> bool:
    """Whether paragraphs open with an indented line: one indented deeper than the base wraps into a
    line at the base (wire copy's four-space indents)."""
    return any(_text_pair(a, b) and a.indent > base == b.indent and _wraps(a, b, width)
               for a, b in zip(lines, lines[1:], strict=False))


def _joins(lines: list[_Line], i: int, width: int, base: int, indented: bool) -> bool:
    """Whether the break after line `i` is a wrap inside one paragraph (see the module doc)."""
    a, b = lines[i], lines[i + 1]
    if not _text_pair(a, b) or b.indent != base:
        return False
    if a.end > width + OVERLONG_SLACK:
        return _runs_on(a, b) and b.text[0].islower()
    if indented or _wraps(a, b, width) or _runs_on(a, b):
        return True
    # A short first line leading into a wrapped paragraph: wire copy whose dateline ("NEW YORK, March
    # 3 -") was cut from the front of the line.
    opening = i == 0 or not lines[i - 1].text
    return (opening and not _ends_sentence(a.text) and i + 2 < len(lines)
            and bool(lines[i + 2].text) and _wraps(b, lines[i + 2], width))


def paragraphs(text: str) -> list[str]:
    """The text as paragraphs, one a string, with "" where it has a blank line (see the module doc)."""
    return layout(text)[0]


def layout(text: str) -> tuple[list[str], list[bool]]:
    """The text's paragraphs (as `paragraphs`) and, for each, whether it is a row of a table.

    Tables are found first, on the lines as they come (`table_rows`), and their rows are never joined.
    """
    raws = [raw.rstrip() for raw in text.splitlines()]
    tables = table_rows(raws)
    if not any((len(a) >= MIN_WIDTH or "\t" in a) and b and not a.endswith(_SENTENCE_END)
               for a, b in zip(raws, raws[1:], strict=False)):
        return raws, tables  # no line could witness a wrap: quicker than measuring every line
    lines = [_measure(raw)._replace(row=True) if table else _measure(raw)
             for raw, table in zip(raws, tables, strict=True)]
    base = min((line.indent for line in lines if line.text and not line.row), default=0)
    width, wraps, breaks = _wrap_width(lines, base)
    prose = [line for line in lines if line.text and not line.row]
    if (not wraps or wraps < MIN_WRAPPED_SHARE * breaks
            or sum(line.end > width + OVERLONG_SLACK for line in prose) > MAX_OVERLONG_SHARE * len(prose)):
        return raws, tables
    indented = _paragraph_indent(lines, width, base)
    out: list[str] = []
    out_tables: list[bool] = []
    for i, line in enumerate(lines):
        if i and _joins(lines, i - 1, width, base, indented):
            glue = "" if _HYPHENATED.search(out[-1]) and line.text[0].islower() else " "
            out[-1] += glue + line.text
        else:
            out.append(line.raw)
            out_tables.append(tables[i])
    return out, out_tables


# A table: at least this many rows of figures in a run of short lines (column headings and labels such
# as "Year" or "Nine mths" may stand between them, and up to MAX_TABLE_HEADINGS lines above the first),
# most of them set out as typed tables are: indented, or in columns apart.
MIN_TABLE_ROWS = 2
MAX_TABLE_HEADINGS = 2
MAX_ROW_WORDS = 16
MAX_LABEL_WORDS = 8
_DIGIT = re.compile(r"\d")
_NUMBER_WORDS = frozenset("nil n.a. na zero one two three four five six seven eight nine ten eleven twelve".split())


def _is_data_row(text: str) -> bool:
    """A short line of figures: a fifth of its words are numbers, or its columns stand apart."""
    words = text.split()
    if not words or len(words) > MAX_ROW_WORDS or (len(words) >= 8 and _ends_sentence(text)):
        return False
    figures = 0
    for word in words:
        if word.isalpha():
            figures += word.lower() in _NUMBER_WORDS
        else:
            figures += bool(_DIGIT.search(word)) or not _NUMBER_WORDS.isdisjoint(word.lower().split("-"))
    return figures > 0 and (5 * figures >= len(words) or _has_columns(text))


def _is_label(text: str) -> bool:
    """A heading or label inside a table: a few words that do not end like a sentence."""
    return len(text.split()) <= MAX_LABEL_WORDS and not text.endswith((".", "!", "?"))


def _typeset(line: str) -> bool:
    """Set out as a typed table is: indented, or in columns."""
    return line.startswith((" ", "\t")) or _has_columns(line.strip())


def table_rows(texts: list[str]) -> list[bool]:
    """Which lines (paragraphs, leading white space kept) belong to a table of figures.

    A table is a run of data rows with at most MAX_TABLE_HEADINGS labels between two rows or above the
    first (labels after the last row are not part of it; a label is indented, or the text's first
    line: one flush with the text may be a wrapped sentence's end), most of whose lines are indented or in
    columns: a scraped page flattened to text has neither, so its lists of dates and prices are not
    taken for tables. Decided from the lines' own text and their neighbours, blank lines ignored, so
    the cleaner's output (the same lines, a table's indentation kept) is read the same way again.
    """
    marks = [False] * len(texts)
    if not any(map(_typeset, texts)):
        return marks
    data: dict[int, bool] = {}
    table: list[int] = []
    labels: list[int] = []

    def close() -> None:
        rows = sum(data[i] for i in table)
        if rows >= MIN_TABLE_ROWS and 2 * sum(_typeset(texts[i]) for i in table) >= len(table):
            for i in table:
                marks[i] = True
        table.clear()

    for i, line in enumerate(texts):
        text = line.strip()
        if not text:
            continue
        data[i] = _is_data_row(text)
        if data[i]:
            if len(labels) > MAX_TABLE_HEADINGS:
                close()
            table.extend(labels[-MAX_TABLE_HEADINGS:] if not table else labels)
            table.append(i)
            labels = []
        elif _is_label(text) and (_typeset(line) or len(data) == 1):  # indented, or the first line
            labels.append(i)
        else:
            close()
            labels = []
    close()
    return marks
