"""Every place newsgrep reaches past Whoosh's public API, in one module, switched on by one `install()`.

Whoosh 2.7.4 has been frozen since 2016 and is pinned in pyproject.toml. Some of its private parts are
worth reaching into, for speed and for safety; this module is the only one that does, so a newcomer
(or a version bump) has one file to read:

- patches, applied by `install()`: a shared stemming cache (`StemFilter.clear`), stored-field offsets
  derived in C (`VarBytesColumn.Reader._read_offsets_and_lengths`), a length-column miss cache
  (`W3PerDocReader._cached_reader`), and the pickle guard (`whoosh.filedb.structfile.load_pickle`,
  `whoosh.index.pickle`, `loads` of the codec, columns and formats modules: see _guard_pickles),
  and the raw posting lists written beside each segment's (`W3FieldWriter`: _write_side_postings);
- private reads, as small named functions: a posting list's bytes (`posting_bytes`) and its place
  (`posting_extent`, the key of its raw copy: index/sideposts.py), a field's length
  column (`length_column_bytes`), a ranked `Results` that knows its total (`ranked_results`), BM25F's
  B of a field (`field_b`);
- the watched two-process writer (`bulk_writer`; the MpWriter subclass is index/subwriters.py, which
  only a large add imports: importing it here would load multiprocessing into every search: about 10 ms).

`install()` is called where an index is first opened or created (index/live.py open_whoosh,
index/writer.py _new_generation), never at import: importing a package or module loads no Whoosh.
The fast paths are on only under the Whoosh version they were written against (CHECKED_VERSION);
under any other, every function here answers as plain public Whoosh does (slower, same results:
tests/test_whoosh_ext.py compares both), and the pickle guard still installs or refuses the index.
tests/test_whoosh_ext.py also pins the source of every Whoosh function replaced or relied on here.
"""

from __future__ import annotations

import pickle
import types
from collections.abc import Callable

from newsgrep.index import config
from newsgrep.index.errors import IndexProblem

CHECKED_VERSION = "2.7.4"
SUPPORTED_HINT = f"install the supported version: pip install 'whoosh=={CHECKED_VERSION}'"

_installed = False
_fast = False
# Whoosh's own functions that a patch replaced, by (class, name): tests compare against them.
_replaced: dict[tuple[type, str], Callable] = {}


def whoosh_version() -> str:
    """The installed Whoosh's version, as "2.7.4"."""
    import whoosh

    return whoosh.versionstring()


def install() -> None:
    """Guard Whoosh's pickles, and switch the fast paths on when Whoosh is CHECKED_VERSION; idempotent.

    Called before an index is opened or created. The fast paths are process-wide patches of Whoosh's
    classes; each gives what Whoosh's own code gives (tests/test_whoosh_ext.py, tests/test_rank.py).
    Raises IndexProblem when the pickle guard cannot be installed (see _guard_pickles).
    """
    global _installed, _fast
    if _installed:
        return
    _guard_pickles()
    fast = whoosh_version() == CHECKED_VERSION
    if fast:
        _share_stemming_cache()
        _derive_offsets_in_c()
        _remember_missing_length_columns()
        _write_side_postings()
    _fast, _installed = fast, True


def fast_paths() -> bool:
    """Whether the fast paths are on (install() ran under CHECKED_VERSION)."""
    return _fast


def whooshs(cls: type, name: str) -> Callable:
    """Whoosh's own `cls.name` as it was before a patch replaced it (the current one if none did)."""
    return _replaced.get((cls, name), getattr(cls, name))


def _replace(cls: type, name: str, new: Callable) -> None:
    _replaced[(cls, name)] = getattr(cls, name)
    setattr(cls, name, new)


# ---------------------------------------------------------------- the pickle guard

