"""JSON Lines files that grow: each record tracked by its key and hash, so that `add` re-indexes only
the records appended, edited or deleted since the last commit.

A scraper appends to one file a day. Tracked as a whole, one appended record re-read, re-cleaned and
re-tagged every record of the file (19,043 for Reuters, two minutes) and left a dead copy of each in
the index. Here the file is still read once, and the bytes hashed are the bytes indexed: every line
is hashed as it streams (read.record_digest); a line whose hash the manifest knows is the record it
was, and is neither parsed nor cleaned; any other line is read as a record (read.jsonl_record) and
named by its key (read.record_key: its `id`, else its `url`, else its hash). Keys the manifest held
and the file no longer yields are deleted. A later record with the key of an earlier one replaces it
(a scraper appending a corrected story under the same id).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from newsgrep.index import config
from newsgrep.index.articles import Loaded, to_article
from newsgrep.index.model import Article
from newsgrep.index.read import SkipFile, check_size, jsonl_record, record_digest

Records = dict[str, str]  # key -> record hash, in file order
PROGRESS_EVERY_BYTES = 1 << 16  # how often a long file reports how far it has been read


def tracked(entry: list | None) -> Records | None:
    """The record table of a manifest entry, or None for a file indexed whole (not JSON Lines, or
    indexed by an earlier version or reconciled from the index without one)."""
    if entry and len(entry) > 3 and isinstance(entry[3], dict):
        return entry[3]
    return None


def load_jsonl(path: Path, unchanged: str = "", known: Records | None = None,
               on_bytes: Callable[[int], None] | None = None) -> Loaded:
    """Read a JSON Lines file once: its manifest entry with the record table, and the articles of the
    records that are not in `known` (all of them when `known` is None).

    `on_bytes(n)` is told how many bytes have been read so far, so a large file shows progress.
    """
    try:
        fh = path.open("rb")
    except OSError as exc:
        return Loaded(None, [SkipFile(exc.strerror or str(exc))])
    with fh:
        st = os.fstat(fh.fileno())
        try:
            check_size(config.suffix_of(path.name), st.st_size)
        except SkipFile as exc:
            return Loaded(None, [exc])
        by_hash = {digest: key for key, digest in (known or {}).items()}
        whole = hashlib.blake2b(digest_size=16)
        table: Records = {}
        fresh: dict[str, Article] = {}
        skips: list[SkipFile] = []
        read = reported = 0
        try:
            for line_no, line in enumerate(fh, 1):
                whole.update(line)
                read += len(line)
                if on_bytes and read - reported >= PROGRESS_EVERY_BYTES:
                    on_bytes(read)
                    reported = read
                if not line.strip():
                    continue
                line_hash = record_digest(line)
                key = by_hash.get(line_hash)
                if key is not None:  # this very record is indexed
                    table.pop(key, None)
                    table[key] = line_hash
                    fresh.pop(key, None)
                    continue
                item = jsonl_record(path, line, line_no)
                if isinstance(item, SkipFile):
                    skips.append(item)
                    continue
                table.pop(item.key, None)
                table[item.key] = item.digest
                fresh.pop(item.key, None)
                fresh[item.key] = to_article(item, item.digest)
        except OSError as exc:
            return Loaded(None, [SkipFile(exc.strerror or str(exc))])
    if on_bytes:
        on_bytes(read)
    digest = whole.hexdigest()
    entry = [st.st_size, st.st_mtime_ns, digest, table]
    if not table:
        return Loaded(None, list(skips))
    if known is not None and digest == unchanged:
        return Loaded(entry, None)
    loaded = Loaded(entry, [*fresh.values(), *skips])
    loaded.partial = known is not None
    old = known or {}
    loaded.dropped = [f"{path}#{key}" for key in old if key not in table]
    loaded.record_counts = (sum(k not in old for k in fresh), sum(k in old for k in fresh),
                            len(loaded.dropped), len(table) - len(fresh))
    return loaded

