"""Reading a term's postings and a field's lengths a whole list at a time.

Whoosh's matchers hand postings over one at a time through several layers of Python calls, and read
each block's header from the file a few bytes per call; a search that needs every match (for the
total and the facets) or every score paid that per posting. This reads a whole posting list in one
call and decodes it with C-level helpers. It decodes Whoosh 2.7.4's on-disk layout, whose bytes
index/whoosh_ext.py hands over (the one module that reads Whoosh's private parts); when it does not
(another Whoosh version, another layout), the same lists are read through Whoosh's public matchers,
one posting at a time. tests/test_rank.py and tests/test_whoosh_ext.py compare both on real indexes.

Title and body terms are read first from the segment's side file (index/sideposts.py: raw arrays,
no zlib, no pickle, positions only when asked: places_at); a segment without one, or whose entry
does not add up, is read from Whoosh's blocks as above (tests/test_sideposts.py).
"""

from __future__ import annotations

import pickle
import re
import zlib
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, repeat
from operator import eq
from weakref import WeakKeyDictionary

from whoosh.codec import whoosh3
from whoosh.util.numeric import length_to_byte

from newsgrep.index import safe_pickle, sideposts, whoosh_ext
from newsgrep.index.schema import TEXT_FIELDS

_lengths_cache: dict[tuple, bytes] = {}
_MAX_CACHED = 512  # (segment, field) pairs kept by a long-running process, one byte a document
# Decoded posting lists, for as long as the segment reader that read them lives (one search): a search
# that ranks by all its words and then checks which words each match holds (search/rank.py) decodes
# each list once, not twice. Callers never change the lists they get.
_decoded_cache: WeakKeyDictionary = WeakKeyDictionary()
# Each segment's side file of raw postings (index/sideposts.py): its table, read once per process
# (False: the segment has none, or it does not add up), and per segment reader the open file.
_side_tables: dict[str, sideposts.Table | bool] = {}
_side_files: WeakKeyDictionary = WeakKeyDictionary()
_SIDE_FIELDS = frozenset(TEXT_FIELDS)
HEADER_BYTES = 64  # a block header (six numbers, pickled) is under 50 bytes


def _tuple_of(item: bytes) -> bytes:
    """A pickled tuple of `item`s as protocol 2 writes it: empty, 1 to 3 items and TUPLE1-3, or MARK,
    items and TUPLE; then the memo put the pickler adds."""
    return rb"(?:\)|\((?:" + item + rb")*t|(?:" + item + rb"){1,3}[\x85-\x87])(?:q.|r....)?"


# The start of a block's pickle up to its ids and weights, in data-only opcodes: PROTO 2, a tuple of
# ints (BININT1, BININT2, BININT), then None, a tuple of floats or one float (BINFLOAT). Every
# opcode's length follows from its first byte, so a match is the pickle's own opcodes, and none of
# them can name a class or a function: such bytes are safe for pickle.loads (see ids_and_weights).
_INT = rb"(?:K.|M..|J....)"
_FLOAT = rb"G........"
_IDS_WEIGHTS = re.compile(rb"\x80\x02" + _tuple_of(_INT) + rb"(?:" + _tuple_of(_FLOAT) + rb"|" + _FLOAT + rb"|N)",
                          re.DOTALL)


@dataclass
class Postings:
    """One term's postings in one segment: segment-local ids in order, with their weights and, when
    asked for, each posting's encoded positions (see positions())."""

    ids: list[int]
    weights: list[float]
    values: list[bytes] | None = None


def positions(value: bytes) -> list[int]:
    """The word positions in one posting's value, as Whoosh's Positions format encodes them: a
    4-byte count, then the pickled deltas (their final STOP byte may have been trimmed)."""
    codes = safe_pickle.loads(value[4:] if value.endswith(b".") else value[4:] + b".")
    return list(accumulate(codes))


def deltas_of(values: Sequence[bytes]) -> list[list[int]]:
    """The position deltas of many postings' values (see positions(); their running sums are the
    positions), unpickled in one call: the values' pickles (a list each) are joined into one list
    of lists. A phrase checks thousands of postings, and one unpickling each cost more than the check."""
    if not all(map(bytes.startswith, values, repeat(b"\x80\x02"), repeat(4))):  # not as Whoosh 2.7.4 writes them
        return [safe_pickle.loads(value[4:] if value.endswith(b".") else value[4:] + b".") for value in values]
    if all(map(bytes.endswith, values, repeat(b"."))):  # C-level slices: the usual case
        bodies = map(bytes.__getitem__, values, repeat(slice(6, -1)))
    else:
        bodies = (value[6:-1] if value.endswith(b".") else value[6:] for value in values)
    lists = safe_pickle.loads(b"\x80\x02(" + b"".join(bodies) + b"l.")
    if not isinstance(lists, list) or len(lists) != len(values) or not all(type(x) is list for x in lists):
        raise ValueError("positions are not lists")
    return lists