def _guard_pickles() -> None:
    """Route every pickle Whoosh loads from an index through index/safe_pickle.py's allowlist.

    The places are Whoosh 2.7.4's module-level names: `whoosh.index.pickle.loads` (the TOC's schema),
    `structfile.load_pickle` (the TOC's segments, compound-file directories, hash-table extras,
    posting and column headers), and `loads` in the codec, columns and formats modules (posting
    blocks, stored fields, positions). The legacy TOC loaders of Whoosh 1.x unpickle with any class
    and are removed: such an index is refused as of an unknown version.

    This is a security measure, not a fast path, so it never turns off with the version. Under
    another Whoosh it still installs when every one of these names is there: each is a module
    attribute that Whoosh's code looks up when it loads, so replacing it guards whatever code calls
    it, and Whoosh's forks (all 2.7.x) keep the layout. A version without one of them is refused in
    one line (IndexProblem, with the version to install) rather than opened with a path unguarded.
    A load site added somewhere else by another version cannot be seen from here: the pin test
    (tests/test_whoosh_ext.py) fails on any change to these modules, so a bump of the pin re-reads them.
    """
    import whoosh.codec.plaintext
    import whoosh.codec.whoosh3
    import whoosh.columns
    import whoosh.filedb.structfile
    import whoosh.formats
    import whoosh.index

    from newsgrep.index import safe_pickle

    modules = (whoosh.codec.whoosh3, whoosh.columns, whoosh.formats, whoosh.codec.plaintext)
    needed = [*((module, "loads") for module in modules), (whoosh.filedb.structfile, "load_pickle"),
              (whoosh.index, "toc_loaders"), (whoosh.index, "pickle")]
    missing = [f"{module.__name__}.{name}" for module, name in needed if not hasattr(module, name)]
    if missing:
        raise IndexProblem(f"Whoosh {whoosh_version()} loads index pickles where newsgrep cannot guard them "
                           f"(it has no {missing[0]})", SUPPORTED_HINT)
    for module in modules:
        module.loads = safe_pickle.loads
    whoosh.filedb.structfile.load_pickle = safe_pickle.load
    whoosh.index.pickle = types.SimpleNamespace(loads=safe_pickle.loads, dumps=pickle.dumps,
                                                PicklingError=pickle.PicklingError)
    whoosh.index.toc_loaders.clear()


# ---------------------------------------------------------------- fast paths (patches)

def _share_stemming_cache() -> None:
    """Give every English stemming filter one process-wide C cache (functools.lru_cache).

    Whoosh gives each StemFilter its own pure-Python cache, and every index opened (each search)
    unpickles new filters whose caches start empty: highlighting ten hits then stemmed every word of
    their bodies again, a fifth of a small search's time. The stems are the same, only remembered.
    This replaces StemFilter.clear, which __init__ and __setstate__ call to set up the cache.
    """
    from functools import lru_cache

    from whoosh.analysis.morph import StemFilter
    from whoosh.lang.porter import stem

    shared = lru_cache(maxsize=100_000)(stem)
    whooshs_clear = StemFilter.clear

    def clear(self) -> None:
        if self.stemfn is stem and not self.lang and self.cachesize:
            self._stem = shared
        else:
            whooshs_clear(self)

    _replace(StemFilter, "clear", clear)


def _derive_offsets_in_c() -> None:
    """Make Whoosh derive a variable-length column's offsets with itertools.accumulate.

    Stored fields live in such a column. For segments under 32,768 documents Whoosh 2.7.4 writes only
    the lengths, and on every open rebuilds the offsets in a Python loop over every document of the
    segment (2 ms of a one-shot search at 19,000 articles, 7 ms at 95,000). This replaces that
    private method with a twin that reads the same layout (the column ends with the lengths' type
    code, or with "X" after the offsets and both type codes) and gives equal arrays
    (tests/test_rank.py reads columns both ways).
    """
    import struct
    from array import array
    from itertools import accumulate

    from whoosh.columns import VarBytesColumn

    def _read_offsets_and_lengths(self):
        dbfile, doccount = self._dbfile, self._doccount
        lastbyte = self._basepos + self._length - 1
        lens_code = chr(dbfile.get_byte(lastbyte))
        offsets = None
        if lens_code == "X":
            self.had_stored_offsets = True
            lens_code = chr(dbfile.get_byte(lastbyte - 2))
            offsets_code = chr(dbfile.get_byte(lastbyte - 1))
            offsetstart = (lastbyte - 2) - doccount * struct.calcsize(offsets_code)
            offsets = dbfile.get_array(offsetstart, offsets_code, doccount)
            lastbyte = offsetstart
        lengths = dbfile.get_array(lastbyte - struct.calcsize(lens_code) * doccount, lens_code, doccount)
        if offsets is None:
            offsets = array("L", accumulate(lengths, initial=0))
            offsets.pop()
        self._offsets, self._lengths = offsets, lengths

    _replace(VarBytesColumn.Reader, "_read_offsets_and_lengths", _read_offsets_and_lengths)


