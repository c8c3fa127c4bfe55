"""Facet tables: each segment's month and entity names per document, in a file beside the segment.

Counting facets through Whoosh reads every matched document's columns one at a time (18 µs a match:
38 ms of a 171 ms one-shot search over Reuters). A table holds, per field, the distinct names and,
per document, the ids of its names (offsets and ids as arrays, so loading is a few reads); for a
field of names also each name's documents (and for the frequent names a bitmap of them), so that a
broad search counts a few names instead of every match (count_values). index/columns.py is how the
rest of the code reads them (TableColumns), or Whoosh when they cannot be used. Segments
never change once written, so a table is built once, by the writer, from the segment's own columns,
and named after the segment. Readers only read tables; where one is missing or does not fit its
segment they fall back to Whoosh, so a table can cost time but never a wrong count.
"""

from __future__ import annotations

import dataclasses
import heapq
import json
import operator
import struct
import sys
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, compress, repeat
from operator import itemgetter
from pathlib import Path
from typing import TypeVar

from newsgrep.index.layout import write_atomically
from newsgrep.index.schema import ENTITY_FIELDS, SOURCE_FIELD

FIELDS = ("month", *ENTITY_FIELDS, "date", SOURCE_FIELD)
DENSE = ("month", "date")  # one value for every document ("undated", 0), so ids[d] is document d's
MAGIC = b"NGFT6\n"  # 2: the day of each document; 3: a CRC-32 at the end; 4: each document's only name;
# 5: the source; 6: names by falling frequency, and each name's documents
PARTS = 7  # per field: names, offsets, ids, single, docs_at, docs, bitmaps
# A name held by at least one document in BITMAP_SHARE of a segment also has a bitmap of the segment's
# documents (a bit each): its count over a match is then one AND and a bit count, whatever the match,
# so that a search of a few thousand matches counts the hundred-odd names that can reach its top ten
# by name (count_values). At 95,000 Reuters articles: 223 bitmaps, 2.7 MB more table (8.7 to 11.3).
# (Tables written with 32, before, hold fewer bitmaps and are read the same way.)
BITMAP_SHARE = 512
# Counting a name through its bitmap (an AND and a bit count over a bit per document of the segment)
# costs about what reading the documents of a name held by one in BITMAP_READS does (6.5 µs at
# 95,000 articles), so BITMAP_SHARE gives a bitmap only to names held more than that.
BITMAP_READS = 512
# A field where at least one document in SPANS_SHARE names several (places and orgs of news: a third
# and a half of Reuters' articles) is counted from every matched document's slice of `ids`; below it,
# from `single` first and slices only for the documents with several names (people).
SPANS_SHARE = 4
# A dense field of at most FEW_VALUES names (the months of an archive of a few years) is counted by
# picking a byte per match and counting each value's byte in it (a C scan each), half the cost of a
# Counter over the matches: 17,000 matches in 0.35 ms.
FEW_VALUES = 64
NONE, MANY = 0xFFFFFFFF, 0xFFFFFFFE  # in FieldTable.single: a document with no name, or with several
PREFIX, SUFFIX = "facets-", ".bin"
_LEN = struct.Struct("<Q")
_CRC = struct.Struct("<I")


