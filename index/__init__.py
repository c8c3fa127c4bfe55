"""Reading, cleaning, entity extraction, schema and writing of the news index.

Nothing here imports from `search` or `cli`: dependencies flow cli -> search -> index.
"""

import sys
import types


def _defer_whoosh_urllib() -> None:
    """Keep `import whoosh` from importing urllib.request, which we never use.

    whoosh.compat does `from urllib.request import urlretrieve` at import time, which pulls in http,
    ssl and email: about 50 ms of a one-shot `search`, a third of its import cost. whoosh.compat is
    imported here against a stand-in whose urlretrieve loads the real module if anyone ever calls it;
    the stand-in is then removed, so any later `import urllib.request` gets the real module.
    """
    if "whoosh.compat" in sys.modules or "urllib.request" in sys.modules:
        return

    def urlretrieve(*args, **kwargs):
        import urllib.request

        return urllib.request.urlretrieve(*args, **kwargs)

    stand_in = types.ModuleType("urllib.request")
    stand_in.urlretrieve = urlretrieve
    sys.modules["urllib.request"] = stand_in
    try:
        import whoosh.compat  # noqa: F401
    finally:
        del sys.modules["urllib.request"]
        import urllib

        if getattr(urllib, "request", None) is stand_in:
            del urllib.request


_defer_whoosh_urllib()