def read(leaf, fieldname: str, text: str, with_values: bool = False) -> Postings | None:
    """The live (not deleted) postings of a term in one segment reader; None when `with_values` asks
    positions of a field without them. A term the segment lacks has empty postings."""
    if (fieldname, text) not in leaf:
        return Postings([], [], [] if with_values else None)
    cache = _decoded_cache.setdefault(leaf, {})
    key = (fieldname, text, with_values)
    decoded = cache.get(key)
    if decoded is None and not with_values:
        raw = _raw(leaf, fieldname, text)
        if raw is not None:
            decoded = cache[key] = (raw[1], raw[2], None), raw[3]
        else:  # a whole decode with positions already made this search has the ids and weights too
            decoded = cache.get((fieldname, text, True))
    if decoded is None:
        found = whoosh_ext.posting_bytes(leaf, fieldname, text)
        if found is None:
            return _matched(leaf, fieldname, text, with_values)
        data, deleted = found
        try:
            decoded = _decode(data, with_values)
        except safe_pickle.UnsafePickle:
            raise
        except Exception as exc:
            raise ValueError(f"posting list of {fieldname}:{text!r} is damaged ({type(exc).__name__})") from None
        cache[key] = decoded, deleted
    else:
        decoded, deleted = decoded
    ids, weights, values = decoded
    if with_values and values is None:
        return None  # positions asked of a field without them: Whoosh's matchers answer
    if deleted:
        keep = [d not in deleted for d in ids]
        ids = list(compress(ids, keep))
        weights = list(compress(weights, keep))
        values = list(compress(values, keep)) if values is not None else None
    return Postings(ids, weights, values)


def places_at(leaf, fieldname: str, text: str, docs: list[int]) -> dict[int, list[int]] | None:
    """The word positions of some live segment-local documents in a term's postings, by document;
    those without the term are absent. None where read() would be None (a field without positions).

    From the segment's raw postings (index/sideposts.py) when it has them: only the asked documents'
    positions are decoded, with C-level casts; else from Whoosh's blocks (positions_at)."""
    raw = _raw(leaf, fieldname, text) if (fieldname, text) in leaf else None
    if raw is None:
        return _places_from_blocks(leaf, fieldname, text, docs)
    entry, ids, _, deleted = raw
    if not entry.has_positions():
        return None
    held, at = _held(ids, deleted, docs)
    try:
        places = entry.positions(at)
    except Exception:
        places = None
    if places is None:  # damaged: Whoosh's blocks answer
        return _places_from_blocks(leaf, fieldname, text, docs)
    return dict(zip(held, places, strict=True))


def _places_from_blocks(leaf, fieldname: str, text: str, docs: list[int]) -> dict[int, list[int]] | None:
    """places_at() from Whoosh's blocks, only those that hold the documents (positions_at)."""
    found = positions_at(leaf, fieldname, text, docs)
    return None if found is None else {doc: positions(value) for doc, value in found.items()}


def _held(ids: list[int], deleted: frozenset[int], docs: list[int]) -> tuple[list[int], list[int]]:
    """Those of `docs` (live ones) in `ids`, in order, and where each is in `ids`, by map() over C
    functions: a phrase asks thousands. For many, one pass over the ids; for a few (the nearness
    rescoring's), a bisect each (hi = the last index: a later document lands there, unequal)."""
    wanted = set(docs)
    if deleted:
        wanted -= deleted
    if not ids or not wanted:
        return [], []
    if 8 * len(wanted) > len(ids):  # many of the list's documents (a phrase): one pass over the ids
        there = list(map(wanted.__contains__, ids))
        return list(compress(ids, there)), list(compress(range(len(ids)), there))
    wanted = sorted(wanted)
    at = list(map(bisect_left, repeat(ids), wanted, repeat(0), repeat(len(ids) - 1)))
    there = list(map(eq, map(ids.__getitem__, at), wanted))
    return list(compress(wanted, there)), list(compress(at, there))


def has_side_file(leaf) -> bool:
    """Whether a segment's title and body postings are read from its side file (index/sideposts.py):
    without one, a phrase reads its words' lists with positions at once (read(with_values=True)),
    rather than twice."""
    return _side(leaf) is not None


