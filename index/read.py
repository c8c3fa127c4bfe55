"""Reading sources: find files, decode them safely, and turn each into cleaned raw articles.

Every failure here is a `SkipFile` with a reason a user can act on, so one bad file never stops a batch.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from newsgrep.index import config
from newsgrep.index.chars import controls
from newsgrep.index.model import Story


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
    story: Story
    key: str = ""  # a JSON Lines record's key within its file (read.record_key); "" for a whole file
    digest: str = ""  # a JSON Lines record's hash (read.record_digest)


# Control characters other than tab/newline, DEL, C1 controls and ANSI escape sequences: scraped text
# must never be able to drive the user's terminal, and the highlighter uses \x02/\x03 as markers.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = controls(keep="\t\n\r")
_DATE_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})(?:\s+|$)", re.IGNORECASE)


# A lone surrogate (JSON's "\ud800" escape) cannot be encoded: indexed, it made every search that
# showed its article fail with UnicodeEncodeError. It becomes U+FFFD, as undecodable bytes do.
_SURROGATE = re.compile("[\ud800-\udfff]")


def sanitize(text: str) -> str:
    """Strip terminal escape sequences and control characters; normalise line ends; replace lone
    surrogates."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", _ANSI.sub("", text)))


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
SOURCE_FIELDS = ("source", "source_domain", "hostname", "media_name")
def _field(record: dict, names: tuple[str, ...]) -> object:
    """The value of the first of `names` the record has (and is not null)."""
    for name in names:
        value = record.get(name)
        if value is not None:
            return value
    return None


def parse_date_value(value: object) -> dt.date | None:
    """The publication day in a JSON Lines date field, or None: the same forms and plausibility as a
    page's metadata (index/pagemeta.py parse_when: ISO 8601 with or without a time, RFC 2822, epoch
    seconds or milliseconds, "November 19, 2019", "20191119"; before 1800 or more than two days
    after today is no date). Nothing is guessed from the text."""
    from newsgrep.index.pagemeta import parse_when

    when = parse_when(value)
    return when.date() if isinstance(when, dt.datetime) else when


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


def text_article(text: str) -> Story:
    """A cleaned article from plain text."""
    from newsgrep.index.clean import clean_text

    title, date, body = split_text_article(text)
    return Story(title=title, date=date, text=clean_text(body, title))


def html_article(html: str) -> Story:
    """A cleaned article from an HTML page."""
    from newsgrep.index.html import read_html

    tags = html.count("<")
    if tags > config.MAX_HTML_TAGS:
        raise SkipFile(f"HTML with {tags:,} tags is no article page (the limit is {config.MAX_HTML_TAGS:,})")
    try:
        raw = read_html(html)
    except RecursionError:
        raise SkipFile("HTML nested too deeply to parse") from None
    if not raw.title and not raw.text.strip():
        raise SkipFile("no article text found in HTML")
    # Character references (&#27;, &#155;) decode to the controls that sanitising the page text missed.
    raw.title, raw.text = clip_title(sanitize(raw.title)), sanitize(raw.text)
    raw.url = sanitize(raw.url) if raw.url else raw.url
    raw.source = " ".join(sanitize(raw.source).split()) or None if raw.source else None
    return raw


def _too_large(what: str, size: int, limit: int) -> str:
    return f"{what} too large ({size // (1024 * 1024)} MB; the limit is {limit // (1024 * 1024)} MB)"


def jsonl_articles(path: Path, stream: BinaryIO | None = None) -> Iterator[Source | SkipFile]:
    """Articles of a JSON Lines file, one a line; a broken line is reported and the rest still read.

    `stream`, when given, is the file already opened (and hashed as it is read) by the caller."""
    with contextlib.nullcontext(stream) if stream is not None else path.open("rb") as fh:
        for line_no, line in enumerate(fh, 1):
            if line.strip():
                yield jsonl_record(path, line, line_no)


