"""Articles from web archives (WARC, plain or gzip), as crawlers such as wget, Heritrix and Browsertrix write them.

Each HTTP response record with an HTML payload is one article. Its URL is the record's
WARC-Target-URI. The record's WARC-Date is when the page was crawled, not when it was published, so
it is never used as the article's date: the date comes from the page's own metadata or is absent.
Records that are not articles (requests, metadata, non-HTML responses, error statuses) and records
cut short are skipped with a reason, and the rest of the archive is still read.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from newsgrep.index import config
from newsgrep.index.read import SkipFile, Source, decode_bytes, html_article, sanitize

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# What a well-formed archive may hold after its last record: the record separator and nothing else.
_TRAILER_BYTES = 16


def _charset(content_type: str) -> str | None:
    """The charset a Content-Type header names, if Python knows it."""
    import codecs

    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            name = value.strip().strip("\"'")
            try:
                return codecs.lookup(name).name
            except LookupError:
                return None
    return None


def _decode(payload: bytes, content_type: str) -> str:
    """The page as text: the header's charset when it decodes cleanly, else the usual guesses."""
    charset = _charset(content_type)
    if charset:
        try:
            return payload.decode(charset)
        except UnicodeDecodeError:
            pass
    return decode_bytes(payload)


def warc_articles(path: Path, stream: BinaryIO | None = None) -> Iterator[Source | SkipFile]:
    """Every article of a WARC file (read from `stream` when given: the bytes the caller hashed); a
    skipped record is reported as `path:N` (its place in the file)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    seen: dict[str, int] = {}
    not_pages: Counter[str] = Counter()
    number = 0
    end = 0
    with contextlib.nullcontext(stream) if stream is not None else path.open("rb") as fh:
        records = ArchiveIterator(fh)
        try:
            for number, record in enumerate(records, 1):
                if record.format != "warc":  # warcio reads any text as an old-style ARC record
                    yield SkipFile("not a WARC file (no WARC/1.x record header)", number)
                    return
                item = _article(path, record, seen)
                records.read_to_end(record)
                end = records.get_record_offset() + records.get_record_length()
                if isinstance(item, str):
                    not_pages[item] += 1
                elif item is not None:
                    if isinstance(item, SkipFile):
                        item.line = number
                    yield item
        except (ArchiveLoadFailed, EOFError, zlib.error, ValueError) as exc:
            yield SkipFile(f"damaged WARC record, the rest of the file is not read ({_first_line(exc)})",
                           number + 1)
        else:
            if os.fstat(fh.fileno()).st_size - end > _TRAILER_BYTES:
                # A gzip member or a record cut off by a crawl that was stopped: warcio ends quietly.
                yield SkipFile("truncated WARC record at the end of the file", number + 1)
    if not_pages:
        # A crawl holds images, scripts and redirects beside its pages: one line for them all.
        total = sum(not_pages.values())
        kinds = ", ".join(f"{n} {what}" for what, n in not_pages.most_common(5))
        yield SkipFile(f"{total} response record{'s' * (total != 1)} not article pages ({kinds})")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:80] if text else type(exc).__name__


def _article(path: Path, record, seen: dict[str, int]) -> Source | SkipFile | str | None:
    """The article of one record; a SkipFile for a page that cannot be read; for a response that is no
    page (an image, an error status) the kind of response, counted for one summary line; None for
    records that are never articles."""
    if record.rec_type != "response":
        return None  # warcinfo, request, metadata, revisit records describe the crawl
    uri = sanitize(record.rec_headers.get_header("WARC-Target-URI") or "")
    if record.http_headers is None:
        return None  # a response of another protocol (dns:, whois:)
    status = record.http_headers.get_statuscode()
    if status != "200":
        return f"HTTP status {status}"
    content_type = record.http_headers.get_header("Content-Type") or ""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in _HTML_TYPES:
        return media_type or "no content type"
    if record.rec_headers.get_header("WARC-Truncated"):
        return SkipFile(f"{uri}: truncated by the crawler ({record.rec_headers.get_header('WARC-Truncated')})")
    payload = record.content_stream().read(config.MAX_ARTICLE_FILE_BYTES + 1)
    if len(payload) > config.MAX_ARTICLE_FILE_BYTES:
        return SkipFile(f"{uri}: page too large (the limit is {config.MAX_ARTICLE_FILE_BYTES // 2**20} MB)")
    if record.raw_stream.limit > 0:
        return SkipFile(f"{uri}: truncated record (the file ends inside it)")
    try:
        raw = html_article(sanitize(_decode(payload, content_type)))
    except SkipFile as exc:
        return SkipFile(f"{uri}: {exc}")
    raw.url = uri or raw.url
    # The same URL crawled twice is two records: each keeps an id of its own.
    seen[uri] = seen.get(uri, 0) + 1
    key = uri if seen[uri] == 1 else f"{uri}#{seen[uri]}"
    return Source(doc_id=f"{path}#{key}", path=str(path), story=raw)
