"""Hard-wrapped plain text (wire copy, e-mail digests, `.txt` dumps): paragraphs are rebuilt before the
cleaner's line rules, tables stay lines, and the story is kept; end to end through the installed
commands on a small wrapped JSON Lines file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SEEDS, SHARED, json_lines, run
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgrep.index.clean import clean_text
from newsgrep.index.paragraphs import layout, paragraphs

WORD = re.compile(r"\w+")

# Wire copy as agencies send it: wrapped at 65 columns, paragraphs opened by a four-space indent, the
# dateline cut from the front of the first line, a table, and the sign-off.
WIRE = """\
Harbour Freight Lines Inc said it
expects second quarter earnings to fall sharply from a year ago
because of the strike at its three Gulf Coast terminals.
    The company said the strike, now in its sixth week, has cut
container volumes by about a third and forced it to reroute
ships to Mobile and Tampa at higher cost.
    Chief executive Maria Delgado told analysts the company was
\"cautiously optimistic\" that talks with the union would resume
next week, but she declined to predict when work might start
again.
    First quarter results were:
    Shr 42 cts vs 38 cts
    Net 11.2 mln vs 10.1 mln
    Revs 240.6 mln vs 221.9 mln
    Avg shrs 26.7 mln vs 26.5 mln
    The company also said it would pay its regular quarterly
dividend of 10 cts a share on May 15 to holders of record May 1.
 Reuter
"""

# The same kind of story as an e-mail digest wraps it: 72 columns, blank lines between paragraphs.
DIGEST = """\
The regional water board voted on Thursday to raise rates by nine
percent from July, the first increase in four years, after a review
found that the main reservoir dam needs repairs costing about
forty million dollars.

Board chairman Tom Ellery said the vote was "painful but necessary"
and that households would pay about three dollars more a month. Two
members voted against the increase, saying the board should first
seek state funds for the repairs.

The repairs are to start in the autumn and take two years.
"""

TABLE = """\
Grain shipments in the week to March 6, in thousands of tonnes, with
the previous week in brackets, were as follows:
    Wheat        412.5    (388.0)
    Maize        101.2    (120.4)
    Soybeans      88.9     (75.1)
    x  x  x