def _raw(leaf, fieldname: str, text: str) -> tuple[sideposts.Entry, list[int], list[float], frozenset[int]] | None:
    """A term's raw postings in a segment (index/sideposts.py): the entry, all its ids and weights
    (deleted documents too), and the segment's deleted documents; decoded once per segment reader.
    None when the segment has no side file, the term is not in it, or it does not add up."""
    if fieldname not in _SIDE_FIELDS:
        return None
    cache = _decoded_cache.setdefault(leaf, {})
    key = (fieldname, text, "raw")
    if key in cache:
        return cache[key]
    found = None
    side = _side(leaf)
    extent = whoosh_ext.posting_extent(leaf, fieldname, text) if side is not None else None
    if extent is not None:
        f, table, deleted = side
        try:
            entry = sideposts.find(f, table, *extent)
            decoded = entry.ids_and_weights() if entry is not None else None
        except Exception:  # bytes that do not add up: Whoosh's postings answer
            decoded = None
        if decoded is not None:
            found = entry, decoded[0], decoded[1], deleted
    cache[key] = found
    return found


def _side(leaf) -> tuple[object, sideposts.Table, frozenset[int]] | None:
    """A segment reader's side file (index/sideposts.py), its table and the segment's deleted documents;
    None when the segment has none (an index written before it, or by another Whoosh) or it is damaged."""
    if leaf in _side_files:
        return _side_files[leaf]
    found = None
    segment = leaf.segment()
    if segment is not None and whoosh_ext.fast_paths():
        name = segment.make_filename(sideposts.EXT)
        storage = leaf.storage()
        table = _side_tables.get(segment.segment_id())
        f = None
        if table is None:  # a segment's files never change: whether it has a side file is learnt once
            table = False
            if storage.file_exists(name):
                f = storage.open_file(name)
                try:
                    table = sideposts.read_table(f, storage.file_length(name)) or False
                except Exception:  # a short or unreadable file: Whoosh's postings answer
                    table = False
            if len(_side_tables) >= _MAX_CACHED:
                _side_tables.clear()
            _side_tables[segment.segment_id()] = table
        if table:
            f = f or storage.open_file(name)
            deleted = frozenset(segment.deleted_docs()) if leaf.has_deletions() else frozenset()
            found = f, table, deleted
    _side_files[leaf] = found
    return found


def positions_at(leaf, fieldname: str, text: str, docs: list[int]) -> dict[int, bytes] | None:
    """The encoded positions (see positions()) of some live segment-local documents in a term's
    postings, by document; those without the term are absent. None where read() would be None.

    Only the blocks that can hold the documents are decoded (a block's header names its last
    document): a few documents' positions do not cost a whole list's, most of which is positions.
    """
    if (fieldname, text) not in leaf:
        return {}
    found = whoosh_ext.posting_bytes(leaf, fieldname, text)
    if found is None:
        return _matched_at(leaf, fieldname, text, docs)
    data, deleted = found
    wanted = sorted(set(docs))
    want = set(wanted)
    out: dict[int, bytes] = {}
    first, w = 0, 0
    try:
        for count, last, compression, block in _blocks(data):
            while w < len(wanted) and wanted[w] < first:
                w += 1
            if w == len(wanted):
                break
            if wanted[w] <= last:
                block_ids, _, block_values = safe_pickle.loads(zlib.decompress(block) if compression else block)
                if not isinstance(block_values, tuple | list) or len(block_values) != count:
                    return None  # no positions: Whoosh's matchers answer
                out.update((doc, value) for doc, value in zip(accumulate(block_ids), block_values, strict=True)
                           if doc in want and doc not in deleted)
            first = last + 1
    except safe_pickle.UnsafePickle:
        raise
    except Exception as exc:
        raise ValueError(f"posting list of {fieldname}:{text!r} is damaged ({type(exc).__name__})") from None
    return out


def _matched(leaf, fieldname: str, text: str, with_values: bool) -> Postings | None:
    """read() through Whoosh's public matcher (it leaves out deleted documents), one posting at a time."""
    matcher = leaf.postings(fieldname, text)
    if with_values and not matcher.supports("positions"):
        return None
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] | None = [] if with_values else None
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values is not None:
            values.append(matcher.value())
        matcher.next()
    return Postings(ids, weights, values)


def _matched_at(leaf, fieldname: str, text: str, docs: list[int]) -> dict[int, bytes] | None:
    """positions_at() through Whoosh's public matcher, skipping to each asked document."""
    matcher = leaf.postings(fieldname, text)
    if not matcher.supports("positions"):
        return None
    out: dict[int, bytes] = {}
    for doc in sorted(set(docs)):
        if not matcher.is_active():
            break
        if matcher.id() < doc:
            matcher.skip_to(doc)
        if matcher.is_active() and matcher.id() == doc:
            out[doc] = matcher.value()
    return out


