"""The console scripts' entry points, and the one place that shapes what a process imports at start.

A one-shot `search` is mostly interpreter start and imports (benchmarks/run.py, section 2). Whoosh and
typer import modules at their top that a search never uses; `light_imports` imports them with light
stand-ins for those (import_lightly). Only the console scripts do this, before anything else: the
packages themselves import nothing on the side, so a program using the library gets plain modules.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable


class _OnFirstUse(types.ModuleType):
    """A stand-in that imports the real module the first time one of its attributes is read."""

    def __getattr__(self, attribute: str):
        if attribute.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(attribute)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)
        return getattr(real, attribute)


def lazy(module: str, name: str) -> Callable:
    """A function that imports the real `module` on its first call and calls its `name`."""

    def call(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    return call


def import_lightly(wanted: tuple[str, ...], stand_ins: dict[str, dict[str, object]]) -> None:
    """Import the `wanted` modules while the modules of `stand_ins` are light stand-ins.

    A one-shot `search` is mostly interpreter start and imports (benchmarks/run.py, section 2), and
    Whoosh and typer import modules at the top that a search never uses. A stand-in has the given
    attributes (for `from x import y`); reading any other attribute imports the real module (for
    `import x`). Stand-ins live only while `wanted` is imported: any later import gets the real
    module. Modules already imported are left as they are.
    """
    placed = {}
    for name, attributes in stand_ins.items():
        if name in sys.modules:
            continue
        module = _OnFirstUse(name)
        module.__dict__.update(attributes)
        sys.modules[name] = placed[name] = module
    try:
        for name in wanted:
            importlib.import_module(name)
    finally:
        for name, module in placed.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
            parent, _, child = name.rpartition(".")
            if parent and getattr(sys.modules.get(parent), child, None) is module:
                delattr(sys.modules[parent], child)


def _whoosh_stand_ins() -> dict[str, dict[str, object]]:
    """What Whoosh imports at the top and a search does not need.

    - whoosh.compat: urllib.request (http, ssl, email: about 50 ms) for urlretrieve, and html (with
      its table of entities) for escape;
    - whoosh.query.terms: whoosh.lang.morph_en (about 4 ms of regular expressions compiled at
      import) for Variations queries, which our parser never makes;
    - whoosh.filedb.filetables: hashlib for md5, and hashlib loads OpenSSL (about 4 ms); its term
      tables hash keys with md5, which CPython's own _md5 computes identically;
    - whoosh.util.times: calendar (and locale) for DATETIME fields, which our schema has none of.
    """
    stand_ins: dict[str, dict[str, object]] = {
        "calendar": {},
        "urllib.request": {"urlretrieve": lazy("urllib.request", "urlretrieve")},
        "html": {"escape": lazy("html", "escape")},
        "whoosh.lang.morph_en": {"variations": lazy("whoosh.lang.morph_en", "variations")},
    }
    try:
        from _md5 import md5
    except ImportError:  # a Python built without its own md5: keep hashlib's
        pass
    else:
        stand_ins["hashlib"] = {"md5": md5}
    return stand_ins



def _typer_stand_ins() -> dict[str, dict[str, object]]:
    """What typer imports at the top for shell completion, "did you mean" hints, translated messages
    and (through pathlib and urllib.parse) IP addresses, none of which a plain search uses."""
    return {"subprocess": {}, "shellingham": {}, "ipaddress": {},
            "difflib": {"get_close_matches": lazy("difflib", "get_close_matches")},
            "gettext": {"gettext": lazy("gettext", "gettext")}}


def light_imports() -> None:
    """Import Whoosh's and typer's start-up modules with the stand-ins above (each real module still
    loads whole the first time anything uses it)."""
    import_lightly(("whoosh.compat", "whoosh.query", "whoosh.filedb.filetables", "whoosh.util.times"),
                   _whoosh_stand_ins())
    import_lightly(("typer",), _typer_stand_ins())


def search() -> None:
    """The `search` console script."""
    light_imports()
    from newsgrep.cli.search_cmd import main

    main()


def search_index() -> None:
    """The `search-index` console script."""
    light_imports()
    from newsgrep.cli.index_cmd import main

    main()