@dataclass
class FieldTable:
    """One field of one segment: document d has names[ids[offsets[d]:offsets[d + 1]]].

    For a field of name lists, single[d] is the id of document d's only name, or NONE or MANY: most
    articles name no one or one, and counting single[d] needs no slice of `ids` per document. Dense
    fields (one value each) leave it empty: ids[d] already is document d's value.

    A field of name lists also has the other direction: name i is held by the documents
    docs[docs_at[i]:docs_at[i + 1]] (in increasing order), and names are numbered by falling number
    of documents, so the first names are the most frequent (see count_values); the first of them,
    those held by at least one document in BITMAP_SHARE, have those documents as a bitmap too
    (`bitmaps`: one after the other, a bit per document, little-endian). Dense fields leave all
    three empty.
    """

    names: list[str]
    offsets: array
    ids: array
    single: array
    docs_at: array
    docs: array
    bitmaps: bytes = b""
    _ints: dict[int, int] = dataclasses.field(default_factory=dict, repr=False)
    _spans: tuple[array, array, bool] | None = dataclasses.field(default=None, repr=False)
    _bytes: bytes | None = dataclasses.field(default=None, repr=False)

    def byte_ids(self) -> bytes:
        """`ids` as a byte each, for a field of at most FEW_VALUES names (made once, by one C-level
        slice: each id's low byte, the whole id when it is below 256)."""
        if self._bytes is None:
            size = self.ids.itemsize
            self._bytes = self.ids.tobytes()[0 if sys.byteorder == "little" else size - 1::size]
        return self._bytes

    def spans(self) -> tuple[array, array, bool]:
        """Each document's first and end position in `ids` (offsets without its last, and without its
        first: two copies of an array, made once), and whether documents with several names are at
        least SPANS_SHARE of the segment (see _doc_counts)."""
        if self._spans is None:
            # MANY's 4 bytes only ever stand aligned: no name id ends in the byte MANY begins with
            several = self.single.tobytes().count(array("I", [MANY]).tobytes())
            self._spans = (self.offsets[:-1], self.offsets[1:], several * SPANS_SHARE >= len(self.single))
        return self._spans

    def bitmap(self, i: int) -> int | None:
        """Name i's documents as an int (bit d for document d), if it has a bitmap."""
        size = (len(self.offsets) - 1 + 7) // 8  # a bit per document, in whole bytes
        if size == 0 or (i + 1) * size > len(self.bitmaps):
            return None
        found = self._ints.get(i)
        if found is None:
            found = self._ints[i] = int.from_bytes(self.bitmaps[i * size:(i + 1) * size], "little")
        return found


Tables = list[tuple[int, dict[str, FieldTable]]]  # (first document number, tables) of each segment


def table_path(gen: Path, segment_id: str) -> Path:
    return gen / f"{PREFIX}{segment_id}{SUFFIX}"


def _segment_id(leaf) -> str | None:
    """The segment's name; None for the stand-in reader of an index with no segment (empty)."""
    segment = leaf.segment()
    return segment.segment_id() if segment is not None else None


def build(leaf) -> dict[str, FieldTable]:
    """The tables of one segment, from its columns."""
    n = leaf.doc_count_all()
    tables = {}
    for field in FIELDS:
        index: dict[str, int] = {}
        offsets, ids = array("I", [0]), array("I")
        if leaf.has_column(field):
            for value in leaf.column_reader(field, translate=field == "date"):
                values = value if isinstance(value, list) else [value] if value or field in DENSE else []
                for raw in values:
                    name = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
                    ids.append(index.setdefault(name, len(index)))
                offsets.append(len(ids))
        else:
            offsets.extend([0] * n)
        names = list(index)
        single, docs_at, docs, bitmaps = array("I"), array("I"), array("I"), b""
        if field not in DENSE:
            names, ids = _by_frequency(names, offsets, ids)
            single.extend(ids[start] if end - start == 1 else NONE if end == start else MANY
                          for start, end in zip(offsets[:-1], offsets[1:], strict=True))
            docs_at, docs = _inverted(len(names), offsets, ids)
            bitmaps = _bitmaps(n, docs_at, docs)
        tables[field] = FieldTable(names, offsets, ids, single, docs_at, docs, bitmaps)
    return tables


