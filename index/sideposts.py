"""Raw posting lists of the scored fields, written beside Whoosh's own in each segment.

Whoosh 2.7.4 keeps a term's postings as zlib-compressed pickles of ids, weights and every posting's
pickled positions together, so even a plain word query decompressed and unpickled all the positions
of the body. Here each term of title and body (schema.TEXT_FIELDS) is also kept as raw arrays that
a search reads with C-level casts: ids as uint32, weights as float32 (Whoosh keeps weights as float32
too: array("f") in W3PostingsWriter, so they are the same numbers; as uint8 when all are whole numbers
up to 255, as almost all are), and positions apart (each posting's start in a flat array), so a
query reads positions only when a phrase or the nearness
rescoring asks, and only those of the documents asked.

The file is one more file of the segment, `<segment id>.ngpos`, written by the segment's field writer
while Whoosh writes the segment's postings (index/whoosh_ext.py hooks it, in new segments and merged
ones alike), so it goes into the segment's compound file and is named by the commit that names the
segment, and dropped with it. Layout (little-endian):

    entries, one per term, in the order written:
        header: the term's Whoosh posting offset (its key, again), count n, positions total p,
                positions item size (2 or 4), flags, crc32 of the ids and weights, crc32 of the
                positions part
        ids (n x uint32), weights (n x float32, or uint8 when all are whole numbers up to 255),
        starts (n + 1 x uint32, or uint16 under 65,536 positions), positions (p items)
    table: the terms' Whoosh posting offsets, ascending (uint64 each), then each entry's start (uint64)
    footer: table start, term count (uint64 each), MAGIC

A term is found by its Whoosh posting offset (unique in a segment) with a bisect over the table, read
once per segment and process. Anything that does not add up (a missing or short file, a bad footer,
an entry whose count is not Whoosh's document frequency for the term, a checksum) makes the reader
answer None, and index/postings.py reads Whoosh's own blocks instead: an index written before this
file existed, or by another Whoosh version, searches the same.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate, chain

EXT = ".ngpos"
MAGIC = b"NGPOS\x03\x00\x00"
_HEAD = struct.Struct("<QIIBB2xII")
_FOOT = struct.Struct("<QQ8s")
_NO_POSITIONS = 1
_BYTE_WEIGHTS = 2  # weights as uint8 (whole numbers up to 255), else float32
_SHORT_STARTS = 4  # starts as uint16 (under 65,536 positions), else uint32
_LITTLE = sys.byteorder == "little"  # the arrays are cast in place: a big-endian machine reads Whoosh's


class SideWriter:
    """Writes one segment's side file while Whoosh writes the segment's postings: an entry per term
    as it finishes (only one term's postings are held at a time), the table and footer at close."""

    def __init__(self, out) -> None:
        self._out = out  # a Whoosh StructFile of the segment (write, tell, close)
        self._keys = array("Q")
        self._starts = array("Q")
        self._ids = array("I")
        self._weights = array("f")
        self._values: list[bytes] = []

    def block(self, ids, weights, values: list[bytes]) -> None:
        """One block of the current term's postings, as Whoosh's postings writer buffered it."""
        self._ids.extend(ids)
        self._weights.extend(weights)
        self._values.extend(values)

    def finish_term(self, offset: int) -> None:
        """The current term is written: its entry, found by `offset`, Whoosh's start of its postings."""
        from newsgrep.index.postings import deltas_of

        ids, weights, values = self._ids, self._weights, self._values
        self._ids, self._weights, self._values = array("I"), array("f"), []
        if self._keys and offset <= self._keys[-1]:
            raise ValueError("posting offsets out of order")
        flags = 0
        if values and len(values) == len(ids):
            deltas = deltas_of(values)
            places = list(chain.from_iterable(map(accumulate, deltas)))
            size = 2 if not places or max(places) < 65536 else 4
            starts = list(accumulate(map(len, deltas), initial=0))
            flat = array("H" if size == 2 else "I", places)
        else:
            flags, size, starts, flat = _NO_POSITIONS, 2, [0] * (len(ids) + 1), array("H")
        if starts[-1] < 65536:
            flags |= _SHORT_STARTS
        starts = array("H" if flags & _SHORT_STARTS else "I", starts)
        small = _small_weights(weights)
        if small is not None:
            flags, weights = flags | _BYTE_WEIGHTS, small
        if not _LITTLE:
            for part in (ids, weights, starts, flat):
                part.byteswap()
        head_part = ids.tobytes() + weights.tobytes()
        places_part = starts.tobytes() + flat.tobytes()
        self._keys.append(offset)
        self._starts.append(self._out.tell())
        self._out.write(_HEAD.pack(offset, len(ids), len(flat), size, flags, zlib.crc32(head_part),
                                   zlib.crc32(places_part)))
        self._out.write(head_part)
        self._out.write(places_part)

    def close(self) -> None:
        """The table and footer, after the last term."""
        table = self._out.tell()
        keys, starts = self._keys, self._starts
        if not _LITTLE:
            keys.byteswap()
            starts.byteswap()
        self._out.write(keys.tobytes() + starts.tobytes())
        self._out.write(_FOOT.pack(table, len(self._keys), MAGIC))
        self._out.close()


def _small_weights(weights: array) -> array | None:
    """The weights as bytes when each is a whole number up to 255 (a word's count in the article, times
    the field's boost: all but a few), which read back as the same numbers; else None."""
    if not weights or min(weights) < 0 or max(weights) > 255:
        return None
    small = array("B", map(int, weights))
    return small if array("f", small) == weights else None


@dataclass
class Table:
    """A side file's table of terms (read once per segment and process)."""

    keys: array
    starts: array
    end: int  # where the table starts: the last entry ends there


def read_table(f, length: int) -> Table | None:
    """The table of a side file `f` (a Whoosh StructFile) of `length` bytes; None when it does not add up."""
    if not _LITTLE or length < _FOOT.size:
        return None
    table, count, magic = _FOOT.unpack(f.get(length - _FOOT.size, _FOOT.size))
    if magic != MAGIC or table + 16 * count != length - _FOOT.size:
        return None
    data = f.get(table, 16 * count)
    keys, starts = array("Q"), array("Q")
    keys.frombytes(data[:8 * count])
    starts.frombytes(data[8 * count:])
    if count and (starts[0] != 0 or starts[-1] >= table):
        return None
    return Table(keys, starts, table)


@dataclass
class Entry:
    """One term's raw postings in a side file (not yet decoded)."""

    file: object
    start: int
    count: int
    places: int
    size: int
    flags: int
    check_head: int
    check_places: int

    head: bytes  # the ids and weights, read with the entry's header (one read)

    def ids_and_weights(self) -> tuple[list[int], list[float]] | None:
        """All ids (segment-local, deleted ones too) and weights (whole ones as ints: the same numbers
        in BM25F's arithmetic, operation for operation); None if damaged."""
        n = self.count
        data = self.head
        if len(data) != _head_length(n, self.flags) or zlib.crc32(data) != self.check_head:
            return None
        view = memoryview(data)
        return view[:4 * n].cast("I").tolist(), view[4 * n:].cast("B" if self.flags & _BYTE_WEIGHTS else "f").tolist()

    def has_positions(self) -> bool:
        return not self.flags & _NO_POSITIONS

    def _places_view(self) -> tuple[memoryview, memoryview] | None:
        """The starts and the flat positions, checked; None if damaged."""
        n = self.count
        at = self.start + _HEAD.size + _head_length(n, self.flags)
        length = _places_length(n, self.places, self.size, self.flags)
        data = self.file.get(at, length)
        if len(data) != length or zlib.crc32(data) != self.check_places:
            return None
        view = memoryview(data)
        starts_end = length - self.size * self.places
        starts = view[:starts_end].cast("H" if self.flags & _SHORT_STARTS else "I")
        if starts[n] != self.places:
            return None
        return starts, view[starts_end:].cast("H" if self.size == 2 else "I")

    def positions(self, indices: list[int]) -> list[list[int]] | None:
        """The positions of the postings at `indices`; None if damaged."""
        view = self._places_view()
        if view is None:
            return None
        starts, flat = view
        # Each posting's slice and its list by map() over C functions: a phrase reads thousands.
        slices = map(slice, map(starts.__getitem__, indices), map(starts.__getitem__, map((1).__add__, indices)))
        return list(map(memoryview.tolist, map(flat.__getitem__, slices)))


def find(f, table: Table, offset: int, doc_frequency: int) -> Entry | None:
    """The entry of the term whose Whoosh postings start at `offset` and hold `doc_frequency`
    postings; None when the side file lacks it or it does not add up."""
    i = bisect_left(table.keys, offset)
    if i == len(table.keys) or table.keys[i] != offset:
        return None
    start = table.starts[i]
    end = table.starts[i + 1] if i + 1 < len(table.starts) else table.end
    if not start < end <= table.end or end - start < _HEAD.size:
        return None
    data = f.get(start, min(_HEAD.size + 8 * doc_frequency, end - start))  # with the ids and weights: one read
    if len(data) < _HEAD.size:
        return None
    key, count, places, size, flags, check_head, check_places = _HEAD.unpack_from(data)
    head = _head_length(count, flags)
    if (key != offset or count != doc_frequency or size not in (2, 4)
            or _HEAD.size + head + _places_length(count, places, size, flags) != end - start):
        return None
    return Entry(f, start, count, places, size, flags, check_head, check_places, data[_HEAD.size:_HEAD.size + head])


def _head_length(count: int, flags: int) -> int:
    """The bytes of an entry's ids and weights."""
    return count * (5 if flags & _BYTE_WEIGHTS else 8)


def _places_length(count: int, places: int, size: int, flags: int) -> int:
    """The bytes of an entry's starts and positions."""
    return (count + 1) * (2 if flags & _SHORT_STARTS else 4) + size * places
