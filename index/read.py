"""Reading sources: find files, decode them safely, and turn each into cleaned raw articles.

Every failure here is a `SkipFile` with a reason a user can act on, so one bad file never stops a batch.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsgrep.index import config
from newsgrep.index.model import RawArticle


class SkipFile(Exception):
    """A file (or one record of it) that cannot be indexed; the message is the reason shown to users.

    `line` is set for one bad record of a JSON Lines file, reported as `path:line`.
    """

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


@dataclass
class Source:
    """One article found in a file: its stable id, the file it came from and what was read."""

    doc_id: str
    path: str
    raw: RawArticle


# Control characters other than tab/newline, DEL, C1 controls and ANSI escape sequences: scraped text
# must never be able to drive the user's terminal, and the highlighter uses \x02/\x03 as markers.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DATE_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})(?:\s+|$)", re.IGNORECASE)


def sanitize(text: str) -> str:
    """Strip terminal escape sequences and control characters; normalise line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ANSI.sub("", text))


def decode_bytes(data: bytes) -> str:
    """Decode a scraped file: BOMs first, then UTF-8, then cp1252, then latin-1 (which never fails).

    Files with NUL bytes and no UTF-16 BOM are binary, not text, and are refused.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:65536]:
        raise SkipFile("binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_iso_date(value: object) -> dt.date | None:
    """A real calendar date from the start of an ISO string, or None: a date we cannot trust is no date."""
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


# JSON Lines field names, first found wins: ours, then those of the tools news is scraped with
# (news-please: maintext, date_publish; trafilatura: text, date; newspaper: text, publish_date; Media
# Cloud exports: publish_date). A record's own entity lists are not read: the extractor's are indexed.
TITLE_FIELDS = ("title",)
BODY_FIELDS = ("body", "maintext", "text")
HTML_FIELDS = ("html",)
DATE_FIELDS = ("date", "date_publish", "publish_date")
URL_FIELDS = ("url",)
# A publication date outside this range is a placeholder or a mistake, not a date.
EARLIEST_DATE = dt.date(1800, 1, 1)
FUTURE_DAYS = 2
_MONTH_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%b. %d, %Y")


def _field(record: dict, names: tuple[str, ...]) -> object:
    """The value of the first of `names` the record has (and is not null)."""
    for name in names:
        value = record.get(name)
        if value is not None:
            return value
    return None


def parse_date_value(value: object) -> dt.date | None:
    """The publication date in a JSON Lines date field, or None: ISO 8601 with or without a time
    ("2019-11-19T07:47:00Z", "2019-11-19 07:47:00"), RFC 2822 ("Tue, 19 Nov 2019 07:47:00 GMT"), epoch
    seconds or milliseconds (a number or digits), "November 19, 2019" or "20191119".

    A date before 1800 or more than two days after today is no date; nothing is guessed from the text.
    """
    date = _parse_date(value)
    if date is None or not EARLIEST_DATE <= date <= dt.date.today() + dt.timedelta(days=FUTURE_DAYS):
        return None
    return date


def _parse_date(value: object) -> dt.date | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = str(value).strip() if not isinstance(value, float) else ""
    if re.fullmatch(r"\d{8}", text):
        try:
            return dt.datetime.strptime(text, "%Y%m%d").date()
        except ValueError:
            pass
    if isinstance(value, (int, float)) or re.fullmatch(r"\d{9,13}(?:\.\d+)?", text):
        try:
            seconds = float(value)
            seconds = seconds / 1000 if seconds > 1e11 else seconds
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            return None
    date = parse_iso_date(text)
    if date is not None or not text:
        return date
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _MONTH_FORMATS:
        try:
            return dt.datetime.strptime(" ".join(text.split()), fmt).date()
        except ValueError:
            continue
    return None


def split_text_article(text: str) -> tuple[str, dt.date | None, str]:
    """Title, date and body of a plain-text article.

    The first non-blank line is the title; a leading `date YYYY-MM-DD` on it is the publication date.
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            title_line, body = line, "\n".join(lines[i + 1:])
            break
    else:
        raise SkipFile("empty file")
    date = None
    match = _DATE_PREFIX.match(title_line)
    if match:
        date = parse_iso_date(match[1])
        title_line = title_line[match.end():]
    title = " ".join(title_line.split())
    if len(title) > config.MAX_TITLE_CHARS:
        return clip_title(title), date, title_line + "\n" + body
    return title, date, body