The board said the figures include shipments from all ports.
"""


def words(text: str) -> list[str]:
    return WORD.findall(text)


def test_wire_copy_paragraphs_are_rebuilt_and_the_table_stays_lines() -> None:
    texts, tables = layout(WIRE)
    assert texts[0] == ("Harbour Freight Lines Inc said it expects second quarter earnings to fall sharply "
                        "from a year ago because of the strike at its three Gulf Coast terminals.")
    assert texts[1].strip().startswith("The company said the strike") and texts[1].endswith("higher cost.")
    assert texts[2].strip().endswith("might start again.")
    rows = [t.strip() for t, table in zip(texts, tables, strict=True) if table]
    assert rows == ["First quarter results were:", "Shr 42 cts vs 38 cts", "Net 11.2 mln vs 10.1 mln",
                    "Revs 240.6 mln vs 221.9 mln", "Avg shrs 26.7 mln vs 26.5 mln"]


def test_wire_copy_keeps_every_word_but_the_sign_off_and_cleaning_is_idempotent() -> None:
    cleaned = clean_text(WIRE, "HARBOUR FREIGHT SEES LOWER 2ND QTR NET")
    assert words(cleaned) == words(WIRE)[:-1]  # all but "Reuter"
    assert "    Shr 42 cts vs 38 cts" in cleaned.split("\n")  # a table row keeps its layout
    assert clean_text(cleaned, "HARBOUR FREIGHT SEES LOWER 2ND QTR NET") == cleaned


def test_blank_line_paragraphs_are_rebuilt() -> None:
    assert [p for p in paragraphs(DIGEST) if p] == [
        " ".join(block.split()) for block in DIGEST.split("\n\n")]
    cleaned = clean_text(DIGEST, "Water rates to rise")
    assert len(cleaned.split("\n")) == 3 and words(cleaned) == words(DIGEST)


def test_a_table_in_wrapped_text_stays_lines_and_is_kept() -> None:
    texts = [t for t in paragraphs(TABLE) if t]
    assert texts[0].startswith("Grain shipments") and texts[0].endswith("as follows:")
    assert "    Wheat        412.5    (388.0)" in texts and "    x  x  x" in texts
    cleaned = clean_text(TABLE, "Grain shipments")
    assert all(w in words(cleaned) for w in ("Wheat", "412", "Maize", "Soybeans", "75"))


def test_a_word_hyphenated_across_lines_is_joined_without_a_space() -> None:
    text = ("The ministry said the talks on the long-standing border dis-\n"
            "pute would resume in Geneva next month, officials in the capital\n"
            "said on Friday after a meeting of the two foreign ministers.\n")
    assert paragraphs(text)[0].startswith("The ministry said the talks on the long-standing border dis-pute")


def test_one_paragraph_per_line_text_is_left_as_it_is() -> None:
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        assert paragraphs(text) == [line.rstrip() for line in text.splitlines()], seed.name


def test_mixed_layout_a_one_line_lead_then_wrapped_paragraphs() -> None:
    lead = ("The city council on Monday approved the largest housing plan in its history, a ten-year "
            "programme to build 40,000 homes on former railway land north of the river.")
    text = lead + "\n" + DIGEST
    texts = [p for p in paragraphs(text) if p]
    assert texts[0] == lead + " " + " ".join(DIGEST.split("\n\n")[0].split()) or texts[0] == lead
    assert words(clean_text(text, "Housing plan")) == words(text)


def test_a_wrapped_json_lines_file_is_searchable_end_to_end(tmp_path: Path, index_env: dict) -> None:
    """The first Reuters story (read from ../shared, never copied into the repository) and two written
    here, indexed as they are with the installed commands."""
    corpus = SHARED / "corpora" / "reuters21578" / "articles.jsonl"
    if not corpus.is_file():
        pytest.skip(f"no Reuters corpus at {corpus}")
    with corpus.open(encoding="utf-8") as fh:
        first = json.loads(fh.readline())
    source = tmp_path / "wire.jsonl"
    records = [first,
               {"id": "harbour-1", "title": "HARBOUR FREIGHT SEES LOWER 2ND QTR NET", "date": "1987-04-08",
                "body": WIRE},
               {"id": "grain-1", "title": "GRAIN SHIPMENTS", "date": "1987-03-09", "body": TABLE}]
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert run("search-index", "add", str(source), env=index_env).returncode == 0

    result = run("search", '"Showers continued throughout the week"', "--json", env=index_env)
    assert result.returncode == 0, result.stderr
    hits = json_lines(result.stdout)
    assert hits[0]["title"] == "BAHIA COCOA REVIEW" and hits[0]["id"].endswith("#1")
    assert hits[-1]["total"] == 1
    for query, doc in (('"cautiously optimistic"', "#harbour-1"), ('"Avg shrs"', "#harbour-1"),
                       ("Soybeans", "#grain-1")):
        hits = json_lines(run("search", query, "--json", env=index_env).stdout)
        assert hits[0]["id"].endswith(doc), (query, hits)
    cleaned = json_lines(run("search-index", "clean", str(source), "--json").stdout)
    assert words(cleaned[1]["body"]) == words(WIRE)[:-1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "    ", "", " Reuter", "x  x  x", "    Net 11.2 mln vs 10.1 mln", "-- a list item", "\t",
    *WIRE.splitlines(), *DIGEST.splitlines(), *TABLE.splitlines()]), max_size=30))
def test_rebuilding_paragraphs_never_loses_reorders_or_invents_a_word(lines: list[str]) -> None:
    text = "\n".join(lines)
    texts, tables = layout(text)
    assert len(texts) == len(tables)
    assert words(" ".join(texts)) == words(text)
    once = clean_text(text, "Title")
    assert clean_text(once, "Title") == once