def _bitmaps(n_docs: int, docs_at: array, docs: array) -> bytes:
    """The bitmaps of the names (most frequent first) held by at least one document in BITMAP_SHARE."""
    out = []
    for i in range(len(docs_at) - 1):
        if (docs_at[i + 1] - docs_at[i]) * BITMAP_SHARE < n_docs:
            break
        bits = bytearray((n_docs + 7) // 8)
        for d in docs[docs_at[i]:docs_at[i + 1]]:
            bits[d >> 3] |= 1 << (d & 7)
        out.append(bytes(bits))
    return b"".join(out)


def _by_frequency(names: list[str], offsets: array, ids: array) -> tuple[list[str], array]:
    """The names renumbered by falling number of documents (ties in their first order), and the ids."""
    per_name = Counter(ids)
    order = sorted(range(len(names)), key=lambda i: -per_name[i])
    new_id = array("I", bytes(4 * len(names)))
    for rank, old in enumerate(order):
        new_id[old] = rank
    return [names[i] for i in order], array("I", pick(new_id, ids) if len(ids) else [])


def _inverted(n_names: int, offsets: array, ids: array) -> tuple[array, array]:
    """Each name's documents, in increasing order: docs[docs_at[i]:docs_at[i + 1]] for name i."""
    doc_of = array("I")
    for d in range(len(offsets) - 1):
        doc_of.extend(repeat(d, offsets[d + 1] - offsets[d]))
    order = sorted(range(len(ids)), key=ids.__getitem__)  # stable: each name's documents stay in order
    per_name = Counter(ids)
    docs_at = array("I", [0])
    for i in range(n_names):
        docs_at.append(docs_at[-1] + per_name[i])
    return docs_at, array("I", pick(doc_of, order) if len(order) else [])


def _encode(tables: dict[str, FieldTable]) -> bytes:
    parts = [MAGIC]
    for field in FIELDS:
        t = tables[field]
        names = json.dumps(t.names, ensure_ascii=False).encode("utf-8")
        for blob in (names, t.offsets.tobytes(), t.ids.tobytes(), t.single.tobytes(), t.docs_at.tobytes(),
                     t.docs.tobytes(), t.bitmaps):
            parts += [_LEN.pack(len(blob)), blob]
    body = b"".join(parts)
    return body + _CRC.pack(zlib.crc32(body))


def _decode(data: bytes, n_docs: int) -> dict[str, FieldTable]:
    """The tables in `data`; ValueError when they are not whole or do not fit a segment of n_docs.

    The checksum stands for checking every id against its names, which cost more than the rest of a
    load: a table that is what the writer wrote is consistent.
    """
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _CRC.size:
        raise ValueError("not a facet table")
    # Parts are read through a memoryview: slices of the file's bytes, not copies of them (a table
    # of 95,000 articles is 11 MB; copying it part by part cost a fresh process 10 ms).
    data, (crc,) = memoryview(data)[:-_CRC.size], _CRC.unpack(data[-_CRC.size:])
    if zlib.crc32(data) != crc:
        raise ValueError("checksum mismatch")
    pos, blobs = len(MAGIC), []
    while pos < len(data):
        (size,) = _LEN.unpack_from(data, pos)
        pos += _LEN.size
        if pos + size > len(data):
            raise ValueError("truncated")
        blobs.append(data[pos:pos + size])
        pos += size
    if len(blobs) != PARTS * len(FIELDS):
        raise ValueError("wrong number of parts")
    tables = {}
    for i, field in enumerate(FIELDS):
        names = json.loads(str(blobs[PARTS * i], "utf-8"))
        offsets, ids, single, docs_at, docs = (array("I") for _ in range(PARTS - 2))
        for part, blob in zip((offsets, ids, single, docs_at, docs), blobs[PARTS * i + 1:PARTS * (i + 1) - 1],
                              strict=True):
            part.frombytes(blob)
        bitmaps = bytes(blobs[PARTS * (i + 1) - 1])
        dense = field in DENSE
        if (not isinstance(names, list) or len(offsets) != n_docs + 1 or offsets[-1] != len(ids)
                or len(single) != (0 if dense else n_docs) or (dense and len(ids) != n_docs)
                or len(docs_at) != (0 if dense else len(names) + 1) or len(docs) != (0 if dense else len(ids))
                or (not dense and docs_at[-1] != len(docs))
                or len(bitmaps) % max(1, (n_docs + 7) // 8) or len(bitmaps) // max(1, (n_docs + 7) // 8) > len(names)):
            raise ValueError("does not fit its segment")
        tables[field] = FieldTable(names, offsets, ids, single, docs_at, docs, bitmaps)
    return tables


def _has_due_bitmaps(tables: dict[str, FieldTable], n_docs: int) -> bool:
    """Whether every name BITMAP_SHARE gives a bitmap has one: tables written with a smaller share
    count the same, more slowly, so the next write rebuilds them."""
    size = (n_docs + 7) // 8
    for field in FIELDS:
        t = tables[field]
        if field in DENSE or not size:
            continue
        due = sum(1 for i in range(len(t.names)) if (t.docs_at[i + 1] - t.docs_at[i]) * BITMAP_SHARE >= n_docs)
        if len(t.bitmaps) // size < due:
            return False
    return True


def write_missing(gen: Path, reader) -> None:
    """Build the tables and article orders of segments that have none (or a damaged one, or a table
    with fewer bitmaps than BITMAP_SHARE now gives); delete those of segments no longer in the index."""
    keep = set()
    for leaf, _ in reader.leaf_readers():
        segment_id = _segment_id(leaf)
        if segment_id is None:
            continue
        path, order = table_path(gen, segment_id), order_path(gen, segment_id)
        keep.update((path.name, order.name))
        try:
            current = _has_due_bitmaps(_decode(path.read_bytes(), leaf.doc_count_all()), leaf.doc_count_all())
        except (OSError, ValueError, struct.error, UnicodeError):
            current = False
        if not current:
            write_atomically(path, _encode(build(leaf)))
        try:
            _decode_order(order.read_bytes(), leaf.doc_count_all())
        except (OSError, ValueError):
            write_atomically(order, _encode_order(build_order(leaf)))
    for entry in gen.iterdir():
        if entry.name.startswith((PREFIX, ORDER_PREFIX)) and entry.name.endswith(SUFFIX) and entry.name not in keep:
            entry.unlink(missing_ok=True)


T = TypeVar("T")

_loaded: dict[tuple[str, int], dict[str, FieldTable]] = {}
_MAX_LOADED = 256  # segments kept in memory by a long-running process (each a few hundred KB)


def load(gen: Path, reader) -> Tables | None:
    """(doc offset, tables) for every segment of `reader`, or None when any table is missing or wrong.

    Tables never change once written, so a process that searches many times reads each one once.
    """
    return _per_segment(gen, reader, table_path, _decode, _loaded, (OSError, ValueError, struct.error, UnicodeError))


def _per_segment(gen: Path, reader, path_of: Callable[[Path, str], Path], decode: Callable[[bytes, int], T],
                 cache: dict[tuple[str, int], T], errors: tuple[type[Exception], ...]) -> list[tuple[int, T]] | None:
    """(doc offset, decoded file) for every segment of `reader`: each segment's file (`path_of`) read and
    decoded once per process (segments never change once written); None when any is missing or fails
    to decode with one of `errors`. An empty index has no segment id and nothing to read."""
    out = []
    for leaf, offset in reader.leaf_readers():
        segment_id = _segment_id(leaf)
        if segment_id is None:
            continue
        path = path_of(gen, segment_id)
        key = (str(path), leaf.doc_count_all())
        found = cache.get(key)
        if found is None:
            try:
                found = decode(path.read_bytes(), leaf.doc_count_all())
            except errors:
                return None
            if len(cache) >= _MAX_LOADED:
                cache.clear()
            cache[key] = found
        out.append((offset, found))
    return out


# ---------------------------------------------------------------- the article order

# Hits with equal scores are listed by article id (search/rank.py). A stored-field read per tied hit
# costs 20 µs (a filter-only search whose thousand matches all tie: 20 ms), so each segment also keeps,
# in a file of its own beside its table, each document's place in the order of the segment's ids:
# order-<segment>.bin, 4 bytes a document, read in well under a millisecond, where the facet table takes
# 20 ms at 95,000 articles, which a search that only orders a tie should not pay.
ORDER_MAGIC = b"NGOR1\n"
ORDER_PREFIX = "order-"


def order_path(gen: Path, segment_id: str) -> Path:
    return gen / f"{ORDER_PREFIX}{segment_id}{SUFFIX}"


def build_order(leaf) -> array:
    """Each document's place in the order of the segment's article ids as stored (the order ties go
    in; equal ids, never written by the tool, by document number), from a stored-field read each:
    17 µs a document, 1.6 s when a merge writes a segment of 95,000 (Whoosh's lexicon of the `id`
    field, read term by term, took twice that)."""
    n = leaf.doc_count_all()
    ids = [leaf.stored_fields(d).get("id", "") for d in range(n)]
    ranks = array("I", bytes(4 * n))
    for rank, d in enumerate(sorted(range(n), key=ids.__getitem__)):
        ranks[d] = rank
    return ranks


def _encode_order(ranks: array) -> bytes:
    body = ORDER_MAGIC + ranks.tobytes()
    return body + _CRC.pack(zlib.crc32(body))


def _decode_order(data: bytes, n_docs: int) -> array:
    """The ranks in `data`; ValueError when they are not whole or not those of a segment of n_docs."""
    if not data.startswith(ORDER_MAGIC) or len(data) != len(ORDER_MAGIC) + 4 * n_docs + _CRC.size:
        raise ValueError("not an article order of this segment")
    body, (crc,) = data[:-_CRC.size], _CRC.unpack(data[-_CRC.size:])
    if zlib.crc32(body) != crc:
        raise ValueError("checksum mismatch")
    ranks = array("I")
    ranks.frombytes(body[len(ORDER_MAGIC):])
    return ranks


_orders: dict[tuple[str, int], array] = {}


def load_order(gen: Path, reader) -> list[tuple[int, array]] | None:
    """(doc offset, ranks) for every segment of `reader`, or None when any is missing or damaged (an
    index written before they were: the next add writes them). Read once per process, as the tables."""
    return _per_segment(gen, reader, order_path, _decode_order, _orders, (OSError, ValueError))


def docs_in_day_range(tables: Tables, low: int, high: int) -> set[int]:
    """Documents whose date (an int YYYYMMDD, 0 when undated) lies in [low, high], as global numbers.

    A byte per distinct day (1: in range) is picked for every document of the segment by one
    itemgetter of all its day ids, made once per process (_every_day): a month of 95,000 articles
    in 1.2 ms, where a set lookup per document took 3.3."""
    docs: set[int] = set()
    for offset, leaf in tables:
        table = leaf["date"]
        inside = bytes(low <= int(name) <= high for name in table.names)
        if any(inside) and table.ids:
            docs.update(compress(range(offset, offset + len(table.ids)), _every_day(tables, leaf)(inside)))
    return docs


def _every_day(tables: Tables, leaf: dict[str, FieldTable]) -> Callable[[bytes], Sequence[int]]:
    """seq[id] for the day id of each of a segment's documents, in one call: an itemgetter of them
    all, made once per process and segment."""
    ids = leaf["date"].ids
    if len(ids) == 1:
        return lambda seq: (seq[ids[0]],)
    return _once(tables, ("every day", id(leaf)), lambda: itemgetter(*ids))


def by_segment(tables: Tables, docs: list[int]
               ) -> Iterator[tuple[dict[str, FieldTable], list[int], list[int]]]:
    """Per segment: its tables, those of `docs` (global numbers, increasing) that lie in it, and their
    numbers within it."""
    for i, (offset, leaf) in enumerate(tables):
        end = tables[i + 1][0] if i + 1 < len(tables) else None
        here = docs[bisect_left(docs, offset):bisect_left(docs, end) if end is not None else None]
        yield leaf, here, list(map(offset.__rsub__, here)) if offset else here


def pick(seq, positions: list[int]) -> Sequence:
    """seq[i] for each i of `positions`, in one C-level call (operator.itemgetter): about three
    times as fast as map(seq.__getitem__, positions) over the thousands of matches of a broad search."""
    if len(positions) > 1:
        return itemgetter(*positions)(seq)
    return [seq[i] for i in positions]


def days_of(tables: Tables, docs: list[int]) -> list[int]:
    """The day (YYYYMMDD, 0 when undated) of each of `docs` (global numbers in increasing order)."""
    out: list[int] = []
    for leaf, _, local in by_segment(tables, docs):
        table = leaf["date"]
        as_ints = list(map(int, table.names))
        out.extend(map(as_ints.__getitem__, pick(table.ids, local)))
    return out


def day_counts(tables: Tables, docs: list[int]) -> Counter:
    """How many of `docs` (global numbers in increasing order) fall on each day (YYYYMMDD, 0 when
    undated): their day ids counted, then each distinct day turned into its int once (days_of turns
    every document's)."""
    out: Counter = Counter()
    for leaf, _, local in by_segment(tables, docs):
        if not local:
            continue
        table = leaf["date"]
        found = Counter(table.ids) if len(local) == len(table.ids) else Counter(pick(table.ids, local))
        for day_id, n in found.items():
            out[int(table.names[day_id])] += n
    return out


def keep_in_day_range(tables: Tables, low: int, high: int, docs: list[int]) -> list[int]:
    """Those of `docs` (global numbers in increasing order) dated within [low, high], in order: per
    segment, a byte per distinct day (1: in range) picked for each document's day in one C-level call."""
    out: list[int] = []
    for leaf, here, local in by_segment(tables, docs):
        if not local:
            continue
        table = leaf["date"]
        inside = bytes(low <= int(name) <= high for name in table.names)
        out.extend(compress(here, pick(inside, pick(table.ids, local))))
    return out


def docs_named(tables: Tables, field: str, name: str) -> Iterator[tuple[int, array]]:
    """(doc offset, the segment's documents holding `name`, deleted ones too) for each segment that
    has the name: its list of documents, a slice of the table, where the posting list would be
    decoded block by block (20,000 articles naming the United States: 1 ms against 5)."""
    for offset, leaf in tables:
        table = leaf[field]
        ids = _once(tables, ("name ids", field, id(leaf)), lambda t=table: {n: k for k, n in enumerate(t.names)})
        i = ids.get(name)
        if i is not None:
            yield offset, table.docs[table.docs_at[i]:table.docs_at[i + 1]]


def known_names(tables: Tables, field: str) -> list[str]:
    """Every name of `field` in the tables, sorted (names of deleted articles too: they then match
    nothing); made once per process and set of segments, as each filtered search asks."""
    return _once(tables, ("known", field), lambda: sorted(set().union(*(leaf[field].names for _, leaf in tables))))


# Counting a name through its documents (an itemgetter over a byte per document) costs about a
# third of counting it through each matched document's names (a slice per document, a dict update
# per name): count_values goes name by name while that spends less.
BY_NAME_COST = 3
# Name by name pays off for matches of at least one article in BROAD_SHARE of the index: below it
# the bar (the top-th count) is too low to stop early. 30 benchmark queries at 5x, facet CPU summed:
# every field document by document 120 ms; name by name from 1 in 16 of the index (3,000 of
# 95,000) 58 ms, from 1 in 32 52 ms, from 1 in 64 59 ms, for every search 63 ms.
BROAD_SHARE = 32


def count_values(tables: Tables, fields: Sequence[str], docs: list[int], top: int | None = None
                 ) -> dict[str, dict[str, int]]:
    """For each field, how many of `docs` (live, global numbers, increasing) hold each name (an
    article naming three people counts once for each).

    With `top`, a broad search's fields of name lists may be counted name by name, most frequent
    first, stopping where a name's documents are fewer than the `top`-th count found so far: then
    only the names that can be among the `top` are counted, each exactly (see _top_counts), a few
    dozen names instead of every name of thousands of matches.
    """
    segments = list(by_segment(tables, docs))
    counts: dict[str, dict[str, int]] = {}
    matched = _Matched(segments)
    broad = top is not None and len(docs) * BROAD_SHARE >= sum(len(leaf["date"].ids) for _, leaf in tables)
    for field in fields:
        found = None
        if broad and field not in DENSE:
            found = _top_counts(tables, segments, matched, field, top)
        counts[field] = found if found is not None else _doc_counts(segments, field)
    return counts


class _Matched:
    """The matched documents of each segment as a byte each (1: matched) and as a bitmap (an int),
    each made when first asked for: both cost a step per match."""

    def __init__(self, segments) -> None:
        self.segments = segments
        self._bytes: dict[int, bytearray] = {}
        self._bits: dict[int, int] = {}

    def bytes(self, segment: int) -> bytearray:
        found = self._bytes.get(segment)
        if found is None:
            leaf, _, local = self.segments[segment]
            found = self._bytes[segment] = bytearray(len(leaf["date"].ids))
            for d in local:
                found[d] = 1
        return found

    def bits(self, segment: int) -> int:
        """The bytes packed eight to a byte by big-int shifts (C loops over machine words): with a
        byte b_k at bit 8k, x | x >> 7 puts b_k+1 at bit 8k + 1, then >> 14 two more and >> 28 four
        more, so byte 8i holds documents 8i to 8i + 7 (bit j: 8i + j)."""
        found = self._bits.get(segment)
        if found is None:
            x = int.from_bytes(self.bytes(segment), "little")
            x |= x >> 7
            x |= x >> 14
            x |= x >> 28
            packed = x.to_bytes(len(self._bytes[segment]) + 8, "little")[::8]
            found = self._bits[segment] = int.from_bytes(packed, "little")
        return found


def _doc_counts(segments, field: str) -> dict[str, int]:
    """Each name's count over the matched documents, document by document.

    The names of the matches are gathered by C-level calls (itemgetter picks of the documents'
    spans, a slice of `ids` each, chained into one Counter): at 95,000 articles a slice costs more
    than counting its names, so picking the spans from arrays made once (FieldTable.spans) rather
    than computing each document's end took a third off counting places and orgs."""
    total: dict[str, int] = {}
    for leaf, _, local in segments:
        table = leaf[field]
        ids, offs, names = table.ids, table.offsets, table.names
        if not names or not local:  # no document of the segment has one (a corpus without sources)
            continue
        # C-level calls (pick, map, Counter), not a generator: these loops run once per matched document.
        if len(local) == len(offs) - 1:
            found = Counter(ids)  # every document of the segment
        elif field in DENSE and len(names) <= FEW_VALUES and len(local) > 1:
            picked = bytes(pick(table.byte_ids(), local))  # one byte per match: its value's id
            found = {i: n for i in range(len(names)) if (n := picked.count(i))}
        elif field in DENSE:
            found = Counter(pick(ids, local))
        else:
            starts, ends, by_spans = table.spans()
            if by_spans:
                found = Counter(chain.from_iterable(map(ids.__getitem__, map(slice, pick(starts, local),
                                                                              pick(ends, local)))))
            else:
                singles = pick(table.single, local)
                found = Counter(singles)
                found.pop(NONE, None)
                if found.pop(MANY, 0):  # the documents with several names: slices of `ids`
                    several = list(compress(local, map(MANY.__eq__, singles)))
                    found.update(chain.from_iterable(map(ids.__getitem__, map(slice, pick(starts, several),
                                                                              pick(ends, several)))))
        named = dict(zip(map(names.__getitem__, found), found.values(), strict=True))
        for name in list(filter(total.__contains__, named)):
            named[name] += total[name]
        total.update(named)
    return total


def _top_counts(tables: Tables, segments, matched: _Matched, field: str, top: int) -> dict[str, int] | None:
    """The exact count of every name that can be among the `top` most frequent over the matches;
    None when that would cost more than counting document by document.

    Names go by falling number of documents in the index (deleted ones included: a bound). Once
    `top` names are counted, a name held by fewer documents than the `top`-th count cannot reach it,
    nor can any after it, so counting stops there: the names counted hold every one whose count
    reaches the `top`-th, so the top names and their ties are what counting all would give.

    The most frequent names have bitmaps (one AND and a bit count: BITMAP_READS of a segment's
    documents' worth of reads), the others are read through their documents. Before each name, the
    cost of all names still to count (with the bar as it stands: it only rises) bounds what is
    left: within what counting document by document would cost, it goes on; beyond it, it goes on
    only until it has spent a third of that (the bar may rise meanwhile), then gives up.
    """
    steps = 0  # counting document by document: a step per match and per name of a match
    for leaf, _, local in segments:
        table = leaf[field]
        steps += len(local) + len(local) * len(table.ids) // max(1, len(table.offsets) - 1)
    budget = steps * BY_NAME_COST
    ranked = _ranked_names(tables, field)
    held, cum = ranked.held, ranked.cum
    best: list[int] = []  # the `top` largest counts so far, smallest first
    found: dict[str, int] = {}
    spent, sure = 0, False
    for k, name in enumerate(ranked.names):
        if len(best) == top and held[k] < best[0]:
            break
        if not sure:
            bar = best[0] if len(best) == top else 1
            end = bisect_right(range(len(held)), -bar, key=lambda j: -held[j])  # the first held by fewer
            sure = spent + cum[end] - cum[k] <= budget
            if not sure and spent > steps:
                return None
        spent += cum[k + 1] - cum[k]
        n = 0
        for segment, i in ranked.places(k):
            if not segments[segment][2]:
                continue
            table = tables[segment][1][field]
            bits = table.bitmap(i)
            if bits is not None:
                n += (bits & matched.bits(segment)).bit_count()
                continue
            start, stop = table.docs_at[i], table.docs_at[i + 1]
            mask = matched.bytes(segment)
            n += sum(pick(mask, table.docs[start:stop])) if stop > start + 1 else mask[table.docs[start]]
        if n and name:  # a blank name is never listed (search/facets.py), nor may it raise the bar
            found[name] = n
            if len(best) < top:
                heapq.heappush(best, n)
            elif n > best[0]:
                heapq.heapreplace(best, n)
    return found


@dataclass
class _Ranked:
    """A field's names over all segments, most held first: documents holding each (`held`), the
    running sum of their cost before each (`cum`, one longer: see _cost), and where each name is:
    [(segment, id)]."""

    names: list[str]
    held: list[int]
    cum: list[int]
    ids: list[dict[str, int]] | None  # each segment's id of each of its names; None: one segment (id = rank)

    def places(self, k: int) -> list[tuple[int, int]]:
        """[(segment, id)] of the k-th name: looked up for the names counted only (a few dozen)."""
        if self.ids is None:
            return [(0, k)]
        name = self.names[k]
        return [(segment, ids[name]) for segment, ids in enumerate(self.ids) if name in ids]


_derived: dict[tuple, tuple[tuple, object]] = {}


def _once(tables: Tables, what: tuple, make):
    """make(), remembered for this set of segments' tables (which never change once loaded)."""
    leaves = tuple(leaf for _, leaf in tables)
    key = (*what, *map(id, leaves))
    cached = _derived.get(key)
    if cached is not None and all(map(operator.is_, cached[0], leaves)):  # the same tables, not reused ids
        return cached[1]
    made = make()
    if len(_derived) >= _MAX_LOADED:
        _derived.clear()
    _derived[key] = (leaves, made)
    return made


def _ranked_names(tables: Tables, field: str) -> _Ranked:
    """The names of `field` most held first, made once per process and set of segments (one
    segment's names are numbered that way already; several segments' are merged)."""
    return _once(tables, ("ranked", field), lambda: _rank_names(tables, field))


def _costs(table: FieldTable) -> list[int]:
    """What counting each name of a segment costs, in documents read: for the first names, which
    have bitmaps, the bitmap's share of the segment (BITMAP_READS); for the others, their documents."""
    n_docs = len(table.offsets) - 1
    size = (n_docs + 7) // 8
    with_bitmaps = len(table.bitmaps) // size if size else 0
    at = table.docs_at
    held = map(operator.sub, at[with_bitmaps + 1:], at[with_bitmaps:-1])
    return [n_docs // BITMAP_READS + 1] * with_bitmaps + list(held)


def _rank_names(tables: Tables, field: str) -> _Ranked:
    """See _ranked_names. Several segments' names are merged by C-level maps over dicts (a one-shot
    search pays this: a Python loop over the 30,000 names of four fields took 45 ms), and ties keep
    the order names are first met in, segment by segment."""
    leaves = [leaf for _, leaf in tables]
    if len(leaves) == 1:
        table = leaves[0][field]
        at = table.docs_at
        return _Ranked(table.names, list(map(operator.sub, at[1:], at[:-1])), [0, *accumulate(_costs(table))], None)
    fields = [leaf[field] for leaf in leaves]
    every = list(dict.fromkeys(chain.from_iterable(table.names for table in fields)))
    held = [0] * len(every)
    cost = [0] * len(every)
    for table in fields:
        at = table.docs_at
        these = dict(zip(table.names, map(operator.sub, at[1:], at[:-1]), strict=True))
        held = list(map(operator.add, held, map(these.get, every, repeat(0))))
        costs = dict(zip(table.names, _costs(table), strict=True))
        cost = list(map(operator.add, cost, map(costs.get, every, repeat(0))))
    order = sorted(range(len(every)), key=list(map(operator.neg, held)).__getitem__)
    ids = [dict(zip(table.names, range(len(table.names)), strict=True)) for table in fields]
    return _Ranked(list(map(every.__getitem__, order)), list(map(held.__getitem__, order)),
                   [0, *accumulate(map(cost.__getitem__, order))], ids)