def record_digest(line: bytes) -> str:
    """The hash of one JSON Lines record: its line without surrounding white space (a newline added
    before an appended record does not change the record before it)."""
    return hashlib.blake2b(line.strip(), digest_size=config.RECORD_HASH_BYTES).hexdigest()


def record_key(record: dict, digest: str) -> str:
    """What names a record within its file: its `id`, else its `url`, else the hash of its line.

    A key that is not the line number lets a record keep its name when records before it are added,
    edited or deleted, so that `add` re-indexes only the records that changed (index/records.py)."""
    key = record.get("id")
    if isinstance(key, (str, int)) and not isinstance(key, bool) and str(key).strip():
        return str(key)
    url = _field(record, URL_FIELDS)
    if isinstance(url, str) and url.strip():
        return url.strip()
    return digest


def jsonl_record(path: Path, line: bytes, line_no: int) -> Source | SkipFile:
    """The article of one non-blank JSON Lines line, or why it cannot be indexed."""
    from newsgrep.index.clean import clean_text
    from newsgrep.index.pagemeta import host_name, parse_when

    if len(line) > config.MAX_ARTICLE_FILE_BYTES:
        return SkipFile(_too_large("record", len(line), config.MAX_ARTICLE_FILE_BYTES), line_no)
    try:
        # strict=False: raw control characters inside strings are read, then removed below
        # along with the ones JSON escapes (\u001b) decode to.
        record = json.loads(decode_bytes(line), strict=False)
    except (SkipFile, ValueError) as exc:
        return SkipFile(f"not valid JSON ({str(exc).splitlines()[0][:80]})", line_no)
    except RecursionError:
        return SkipFile("JSON nested too deeply to read", line_no)
    if not isinstance(record, dict):
        return SkipFile("expected a JSON object", line_no)
    title, body, html, url = (_field(record, names) for names in
                              (TITLE_FIELDS, BODY_FIELDS, HTML_FIELDS, URL_FIELDS))
    if not all(v is None or isinstance(v, str) for v in (title, body, html, url)):
        return SkipFile("title, body, html and url must be strings (the body may be named maintext or text)",
                        line_no)
    title, body, url = (sanitize(v) if v else v for v in (title, body, url))
    html = _SURROGATE.sub("\ufffd", html) if html else html
    if body is None and html is None:
        return SkipFile("needs a 'body' or an 'html' field (or 'maintext' or 'text')", line_no)
    if html is not None and body is None:
        try:
            raw = html_article(html)
        except SkipFile as exc:
            return SkipFile(str(exc), line_no)
    else:
        raw = Story(title="", date=None, text=clean_text(body or "", title))
    raw.title = clip_title(" ".join((title or raw.title or "").split()))
    # ISO, RFC 2822, "November 19, 2019", 20191119, epoch seconds or milliseconds; implausible is none
    when = parse_when(_field(record, DATE_FIELDS))
    if when:
        raw.date = when.date() if isinstance(when, dt.datetime) else when
        raw.published = when if isinstance(when, dt.datetime) else None
    elif html is None:
        raw.date = None
    raw.url = url if url is not None else raw.url
    named = _field(record, SOURCE_FIELDS)
    raw.source = raw.source or host_name(raw.url) or (" ".join(sanitize(named).split())[:80] or None
                                                      if isinstance(named, str) else None)
    digest = record_digest(line)
    key = sanitize(record_key(record, digest))
    return Source(doc_id=f"{path}#{key}", path=str(path), story=raw, key=key, digest=digest)


def check_size(suffix: str, size: int) -> None:
    """Raise SkipFile for a file too large for its type, or empty."""
    limit = config.MAX_JSONL_FILE_BYTES if suffix in config.STREAMED_SUFFIXES else config.MAX_ARTICLE_FILE_BYTES
    if size > limit:
        raise SkipFile(_too_large("file", size, limit))
    if size == 0:
        raise SkipFile("empty file")