def _remember_missing_length_columns() -> None:
    """Make Whoosh remember that a field keeps no length column.

    Writing a segment, Whoosh 2.7.4 asks for the field length of every posting; for fields without
    lengths (ids, keywords, entity names, months) it looks the column file up again each time
    and never caches the miss: about 14% of a build's CPU (benchmarks/profile_build.py). This
    replaces that private method with a twin that caches the miss (None) as it caches a hit.
    """
    from whoosh.codec import whoosh3

    def _cached_reader(self, fieldname, column):
        try:
            return self._readers[fieldname]
        except KeyError:
            reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
            self._readers[fieldname] = reader
            return reader

    _replace(whoosh3.W3PerDocReader, "_cached_reader", _cached_reader)


def _write_side_postings() -> None:
    """Make Whoosh's field writer also write the segment's raw posting lists (index/sideposts.py).

    Whoosh writes every segment's postings, new or merged, through W3FieldWriter (start_field, then
    per term start_term, add and finish_term, then close), and its postings writer buffers each term's
    postings in blocks of ids (array "I"), weights (array "f") and encoded positions, which
    _write_block writes out. The twin of _write_block hands each block to the side writer first; the
    twin of finish_term ends the term's entry, keyed by the term's start in the postings file (its
    terminfo's offset); close writes the table. The side file is one of the segment's files, so it is
    assembled into the segment's compound file before the commit that names the segment.
    """
    from whoosh.codec import whoosh3

    from newsgrep.index import sideposts
    from newsgrep.index.schema import TEXT_FIELDS

    fields = frozenset(TEXT_FIELDS)
    writers = whoosh3.W3FieldWriter
    whooshs_start_field, whooshs_finish_term, whooshs_close = (
        writers.start_field, writers.finish_term, writers.close)
    whooshs_write_block = whoosh3.W3PostingsWriter._write_block

    def start_field(self, fieldname, fieldobj):
        whooshs_start_field(self, fieldname, fieldobj)
        if fieldname in fields:
            side = self.__dict__.get("_newsgrep_side")
            if side is None:
                side = self._newsgrep_side = sideposts.SideWriter(self._create_file(sideposts.EXT))
            self._postwriter._newsgrep_sink = side

    def finish_term(self):
        whooshs_finish_term(self)
        postwriter = self._postwriter
        side = postwriter.__dict__.get("_newsgrep_sink")
        if side is not None and postwriter.written():  # else inlined in the terms file: no blocks, no entry
            side.finish_term(postwriter._startoffset)

    def close(self):
        whooshs_close(self)
        side = self.__dict__.get("_newsgrep_side")
        if side is not None:
            side.close()

    def _write_block(self, last=False):
        side = self.__dict__.get("_newsgrep_sink")
        if side is not None:
            side.block(self._ids, self._weights, self._values)
        whooshs_write_block(self, last)

    _replace(writers, "start_field", start_field)
    _replace(writers, "finish_term", finish_term)
    _replace(writers, "close", close)
    _replace(whoosh3.W3PostingsWriter, "_write_block", _write_block)


# ---------------------------------------------------------------- private reads

def posting_extent(leaf, fieldname: str, text: str) -> tuple[int, int] | None:
    """(where a term's postings start in the segment's postings file, how many postings) as Whoosh
    2.7.4's term info keeps them: the key of the term's raw postings (index/sideposts.py); None when
    the fast paths are off or the term info is another kind. The term must be in the segment."""
    if not _fast:
        return None
    from whoosh.codec import whoosh3

    info = leaf.term_info(fieldname, text)
    if type(info) is not whoosh3.W3TermInfo or info._inlined is not None or type(info._offset) is not int:
        return None
    return info._offset, info.doc_frequency()