def clip_title(title: str) -> str:
    """A title no longer than MAX_TITLE_CHARS, cut at a word with an ellipsis when it was longer."""
    if len(title) <= config.MAX_TITLE_CHARS:
        return title
    cut = title[:config.MAX_TITLE_CHARS - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "\u2026"


def text_article(text: str) -> RawArticle:
    """A cleaned article from plain text."""
    from newsgrep.index.clean import clean_text

    title, date, body = split_text_article(text)
    return RawArticle(title=title, date=date, text=clean_text(body, title))


def html_article(html: str) -> RawArticle:
    """A cleaned article from an HTML page."""
    from newsgrep.index.html import read_html

    try:
        raw = read_html(html)
    except RecursionError:
        raise SkipFile("HTML nested too deeply to parse") from None
    if not raw.title and not raw.text.strip():
        raise SkipFile("no article text found in HTML")
    # Character references (&#27;, &#155;) decode to the controls that sanitising the page text missed.
    raw.title, raw.text = clip_title(sanitize(raw.title)), sanitize(raw.text)
    raw.url = sanitize(raw.url) if raw.url else raw.url
    return raw


def _too_large(what: str, size: int, limit: int) -> str:
    return f"{what} too large ({size // (1024 * 1024)} MB; the limit is {limit // (1024 * 1024)} MB)"


def jsonl_articles(path: Path) -> Iterator[Source | SkipFile]:
    """Articles of a JSON Lines file, one a line; a broken line is reported and the rest still read."""
    from newsgrep.index.clean import clean_text

    with path.open("rb") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            if len(line) > config.MAX_ARTICLE_FILE_BYTES:
                yield SkipFile(_too_large("record", len(line), config.MAX_ARTICLE_FILE_BYTES), line_no)
                continue
            try:
                # strict=False: raw control characters inside strings are read, then removed below
                # along with the ones JSON escapes (\u001b) decode to.
                record = json.loads(decode_bytes(line), strict=False)
            except (SkipFile, ValueError) as exc:
                yield SkipFile(f"not valid JSON ({str(exc).splitlines()[0][:80]})", line_no)
                continue
            except RecursionError:
                yield SkipFile("JSON nested too deeply to read", line_no)
                continue
            if not isinstance(record, dict):
                yield SkipFile("expected a JSON object", line_no)
                continue
            title, body, html, url = (_field(record, names) for names in
                                      (TITLE_FIELDS, BODY_FIELDS, HTML_FIELDS, URL_FIELDS))
            if not all(v is None or isinstance(v, str) for v in (title, body, html, url)):
                yield SkipFile("title, body, html and url must be strings (the body may be named maintext or text)",
                               line_no)
                continue
            title, body, url = (sanitize(v) if v else v for v in (title, body, url))
            if body is None and html is None:
                yield SkipFile("needs a 'body' or an 'html' field (or 'maintext' or 'text')", line_no)
                continue
            if html is not None and body is None:
                try:
                    raw = html_article(html)
                except SkipFile as exc:
                    yield SkipFile(str(exc), line_no)
                    continue
            else:
                raw = RawArticle(title="", date=None, text=clean_text(body or "", title))
            raw.title = clip_title(" ".join((title or raw.title or "").split()))
            raw.date = parse_date_value(_field(record, DATE_FIELDS)) or (raw.date if html is not None else None)
            raw.url = url if url is not None else raw.url
            key = record.get("id")
            key = str(key) if isinstance(key, (str, int)) and not isinstance(key, bool) else str(line_no)
            yield Source(doc_id=f"{path}#{key}", path=str(path), raw=raw)


def read_file(path: Path) -> Iterator[Source | SkipFile]:
    """Every article of one file, or the reasons it could not be read."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        limit = config.MAX_JSONL_FILE_BYTES if suffix in config.JSONL_SUFFIXES else config.MAX_ARTICLE_FILE_BYTES
        if size > limit:
            raise SkipFile(_too_large("file", size, limit))
        if size == 0:
            raise SkipFile("empty file")
        if suffix in config.JSONL_SUFFIXES:
            yield from jsonl_articles(path)
            return
        text = sanitize(decode_bytes(path.read_bytes()))
        if not text.strip():
            raise SkipFile("empty file")
        raw = html_article(text) if suffix in config.HTML_SUFFIXES else text_article(text)
        yield Source(doc_id=str(path), path=str(path), raw=raw)
    except SkipFile as exc:
        yield exc
    except OSError as exc:
        yield SkipFile(exc.strerror or str(exc))


UNREADABLE_FOLDER = "cannot read folder"


def find_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[str, str | None]]:
    """Supported files under the given paths, as absolute path strings, with a reason where one must be
    skipped.

    Folders are walked recursively (hidden entries skipped, symlink loops broken by real path);
    a file named explicitly with an unsupported type is reported rather than silently ignored.
    Paths stay strings: an incremental `add` walks every file of the corpus, and building a Path for
    each cost more than the walk itself.
    """
    for given in paths:
        path = os.path.abspath(os.path.expanduser(given))
        if os.path.isdir(path):
            yield from _walk(path)
        elif os.path.isfile(path):
            suffix = os.path.splitext(path)[1]
            wrong_type = None
            if suffix.lower() not in config.SUPPORTED_SUFFIXES:
                wrong_type = f"unsupported file type ({suffix or 'no extension'})"
            yield path, _unusable_name(path) or wrong_type
        elif os.path.lexists(path):
            yield path, "not a regular file, or a broken link"
        else:
            yield path, "no such file or directory"


def _walk(root: str) -> Iterator[tuple[str, str | None]]:
    """Files under a folder in name order, each folder's files before its subfolders; folders that
    cannot be listed are reported with the reason, like files."""
    seen: set[str] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            yield folder, f"{UNREADABLE_FOLDER}: {exc.strerror or exc}"
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(entry.path)
            elif os.path.splitext(entry.name)[1].lower() in config.SUPPORTED_SUFFIXES:
                regular = entry.is_file()
                yield entry.path, _unusable_name(entry.path) or (None if regular else
                                                                  "not a regular file, or a broken link")
        stack.extend(reversed(subfolders))


def _unusable_name(path: str) -> str | None:
    """Why a path cannot be stored, or None.

    Python keeps undecodable bytes of a file name as lone surrogates; the index, the manifest and the
    JSON output all hold text, so such a name is reported instead of being stored in a form that no
    longer opens the file.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8 (rename the file to index it)"
    return None