def read_file(path: Path, stream: BinaryIO | None = None) -> Iterator[Source | SkipFile]:
    """Every article of one file, or the reasons it could not be read.

    With `stream` (the file opened by the caller) its bytes are read instead of opening the file
    again, so that what is indexed is exactly what the caller hashed (articles.load_once)."""
    suffix = config.suffix_of(path.name)
    try:
        size = os.fstat(stream.fileno()).st_size if stream is not None else path.stat().st_size
        check_size(suffix, size)
        if suffix in config.JSONL_SUFFIXES:
            yield from jsonl_articles(path, stream)
            return
        if suffix in config.WARC_SUFFIXES:
            from newsgrep.index.warc import warc_articles

            yield from warc_articles(path, stream)
            return
        text = sanitize(decode_bytes(stream.read() if stream is not None else path.read_bytes()))
        if not text.strip():
            raise SkipFile("empty file")
        raw = html_article(text) if suffix in config.HTML_SUFFIXES else text_article(text)
        yield Source(doc_id=str(path), path=str(path), story=raw)
    except SkipFile as exc:
        yield exc
    except OSError as exc:
        yield SkipFile(exc.strerror or str(exc))


UNREADABLE_FOLDER = "cannot read folder"


def find_files(paths: Iterable[str | os.PathLike], follow: bool = False) -> Iterator[tuple[str, str | None]]:
    """Supported files under the given paths, as absolute path strings, with a reason where one must be
    skipped.

    Folders are walked recursively (hidden entries skipped). A symbolic link inside a folder is
    followed only while it stays inside that folder, as `find` and ripgrep do: a link to
    `/etc/passwd` dropped into a scraped folder must not make it searchable. `follow=True` follows
    every link. Each file is given once, by device and inode, however many links, hard links or
    overlapping paths reach it: the first path in walk order names it (in each folder, real entries
    come before links).
    A file named explicitly with an unsupported type is reported rather than silently ignored.
    Paths stay strings: an incremental `add` walks every file of the corpus, and building a Path for
    each cost more than the walk itself.
    """
    seen: set[tuple[int, int]] = set()
    for given in paths:
        path = os.path.abspath(os.path.expanduser(given))
        if os.path.isdir(path):
            yield from _walk(path, seen, follow)
        elif os.path.isfile(path):
            suffix = config.suffix_of(path)
            wrong_type = None
            if suffix not in config.SUPPORTED_SUFFIXES:
                wrong_type = f"unsupported file type ({suffix or 'no extension'})"
            st = os.stat(path)
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                yield path, _unusable_name(path) or wrong_type
        elif os.path.lexists(path):
            yield path, "not a regular file, or a broken link"
        else:
            yield path, "no such file or directory"


def _inside(real: str, top: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _is_link(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _walk(root: str, seen: set[tuple[int, int]], follow: bool) -> Iterator[tuple[str, str | None]]:
    """Files under a folder in name order, each folder's files before its subfolders; folders that
    cannot be listed are reported with the reason, like files.

    The root itself may be a link (the user named it); links found inside it are followed only to
    places inside the root's real path, unless `follow`.
    """
    top = os.path.realpath(root)
    folders_seen: set[str] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in folders_seen:
            continue
        folders_seen.add(real)
        try:
            device = os.stat(folder).st_dev  # a folder's files are on its device: no stat call per file
            with os.scandir(folder) as listing:
                # Links after real entries: a file reached both ways is named by its own path.
                entries = sorted(listing, key=lambda e: (_is_link(e), e.name))
        except OSError as exc:
            yield folder, f"{UNREADABLE_FOLDER}: {exc.strerror or exc}"
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                link = entry.is_symlink()
                if link and not follow and not _inside(os.path.realpath(entry.path), top):
                    continue
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(entry.path)
            elif config.suffix_of(entry.name) in config.SUPPORTED_SUFFIXES:
                try:
                    regular = entry.is_file()
                    key = (entry.stat().st_dev, entry.stat().st_ino) if link else (device, entry.inode())
                except OSError:
                    regular = False
                else:
                    if regular and key in seen:
                        continue
                    seen.add(key)
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
