"""The one definition of control characters and the three places that remove them."""

from newsgrep.cli.common import safe
from newsgrep.index.chars import controls
from newsgrep.index.read import sanitize
from newsgrep.index.schema import build_schema
from newsgrep.search.query import parse

ALL_CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]]


def test_every_c0_del_and_c1_control_matches_unless_kept() -> None:
    pattern = controls(keep="\t\n")
    assert [c for c in ALL_CONTROLS if not pattern.fullmatch(c)] == ["\t", "\n"]
    assert not any(controls().fullmatch(c) for c in "a é\u00a0\u200b€")


def test_article_text_keeps_its_layout_and_loses_the_rest() -> None:
    assert sanitize("one\ttwo\r\nthree\x00\x07\x85four\x7f") == "one\ttwo\nthreefour"


def test_printed_text_drops_carriage_returns_that_could_overwrite_a_line() -> None:
    assert safe("real\rfake\ttab\nline\x9b") == "realfake\ttab\nline"


def test_a_query_reads_control_characters_as_spaces() -> None:
    schema = build_schema()
    plain = parse("oil prices", schema).query
    assert parse("oil\x00prices", schema).query == plain
    assert parse("oil\tprices\n", schema).query == plain
