"""Whoosh's pickles, loaded only through an unpickler that knows the classes of our schema.

Whoosh 2.7.4 keeps the schema and the segment list pickled in the index's TOC, and pickles posting
blocks, stored fields and file directories inside the segment files. Unpickling a file someone else
wrote can run any code (a pickle can name `os.system`), and a check of a file the same someone also
writes (`meta.json`) is no guard. So every place Whoosh loads a pickle is routed here (by
index/whoosh_ext.py's `install()`, which knows those places), and the unpickler resolves only the
exact classes and functions our schema and Whoosh's W3 codec use; any other name refuses the whole
index with `UnsafePickle`.

Data pickles (postings, stored fields) name no class at all, so `loads` first looks for the opcodes
that can fetch a class or a function (GLOBAL `c`, STACK_GLOBAL, INST `i`, the EXT codes): bytes
without any of them cannot name anything and go to `pickle.loads`; the others (any byte `c` or `i`
in a string counts: most posting blocks and stored fields) go through the restricted unpickler.

That unpickler must read from a file object, and C's Unpickler calls the file's `read()` for every
opcode (2.5 to 4 times `pickle.loads` over the same bytes) unless the file has `peek()`: then it
reads ahead through one peek and takes the opcodes from that buffer. `reader()` is such a file over
bytes in memory, sized to hold them whole, which makes the restricted path cost about what
`pickle.loads` does. What may be resolved is the same either way: only `find_class` resolves names.

One other place hands index bytes to `pickle.loads`: index/postings.py, for the ids and weights at
the start of a posting block, and only bytes matched whole by a grammar of data-only opcodes (ints,
floats, None, tuples, memo puts), none of which can name anything.
"""

from __future__ import annotations

import io
import pickle
import re
from typing import IO

# (module, name) as they appear in the pickle: protocol 2 spells builtins `__builtin__`.
ALLOWED: frozenset[tuple[str, str]] = frozenset({
    *((mod, name) for mod in ("builtins", "__builtin__")
      for name in ("int", "long", "float", "set", "frozenset", "bytes", "bytearray")),
    ("_codecs", "encode"),  # how protocol 2 spells a bytes value
    ("collections", "defaultdict"),
    ("re", "_compile"),  # RegexTokenizer's compiled expression
    ("newsgrep.index.schema", "EntityField"), ("newsgrep.index.schema", "FoldFilter"),
    ("whoosh.fields", "Schema"), ("whoosh.fields", "ID"), ("whoosh.fields", "NUMERIC"),
    ("whoosh.fields", "STORED"), ("whoosh.fields", "TEXT"),
    ("whoosh.formats", "Existence"), ("whoosh.formats", "Frequency"), ("whoosh.formats", "Positions"),
    ("whoosh.columns", "NumericColumn"), ("whoosh.columns", "VarBytesColumn"),
    ("whoosh.columns", "VarBytesListColumn"),
    ("whoosh.analysis.analyzers", "CompositeAnalyzer"),
    ("whoosh.analysis.filters", "LowercaseFilter"), ("whoosh.analysis.filters", "StopFilter"),
    ("whoosh.analysis.filters", "StripFilter"), ("whoosh.analysis.morph", "StemFilter"),
    ("whoosh.analysis.tokenizers", "IDTokenizer"), ("whoosh.analysis.tokenizers", "RegexTokenizer"),
    ("whoosh.lang.porter", "stem"),
    ("whoosh.codec.whoosh3", "W3Codec"), ("whoosh.codec.whoosh3", "W3Segment"),
})

_MAY_NAME_SOMETHING = re.compile(rb"[ci\x82\x83\x84\x93]")


class UnsafePickle(pickle.UnpicklingError):
    """A pickle in the index names something our index never holds: it was not written by us."""

    def __init__(self, module: str, name: str) -> None:
        super().__init__(f"the index holds a pickle naming {module}.{name}, which newsgrep never writes")


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in ALLOWED:
            raise UnsafePickle(module, name)
        return super().find_class(module, name)


def load(file: IO[bytes]):
    """pickle.load, resolving only ALLOWED names. It leaves `file` just past the pickle."""
    return _Unpickler(file).load()


def reader(data: bytes, buffer_size: int) -> io.BufferedReader:
    """A file over `data` that the unpickler reads ahead of through peek(), `buffer_size` bytes at a
    time (see the module's docstring); load() still leaves it just past each pickle."""
    return io.BufferedReader(io.BytesIO(data), max(buffer_size, 1))


def loads(data) -> object:
    """pickle.loads, resolving only ALLOWED names (plain pickle.loads when nothing can be named)."""
    if not isinstance(data, bytes):
        data = bytes(data)
    if _MAY_NAME_SOMETHING.search(data) is None:
        return pickle.loads(data)
    return _Unpickler(reader(data, len(data))).load()