def _blocks(data: bytes) -> Iterator[tuple[int, int, int, bytes]]:
    """Each block of a posting list as Whoosh 2.7.4's W3PostingsWriter writes it: (count, last id,
    compression, the block's pickled data).

    After a 4-byte tag, each block is a signed big-endian length (negative on the last block), a
    pickled header (count, last id, max weight, compression, min and max length byte), then the
    pickled (delta-encoded ids, weights, values), zlib-compressed when the header says so.
    """
    magic = whoosh3.WHOOSH3_HEADER_MAGIC
    if not data.startswith(magic):
        raise ValueError("not a Whoosh 3 posting list")
    # Block headers are small pickles read in place: a read-ahead of HEADER_BYTES covers one whole.
    stream = safe_pickle.reader(data, HEADER_BYTES)
    pos = len(magic)
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big", signed=True)
        end = pos + 4 + abs(length)
        stream.seek(pos + 4)
        count, last, _, compression, _, _ = safe_pickle.load(stream)
        yield count, last, compression, data[stream.tell():end]
        if length < 0:
            break
        pos = end


def _decode(data: bytes, with_values: bool) -> tuple[list[int], list[float], list[bytes] | None]:
    """Ids and weights of a posting list (see _blocks), and with `with_values` its values (None for
    a field without positions). Weights are None in a block when all 1.0 and a single float when all
    equal."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] | None = [] if with_values else None
    for count, _, compression, block in _blocks(data):
        head = None if with_values else _ids_and_weights(block, compression, count)
        if head is None:
            block_ids, block_weights, block_values = safe_pickle.loads(zlib.decompress(block) if compression else block)
        else:
            block_ids, block_weights = head
        ids.extend(accumulate(block_ids))  # delta-decoded in C (Whoosh uses a generator)
        if block_weights is None or isinstance(block_weights, float):
            weights.extend([1.0 if block_weights is None else block_weights] * count)
        else:
            weights.extend(block_weights)
        if values is not None:
            if isinstance(block_values, tuple | list) and len(block_values) == count:
                values.extend(block_values)
            else:
                values = None  # not one position list per posting (a field without positions)
    return ids, weights, values


def _ids_and_weights(block: bytes, compression: int, count: int) -> tuple[tuple, object] | None:
    """A compressed block's (delta-encoded ids, weights) without its values, or None to decode it whole.

    The values (each posting's pickled positions, as `_codecs.encode` calls) are most of a block's
    bytes and of its unpickling time, and only phrases need them. The ids and weights come first:
    that start is matched by _IDS_WEIGHTS, and the match, closed into a pair (TUPLE2, STOP), goes to
    pickle.loads. The whole block is still decompressed, so zlib's checksum finds damage anywhere in
    it, as a whole decode would (an uncompressed block has no checksum: it is decoded whole). What is
    decoded must have one id per posting and, if a tuple, one weight each; else, or when the bytes are
    laid out otherwise, the whole block goes through the restricted unpickler.
    """
    if not compression:
        return None
    found = _IDS_WEIGHTS.match(zlib.decompress(block), 0, 14 * count + 32)  # an id takes at most 5 bytes, a weight 9
    if found is None:
        return None
    try:
        block_ids, block_weights = pickle.loads(found.group() + b"\x86.")
    except Exception:  # opcodes that do not make a pair (a damaged block): the whole block decides
        return None
    if len(block_ids) != count or (isinstance(block_weights, tuple) and len(block_weights) != count):
        return None
    return block_ids, block_weights


def doc_ids(reader, fieldname: str, text: str) -> list[int] | None:
    """Index-wide (global) numbers of the live documents holding a term, in order; None as read()."""
    out: list[int] = []
    for leaf, offset in reader.leaf_readers():
        postings = read(leaf, fieldname, text)
        if postings is None:
            return None
        out.extend(map(offset.__add__, postings.ids) if offset else postings.ids)
    return out


def lengths(leaf, fieldname: str) -> bytes:
    """The field's length byte of every document of a segment (as BM25F reads it: see
    whoosh.util.numeric.byte_to_length), read once per process (segments never change once written)."""
    segment = leaf.segment()
    if segment is None:
        return None
    key = (segment.segment_id(), fieldname, leaf.doc_count_all())  # ids are random, never reused
    data = _lengths_cache.get(key)
    if data is None:
        data = whoosh_ext.length_column_bytes(leaf, fieldname)
        if data is None:  # Whoosh's public way: the length of each document, encoded as it stores it
            data = bytes(length_to_byte(leaf.doc_field_length(doc, fieldname, 0))
                         for doc in range(leaf.doc_count_all()))
        if len(_lengths_cache) >= _MAX_CACHED:
            _lengths_cache.clear()
        _lengths_cache[key] = data
    return data
