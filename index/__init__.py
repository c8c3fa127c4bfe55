"""Reading, cleaning, entity extraction, schema and writing of the news index.

Nothing here imports from `search` or `cli`: dependencies flow cli -> search -> index.
"""

import sys
import types
from collections.abc import Callable


def _lazy(module: str, name: str) -> Callable:
    """A function that imports the real `module` on its first call and calls its `name`."""

    def call(*args, **kwargs):
        import importlib

        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    return call


def _import_whoosh_lightly() -> None:
    """Import the Whoosh modules that pull in heavy modules a search never uses, against stand-ins.

    A one-shot `search` is mostly interpreter start and imports (benchmarks/run.py, section 2):
    - whoosh.compat imports urllib.request (http, ssl, email: about 50 ms) for urlretrieve;
    - whoosh.query.terms imports whoosh.lang.morph_en (about 4 ms of regular expressions compiled at
      import) for Variations queries, which our parser never makes;
    - whoosh.filedb.filetables imports hashlib for md5, and hashlib loads OpenSSL (about 4 ms); its
      term tables hash keys with md5, which CPython's own _md5 computes identically.
    Each stand-in lives only while its Whoosh module is imported, so any later import gets the real
    module, and a stand-in function imports the real one if it is ever called.
    """
    stand_ins = {"urllib.request": {"urlretrieve": _lazy("urllib.request", "urlretrieve")},
                 "whoosh.lang.morph_en": {"variations": _lazy("whoosh.lang.morph_en", "variations")}}
    try:
        from _md5 import md5
    except ImportError:  # a Python built without its own md5: keep hashlib's
        pass
    else:
        stand_ins["hashlib"] = {"md5": md5}
    wanted = ("whoosh.compat", "whoosh.query", "whoosh.filedb.filetables")
    if any(name in sys.modules for name in (*stand_ins, *wanted)):
        return
    for name, attributes in stand_ins.items():
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        sys.modules[name] = module
    try:
        for name in wanted:
            __import__(name)
    finally:
        for name in stand_ins:
            module = sys.modules.pop(name)
            parent, _, child = name.rpartition(".")
            if parent and getattr(sys.modules.get(parent), child, None) is module:
                delattr(sys.modules[parent], child)


_import_whoosh_lightly()
