"""The line cleaner's documented contract, as hypothesis properties (index/clean.py module docstring): it
never raises, is idempotent, and keeps input lines in order (or joins hard-wrapped ones), on mixtures of
story text, boilerplate and odd characters; with the example-based regressions these properties found.
The budgets keep the file at a few seconds; the `slow` variant (run with `-m slow`) tries many more examples.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import FAST, PROSE, SLOW, article_text, title_text

from newsgrep.index.clean import clean_text

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
