"""Hypothesis settings and strategies shared by the property tests of several features (the cleaner,
the HTML reader, the entity extractor, decoding): text as it comes in news, boilerplate, odd characters."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from test_clean import STORY

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What sanitize promises never to leave in text (terminal controls, C1 controls, DEL, ESC) and CR.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\r]")

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