def posting_bytes(leaf, fieldname: str, text: str) -> tuple[bytes, frozenset[int]] | None:
    """A term's whole posting list in one segment as Whoosh 2.7.4 wrote it (index/postings.py
    decodes it), and the segment's deleted documents; None when the fast paths are off or the
    postings are not laid out so (then Whoosh's matchers answer). The term must be in the segment."""
    if not _fast:
        return None
    from whoosh.codec import whoosh3
    from whoosh.matching.wrappers import FilterMatcher

    matcher = leaf.postings(fieldname, text)
    deleted: frozenset[int] = frozenset()
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        deleted, matcher = frozenset(matcher._ids), matcher.child
    if type(matcher) is not whoosh3.W3LeafMatcher or matcher._byteids:
        return None
    size = matcher._length  # the term info keeps it as a 1-tuple (struct.unpack's result)
    size = size[0] if isinstance(size, tuple) and len(size) == 1 else size
    if not isinstance(size, int):
        return None
    return bytes(matcher._postfile.get(matcher._startoffset, size)), deleted


def length_column_bytes(leaf, fieldname: str) -> bytes | None:
    """The field's length byte of each document of a segment as Whoosh 2.7.4 stores them (one byte a
    document, documents past the end 0); None when the fast paths are off or they are stored otherwise
    (index/postings.py then asks Whoosh document by document)."""
    if not _fast:
        return None
    from whoosh.codec import whoosh3
    from whoosh.columns import NumericColumn

    column = leaf._perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if type(column) is not NumericColumn.Reader or column._typecode != "B":
        return None
    data = bytes(column._dbfile.get(column._basepos, column._count))
    return data + bytes(leaf.doc_count_all() - len(data))


def ranked_results(searcher, q, top: list[tuple[float, int]], total: int):
    """A Whoosh `Results` of the (score, document) pairs `top`, whose len() is `total`: the page of a
    ranking done outside Whoosh's collectors (search/rank.py), for stored fields and highlighting.

    Whoosh's own way is a Collector whose count() the Results asks (the fallback here); but a plain
    search never imports whoosh.collectors otherwise, and that import is 1.1 ms of every one-shot
    search, so on the checked version the total is set where Results keeps it.
    """
    from whoosh.searching import Results

    results = Results(searcher, q, top)
    if _fast:
        results._total = total  # what Results.__len__ returns once known
        return results
    from whoosh.collectors import Collector

    class Counted(Collector):
        """The collector of a ranking already done: it only knows how many matched."""

        def computes_count(self) -> bool:
            return True

        def count(self) -> int:
            return total

    results.collector = Counted()
    return results


def field_b(searcher, fieldname: str) -> float:
    """BM25F's B for a field (its `fieldname_B` argument, else B), as Whoosh's BM25FScorer uses it.

    BM25F keeps the per-field values in a private dict. The public way is to ask it for a scorer of
    one of the field's words and read the scorer's B (the fallback): that reads a word of the field
    from the index, so the fast path reads the dict.
    """
    weighting = searcher.weighting
    if _fast:
        return weighting._field_B.get(fieldname, weighting.B)
    word = next(iter(searcher.reader().lexicon(fieldname)), None)
    if word is None:  # no article has the field: its B weighs nothing
        return weighting.B
    return getattr(weighting.scorer(searcher, fieldname, word), "B", weighting.B)


def bulk_writer(ix):
    """Whoosh's writer for a large batch: two watched sub-writer processes (index/subwriters.py, a
    subclass that overrides MpWriter's private _enqueue and _commit) on the checked version; under
    any other, Whoosh's one-process writer, which has no sub-writer to lose."""
    if not _fast:
        return ix.writer(timeout=5.0, limitmb=config.WRITER_LIMIT_MB)
    from newsgrep.index.subwriters import WatchedMpWriter

    return WatchedMpWriter(ix, procs=2, limitmb=config.WRITER_LIMIT_MB, multisegment=True)
