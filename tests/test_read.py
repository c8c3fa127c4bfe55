"""Reading sources: title/date line, decoding (with the hypothesis property that decoding and sanitising
any bytes leaves no control character), file discovery with reasons."""

from __future__ import annotations

import codecs
import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import FAST, FORBIDDEN, ODD, odd_text

from newsgrep.index.read import SkipFile, decode_bytes, find_files, sanitize, split_text_article


def test_title_line_with_leading_date() -> None:
    title, date, body = split_text_article("\n date 2022-03-18 Peace talks stall\nBody line.\n")
    assert (title, date, body.strip()) == ("Peace talks stall", dt.date(2022, 3, 18), "Body line.")


def test_title_without_date_is_undated() -> None:
    title, date, _ = split_text_article("Updated 2022-03-18: talks\nBody")
    assert title == "Updated 2022-03-18: talks" and date is None


def test_impossible_date_is_undated_not_guessed() -> None:
    title, date, _ = split_text_article("date 2022-02-30 Talks\nBody")
    assert date is None and title == "Talks"


def test_blank_text_is_skipped() -> None:
    with pytest.raises(SkipFile, match="empty"):
        split_text_article("\n  \n")


@pytest.mark.parametrize(("data", "text"), [
    ("café naïve".encode(), "café naïve"),
    ("café naïve".encode("cp1252"), "café naïve"),
    (codecs.BOM_UTF8 + "café".encode(), "café"),
    ("café".encode("utf-16"), "café"),
    ("“quoted” – dash".encode("cp1252"), "“quoted” – dash"),
])
def test_decoding(data: bytes, text: str) -> None:
    assert decode_bytes(data) == text


def test_binary_is_refused() -> None:
    with pytest.raises(SkipFile, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_sanitize_strips_terminal_sequences() -> None:
    assert sanitize("a\x1b[2Jb\x1b]0;pwned\x07c\x00d\r\ne") == "abcd\ne"


def test_find_files_reports_reasons(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.pdf").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("x")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    found = list(find_files([tmp_path, tmp_path / "b.pdf", tmp_path / "gone.txt"]))
    assert [p for p, _ in found] == [str(tmp_path / n) for n in ("a.txt", "sub/c.html", "b.pdf", "gone.txt")]
    reasons = dict(found)
    assert reasons[str(tmp_path / "a.txt")] is None and reasons[str(tmp_path / "sub" / "c.html")] is None
    assert "unsupported" in reasons[str(tmp_path / "b.pdf")]
    assert reasons[str(tmp_path / "gone.txt")] == "no such file or directory"


def test_links_that_leave_the_folder_are_not_followed_and_each_file_is_given_once(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("x")
    (corpus / "sub" / "b.txt").write_text("x")
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")  # leaves the folder
    (corpus / "elsewhere").symlink_to(outside)  # a folder outside
    (corpus / "z-link.txt").symlink_to(corpus / "a.txt")  # inside: the same file as a.txt
    os.link(corpus / "sub" / "b.txt", corpus / "hard.txt")  # a hard link: the same inode
    (corpus / "sub2").symlink_to(corpus / "sub")  # inside: the same folder
    found = [p for p, _ in find_files([corpus, corpus / "sub", corpus / "a.txt"])]
    # No secret.txt; a.txt once, and b.txt once under the first name the walk meets (a folder's files
    # come before its subfolders).
    assert found == [str(corpus / n) for n in ("a.txt", "hard.txt")]
    followed = [p for p, _ in find_files([corpus], follow=True)]
    assert followed == [str(corpus / n) for n in ("a.txt", "hard.txt", "passwd.txt")]


def test_a_linked_root_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.txt").write_text("x")
    (real / "inner.txt").symlink_to(real / "a.txt")
    link = tmp_path / "link"
    link.symlink_to(real)
    assert [p for p, _ in find_files([link, real])] == [str(link / "a.txt")]


# ------------------------------------------------ properties (hypothesis): decoding and sanitising any bytes

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
    assert not FORBIDDEN.search(clean), repr(clean)


@FAST
@given(st.text(max_size=200) | odd_text)
def test_sanitize_leaves_no_control_characters(text: str) -> None:
    clean = sanitize(text)
    assert not FORBIDDEN.search(clean), repr(clean)
    assert sanitize(clean) == clean
